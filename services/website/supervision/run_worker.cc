#include "services/website/supervision/run_worker.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

namespace gongkai::website {

RunWorker::RunWorker(WebsiteRepository* repository, Website* website, const Clock* clock,
                     RunWorkerOptions options)
    : repository_(repository), website_(website), clock_(clock), options_(std::move(options)) {
  if (options_.replica.empty()) {
    std::random_device random;
    options_.replica = absl::StrCat("w", random(), "-", random());
  }
}

RunWorker::~RunWorker() { Stop(); }

void RunWorker::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void RunWorker::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void RunWorker::Loop() {
  while (!stopping_) {
    absl::StatusOr<int> batches = RunOnce();
    if (!batches.ok()) {
      GK_LOG(WARNING, "supervision run work failed").With("status", batches.status());
    }
    if (!batches.ok() || *batches == 0) absl::SleepFor(options_.poll_interval);
  }
}

absl::StatusOr<v1::SupervisionResult> RunWorker::Work(const v1::SupervisionRun& run,
                                                      const v1::Site& site) {
  ASSIGN_OR_RETURN(absl::CivilDay as_of, ToCivilDay(run.as_of()));
  v1::SupervisionResult result;
  result.set_run_id(run.id());
  result.set_site_id(site.id());
  result.set_unit_id(site.unit_id());
  if (run.kind() == v1::ANNUAL_REPORT) {
    // NAT-14: the report of the year, and the site as it stood at the year's end (or
    // on as_of, when the run is made before the year ends).
    const absl::CivilDay year_end(run.report_year(), 12, 31);
    ASSIGN_OR_RETURN(absl::CivilDay due, ToCivilDay(run.report_due()));
    ASSIGN_OR_RETURN(*result.mutable_evaluation(),
                     website_->Evaluate(site, std::min(as_of, year_end), run.kind()));
    ASSIGN_OR_RETURN(*result.mutable_annual_report(),
                     website_->AnnualReport(site, run.report_year(), due));
    return result;
  }
  ASSIGN_OR_RETURN(*result.mutable_evaluation(), website_->Evaluate(site, as_of, run.kind()));
  return result;
}

absl::StatusOr<v1::OfficeAnnualReport> RunWorker::OfficeReport(
    const v1::SupervisionRun& run, const std::vector<v1::SupervisionResult>& last_batch) {
  v1::OfficeAnnualReport office;
  office.set_year(run.report_year());
  *office.mutable_due() = run.report_due();
  office.set_due_rule(run.report_due_rule());
  const auto add = [&office](const v1::SupervisionResult& r) {
    const v1::SiteAnnualReport& site = r.annual_report();
    office.set_sites(office.sites() + 1);
    if (scoring::IsNewMedia(site.kind())) {
      office.set_accounts(office.accounts() + 1);
    } else {
      office.set_websites(office.websites() + 1);
    }
    if (!r.evaluation().passed()) office.set_sites_failed(office.sites_failed() + 1);
    if (r.evaluation().vetoed()) office.set_sites_vetoed(office.sites_vetoed() + 1);
    office.set_probes_made(office.probes_made() + site.probes_made());
    office.set_probes_failed(office.probes_failed() + site.probes_failed());
    office.set_probes_missed(office.probes_missed() + site.probes_missed());
    office.set_messages_received(office.messages_received() + site.messages_received());
    office.set_messages_answered(office.messages_answered() + site.messages_answered());
    office.set_severe_errors(office.severe_errors() + site.severe_errors());
    office.set_notices_issued(office.notices_issued() + site.notices_issued());
    office.set_notices_rectified(office.notices_rectified() + site.notices_rectified());
  };
  // The batches stored before (perhaps by another replica), then this one.
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::SupervisionResult> page,
                     repository_->ListResults(run.id(), after, 1000));
    for (const v1::SupervisionResult& r : page) add(r);
    if (page.size() < 1000) break;
    after = page.back().site_id();
  }
  for (const v1::SupervisionResult& r : last_batch) add(r);
  if (office.probes_made() > 0) {
    office.set_availability_percent(
        100.0 * static_cast<double>(office.probes_made() - office.probes_failed()) /
        static_cast<double>(office.probes_made()));
  }
  return office;
}

absl::StatusOr<int> RunWorker::RunOnce(int max_batches) {
  const std::string token = absl::StrCat(options_.replica, "-", counter_.fetch_add(1));
  ASSIGN_OR_RETURN(std::optional<v1::SupervisionRun> claimed,
                   repository_->ClaimRun(token, clock_->Now(), options_.lease));
  if (!claimed.has_value()) return 0;
  const v1::SupervisionRun run = *claimed;
  int64_t cursor = run.cursor_site_id();
  int batches = 0;
  while (!stopping_ && (max_batches < 0 || batches < max_batches)) {
    if (batches > 0 && options_.batch_pause > absl::ZeroDuration()) {
      absl::SleepFor(options_.batch_pause);
      if (stopping_) break;
    }
    ASSIGN_OR_RETURN(std::vector<v1::Site> sites,
                     repository_->SitesForRun(run.kind(), cursor, options_.batch));
    RunProgress progress;
    progress.cursor_site_id = cursor;
    for (const v1::Site& site : sites) {
      ASSIGN_OR_RETURN(v1::SupervisionResult result, Work(run, site));
      progress.results.push_back(std::move(result));
      progress.cursor_site_id = site.id();
    }
    progress.finished = static_cast<int>(sites.size()) < options_.batch;
    if (progress.finished && run.kind() == v1::ANNUAL_REPORT) {
      ASSIGN_OR_RETURN(progress.office_report, OfficeReport(run, progress.results));
    }
    absl::Status stored =
        repository_->RecordRunProgress(run.id(), token, progress, clock_->Now(), options_.lease);
    if (absl::IsAborted(stored)) {
      GK_LOG(INFO, "supervision run stopped: cancelled or taken over").With("run_id", run.id());
      return batches;
    }
    RETURN_IF_ERROR(stored);
    ++batches;
    cursor = progress.cursor_site_id;
    if (progress.finished) {
      GK_LOG(INFO, "supervision run finished").With("run_id", run.id());
      return batches;
    }
  }
  // Stopped cleanly with the run unfinished: give it back so another replica (or this
  // one after a restart) resumes at once. (A spent batch budget keeps the claim, as a
  // killed replica would: tests use it to stand for one.)
  if (stopping_) {
    absl::Status released = repository_->ReleaseRun(run.id(), token);
    if (!released.ok()) {
      GK_LOG(WARNING, "releasing a supervision run failed").With("status", released);
    }
  }
  return batches;
}

}  // namespace gongkai::website
