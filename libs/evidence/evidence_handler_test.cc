// Unit tests of the shared compliance-evidence rules (ASM-6) with a fake source.
#include "libs/evidence/evidence_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/db/testing/status_matchers.h"
#include "libs/status/errors.h"

namespace gongkai::evidence {
namespace {

using common::v1::GetComplianceEvidenceRequest;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class FakeSource final : public EvidenceSource {
 public:
  std::vector<InspectionItem> Items() const override {
    return {common::v1::DISCLOSURE_ATTRIBUTE, common::v1::DISCLOSURE_ON_REQUEST};
  }
  absl::StatusOr<ItemEvidence> Collect(InspectionItem item, const EvidenceQuery& query) override {
    ++calls;
    last_query = query;
    ItemEvidence evidence;
    if (item == common::v1::DISCLOSURE_ATTRIBUTE) {
      AddIndicator(evidence,
                   {"documents_without_attribute", "未认定公开属性的文件", "CAT-1", "document"},
                   {7, 3, 3});
    } else {
      MarkIncomplete(evidence, "a calendar year is not loaded");
    }
    return evidence;
  }
  int calls = 0;
  EvidenceQuery last_query;
};

common::v1::Date D(int y, int m, int d) {
  common::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

auth::Principal Caller(std::vector<auth::Role> roles, std::optional<int64_t> unit = 5) {
  auth::Principal p;
  p.subject = "someone";
  p.unit_id = unit;
  for (auth::Role r : roles) p.roles.Add(r);
  return p;
}

class EvidenceTest : public ::testing::Test {
 protected:
  GetComplianceEvidenceRequest Request() {
    GetComplianceEvidenceRequest r;
    r.set_unit_id(5);
    *r.mutable_period_start() = D(2025, 1, 1);
    *r.mutable_period_end() = D(2025, 12, 31);
    return r;
  }
  absl::StatusOr<common::v1::ComplianceEvidence> Get(const auth::Principal& caller,
                                                     const GetComplianceEvidenceRequest& r) {
    return GetComplianceEvidence("catalog", source_, clock_, caller, r);
  }
  FakeSource source_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 1, 12, 0, 0), absl::UTCTimeZone())};
};

TEST_F(EvidenceTest, Asm6EveryHeldItemIsAnsweredWithCountsAndSortedDistinctReferences) {
  absl::StatusOr<common::v1::ComplianceEvidence> answer =
      Get(Caller({auth::Role::kInspector}, std::nullopt), Request());
  ASSERT_THAT(answer, IsOk());
  EXPECT_EQ(answer->service(), "catalog");
  ASSERT_THAT(answer->items(), SizeIs(2));
  const auto& attribute = answer->items(0);
  EXPECT_EQ(attribute.item(), common::v1::DISCLOSURE_ATTRIBUTE);
  EXPECT_TRUE(attribute.complete());
  ASSERT_THAT(attribute.indicators(), SizeIs(1));
  EXPECT_EQ(attribute.indicators(0).count(), 2);
  EXPECT_THAT(attribute.indicators(0).references(), ElementsAre("document/3", "document/7"));
  EXPECT_EQ(attribute.indicators(0).requirement(), "CAT-1");
  const auto& requests = answer->items(1);
  EXPECT_FALSE(requests.complete());
  EXPECT_THAT(requests.incomplete_reasons(), ElementsAre("a calendar year is not loaded"));
  EXPECT_EQ(source_.last_query.unit_id, 5);
  EXPECT_EQ(source_.last_query.period_end, absl::CivilDay(2025, 12, 31));
}

TEST_F(EvidenceTest, Asm6APeriodThatHasNotEndedIsIncomplete) {
  GetComplianceEvidenceRequest r = Request();
  *r.mutable_period_start() = D(2026, 1, 1);
  *r.mutable_period_end() = D(2026, 12, 31);
  r.add_items(common::v1::DISCLOSURE_ATTRIBUTE);
  absl::StatusOr<common::v1::ComplianceEvidence> answer = Get(Caller({auth::Role::kOffice}), r);
  ASSERT_THAT(answer, IsOk());
  ASSERT_THAT(answer->items(), SizeIs(1));
  EXPECT_FALSE(answer->items(0).complete());
  EXPECT_THAT(answer->items(0).incomplete_reasons(0), HasSubstr("has not ended"));
}

