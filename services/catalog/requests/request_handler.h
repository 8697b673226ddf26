// The gRPC face of disclosure on request: a thin handler per RPC that authenticates the
// caller (anonymous callers get Principal::Anonymous(), which only the PUBLIC rules
// admit), calls the domain rules (disclosure_requests.h) and converts the result once
// (libs/status/grpc_status.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_

#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "services/catalog/requests/disclosure_requests.h"

namespace gongkai::catalog::requests {

class RequestHandler final : public v1::DisclosureRequestService::Service {
 public:
  // Both must outlive the handler.
  RequestHandler(DisclosureRequests* requests, const auth::Authenticator* authenticator)
      : requests_(requests), authenticator_(authenticator) {}

#define GONGKAI_REQUEST_RPC(Method, Request, Response)                          \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;
  GONGKAI_REQUEST_RPC(FileRequest, FileRequestRequest, FileRequestResponse)
  GONGKAI_REQUEST_RPC(TrackRequest, TrackRequestRequest, TrackRequestResponse)
  GONGKAI_REQUEST_RPC(GetRequest, GetRequestRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(ListRequests, ListRequestsRequest, ListRequestsResponse)
  GONGKAI_REQUEST_RPC(ListDueRequests, ListDueRequestsRequest, ListRequestsResponse)
  GONGKAI_REQUEST_RPC(ListRequestHistory, ListRequestHistoryRequest, ListRequestHistoryResponse)
  GONGKAI_REQUEST_RPC(IssueCorrectionNotice, IssueCorrectionNoticeRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(RecordCorrection, RecordCorrectionRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(AssignRequest, AssignRequestRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(StartThirdPartyConsultation, StartThirdPartyConsultationRequest,
                      DisclosureRequest)
  GONGKAI_REQUEST_RPC(EndThirdPartyConsultation, EndThirdPartyConsultationRequest,
                      DisclosureRequest)
  GONGKAI_REQUEST_RPC(ResetTrackingSecret, ResetTrackingSecretRequest, ResetTrackingSecretResponse)
  GONGKAI_REQUEST_RPC(ExtendRequest, ExtendRequestRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(QuoteFee, QuoteFeeRequest, FeeQuote)
  GONGKAI_REQUEST_RPC(AnswerRequest, AnswerRequestRequest, DisclosureRequest)
  GONGKAI_REQUEST_RPC(RecordChallenge, RecordChallengeRequest, DisclosureChallenge)
  GONGKAI_REQUEST_RPC(UpdateChallenge, UpdateChallengeRequest, DisclosureChallenge)
  GONGKAI_REQUEST_RPC(ListChallenges, ListChallengesRequest, ListChallengesResponse)
  GONGKAI_REQUEST_RPC(ListMostRequested, ListMostRequestedRequest, ListMostRequestedResponse)
#undef GONGKAI_REQUEST_RPC

 private:
  DisclosureRequests* requests_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_
