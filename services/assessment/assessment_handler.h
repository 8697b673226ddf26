// The gRPC face of the assessment service: one line per RPC (libs/auth/rpc_table.h) that
// authenticates the caller, calls Assessment (assessment.h) and converts the result
// once. No business rule lives here.
#ifndef GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_HANDLER_H_
#define GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_HANDLER_H_

#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/assessment/assessment.h"

namespace gongkai::assessment {

#define GONGKAI_ASSESSMENT_RPCS(X)                                                           \
  X(assessment_, GetScheme, GetSchemeRequest, Scheme)                                        \
  X(assessment_, RecordInspectorEvidence, RecordInspectorEvidenceRequest, InspectorEvidence) \
  X(assessment_, ListInspectorEvidence, ListInspectorEvidenceRequest,                        \
    ListInspectorEvidenceResponse)                                                           \
  X(assessment_, StartAssessmentRun, StartAssessmentRunRequest, AssessmentRun)               \
  X(assessment_, GetAssessmentRun, GetAssessmentRunRequest, AssessmentRun)                   \
  X(assessment_, ListUnitScores, ListUnitScoresRequest, ListUnitScoresResponse)              \
  X(assessment_, GetUnitScore, GetUnitScoreRequest, UnitScore)                               \
  X(assessment_, ExportUnitScores, ExportUnitScoresRequest, ExportUnitScoresResponse)        \
  X(assessment_, RecordThirdPartyScore, RecordThirdPartyScoreRequest, ThirdPartyScore)       \
  X(assessment_, CreateDraw, CreateDrawRequest, Draw)                                        \
  X(assessment_, PerformDraw, PerformDrawRequest, Draw)                                      \
  X(assessment_, GetDraw, GetDrawRequest, Draw)                                              \
  X(assessment_, RecordSpotCheckResult, RecordSpotCheckResultRequest, SpotCheckResult)       \
  X(assessment_, RaiseAccountabilityTriggers, RaiseAccountabilityTriggersRequest,            \
    ListAccountabilityTriggersResponse)                                                      \
  X(assessment_, ListAccountabilityTriggers, ListAccountabilityTriggersRequest,              \
    ListAccountabilityTriggersResponse)                                                      \
  X(assessment_, RecordSummons, RecordSummonsRequest, Summons)                               \
  X(assessment_, PublishNotice, PublishNoticeRequest, PublicNotice)                          \
  X(assessment_, ListPublicNotices, ListPublicNoticesRequest, ListPublicNoticesResponse)     \
  X(assessment_, CreateTrainingPlan, CreateTrainingPlanRequest, TrainingPlan)                \
  X(assessment_, RecordTrainingSession, RecordTrainingSessionRequest, TrainingSession)       \
  X(assessment_, GetTrainingStatus, GetTrainingStatusRequest, TrainingStatus)

class AssessmentHandler final : public v1::AssessmentService::Service {
 public:
  // Both must outlive the handler.
  AssessmentHandler(Assessment* assessment, const auth::Authenticator* authenticator)
      : assessment_(assessment), authenticator_(authenticator) {}

  GONGKAI_ASSESSMENT_RPCS(GONGKAI_DECLARE_RPC)

 private:
  Assessment* assessment_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_ASSESSMENT_HANDLER_H_
