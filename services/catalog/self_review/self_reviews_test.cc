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
using ::testing::ElementsAre;
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
    catalog_item_rules_ =
        std::make_unique<catalog_items::CatalogItems>(&categories_, &units_, &clock_);
    self_reviews_ =
        std::make_unique<SelfReviews>(&reviews_, &units_, documents_.get(), &categories_,
                                      catalog_item_rules_.get(), &clock_, &observer_);
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
  std::unique_ptr<catalog_items::CatalogItems> catalog_item_rules_;
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

// ---- CAT-7: the year's most-requested information ----------------------------------

class MostRequestedDecisionsTest : public SelfReviewsTest {
 protected:
  MostRequestedDecisionsTest() {
    review_ = OpenReviewWithDocument11();
    review_.set_most_requested_count(2);
    ON_CALL(reviews_, GetSelfReview(3)).WillByDefault(Return(review_));
    v1::MostRequestedInformation item;
    item.set_item_number(1);
    item.set_subject("学区划分");
    item.set_applicant_count(3);
    ON_CALL(reviews_, GetMostRequested(3, 1)).WillByDefault(Return(item));
    ON_CALL(reviews_, DecideMostRequested(3, _)).WillByDefault(Return(review_));
    v1::CatalogItem catalog_item;
    catalog_item.set_id(5);
    catalog_item.set_category_id(40);
    catalog_item.set_responsible_unit_id(kUnit);
    ON_CALL(categories_, GetCatalogItem(5)).WillByDefault(Return(catalog_item));
    catalog_item.set_id(6);
    catalog_item.set_responsible_unit_id(catalog_testing::kOtherUnit);
    ON_CALL(categories_, GetCatalogItem(6)).WillByDefault(Return(catalog_item));
    ON_CALL(categories_, GetCatalogItem(99))
        .WillByDefault(Return(absl::NotFoundError("catalog item 99 not found")));
    ON_CALL(reviews_, ListMostRequested(3, _, _))
        .WillByDefault(Return(std::vector<v1::MostRequestedInformation>()));
    ON_CALL(documents_repo_, ListUndisclosedDocuments(_, _, _))
        .WillByDefault(Return(std::vector<v1::Document>()));
  }

  // Document `id` of kUnit in category 40 with `attribute`, in `state`.
  void StoredInCategory40(int64_t id, v1::DisclosureAttribute attribute, v1::DocumentState state,
                          int64_t unit = kUnit) {
    v1::Document d = ValidDraft();
    d.set_category_id(40);
    d.set_disclosure_attribute(attribute);
    d.set_drafting_unit_id(unit);
    Stored(id, state, d);
  }

  static v1::DecideMostRequestedRequest Disclose(int64_t catalog_item, int64_t document) {
    v1::DecideMostRequestedRequest request;
    request.set_review_id(3);
    request.set_item_number(1);
    request.set_decision(v1::DISCLOSE_PROACTIVELY);
    request.set_catalog_item_id(catalog_item);
    request.set_document_id(document);
    return request;
  }

  v1::SelfReview review_;
};

// CAT-7: a review stores the year's most-requested list when it starts, numbered, with
// the threshold and the rule that gave it.
TEST_F(MostRequestedDecisionsTest, Cat7StartStoresTheYearsListWithTheRuleThatGaveIt) {
  self_reviews_->SetMostRequestedSource(
      [](int64_t unit, int year) -> absl::StatusOr<SelfReviews::MostRequestedList> {
        EXPECT_EQ(unit, kUnit);
        EXPECT_EQ(year, 2024);
        SelfReviews::MostRequestedList list;
        list.items.resize(2);
        list.items[0].set_subject("学区划分");
        list.items[1].set_subject("征地补偿标准");
        list.min_applicants = 2;
        list.rule = "catalog.self_review v1 (2008-05-01) self_review.most_requested.min_applicants";
        list.rule_version = "catalog.self_review@1";
        return list;
      });
  v1::SelfReview stored;
  EXPECT_CALL(reviews_, CreateSelfReview(_, _))
      .WillOnce(DoAll(SaveArg<0>(&stored), Return(v1::SelfReview())));
  v1::StartSelfReviewRequest request;
  request.set_unit_id(kUnit);
  request.set_year(2024);
  request.set_request_id("0c4c2a2e-6c55-4d53-a8a4-0f3c1b6b1d21");
  ASSERT_TRUE(self_reviews_->StartSelfReview(Staff(), request).ok());
  ASSERT_EQ(stored.most_requested_size(), 2);
  EXPECT_EQ(stored.most_requested(0).item_number(), 1);
  EXPECT_EQ(stored.most_requested(1).item_number(), 2);
  EXPECT_EQ(stored.most_requested(1).subject(), "征地补偿标准");
  EXPECT_EQ(stored.most_requested_min_applicants(), 2);
  EXPECT_EQ(stored.most_requested_rule_version(), "catalog.self_review@1");
}

