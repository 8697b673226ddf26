// gongkai-draw-verify: recomputes a "three randoms" draw (ASM-2) from its published
// record, so anyone can check that the picks follow from the revealed seed and the
// published inputs, and that the seed is the one committed to before the draw.
//
//   curl -s https://.../v1/assessment/draws/7 > draw.json
//   gongkai-draw-verify draw.json        # or: ... | gongkai-draw-verify -
//
// The record is the Draw message as JSON (the gateway's answer, proto3 JSON mapping).
// Prints the canonical inputs, the commitment check and the recomputed picks. Exit code
// 0 when everything matches, 1 on a mismatch, 2 when the record cannot be read.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "services/assessment/draw_function.h"

int main(int argc, char** argv) {
  using gongkai::assessment::v1::Draw;
  if (argc != 2) {
    std::cerr << "usage: gongkai-draw-verify DRAW.json|-\n";
    return 2;
  }
  std::string text;
  if (std::string(argv[1]) == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(argv[1]);
    if (!in) {
      std::cerr << "cannot read " << argv[1] << "\n";
      return 2;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  Draw draw;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (auto status = google::protobuf::util::JsonStringToMessage(text, &draw, options);
      !status.ok()) {
    std::cerr << "not a draw record: " << status.ToString() << "\n";
    return 2;
  }
  if (draw.seed().empty()) {
    std::cerr << "the seed is not revealed yet (state " << draw.state()
              << "): nothing to verify before the draw\n";
    return 2;
  }
  std::cout << "draw " << draw.id() << " (" << draw.draw_function() << ")\ncanonical inputs:\n"
            << gongkai::assessment::CanonicalInputsText(draw.inputs());
  absl::StatusOr<gongkai::assessment::DrawPicks> picks =
      gongkai::assessment::ComputeDraw(draw.seed(), draw.inputs());
  if (picks.ok()) {
    std::cout << "recomputed units: " << absl::StrJoin(picks->unit_ids, ",")
              << "\nrecomputed items: " << absl::StrJoin(picks->items, ",") << "\n";
  }
  const absl::Status verified = gongkai::assessment::VerifyDraw(draw);
  if (!verified.ok()) {
    std::cout << "MISMATCH: " << verified.message() << "\n";
    return 1;
  }
  std::cout << "verified: the seed matches the commitment and the picks follow from it\n";
  return 0;
}
