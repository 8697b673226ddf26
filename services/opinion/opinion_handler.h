// The gRPC face of gongkai.opinion.v1.OpinionService: one authenticated call per RPC
// (libs/auth/rpc_table.h) into the domain (events/opinion_events.h), where every rule,
// role and unit check lives.
#ifndef GONGKAI_SERVICES_OPINION_OPINION_HANDLER_H_
#define GONGKAI_SERVICES_OPINION_OPINION_HANDLER_H_

#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/opinion/events/opinion_events.h"

namespace gongkai::opinion {

// Every RPC of OpinionService, once: X(domain, Method, Request, Response).
#define GONGKAI_OPINION_RPCS(X)                                                       \
  X(events_, CollectEvent, CollectEventRequest, OpinionEvent)                         \
  X(events_, GetEvent, GetEventRequest, OpinionEvent)                                 \
  X(events_, ListEvents, ListEventsRequest, ListEventsResponse)                       \
  X(events_, ListEventHistory, ListEventHistoryRequest, ListEventHistoryResponse)     \
  X(events_, RecordConsultation, RecordConsultationRequest, OpinionEvent)             \
  X(events_, RecordAssessment, RecordAssessmentRequest, OpinionEvent)                 \
  X(events_, ReassignEvent, ReassignEventRequest, OpinionEvent)                       \
  X(events_, RecordLeaderInstruction, RecordLeaderInstructionRequest, OpinionEvent)   \
  X(events_, RecordResponse, RecordResponseRequest, OpinionEvent)                     \
  X(events_, DecideNotToRespond, DecideNotToRespondRequest, OpinionEvent)             \
  X(events_, RequestInterpretationSupplement, RequestInterpretationSupplementRequest, \
    OpinionEvent)                                                                     \
  X(events_, RecordEvaluation, RecordEvaluationRequest, OpinionEvent)                 \
  X(events_, CloseEvent, CloseEventRequest, OpinionEvent)                             \
  X(events_, ListSupervisedEvents, ListSupervisedEventsRequest, ListEventsResponse)   \
  X(events_, ListEscalations, ListEscalationsRequest, ListEscalationsResponse)

class OpinionHandler final : public v1::OpinionService::Service {
 public:
  // Both must outlive the handler.
  OpinionHandler(events::OpinionEvents* events, const auth::Authenticator* authenticator)
      : events_(events), authenticator_(authenticator) {}

  GONGKAI_OPINION_RPCS(GONGKAI_DECLARE_RPC)

 private:
  events::OpinionEvents* events_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::opinion

#endif  // GONGKAI_SERVICES_OPINION_OPINION_HANDLER_H_
