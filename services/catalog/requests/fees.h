// NAT-9 fees for disclosure on request (国办函〔2020〕109号), computed and explained
// from the catalog.fees rule set (catalog_rule_sets.h, ADR 0019): the caller passes the
// version in effect on the request's receipt day, and the explanation names it. The
// national numbers (services/catalog/rules/catalog.fees.v1.json):
//
// One method per request, never both:
// - by count: per applicant per calendar month, the first 10 requests are free, the
//   11th to 30th cost ¥100 each, and from the 31st each further block of 10 costs ¥100
//   more per request (31st–40th ¥200 each, 41st–50th ¥300 each, ...). The fee of one
//   request depends on its place in the month.
// - by pages: progressive tiers over the pages provided: 1–30 free, 31–100 ¥10 a page,
//   101–200 ¥20 a page, over 200 ¥40 a page.
//
//   ASSIGN_OR_RETURN(auto fees, book.EffectiveOn(kFeeRuleSet, received_on));
//   ASSIGN_OR_RETURN(Fee fee, FeeByPages(*fees, 150));   // fee.fen == 170000
//
// Amounts are in fen (1 yuan = 100 fen). Errors: INTERNAL when `fees` is not a
// validated catalog.fees set (a bug). Thread-safety: pure functions.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "gongkai/catalog/v1/disclosure_types.pb.h"
#include "libs/rules/rule_set.h"

namespace gongkai::catalog::requests {

struct Fee {
  catalog::v1::FeeMethod method = catalog::v1::FEE_METHOD_UNSPECIFIED;
  int64_t fen = 0;
  std::string explanation;  // Chinese, citing the tiers applied and the rule set version.
};

// The fee of the `ordinal`-th request (1-based) of one applicant in calendar month
// `year`-`month`. Ordinals below 1 are treated as 1.
absl::StatusOr<Fee> FeeByCount(const rules::RuleSet& fees, int ordinal, int year, int month);

// The fee for `pages` pages provided (pages below 1 cost nothing).
absl::StatusOr<Fee> FeeByPages(const rules::RuleSet& fees, int pages);

// "1700.00" for 170000 fen.
std::string FormatYuan(int64_t fen);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_
