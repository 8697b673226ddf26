// Storage of the catalog service: the interface the domain rules (catalog.h) depend on.
// mysql_repository.h implements it on MySQL; unit tests use a gMock mock.
//
// Contracts every implementation keeps:
// - Each mutating call is one transaction: the change, its audit entry and, for
//   creates, the idempotency record commit together or not at all.
// - Optimistic concurrency: updates name the version (or revision) they were computed
//   from; a mismatch is ABORTED and nothing is written.
// - NOT_FOUND names the missing resource; a duplicate unique key is ALREADY_EXISTS.
// - Lists are keyset-paginated by id, newest (largest id) first; `after_id` = 0 starts
//   at the top; at most `limit` rows come back.
// Thread-safe: called concurrently from gRPC worker threads.
#ifndef GONGKAI_SERVICES_CATALOG_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::catalog {

namespace v1 = ::gongkai::catalog::v1;

// Identifies one client-requested create: a retry with the same key returns the
// stored response instead of creating again (libs/idempotency).
using IdempotencyKey = idempotency::Key;

// One line of a document's audit trail.
struct AuditRecord {
  std::string actor;
  std::string action;  // e.g. "create", "submit", "return", "review", "publish".
  v1::DocumentState old_state = v1::DOCUMENT_STATE_UNSPECIFIED;
  v1::DocumentState new_state = v1::DOCUMENT_STATE_UNSPECIFIED;
  std::string detail;
  absl::Time time;
};

struct KeysetPage {
  int64_t after_id = 0;
  int limit = 20;
};

struct UnitFilter {
  int64_t parent_id = 0;  // 0: any.
  v1::UnitLevel level = v1::UNIT_LEVEL_UNSPECIFIED;
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

// The publication clock of a document (CAT-3), kept beside it so overdue documents can
// be found by an index and recomputed when a calendar changes (NAT-1).
struct PublicationClock {
  absl::CivilDay due;
  std::string calendar_versions;  // As recorded by the calendar, to detect staleness.
  v1::DocumentState state;
};

// A year calendar loaded at run time (NAT-1), as stored for every replica.
struct StoredCalendarYear {
  int year = 0;
  std::string version;
  std::string calendar_json;
};

struct CatalogItemFilter {
  int64_t category_id = 0;
  int64_t responsible_unit_id = 0;
};

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;

  // Idempotency: the stored serialized response for `key`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) = 0;

  // ---- Units ----
  virtual absl::StatusOr<v1::Unit> CreateUnit(const v1::Unit& unit, const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Unit> GetUnit(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::Unit>> ListUnits(const UnitFilter& filter,
                                                          const KeysetPage& page) = 0;

  // ---- Documents ----
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
  virtual absl::StatusOr<std::vector<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                                  const KeysetPage& page) = 0;
  // Published documents whose index holds every one of `terms` (AND), newest first,
  // restricted by the filter's unit and key area.
  virtual absl::StatusOr<std::vector<v1::Document>> SearchPublished(
      const std::vector<std::string>& terms, const DocumentFilter& filter,
      const KeysetPage& page) = 0;
  virtual absl::StatusOr<std::vector<gongkai::common::v1::AuditEntry>> ListAudit(
      int64_t document_id, const KeysetPage& page) = 0;

  // Counts for the business metrics.
  virtual absl::StatusOr<std::map<v1::DocumentState, int64_t>> CountDocumentsByState() = 0;
  virtual absl::StatusOr<int64_t> CountOverdue(absl::CivilDay today) = 0;

  // ---- Catalog ----
  virtual absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                                      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Category> GetCategory(int64_t id) = 0;
  // Parents before children.
  virtual absl::StatusOr<std::vector<v1::Category>> ListCategories() = 0;
  // Revision 1 of a new item; change fields are taken from `item`.
  virtual absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const v1::CatalogItem& item,
                                                            const IdempotencyKey* key) = 0;
  // Appends revision expected_revision + 1 if the current one is `expected_revision`.
  virtual absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const v1::CatalogItem& item,
                                                            int64_t expected_revision) = 0;
  virtual absl::StatusOr<v1::CatalogItem> GetCatalogItem(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItems(
      const CatalogItemFilter& filter, const KeysetPage& page) = 0;
  // Newest first.
  virtual absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItemRevisions(int64_t id) = 0;

  // ---- Calendars (NAT-1) ----
  // Inserts or replaces the stored calendar of `calendar.year`.
  virtual absl::Status SaveCalendarYear(const StoredCalendarYear& calendar,
                                        const std::string& actor, absl::Time when) = 0;
  virtual absl::StatusOr<std::vector<StoredCalendarYear>> ListStoredCalendarYears() = 0;

  // ---- Self-review (CAT-7) ----
  // Approved ON_REQUEST and NOT_DISCLOSED documents of a unit, oldest first.
  virtual absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id) = 0;
  // Stores a new review with its entries. ALREADY_EXISTS if the unit has one that year.
  virtual absl::StatusOr<v1::SelfReview> CreateSelfReview(const v1::SelfReview& review,
                                                          const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::SelfReview> GetSelfReview(int64_t id) = 0;
  // Records a decision on one entry; when `converted` is given, also stores that
  // document update (conversion to PROACTIVE, CAT-7) in the same transaction.
  struct DocumentChange {
    v1::Document document;
    int64_t expected_version;
    AuditRecord audit;
  };
  virtual absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      int64_t review_id, const v1::SelfReviewEntry& entry,
      const std::optional<DocumentChange>& converted) = 0;
  virtual absl::StatusOr<v1::SelfReview> CompleteSelfReview(int64_t review_id, absl::Time when) = 0;
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_REPOSITORY_H_
