// The rules of the assessment service, one method per RPC of AssessmentService (the
// handler calls them through the RPC table): validation (INVALID_ARGUMENT naming every
// bad field, nothing written), authorization (access.h), idempotent creates, keyset
// pages. No gRPC beyond the generated messages, no SQL.
//
//   assessment.cc       schemes, inspectors' evidence, runs, scores, CSV, third party
//   draws.cc            three randoms (ASM-2): commitment, draw, spot-check results
//   accountability.cc   ASM-3 triggers from a run's evidence, summons, notices
//   training.cc         ASM-4 plans, sessions, status, and item 13's evidence source
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/assessment/v1/assessment.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/evidence/evidence_source.h"
#include "libs/rules/rule_book.h"
#include "services/assessment/assessment_repository.h"

namespace gongkai::assessment {

using common::v1::InspectionItem;

struct AssessmentOptions {
  // How long a run keeps retrying unavailable evidence before it ends INCOMPLETE.
  absl::Duration retry_for = absl::Hours(24);
};

// Fills `bytes` with secret random bytes (a CSPRNG; tests inject their own).
using SeedSource = std::function<std::string(int bytes)>;
SeedSource CryptoSeedSource();

class Assessment {
 public:
  // Pointers must outlive the object.
  Assessment(AssessmentRepository* repository, std::shared_ptr<const rules::RuleBook> rules,
             const Clock* clock, SeedSource seeds, AssessmentOptions options = {})
      : repository_(repository),
        rules_(std::move(rules)),
        clock_(clock),
        seeds_(std::move(seeds)),
        options_(options) {}

  using Principal = auth::Principal;

  absl::StatusOr<v1::Scheme> GetScheme(const Principal& caller,
                                       const v1::GetSchemeRequest& request);
  absl::StatusOr<v1::InspectorEvidence> RecordInspectorEvidence(
      const Principal& caller, const v1::RecordInspectorEvidenceRequest& request);
  absl::StatusOr<v1::ListInspectorEvidenceResponse> ListInspectorEvidence(
      const Principal& caller, const v1::ListInspectorEvidenceRequest& request);
  absl::StatusOr<v1::AssessmentRun> StartAssessmentRun(
      const Principal& caller, const v1::StartAssessmentRunRequest& request);
  absl::StatusOr<v1::AssessmentRun> GetAssessmentRun(const Principal& caller,
                                                     const v1::GetAssessmentRunRequest& request);
  absl::StatusOr<v1::ListUnitScoresResponse> ListUnitScores(
      const Principal& caller, const v1::ListUnitScoresRequest& request);
  absl::StatusOr<v1::UnitScore> GetUnitScore(const Principal& caller,
                                             const v1::GetUnitScoreRequest& request);
  absl::StatusOr<v1::ExportUnitScoresResponse> ExportUnitScores(
      const Principal& caller, const v1::ExportUnitScoresRequest& request);
  absl::StatusOr<v1::ThirdPartyScore> RecordThirdPartyScore(
      const Principal& caller, const v1::RecordThirdPartyScoreRequest& request);

  absl::StatusOr<v1::Draw> CreateDraw(const Principal& caller,
                                      const v1::CreateDrawRequest& request);
  absl::StatusOr<v1::Draw> PerformDraw(const Principal& caller,
                                       const v1::PerformDrawRequest& request);
  absl::StatusOr<v1::Draw> GetDraw(const Principal& caller, const v1::GetDrawRequest& request);
  absl::StatusOr<v1::SpotCheckResult> RecordSpotCheckResult(
      const Principal& caller, const v1::RecordSpotCheckResultRequest& request);

  absl::StatusOr<v1::ListAccountabilityTriggersResponse> RaiseAccountabilityTriggers(
      const Principal& caller, const v1::RaiseAccountabilityTriggersRequest& request);
  absl::StatusOr<v1::ListAccountabilityTriggersResponse> ListAccountabilityTriggers(
      const Principal& caller, const v1::ListAccountabilityTriggersRequest& request);
  absl::StatusOr<v1::Summons> RecordSummons(const Principal& caller,
                                            const v1::RecordSummonsRequest& request);
  absl::StatusOr<v1::PublicNotice> PublishNotice(const Principal& caller,
                                                 const v1::PublishNoticeRequest& request);
  absl::StatusOr<v1::ListPublicNoticesResponse> ListPublicNotices(
      const Principal& caller, const v1::ListPublicNoticesRequest& request);

  absl::StatusOr<v1::TrainingPlan> CreateTrainingPlan(const Principal& caller,
                                                      const v1::CreateTrainingPlanRequest& request);
  absl::StatusOr<v1::TrainingSession> RecordTrainingSession(
      const Principal& caller, const v1::RecordTrainingSessionRequest& request);
  absl::StatusOr<v1::TrainingStatus> GetTrainingStatus(const Principal& caller,
                                                       const v1::GetTrainingStatusRequest& request);

  // The training status of a unit over a period (item 13's evidence and the RPC above).
  absl::StatusOr<v1::TrainingStatus> TrainingStatusOf(int64_t unit_id, int year);

 private:
  absl::StatusOr<v1::UnitScore> WithComparisons(v1::UnitScore score, int year);
  absl::StatusOr<std::vector<v1::UnitScore>> WithComparisons(std::vector<v1::UnitScore> scores,
                                                             int year);

  AssessmentRepository* repository_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  SeedSource seeds_;
  AssessmentOptions options_;
};

// Item 13 (training, ASM-4) answered from the assessment service's own records, through
// the suite's evidence call (libs/evidence): indicators training_plan_missing,
// training_sessions_held, planned_sessions_not_held, openness_staff_untrained.
class TrainingEvidence final : public evidence::EvidenceSource {
 public:
  explicit TrainingEvidence(Assessment* assessment) : assessment_(assessment) {}
  std::vector<evidence::InspectionItem> Items() const override;
  absl::StatusOr<evidence::ItemEvidence> Collect(evidence::InspectionItem item,
                                                 const evidence::EvidenceQuery& query) override;

 private:
  Assessment* assessment_;
};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_H_
