// The GONGKAI_OUTBOX_* settings (outbox_config.h).
#include "libs/outbox/outbox_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gongkai::outbox {
namespace {

using ::testing::HasSubstr;

config::ConfigReader Reader(std::map<std::string, std::string> env) {
  return config::ConfigReader(config::ConfigSource::FromMaps({}, std::move(env)));
}

TEST(ReadRelaySettingsTest, DefaultsAreTheRelayOptionsDefaults) {
  config::ConfigReader reader = Reader({});
  RelayOptions options;
  ReadRelaySettings(reader, &options);
  ASSERT_TRUE(reader.Finish().ok()) << reader.Finish();
  const RelayOptions defaults;
  EXPECT_EQ(options.lease, defaults.lease);
  EXPECT_EQ(options.poll_interval, defaults.poll_interval);
  EXPECT_EQ(options.claim_spacing, defaults.claim_spacing);
  EXPECT_EQ(options.batch_size, defaults.batch_size);
  EXPECT_EQ(options.delivery_threads, defaults.delivery_threads);
  EXPECT_EQ(options.backoff.max, defaults.backoff.max);
  EXPECT_EQ(options.backoff.initial, defaults.backoff.initial);
  EXPECT_EQ(options.retention, defaults.retention);
}

TEST(ReadRelaySettingsTest, ReadsEveryKeyFromTheEnvironment) {
  config::ConfigReader reader = Reader({{"GONGKAI_OUTBOX_LEASE", "45s"},
                                        {"GONGKAI_OUTBOX_POLL_INTERVAL", "250ms"},
                                        {"GONGKAI_OUTBOX_CLAIM_SPACING", "20ms"},
                                        {"GONGKAI_OUTBOX_BATCH_SIZE", "64"},
                                        {"GONGKAI_OUTBOX_DELIVERY_THREADS", "8"},
                                        {"GONGKAI_OUTBOX_MAX_BACKOFF", "5m"},
                                        {"GONGKAI_OUTBOX_RETENTION", "48h"}});
  RelayOptions options;
  ReadRelaySettings(reader, &options);
  ASSERT_TRUE(reader.Finish().ok()) << reader.Finish();
  EXPECT_EQ(options.lease, absl::Seconds(45));
  EXPECT_EQ(options.poll_interval, absl::Milliseconds(250));
  EXPECT_EQ(options.claim_spacing, absl::Milliseconds(20));
  EXPECT_EQ(options.batch_size, 64);
  EXPECT_EQ(options.delivery_threads, 8);
  EXPECT_EQ(options.backoff.max, absl::Minutes(5));
  EXPECT_EQ(options.retention, absl::Hours(48));
}

TEST(ReadRelaySettingsTest, ALeaseNotLongerThanThePollIsRefused) {
  config::ConfigReader reader =
      Reader({{"GONGKAI_OUTBOX_LEASE", "5s"}, {"GONGKAI_OUTBOX_POLL_INTERVAL", "30s"}});
  RelayOptions options;
  ReadRelaySettings(reader, &options);
  absl::Status status = reader.Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("GONGKAI_OUTBOX_LEASE"));
}

TEST(ReadRelaySettingsTest, AClaimSpacingNotShorterThanThePollIsRefused) {
  config::ConfigReader reader = Reader(
      {{"GONGKAI_OUTBOX_CLAIM_SPACING", "200ms"}, {"GONGKAI_OUTBOX_POLL_INTERVAL", "200ms"}});
  RelayOptions options;
  ReadRelaySettings(reader, &options);
  absl::Status status = reader.Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("GONGKAI_OUTBOX_CLAIM_SPACING"));
}

TEST(ReadRelaySettingsTest, OutOfRangeValuesAreRefused) {
  config::ConfigReader reader = Reader({{"GONGKAI_OUTBOX_DELIVERY_THREADS", "0"}});
  RelayOptions options;
  ReadRelaySettings(reader, &options);
  EXPECT_FALSE(reader.Finish().ok());
}

}  // namespace
}  // namespace gongkai::outbox
