#include "services/website/prober/page_analysis.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"

namespace gongkai::website::prober {
namespace {

constexpr size_t kMaxSelectorChars = 200;
constexpr size_t kMaxItemTextChars = 300;

struct Element {
  SimpleSelector props;
  int parent = -1;
  size_t text_begin = 0;
  size_t text_end = 0;
};

struct Document {
  std::string text;
  std::vector<Element> elements;
  std::vector<std::string> hrefs;
};

bool IsVoidTag(absl::string_view tag) {
  static const std::set<absl::string_view> kVoid = {"area",  "base",   "br",    "col",  "embed",
                                                    "hr",    "img",    "input", "link", "meta",
                                                    "param", "source", "track", "wbr"};
  return kVoid.count(tag) > 0;
}

// Tags whose open element closes when a sibling of the same tag opens (<li>a<li>b).
bool ClosesSameTag(absl::string_view tag) {
  return tag == "li" || tag == "p" || tag == "tr" || tag == "td" || tag == "th" || tag == "dt" ||
         tag == "dd" || tag == "option";
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':';
}

void AppendSpace(std::string& text) {
  if (!text.empty() && text.back() != ' ') text.push_back(' ');
}

// Decodes the entity at html[i] ('&') into `text`; returns the index after it.
size_t DecodeEntity(absl::string_view html, size_t i, std::string& text) {
  static const std::pair<absl::string_view, absl::string_view> kEntities[] = {
      {"&nbsp;", " "},  {"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},
      {"&quot;", "\""}, {"&#39;", "'"}, {"&ensp;", " "}, {"&emsp;", " "}};
  for (const auto& [entity, replacement] : kEntities) {
    if (absl::StartsWithIgnoreCase(html.substr(i), entity)) {
      if (replacement == " ") {
        AppendSpace(text);
      } else {
        text.append(replacement.data(), replacement.size());
      }
      return i + entity.size();
    }
  }
  text.push_back('&');
  return i + 1;
}

// Parses the attributes of a start tag from html[i] up to '>'; returns the index after
// '>' and whether the tag ended with "/>".
size_t ParseAttributes(absl::string_view html, size_t i, Element& element, std::string* href,
                       bool* self_closing) {
  const size_t n = html.size();
  *self_closing = false;
  while (i < n && html[i] != '>') {
    if (html[i] == '/') {
      *self_closing = true;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(html[i]))) {
      ++i;
      continue;
    }
    *self_closing = false;
    const size_t name_start = i;
    while (i < n && html[i] != '=' && html[i] != '>' && html[i] != '/' &&
           !std::isspace(static_cast<unsigned char>(html[i]))) {
      ++i;
    }
    const std::string name = absl::AsciiStrToLower(html.substr(name_start, i - name_start));
    while (i < n && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
    std::string value;
    if (i < n && html[i] == '=') {
      ++i;
      while (i < n && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
      if (i < n && (html[i] == '"' || html[i] == '\'')) {
        const char quote = html[i++];
        const size_t value_start = i;
        while (i < n && html[i] != quote) ++i;
        value = std::string(html.substr(value_start, i - value_start));
        if (i < n) ++i;
      } else {
        const size_t value_start = i;
        while (i < n && html[i] != '>' && !std::isspace(static_cast<unsigned char>(html[i]))) {
          ++i;
        }
        value = std::string(html.substr(value_start, i - value_start));
      }
    }
    if (name == "id") {
      element.props.id = value;
    } else if (name == "class") {
      for (absl::string_view c : absl::StrSplit(value, ' ', absl::SkipWhitespace())) {
        element.props.classes.emplace_back(c);
      }
    } else if (name == "href" && href != nullptr) {
      *href = std::string(absl::StripAsciiWhitespace(value));
    }
  }
  return i < n ? i + 1 : n;
}

Document ParseHtml(absl::string_view html) {
  Document doc;
  doc.text.reserve(html.size() / 2);
  std::vector<int> open;
  const auto close_top = [&]() {
    doc.elements[static_cast<size_t>(open.back())].text_end = doc.text.size();
    open.pop_back();
  };
  const size_t n = html.size();
  size_t i = 0;
  while (i < n) {
    const char c = html[i];
    if (c == '&') {
      i = DecodeEntity(html, i, doc.text);
      continue;
    }
    if (c != '<') {
      if (std::isspace(static_cast<unsigned char>(c))) {
        AppendSpace(doc.text);
      } else {
        doc.text.push_back(c);
      }
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const size_t end = html.find("-->", i + 4);
      i = end == absl::string_view::npos ? n : end + 3;
      continue;
    }
    if (i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?')) {
      const size_t end = html.find('>', i);
      i = end == absl::string_view::npos ? n : end + 1;
      continue;
    }
    const bool closing = i + 1 < n && html[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    const size_t name_start = j;
    while (j < n && IsNameChar(html[j])) ++j;
    if (j == name_start) {  // A '<' that starts no tag is text.
      doc.text.push_back('<');
      ++i;
      continue;
    }
    const std::string tag = absl::AsciiStrToLower(html.substr(name_start, j - name_start));
    AppendSpace(doc.text);
    if (closing) {
      const size_t end = html.find('>', j);
      i = end == absl::string_view::npos ? n : end + 1;
      for (size_t k = open.size(); k > 0; --k) {
        if (doc.elements[static_cast<size_t>(open[k - 1])].props.tag == tag) {
          while (open.size() >= k) close_top();
          break;
        }
      }
      continue;
    }
    Element element;
    element.props.tag = tag;
    std::string href;
    bool self_closing = false;
    i = ParseAttributes(html, j, element, tag == "a" ? &href : nullptr, &self_closing);
    if (!href.empty()) doc.hrefs.push_back(std::move(href));
    if (tag == "script" || tag == "style") {
      // Raw text up to the closing tag: never part of the visible text.
      const std::string end_tag = absl::StrCat("</", tag);
      size_t end = i;
      while (end < n && !absl::StartsWithIgnoreCase(html.substr(end), end_tag)) {
        end = html.find('<', end + 1);
        if (end == absl::string_view::npos) end = n;
      }
      const size_t close = html.find('>', end);
      i = close == absl::string_view::npos ? n : close + 1;
      continue;
    }
    if (IsVoidTag(tag) || self_closing) continue;
    if (ClosesSameTag(tag) && !open.empty() &&
        doc.elements[static_cast<size_t>(open.back())].props.tag == tag) {
      close_top();
    }
    element.parent = open.empty() ? -1 : open.back();
    element.text_begin = doc.text.size();
    doc.elements.push_back(std::move(element));
    open.push_back(static_cast<int>(doc.elements.size() - 1));
  }
  while (!open.empty()) close_top();
  return doc;
}

bool Matches(const SimpleSelector& selector, const SimpleSelector& element) {
  if (!selector.tag.empty() && selector.tag != element.tag) return false;
  if (!selector.id.empty() && selector.id != element.id) return false;
  for (const std::string& c : selector.classes) {
    if (std::find(element.classes.begin(), element.classes.end(), c) == element.classes.end()) {
      return false;
    }
  }
  return true;
}

// Descendant combinators only, so matching each part against the nearest ancestor that
// fits is exact.
bool MatchesPath(const std::vector<SimpleSelector>& parts, const Document& doc, int index) {
  if (!Matches(parts.back(), doc.elements[static_cast<size_t>(index)].props)) return false;
  int ancestor = doc.elements[static_cast<size_t>(index)].parent;
  for (size_t k = parts.size() - 1; k > 0; --k) {
    while (ancestor >= 0 &&
           !Matches(parts[k - 1], doc.elements[static_cast<size_t>(ancestor)].props)) {
      ancestor = doc.elements[static_cast<size_t>(ancestor)].parent;
    }
    if (ancestor < 0) return false;
    ancestor = doc.elements[static_cast<size_t>(ancestor)].parent;
  }
  return true;
}

absl::StatusOr<SimpleSelector> ParseSimpleSelector(absl::string_view text) {
  SimpleSelector selector;
  size_t i = 0;
  const auto read_name = [&]() {
    const size_t start = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    return std::string(text.substr(start, i - start));
  };
  selector.tag = absl::AsciiStrToLower(read_name());
  while (i < text.size()) {
    const char kind = text[i++];
    std::string name = read_name();
    if ((kind != '.' && kind != '#') || name.empty()) {
      return InvalidField("item_selector",
                          absl::StrCat("\"", text, "\" is not tag, .class, #id or a mix of them"));
    }
    if (kind == '.') {
      selector.classes.push_back(std::move(name));
    } else {
      selector.id = std::move(name);
    }
  }
  return selector;
}

bool RealDate(int64_t year, int month, int day, absl::CivilDay* out) {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const absl::CivilDay date(year, month, day);
  if (date.month() != month || date.day() != day) return false;
  *out = date;
  return true;
}

// Reads 1..max_digits digits at text[i]; -1 when none.
int ReadNumber(absl::string_view text, size_t& i, int max_digits) {
  int value = 0;
  int digits = 0;
  while (i < text.size() && digits < max_digits &&
         std::isdigit(static_cast<unsigned char>(text[i]))) {
    value = value * 10 + (text[i] - '0');
    ++i;
    ++digits;
  }
  return digits == 0 ? -1 : value;
}

// The separator at text[i]: "-", "/", "." or the UTF-8 of 年 / 月 (given as `unit`).
bool ReadSeparator(absl::string_view text, size_t& i, char ascii, absl::string_view unit) {
  if (ascii != 0) {
    if (i < text.size() && text[i] == ascii) {
      ++i;
      return true;
    }
    return false;
  }
  if (text.substr(i, unit.size()) == unit) {
    i += unit.size();
    return true;
  }
  return false;
}

std::string CleanItemText(absl::string_view text) {
  std::string cleaned(absl::StripAsciiWhitespace(text));
  if (cleaned.size() > kMaxItemTextChars) {
    size_t cut = kMaxItemTextChars;
    while (cut > 0 && (static_cast<unsigned char>(cleaned[cut]) & 0xC0) == 0x80) --cut;
    cleaned.resize(cut);
  }
  return cleaned;
}

std::optional<absl::CivilDay> LatestOf(const std::vector<absl::CivilDay>& dates) {
  if (dates.empty()) return std::nullopt;
  return *std::max_element(dates.begin(), dates.end());
}

}  // namespace

std::vector<absl::CivilDay> FindDates(absl::string_view text, absl::CivilDay today) {
  static constexpr absl::string_view kYear = "\xE5\xB9\xB4";   // 年
  static constexpr absl::string_view kMonth = "\xE6\x9C\x88";  // 月
  std::vector<absl::CivilDay> dates;
  const size_t n = text.size();
  for (size_t i = 0; i + 8 <= n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i;
    const int year = ReadNumber(text, j, 4);
    if (j - i != 4 || (j < n && std::isdigit(static_cast<unsigned char>(text[j])))) continue;
    char ascii = 0;
    if (j < n && (text[j] == '-' || text[j] == '/' || text[j] == '.')) ascii = text[j];
    if (!ReadSeparator(text, j, ascii, kYear)) continue;
    const int month = ReadNumber(text, j, 2);
    if (month < 0 || !ReadSeparator(text, j, ascii, kMonth)) continue;
    const int day = ReadNumber(text, j, 2);
    if (day < 0 || (j < n && std::isdigit(static_cast<unsigned char>(text[j])))) continue;
    absl::CivilDay date;
    if (RealDate(year, month, day, &date) && date <= today) dates.push_back(date);
    i = j - 1;
  }
  return dates;
}

absl::StatusOr<Extraction> Extraction::Parse(absl::string_view item_selector,
                                             absl::string_view date_pattern) {
  Extraction extraction;
  item_selector = absl::StripAsciiWhitespace(item_selector);
  if (item_selector.size() > kMaxSelectorChars) {
    return InvalidField("item_selector", "at most 200 characters");
  }
  if (item_selector.empty()) item_selector = "li";
  for (absl::string_view part : absl::StrSplit(item_selector, ' ', absl::SkipWhitespace())) {
    absl::StatusOr<SimpleSelector> simple = ParseSimpleSelector(part);
    if (!simple.ok()) return simple.status();
    extraction.selector_.push_back(*std::move(simple));
  }
  if (date_pattern.size() > kMaxSelectorChars) {
    return InvalidField("date_pattern", "at most 200 characters");
  }
  if (!date_pattern.empty()) {
    try {
      auto pattern =
          std::make_shared<const std::regex>(std::string(date_pattern), std::regex::ECMAScript);
      if (pattern->mark_count() < 3) {
        return InvalidField("date_pattern", "needs three groups: year, month and day");
      }
      extraction.pattern_ = std::move(pattern);
    } catch (const std::regex_error& e) {
      return InvalidField("date_pattern", absl::StrCat("not a regular expression: ", e.what()));
    }
  }
  return extraction;
}

ExtractionResult Extraction::Run(absl::string_view html, absl::CivilDay today) const {
  const Document doc = ParseHtml(html);
  ExtractionResult result;
  std::vector<absl::CivilDay> latest_of_items;
  for (size_t k = 0; k < doc.elements.size(); ++k) {
    if (!MatchesPath(selector_, doc, static_cast<int>(k))) continue;
    const Element& element = doc.elements[k];
    const absl::string_view text = absl::string_view(doc.text).substr(
        element.text_begin, element.text_end - element.text_begin);
    std::vector<absl::CivilDay> dates;
    if (pattern_ == nullptr) {
      dates = FindDates(text, today);
    } else {
      const std::string owned(text);
      for (auto it = std::sregex_iterator(owned.begin(), owned.end(), *pattern_);
           it != std::sregex_iterator(); ++it) {
        absl::CivilDay date;
        try {
          if (RealDate(std::stoll((*it)[1].str()), std::stoi((*it)[2].str()),
                       std::stoi((*it)[3].str()), &date) &&
              date <= today) {
            dates.push_back(date);
          }
        } catch (const std::exception&) {
          // A group that is not a number: no date from this match.
        }
      }
    }
    ExtractedItem item;
    item.text = CleanItemText(text);
    item.date = LatestOf(dates);
    if (item.date.has_value()) {
      latest_of_items.push_back(*item.date);
    } else {
      ++result.undated_items;
    }
    result.items.push_back(std::move(item));
  }
  result.latest_date = LatestOf(latest_of_items);
  return result;
}

std::optional<absl::CivilDay> LatestDateInPage(absl::string_view html, absl::CivilDay today) {
  return LatestOf(FindDates(ParseHtml(html).text, today));
}

std::string PageText(absl::string_view html) { return ParseHtml(html).text; }

std::string ResolveUrl(absl::string_view base_url, absl::string_view href) {
  href = absl::StripAsciiWhitespace(href);
  const size_t fragment = href.find('#');
  if (fragment != absl::string_view::npos) href = href.substr(0, fragment);
  if (href.empty()) return "";
  const size_t colon = href.find(':');
  const size_t slash = href.find('/');
  if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon < slash)) {
    const std::string scheme = absl::AsciiStrToLower(href.substr(0, colon));
    return scheme == "http" || scheme == "https" ? std::string(href) : "";
  }
  const size_t scheme_end = base_url.find("://");
  if (scheme_end == absl::string_view::npos) return "";
  const absl::string_view scheme = base_url.substr(0, scheme_end);
  size_t authority_end = base_url.find_first_of("/?#", scheme_end + 3);
  if (authority_end == absl::string_view::npos) authority_end = base_url.size();
  const absl::string_view origin = base_url.substr(0, authority_end);
  if (absl::StartsWith(href, "//")) return absl::StrCat(scheme, ":", href);
  absl::string_view base_path = base_url.substr(authority_end);
  base_path = base_path.substr(0, base_path.find_first_of("?#"));
  if (base_path.empty()) base_path = "/";
  std::string path;
  std::string query;
  if (absl::StartsWith(href, "/")) {
    path = std::string(href);
  } else if (absl::StartsWith(href, "?")) {
    path = std::string(base_path);
    query = std::string(href);
  } else {
    path = absl::StrCat(base_path.substr(0, base_path.rfind('/') + 1), href);
  }
  const size_t q = path.find('?');
  if (q != std::string::npos) {
    query = path.substr(q);
    path.resize(q);
  }
  // Removes "." and ".." segments.
  std::vector<absl::string_view> segments;
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (segment == ".") continue;
    if (segment == "..") {
      if (segments.size() > 1) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string normalized = absl::StrJoin(segments, "/");
  if (path.size() > 1 && (absl::EndsWith(path, "/.") || absl::EndsWith(path, "/.."))) {
    normalized.push_back('/');
  }
  if (normalized.empty() || normalized[0] != '/') normalized.insert(0, "/");
  return absl::StrCat(origin, normalized, query);
}

std::vector<std::string> ExtractLinks(absl::string_view html, absl::string_view base_url,
                                      int max_links) {
  const Document doc = ParseHtml(html);
  std::vector<std::string> links;
  std::set<std::string> seen;
  for (const std::string& href : doc.hrefs) {
    if (static_cast<int>(links.size()) >= max_links) break;
    std::string url = ResolveUrl(base_url, href);
    if (url.empty() || !seen.insert(url).second) continue;
    links.push_back(std::move(url));
  }
  return links;
}

}  // namespace gongkai::website::prober
