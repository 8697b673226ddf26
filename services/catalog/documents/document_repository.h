// Storage of documents, their audit trail and their full-text index entries: the
// interface the documents rules (documents.h) depend on. mysql_document_repository.h
// implements it on MySQL (tables documents, document_audit, document_terms);
// caching_document_repository.h keeps final documents in memory; unit tests use
// MockDocumentRepository. Contracts: repository_types.h.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENT_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::documents {

// One line of a document's audit trail.
struct AuditRecord {
  std::string actor;
  std::string action;  // e.g. "create", "submit", "return", "review", "publish".
  v1::DocumentState old_state = v1::DOCUMENT_STATE_UNSPECIFIED;
  v1::DocumentState new_state = v1::DOCUMENT_STATE_UNSPECIFIED;
  std::string detail;
  absl::Time time;
};

struct DocumentFilter {
  int64_t drafting_unit_id = 0;
  int64_t category_id = 0;
  v1::KeyArea key_area = v1::KEY_AREA_UNSPECIFIED;
  v1::DisclosureAttribute attribute = v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED;
  v1::DocumentState state = v1::DOCUMENT_STATE_UNSPECIFIED;
  // Creation time in [created_from, created_before).
  std::optional<absl::Time> created_from;
  std::optional<absl::Time> created_before;
  // Only PROACTIVE, unpublished documents whose publication was due before this day.
  std::optional<absl::CivilDay> overdue_on;
  // Only documents not repealed (no repealed_on): in force today (NAT-10).
  bool in_force_only = false;
  bool omit_body = false;
};

// A document update computed by another module (a self-review's conversion to
// PROACTIVE, CAT-7), stored by that module's repository in its own transaction through
// mysql_document_repository.h's WriteDocumentConversion.
struct DocumentChange {
  v1::Document document;
  int64_t expected_version = 0;
  AuditRecord audit;
};

// The annual report's Table 2 input (NAT-10): published policy documents
// (is_policy_document) of a scope, for one year.
struct PolicyDocumentYearCounts {
  int64_t published_in_year = 0;      // publish_time in [start, next_start).
  int64_t published_by_year_end = 0;  // publish_time before next_start.
  int64_t repealed_in_year = 0;       // repealed_on in [first, last].
  // publish_time before next_start and not repealed on or before `last`.
  int64_t in_force_at_year_end = 0;
};

// One unit and period of the compliance evidence (ASM-6, services/catalog/evidence/).
struct DocumentEvidencePeriod {
  int64_t unit_id = 0;
  absl::CivilDay first;  // The period's days, both included (Asia/Shanghai).
  absl::CivilDay last;
  absl::Time start;  // first 00:00 Asia/Shanghai.
  absl::Time end;    // The day after `last`, 00:00 Asia/Shanghai (excluded).
  // The last day of the period that has passed (the earlier of `last` and yesterday)
  // and the end of that day: overdue counts look at the documents then. No overdue
  // count when overdue_by is before `first`.
  absl::CivilDay overdue_by;
  absl::Time overdue_checked_at;
  // The parts of DocumentEvidence wanted (each inspection item reads one); the others
  // stay empty and are not queried.
  bool procedures = true;         // drafted, returned_for_attribute, published_after_review.
  bool attributes = true;         // proactive .. without_attribute.
  bool publication_clock = true;  // published_on_time .. unpublished_without_due_date.
};

// The documents of one drafting unit behind inspection items 3, 4 and 5 (ASM-6).
// "Created" is create_time in [start, end); "published" publish_time in [start, end).
struct DocumentEvidence {
  IdSample drafted;                 // Created.
  IdSample returned_for_attribute;  // A submission returned (退文) in the period (CAT-2).
  IdSample published_after_review;  // Published with a passed review (CAT-4).
  IdSample proactive;               // Created, by current attribute (CAT-1).
  IdSample on_request;
  IdSample not_disclosed;
  IdSample without_attribute;  // Created and still without an attribute.
  // PROACTIVE, published, against the stored publication_due (CAT-3): on or before
  // the due day (Asia/Shanghai) / after it.
  IdSample published_on_time;
  IdSample published_late;
  // PROACTIVE, publication_due in [first, overdue_by], not published before
  // overdue_checked_at (CAT-3).
  IdSample overdue_unpublished;
  // PROACTIVE documents whose due date is pending (its year's calendar not loaded,
  // NAT-1): published in the period / unpublished and created before `end`.
  int64_t published_without_due_date = 0;
  int64_t unpublished_without_due_date = 0;
};

