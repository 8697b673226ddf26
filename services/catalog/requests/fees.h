// NAT-9 fees for disclosure on request (国办函〔2020〕109号), computed and explained.
//
// One method per request, never both:
// - by count: per applicant per calendar month, the first 10 requests are free, the
//   11th to 30th cost ¥100 each, and from the 31st each further block of 10 costs ¥100
//   more per request (31st–40th ¥200 each, 41st–50th ¥300 each, ...). The fee of one
//   request depends on its place in the month.
// - by pages: progressive tiers over the pages provided: 1–30 free, 31–100 ¥10 a page,
//   101–200 ¥20 a page, over 200 ¥40 a page.
//
//   Fee fee = FeeByPages(150);   // fee.fen == 170000, fee.explanation "按量计收：..."
//
// Amounts are in fen (1 yuan = 100 fen). Thread-safety: pure functions.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_

#include <cstdint>
#include <string>

#include "gongkai/catalog/v1/disclosure_types.pb.h"

namespace gongkai::catalog::requests {

struct Fee {
  catalog::v1::FeeMethod method = catalog::v1::FEE_METHOD_UNSPECIFIED;
  int64_t fen = 0;
  std::string explanation;  // Chinese, citing the tiers applied.
};

// The fee of the `ordinal`-th request (1-based) of one applicant in calendar month
// `year`-`month`. Ordinals below 1 are treated as 1.
Fee FeeByCount(int ordinal, int year, int month);

// The fee for `pages` pages provided (pages below 1 cost nothing).
Fee FeeByPages(int pages);

// "1700.00" for 170000 fen.
std::string FormatYuan(int64_t fen);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_FEES_H_
