#include "libs/metrics/registry.h"

#include <cmath>
#include <limits>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/metrics/process_metrics.h"

namespace gongkai::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

uint64_t SampleCount(Histogram& h) { return h.Collect().histogram.sample_count; }

TEST(RegistryTest, SerializesEveryTypeSortedByNameAndLabelValues) {
  Registry r;
  r.AddGauge("zeta_items", "Items.", {}).WithLabels({}).Set(2.5);
  auto& c = r.AddCounter("alpha_total", "Alpha \"count\".\nSecond \\ line.", {"kind", "area"});
  c.WithLabels({"x\"y", "b"}).Increment(3);
  c.WithLabels({"a", "b"}).Increment();
  c.WithLabels({"a", "a"}).Increment(0.1);
  auto& h = r.AddHistogram("mid_seconds", "Latency.", {}, {0.1, 1});
  h.WithLabels({}).Observe(0.05);
  h.WithLabels({}).Observe(0.5);
  h.WithLabels({}).Observe(7);
  // HELP escaped; labels in name order, children in label-value order; prometheus-cpp
  // writes a histogram's _count and _sum before its buckets.
  EXPECT_EQ(r.Serialize(),
            "# HELP alpha_total Alpha \"count\".\\nSecond \\\\ line.\n"
            "# TYPE alpha_total counter\n"
            "alpha_total{area=\"a\",kind=\"a\"} 0.1\n"
            "alpha_total{area=\"b\",kind=\"a\"} 1\n"
            "alpha_total{area=\"b\",kind=\"x\\\"y\"} 3\n"
            "# HELP mid_seconds Latency.\n"
            "# TYPE mid_seconds histogram\n"
            "mid_seconds_count 3\n"
            "mid_seconds_sum 7.55\n"
            "mid_seconds_bucket{le=\"0.1\"} 1\n"
            "mid_seconds_bucket{le=\"1\"} 2\n"
            "mid_seconds_bucket{le=\"+Inf\"} 3\n"
            "# HELP zeta_items Items.\n"
            "# TYPE zeta_items gauge\n"
            "zeta_items 2.5\n");
}

// Prometheus refuses the whole scrape over one HELP text or label value that is not
// UTF-8 (found by tests/fuzz metrics_labels).
TEST(RegistryTest, HelpAndLabelValuesComeOutAsUtf8) {
  Registry r;
  r.AddCounter("bytes_total", "Bad \xFF help.", {"peer"}).WithLabels({"a\xC3"}).Increment();
  r.AddCollector([] {
    CollectedFamily f;
    f.name = "collected";
    f.help = "h";
    f.label_names = {"k"};
    f.samples = {{{"\xE6\x94"}, 1}};
    return std::vector<CollectedFamily>{f};
  });
  const std::string text = r.Serialize();
  EXPECT_THAT(text, HasSubstr("# HELP bytes_total Bad \uFFFD help.\n"));
  EXPECT_THAT(text, HasSubstr("bytes_total{peer=\"a\uFFFD\"} 1"));
  EXPECT_THAT(text, HasSubstr("collected{k=\"\uFFFD\uFFFD\"} 1"));
}

TEST(RegistryTest, RedeclaringTheSameFamilyReturnsItAndItsChildren) {
  Registry r;
  auto& a = r.AddCounter("x_total", "X.", {"l"});
  auto& b = r.AddCounter("x_total", "X.", {"l"});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(&a.WithLabels({"v"}), &b.WithLabels({"v"}));
}

TEST(RegistryTest, NegativeCounterIncrementsAreIgnored) {
  Registry r;
  Counter& c = r.AddCounter("up_total", "Up.", {}).WithLabels({});
  c.Increment(2);
  c.Increment(-1);
  EXPECT_EQ(c.Value(), 2);
}

