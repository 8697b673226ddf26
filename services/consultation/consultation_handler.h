// gRPC handler of gongkai.consultation.v1.ConsultationService: one line per RPC in the
// table below (libs/auth/rpc_table.h), each authenticating the caller and calling the
// Consultations method of the same name. PostComment is written out: it also passes the
// client's address (the last X-Forwarded-For entry the gateway appended, else the gRPC
// peer) for the per-client limit.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_HANDLER_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_HANDLER_H_

#include <string>

#include "gongkai/consultation/v1/consultation.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/consultation/consultations.h"

namespace gongkai::consultation {

#define GONGKAI_CONSULTATION_RPCS(X)                                                              \
  X(consultations_, CreateConsultation, CreateConsultationRequest, Consultation)                  \
  X(consultations_, GetConsultation, GetConsultationRequest, Consultation)                        \
  X(consultations_, ListConsultations, ListConsultationsRequest, ListConsultationsResponse)       \
  X(consultations_, ConcludeConsultation, ConcludeConsultationRequest, Consultation)              \
  X(consultations_, ListMissingPreDisclosures, ListMissingPreDisclosuresRequest,                  \
    ListMissingPreDisclosuresResponse)                                                            \
  X(consultations_, ListComments, ListCommentsRequest, ListCommentsResponse)                      \
  X(consultations_, SearchComments, SearchCommentsRequest, ListCommentsResponse)                  \
  X(consultations_, ReportComment, ReportCommentRequest, Comment)                                 \
  X(consultations_, ModerateComment, ModerateCommentRequest, Comment)                             \
  X(consultations_, UngroupComment, UngroupCommentRequest, Comment)                               \
  X(consultations_, ListCommentGroups, ListCommentGroupsRequest, ListCommentGroupsResponse)       \
  X(consultations_, DecideCommentGroup, DecideCommentGroupRequest, CommentGroup)                  \
  X(consultations_, PublishFeedbackStatement, PublishFeedbackStatementRequest, FeedbackStatement) \
  X(consultations_, GetFeedbackStatement, GetFeedbackStatementRequest, FeedbackStatement)         \
  X(consultations_, CreateHearing, CreateHearingRequest, Hearing)                                 \
  X(consultations_, GetHearing, GetHearingRequest, Hearing)                                       \
  X(consultations_, Apply, ApplyRequest, Application)                                             \
  X(consultations_, ListApplications, ListApplicationsRequest, ListApplicationsResponse)          \
  X(consultations_, SelectApplicants, SelectApplicantsRequest, ListApplicationsResponse)          \
  X(consultations_, RecordAttendance, RecordAttendanceRequest, ListApplicationsResponse)          \
  X(consultations_, RecordHearingMinutes, RecordHearingMinutesRequest, Hearing)                   \
  X(consultations_, CreateMeetingPlan, CreateMeetingPlanRequest, MeetingPlan)                     \
  X(consultations_, GetMeetingPlan, GetMeetingPlanRequest, MeetingPlan)                           \
  X(consultations_, AttachFeedbackStatement, AttachFeedbackStatementRequest, MeetingPlan)

class ConsultationHandler final : public v1::ConsultationService::Service {
 public:
  ConsultationHandler(Consultations* consultations, const auth::Authenticator* authenticator)
      : consultations_(consultations), authenticator_(authenticator) {}

  GONGKAI_CONSULTATION_RPCS(GONGKAI_DECLARE_RPC)
  grpc::Status PostComment(grpc::ServerContext* context, const v1::PostCommentRequest* request,
                           v1::Comment* response) override;

 private:
  Consultations* consultations_;
  const auth::Authenticator* authenticator_;
};

// The client address of a call: the last x-forwarded-for entry, else the peer's host.
std::string ClientAddress(const grpc::ServerContext& context);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_HANDLER_H_
