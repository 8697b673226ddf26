// Unit tests of the self-review rules (CAT-7): mock repositories behind the real
// documents rules, the real working-day calendar and a fake clock.
#include "services/catalog/self_review/self_reviews.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/protoconv/protoconv.h"
#include "services/catalog/catalog_items/mock_catalog_item_repository.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/catalog_test_support.h"
#include "services/catalog/documents/documents.h"
#include "services/catalog/documents/mock_document_repository.h"
#include "services/catalog/self_review/mock_self_review_repository.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::self_review {
namespace {

using catalog_testing::kUnit;
using catalog_testing::RecordingObserver;
using catalog_testing::ShanghaiTime;
using catalog_testing::Staff;
using catalog_testing::ValidDraft;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::SaveArg;

class SelfReviewsTest : public ::testing::Test {
 protected:
  SelfReviewsTest() : clock_(ShanghaiTime(2024, 9, 30)) {
    calendar_ = *calendar::NewBuiltinCalendar();
    documents_ = std::make_unique<documents::Documents>(
        &documents_repo_, &units_, &categories_, calendar_, catalog_testing::NationalRuleBook(),
        &clock_, &gate_, &observer_);
    self_reviews_ =
        std::make_unique<SelfReviews>(&reviews_, &units_, documents_.get(), &clock_, &observer_);
    v1::Unit unit;
    unit.set_id(kUnit);
    ON_CALL(units_, GetUnit(kUnit)).WillByDefault(Return(unit));
    ON_CALL(reviews_, FindIdempotentResponse(_))
        .WillByDefault(Return(std::optional<std::string>()));
    ON_CALL(reviews_, ListSelfReviewEntries(_, _, _))
        .WillByDefault(Return(std::vector<v1::SelfReviewEntry>()));
  }

  // An open review 3 of kUnit with one undecided entry for document 11.
  v1::SelfReview OpenReviewWithDocument11() {
    v1::SelfReview review;
    review.set_id(3);
    review.set_unit_id(kUnit);
    review.set_year(2024);
    review.set_state(v1::SELF_REVIEW_OPEN);
    review.set_entry_count(1);
    ON_CALL(reviews_, GetSelfReview(3)).WillByDefault(Return(review));
    v1::SelfReviewEntry entry;
    entry.set_document_id(11);
    ON_CALL(reviews_, GetSelfReviewEntry(3, 11)).WillByDefault(Return(entry));
    return review;
  }

  // A stored document in `state`, returned by GetDocument(id).
  v1::Document Stored(int64_t id, v1::DocumentState state, v1::Document d = ValidDraft()) {
    d.set_id(id);
    d.set_state(state);
    d.set_version(3);
    *d.mutable_create_time() = ToTimestamp(ShanghaiTime(2024, 9, 30));
    ON_CALL(documents_repo_, GetDocument(id)).WillByDefault(Return(d));
    return d;
  }

