// Unit tests of RuleBook (versions, effective dates, conflicts, concurrent readers),
// loading from files and embedded data, and SyncFromStore with a fake store.
#include "libs/rules/rule_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "libs/clock/clock.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/rule_set_store.h"
#include "libs/rules/testing/fake_rule_set_store.h"
#include "libs/rules/testing/test_rule_schema.h"
#include "libs/rules/testing/test_rule_sets.h"
#include "libs/status/errors.h"

namespace gongkai::rules {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::rules::testing::FakeRuleSetStore;
using ::gongkai::rules::testing::TestRuleSchema;
using ::gongkai::rules::testing::TestRuleSetJson;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using Json = nlohmann::json;

class RuleBookTest : public ::testing::Test {
 protected:
  RuleSet Set(int64_t version, const std::string& effective_from, int64_t working_days = 20) {
    absl::StatusOr<RuleSet> set =
        book_.ParseJson(TestRuleSetJson(version, effective_from, [&](Json& j) {
          j["rules"]["publication.working_days"]["value"] = working_days;
        }));
    EXPECT_TRUE(set.ok()) << set.status();
    return *set;
  }

  int64_t VersionOn(absl::CivilDay day) {
    absl::StatusOr<std::shared_ptr<const RuleSet>> set = book_.EffectiveOn("test.openness", day);
    return set.ok() ? (*set)->version : -1;
  }

  RuleBook book_{{TestRuleSchema()}};
};

TEST_F(RuleBookTest, TheLatestVersionInEffectOnTheDayApplies) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOkAndHolds(true));
  ASSERT_THAT(book_.Put(Set(2, "2026-01-01", 15)), IsOkAndHolds(true));
  EXPECT_EQ(VersionOn(absl::CivilDay(2019, 5, 15)), 1);
  EXPECT_EQ(VersionOn(absl::CivilDay(2025, 12, 31)), 1);
  EXPECT_EQ(VersionOn(absl::CivilDay(2026, 1, 1)), 2);
  EXPECT_EQ(VersionOn(absl::CivilDay(2030, 6, 1)), 2);
}

TEST_F(RuleBookTest, OnTheSameEffectiveDayTheHighestVersionWins) {
  ASSERT_THAT(book_.Put(Set(3, "2026-01-01", 18)), IsOk());
  ASSERT_THAT(book_.Put(Set(2, "2026-01-01", 15)), IsOk());
  EXPECT_EQ(VersionOn(absl::CivilDay(2026, 1, 1)), 3);
}

TEST_F(RuleBookTest, AVersionEffectiveLaterDoesNotApplyYet) {
  ASSERT_THAT(book_.Put(Set(5, "2019-05-15")), IsOk());
  ASSERT_THAT(book_.Put(Set(4, "2027-01-01", 10)), IsOk());
  EXPECT_EQ(VersionOn(absl::CivilDay(2026, 6, 1)), 5);
  EXPECT_EQ(VersionOn(absl::CivilDay(2027, 1, 1)), 4);
}

TEST_F(RuleBookTest, NoVersionInEffectIsFailedPreconditionNamingTheSet) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  absl::StatusOr<std::shared_ptr<const RuleSet>> before =
      book_.EffectiveOn("test.openness", absl::CivilDay(2019, 5, 14));
  EXPECT_THAT(before, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("rule set test.openness is in effect on 2019-05-14")));
  EXPECT_THAT(book_.EffectiveOn("other.set", absl::CivilDay(2020, 1, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("other.set")));
}

TEST_F(RuleBookTest, CurrentUsesTodayInShanghai) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  ASSERT_THAT(book_.Put(Set(2, "2026-01-01", 15)), IsOk());
  // 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Shanghai.
  FakeClock clock(absl::FromCivil(absl::CivilSecond(2025, 12, 31, 16, 30, 0), absl::UTCTimeZone()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const RuleSet> current,
                       book_.Current("test.openness", clock));
  EXPECT_EQ(current->version, 2);
}

TEST_F(RuleBookTest, SameVersionWithOtherContentIsAlreadyExists) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  EXPECT_THAT(book_.Put(Set(1, "2019-05-15", 15)),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("test.openness v1 is already loaded with other content")));
  EXPECT_THAT(book_.CheckNew(Set(1, "2019-05-15", 15)),
              StatusIs(absl::StatusCode::kAlreadyExists, ::testing::_));
  ASSERT_OK_AND_ASSIGN(auto kept, book_.Get("test.openness", 1));
  EXPECT_THAT(kept->WorkingDays("publication.working_days"),
              IsOkAndHolds(::testing::Field(&Cited<int64_t>::value, 20)));
}

