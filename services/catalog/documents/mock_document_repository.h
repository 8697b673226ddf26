// gMock double of DocumentRepository for unit tests of the documents rules and of the
// modules that read documents through them (self_review/).
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_MOCK_DOCUMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_MOCK_DOCUMENT_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/catalog/documents/document_repository.h"

namespace gongkai::catalog::documents {

class MockDocumentRepository : public DocumentRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, CreateDocument,
              (const v1::Document&, const AuditRecord&, const IdempotencyKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, GetDocument, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, UpdateDocument,
              (const v1::Document&, int64_t, const AuditRecord&,
               const std::optional<std::vector<std::string>>&),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Document>, PublishDocument,
              (const v1::Document&, int64_t, const AuditRecord&, const std::vector<std::string>&,
               const std::optional<OutboxMessage>&),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, ListDocuments,
              (const DocumentFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, SearchPublished,
              (const std::vector<std::string>&, const DocumentFilter&, const KeysetPage&),
              (override));
  MOCK_METHOD(absl::StatusOr<bool>, AppendAuditOnce,
              (int64_t document_id, const AuditRecord& audit), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<gongkai::common::v1::AuditEntry>>, ListAudit,
              (int64_t, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Document>>, ListUndisclosedDocuments,
              (int64_t, int64_t, int), (override));
  MOCK_METHOD((absl::StatusOr<std::map<v1::DocumentState, int64_t>>), CountDocumentsByState, (),
              (override));
  MOCK_METHOD(absl::StatusOr<int64_t>, CountOverdue, (absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<DocumentEvidence>, EvidenceForUnit, (const DocumentEvidencePeriod&),
              (override));
  MOCK_METHOD(absl::StatusOr<PolicyDocumentYearCounts>, CountPolicyDocumentsForYear,
              (int64_t, absl::Time, absl::Time, absl::CivilDay, absl::CivilDay), (override));
};

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_MOCK_DOCUMENT_REPOSITORY_H_
