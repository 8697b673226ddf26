#include "libs/protoconv/protoconv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gongkai {

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1'000'000;
  int64_t rem = micros % 1'000'000;
  if (rem < 0) {
    rem += 1'000'000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem * 1000));
  return ts;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

common::v1::Date ToProtoDate(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat(date.year(), "-", date.month(), "-", date.day(), " is not a valid date"));
  }
  return day;
}

namespace {

common::v1::SkippedDay ToProtoNote(const calendar::DayNote& note) {
  common::v1::SkippedDay out;
  *out.mutable_date() = ToProtoDate(note.day);
  out.set_reason(note.reason);
  return out;
}

}  // namespace

common::v1::DeadlineExplanation ToProto(const calendar::Deadline& d) {
  common::v1::DeadlineExplanation out;
  *out.mutable_start() = ToProtoDate(d.start);
  out.set_days(d.n);
  out.set_working_days(d.working_days);
  *out.mutable_due() = ToProtoDate(d.due);
  *out.mutable_nominal_end() = ToProtoDate(d.nominal_end);
  for (const calendar::DayNote& note : d.notes) {
    *(note.counted ? out.add_counted_adjusted_days() : out.add_skipped()) = ToProtoNote(note);
  }
  for (const calendar::CalendarVersion& v : d.calendars) {
    auto* c = out.add_calendars();
    c->set_year(v.year);
    c->set_version(v.version);
    c->set_source(v.source);
  }
  out.set_text(d.Explain());
  return out;
}

calendar::Deadline FromProto(const common::v1::DeadlineExplanation& p) {
  calendar::Deadline d;
  auto day = [](const common::v1::Date& date) {
    return absl::CivilDay(date.year(), date.month(), date.day());
  };
  d.start = day(p.start());
  d.n = p.days();
  d.working_days = p.working_days();
  d.due = day(p.due());
  d.nominal_end = day(p.nominal_end());
  for (const auto& c : p.calendars()) {
    d.calendars.push_back(calendar::CalendarVersion{c.year(), c.version(), c.source()});
  }
  // Notes are not needed to detect staleness or recompute; the stored text keeps them.
  return d;
}

common::v1::DeadlineExplanation PendingDeadlineExplanation(absl::CivilDay start, int days,
                                                           bool working_days) {
  common::v1::DeadlineExplanation out;
  *out.mutable_start() = ToProtoDate(start);
  out.set_days(days);
  out.set_working_days(working_days);
  if (working_days) {
    out.set_text(absl::StrCat("自 ", absl::FormatCivilTime(start), " 起算 ", days,
                              " 个工作日（起算日不计入）"));
  } else {
    // The nominal end needs no calendar; the last day is it or a later working day.
    const absl::CivilDay nominal_end = start + days;
    *out.mutable_nominal_end() = ToProtoDate(nominal_end);
    out.set_text(absl::StrCat("自 ", absl::FormatCivilTime(start), " 起算 ", days,
                              " 日（起算日不计入），至 ", absl::FormatCivilTime(nominal_end),
                              "；该日为节假日的，顺延至其后第一个工作日"));
  }
  absl::StrAppend(out.mutable_text(), "。所涉年份的国务院节假日安排尚未载入，届满日待载入后计算。");
  return out;
}

std::string CalendarVersionsKey(const std::vector<calendar::CalendarVersion>& versions) {
  return absl::StrJoin(versions, ",", [](std::string* out, const calendar::CalendarVersion& v) {
    absl::StrAppend(out, v.year, ":", v.version);
  });
}

}  // namespace gongkai
