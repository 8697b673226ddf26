#include "libs/server/server_config.h"

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"

namespace gongkai::server {

ServerConfig ReadServerConfig(config::ConfigReader& reader, absl::string_view default_grpc_address,
                              absl::string_view default_metrics_address) {
  ServerConfig c;
  c.grpc_address = reader.Address("grpc_address", default_grpc_address);
  c.metrics_address = reader.Address("metrics_address", default_metrics_address);
  c.max_receive_message_bytes = static_cast<int>(
      reader.Int("max_receive_message_bytes", c.max_receive_message_bytes, 1024, 64 << 20));
  c.max_send_message_bytes = static_cast<int>(
      reader.Int("max_send_message_bytes", c.max_send_message_bytes, 1024, 64 << 20));
  c.keepalive_time =
      reader.Duration("keepalive_time", c.keepalive_time, absl::Seconds(10), absl::Hours(2));
  c.keepalive_timeout =
      reader.Duration("keepalive_timeout", c.keepalive_timeout, absl::Seconds(1), absl::Minutes(5));
  c.shutdown_grace =
      reader.Duration("shutdown_grace", c.shutdown_grace, absl::ZeroDuration(), absl::Minutes(5));
  c.shutdown_drain =
      reader.Duration("shutdown_drain", c.shutdown_drain, absl::ZeroDuration(), absl::Minutes(5));
  c.min_polling_threads =
      static_cast<int>(reader.Int("min_polling_threads", c.min_polling_threads, 1, 1024));
  c.max_polling_threads =
      static_cast<int>(reader.Int("max_polling_threads", c.max_polling_threads, 1, 1024));
  c.max_handler_threads =
      static_cast<int>(reader.Int("max_handler_threads", c.max_handler_threads, 2, 65536));
  if (c.min_polling_threads > c.max_polling_threads) {
    reader.AddError(absl::StrCat(reader.source().Describe("min_polling_threads"), "=",
                                 c.min_polling_threads, " must not exceed ",
                                 reader.source().Describe("max_polling_threads"), "=",
                                 c.max_polling_threads));
  }
  // gRPC aborts at start when the quota cannot hold the minimum, and a quota below the
  // threads kept waiting would make max_polling_threads a promise it cannot keep.
  if (c.max_handler_threads < c.max_polling_threads) {
    reader.AddError(absl::StrCat(reader.source().Describe("max_handler_threads"), "=",
                                 c.max_handler_threads, " must be at least ",
                                 reader.source().Describe("max_polling_threads"), "=",
                                 c.max_polling_threads));
  }
  c.log_level = reader.String("log_level", c.log_level);
  log::Level level;
  if (!log::ParseLevel(c.log_level, &level)) {
    reader.AddError(absl::StrCat(reader.source().Describe("log_level"), "=\"", c.log_level,
                                 "\" must be debug, info, warning or error"));
  }
  return c;
}

}  // namespace gongkai::server
