#include "services/interpretation/interpretation_handler.h"

namespace gongkai::interpretation {

#define GONGKAI_DEFINE_INTERPRETATION_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(InterpretationHandler, *domain, Method, Request, Response)
GONGKAI_INTERPRETATION_RPCS(GONGKAI_DEFINE_INTERPRETATION_RPC)
#undef GONGKAI_DEFINE_INTERPRETATION_RPC

}  // namespace gongkai::interpretation
