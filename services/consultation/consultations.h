// The consultation service's domain (CON-1..CON-5, NAT-11): validation, authorization,
// the clocks and rules, on top of ConsultationRepository. No SQL, no gRPC beyond the
// generated messages. Every method takes the caller and a request and answers an
// absl::Status the handler converts once (libs/status).
//
// Roles: STAFF and HEAD write for their own unit; OFFICE and ADMIN for any unit;
// INSPECTOR and SUPERVISION read everything and write nothing; the public (anonymous)
// reads opened consultations, comments and statements and may comment and apply.
//
// Units (level for CON-1 scope, existence) come from the catalog's unit directory
// through UnitLookup; when the catalog cannot be reached, creating a consultation or a
// meeting plan answers UNAVAILABLE and everything else keeps working.
//
// Thread-safe. Its only mutable state is the short-lived cache of consultation windows
// that PostComment reads (guarded by a mutex; see window_cache_ttl).
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATIONS_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATIONS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/synchronization/mutex.h"

#include "absl/status/statusor.h"
#include "gongkai/consultation/v1/consultation.pb.h"
#include "libs/auth/principal.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "services/consultation/consultation_repository.h"

namespace gongkai::consultation {

// What the consultation service needs to know of a unit.
struct UnitFacts {
  int64_t id = 0;
  // "city", "county", "department", "township": the CON-1 scope rule of that level.
  std::string level;
};
// NOT_FOUND for an unknown unit; UNAVAILABLE when the directory cannot answer.
using UnitLookup = std::function<absl::StatusOr<UnitFacts>(int64_t unit_id)>;

class Consultations {
 public:
  // `window_cache_ttl`: how long PostComment may use a consultation's dates and unit
  // read earlier (0: read every time). The state is still computed from the clock on
  // every comment, so opening and closing are exact; only a change of the stored dates
  // (NAT-1 recomputation after a calendar change) is seen up to this much later.
  Consultations(ConsultationRepository* repository,
                std::shared_ptr<const calendar::WorkingDayCalendar> calendar,
                std::shared_ptr<const rules::RuleBook> rules, const Clock* clock, UnitLookup units,
                absl::Duration window_cache_ttl = absl::Seconds(1))
      : repository_(repository),
        calendar_(std::move(calendar)),
        rules_(std::move(rules)),
        clock_(clock),
        units_(std::move(units)),
        window_cache_ttl_(window_cache_ttl) {}

  absl::StatusOr<v1::Consultation> CreateConsultation(const auth::Principal& caller,
                                                      const v1::CreateConsultationRequest& r);
  absl::StatusOr<v1::Consultation> GetConsultation(const auth::Principal& caller,
                                                   const v1::GetConsultationRequest& r);
  absl::StatusOr<v1::ListConsultationsResponse> ListConsultations(
      const auth::Principal& caller, const v1::ListConsultationsRequest& r);
  absl::StatusOr<v1::Consultation> ConcludeConsultation(const auth::Principal& caller,
                                                        const v1::ConcludeConsultationRequest& r);
  absl::StatusOr<v1::ListMissingPreDisclosuresResponse> ListMissingPreDisclosures(
      const auth::Principal& caller, const v1::ListMissingPreDisclosuresRequest& r);

  // `client_address` identifies an anonymous commenter for the per-client limit and
  // for idempotency (the gateway's view of the client; never stored in clear).
  absl::StatusOr<v1::Comment> PostComment(const auth::Principal& caller,
                                          const v1::PostCommentRequest& r,
                                          const std::string& client_address);
  absl::StatusOr<v1::ListCommentsResponse> ListComments(const auth::Principal& caller,
                                                        const v1::ListCommentsRequest& r);
  absl::StatusOr<v1::ListCommentsResponse> SearchComments(const auth::Principal& caller,
                                                          const v1::SearchCommentsRequest& r);
  absl::StatusOr<v1::Comment> ReportComment(const auth::Principal& caller,
                                            const v1::ReportCommentRequest& r);
  absl::StatusOr<v1::Comment> ModerateComment(const auth::Principal& caller,
                                              const v1::ModerateCommentRequest& r);
  // CON-3: staff move a wrongly grouped comment into a group of its own.
  absl::StatusOr<v1::Comment> UngroupComment(const auth::Principal& caller,
                                             const v1::UngroupCommentRequest& r);
  absl::StatusOr<v1::ListCommentGroupsResponse> ListCommentGroups(
      const auth::Principal& caller, const v1::ListCommentGroupsRequest& r);

  absl::StatusOr<v1::CommentGroup> DecideCommentGroup(const auth::Principal& caller,
                                                      const v1::DecideCommentGroupRequest& r);
  absl::StatusOr<v1::FeedbackStatement> PublishFeedbackStatement(
      const auth::Principal& caller, const v1::PublishFeedbackStatementRequest& r);
  absl::StatusOr<v1::FeedbackStatement> GetFeedbackStatement(
      const auth::Principal& caller, const v1::GetFeedbackStatementRequest& r);

