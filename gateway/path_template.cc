#include "gateway/path_template.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gongkai::gateway {
namespace {

absl::Status Invalid(absl::string_view text, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("path template \"", text, "\": ", problem));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Splits at `sep` outside braces.
std::vector<absl::string_view> SplitOutsideBraces(absl::string_view s, char sep) {
  std::vector<absl::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}') --depth;
    if (s[i] == sep && depth == 0) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

}  // namespace

bool PercentDecode(absl::string_view in, bool keep_slash, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    const char decoded = static_cast<char>(hi * 16 + lo);
    if (keep_slash && decoded == '/') {
      out->append(in.substr(i, 3).data(), 3);
    } else {
      out->push_back(decoded);
    }
    i += 2;
  }
  return true;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  if (text.empty() || text[0] != '/') return Invalid(text, "must start with \"/\"");
  absl::string_view rest = text.substr(1);

  // The verb: a ':' outside braces after the last top-level '/'.
  {
    int depth = 0;
    size_t last_slash = 0;
    size_t colon = absl::string_view::npos;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '{') ++depth;
      if (rest[i] == '}') --depth;
      if (depth < 0) return Invalid(text, "\"}\" without \"{\"");
      if (depth == 0 && rest[i] == '/') {
        last_slash = i;
        colon = absl::string_view::npos;
      }
      if (depth == 0 && rest[i] == ':' && i >= last_slash) colon = i;
    }
    if (depth != 0) return Invalid(text, "unclosed \"{\"");
    if (colon != absl::string_view::npos) {
      t.verb_ = std::string(rest.substr(colon + 1));
      rest = rest.substr(0, colon);
      if (t.verb_.empty() || t.verb_.find_first_of("/{}*") != std::string::npos) {
        return Invalid(text, "the custom verb after \":\" must be a plain literal");
      }
    }
  }

  for (absl::string_view segment : SplitOutsideBraces(rest, '/')) {
    if (segment.empty()) return Invalid(text, "empty segment");
    if (segment.front() == '{') {
      if (segment.back() != '}') return Invalid(text, "a variable must be a whole segment");
      absl::string_view inner = segment.substr(1, segment.size() - 2);
      if (inner.find_first_of("{}") != absl::string_view::npos) {
        return Invalid(text, "variables cannot be nested");
      }
      std::pair<absl::string_view, absl::string_view> parts =
          absl::StrSplit(inner, absl::MaxSplits('=', 1));
      const bool has_pattern = inner.find('=') != absl::string_view::npos;
      Variable variable;
      variable.field_path = std::string(parts.first);
      for (absl::string_view ident : absl::StrSplit(parts.first, '.')) {
        if (!IsIdentifier(ident)) {
          return Invalid(text, absl::StrCat("\"", parts.first, "\" is not a field path"));
        }
      }
      variable.first_segment = t.segments_.size();
      if (!has_pattern) {
        t.segments_.push_back({SegmentKind::kSingleWildcard, ""});
      } else {
        if (parts.second.empty()) return Invalid(text, "empty variable pattern");
        for (absl::string_view sub : absl::StrSplit(parts.second, '/')) {
          if (sub.empty()) return Invalid(text, "empty segment in a variable pattern");
          if (sub == "*") {
            t.segments_.push_back({SegmentKind::kSingleWildcard, ""});
          } else if (sub == "**") {
            t.segments_.push_back({SegmentKind::kMultiWildcard, ""});
          } else if (sub.find('*') != absl::string_view::npos) {
            return Invalid(text, "\"*\" must be a whole segment");
          } else {
            t.segments_.push_back({SegmentKind::kLiteral, std::string(sub)});
          }
        }
      }
      variable.end_segment = t.segments_.size();
      for (const Variable& other : t.variables_) {
        if (other.field_path == variable.field_path) {
          return Invalid(text, absl::StrCat("field \"", variable.field_path, "\" bound twice"));
        }
      }
      t.variables_.push_back(std::move(variable));
    } else if (segment == "*") {
      t.segments_.push_back({SegmentKind::kSingleWildcard, ""});
    } else if (segment == "**") {
      t.segments_.push_back({SegmentKind::kMultiWildcard, ""});
    } else if (segment.find_first_of("{}*") != absl::string_view::npos) {
      return Invalid(text, absl::StrCat("bad segment \"", segment, "\""));
    } else {
      t.segments_.push_back({SegmentKind::kLiteral, std::string(segment)});
    }
  }
  for (size_t i = 0; i + 1 < t.segments_.size(); ++i) {
    if (t.segments_[i].kind == SegmentKind::kMultiWildcard) {
      return Invalid(text, "\"**\" may only be the last segment");
    }
  }
  // What every matching path starts with: the leading literal segments, and the "/"
  // after them when more segments follow. A necessary condition, checked before any
  // allocation (the route table tries the templates one by one).
  for (const Segment& segment : t.segments_) {
    if (segment.kind != SegmentKind::kLiteral) {
      t.literal_prefix_.push_back('/');
      break;
    }
    if (!t.literal_prefix_.empty()) t.literal_prefix_.push_back('/');
    t.literal_prefix_.append(segment.literal);
  }
  if (t.literal_prefix_ == "/") t.literal_prefix_.clear();
  t.fixed_segment_count_ =
      t.segments_.empty() || t.segments_.back().kind != SegmentKind::kMultiWildcard;
  return t;
}

