// The documents module's rules: drafting, the disclosure attribute, submission and
// return (退文), the confidentiality review, publication and repeal, the publication
// deadline and its clock, listing and full-text search (CAT-1 to CAT-4, NAT-1, NAT-4,
// NAT-10).
//
// Pure C++ over DocumentRepository: no gRPC, no SQL. Units and categories are looked
// up through their modules' interfaces (units::UnitRepository,
// catalog_items::CatalogItemRepository), never their tables. The handler
// (catalog_handler.h) authenticates the caller and passes the principal in; every
// method validates its input (INVALID_ARGUMENT naming each bad field, nothing written),
// checks the caller's right with the one rule table (catalog_rules.h), applies the
// state rules, and writes through the repository in one transaction.
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENTS_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/documents/release_gate.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::documents {

// The outbox topic of a policy document's publication (INT-3), and its message: an
// interpretation.v1.ApplyPublicationRequest for the interpretation service, keyed
// "document-published/<id>". nullopt for documents that are not policy documents.
inline constexpr absl::string_view kDocumentPublishedTopic = "document.published";
std::optional<OutboxMessage> PublicationMessage(const v1::Document& document);

class Documents {
 public:
  // All pointers must outlive the Documents. `observer` may be null. `rules` holds the
  // catalog.publication rule set (CAT-3, catalog_rule_sets.h) and must not be null.
  Documents(DocumentRepository* repository, units::UnitRepository* units,
            catalog_items::CatalogItemRepository* categories,
            std::shared_ptr<calendar::WorkingDayCalendar> calendar,
            std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
            ReleaseGate* release_gate, CatalogObserver* observer);

  absl::StatusOr<v1::Document> CreateDocument(const auth::Principal& caller,
                                              const v1::CreateDocumentRequest& request);
  // The document `subject` created with CreateDocument and `request_id` (its first
  // response, as a retry would replay it), or nullopt when there is none. Not an RPC:
  // checks no right, so in-process callers (the annual report's publisher, which takes
  // over another user's interrupted publication) must have checked their own.
  absl::StatusOr<std::optional<v1::Document>> FindCreatedDocument(absl::string_view subject,
                                                                  absl::string_view request_id);
  absl::StatusOr<v1::Document> UpdateDocument(const auth::Principal& caller,
                                              const v1::UpdateDocumentRequest& request);
  absl::StatusOr<v1::Document> SubmitDocument(const auth::Principal& caller,
                                              const v1::SubmitDocumentRequest& request);
  absl::StatusOr<v1::Document> ReviewDocument(const auth::Principal& caller,
                                              const v1::ReviewDocumentRequest& request);
  absl::StatusOr<v1::Document> ReturnDocument(const auth::Principal& caller,
                                              const v1::ReturnDocumentRequest& request);
  absl::StatusOr<v1::Document> PublishDocument(const auth::Principal& caller,
                                               const v1::PublishDocumentRequest& request);
  // NAT-10: repeals (废止) a PUBLISHED policy document once; it stays PUBLISHED with
  // repealed_on set. INVALID_ARGUMENT naming each bad field (repealed_on missing, in the
  // future or before the publication day; reason; repealing_document); PERMISSION_DENIED
  // unless the caller may publish for the drafting unit; FAILED_PRECONDITION for a
  // document that is not PUBLISHED, not a policy document, or already repealed; ABORTED
  // for a stale expected_version. Nothing is written on any error.
  absl::StatusOr<v1::Document> RepealDocument(const auth::Principal& caller,
                                              const v1::RepealDocumentRequest& request);
  absl::StatusOr<v1::Document> GetDocument(const auth::Principal& caller,
                                           const v1::GetDocumentRequest& request);
  absl::StatusOr<v1::ListDocumentsResponse> ListDocuments(const auth::Principal& caller,
                                                          const v1::ListDocumentsRequest& request);
  absl::StatusOr<v1::SearchDocumentsResponse> SearchDocuments(
      const auth::Principal& caller, const v1::SearchDocumentsRequest& request);
  absl::StatusOr<v1::ListDocumentsResponse> ListOverdueDocuments(
      const auth::Principal& caller, const v1::ListOverdueDocumentsRequest& request);
  absl::StatusOr<v1::ListDocumentAuditResponse> ListDocumentAudit(
      const auth::Principal& caller, const v1::ListDocumentAuditRequest& request);
  // INT-3: an interpretation released after its published policy document, reported
  // by the interpretation service (its outbox): one audit entry on the document, once
  // per event_id. NOT_FOUND for an unknown document, FAILED_PRECONDITION for one that is
  // not a published policy document.
  absl::StatusOr<v1::RecordInterpretationReleaseResponse> RecordInterpretationRelease(
      const auth::Principal& caller, const v1::RecordInterpretationReleaseRequest& request);

  // CAT-3: the publication deadline of a PROACTIVE document, the working days of the
  // catalog.publication rule in effect on `from` (national: 20) or the document's shorter
  // legal limit, after `from`. FAILED_PRECONDITION when the calendar for a year the
  // period touches is not loaded (never a guess, NAT-1) or no rule version is in effect.
  absl::StatusOr<calendar::Deadline> PublicationDeadline(const v1::Document& document,
                                                         absl::CivilDay from) const;

  // Recomputes the stored deadline of every unpublished PROACTIVE document whose rule
  // (catalog.publication) version is no longer the one in effect on its start day, or
  // deadline is pending or was computed on calendar data since replaced (NAT-1).
  // Returns how many documents changed; stops early (CANCELLED) once `cancelled`
  // returns true. Long: run it in the background.
  absl::StatusOr<int> RecomputeStaleDeadlines(const std::function<bool()>& cancelled);

  // ---- For the self-review (self_review/, CAT-7): not RPCs, no right checked. ----
  // Up to `limit` approved ON_REQUEST and NOT_DISCLOSED documents of `unit_id` with id >
  // `after_id`, oldest first (a keyset batch, issue 16 defect 7).
  absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id,
                                                                     int64_t after_id, int limit);
  // The change that converts document `document_id` of unit `unit_id` to PROACTIVE: it
  // re-enters the confidentiality review, and NAT-4 counts its 20 working days from
  // `now`. FAILED_PRECONDITION unless the document is still APPROVED, ON_REQUEST or
  // NOT_DISCLOSED, and of that unit. The self-review stores the change with its
  // decision, in one transaction.
  absl::StatusOr<DocumentChange> PrepareConversionToProactive(const auth::Principal& caller,
                                                              int64_t document_id, int64_t unit_id,
                                                              absl::string_view detail,
                                                              absl::Time now);
  // The DRAFT `input` becomes when CreateDocument creates it at `now`, after the same
  // checks (field violations named `field_prefix` + the field, e.g.
  // "new_document.title"; the caller's right to draft for its unit), with its CAT-3
  // clock and a "create" audit line carrying `detail`. Not stored: the self-review stores
  // it with its decision (mysql_document_repository.h's InsertNewDocument), CAT-7.
  absl::StatusOr<DocumentChange> PrepareNewDocument(const auth::Principal& caller,
                                                    const v1::Document& input,
                                                    absl::string_view field_prefix,
                                                    absl::string_view detail, absl::Time now);

 private:
  // Fills publication_deadline / overdue on a PROACTIVE document; clears them otherwise.
  // A period the loaded calendars do not cover keeps only its start and length (no due
  // date; completed when the calendar is loaded) rather than failing the write.
  absl::Status ApplyPublicationClock(v1::Document& document, absl::CivilDay from) const;
  // The period's length in working days: the document's legal limit (no rule), else the
  // catalog.publication rule in effect on `from` (CAT-3).
  absl::StatusOr<std::pair<int, std::optional<rules::RuleRef>>> PublicationPeriod(
      const v1::Document& document, absl::CivilDay from) const;
  // Whether the stored clock's length and cited rule version are still what
  // PublicationPeriod gives (false after a rule change that affects it).
  bool PublicationPeriodIsCurrent(const v1::Document& document, absl::CivilDay from) const;
  // Sets the output-only `overdue` flag for the current day.
  void MarkOverdue(v1::Document& document) const;
  absl::StatusOr<v1::Document> LoadDocument(int64_t id);
  absl::StatusOr<v1::Document> Transition(const auth::Principal& caller, v1::Document document,
                                          v1::DocumentState new_state, absl::string_view action,
                                          absl::string_view detail,
                                          std::optional<std::vector<std::string>> search_terms);
  absl::Status ValidateReferences(const v1::Document& document, FieldViolations& violations,
                                  absl::string_view prefix);
  absl::CivilDay Today() const;
  // INT-3 through the release gate: nullopt when the document may go on, the cause to
  // return it with when its interpretation is not approved, UNAVAILABLE (or another
  // error) when the gate cannot decide.
  absl::StatusOr<std::optional<std::string>> InterpretationMissing(const v1::Document& document);

  DocumentRepository* repository_;
  units::UnitRepository* units_;
  catalog_items::CatalogItemRepository* categories_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  ReleaseGate* release_gate_;
  CatalogObserver* observer_;
};

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_DOCUMENTS_H_
