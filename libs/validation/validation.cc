#include "libs/validation/validation.h"

#include "absl/strings/str_cat.h"

namespace gongkai::validation {

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string TruncateUtf8(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return std::string(text.substr(0, i));
      ++chars;
    }
  }
  return std::string(text);
}

std::string ToValidUtf8(absl::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (i + len <= text.size() && IsValidUtf8(text.substr(i, len))) {
      out.append(text.data() + i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view value,
               const TextLimits& limits) {
  const std::string name(field);
  if (!IsValidUtf8(value)) {
    violations.Add(name, "must be valid UTF-8");
    return;
  }
  const size_t chars = Utf8Length(value);
  if (chars < limits.min_chars) {
    violations.Add(name, limits.min_chars == 1 ? std::string("is required")
                                               : absl::StrCat("must have at least ",
                                                              limits.min_chars, " characters"));
    return;
  }
  if (limits.max_chars > 0 && chars > limits.max_chars) {
    violations.Add(name, absl::StrCat("must have at most ", limits.max_chars, " characters (has ",
                                      chars, ")"));
    return;
  }
  if (limits.max_bytes > 0 && value.size() > limits.max_bytes) {
    violations.Add(
        name, absl::StrCat("must be at most ", limits.max_bytes, " bytes (is ", value.size(), ")"));
    return;
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool newline = c == '\n' || c == '\r';
    if ((u < 0x20 && c != '\t' && !(newline && limits.allow_newlines)) || u == 0x7F) {
      violations.Add(name, "must not contain control characters");
      return;
    }
  }
}

void CheckEnum(FieldViolations& violations, absl::string_view field, int value,
               bool (*is_valid)(int), bool required) {
  if (!is_valid(value)) {
    violations.Add(std::string(field), absl::StrCat("has unknown value ", value));
  } else if (required && value == 0) {
    violations.Add(std::string(field), "is required");
  }
}

void CheckId(FieldViolations& violations, absl::string_view field, int64_t value, bool required) {
  if (value < 0 || (required && value == 0)) {
    violations.Add(std::string(field), required ? "must be a positive id" : "must not be negative");
  }
}

void CheckRequestId(FieldViolations& violations, absl::string_view field, absl::string_view value) {
  if (value.size() > 128) {
    violations.Add(std::string(field), "must have at most 128 characters");
    return;
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7E) {
      violations.Add(std::string(field), "must be printable ASCII without spaces");
      return;
    }
  }
}

}  // namespace gongkai::validation
