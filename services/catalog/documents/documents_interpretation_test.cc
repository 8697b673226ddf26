// Unit tests of the documents rules' half of INT-3: the release gate asked at
// submission, review and publication (a missing interpretation returns the document
// with its cause, like CAT-2; an unreachable interpretation service changes nothing),
// and the publication's outbox message written with the publication.
#include <memory>

#include "gmock/gmock.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "gtest/gtest.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/protoconv/protoconv.h"
#include "services/catalog/catalog_items/mock_catalog_item_repository.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/catalog_test_support.h"
#include "services/catalog/documents/documents.h"
#include "services/catalog/documents/interpretation_release_gate.h"
#include "services/catalog/documents/mock_document_repository.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::documents {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::SaveArg;

using catalog_testing::kUnit;
using catalog_testing::RecordingObserver;
using catalog_testing::Reviewer;
using catalog_testing::ShanghaiTime;
using catalog_testing::Staff;
using catalog_testing::ValidDraft;

// A gate that answers what the test says, and counts the questions.
class ScriptedGate final : public ReleaseGate {
 public:
  absl::Status CheckRelease(const v1::Document& document) override {
    ++calls;
    if (!NeedsInterpretationBeforeRelease(document)) return absl::OkStatus();
    return answer;
  }
  absl::Status answer = absl::OkStatus();
  int calls = 0;
};

class DocumentsInterpretationTest : public ::testing::Test {
 protected:
  DocumentsInterpretationTest() : clock_(ShanghaiTime(2024, 11, 4)) {
    calendar_ = *calendar::NewBuiltinCalendar();
    documents_ = std::make_unique<Documents>(&repo_, &units_, &categories_, calendar_, rules_,
                                             &clock_, &gate_, &observer_);
    v1::Unit unit;
    unit.set_id(kUnit);
    ON_CALL(units_, GetUnit(kUnit)).WillByDefault(Return(unit));
    ON_CALL(repo_, UpdateDocument(_, _, _, _))
        .WillByDefault(Invoke([this](const v1::Document& d, int64_t version, const AuditRecord& a,
                                     const std::optional<std::vector<std::string>>&) {
          ++writes_;
          last_audit_ = a;
          v1::Document out = d;
          out.set_version(version + 1);
          return absl::StatusOr<v1::Document>(out);
        }));
  }

  // A city-government policy document stored in `state`.
  v1::Document Stored(v1::DocumentState state, bool policy = true) {
    v1::Document d = ValidDraft();
    d.set_id(5);
    d.set_state(state);
    d.set_version(3);
    d.set_issuing_authority(v1::CITY_GOVERNMENT);
    d.set_is_policy_document(policy);
    d.set_created_by("staff-a");
    if (state == v1::APPROVED) d.set_review_outcome(v1::REVIEW_PASSED);
    *d.mutable_create_time() = ToTimestamp(ShanghaiTime(2024, 11, 1));
    ON_CALL(repo_, GetDocument(5)).WillByDefault(Return(d));
    return d;
  }

  static absl::Status NotReady() {
    return PreconditionFailed("INTERPRETATION", "documents/5",
                              "政策解读缺失：文件 5 没有解读方案和解读材料 (INT-3)");
  }

  NiceMock<MockDocumentRepository> repo_;
  NiceMock<units::MockUnitRepository> units_;
  NiceMock<catalog_items::MockCatalogItemRepository> categories_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<rules::RuleBook> rules_ = catalog_testing::NationalRuleBook();
  ScriptedGate gate_;
  RecordingObserver observer_;
  std::unique_ptr<Documents> documents_;
  int writes_ = 0;
  AuditRecord last_audit_;
};

TEST_F(DocumentsInterpretationTest, Int3SubmissionWithoutInterpretationIsReturnedWithCause) {
  Stored(v1::DRAFT);
  gate_.answer = NotReady();
  v1::SubmitDocumentRequest submit;
  submit.set_id(5);
  absl::StatusOr<v1::Document> returned = documents_->SubmitDocument(Staff(), submit);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::RETURNED);
  EXPECT_THAT(returned->return_cause(), HasSubstr("政策解读缺失"));
  EXPECT_EQ(last_audit_.action, "return");
  EXPECT_THAT(observer_.returned, ::testing::ElementsAre("interpretation_missing"));
}

