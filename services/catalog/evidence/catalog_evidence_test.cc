// Unit tests of the catalog's compliance evidence (ASM-6 items 3, 4, 5, 11, 14): the
// modules' gMock repositories and the annual report's fake behind CatalogEvidence.
#include "services/catalog/evidence/catalog_evidence.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/db/testing/status_matchers.h"
#include "services/catalog/annual_report/fake_report_repository.h"
#include "services/catalog/catalog_items/mock_catalog_item_repository.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/catalog_test_support.h"
#include "services/catalog/documents/mock_document_repository.h"
#include "services/catalog/requests/mock_request_repository.h"
#include "services/catalog/self_review/mock_self_review_repository.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::evidence {
namespace {

using catalog_testing::kUnit;
using catalog_testing::ShanghaiTime;
using common::v1::EvidenceIndicator;
using common::v1::ItemEvidence;
using db::testing::StatusIs;
using gongkai::evidence::EvidenceQuery;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::SaveArg;

IdSample Ids(std::vector<int64_t> ids) { return IdSample{static_cast<int64_t>(ids.size()), ids}; }

const EvidenceIndicator& Indicator(const ItemEvidence& evidence, const std::string& name) {
  for (const EvidenceIndicator& i : evidence.indicators()) {
    if (i.name() == name) return i;
  }
  ADD_FAILURE() << "no indicator " << name;
  static const EvidenceIndicator* none = new EvidenceIndicator();
  return *none;
}

class CatalogEvidenceTest : public ::testing::Test {
 protected:
  CatalogEvidenceTest()
      : evidence_({&units_, &items_, &documents_, &reviews_, &requests_, &reports_},
                  catalog_testing::NationalRuleBook()) {
    SetLevel(v1::UNIT_LEVEL_DEPARTMENT);
    ON_CALL(documents_, EvidenceForUnit(_)).WillByDefault(Return(documents::DocumentEvidence()));
    ON_CALL(items_, EvidenceForUnit(_, _, _))
        .WillByDefault(Return(catalog_items::CatalogItemEvidence()));
    ON_CALL(reviews_, EvidenceForUnit(_, _, _, _, _))
        .WillByDefault(Return(self_review::SelfReviewEvidence()));
    ON_CALL(requests_, EvidenceForUnit(_)).WillByDefault(Return(requests::RequestEvidence()));
  }

  void SetLevel(v1::UnitLevel level) {
    v1::Unit unit;
    unit.set_id(kUnit);
    unit.set_level(level);
    ON_CALL(units_, GetUnit(kUnit)).WillByDefault(Return(unit));
  }

  // Publishes the report of `year` in the fake on `day` (10:00 Asia/Shanghai).
  int64_t PublishReport(int year, absl::CivilDay day) {
    v1::AnnualReport snapshot;
    snapshot.set_year(year);
    snapshot.set_unit_id(kUnit);
    const annual_report::ReportAudit audit{"office", "publish", "",
                                           ShanghaiTime(day.year(), day.month(), day.day())};
    annual_report::StoredReport r = *reports_.StartPublication(snapshot, 0, audit);
    r = *reports_.RecordPublicationDocument(year, kUnit, 99, r.version, audit);
    return reports_.CompletePublication(year, kUnit, r.version, audit)->id;
  }

  // The period [first, last] asked on `today`.
  static EvidenceQuery Query(absl::CivilDay first, absl::CivilDay last, absl::CivilDay today) {
    return EvidenceQuery{kUnit, first, last, today};
  }

