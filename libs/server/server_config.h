// Settings every gRPC service process shares, read once in main() (see libs/config).
#ifndef GONGKAI_LIBS_SERVER_SERVER_CONFIG_H_
#define GONGKAI_LIBS_SERVER_SERVER_CONFIG_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/config/config.h"

namespace gongkai::server {

struct ServerConfig {
  // gRPC listening address; port 0 lets the kernel choose (tests).
  std::string grpc_address = "0.0.0.0:50051";
  // Prometheus /metrics HTTP address, a separate port.
  std::string metrics_address = "0.0.0.0:9101";
  int max_receive_message_bytes = 4 * 1024 * 1024;
  int max_send_message_bytes = 16 * 1024 * 1024;
  // Server-initiated keepalive pings, so dead peers behind NAT are noticed.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Clients may ping at most this often without a call in flight.
  absl::Duration min_client_ping_interval = absl::Seconds(10);
  // How long in-flight calls get to finish after SIGTERM before they are cancelled.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // After SIGTERM (health already NOT_SERVING), calls keep being served until none is
  // running and none has started for a moment, at most this long; only then does the
  // server stop taking calls. gRPC cancels a call it has received but not yet handed to a
  // handler thread when it shuts down, so without the drain a client that sent a call
  // just before the SIGTERM could get CANCELLED (issue 15, SIGTERM under load).
  absl::Duration shutdown_drain = absl::Seconds(2);
  // Worker threads for the synchronous server (0: gRPC's default).
  int max_polling_threads = 0;
  std::string log_level = "info";
};

// Reads GONGKAI_GRPC_ADDRESS, GONGKAI_METRICS_ADDRESS, GONGKAI_MAX_RECEIVE_MESSAGE_BYTES,
// GONGKAI_KEEPALIVE_TIME, GONGKAI_SHUTDOWN_GRACE, GONGKAI_LOG_LEVEL, ... (or flags).
ServerConfig ReadServerConfig(config::ConfigReader& reader, absl::string_view default_grpc_address,
                              absl::string_view default_metrics_address);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_SERVER_CONFIG_H_
