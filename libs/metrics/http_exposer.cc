#include "libs/metrics/http_exposer.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/exposer.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gongkai::metrics {
namespace {

// mg_check_feature() bit of civetweb's IPv6 support.
constexpr unsigned kCivetwebIpv6 = 8;
// Worker threads: each one serves one connection at a time; a scrape takes milliseconds.
constexpr const char* kThreads = "2";
// A client that stalls mid-request frees its thread after this long.
constexpr const char* kRequestTimeoutMs = "5000";

// civetweb's begin_request callback: answers GET /healthz and leaves every other request
// (0) to the handlers, /metrics being prometheus-cpp's.
int ServeHealthz(mg_connection* connection) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (request == nullptr || request->local_uri == nullptr ||
      std::strcmp(request->local_uri, "/healthz") != 0 ||
      std::strcmp(request->request_method, "GET") != 0) {
    return 0;
  }
  static constexpr char kBody[] = "ok\n";
  mg_send_http_ok(connection, "text/plain; charset=utf-8", sizeof(kBody) - 1);
  mg_write(connection, kBody, sizeof(kBody) - 1);
  return 200;
}

// civetweb's listening_ports syntax also takes lists, "s"/"r" suffixes and a bare
// port: only "host:port" gets through.
absl::Status CheckAddress(absl::string_view address) {
  const size_t colon = address.rfind(':');
  int port = -1;
  const absl::string_view host = colon == absl::string_view::npos ? "" : address.substr(0, colon);
  const absl::string_view digits =
      colon == absl::string_view::npos ? "" : address.substr(colon + 1);
  if (host.empty() || digits.empty() ||
      !std::all_of(digits.begin(), digits.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }) ||
      !absl::SimpleAtoi(digits, &port) || port > 65535 ||
      std::any_of(host.begin(), host.end(), [](char c) {
        return c == ',' || absl::ascii_isspace(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address \"", address, "\" must be host:port"));
  }
  if (absl::StartsWith(host, "[") && mg_check_feature(kCivetwebIpv6) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address \"", address,
                     "\": IPv6 is not supported (Debian's civetweb is built without it); use "
                     "an IPv4 address such as 0.0.0.0"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    absl::string_view address, const Registry* registry) {
  if (absl::Status valid = CheckAddress(address); !valid.ok()) return valid;
  static const CivetCallbacks callbacks = [] {
    CivetCallbacks c;
    c.begin_request = ServeHealthz;
    return c;
  }();
  auto server = std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer());
  try {
    server->exposer_ = std::make_unique<prometheus::Exposer>(
        std::vector<std::string>{"listening_ports", std::string(address), "num_threads", kThreads,
                                 "request_timeout_ms", kRequestTimeoutMs},
        &callbacks);
  } catch (const std::exception& e) {  // civetweb could not bind (CivetException).
    return absl::UnavailableError(
        absl::StrCat("cannot bind the metrics port ", address, ": ", e.what()));
  }
  server->exposer_->RegisterCollectable(registry->AsCollectable());
  const std::vector<int> ports = server->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot bind the metrics port ", address));
  }
  server->port_ = ports.front();
  return server;
}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

void MetricsHttpServer::Stop() { exposer_.reset(); }

}  // namespace gongkai::metrics
