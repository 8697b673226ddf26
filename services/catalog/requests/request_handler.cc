#include "services/catalog/requests/request_handler.h"

namespace gongkai::catalog::requests {

#define GONGKAI_DEFINE_REQUEST_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(RequestHandler, *domain, Method, Request, Response)
GONGKAI_REQUEST_RPCS(GONGKAI_DEFINE_REQUEST_RPC)
#undef GONGKAI_DEFINE_REQUEST_RPC

}  // namespace gongkai::catalog::requests
