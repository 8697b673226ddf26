// The catalog's business metrics, declared once:
//   catalog_documents{state}                       gauge, refreshed from the database
//   catalog_documents_overdue                      gauge, CAT-3 overdue publications
//   catalog_returned_submissions_total{cause}      counter, 退文 by cause (CAT-2)
//   catalog_documents_published_total              counter
//   catalog_self_review_conversions_total          counter, CAT-7
//   catalog_self_review_most_requested_decisions_total{how}  counter, CAT-7
//   catalog_metrics_refresh_errors_total           counter
//   catalog_calendar_loaded_through_year           gauge, NAT-1 coverage of the calendar
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_METRICS_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_METRICS_H_

#include "absl/time/civil_time.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/metrics/registry.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/documents/caching_document_repository.h"
#include "services/catalog/documents/document_repository.h"

namespace gongkai::catalog {

class CatalogMetrics final : public CatalogObserver {
 public:
  explicit CatalogMetrics(metrics::Registry& registry);

  void DocumentReturned(absl::string_view cause_kind) override;
  void DocumentPublished() override;
  void SelfReviewConversion() override;
  void MostRequestedDecided(absl::string_view how) override;

  // Reads the counts behind the gauges from the repository.
  void Refresh(documents::DocumentRepository& repository, absl::CivilDay today);
  // The last year up to which every year from `today`'s is loaded (today's year - 1
  // when even that is missing). Deadlines reaching past it stay pending (NAT-1), so an
  // alert fires when December comes and next year is not loaded.
  void RefreshCalendar(const calendar::WorkingDayCalendar& calendar, absl::CivilDay today);

 private:
  metrics::Family<metrics::Gauge>& documents_;
  metrics::Gauge& overdue_;
  metrics::Family<metrics::Counter>& returned_;
  metrics::Counter& published_;
  metrics::Counter& conversions_;
  metrics::Family<metrics::Counter>& most_requested_decided_;
  metrics::Counter& refresh_errors_;
  metrics::Gauge& calendar_loaded_through_;
};

// catalog_document_cache_{hits,misses}_total, catalog_document_cache_{entries,bytes},
// catalog_document_list_cache_{hits,misses}_total, catalog_document_list_cache_{entries,bytes},
// read at scrape time. `cache` must outlive the registry's scrapes.
void RegisterDocumentCacheMetrics(metrics::Registry& registry,
                                  const documents::DocumentCache& cache);

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_METRICS_H_
