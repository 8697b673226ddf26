// Unit tests of the documents rules: mock repositories, the real working-day calendar
// and a fake clock. Test names cite the rule they check.
#include "services/catalog/documents/documents.h"

#include <memory>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_items/mock_catalog_item_repository.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/catalog_test_support.h"
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

using catalog_testing::kOtherUnit;
using catalog_testing::kUnit;
using catalog_testing::Office;
using catalog_testing::RecordingObserver;
using catalog_testing::Reviewer;
using catalog_testing::ShanghaiTime;
using catalog_testing::Staff;
using catalog_testing::ValidDraft;

class DocumentsTest : public ::testing::Test {
 protected:
  DocumentsTest() : clock_(ShanghaiTime(2024, 9, 30)) {
    calendar_ = *calendar::NewBuiltinCalendar();
    documents_ = std::make_unique<Documents>(&repo_, &units_, &categories_, calendar_, rules_,
                                             &clock_, &gate_, &observer_);
    v1::Unit unit;
    unit.set_id(kUnit);
    ON_CALL(units_, GetUnit(kUnit)).WillByDefault(Return(unit));
    ON_CALL(units_, GetUnit(kOtherUnit)).WillByDefault(Return(unit));
    ON_CALL(repo_, FindIdempotentResponse(_)).WillByDefault(Return(std::optional<std::string>()));
  }

  // A stored document in `state`, returned by GetDocument(id).
  v1::Document Stored(int64_t id, v1::DocumentState state, v1::Document d = ValidDraft()) {
    d.set_id(id);
    d.set_state(state);
    d.set_version(3);
    *d.mutable_create_time() = ToTimestamp(ShanghaiTime(2024, 9, 30));
    ON_CALL(repo_, GetDocument(id)).WillByDefault(Return(d));
    return d;
  }

  // Makes UpdateDocument echo what it was given (as the real repository stores it).
  void EchoUpdates(v1::Document* last = nullptr, AuditRecord* audit = nullptr) {
    ON_CALL(repo_, UpdateDocument(_, _, _, _))
        .WillByDefault(Invoke([=](const v1::Document& d, int64_t version, const AuditRecord& a,
                                  const std::optional<std::vector<std::string>>&) {
          if (last != nullptr) *last = d;
          if (audit != nullptr) *audit = a;
          v1::Document out = d;
          out.set_version(version + 1);
          return absl::StatusOr<v1::Document>(out);
        }));
  }

  NiceMock<MockDocumentRepository> repo_;
  NiceMock<units::MockUnitRepository> units_;
  NiceMock<catalog_items::MockCatalogItemRepository> categories_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  // The shipped rule sets (services/catalog/rules); a test may put another version.
  std::shared_ptr<rules::RuleBook> rules_ = catalog_testing::NationalRuleBook();
  AllowAllReleaseGate gate_;
  RecordingObserver observer_;
  std::unique_ptr<Documents> documents_;
};

// CAT-3, NAT-4: created 2024-09-30, 20 working days skip National Day (Oct 1-7) and
// count the adjusted Saturday Oct 12: due 2024-11-01.
TEST_F(DocumentsTest, Cat3PublicationIsDueTwentyWorkingDaysAfterCreation) {
  v1::Document stored_input;
  EXPECT_CALL(repo_, CreateDocument(_, _, _))
      .WillOnce(DoAll(SaveArg<0>(&stored_input),
                      Invoke([](const v1::Document& d, const AuditRecord&, const IdempotencyKey*) {
                        v1::Document out = d;
                        out.set_id(1);
                        return absl::StatusOr<v1::Document>(out);
                      })));
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  absl::StatusOr<v1::Document> created = documents_->CreateDocument(Staff(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::DRAFT);
  const auto& due = created->publication_deadline().due();
  EXPECT_EQ(absl::CivilDay(due.year(), due.month(), due.day()), absl::CivilDay(2024, 11, 1));
  EXPECT_THAT(created->publication_deadline().text(), HasSubstr("国庆节"));
  EXPECT_FALSE(created->overdue());
  EXPECT_EQ(stored_input.created_by(), "staff-a");
}

// ---- Rule sets (ADR 0019): the CAT-3 number is data, cited in every deadline. ----------

// A city's stricter CAT-3 period, effective from `from`.
constexpr char kCityPublicationV2[] = R"({"name": "catalog.publication", "version": 2,
    "effective_from": "%s", "basis": "某市政务公开办法",
    "rules": {"publication.working_days": {"value": 15, "unit": "working_days"}}})";