  NiceMock<units::MockUnitRepository> units_;
  NiceMock<catalog_items::MockCatalogItemRepository> items_;
  NiceMock<documents::MockDocumentRepository> documents_;
  NiceMock<self_review::MockSelfReviewRepository> reviews_;
  NiceMock<requests::MockRequestRepository> requests_;
  annual_report::FakeReportRepository reports_;
  CatalogEvidence evidence_;
};

const absl::CivilDay kJan1(2025, 1, 1);
const absl::CivilDay kMay31(2025, 5, 31);
const absl::CivilDay kToday(2025, 6, 15);

TEST_F(CatalogEvidenceTest, Asm6AnswersItems3To5And11And14) {
  EXPECT_THAT(evidence_.Items(),
              ElementsAre(common::v1::FIVE_DISCLOSURES_IN_PROCEDURES,
                          common::v1::DISCLOSURE_ATTRIBUTE, common::v1::PROACTIVE_CATALOG,
                          common::v1::DISCLOSURE_ON_REQUEST, common::v1::ANNUAL_REPORT));
}

TEST_F(CatalogEvidenceTest, AUnitThatDoesNotExistIsNotFound) {
  EXPECT_CALL(units_, GetUnit(kUnit)).WillOnce(Return(absl::NotFoundError("unit 7 not found")));
  EXPECT_THAT(evidence_.Collect(common::v1::DISCLOSURE_ATTRIBUTE, Query(kJan1, kMay31, kToday)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("unit 7")));
}

TEST_F(CatalogEvidenceTest, Item3AsksForTheShanghaiPeriodAndListsDraftedReturnedAndReviewed) {
  documents::DocumentEvidence d;
  d.drafted = Ids({5, 3, 4});
  d.returned_for_attribute = Ids({4});
  d.published_after_review = IdSample{1500, {1, 2}};
  documents::DocumentEvidencePeriod asked;
  EXPECT_CALL(documents_, EvidenceForUnit(_)).WillOnce(DoAll(SaveArg<0>(&asked), Return(d)));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::FIVE_DISCLOSURES_IN_PROCEDURES, Query(kJan1, kMay31, kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(asked.unit_id, kUnit);
  EXPECT_EQ(asked.start, ShanghaiTime(2025, 1, 1, 0));
  EXPECT_EQ(asked.end, ShanghaiTime(2025, 6, 1, 0));
  EXPECT_EQ(asked.overdue_by, kMay31);
  EXPECT_EQ(asked.overdue_checked_at, ShanghaiTime(2025, 6, 1, 0));
  // Only item 3's part is read.
  EXPECT_TRUE(asked.procedures);
  EXPECT_FALSE(asked.attributes);
  EXPECT_FALSE(asked.publication_clock);
  const EvidenceIndicator& drafted = Indicator(*e, "documents_drafted");
  EXPECT_EQ(drafted.count(), 3);
  EXPECT_THAT(drafted.references(), ElementsAre("document/3", "document/4", "document/5"));
  EXPECT_EQ(drafted.requirement(), "CAT-1");
  EXPECT_EQ(Indicator(*e, "documents_returned_for_attribute").requirement(), "CAT-2");
  const EvidenceIndicator& reviewed = Indicator(*e, "documents_published_after_review");
  EXPECT_EQ(reviewed.count(), 1500);
  EXPECT_TRUE(reviewed.references_truncated());
  EXPECT_EQ(reviewed.requirement(), "CAT-4");
}

TEST_F(CatalogEvidenceTest, Item4CountsDocumentsByAttributeAndThoseWithoutOne) {
  documents::DocumentEvidence d;
  d.proactive = Ids({1, 2});
  d.on_request = Ids({3});
  d.not_disclosed = Ids({4});
  d.without_attribute = Ids({5});
  EXPECT_CALL(documents_, EvidenceForUnit(_)).WillOnce(Return(d));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::DISCLOSURE_ATTRIBUTE, Query(kJan1, kMay31, kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(Indicator(*e, "documents_proactive").count(), 2);
  EXPECT_THAT(Indicator(*e, "documents_on_request").references(), ElementsAre("document/3"));
  EXPECT_THAT(Indicator(*e, "documents_not_disclosed").references(), ElementsAre("document/4"));
  EXPECT_THAT(Indicator(*e, "documents_without_attribute").references(), ElementsAre("document/5"));
  EXPECT_TRUE(e->incomplete_reasons().empty());
}

TEST_F(CatalogEvidenceTest, Item5OverdueIsCheckedAtYesterdayWhileThePeriodRuns) {
  documents::DocumentEvidencePeriod asked;
  EXPECT_CALL(documents_, EvidenceForUnit(_))
      .WillOnce(DoAll(SaveArg<0>(&asked), Return(documents::DocumentEvidence())));
  ASSERT_TRUE(evidence_
                  .Collect(common::v1::PROACTIVE_CATALOG,
                           Query(kJan1, absl::CivilDay(2025, 12, 31), kToday))
                  .ok());
  EXPECT_EQ(asked.overdue_by, absl::CivilDay(2025, 6, 14));
  EXPECT_EQ(asked.overdue_checked_at, ShanghaiTime(2025, 6, 15, 0));
  EXPECT_TRUE(asked.publication_clock);
  EXPECT_FALSE(asked.procedures);
}

TEST_F(CatalogEvidenceTest, Item5CountsCatalogPublicationClocksSelfReviewsAndConversions) {
  catalog_items::CatalogItemEvidence items{Ids({10, 11}), Ids({11})};
  EXPECT_CALL(items_,
              EvidenceForUnit(kUnit, ShanghaiTime(2023, 6, 1, 0), ShanghaiTime(2025, 1, 1, 0)))
      .WillOnce(Return(items));
  documents::DocumentEvidence d;
  d.published_on_time = Ids({1});
  d.published_late = Ids({2});
  d.overdue_unpublished = Ids({3});
  d.unpublished_without_due_date = 2;
  EXPECT_CALL(documents_, EvidenceForUnit(_)).WillOnce(Return(d));
  // CAT-7: 2023 has no review, 2024's is completed; 2022's is outside the period.
  self_review::SelfReviewEvidence reviews;
  reviews.reviews = {{2024, 41, true}};
  reviews.conversions = Ids({8});
  EXPECT_CALL(reviews_, EvidenceForUnit(kUnit, 2023, 2024, _, _)).WillOnce(Return(reviews));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::PROACTIVE_CATALOG,
                        Query(absl::CivilDay(2023, 6, 1), absl::CivilDay(2024, 12, 31), kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_THAT(Indicator(*e, "catalog_items_responsible").references(),
              ElementsAre("catalog_item/10", "catalog_item/11"));
  EXPECT_EQ(Indicator(*e, "catalog_items_revised").count(), 1);
  EXPECT_THAT(Indicator(*e, "documents_published_on_time").references(), ElementsAre("document/1"));
  EXPECT_THAT(Indicator(*e, "documents_published_late").references(), ElementsAre("document/2"));
  EXPECT_THAT(Indicator(*e, "documents_overdue_unpublished").references(),
              ElementsAre("document/3"));
  EXPECT_THAT(Indicator(*e, "self_reviews_completed").references(), ElementsAre("self_review/41"));
  const EvidenceIndicator& missing = Indicator(*e, "self_reviews_missing");
  EXPECT_EQ(missing.count(), 1);
  EXPECT_THAT(missing.references(), ElementsAre("year/2023"));
  EXPECT_THAT(Indicator(*e, "self_review_conversions").references(), ElementsAre("document/8"));
  // CAT-3: a due date pending on a calendar year that is not loaded.
  EXPECT_FALSE(e->complete());
  EXPECT_THAT(e->incomplete_reasons(), ElementsAre(HasSubstr("pending")));
}

TEST_F(CatalogEvidenceTest, Item5AnOpenReviewOfAPastYearIsMissing) {
  self_review::SelfReviewEvidence reviews;
  reviews.reviews = {{2024, 41, false}};
  EXPECT_CALL(reviews_, EvidenceForUnit(kUnit, 2024, 2024, _, _)).WillOnce(Return(reviews));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::PROACTIVE_CATALOG,
                        Query(absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31), kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_THAT(Indicator(*e, "self_reviews_missing").references(), ElementsAre("self_review/41"));
  EXPECT_EQ(Indicator(*e, "self_reviews_completed").count(), 0);
}

TEST_F(CatalogEvidenceTest, Item11CountsRequestsAnsweredLateAgainstNat7DueDate) {
  requests::RequestEvidence r;
  r.received = Ids({1, 2, 3});
  r.answered = Ids({1, 2});
  r.answered_on_time = Ids({1});
  r.answered_late = Ids({2});
  r.open_overdue = Ids({3});
  r.challenged = Ids({1});
  r.challenge_corrected = Ids({1});
  r.answered_without_due_date = 1;
  requests::RequestEvidencePeriod asked;
  EXPECT_CALL(requests_, EvidenceForUnit(_)).WillOnce(DoAll(SaveArg<0>(&asked), Return(r)));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::DISCLOSURE_ON_REQUEST, Query(kJan1, kMay31, kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(asked.first, kJan1);
  EXPECT_EQ(asked.last, kMay31);
  EXPECT_EQ(asked.overdue_by, kMay31);
  EXPECT_EQ(Indicator(*e, "requests_received").count(), 3);
  EXPECT_EQ(Indicator(*e, "requests_answered").count(), 2);
  EXPECT_THAT(Indicator(*e, "requests_answered_on_time").references(), ElementsAre("request/1"));
  const EvidenceIndicator& late = Indicator(*e, "requests_answered_late");
  EXPECT_THAT(late.references(), ElementsAre("request/2"));
  EXPECT_EQ(late.requirement(), "NAT-7");
  EXPECT_THAT(Indicator(*e, "requests_open_overdue").references(), ElementsAre("request/3"));
  EXPECT_EQ(Indicator(*e, "requests_challenged").count(), 1);
  EXPECT_EQ(Indicator(*e, "requests_challenge_corrected").count(), 1);
  EXPECT_THAT(e->incomplete_reasons(), ElementsAre(HasSubstr("without a NAT-7 due date")));
}

TEST_F(CatalogEvidenceTest, Item14ADepartmentReportPublishedAfterJan31IsLate) {
  const int64_t id = PublishReport(2024, absl::CivilDay(2025, 2, 3));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::ANNUAL_REPORT, Query(kJan1, kMay31, kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_THAT(Indicator(*e, "annual_reports_published_late").references(),
              ElementsAre(absl::StrCat("annual_report/", id)));
  EXPECT_EQ(Indicator(*e, "annual_reports_published_on_time").count(), 0);
  EXPECT_EQ(Indicator(*e, "annual_reports_missing").count(), 0);
}

TEST_F(CatalogEvidenceTest, Item14AGovernmentReportIsDueMar31AndMissingWhenUnpublished) {
  SetLevel(v1::UNIT_LEVEL_COUNTY);
  const int64_t id = PublishReport(2023, absl::CivilDay(2024, 3, 29));
  absl::StatusOr<ItemEvidence> e =
      evidence_.Collect(common::v1::ANNUAL_REPORT,
                        Query(absl::CivilDay(2024, 3, 1), absl::CivilDay(2025, 2, 28), kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_THAT(Indicator(*e, "annual_reports_published_on_time").references(),
              ElementsAre(absl::StrCat("annual_report/", id)));
  // The 2024 report was due 2025-03-31, after the period: not asked.
  EXPECT_EQ(Indicator(*e, "annual_reports_missing").count(), 0);
  e = evidence_.Collect(common::v1::ANNUAL_REPORT,
                        Query(absl::CivilDay(2025, 3, 1), absl::CivilDay(2025, 4, 30), kToday));
  ASSERT_TRUE(e.ok()) << e.status();
  const EvidenceIndicator& missing = Indicator(*e, "annual_reports_missing");
  EXPECT_EQ(missing.count(), 1);
  EXPECT_THAT(missing.references(), ElementsAre("year/2024"));
  EXPECT_EQ(missing.requirement(), "CAT-9");
}

}  // namespace
}  // namespace gongkai::catalog::evidence