TEST_F(RuleBookTest, PuttingAnIdenticalVersionAgainChangesNothing) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOkAndHolds(true));
  const int64_t generation = book_.Generation();
  EXPECT_THAT(book_.Put(Set(1, "2019-05-15")), IsOkAndHolds(false));
  EXPECT_EQ(book_.Generation(), generation);
  EXPECT_THAT(book_.List(), SizeIs(1));
}

TEST_F(RuleBookTest, EveryAddedVersionAdvancesTheGeneration) {
  EXPECT_EQ(book_.Generation(), 0);
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  EXPECT_EQ(book_.Generation(), 1);
  ASSERT_THAT(book_.PutAll({Set(2, "2026-01-01"), Set(3, "2027-01-01")}), IsOkAndHolds(2));
  EXPECT_EQ(book_.Generation(), 2);
}

TEST_F(RuleBookTest, PutAllIsAllOrNothing) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  EXPECT_THAT(book_.PutAll({Set(2, "2026-01-01"), Set(1, "2019-05-15", 15)}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("v1")));
  EXPECT_THAT(book_.Get("test.openness", 2), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  EXPECT_EQ(book_.Generation(), 1);
}

TEST_F(RuleBookTest, ASetThatDoesNotFitIsRefusedWithItsViolations) {
  RuleSet set = Set(1, "2019-05-15");
  set.rules["publication.working_days"].value = int64_t{0};
  absl::StatusOr<bool> put = book_.Put(set);
  EXPECT_THAT(put, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("rules.publication.working_days")));
  ASSERT_THAT(FieldViolationsOf(put.status()), SizeIs(1));
  EXPECT_EQ(FieldViolationsOf(put.status())[0].field, "rules.publication.working_days");
}

TEST_F(RuleBookTest, ASetThisServiceDoesNotReadIsInvalidArgument) {
  EXPECT_THAT(book_.ParseJson(TestRuleSetJson(1, "2019-05-15",
                                              [](Json& j) { j["name"] = "catalog.disclosure"; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("reads no rule set named \"catalog.disclosure\"")));
}

TEST_F(RuleBookTest, ACitationIsStaleOnceANewerVersionAppliesToItsDay) {
  ASSERT_THAT(book_.Put(Set(1, "2019-05-15")), IsOk());
  ASSERT_OK_AND_ASSIGN(auto v1, book_.EffectiveOn("test.openness", absl::CivilDay(2026, 3, 2)));
  ASSERT_OK_AND_ASSIGN(Cited<int64_t> days, v1->WorkingDays("publication.working_days"));
  EXPECT_FALSE(book_.IsStale(days.rule, absl::CivilDay(2026, 3, 2)));
  ASSERT_THAT(book_.Put(Set(2, "2026-03-01", 15)), IsOk());
  EXPECT_TRUE(book_.IsStale(days.rule, absl::CivilDay(2026, 3, 2)));
  EXPECT_FALSE(book_.IsStale(days.rule, absl::CivilDay(2026, 2, 27)));
}

TEST_F(RuleBookTest, ReadersAlwaysSeeAWholeVersion) {
  // Each version v carries working days 10 + v % 40 and comment days 7 + v % 40; a
  // reader that saw half of a replacement would find them out of step.
  auto make = [&](int64_t v) {
    absl::StatusOr<RuleSet> set = book_.ParseJson(TestRuleSetJson(v, "2020-01-01", [&](Json& j) {
      j["rules"]["publication.working_days"]["value"] = 10 + v % 40;
      j["rules"]["comments.calendar_days"]["value"] = 7 + v % 40;
    }));
    EXPECT_TRUE(set.ok()) << set.status();
    return *set;
  };
  ASSERT_THAT(book_.Put(make(1)), IsOk());
  std::atomic<bool> done{false};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      int64_t last = 0;
      while (!done.load()) {
        auto set = book_.EffectiveOn("test.openness", absl::CivilDay(2024, 1, 1));
        if (!set.ok()) {
          ++mismatches;
          continue;
        }
        const int64_t v = (*set)->version;
        auto days = (*set)->WorkingDays("publication.working_days");
        auto comments = (*set)->CalendarDays("comments.calendar_days");
        if (!days.ok() || !comments.ok() || days->value != 10 + v % 40 ||
            comments->value != 7 + v % 40 || v < last) {
          ++mismatches;
        }
        last = v;
      }
    });
  }
  for (int64_t v = 2; v <= 200; ++v) ASSERT_THAT(book_.Put(make(v)), IsOk());
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(VersionOn(absl::CivilDay(2024, 1, 1)), 200);
}