  absl::StatusOr<v1::Hearing> CreateHearing(const auth::Principal& caller,
                                            const v1::CreateHearingRequest& r);
  absl::StatusOr<v1::Hearing> GetHearing(const auth::Principal& caller,
                                         const v1::GetHearingRequest& r);
  absl::StatusOr<v1::Application> Apply(const auth::Principal& caller, const v1::ApplyRequest& r);
  absl::StatusOr<v1::ListApplicationsResponse> ListApplications(
      const auth::Principal& caller, const v1::ListApplicationsRequest& r);
  absl::StatusOr<v1::ListApplicationsResponse> SelectApplicants(
      const auth::Principal& caller, const v1::SelectApplicantsRequest& r);
  absl::StatusOr<v1::ListApplicationsResponse> RecordAttendance(
      const auth::Principal& caller, const v1::RecordAttendanceRequest& r);
  absl::StatusOr<v1::Hearing> RecordHearingMinutes(const auth::Principal& caller,
                                                   const v1::RecordHearingMinutesRequest& r);

  absl::StatusOr<v1::MeetingPlan> CreateMeetingPlan(const auth::Principal& caller,
                                                    const v1::CreateMeetingPlanRequest& r);
  absl::StatusOr<v1::MeetingPlan> GetMeetingPlan(const auth::Principal& caller,
                                                 const v1::GetMeetingPlanRequest& r);
  absl::StatusOr<v1::MeetingPlan> AttachFeedbackStatement(
      const auth::Principal& caller, const v1::AttachFeedbackStatementRequest& r);

  // CON-1/CON-2 for the evidence and the gauges: meeting plans of `unit_id` (0: all)
  // deciding a matter that requires consultation without one held, up to `limit`, each
  // with its reason. Meetings of units the directory cannot resolve are skipped.
  absl::StatusOr<std::vector<v1::MissingPreDisclosure>> MissingPreDisclosures(int64_t unit_id,
                                                                              int limit);

  // NAT-1: after a calendar year was loaded or replaced, the closing day of every
  // consultation that has not closed yet is computed again from its start and length
  // on the current calendar (the explanation with it). Returns how many changed; a
  // period reaching a year that is not loaded keeps its date.
  absl::StatusOr<int> RecomputeClosingDays(const std::function<bool()>& stopping);

  // Indexes comments stored before the search index existed, up to `limit` a call;
  // returns how many (0: done).
  absl::StatusOr<int> BackfillCommentTerms(int limit) {
    return repository_->BackfillCommentTerms(limit);
  }

  ConsultationRepository* repository() { return repository_; }

 private:
  // A recomputed closing day and its explanation (PendingClosingDay() when pending).
  struct StoredPeriod {
    absl::CivilDay closes_on;
    common::v1::DeadlineExplanation explanation;
  };
  // What RecomputeClosingDays would store for `c`: nothing when its period is current (or
  // still pending); the computed day; or pending when a replaced year moved its last day
  // into a year not loaded (NAT-1).
  absl::StatusOr<std::optional<StoredPeriod>> RecomputedPeriod(const v1::Consultation& c) const;
  absl::StatusOr<v1::Consultation> LoadConsultation(int64_t id);
  // LoadConsultation without the draft and basis, from the window cache when fresh.
  absl::StatusOr<v1::Consultation> LoadWindow(int64_t id);
  absl::StatusOr<v1::Consultation> WithCounts(v1::Consultation consultation);
  // Scans deciding meetings after `after_id`; stops when `limit` are found or the
  // scan reached `scan_budget` rows. Sets `last_scanned` to resume.
  absl::StatusOr<std::vector<v1::MissingPreDisclosure>> ScanMissing(int64_t unit_id,
                                                                    int64_t after_id, int limit,
                                                                    int64_t& last_scanned,
                                                                    bool& exhausted);
  absl::StatusOr<v1::Application> CheckApplicationTarget(v1::ApplicationTarget target,
                                                         int64_t target_id, bool for_staff,
                                                         const auth::Principal& caller);
  absl::StatusOr<v1::ListApplicationsResponse> MarkApplications(
      const auth::Principal& caller, v1::ApplicationTarget target, int64_t target_id,
      const google::protobuf::RepeatedField<int64_t>& ids, bool attendance);
  v1::Comment ForCaller(const auth::Principal& caller, int64_t unit_id, v1::Comment comment) const;
  absl::CivilDay Today() const;

  ConsultationRepository* repository_;
  std::shared_ptr<const calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<const rules::RuleBook> rules_;
  const Clock* clock_;
  UnitLookup units_;
  const absl::Duration window_cache_ttl_;
  struct CachedWindow {
    v1::Consultation consultation;  // Without draft and basis; state not set.
    absl::Time read_at;
  };
  absl::Mutex window_mutex_;
  std::unordered_map<int64_t, CachedWindow> windows_ ABSL_GUARDED_BY(window_mutex_);
};

// "city" for UNIT_LEVEL_CITY etc. of the catalog's unit levels (the numbers of
// gongkai.catalog.v1.UnitLevel); "" for anything else.
std::string UnitLevelCode(int catalog_unit_level);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATIONS_H_
