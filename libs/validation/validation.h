// Input checks every service applies to requests, adding to a FieldViolations list so a
// caller hears of every bad field at once (see libs/status/errors.h).
//
//   FieldViolations v;
//   CheckText(v, "document.title", doc.title(), {.min_chars = 1, .max_chars = 500});
//   CheckEnum(v, "document.key_area", doc.key_area(), v1::KeyArea_IsValid);
//   RETURN_IF_ERROR(v.ToStatus());
#ifndef GONGKAI_LIBS_VALIDATION_VALIDATION_H_
#define GONGKAI_LIBS_VALIDATION_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/status/errors.h"

namespace gongkai::validation {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(absl::string_view text);
// Number of code points in valid UTF-8 text.
size_t Utf8Length(absl::string_view text);

// The first `max_chars` code points of valid UTF-8 `text` (never cuts a character).
std::string TruncateUtf8(absl::string_view text, size_t max_chars);

// `text` with each byte that does not start a well-formed character replaced by U+FFFD,
// for text that must be UTF-8 on the way out (JSON bodies, the Prometheus exposition).
std::string ToValidUtf8(absl::string_view text);

struct TextLimits {
  size_t min_chars = 0;  // 1 makes the field required.
  size_t max_chars = 0;  // In characters (code points).
  size_t max_bytes = 0;  // 0: no byte limit besides max_chars.
  bool allow_newlines = false;
};

// Valid UTF-8, within the limits, no control characters other than tab (and newline
// and carriage return when allowed).
void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view value,
               const TextLimits& limits);

// A proto3 enum value: known to the schema (the generated `X_IsValid`), and, when
// `required`, not the zero UNSPECIFIED value.
void CheckEnum(FieldViolations& violations, absl::string_view field, int value,
               bool (*is_valid)(int), bool required);

// An id that refers to a resource: positive when required, non-negative otherwise.
void CheckId(FieldViolations& violations, absl::string_view field, int64_t value, bool required);

// A client request id for idempotency: empty, or 1–128 printable ASCII characters.
void CheckRequestId(FieldViolations& violations, absl::string_view field, absl::string_view value);

}  // namespace gongkai::validation

#endif  // GONGKAI_LIBS_VALIDATION_VALIDATION_H_
