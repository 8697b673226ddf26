// The test double of ConsultationRepository (gMock), for unit tests of the domain
// (consultations.h) without a database.
#ifndef GONGKAI_SERVICES_CONSULTATION_MOCK_CONSULTATION_REPOSITORY_H_
#define GONGKAI_SERVICES_CONSULTATION_MOCK_CONSULTATION_REPOSITORY_H_

#include <gmock/gmock.h>

#include "services/consultation/consultation_repository.h"

namespace gongkai::consultation {

class MockConsultationRepository : public ConsultationRepository {
 public:
  MOCK_METHOD(absl::StatusOr<v1::Consultation>, CreateConsultation,
              (v1::Consultation, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::Consultation>, GetConsultation, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Consultation>>, ListConsultations,
              (const ConsultationFilter&, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<CommentCounts>, CountComments, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Consultation>>, ListClosingFrom,
              (absl::CivilDay, int64_t, int), (override));
  MOCK_METHOD(absl::Status, UpdatePeriod,
              (int64_t, absl::CivilDay, const common::v1::DeadlineExplanation&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Consultation>, Conclude, (int64_t, int64_t, absl::Time),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Comment>, PostComment,
              (const NewComment&, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::Comment>, GetComment, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Comment>>, ListComments,
              (int64_t, int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Comment>>, SearchComments,
              (int64_t, const std::vector<std::string>&, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<UnindexedComment>>, ClaimUnindexedComments,
              (const std::string&, absl::Time, absl::Duration, int), (override));
  MOCK_METHOD(absl::StatusOr<int>, StoreCommentTerms,
              (const std::string&, const std::vector<IndexedComment>&), (override));
  MOCK_METHOD(absl::StatusOr<int>, BackfillCommentTerms, (int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Comment>, UngroupComment, (int64_t, int64_t, uint64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Comment>, ReportComment, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::Comment>, SetVisibility, (int64_t, v1::Visibility, v1::HideReason),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::CommentGroup>, GetGroup, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::CommentGroup>>, ListGroups,
              (int64_t, int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::CommentGroup>, DecideGroup, (const GroupDecision&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<std::string>>, ShownNames, (int64_t, int), (override));
  MOCK_METHOD(absl::Status, PublishStatement, (const v1::FeedbackStatement&, absl::Time),
              (override));
  MOCK_METHOD(absl::StatusOr<std::optional<v1::FeedbackStatement>>, GetStatement, (int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Hearing>, CreateHearing,
              (v1::Hearing, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::Hearing>, GetHearing, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::Hearing>, RecordMinutes, (int64_t, int64_t, const std::string&),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::MeetingPlan>, CreateMeeting,
              (v1::MeetingPlan, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::MeetingPlan>, GetMeeting, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::MeetingPlan>, AttachStatement,
              (int64_t, int64_t, int64_t, const v1::FeedbackStatement&, const outbox::OutboxEvent&,
               absl::Time),
              (override));
  MOCK_METHOD(absl::Status, RecordStatementDocument, (int64_t, int64_t, int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::MeetingPlan>>, ListDecisionsWithoutConsultation,
              (int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Application>, Apply,
              (v1::Application, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Application>>, ListApplications,
              (v1::ApplicationTarget, int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::Status, MarkApplications,
              (v1::ApplicationTarget, int64_t, const std::vector<int64_t>&, bool), (override));
  MOCK_METHOD(absl::StatusOr<EvidenceCounts>, Evidence,
              (int64_t, absl::CivilDay, absl::CivilDay, absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<Gauges>, ReadGauges, (absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const idempotency::Key&), (override));
};

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_MOCK_CONSULTATION_REPOSITORY_H_
