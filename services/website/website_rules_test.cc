// The shipped rule sets fit their schemas and carry the national numbers of NAT-13,
// NAT-14 and WEB-4 (a changed number is a new version, never an edit of the code).
#include "services/website/website_rules.h"

#include "gtest/gtest.h"
#include "libs/rules/embedded_rule_sets.h"

namespace gongkai::website {
namespace {

TEST(WebsiteRulesTest, Nat13Nat14NationalNumbersAreData) {
  rules::RuleBook book(WebsiteRuleSchemas());
  absl::StatusOr<int> loaded = rules::LoadRuleSetFiles(book, rules::EmbeddedRuleSetFiles());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded, 2);
  absl::StatusOr<NationalRules> r = ReadNationalRules(book, absl::CivilDay(2026, 1, 1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->probes_per_day.value, 20);
  EXPECT_EQ(r->min_probes_per_day.value, 20);
  EXPECT_EQ(r->home_timeout.value, absl::Seconds(15));
  EXPECT_EQ(r->availability_window_days.value, 7);
  EXPECT_DOUBLE_EQ(r->failure_veto_percent.value, 5.0);
  EXPECT_EQ(r->home_stale_days.value, 14);
  EXPECT_EQ(r->news_stale_days.value, 14);
  EXPECT_EQ(r->notice_stale_months.value, 6);
  EXPECT_EQ(r->stale_columns_veto.value, 5);
  EXPECT_EQ(r->long_stale_columns_veto.value, 10);
  EXPECT_EQ(r->empty_columns_veto.value, 5);
  EXPECT_EQ(r->unanswered_veto_months.value, 3);
  EXPECT_EQ(r->pass_mark.value, 60);
  EXPECT_EQ(r->bonus_threshold.value, 80);
  EXPECT_EQ(r->bonus_max.value, 30);
  EXPECT_EQ(r->new_media_stale_days.value, 14);
  EXPECT_EQ(r->failure_veto_percent.rule.requirement, "NAT-13");
  absl::StatusOr<SupervisionRules> s = ReadSupervisionRules(book, absl::CivilDay(2026, 1, 1));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->annual_report_due.value.month, 1);
  EXPECT_EQ(s->annual_report_due.value.day, 31);
}

TEST(WebsiteRulesTest, BeforeTheRulesTookEffectThereIsNoVersion) {
  rules::RuleBook book(WebsiteRuleSchemas());
  ASSERT_TRUE(rules::LoadRuleSetFiles(book, rules::EmbeddedRuleSetFiles()).ok());
  EXPECT_EQ(ReadNationalRules(book, absl::CivilDay(2018, 1, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gongkai::website
