// Tests for the working-day engine (NAT-1, NAT-2, NAT-3).
//
// Every expected date below is worked out by hand from the NAT-2 schedules in
// shared/reference/requirements.md (2024, 2025) and from the State Council notice for 2026
// (国办发明电〔2025〕7号, 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04), with the
// day-by-day count written in a comment; none is taken from the code under test. Weekdays used:
// 2024-01-01 Mon, 2024-02-01 Thu, 2024-04-01 Mon, 2024-05-01 Wed, 2024-09-01 Sun, 2024-10-01 Tue,
// 2024-12-01 Sun, 2025-01-01 Wed, 2025-04-01 Tue, 2025-09-01 Mon, 2025-10-01 Wed,
// 2026-01-01 Thu, 2026-09-01 Tue, 2026-10-01 Thu, 2026-11-01 Sun, 2026-12-01 Tue.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/deadline.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/calendar/year_calendar.h"
#include "libs/clock/clock.h"
#include "libs/status/errors.h"

namespace gongkai::calendar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

std::vector<absl::CivilDay> SkippedDaysOf(const Deadline& deadline) {
  std::vector<absl::CivilDay> days;
  for (const DayNote& note : deadline.SkippedDays()) days.push_back(note.day);
  return days;
}

std::vector<absl::CivilDay> CountedAdjustedDaysOf(const Deadline& deadline) {
  std::vector<absl::CivilDay> days;
  for (const DayNote& note : deadline.notes) {
    if (note.counted) days.push_back(note.day);
  }
  return days;
}

std::vector<absl::CivilDay> Range(absl::CivilDay first, absl::CivilDay last) {
  std::vector<absl::CivilDay> days;
  for (absl::CivilDay d = first; d <= last; ++d) days.push_back(d);
  return days;
}

std::vector<absl::CivilDay> Concat(std::vector<std::vector<absl::CivilDay>> parts) {
  std::vector<absl::CivilDay> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

class CalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<WorkingDayCalendar>> calendar = NewBuiltinCalendar();
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = *std::move(calendar);
  }

  Deadline MustAddWorkingDays(absl::CivilDay start, int n) {
    absl::StatusOr<Deadline> deadline = calendar_->AddWorkingDays(start, n);
    EXPECT_TRUE(deadline.ok()) << deadline.status();
    return deadline.ok() ? *deadline : Deadline{};
  }

  Deadline MustAddCalendarDays(absl::CivilDay start, int n) {
    absl::StatusOr<Deadline> deadline = calendar_->AddCalendarDays(start, n);
    EXPECT_TRUE(deadline.ok()) << deadline.status();
    return deadline.ok() ? *deadline : Deadline{};
  }

  std::shared_ptr<WorkingDayCalendar> calendar_;
};

// NAT-2, copied literally from the requirements: every listed day off is not a working
// day and every adjusted working day is one.
TEST_F(CalendarTest, BuiltinDataMatchesNat2Schedules) {
  const std::vector<absl::CivilDay> off = Concat({
      {D(2024, 1, 1)},
      Range(D(2024, 2, 10), D(2024, 2, 17)),
      Range(D(2024, 4, 4), D(2024, 4, 6)),
      Range(D(2024, 5, 1), D(2024, 5, 5)),
      {D(2024, 6, 10)},
      Range(D(2024, 9, 15), D(2024, 9, 17)),
      Range(D(2024, 10, 1), D(2024, 10, 7)),
      {D(2025, 1, 1)},
      Range(D(2025, 1, 28), D(2025, 2, 4)),
      Range(D(2025, 4, 4), D(2025, 4, 6)),
      Range(D(2025, 5, 1), D(2025, 5, 5)),
      Range(D(2025, 5, 31), D(2025, 6, 2)),
      Range(D(2025, 10, 1), D(2025, 10, 8)),
  });
  const std::vector<absl::CivilDay> adjusted = {
      D(2024, 2, 4),  D(2024, 2, 18), D(2024, 4, 7),   D(2024, 4, 28), D(2024, 5, 11),
      D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12), D(2025, 1, 26), D(2025, 2, 8),
      D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)};
  for (absl::CivilDay day : off) {
    absl::StatusOr<DayInfo> info = calendar_->Describe(day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, DayKind::kHoliday) << day;
    EXPECT_FALSE(info->working) << day;
  }
  for (absl::CivilDay day : adjusted) {
    absl::StatusOr<DayInfo> info = calendar_->Describe(day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, DayKind::kAdjustedWorkingDay) << day;
    EXPECT_TRUE(info->working) << day;
  }
  // Exactly those: the data lists no other special days.
  EXPECT_THAT(calendar_->Year(2024)->holidays, SizeIs(28));
  EXPECT_THAT(calendar_->Year(2025)->holidays, SizeIs(28));
  EXPECT_THAT(calendar_->Year(2024)->adjusted_working_days, SizeIs(8));
  EXPECT_THAT(calendar_->Year(2025)->adjusted_working_days, SizeIs(5));
}

// NAT-1: named by its document number like 2024/2025 (cn-2026.2: only the source changed).
constexpr char kNotice2026[] = "国办发明电〔2025〕7号";

