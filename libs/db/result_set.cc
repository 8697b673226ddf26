#include "libs/db/result_set.h"

#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gongkai::db {
namespace {

// `describe` names the column for the error only: building that text on every read cost
// more than the read itself (a list page makes hundreds).
template <typename T, typename DescribeFn>
absl::StatusOr<T> Required(absl::StatusOr<std::optional<T>> value, DescribeFn describe) {
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::InternalError(
        absl::StrCat("column ", describe(), " is NULL; read it with a GetOptional* getter"));
  }
  return *std::move(*value);
}

absl::Status Mismatch(absl::string_view column, absl::string_view wanted) {
  return absl::InternalError(absl::StrCat("column ", column, " does not hold ", wanted));
}

}  // namespace

namespace {

// `count` ASCII digits at text[at...] as a number; false if any is not a digit.
bool Digits(absl::string_view text, size_t at, size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (size_t i = at; i < at + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

// The form the server sends ("YYYY-MM-DD HH:MM:SS" and up to six fraction digits),
// parsed without absl::ParseTime's format interpretation, which costs about a
// microsecond per value: a list page of documents reads three per row. nullopt for
// anything else (ParseDatetime then falls back to absl::ParseTime).
std::optional<absl::Time> ParseServerDatetime(absl::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' || !Digits(text, 0, 4, year) || !Digits(text, 5, 2, month) ||
      !Digits(text, 8, 2, day) || !Digits(text, 11, 2, hour) || !Digits(text, 14, 2, minute) ||
      !Digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  int64_t micros = 0;
  if (text.size() > 19) {
    const size_t fraction = text.size() - 20;
    int value = 0;
    if (text[19] != '.' || fraction == 0 || fraction > 6 || !Digits(text, 20, fraction, value)) {
      return std::nullopt;
    }
    micros = value;
    for (size_t i = fraction; i < 6; ++i) micros *= 10;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  if (civil.day() != day) return std::nullopt;  // e.g. February 30 normalizes away.
  // Seconds since the epoch by civil arithmetic: UTC has no offsets to look up.
  const int64_t since_epoch = civil - absl::CivilSecond(1970, 1, 1, 0, 0, 0);
  return absl::FromUnixSeconds(since_epoch) + absl::Microseconds(micros);
}

}  // namespace

absl::StatusOr<absl::Time> ParseDatetime(absl::string_view text) {
  if (std::optional<absl::Time> fast = ParseServerDatetime(text)) return *fast;
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t, &error)) {
    return absl::InternalError(absl::StrCat("not a DATETIME value: ", error));
  }
  return t;
}

std::string Row::Describe(ColumnRef column) const {
  if (column.by_name()) return absl::StrCat("'", column.name(), "'");
  if (column.index() < columns_->names.size()) {
    return absl::StrCat(column.index(), " ('", columns_->names[column.index()], "')");
  }
  return absl::StrCat(column.index());
}

absl::StatusOr<const Row::Cell*> Row::Find(ColumnRef column) const {
  if (!column.by_name()) {
    if (column.index() >= cells_.size()) {
      return absl::InternalError(absl::StrCat("column index ", column.index(),
                                              " out of range; the row has ", cells_.size(),
                                              " columns"));
    }
    return &cells_[column.index()];
  }
  const std::vector<std::string>& names = columns_->names;
  for (size_t i = 0; i < names.size() && i < cells_.size(); ++i) {
    if (names[i] == column.name()) return &cells_[i];
  }
  for (size_t i = 0; i < names.size() && i < cells_.size(); ++i) {
    if (absl::EqualsIgnoreCase(names[i], column.name())) return &cells_[i];
  }
  return absl::InternalError(absl::StrCat("no column '", column.name(), "' in the result"));
}

absl::StatusOr<bool> Row::IsNull(ColumnRef column) const {
  absl::StatusOr<const Cell*> cell = Find(column);
  if (!cell.ok()) return cell.status();
  return std::holds_alternative<std::monostate>(**cell);
}

absl::StatusOr<std::optional<int64_t>> Row::GetOptionalInt64(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<int64_t>(&cell)) return *v;
  if (const auto* v = std::get_if<uint64_t>(&cell)) {
    if (*v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Mismatch(Describe(column), "an int64 (value too large)");
    }
    return static_cast<int64_t>(*v);
  }
  if (const auto* v = std::get_if<std::string>(&cell)) {
    int64_t parsed;
    if (absl::SimpleAtoi(*v, &parsed)) return parsed;
  }
  return Mismatch(Describe(column), "an int64");
}

