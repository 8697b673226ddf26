// CAT-7: the most-requested grouping of a unit's year of disclosure requests
// (most_requested.h) and its threshold from the catalog.self_review rule set.
#include "services/catalog/requests/most_requested.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/requests/mock_request_repository.h"

namespace gongkai::catalog::requests {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Return;
using ::testing::SizeIs;

RequestDescription Asked(int64_t id, std::string subject, std::string applicant,
                         v1::RequestOutcome outcome = v1::REQUEST_OUTCOME_UNSPECIFIED,
                         int64_t document = 0, std::string reference = "") {
  RequestDescription r;
  r.id = id;
  r.subject = std::move(subject);
  r.applicant_key = std::move(applicant);
  r.outcome = outcome;
  r.already_public_document_id = document;
  r.already_public_reference = std::move(reference);
  return r;
}

TEST(MostRequestedTest, Cat7SubjectsCompareWithoutWidthCaseSpacesPunctuationOrWrappers) {
  EXPECT_EQ(NormalizeSubject("关于申请公开《2024年 征地补偿标准》的信息。"), "2024年征地补偿标准");
  EXPECT_EQ(NormalizeSubject("2024年征地补偿标准"), "2024年征地补偿标准");
  EXPECT_EQ(NormalizeSubject("请求公开“2024年征地补偿标准”相关信息！"), "2024年征地补偿标准");
  EXPECT_EQ(NormalizeSubject("ＧＤＰ　统计（２０２４）"), "gdp统计2024");
  EXPECT_EQ(NormalizeSubject("GDP统计 2024"), "gdp统计2024");
  // 〇 is a digit, not punctuation: 二〇二四 and 二二四 stay apart.
  EXPECT_EQ(NormalizeSubject("二〇二四年预算"), "二〇二四年预算");
  // A wrapper alone is what was asked: never stripped to nothing.
  EXPECT_EQ(NormalizeSubject("信息"), "信息");
  EXPECT_EQ(NormalizeSubject("？！。"), "");
  // Invalid UTF-8 is kept, not dropped or crashed on.
  EXPECT_EQ(NormalizeSubject(std::string("a\xff") + "b"), std::string("a\xff") + "b");
  EXPECT_EQ(NormalizeReference("《南宁市人民政府公报》 2026年第3期"),
            "南宁市人民政府公报2026年第3期");
}

// The same information asked in other words is one group when the answers link it: by
// subject (A-B) and by the published document of an "already public" answer (A-C).
TEST(MostRequestedTest, Cat7GroupsAreConnectedBySubjectAndByTheAnswersPublishedDocument) {
  MostRequestedGrouper grouper;
  grouper.Add(Asked(1, "征地补偿标准", "a", v1::OUTCOME_ALREADY_PUBLIC, 7));
  grouper.Add(Asked(2, "关于公开征地补偿标准的信息", "b"));
  grouper.Add(Asked(3, "2024年征地补偿方案", "c", v1::OUTCOME_ALREADY_PUBLIC, 7));
  grouper.Add(Asked(4, "学区划分", "d", v1::OUTCOME_ALREADY_PUBLIC, 0, "《公报》2024年第3期"));
  grouper.Add(
      Asked(5, "义务教育学区", "e", v1::OUTCOME_ALREADY_PUBLIC, 0, "《 公报 》2024年第3期"));
  grouper.Add(Asked(6, "别的事", "f"));
  std::vector<v1::MostRequestedInformation> groups = grouper.Groups(2);
  ASSERT_THAT(groups, SizeIs(2));
  EXPECT_EQ(groups[0].applicant_count(), 3);
  EXPECT_EQ(groups[0].request_count(), 3);
  EXPECT_EQ(groups[0].subject(), "征地补偿标准");  // Every wording once: the earliest.
  EXPECT_THAT(groups[0].other_subjects(),
              ElementsAre("关于公开征地补偿标准的信息", "2024年征地补偿方案"));
  EXPECT_EQ(groups[0].already_public_document_id(), 7);
  EXPECT_THAT(groups[0].request_ids(), ElementsAre(1, 2, 3));
  EXPECT_EQ(groups[0].group_key(), "document:7");
  EXPECT_EQ(groups[1].request_count(), 2);
  // Each wording of the reference once: the first in order is shown.
  EXPECT_EQ(groups[1].already_public_reference(), "《 公报 》2024年第3期");
  EXPECT_THAT(groups[1].request_ids(), ElementsAre(4, 5));
}

// Art. 44 "多个申请人": one applicant asking five times is not "most requested".
TEST(MostRequestedTest, Cat7TheThresholdCountsDifferentApplicantsNotRequests) {
  MostRequestedGrouper grouper;
  for (int i = 1; i <= 5; ++i) grouper.Add(Asked(i, "学区划分", "same applicant"));
  EXPECT_THAT(grouper.Groups(2), IsEmpty());
  grouper.Add(Asked(6, "学区划分。", "another applicant"));
  std::vector<v1::MostRequestedInformation> groups = grouper.Groups(2);
  ASSERT_THAT(groups, SizeIs(1));
  EXPECT_EQ(groups[0].request_count(), 6);
  EXPECT_EQ(groups[0].applicant_count(), 2);
  EXPECT_EQ(groups[0].subject(), "学区划分");  // The wording used most.
  EXPECT_THAT(grouper.Groups(3), IsEmpty());
}

TEST(MostRequestedTest, Cat7RequestsTheUnitHasNothingToDiscloseForAreNotCounted) {
  MostRequestedGrouper grouper;
  grouper.Add(Asked(1, "外单位的信息", "a", v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD));
  grouper.Add(Asked(2, "外单位的信息", "b", v1::OUTCOME_DOES_NOT_EXIST));
  grouper.Add(Asked(3, "外单位的信息", "c", v1::OUTCOME_NOT_PROCESSED_PETITION));
  grouper.Add(Asked(4, "外单位的信息", "d"));
  EXPECT_THAT(grouper.Groups(2), IsEmpty());
  grouper.Add(Asked(5, "外单位的信息", "e", v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET));
  EXPECT_THAT(grouper.Groups(2), SizeIs(1));
}

TEST(MostRequestedTest, Cat7MostApplicantsFirstThenMostRequestsThenByKey) {
  MostRequestedGrouper grouper;
  grouper.Add(Asked(1, "乙", "a"));
  grouper.Add(Asked(2, "乙", "b"));
  grouper.Add(Asked(3, "甲", "a"));
  grouper.Add(Asked(4, "甲", "b"));
  grouper.Add(Asked(5, "甲", "b"));
  grouper.Add(Asked(6, "丙", "a"));
  grouper.Add(Asked(7, "丙", "b"));
  grouper.Add(Asked(8, "丙", "c"));
  grouper.Add(Asked(9, "丁", "a"));
  grouper.Add(Asked(10, "丁", "b"));
  std::vector<std::string> order;
  for (const auto& g : grouper.Groups(2)) order.push_back(g.subject());
  // 丙: 3 applicants; 甲: 2 applicants, 3 requests; 丁 and 乙: 2 and 2, by key.
  EXPECT_THAT(order, ElementsAre("丙", "甲", "丁", "乙"));
}

// The threshold is the catalog.self_review version in effect on the year's last day
// (today while the year runs), cited; a city's 3 applicants applies without a rebuild.
TEST(MostRequestedTest, Cat7TheThresholdComesFromTheRuleSetInEffectAndIsCited) {
  MockRequestRepository repository;
  std::vector<RequestDescription> year = {Asked(1, "学区划分", "a"), Asked(2, "学区划分", "b")};
  EXPECT_CALL(repository, ListRequestDescriptions(9, _, _, 0, _)).WillRepeatedly(Return(year));
  std::shared_ptr<rules::RuleBook> book = catalog_testing::NationalRuleBook();

  absl::StatusOr<YearMostRequested> national =
      MostRequestedOfYear(repository, *book, 9, 2024, absl::CivilDay(2026, 5, 1));
  ASSERT_TRUE(national.ok()) << national.status();
  EXPECT_EQ(national->min_applicants.value, 2);
  EXPECT_THAT(national->min_applicants.rule.Explain(), HasSubstr("catalog.self_review v1"));
  EXPECT_THAT(national->min_applicants.rule.Explain(), HasSubstr("CAT-7"));
  EXPECT_THAT(national->items, SizeIs(1));

  catalog_testing::PutRuleSet(*book, R"({"name": "catalog.self_review", "version": 2,
      "effective_from": "2025-01-01", "basis": "某市规定",
      "rules": {"self_review.most_requested.min_applicants": {"value": 3, "unit": "count"}}})");
  absl::StatusOr<YearMostRequested> city =
      MostRequestedOfYear(repository, *book, 9, 2025, absl::CivilDay(2025, 6, 1));
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->min_applicants.value, 3);
  EXPECT_EQ(city->min_applicants.rule.VersionKey(), "catalog.self_review@2");
  EXPECT_THAT(city->items, IsEmpty());
  // 2024 keeps the rule of its time.
  EXPECT_EQ(MostRequestedOfYear(repository, *book, 9, 2024, absl::CivilDay(2025, 6, 1))
                ->min_applicants.value,
            2);
}

// Issue 16 defect 7: the year is read in keyset batches, never in one read.
TEST(MostRequestedTest, Cat7TheYearIsReadInKeysetBatches) {
  MockRequestRepository repository;
  std::vector<RequestDescription> full;
  for (int i = 1; i <= 1000; ++i) full.push_back(Asked(i, "学区划分", i % 2 ? "a" : "b"));
  const std::vector<RequestDescription> tail = {Asked(1001, "学区划分", "c")};
  EXPECT_CALL(repository, ListRequestDescriptions(9, absl::CivilDay(2024, 1, 1),
                                                  absl::CivilDay(2024, 12, 31), 0, 1000))
      .WillOnce(Return(full));
  EXPECT_CALL(repository, ListRequestDescriptions(9, _, _, 1000, 1000)).WillOnce(Return(tail));
  absl::StatusOr<YearMostRequested> result = MostRequestedOfYear(
      repository, *catalog_testing::NationalRuleBook(), 9, 2024, absl::CivilDay(2025, 1, 5));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->items, SizeIs(1));
  EXPECT_EQ(result->items[0].request_count(), 1001);
  EXPECT_EQ(result->items[0].applicant_count(), 3);
}

}  // namespace
}  // namespace gongkai::catalog::requests
