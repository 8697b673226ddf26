// Structured logging: one JSON object per line on stderr, written with a single
// write() so lines from different threads never interleave.
//
//   GK_LOG(INFO, "server started").With("address", addr).With("port", port);
//   // {"ts":"2026-11-27T02:50:00.123Z","level":"INFO","msg":"server started",
//   //  "address":"0.0.0.0","port":50051}
//
// The line is emitted when the temporary LogLine is destroyed. Thread-safe. The
// minimum level is process-wide (SetMinLevel), set once from configuration.
#ifndef GONGKAI_LIBS_LOG_LOG_H_
#define GONGKAI_LIBS_LOG_LOG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetMinLevel(Level level);
bool IsEnabled(Level level);
// Parses "debug", "info", "warning", "error" (case-insensitive).
bool ParseLevel(absl::string_view text, Level* level);

// Where lines go; stderr by default. Tests install a sink to capture output.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Write(absl::string_view line) = 0;  // `line` ends with '\n'.
};
// Replaces the process sink; nullptr restores stderr. The sink must outlive its use.
void SetSinkForTesting(Sink* sink);

class LogLine {
 public:
  LogLine(Level level, absl::string_view message);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& With(absl::string_view key, absl::string_view value);
  LogLine& With(absl::string_view key, const char* value) {
    return With(key, absl::string_view(value));
  }
  LogLine& With(absl::string_view key, const std::string& value) {
    return With(key, absl::string_view(value));
  }
  LogLine& With(absl::string_view key, int64_t value);
  LogLine& With(absl::string_view key, int value) { return With(key, int64_t{value}); }
  LogLine& With(absl::string_view key, double value);
  LogLine& With(absl::string_view key, bool value);
  LogLine& With(absl::string_view key, absl::Duration value);        // As seconds, a number.
  LogLine& With(absl::string_view key, const absl::Status& status);  // code + message.

 private:
  bool enabled_;
  std::string json_;  // The object under construction, without its closing brace.
};

}  // namespace gongkai::log

// Aliases so GK_LOG(INFO, ...) reads like other C++ loggers.
namespace gongkai::log {
inline constexpr Level kDEBUG = Level::kDebug;
inline constexpr Level kINFO = Level::kInfo;
inline constexpr Level kWARNING = Level::kWarning;
inline constexpr Level kERROR = Level::kError;
}  // namespace gongkai::log

#define GK_LOG(level, message) ::gongkai::log::LogLine(::gongkai::log::k##level, message)

#endif  // GONGKAI_LIBS_LOG_LOG_H_
