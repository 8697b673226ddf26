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

TEST(TextFormatTest, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(EscapeHelp("line\\one\ntwo \"q\""), "line\\\\one\\ntwo \"q\"");
}

TEST(TextFormatTest, FormatsValuesAsPrometheusParsesThem) {
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(1e-7), "1e-07");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(0.0 / 0.0), "NaN");
}

TEST(TextFormatTest, ValidatesNames) {
  EXPECT_TRUE(IsValidMetricName("grpc_server_started_total"));
  EXPECT_TRUE(IsValidMetricName("ns:rule_name"));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("bad-name"));
  EXPECT_TRUE(IsValidLabelName("grpc_code"));
  EXPECT_FALSE(IsValidLabelName("__reserved"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(RegistryTest, SerializesEveryTypeSortedByName) {
  Registry r;
  r.AddGauge("zeta_items", "Items.", {}).WithLabels({}).Set(2.5);
  auto& c = r.AddCounter("alpha_total", "Alpha \"count\".\nSecond line.", {"kind"});
  c.WithLabels({"x\"y"}).Inc(3);
  c.WithLabels({"a"}).Inc();
  auto& h = r.AddHistogram("mid_seconds", "Latency.", {}, {0.1, 1});
  h.WithLabels({}).Observe(0.05);
  h.WithLabels({}).Observe(0.5);
  h.WithLabels({}).Observe(7);
  EXPECT_EQ(r.Serialize(),
            "# HELP alpha_total Alpha \"count\".\\nSecond line.\n"
            "# TYPE alpha_total counter\n"
            "alpha_total{kind=\"a\"} 1\n"
            "alpha_total{kind=\"x\\\"y\"} 3\n"
            "# HELP mid_seconds Latency.\n"
            "# TYPE mid_seconds histogram\n"
            "mid_seconds_bucket{le=\"0.1\"} 1\n"
            "mid_seconds_bucket{le=\"1\"} 2\n"
            "mid_seconds_bucket{le=\"+Inf\"} 3\n"
            "mid_seconds_sum 7.55\n"
            "mid_seconds_count 3\n"
            "# HELP zeta_items Items.\n"
            "# TYPE zeta_items gauge\n"
            "zeta_items 2.5\n");
}

TEST(RegistryTest, RedeclaringTheSameFamilyReturnsIt) {
  Registry r;
  auto& a = r.AddCounter("x_total", "X.", {"l"});
  auto& b = r.AddCounter("x_total", "X.", {"l"});
  EXPECT_EQ(&a, &b);
}

TEST(RegistryDeathTest, ConflictingDeclarationAborts) {
  Registry r;
  r.AddCounter("x_total", "X.", {"l"});
  EXPECT_DEATH(r.AddGauge("x_total", "X.", {"l"}), "declared twice");
  EXPECT_DEATH(r.AddGauge("bad-name", "X.", {}), "invalid metric name");
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
            "wait_seconds_bucket{le=\"1\"} 1\n"
            "wait_seconds_bucket{le=\"+Inf\"} 2\n"
            "wait_seconds_sum 2.5\n"
            "wait_seconds_count 2\n");
  // The same family, declared with or without the trailing +Inf.
  EXPECT_EQ(&r.AddHistogram("wait_seconds", "W.", {}, {1}),
            &r.AddHistogram("wait_seconds", "W.", {}, {1, inf}));
}

TEST(RegistryTest, BoundaryValueIsInItsBucketAndNaNOnlyInInf) {
  Registry r;
  Histogram& h = r.AddHistogram("size_bytes", "S.", {}, {1, 2}).WithLabels({});
  h.Observe(1);  // le is inclusive.
  h.Observe(std::nan(""));
  EXPECT_EQ(h.Collect().cumulative, (std::vector<uint64_t>{1, 1, 2}));
  EXPECT_THAT(r.Serialize(), HasSubstr("size_bytes_sum NaN\n"));
}

TEST(RegistryDeathTest, NameCollidingWithHistogramSeriesAborts) {
  Registry r;
  r.AddHistogram("rpc_seconds", "R.", {}, {1});
  EXPECT_DEATH(r.AddGauge("rpc_seconds_count", "C.", {}), "collides with histogram rpc_seconds");
  r.AddCounter("queue_sum", "Q.", {});
  EXPECT_DEATH(r.AddHistogram("queue", "Q.", {}, {1}), "collides with metric queue_sum");
  EXPECT_DEATH(r.AddHistogram("nan_seconds", "N.", {}, {std::nan("")}), "must not be NaN");
  EXPECT_DEATH(r.AddHistogram("down_seconds", "D.", {}, {2, 1}), "strictly increasing");
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
        {"pool_connections",
         "Connections by state.",
         MetricType::kGauge,
         {"state"},
         {{{"idle"}, 2}, {{"busy"}, 3}, {{"too", "many"}, 9}}}};
  });
  EXPECT_EQ(r.Serialize(),
            "# HELP lat_seconds L.\n"
            "# TYPE lat_seconds histogram\n"
            "# HELP pool_connections Connections by state.\n"
            "# TYPE pool_connections gauge\n"
            "pool_connections{state=\"busy\"} 3\n"
            "pool_connections{state=\"idle\"} 2\n"
            "# HELP static_items Static.\n"
            "# TYPE static_items gauge\n"
            "static_items 1\n");
}

TEST(RegistryTest, ConcurrentIncrementsAreExact) {
  Registry r;
  Counter& c = r.AddCounter("hits_total", "Hits.", {}).WithLabels({});
  Histogram& h = r.AddHistogram("lat_seconds", "L.", {}, DefaultBuckets()).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Inc();
        h.Observe(0.01);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 80000);
  EXPECT_EQ(h.Collect().cumulative.back(), 80000u);
}

TEST(RegistryTest, CollectorsAreEvaluatedAtScrapeTime) {
  Registry r;
  int calls = 0;
  r.AddCollector([&] {
    ++calls;
    return std::vector<CollectedFamily>{
        {"pool_in_use", "In use.", MetricType::kGauge, {"pool"}, {{{"main"}, 3}}}};
  });
  EXPECT_THAT(r.Serialize(), HasSubstr("pool_in_use{pool=\"main\"} 3\n"));
  EXPECT_EQ(calls, 1);
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
