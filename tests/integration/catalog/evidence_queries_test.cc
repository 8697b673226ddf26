// Integration tests (label: integration) of the compliance-evidence reads (ASM-6,
// services/catalog/evidence/) of the documents, catalog-items and self-review modules'
// MySQL repositories, against their repository interfaces, on the real MySQL/MariaDB
// named by GONGKAI_TEST_MYSQL_* (fixture: catalog_repository_fixture.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "tests/integration/catalog/catalog_repository_fixture.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using ::gongkai::db::testing::IsOk;
using repository_testing::Audit;
using repository_testing::kT0;
using repository_testing::MakeDeadline;
using repository_testing::RepositorySuite;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time Shanghai(int y, int m, int d, int hh = 10, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), ShanghaiTimeZone());
}

// June 2024, Asia/Shanghai; kT0 is 2024-06-10 14:13 there.
documents::DocumentEvidencePeriod June(int64_t unit_id, absl::CivilDay overdue_by) {
  documents::DocumentEvidencePeriod p;
  p.unit_id = unit_id;
  p.first = absl::CivilDay(2024, 6, 1);
  p.last = absl::CivilDay(2024, 6, 30);
  p.start = Shanghai(2024, 6, 1, 0);
  p.end = Shanghai(2024, 7, 1, 0);
  p.overdue_by = overdue_by;
  p.overdue_checked_at = absl::FromCivil(overdue_by + 1, ShanghaiTimeZone());
  return p;
}

std::vector<int64_t> IdsOf(const IdSample& s) {
  EXPECT_EQ(s.count, static_cast<int64_t>(s.ids.size()));
  return s.ids;
}

class EvidenceQueriesTest : public RepositorySuite<EvidenceQueriesTest> {
 protected:
  // A PROACTIVE document created at kT0 with a CAT-3 due date.
  v1::Document Proactive(int64_t unit_id, absl::CivilDay due) {
    v1::Document d = NewDocument(unit_id);
    *d.mutable_publication_deadline() = MakeDeadline(absl::CivilDay(2024, 6, 10), due);
    return Create(d);
  }

  // Publishes `d` (review passed) at `when`.
  v1::Document Publish(v1::Document d, absl::Time when) {
    d.set_state(v1::PUBLISHED);
    d.set_review_outcome(v1::REVIEW_PASSED);
    *d.mutable_publish_time() = ToTimestamp(when);
    absl::StatusOr<v1::Document> published = documents().UpdateDocument(
        d, d.version(), Audit("publish", v1::APPROVED, v1::PUBLISHED, when), std::nullopt);
    EXPECT_THAT(published, IsOk());
    return published.ok() ? *published : d;
  }
};

TEST_F(EvidenceQueriesTest, Asm6DocumentsOfAUnitAndPeriodByProcedureAttributeAndClock) {
  const int64_t unit = NewUnit().id();
  const int64_t other = NewUnit().id();
  // CAT-3: due 06-20, published 06-20 23:00 (15:00 UTC): on time.
  v1::Document on_time =
      Publish(Proactive(unit, absl::CivilDay(2024, 6, 20)), Shanghai(2024, 6, 20, 23));
  // Due 06-12, published 06-13 00:30: late.
  v1::Document late =
      Publish(Proactive(unit, absl::CivilDay(2024, 6, 12)), Shanghai(2024, 6, 13, 0, 30));
  // Due 06-25, never published.
  v1::Document overdue = Proactive(unit, absl::CivilDay(2024, 6, 25));
  v1::Document on_request = NewDocument(unit);
  on_request.set_disclosure_attribute(v1::ON_REQUEST);
  on_request = Create(on_request);
  // CAT-2: submitted without an attribute, returned (退文) from DRAFT.
  v1::Document without = NewDocument(unit);
  without.set_disclosure_attribute(v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED);
  without = Create(without);
  without.set_state(v1::RETURNED);
  ASSERT_THAT(documents().UpdateDocument(
                  without, without.version(),
                  Audit("return", v1::DRAFT, v1::RETURNED, kT0 + absl::Hours(1)), std::nullopt),
              IsOk());
  // Created before the period, PROACTIVE with its due date pending (NAT-1: no stored
  // publication_due), and another unit's.
  Create(NewDocument(unit), Shanghai(2024, 5, 31, 23, 59));
  Proactive(other, absl::CivilDay(2024, 6, 12));

  absl::StatusOr<documents::DocumentEvidence> e =
      documents().EvidenceForUnit(June(unit, absl::CivilDay(2024, 6, 30)));
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT(IdsOf(e->drafted),
              ElementsAre(on_time.id(), late.id(), overdue.id(), on_request.id(), without.id()));
  EXPECT_THAT(IdsOf(e->proactive), ElementsAre(on_time.id(), late.id(), overdue.id()));
  EXPECT_THAT(IdsOf(e->on_request), ElementsAre(on_request.id()));
  EXPECT_THAT(IdsOf(e->not_disclosed), IsEmpty());
  EXPECT_THAT(IdsOf(e->without_attribute), ElementsAre(without.id()));
  EXPECT_THAT(IdsOf(e->returned_for_attribute), ElementsAre(without.id()));
  EXPECT_THAT(IdsOf(e->published_after_review), ElementsAre(on_time.id(), late.id()));
  EXPECT_THAT(IdsOf(e->published_on_time), ElementsAre(on_time.id()));
  EXPECT_THAT(IdsOf(e->published_late), ElementsAre(late.id()));
  EXPECT_THAT(IdsOf(e->overdue_unpublished), ElementsAre(overdue.id()));
  EXPECT_EQ(e->published_without_due_date, 0);
  EXPECT_EQ(e->unpublished_without_due_date, 1);

  // Checked at the end of 06-24: the document due 06-25 is not overdue yet, and the one
  // due 06-12 was published by then.
  documents::DocumentEvidencePeriod clock_only = June(unit, absl::CivilDay(2024, 6, 24));
  clock_only.procedures = false;
  clock_only.attributes = false;
  e = documents().EvidenceForUnit(clock_only);
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT(IdsOf(e->overdue_unpublished), IsEmpty());
  EXPECT_THAT(IdsOf(e->published_on_time), ElementsAre(on_time.id()));
  EXPECT_THAT(IdsOf(e->drafted), IsEmpty());  // Not asked, not read.
  EXPECT_THAT(IdsOf(e->proactive), IsEmpty());
  // Checked at the end of 06-12: the late one was still unpublished.
  e = documents().EvidenceForUnit(June(unit, absl::CivilDay(2024, 6, 12)));
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT(IdsOf(e->overdue_unpublished), ElementsAre(late.id()));
}

