// The gRPC face of the interpretation service: a thin handler per RPC that
// authenticates the caller, calls Interpretations and converts the result once
// (libs/auth/rpc_table.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_HANDLER_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_HANDLER_H_

#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/interpretation/interpretations.h"

namespace gongkai::interpretation {

// Every RPC of InterpretationService, once: X(domain, Method, Request, Response).
#define GONGKAI_INTERPRETATION_RPCS(X)                                                        \
  X(interpretations_, CreateInterpretation, CreateInterpretationRequest, Interpretation)      \
  X(interpretations_, RequestSupplementaryInterpretation,                                     \
    RequestSupplementaryInterpretationRequest, Interpretation)                                \
  X(interpretations_, UpdateInterpretation, UpdateInterpretationRequest, Interpretation)      \
  X(interpretations_, ApproveInterpretation, ApproveInterpretationRequest, Interpretation)    \
  X(interpretations_, RecordRelease, RecordReleaseRequest, Interpretation)                    \
  X(interpretations_, GetInterpretation, GetInterpretationRequest, Interpretation)            \
  X(interpretations_, ListInterpretations, ListInterpretationsRequest,                        \
    ListInterpretationsResponse)                                                              \
  X(interpretations_, CheckRelease, CheckReleaseRequest, ReleaseCheck)                        \
  X(interpretations_, ApplyPublication, ApplyPublicationRequest, ApplyPublicationResponse)    \
  X(interpretations_, ApplyPublications, ApplyPublicationsRequest, ApplyPublicationsResponse) \
  X(interpretations_, ListPublicationLags, ListPublicationLagsRequest, ListPublicationLagsResponse)

class InterpretationHandler final : public v1::InterpretationService::Service {
 public:
  // Both must outlive the handler.
  InterpretationHandler(Interpretations* interpretations, const auth::Authenticator* authenticator)
      : interpretations_(interpretations), authenticator_(authenticator) {}

  GONGKAI_INTERPRETATION_RPCS(GONGKAI_DECLARE_RPC)

 private:
  Interpretations* interpretations_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_HANDLER_H_
