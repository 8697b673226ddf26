// Integration tests (label: integration) of the self-review module's MySQL repository
// (services/catalog/self_review/, CAT-7), with conversions written through the documents module,
// against its repository interface, on the real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*
// (fixture: catalog_repository_fixture.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "tests/integration/catalog/catalog_repository_fixture.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using documents::AuditRecord;
using documents::DocumentFilter;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using repository_testing::Audit;
using repository_testing::kT0;
using repository_testing::MakeDeadline;
using repository_testing::RepositorySuite;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::ResultOf;
using ::testing::SizeIs;

// ---- Self-review (CAT-7) -----------------------------------------------------------------

class SelfReviewTest : public RepositorySuite<SelfReviewTest> {
 protected:
  int64_t Approved(int64_t unit_id, v1::DisclosureAttribute attribute, absl::string_view title,
                   v1::DocumentState state = v1::APPROVED) {
    v1::Document d = NewDocument(unit_id, title);
    d.set_disclosure_attribute(attribute);
    d.set_state(state);
    if (attribute != v1::PROACTIVE) {
      d.set_nondisclosure_reason("涉及国家秘密");
      d.set_legal_basis("《政府信息公开条例》第十四条");
    }
    d.set_review_outcome(v1::REVIEW_PASSED);
    d.set_reviewer("carol");
    return Create(d).id();
  }

  // A review of the unit's undisclosed documents, as the domain builds it.
  absl::StatusOr<v1::SelfReview> StartReview(int64_t unit_id, int year) {
    absl::StatusOr<std::vector<v1::Document>> docs =
        documents().ListUndisclosedDocuments(unit_id, 0, 1000);
    if (!docs.ok()) return docs.status();
    v1::SelfReview review;
    review.set_unit_id(unit_id);
    review.set_year(year);
    review.set_state(v1::SELF_REVIEW_OPEN);
    *review.mutable_create_time() = ToTimestamp(kT0);
    for (const v1::Document& d : *docs) {
      v1::SelfReviewEntry* e = review.add_entries();
      e->set_document_id(d.id());
      e->set_document_title(d.title());
      e->set_attribute_at_review(d.disclosure_attribute());
    }
    return reviews().CreateSelfReview(review, nullptr);
  }

  static v1::SelfReviewEntry Decision(int64_t document_id, v1::SelfReviewDecision decision) {
    v1::SelfReviewEntry e;
    e.set_document_id(document_id);
    e.set_decision(decision);
    e.set_reason(decision == v1::KEEP ? "仍涉及国家秘密" : "已不再涉密，转为主动公开");
    e.set_decided_by("reviewer-wang");
    *e.mutable_decide_time() = ToTimestamp(kT0 + absl::Hours(24));
    return e;
  }

  // The conversion of `document` to PROACTIVE (CAT-7), as the domain builds it.
  static documents::DocumentChange Conversion(const v1::Document& document,
                                              int64_t expected_version) {
    v1::Document converted = document;
    converted.set_disclosure_attribute(v1::PROACTIVE);
    converted.set_state(v1::APPROVED);
    *converted.mutable_publication_deadline() =
        MakeDeadline(absl::CivilDay(2024, 6, 11), absl::CivilDay(2024, 7, 9));
    return {converted, expected_version,
            Audit("self-review-convert", v1::APPROVED, v1::APPROVED, kT0 + absl::Hours(24))};
  }
};

