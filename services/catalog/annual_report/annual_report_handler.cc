#include "services/catalog/annual_report/annual_report_handler.h"

namespace gongkai::catalog::annual_report {

// Who is calling, what the rules say, one status conversion.
#define GONGKAI_DEFINE_ANNUAL_REPORT_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(AnnualReportHandler, *domain, Method, Request, Response)
GONGKAI_ANNUAL_REPORT_RPCS(GONGKAI_DEFINE_ANNUAL_REPORT_RPC)
#undef GONGKAI_DEFINE_ANNUAL_REPORT_RPC

}  // namespace gongkai::catalog::annual_report