// NAT-1/NAT-2, the 2026 notice copied literally: 元旦 01-01..03; 春节 02-15..23; 清明节
// 04-04..06; 劳动节 05-01..05; 端午节 06-19..21; 中秋节 09-25..27; 国庆节 10-01..07.
// Adjusted working days: 01-04 Sun, 02-14 Sat, 02-28 Sat, 05-09 Sat, 09-20 Sun,
// 10-10 Sat. Days off: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33; adjusted working days: 6.
TEST_F(CalendarTest, BuiltinData2026MatchesTheNotice) {
  const std::vector<absl::CivilDay> off = Concat({
      Range(D(2026, 1, 1), D(2026, 1, 3)),
      Range(D(2026, 2, 15), D(2026, 2, 23)),
      Range(D(2026, 4, 4), D(2026, 4, 6)),
      Range(D(2026, 5, 1), D(2026, 5, 5)),
      Range(D(2026, 6, 19), D(2026, 6, 21)),
      Range(D(2026, 9, 25), D(2026, 9, 27)),
      Range(D(2026, 10, 1), D(2026, 10, 7)),
  });
  const std::vector<absl::CivilDay> adjusted = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28),
                                                D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)};
  for (absl::CivilDay day : off) {
    absl::StatusOr<DayInfo> info = calendar_->Describe(day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, DayKind::kHoliday) << day;
    EXPECT_FALSE(info->working) << day;
  }
  for (absl::CivilDay day : adjusted) {
    absl::StatusOr<DayInfo> info = calendar_->Describe(day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, DayKind::kAdjustedWorkingDay) << day;
    EXPECT_TRUE(info->working) << day;
  }
  EXPECT_THAT(off, SizeIs(33));
  EXPECT_THAT(calendar_->Year(2026)->holidays, SizeIs(33));
  EXPECT_THAT(calendar_->Year(2026)->adjusted_working_days, SizeIs(6));
  EXPECT_EQ(calendar_->Year(2026)->source_title, "国务院办公厅关于2026年部分节假日安排的通知");
  EXPECT_EQ(calendar_->Year(2026)->published, "2025-11-04");

  EXPECT_EQ(calendar_->Describe(D(2026, 1, 4))->holiday, "元旦");
  EXPECT_EQ(calendar_->Describe(D(2026, 2, 28))->holiday, "春节");
  EXPECT_EQ(calendar_->Describe(D(2026, 5, 9))->holiday, "劳动节");
  EXPECT_EQ(calendar_->Describe(D(2026, 6, 19))->holiday, "端午节");
  EXPECT_EQ(calendar_->Describe(D(2026, 9, 26))->holiday, "中秋节");
  EXPECT_EQ(calendar_->Describe(D(2026, 9, 20))->holiday, "国庆节");
  EXPECT_EQ(calendar_->Describe(D(2026, 10, 10))->holiday, "国庆节");
  EXPECT_EQ(calendar_->Describe(D(2026, 10, 11))->kind, DayKind::kWeekend);  // Sunday
}

TEST_F(CalendarTest, BuiltinDaysCarryHolidayNames) {
  EXPECT_EQ(calendar_->Describe(D(2024, 1, 1))->holiday, "元旦");
  EXPECT_EQ(calendar_->Describe(D(2024, 2, 12))->holiday, "春节");
  EXPECT_EQ(calendar_->Describe(D(2024, 4, 4))->holiday, "清明节");
  EXPECT_EQ(calendar_->Describe(D(2024, 5, 3))->holiday, "劳动节");
  EXPECT_EQ(calendar_->Describe(D(2024, 6, 10))->holiday, "端午节");
  EXPECT_EQ(calendar_->Describe(D(2024, 9, 16))->holiday, "中秋节");
  EXPECT_EQ(calendar_->Describe(D(2024, 10, 1))->holiday, "国庆节");
  EXPECT_EQ(calendar_->Describe(D(2024, 2, 18))->holiday, "春节");
  EXPECT_EQ(calendar_->Describe(D(2025, 10, 6))->holiday, "国庆节、中秋节");
  EXPECT_EQ(calendar_->Describe(D(2024, 3, 9))->kind, DayKind::kWeekend);  // Saturday
  EXPECT_EQ(calendar_->Describe(D(2024, 3, 8))->kind, DayKind::kWorkingDay);
}

TEST_F(CalendarTest, BuiltinVersionsNameTheirNotices) {
  EXPECT_THAT(calendar_->Versions(),
              ElementsAre(CalendarVersion{2024, "cn-2024.1", "国办发明电〔2023〕7号"},
                          CalendarVersion{2025, "cn-2025.1", "国办发明电〔2024〕12号"},
                          CalendarVersion{2026, "cn-2026.2", kNotice2026}));
}

TEST_F(CalendarTest, EmbeddedDataEqualsTheDataFiles) {
  absl::StatusOr<YearCalendar> y2024 =
      LoadYearCalendarFile(std::string(GONGKAI_CALENDAR_DATA_DIR) + "/cn-2024.json");
  absl::StatusOr<YearCalendar> y2025 =
      LoadYearCalendarFile(std::string(GONGKAI_CALENDAR_DATA_DIR) + "/cn-2025.json");
  ASSERT_TRUE(y2024.ok()) << y2024.status();
  absl::StatusOr<YearCalendar> y2026 =
      LoadYearCalendarFile(std::string(GONGKAI_CALENDAR_DATA_DIR) + "/cn-2026.json");
  ASSERT_TRUE(y2025.ok()) << y2025.status();
  ASSERT_TRUE(y2026.ok()) << y2026.status();
  EXPECT_EQ(*y2024, *calendar_->Year(2024));
  EXPECT_EQ(*y2025, *calendar_->Year(2025));
  EXPECT_EQ(*y2026, *calendar_->Year(2026));
}

// Start Fri 2024-02-02, 10 working days:
//   02-03 Sat skipped (weekend); 02-04 Sun adjusted (1); 02-05..02-09 Mon..Fri (2..6);
//   02-10..02-17 春节 skipped; 02-18 Sun adjusted (7); 02-19 Mon (8); 02-20 (9);
//   02-21 Wed (10).
TEST_F(CalendarTest, SpringFestival2024CountsTheAdjustedSundays) {
  Deadline d = MustAddWorkingDays(D(2024, 2, 2), 10);
  EXPECT_EQ(d.due, D(2024, 2, 21));
  EXPECT_EQ(SkippedDaysOf(d), Concat({{D(2024, 2, 3)}, Range(D(2024, 2, 10), D(2024, 2, 17))}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2024, 2, 4), D(2024, 2, 18)));
  EXPECT_EQ(d.notes[0].reason, "weekend");
  EXPECT_EQ(d.notes[1].reason, "adjusted working day (春节)");
  EXPECT_EQ(d.notes[2].reason, "春节");
  EXPECT_THAT(d.calendars,
              ElementsAre(CalendarVersion{2024, "cn-2024.1", "国办发明电〔2023〕7号"}));
}

