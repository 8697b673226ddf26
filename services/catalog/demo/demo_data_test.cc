#include "services/catalog/demo/demo_data.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::catalog::demo {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

const UnitSpec* Find(absl::string_view code) {
  for (const UnitSpec& unit : Units()) {
    if (code == unit.code) return &unit;
  }
  return nullptr;
}

// data/*.json is what the binary carries, and each file reads (an unreadable one would
// abort the first use of its tables).
TEST(DemoDataTest, EveryDataFileIsEmbeddedAndReads) {
  std::set<std::string> names;
  for (const ::gongkai::demo::DataFile& file : EmbeddedDataFiles()) {
    names.insert(file.name);
    EXPECT_TRUE(::gongkai::demo::ParseDataFile(EmbeddedDataFiles(), file.name).ok()) << file.name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"annual_report_draft.json", "disclosure_requests.json",
                                          "documents.json", "key_areas.json", "reviews.json",
                                          "units.json"}));
  EXPECT_THAT(Units(), SizeIs(38));
  EXPECT_THAT(Documents(), Not(SizeIs(0)));
  EXPECT_EQ(BasicCatalogArea().area, v1::KEY_AREA_UNSPECIFIED);
  EXPECT_EQ(BasicCatalogArea().lead_unit, "NN-GOV-OFFICE");
}

TEST(DemoDataTest, UnitCodesAreUniqueValidAndParentsComeFirst) {
  std::set<std::string> seen;
  for (const UnitSpec& unit : Units()) {
    const std::string code = unit.code;
    EXPECT_TRUE(seen.insert(code).second) << code;
    for (char c : code) EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-') << code;
    if (!unit.parent_code.empty()) {
      EXPECT_EQ(seen.count(unit.parent_code), 1u) << code << " before its parent";
    } else {
      EXPECT_EQ(unit.level, v1::UNIT_LEVEL_CITY) << code;
    }
  }
  std::map<v1::UnitLevel, int> levels;
  for (const UnitSpec& unit : Units()) ++levels[unit.level];
  EXPECT_EQ(levels[v1::UNIT_LEVEL_CITY], 1);
  EXPECT_GE(levels[v1::UNIT_LEVEL_DEPARTMENT], 12);
  EXPECT_EQ(levels[v1::UNIT_LEVEL_COUNTY], 12);
  EXPECT_GE(levels[v1::UNIT_LEVEL_TOWNSHIP], 4);
}

// CAT-6: every key area has demo documents and a category.
TEST(DemoDataTest, EveryKeyAreaHasDocumentsAndTheSeededCategory) {
  std::set<int> areas;
  for (const DocumentSpec& d : Documents()) areas.insert(d.area);
  for (int area = v1::KeyArea_MIN + 1; area <= v1::KeyArea_MAX; ++area) {
    EXPECT_EQ(areas.count(area), 1u) << v1::KeyArea_Name(area);
    EXPECT_EQ(CategoryFor(static_cast<v1::KeyArea>(area)), 100 + area);
  }
  EXPECT_EQ(CategoryFor(v1::KEY_AREA_UNSPECIFIED), 1);
  ASSERT_THAT(Areas(), SizeIs(26));
  for (size_t i = 0; i < Areas().size(); ++i) EXPECT_EQ(Areas()[i].area, static_cast<int>(i) + 1);
}

TEST(DemoDataTest, DocumentsReferToKnownUnitsAndHaveUniqueTitles) {
  std::set<std::string> titles;
  std::set<std::string> numbers;
  for (const DocumentSpec& d : Documents()) {
    EXPECT_NE(Find(d.unit), nullptr) << d.title;
    EXPECT_TRUE(titles.insert(d.title).second) << d.title;
    if (!d.number.empty()) {
      EXPECT_TRUE(numbers.insert(d.number).second) << d.number;
      EXPECT_THAT(d.number, HasSubstr("〔2026〕"));
    }
    // DocumentBody() reads the subject and kind out of "…关于<subject>的<kind>".
    EXPECT_THAT(d.title, HasSubstr("关于"));
    EXPECT_THAT(std::string(d.title).substr(std::string(d.title).find("关于")), HasSubstr("的"));
    EXPECT_THAT(d.title, StartsWith(IssuerName(d))) << "the title names the issuing body";
  }
  EXPECT_GE(Documents().size(), 55u);
}

// CAT-2: what the loader submits decides whether the document is returned.
TEST(DemoDataTest, PlansAreConsistentWithTheDisclosureRules) {
  for (const DocumentSpec& d : Documents()) {
    const bool undisclosed = d.attribute == v1::ON_REQUEST || d.attribute == v1::NOT_DISCLOSED;
    if (d.target == Target::kPublished) {
      EXPECT_EQ(d.attribute, v1::PROACTIVE) << d.title;
    }
    if (d.target == Target::kReturnedAtSubmission) {
      EXPECT_TRUE(d.attribute == v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED ||
                  (undisclosed && (d.reason.empty() || d.legal_basis.empty())))
          << d.title;
    } else if (undisclosed) {
      EXPECT_FALSE(d.reason.empty()) << d.title;
      EXPECT_THAT(d.legal_basis, StartsWith("《中华人民共和国政府信息公开条例》")) << d.title;
    } else if (d.target != Target::kDraft) {
      EXPECT_EQ(d.attribute, v1::PROACTIVE) << d.title;
    }
    if (d.target == Target::kReturnedByReview || d.target == Target::kReturnedByOffice) {
      EXPECT_FALSE(d.note.empty()) << d.title;
    }
  }
}

