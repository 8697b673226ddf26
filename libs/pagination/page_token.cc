#include "libs/pagination/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/errors.h"

namespace gongkai::pagination {
namespace {

// A stable (not process-seeded) 64-bit FNV-1a hash, so tokens survive restarts and
// work across replicas.
uint64_t StableHash(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string EncodePageToken(int64_t after_id, absl::string_view filter_fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v1:", after_id, ":", StableHash(filter_fingerprint)));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view filter_fingerprint) {
  if (token.empty()) return 0;
  std::string raw;
  if (token.size() > 200 || !absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidField("page_token", "is not a token returned by this API");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(raw, ':');
  int64_t after_id = 0;
  uint64_t hash = 0;
  if (parts.size() != 3 || parts[0] != "v1" || !absl::SimpleAtoi(parts[1], &after_id) ||
      after_id <= 0 || !absl::SimpleAtoi(parts[2], &hash)) {
    return InvalidField("page_token", "is not a token returned by this API");
  }
  if (hash != StableHash(filter_fingerprint)) {
    return InvalidField("page_token", "was issued for a request with other filters");
  }
  return after_id;
}

absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max_size) {
    return InvalidField("page_size", absl::StrCat("must be from 1 to ", max_size));
  }
  return requested;
}

}  // namespace gongkai::pagination
