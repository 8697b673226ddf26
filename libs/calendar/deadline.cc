#include "libs/calendar/deadline.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gongkai::calendar {
namespace {

// Notes of consecutive days with the same meaning, e.g. the seven days of 国庆节.
struct NoteRun {
  absl::CivilDay first;
  absl::CivilDay last;
  const DayNote* note;
};

std::vector<NoteRun> GroupRuns(const std::vector<DayNote>& notes, bool counted) {
  std::vector<NoteRun> runs;
  for (const DayNote& note : notes) {
    if (note.counted != counted) continue;
    if (!runs.empty()) {
      NoteRun& last = runs.back();
      if (last.last + 1 == note.day && last.note->kind == note.kind &&
          last.note->reason == note.reason) {
        last.last = note.day;
        continue;
      }
    }
    runs.push_back({note.day, note.day, &note});
  }
  return runs;
}

std::string DescribeSkipped(const NoteRun& run) {
  const std::string what = run.note->kind == DayKind::kWeekend ? "周末" : run.note->reason;
  if (run.first == run.last) return absl::StrCat(FormatIsoDay(run.first), " ", what);
  return absl::StrCat(FormatIsoDay(run.first), " 至 ", FormatIsoDay(run.last), " ", what, "（",
                      run.last - run.first + 1, "天）");
}

}  // namespace

std::string ChineseWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "星期一";
    case absl::Weekday::tuesday:
      return "星期二";
    case absl::Weekday::wednesday:
      return "星期三";
    case absl::Weekday::thursday:
      return "星期四";
    case absl::Weekday::friday:
      return "星期五";
    case absl::Weekday::saturday:
      return "星期六";
    case absl::Weekday::sunday:
      return "星期日";
  }
  return "";
}

std::vector<DayNote> Deadline::SkippedDays() const {
  std::vector<DayNote> skipped;
  for (const DayNote& note : notes) {
    if (!note.counted) skipped.push_back(note);
  }
  return skipped;
}

std::string Deadline::Explain() const {
  std::string text;
  const std::string due_text = absl::StrCat(FormatIsoDay(due), "（", ChineseWeekday(due), "）");
  if (working_days) {
    absl::StrAppend(&text, "自 ", FormatIsoDay(start), " 起算 ", n,
                    " 个工作日（起算日不计入），期限届满日为 ", due_text, "。");
  } else if (nominal_end == due) {
    absl::StrAppend(&text, "自 ", FormatIsoDay(start), " 起算 ", n,
                    " 日（起算日不计入），期限届满日为 ", due_text, "。");
  } else {
    absl::StrAppend(&text, "自 ", FormatIsoDay(start), " 起算 ", n,
                    " 日（起算日不计入），期间最后一日 ", FormatIsoDay(nominal_end),
                    " 不是工作日，顺延至其后第一个工作日 ", due_text, "。");
  }

  std::vector<std::string> parts;
  for (const NoteRun& run : GroupRuns(notes, /*counted=*/false)) {
    parts.push_back(DescribeSkipped(run));
  }
  if (!parts.empty()) {
    absl::StrAppend(&text, "\n", working_days ? "未计入的日子：" : "顺延跨过的日子：",
                    absl::StrJoin(parts, "；"), "。");
  }

  parts.clear();
  for (const DayNote& note : notes) {
    if (!note.counted) continue;
    parts.push_back(absl::StrCat(FormatIsoDay(note.day), "（", ChineseWeekday(note.day), "，",
                                 note.holiday, "调休上班）"));
  }
  if (!parts.empty()) {
    absl::StrAppend(&text, "\n计入的调休上班日：", absl::StrJoin(parts, "；"), "。");
  }

  parts.clear();
  for (const CalendarVersion& v : calendars) {
    parts.push_back(absl::StrCat(v.source, "（", v.year, "年，版本 ", v.version, "）"));
  }
  if (!parts.empty()) absl::StrAppend(&text, "\n依据：", absl::StrJoin(parts, "；"), "。");
  return text;
}

}  // namespace gongkai::calendar