TEST(DemoDataTest, EveryStateAuthorityAndAttributeOccurs) {
  std::map<Target, int> targets;
  std::set<int> authorities;
  std::set<std::pair<int, Target>> attribute_targets;
  int policies = 0, short_limits = 0;
  for (const DocumentSpec& d : Documents()) {
    ++targets[d.target];
    authorities.insert(d.authority);
    attribute_targets.insert({d.attribute, d.target});
    policies += d.policy;
    if (d.limit_working_days == 5) ++short_limits;
  }
  for (Target t :
       {Target::kDraft, Target::kReturnedAtSubmission, Target::kReturnedByReview,
        Target::kReturnedByOffice, Target::kPendingReview, Target::kApproved, Target::kPublished}) {
    EXPECT_GE(targets[t], 1) << static_cast<int>(t);
  }
  EXPECT_GT(targets[Target::kPublished], static_cast<int>(Documents().size()) / 2);
  EXPECT_EQ(authorities.size(), 3u);
  EXPECT_EQ(attribute_targets.count({v1::PROACTIVE, Target::kApproved}), 1u);
  EXPECT_EQ(attribute_targets.count({v1::ON_REQUEST, Target::kApproved}), 1u);
  EXPECT_EQ(attribute_targets.count({v1::NOT_DISCLOSED, Target::kApproved}), 1u);
  EXPECT_GE(policies, 10);
  EXPECT_EQ(short_limits, 1);
}

// CAT-7: the self-review unit has exactly the two undisclosed approved documents the
// review decides, so it can be completed.
TEST(DemoDataTest, SelfReviewCoversExactlyTheUnitsUndisclosedApprovedDocuments) {
  const SelfReviewSpec& review = SelfReview();
  std::set<std::string> undisclosed;
  for (const DocumentSpec& d : Documents()) {
    if (review.unit == std::string(d.unit) && d.target == Target::kApproved &&
        (d.attribute == v1::ON_REQUEST || d.attribute == v1::NOT_DISCLOSED)) {
      undisclosed.insert(d.title);
    }
  }
  EXPECT_EQ(undisclosed, (std::set<std::string>{review.keep_title, review.convert_title}));
  EXPECT_FALSE(review.keep_reason.empty());
  EXPECT_EQ(review.year, 2026);
}

TEST(DemoDataTest, BodiesAreCompleteChineseTexts) {
  for (size_t i = 0; i < Documents().size(); ++i) {
    const DocumentSpec& d = Documents()[i];
    const std::string body = DocumentBody(d, static_cast<int>(i));
    EXPECT_GT(body.size(), 400u) << d.title;
    EXPECT_THAT(body, EndsWith("日\n")) << d.title;
    EXPECT_THAT(body, HasSubstr(IssuerName(d) + "\n2026年")) << d.title;
    EXPECT_THAT(body, Not(HasSubstr("的的"))) << d.title;
    EXPECT_THAT(body, Not(HasSubstr("工作工作"))) << d.title;
    EXPECT_THAT(body, Not(HasSubstr("lorem"))) << d.title;
  }
}

TEST(DemoDataTest, BodyOfANoticeCitesTheAreaAndClosesLikeOne) {
  const DocumentSpec* notice = nullptr;
  int index = 0;
  for (const DocumentSpec& d : Documents()) {
    if (std::string(d.title) == "南宁市教育局关于做好2026年义务教育招生入学工作的通知") {
      notice = &d;
      break;
    }
    ++index;
  }
  ASSERT_NE(notice, nullptr);
  const std::string body = DocumentBody(*notice, index);
  EXPECT_THAT(body, StartsWith("各县（市、区）有关部门，市直各有关单位：\n"));
  EXPECT_THAT(body, HasSubstr("根据《中华人民共和国义务教育法》等有关规定"));
  EXPECT_THAT(body, HasSubstr("现就做好2026年义务教育招生入学工作有关事项通知如下。"));
  EXPECT_THAT(body, HasSubstr("本通知自印发之日起施行"));
}

// CAT-5: two items per key-area category, each fully described.
TEST(DemoDataTest, CatalogItemsCoverEveryKeyAreaCategory) {
  std::map<int64_t, int> per_category;
  bool revised_item_exists = false;
  for (const CatalogItemSpec& item : CatalogItems()) {
    ++per_category[item.category_id];
    EXPECT_NE(Find(item.unit), nullptr) << item.content;
    EXPECT_EQ(item.time_limit, "信息形成或变更之日起20个工作日内");
    EXPECT_FALSE(item.method.empty());
    revised_item_exists |= item.category_id == CatalogItemRevision().category_id &&
                           item.content == CatalogItemRevision().content;
  }
  EXPECT_THAT(per_category, SizeIs(26));
  for (const auto& [category, count] : per_category) EXPECT_EQ(count, 2) << category;
  EXPECT_TRUE(revised_item_exists);
}

TEST(DemoDataTest, SubjectsAreUserAtLowerCaseUnitCode) {
  EXPECT_EQ(Subject("zhang.wei", "NN-EDU"), "zhang.wei@nn-edu");
}

}  // namespace
}  // namespace gongkai::catalog::demo
