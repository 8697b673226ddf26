// The suite's own Prometheus client: counters, gauges and histograms with labels, a
// registry, and the text exposition format 0.0.4. (Debian has no prometheus-cpp.)
//
//   metrics::Registry registry;
//   auto& requests = registry.AddCounter("catalog_documents_published_total",
//                                        "Documents published.", {});
//   requests.WithLabels({}).Inc();
//   auto& latency = registry.AddHistogram("rpc_seconds", "Latency.", {"method"},
//                                         metrics::DefaultBuckets());
//   latency.WithLabels({"GetDocument"}).Observe(0.004);
//   std::string text = registry.Serialize();   // served at /metrics
//
// Naming follows the Prometheus conventions: base units (seconds, bytes), counters end
// in `_total`, business metrics carry the component prefix (`catalog_`), labels are
// low-cardinality. Families are declared once per component (at startup), never per
// request; declaring the same name twice with the same type, help and labels returns
// the existing family, anything else is a programming error and aborts (so does a name
// that collides with a histogram's `_bucket`/`_sum`/`_count` series, and NaN buckets).
// Conventions we hold to, which `promtool check metrics` also checks in the build:
//   - snake_case; names `[a-zA-Z_:][a-zA-Z0-9_:]*` without colons (those are for
//     recording rules); labels `[a-zA-Z_][a-zA-Z0-9_]*`, never starting with `__`;
//   - the unit is a suffix in base units (`_seconds`, `_bytes`), never `_ms` or `_kb`;
//   - counters end in `_total` and nothing else does; no family ends in `_bucket`,
//     `_sum` or `_count`;
//   - label values come from small fixed sets (a state, a code, a method), never ids.
//
// Thread-safe. Children returned by WithLabels() live as long as the registry, so hot
// paths keep the reference and pay only an atomic add.
#ifndef GONGKAI_LIBS_METRICS_REGISTRY_H_
#define GONGKAI_LIBS_METRICS_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::metrics {

using LabelValues = std::vector<std::string>;

// A double that supports atomic addition (std::atomic<double>::fetch_add is C++20).
class AtomicDouble {
 public:
  void Add(double v) {
    double current = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(current, current + v, std::memory_order_relaxed)) {
    }
  }
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  double Get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Counter {
 public:
  // `v` must be non-negative: a counter only goes up.
  void Inc(double v = 1.0) {
    if (v > 0) value_.Add(v);
  }
  double Value() const { return value_.Get(); }

 private:
  AtomicDouble value_;
};

class Gauge {
 public:
  void Set(double v) { value_.Set(v); }
  void Inc(double v = 1.0) { value_.Add(v); }
  void Dec(double v = 1.0) { value_.Add(-v); }
  double Value() const { return value_.Get(); }

 private:
  AtomicDouble value_;
};

class Histogram {
 public:
  // `upper_bounds` sorted ascending, without +Inf (added implicitly).
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> upper_bounds;  // Without +Inf.
    std::vector<uint64_t> cumulative;  // One per bound, then the +Inf bucket.
    double sum = 0;
  };
  // The +Inf bucket is the total of all buckets, so it always equals _count.
  Snapshot Collect() const;

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // upper_bounds_.size() + 1.
  AtomicDouble sum_;
};

// The Go client's default buckets: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 seconds.
std::vector<double> DefaultBuckets();

enum class MetricType { kCounter, kGauge, kHistogram };

// A family: one metric name, its help and label names, and a child per label tuple.
template <typename T>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::vector<double> buckets = {})
      : label_names_(std::move(label_names)), buckets_(std::move(buckets)) {}

  // The child for these label values (created on first use). Aborts when the number of
  // values differs from the number of label names.
  T& WithLabels(const LabelValues& values);

  const std::vector<std::string>& label_names() const { return label_names_; }
  // Every child, in label-value order.
  std::vector<std::pair<LabelValues, const T*>> Children() const;

 private:
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, std::unique_ptr<T>> children_ ABSL_GUARDED_BY(mu_);
};

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
  Registry() = default;
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
  // of label values. Samples are written in label-value order.
  void AddCollector(Collector collector);

  // Text exposition format 0.0.4, families sorted by name.
  std::string Serialize() const;

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
  Entry& Declare(absl::string_view name, MetricType type, absl::string_view help,
                 const std::vector<std::string>& label_names, const std::vector<double>& buckets)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
};

// The content type of Serialize()'s output.
inline constexpr absl::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// Helpers of the text format, exposed for tests.
bool IsValidMetricName(absl::string_view name);
bool IsValidLabelName(absl::string_view name);
std::string EscapeLabelValue(absl::string_view value);
std::string EscapeHelp(absl::string_view help);
// Shortest text that parses back to the same double; "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);

}  // namespace gongkai::metrics

#endif  // GONGKAI_LIBS_METRICS_REGISTRY_H_