TEST_F(SelfReviewTest, ListUndisclosedDocumentsReturnsApprovedNonProactiveOfTheUnitOldestFirst) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  const int64_t on_request = Approved(unit.id(), v1::ON_REQUEST, "依申请公开文件");
  Approved(unit.id(), v1::PROACTIVE, "主动公开文件");
  const int64_t not_disclosed = Approved(unit.id(), v1::NOT_DISCLOSED, "不予公开文件");
  Approved(unit.id(), v1::ON_REQUEST, "待审核文件", v1::PENDING_REVIEW);
  Approved(unit.id(), v1::NOT_DISCLOSED, "草稿", v1::DRAFT);
  Approved(other.id(), v1::NOT_DISCLOSED, "其他单位文件");

  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> docs,
                       documents().ListUndisclosedDocuments(unit.id(), 0, 100));
  EXPECT_THAT(Ids(docs), ElementsAre(on_request, not_disclosed));
  EXPECT_EQ(docs[0].title(), "依申请公开文件");
  EXPECT_EQ(docs[1].disclosure_attribute(), v1::NOT_DISCLOSED);
  // Issue 16 defect 7: keyset batches.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> first,
                       documents().ListUndisclosedDocuments(unit.id(), 0, 1));
  EXPECT_THAT(Ids(first), ElementsAre(on_request));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> next,
                       documents().ListUndisclosedDocuments(unit.id(), on_request, 1));
  EXPECT_THAT(Ids(next), ElementsAre(not_disclosed));
}

// CAT-7: the units without a completed review of the year — none started, or still
// open — by unit id, from a keyset position.
TEST_F(SelfReviewTest, Cat7IncompleteReviewsListUnitsWithoutACompletedReviewOfTheYear) {
  const v1::Unit none = NewUnit();
  const v1::Unit open = NewUnit();
  const v1::Unit done = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview open_review, StartReview(open.id(), 2031));
  ASSERT_OK_AND_ASSIGN(v1::SelfReview done_review, StartReview(done.id(), 2031));
  ASSERT_THAT(reviews().CompleteSelfReview(done_review.id(), kT0), IsOk());
  ASSERT_THAT(StartReview(none.id(), 2030), IsOk());  // Another year's review counts not.

  ASSERT_OK_AND_ASSIGN(std::vector<v1::IncompleteSelfReview> page,
                       reviews().ListIncompleteSelfReviews(2031, none.id() - 1, 1000));
  std::map<int64_t, v1::IncompleteSelfReview> by_unit;
  for (const v1::IncompleteSelfReview& u : page) by_unit[u.unit_id()] = u;
  ASSERT_TRUE(by_unit.count(none.id()));
  EXPECT_EQ(by_unit[none.id()].self_review_id(), 0);
  EXPECT_EQ(by_unit[none.id()].state(), v1::SELF_REVIEW_STATE_UNSPECIFIED);
  EXPECT_EQ(by_unit[none.id()].unit_code(), none.code());
  ASSERT_TRUE(by_unit.count(open.id()));
  EXPECT_EQ(by_unit[open.id()].self_review_id(), open_review.id());
  EXPECT_EQ(by_unit[open.id()].state(), v1::SELF_REVIEW_OPEN);
  EXPECT_FALSE(by_unit.count(done.id()));
  EXPECT_EQ(page.front().unit_id(), none.id());  // Ascending from the keyset position.

  ASSERT_OK_AND_ASSIGN(std::vector<v1::IncompleteSelfReview> after,
                       reviews().ListIncompleteSelfReviews(2031, none.id(), 1));
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_EQ(after[0].unit_id(), open.id());
}

TEST_F(SelfReviewTest, CreateStoresEntriesAndASecondReviewOfTheYearIsAlreadyExists) {
  const v1::Unit unit = NewUnit();
  const int64_t a = Approved(unit.id(), v1::ON_REQUEST, "文件甲");
  const int64_t b = Approved(unit.id(), v1::NOT_DISCLOSED, "文件乙");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  EXPECT_GT(review.id(), 0);

  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, reviews().GetSelfReview(review.id()));
  EXPECT_EQ(loaded.unit_id(), unit.id());
  EXPECT_EQ(loaded.year(), 2024);
  EXPECT_EQ(loaded.state(), v1::SELF_REVIEW_OPEN);
  EXPECT_EQ(FromTimestamp(loaded.create_time()), kT0);
  EXPECT_FALSE(loaded.has_complete_time());
  EXPECT_THAT(loaded.entries(), IsEmpty());  // Entries are read in pages (defect 7).
  EXPECT_EQ(loaded.entry_count(), 2);
  EXPECT_EQ(loaded.decided_count(), 0);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SelfReviewEntry> entries,
                       reviews().ListSelfReviewEntries(review.id(), 0, 100));
  ASSERT_THAT(entries, SizeIs(2));
  EXPECT_EQ(entries[0].document_id(), a);
  EXPECT_EQ(entries[0].document_title(), "文件甲");
  EXPECT_EQ(entries[0].attribute_at_review(), v1::ON_REQUEST);
  EXPECT_EQ(entries[0].decision(), v1::SELF_REVIEW_DECISION_UNSPECIFIED);
  EXPECT_FALSE(entries[0].has_decide_time());
  EXPECT_EQ(entries[1].document_id(), b);
  EXPECT_EQ(entries[1].attribute_at_review(), v1::NOT_DISCLOSED);

  const int64_t reviews_before = Count("SELECT COUNT(*) FROM self_reviews");
  const int64_t entries_before = Count("SELECT COUNT(*) FROM self_review_entries");
  EXPECT_THAT(StartReview(unit.id(), 2024),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk_self_reviews_unit_year")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM self_reviews"), reviews_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM self_review_entries"), entries_before);
  EXPECT_THAT(StartReview(unit.id(), 2025), IsOk());
  EXPECT_THAT(reviews().GetSelfReview(88888),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("88888")));
}

