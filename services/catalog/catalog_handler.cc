#include "services/catalog/catalog_handler.h"

namespace gongkai::catalog {

#define GONGKAI_DEFINE_CATALOG_RPC(module, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(CatalogHandler, catalog_->module(), Method, Request, Response)
GONGKAI_CATALOG_RPCS(GONGKAI_DEFINE_CATALOG_RPC)
#undef GONGKAI_DEFINE_CATALOG_RPC

}  // namespace gongkai::catalog
