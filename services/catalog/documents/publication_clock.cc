// The documents module's CAT-3 publication clock: the period of the catalog.publication
// rule in effect on the clock's start day (or a shorter legal limit), counted on the
// working-day calendar, with the rule cited in the explanation (ADR 0019).
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/catalog/catalog_rule_sets.h"
#include "services/catalog/documents/documents.h"

namespace gongkai::catalog::documents {

absl::StatusOr<std::pair<int, std::optional<rules::RuleRef>>> Documents::PublicationPeriod(
    const v1::Document& document, absl::CivilDay from) const {
  // CAT-3: the rule in effect on the clock's start day, or a law's shorter limit.
  ASSIGN_OR_RETURN(rules::Cited<int64_t> period, PublicationWorkingDays(*rules_, from));
  const int limit = document.publication_limit_working_days();
  if (limit > 0 && limit < period.value) return std::make_pair(limit, std::nullopt);
  return std::make_pair(static_cast<int>(period.value), std::optional(std::move(period.rule)));
}

bool Documents::PublicationPeriodIsCurrent(const v1::Document& document,
                                           absl::CivilDay from) const {
  absl::StatusOr<std::pair<int, std::optional<rules::RuleRef>>> period =
      PublicationPeriod(document, from);
  if (!period.ok()) return false;
  const std::string version = period->second.has_value() ? period->second->VersionKey() : "";
  return period->first == document.publication_deadline().days() &&
         version == document.publication_deadline().rule_version();
}

absl::StatusOr<calendar::Deadline> Documents::PublicationDeadline(const v1::Document& document,
                                                                  absl::CivilDay from) const {
  ASSIGN_OR_RETURN(auto period, PublicationPeriod(document, from));
  return calendar_->AddWorkingDays(from, period.first);
}

absl::Status Documents::ApplyPublicationClock(v1::Document& document, absl::CivilDay from) const {
  document.clear_publication_deadline();
  document.set_overdue(false);
  if (document.disclosure_attribute() != v1::PROACTIVE) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto period, PublicationPeriod(document, from));
  absl::StatusOr<calendar::Deadline> deadline = calendar_->AddWorkingDays(from, period.first);
  common::v1::DeadlineExplanation* explanation = document.mutable_publication_deadline();
  if (deadline.ok()) {
    *explanation = ToProto(*deadline);
  } else if (deadline.status().code() == absl::StatusCode::kFailedPrecondition) {
    // The period reaches a year whose official calendar is not loaded: never a guess
    // (NAT-1). The clock keeps its start (creation or conversion day) without a due date;
    // RecomputeStaleDeadlines completes it once that year's calendar is loaded.
    *explanation = PendingDeadlineExplanation(from, period.first, /*working_days=*/true);
  } else {
    return deadline.status();
  }
  if (period.second.has_value()) CiteRule(*period.second, *explanation);  // ADR 0019.
  MarkOverdue(document);
  return absl::OkStatus();
}

}  // namespace gongkai::catalog::documents
