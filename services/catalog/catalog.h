// The catalog service's domain rules: units, documents and their disclosure
// attribute, publication deadlines, the disclosure catalog and the annual self-review
// (CAT-1 to CAT-7, NAT-1 to NAT-4).
//
// Pure C++ over the repository interface: no gRPC, no SQL. The gRPC handler
// (catalog_handler.h) authenticates the caller and passes the principal in; every
// method here validates its input (INVALID_ARGUMENT naming each bad field, nothing
// written), checks the caller's right with the one rule table in catalog.cc, applies
// the state rules, and writes through the repository in one transaction.
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/status/errors.h"
#include "services/catalog/release_gate.h"
#include "services/catalog/repository.h"

namespace gongkai::catalog {

// Told about business events, for metrics. Implementations must be thread-safe.
class CatalogObserver {
 public:
  virtual ~CatalogObserver() = default;
  // A submission returned (退文); `cause_kind` is low-cardinality: "missing_attribute",
  // "missing_reason", "review_failed", "office_returned".
  virtual void DocumentReturned(absl::string_view cause_kind) = 0;
  virtual void DocumentPublished() = 0;
  virtual void SelfReviewConversion() = 0;
};

class Catalog {
 public:
  // All pointers must outlive the Catalog. `observer` may be null.
  Catalog(CatalogRepository* repository, std::shared_ptr<calendar::WorkingDayCalendar> calendar,
          const Clock* clock, ReleaseGate* release_gate, CatalogObserver* observer);

  absl::StatusOr<v1::Unit> CreateUnit(const auth::Principal& caller,
                                      const v1::CreateUnitRequest& request);
  absl::StatusOr<v1::Unit> GetUnit(const auth::Principal& caller,
                                   const v1::GetUnitRequest& request);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const auth::Principal& caller,
                                                  const v1::ListUnitsRequest& request);

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

  absl::StatusOr<v1::Category> CreateCategory(const auth::Principal& caller,
                                              const v1::CreateCategoryRequest& request);
  absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
      const auth::Principal& caller, const v1::ListCategoriesRequest& request);
  absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const auth::Principal& caller,
                                                    const v1::CreateCatalogItemRequest& request);
  absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const auth::Principal& caller,
                                                    const v1::UpdateCatalogItemRequest& request);
  absl::StatusOr<v1::CatalogItem> GetCatalogItem(const auth::Principal& caller,
                                                 const v1::GetCatalogItemRequest& request);
  absl::StatusOr<v1::ListCatalogItemsResponse> ListCatalogItems(
      const auth::Principal& caller, const v1::ListCatalogItemsRequest& request);
  absl::StatusOr<v1::ListCatalogItemRevisionsResponse> ListCatalogItemRevisions(
      const auth::Principal& caller, const v1::ListCatalogItemRevisionsRequest& request);

  absl::StatusOr<v1::ListCalendarYearsResponse> ListCalendarYears(
      const auth::Principal& caller, const v1::ListCalendarYearsRequest& request);
  absl::StatusOr<v1::CalendarYear> PutCalendarYear(const auth::Principal& caller,
                                                   const v1::PutCalendarYearRequest& request);
  // Applies the calendars stored in the database (loaded at run time, possibly by
  // another replica) over the built-in ones; returns how many years changed. Called at
  // start and periodically.
  absl::StatusOr<int> SyncCalendarsFromStore();

  absl::StatusOr<v1::SelfReview> StartSelfReview(const auth::Principal& caller,
                                                 const v1::StartSelfReviewRequest& request);
  absl::StatusOr<v1::SelfReview> GetSelfReview(const auth::Principal& caller,
                                               const v1::GetSelfReviewRequest& request);
  absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      const auth::Principal& caller, const v1::DecideSelfReviewEntryRequest& request);
  absl::StatusOr<v1::SelfReview> CompleteSelfReview(const auth::Principal& caller,
                                                    const v1::CompleteSelfReviewRequest& request);

  // CAT-3: the publication deadline of a PROACTIVE document, 20 working days (or the
  // document's shorter legal limit) after `from`. FAILED_PRECONDITION when the calendar
  // for a year the period touches is not loaded (never a guess, NAT-1).
  absl::StatusOr<calendar::Deadline> PublicationDeadline(const v1::Document& document,
                                                         absl::CivilDay from) const;

  // Recomputes the stored deadline of every unpublished PROACTIVE document whose
  // deadline is pending or was computed on calendar data since replaced (NAT-1).
  // Returns how many documents changed; stops early (CANCELLED) once `cancelled`
  // returns true. Long: run it in the background.
  absl::StatusOr<int> RecomputeStaleDeadlines(const std::function<bool()>& cancelled);

  // True once after PutCalendarYear changed a calendar on this replica: the caller's
  // background loop then runs RecomputeStaleDeadlines.
  bool TakeRecomputeRequest() { return recompute_requested_.exchange(false); }

  // CAT-7 with CAT-8: where a self-review's "most requested" list comes from (the
  // disclosure requests, services/catalog/requests/); called with the review's unit and
  // year each time a review is returned. Unset: the list stays empty. Call before
  // serving; not thread-safe against concurrent self-review calls.
  using MostRequestedSource =
      std::function<absl::StatusOr<std::vector<v1::MostRequestedInformation>>(int64_t unit_id,
                                                                              int year)>;
  void SetMostRequestedSource(MostRequestedSource source) { most_requested_ = std::move(source); }

 private:
  // Fills publication_deadline / overdue on a PROACTIVE document; clears them otherwise.
  // A period the loaded calendars do not cover keeps only its start and length (no due
  // date; completed when the calendar is loaded) rather than failing the write.
  absl::Status ApplyPublicationClock(v1::Document& document, absl::CivilDay from) const;
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
  // Loads or replaces one year; false when that exact version is already loaded.
  absl::StatusOr<bool> ApplyCalendarYear(const calendar::YearCalendar& year);
  // CAT-7: fills review.most_requested from most_requested_ (when set).
  absl::Status AttachMostRequested(v1::SelfReview& review) const;

  CatalogRepository* repository_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  const Clock* clock_;
  ReleaseGate* release_gate_;
  CatalogObserver* observer_;
  std::atomic<bool> recompute_requested_{false};
  MostRequestedSource most_requested_;  // CAT-7: see SetMostRequestedSource.
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_H_
