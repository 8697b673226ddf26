#include "services/website/website_handler.h"

namespace gongkai::website {

#define GONGKAI_DEFINE_WEBSITE_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(WebsiteHandler, *domain, Method, Request, Response)
GONGKAI_WEBSITE_RPCS(GONGKAI_DEFINE_WEBSITE_RPC)
#undef GONGKAI_DEFINE_WEBSITE_RPC

}  // namespace gongkai::website