// The entries go in in batches (issue 16 defect 7): more than one batch, all stored in order.
TEST_F(SelfReviewTest, CreateStoresManyEntriesInBatches) {
  const v1::Unit unit = NewUnit();
  v1::SelfReview review;
  review.set_unit_id(unit.id());
  review.set_year(2024);
  review.set_state(v1::SELF_REVIEW_OPEN);
  *review.mutable_create_time() = ToTimestamp(kT0);
  for (int i = 1; i <= 450; ++i) {
    v1::SelfReviewEntry* e = review.add_entries();
    e->set_document_id(900000 + i);
    e->set_document_title(absl::StrCat("文件", i));
    e->set_attribute_at_review(i % 2 ? v1::ON_REQUEST : v1::NOT_DISCLOSED);
  }
  ASSERT_OK_AND_ASSIGN(v1::SelfReview created, reviews().CreateSelfReview(review, nullptr));
  EXPECT_EQ(created.entry_count(), 450);
  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, reviews().GetSelfReview(created.id()));
  EXPECT_EQ(loaded.entry_count(), 450);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SelfReviewEntry> all,
                       reviews().ListSelfReviewEntries(created.id(), 0, 1000));
  ASSERT_THAT(all, SizeIs(450));
  EXPECT_EQ(all[0].document_id(), 900001);
  EXPECT_EQ(all[449].document_title(), "文件450");
  EXPECT_EQ(all[449].attribute_at_review(), v1::NOT_DISCLOSED);
}

// Issue 16 defect 7: the entries are a keyset read by document id, bounded by `limit`.
TEST_F(SelfReviewTest, EntriesAreReadInKeysetPagesAndUndecidedIdsAreCapped) {
  const v1::Unit unit = NewUnit();
  const int64_t a = Approved(unit.id(), v1::ON_REQUEST, "文件甲");
  const int64_t b = Approved(unit.id(), v1::NOT_DISCLOSED, "文件乙");
  const int64_t c = Approved(unit.id(), v1::ON_REQUEST, "文件丙");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SelfReviewEntry> first,
                       reviews().ListSelfReviewEntries(review.id(), 0, 2));
  ASSERT_THAT(first, SizeIs(2));
  EXPECT_EQ(first[1].document_id(), b);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SelfReviewEntry> second,
                       reviews().ListSelfReviewEntries(review.id(), b, 2));
  ASSERT_THAT(second, SizeIs(1));
  EXPECT_EQ(second[0].document_id(), c);
  EXPECT_THAT(reviews().ListSelfReviewEntries(review.id() + 1000, 0, 2), IsOkAndHolds(IsEmpty()));

  ASSERT_THAT(reviews().DecideSelfReviewEntry(review.id(), Decision(a, v1::KEEP), std::nullopt),
              IsOk());
  EXPECT_THAT(reviews().ListUndecidedDocumentIds(review.id(), 1), IsOkAndHolds(ElementsAre(b)));
  EXPECT_THAT(reviews().ListUndecidedDocumentIds(review.id(), 10), IsOkAndHolds(ElementsAre(b, c)));
  ASSERT_OK_AND_ASSIGN(v1::SelfReviewEntry kept, reviews().GetSelfReviewEntry(review.id(), a));
  EXPECT_EQ(kept.decision(), v1::KEEP);
  EXPECT_THAT(reviews().GetSelfReviewEntry(review.id(), 777777),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("777777")));
  ASSERT_OK_AND_ASSIGN(v1::SelfReview loaded, reviews().GetSelfReview(review.id()));
  EXPECT_EQ(loaded.entry_count(), 3);
  EXPECT_EQ(loaded.decided_count(), 1);
  EXPECT_EQ(loaded.kept_count(), 1);
  EXPECT_EQ(loaded.converted_count(), 0);
}

