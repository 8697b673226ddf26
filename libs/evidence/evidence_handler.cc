#include "libs/evidence/evidence_handler.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/authenticated_call.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::evidence {
namespace {

using common::v1::ComplianceEvidence;
using common::v1::GetComplianceEvidenceRequest;

std::optional<absl::CivilDay> CheckDate(FieldViolations& violations, absl::string_view field,
                                        const common::v1::Date& date) {
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date);
  if (!day.ok() || date.year() < 1949 || date.year() > 9999) {
    violations.Add(std::string(field), "must be a real date (year, month, day)");
    return std::nullopt;
  }
  return *day;
}

absl::Status Authorize(const auth::Principal& caller, int64_t unit_id) {
  if (caller.anonymous()) {
    return absl::UnauthenticatedError("compliance evidence needs a token");
  }
  // SERVICE: the assessment service asks as a service principal (ADR 0022).
  if (caller.roles.Contains(auth::Role::kInspector) || caller.roles.Contains(auth::Role::kOffice) ||
      caller.roles.Contains(auth::Role::kAdmin) || caller.roles.Contains(auth::Role::kService)) {
    return absl::OkStatus();
  }
  if ((caller.roles.Contains(auth::Role::kStaff) || caller.roles.Contains(auth::Role::kReviewer)) &&
      caller.unit_id == unit_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "compliance evidence of unit ", unit_id,
      " is for INSPECTOR, OFFICE, ADMIN and SERVICE, or STAFF and REVIEWER of that unit"));
}

}  // namespace

void AddIndicator(ItemEvidence& evidence, const IndicatorSpec& spec, std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  common::v1::EvidenceIndicator* indicator = evidence.add_indicators();
  indicator->set_name(spec.name);
  indicator->set_description(spec.description);
  indicator->set_requirement(spec.requirement);
  indicator->set_count(static_cast<int64_t>(ids.size()));
  const size_t listed = std::min(ids.size(), static_cast<size_t>(kMaxReferences));
  for (size_t i = 0; i < listed; ++i) {
    indicator->add_references(absl::StrCat(spec.kind, "/", ids[i]));
  }
  indicator->set_references_truncated(listed < ids.size());
}

void AddIndicatorWithCount(ItemEvidence& evidence, const IndicatorSpec& spec, int64_t count,
                           std::vector<int64_t> first_ids) {
  AddIndicator(evidence, spec, std::move(first_ids));
  common::v1::EvidenceIndicator* indicator =
      evidence.mutable_indicators(evidence.indicators_size() - 1);
  const int64_t listed = indicator->references_size();
  indicator->set_count(std::max(count, listed));
  indicator->set_references_truncated(indicator->references_truncated() || listed < count);
}

void AddCount(ItemEvidence& evidence, const IndicatorSpec& spec, int64_t count) {
  common::v1::EvidenceIndicator* indicator = evidence.add_indicators();
  indicator->set_name(spec.name);
  indicator->set_description(spec.description);
  indicator->set_requirement(spec.requirement);
  indicator->set_count(count);
}

void MarkIncomplete(ItemEvidence& evidence, std::string reason) {
  evidence.set_complete(false);
  evidence.add_incomplete_reasons(std::move(reason));
}

absl::StatusOr<ComplianceEvidence> GetComplianceEvidence(
    const std::string& service_name, EvidenceSource& source, const Clock& clock,
    const auth::Principal& caller, const GetComplianceEvidenceRequest& request) {
  if (caller.anonymous()) return Authorize(caller, request.unit_id());
  FieldViolations violations;
  if (request.unit_id() <= 0) violations.Add("unit_id", "must be a unit id (> 0)");
  std::optional<absl::CivilDay> start =
      CheckDate(violations, "period_start", request.period_start());
  std::optional<absl::CivilDay> end = CheckDate(violations, "period_end", request.period_end());
  if (start.has_value() && end.has_value()) {
    if (*end < *start) {
      violations.Add("period_end", "must not be before period_start");
    } else if (*end - *start + 1 > kMaxPeriodDays) {
      violations.Add("period_end",
                     absl::StrCat("the period may cover at most ", kMaxPeriodDays, " days"));
    }
  }
  const std::vector<InspectionItem> held = source.Items();
  std::vector<InspectionItem> wanted;
  std::set<int> seen;
  for (int i = 0; i < request.items_size(); ++i) {
    const InspectionItem item = request.items(i);
    const std::string field = absl::StrCat("items[", i, "]");
    if (!common::v1::InspectionItem_IsValid(item) ||
        item == common::v1::INSPECTION_ITEM_UNSPECIFIED) {
      violations.Add(field, "must be an inspection item from 1 to 15");
    } else if (std::find(held.begin(), held.end(), item) == held.end()) {
      violations.Add(
          field,
          absl::StrCat("item ", static_cast<int>(item), " (", common::v1::InspectionItem_Name(item),
                       ") is not held by ", service_name, "; it answers items ",
                       absl::StrJoin(held, ", ", [](std::string* out, InspectionItem h) {
                         absl::StrAppend(out, static_cast<int>(h));
                       })));
    } else if (seen.insert(item).second) {
      wanted.push_back(item);
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, request.unit_id()));
  if (wanted.empty()) wanted = held;
  std::sort(wanted.begin(), wanted.end());

  EvidenceQuery query;
  query.unit_id = request.unit_id();
  query.period_start = *start;
  query.period_end = *end;
  query.today = calendar::TodayInShanghai(clock);
  ComplianceEvidence answer;
  answer.set_unit_id(request.unit_id());
  *answer.mutable_period_start() = request.period_start();
  *answer.mutable_period_end() = request.period_end();
  answer.set_service(service_name);
  *answer.mutable_compute_time() = ToTimestamp(clock.Now());
  for (InspectionItem item : wanted) {
    ASSIGN_OR_RETURN(ItemEvidence evidence, source.Collect(item, query));
    evidence.set_item(item);
    // Complete exactly when no reason says otherwise (MarkIncomplete is the only way).
    evidence.set_complete(evidence.incomplete_reasons().empty());
    if (query.period_end >= query.today) {
      MarkIncomplete(evidence, "the period has not ended: figures may still change");
    }
    *answer.add_items() = std::move(evidence);
  }
  return answer;
}

grpc::Status ComplianceEvidenceHandler::GetComplianceEvidence(
    grpc::ServerContext* context, const GetComplianceEvidenceRequest* request,
    ComplianceEvidence* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response, [&](const auth::Principal& caller) {
        return evidence::GetComplianceEvidence(service_name_, *source_, *clock_, caller, *request);
      });
}

}  // namespace gongkai::evidence
