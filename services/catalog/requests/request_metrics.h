// Business metrics of disclosure on request (CAT-8), declared once:
//   catalog_disclosure_requests{state}                    gauge, refreshed from the database
//   catalog_disclosure_requests_overdue                   gauge, reply due before today
//   catalog_disclosure_requests_due_soon                  gauge, due within 5 working days
//   catalog_disclosure_requests_filed_total{channel}      counter
//   catalog_disclosure_requests_answered_total{outcome_group,timeliness}  counter
//   catalog_disclosure_requests_refresh_errors_total      counter
// Labels are low-cardinality: per-unit lists come from ListDueRequests, not from labels.
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_METRICS_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_METRICS_H_

#include "absl/time/civil_time.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/metrics/registry.h"
#include "services/catalog/requests/disclosure_requests.h"
#include "services/catalog/requests/request_repository.h"

namespace gongkai::catalog::requests {

inline constexpr int kDueSoonWorkingDays = 5;

// "already_public", "disclosed", "partly_disclosed", "not_disclosed", "cannot_provide",
// "not_processed", "other": the Table 3 column groups.
absl::string_view OutcomeGroup(v1::RequestOutcome outcome);

class RequestMetrics final : public RequestObserver {
 public:
  explicit RequestMetrics(metrics::Registry& registry);

  void RequestFiled(v1::RequestChannel channel) override;
  void RequestAnswered(v1::RequestOutcome outcome, bool late) override;

  // Reads the counts behind the gauges ("due soon": within kDueSoonWorkingDays working
  // days of `today` on `calendar`).
  void Refresh(RequestRepository& repository, const calendar::WorkingDayCalendar& calendar,
               absl::CivilDay today);

 private:
  metrics::Family<metrics::Gauge>& by_state_;
  metrics::Gauge& overdue_;
  metrics::Gauge& due_soon_;
  metrics::Family<metrics::Counter>& filed_;
  metrics::Family<metrics::Counter>& answered_;
  metrics::Counter& refresh_errors_;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_REQUEST_METRICS_H_