// Start Fri 2025-01-24, 6 working days:
//   01-25 Sat skipped; 01-26 Sun adjusted (1); 01-27 Mon (2); 01-28..02-04 春节 skipped;
//   02-05 Wed (3); 02-06 (4); 02-07 Fri (5); 02-08 Sat adjusted (6) -> due on a Saturday.
TEST_F(CalendarTest, SpringFestival2025EndsOnTheAdjustedSaturday) {
  Deadline d = MustAddWorkingDays(D(2025, 1, 24), 6);
  EXPECT_EQ(d.due, D(2025, 2, 8));
  EXPECT_EQ(SkippedDaysOf(d), Concat({{D(2025, 1, 25)}, Range(D(2025, 1, 28), D(2025, 2, 4))}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2025, 1, 26), D(2025, 2, 8)));
}

// Start Mon 2024-09-30, 20 working days (NAT-7 reply period):
//   10-01..10-07 国庆节 skipped; 10-08 Tue..10-11 Fri (1..4); 10-12 Sat adjusted (5);
//   10-13 Sun skipped; 10-14..10-18 (6..10); 10-19/20 skipped; 10-21..10-25 (11..15);
//   10-26/27 skipped; 10-28..10-31 (16..19); 11-01 Fri (20).
TEST_F(CalendarTest, NationalDay2024TwentyWorkingDaysFromSeptember30) {
  Deadline d = MustAddWorkingDays(D(2024, 9, 30), 20);
  EXPECT_EQ(d.due, D(2024, 11, 1));
  EXPECT_EQ(SkippedDaysOf(d), Concat({Range(D(2024, 10, 1), D(2024, 10, 7)),
                                      {D(2024, 10, 13), D(2024, 10, 19), D(2024, 10, 20),
                                       D(2024, 10, 26), D(2024, 10, 27)}}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2024, 10, 12)));
}

// Start Fri 2024-09-27, 3 working days: 09-28 Sat skipped; 09-29 Sun adjusted (1);
// 09-30 Mon (2); 10-01..10-07 skipped; 10-08 Tue (3).
TEST_F(CalendarTest, NationalDay2024CountsTheAdjustedSunday) {
  Deadline d = MustAddWorkingDays(D(2024, 9, 27), 3);
  EXPECT_EQ(d.due, D(2024, 10, 8));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2024, 9, 29)));
}

// Start Fri 2024-09-13, 2 working days: 09-14 Sat adjusted (1); 09-15..09-17 中秋节
// skipped; 09-18 Wed (2).
TEST_F(CalendarTest, MidAutumn2024CountsTheAdjustedSaturday) {
  Deadline d = MustAddWorkingDays(D(2024, 9, 13), 2);
  EXPECT_EQ(d.due, D(2024, 9, 18));
  EXPECT_EQ(SkippedDaysOf(d), Range(D(2024, 9, 15), D(2024, 9, 17)));
  EXPECT_EQ(d.SkippedDays()[0].reason, "中秋节");
}

// Start Fri 2025-09-26, 6 working days: 09-27 Sat skipped; 09-28 Sun adjusted (1);
// 09-29 Mon (2); 09-30 Tue (3); 10-01..10-08 国庆节、中秋节 skipped; 10-09 Thu (4);
// 10-10 Fri (5); 10-11 Sat adjusted (6).
TEST_F(CalendarTest, NationalDay2025CountsAdjustedSundayAndSaturday) {
  Deadline d = MustAddWorkingDays(D(2025, 9, 26), 6);
  EXPECT_EQ(d.due, D(2025, 10, 11));
  EXPECT_EQ(SkippedDaysOf(d), Concat({{D(2025, 9, 27)}, Range(D(2025, 10, 1), D(2025, 10, 8))}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2025, 9, 28), D(2025, 10, 11)));
}

// NAT-7 reply period from Fri 2026-09-18, 20 working days:
//   09-19 Sat skipped; 09-20 Sun adjusted (1); 09-21 Mon..09-24 Thu (2..5);
//   09-25..09-27 中秋节 skipped; 09-28 Mon..09-30 Wed (6..8); 10-01..10-07 国庆节
//   skipped; 10-08 Thu (9); 10-09 Fri (10); 10-10 Sat adjusted (11); 10-11 Sun skipped;
//   10-12..10-16 (12..16); 10-17/18 skipped; 10-19 Mon..10-22 Thu (17..20).
TEST_F(CalendarTest, MidAutumnAndNationalDay2026TwentyWorkingDaysFromSeptember18) {
  Deadline d = MustAddWorkingDays(D(2026, 9, 18), 20);
  EXPECT_EQ(d.due, D(2026, 10, 22));
  EXPECT_EQ(SkippedDaysOf(d), Concat({{D(2026, 9, 19)},
                                      Range(D(2026, 9, 25), D(2026, 9, 27)),
                                      Range(D(2026, 10, 1), D(2026, 10, 7)),
                                      {D(2026, 10, 11), D(2026, 10, 17), D(2026, 10, 18)}}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2026, 9, 20), D(2026, 10, 10)));
  EXPECT_EQ(d.notes[1].reason, "adjusted working day (国庆节)");
  EXPECT_EQ(d.notes[2].reason, "中秋节");
  EXPECT_THAT(d.calendars, ElementsAre(CalendarVersion{2026, "cn-2026.2", kNotice2026}));
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2026, 9, 18), D(2026, 10, 22)), 20);
}

