// The "three randoms" draw function (ASM-2), version "gongkai-draw-v1": a documented,
// deterministic function of a secret seed and the published inputs, so that anyone can
// recompute a draw once the seed is revealed (gongkai-draw-verify; the independent
// Python implementation in draw_independent_test.py).
//
// Definition (the same text is in docs/services/assessment.md):
//   1. Canonical inputs: unit ids ascending, items ascending (their numbers 1..15),
//      windows ascending by (start, end); the text
//        "gongkai-draw-v1\nunits=1,2,3\nitems=3,9\nwindows=2026-01-01/2026-03-31,...\n"
//        "pick=U,I,W\n"
//      (U, I, W: units_to_pick, items_to_pick, windows_to_pick); D = SHA-256(text).
//   2. Commitment = lower-case hex SHA-256 of the 32 seed bytes S.
//   3. Random numbers of dimension L ("units", "items", "windows"): the j-th (j = 0, 1,
//      ...) is the first 8 bytes, big-endian, of SHA-256(S || D || L || ":" || decimal j).
//      A number below n is drawn by rejection: take the next number x until
//      x < floor(2^64 / n) * n, then x mod n.
//   4. Picks of k from the canonical list a[0..n): for i = 0..k-1, r = below(n - i),
//      swap a[i] and a[i + r]; the picks are a[0..k), reported in ascending order.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_SERVICES_ASSESSMENT_DRAW_FUNCTION_H_
#define GONGKAI_SERVICES_ASSESSMENT_DRAW_FUNCTION_H_

#include <string>

#include "absl/status/statusor.h"
#include "gongkai/assessment/v1/assessment.pb.h"
#include "libs/status/errors.h"

namespace gongkai::assessment {

using common::v1::InspectionItem;

inline constexpr char kDrawFunction[] = "gongkai-draw-v1";
inline constexpr int kSeedBytes = 32;

// Checks the inputs (ids > 0 and distinct, items 1..15 distinct, windows real dates with
// start <= end and distinct, 1 <= to_pick <= count for each non-empty dimension, at most
// 1000 units, 100 windows); violations name fields under `prefix` ("inputs.unit_ids").
void ValidateDrawInputs(const v1::DrawInputs& inputs, FieldViolations& violations,
                        absl::string_view prefix);

// The inputs in canonical order (step 1).
v1::DrawInputs CanonicalInputs(const v1::DrawInputs& inputs);
// The canonical text of step 1.
std::string CanonicalInputsText(const v1::DrawInputs& inputs);

// Lower-case hex SHA-256 of the seed bytes given as hex. INVALID_ARGUMENT for a seed
// that is not 64 hex characters.
absl::StatusOr<std::string> CommitmentOf(absl::string_view seed_hex);

struct DrawPicks {
  std::vector<int64_t> unit_ids;
  std::vector<int> items;
  std::vector<v1::TimeWindow> windows;
};

// The draw of steps 3 and 4. INVALID_ARGUMENT for a bad seed.
absl::StatusOr<DrawPicks> ComputeDraw(absl::string_view seed_hex, const v1::DrawInputs& inputs);

// Recomputes `draw` (DRAWN) from its revealed seed and inputs: OK when the commitment
// matches the seed and the picks match; FAILED_PRECONDITION naming the first mismatch.
absl::Status VerifyDraw(const v1::Draw& draw);

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_DRAW_FUNCTION_H_
