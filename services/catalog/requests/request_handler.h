// The gRPC face of disclosure on request: a thin handler per RPC that authenticates the
// caller (anonymous callers get Principal::Anonymous(), which only the PUBLIC rules
// admit), calls the domain rules (disclosure_requests.h, challenges.h) and converts the result once
// (libs/status/grpc_status.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_

#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/catalog/requests/challenges.h"
#include "services/catalog/requests/disclosure_requests.h"

namespace gongkai::catalog::requests {

// Every RPC of DisclosureRequestService, once: X(domain, Method, Request, Response)
// (libs/auth/rpc_table.h). The declarations below and the definitions in the .cc
// are both expanded from this list.
#define GONGKAI_REQUEST_RPCS(X)                                                                    \
  X(requests_, FileRequest, FileRequestRequest, FileRequestResponse)                               \
  X(requests_, TrackRequest, TrackRequestRequest, TrackRequestResponse)                            \
  X(requests_, GetRequest, GetRequestRequest, DisclosureRequest)                                   \
  X(requests_, ListRequests, ListRequestsRequest, ListRequestsResponse)                            \
  X(requests_, ListDueRequests, ListDueRequestsRequest, ListRequestsResponse)                      \
  X(requests_, ListRequestHistory, ListRequestHistoryRequest, ListRequestHistoryResponse)          \
  X(requests_, IssueCorrectionNotice, IssueCorrectionNoticeRequest, DisclosureRequest)             \
  X(requests_, RecordCorrection, RecordCorrectionRequest, DisclosureRequest)                       \
  X(requests_, AssignRequest, AssignRequestRequest, DisclosureRequest)                             \
  X(requests_, StartThirdPartyConsultation, StartThirdPartyConsultationRequest, DisclosureRequest) \
  X(requests_, EndThirdPartyConsultation, EndThirdPartyConsultationRequest, DisclosureRequest)     \
  X(requests_, ResetTrackingSecret, ResetTrackingSecretRequest, ResetTrackingSecretResponse)       \
  X(requests_, ExtendRequest, ExtendRequestRequest, DisclosureRequest)                             \
  X(requests_, QuoteFee, QuoteFeeRequest, FeeQuote)                                                \
  X(requests_, AnswerRequest, AnswerRequestRequest, DisclosureRequest)                             \
  X(challenges_, RecordChallenge, RecordChallengeRequest, DisclosureChallenge)                     \
  X(challenges_, UpdateChallenge, UpdateChallengeRequest, DisclosureChallenge)                     \
  X(challenges_, ListChallenges, ListChallengesRequest, ListChallengesResponse)                    \
  X(requests_, ListMostRequested, ListMostRequestedRequest, ListMostRequestedResponse)

class RequestHandler final : public v1::DisclosureRequestService::Service {
 public:
  // Both must outlive the handler.
  RequestHandler(DisclosureRequests* requests, Challenges* challenges,
                 const auth::Authenticator* authenticator)
      : requests_(requests), challenges_(challenges), authenticator_(authenticator) {}

  GONGKAI_REQUEST_RPCS(GONGKAI_DECLARE_RPC)

 private:
  DisclosureRequests* requests_;
  Challenges* challenges_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_HANDLER_H_
