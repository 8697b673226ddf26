#include "services/website/supervision/run_worker.h"

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

absl::StatusOr<int> RunWorker::RunOnce(int max_batches) {
  const std::string token = absl::StrCat(options_.replica, "-", counter_.fetch_add(1));
  ASSIGN_OR_RETURN(std::optional<v1::SupervisionRun> claimed,
                   repository_->ClaimRun(token, clock_->Now(), options_.lease));
  if (!claimed.has_value()) return 0;
  const v1::SupervisionRun run = *claimed;
  ASSIGN_OR_RETURN(absl::CivilDay as_of, ToCivilDay(run.as_of()));
  int64_t cursor = run.cursor_site_id();
  int batches = 0;
  while (!stopping_ && (max_batches < 0 || batches < max_batches)) {
    ASSIGN_OR_RETURN(std::vector<v1::Site> sites,
                     repository_->SitesForRun(run.kind(), cursor, options_.batch));
    RunProgress progress;
    progress.cursor_site_id = cursor;
    for (const v1::Site& site : sites) {
      ASSIGN_OR_RETURN(v1::SiteEvaluation evaluation, website_->Evaluate(site, as_of));
      v1::SupervisionResult result;
      result.set_run_id(run.id());
      result.set_site_id(site.id());
      result.set_unit_id(site.unit_id());
      *result.mutable_evaluation() = std::move(evaluation);
      progress.results.push_back(std::move(result));
      progress.cursor_site_id = site.id();
    }
    progress.finished = static_cast<int>(sites.size()) < options_.batch;
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
      break;
    }
  }
  return batches;
}

}  // namespace gongkai::website
