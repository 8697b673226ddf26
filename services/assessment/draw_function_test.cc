// The draw function (ASM-2): deterministic in the seed and the published inputs,
// committed by SHA-256, every pick verifiable; a tampered record fails verification.
#include "services/assessment/draw_function.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "libs/crypto/sha256.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"

namespace gongkai::assessment {
namespace {

using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kSeed[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

v1::DrawInputs Inputs() {
  v1::DrawInputs inputs;
  for (int64_t id : {9, 3, 12, 7, 1, 40, 22, 18}) inputs.add_unit_ids(id);
  for (int item : {14, 3, 9, 5, 11}) inputs.add_items(static_cast<InspectionItem>(item));
  for (int month : {1, 4, 7, 10}) {
    v1::TimeWindow* window = inputs.add_windows();
    *window->mutable_start() = ToProtoDate(absl::CivilDay(2026, month, 1));
    *window->mutable_end() = ToProtoDate(absl::CivilDay(2026, month + 2, 28));
  }
  inputs.set_units_to_pick(3);
  inputs.set_items_to_pick(2);
  inputs.set_windows_to_pick(1);
  return inputs;
}

v1::Draw Drawn(const v1::DrawInputs& inputs) {
  v1::Draw draw;
  *draw.mutable_inputs() = inputs;
  draw.set_draw_function(kDrawFunction);
  draw.set_seed(kSeed);
  draw.set_commitment(*CommitmentOf(kSeed));
  const DrawPicks picks = *ComputeDraw(kSeed, inputs);
  for (int64_t id : picks.unit_ids) draw.add_picked_unit_ids(id);
  for (int item : picks.items) draw.add_picked_items(static_cast<InspectionItem>(item));
  for (const auto& w : picks.windows) *draw.add_picked_windows() = w;
  return draw;
}

TEST(DrawFunctionTest, Asm2CanonicalInputsAreSortedAndDocumented) {
  EXPECT_EQ(CanonicalInputsText(Inputs()),
            "gongkai-draw-v1\nunits=1,3,7,9,12,18,22,40\nitems=3,5,9,11,14\n"
            "windows=2026-01-01/2026-03-28,2026-04-01/2026-06-28,2026-07-01/2026-09-28,"
            "2026-10-01/2026-12-28\npick=3,2,1\n");
}

TEST(DrawFunctionTest, Asm2CommitmentIsTheSha256OfTheSeedBytes) {
  EXPECT_EQ(*CommitmentOf(kSeed),
            "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
  EXPECT_THAT(CommitmentOf("abc").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("seed")));
}

TEST(DrawFunctionTest, Asm2TheDrawIsAFunctionOfSeedAndInputsOnly) {
  const DrawPicks first = *ComputeDraw(kSeed, Inputs());
  v1::DrawInputs reordered = Inputs();
  std::reverse(reordered.mutable_unit_ids()->begin(), reordered.mutable_unit_ids()->end());
  const DrawPicks again = *ComputeDraw(kSeed, reordered);
  EXPECT_EQ(first.unit_ids, again.unit_ids);
  EXPECT_EQ(first.items, again.items);
  EXPECT_EQ(first.unit_ids.size(), 3u);
  EXPECT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.windows.size(), 1u);
  EXPECT_EQ(std::set<int64_t>(first.unit_ids.begin(), first.unit_ids.end()).size(), 3u);
  EXPECT_TRUE(std::is_sorted(first.unit_ids.begin(), first.unit_ids.end()));
}

TEST(DrawFunctionTest, Asm2EveryUnitCanBeDrawn) {
  // Over many seeds every unit is picked at least once (a stuck stream would not).
  std::set<int64_t> seen;
  for (int s = 0; s < 64; ++s) {
    const std::string seed = crypto::Sha256Hex(std::to_string(s));
    const DrawPicks picks = *ComputeDraw(seed, Inputs());
    seen.insert(picks.unit_ids.begin(), picks.unit_ids.end());
  }
  EXPECT_EQ(seen.size(), 8u);
}

TEST(DrawFunctionTest, Asm2VerificationAcceptsTheRecordAndRejectsTampering) {
  v1::Draw draw = Drawn(Inputs());
  EXPECT_TRUE(VerifyDraw(draw).ok()) << VerifyDraw(draw);
  v1::Draw other_seed = draw;
  other_seed.set_seed(crypto::Sha256Hex("another"));
  EXPECT_THAT(VerifyDraw(other_seed),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("commitment")));
  v1::Draw other_pick = draw;
  const v1::DrawInputs inputs = Inputs();
  for (int64_t id : inputs.unit_ids()) {
    const auto& picked = draw.picked_unit_ids();
    if (std::find(picked.begin(), picked.end(), id) == picked.end()) {
      other_pick.set_picked_unit_ids(0, id);
      break;
    }
  }
  EXPECT_THAT(VerifyDraw(other_pick),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("units")));
  v1::Draw other_inputs = draw;
  other_inputs.mutable_inputs()->add_unit_ids(99);
  EXPECT_FALSE(VerifyDraw(other_inputs).ok());
}

TEST(DrawFunctionTest, Asm2BadInputsNameTheirFields) {
  v1::DrawInputs inputs = Inputs();
  inputs.add_unit_ids(3);
  inputs.add_items(static_cast<InspectionItem>(16));
  inputs.set_windows_to_pick(9);
  FieldViolations violations;
  ValidateDrawInputs(inputs, violations, "inputs");
  std::set<std::string> fields;
  for (const auto& v : violations.violations()) fields.insert(v.field);
  EXPECT_EQ(fields,
            (std::set<std::string>{"inputs.unit_ids", "inputs.items", "inputs.windows_to_pick"}));
  FieldViolations none;
  ValidateDrawInputs(Inputs(), none, "inputs");
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace gongkai::assessment
