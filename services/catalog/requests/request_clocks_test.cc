// The request clocks' periods from the catalog.requests rule set (NAT-6, NAT-7,
// ADR 0019): the version in effect on the clock's day applies, is cited in the
// explanation, and a rule change recomputes the stored clocks of open requests.
#include "services/catalog/requests/request_clocks.h"

#include <memory>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/requests/disclosure_requests.h"
#include "services/catalog/requests/mock_request_repository.h"

namespace gongkai::catalog::requests {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;

// A city's version: a 15-working-day reply, the other periods shorter too.
constexpr char kCityRequestsV2[] = R"({"name": "catalog.requests", "version": 2,
    "effective_from": "%s", "basis": "某市政务公开办法",
    "rules": {
      "request.correction_notice_working_days": {"value": 5, "unit": "working_days"},
      "request.consultation_working_days": {"value": 10, "unit": "working_days"},
      "request.reply_working_days": {"value": 15, "unit": "working_days"},
      "request.max_extension_working_days": {"value": 10, "unit": "working_days"}}})";

absl::CivilDay Day(const common::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

v1::DisclosureRequest Received(absl::CivilDay day, v1::DisclosureRequestState state) {
  v1::DisclosureRequest r;
  r.set_id(5);
  r.set_version(3);
  r.set_state(state);
  *r.mutable_received_on() = ToProtoDate(day);
  *r.mutable_clock_start_on() = ToProtoDate(day);
  return r;
}

class RequestClocksTest : public ::testing::Test {
 protected:
  absl::CivilDay WorkingDaysAfter(absl::CivilDay day, int days) {
    return calendar_->AddWorkingDays(day, days)->due;
  }

  std::shared_ptr<calendar::WorkingDayCalendar> calendar_ = *calendar::NewBuiltinCalendar();
  std::shared_ptr<rules::RuleBook> book_ = catalog_testing::NationalRuleBook();
  const absl::CivilDay received_ = absl::CivilDay(2024, 9, 27);
};

// NAT-7: the national reply period, 20 working days, names catalog.requests v1.
TEST_F(RequestClocksTest, Nat7ReplyDeadlineCitesTheNationalRule) {
  v1::DisclosureRequest r = Received(received_, v1::REQUEST_ASSIGNED);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, received_, r).ok());
  EXPECT_EQ(r.reply_deadline().days(), 20);
  EXPECT_EQ(Day(r.reply_deadline().due()), absl::CivilDay(2024, 10, 30));
  EXPECT_EQ(r.reply_deadline().rule_version(), "catalog.requests@1");
  EXPECT_THAT(r.reply_deadline().rule(), HasSubstr("request.reply_working_days = 20"));
  EXPECT_THAT(r.reply_deadline().text(), HasSubstr("依据规则：catalog.requests v1"));
}

// NAT-6: the correction-notice and consultation periods cite their rules too.
TEST_F(RequestClocksTest, Nat6CorrectionAndConsultationDeadlinesCiteTheirRules) {
  v1::DisclosureRequest received = Received(received_, v1::REQUEST_RECEIVED);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, received_, received).ok());
  EXPECT_EQ(received.correction_deadline().days(), 7);
  EXPECT_THAT(received.correction_deadline().rule(),
              HasSubstr("request.correction_notice_working_days = 7"));
  v1::DisclosureRequest consulting = Received(received_, v1::REQUEST_IN_CONSULTATION);
  *consulting.mutable_consultation_started_on() = ToProtoDate(received_);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, received_, consulting).ok());
  EXPECT_EQ(consulting.consultation_deadline().days(), 15);
  EXPECT_THAT(consulting.consultation_deadline().rule(),
              HasSubstr("request.consultation_working_days = 15"));
  EXPECT_EQ(consulting.reply_deadline().days(), 35);  // 20 + the whole consultation.
}

// NAT-7: a city's shorter reply period applies to requests received on or after its
// effective date, not to those received before.
TEST_F(RequestClocksTest, Nat7CityReplyPeriodAppliesFromItsEffectiveDateOnly) {
  catalog_testing::PutRuleSet(*book_, absl::StrFormat(kCityRequestsV2, "2024-10-01"));
  v1::DisclosureRequest before = Received(received_, v1::REQUEST_ASSIGNED);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, received_, before).ok());
  EXPECT_EQ(before.reply_deadline().days(), 20);
  EXPECT_EQ(before.reply_deadline().rule_version(), "catalog.requests@1");
  EXPECT_EQ(*MaxExtensionWorkingDays(*book_, before), 20);

  const absl::CivilDay later(2024, 10, 8);
  v1::DisclosureRequest after = Received(later, v1::REQUEST_ASSIGNED);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, later, after).ok());
  EXPECT_EQ(after.reply_deadline().days(), 15);
  EXPECT_EQ(Day(after.reply_deadline().due()), WorkingDaysAfter(later, 15));
  EXPECT_EQ(after.reply_deadline().rule_version(), "catalog.requests@2");
  EXPECT_THAT(after.reply_deadline().text(), HasSubstr("catalog.requests v2 (2024-10-01)"));
  EXPECT_EQ(*MaxExtensionWorkingDays(*book_, after), 10);
  EXPECT_EQ(*ConsultationWorkingDays(*book_, later), 10);
}

// NAT-6/NAT-7 (ADR 0019): a version put for an open request's receipt day recomputes its
// stored clocks, as a calendar change does; RefreshClocks stores the new rule version.
TEST_F(RequestClocksTest, Nat7RuleChangeRecomputesOpenRequestClocks) {
  MockRequestRepository repository;
  FakeClock clock(absl::FromCivil(absl::CivilSecond(2024, 10, 8, 12, 0, 0), ShanghaiTimeZone()));
  DisclosureRequests requests(&repository, nullptr, nullptr, calendar_, book_, &clock, nullptr,
                              "test-applicant-key-secret-of-32-bytes!");
  v1::DisclosureRequest open = Received(received_, v1::REQUEST_ASSIGNED);
  ASSERT_TRUE(ApplyRequestClocks(*calendar_, *book_, received_, open).ok());
  ASSERT_EQ(open.reply_deadline().rule_version(), "catalog.requests@1");
  EXPECT_CALL(repository, ListRequests(_, _))
      .WillRepeatedly(Invoke([&](const RequestFilter& f, const KeysetPage&) {
        std::vector<v1::DisclosureRequest> page;
        if (f.state == v1::REQUEST_ASSIGNED) page.push_back(open);
        return absl::StatusOr<std::vector<v1::DisclosureRequest>>(page);
      }));
  std::vector<v1::DisclosureRequest> refreshed;
  EXPECT_CALL(repository, RefreshClocks(_)).WillOnce(Invoke([&](const v1::DisclosureRequest& r) {
    refreshed.push_back(r);
    return absl::StatusOr<bool>(true);
  }));
  EXPECT_CALL(repository, UpdateRequest).Times(0);  // No new version, no history event.

  catalog_testing::PutRuleSet(*book_, absl::StrFormat(kCityRequestsV2, "2024-01-01"));
  absl::StatusOr<int> changed = requests.RecomputeStoredClocks([] { return false; });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  ASSERT_EQ(refreshed.size(), 1u);
  EXPECT_EQ(refreshed[0].reply_deadline().days(), 15);
  EXPECT_EQ(Day(refreshed[0].reply_deadline().due()), WorkingDaysAfter(received_, 15));
  EXPECT_EQ(refreshed[0].reply_deadline().rule_version(), "catalog.requests@2");
}

}  // namespace
}  // namespace gongkai::catalog::requests
