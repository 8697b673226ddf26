#include "services/website/prober/robots.h"

#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai::website::prober {
namespace {

// Matches `path` against a robots pattern with '*' (any run) and a final '$' (end).
bool PatternMatches(absl::string_view pattern, absl::string_view path) {
  const bool anchored = absl::EndsWith(pattern, "$");
  if (anchored) pattern.remove_suffix(1);
  std::function<bool(size_t, size_t)> match = [&](size_t p, size_t s) -> bool {
    while (p < pattern.size()) {
      if (pattern[p] == '*') {
        for (size_t k = s; k <= path.size(); ++k) {
          if (match(p + 1, k)) return true;
        }
        return false;
      }
      if (s >= path.size() || pattern[p] != path[s]) return false;
      ++p;
      ++s;
    }
    return !anchored || s == path.size();
  };
  return match(0, 0);
}

}  // namespace

RobotsRules RobotsRules::Parse(absl::string_view body, absl::string_view product_token) {
  // Groups: runs of user-agent lines followed by rules. The specific group wins over "*".
  std::vector<Rule> specific;
  std::vector<Rule> any;
  bool found_specific = false;
  bool in_agents = false;
  bool group_specific = false;
  bool group_any = false;
  const std::string token = absl::AsciiStrToLower(product_token);
  for (absl::string_view line : absl::StrSplit(body, absl::ByAnyChar("\r\n"))) {
    line = line.substr(0, line.find('#'));
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    const std::string key =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(line.substr(0, colon)));
    const absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (key == "user-agent") {
      if (!in_agents) {
        group_specific = false;
        group_any = false;
      }
      in_agents = true;
      const std::string agent = absl::AsciiStrToLower(value);
      if (agent == "*") group_any = true;
      if (!agent.empty() && agent != "*" && absl::StrContains(token, agent)) {
        group_specific = true;
        found_specific = true;
      }
      continue;
    }
    in_agents = false;
    if (key != "allow" && key != "disallow") continue;
    if (value.empty()) continue;  // "Disallow:" with nothing allows everything.
    const Rule rule{std::string(value), key == "allow"};
    if (group_specific) specific.push_back(rule);
    if (group_any) any.push_back(rule);
  }
  RobotsRules rules;
  rules.rules_ = found_specific ? std::move(specific) : std::move(any);
  return rules;
}

bool RobotsRules::Allows(absl::string_view path) const {
  if (path == "/robots.txt") return true;
  const Rule* best = nullptr;
  for (const Rule& rule : rules_) {
    if (!PatternMatches(rule.pattern, path)) continue;
    // Longest match wins; on a tie, Allow (RFC 9309 2.2.2).
    if (best == nullptr || rule.pattern.size() > best->pattern.size() ||
        (rule.pattern.size() == best->pattern.size() && rule.allow)) {
      best = &rule;
    }
  }
  return best == nullptr || best->allow;
}

std::string PathOfUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  const size_t start = scheme_end == absl::string_view::npos ? 0 : scheme_end + 3;
  const size_t path_start = url.find_first_of("/?", start);
  if (path_start == absl::string_view::npos) return "/";
  absl::string_view path = url.substr(path_start);
  path = path.substr(0, path.find('#'));
  std::string result(path);
  if (result.empty() || result[0] == '?') result.insert(0, "/");
  return result;
}

std::string OriginOfUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return std::string(url);
  const size_t end = url.find_first_of("/?#", scheme_end + 3);
  return absl::AsciiStrToLower(url.substr(0, end == absl::string_view::npos ? url.size() : end));
}

}  // namespace gongkai::website::prober