// A message for another service, written to the outbox (libs/outbox) in the same
// transaction as the change that causes it, and delivered by the catalog's relay
// (INT-3: a policy document's publication releases its interpretation).
struct OutboxMessage {
  std::string topic;        // e.g. "document.published"; selects the relay's handler.
  std::string destination;  // The receiving service, e.g. "interpretation".
  std::string event_key;    // Unique per event; the receiver's request id.
  std::string ordering_key;
  std::string payload;  // A serialized request of the receiver.
};

class DocumentRepository : public IdempotencyStore {
 public:
  // Stores a new document (id, create/update times and version 1 are assigned here
  // from `audit.time`) with its audit entry and idempotency record.
  virtual absl::StatusOr<v1::Document> CreateDocument(const v1::Document& document,
                                                      const AuditRecord& audit,
                                                      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Document> GetDocument(int64_t id) = 0;
  // Replaces the stored document if its version is still `expected_version`; the
  // stored version becomes expected_version + 1 and update_time `audit.time`.
  // `search_terms`, when given, replaces the document's full-text index entries
  // (empty vector: remove it from the index).
  virtual absl::StatusOr<v1::Document> UpdateDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::optional<std::vector<std::string>>& search_terms) = 0;
  // A publication: UpdateDocument with `search_terms` as the document's index entries
  // and, when given, `message` added to the outbox in the same transaction (both or
  // neither are stored, INT-3).
  virtual absl::StatusOr<v1::Document> PublishDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::vector<std::string>& search_terms,
      const std::optional<OutboxMessage>& message) = 0;
  virtual absl::StatusOr<std::vector<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                                  const KeysetPage& page) = 0;
  // Published documents whose index holds every one of `terms` (AND), newest first,
  // restricted by the filter's unit and key area.
  virtual absl::StatusOr<std::vector<v1::Document>> SearchPublished(
      const std::vector<std::string>& terms, const DocumentFilter& filter,
      const KeysetPage& page) = 0;
  virtual absl::StatusOr<std::vector<gongkai::common::v1::AuditEntry>> ListAudit(
      int64_t document_id, const KeysetPage& page) = 0;
  // Adds `audit` to the document's audit trail unless an entry with the same action
  // and detail is there already (a redelivered event); true when added.
  virtual absl::StatusOr<bool> AppendAuditOnce(int64_t document_id, const AuditRecord& audit) = 0;
  // Up to `limit` approved ON_REQUEST and NOT_DISCLOSED documents of a unit with id >
  // `after_id`, oldest first, without bodies (what a self-review lists, CAT-7; read in
  // keyset batches, issue 16 defect 7).
  virtual absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id,
                                                                             int64_t after_id,
                                                                             int limit) = 0;

  // The annual report's policy-document counts (services/catalog/annual_report/) of
  // drafting unit `unit_id` (0: every unit) for the year that starts at `start` (Jan 1,
  // Asia/Shanghai; days [first, last]) and ends before `next_start`.
  virtual absl::StatusOr<PolicyDocumentYearCounts> CountPolicyDocumentsForYear(
      int64_t unit_id, absl::Time start, absl::Time next_start, absl::CivilDay first,
      absl::CivilDay last) = 0;

  // The compliance evidence of one drafting unit and period (ASM-6 items 3, 4, 5):
  // per unit, each a COUNT and at most kMaxEvidenceIds ids.
  virtual absl::StatusOr<DocumentEvidence> EvidenceForUnit(
      const DocumentEvidencePeriod& period) = 0;

  // Counts for the business metrics.
  virtual absl::StatusOr<std::map<v1::DocumentState, int64_t>> CountDocumentsByState() = 0;
  virtual absl::StatusOr<int64_t> CountOverdue(absl::CivilDay today) = 0;
};

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENT_REPOSITORY_H_
