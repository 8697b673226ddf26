// The path templates of google.api.http rules (google/api/http.proto):
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;
//
//   ASSIGN_OR_RETURN(PathTemplate t,
//   PathTemplate::Parse("/v1/{name=units/*/documents/*}:publish"));
//   std::optional<PathTemplate::Bindings> b = t.Match("/v1/units/3/documents/7:publish");
//   // (*b)[0] == {"name", "units/3/documents/7"}
//
// Matching works on the raw (still percent-encoded) request path. Values of variables
// that span one segment are fully percent-decoded; values that span several keep %2F
// encoded, as http.proto specifies, so "/" inside a value stays distinguishable.
//
// Thread-safety: immutable after Parse; Match may run concurrently.
#ifndef GONGKAI_GATEWAY_PATH_TEMPLATE_H_
#define GONGKAI_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::gateway {

class PathTemplate {
 public:
  // (field path, decoded value) for each variable, in template order.
  using Bindings = std::vector<std::pair<std::string, std::string>>;

  // INVALID_ARGUMENT naming the problem for a template outside the grammar (missing
  // leading "/", "**" before the last segment, nested or unclosed variables, ...).
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The bindings when `path` (no query string) matches; nullopt otherwise, including
  // when a percent-escape in a bound segment is malformed.
  std::optional<Bindings> Match(absl::string_view path) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // The field paths of the variables, in template order.
  std::vector<std::string> VariableFieldPaths() const;

  // Orders templates from most to least specific: compared segment by segment, a
  // literal beats "*", which beats "**"; a template with a verb beats one without.
  // Used to pick one route when several templates match the same path.
  static bool MoreSpecific(const PathTemplate& a, const PathTemplate& b);

 private:
  enum class SegmentKind { kLiteral, kSingleWildcard, kMultiWildcard };
  struct Segment {
    SegmentKind kind;
    std::string literal;  // kLiteral only.
  };
  struct Variable {
    std::string field_path;
    size_t first_segment = 0;  // Index into segments_.
    size_t end_segment = 0;    // One past the last segment it covers.
  };

  bool MatchSegments(const std::vector<absl::string_view>& parts, size_t part_index,
                     size_t segment_index, std::vector<size_t>& boundaries) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  // Quick refusals before splitting the path: the leading literal segments every
  // matching path starts with ("v1/documents/", without the leading "/"), and whether
  // the number of segments is fixed (no "**").
  std::string literal_prefix_;
  bool fixed_segment_count_ = true;
};

// Percent-decodes `in`. With keep_slash, "%2F" and "%2f" stay encoded. False when an
// escape is malformed (not two hex digits).
bool PercentDecode(absl::string_view in, bool keep_slash, std::string* out);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_PATH_TEMPLATE_H_