absl::StatusOr<std::optional<uint64_t>> Row::GetOptionalUint64(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<uint64_t>(&cell)) return *v;
  if (const auto* v = std::get_if<int64_t>(&cell)) {
    if (*v < 0) return Mismatch(Describe(column), "a uint64 (negative value)");
    return static_cast<uint64_t>(*v);
  }
  if (const auto* v = std::get_if<std::string>(&cell)) {
    uint64_t parsed;
    if (absl::SimpleAtoi(*v, &parsed)) return parsed;
  }
  return Mismatch(Describe(column), "a uint64");
}

absl::StatusOr<std::optional<double>> Row::GetOptionalDouble(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<double>(&cell)) return *v;
  if (const auto* v = std::get_if<int64_t>(&cell)) return static_cast<double>(*v);
  if (const auto* v = std::get_if<uint64_t>(&cell)) return static_cast<double>(*v);
  if (const auto* v = std::get_if<std::string>(&cell)) {
    double parsed;
    if (absl::SimpleAtod(*v, &parsed)) return parsed;
  }
  return Mismatch(Describe(column), "a double");
}

absl::StatusOr<std::optional<bool>> Row::GetOptionalBool(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<int64_t>(&cell)) return *v != 0;
  if (const auto* v = std::get_if<uint64_t>(&cell)) return *v != 0;
  if (const auto* v = std::get_if<std::string>(&cell)) {
    int64_t parsed;
    if (absl::SimpleAtoi(*v, &parsed)) return parsed != 0;
  }
  return Mismatch(Describe(column), "a bool");
}

absl::StatusOr<std::optional<std::string>> Row::GetOptionalString(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<std::string>(&cell)) return *v;
  if (const auto* v = std::get_if<int64_t>(&cell)) return absl::StrCat(*v);
  if (const auto* v = std::get_if<uint64_t>(&cell)) return absl::StrCat(*v);
  // Shortest of %.15g / %.17g that reads back as the same double.
  const double v = std::get<double>(cell);
  std::string text = absl::StrFormat("%.15g", v);
  double back = 0;
  if (!absl::SimpleAtod(text, &back) || back != v) text = absl::StrFormat("%.17g", v);
  return text;
}

absl::StatusOr<std::optional<absl::Time>> Row::GetOptionalTime(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<std::string>(&cell)) {
    absl::StatusOr<absl::Time> t = ParseDatetime(*v);
    if (t.ok()) return *t;
    absl::CivilDay day;
    if (absl::ParseCivilTime(*v, &day)) return absl::FromCivil(day, absl::UTCTimeZone());
  }
  return Mismatch(Describe(column), "a DATETIME");
}

absl::StatusOr<std::optional<absl::CivilDay>> Row::GetOptionalCivilDay(ColumnRef column) const {
  absl::StatusOr<const Cell*> found = Find(column);
  if (!found.ok()) return found.status();
  const Cell& cell = **found;
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* v = std::get_if<std::string>(&cell)) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(*v, &day)) return day;
  }
  return Mismatch(Describe(column), "a DATE");
}

absl::StatusOr<int64_t> Row::GetInt64(ColumnRef column) const {
  return Required(GetOptionalInt64(column), [&] { return Describe(column); });
}
absl::StatusOr<uint64_t> Row::GetUint64(ColumnRef column) const {
  return Required(GetOptionalUint64(column), [&] { return Describe(column); });
}
absl::StatusOr<double> Row::GetDouble(ColumnRef column) const {
  return Required(GetOptionalDouble(column), [&] { return Describe(column); });
}
absl::StatusOr<bool> Row::GetBool(ColumnRef column) const {
  return Required(GetOptionalBool(column), [&] { return Describe(column); });
}
absl::StatusOr<std::string> Row::GetString(ColumnRef column) const {
  return Required(GetOptionalString(column), [&] { return Describe(column); });
}
absl::StatusOr<absl::Time> Row::GetTime(ColumnRef column) const {
  return Required(GetOptionalTime(column), [&] { return Describe(column); });
}
absl::StatusOr<absl::CivilDay> Row::GetCivilDay(ColumnRef column) const {
  return Required(GetOptionalCivilDay(column), [&] { return Describe(column); });
}

}  // namespace gongkai::db
