#include "services/assessment/draw_function.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/crypto/sha256.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

namespace gongkai::assessment {
namespace {

constexpr int kMaxUnits = 1000;
constexpr int kMaxWindows = 100;

std::tuple<int, int, int, int, int, int> WindowKey(const v1::TimeWindow& w) {
  return {w.start().year(), w.start().month(), w.start().day(),
          w.end().year(),   w.end().month(),   w.end().day()};
}

std::string DateText(const common::v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

absl::StatusOr<std::string> SeedBytes(absl::string_view seed_hex) {
  if (seed_hex.size() != 2 * kSeedBytes ||
      !std::all_of(seed_hex.begin(), seed_hex.end(),
                   [](char c) { return absl::ascii_isxdigit(c) && !absl::ascii_isupper(c); })) {
    return InvalidField("seed", "must be 64 lower-case hex characters (32 bytes)");
  }
  return absl::HexStringToBytes(seed_hex);
}

// The random numbers of one dimension (step 3).
class Stream {
 public:
  Stream(std::string prefix) : prefix_(std::move(prefix)) {}

  uint64_t Next() {
    const std::string digest =
        absl::HexStringToBytes(crypto::Sha256Hex(absl::StrCat(prefix_, counter_++)));
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<unsigned char>(digest[i]);
    return x;
  }

  uint64_t Below(uint64_t n) {
    // floor(2^64 / n) * n, computed without 2^64: (2^64 - n) / n + 1 = floor(2^64 / n).
    const unsigned __int128 limit = static_cast<unsigned __int128>((~uint64_t{0} - n) / n + 1) * n;
    while (true) {
      const uint64_t x = Next();
      if (static_cast<unsigned __int128>(x) < limit) return x % n;
    }
  }

 private:
  std::string prefix_;
  uint64_t counter_ = 0;
};

template <typename T>
std::vector<T> Pick(std::vector<T> all, int k, Stream stream) {
  const size_t n = all.size();
  for (size_t i = 0; i < static_cast<size_t>(k) && i < n; ++i) {
    const size_t r = static_cast<size_t>(stream.Below(n - i));
    std::swap(all[i], all[i + r]);
  }
  all.resize(std::min(n, static_cast<size_t>(std::max(k, 0))));
  return all;
}

}  // namespace

void ValidateDrawInputs(const v1::DrawInputs& inputs, FieldViolations& violations,
                        absl::string_view prefix) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  std::set<int64_t> units;
  for (int64_t id : inputs.unit_ids()) {
    if (id <= 0) violations.Add(field("unit_ids"), "ids must be positive");
    if (!units.insert(id).second)
      violations.Add(field("unit_ids"), absl::StrCat("unit ", id, " twice"));
  }
  if (inputs.unit_ids_size() > kMaxUnits) violations.Add(field("unit_ids"), "at most 1000 units");
  std::set<int> items;
  for (int item : inputs.items()) {
    if (item < 1 || item > 15) violations.Add(field("items"), "items are 1..15");
    if (!items.insert(item).second)
      violations.Add(field("items"), absl::StrCat("item ", item, " twice"));
  }
  std::set<std::tuple<int, int, int, int, int, int>> windows;
  for (const v1::TimeWindow& window : inputs.windows()) {
    absl::StatusOr<absl::CivilDay> start = ToCivilDay(window.start());
    absl::StatusOr<absl::CivilDay> end = ToCivilDay(window.end());
    if (!start.ok() || !end.ok() || *start > *end) {
      violations.Add(field("windows"), "each window needs real dates with start <= end");
    }
    if (!windows.insert(WindowKey(window)).second)
      violations.Add(field("windows"), "a window twice");
  }
  if (inputs.windows_size() > kMaxWindows) violations.Add(field("windows"), "at most 100 windows");
  auto check_pick = [&](absl::string_view name, int to_pick, int count) {
    if (to_pick < 1 || to_pick > count) {
      violations.Add(field(name), absl::StrCat("must be 1..", count, " (the number of choices)"));
    }
  };
  check_pick("units_to_pick", inputs.units_to_pick(), inputs.unit_ids_size());
  check_pick("items_to_pick", inputs.items_to_pick(), inputs.items_size());
  check_pick("windows_to_pick", inputs.windows_to_pick(), inputs.windows_size());
}

v1::DrawInputs CanonicalInputs(const v1::DrawInputs& inputs) {
  v1::DrawInputs canonical = inputs;
  std::sort(canonical.mutable_unit_ids()->begin(), canonical.mutable_unit_ids()->end());
  std::sort(canonical.mutable_items()->begin(), canonical.mutable_items()->end());
  std::sort(
      canonical.mutable_windows()->begin(), canonical.mutable_windows()->end(),
      [](const v1::TimeWindow& a, const v1::TimeWindow& b) { return WindowKey(a) < WindowKey(b); });
  return canonical;
}

std::string CanonicalInputsText(const v1::DrawInputs& inputs) {
  const v1::DrawInputs c = CanonicalInputs(inputs);
  std::vector<std::string> windows;
  for (const v1::TimeWindow& w : c.windows()) {
    windows.push_back(absl::StrCat(DateText(w.start()), "/", DateText(w.end())));
  }
  return absl::StrCat(kDrawFunction, "\nunits=", absl::StrJoin(c.unit_ids(), ","),
                      "\nitems=", absl::StrJoin(c.items(), ","),
                      "\nwindows=", absl::StrJoin(windows, ","), "\npick=", c.units_to_pick(), ",",
                      c.items_to_pick(), ",", c.windows_to_pick(), "\n");
}

absl::StatusOr<std::string> CommitmentOf(absl::string_view seed_hex) {
  ASSIGN_OR_RETURN(std::string seed, SeedBytes(seed_hex));
  return crypto::Sha256Hex(seed);
}

absl::StatusOr<DrawPicks> ComputeDraw(absl::string_view seed_hex, const v1::DrawInputs& inputs) {
  ASSIGN_OR_RETURN(std::string seed, SeedBytes(seed_hex));
  const v1::DrawInputs c = CanonicalInputs(inputs);
  const std::string digest = absl::HexStringToBytes(crypto::Sha256Hex(CanonicalInputsText(c)));
  auto stream = [&](absl::string_view label) {
    return Stream(absl::StrCat(seed, digest, label, ":"));
  };
  DrawPicks picks;
  picks.unit_ids = Pick(std::vector<int64_t>(c.unit_ids().begin(), c.unit_ids().end()),
                        c.units_to_pick(), stream("units"));
  std::sort(picks.unit_ids.begin(), picks.unit_ids.end());
  picks.items = Pick(std::vector<int>(c.items().begin(), c.items().end()), c.items_to_pick(),
                     stream("items"));
  std::sort(picks.items.begin(), picks.items.end());
  picks.windows = Pick(std::vector<v1::TimeWindow>(c.windows().begin(), c.windows().end()),
                       c.windows_to_pick(), stream("windows"));
  std::sort(
      picks.windows.begin(), picks.windows.end(),
      [](const v1::TimeWindow& a, const v1::TimeWindow& b) { return WindowKey(a) < WindowKey(b); });
  return picks;
}

absl::Status VerifyDraw(const v1::Draw& draw) {
  if (draw.draw_function() != kDrawFunction) {
    return PreconditionFailed("DRAW", "draw_function",
                              absl::StrCat("unknown draw function \"", draw.draw_function(), "\""));
  }
  ASSIGN_OR_RETURN(std::string commitment, CommitmentOf(draw.seed()));
  if (commitment != draw.commitment()) {
    return PreconditionFailed("DRAW", "commitment",
                              absl::StrCat("SHA-256 of the seed is ", commitment,
                                           ", the published commitment is ", draw.commitment()));
  }
  ASSIGN_OR_RETURN(DrawPicks picks, ComputeDraw(draw.seed(), draw.inputs()));
  if (!std::equal(picks.unit_ids.begin(), picks.unit_ids.end(), draw.picked_unit_ids().begin(),
                  draw.picked_unit_ids().end())) {
    return PreconditionFailed(
        "DRAW", "picked_unit_ids",
        absl::StrCat("recomputed units ", absl::StrJoin(picks.unit_ids, ","),
                     " differ from the published ", absl::StrJoin(draw.picked_unit_ids(), ",")));
  }
  if (!std::equal(picks.items.begin(), picks.items.end(), draw.picked_items().begin(),
                  draw.picked_items().end())) {
    return PreconditionFailed(
        "DRAW", "picked_items",
        absl::StrCat("recomputed items ", absl::StrJoin(picks.items, ","),
                     " differ from the published ", absl::StrJoin(draw.picked_items(), ",")));
  }
  bool windows_equal = static_cast<int>(picks.windows.size()) == draw.picked_windows_size();
  for (size_t i = 0; windows_equal && i < picks.windows.size(); ++i) {
    windows_equal =
        WindowKey(picks.windows[i]) == WindowKey(draw.picked_windows(static_cast<int>(i)));
  }
  if (!windows_equal) {
    return PreconditionFailed("DRAW", "picked_windows",
                              "recomputed windows differ from the published ones");
  }
  return absl::OkStatus();
}

}  // namespace gongkai::assessment