absl::StatusOr<v1::Document> CreateEchoed(Documents& documents, MockDocumentRepository& repo) {
  EXPECT_CALL(repo, CreateDocument(_, _, _))
      .WillOnce(Invoke([](const v1::Document& d, const AuditRecord&, const IdempotencyKey*) {
        v1::Document out = d;
        out.set_id(7);
        out.set_version(1);
        return absl::StatusOr<v1::Document>(out);
      }));
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  return documents.CreateDocument(Staff(), request);
}

TEST_F(DocumentsTest, Cat3DeadlineNamesTheRuleSetAndRuleThatGaveItsNumber) {
  absl::StatusOr<v1::Document> created = CreateEchoed(*documents_, repo_);
  ASSERT_TRUE(created.ok()) << created.status();
  const common::v1::DeadlineExplanation& deadline = created->publication_deadline();
  EXPECT_EQ(deadline.days(), 20);
  EXPECT_EQ(deadline.rule_version(), "catalog.publication@1");
  EXPECT_THAT(deadline.rule(), HasSubstr("publication.working_days = 20 working days (CAT-3)"));
  EXPECT_THAT(deadline.text(), HasSubstr("依据规则：catalog.publication v1"));
}

// CAT-3: a city's 15 working days from a past day apply to a document created today:
// from 2024-09-30, Oct 8-12 (12th adjusted), 14-18, 21-25: due 2024-10-25.
TEST_F(DocumentsTest, Cat3CityVersionInEffectOnTheCreationDayGivesTheDeadline) {
  catalog_testing::PutRuleSet(*rules_, absl::StrFormat(kCityPublicationV2, "2024-01-01"));
  absl::StatusOr<v1::Document> created = CreateEchoed(*documents_, repo_);
  ASSERT_TRUE(created.ok()) << created.status();
  const common::v1::DeadlineExplanation& deadline = created->publication_deadline();
  EXPECT_EQ(deadline.days(), 15);
  EXPECT_EQ(absl::CivilDay(deadline.due().year(), deadline.due().month(), deadline.due().day()),
            absl::CivilDay(2024, 10, 25));
  EXPECT_EQ(deadline.rule_version(), "catalog.publication@2");
  EXPECT_THAT(deadline.text(), HasSubstr("catalog.publication v2 (2024-01-01)"));
}

// CAT-3: a version announced for a later day leaves documents created before it alone.
TEST_F(DocumentsTest, Cat3VersionEffectiveLaterDoesNotApplyToEarlierDocuments) {
  catalog_testing::PutRuleSet(*rules_, absl::StrFormat(kCityPublicationV2, "2025-01-01"));
  absl::StatusOr<v1::Document> created = CreateEchoed(*documents_, repo_);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->publication_deadline().days(), 20);
  EXPECT_EQ(created->publication_deadline().rule_version(), "catalog.publication@1");
}

// CAT-3 (ADR 0019): a new version in effect on an open clock's start day recomputes it,
// as a calendar change does; a clock already on that version is left alone.
TEST_F(DocumentsTest, Cat3RuleChangeRecomputesOpenClocksComputedOnTheOldVersion) {
  absl::StatusOr<v1::Document> created = CreateEchoed(*documents_, repo_);
  ASSERT_TRUE(created.ok()) << created.status();
  v1::Document current = *created;
  ON_CALL(repo_, ListDocuments(_, _))
      .WillByDefault(Invoke([&](const DocumentFilter& filter, const KeysetPage& page) {
        std::vector<v1::Document> out;
        if (filter.state == v1::DRAFT && page.after_id < current.id()) out.push_back(current);
        return absl::StatusOr<std::vector<v1::Document>>(out);
      }));
  ON_CALL(repo_, GetDocument(current.id())).WillByDefault(Invoke([&](int64_t) {
    return absl::StatusOr<v1::Document>(current);
  }));
  v1::Document updated;
  AuditRecord audit;
  EchoUpdates(&updated, &audit);
  const auto never = [] { return false; };
  EXPECT_EQ(documents_->RecomputeStaleDeadlines(never).value_or(-1), 0);  // Still v1.

  catalog_testing::PutRuleSet(*rules_, absl::StrFormat(kCityPublicationV2, "2024-01-01"));
  EXPECT_EQ(documents_->RecomputeStaleDeadlines(never).value_or(-1), 1);
  EXPECT_EQ(updated.publication_deadline().days(), 15);
  EXPECT_EQ(updated.publication_deadline().rule_version(), "catalog.publication@2");
  EXPECT_THAT(audit.detail, HasSubstr("catalog.publication@2"));

  current = updated;  // Stored on v2: nothing more to do.
  EXPECT_EQ(documents_->RecomputeStaleDeadlines(never).value_or(-1), 0);
}