// NAT-7 reply period from Fri 2026-11-27 (today), 20 working days, plain weekends only:
//   11-28/29 skipped; 11-30 Mon (1); 12-01 Tue..12-04 Fri (2..5); 12-05/06 skipped;
//   12-07..12-11 (6..10); 12-12/13 skipped; 12-14..12-18 (11..15); 12-19/20 skipped;
//   12-21 Mon..12-25 Fri (16..20).
TEST_F(CalendarTest, TwentyWorkingDaysFromNovember27In2026EndOnDecember25) {
  Deadline d = MustAddWorkingDays(D(2026, 11, 27), 20);
  EXPECT_EQ(d.due, D(2026, 12, 25));
  EXPECT_EQ(SkippedDaysOf(d),
            (std::vector<absl::CivilDay>{D(2026, 11, 28), D(2026, 11, 29), D(2026, 12, 5),
                                         D(2026, 12, 6), D(2026, 12, 12), D(2026, 12, 13),
                                         D(2026, 12, 19), D(2026, 12, 20)}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), SizeIs(0));
  for (const DayNote& note : d.notes) EXPECT_EQ(note.reason, "weekend") << note.day;
}

// 2024: start Wed 04-03, 1 working day: 04-04 Thu..04-06 Sat 清明节 skipped; 04-07 Sun
// adjusted (1). 2025: start Thu 04-03: 04-04 Fri..04-06 Sun 清明节 (the weekend days are
// reported as 清明节, the notice's name for them); 04-07 Mon (1).
TEST_F(CalendarTest, QingmingSkipsTheHolidayAndCountsTheAdjustedSunday) {
  Deadline d2024 = MustAddWorkingDays(D(2024, 4, 3), 1);
  EXPECT_EQ(d2024.due, D(2024, 4, 7));
  EXPECT_EQ(SkippedDaysOf(d2024), Range(D(2024, 4, 4), D(2024, 4, 6)));

  Deadline d2025 = MustAddWorkingDays(D(2025, 4, 3), 1);
  EXPECT_EQ(d2025.due, D(2025, 4, 7));
  ASSERT_THAT(d2025.notes, SizeIs(3));
  for (const DayNote& note : d2025.notes) {
    EXPECT_EQ(note.kind, DayKind::kHoliday);
    EXPECT_EQ(note.reason, "清明节");
  }
}

// Start Fri 2024-04-26, 10 working days: 04-27 Sat skipped; 04-28 Sun adjusted (1);
// 04-29 Mon (2); 04-30 Tue (3); 05-01..05-05 劳动节 skipped; 05-06..05-10 (4..8);
// 05-11 Sat adjusted (9); 05-12 Sun skipped; 05-13 Mon (10).
TEST_F(CalendarTest, LabourDay2024CountsApril28AndMay11) {
  Deadline d = MustAddWorkingDays(D(2024, 4, 26), 10);
  EXPECT_EQ(d.due, D(2024, 5, 13));
  EXPECT_EQ(SkippedDaysOf(d),
            Concat({{D(2024, 4, 27)}, Range(D(2024, 5, 1), D(2024, 5, 5)), {D(2024, 5, 12)}}));
  EXPECT_THAT(CountedAdjustedDaysOf(d), ElementsAre(D(2024, 4, 28), D(2024, 5, 11)));
  EXPECT_EQ(calendar_->IsWorkingDay(D(2024, 5, 11)).value(), true);
}

// NAT-3: Mon 2024-03-04 + 1 -> Tue 03-05; Fri 03-08 + 1 -> Mon 03-11; a start on a
// holiday (2024-10-01) is not counted either -> Tue 10-08; n = 0 is the start day.
TEST_F(CalendarTest, StartDayIsNotCounted) {
  EXPECT_EQ(MustAddWorkingDays(D(2024, 3, 4), 1).due, D(2024, 3, 5));
  EXPECT_EQ(MustAddWorkingDays(D(2024, 3, 8), 1).due, D(2024, 3, 11));
  EXPECT_EQ(MustAddWorkingDays(D(2024, 10, 1), 1).due, D(2024, 10, 8));
  Deadline zero = MustAddWorkingDays(D(2024, 3, 4), 0);
  EXPECT_EQ(zero.due, D(2024, 3, 4));
  EXPECT_TRUE(zero.notes.empty());
}

// Start Fri 2024-12-27, 5 working days: 12-28/29 skipped; 12-30 Mon (1); 12-31 Tue (2);
// 2025-01-01 元旦 skipped; 01-02 Thu (3); 01-03 Fri (4); 01-04/05 skipped; 01-06 Mon (5).
TEST_F(CalendarTest, PeriodCrossesTheYearBoundaryUsingBothCalendars) {
  Deadline d = MustAddWorkingDays(D(2024, 12, 27), 5);
  EXPECT_EQ(d.due, D(2025, 1, 6));
  EXPECT_EQ(SkippedDaysOf(d),
            (std::vector<absl::CivilDay>{D(2024, 12, 28), D(2024, 12, 29), D(2025, 1, 1),
                                         D(2025, 1, 4), D(2025, 1, 5)}));
  EXPECT_THAT(d.calendars,
              ElementsAre(CalendarVersion{2024, "cn-2024.1", "国办发明电〔2023〕7号"},
                          CalendarVersion{2025, "cn-2025.1", "国办发明电〔2024〕12号"}));
}

