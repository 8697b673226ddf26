// Three randoms (ASM-2): a draw is created with its published inputs and the SHA-256
// commitment of a fresh secret seed; performing it computes the picks with the draw
// function (draw_function.h) and reveals the seed. Draws are never changed or redone.
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/idempotency/idempotency.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/assessment/access.h"
#include "services/assessment/assessment.h"
#include "services/assessment/draw_function.h"

namespace gongkai::assessment {

SeedSource CryptoSeedSource() {
  return [](int bytes) {
    std::string seed(static_cast<size_t>(bytes), '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()), bytes) != 1) {
      // A predictable seed would void the draw's fairness: stop rather than go on.
      std::cerr << "RAND_bytes failed\n";
      std::abort();
    }
    return seed;
  };
}

absl::StatusOr<v1::Draw> Assessment::CreateDraw(const Principal& caller,
                                                const v1::CreateDrawRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kOffice, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckText(violations, "title", request.title(), {.min_chars = 1, .max_chars = 200});
  ValidateDrawInputs(request.inputs(), violations, "inputs");
  RETURN_IF_ERROR(violations.ToStatus());
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateDraw", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Draw>(
      *repository_, key, [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Draw> {
        const std::string seed = absl::BytesToHexString(seeds_(kSeedBytes));
        v1::Draw draw;
        draw.set_title(request.title());
        *draw.mutable_inputs() = CanonicalInputs(request.inputs());
        ASSIGN_OR_RETURN(*draw.mutable_commitment(), CommitmentOf(seed));
        draw.set_state(v1::COMMITTED);
        draw.set_draw_function(kDrawFunction);
        draw.set_created_by(caller.subject);
        return repository_->CreateDraw(std::move(draw), seed, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Draw> Assessment::PerformDraw(const Principal& caller,
                                                 const v1::PerformDrawRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kOffice, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(auto stored, repository_->GetDraw(request.id()));
  auto& [draw, seed] = stored;
  if (draw.state() != v1::COMMITTED) {
    return PreconditionFailed("STATE", absl::StrCat("draw/", draw.id()),
                              "the draw was already made; a draw is never repeated (ASM-2)");
  }
  ASSIGN_OR_RETURN(DrawPicks picks, ComputeDraw(seed, draw.inputs()));
  draw.set_state(v1::DRAWN);
  draw.set_seed(seed);
  for (int64_t unit : picks.unit_ids) draw.add_picked_unit_ids(unit);
  for (int item : picks.items) draw.add_picked_items(static_cast<InspectionItem>(item));
  for (v1::TimeWindow& window : picks.windows) *draw.add_picked_windows() = std::move(window);
  return repository_->CompleteDraw(std::move(draw), clock_->Now());
}

absl::StatusOr<v1::Draw> Assessment::GetDraw(const Principal& /*caller*/,
                                             const v1::GetDrawRequest& request) {
  // Public (ASM-2: anyone can check): the stored record holds the seed only once drawn.
  FieldViolations violations;
  validation::CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(auto stored, repository_->GetDraw(request.id()));
  return stored.first;
}

absl::StatusOr<v1::SpotCheckResult> Assessment::RecordSpotCheckResult(
    const Principal& caller, const v1::RecordSpotCheckResultRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kInspectors, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "draw_id", request.draw_id(), /*required=*/true);
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  validation::CheckEnum(violations, "item", request.item(), common::v1::InspectionItem_IsValid,
                        /*required=*/true);
  validation::CheckText(violations, "finding", request.finding(),
                        {.min_chars = 1, .max_chars = 5000, .allow_newlines = true});
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(auto stored, repository_->GetDraw(request.draw_id()));
  const v1::Draw& draw = stored.first;
  if (draw.state() != v1::DRAWN) {
    return PreconditionFailed("STATE", absl::StrCat("draw/", draw.id()),
                              "the draw is not made yet");
  }
  const auto& units = draw.picked_unit_ids();
  if (std::find(units.begin(), units.end(), request.unit_id()) == units.end()) {
    return InvalidField("unit_id", "the unit was not drawn");
  }
  const auto& items = draw.picked_items();
  if (std::find(items.begin(), items.end(), request.item()) == items.end()) {
    return InvalidField("item", "the item was not drawn");
  }
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordSpotCheckResult", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::SpotCheckResult>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::SpotCheckResult result;
        result.set_draw_id(request.draw_id());
        result.set_unit_id(request.unit_id());
        result.set_item(request.item());
        result.set_passed(request.passed());
        result.set_finding(request.finding());
        result.set_inspector(caller.subject);
        return repository_->CreateSpotCheckResult(std::move(result), stored_key, clock_->Now());
      });
}

}  // namespace gongkai::assessment
