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
  // The synchronous server's handler threads (gRPC's ThreadManager; issue 14 P3). gRPC
  // keeps threads waiting for calls ("polling"); the one that takes a call runs its
  // handler, and if that leaves fewer than min_polling_threads waiting it starts a new
  // thread first. A thread that finishes a call waits for the next one, unless
  // max_polling_threads threads already wait: then it ends. gRPC's defaults (1 and 2)
  // make a service whose calls block on the database start and end a thread for about
  // every second call: with 8 creates in flight the catalog started 0.47 threads per
  // CreateDocument (0.07 per cached GetDocument), about a quarter of its CPU per create
  // (docs/performance.md, "Issue 14 P3"). Threads are started by calls only, so the idle
  // process keeps its one; after a burst up to max_polling_threads stay, about 60 KiB
  // resident each. 16 = the database pool's default size and the bench's read
  // concurrency.
  int min_polling_threads = 1;
  int max_polling_threads = 16;
  // Most handler threads, running or waiting, at once: gRPC's thread quota
  // (grpc::ResourceQuota::SetMaxThreads). When all but one of them run handlers, the
  // next call is answered RESOURCE_EXHAUSTED ("Server Threadpool Exhausted") at once
  // instead of getting a thread of its own without end (a flood of slow calls would
  // otherwise grow the process to its memory limit). gRPC answers it before the
  // interceptors: it is in neither the access log nor the call metrics. At least
  // max_polling_threads.
  int max_handler_threads = 256;
  std::string log_level = "info";
};

// Reads GONGKAI_GRPC_ADDRESS, GONGKAI_METRICS_ADDRESS, GONGKAI_MAX_RECEIVE_MESSAGE_BYTES,
// GONGKAI_KEEPALIVE_TIME, GONGKAI_SHUTDOWN_GRACE, GONGKAI_MIN_POLLING_THREADS,
// GONGKAI_MAX_POLLING_THREADS, GONGKAI_MAX_HANDLER_THREADS, GONGKAI_LOG_LEVEL, ... (or
// flags); problems are added to `reader` (range and cross-field checks).
ServerConfig ReadServerConfig(config::ConfigReader& reader, absl::string_view default_grpc_address,
                              absl::string_view default_metrics_address);

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_SERVER_CONFIG_H_
