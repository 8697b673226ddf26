// gMock double of CatalogRepository for unit tests of the domain rules.
#ifndef GONGKAI_SERVICES_CATALOG_MOCK_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_MOCK_REPOSITORY_H_

#include "gmock/gmock.h"
#include "services/catalog/repository.h"

namespace gongkai::catalog {

class MockCatalogRepository : public CatalogRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Unit>, CreateUnit, (const v1::Unit&, const IdempotencyKey*),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Unit>, GetUnit, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Unit>>, ListUnits,
              (const UnitFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, CreateDocument,
              (const v1::Document&, const AuditRecord&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, GetDocument, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, UpdateDocument,
              (const v1::Document&, int64_t, const AuditRecord&,
               const std::optional<std::vector<std::string>>&),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, ListDocuments,
              (const DocumentFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, SearchPublished,
              (const std::vector<std::string>&, const DocumentFilter&, const KeysetPage&),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<gongkai::common::v1::AuditEntry>>, ListAudit,
              (int64_t, const KeysetPage&), (override));
  MOCK_METHOD((absl::StatusOr<std::map<v1::DocumentState, int64_t>>), CountDocumentsByState, (),
              (override));
  MOCK_METHOD(absl::StatusOr<int64_t>, CountOverdue, (absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<v1::Category>, CreateCategory,
              (const v1::Category&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Category>, GetCategory, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Category>>, ListCategories, (), (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, CreateCatalogItem,
              (const v1::CatalogItem&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, UpdateCatalogItem, (const v1::CatalogItem&, int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::CatalogItem>, GetCatalogItem, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::CatalogItem>>, ListCatalogItems,
              (const CatalogItemFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::CatalogItem>>, ListCatalogItemRevisions, (int64_t),
              (override));
  MOCK_METHOD(absl::Status, SaveCalendarYear,
              (const StoredCalendarYear&, const std::string&, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<StoredCalendarYear>>, ListStoredCalendarYears, (),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, ListUndisclosedDocuments, (int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, CreateSelfReview,
              (const v1::SelfReview&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, GetSelfReview, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, DecideSelfReviewEntry,
              (int64_t, const v1::SelfReviewEntry&, const std::optional<DocumentChange>&),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SelfReview>, CompleteSelfReview, (int64_t, absl::Time),
              (override));
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_MOCK_REPOSITORY_H_
