// Storage of the assessment service (SQL only behind this interface; the MySQL
// implementation is mysql_assessment_repository.h, a fake for rule tests in
// testing/fake_assessment_repository.h). Records are the proto messages of
// assessment.proto.
//
// Creates take the idempotency key to store with the record in the same transaction
// (nullptr: the client sent no request id); a duplicate key is ALREADY_EXISTS.
// Thread-safe.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/assessment/v1/assessment.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::assessment {

// A run claimed by one replica for one pass.
struct ClaimedRun {
  v1::AssessmentRun run;
  absl::Time retry_until;
};

// The outcome of one pass over a run's units.
struct PassResult {
  v1::AssessmentRunState state = v1::RUNNING;
  int units_total = 0;
  int units_scored = 0;
  int items_unavailable = 0;
  std::string progress;
  absl::Time next_attempt_time;
  std::optional<absl::Time> finish_time;
};

// Runs by state and the unit-items RUNNING runs are waiting for (metrics).
struct RunCounts {
  std::map<v1::AssessmentRunState, int64_t> by_state;
  int64_t items_unavailable_running = 0;
};

class AssessmentRepository {
 public:
  virtual ~AssessmentRepository() = default;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;

  // ---- Runs ----
  virtual absl::StatusOr<v1::AssessmentRun> CreateRun(v1::AssessmentRun run, absl::Time retry_until,
                                                      const idempotency::Key* key,
                                                      absl::Time now) = 0;
  virtual absl::StatusOr<v1::AssessmentRun> GetRun(int64_t id) = 0;
  // Claims the oldest RUNNING run due (next_attempt_time <= now) whose claim is free or
  // expired, for `owner` until now + lease; nullopt when none.
  virtual absl::StatusOr<std::optional<ClaimedRun>> ClaimDueRun(const std::string& owner,
                                                                absl::Time now,
                                                                absl::Duration lease) = 0;
  // Progress while the owner works (and its claim extended to `claim_until`); ABORTED
  // when the claim was lost.
  virtual absl::Status ReportProgress(int64_t run_id, const std::string& owner, int units_scored,
                                      const std::string& progress, absl::Time claim_until) = 0;
  // Ends a pass: records the result, counts the attempt and frees the claim. ABORTED
  // when the claim was lost (another replica took the run over).
  virtual absl::Status FinishPass(int64_t run_id, const std::string& owner,
                                  const PassResult& result) = 0;
  // Stores (replaces) units' scores; their rank and position are set by SetRanking.
  virtual absl::Status SaveUnitScores(int64_t run_id, const std::vector<v1::UnitScore>& scores) = 0;
  // Every unit's score of a run, with items (unit id order).
  virtual absl::StatusOr<std::vector<v1::UnitScore>> UnitScores(int64_t run_id) = 0;
  // Ranks and positions: (unit_id, rank, position, performance_contribution).
  struct Placing {
    int64_t unit_id = 0;
    int rank = 0;
    int position = 0;
    double performance_contribution = 0;
  };
  virtual absl::Status SetRanking(int64_t run_id, const std::vector<Placing>& placings) = 0;
  // Up to `limit` unit scores in ranking order after `after_position`.
  virtual absl::StatusOr<std::vector<v1::UnitScore>> RankedUnitScores(int64_t run_id,
                                                                      int after_position,
                                                                      int limit) = 0;
  virtual absl::StatusOr<v1::UnitScore> GetUnitScore(int64_t run_id, int64_t unit_id) = 0;
  // The latest COMPLETED or INCOMPLETE run of `year`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<int64_t>> LatestFinishedRun(int year) = 0;
  virtual absl::StatusOr<RunCounts> CountRuns() = 0;
  // unit id → total of a run.
  virtual absl::StatusOr<std::map<int64_t, double>> UnitTotals(int64_t run_id) = 0;