TEST_F(RuleBookTest, EmbeddedSetsAreLoaded) {
  ASSERT_THAT(LoadEmbeddedRuleSets(book_), IsOkAndHolds(2));
  EXPECT_EQ(VersionOn(absl::CivilDay(2025, 1, 1)), 1);
  EXPECT_EQ(VersionOn(absl::CivilDay(2026, 1, 1)), 2);
  EXPECT_THAT(LoadEmbeddedRuleSets(book_), IsOkAndHolds(0));
}

TEST_F(RuleBookTest, DirectoryAddsVersionsAndAgreesWithTheEmbeddedCopy) {
  ASSERT_THAT(LoadEmbeddedRuleSets(book_), IsOk());
  EXPECT_THAT(LoadRuleSetsFromDirectory(book_, GONGKAI_RULES_TESTDATA_DIR), IsOkAndHolds(0));
  EXPECT_THAT(LoadRuleSetsFromDirectory(book_, "/nonexistent/rules"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/rules")));
  EXPECT_THAT(LoadRuleSetsFromDirectory(book_, GONGKAI_RULES_TESTDATA_DIR "/test.openness.v1.json"),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
}

TEST(NewRuleBookTest, StartsWithTheEmbeddedSetsAndTheDirectory) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<RuleBook> book,
                       NewRuleBook({TestRuleSchema()}, GONGKAI_RULES_TESTDATA_DIR));
  EXPECT_THAT(book->List(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<RuleBook> embedded_only,
                       NewRuleBook({TestRuleSchema()}, ""));
  EXPECT_THAT(embedded_only->List(), SizeIs(2));
  EXPECT_THAT(NewRuleBook({TestRuleSchema()}, "/nonexistent/rules"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("rules_dir /nonexistent/rules")));
}

TEST_F(RuleBookTest, ABadFileIsNamedAndNothingIsLoaded) {
  std::vector<RuleSetFile> files = {{"a.json", TestRuleSetJson(7, "2028-01-01")},
                                    {"b.json", TestRuleSetJson(8, "2028-01-01", [](Json& j) {
                                       j["rules"]["fee.by_pages"]["value"] = 3;
                                     })}};
  EXPECT_THAT(LoadRuleSetFiles(book_, files),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b.json: ")));
  EXPECT_THAT(book_.List(), SizeIs(0));
  files[1] = {"b.json", TestRuleSetJson(7, "2028-01-01", [](Json& j) { j["basis"] = "other"; })};
  EXPECT_THAT(LoadRuleSetFiles(book_, files),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("b.json and a.json both hold test.openness v7")));
}

// ---- SyncFromStore ----

TEST_F(RuleBookTest, SyncAddsWhatTheBookLacksOnce) {
  FakeRuleSetStore store;
  ASSERT_THAT(store.Insert(Set(2, "2026-01-01", 15), "admin", absl::UnixEpoch()),
              IsOkAndHolds(true));
  ASSERT_OK_AND_ASSIGN(SyncReport first, SyncFromStore(store, book_));
  EXPECT_EQ(first.added, 1);
  EXPECT_THAT(first.rejected, SizeIs(0));
  ASSERT_OK_AND_ASSIGN(SyncReport second, SyncFromStore(store, book_));
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(VersionOn(absl::CivilDay(2026, 1, 1)), 2);
}

TEST_F(RuleBookTest, SyncSkipsOtherSetsAndReportsRowsThatDoNotFit) {
  FakeRuleSetStore store;
  store.AddRaw({"other.set", 1, absl::CivilDay(2020, 1, 1), "{}", "", "admin", absl::UnixEpoch()});
  store.AddRaw({"test.openness", 9, absl::CivilDay(2020, 1, 1),
                TestRuleSetJson(9, "2020-01-01",
                                [](Json& j) {
                                  j["rules"]["new.rule"] = Json{{"value", 1}};
                                }),
                "", "admin", absl::UnixEpoch()});
  ASSERT_THAT(store.Insert(Set(2, "2026-01-01", 15), "admin", absl::UnixEpoch()), IsOk());
  ASSERT_OK_AND_ASSIGN(SyncReport report, SyncFromStore(store, book_));
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.skipped, 1);
  ASSERT_THAT(report.rejected, SizeIs(1));
  EXPECT_THAT(report.rejected[0], StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("stored rule set test.openness v9")));
}

TEST_F(RuleBookTest, SyncFailsOnlyWhenTheStoreCannotBeRead) {
  FakeRuleSetStore store;
  store.set_fail_with(absl::UnavailableError("database down"));
  EXPECT_THAT(SyncFromStore(store, book_), StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
}

}  // namespace
}  // namespace gongkai::rules
