#include "libs/log/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

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

// JSON string literal (quotes included). Invalid UTF-8 is replaced, never thrown on.
std::string Quote(absl::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
