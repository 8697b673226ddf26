// The page-token decoder (libs/pagination): a token is whatever a client sends back in
// `page_token`. Properties: decoding never crashes; a token decodes to a positive id or
// INVALID_ARGUMENT on field "page_token"; the id a token decodes to, encoded again,
// decodes to the same id; a token from other filters is refused.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/pagination/page_token.h"
#include "tests/fuzz/fuzz_check.h"

namespace {
// The seed corpus holds tokens issued for this fingerprint (and some for others).
constexpr absl::string_view kFingerprint = "unit_id=3|status=PUBLISHED";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using gongkai::pagination::DecodePageToken;
  using gongkai::pagination::EncodePageToken;
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<int64_t> after_id = DecodePageToken(token, kFingerprint);
  if (!after_id.ok()) {
    FUZZ_CHECK(after_id.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(token.empty() ? *after_id == 0 : *after_id > 0);
  if (*after_id > 0) {
    const std::string again = EncodePageToken(*after_id, kFingerprint);
    const absl::StatusOr<int64_t> round_trip = DecodePageToken(again, kFingerprint);
    FUZZ_CHECK(round_trip.ok() && *round_trip == *after_id);
    FUZZ_CHECK(!DecodePageToken(again, "unit_id=4|status=PUBLISHED").ok());
  }
  return 0;
}