TEST_F(CalendarTest, DaysOutsideLoadedYearsAreFailedPreconditionNamingTheYear) {
  absl::StatusOr<bool> before = calendar_->IsWorkingDay(D(2023, 12, 31));
  EXPECT_EQ(before.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(before.status().message(), HasSubstr("no working-day calendar is loaded for 2023"));
  EXPECT_THAT(before.status().message(), HasSubstr("loaded: 2024, 2025, 2026"));
  EXPECT_TRUE(before.status().GetPayload(kPreconditionFailureTypeUrl).has_value());

  // Thu 2026-12-24 + 10: 12-25 (1), 12-28..12-31 (2..5), then 2027-01-01 is unknown.
  absl::StatusOr<Deadline> after = calendar_->AddWorkingDays(D(2026, 12, 24), 10);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(after.status().message(), HasSubstr("for 2027"));

  absl::StatusOr<Deadline> from2023 = calendar_->AddWorkingDays(D(2023, 12, 29), 1);
  EXPECT_THAT(from2023.status().message(), HasSubstr("for 2023"));

  EXPECT_EQ(calendar_->AddCalendarDays(D(2026, 12, 20), 30).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(calendar_->CountWorkingDaysBetween(D(2026, 6, 1), D(2027, 1, 5)).status().code(),
            absl::StatusCode::kFailedPrecondition);

  WorkingDayCalendar empty;
  EXPECT_THAT(empty.IsWorkingDay(D(2024, 3, 4)).status().message(), HasSubstr("loaded: none"));
}

TEST_F(CalendarTest, NegativeOrAbsurdPeriodIsInvalidArgument) {
  for (int n : {-1, kMaxPeriodDays + 1}) {
    absl::StatusOr<Deadline> working = calendar_->AddWorkingDays(D(2024, 3, 4), n);
    EXPECT_EQ(working.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(working.status().message(), HasSubstr("n: "));
    EXPECT_EQ(calendar_->AddCalendarDays(D(2024, 3, 4), n).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // 1000 is allowed; 1000 working days from 2024 run past the loaded years.
  EXPECT_EQ(calendar_->AddWorkingDays(D(2024, 3, 4), kMaxPeriodDays).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// 2024: 366 days from Mon 01-01 = 52 weeks + Mon/Tue -> 262 weekdays. Holidays on
// weekdays: 01-01; 02-12..02-16 (5); 04-04, 04-05; 05-01..05-03 (3); 06-10; 09-16, 09-17;
// 10-01..10-04 and 10-07 (5) = 19. Plus 8 adjusted days: 262 - 19 + 8 = 251.
// 2025: 365 days from Wed 01-01 = 52 weeks + Wed -> 261 weekdays. Holidays on weekdays:
// 01-01; 01-28..01-31, 02-03, 02-04 (6); 04-04; 05-01, 05-02, 05-05 (3); 06-02;
// 10-01..10-03, 10-06..10-08 (6) = 18. Plus 5 adjusted days: 261 - 18 + 5 = 248.
// 2026: 365 days from Thu 01-01 = 52 weeks + Thu -> 261 weekdays. Holidays on weekdays:
// 01-01, 01-02 (2); 02-16..02-20, 02-23 (6); 04-06; 05-01, 05-04, 05-05 (3); 06-19;
// 09-25; 10-01, 10-02, 10-05..10-07 (5) = 19. Plus 6 adjusted days: 261 - 19 + 6 = 248.
TEST_F(CalendarTest, CountWorkingDaysBetweenExcludesStartIncludesEnd) {
  // 2024-01-01 is a holiday, so (01-01, 12-31] holds every working day of 2024.
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 1, 1), D(2024, 12, 31)), 251);
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 12, 31), D(2025, 12, 31)), 248);
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2025, 12, 31), D(2026, 12, 31)), 248);
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 9, 30), D(2024, 11, 1)), 20);
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 3, 4), D(2024, 3, 5)), 1);
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 3, 4), D(2024, 3, 4)), 0);
  // Tue 10-01 .. Mon 10-07 are all 国庆节.
  EXPECT_EQ(*calendar_->CountWorkingDaysBetween(D(2024, 9, 30), D(2024, 10, 7)), 0);

  absl::StatusOr<int> backwards = calendar_->CountWorkingDaysBetween(D(2024, 3, 5), D(2024, 3, 4));
  EXPECT_EQ(backwards.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(backwards.status().message(), HasSubstr("2024-03-04 is before from 2024-03-05"));
}

// NAT-3 calendar-day periods: Sat 2024-09-21 + 10 = Tue 10-01 (国庆节) -> moved across
// 10-01..10-07 to Tue 10-08.
TEST_F(CalendarTest, CalendarDaysEndingOnAHolidayMoveToTheNextWorkingDay) {
  Deadline d = MustAddCalendarDays(D(2024, 9, 21), 10);
  EXPECT_FALSE(d.working_days);
  EXPECT_EQ(d.nominal_end, D(2024, 10, 1));
  EXPECT_EQ(d.due, D(2024, 10, 8));
  EXPECT_EQ(SkippedDaysOf(d), Range(D(2024, 10, 1), D(2024, 10, 7)));
  EXPECT_EQ(d.notes[0].reason, "国庆节");
}

// Fri 2024-03-01 + 8 = Sat 03-09 -> Mon 03-11. Wed 2024-05-01 + 10 = Sat 05-11, an
// adjusted working day, so it stays. Mon 2024-09-30 + 10 = Thu 10-10, a working day: the
// holiday inside the period does not matter.
TEST_F(CalendarTest, CalendarDaysMoveOnlyWhenTheLastDayIsNotAWorkingDay) {
  Deadline weekend = MustAddCalendarDays(D(2024, 3, 1), 8);
  EXPECT_EQ(weekend.due, D(2024, 3, 11));
  EXPECT_EQ(SkippedDaysOf(weekend), (std::vector<absl::CivilDay>{D(2024, 3, 9), D(2024, 3, 10)}));

  Deadline adjusted = MustAddCalendarDays(D(2024, 5, 1), 10);
  EXPECT_EQ(adjusted.due, D(2024, 5, 11));
  EXPECT_TRUE(adjusted.notes.empty());

  Deadline inside = MustAddCalendarDays(D(2024, 9, 30), 10);
  EXPECT_EQ(inside.due, D(2024, 10, 10));
  EXPECT_TRUE(inside.notes.empty());
  EXPECT_THAT(inside.calendars, SizeIs(1));
}