// CAT-3: a shorter legal limit replaces the 20 days (5 working days from Sep 30 2024:
// Oct 8, 9, 10, 11, 12 (adjusted Saturday)).
TEST_F(DocumentsTest, Cat3ShorterLegalLimitApplies) {
  v1::Document d = ValidDraft();
  d.set_publication_limit_working_days(5);
  absl::StatusOr<calendar::Deadline> deadline =
      documents_->PublicationDeadline(d, absl::CivilDay(2024, 9, 30));
  ASSERT_TRUE(deadline.ok());
  EXPECT_EQ(deadline->due, absl::CivilDay(2024, 10, 12));
}

// NAT-1: outside the loaded calendar years the deadline is left empty, never guessed.
TEST_F(DocumentsTest, Nat1NoDeadlineIsGuessedOutsideLoadedYears) {
  clock_.Set(ShanghaiTime(2031, 3, 2));
  EXPECT_CALL(repo_, CreateDocument(_, _, _))
      .WillOnce(Invoke([](const v1::Document& d, const AuditRecord&, const IdempotencyKey*) {
        return absl::StatusOr<v1::Document>(d);
      }));
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  absl::StatusOr<v1::Document> created = documents_->CreateDocument(Staff(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  // The clock keeps its start and length, but no due date until 2031 is loaded.
  EXPECT_EQ(created->publication_deadline().due().year(), 0);
  EXPECT_EQ(created->publication_deadline().start().year(), 2031);
  EXPECT_EQ(created->publication_deadline().days(), 20);
  EXPECT_THAT(created->publication_deadline().text(), HasSubstr("尚未载入"));
  EXPECT_FALSE(created->overdue());
}

// NAT-4: a converted document's clock runs from the conversion; an edit after a failed
// review must not move it back to the creation day.
TEST_F(DocumentsTest, Nat4EditKeepsTheClockStartOfAConversion) {
  v1::Document d = ValidDraft();
  *d.mutable_publication_deadline() =
      ToProto(*calendar_->AddWorkingDays(absl::CivilDay(2024, 12, 2), 20));
  Stored(5, v1::RETURNED, d);  // Created 2024-09-30, converted 2024-12-02.
  EchoUpdates();
  v1::UpdateDocumentRequest request;
  *request.mutable_document() = d;
  request.mutable_document()->set_id(5);
  request.mutable_document()->set_title("修改后的标题");
  absl::StatusOr<v1::Document> updated = documents_->UpdateDocument(Staff(), request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->publication_deadline().start().month(), 12);
  EXPECT_EQ(updated->publication_deadline().due().day(), 30);
}

TEST_F(DocumentsTest, BadDocumentNamesEveryFieldAndWritesNothing) {
  EXPECT_CALL(repo_, CreateDocument(_, _, _)).Times(0);
  v1::CreateDocumentRequest request;
  request.mutable_document()->set_title(std::string("\xff", 1));
  request.mutable_document()->set_issuing_authority(static_cast<v1::IssuingAuthority>(42));
  request.mutable_document()->set_publication_limit_working_days(30);
  request.set_request_id("has space");
  absl::Status status = documents_->CreateDocument(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("document.title", "document.drafting_unit_id",
                                                      "document.issuing_authority",
                                                      "document.publication_limit_working_days",
                                                      "request_id"));
}

TEST_F(DocumentsTest, StaffCannotDraftForAnotherUnit) {
  EXPECT_CALL(repo_, CreateDocument(_, _, _)).Times(0);
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  absl::Status status = documents_->CreateDocument(Staff(kOtherUnit), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(DocumentsTest, AnonymousCannotDraft) {
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  EXPECT_EQ(documents_->CreateDocument(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
}

// NAT-1, CAT-3: a stale clock is recomputed after a calendar change. A document deleted
// meanwhile (NOT_FOUND) is skipped; any other read error fails the pass so that it is
// run again, never leaving the clock stale in silence.
TEST_F(DocumentsTest, Nat1RecomputeSkipsOnlyDeletedDocumentsAndFailsOnOtherReadErrors) {
  v1::Document pending = ValidDraft();  // No due date yet: stale whatever the calendar.
  pending.set_state(v1::DRAFT);
  ON_CALL(repo_, ListDocuments(_, _))
      .WillByDefault(Invoke([&](const DocumentFilter& f, const KeysetPage& page) {
        std::vector<v1::Document> out;
        if (f.state != v1::DRAFT || page.after_id != 0) return out;
        for (int64_t id : {1, 2}) {
          out.push_back(pending);
          out.back().set_id(id);
        }
        return out;
      }));
  ON_CALL(repo_, GetDocument(1)).WillByDefault(Return(absl::NotFoundError("document 1")));
  Stored(2, v1::DRAFT);
  EchoUpdates();
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(1);
  absl::StatusOr<int> changed = documents_->RecomputeStaleDeadlines([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);

  ON_CALL(repo_, GetDocument(1)).WillByDefault(Return(absl::UnavailableError("db down")));
  absl::Status failed = documents_->RecomputeStaleDeadlines([] { return false; }).status();
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(failed.message()), HasSubstr("db down"));
}

// The key's unique index answers a retry (no read before the write): the create is
// refused with ALREADY_EXISTS (its transaction rolled back, nothing stored) and the
// first response is replayed.
TEST_F(DocumentsTest, IdempotentRetryReturnsTheFirstResultAndCreatesNothing) {
  v1::Document first = ValidDraft();
  first.set_id(99);
  IdempotencyKey asked;
  const IdempotencyKey* stored_key = nullptr;
  ::testing::InSequence in_order;
  EXPECT_CALL(repo_, CreateDocument(_, _, _))
      .WillOnce(DoAll(SaveArg<2>(&stored_key),
                      Return(absl::AlreadyExistsError("duplicate idempotency key"))));
  EXPECT_CALL(repo_, FindIdempotentResponse(_))
      .WillOnce(
          DoAll(SaveArg<0>(&asked), Return(std::optional<std::string>(first.SerializeAsString()))));
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  request.set_request_id("req-1");
  absl::StatusOr<v1::Document> again = documents_->CreateDocument(Staff(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), 99);
  EXPECT_NE(stored_key, nullptr);
  // The key carries the request's hash, so the store refuses a different body (issue 16).
  EXPECT_EQ(asked.request_hash, idempotency::RequestHash(request));
  EXPECT_EQ(asked.request_hash.size(), 64u);
}

// A first attempt does not read the key before creating.
TEST_F(DocumentsTest, IdempotentFirstAttemptCreatesWithoutReadingTheKey) {
  EXPECT_CALL(repo_, FindIdempotentResponse(_)).Times(0);
  EXPECT_CALL(repo_, CreateDocument(_, _, _))
      .WillOnce([](const v1::Document& d, const AuditRecord&, const IdempotencyKey* key) {
        EXPECT_NE(key, nullptr);
        v1::Document created = d;
        created.set_id(7);
        return created;
      });
  v1::CreateDocumentRequest request;
  *request.mutable_document() = ValidDraft();
  request.set_request_id("req-2");
  absl::StatusOr<v1::Document> created = documents_->CreateDocument(Staff(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->id(), 7);
}

// CAT-2: no attribute → returned (退文) with the cause recorded, not an error.
TEST_F(DocumentsTest, Cat2SubmissionWithoutAttributeIsReturnedWithCause) {
  v1::Document d = ValidDraft();
  d.set_disclosure_attribute(v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED);
  Stored(5, v1::DRAFT, d);
  AuditRecord audit;
  EchoUpdates(nullptr, &audit);
  v1::SubmitDocumentRequest request;
  request.set_id(5);
  absl::StatusOr<v1::Document> result = documents_->SubmitDocument(Staff(), request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->state(), v1::RETURNED);
  EXPECT_THAT(result->return_cause(), HasSubstr("公开属性"));
  EXPECT_EQ(audit.old_state, v1::DRAFT);
  EXPECT_EQ(audit.new_state, v1::RETURNED);
  EXPECT_THAT(observer_.returned, ::testing::ElementsAre("missing_attribute"));
}

// CAT-2: NOT_DISCLOSED needs a reason and a legal basis.
TEST_F(DocumentsTest, Cat2NotDisclosedWithoutLegalBasisIsReturned) {
  v1::Document d = ValidDraft();
  d.set_disclosure_attribute(v1::NOT_DISCLOSED);
  d.set_nondisclosure_reason("涉及国家秘密");
  Stored(5, v1::DRAFT, d);
  EchoUpdates();
  v1::SubmitDocumentRequest request;
  request.set_id(5);
  absl::StatusOr<v1::Document> result = documents_->SubmitDocument(Staff(), request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->state(), v1::RETURNED);
  EXPECT_THAT(result->return_cause(), HasSubstr("legal_basis"));
}

TEST_F(DocumentsTest, Cat2CompleteSubmissionGoesToReview) {
  v1::Document d = ValidDraft();
  d.set_disclosure_attribute(v1::ON_REQUEST);
  d.set_nondisclosure_reason("内部事务信息");
  d.set_legal_basis("《中华人民共和国政府信息公开条例》第十六条");
  Stored(5, v1::RETURNED, d);
  EchoUpdates();
  v1::SubmitDocumentRequest request;
  request.set_id(5);
  absl::StatusOr<v1::Document> result = documents_->SubmitDocument(Staff(), request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->state(), v1::PENDING_REVIEW);
  EXPECT_EQ(result->return_cause(), "");
}

// CAT-4: publication without a passed confidentiality review is impossible.
TEST_F(DocumentsTest, Cat4PublishWithoutReviewIsRejected) {
  Stored(5, v1::PENDING_REVIEW);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  v1::PublishDocumentRequest request;
  request.set_id(5);
  absl::Status status = documents_->PublishDocument(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("confidentiality review"));
}

TEST_F(DocumentsTest, Cat1OnlyProactiveDocumentsArePublished) {
  v1::Document d = ValidDraft();
  d.set_disclosure_attribute(v1::ON_REQUEST);
  d.set_review_outcome(v1::REVIEW_PASSED);
  Stored(5, v1::APPROVED, d);
  v1::PublishDocumentRequest request;
  request.set_id(5);
  absl::Status status = documents_->PublishDocument(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("only PROACTIVE"));
}

TEST_F(DocumentsTest, Cat4ReviewThenPublishIndexesTheDocument) {
  Stored(5, v1::PENDING_REVIEW);
  v1::Document last;
  EchoUpdates(&last);
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_PASSED);
  // Staff may not do the confidentiality review; a reviewer of the unit may.
  EXPECT_EQ(documents_->ReviewDocument(Staff(), review).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Document> approved = documents_->ReviewDocument(Reviewer(), review);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::APPROVED);
  EXPECT_EQ(approved->reviewer(), "reviewer-b");

  Stored(5, v1::APPROVED, *approved);
  std::vector<std::string> terms;
  EXPECT_CALL(repo_, PublishDocument(_, _, _, _, _))
      .WillOnce(
          DoAll(SaveArg<3>(&terms),
                Invoke([](const v1::Document& d, int64_t, const AuditRecord&,
                          const std::vector<std::string>&, const std::optional<OutboxMessage>&) {
                  return absl::StatusOr<v1::Document>(d);
                })));
  v1::PublishDocumentRequest publish;
  publish.set_id(5);
  absl::StatusOr<v1::Document> published = documents_->PublishDocument(Staff(), publish);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::PUBLISHED);
  EXPECT_THAT(terms, ::testing::Contains("政务"));
  EXPECT_EQ(observer_.published, 1);
}

// CAT-4: the author never reviews their own draft, neither as ADMIN nor holding STAFF
// and REVIEWER at once; another reviewer of the unit does.
TEST_F(DocumentsTest, Cat4TheAuthorNeverReviewsTheirOwnDraft) {
  v1::Document d = ValidDraft();
  d.set_created_by("clerk-d");
  Stored(5, v1::PENDING_REVIEW, d);
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_PASSED);
  const auth::Principal both{"clerk-d", kUnit, {auth::Role::kStaff, auth::Role::kReviewer}, {}};
  const auth::Principal admin{"clerk-d", std::nullopt, {auth::Role::kAdmin}, {}};
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  for (const auth::Principal& author : {both, admin}) {
    absl::Status own = documents_->ReviewDocument(author, review).status();
    EXPECT_EQ(own.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(std::string(own.message()), HasSubstr("another REVIEWER"));
  }
  review.set_outcome(v1::REVIEW_FAILED);
  review.set_note("自审");
  EXPECT_EQ(documents_->ReviewDocument(both, review).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(DocumentsTest, Cat4AnotherReviewerOfTheUnitPassesTheAuthorsDraft) {
  v1::Document d = ValidDraft();
  d.set_created_by("clerk-d");
  Stored(5, v1::PENDING_REVIEW, d);
  EchoUpdates();
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_PASSED);
  absl::StatusOr<v1::Document> approved = documents_->ReviewDocument(Reviewer(), review);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->reviewer(), "reviewer-b");
}

TEST_F(DocumentsTest, FailedReviewReturnsTheDocumentWithTheNote) {
  Stored(5, v1::PENDING_REVIEW);
  EchoUpdates();
  v1::ReviewDocumentRequest review;
  review.set_id(5);
  review.set_outcome(v1::REVIEW_FAILED);
  EXPECT_EQ(documents_->ReviewDocument(Reviewer(), review).status().code(),
            absl::StatusCode::kInvalidArgument);  // A failed review needs a note.
  review.set_note("第三段含有工作秘密");
  absl::StatusOr<v1::Document> returned = documents_->ReviewDocument(Reviewer(), review);
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->state(), v1::RETURNED);
  EXPECT_THAT(returned->return_cause(), HasSubstr("第三段含有工作秘密"));
}

TEST_F(DocumentsTest, OnlyTheOfficeReturnsSubmittedDocuments) {
  Stored(5, v1::PENDING_REVIEW);
  EchoUpdates();
  v1::ReturnDocumentRequest request;
  request.set_id(5);
  request.set_cause("缺少解读材料");
  EXPECT_EQ(documents_->ReturnDocument(Staff(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Document> returned = documents_->ReturnDocument(Office(), request);
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->state(), v1::RETURNED);
}

TEST_F(DocumentsTest, UnpublishedDocumentIsInvisibleToOutsiders) {
  Stored(5, v1::APPROVED);
  v1::GetDocumentRequest request;
  request.set_id(5);
  EXPECT_EQ(documents_->GetDocument(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(documents_->GetDocument(Staff(kOtherUnit), request).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(documents_->GetDocument(Staff(), request).ok());
  EXPECT_TRUE(documents_->GetDocument(Office(), request).ok());
}

TEST_F(DocumentsTest, AnonymousListingSeesOnlyPublishedDocuments) {
  DocumentFilter seen;
  EXPECT_CALL(repo_, ListDocuments(_, _))
      .WillOnce(DoAll(SaveArg<0>(&seen), Return(std::vector<v1::Document>{})));
  v1::ListDocumentsRequest request;
  ASSERT_TRUE(documents_->ListDocuments(auth::Principal::Anonymous(), request).ok());
  EXPECT_EQ(seen.state, v1::PUBLISHED);
  request.set_state(v1::DRAFT);
  EXPECT_EQ(documents_->ListDocuments(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(DocumentsTest, ListingPaginatesWithAnOpaqueToken) {
  std::vector<v1::Document> rows(3);
  for (int i = 0; i < 3; ++i) rows[i].set_id(30 - i);
  KeysetPage first_page, second_page;
  EXPECT_CALL(repo_, ListDocuments(_, _))
      .WillOnce(DoAll(SaveArg<1>(&first_page), Return(rows)))
      .WillOnce(DoAll(SaveArg<1>(&second_page), Return(std::vector<v1::Document>{})));
  v1::ListDocumentsRequest request;
  request.set_page_size(2);
  absl::StatusOr<v1::ListDocumentsResponse> page = documents_->ListDocuments(Office(), request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(first_page.limit, 3);
  EXPECT_EQ(page->documents_size(), 2);
  ASSERT_FALSE(page->next_page_token().empty());
  request.set_page_token(page->next_page_token());
  ASSERT_TRUE(documents_->ListDocuments(Office(), request).ok());
  EXPECT_EQ(second_page.after_id, 29);
  // The token does not work with other filters.
  request.set_key_area(v1::HEALTH);
  EXPECT_EQ(documents_->ListDocuments(Office(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DocumentsTest, Cat3DocumentPastItsDueDateIsOverdue) {
  v1::Document d = ValidDraft();
  Stored(5, v1::APPROVED, d);
  v1::Document with_deadline = *repo_.GetDocument(5);
  *with_deadline.mutable_publication_deadline() =
      ToProto(*calendar_->AddWorkingDays(absl::CivilDay(2024, 9, 30), 20));
  ON_CALL(repo_, GetDocument(5)).WillByDefault(Return(with_deadline));
  v1::GetDocumentRequest request;
  request.set_id(5);
  clock_.Set(ShanghaiTime(2024, 11, 1));
  EXPECT_FALSE(documents_->GetDocument(Office(), request)->overdue());
  clock_.Set(ShanghaiTime(2024, 11, 4));
  EXPECT_TRUE(documents_->GetDocument(Office(), request)->overdue());
}

TEST_F(DocumentsTest, SearchNeedsAQueryWithSearchableText) {
  v1::SearchDocumentsRequest request;
  request.set_query("，。！");
  absl::Status status = documents_->SearchDocuments(auth::Principal::Anonymous(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("query"));
}

TEST_F(DocumentsTest, OutsidersDoNotSeeReviewNotesOrDrafters) {
  v1::Document d = ValidDraft();
  d.set_review_note("第三段已删去工作秘密");
  d.set_reviewer("reviewer-b");
  d.set_created_by("staff-a");
  Stored(5, v1::PUBLISHED, d);
  v1::GetDocumentRequest request;
  request.set_id(5);
  absl::StatusOr<v1::Document> seen =
      documents_->GetDocument(auth::Principal::Anonymous(), request);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->review_note(), "");
  EXPECT_EQ(seen->created_by(), "");
  EXPECT_EQ(documents_->GetDocument(Staff(), request)->review_note(), "第三段已删去工作秘密");
}

TEST_F(DocumentsTest, ListPagesEndBeforeTheResponseGetsTooLarge) {
  std::vector<v1::Document> rows(5);
  for (int i = 0; i < 5; ++i) {
    rows[i].set_id(50 - i);
    rows[i].set_state(v1::PUBLISHED);
    rows[i].set_body(std::string(1'000'000, 'x'));
  }
  EXPECT_CALL(repo_, ListDocuments(_, _)).WillOnce(Return(rows));
  v1::ListDocumentsRequest request;
  request.set_page_size(10);
  absl::StatusOr<v1::ListDocumentsResponse> page = documents_->ListDocuments(Office(), request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->documents_size(), 3);  // 3 MB budget.
  EXPECT_FALSE(page->next_page_token().empty());
}

// ---- NAT-10: repeal (废止) of a published policy document ----------------------------

class RepealTest : public DocumentsTest {
 protected:
  // A published policy document: published 2024-09-02 01:00 in Shanghai (Sep 1 in UTC).
  v1::Document PublishedPolicy(int64_t id) {
    v1::Document d = ValidDraft();
    d.set_is_policy_document(true);
    d.set_review_outcome(v1::REVIEW_PASSED);
    *d.mutable_publish_time() = ToTimestamp(ShanghaiTime(2024, 9, 2, 1));
    return Stored(id, v1::PUBLISHED, d);
  }
  static v1::RepealDocumentRequest Repeal(int64_t id, absl::CivilDay on) {
    v1::RepealDocumentRequest r;
    r.set_id(id);
    *r.mutable_repealed_on() = ToProtoDate(on);
    r.set_repealing_document("南府发〔2024〕30号");
    r.set_reason("已被新的实施方案替代");
    return r;
  }
};

// The publication day itself (in Shanghai) is the earliest repeal day; the document stays
// PUBLISHED and is not re-indexed.
TEST_F(RepealTest, Nat10RepealMarksThePolicyDocumentAndItStaysPublished) {
  PublishedPolicy(5);
  v1::Document stored;
  AuditRecord audit;
  EchoUpdates(&stored, &audit);
  EXPECT_CALL(repo_, UpdateDocument(_, 3, _, std::optional<std::vector<std::string>>()));
  absl::StatusOr<v1::Document> repealed =
      documents_->RepealDocument(Staff(), Repeal(5, absl::CivilDay(2024, 9, 2)));
  ASSERT_TRUE(repealed.ok()) << repealed.status();
  EXPECT_EQ(repealed->state(), v1::PUBLISHED);
  EXPECT_EQ(repealed->version(), 4);
  EXPECT_EQ(*ToCivilDay(stored.repealed_on()), absl::CivilDay(2024, 9, 2));
  EXPECT_EQ(stored.repealing_document(), "南府发〔2024〕30号");
  EXPECT_EQ(stored.repeal_reason(), "已被新的实施方案替代");
  EXPECT_EQ(audit.action, "repeal");
  EXPECT_EQ(audit.actor, "staff-a");
  EXPECT_EQ(audit.old_state, v1::PUBLISHED);
  EXPECT_EQ(audit.new_state, v1::PUBLISHED);
  EXPECT_THAT(audit.detail, HasSubstr("2024-09-02"));
  EXPECT_THAT(audit.detail, HasSubstr("已被新的实施方案替代"));
}

TEST_F(RepealTest, Nat10BadRepealNamesEveryFieldAndWritesNothing) {
  EXPECT_CALL(repo_, GetDocument(_)).Times(0);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  v1::RepealDocumentRequest request;
  request.set_repealing_document(std::string(501, 'x'));
  request.set_expected_version(-1);
  absl::Status status = documents_->RepealDocument(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("id", "repealed_on", "repealing_document",
                                                      "reason", "expected_version"));

  request = Repeal(5, absl::CivilDay(2024, 9, 2));
  request.mutable_repealed_on()->set_month(13);
  status = documents_->RepealDocument(Staff(), request).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "repealed_on");
}

// Today is 2024-09-30 in Shanghai.
TEST_F(RepealTest, Nat10RepealDayMustNotBeInTheFuture) {
  PublishedPolicy(5);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  absl::Status status =
      documents_->RepealDocument(Staff(), Repeal(5, absl::CivilDay(2024, 10, 1))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "repealed_on");
  EXPECT_THAT(FieldViolationsOf(status)[0].description, HasSubstr("future"));
}

TEST_F(RepealTest, Nat10RepealDayMustNotBeBeforeThePublicationDay) {
  PublishedPolicy(5);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  absl::Status status =
      documents_->RepealDocument(Staff(), Repeal(5, absl::CivilDay(2024, 9, 1))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "repealed_on");
  EXPECT_THAT(FieldViolationsOf(status)[0].description, HasSubstr("published, 2024-09-02"));
}

// The roles that publish for the drafting unit repeal: its staff, the office, admins.
TEST_F(RepealTest, Nat10OnlyThoseWhoPublishForTheUnitMayRepeal) {
  PublishedPolicy(5);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  const v1::RepealDocumentRequest request = Repeal(5, absl::CivilDay(2024, 9, 30));
  EXPECT_EQ(documents_->RepealDocument(Staff(kOtherUnit), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(documents_->RepealDocument(Reviewer(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(documents_->RepealDocument(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(RepealTest, Nat10OfficeMayRepealForAnyUnit) {
  PublishedPolicy(5);
  EchoUpdates();
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _));
  EXPECT_TRUE(documents_->RepealDocument(Office(), Repeal(5, absl::CivilDay(2024, 9, 30))).ok());
}

TEST_F(RepealTest, Nat10OnlyPublishedPolicyDocumentsAreRepealed) {
  v1::Document approved = ValidDraft();
  approved.set_is_policy_document(true);
  Stored(6, v1::APPROVED, approved);
  v1::Document not_policy = ValidDraft();
  *not_policy.mutable_publish_time() = ToTimestamp(ShanghaiTime(2024, 9, 2));
  Stored(7, v1::PUBLISHED, not_policy);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  absl::Status status =
      documents_->RepealDocument(Staff(), Repeal(6, absl::CivilDay(2024, 9, 30))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("is APPROVED; only PUBLISHED"));
  status = documents_->RepealDocument(Staff(), Repeal(7, absl::CivilDay(2024, 9, 30))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("not a policy document"));
}

TEST_F(RepealTest, Nat10ADocumentIsRepealedOnlyOnce) {
  v1::Document d = PublishedPolicy(5);
  *d.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2024, 9, 10));
  ON_CALL(repo_, GetDocument(5)).WillByDefault(Return(d));
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  absl::Status status =
      documents_->RepealDocument(Staff(), Repeal(5, absl::CivilDay(2024, 9, 30))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("is PUBLISHED and already repealed (已废止) on 2024-09-10"));
}

TEST_F(RepealTest, Nat10StaleExpectedVersionIsAbortedAndWritesNothing) {
  PublishedPolicy(5);
  EXPECT_CALL(repo_, UpdateDocument(_, _, _, _)).Times(0);
  v1::RepealDocumentRequest request = Repeal(5, absl::CivilDay(2024, 9, 30));
  request.set_expected_version(2);
  absl::Status status = documents_->RepealDocument(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(status.message()), HasSubstr("version 3, not 2"));
}

TEST_F(RepealTest, Nat10InForceOnlyListingLeavesOutRepealedDocuments) {
  DocumentFilter seen;
  EXPECT_CALL(repo_, ListDocuments(_, _))
      .WillOnce(DoAll(SaveArg<0>(&seen), Return(std::vector<v1::Document>{})));
  v1::ListDocumentsRequest request;
  request.set_in_force_only(true);
  ASSERT_TRUE(documents_->ListDocuments(auth::Principal::Anonymous(), request).ok());
  EXPECT_TRUE(seen.in_force_only);
  EXPECT_EQ(seen.state, v1::PUBLISHED);
}

}  // namespace
}  // namespace gongkai::catalog::documents
