// The gRPC face of the website service: one line per RPC (libs/auth/rpc_table.h) that
// authenticates the caller, calls the domain (website.h) and converts the status once.
// No business rule lives here.
#ifndef GONGKAI_SERVICES_WEBSITE_WEBSITE_HANDLER_H_
#define GONGKAI_SERVICES_WEBSITE_WEBSITE_HANDLER_H_

#include "gongkai/website/v1/website.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/website/website.h"

namespace gongkai::website {

// Every RPC of WebsiteService, once: X(domain, Method, Request, Response).
#define GONGKAI_WEBSITE_RPCS(X)                                                  \
  X(website_, CreateSite, CreateSiteRequest, Site)                               \
  X(website_, GetSite, GetSiteRequest, Site)                                     \
  X(website_, ListSites, ListSitesRequest, ListSitesResponse)                    \
  X(website_, ChangeSiteState, ChangeSiteStateRequest, Site)                     \
  X(website_, UpdateAccountProcedures, UpdateAccountProceduresRequest, Site)     \
  X(website_, ListSiteHistory, ListSiteHistoryRequest, ListSiteHistoryResponse)  \
  X(website_, CreateColumn, CreateColumnRequest, Column)                         \
  X(website_, ListColumns, ListColumnsRequest, ListColumnsResponse)              \
  X(website_, TestExtraction, TestExtractionRequest, TestExtractionResponse)     \
  X(website_, ProbeSiteNow, ProbeSiteNowRequest, Probe)                          \
  X(website_, ListProbes, ListProbesRequest, ListProbesResponse)                 \
  X(website_, SubmitMessages, SubmitMessagesRequest, SubmitMessagesResponse)     \
  X(website_, RecordSevereError, RecordSevereErrorRequest, SevereError)          \
  X(website_, EvaluateSite, EvaluateSiteRequest, SiteEvaluation)                 \
  X(website_, StartSupervisionRun, StartSupervisionRunRequest, SupervisionRun)   \
  X(website_, GetSupervisionRun, GetSupervisionRunRequest, SupervisionRun)       \
  X(website_, CancelSupervisionRun, CancelSupervisionRunRequest, SupervisionRun) \
  X(website_, ListSupervisionResults, ListSupervisionResultsRequest,             \
    ListSupervisionResultsResponse)                                              \
  X(website_, CreateNotice, CreateNoticeRequest, Notice)                         \
  X(website_, GetNotice, GetNoticeRequest, Notice)                               \
  X(website_, ListNotices, ListNoticesRequest, ListNoticesResponse)              \
  X(website_, ReportRectification, ReportRectificationRequest, Notice)           \
  X(website_, RecheckNotice, RecheckNoticeRequest, Notice)                       \
  X(website_, EscalateNotice, EscalateNoticeRequest, Notice)

class WebsiteHandler final : public v1::WebsiteService::Service {
 public:
  // Both must outlive the handler.
  WebsiteHandler(Website* website, const auth::Authenticator* authenticator)
      : website_(website), authenticator_(authenticator) {}

  GONGKAI_WEBSITE_RPCS(GONGKAI_DECLARE_RPC)

 private:
  Website* website_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_WEBSITE_HANDLER_H_