YearCalendar Amended2024(const WorkingDayCalendar& calendar) {
  YearCalendar amended = *calendar.Year(2024);
  amended.version = "cn-2024.2";
  amended.holidays.push_back({D(2024, 10, 8), "国庆节"});  // Hypothetical amendment.
  return amended;
}

// With 10-08 also off, the 20 working days from 2024-09-30 shift by one: 10-09..10-11
// (1..3), 10-12 Sat (4), ... 11-01 Fri (19), 11-02/03 weekend, 11-04 Mon (20).
TEST_F(CalendarTest, ReplacingAYearChangesResultsAndMarksOldDeadlinesStale) {
  Deadline before = MustAddWorkingDays(D(2024, 9, 30), 20);
  Deadline in2025 = MustAddWorkingDays(D(2025, 3, 3), 5);
  EXPECT_FALSE(calendar_->IsStale(before));

  ASSERT_TRUE(calendar_->ReplaceYear(Amended2024(*calendar_)).ok());

  EXPECT_TRUE(calendar_->IsStale(before));
  EXPECT_FALSE(calendar_->IsStale(in2025));
  EXPECT_EQ(calendar_->IsWorkingDay(D(2024, 10, 8)).value(), false);
  absl::StatusOr<Deadline> after = calendar_->Recompute(before);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->due, D(2024, 11, 4));
  EXPECT_FALSE(calendar_->IsStale(*after));
  EXPECT_THAT(after->calendars,
              ElementsAre(CalendarVersion{2024, "cn-2024.2", "国办发明电〔2023〕7号"}));
  EXPECT_EQ(calendar_->Versions()[0].version, "cn-2024.2");
}

TEST_F(CalendarTest, LoadAndReplaceRefuseAmbiguousChanges) {
  absl::Status again = calendar_->LoadYear(*calendar_->Year(2024));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.message(), HasSubstr("use ReplaceYear"));

  YearCalendar y2027 = *calendar_->Year(2025);
  y2027.year = 2027;
  y2027.holidays.clear();
  y2027.adjusted_working_days.clear();
  EXPECT_EQ(calendar_->ReplaceYear(y2027).code(), absl::StatusCode::kNotFound);

  YearCalendar same_version = Amended2024(*calendar_);
  same_version.version = "cn-2024.1";
  absl::Status silent = calendar_->ReplaceYear(same_version);
  EXPECT_EQ(silent.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(silent.message(), HasSubstr("new version"));

  EXPECT_TRUE(calendar_->ReplaceYear(*calendar_->Year(2024)).ok());  // Identical: no-op.

  YearCalendar invalid = Amended2024(*calendar_);
  invalid.holidays.push_back({D(2024, 2, 4), "春节"});  // Also an adjusted working day.
  EXPECT_EQ(calendar_->ReplaceYear(invalid).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calendar_->Versions()[0].version, "cn-2024.1");
}

TEST_F(CalendarTest, ReadersSeeWholeCalendarsWhileAYearIsReplaced) {
  const YearCalendar original = *calendar_->Year(2024);
  const YearCalendar amended = Amended2024(*calendar_);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop.load()) {
      absl::StatusOr<Deadline> d = calendar_->AddWorkingDays(D(2024, 9, 30), 20);
      if (!d.ok()) {
        ++bad;
        continue;
      }
      // Each answer must match the version it says it used.
      const bool amended_used = d->calendars[0].version == "cn-2024.2";
      if (d->due != (amended_used ? D(2024, 11, 4) : D(2024, 11, 1))) ++bad;
    }
  });
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(calendar_->ReplaceYear(i % 2 == 0 ? amended : original).ok());
  }
  stop = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(CalendarTest, ExplainListsSkippedDaysAdjustedDaysAndSources) {
  const std::string text = MustAddWorkingDays(D(2024, 9, 30), 20).Explain();
  EXPECT_THAT(text, HasSubstr("自 2024-09-30 起算 20 个工作日（起算日不计入）"));
  EXPECT_THAT(text, HasSubstr("期限届满日为 2024-11-01（星期五）"));
  EXPECT_THAT(text, HasSubstr("2024-10-01 至 2024-10-07 国庆节（7天）"));
  EXPECT_THAT(text, HasSubstr("2024-10-13 周末"));
  EXPECT_THAT(text, HasSubstr("2024-10-19 至 2024-10-20 周末"));
  EXPECT_THAT(text, HasSubstr("计入的调休上班日：2024-10-12（星期六，国庆节调休上班）"));
  EXPECT_THAT(text, HasSubstr("依据：国办发明电〔2023〕7号（2024年，版本 cn-2024.1）"));

  const std::string moved = MustAddCalendarDays(D(2024, 9, 21), 10).Explain();
  EXPECT_THAT(moved, HasSubstr("期间最后一日 2024-10-01 不是工作日，顺延至其后第一个工作日 "
                               "2024-10-08（星期二）"));
  EXPECT_THAT(moved, HasSubstr("顺延跨过的日子：2024-10-01 至 2024-10-07 国庆节（7天）"));
}

// NAT-1: operators drop newly published or amended years into a directory.
class LoadYearsFromDirectoryTest : public CalendarTest {
 protected:
  void SetUp() override {
    CalendarTest::SetUp();
    std::string pattern = ::testing::TempDir() + "/calendar_dir_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void Write(const std::string& name, const std::string& contents) {
    std::ofstream out(dir_ + "/" + name, std::ios::binary);
    out << contents;
    ASSERT_TRUE(out.good()) << name;
  }

  // Test data, not a real notice: 2027 with only 01-01 off.
  static YearCalendar Fake2027() {
    YearCalendar y2027;
    y2027.year = 2027;
    y2027.version = "test-2027.1";
    y2027.source = "test notice 2027";
    y2027.holidays = {{D(2027, 1, 1), "元旦"}};
    return y2027;
  }

  // Hypothetical amendment of 2026: 10-08 (Thu) also off.
  YearCalendar Amended2026() const {
    YearCalendar amended = *calendar_->Year(2026);
    amended.version = "cn-2026.3";
    amended.holidays.push_back({D(2026, 10, 8), "国庆节"});
    return amended;
  }

