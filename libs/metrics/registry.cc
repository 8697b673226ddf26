#include "libs/metrics/registry.h"

#include <prometheus/check_names.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/validation/validation.h"

namespace gongkai::metrics {
namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "metrics: %s\n", message.c_str());
  std::abort();
}

bool IsValidMetricName(const std::string& name) { return prometheus::CheckMetricName(name); }

bool AreValidLabelNames(const std::vector<std::string>& names) {
  return std::all_of(names.begin(), names.end(),
                     [](const std::string& n) { return prometheus::CheckLabelName(n); });
}

// HELP as the text format wants it: prometheus-cpp 1.0.1 writes it verbatim. Prometheus
// refuses a whole scrape over HELP or a label value that is not UTF-8, so both are made
// UTF-8 (found by tests/fuzz metrics_labels).
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : validation::ToValidUtf8(help)) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

prometheus::Labels ToLabels(const std::vector<std::string>& names, const LabelValues& values) {
  prometheus::Labels labels;
  for (size_t i = 0; i < names.size(); ++i) {
    labels.emplace(names[i], validation::ToValidUtf8(values[i]));
  }
  return labels;
}

// Children in label-value order. Every child of a family has the same label names,
// sorted (prometheus::Labels is a std::map), so comparing the label lists compares the
// values in name order.
void SortChildren(prometheus::MetricFamily& family) {
  std::sort(family.metric.begin(), family.metric.end(),
            [](const prometheus::ClientMetric& a, const prometheus::ClientMetric& b) {
              return a.label < b.label;
            });
}

// A collected family as prometheus-cpp's MetricFamily; samples with the wrong number of
// label values are dropped.
prometheus::MetricFamily Convert(const CollectedFamily& collected) {
  prometheus::MetricFamily family;
  family.name = collected.name;
  family.help = EscapeHelp(collected.help);
  family.type = collected.type == MetricType::kCounter ? prometheus::MetricType::Counter
                                                       : prometheus::MetricType::Gauge;
  for (const CollectedSample& sample : collected.samples) {
    if (sample.label_values.size() != collected.label_names.size()) continue;
    prometheus::ClientMetric metric;
    for (const auto& [name, value] : ToLabels(collected.label_names, sample.label_values)) {
      metric.label.push_back({name, value});
    }
    if (collected.type == MetricType::kCounter) {
      metric.counter.value = sample.value;
    } else {
      metric.gauge.value = sample.value;
    }
    family.metric.push_back(std::move(metric));
  }
  return family;
}

// Serves Registry::Collect() to prometheus::Exposer, which holds collectables by
// weak_ptr.
class RegistryCollectable final : public prometheus::Collectable {
 public:
  explicit RegistryCollectable(const Registry* registry) : registry_(registry) {}
  std::vector<prometheus::MetricFamily> Collect() const override { return registry_->Collect(); }

 private:
  const Registry* registry_;
};

}  // namespace

std::vector<double> DefaultBuckets() { return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}; }

