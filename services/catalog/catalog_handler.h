// The gRPC face of the catalog service: a thin handler per RPC that authenticates the
// caller, calls the domain rules (catalog.h) and converts the result once
// (libs/status/grpc_status.h). No business rule lives here.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_

#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/auth/authenticator.h"
#include "services/catalog/catalog.h"

namespace gongkai::catalog {

class CatalogHandler final : public v1::CatalogService::Service {
 public:
  // Both must outlive the handler.
  CatalogHandler(Catalog* catalog, const auth::Authenticator* authenticator)
      : catalog_(catalog), authenticator_(authenticator) {}

#define GONGKAI_CATALOG_RPC(Method, Request, Response)                          \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;
  GONGKAI_CATALOG_RPC(CreateUnit, CreateUnitRequest, Unit)
  GONGKAI_CATALOG_RPC(GetUnit, GetUnitRequest, Unit)
  GONGKAI_CATALOG_RPC(ListUnits, ListUnitsRequest, ListUnitsResponse)
  GONGKAI_CATALOG_RPC(CreateDocument, CreateDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(UpdateDocument, UpdateDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(SubmitDocument, SubmitDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(ReviewDocument, ReviewDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(ReturnDocument, ReturnDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(PublishDocument, PublishDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(RepealDocument, RepealDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(GetDocument, GetDocumentRequest, Document)
  GONGKAI_CATALOG_RPC(ListDocuments, ListDocumentsRequest, ListDocumentsResponse)
  GONGKAI_CATALOG_RPC(SearchDocuments, SearchDocumentsRequest, SearchDocumentsResponse)
  GONGKAI_CATALOG_RPC(ListOverdueDocuments, ListOverdueDocumentsRequest, ListDocumentsResponse)
  GONGKAI_CATALOG_RPC(ListDocumentAudit, ListDocumentAuditRequest, ListDocumentAuditResponse)
  GONGKAI_CATALOG_RPC(CreateCategory, CreateCategoryRequest, Category)
  GONGKAI_CATALOG_RPC(ListCategories, ListCategoriesRequest, ListCategoriesResponse)
  GONGKAI_CATALOG_RPC(CreateCatalogItem, CreateCatalogItemRequest, CatalogItem)
  GONGKAI_CATALOG_RPC(UpdateCatalogItem, UpdateCatalogItemRequest, CatalogItem)
  GONGKAI_CATALOG_RPC(GetCatalogItem, GetCatalogItemRequest, CatalogItem)
  GONGKAI_CATALOG_RPC(ListCatalogItems, ListCatalogItemsRequest, ListCatalogItemsResponse)
  GONGKAI_CATALOG_RPC(ListCatalogItemRevisions, ListCatalogItemRevisionsRequest,
                      ListCatalogItemRevisionsResponse)
  GONGKAI_CATALOG_RPC(ListCalendarYears, ListCalendarYearsRequest, ListCalendarYearsResponse)
  GONGKAI_CATALOG_RPC(PutCalendarYear, PutCalendarYearRequest, CalendarYear)
  GONGKAI_CATALOG_RPC(StartSelfReview, StartSelfReviewRequest, SelfReview)
  GONGKAI_CATALOG_RPC(GetSelfReview, GetSelfReviewRequest, SelfReview)
  GONGKAI_CATALOG_RPC(DecideSelfReviewEntry, DecideSelfReviewEntryRequest, SelfReview)
  GONGKAI_CATALOG_RPC(CompleteSelfReview, CompleteSelfReviewRequest, SelfReview)
#undef GONGKAI_CATALOG_RPC

 private:
  Catalog* catalog_;
  const auth::Authenticator* authenticator_;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_HANDLER_H_