TEST_F(SelfReviewTest, KeepDecisionIsRecordedWithoutTouchingTheDocument) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::NOT_DISCLOSED, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, documents().GetDocument(doc_id));

  ASSERT_OK_AND_ASSIGN(
      v1::SelfReview decided,
      reviews().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::KEEP), std::nullopt));
  EXPECT_EQ(decided.decided_count(), 1);
  EXPECT_EQ(decided.kept_count(), 1);
  ASSERT_OK_AND_ASSIGN(const v1::SelfReviewEntry e,
                       reviews().GetSelfReviewEntry(review.id(), doc_id));
  EXPECT_EQ(e.decision(), v1::KEEP);
  EXPECT_EQ(e.reason(), "仍涉及国家秘密");
  EXPECT_EQ(e.decided_by(), "reviewer-wang");
  EXPECT_EQ(FromTimestamp(e.decide_time()), kT0 + absl::Hours(24));
  EXPECT_THAT(reviews().GetSelfReview(review.id()), IsOkAndHolds(EqualsProto(decided)));
  EXPECT_THAT(documents().GetDocument(doc_id), IsOkAndHolds(EqualsProto(before)));
  EXPECT_EQ(AuditRows(doc_id), 1);
}

TEST_F(SelfReviewTest, ConversionUpdatesTheDocumentAndAuditsInTheSameTransaction) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, documents().GetDocument(doc_id));

  ASSERT_OK_AND_ASSIGN(
      v1::SelfReview decided,
      reviews().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                      Conversion(before, before.version())));
  EXPECT_EQ(decided.converted_count(), 1);
  ASSERT_OK_AND_ASSIGN(v1::SelfReviewEntry entry,
                       reviews().GetSelfReviewEntry(review.id(), doc_id));
  EXPECT_EQ(entry.decision(), v1::CONVERT_TO_PROACTIVE);
  ASSERT_OK_AND_ASSIGN(v1::Document after, documents().GetDocument(doc_id));
  EXPECT_EQ(after.version(), before.version() + 1);
  EXPECT_EQ(after.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(after.state(), v1::APPROVED);
  EXPECT_EQ(after.publication_deadline().due().day(), 9);
  EXPECT_EQ(FromTimestamp(after.update_time()), kT0 + absl::Hours(24));
  EXPECT_EQ(after.title(), before.title());
  EXPECT_EQ(AuditRows(doc_id), 2);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       documents().ListAudit(doc_id, {0, 1}));
  EXPECT_EQ(audit[0].action(), "self-review-convert");
  // Converted documents are no longer undisclosed.
  EXPECT_THAT(documents().ListUndisclosedDocuments(unit.id(), 0, 100), IsOkAndHolds(IsEmpty()));
}

