// The gRPC face of the catalog service (CatalogService, one proto service for every
// module): a thin handler per RPC that authenticates the caller, calls the module that
// owns the RPC (units/, documents/, catalog_items/, calendars/, self_review/; wired in
// catalog_modules.h) and converts the result once (libs/auth/rpc_table.h). No business rule
// lives here.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_

#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/rpc_table.h"
#include "services/catalog/catalog_modules.h"

namespace gongkai::catalog {

// Every RPC of CatalogService, once: X(module, Method, Request, Response), where
// `module` names the CatalogModules accessor of the module that answers it. The declarations
// below and the definitions in catalog_handler.cc are both expanded from this list.
#define GONGKAI_CATALOG_RPCS(X)                                                          \
  X(units, CreateUnit, CreateUnitRequest, Unit)                                          \
  X(units, GetUnit, GetUnitRequest, Unit)                                                \
  X(units, ListUnits, ListUnitsRequest, ListUnitsResponse)                               \
  X(documents, CreateDocument, CreateDocumentRequest, Document)                          \
  X(documents, UpdateDocument, UpdateDocumentRequest, Document)                          \
  X(documents, SubmitDocument, SubmitDocumentRequest, Document)                          \
  X(documents, ReviewDocument, ReviewDocumentRequest, Document)                          \
  X(documents, ReturnDocument, ReturnDocumentRequest, Document)                          \
  X(documents, PublishDocument, PublishDocumentRequest, Document)                        \
  X(documents, RepealDocument, RepealDocumentRequest, Document)                          \
  X(documents, GetDocument, GetDocumentRequest, Document)                                \
  X(documents, ListDocuments, ListDocumentsRequest, ListDocumentsResponse)               \
  X(documents, SearchDocuments, SearchDocumentsRequest, SearchDocumentsResponse)         \
  X(documents, ListOverdueDocuments, ListOverdueDocumentsRequest, ListDocumentsResponse) \
  X(documents, ListDocumentAudit, ListDocumentAuditRequest, ListDocumentAuditResponse)   \
  X(documents, RecordInterpretationRelease, RecordInterpretationReleaseRequest,          \
    RecordInterpretationReleaseResponse)                                                 \
  X(catalog_items, CreateCategory, CreateCategoryRequest, Category)                      \
  X(catalog_items, ListCategories, ListCategoriesRequest, ListCategoriesResponse)        \
  X(catalog_items, CreateCatalogItem, CreateCatalogItemRequest, CatalogItem)             \
  X(catalog_items, UpdateCatalogItem, UpdateCatalogItemRequest, CatalogItem)             \
  X(catalog_items, GetCatalogItem, GetCatalogItemRequest, CatalogItem)                   \
  X(catalog_items, ListCatalogItems, ListCatalogItemsRequest, ListCatalogItemsResponse)  \
  X(catalog_items, ListCatalogItemRevisions, ListCatalogItemRevisionsRequest,            \
    ListCatalogItemRevisionsResponse)                                                    \
  X(calendars, ListCalendarYears, ListCalendarYearsRequest, ListCalendarYearsResponse)   \
  X(calendars, PutCalendarYear, PutCalendarYearRequest, CalendarYear)                    \
  X(self_reviews, StartSelfReview, StartSelfReviewRequest, SelfReview)                   \
  X(self_reviews, GetSelfReview, GetSelfReviewRequest, SelfReview)                       \
  X(self_reviews, DecideSelfReviewEntry, DecideSelfReviewEntryRequest, SelfReview)       \
  X(self_reviews, CompleteSelfReview, CompleteSelfReviewRequest, SelfReview)             \
  X(self_reviews, ListIncompleteSelfReviews, ListIncompleteSelfReviewsRequest,           \
    ListIncompleteSelfReviewsResponse)                                                   \
  X(self_reviews, ListSelfReviewMostRequested, ListSelfReviewMostRequestedRequest,       \
    ListSelfReviewMostRequestedResponse)                                                 \
  X(self_reviews, DecideMostRequested, DecideMostRequestedRequest, SelfReview)

class CatalogHandler final : public v1::CatalogService::Service {
 public:
  // Both must outlive the handler.
  CatalogHandler(CatalogModules* catalog, const auth::Authenticator* authenticator)
      : catalog_(catalog), authenticator_(authenticator) {}

  GONGKAI_CATALOG_RPCS(GONGKAI_DECLARE_RPC)

 private:
  CatalogModules* catalog_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_