TEST_F(EvidenceQueriesTest, Cat5CatalogItemsOfTheResponsibleUnitAndTheirRevisionsInThePeriod) {
  const int64_t unit = NewUnit().id();
  auto item = [&](absl::Time when) {
    v1::CatalogItem i;
    i.set_category_id(109);
    i.set_responsible_unit_id(unit);
    i.set_content("学校招生政策");
    i.set_time_limit("20个工作日");
    i.set_method("政府网站");
    i.set_changed_by("office");
    *i.mutable_change_time() = ToTimestamp(when);
    absl::StatusOr<v1::CatalogItem> created = items().CreateCatalogItem(i, nullptr);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? *created : i;
  };
  v1::CatalogItem old = item(Shanghai(2024, 1, 5));
  v1::CatalogItem fresh = item(Shanghai(2024, 6, 3));
  v1::CatalogItem revised = old;
  *revised.mutable_change_time() = ToTimestamp(Shanghai(2024, 6, 30, 23, 59));
  revised.set_content("学校招生政策及招生计划");
  ASSERT_THAT(items().UpdateCatalogItem(revised, 1), IsOk());

  absl::StatusOr<catalog_items::CatalogItemEvidence> e =
      items().EvidenceForUnit(unit, Shanghai(2024, 6, 1, 0), Shanghai(2024, 7, 1, 0));
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT(IdsOf(e->responsible), ElementsAre(old.id(), fresh.id()));
  EXPECT_THAT(IdsOf(e->revised), ElementsAre(old.id(), fresh.id()));
  e = items().EvidenceForUnit(unit, Shanghai(2024, 7, 1, 0), Shanghai(2024, 8, 1, 0));
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT(IdsOf(e->revised), IsEmpty());
}

TEST_F(EvidenceQueriesTest, Cat7SelfReviewsByYearAndConversionsDecidedInThePeriod) {
  const int64_t unit = NewUnit().id();
  ASSERT_THAT(env().Execute("INSERT INTO self_reviews (unit_id, year, state, create_time, "
                            "complete_time) VALUES (?, 2023, ?, ?, ?), (?, 2024, ?, ?, NULL)",
                            {unit, static_cast<int>(v1::SELF_REVIEW_COMPLETED), kT0, kT0, unit,
                             static_cast<int>(v1::SELF_REVIEW_OPEN), kT0}),
              IsOk());
  absl::StatusOr<int64_t> review_2024 =
      env().QueryInt("SELECT id FROM self_reviews WHERE unit_id = ? AND year = 2024", {unit});
  ASSERT_THAT(review_2024, IsOk());
  ASSERT_THAT(
      env().Execute("INSERT INTO self_review_entries (review_id, document_id, "
                    "document_title, attribute_at_review, decision, decide_time) VALUES "
                    "(?, 501, 't', 3, ?, ?), (?, 502, 't', 3, ?, ?), (?, 503, 't', 3, ?, ?)",
                    {*review_2024, static_cast<int>(v1::CONVERT_TO_PROACTIVE), kT0, *review_2024,
                     static_cast<int>(v1::KEEP), kT0, *review_2024,
                     static_cast<int>(v1::CONVERT_TO_PROACTIVE), Shanghai(2024, 7, 2)}),
      IsOk());
  absl::StatusOr<self_review::SelfReviewEvidence> e =
      reviews().EvidenceForUnit(unit, 2023, 2024, Shanghai(2024, 6, 1, 0), Shanghai(2024, 7, 1, 0));
  ASSERT_THAT(e, IsOk());
  ASSERT_EQ(e->reviews.size(), 2u);
  EXPECT_EQ(e->reviews[0].year, 2023);
  EXPECT_TRUE(e->reviews[0].completed);
  EXPECT_EQ(e->reviews[1].id, *review_2024);
  EXPECT_FALSE(e->reviews[1].completed);
  EXPECT_THAT(IdsOf(e->conversions), ElementsAre(501));
}

}  // namespace
}  // namespace gongkai::catalog