TEST_F(SelfReviewTest, StaleVersionInTheConversionIsAbortedAndTheEntryStaysUndecided) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_OK_AND_ASSIGN(v1::Document before, documents().GetDocument(doc_id));
  // Someone edits the document after the reviewer loaded it.
  ASSERT_OK_AND_ASSIGN(
      v1::Document edited,
      documents().UpdateDocument(before, before.version(),
                                 Audit("edit", v1::APPROVED, v1::APPROVED, kT0), std::nullopt));

  EXPECT_THAT(
      reviews().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                      Conversion(before, before.version())),
      StatusIs(absl::StatusCode::kAborted,
               AllOf(HasSubstr("is at version 2, not 1"), Not(HasSubstr("gave up")))));
  ASSERT_OK_AND_ASSIGN(v1::SelfReviewEntry loaded,
                       reviews().GetSelfReviewEntry(review.id(), doc_id));
  EXPECT_EQ(loaded.decision(), v1::SELF_REVIEW_DECISION_UNSPECIFIED);
  EXPECT_EQ(loaded.decided_by(), "");
  EXPECT_THAT(documents().GetDocument(doc_id), IsOkAndHolds(EqualsProto(edited)));
  EXPECT_EQ(AuditRows(doc_id), 2);

  // With the current version it goes through.
  EXPECT_THAT(
      reviews().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::CONVERT_TO_PROACTIVE),
                                      Conversion(edited, edited.version())),
      IsOk());
}

TEST_F(SelfReviewTest, DecidingTwiceIsFailedPrecondition) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "文件");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  ASSERT_THAT(
      reviews().DecideSelfReviewEntry(review.id(), Decision(doc_id, v1::KEEP), std::nullopt),
      IsOk());
  v1::SelfReviewEntry again = Decision(doc_id, v1::CONVERT_TO_PROACTIVE);
  EXPECT_THAT(reviews().DecideSelfReviewEntry(review.id(), again, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));
  ASSERT_OK_AND_ASSIGN(v1::SelfReviewEntry loaded,
                       reviews().GetSelfReviewEntry(review.id(), doc_id));
  EXPECT_EQ(loaded.decision(), v1::KEEP);
  // A document that is not in the review is refused the same way.
  EXPECT_THAT(
      reviews().DecideSelfReviewEntry(review.id(), Decision(999999, v1::KEEP), std::nullopt),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("999999")));
  EXPECT_THAT(reviews().DecideSelfReviewEntry(55555, Decision(doc_id, v1::KEEP), std::nullopt),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("55555")));
}

TEST_F(SelfReviewTest, CompleteNeedsEveryEntryDecidedAndThenRefusesDecisions) {
  const v1::Unit unit = NewUnit();
  const int64_t a = Approved(unit.id(), v1::ON_REQUEST, "文件甲");
  const int64_t b = Approved(unit.id(), v1::NOT_DISCLOSED, "文件乙");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  const absl::Time done = kT0 + absl::Hours(72);

  EXPECT_THAT(reviews().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2 entries")));
  ASSERT_THAT(reviews().DecideSelfReviewEntry(review.id(), Decision(a, v1::KEEP), std::nullopt),
              IsOk());
  EXPECT_THAT(reviews().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("1 entries")));
  ASSERT_THAT(reviews().DecideSelfReviewEntry(review.id(), Decision(b, v1::KEEP), std::nullopt),
              IsOk());

  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed, reviews().CompleteSelfReview(review.id(), done));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
  EXPECT_EQ(FromTimestamp(completed.complete_time()), done);
  EXPECT_THAT(reviews().GetSelfReview(review.id()), IsOkAndHolds(EqualsProto(completed)));

  EXPECT_THAT(reviews().DecideSelfReviewEntry(review.id(), Decision(a, v1::CONVERT_TO_PROACTIVE),
                                              std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("completed")));
  EXPECT_THAT(reviews().CompleteSelfReview(review.id(), done),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("completed")));
}

TEST_F(SelfReviewTest, ReviewWithoutEntriesCompletesAtOnce) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartReview(unit.id(), 2024));
  EXPECT_EQ(review.entry_count(), 0);
  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed, reviews().CompleteSelfReview(review.id(), kT0));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
}

// ---- CAT-7: the year's most-requested information -------------------------------------

using self_review::MostRequestedDecisionWrite;
using self_review::SelfReviewEvidence;

