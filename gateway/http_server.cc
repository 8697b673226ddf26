#include "gateway/http_server.h"

#include <atomic>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gateway/http_errors.h"

namespace gongkai::gateway {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

class Session;

// An io_context whose pending work can be destroyed before the context is. At shutdown the
// handlers still queued or waiting hold their sessions, and sessions hold the ServerState
// that owns this context: without this, the cycle outlives the server (LeakSanitizer).
class ServerIoContext : public net::io_context {
 public:
  using net::io_context::io_context;
  // Destroys every queued handler and pending operation without running it, as
  // ~io_context does first; only once no thread runs the context.
  void DestroyPendingHandlers() { shutdown(); }
};

// Everything sessions share. Owned jointly by the server and every live session, so a
// late `respond` from a backend call never touches a destroyed io_context.
struct ServerState {
  explicit ServerState(const HttpServerConfig& c, HttpHandler* h)
      : config(c), handler(h), ioc(c.io_threads) {}

  const HttpServerConfig config;
  HttpHandler* const handler;
  ServerIoContext ioc;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};

  absl::Mutex mu;
  std::vector<std::weak_ptr<Session>> sessions ABSL_GUARDED_BY(mu);
};

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return std::chrono::nanoseconds(absl::ToInt64Nanoseconds(d));
}

grpc::Status RefusalStatus(int http_status, std::string message) {
  switch (http_status) {
    case 503:
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, std::move(message));
    default:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
  }
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      peer_ = peer.address().is_v6()
                  ? absl::StrCat("[", peer.address().to_string(), "]:", peer.port())
                  : absl::StrCat(peer.address().to_string(), ":", peer.port());
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() { state_->connections.fetch_sub(1, std::memory_order_relaxed); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  void Close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->config.max_header_bytes));
    parser_->body_limit(state_->config.max_body_bytes);
    stream_.expires_after(ToChrono(state_->config.request_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& head = parser_->get();
    head_request_ = head.method() == http::verb::head;
    keep_alive_ = head.keep_alive();
    // Admission before the body is read, so max_in_flight also bounds the memory held
    // by bodies (max_in_flight × max_body_bytes).
    if (state_->in_flight.fetch_add(1, std::memory_order_acq_rel) >= state_->config.max_in_flight) {
      state_->in_flight.fetch_sub(1, std::memory_order_acq_rel);
      HttpResponse busy = ErrorResponse(
          503, RefusalStatus(503, "the gateway is handling too many requests; retry shortly"));
      busy.headers.emplace_back("retry-after", "1");
      HttpRequest partial = PartialRequest();
      state_->handler->OnServerRefusal(partial, 503);
      // The unread body would be taken for the next request: close after answering.
      return Write(std::move(busy), /*close_after=*/true);
    }
    admitted_ = true;
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      // A request the handler refuses from its head alone (no route, no principal, not
      // JSON) is answered now: its body is never sent, so it is not read either.
      const bool refused = state_->handler->RefuseBeforeBody(
          RequestFrom(head), [self = shared_from_this()](HttpResponse r) {
            net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable {
              self->ReleaseAdmission();
              self->Write(std::move(r), /*close_after=*/true);
            });
          });
      if (refused) return;
      // The body limit was checked against Content-Length while the head was parsed.
      auto continue_response =
          std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(
          stream_, *continue_response,
          [self = shared_from_this(), continue_response](beast::error_code ec, std::size_t) {
            if (ec) return self->ReleaseAdmission();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
  }

  // The request's method, target and headers (not its body), from this connection.
  HttpRequest RequestFrom(const http::request<http::string_body>& message) const {
    HttpRequest request;
    request.received = absl::Now();
    request.method = std::string(message.method_string());
    absl::string_view target(message.target().data(), message.target().size());
    const size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != absl::string_view::npos) {
      request.query = std::string(target.substr(question + 1));
    }
    request.headers.reserve(std::distance(message.begin(), message.end()));
    for (const auto& field : message) {
      request.headers.emplace_back(absl::AsciiStrToLower(absl::string_view(
                                       field.name_string().data(), field.name_string().size())),
                                   std::string(field.value().data(), field.value().size()));
    }
    request.peer_address = peer_;
    return request;
  }

  // Gives back the admission of a request that will not reach the handler.
  void ReleaseAdmission() {
    if (!admitted_) return;
    admitted_ = false;
    state_->in_flight.fetch_sub(1, std::memory_order_acq_rel);
  }

  HttpRequest PartialRequest() const {
    HttpRequest partial;
    partial.received = absl::Now();
    partial.peer_address = peer_;
    if (parser_.has_value() && parser_->is_header_done()) {
      partial.method = std::string(parser_->get().method_string());
      partial.path = std::string(parser_->get().target());
    }
    return partial;
  }

  void OnReadError(beast::error_code ec) {
    ReleaseAdmission();
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::bad_descriptor) {
      // The peer left, was too slow (tcp_stream closed the socket) or we shut down.
      return;
    }
    if (ec == http::error::header_limit) {
      return Refuse(
          431, absl::StrCat("request headers exceed ", state_->config.max_header_bytes, " bytes"));
    }
    if (ec == http::error::body_limit) {
      return Refuse(413,
                    absl::StrCat("request body exceeds ", state_->config.max_body_bytes, " bytes"));
    }
    return Refuse(400, absl::StrCat("malformed HTTP request: ", ec.message()));
  }

  void OnBody(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    HttpRequest request = RequestFrom(message);
    request.body = std::move(message.body());

    state_->handler->Handle(std::move(request), [self = shared_from_this()](HttpResponse r) {
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable {
        self->ReleaseAdmission();
        self->Write(std::move(r), /*close_after=*/false);
      });
    });
  }

  // Answers a request the server cannot hand to the handler, then closes: after a
  // framing error the rest of the stream cannot be trusted.
  void Refuse(int status, std::string message) {
    state_->handler->OnServerRefusal(PartialRequest(), status);
    Write(ErrorResponse(status, RefusalStatus(status, std::move(message))), /*close_after=*/true);
  }

  void Write(HttpResponse r, bool close_after) {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(11);
    response->result(static_cast<unsigned>(r.status));
    if (!r.content_type.empty()) response->set(http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) response->insert(name, value);
    // While draining, each connection ends after its current response.
    response->keep_alive(keep_alive_ && !close_after && !state_->draining.load());
    const bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
    if (head_request_) {
      // HEAD: the headers a GET would get, Content-Length included, and no body.
      if (!no_body) response->content_length(r.body.size());
    } else if (!no_body) {
      response->body() = std::move(r.body);
      response->prepare_payload();
    }
    stream_.expires_after(ToChrono(state_->config.request_timeout));
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (!response->keep_alive()) {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->ReadHeader();
                      });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string peer_;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool admitted_ = false;  // Counted in in_flight until its response is written.
};

