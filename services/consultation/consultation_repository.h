// Storage of the consultation service (migrations/0001_initial.sql): the domain
// (consultations.h) talks to this interface only; mysql_consultation_repository.cc is
// the MySQL implementation. Lists return up to `limit` rows after a keyset position.
//
// Errors: NOT_FOUND for a missing id; ABORTED (db::StaleVersionError) when a `version`
// given is not the stored one; ALREADY_EXISTS from InsertIdempotencyRecord replays.
// Thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_CONSULTATION_REPOSITORY_H_
#define GONGKAI_SERVICES_CONSULTATION_CONSULTATION_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/consultation/v1/consultation.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/idempotency/idempotency.h"
#include "libs/outbox/outbox.h"

namespace gongkai::consultation {

struct ConsultationFilter {
  int64_t unit_id = 0;  // 0: any.
  // Only consultations opened by this day (the public's view).
  std::optional<absl::CivilDay> opened_by;
  // By state on `today`: SCHEDULED, OPEN, CLOSED (not concluded), CONCLUDED.
  v1::ConsultationState state = v1::CONSULTATION_STATE_UNSPECIFIED;
  absl::CivilDay today;
};

struct CommentCounts {
  int64_t total = 0;
  int64_t undecided = 0;  // Members of groups without a decision.
};

// A comment to store: the grouping and the per-client limit happen in the same
// transaction (CON-3); its search terms are written later by the indexer
// (comment_indexer.h).
struct NewComment {
  v1::Comment comment;     // consultation_id, text, name, contact, show_name.
  std::string client_key;  // Hex SHA-256.
  absl::CivilDay day;
  uint64_t fingerprint = 0;
  int max_distance_bits = 0;
  // The client's comments on `day` may not reach this many (checked in the
  // transaction); `limit_rule` explains the number in the RESOURCE_EXHAUSTED message.
  int64_t per_client_limit = 0;
  std::string limit_rule;
};

// A comment whose search terms are not written yet (comment_indexer.h).
struct UnindexedComment {
  int64_t id = 0;
  int64_t consultation_id = 0;
  std::string text;
};
// Its libs/search terms, to be stored.
struct IndexedComment {
  int64_t id = 0;
  int64_t consultation_id = 0;
  std::vector<std::string> terms;
};

struct GroupDecision {
  int64_t group_id = 0;
  int64_t version = 0;
  v1::FeedbackDecision decision = v1::FEEDBACK_DECISION_UNSPECIFIED;
  std::string reason;
  std::string decided_by;
};

// Counts for the compliance evidence of one unit and period (items 7, 8, 12).
struct EvidenceCounts {
  std::vector<int64_t> consultations;               // Opened in the period.
  std::vector<int64_t> consultations_short_period;  // With a shortening reason.
  std::vector<int64_t> consultations_concluded;     // Closed in the period and concluded.
  std::vector<int64_t> consultations_unconcluded;   // Closed in the period, not concluded.
  std::vector<int64_t> consultations_without_statement;
  int64_t comments = 0;
  int64_t comments_decided = 0;
  std::vector<int64_t> hearings;                    // Held in the period.
  std::vector<int64_t> hearings_without_minutes;    // Held before today, no minutes.
  std::vector<int64_t> meetings;                    // Held in the period.
  std::vector<int64_t> livelihood_meetings;         // Major livelihood topics.
  std::vector<int64_t> livelihood_meetings_closed;  // ... neither public nor inviting.
  std::vector<int64_t> meetings_with_attendees;     // Someone recorded as attended.
};

class ConsultationRepository {
 public:
  virtual ~ConsultationRepository() = default;

