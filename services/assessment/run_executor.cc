#include "services/assessment/run_executor.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "libs/log/log.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/assessment/scheme.h"
#include "services/assessment/scoring.h"

namespace gongkai::assessment {
namespace {

// One evidence call of a pass.
struct Task {
  size_t unit_index = 0;
  std::string service;
  std::vector<InspectionItem> items;
  std::vector<v1::ItemScore> scores;  // The result, one per item.
};

void Perform(Task& task, const Scheme& scheme, const UnitInfo& unit, EvidenceFetcher& fetcher) {
  common::v1::GetComplianceEvidenceRequest request;
  request.set_unit_id(unit.id);
  *request.mutable_period_start() = ToProtoDate(absl::CivilDay(scheme.year, 1, 1));
  *request.mutable_period_end() = ToProtoDate(absl::CivilDay(scheme.year, 12, 31));
  for (InspectionItem item : task.items) request.add_items(item);
  absl::StatusOr<common::v1::ComplianceEvidence> evidence = fetcher.Fetch(task.service, request);
  for (InspectionItem item : task.items) {
    const SchemeItemRule& rule = scheme.Item(item);
    if (!evidence.ok()) {
      task.scores.push_back(EvidenceUnavailable(
          rule, absl::StrCat(task.service, ": ", evidence.status().ToString())));
      continue;
    }
    const common::v1::ItemEvidence* found = nullptr;
    for (const auto& answered : evidence->items()) {
      if (answered.item() == item) found = &answered;
    }
    task.scores.push_back(
        found != nullptr
            ? ScoreFromEvidence(rule, *found)
            : EvidenceUnavailable(rule, absl::StrCat(task.service, " did not answer item ",
                                                     static_cast<int>(item))));
  }
}

}  // namespace

absl::StatusOr<bool> RunExecutor::RunOnce(const std::function<bool()>& stopping) {
  ASSIGN_OR_RETURN(std::optional<ClaimedRun> claimed,
                   repository_->ClaimDueRun(options_.owner, clock_->Now(), options_.lease));
  if (!claimed.has_value()) return false;
  const absl::Status status = Pass(*claimed, stopping);
  if (!status.ok()) {
    GK_LOG(WARNING, "assessment run pass failed")
        .With("run_id", claimed->run.id())
        .With("status", status);
    // Free the claim and try again later; nothing of the pass is lost but its time.
    PassResult retry;
    retry.units_total = claimed->run.units_total();
    retry.units_scored = claimed->run.units_scored();
    retry.items_unavailable = claimed->run.items_unavailable();
    retry.progress = absl::StrCat("pass failed, retried: ", status.message());
    retry.next_attempt_time = clock_->Now() + options_.retry_interval;
    RETURN_IF_ERROR(repository_->FinishPass(claimed->run.id(), options_.owner, retry));
  }
  return true;
}

absl::Status RunExecutor::RunUntilIdle(const std::function<bool()>& stopping) {
  while (!stopping()) {
    ASSIGN_OR_RETURN(bool worked, RunOnce(stopping));
    if (!worked) return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status RunExecutor::Pass(const ClaimedRun& claimed, const std::function<bool()>& stopping) {
  const v1::AssessmentRun& run = claimed.run;
  ASSIGN_OR_RETURN(Scheme scheme, ReadSchemeVersion(*rules_, run.year(), run.rule_set()));
  ASSIGN_OR_RETURN(std::vector<UnitInfo> units, units_());
  ASSIGN_OR_RETURN(std::vector<v1::UnitScore> stored, repository_->UnitScores(run.id()));
  std::map<int64_t, v1::UnitScore> previous;
  for (v1::UnitScore& score : stored) previous[score.unit_id()] = std::move(score);
  ASSIGN_OR_RETURN(auto inspector, repository_->LatestInspectorEvidence(run.year()));

  // The calls still needed: every service for a unit not scored yet, otherwise only
  // services whose items are still unavailable.
  std::vector<Task> tasks;
  for (size_t u = 0; u < units.size(); ++u) {
    auto found = previous.find(units[u].id);
    for (const std::string& service : scheme.Services()) {
      Task task;
      task.unit_index = u;
      task.service = service;
      bool needed = found == previous.end();
      for (const SchemeItemRule& rule : scheme.items) {
        if (rule.source != service) continue;
        task.items.push_back(rule.item);
        if (found == previous.end()) continue;
        const auto& items = found->second.items();
        const bool scored = std::any_of(items.begin(), items.end(), [&](const v1::ItemScore& s) {
          return s.item() == rule.item && s.source() == service && s.status() == v1::SCORED;
        });
        if (!scored) needed = true;
      }
      if (needed) tasks.push_back(std::move(task));
    }
  }

  // The calls, in parallel.
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::vector<std::thread> workers;
  const size_t threads =
      std::min(tasks.size(), static_cast<size_t>(std::max(1, options_.parallel_calls)));
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < tasks.size() && !stopping(); i = next++) {
        Perform(tasks[i], scheme, units[tasks[i].unit_index], *fetcher_);
        ++done;
      }
    });
  }
  absl::Time last_report = clock_->Now();
  while (done.load() < tasks.size() && !stopping()) {
    absl::SleepFor(absl::Milliseconds(20));
    if (clock_->Now() - last_report > absl::Seconds(1)) {
      last_report = clock_->Now();
      RETURN_IF_ERROR(repository_->ReportProgress(
          run.id(), options_.owner, run.units_scored(),
          absl::StrCat(done.load(), "/", tasks.size(), " evidence calls done"),
          clock_->Now() + options_.lease));
    }
  }
  for (std::thread& worker : workers) worker.join();
  if (stopping()) return absl::CancelledError("shutting down; the run is resumed later");

  // Every unit's items: fresh answers, else the stored ones, inspectors' re-read.
  std::vector<std::map<int, v1::ItemScore>> items(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    auto found = previous.find(units[u].id);
    if (found == previous.end()) continue;
    for (const v1::ItemScore& score : found->second.items()) items[u][score.item()] = score;
  }
  for (Task& task : tasks) {
    for (v1::ItemScore& score : task.scores)
      items[task.unit_index][score.item()] = std::move(score);
  }
  std::vector<v1::UnitScore> scores;
  std::vector<double> totals;
  int unavailable = 0;
  std::set<std::string> unavailable_services;
  for (size_t u = 0; u < units.size(); ++u) {
    for (const SchemeItemRule& rule : scheme.items) {
      if (rule.source != kInspectorSource) continue;
      auto evidence = inspector.find({units[u].id, static_cast<int>(rule.item)});
      items[u][rule.item] =
          ScoreFromInspector(rule, evidence == inspector.end()
                                       ? std::nullopt
                                       : std::optional<v1::InspectorEvidence>(evidence->second));
    }
    v1::UnitScore score;
    score.set_run_id(run.id());
    score.set_unit_id(units[u].id);
    score.set_unit_code(units[u].code);
    score.set_unit_name(units[u].name);
    std::vector<v1::ItemScore> unit_items;
    for (auto& [item, item_score] : items[u]) {
      if (item_score.status() == v1::EVIDENCE_UNAVAILABLE)
        unavailable_services.insert(item_score.source());
      unit_items.push_back(item_score);
    }
    const UnitTotal total = TotalOf(unit_items);
    unavailable += total.unavailable;
    score.set_total(total.total);
    score.set_complete(total.complete);
    for (v1::ItemScore& item_score : unit_items) *score.add_items() = std::move(item_score);
    totals.push_back(total.total);
    scores.push_back(std::move(score));
  }
  RETURN_IF_ERROR(repository_->SaveUnitScores(run.id(), scores));

  // The ranking (ties share a rank; positions break ties by unit id).
  const std::vector<int> ranks = Rank(totals);
  std::vector<size_t> order(units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ranks[a] != ranks[b] ? ranks[a] < ranks[b] : units[a].id < units[b].id;
  });
  std::vector<AssessmentRepository::Placing> placings;
  const double total_points = scheme.TotalPoints();
  for (size_t position = 0; position < order.size(); ++position) {
    const size_t u = order[position];
    placings.push_back(
        {units[u].id, ranks[u], static_cast<int>(position) + 1,
         total_points > 0 ? totals[u] / total_points * scheme.openness_weight_percent : 0});
  }
  RETURN_IF_ERROR(repository_->SetRanking(run.id(), placings));

  PassResult result;
  result.units_total = static_cast<int>(units.size());
  result.units_scored = static_cast<int>(units.size());
  result.items_unavailable = unavailable;
  const absl::Time now = clock_->Now();
  const int attempt = run.attempts() + 1;
  if (unavailable == 0) {
    result.state = v1::COMPLETED;
    result.finish_time = now;
    result.progress =
        absl::StrCat(units.size(), "/", units.size(), " units scored (pass ", attempt, ")");
  } else {
    result.state =
        now + options_.retry_interval > claimed.retry_until ? v1::INCOMPLETE : v1::RUNNING;
    if (result.state == v1::INCOMPLETE) result.finish_time = now;
    result.progress =
        absl::StrCat(units.size(), "/", units.size(), " units; ", unavailable,
                     " items awaiting evidence from ", absl::StrJoin(unavailable_services, ", "),
                     result.state == v1::RUNNING ? " (retried)" : " (retry window over)", " (pass ",
                     attempt, ")");
  }
  result.next_attempt_time = now + options_.retry_interval;
  return repository_->FinishPass(run.id(), options_.owner, result);
}

}  // namespace gongkai::assessment