  std::vector<std::string> LoadedVersions() const {
    std::vector<std::string> versions;
    for (const CalendarVersion& v : calendar_->Versions()) versions.push_back(v.version);
    return versions;
  }

  std::string dir_;
};

// With 10-08 off, 20 working days from 2026-09-18 move from Thu 10-22 to Fri 10-23.
TEST_F(LoadYearsFromDirectoryTest, LoadsNewYearsAndReplacesAmendedOnes) {
  const Deadline before = MustAddWorkingDays(D(2026, 9, 18), 20);
  Write("cn-2026.json", YearCalendarToJson(Amended2026()));
  Write("cn-2027.json", YearCalendarToJson(Fake2027()));
  Write("README.txt", "not a calendar");
  ASSERT_TRUE(std::filesystem::create_directory(dir_ + "/old.json"));  // Ignored.

  absl::Status loaded = LoadYearsFromDirectory(*calendar_, dir_);
  ASSERT_TRUE(loaded.ok()) << loaded;

  EXPECT_THAT(LoadedVersions(), ElementsAre("cn-2024.1", "cn-2025.1", "cn-2026.3", "test-2027.1"));
  EXPECT_EQ(calendar_->IsWorkingDay(D(2026, 10, 8)).value(), false);
  EXPECT_EQ(calendar_->IsWorkingDay(D(2027, 1, 1)).value(), false);
  EXPECT_TRUE(calendar_->IsStale(before));
  absl::StatusOr<Deadline> after = calendar_->Recompute(before);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->due, D(2026, 10, 23));
}

TEST_F(LoadYearsFromDirectoryTest, IdenticalFilesAndEmptyDirectoriesChangeNothing) {
  ASSERT_TRUE(LoadYearsFromDirectory(*calendar_, dir_).ok());
  EXPECT_THAT(LoadedVersions(), ElementsAre("cn-2024.1", "cn-2025.1", "cn-2026.2"));

  std::filesystem::copy_file(std::string(GONGKAI_CALENDAR_DATA_DIR) + "/cn-2026.json",
                             dir_ + "/cn-2026.json");
  const Deadline before = MustAddWorkingDays(D(2026, 9, 18), 20);
  absl::Status loaded = LoadYearsFromDirectory(*calendar_, dir_);
  ASSERT_TRUE(loaded.ok()) << loaded;
  EXPECT_THAT(LoadedVersions(), ElementsAre("cn-2024.1", "cn-2025.1", "cn-2026.2"));
  EXPECT_FALSE(calendar_->IsStale(before));
}

TEST_F(LoadYearsFromDirectoryTest, ChangedDataUnderTheSameVersionIsRefusedAndNothingLoads) {
  YearCalendar silent = Amended2026();
  silent.version = "cn-2026.2";
  Write("cn-2026.json", YearCalendarToJson(silent));
  Write("cn-2027.json", YearCalendarToJson(Fake2027()));

  absl::Status loaded = LoadYearsFromDirectory(*calendar_, dir_);
  EXPECT_EQ(loaded.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(loaded.message(), HasSubstr(dir_ + "/cn-2026.json: the calendar for 2026 differs"));
  EXPECT_THAT(loaded.message(), HasSubstr("new version"));
  EXPECT_THAT(LoadedVersions(), ElementsAre("cn-2024.1", "cn-2025.1", "cn-2026.2"));
}

TEST_F(LoadYearsFromDirectoryTest, AnInvalidFileIsNamedAndNothingLoads) {
  Write("cn-2027.json", YearCalendarToJson(Fake2027()));
  Write("cn-2028.json", "{\"year\": ");

  absl::Status loaded = LoadYearsFromDirectory(*calendar_, dir_);
  EXPECT_EQ(loaded.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      loaded.message(),
      HasSubstr(dir_ + "/cn-2028.json: invalid request: calendar: is not well-formed JSON"));
  EXPECT_THAT(LoadedVersions(), ElementsAre("cn-2024.1", "cn-2025.1", "cn-2026.2"));
}

TEST_F(LoadYearsFromDirectoryTest, TwoFilesForTheSameYearAreInvalidArgument) {
  Write("a.json", YearCalendarToJson(Fake2027()));
  YearCalendar other = Fake2027();
  other.version = "test-2027.2";
  Write("b.json", YearCalendarToJson(other));

  absl::Status loaded = LoadYearsFromDirectory(*calendar_, dir_);
  EXPECT_EQ(loaded.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.message(),
              HasSubstr(dir_ + "/b.json: the year 2027 is also in " + dir_ + "/a.json"));
  EXPECT_FALSE(calendar_->Year(2027).ok());
}

TEST_F(LoadYearsFromDirectoryTest, MissingDirectoryIsNotFoundAndAFileIsFailedPrecondition) {
  absl::Status missing = LoadYearsFromDirectory(*calendar_, dir_ + "/nope");
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr(dir_ + "/nope does not exist"));

  Write("cn-2027.json", YearCalendarToJson(Fake2027()));
  absl::Status file = LoadYearsFromDirectory(*calendar_, dir_ + "/cn-2027.json");
  EXPECT_EQ(file.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(file.message(), HasSubstr("is not a directory"));
}

TEST_F(CalendarTest, LoadOrReplaceYearsIsAllOrNothing) {
  YearCalendar y2027;
  y2027.year = 2027;
  y2027.version = "test-2027.1";
  y2027.source = "test notice 2027";

  absl::Status twice = calendar_->LoadOrReplaceYears({y2027, y2027});
  EXPECT_EQ(twice.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.message(), HasSubstr("list the year 2027 twice"));

  YearCalendar invalid = y2027;
  invalid.year = 2028;
  invalid.holidays = {{D(2027, 12, 31), "元旦"}};
  absl::Status bad = calendar_->LoadOrReplaceYears({y2027, invalid});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(),
              HasSubstr("calendar for 2028: invalid request: holidays[0].date: 2027-12-31 is "
                        "outside the calendar year 2028"));
  EXPECT_THAT(FieldViolationsOf(bad), SizeIs(1));
  EXPECT_FALSE(calendar_->Year(2027).ok());

  ASSERT_TRUE(calendar_->LoadOrReplaceYears({y2027, *calendar_->Year(2024)}).ok());
  EXPECT_EQ(calendar_->Year(2027)->version, "test-2027.1");
  EXPECT_EQ(calendar_->Versions()[0].version, "cn-2024.1");
}

