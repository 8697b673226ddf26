#include "libs/metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gongkai::metrics {
namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "metrics: %s\n", message.c_str());
  std::abort();
}

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const LabelValues& values, absl::string_view extra_name = "",
                  absl::string_view extra_value = "") {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, first ? "" : ",", names[i], "=\"", EscapeLabelValue(values[i]), "\"");
    first = false;
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, first ? "" : ",", extra_name, "=\"", extra_value, "\"");
  }
  out.push_back('}');
}

void AppendHeader(std::string& out, absl::string_view name, absl::string_view help,
                  MetricType type) {
  absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ",
                  TypeName(type), "\n");
}

}  // namespace

bool IsValidMetricName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
                    (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(absl::string_view name) {
  if (name.empty() || (name.size() >= 2 && name[0] == '_' && name[1] == '_')) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
                    (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  // First bound >= v (le is inclusive); NaN compares false everywhere, so it is counted
  // in +Inf, as the Go client does.
  const size_t bucket =
      std::isnan(v)
          ? upper_bounds_.size()
          : std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), v) - upper_bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.Add(v);
}

Histogram::Snapshot Histogram::Collect() const {
  Snapshot s;
  s.upper_bounds = upper_bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.Get();
  return s;
}

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
  std::unique_ptr<T> child;
  if constexpr (std::is_same_v<T, Histogram>) {
    child = std::make_unique<Histogram>(buckets_);
  } else {
    child = std::make_unique<T>();
  }
  T& ref = *child;
  children_.emplace(values, std::move(child));
  return ref;
}

template <typename T>
std::vector<std::pair<LabelValues, const T*>> Family<T>::Children() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<LabelValues, const T*>> out;
  out.reserve(children_.size());
  for (const auto& [values, child] : children_) out.emplace_back(values, child.get());
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Entry& Registry::Declare(absl::string_view name, MetricType type, absl::string_view help,
                                   const std::vector<std::string>& label_names,
                                   const std::vector<double>& buckets) {
  if (!IsValidMetricName(name)) Fatal(absl::StrCat("invalid metric name \"", name, "\""));
  for (const std::string& label : label_names) {
    if (!IsValidLabelName(label) || (type == MetricType::kHistogram && label == "le")) {
      Fatal(absl::StrCat("invalid label name \"", label, "\" on ", name));
    }
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
  if (!e.counter) e.counter = std::make_unique<Family<Counter>>(std::move(label_names));
  return *e.counter;
}

Family<Gauge>& Registry::AddGauge(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& e = Declare(name, MetricType::kGauge, help, label_names, {});
  if (!e.gauge) e.gauge = std::make_unique<Family<Gauge>>(std::move(label_names));
  return *e.gauge;
}

Family<Histogram>& Registry::AddHistogram(absl::string_view name, absl::string_view help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> buckets) {
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  absl::MutexLock lock(&mu_);
  Entry& e = Declare(name, MetricType::kHistogram, help, label_names, buckets);
  if (!e.histogram) {
    e.histogram = std::make_unique<Family<Histogram>>(std::move(label_names), std::move(buckets));
  }
  return *e.histogram;
}

void Registry::AddCollector(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::Serialize() const {
  // Rendered text per family name, so static and collected families sort together.
  std::map<std::string, std::string> rendered;
  std::set<std::string> histogram_series;  // h_bucket, h_sum, h_count of every histogram.
  std::vector<Collector> collectors;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
    for (const auto& [name, e] : entries_) {
      std::string out;
      AppendHeader(out, name, e.help, e.type);
      if (e.counter) {
        for (const auto& [values, c] : e.counter->Children()) {
          out += name;
          AppendLabels(out, e.label_names, values);
          absl::StrAppend(&out, " ", FormatValue(c->Value()), "\n");
        }
      } else if (e.gauge) {
        for (const auto& [values, g] : e.gauge->Children()) {
          out += name;
          AppendLabels(out, e.label_names, values);
          absl::StrAppend(&out, " ", FormatValue(g->Value()), "\n");
        }
      } else if (e.histogram) {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          histogram_series.insert(absl::StrCat(name, suffix));
        }
        for (const auto& [values, h] : e.histogram->Children()) {
          const Histogram::Snapshot s = h->Collect();
          for (size_t i = 0; i <= s.upper_bounds.size(); ++i) {
            absl::StrAppend(&out, name, "_bucket");
            AppendLabels(out, e.label_names, values, "le",
                         i < s.upper_bounds.size() ? FormatValue(s.upper_bounds[i]) : "+Inf");
            absl::StrAppend(&out, " ", s.cumulative[i], "\n");
          }
          absl::StrAppend(&out, name, "_sum");
          AppendLabels(out, e.label_names, values);
          absl::StrAppend(&out, " ", FormatValue(s.sum), "\n", name, "_count");
          AppendLabels(out, e.label_names, values);
          absl::StrAppend(&out, " ", s.cumulative.back(), "\n");
        }
      }
      rendered[name] = std::move(out);
    }
  }
  // A collector runs at scrape time, where aborting is not an option: a family it gets
  // wrong (bad name or label, a name already taken, a histogram) is left out.
  for (const Collector& collector : collectors) {
    for (CollectedFamily& family : collector()) {
      if (family.type == MetricType::kHistogram || !IsValidMetricName(family.name) ||
          !std::all_of(family.label_names.begin(), family.label_names.end(),
                       [](const std::string& l) { return IsValidLabelName(l); }) ||
          rendered.count(family.name) != 0 || histogram_series.count(family.name) != 0) {
        continue;
      }
      std::sort(family.samples.begin(), family.samples.end(),
                [](const CollectedSample& a, const CollectedSample& b) {
                  return a.label_values < b.label_values;
                });
      std::string out;
      AppendHeader(out, family.name, family.help, family.type);
      for (const CollectedSample& sample : family.samples) {
        if (sample.label_values.size() != family.label_names.size()) continue;
        out += family.name;
        AppendLabels(out, family.label_names, sample.label_values);
        absl::StrAppend(&out, " ", FormatValue(sample.value), "\n");
      }
      rendered[family.name] = std::move(out);
    }
  }
  std::string text;
  for (const auto& [name, out] : rendered) text += out;
  return text;
}

}  // namespace gongkai::metrics