absl::StatusOr<tcp::endpoint> ParseEndpoint(absl::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("address \"", address, "\" needs host:port"));
  }
  absl::string_view host = address.substr(0, colon);
  int port;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("address \"", address, "\": bad port"));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  net::ip::address ip = net::ip::make_address(std::string(host), ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\": \"", host, "\" is not an IP address"));
  }
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

class BeastHttpServer : public HttpServer {
 public:
  explicit BeastHttpServer(std::shared_ptr<ServerState> state)
      : state_(std::move(state)),
        acceptor_(net::make_strand(state_->ioc)),
        work_(net::make_work_guard(state_->ioc)) {}

  ~BeastHttpServer() override { Shutdown(absl::ZeroDuration()); }

  absl::Status Listen() {
    absl::StatusOr<tcp::endpoint> endpoint = ParseEndpoint(state_->config.address);
    if (!endpoint.ok()) return endpoint.status();
    beast::error_code ec;
    acceptor_.open(endpoint->protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(*endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", state_->config.address, ": ", ec.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < state_->config.io_threads; ++i) {
      threads_.emplace_back([state = state_] { state->ioc.run(); });
    }
    return absl::OkStatus();
  }

  int port() const override { return port_; }
  int in_flight() const override { return state_->in_flight.load(); }

  void Shutdown(absl::Duration grace) override {
    if (stopped_.exchange(true)) return;
    state_->draining.store(true);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    const absl::Time deadline = absl::Now() + grace;
    while (state_->in_flight.load() > 0 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    {
      absl::MutexLock lock(&state_->mu);
      for (const std::weak_ptr<Session>& weak : state_->sessions) {
        if (std::shared_ptr<Session> session = weak.lock()) session->Close();
      }
    }
    work_.reset();
    // Give the closes a moment to run, then stop whatever is left (calls still waiting
    // for a backend after the grace period).
    const absl::Time close_deadline = absl::Now() + absl::Milliseconds(200);
    while (state_->connections.load() > 0 && absl::Now() < close_deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    state_->ioc.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    state_->ioc.DestroyPendingHandlers();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(state_->ioc),
                           [this](beast::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor_.is_open())
                               return;
                             if (!ec) OnAccept(std::move(socket));
                             Accept();
                           });
  }

  void OnAccept(tcp::socket socket) {
    if (state_->connections.fetch_add(1, std::memory_order_relaxed) >=
        state_->config.max_connections) {
      state_->connections.fetch_sub(1, std::memory_order_relaxed);
      beast::error_code ignored;
      socket.close(ignored);
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), state_);
    {
      absl::MutexLock lock(&state_->mu);
      // Forget finished sessions now and then so the list stays as long as the live set.
      if (state_->sessions.size() > 64 &&
          state_->sessions.size() > 2 * static_cast<size_t>(state_->connections.load())) {
        std::vector<std::weak_ptr<Session>> live;
        for (auto& weak : state_->sessions) {
          if (!weak.expired()) live.push_back(std::move(weak));
        }
        state_->sessions.swap(live);
      }
      state_->sessions.push_back(session);
    }
    session->Start();
  }

  std::shared_ptr<ServerState> state_;
  tcp::acceptor acceptor_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
  int port_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerConfig& config,
                                                              HttpHandler* handler) {
  if (config.io_threads < 1 || config.max_in_flight < 1 || config.max_connections < 1 ||
      config.max_header_bytes < 1024 || config.request_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "HTTP server: io_threads, max_in_flight and max_connections must be positive, "
        "max_header_bytes at least 1024 and request_timeout positive");
  }
  auto state = std::make_shared<ServerState>(config, handler);
  auto server = std::make_unique<BeastHttpServer>(state);
  if (absl::Status s = server->Listen(); !s.ok()) return s;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace gongkai::gateway
