// Carries out assessment runs (long-running operations): claims a due run (a
// conditional UPDATE, so replicas never work on the same run), scores every unit of the
// directory for the run's year and stores the scores, ranking and progress.
//
// One pass: the evidence calls (one per unit and evidence service, the items the scheme
// routes to it) run in parallel on `parallel_calls` threads; an unavailable service
// gives its items EVIDENCE_UNAVAILABLE (never zero points) and the run stays RUNNING,
// to be retried after `retry_interval`; later passes ask again only for what is still
// missing. A run is COMPLETED when nothing is unavailable, INCOMPLETE when the retry
// window (`retry_for` from the start) ends first. Inspectors' items are re-read every
// pass.
//
// Thread-safety: RunOnce may be called from several threads (each claims its own run).
#ifndef GONGKAI_SERVICES_ASSESSMENT_RUN_EXECUTOR_H_
#define GONGKAI_SERVICES_ASSESSMENT_RUN_EXECUTOR_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/assessment/assessment_repository.h"
#include "services/assessment/evidence_fetcher.h"

namespace gongkai::assessment {

struct RunExecutorOptions {
  std::string owner = "assessment";  // This replica's name in claims.
  int parallel_calls = 16;
  absl::Duration retry_interval = absl::Seconds(30);
  absl::Duration lease = absl::Minutes(5);
};

class RunExecutor {
 public:
  // Pointers must outlive the executor.
  RunExecutor(AssessmentRepository* repository, std::shared_ptr<const rules::RuleBook> rules,
              EvidenceFetcher* fetcher, UnitLister units, const Clock* clock,
              RunExecutorOptions options)
      : repository_(repository),
        rules_(std::move(rules)),
        fetcher_(fetcher),
        units_(std::move(units)),
        clock_(clock),
        options_(std::move(options)) {}

  // Claims one due run and makes one pass over it. False when no run was due.
  absl::StatusOr<bool> RunOnce(const std::function<bool()>& stopping);

  // Makes passes until no run is due (tests and the bench).
  absl::Status RunUntilIdle(const std::function<bool()>& stopping);

 private:
  absl::Status Pass(const ClaimedRun& claimed, const std::function<bool()>& stopping);

  AssessmentRepository* repository_;
  std::shared_ptr<const rules::RuleBook> rules_;
  EvidenceFetcher* fetcher_;
  UnitLister units_;
  const Clock* clock_;
  RunExecutorOptions options_;
};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_RUN_EXECUTOR_H_