class SelfReviewMostRequestedTest : public SelfReviewTest {
 protected:
  // A review of the unit's undisclosed documents with `subjects` as its most-requested
  // items (numbered from 1), built with threshold 2 of catalog.self_review v1.
  absl::StatusOr<v1::SelfReview> StartWithItems(int64_t unit_id,
                                                const std::vector<std::string>& subjects) {
    v1::SelfReview review;
    review.set_unit_id(unit_id);
    review.set_year(2024);
    review.set_state(v1::SELF_REVIEW_OPEN);
    *review.mutable_create_time() = ToTimestamp(kT0);
    review.set_most_requested_min_applicants(2);
    review.set_most_requested_rule("catalog.self_review v1 (2008-05-01) ... = 2 (CAT-7)");
    review.set_most_requested_rule_version("catalog.self_review@1");
    int number = 0;
    for (const std::string& subject : subjects) {
      v1::MostRequestedInformation* item = review.add_most_requested();
      item->set_item_number(++number);
      item->set_subject(subject);
      item->set_group_key(absl::StrCat("subject:", subject));
      item->set_request_count(number + 2);
      item->set_applicant_count(2);
      item->add_other_subjects(absl::StrCat("关于", subject, "的信息"));
      item->add_request_ids(100 + number);
      item->add_request_ids(200 + number);
    }
    return reviews().CreateSelfReview(review, nullptr);
  }

  static MostRequestedDecisionWrite Decided(int item_number, v1::MostRequestedDecision decision) {
    MostRequestedDecisionWrite write;
    write.item.set_item_number(item_number);
    write.item.set_decision(decision);
    write.item.set_reason(decision == v1::KEEP_ON_REQUEST ? "涉及个人信息" : "");
    write.item.set_decided_by("reviewer-wang");
    *write.item.mutable_decide_time() = ToTimestamp(kT0 + absl::Hours(24));
    return write;
  }
};

TEST_F(SelfReviewMostRequestedTest, Cat7ItemsAreStoredWithTheReviewAndReadInKeysetPages) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview created,
                       StartWithItems(unit.id(), {"学区划分", "征地补偿标准", "低保名单"}));
  EXPECT_EQ(created.most_requested_count(), 3);
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, reviews().GetSelfReview(created.id()));
  EXPECT_EQ(review.most_requested_count(), 3);
  EXPECT_EQ(review.most_requested_decided_count(), 0);
  EXPECT_EQ(review.most_requested_min_applicants(), 2);
  EXPECT_EQ(review.most_requested_rule_version(), "catalog.self_review@1");
  EXPECT_THAT(review.most_requested_rule(), HasSubstr("CAT-7"));

  ASSERT_OK_AND_ASSIGN(std::vector<v1::MostRequestedInformation> first,
                       reviews().ListMostRequested(review.id(), 0, 2));
  ASSERT_THAT(first, SizeIs(2));
  EXPECT_EQ(first[0].item_number(), 1);
  EXPECT_EQ(first[0].subject(), "学区划分");
  EXPECT_EQ(first[1].subject(), "征地补偿标准");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::MostRequestedInformation> rest,
                       reviews().ListMostRequested(review.id(), 2, 2));
  ASSERT_THAT(rest, SizeIs(1));
  EXPECT_EQ(rest[0].item_number(), 3);

  ASSERT_OK_AND_ASSIGN(v1::MostRequestedInformation item,
                       reviews().GetMostRequested(review.id(), 2));
  EXPECT_EQ(item.group_key(), "subject:征地补偿标准");
  EXPECT_EQ(item.request_count(), 4);
  EXPECT_EQ(item.applicant_count(), 2);
  EXPECT_THAT(item.other_subjects(), ElementsAre("关于征地补偿标准的信息"));
  EXPECT_THAT(item.request_ids(), ElementsAre(102, 202));
  EXPECT_EQ(item.decision(), v1::MOST_REQUESTED_DECISION_UNSPECIFIED);
  EXPECT_THAT(reviews().GetMostRequested(review.id(), 9),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("9")));
}