TEST(TodayInShanghaiTest, UsesShanghaiCivilDate) {
  // 2024-12-31 16:30 UTC is 2025-01-01 00:30 in Shanghai (UTC+8).
  FakeClock clock(absl::FromCivil(absl::CivilSecond(2024, 12, 31, 16, 30, 0), absl::UTCTimeZone()));
  EXPECT_EQ(TodayInShanghai(clock), D(2025, 1, 1));
  clock.Advance(absl::Hours(-1));
  EXPECT_EQ(TodayInShanghai(clock), D(2024, 12, 31));
}

constexpr char kValidJson[] = R"({
  "region": "CN", "year": 2024, "version": "t1",
  "source": {"notice": "国办发明电〔2023〕7号"},
  "holidays": [{"date": "2024-01-01", "name": "元旦"}],
  "adjusted_working_days": [{"date": "2024-02-04", "for": "春节"}]
})";

absl::Status ParseError(const std::string& json) { return ParseYearCalendarJson(json).status(); }

std::string With(std::string json, const std::string& from, const std::string& to) {
  json.replace(json.find(from), from.size(), to);
  return json;
}

TEST(ParseYearCalendarJsonTest, ParsesAValidCalendarAndRoundTrips) {
  absl::StatusOr<YearCalendar> cal = ParseYearCalendarJson(kValidJson);
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->year, 2024);
  EXPECT_EQ(cal->source, "国办发明电〔2023〕7号");
  EXPECT_THAT(cal->holidays, ElementsAre(Holiday{D(2024, 1, 1), "元旦"}));
  EXPECT_THAT(cal->adjusted_working_days, ElementsAre(AdjustedWorkingDay{D(2024, 2, 4), "春节"}));
  absl::StatusOr<YearCalendar> again = ParseYearCalendarJson(YearCalendarToJson(*cal));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *cal);
}

TEST(ParseYearCalendarJsonTest, HolidayThatIsAlsoAWorkingDayIsRejected) {
  absl::Status s =
      ParseError(With(kValidJson, R"("date": "2024-01-01")", R"("date": "2024-02-04")"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("adjusted_working_days[0].date: 2024-02-04 is already "
                                     "listed as holidays[0].date"));
  EXPECT_THAT(FieldViolationsOf(s), SizeIs(1));
}

TEST(ParseYearCalendarJsonTest, DateOutsideTheYearIsRejected) {
  absl::Status s = ParseError(With(kValidJson, "2024-01-01", "2023-12-31"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("holidays[0].date: 2023-12-31 is outside the calendar year 2024"));
}

TEST(ParseYearCalendarJsonTest, DuplicateHolidayIsRejected) {
  absl::Status s = ParseError(With(kValidJson, R"({"date": "2024-01-01", "name": "元旦"})",
                                   R"({"date": "2024-01-01", "name": "元旦"},
                                      {"date": "2024-01-01", "name": "元旦"})"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("holidays[1].date: 2024-01-01 is already listed as "
                                     "holidays[0].date"));
}

TEST(ParseYearCalendarJsonTest, BadDateFormatsAreRejected) {
  for (const char* bad : {"2024/01/01", "2024-1-1", "2024-13-01", "2024-02-30", "20240101xx"}) {
    absl::Status s = ParseError(With(kValidJson, "2024-01-01", bad));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("holidays[0].date: \"" + std::string(bad) +
                                       "\" is not a valid date in the form YYYY-MM-DD"));
  }
  EXPECT_TRUE(ParseIsoDay("2024-02-29").ok());
  EXPECT_FALSE(ParseIsoDay("2025-02-29").ok());
}

TEST(ParseYearCalendarJsonTest, AdjustedWorkingDayOnAWeekdayIsRejected) {
  absl::Status s = ParseError(With(kValidJson, "2024-02-04", "2024-02-05"));
  EXPECT_THAT(s.message(), HasSubstr("adjusted_working_days[0].date: 2024-02-05 is not a "
                                     "Saturday or Sunday"));
}

TEST(ParseYearCalendarJsonTest, MissingOrMistypedFieldsAreNamed) {
  absl::Status no_notice =
      ParseError(With(kValidJson, R"("notice": "国办发明电〔2023〕7号")", R"("title": "x")"));
  EXPECT_THAT(no_notice.message(), HasSubstr("source.notice: is required"));

  absl::Status year_text = ParseError(With(kValidJson, "\"year\": 2024", "\"year\": \"2024\""));
  EXPECT_THAT(year_text.message(), HasSubstr("year: must be an integer"));

  absl::Status no_name = ParseError(With(kValidJson, R"("name": "元旦")", R"("nam": "元旦")"));
  EXPECT_THAT(no_name.message(), HasSubstr("holidays[0].name: is required"));

  absl::Status not_json = ParseError("{\"year\": ");
  EXPECT_EQ(not_json.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_json.message(), HasSubstr("calendar: is not well-formed JSON"));
}

TEST(LoadYearCalendarFileTest, MissingFileIsNotFound) {
  absl::StatusOr<YearCalendar> cal = LoadYearCalendarFile("/nonexistent/cn-2030.json");
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(cal.status().message(), HasSubstr("/nonexistent/cn-2030.json"));
}

}  // namespace
}  // namespace gongkai::calendar
