// A statement parameter: what a `?` placeholder is bound to.
//
//   conn.Query("SELECT title FROM documents WHERE id = ? AND state = ?",
//              {db::Value(id), db::Value(int64_t{2})});
//   conn.Execute("UPDATE documents SET publish_time = ?, note = ? WHERE id = ?",
//                {db::Value(now), db::Value::Null(), db::Value(id)});
//
// Kinds: NULL, int64, uint64, double, bool and string (UTF-8 text or arbitrary bytes;
// binary-safe). absl::Time is sent as a UTC DATETIME string "YYYY-MM-DD HH:MM:SS.ffffff"
// (the session time zone is +00:00), absl::CivilDay as a DATE string "YYYY-MM-DD".
// std::optional<T> is NULL when empty. Values are immutable; copy freely.
#ifndef GONGKAI_LIBS_DB_VALUE_H_
#define GONGKAI_LIBS_DB_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gongkai::db {

class Value {
 public:
  // NULL.
  Value() = default;
  static Value Null() { return Value(); }
  Value(std::nullopt_t) {}  // NOLINT(google-explicit-constructor)

  // bool, and every integer type (signed → int64, unsigned → uint64).
  template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
  Value(T v) {  // NOLINT(google-explicit-constructor)
    if constexpr (std::is_same_v<T, bool>) {
      data_ = v;
    } else if constexpr (std::is_signed_v<T>) {
      data_ = static_cast<int64_t>(v);
    } else {
      data_ = static_cast<uint64_t>(v);
    }
  }
  Value(double v) : data_(v) {}                          // NOLINT
  Value(std::string v) : data_(std::move(v)) {}          // NOLINT
  Value(absl::string_view v) : data_(std::string(v)) {}  // NOLINT
  Value(const char* v) : data_(std::string(v)) {}        // NOLINT
  Value(absl::Time t);                                   // NOLINT
  Value(absl::CivilDay d);                               // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
    if (v.has_value()) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }

  // The stored representation, for the binder and tests.
  using Data = std::variant<std::monostate, int64_t, uint64_t, double, bool, std::string>;
  const Data& data() const { return data_; }

  // Short description for error messages ("NULL", "int64 7", "string(12 bytes)");
  // never the string contents, which may be personal data.
  std::string DebugString() const;

 private:
  Data data_;
};

// The text forms used for DATETIME / DATE columns (UTC, microseconds).
std::string FormatDatetime(absl::Time t);
std::string FormatDate(absl::CivilDay d);

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_VALUE_H_