  // ---- Inspectors' evidence, third-party scores ----
  virtual absl::StatusOr<v1::InspectorEvidence> CreateInspectorEvidence(
      v1::InspectorEvidence evidence, const idempotency::Key* key, absl::Time now) = 0;
  // The latest evidence per (unit, item) of a year.
  virtual absl::StatusOr<std::map<std::pair<int64_t, int>, v1::InspectorEvidence>>
  LatestInspectorEvidence(int year) = 0;
  virtual absl::StatusOr<std::vector<v1::InspectorEvidence>> ListInspectorEvidence(int64_t unit_id,
                                                                                   int year,
                                                                                   int64_t after_id,
                                                                                   int limit) = 0;
  virtual absl::StatusOr<v1::ThirdPartyScore> CreateThirdPartyScore(v1::ThirdPartyScore score,
                                                                    const idempotency::Key* key,
                                                                    absl::Time now) = 0;
  // The latest third-party score per unit of a year.
  virtual absl::StatusOr<std::map<int64_t, v1::ThirdPartyScore>> LatestThirdPartyScores(
      int year) = 0;

  // ---- Draws ----
  // Stores a COMMITTED draw with its secret seed (hex).
  virtual absl::StatusOr<v1::Draw> CreateDraw(v1::Draw draw, const std::string& seed,
                                              const idempotency::Key* key, absl::Time now) = 0;
  // The draw as published (the seed only once DRAWN) and, separately, the secret seed.
  virtual absl::StatusOr<std::pair<v1::Draw, std::string>> GetDraw(int64_t id) = 0;
  // COMMITTED → DRAWN with the picks and the revealed seed, once. FAILED_PRECONDITION
  // when the draw was already made.
  virtual absl::StatusOr<v1::Draw> CompleteDraw(v1::Draw drawn, absl::Time now) = 0;
  virtual absl::StatusOr<v1::SpotCheckResult> CreateSpotCheckResult(v1::SpotCheckResult result,
                                                                    const idempotency::Key* key,
                                                                    absl::Time now) = 0;

  // ---- Accountability and notices ----
  // Inserts the triggers not yet raised for (run, unit, kind); returns every trigger of
  // the run.
  virtual absl::StatusOr<std::vector<v1::AccountabilityTrigger>> RaiseTriggers(
      int64_t run_id, const std::vector<v1::AccountabilityTrigger>& triggers, absl::Time now) = 0;
  // Filters are optional (0: any).
  virtual absl::StatusOr<std::vector<v1::AccountabilityTrigger>> ListTriggers(int year,
                                                                              int64_t unit_id,
                                                                              int64_t after_id,
                                                                              int limit) = 0;
  virtual absl::StatusOr<std::vector<v1::AccountabilityTrigger>> GetTriggers(
      const std::vector<int64_t>& ids) = 0;
  virtual absl::StatusOr<v1::Summons> CreateSummons(v1::Summons summons,
                                                    const idempotency::Key* key,
                                                    absl::Time now) = 0;
  virtual absl::StatusOr<v1::PublicNotice> CreateNotice(v1::PublicNotice notice,
                                                        const idempotency::Key* key,
                                                        absl::Time now) = 0;
  // Newest first: ids below `before_id` (0: from the newest).
  virtual absl::StatusOr<std::vector<v1::PublicNotice>> ListPublicNotices(int64_t before_id,
                                                                          int limit) = 0;

  // ---- Training ----
  // ALREADY_EXISTS when the unit has a plan for the year.
  virtual absl::StatusOr<v1::TrainingPlan> CreateTrainingPlan(v1::TrainingPlan plan,
                                                              const idempotency::Key* key,
                                                              absl::Time now) = 0;
  virtual absl::StatusOr<std::optional<v1::TrainingPlan>> GetTrainingPlan(int64_t unit_id,
                                                                          int year) = 0;
  virtual absl::StatusOr<v1::TrainingSession> CreateTrainingSession(v1::TrainingSession session,
                                                                    const idempotency::Key* key,
                                                                    absl::Time now) = 0;
  virtual absl::StatusOr<std::vector<v1::TrainingSession>> TrainingSessions(int64_t unit_id,
                                                                            int year) = 0;
};

std::unique_ptr<AssessmentRepository> NewMysqlAssessmentRepository(db::ConnectionPool* pool);

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_REPOSITORY_H_