// CAT-7: disclosing an item through an undisclosed document converts the document in
// the decision's transaction, as an entry's conversion does; a stale document leaves
// both unchanged. The conversion counts in the unit's compliance evidence.
TEST_F(SelfReviewMostRequestedTest, Cat7DisclosureConvertsTheDocumentInTheDecisionsTransaction) {
  const v1::Unit unit = NewUnit();
  const int64_t doc_id = Approved(unit.id(), v1::ON_REQUEST, "学区划分方案");
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartWithItems(unit.id(), {"学区划分"}));
  ASSERT_OK_AND_ASSIGN(v1::Document before, documents().GetDocument(doc_id));
  ASSERT_OK_AND_ASSIGN(
      v1::Document edited,
      documents().UpdateDocument(before, before.version(),
                                 Audit("edit", v1::APPROVED, v1::APPROVED, kT0), std::nullopt));

  MostRequestedDecisionWrite write = Decided(1, v1::DISCLOSE_PROACTIVELY);
  write.item.set_catalog_item_id(5);
  write.item.set_document_id(doc_id);
  write.item.set_document_action(v1::DOCUMENT_CONVERTED);
  write.conversion = Conversion(before, before.version());  // Stale: edited since.
  EXPECT_THAT(reviews().DecideMostRequested(review.id(), write),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2, not 1")));
  ASSERT_OK_AND_ASSIGN(v1::MostRequestedInformation undecided,
                       reviews().GetMostRequested(review.id(), 1));
  EXPECT_EQ(undecided.decision(), v1::MOST_REQUESTED_DECISION_UNSPECIFIED);
  EXPECT_THAT(documents().GetDocument(doc_id), IsOkAndHolds(EqualsProto(edited)));

  write.conversion = Conversion(edited, edited.version());
  ASSERT_OK_AND_ASSIGN(v1::SelfReview decided, reviews().DecideMostRequested(review.id(), write));
  EXPECT_EQ(decided.most_requested_decided_count(), 1);
  EXPECT_EQ(decided.most_requested_disclosed_count(), 1);
  ASSERT_OK_AND_ASSIGN(v1::MostRequestedInformation item,
                       reviews().GetMostRequested(review.id(), 1));
  EXPECT_EQ(item.decision(), v1::DISCLOSE_PROACTIVELY);
  EXPECT_EQ(item.catalog_item_id(), 5);
  EXPECT_EQ(item.document_id(), doc_id);
  EXPECT_EQ(item.document_action(), v1::DOCUMENT_CONVERTED);
  EXPECT_EQ(item.decided_by(), "reviewer-wang");
  EXPECT_EQ(FromTimestamp(item.decide_time()), kT0 + absl::Hours(24));
  ASSERT_OK_AND_ASSIGN(v1::Document after, documents().GetDocument(doc_id));
  EXPECT_EQ(after.disclosure_attribute(), v1::PROACTIVE);
  EXPECT_EQ(after.version(), edited.version() + 1);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       documents().ListAudit(doc_id, {0, 1}));
  EXPECT_EQ(audit[0].action(), "self-review-convert");

  ASSERT_OK_AND_ASSIGN(
      SelfReviewEvidence evidence,
      reviews().EvidenceForUnit(unit.id(), 2024, 2024, kT0, kT0 + absl::Hours(48)));
  EXPECT_EQ(evidence.conversions.count, 1);

  // Decided once.
  write.conversion.reset();
  EXPECT_THAT(reviews().DecideMostRequested(review.id(), write),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));
}

