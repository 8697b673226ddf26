// The gRPC face of the annual report (AnnualReportService): a thin handler per RPC that
// authenticates the caller, calls the domain rules (annual_reports.h) and converts the
// result once (libs/status/grpc_status.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_

#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "services/catalog/annual_report/annual_reports.h"

namespace gongkai::catalog::annual_report {

class AnnualReportHandler final : public v1::AnnualReportService::Service {
 public:
  // Both must outlive the handler.
  AnnualReportHandler(AnnualReports* reports, const auth::Authenticator* authenticator)
      : reports_(reports), authenticator_(authenticator) {}

#define GONGKAI_ANNUAL_REPORT_RPC(Method, Request, Response)                    \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;
  GONGKAI_ANNUAL_REPORT_RPC(ComputeAnnualReport, ComputeAnnualReportRequest, AnnualReport)
  GONGKAI_ANNUAL_REPORT_RPC(SaveAnnualReport, SaveAnnualReportRequest, AnnualReport)
  GONGKAI_ANNUAL_REPORT_RPC(PublishAnnualReport, PublishAnnualReportRequest, AnnualReport)
  GONGKAI_ANNUAL_REPORT_RPC(GetAnnualReport, GetAnnualReportRequest, AnnualReport)
  GONGKAI_ANNUAL_REPORT_RPC(ListAnnualReports, ListAnnualReportsRequest, ListAnnualReportsResponse)
  GONGKAI_ANNUAL_REPORT_RPC(RenderAnnualReportHtml, RenderAnnualReportHtmlRequest, AnnualReportHtml)
  GONGKAI_ANNUAL_REPORT_RPC(ListAnnualReportDeadlines, ListAnnualReportDeadlinesRequest,
                            ListAnnualReportDeadlinesResponse)
#undef GONGKAI_ANNUAL_REPORT_RPC

 private:
  AnnualReports* reports_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_ANNUAL_REPORT_HANDLER_H_
