#include "services/opinion/opinion_handler.h"

namespace gongkai::opinion {

#define GONGKAI_DEFINE_OPINION_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(OpinionHandler, *domain, Method, Request, Response)
GONGKAI_OPINION_RPCS(GONGKAI_DEFINE_OPINION_RPC)
#undef GONGKAI_DEFINE_OPINION_RPC

}  // namespace gongkai::opinion
