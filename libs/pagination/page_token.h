// Opaque keyset page tokens shared by every list RPC in the suite.
//
// A token encodes where the next page starts (the last id returned) and a fingerprint
// of the request's filters, so a token is refused when reused with other filters
// instead of silently returning a wrong page. Tokens are base64url text; clients must
// treat them as opaque.
//
//   ASSIGN_OR_RETURN(int64_t after_id, DecodePageToken(req.page_token(), fingerprint));
//   ASSIGN_OR_RETURN(int page_size, ResolvePageSize(req.page_size()));
//   ... fetch page_size + 1 rows with id < after_id ...
//   resp.set_next_page_token(TrimPage(rows, page_size, fingerprint,
//                                     [](const Row& r) { return r.id(); }));
#ifndef GONGKAI_LIBS_PAGINATION_PAGE_TOKEN_H_
#define GONGKAI_LIBS_PAGINATION_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::pagination {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

std::string EncodePageToken(int64_t after_id, absl::string_view filter_fingerprint);

// The id to continue after; 0 for an empty token (first page). INVALID_ARGUMENT on
// field "page_token" when the token is malformed or was issued for other filters.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view filter_fingerprint);

// 0 → default; 1..max → itself; negative or over max → INVALID_ARGUMENT on "page_size".
absl::StatusOr<int> ResolvePageSize(int requested, int default_size = kDefaultPageSize,
                                    int max_size = kMaxPageSize);

// A keyset list fetches one row more than the page holds to learn whether another
// page exists. Trims `rows` to `page_size` and returns the token of the next page
// (after the last row kept, `id_of(row)`), or "" when `rows` was the last page.
template <typename Row, typename IdFn>
std::string TrimPage(std::vector<Row>& rows, int page_size, absl::string_view filter_fingerprint,
                     IdFn id_of) {
  if (static_cast<int>(rows.size()) <= page_size) return "";
  rows.resize(static_cast<size_t>(page_size));
  return EncodePageToken(id_of(rows.back()), filter_fingerprint);
}

}  // namespace gongkai::pagination

#endif  // GONGKAI_LIBS_PAGINATION_PAGE_TOKEN_H_
