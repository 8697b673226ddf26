// Integration tests (label: integration) of full-text search in the documents module's MySQL
// repository (services/catalog/documents/, ADR 0004), against its repository interface, on the real
// MySQL/MariaDB named by GONGKAI_TEST_MYSQL_* (fixture: catalog_repository_fixture.h).
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
#include "services/catalog/documents/search_terms.h"
#include "tests/integration/catalog/catalog_repository_fixture.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using documents::AuditRecord;
using documents::DocumentFilter;
using documents::DocumentTerms;
using documents::ExtractTerms;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using repository_testing::Audit;
using repository_testing::kT0;
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

// ---- Search ------------------------------------------------------------------------------

class SearchTest : public RepositorySuite<SearchTest> {
 protected:
  struct Corpus {
    int64_t report_2024 = 0;  // Published, EDUCATION.
    int64_t key_points = 0;   // Published, HEALTH.
    int64_t draft = 0;        // Indexed but not published.
    int64_t report_2023 = 0;  // Published, EDUCATION.
  };

  // Stores a document, then publishes it (or not) with its terms indexed.
  int64_t Indexed(int64_t unit_id, absl::string_view title, v1::KeyArea key_area, bool publish) {
    v1::Document d = NewDocument(unit_id, title);
    d.set_body("");
    d.set_key_area(key_area);
    const v1::Document created = Create(d);
    v1::Document next = created;
    if (publish) {
      next.set_state(v1::PUBLISHED);
      *next.mutable_publish_time() = ToTimestamp(kT0 + absl::Hours(1));
    }
    EXPECT_THAT(documents().UpdateDocument(next, created.version(),
                                           Audit("publish", v1::DRAFT, next.state(), kT0),
                                           DocumentTerms(title, "")),
                IsOk());
    return created.id();
  }

  Corpus SeedCorpus(int64_t unit_id) {
    Corpus c;
    c.report_2024 = Indexed(unit_id, "2024年政务公开工作年度报告", v1::EDUCATION, true);
    c.key_points = Indexed(unit_id, "政务公开工作要点", v1::HEALTH, true);
    c.draft = Indexed(unit_id, "政务公开年度报告（草稿）", v1::EDUCATION, false);
    c.report_2023 = Indexed(unit_id, "2023年政务公开工作年度报告", v1::EDUCATION, true);
    return c;
  }

  absl::StatusOr<std::vector<int64_t>> Search(std::vector<std::string> terms, int64_t unit_id,
                                              KeysetPage page = {},
                                              v1::KeyArea key_area = v1::KEY_AREA_UNSPECIFIED) {
    DocumentFilter f;
    f.drafting_unit_id = unit_id;
    f.key_area = key_area;
    absl::StatusOr<std::vector<v1::Document>> docs = documents().SearchPublished(terms, f, page);
    if (!docs.ok()) return docs.status();
    return Ids(*docs);
  }
};

TEST_F(SearchTest, OneTwoAndThreeTermsMatchOnlyPublishedDocumentsWithEveryTermNewestFirst) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  EXPECT_THAT(Search({"政务"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2023, c.key_points, c.report_2024)));
  EXPECT_THAT(Search({"年度", "报告"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"2024", "年度", "报告"}, unit.id()),
              IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"要点", "年度"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"草稿"}, unit.id()), IsOkAndHolds(IsEmpty()));  // Only the draft has it.
  EXPECT_THAT(Search({"不存在"}, unit.id()), IsOkAndHolds(IsEmpty()));
}

TEST_F(SearchTest, ResultsPageWithAfterId) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {0, 1}),
              IsOkAndHolds(ElementsAre(c.report_2023)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.report_2023, 1}),
              IsOkAndHolds(ElementsAre(c.key_points)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.key_points, 1}),
              IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"政务", "公开"}, unit.id(), {c.report_2024, 1}), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"政务"}, unit.id(), {c.report_2023, 5}),
              IsOkAndHolds(ElementsAre(c.key_points, c.report_2024)));
}

