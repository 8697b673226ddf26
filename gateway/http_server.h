// The gateway's HTTP/1.1 server, on Boost.Beast and Asio (docs/adr/0013): a few I/O
// threads serve every connection asynchronously, so keep-alive connections and slow
// clients cost memory, not threads, and a handler may answer later from any thread.
//
//   HttpServerConfig config;
//   config.address = "0.0.0.0:8080";
//   ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> server, HttpServer::Start(config, &handler));
//   ...
//   server->Shutdown(absl::Seconds(10));
//
// Limits, each answered with a google.rpc.Status JSON body before the handler sees
// anything: request head over max_header_bytes → 431; body over max_body_bytes → 413
// (decided from Content-Length before the body is read, also for "Expect:
// 100-continue", whose head the handler may refuse before the body is invited: see
// HttpHandler::RefuseBeforeBody); malformed HTTP → 400; more than max_in_flight requests admitted
// (a request is admitted once its head is read, so bodies held in memory are bounded too) → 503
// with Retry-After. HEAD gets the headers of the response without its body. Shutdown first stops
// keep-alive, so connections end after their current response. A request must arrive completely
// within request_timeout of the connection starting to wait for it (slow clients cannot hold the
// gateway); idle keep-alive connections are closed after the same time. Connections beyond
// max_connections are closed at once.
//
// Thread-safety: Start/Shutdown from one thread; the handler is called concurrently
// from the I/O threads and its `respond` callback may be called from any thread, once.
// `respond` writes the response on the calling thread (one non-blocking send; what a
// slow reader cannot take at once is left to the I/O threads), so it returns quickly
// and a backend's completion thread can answer without waking another (ADR 0029).
// Timeouts are enforced by a sweeper to within an eighth of request_timeout (≤ 1 s).
#ifndef GONGKAI_GATEWAY_HTTP_SERVER_H_
#define GONGKAI_GATEWAY_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/http_types.h"

namespace gongkai::gateway {

struct HttpServerConfig {
  std::string address = "0.0.0.0:8080";  // Port 0: the kernel chooses (tests).
  int io_threads = 1;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  absl::Duration request_timeout = absl::Seconds(15);
  int max_in_flight = 512;
  int max_connections = 10000;
};

class HttpHandler {
 public:
  using Respond = std::function<void(HttpResponse)>;
  virtual ~HttpHandler() = default;
  // Must call `respond` exactly once, from any thread, now or later.
  virtual void Handle(HttpRequest request, Respond respond) = 0;
  // Called when the server answers a request itself, without calling Handle (431, 413,
  // 400 for malformed HTTP, 503 over max_in_flight), for metrics and access logs.
  // `request` has only what was parsed (possibly nothing but the peer).
  virtual void OnServerRefusal(const HttpRequest& request, int status) = 0;
  // For a request that sent "Expect: 100-continue": called with its head (no body yet)
  // before the server invites the body. Returns true after calling `respond` with the
  // final answer — the body is then never read and the connection closes after it —
  // or false (without calling `respond`) to let the body come and Handle run as usual.
  virtual bool RefuseBeforeBody(const HttpRequest& head, Respond respond) {
    (void)head;
    (void)respond;
    return false;
  }
};

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // INVALID_ARGUMENT for a bad address or config; UNAVAILABLE when it cannot bind.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerConfig& config,
                                                           HttpHandler* handler);
  virtual int port() const = 0;
  // Stops accepting, lets requests being handled finish for up to `grace`, then closes
  // every connection and joins the I/O threads. Idempotent.
  virtual void Shutdown(absl::Duration grace) = 0;
  virtual int in_flight() const = 0;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_HTTP_SERVER_H_