TEST_F(EvidenceTest, BadRequestNamesEveryFieldAndReadsNothing) {
  GetComplianceEvidenceRequest r;
  r.set_unit_id(0);
  *r.mutable_period_start() = D(2025, 2, 30);
  *r.mutable_period_end() = D(2025, 1, 1);
  r.add_items(common::v1::POLICY_INTERPRETATION);
  r.add_items(static_cast<InspectionItem>(99));
  absl::StatusOr<common::v1::ComplianceEvidence> answer = Get(Caller({auth::Role::kAdmin}), r);
  EXPECT_THAT(answer, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unit_id")));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(answer.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ElementsAre("unit_id", "period_start", "items[0]", "items[1]"));
  EXPECT_THAT(answer.status().message(), HasSubstr("not held by catalog; it answers items 4, 11"));
  EXPECT_EQ(source_.calls, 0);
}

TEST_F(EvidenceTest, PeriodLongerThanAYearIsRefused) {
  GetComplianceEvidenceRequest r = Request();
  *r.mutable_period_start() = D(2024, 1, 1);
  EXPECT_THAT(Get(Caller({auth::Role::kAdmin}), r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 366 days")));
}

TEST_F(EvidenceTest, StaffSeeTheirOwnUnitOnlyAndAnonymousCallersNothing) {
  EXPECT_THAT(Get(Caller({auth::Role::kStaff}, 5), Request()), IsOk());
  EXPECT_THAT(Get(Caller({auth::Role::kReviewer}, 6), Request()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("unit 5")));
  EXPECT_THAT(Get(auth::Principal::Anonymous(), Request()),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("token")));
  EXPECT_EQ(source_.calls, 2);
}

TEST_F(EvidenceTest, Asm6TheAssessmentServiceAsksAsAServicePrincipalForAnyUnit) {
  EXPECT_THAT(Get(Caller({auth::Role::kService}, std::nullopt), Request()), IsOk());
  EXPECT_THAT(Get(Caller({auth::Role::kHead}, 6), Request()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("unit 5")));
}

TEST_F(EvidenceTest, AtMostAThousandReferencesAreListedButTheCountIsWhole) {
  ItemEvidence evidence;
  std::vector<int64_t> ids;
  for (int64_t i = 1; i <= kMaxReferences + 5; ++i) ids.push_back(i);
  AddIndicator(evidence, {"n", "d", "CAT-3", "document"}, ids);
  EXPECT_EQ(evidence.indicators(0).count(), kMaxReferences + 5);
  EXPECT_THAT(evidence.indicators(0).references(), SizeIs(kMaxReferences));
  EXPECT_TRUE(evidence.indicators(0).references_truncated());
  AddCount(evidence, {"entered", "d", "NAT-10", ""}, 12);
  EXPECT_THAT(evidence.indicators(1).references(), IsEmpty());
}

TEST_F(EvidenceTest, AWholeCountWithItsFirstIdsListsThemAndSaysWhenThereAreMore) {
  ItemEvidence evidence;
  AddIndicatorWithCount(evidence, {"late", "d", "CAT-3", "document"}, 2500, {3, 1, 2});
  EXPECT_EQ(evidence.indicators(0).count(), 2500);
  EXPECT_THAT(evidence.indicators(0).references(),
              ElementsAre("document/1", "document/2", "document/3"));
  EXPECT_TRUE(evidence.indicators(0).references_truncated());
  AddIndicatorWithCount(evidence, {"all", "d", "CAT-3", "document"}, 2, {7, 5});
  EXPECT_EQ(evidence.indicators(1).count(), 2);
  EXPECT_FALSE(evidence.indicators(1).references_truncated());
}

}  // namespace
}  // namespace gongkai::evidence
