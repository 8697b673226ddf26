#include "services/catalog/annual_report/annual_report_handler.h"

#include "libs/auth/authenticated_call.h"

namespace gongkai::catalog::annual_report {

// Who is calling, what the rules say, one status conversion.
#define GONGKAI_ANNUAL_REPORT_HANDLE(Method, Request, Response)                                  \
  grpc::Status AnnualReportHandler::Method(grpc::ServerContext* context,                         \
                                           const v1::Request* request, v1::Response* response) { \
    return auth::AnswerAuthenticated(                                                            \
        *authenticator_, *context, response,                                                     \
        [&](const auth::Principal& caller) { return reports_->Method(caller, *request); });      \
  }

GONGKAI_ANNUAL_REPORT_HANDLE(ComputeAnnualReport, ComputeAnnualReportRequest, AnnualReport)
GONGKAI_ANNUAL_REPORT_HANDLE(SaveAnnualReport, SaveAnnualReportRequest, AnnualReport)
GONGKAI_ANNUAL_REPORT_HANDLE(PublishAnnualReport, PublishAnnualReportRequest, AnnualReport)
GONGKAI_ANNUAL_REPORT_HANDLE(GetAnnualReport, GetAnnualReportRequest, AnnualReport)
GONGKAI_ANNUAL_REPORT_HANDLE(ListAnnualReports, ListAnnualReportsRequest, ListAnnualReportsResponse)
GONGKAI_ANNUAL_REPORT_HANDLE(RenderAnnualReportHtml, RenderAnnualReportHtmlRequest,
                             AnnualReportHtml)
GONGKAI_ANNUAL_REPORT_HANDLE(ListAnnualReportDeadlines, ListAnnualReportDeadlinesRequest,
                             ListAnnualReportDeadlinesResponse)

#undef GONGKAI_ANNUAL_REPORT_HANDLE

}  // namespace gongkai::catalog::annual_report