template <typename T>
T& Family<T>::WithLabels(const LabelValues& values) {
  if (values.size() != label_names_.size()) {
    Fatal(absl::StrCat("expected ", label_names_.size(), " label values, got ", values.size(), " (",
                       absl::StrJoin(label_names_, ","), ")"));
  }
  absl::MutexLock lock(&mu_);
  auto it = children_.find(values);
  if (it != children_.end()) return *it->second;
  T* child;
  if constexpr (std::is_same_v<T, Histogram>) {
    child = &family_.Add(ToLabels(label_names_, values), buckets_);
  } else {
    child = &family_.Add(ToLabels(label_names_, values));
  }
  children_.emplace(values, child);
  return *child;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Registry() : collectable_(std::make_shared<RegistryCollectable>(this)) {}

Registry::~Registry() = default;

Registry::Entry& Registry::Declare(absl::string_view name, MetricType type, absl::string_view help,
                                   const std::vector<std::string>& label_names,
                                   const std::vector<double>& buckets) {
  if (!IsValidMetricName(std::string(name))) {
    Fatal(absl::StrCat("invalid metric name \"", name, "\""));
  }
  for (const std::string& label : label_names) {
    if (!prometheus::CheckLabelName(label) || (type == MetricType::kHistogram && label == "le")) {
      Fatal(absl::StrCat("invalid label name \"", label, "\" on ", name));
    }
  }
  if (std::set<std::string>(label_names.begin(), label_names.end()).size() != label_names.size()) {
    Fatal(absl::StrCat("duplicate label name on ", name));
  }
  if (std::any_of(buckets.begin(), buckets.end(), [](double b) { return std::isnan(b); })) {
    Fatal(absl::StrCat("buckets of ", name, " must not be NaN"));
  }
  if (!std::is_sorted(buckets.begin(), buckets.end()) ||
      std::adjacent_find(buckets.begin(), buckets.end()) != buckets.end()) {
    Fatal(absl::StrCat("buckets of ", name, " must be strictly increasing"));
  }
  // A histogram `h` also writes h_bucket, h_sum and h_count: no other family may use
  // those names, or the exposition would hold two families with the same series.
  for (absl::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (absl::EndsWith(name, suffix)) {
      auto base = entries_.find(std::string(name.substr(0, name.size() - suffix.size())));
      if (base != entries_.end() && base->second.type == MetricType::kHistogram) {
        Fatal(absl::StrCat("metric ", name, " collides with histogram ", base->first));
      }
    }
    if (type == MetricType::kHistogram && entries_.count(absl::StrCat(name, suffix)) != 0) {
      Fatal(absl::StrCat("histogram ", name, " collides with metric ", name, suffix));
    }
  }
  auto it = entries_.find(std::string(name));
  if (it != entries_.end()) {
    const Entry& e = it->second;
    if (e.type != type || e.help != help || e.label_names != label_names || e.buckets != buckets) {
      Fatal(absl::StrCat("metric ", name, " declared twice with different type, help or labels"));
    }
    return it->second;
  }
  Entry& e = entries_[std::string(name)];
  e.type = type;
  e.help = std::string(help);
  e.label_names = label_names;
  e.buckets = buckets;
  return e;
}

Family<Counter>& Registry::AddCounter(absl::string_view name, absl::string_view help,
                                      std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& e = Declare(name, MetricType::kCounter, help, label_names, {});
  if (!e.counter) {
    e.counter = std::make_unique<Family<Counter>>(prometheus::BuildCounter()
                                                      .Name(std::string(name))
                                                      .Help(EscapeHelp(help))
                                                      .Register(registry_),
                                                  std::move(label_names), std::vector<double>{});
  }
  return *e.counter;
}

Family<Gauge>& Registry::AddGauge(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& e = Declare(name, MetricType::kGauge, help, label_names, {});
  if (!e.gauge) {
    e.gauge = std::make_unique<Family<Gauge>>(
        prometheus::BuildGauge().Name(std::string(name)).Help(EscapeHelp(help)).Register(registry_),
        std::move(label_names), std::vector<double>{});
  }
  return *e.gauge;
}

Family<Histogram>& Registry::AddHistogram(absl::string_view name, absl::string_view help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> buckets) {
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  absl::MutexLock lock(&mu_);
  Entry& e = Declare(name, MetricType::kHistogram, help, label_names, buckets);
  if (!e.histogram) {
    e.histogram = std::make_unique<Family<Histogram>>(prometheus::BuildHistogram()
                                                          .Name(std::string(name))
                                                          .Help(EscapeHelp(help))
                                                          .Register(registry_),
                                                      std::move(label_names), std::move(buckets));
  }
  return *e.histogram;
}

void Registry::AddCollector(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

std::vector<prometheus::MetricFamily> Registry::Collect() const {
  std::vector<Collector> collectors;
  std::set<std::string> taken;  // Family names, and h_bucket, h_sum, h_count of histograms.
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
    for (const auto& [name, e] : entries_) {
      taken.insert(name);
      if (e.type != MetricType::kHistogram) continue;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) taken.insert(name + suffix);
    }
  }
  std::vector<prometheus::MetricFamily> families = registry_.Collect();
  for (const Collector& collector : collectors) {
    for (const CollectedFamily& collected : collector()) {
      if (collected.type == MetricType::kHistogram || !IsValidMetricName(collected.name) ||
          !AreValidLabelNames(collected.label_names) || !taken.insert(collected.name).second) {
        continue;
      }
      families.push_back(Convert(collected));
    }
  }
  for (prometheus::MetricFamily& family : families) SortChildren(family);
  std::sort(families.begin(), families.end(),
            [](const prometheus::MetricFamily& a, const prometheus::MetricFamily& b) {
              return a.name < b.name;
            });
  return families;
}

std::string Registry::Serialize() const {
  return prometheus::TextSerializer().Serialize(Collect());
}

}  // namespace gongkai::metrics
