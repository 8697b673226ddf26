// What the prober reads in a fetched page, without any I/O: a tolerant HTML scan into
// elements and text, a CSS-like selector of the elements that are a column's items, the
// dates in their text (the latest one is the column's latest date; an item without a
// date counts as not updated, NAT-13), the page's links (for the broken-link sample) and
// whether a text occurs in the page (the configured leaders' names).
//
//   ASSIGN_OR_RETURN(Extraction extraction, Extraction::Parse("ul.news li", ""));
//   ExtractionResult found = extraction.Run(html, today);
//   found.latest_date;   // std::nullopt when no item has a date
//
// Selectors: simple selectors `tag`, `.class`, `#id`, `tag.class#id` (several classes
// allowed), joined by spaces (descendant). An empty selector means "li". Date patterns:
// empty means the built-in scanner (2024-05-01, 2024/5/1, 2024.05.01, 2024年5月1日);
// otherwise an ECMAScript regular expression whose groups 1, 2, 3 are year, month and
// day. Dates after `today` are not believed (a mistyped year) and are ignored.
//
// Thread-safety: Extraction is immutable after Parse; the functions are pure.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_PAGE_ANALYSIS_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_PAGE_ANALYSIS_H_

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace gongkai::website::prober {

// One part of a selector: all given conditions must hold.
struct SimpleSelector {
  std::string tag;  // Lower case; empty: any.
  std::string id;
  std::vector<std::string> classes;
};

struct ExtractedItem {
  std::string text;
  std::optional<absl::CivilDay> date;
};

struct ExtractionResult {
  std::vector<ExtractedItem> items;
  std::optional<absl::CivilDay> latest_date;
  int undated_items = 0;
};

class Extraction {
 public:
  // INVALID_ARGUMENT naming "item_selector" or "date_pattern" when malformed (at most
  // 200 characters each; the regular expression must compile and have 3 groups).
  static absl::StatusOr<Extraction> Parse(absl::string_view item_selector,
                                          absl::string_view date_pattern);

  // The items the selector matches in `html`, each with its latest date.
  ExtractionResult Run(absl::string_view html, absl::CivilDay today) const;

 private:
  std::vector<SimpleSelector> selector_;
  std::shared_ptr<const std::regex> pattern_;  // Null: the built-in scanner.
};

// The latest plausible date anywhere in the page's text (the home page's latest date).
std::optional<absl::CivilDay> LatestDateInPage(absl::string_view html, absl::CivilDay today);

// Every date the built-in scanner finds in `text` that is not after `today`.
std::vector<absl::CivilDay> FindDates(absl::string_view text, absl::CivilDay today);

// The http(s) links of the page (<a href>), resolved against `base_url`, without
// fragments, duplicates removed, in page order, at most `max_links`.
std::vector<std::string> ExtractLinks(absl::string_view html, absl::string_view base_url,
                                      int max_links);

// `href` resolved against `base_url` (absolute http(s) URL); "" for mailto:, javascript:
// and other schemes, and for fragments only.
std::string ResolveUrl(absl::string_view base_url, absl::string_view href);

// The page's visible text (tags, scripts and styles removed, a few entities decoded).
std::string PageText(absl::string_view html);

}  // namespace gongkai::website::prober

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_PAGE_ANALYSIS_H_