TEST_F(SearchTest, ReplacingTermsWithAnEmptyListRemovesTheDocumentAndNulloptKeepsThem) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document key_points, documents().GetDocument(c.key_points));
  ASSERT_OK_AND_ASSIGN(
      key_points,
      documents().UpdateDocument(key_points, key_points.version(),
                                 Audit("edit", v1::PUBLISHED, v1::PUBLISHED, kT0), std::nullopt));
  EXPECT_THAT(Search({"要点"}, unit.id()), IsOkAndHolds(ElementsAre(c.key_points)));
  ASSERT_THAT(documents().UpdateDocument(key_points, key_points.version(),
                                         Audit("withdraw", v1::PUBLISHED, v1::PUBLISHED, kT0),
                                         std::vector<std::string>{}),
              IsOk());
  EXPECT_THAT(Search({"要点"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"政务"}, unit.id()), IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_terms WHERE document_id = ?", {c.key_points}), 0);
}

TEST_F(SearchTest, ReplacingTermsDropsTheOldOnes) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  ASSERT_OK_AND_ASSIGN(v1::Document doc, documents().GetDocument(c.report_2024));
  ASSERT_THAT(documents().UpdateDocument(doc, doc.version(),
                                         Audit("edit", v1::PUBLISHED, v1::PUBLISHED, kT0),
                                         std::vector<std::string>{"新词", "abc"}),
              IsOk());
  EXPECT_THAT(Search({"2024"}, unit.id()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search({"新词", "abc"}, unit.id()), IsOkAndHolds(ElementsAre(c.report_2024)));
}

TEST_F(SearchTest, UnitAndKeyAreaFiltersApply) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  const int64_t elsewhere = Indexed(other.id(), "政务公开工作年度报告", v1::EDUCATION, true);
  EXPECT_THAT(Search({"政务"}, other.id()), IsOkAndHolds(ElementsAre(elsewhere)));
  EXPECT_THAT(Search({"政务"}, unit.id(), {}, v1::EDUCATION),
              IsOkAndHolds(ElementsAre(c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"政务"}, unit.id(), {}, v1::HEALTH), IsOkAndHolds(ElementsAre(c.key_points)));
  // No unit: every unit's published documents.
  EXPECT_THAT(Search({"年度", "报告", "工作"}, 0, {0, 100}),
              IsOkAndHolds(::testing::IsSupersetOf({elsewhere, c.report_2023, c.report_2024})));
}

TEST_F(SearchTest, AsciiWordsAreMatchedAsIndexed) {
  const v1::Unit unit = NewUnit();
  const int64_t id =
      Indexed(unit.id(), "Open Government Data 开放数据", v1::KEY_AREA_UNSPECIFIED, true);
  EXPECT_THAT(Search({"government", "data"}, 0), IsOkAndHolds(ElementsAre(id)));
  EXPECT_THAT(Search({"开放", "data"}, unit.id()), IsOkAndHolds(ElementsAre(id)));
}

// A query term of one CJK character ("2024年", "税") matches wherever the character
// stands: at the start of a run, inside it, or at its end.
TEST_F(SearchTest, SingleCharacterTermsMatchAnywhereInARun) {
  const v1::Unit unit = NewUnit();
  const Corpus c = SeedCorpus(unit.id());
  const int64_t tax = Indexed(unit.id(), "关于依法纳税的公告", v1::TAXES_AND_FEES, true);
  EXPECT_THAT(Search(ExtractTerms("2024年"), unit.id()), IsOkAndHolds(ElementsAre(c.report_2024)));
  EXPECT_THAT(Search({"税"}, unit.id()), IsOkAndHolds(ElementsAre(tax)));  // Ends "依法纳税".
  EXPECT_THAT(Search({"告"}, unit.id()),                                   // Ends runs.
              IsOkAndHolds(ElementsAre(tax, c.report_2023, c.report_2024)));
  EXPECT_THAT(Search({"纳", "公告"}, unit.id()), IsOkAndHolds(ElementsAre(tax)));
  EXPECT_THAT(Search({"草"}, unit.id()), IsOkAndHolds(IsEmpty()));  // Only the draft has it.
  EXPECT_THAT(Search({"税"}, unit.id(), {tax, 10}), IsOkAndHolds(IsEmpty()));
}

}  // namespace
}  // namespace gongkai::catalog
