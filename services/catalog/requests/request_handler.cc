#include "services/catalog/requests/request_handler.h"

#include "libs/auth/authenticated_call.h"

namespace gongkai::catalog::requests {

// Every handler has the same three steps: who is calling, what the rules say, one
// status conversion.
#define GONGKAI_REQUEST_HANDLE(Method, Request, Response)                                       \
  grpc::Status RequestHandler::Method(grpc::ServerContext* context, const v1::Request* request, \
                                      v1::Response* response) {                                 \
    return auth::AnswerAuthenticated(                                                           \
        *authenticator_, *context, response,                                                    \
        [&](const auth::Principal& caller) { return requests_->Method(caller, *request); });    \
  }

GONGKAI_REQUEST_HANDLE(FileRequest, FileRequestRequest, FileRequestResponse)
GONGKAI_REQUEST_HANDLE(TrackRequest, TrackRequestRequest, TrackRequestResponse)
GONGKAI_REQUEST_HANDLE(GetRequest, GetRequestRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(ListRequests, ListRequestsRequest, ListRequestsResponse)
GONGKAI_REQUEST_HANDLE(ListDueRequests, ListDueRequestsRequest, ListRequestsResponse)
GONGKAI_REQUEST_HANDLE(ListRequestHistory, ListRequestHistoryRequest, ListRequestHistoryResponse)
GONGKAI_REQUEST_HANDLE(IssueCorrectionNotice, IssueCorrectionNoticeRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(RecordCorrection, RecordCorrectionRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(AssignRequest, AssignRequestRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(StartThirdPartyConsultation, StartThirdPartyConsultationRequest,
                       DisclosureRequest)
GONGKAI_REQUEST_HANDLE(EndThirdPartyConsultation, EndThirdPartyConsultationRequest,
                       DisclosureRequest)
GONGKAI_REQUEST_HANDLE(ResetTrackingSecret, ResetTrackingSecretRequest, ResetTrackingSecretResponse)
GONGKAI_REQUEST_HANDLE(ExtendRequest, ExtendRequestRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(QuoteFee, QuoteFeeRequest, FeeQuote)
GONGKAI_REQUEST_HANDLE(AnswerRequest, AnswerRequestRequest, DisclosureRequest)
GONGKAI_REQUEST_HANDLE(RecordChallenge, RecordChallengeRequest, DisclosureChallenge)
GONGKAI_REQUEST_HANDLE(UpdateChallenge, UpdateChallengeRequest, DisclosureChallenge)
GONGKAI_REQUEST_HANDLE(ListChallenges, ListChallengesRequest, ListChallengesResponse)
GONGKAI_REQUEST_HANDLE(ListMostRequested, ListMostRequestedRequest, ListMostRequestedResponse)

#undef GONGKAI_REQUEST_HANDLE

}  // namespace gongkai::catalog::requests