// CAT-7: a decision that creates the catalog item and the document stores both in its
// transaction (revision 1 of the item, version 1 of the draft with its "create" audit
// line) and records their ids; a decision refused at the end leaves neither behind.
TEST_F(SelfReviewMostRequestedTest, Cat7CreatedCatalogItemAndDocumentCommitWithTheDecision) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartWithItems(unit.id(), {"学区划分", "低保名单"}));
  const auto creating = [&](int item_number) {
    MostRequestedDecisionWrite write = Decided(item_number, v1::DISCLOSE_PROACTIVELY);
    v1::CatalogItem item;
    item.set_category_id(109);
    item.set_responsible_unit_id(unit.id());
    item.set_content("义务教育学区划分");
    item.set_time_limit("信息形成或变更之日起20个工作日内");
    item.set_method("政府网站");
    item.set_revision(1);
    item.set_changed_by("reviewer-wang");
    *item.mutable_change_time() = ToTimestamp(kT0 + absl::Hours(24));
    write.new_catalog_item = item;
    v1::Document d = NewDocument(unit.id(), "学区划分通知");
    d.set_category_id(109);
    d.set_created_by("reviewer-wang");
    write.new_document = documents::DocumentChange{
        d, 0, Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0 + absl::Hours(24))};
    write.item.set_document_action(v1::DOCUMENT_CREATED);
    write.item.set_catalog_item_created(true);
    return write;
  };
  const std::string items_of_unit =
      "SELECT COUNT(*) FROM catalog_items WHERE responsible_unit_id = ?";
  const std::string documents_of_unit = "SELECT COUNT(*) FROM documents WHERE drafting_unit_id = ?";

  ASSERT_OK_AND_ASSIGN(v1::SelfReview decided,
                       reviews().DecideMostRequested(review.id(), creating(1)));
  EXPECT_EQ(decided.most_requested_disclosed_count(), 1);
  ASSERT_OK_AND_ASSIGN(v1::MostRequestedInformation item,
                       reviews().GetMostRequested(review.id(), 1));
  EXPECT_EQ(item.document_action(), v1::DOCUMENT_CREATED);
  EXPECT_TRUE(item.catalog_item_created());
  ASSERT_GT(item.catalog_item_id(), 0);
  ASSERT_GT(item.document_id(), 0);
  ASSERT_OK_AND_ASSIGN(v1::CatalogItem catalog_item,
                       items().GetCatalogItem(item.catalog_item_id()));
  EXPECT_EQ(catalog_item.responsible_unit_id(), unit.id());
  EXPECT_EQ(catalog_item.revision(), 1);
  EXPECT_EQ(catalog_item.content(), "义务教育学区划分");
  ASSERT_OK_AND_ASSIGN(v1::Document document, documents().GetDocument(item.document_id()));
  EXPECT_EQ(document.title(), "学区划分通知");
  EXPECT_EQ(document.category_id(), 109);
  EXPECT_EQ(document.version(), 1);
  EXPECT_EQ(AuditRows(document.id()), 1);
  EXPECT_EQ(Count(items_of_unit, {db::Value(unit.id())}), 1);
  EXPECT_EQ(Count(documents_of_unit, {db::Value(unit.id())}), 1);

  // Item 1 is decided: a second decision creating again is refused and writes nothing.
  EXPECT_THAT(reviews().DecideMostRequested(review.id(), creating(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already decided")));
  EXPECT_EQ(Count(items_of_unit, {db::Value(unit.id())}), 1);
  EXPECT_EQ(Count(documents_of_unit, {db::Value(unit.id())}), 1);
}

TEST_F(SelfReviewMostRequestedTest, Cat7CompletionWaitsForEveryMostRequestedItem) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(v1::SelfReview review, StartWithItems(unit.id(), {"学区划分", "低保名单"}));
  EXPECT_THAT(reviews().CompleteSelfReview(review.id(), kT0 + absl::Hours(30)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("2 most-requested items")));
  ASSERT_THAT(reviews().DecideMostRequested(review.id(), Decided(2, v1::KEEP_ON_REQUEST)), IsOk());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::MostRequestedInformation> open,
                       reviews().ListUndecidedMostRequested(review.id(), 20));
  ASSERT_THAT(open, SizeIs(1));
  EXPECT_EQ(open[0].item_number(), 1);
  EXPECT_EQ(open[0].subject(), "学区划分");
  EXPECT_THAT(reviews().CompleteSelfReview(review.id(), kT0 + absl::Hours(30)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("1 most-requested items")));
  ASSERT_THAT(reviews().DecideMostRequested(review.id(), Decided(1, v1::KEEP_ON_REQUEST)), IsOk());
  ASSERT_OK_AND_ASSIGN(v1::SelfReview completed,
                       reviews().CompleteSelfReview(review.id(), kT0 + absl::Hours(30)));
  EXPECT_EQ(completed.state(), v1::SELF_REVIEW_COMPLETED);
  EXPECT_EQ(completed.most_requested_kept_count(), 2);
  // A completed review takes no more decisions.
  EXPECT_THAT(reviews().DecideMostRequested(review.id(), Decided(1, v1::KEEP_ON_REQUEST)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("completed")));
}

}  // namespace
}  // namespace gongkai::catalog
