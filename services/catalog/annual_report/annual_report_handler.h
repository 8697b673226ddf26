// The gRPC face of the annual report (AnnualReportService): a thin handler per RPC that
// authenticates the caller, calls the domain rules (annual_reports.h) and converts the
// result once (libs/status/grpc_status.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_

#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/catalog/annual_report/annual_reports.h"

namespace gongkai::catalog::annual_report {

// Every RPC of AnnualReportService, once: X(domain, Method, Request, Response)
// (libs/auth/rpc_table.h). The declarations below and the definitions in the .cc
// are both expanded from this list.
#define GONGKAI_ANNUAL_REPORT_RPCS(X)                                                  \
  X(reports_, ComputeAnnualReport, ComputeAnnualReportRequest, AnnualReport)           \
  X(reports_, SaveAnnualReport, SaveAnnualReportRequest, AnnualReport)                 \
  X(reports_, PublishAnnualReport, PublishAnnualReportRequest, AnnualReport)           \
  X(reports_, GetAnnualReport, GetAnnualReportRequest, AnnualReport)                   \
  X(reports_, ListAnnualReports, ListAnnualReportsRequest, ListAnnualReportsResponse)  \
  X(reports_, RenderAnnualReportHtml, RenderAnnualReportHtmlRequest, AnnualReportHtml) \
  X(reports_, ListAnnualReportDeadlines, ListAnnualReportDeadlinesRequest,             \
    ListAnnualReportDeadlinesResponse)

class AnnualReportHandler final : public v1::AnnualReportService::Service {
 public:
  // Both must outlive the handler.
  AnnualReportHandler(AnnualReports* reports, const auth::Authenticator* authenticator)
      : reports_(reports), authenticator_(authenticator) {}

  GONGKAI_ANNUAL_REPORT_RPCS(GONGKAI_DECLARE_RPC)

 private:
  AnnualReports* reports_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_
