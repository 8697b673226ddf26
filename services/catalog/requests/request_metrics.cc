#include "services/catalog/requests/request_metrics.h"

#include "libs/log/log.h"

namespace gongkai::catalog::requests {

absl::string_view OutcomeGroup(v1::RequestOutcome outcome) {
  const int n = static_cast<int>(outcome);
  if (outcome == v1::OUTCOME_ALREADY_PUBLIC) return "already_public";
  if (outcome == v1::OUTCOME_DISCLOSED) return "disclosed";
  if (outcome == v1::OUTCOME_PARTLY_DISCLOSED) return "partly_disclosed";
  if (n >= 10 && n < 20) return "not_disclosed";
  if (n >= 20 && n < 30) return "cannot_provide";
  if (n >= 30 && n < 40) return "not_processed";
  return "other";
}

RequestMetrics::RequestMetrics(metrics::Registry& registry)
    : by_state_(registry.AddGauge("catalog_disclosure_requests",
                                  "Disclosure requests by state (CAT-8).", {"state"})),
      overdue_(registry
                   .AddGauge("catalog_disclosure_requests_overdue",
                             "Open disclosure requests whose reply is overdue (NAT-7).", {})
                   .WithLabels({})),
      due_soon_(registry
                    .AddGauge("catalog_disclosure_requests_due_soon",
                              "Open disclosure requests whose reply is due within 5 working "
                              "days (NAT-7).",
                              {})
                    .WithLabels({})),
      filed_(registry.AddCounter("catalog_disclosure_requests_filed_total",
                                 "Disclosure requests filed, by channel (NAT-5).", {"channel"})),
      answered_(registry.AddCounter(
          "catalog_disclosure_requests_answered_total",
          "Disclosure requests answered, by Table 3 outcome group and timeliness (NAT-8).",
          {"outcome_group", "timeliness"})),
      refresh_errors_(registry
                          .AddCounter("catalog_disclosure_requests_refresh_errors_total",
                                      "Failed refreshes of the disclosure request gauges.", {})
                          .WithLabels({})) {
  for (int s = v1::REQUEST_RECEIVED; s <= v1::REQUEST_ANSWERED; ++s) {
    by_state_.WithLabels(
        {v1::DisclosureRequestState_Name(static_cast<v1::DisclosureRequestState>(s))});
  }
  for (int c = v1::CHANNEL_IN_PERSON; c <= v1::CHANNEL_FAX; ++c) {
    filed_.WithLabels({v1::RequestChannel_Name(static_cast<v1::RequestChannel>(c))});
  }
}

void RequestMetrics::RequestFiled(v1::RequestChannel channel) {
  filed_.WithLabels({v1::RequestChannel_Name(channel)}).Increment();
}

void RequestMetrics::RequestAnswered(v1::RequestOutcome outcome, bool late) {
  answered_.WithLabels({std::string(OutcomeGroup(outcome)), late ? "late" : "on_time"}).Increment();
}

void RequestMetrics::Refresh(RequestRepository& repository,
                             const calendar::WorkingDayCalendar& calendar, absl::CivilDay today) {
  absl::StatusOr<calendar::Deadline> horizon = calendar.AddWorkingDays(today, kDueSoonWorkingDays);
  // Without next year's calendar, "due soon" cannot look past this year's end.
  const absl::CivilDay due_soon_by =
      horizon.ok() ? horizon->due : absl::CivilDay(today.year(), 12, 31);
  absl::StatusOr<RequestCounts> counts = repository.CountRequests(today, due_soon_by);
  if (!counts.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "refreshing disclosure request gauges failed").With("status", counts.status());
    return;
  }
  for (int s = v1::REQUEST_RECEIVED; s <= v1::REQUEST_ANSWERED; ++s) {
    const auto state = static_cast<v1::DisclosureRequestState>(s);
    auto it = counts->by_state.find(state);
    by_state_.WithLabels({v1::DisclosureRequestState_Name(state)})
        .Set(it == counts->by_state.end() ? 0 : static_cast<double>(it->second));
  }
  overdue_.Set(static_cast<double>(counts->overdue));
  due_soon_.Set(static_cast<double>(counts->due_soon));
}

}  // namespace gongkai::catalog::requests