  NiceMock<MockSelfReviewRepository> reviews_;
  NiceMock<documents::MockDocumentRepository> documents_repo_;
  NiceMock<units::MockUnitRepository> units_;
  NiceMock<catalog_items::MockCatalogItemRepository> categories_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  documents::AllowAllReleaseGate gate_;
  RecordingObserver observer_;
  std::unique_ptr<documents::Documents> documents_;
  std::unique_ptr<SelfReviews> self_reviews_;
};

// CAT-7: converting an ON_REQUEST document sends it back to review as PROACTIVE with a
// new deadline counted from the conversion.
TEST_F(SelfReviewsTest, Cat7ConversionReentersReviewWithANewDeadline) {
  v1::Document d = ValidDraft();
  d.set_disclosure_attribute(v1::ON_REQUEST);
  Stored(11, v1::APPROVED, d);
  const v1::SelfReview review = OpenReviewWithDocument11();
  std::optional<documents::DocumentChange> change;
  v1::SelfReview decided = review;
  decided.set_decided_count(1);
  decided.set_converted_count(1);
  EXPECT_CALL(reviews_, DecideSelfReviewEntry(3, _, _))
      .WillOnce(DoAll(SaveArg<2>(&change), Return(decided)));
  clock_.Set(ShanghaiTime(2024, 12, 2));
  v1::DecideSelfReviewEntryRequest request;
  request.set_review_id(3);
  request.set_document_id(11);
  request.set_decision(v1::CONVERT_TO_PROACTIVE);
  absl::StatusOr<v1::SelfReview> result = self_reviews_->DecideSelfReviewEntry(Staff(), request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->converted_count(), 1);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->document.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(change->document.state(), v1::PENDING_REVIEW);
  // 20 working days after Mon 2024-12-02: Dec 3..31 has 21 working days; the 20th is
  // Mon Dec 30.
  const auto& due = change->document.publication_deadline().due();
  EXPECT_EQ(absl::CivilDay(due.year(), due.month(), due.day()), absl::CivilDay(2024, 12, 30));
  EXPECT_EQ(observer_.conversions, 1);
}

// CAT-7: a document that left the undisclosed state after the review started (here it
// was published) cannot be converted back into review.
TEST_F(SelfReviewsTest, Cat7OnlyAnApprovedUndisclosedDocumentIsConverted) {
  Stored(11, v1::PUBLISHED);
  OpenReviewWithDocument11();
  EXPECT_CALL(reviews_, DecideSelfReviewEntry(_, _, _)).Times(0);
  v1::DecideSelfReviewEntryRequest request;
  request.set_review_id(3);
  request.set_document_id(11);
  request.set_decision(v1::CONVERT_TO_PROACTIVE);
  absl::Status status = self_reviews_->DecideSelfReviewEntry(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("decide KEEP instead"));
}

TEST_F(SelfReviewsTest, Cat7KeepNeedsAReasonAndCompletionNeedsEveryDecision) {
  OpenReviewWithDocument11();
  ON_CALL(reviews_, ListUndecidedDocumentIds(3, _)).WillByDefault(Return(std::vector<int64_t>{11}));
  v1::DecideSelfReviewEntryRequest keep;
  keep.set_review_id(3);
  keep.set_document_id(11);
  keep.set_decision(v1::KEEP);
  EXPECT_EQ(self_reviews_->DecideSelfReviewEntry(Staff(), keep).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::CompleteSelfReviewRequest complete;
  complete.set_id(3);
  absl::Status status = self_reviews_->CompleteSelfReview(Staff(), complete).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("11"));
}

// CAT-7: the general office sees which units have not completed the year's review, in
// keyset pages; unit staff do not.
TEST_F(SelfReviewsTest, Cat7OfficeListsUnitsWithoutACompletedReviewInPages) {
  v1::ListIncompleteSelfReviewsRequest request;
  request.set_year(2024);
  EXPECT_EQ(self_reviews_->ListIncompleteSelfReviews(Staff(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  std::vector<v1::IncompleteSelfReview> units(3);
  for (int i = 0; i < 3; ++i) units[i].set_unit_id(10 + i);
  units[1].set_self_review_id(4);
  units[1].set_state(v1::SELF_REVIEW_OPEN);
  request.set_page_size(2);
  EXPECT_CALL(reviews_, ListIncompleteSelfReviews(2024, 0, 3)).WillOnce(Return(units));
  absl::StatusOr<v1::ListIncompleteSelfReviewsResponse> first =
      self_reviews_->ListIncompleteSelfReviews(catalog_testing::Office(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->units_size(), 2);
  EXPECT_EQ(first->units(1).self_review_id(), 4);
  ASSERT_FALSE(first->next_page_token().empty());

  request.set_page_token(first->next_page_token());
  EXPECT_CALL(reviews_, ListIncompleteSelfReviews(2024, 11, 3))
      .WillOnce(Return(std::vector<v1::IncompleteSelfReview>{units[2]}));
  absl::StatusOr<v1::ListIncompleteSelfReviewsResponse> second =
      self_reviews_->ListIncompleteSelfReviews(catalog_testing::Office(), request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->units_size(), 1);
  EXPECT_TRUE(second->next_page_token().empty());

  // A token belongs to its year; a year in the future is refused.
  request.set_year(2023);
  absl::Status other_year =
      self_reviews_->ListIncompleteSelfReviews(catalog_testing::Office(), request).status();
  EXPECT_EQ(other_year.code(), absl::StatusCode::kInvalidArgument);
  request.clear_page_token();
  request.set_year(2025);
  absl::Status future =
      self_reviews_->ListIncompleteSelfReviews(catalog_testing::Office(), request).status();
  EXPECT_EQ(future.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(future.message()), HasSubstr("year"));
}

// Issue 16 defect 7 (CAT-7): GetSelfReview returns one keyset page of the entries, by
// document id, with a token bound to the review; the counts cover every entry.
TEST_F(SelfReviewsTest, Cat7GetSelfReviewPagesTheEntriesWithATokenBoundToTheReview) {
  v1::SelfReview review = OpenReviewWithDocument11();
  review.set_entry_count(3);
  review.set_decided_count(2);
  review.set_kept_count(2);
  ON_CALL(reviews_, GetSelfReview(3)).WillByDefault(Return(review));
  v1::SelfReview other = review;
  other.set_id(4);
  ON_CALL(reviews_, GetSelfReview(4)).WillByDefault(Return(other));
  std::vector<v1::SelfReviewEntry> entries(3);
  for (int i = 0; i < 3; ++i) entries[i].set_document_id(11 + i);
  v1::GetSelfReviewRequest request;
  request.set_id(3);
  request.set_page_size(2);
  EXPECT_CALL(reviews_, ListSelfReviewEntries(3, 0, 3)).WillOnce(Return(entries));
  absl::StatusOr<v1::SelfReview> first = self_reviews_->GetSelfReview(Staff(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->entries_size(), 2);
  EXPECT_EQ(first->entries(1).document_id(), 12);
  EXPECT_EQ(first->entry_count(), 3);
  EXPECT_EQ(first->kept_count(), 2);
  ASSERT_FALSE(first->next_page_token().empty());

  request.set_page_token(first->next_page_token());
  EXPECT_CALL(reviews_, ListSelfReviewEntries(3, 12, 3))
      .WillOnce(Return(std::vector<v1::SelfReviewEntry>{entries[2]}));
  absl::StatusOr<v1::SelfReview> second = self_reviews_->GetSelfReview(Staff(), request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->entries_size(), 1);
  EXPECT_TRUE(second->next_page_token().empty());

  // The token of review 3 is refused for review 4; page sizes over 100 are refused.
  request.set_id(4);
  EXPECT_EQ(self_reviews_->GetSelfReview(Staff(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.clear_page_token();
  request.set_page_size(101);
  EXPECT_EQ(self_reviews_->GetSelfReview(Staff(), request).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Default page: 20 entries (21 asked for).
  request.set_page_size(0);
  EXPECT_CALL(reviews_, ListSelfReviewEntries(4, 0, 21))
      .WillOnce(Return(std::vector<v1::SelfReviewEntry>()));
  EXPECT_TRUE(self_reviews_->GetSelfReview(Staff(), request).ok());
}

// Issue 16 defect 7 (CAT-7): StartSelfReview reads the unit's undisclosed documents in
// keyset batches of 500, not in one unbounded read.
TEST_F(SelfReviewsTest, Cat7StartSelfReviewReadsTheUndisclosedDocumentsInBatches) {
  std::vector<v1::Document> full(500), rest(2);
  for (int i = 0; i < 500; ++i) full[i].set_id(1000 + i);
  rest[0].set_id(2000);
  rest[1].set_id(2001);
  EXPECT_CALL(documents_repo_, ListUndisclosedDocuments(kUnit, 0, 500)).WillOnce(Return(full));
  EXPECT_CALL(documents_repo_, ListUndisclosedDocuments(kUnit, 1499, 500)).WillOnce(Return(rest));
  v1::SelfReview stored;
  EXPECT_CALL(reviews_, CreateSelfReview(_, _))
      .WillOnce(DoAll(SaveArg<0>(&stored), Return(v1::SelfReview())));
  v1::StartSelfReviewRequest request;
  request.set_unit_id(kUnit);
  request.set_year(2024);
  request.set_request_id("2b1c3c64-5e0a-4f56-9d43-5d1a0c7c0f11");
  absl::StatusOr<v1::SelfReview> started = self_reviews_->StartSelfReview(Staff(), request);
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_EQ(stored.entries_size(), 502);
  EXPECT_EQ(stored.entries(501).document_id(), 2001);
}

// CAT-7: a refused completion names the first undecided documents and counts the rest.
TEST_F(SelfReviewsTest, Cat7CompletionNamesTheFirstUndecidedDocumentsAndCountsTheRest) {
  v1::SelfReview review = OpenReviewWithDocument11();
  review.set_entry_count(25);
  ON_CALL(reviews_, GetSelfReview(3)).WillByDefault(Return(review));
  std::vector<int64_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(100 + i);
  EXPECT_CALL(reviews_, ListUndecidedDocumentIds(3, 20)).WillOnce(Return(ids));
  EXPECT_CALL(reviews_, CompleteSelfReview(_, _)).Times(0);
  v1::CompleteSelfReviewRequest complete;
  complete.set_id(3);
  absl::Status status = self_reviews_->CompleteSelfReview(Staff(), complete).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("100, 101"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("119 and 5 more"));
}

}  // namespace
}  // namespace gongkai::catalog::self_review
