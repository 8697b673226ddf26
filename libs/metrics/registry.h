// The suite's metrics registry: a thin layer over prometheus-cpp (docs/adr/0017) that
// keeps the declare-once discipline the services rely on.
//
//   metrics::Registry registry;
//   auto& published = registry.AddCounter("catalog_documents_published_total",
//                                         "Documents published.", {});
//   published.WithLabels({}).Increment();
//   auto& latency = registry.AddHistogram("rpc_seconds", "Latency.", {"method"},
//                                         metrics::DefaultBuckets());
//   latency.WithLabels({"GetDocument"}).Observe(0.004);
//   std::string text = registry.Serialize();   // what /metrics serves
//
// Counter, Gauge and Histogram are prometheus-cpp's own classes; what this layer adds:
//   - label names are declared with the family and WithLabels() takes the values in
//     that order (the wrong number of values aborts);
//   - declaring the same name twice with the same type, help, labels and buckets
//     returns the existing family; anything else is a programming error and aborts
//     (so do invalid names, `le` on a histogram, NaN or unsorted buckets, and a name
//     that collides with a histogram's `_bucket`/`_sum`/`_count` series), where
//     prometheus-cpp would throw or silently merge a different declaration;
//   - scrape-time collectors (AddCollector) whose output is checked, not trusted;
//   - output sorted by family name and label values, HELP escaped (prometheus-cpp
//     1.0.1 writes it verbatim, so a newline would break the exposition).
// Labels come out in alphabetical order (prometheus::Labels is a std::map).
//
// Naming follows the Prometheus conventions, which `promtool check metrics` also checks
// in the build: snake_case; the unit a suffix in base units (`_seconds`, `_bytes`);
// counters end in `_total` and nothing else does; business metrics carry the component
// prefix (`catalog_`); label values come from small fixed sets, never ids.
//
// Thread-safe. Families and children live as long as the registry, so hot paths keep
// the reference from WithLabels() and pay only prometheus-cpp's update (an atomic add
// for counters and gauges, a short uncontended lock for a histogram).
#ifndef GONGKAI_LIBS_METRICS_REGISTRY_H_
#define GONGKAI_LIBS_METRICS_REGISTRY_H_

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::metrics {

using Counter = prometheus::Counter;
using Gauge = prometheus::Gauge;
using Histogram = prometheus::Histogram;
using LabelValues = std::vector<std::string>;

// The Go client's default buckets: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 seconds.
std::vector<double> DefaultBuckets();

// One metric name with its label names, over a prometheus::Family.
template <typename T>
class Family {
 public:
  Family(prometheus::Family<T>& family, std::vector<std::string> label_names,
         std::vector<double> buckets)
      : family_(family), label_names_(std::move(label_names)), buckets_(std::move(buckets)) {}
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // The child for these label values, created (at zero) on first use. Aborts when the
  // number of values differs from the number of label names. The reference stays valid
  // as long as the registry.
  T& WithLabels(const LabelValues& values);

  const std::vector<std::string>& label_names() const { return label_names_; }

 private:
  prometheus::Family<T>& family_;
  const std::vector<std::string> label_names_;
  const std::vector<double> buckets_;  // Histograms only.
  absl::Mutex mu_;
  // Children already created, by label values: a repeated WithLabels() finds its child
  // here without building a prometheus::Labels map.
  absl::flat_hash_map<LabelValues, T*> children_ ABSL_GUARDED_BY(mu_);
};

enum class MetricType { kCounter, kGauge, kHistogram };

// Samples produced at scrape time by a collector (process metrics, pool statistics,
// values read from elsewhere).
struct CollectedSample {
  LabelValues label_values;
  double value = 0;
};
struct CollectedFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;  // kCounter or kGauge.
  std::vector<std::string> label_names;
  std::vector<CollectedSample> samples;
};
using Collector = std::function<std::vector<CollectedFamily>()>;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Family<Counter>& AddCounter(absl::string_view name, absl::string_view help,
                              std::vector<std::string> label_names);
  Family<Gauge>& AddGauge(absl::string_view name, absl::string_view help,
                          std::vector<std::string> label_names);
  // `buckets`: strictly increasing upper bounds; +Inf is implicit (a trailing +Inf is
  // accepted and dropped).
  Family<Histogram>& AddHistogram(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names,
                                  std::vector<double> buckets);
  // Called on every scrape, without the registry lock held; must be thread-safe and
  // fast. A family it returns with a bad name or label name, a name already taken or
  // type kHistogram is left out of the output, and so is a sample with the wrong number
  // of label values: a scrape must not abort, nor emit what Prometheus would reject.
  void AddCollector(Collector collector);

  // Every declared and collected family, sorted by name, children by label values.
  std::vector<prometheus::MetricFamily> Collect() const;
  // Collect() in the text exposition format 0.0.4.
  std::string Serialize() const;

  // Collect() as a prometheus::Collectable, for prometheus::Exposer. It expires with the
  // registry; a scrape still running then must not outlive it (stop the exposer first).
  std::weak_ptr<prometheus::Collectable> AsCollectable() const { return collectable_; }

 private:
  struct Entry {
    MetricType type;
    std::string help;
    std::vector<std::string> label_names;
    std::vector<double> buckets;
    std::unique_ptr<Family<Counter>> counter;
    std::unique_ptr<Family<Gauge>> gauge;
    std::unique_ptr<Family<Histogram>> histogram;
  };
  // Aborts on an invalid or conflicting declaration; returns the entry (new or the
  // existing identical one).
  Entry& Declare(absl::string_view name, MetricType type, absl::string_view help,
                 const std::vector<std::string>& label_names, const std::vector<double>& buckets)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  prometheus::Registry registry_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<prometheus::Collectable> collectable_;
};

// The content type of Serialize()'s output.
inline constexpr absl::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_REGISTRY_H_
