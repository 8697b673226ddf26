#include "services/assessment/assessment_handler.h"

#include "libs/auth/authenticated_call.h"

namespace gongkai::assessment {

#define GONGKAI_DEFINE_ASSESSMENT_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(AssessmentHandler, *domain, Method, Request, Response)
GONGKAI_ASSESSMENT_RPCS(GONGKAI_DEFINE_ASSESSMENT_RPC)

}  // namespace gongkai::assessment