TEST_F(MostRequestedDecisionsTest, Cat7KeepOnRequestNeedsAReasonAndNamesNoDocument) {
  EXPECT_CALL(reviews_, DecideMostRequested(_, _)).Times(0);
  v1::DecideMostRequestedRequest keep;
  keep.set_review_id(3);
  keep.set_item_number(1);
  keep.set_decision(v1::KEEP_ON_REQUEST);
  absl::Status status = self_reviews_->DecideMostRequested(Staff(), keep).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("reason"));
  keep.set_reason("涉及个人信息，逐案审查");
  keep.set_document_id(11);
  status = self_reviews_->DecideMostRequested(Staff(), keep).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("document_id"));
  v1::DecideMostRequestedRequest undecided = keep;
  undecided.clear_document_id();
  undecided.clear_decision();
  EXPECT_EQ(self_reviews_->DecideMostRequested(Staff(), undecided).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MostRequestedDecisionsTest, Cat7KeepOnRequestIsRecordedWithReasonAndDecider) {
  MostRequestedDecisionWrite write;
  EXPECT_CALL(reviews_, DecideMostRequested(3, _))
      .WillOnce(DoAll(SaveArg<1>(&write), Return(review_)));
  v1::DecideMostRequestedRequest keep;
  keep.set_review_id(3);
  keep.set_item_number(1);
  keep.set_decision(v1::KEEP_ON_REQUEST);
  keep.set_reason("涉及个人信息，逐案审查");
  ASSERT_TRUE(self_reviews_->DecideMostRequested(Staff(), keep).ok());
  EXPECT_EQ(write.item.item_number(), 1);
  EXPECT_EQ(write.item.decision(), v1::KEEP_ON_REQUEST);
  EXPECT_EQ(write.item.reason(), "涉及个人信息，逐案审查");
  EXPECT_EQ(write.item.decided_by(), "staff-a");
  EXPECT_FALSE(write.conversion.has_value());
}

// CAT-7: disclosing links the unit's catalog item and a PROACTIVE document as they are.
TEST_F(MostRequestedDecisionsTest, Cat7DiscloseLinksTheUnitsCatalogItemAndProactiveDocument) {
  StoredInCategory40(12, v1::PROACTIVE, v1::PUBLISHED);
  MostRequestedDecisionWrite write;
  EXPECT_CALL(reviews_, DecideMostRequested(3, _))
      .WillOnce(DoAll(SaveArg<1>(&write), Return(review_)));
  absl::StatusOr<v1::SelfReview> result =
      self_reviews_->DecideMostRequested(Staff(), Disclose(5, 12));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(write.item.decision(), v1::DISCLOSE_PROACTIVELY);
  EXPECT_EQ(write.item.catalog_item_id(), 5);
  EXPECT_EQ(write.item.document_id(), 12);
  EXPECT_EQ(write.item.document_action(), v1::DOCUMENT_LINKED);
  EXPECT_FALSE(write.conversion.has_value());
  EXPECT_EQ(observer_.conversions, 0);
  EXPECT_THAT(observer_.most_requested_decided, ElementsAre("linked"));
}