TEST_F(DocumentsInterpretationTest, Int3SubmissionWithApprovedInterpretationGoesToReview) {
  Stored(v1::DRAFT);
  v1::SubmitDocumentRequest submit;
  submit.set_id(5);
  absl::StatusOr<v1::Document> submitted = documents_->SubmitDocument(Staff(), submit);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::PENDING_REVIEW);
  EXPECT_EQ(gate_.calls, 1);
}

TEST_F(DocumentsInterpretationTest, Int3UnreachableInterpretationServiceChangesNothing) {
  Stored(v1::DRAFT);
  gate_.answer = absl::UnavailableError("the interpretation service cannot be reached");
  v1::SubmitDocumentRequest submit;
  submit.set_id(5);
  EXPECT_EQ(documents_->SubmitDocument(Staff(), submit).status().code(),
            absl::StatusCode::kUnavailable);
  Stored(v1::PENDING_REVIEW);
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_PASSED);
  EXPECT_EQ(documents_->ReviewDocument(Reviewer(), review).status().code(),
            absl::StatusCode::kUnavailable);
  Stored(v1::APPROVED);
  EXPECT_CALL(repo_, PublishDocument(_, _, _, _, _)).Times(0);
  v1::PublishDocumentRequest publish;
  publish.set_id(5);
  EXPECT_EQ(documents_->PublishDocument(Staff(), publish).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(writes_, 0);
}

TEST_F(DocumentsInterpretationTest, Int3ReviewForPublicationWithoutInterpretationReturns) {
  Stored(v1::PENDING_REVIEW);
  gate_.answer = NotReady();
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_PASSED);
  absl::StatusOr<v1::Document> returned = documents_->ReviewDocument(Reviewer(), review);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::RETURNED);
  EXPECT_THAT(returned->return_cause(), HasSubstr("INT-3"));
}

TEST_F(DocumentsInterpretationTest, Int3PublicationWritesTheOutboxMessageWithIt) {
  Stored(v1::APPROVED);
  std::optional<OutboxMessage> message;
  v1::Document written;
  EXPECT_CALL(repo_, PublishDocument(_, 3, _, _, _))
      .WillOnce(
          DoAll(SaveArg<0>(&written), SaveArg<4>(&message),
                Invoke([](const v1::Document& d, int64_t, const AuditRecord&,
                          const std::vector<std::string>&, const std::optional<OutboxMessage>&) {
                  return absl::StatusOr<v1::Document>(d);
                })));
  v1::PublishDocumentRequest publish;
  publish.set_id(5);
  absl::StatusOr<v1::Document> published = documents_->PublishDocument(Staff(), publish);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(written.state(), v1::PUBLISHED);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->topic, "document.published");
  EXPECT_EQ(message->destination, "interpretation");
  EXPECT_EQ(message->event_key, "document-published/5");
  interpretation::v1::ApplyPublicationRequest request;
  ASSERT_TRUE(request.ParseFromString(message->payload));
  EXPECT_EQ(request.document_id(), 5);
  EXPECT_EQ(request.drafting_unit_id(), kUnit);
  // The same publication time as the document's (INT-3).
  EXPECT_EQ(FromTimestamp(request.publish_time()), FromTimestamp(written.publish_time()));
  EXPECT_EQ(FromTimestamp(request.publish_time()), clock_.Now());
  EXPECT_EQ(observer_.published, 1);
}

TEST_F(DocumentsInterpretationTest, DocumentsThatAreNotPolicyDocumentsSendNoMessage) {
  Stored(v1::APPROVED, /*policy=*/false);
  std::optional<OutboxMessage> message = OutboxMessage{};
  EXPECT_CALL(repo_, PublishDocument(_, _, _, _, _))
      .WillOnce(
          DoAll(SaveArg<4>(&message),
                Invoke([](const v1::Document& d, int64_t, const AuditRecord&,
                          const std::vector<std::string>&, const std::optional<OutboxMessage>&) {
                  return absl::StatusOr<v1::Document>(d);
                })));
  v1::PublishDocumentRequest publish;
  publish.set_id(5);
  ASSERT_TRUE(documents_->PublishDocument(Staff(), publish).ok());
  EXPECT_FALSE(message.has_value());
}

}  // namespace
}  // namespace gongkai::catalog::documents