TEST(RegistryDeathTest, ConflictingOrInvalidDeclarationAborts) {
  Registry r;
  r.AddCounter("x_total", "X.", {"l"});
  EXPECT_DEATH(r.AddGauge("x_total", "X.", {"l"}), "declared twice");
  EXPECT_DEATH(r.AddCounter("x_total", "Other help.", {"l"}), "declared twice");
  EXPECT_DEATH(r.AddCounter("x_total", "X.", {"m"}), "declared twice");
  EXPECT_DEATH(r.AddGauge("bad-name", "X.", {}), "invalid metric name");
  EXPECT_DEATH(r.AddGauge("g", "G.", {"__reserved"}), "invalid label name");
  EXPECT_DEATH(r.AddGauge("g", "G.", {"a", "a"}), "duplicate label name");
  EXPECT_DEATH(r.AddHistogram("h_seconds", "H.", {"le"}, {1}), "invalid label name");
  EXPECT_DEATH(r.AddCounter("y_total", "Y.", {"a"}).WithLabels({}), "expected 1 label values");
}

TEST(RegistryTest, ExplicitInfBucketIsNotWrittenTwice) {
  Registry r;
  const double inf = std::numeric_limits<double>::infinity();
  Histogram& h = r.AddHistogram("wait_seconds", "W.", {}, {1, inf}).WithLabels({});
  h.Observe(0.5);
  h.Observe(2);
  EXPECT_EQ(r.Serialize(),
            "# HELP wait_seconds W.\n"
            "# TYPE wait_seconds histogram\n"
            "wait_seconds_count 2\n"
            "wait_seconds_sum 2.5\n"
            "wait_seconds_bucket{le=\"1\"} 1\n"
            "wait_seconds_bucket{le=\"+Inf\"} 2\n");
  // The same family, declared with or without the trailing +Inf.
  EXPECT_EQ(&r.AddHistogram("wait_seconds", "W.", {}, {1}),
            &r.AddHistogram("wait_seconds", "W.", {}, {1, inf}));
}

