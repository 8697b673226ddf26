#include "services/catalog/units/units.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/policy.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rules.h"

namespace gongkai::catalog::units {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

absl::StatusOr<v1::Unit> Units::CreateUnit(const Principal& caller,
                                           const v1::CreateUnitRequest& request) {
  RETURN_IF_ERROR(auth::Require(caller, kManageUnits, std::nullopt));
  const v1::Unit& unit = request.unit();
  FieldViolations v;
  CheckCode(v, "unit.code", unit.code());
  CheckText(v, "unit.name", unit.name(), kNameLimits);
  CheckEnum(v, "unit.level", unit.level(), v1::UnitLevel_IsValid, /*required=*/true);
  CheckId(v, "unit.parent_id", unit.parent_id(), /*required=*/false);
  CheckRequestId(v, "request_id", request.request_id());
  RETURN_IF_ERROR(v.ToStatus());
  if (unit.parent_id() != 0) {
    absl::StatusOr<v1::Unit> parent = repository_->GetUnit(unit.parent_id());
    if (parent.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("unit.parent_id",
                          absl::StrCat("unit ", unit.parent_id(), " does not exist"));
    }
    RETURN_IF_ERROR(parent.status());
  }
  v1::Unit to_store;
  to_store.set_code(unit.code());
  to_store.set_name(unit.name());
  to_store.set_level(unit.level());
  to_store.set_parent_id(unit.parent_id());
  *to_store.mutable_create_time() = ToTimestamp(clock_->Now());
  absl::StatusOr<v1::Unit> created = idempotency::IdempotentCreate<v1::Unit>(
      *repository_, KeyFor(caller, "CreateUnit", request.request_id(), request),
      [&](const IdempotencyKey* key) { return repository_->CreateUnit(to_store, key); });
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("unit code \"", unit.code(), "\" is already used by another unit"));
  }
  return created;
}

absl::StatusOr<v1::Unit> Units::GetUnit(const Principal&, const v1::GetUnitRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  return repository_->GetUnit(request.id());
}

absl::StatusOr<v1::ListUnitsResponse> Units::ListUnits(const Principal&,
                                                       const v1::ListUnitsRequest& request) {
  FieldViolations v;
  CheckId(v, "parent_id", request.parent_id(), /*required=*/false);
  CheckEnum(v, "level", request.level(), v1::UnitLevel_IsValid, /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = absl::StrCat("p", request.parent_id(), "l", request.level());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::Unit> units,
                   repository_->ListUnits(UnitFilter{request.parent_id(), request.level()},
                                          KeysetPage{after_id, page_size + 1}));
  v1::ListUnitsResponse response;
  response.set_next_page_token(pagination::TrimPage(units, page_size, fingerprint,
                                                    [](const v1::Unit& u) { return u.id(); }));
  for (auto& u : units) *response.add_units() = std::move(u);
  return response;
}

}  // namespace gongkai::catalog::units
