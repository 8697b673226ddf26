// Path templates of google.api.http rules and the matching of request paths against
// them (gateway/path_template.cc): the path is whatever the client sent. Input:
// "<template>\n<path>". Properties: nothing crashes; a match binds one value per
// variable; percent-decoding keeps "%2F" encoded when asked to and refuses bad escapes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using gongkai::gateway::PathTemplate;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view template_text = input.substr(0, newline);
  const absl::string_view path =
      newline == absl::string_view::npos ? input : input.substr(newline + 1);

  std::string decoded;
  if (gongkai::gateway::PercentDecode(path, /*keep_slash=*/false, &decoded)) {
    FUZZ_CHECK(decoded.size() <= path.size());
  }
  std::string kept;
  if (gongkai::gateway::PercentDecode(path, /*keep_slash=*/true, &kept)) {
    FUZZ_CHECK(kept.size() <= path.size());
    FUZZ_CHECK(kept.size() >= decoded.size());
  }

  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(template_text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(!PathTemplate::MoreSpecific(*parsed, *parsed));
  const std::optional<PathTemplate::Bindings> bindings = parsed->Match(path);
  if (bindings.has_value()) {
    FUZZ_CHECK(bindings->size() == parsed->VariableFieldPaths().size());
  }
  // A template matches the path it is written as when it has no variables or wildcards.
  if (parsed->VariableFieldPaths().empty() && template_text.find('*') == absl::string_view::npos) {
    FUZZ_CHECK(parsed->Match(template_text).has_value());
  }
  return 0;
}
