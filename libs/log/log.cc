#include "libs/log/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gongkai::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};
std::atomic<Sink*> g_sink{nullptr};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARNING";
    case Level::kError:
      return "ERROR";
  }
  return "INFO";
}

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t Utf8SequenceLength(absl::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;  // Overlong.
    if (lead == 0xED && byte(1) > 0x9F) return 0;  // Surrogate.
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;  // Overlong.
    if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // Above U+10FFFF.
    return 4;
  }
  return 0;
}

// JSON string literal (quotes included). Invalid UTF-8 becomes U+FFFD, never thrown
// on. Written by hand: it runs for every field of every log line (the gateway's access
// log is on its request path).
std::string Quote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      size_t run = i + 1;
      while (run < text.size()) {
        const unsigned char d = static_cast<unsigned char>(text[run]);
        if (d < 0x20 || d >= 0x7F || d == '"' || d == '\\') break;
        ++run;
      }
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER.
        ++i;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {  // Other control characters and DEL.
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof(escaped));
      }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

void WriteAll(absl::string_view line) {
  if (Sink* sink = g_sink.load(std::memory_order_acquire)) {
    sink->Write(line);
    return;
  }
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Nowhere left to report a failing stderr.
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

void SetMinLevel(Level level) { g_min_level.store(static_cast<int>(level)); }
bool IsEnabled(Level level) { return static_cast<int>(level) >= g_min_level.load(); }
void SetSinkForTesting(Sink* sink) { g_sink.store(sink, std::memory_order_release); }

bool ParseLevel(absl::string_view text, Level* level) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "debug")
    *level = Level::kDebug;
  else if (lower == "info")
    *level = Level::kInfo;
  else if (lower == "warning" || lower == "warn")
    *level = Level::kWarning;
  else if (lower == "error")
    *level = Level::kError;
  else
    return false;
  return true;
}

LogLine::LogLine(Level level, absl::string_view message) : enabled_(IsEnabled(level)) {
  if (!enabled_) return;
  json_ = absl::StrCat("{\"ts\":\"",
                       absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                       "\",\"level\":\"", LevelName(level), "\",\"msg\":", Quote(message));
}

LogLine::~LogLine() {
  if (!enabled_) return;
  json_.append("}\n");
  WriteAll(json_);
}

LogLine& LogLine::With(absl::string_view key, absl::string_view value) {
  if (enabled_) absl::StrAppend(&json_, ",", Quote(key), ":", Quote(value));
  return *this;
}

LogLine& LogLine::With(absl::string_view key, int64_t value) {
  if (enabled_) absl::StrAppend(&json_, ",", Quote(key), ":", value);
  return *this;
}

LogLine& LogLine::With(absl::string_view key, double value) {
  if (!enabled_) return *this;
  if (std::isfinite(value)) {
    absl::StrAppend(&json_, ",", Quote(key), ":", value);
  } else {
    absl::StrAppend(&json_, ",", Quote(key), ":null");
  }
  return *this;
}

LogLine& LogLine::With(absl::string_view key, bool value) {
  if (enabled_) absl::StrAppend(&json_, ",", Quote(key), ":", value ? "true" : "false");
  return *this;
}

LogLine& LogLine::With(absl::string_view key, absl::Duration value) {
  return With(key, absl::ToDoubleSeconds(value));
}

LogLine& LogLine::With(absl::string_view key, const absl::Status& status) {
  if (!enabled_) return *this;
  With(absl::StrCat(key, "_code"), absl::StatusCodeToString(status.code()));
  if (!status.ok()) With(absl::StrCat(key, "_message"), status.message());
  return *this;
}

}  // namespace gongkai::log