bool PathTemplate::MatchSegments(const std::vector<absl::string_view>& parts, size_t part_index,
                                 size_t segment_index, std::vector<size_t>& boundaries) const {
  // Only the last segment can be "**", so matching is a single left-to-right pass.
  for (; segment_index < segments_.size(); ++segment_index) {
    boundaries[segment_index] = part_index;
    const Segment& segment = segments_[segment_index];
    if (segment.kind == SegmentKind::kMultiWildcard) {
      part_index = parts.size();
      continue;
    }
    if (part_index >= parts.size()) return false;
    absl::string_view part = parts[part_index];
    if (part.empty()) return false;
    if (segment.kind == SegmentKind::kLiteral && part != segment.literal) return false;
    ++part_index;
  }
  boundaries[segments_.size()] = part_index;
  return part_index == parts.size();
}

std::optional<PathTemplate::Bindings> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!verb_.empty()) {
    if (path.size() <= verb_.size() + 1 || path[path.size() - verb_.size() - 1] != ':' ||
        path.substr(path.size() - verb_.size()) != verb_) {
      return std::nullopt;
    }
    path.remove_suffix(verb_.size() + 1);
  }
  if (!absl::StartsWith(path, literal_prefix_)) return std::nullopt;
  if (fixed_segment_count_ &&
      static_cast<size_t>(std::count(path.begin(), path.end(), '/')) + 1 != segments_.size()) {
    return std::nullopt;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  std::vector<size_t> boundaries(segments_.size() + 1, 0);
  if (!MatchSegments(parts, 0, 0, boundaries)) return std::nullopt;

  Bindings bindings;
  bindings.reserve(variables_.size());
  for (const Variable& variable : variables_) {
    const size_t from = boundaries[variable.first_segment];
    const size_t to = boundaries[variable.end_segment];
    if (from >= to) return std::nullopt;  // A variable never binds an empty value.
    std::vector<absl::string_view> covered(parts.begin() + from, parts.begin() + to);
    const bool single = variable.end_segment - variable.first_segment == 1 &&
                        segments_[variable.first_segment].kind == SegmentKind::kSingleWildcard;
    std::string value;
    if (!PercentDecode(absl::StrJoin(covered, "/"), /*keep_slash=*/!single, &value)) {
      return std::nullopt;
    }
    bindings.emplace_back(variable.field_path, std::move(value));
  }
  return bindings;
}

std::vector<std::string> PathTemplate::VariableFieldPaths() const {
  std::vector<std::string> out;
  for (const Variable& v : variables_) out.push_back(v.field_path);
  return out;
}

bool PathTemplate::MoreSpecific(const PathTemplate& a, const PathTemplate& b) {
  if (a.verb_.empty() != b.verb_.empty()) return !a.verb_.empty();
  const size_t n = std::min(a.segments_.size(), b.segments_.size());
  for (size_t i = 0; i < n; ++i) {
    const int rank_a = static_cast<int>(a.segments_[i].kind);
    const int rank_b = static_cast<int>(b.segments_[i].kind);
    if (rank_a != rank_b) return rank_a < rank_b;
  }
  return a.segments_.size() > b.segments_.size();
}

}  // namespace gongkai::gateway
