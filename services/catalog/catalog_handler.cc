#include "services/catalog/catalog_handler.h"

#include "libs/auth/authenticated_call.h"

namespace gongkai::catalog {

// Every handler has the same three steps: who is calling, what the rules say, one
// status conversion. The macro keeps them all identical.
#define GONGKAI_CATALOG_HANDLE(Method, Request, Response)                                       \
  grpc::Status CatalogHandler::Method(grpc::ServerContext* context, const v1::Request* request, \
                                      v1::Response* response) {                                 \
    return auth::AnswerAuthenticated(                                                           \
        *authenticator_, *context, response,                                                    \
        [&](const auth::Principal& caller) { return catalog_->Method(caller, *request); });     \
  }

GONGKAI_CATALOG_HANDLE(CreateUnit, CreateUnitRequest, Unit)
GONGKAI_CATALOG_HANDLE(GetUnit, GetUnitRequest, Unit)
GONGKAI_CATALOG_HANDLE(ListUnits, ListUnitsRequest, ListUnitsResponse)
GONGKAI_CATALOG_HANDLE(CreateDocument, CreateDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(UpdateDocument, UpdateDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(SubmitDocument, SubmitDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(ReviewDocument, ReviewDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(ReturnDocument, ReturnDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(PublishDocument, PublishDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(RepealDocument, RepealDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(GetDocument, GetDocumentRequest, Document)
GONGKAI_CATALOG_HANDLE(ListDocuments, ListDocumentsRequest, ListDocumentsResponse)
GONGKAI_CATALOG_HANDLE(SearchDocuments, SearchDocumentsRequest, SearchDocumentsResponse)
GONGKAI_CATALOG_HANDLE(ListOverdueDocuments, ListOverdueDocumentsRequest, ListDocumentsResponse)
GONGKAI_CATALOG_HANDLE(ListDocumentAudit, ListDocumentAuditRequest, ListDocumentAuditResponse)
GONGKAI_CATALOG_HANDLE(CreateCategory, CreateCategoryRequest, Category)
GONGKAI_CATALOG_HANDLE(ListCategories, ListCategoriesRequest, ListCategoriesResponse)
GONGKAI_CATALOG_HANDLE(CreateCatalogItem, CreateCatalogItemRequest, CatalogItem)
GONGKAI_CATALOG_HANDLE(UpdateCatalogItem, UpdateCatalogItemRequest, CatalogItem)
GONGKAI_CATALOG_HANDLE(GetCatalogItem, GetCatalogItemRequest, CatalogItem)
GONGKAI_CATALOG_HANDLE(ListCatalogItems, ListCatalogItemsRequest, ListCatalogItemsResponse)
GONGKAI_CATALOG_HANDLE(ListCatalogItemRevisions, ListCatalogItemRevisionsRequest,
                       ListCatalogItemRevisionsResponse)
GONGKAI_CATALOG_HANDLE(ListCalendarYears, ListCalendarYearsRequest, ListCalendarYearsResponse)
GONGKAI_CATALOG_HANDLE(PutCalendarYear, PutCalendarYearRequest, CalendarYear)
GONGKAI_CATALOG_HANDLE(StartSelfReview, StartSelfReviewRequest, SelfReview)
GONGKAI_CATALOG_HANDLE(GetSelfReview, GetSelfReviewRequest, SelfReview)
GONGKAI_CATALOG_HANDLE(DecideSelfReviewEntry, DecideSelfReviewEntryRequest, SelfReview)
GONGKAI_CATALOG_HANDLE(CompleteSelfReview, CompleteSelfReviewRequest, SelfReview)

#undef GONGKAI_CATALOG_HANDLE

}  // namespace gongkai::catalog