  // ---- Consultations ----
  virtual absl::StatusOr<v1::Consultation> CreateConsultation(v1::Consultation consultation,
                                                              const idempotency::Key* key,
                                                              absl::Time now) = 0;
  // The stored fields (no state or counts).
  virtual absl::StatusOr<v1::Consultation> GetConsultation(int64_t id) = 0;
  // Newest first: ids below `before_id` (0: from the newest).
  virtual absl::StatusOr<std::vector<v1::Consultation>> ListConsultations(
      const ConsultationFilter& filter, int64_t before_id, int limit) = 0;
  virtual absl::StatusOr<CommentCounts> CountComments(int64_t consultation_id) = 0;
  // Unconcluded consultations whose closes_on is `from` or later, in id order after
  // `after_id` (NAT-1: their periods follow a replaced calendar year), pending ones (no
  // closes_on, stored as PendingClosingDay()) included.
  virtual absl::StatusOr<std::vector<v1::Consultation>> ListClosingFrom(absl::CivilDay from,
                                                                        int64_t after_id,
                                                                        int limit) = 0;
  virtual absl::Status UpdatePeriod(int64_t id, absl::CivilDay closes_on,
                                    const common::v1::DeadlineExplanation& explanation) = 0;
  // Sets concluded when `version` matches and nothing is undecided (checked in the
  // same transaction); FAILED_PRECONDITION naming the count otherwise.
  virtual absl::StatusOr<v1::Consultation> Conclude(int64_t id, int64_t version,
                                                    absl::Time now) = 0;

  // ---- Comments ----
  // Stores the comment in its group (an identical or the nearest near-identical
  // fingerprint's, else a new one) with the idempotency record, in one transaction,
  // waiting for its search terms (ClaimUnindexedComments). Returns it with its group's
  // size and decision. RESOURCE_EXHAUSTED (nothing written) when the client already
  // posted `per_client_limit` comments on `day`; ALREADY_EXISTS when the key is taken.
  virtual absl::StatusOr<v1::Comment> PostComment(const NewComment& comment,
                                                  const idempotency::Key* key, absl::Time now) = 0;
  // With group_size, decision and reason of its group.
  virtual absl::StatusOr<v1::Comment> GetComment(int64_t id) = 0;
  // In id order after `after_id`; group_id 0: every group.
  virtual absl::StatusOr<std::vector<v1::Comment>> ListComments(int64_t consultation_id,
                                                                int64_t group_id, int64_t after_id,
                                                                int limit) = 0;
  // Comments holding every one of `terms` (libs/search; a single CJK character matches
  // as a term prefix), in id order after `after_id`.
  virtual absl::StatusOr<std::vector<v1::Comment>> SearchComments(
      int64_t consultation_id, const std::vector<std::string>& terms, int64_t after_id,
      int limit) = 0;
  // Claims up to `limit` comments waiting for their search terms, oldest first, as
  // `claim` until `now + lease`: comments claimed by another claim that has not expired
  // are left to it, an expired claim is taken over. Several replicas claim disjoint sets.
  virtual absl::StatusOr<std::vector<UnindexedComment>> ClaimUnindexedComments(
      const std::string& claim, absl::Time now, absl::Duration lease, int limit) = 0;
  // In one transaction: stores the terms of those comments of `batch` that `claim` still
  // holds and marks them indexed. Returns how many (fewer when a claim was taken over).
  virtual absl::StatusOr<int> StoreCommentTerms(const std::string& claim,
                                                const std::vector<IndexedComment>& batch) = 0;
  // Indexes up to `limit` comments stored before comment_terms existed (migration
  // 0011's range); returns how many (0 when done).
  virtual absl::StatusOr<int> BackfillCommentTerms(int limit) = 0;
  // CON-3: moves comment `id` out of its group into a new group of its own (undecided)
  // when `group_version` is its group's version (ABORTED otherwise), in one transaction:
  // the old group counts one member fewer (its representative becomes its first
  // remaining member if it was this comment) and the comment's fingerprint, when it
  // maps to the old group, maps to the new one. FAILED_PRECONDITION for a group of one.
  virtual absl::StatusOr<v1::Comment> UngroupComment(int64_t id, int64_t group_version,
                                                     uint64_t fingerprint) = 0;
  virtual absl::StatusOr<v1::Comment> ReportComment(int64_t id) = 0;
  virtual absl::StatusOr<v1::Comment> SetVisibility(int64_t id, v1::Visibility visibility,
                                                    v1::HideReason reason) = 0;

