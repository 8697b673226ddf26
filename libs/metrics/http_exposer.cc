#include "libs/metrics/http_exposer.h"

#include <httplib.h>

#include <chrono>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gongkai::metrics {

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    absl::string_view address, const Registry* registry) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address \"", address, "\" must be host:port"));
  }
  std::string host(address.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {  // "[::]:9101"
    host = host.substr(1, host.size() - 2);
  }
  auto exposer = std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer());
  exposer->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *exposer->server_;
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second process
  // share the port silently; a metrics port belongs to one process.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof(yes));
  });
  server.set_keep_alive_max_count(100);
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry->Serialize(), std::string(kTextContentType).c_str());
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain; charset=utf-8");
  });
  if (port == 0) {
    port = server.bind_to_any_port(host);
    if (port < 0) {
      return absl::UnavailableError(absl::StrCat("cannot bind the metrics port on ", host));
    }
  } else if (!server.bind_to_port(host, port)) {
    return absl::UnavailableError(absl::StrCat("cannot bind the metrics port ", address));
  }
  exposer->port_ = port;
  std::atomic<bool>& listener_done = exposer->listener_done_;
  exposer->thread_ = std::thread([&server, &listener_done] {
    server.listen_after_bind();
    listener_done = true;
  });
  // httplib's stop() does nothing until the listener is running, so a Stop() right after
  // Start() would leave the thread blocked in accept() and the join hanging.
  while (!server.is_running() && !listener_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return exposer;
}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

void MetricsHttpServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace gongkai::metrics
