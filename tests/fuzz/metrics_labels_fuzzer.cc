// Metrics label and HELP escaping (libs/metrics/registry.cc, prometheus-cpp's text
// serializer): label values and HELP texts of scrape-time collectors and declared
// families come from wherever the code read them. Properties: a scrape never aborts;
// every line of the output is a comment or a well-formed sample (so Prometheus can parse
// it), and every escaped label value and HELP text reads back to one that was given
// (made UTF-8: Prometheus refuses a whole scrape over one that is not).
//
// Input: records separated by \x1e; fields by \x1f. A record "F name help c|g labels"
// (labels comma-separated) starts a collected family; any other record is a sample:
// its fields are the label values, the last one the value. The first record's fields
// are also label values of a declared counter {a, b}.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "libs/metrics/registry.h"
#include "libs/validation/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using gongkai::metrics::CollectedFamily;
using gongkai::metrics::CollectedSample;
using gongkai::metrics::MetricType;
using gongkai::validation::ToValidUtf8;

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

// Reads `"..."` at text[*i] (at the opening quote) and unescapes it; false when the
// quoted string is malformed.
bool ReadQuoted(absl::string_view text, size_t* i, std::string* out) {
  if (*i >= text.size() || text[*i] != '"') return false;
  for (++*i; *i < text.size(); ++*i) {
    const char c = text[*i];
    if (c == '"') {
      ++*i;
      return true;
    }
    if (c == '\n') return false;
    if (c == '\\') {
      if (++*i >= text.size()) return false;
      const char e = text[*i];
      if (e == 'n') {
        out->push_back('\n');
      } else if (e == '\\' || e == '"') {
        out->push_back(e);
      } else {
        return false;
      }
      continue;
    }
    out->push_back(c);
  }
  return false;
}

// HELP text: only \\ and \n are escapes.
std::string UnescapeHelp(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == '\\')) {
      out.push_back(text[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

void CheckSampleLine(absl::string_view line, const std::set<std::string>& label_values) {
  size_t i = 0;
  while (i < line.size() && IsNameChar(line[i], i == 0)) ++i;
  FUZZ_CHECK(i > 0);
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const size_t name_start = i;
      while (i < line.size() && IsNameChar(line[i], i == name_start)) ++i;
      FUZZ_CHECK(i > name_start && i < line.size() && line[i] == '=');
      const absl::string_view name = line.substr(name_start, i - name_start);
      ++i;
      std::string value;
      FUZZ_CHECK(ReadQuoted(line, &i, &value));
      // Prometheus refuses the whole scrape over one label value that is not UTF-8.
      FUZZ_CHECK(gongkai::validation::IsValidUtf8(value));
      // Values the registry or the serializer add themselves: histogram buckets.
      FUZZ_CHECK(label_values.count(value) != 0 || name == "le");
      if (i < line.size() && line[i] == ',') ++i;
    }
    FUZZ_CHECK(i < line.size() && line[i] == '}');
    ++i;
  }
  // A carriage return may stand in a label value: the text format escapes only the
  // backslash, the double quote and the line feed there.
  FUZZ_CHECK(i < line.size() && line[i] == ' ');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<CollectedFamily> families;
  std::set<std::string> label_values;
  std::set<std::string> helps;
  std::vector<std::string> first_record;
  bool first = true;
  for (absl::string_view record : absl::StrSplit(input, '\x1e')) {
    std::vector<std::string> fields = absl::StrSplit(record, '\x1f');
    if (first) {
      first_record = fields;
      first = false;
    }
    if (fields.size() >= 4 && fields[0] == "F") {
      CollectedFamily family;
      family.name = fields[1];
      family.help = fields[2];
      family.type = fields[3] == "c" ? MetricType::kCounter : MetricType::kGauge;
      if (fields.size() >= 5 && !fields[4].empty()) {
        family.label_names = absl::StrSplit(fields[4], ',');
      }
      helps.insert(ToValidUtf8(family.help));
      families.push_back(std::move(family));
      continue;
    }
    if (families.empty() || fields.empty()) continue;
    CollectedSample sample;
    double value = 0;
    sample.value = absl::SimpleAtod(fields.back(), &value) ? value : 1;
    fields.pop_back();
    sample.label_values = fields;
    for (const std::string& v : fields) label_values.insert(ToValidUtf8(v));
    families.back().samples.push_back(std::move(sample));
  }

  gongkai::metrics::Registry registry;
  const std::string declared_help = "Declared with\\ a backslash\nand a newline.";
  helps.insert(ToValidUtf8(declared_help));
  auto& declared = registry.AddCounter("fuzz_declared_total", declared_help, {"a", "b"});
  first_record.resize(2);
  for (const std::string& v : first_record) label_values.insert(ToValidUtf8(v));
  declared.WithLabels({first_record[0], first_record[1]}).Increment();
  registry.AddCollector([&families] { return families; });

  const std::string text = registry.Serialize();
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "# HELP ")) {
      const size_t space = line.find(' ', 7);
      FUZZ_CHECK(space != absl::string_view::npos);
      FUZZ_CHECK(helps.count(UnescapeHelp(line.substr(space + 1))) != 0);
      FUZZ_CHECK(gongkai::validation::IsValidUtf8(line));
      continue;
    }
    if (absl::StartsWith(line, "# TYPE ")) continue;
    FUZZ_CHECK(line[0] != '#');
    CheckSampleLine(line, label_values);
  }
  return 0;
}