  // ---- Groups and feedback ----
  virtual absl::StatusOr<v1::CommentGroup> GetGroup(int64_t id) = 0;
  // In id order after `after_id`, groups of at least `min_members`.
  virtual absl::StatusOr<std::vector<v1::CommentGroup>> ListGroups(int64_t consultation_id,
                                                                   int64_t min_members,
                                                                   int64_t after_id, int limit) = 0;
  virtual absl::StatusOr<v1::CommentGroup> DecideGroup(const GroupDecision& decision) = 0;
  // The names of a group's members who allowed them to be shown (up to `limit`).
  virtual absl::StatusOr<std::vector<std::string>> ShownNames(int64_t group_id, int limit) = 0;
  // ALREADY_EXISTS when a statement is already published.
  virtual absl::Status PublishStatement(const v1::FeedbackStatement& statement, absl::Time now) = 0;
  virtual absl::StatusOr<std::optional<v1::FeedbackStatement>> GetStatement(
      int64_t consultation_id) = 0;

  // ---- Hearings, meetings, applications ----
  virtual absl::StatusOr<v1::Hearing> CreateHearing(v1::Hearing hearing,
                                                    const idempotency::Key* key,
                                                    absl::Time now) = 0;
  virtual absl::StatusOr<v1::Hearing> GetHearing(int64_t id) = 0;
  virtual absl::StatusOr<v1::Hearing> RecordMinutes(int64_t id, int64_t version,
                                                    const std::string& minutes) = 0;
  virtual absl::StatusOr<v1::MeetingPlan> CreateMeeting(v1::MeetingPlan meeting,
                                                        const idempotency::Key* key,
                                                        absl::Time now) = 0;
  virtual absl::StatusOr<v1::MeetingPlan> GetMeeting(int64_t id) = 0;
  // Attaches `s` when `version` matches (ABORTED otherwise) and enqueues `delivery` (the
  // statement for the catalog, CON-3) in the same transaction (libs/outbox).
  virtual absl::StatusOr<v1::MeetingPlan> AttachStatement(int64_t id, int64_t version,
                                                          int64_t consultation_id,
                                                          const v1::FeedbackStatement& s,
                                                          const outbox::OutboxEvent& delivery,
                                                          absl::Time now) = 0;
  // The catalog acknowledged the statement of `consultation_id` attached to meeting
  // `id` as its document `document_id` (kept only while that statement is attached).
  virtual absl::Status RecordStatementDocument(int64_t id, int64_t consultation_id,
                                               int64_t document_id) = 0;
  // Meetings deciding a matter (decides_category set) with no consultation closed
  // before the meeting day, in id order after `after_id`; unit_id 0: any unit.
  virtual absl::StatusOr<std::vector<v1::MeetingPlan>> ListDecisionsWithoutConsultation(
      int64_t unit_id, int64_t after_id, int limit) = 0;
  virtual absl::StatusOr<v1::Application> Apply(v1::Application application,
                                                const idempotency::Key* key, absl::Time now) = 0;
  virtual absl::StatusOr<std::vector<v1::Application>> ListApplications(
      v1::ApplicationTarget target, int64_t target_id, int64_t after_id, int limit) = 0;
  // Sets `selected` (or `attended`) on exactly the given applications of the target and
  // clears it on the others; INVALID_ARGUMENT when an id is not an application of it.
  virtual absl::Status MarkApplications(v1::ApplicationTarget target, int64_t target_id,
                                        const std::vector<int64_t>& ids, bool attendance) = 0;

  // ---- Evidence and metrics ----
  virtual absl::StatusOr<EvidenceCounts> Evidence(int64_t unit_id, absl::CivilDay start,
                                                  absl::CivilDay end, absl::CivilDay today) = 0;
  struct Gauges {
    int64_t open_consultations = 0;
    int64_t scheduled_consultations = 0;
    int64_t closed_unconcluded = 0;
    int64_t undecided_comments_closed = 0;  // In closed, unconcluded consultations.
    int64_t reported_visible_comments = 0;
    int64_t search_backlog = 0;   // Comments waiting for their search terms.
    int64_t pending_periods = 0;  // Unconcluded, last day waiting for a calendar (NAT-1).
    std::optional<absl::Time> oldest_unindexed;  // The oldest one's create_time.
  };
  virtual absl::StatusOr<Gauges> ReadGauges(absl::CivilDay today) = 0;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;
};

// `notifier` (may be null; not owned) is woken after a commit that enqueued an outbox
// event, so the relay delivers at once.
std::unique_ptr<ConsultationRepository> NewMysqlConsultationRepository(
    db::ConnectionPool* pool, outbox::Notifier* notifier = nullptr);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_CONSULTATION_REPOSITORY_H_