// CAT-7: an ON_REQUEST document is converted as an entry's conversion is — back to the
// confidentiality review as PROACTIVE, NAT-4 counting from the decision — and the
// conversion goes to the repository with the decision (one transaction).
TEST_F(MostRequestedDecisionsTest, Cat7DiscloseConvertsAnUndisclosedDocumentWithTheDecision) {
  StoredInCategory40(13, v1::ON_REQUEST, v1::APPROVED);
  MostRequestedDecisionWrite write;
  EXPECT_CALL(reviews_, DecideMostRequested(3, _))
      .WillOnce(DoAll(SaveArg<1>(&write), Return(review_)));
  clock_.Set(ShanghaiTime(2024, 12, 2));
  ASSERT_TRUE(self_reviews_->DecideMostRequested(Staff(), Disclose(5, 13)).ok());
  EXPECT_EQ(write.item.document_action(), v1::DOCUMENT_CONVERTED);
  ASSERT_TRUE(write.conversion.has_value());
  EXPECT_EQ(write.conversion->document.id(), 13);
  EXPECT_EQ(write.conversion->document.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(write.conversion->document.state(), v1::PENDING_REVIEW);
  EXPECT_EQ(write.conversion->expected_version, 3);
  EXPECT_THAT(write.conversion->audit.detail, HasSubstr("most-requested item 1"));
  EXPECT_EQ(observer_.conversions, 1);
  EXPECT_THAT(observer_.most_requested_decided, ElementsAre("converted"));
}

TEST_F(MostRequestedDecisionsTest, Cat7DiscloseRefusesWhatIsNotTheUnitsOrNotInTheItemsCategory) {
  EXPECT_CALL(reviews_, DecideMostRequested(_, _)).Times(0);
  StoredInCategory40(12, v1::PROACTIVE, v1::PUBLISHED);
  StoredInCategory40(14, v1::PROACTIVE, v1::PUBLISHED, catalog_testing::kOtherUnit);
  v1::Document elsewhere = ValidDraft();
  elsewhere.set_category_id(41);
  Stored(15, v1::PUBLISHED, elsewhere);
  ON_CALL(documents_repo_, GetDocument(98))
      .WillByDefault(Return(absl::NotFoundError("document 98 not found")));
  const auto field_of = [&](int64_t item, int64_t document) {
    absl::Status status =
        self_reviews_->DecideMostRequested(Staff(), Disclose(item, document)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    return std::string(status.message());
  };
  EXPECT_THAT(field_of(6, 12), HasSubstr("catalog_item_id"));   // Another unit's item.
  EXPECT_THAT(field_of(99, 12), HasSubstr("catalog_item_id"));  // No such item.
  EXPECT_THAT(field_of(5, 14), HasSubstr("document_id"));       // Another unit's document.
  EXPECT_THAT(field_of(5, 15), HasSubstr("category 41"));       // Outside the item's category.
  EXPECT_THAT(field_of(5, 98), HasSubstr("document_id"));       // No such document.
  EXPECT_THAT(field_of(0, 0), HasSubstr("catalog_item_id"));    // Both required.
}

TEST_F(MostRequestedDecisionsTest, Cat7AnItemIsDecidedOnceAndOnlyByTheUnit) {
  EXPECT_CALL(reviews_, DecideMostRequested(_, _)).Times(0);
  StoredInCategory40(12, v1::PROACTIVE, v1::PUBLISHED);
  EXPECT_EQ(self_reviews_->DecideMostRequested(Staff(catalog_testing::kOtherUnit), Disclose(5, 12))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::MostRequestedInformation decided;
  decided.set_item_number(1);
  decided.set_decision(v1::KEEP_ON_REQUEST);
  ON_CALL(reviews_, GetMostRequested(3, 1)).WillByDefault(Return(decided));
  absl::Status status = self_reviews_->DecideMostRequested(Staff(), Disclose(5, 12)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("already decided"));
  // A document without an attribute can be neither linked nor converted.
  ON_CALL(reviews_, GetMostRequested(3, 1)).WillByDefault(Return(v1::MostRequestedInformation()));
  StoredInCategory40(16, v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED, v1::DRAFT);
  EXPECT_EQ(self_reviews_->DecideMostRequested(Staff(), Disclose(5, 16)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// CAT-7: disclosing may create the catalog item and a PROACTIVE draft document, checked
// as CreateCatalogItem and CreateDocument check them, placed in the reviewed unit and the
// item's category; both go to the repository with the decision (one transaction).
TEST_F(MostRequestedDecisionsTest, Cat7DiscloseCreatesTheCatalogItemAndADraftWithTheDecision) {
  v1::Category category;
  category.set_id(40);
  ON_CALL(categories_, GetCategory(40)).WillByDefault(Return(category));
  MostRequestedDecisionWrite write;
  EXPECT_CALL(reviews_, DecideMostRequested(3, _))
      .WillOnce(DoAll(SaveArg<1>(&write), Return(review_)));
  clock_.Set(ShanghaiTime(2024, 12, 2));
  v1::DecideMostRequestedRequest request = Disclose(0, 0);
  request.set_reason("三名申请人申请同一信息");
  v1::CatalogItem* item = request.mutable_new_catalog_item();
  item->set_category_id(40);
  item->set_content("义务教育学区划分");
  item->set_time_limit("信息形成或变更之日起20个工作日内");
  item->set_method("政府网站");
  v1::Document draft = ValidDraft();
  draft.clear_drafting_unit_id();
  draft.clear_disclosure_attribute();
  *request.mutable_new_document() = draft;
  absl::StatusOr<v1::SelfReview> result = self_reviews_->DecideMostRequested(Staff(), request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(write.new_catalog_item.has_value());
  EXPECT_EQ(write.new_catalog_item->responsible_unit_id(), kUnit);
  EXPECT_EQ(write.new_catalog_item->revision(), 1);
  EXPECT_EQ(write.new_catalog_item->changed_by(), "staff-a");
  EXPECT_THAT(write.new_catalog_item->change_note(), HasSubstr("most-requested item 1"));
  ASSERT_TRUE(write.new_document.has_value());
  const v1::Document& created = write.new_document->document;
  EXPECT_EQ(created.state(), v1::DRAFT);
  EXPECT_EQ(created.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(created.drafting_unit_id(), kUnit);
  EXPECT_EQ(created.category_id(), 40);
  EXPECT_EQ(created.created_by(), "staff-a");
  EXPECT_TRUE(created.has_publication_deadline());  // CAT-3 from the decision.
  EXPECT_EQ(write.new_document->audit.action, "create");
  EXPECT_THAT(write.new_document->audit.detail, HasSubstr("most-requested item 1"));
  EXPECT_FALSE(write.conversion.has_value());
  EXPECT_EQ(write.item.document_action(), v1::DOCUMENT_CREATED);
  EXPECT_TRUE(write.item.catalog_item_created());
  EXPECT_EQ(write.item.catalog_item_id(), 0);  // Set by the repository on insert.
}

TEST_F(MostRequestedDecisionsTest, Cat7NewItemsAndDocumentsAreCheckedAsTheirOwnCreatesAre) {
  EXPECT_CALL(reviews_, DecideMostRequested(_, _)).Times(0);
  v1::Category category;
  category.set_id(40);
  ON_CALL(categories_, GetCategory(40)).WillByDefault(Return(category));
  const auto violations = [&](const v1::DecideMostRequestedRequest& request) {
    absl::Status status = self_reviews_->DecideMostRequested(Staff(), request).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    return std::string(status.message());
  };
  v1::DecideMostRequestedRequest request = Disclose(0, 12);
  request.mutable_new_catalog_item()->set_category_id(40);  // No content, time limit, method.
  EXPECT_THAT(violations(request), HasSubstr("new_catalog_item.content"));
  request.mutable_new_catalog_item()->set_responsible_unit_id(catalog_testing::kOtherUnit);
  EXPECT_THAT(violations(request), HasSubstr("new_catalog_item.responsible_unit_id"));
  request = Disclose(5, 0);
  v1::Document draft = ValidDraft();
  draft.clear_title();
  *request.mutable_new_document() = draft;
  EXPECT_THAT(violations(request), HasSubstr("new_document.title"));
  draft = ValidDraft();
  draft.set_disclosure_attribute(v1::ON_REQUEST);
  *request.mutable_new_document() = draft;
  EXPECT_THAT(violations(request), HasSubstr("new_document.disclosure_attribute"));
  draft.set_disclosure_attribute(v1::PROACTIVE);
  draft.set_category_id(41);  // Not the item's category.
  *request.mutable_new_document() = draft;
  EXPECT_THAT(violations(request), HasSubstr("new_document.category_id"));
  request.set_document_id(12);  // Both an existing and a new document.
  EXPECT_THAT(violations(request), HasSubstr("exactly one of document_id and new_document"));
  v1::DecideMostRequestedRequest keep;
  keep.set_review_id(3);
  keep.set_item_number(1);
  keep.set_decision(v1::KEEP_ON_REQUEST);
  keep.set_reason("涉及个人信息");
  *keep.mutable_new_document() = ValidDraft();
  EXPECT_THAT(violations(keep), HasSubstr("new_document"));
}

// CAT-7: a review is not complete while a most-requested item is undecided; the refusal
// names the items.
TEST_F(MostRequestedDecisionsTest, Cat7CompletionIsRefusedNamingTheUndecidedItems) {
  review_.set_decided_count(1);  // Every entry decided.
  review_.set_most_requested_count(2);
  review_.set_most_requested_decided_count(1);
  ON_CALL(reviews_, GetSelfReview(3)).WillByDefault(Return(review_));
  v1::MostRequestedInformation open;
  open.set_item_number(2);
  open.set_subject("征地补偿标准");
  EXPECT_CALL(reviews_, ListUndecidedMostRequested(3, 20))
      .WillOnce(Return(std::vector<v1::MostRequestedInformation>{open}));
  EXPECT_CALL(reviews_, CompleteSelfReview(_, _)).Times(0);
  v1::CompleteSelfReviewRequest complete;
  complete.set_id(3);
  absl::Status status = self_reviews_->CompleteSelfReview(Staff(), complete).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("2 \"征地补偿标准\""));
}

}  // namespace
}  // namespace gongkai::catalog::self_review