TEST(RegistryTest, BoundaryValueIsInItsBucket) {
  Registry r;
  Histogram& h = r.AddHistogram("size_bytes", "S.", {}, {1, 2}).WithLabels({});
  h.Observe(1);  // le is inclusive.
  h.Observe(1.5);
  const std::string text = r.Serialize();
  EXPECT_THAT(text, HasSubstr("size_bytes_bucket{le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("size_bytes_bucket{le=\"2\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("size_bytes_bucket{le=\"+Inf\"} 2\n"));
}

TEST(RegistryDeathTest, NameCollidingWithHistogramSeriesAborts) {
  Registry r;
  r.AddHistogram("rpc_seconds", "R.", {}, {1});
  EXPECT_DEATH(r.AddGauge("rpc_seconds_count", "C.", {}), "collides with histogram rpc_seconds");
  r.AddCounter("queue_sum", "Q.", {});
  EXPECT_DEATH(r.AddHistogram("queue", "Q.", {}, {1}), "collides with metric queue_sum");
  EXPECT_DEATH(r.AddHistogram("nan_seconds", "N.", {}, {std::nan("")}), "must not be NaN");
  EXPECT_DEATH(r.AddHistogram("down_seconds", "D.", {}, {2, 1}), "strictly increasing");
  EXPECT_DEATH(r.AddHistogram("flat_seconds", "F.", {}, {1, 1}), "strictly increasing");
}

TEST(RegistryTest, CollectedFamiliesThatBreakTheFormatAreLeftOut) {
  Registry r;
  r.AddGauge("static_items", "Static.", {}).WithLabels({}).Set(1);
  r.AddHistogram("lat_seconds", "L.", {}, {1});
  r.AddCollector([] {
    return std::vector<CollectedFamily>{
        {"static_items", "Taken.", MetricType::kGauge, {}, {{{}, 2}}},
        {"lat_seconds_count", "Taken by the histogram.", MetricType::kGauge, {}, {{{}, 3}}},
        {"bad_label", "B.", MetricType::kGauge, {"bad-label"}, {{{"v"}, 4}}},
        {"bad-name", "B.", MetricType::kGauge, {}, {{{}, 5}}},
        {"some_seconds", "A histogram.", MetricType::kHistogram, {}, {{{}, 6}}},
        {"pool_connections",
         "Connections by state.\nPer pool.",
         MetricType::kGauge,
         {"state", "pool"},
         {{{"idle", "main"}, 2}, {{"busy", "main"}, 3}, {{"too", "many", "values"}, 9}}},
        {"pool_connections", "The second one.", MetricType::kGauge, {}, {{{}, 7}}}};
  });
  // A family without children (lat_seconds) is not written at all.
  EXPECT_EQ(r.Serialize(),
            "# HELP pool_connections Connections by state.\\nPer pool.\n"
            "# TYPE pool_connections gauge\n"
            "pool_connections{pool=\"main\",state=\"busy\"} 3\n"
            "pool_connections{pool=\"main\",state=\"idle\"} 2\n"
            "# HELP static_items Static.\n"
            "# TYPE static_items gauge\n"
            "static_items 1\n");
}

TEST(RegistryTest, CollectedCountersAreCounters) {
  Registry r;
  r.AddCollector([] {
    return std::vector<CollectedFamily>{
        {"pool_waits_total", "Waits.", MetricType::kCounter, {}, {{{}, 4}}}};
  });
  EXPECT_EQ(r.Serialize(),
            "# HELP pool_waits_total Waits.\n"
            "# TYPE pool_waits_total counter\n"
            "pool_waits_total 4\n");
}

TEST(RegistryTest, ConcurrentUpdatesAreExact) {
  Registry r;
  Family<Counter>& family = r.AddCounter("hits_total", "Hits.", {"t"});
  Histogram& h = r.AddHistogram("lat_seconds", "L.", {}, DefaultBuckets()).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        family.WithLabels({"same"}).Increment();
        h.Observe(0.01);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.WithLabels({"same"}).Value(), 80000);
  EXPECT_EQ(SampleCount(h), 80000u);
}

TEST(RegistryTest, CollectorsAreEvaluatedAtScrapeTime) {
  Registry r;
  int calls = 0;
  r.AddCollector([&] {
    ++calls;
    return std::vector<CollectedFamily>{{"pool_in_use",
                                         "In use.",
                                         MetricType::kGauge,
                                         {"pool"},
                                         {{{"main"}, static_cast<double>(calls)}}}};
  });
  EXPECT_THAT(r.Serialize(), HasSubstr("pool_in_use{pool=\"main\"} 1\n"));
  EXPECT_THAT(r.Serialize(), HasSubstr("pool_in_use{pool=\"main\"} 2\n"));
}

TEST(RegistryTest, AsCollectableExpiresWithTheRegistry) {
  std::weak_ptr<prometheus::Collectable> collectable;
  {
    Registry r;
    r.AddGauge("g", "G.", {}).WithLabels({}).Set(1);
    collectable = r.AsCollectable();
    std::shared_ptr<prometheus::Collectable> locked = collectable.lock();
    ASSERT_NE(locked, nullptr);
    ASSERT_EQ(locked->Collect().size(), 1u);
    EXPECT_EQ(locked->Collect()[0].name, "g");
  }
  EXPECT_TRUE(collectable.expired());
}

TEST(ProcessMetricsTest, ReportsPlausibleValues) {
  Registry r;
  RegisterProcessMetrics(r);
  const std::string text = r.Serialize();
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter"));
  EXPECT_THAT(text, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("process_start_time_seconds "));
  EXPECT_THAT(text, HasSubstr("process_open_fds "));
  EXPECT_THAT(text, HasSubstr("process_max_fds "));
  EXPECT_THAT(text, Not(HasSubstr("process_resident_memory_bytes 0\n")));
}

}  // namespace
}  // namespace gongkai::metrics
