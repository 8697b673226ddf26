#include "services/catalog/catalog_metrics.h"

#include "libs/log/log.h"

namespace gongkai::catalog {

CatalogMetrics::CatalogMetrics(metrics::Registry& registry)
    : documents_(registry.AddGauge("catalog_documents", "Documents by state.", {"state"})),
      overdue_(registry
                   .AddGauge("catalog_documents_overdue",
                             "PROACTIVE documents not published by their due date (CAT-3).", {})
                   .WithLabels({})),
      returned_(registry.AddCounter("catalog_returned_submissions_total",
                                    "Submissions returned to the drafter (CAT-2), by cause.",
                                    {"cause"})),
      published_(
          registry.AddCounter("catalog_documents_published_total", "Documents published.", {})
              .WithLabels({})),
      conversions_(registry
                       .AddCounter("catalog_self_review_conversions_total",
                                   "Documents converted to PROACTIVE by the annual self-review "
                                   "(CAT-7).",
                                   {})
                       .WithLabels({})),
      most_requested_decided_(registry.AddCounter(
          "catalog_self_review_most_requested_decisions_total",
          "Most-requested items decided in annual self-reviews (CAT-7), by what was done.",
          {"how"})),
      refresh_errors_(registry
                          .AddCounter("catalog_metrics_refresh_errors_total",
                                      "Failed refreshes of the document gauges.", {})
                          .WithLabels({})),
      calendar_loaded_through_(
          registry
              .AddGauge("catalog_calendar_loaded_through_year",
                        "Every year from the current one up to this one has its official "
                        "working-day calendar loaded; later deadlines stay pending.",
                        {})
              .WithLabels({})) {
  for (const char* cause : {"missing_attribute", "missing_reason", "review_failed",
                            "office_returned", "interpretation_missing"}) {
    returned_.WithLabels({cause});
  }
  for (const char* how : {"kept", "linked", "converted", "created"}) {
    most_requested_decided_.WithLabels({how});
  }
  for (int state = v1::DRAFT; state <= v1::PUBLISHED; ++state) {
    documents_.WithLabels({v1::DocumentState_Name(static_cast<v1::DocumentState>(state))});
  }
}

void CatalogMetrics::DocumentReturned(absl::string_view cause_kind) {
  returned_.WithLabels({std::string(cause_kind)}).Increment();
}
void CatalogMetrics::DocumentPublished() { published_.Increment(); }
void CatalogMetrics::SelfReviewConversion() { conversions_.Increment(); }
void CatalogMetrics::MostRequestedDecided(absl::string_view how) {
  most_requested_decided_.WithLabels({std::string(how)}).Increment();
}

void CatalogMetrics::RefreshCalendar(const calendar::WorkingDayCalendar& calendar,
                                     absl::CivilDay today) {
  int64_t last = today.year() - 1;
  while (calendar.Year(static_cast<int>(last + 1)).ok()) ++last;
  calendar_loaded_through_.Set(static_cast<double>(last));
}

void CatalogMetrics::Refresh(documents::DocumentRepository& repository, absl::CivilDay today) {
  absl::StatusOr<std::map<v1::DocumentState, int64_t>> counts = repository.CountDocumentsByState();
  absl::StatusOr<int64_t> overdue = repository.CountOverdue(today);
  if (!counts.ok() || !overdue.ok()) {
    refresh_errors_.Increment();
    GK_LOG(WARNING, "refreshing document gauges failed")
        .With("status", counts.ok() ? overdue.status() : counts.status());
    return;
  }
  for (int state = v1::DRAFT; state <= v1::PUBLISHED; ++state) {
    auto it = counts->find(static_cast<v1::DocumentState>(state));
    documents_.WithLabels({v1::DocumentState_Name(static_cast<v1::DocumentState>(state))})
        .Set(it == counts->end() ? 0 : static_cast<double>(it->second));
  }
  overdue_.Set(static_cast<double>(*overdue));
}

void RegisterDocumentCacheMetrics(metrics::Registry& registry,
                                  const documents::DocumentCache& cache) {
  registry.AddCollector([&cache] {
    using metrics::CollectedFamily;
    using metrics::MetricType;
    const documents::DocumentCacheStats s = cache.Stats();
    auto one = [](const char* name, const char* help, MetricType type, int64_t value) {
      return CollectedFamily{name, help, type, {}, {{{}, static_cast<double>(value)}}};
    };
    return std::vector<CollectedFamily>{
        one("catalog_document_cache_hits_total", "Published documents served from memory.",
            MetricType::kCounter, s.hits),
        one("catalog_document_cache_misses_total", "Document reads that went to the database.",
            MetricType::kCounter, s.misses),
        one("catalog_document_cache_entries", "Published documents held in memory.",
            MetricType::kGauge, s.entries),
        one("catalog_document_cache_bytes", "Size of the documents held in memory.",
            MetricType::kGauge, s.bytes),
        one("catalog_document_cache_lease_refreshes_total",
            "Policy documents in force reloaded before their lease ended (NAT-10).",
            MetricType::kCounter, s.lease_refreshes),
        one("catalog_document_cache_lease_expiries_total",
            "Reads that found a cached policy document past its lease and read it again.",
            MetricType::kCounter, s.lease_expiries),
        one("catalog_document_list_cache_hits_total",
            "Public list pages and search results served from memory (issue 14 P5).",
            MetricType::kCounter, s.list_hits),
        one("catalog_document_list_cache_misses_total",
            "Cacheable list pages and searches that went to the database.", MetricType::kCounter,
            s.list_misses),
        one("catalog_document_list_cache_entries", "List pages and search results held.",
            MetricType::kGauge, s.list_entries),
        one("catalog_document_list_cache_bytes", "Size of the list pages and results held.",
            MetricType::kGauge, s.list_bytes),
    };
  });
}

}  // namespace gongkai::catalog
