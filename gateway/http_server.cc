#include "gateway/http_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
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
#include "boost/asio/steady_timer.hpp"
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

// A connection's response buffer larger than this is freed once its response is sent.
constexpr size_t kKeptResponseBufferBytes = 64 * 1024;

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
  // Set by Shutdown before the I/O threads stop: from then on a late response is not
  // written (its connection is being closed) and no read is started on the stopped
  // context. `direct_sends` counts responses being written outside the I/O threads, so
  // Shutdown can wait for them before it stops the context.
  std::atomic<bool> stopped{false};
  std::atomic<int> direct_sends{0};
  // Responses given to Session::Send and not yet written (or given up on). A response
  // leaves in_flight before it is written; Shutdown's grace waits for these too, so a
  // call answered just before the connections are closed is not dropped unwritten.
  std::atomic<int> unwritten_responses{0};

  absl::Mutex mu;
  std::vector<std::weak_ptr<Session>> sessions ABSL_GUARDED_BY(mu);
};

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
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
      : state_(std::move(state)), socket_(std::move(socket)) {
    beast::error_code ec;
    tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (!ec) {
      peer_ = peer.address().is_v6()
                  ? absl::StrCat("[", peer.address().to_string(), "]:", peer.port())
                  : absl::StrCat(peer.address().to_string(), ":", peer.port());
    }
    socket_.set_option(tcp::no_delay(true), ec);
    // Responses are sent with a non-blocking send() from whichever thread has them
    // (Send); what the socket cannot take at once goes through the reactor.
    socket_.native_non_blocking(true, ec);
  }
  ~Session() { state_->connections.fetch_sub(1, std::memory_order_relaxed); }

  void Start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  void Close() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      // Not while a response is being sent from another thread (Send).
      std::lock_guard<std::mutex> lock(self->socket_mu_);
      self->closed_ = true;
      beast::error_code ec;
      self->socket_.shutdown(tcp::socket::shutdown_both, ec);
      self->socket_.close(ec);
    });
  }

  // Closes the connection if it has waited for its peer (a request to arrive, or a
  // response to be taken) past its deadline. Called by the server's sweeper.
  void CloseIfOverdue(int64_t now_ns) {
    int64_t deadline = deadline_ns_.load(std::memory_order_relaxed);
    if (deadline == 0 || now_ns < deadline) return;
    if (deadline_ns_.compare_exchange_strong(deadline, 0)) Close();
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->config.max_header_bytes));
    parser_->body_limit(state_->config.max_body_bytes);
    // The whole request (head, body, a 100-continue between them) must arrive within
    // request_timeout of the connection starting to wait for it (here, or in
    // AfterResponse); an idle keep-alive connection is closed after as long.
    if (deadline_ns_.load(std::memory_order_relaxed) == 0) WaitForPeer();
    http::async_read_header(
        socket_, buffer_, *parser_,
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
      return Send(std::move(busy), /*close_after=*/true);
    }
    admitted_ = true;
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      // A request the handler refuses from its head alone (no route, no principal, not
      // JSON) is answered now: its body is never sent, so it is not read either.
      const bool refused = state_->handler->RefuseBeforeBody(
          RequestFrom(head), [self = shared_from_this()](HttpResponse r) {
            self->Send(std::move(r), /*close_after=*/true);
          });
      if (refused) return;
      // The body limit was checked against Content-Length while the head was parsed.
      auto continue_response =
          std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(
          socket_, *continue_response,
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
        socket_, buffer_, *parser_,
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
    StopWaiting();
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == net::error::bad_descriptor) {
      // The peer left, was too slow (the sweeper closed the socket) or we shut down.
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
    StopWaiting();
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    HttpRequest request = RequestFrom(message);
    request.body = std::move(message.body());

    // `respond` writes from the thread that calls it (for a forwarded call, the backend
    // completion's): nothing else touches this connection until its response is sent,
    // as no read or timer is pending on it (the sweeper only closes connections that
    // wait for their peer, and Close takes socket_mu_ as Send does).
    // Handing the response to an I/O thread instead cost a thread wake-up per request
    // (docs/adr/0029).
    state_->handler->Handle(std::move(request), [self = shared_from_this()](HttpResponse r) {
      self->Send(std::move(r), /*close_after=*/false);
    });
  }

  // Answers a request the server cannot hand to the handler, then closes: after a
  // framing error the rest of the stream cannot be trusted.
  void Refuse(int status, std::string message) {
    state_->handler->OnServerRefusal(PartialRequest(), status);
    Send(ErrorResponse(status, RefusalStatus(status, std::move(message))), /*close_after=*/true);
  }

  // Writes the response, then reads the next request (keep-alive) or ends the
  // connection. Called by whichever thread has the response — an I/O thread or a
  // backend completion's — while nothing else uses the connection. The bytes go out
  // with one non-blocking send() on that thread; only what the socket cannot take at
  // once (a slow reader) is left to the reactor.
  void Send(HttpResponse r, bool close_after) {
    // Counted as unwritten before the slot is given back: Shutdown always sees one of them.
    state_->unwritten_responses.fetch_add(1);
    // The slot is given back as the response leaves the handler, before it is written,
    // so a client that has its answer finds the slot free.
    ReleaseAdmission();
    // Registered before `stopped` is read, so Shutdown either sees this send or this
    // send sees `stopped` (both sequentially consistent).
    state_->direct_sends.fetch_add(1);
    struct Unregister {
      ServerState* state;
      bool written_later = false;  // Handed to async_write, which counts it down.
      ~Unregister() {
        if (!written_later) state->unwritten_responses.fetch_sub(1);
        state->direct_sends.fetch_sub(1);
      }
    } unregister{state_.get()};
    if (state_->stopped.load()) return;  // The connection is closed with the session.
    // While draining, each connection ends after its current response.
    const bool keep_alive = keep_alive_ && !close_after && !state_->draining.load();
    SerializeResponse(r, keep_alive, &out_);
    std::lock_guard<std::mutex> lock(socket_mu_);
    if (closed_) return;
    size_t sent = 0;
    int error = 0;
    while (sent < out_.size()) {
      const ssize_t n =
          ::send(socket_.native_handle(), out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        error = n < 0 ? errno : EPIPE;
        break;
      }
    }
    if (sent == out_.size()) return AfterResponse(keep_alive);
    if (error != EAGAIN && error != EWOULDBLOCK) {
      // The peer is gone; the session ends with its last reference.
      beast::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    WaitForPeer();  // A reader that takes nothing for request_timeout is cut off.
    unregister.written_later = true;
    net::async_write(socket_, net::buffer(out_.data() + sent, out_.size() - sent),
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       self->state_->unwritten_responses.fetch_sub(1);
                       self->StopWaiting();
                       if (ec) return;
                       self->AfterResponse(keep_alive);
                     });
  }

  void AfterResponse(bool keep_alive) {
    // The buffer's capacity is kept for the next response on this connection, but not
    // a large one's: one 16 MiB answer would otherwise stay allocated for as long as the
    // client keeps the connection idle.
    if (out_.capacity() > kKeptResponseBufferBytes) std::string().swap(out_);
    if (!keep_alive) {
      beast::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    if (buffer_.size() > 0) return ReadHeader();  // A pipelined request is already here.
    // The client sends its next request only after reading this response, so a read
    // now would find nothing (one wasted recv per request): wait until the socket is
    // readable, then read.
    WaitForPeer();
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->OnReadError(ec);
      self->ReadHeader();
    });
  }

  // HTTP/1.1 status line, headers and body of `r` into `out` (its capacity is kept from
  // one response to the next on this connection, up to kKeptResponseBufferBytes).
  void SerializeResponse(const HttpResponse& r, bool keep_alive, std::string* out) const {
    out->clear();
    const bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
    const beast::string_view reason = http::obsolete_reason(static_cast<http::status>(r.status));
    absl::StrAppend(out, "HTTP/1.1 ", r.status, " ",
                    absl::string_view(reason.data(), reason.size()), "\r\n");
    if (!r.content_type.empty()) AppendHeader("Content-Type", r.content_type, out);
    for (const auto& [name, value] : r.headers) AppendHeader(name, value, out);
    if (!keep_alive) out->append("Connection: close\r\n");
    // HEAD: the headers a GET would get, Content-Length included, and no body.
    if (!no_body) absl::StrAppend(out, "Content-Length: ", r.body.size(), "\r\n");
    out->append("\r\n");
    if (!no_body && !head_request_) out->append(r.body);
  }

  // A header line; one whose name or value could end the line early (a bug upstream,
  // never a request's own bytes) is left out rather than allowed to split the response.
  static void AppendHeader(absl::string_view name, absl::string_view value, std::string* out) {
    if (name.find_first_of("\r\n:") != absl::string_view::npos ||
        value.find_first_of("\r\n") != absl::string_view::npos) {
      return;
    }
    absl::StrAppend(out, name, ": ", value, "\r\n");
  }

  void WaitForPeer() {
    deadline_ns_.store(SteadyNowNs() + absl::ToInt64Nanoseconds(state_->config.request_timeout),
                       std::memory_order_relaxed);
  }
  void StopWaiting() { deadline_ns_.store(0, std::memory_order_relaxed); }

  // Declared before the socket so it is destroyed after it: a session whose last
  // reference goes on a backend's completion thread may hold the last reference to the
  // state, and the socket deregisters from the state's io_context as it is destroyed.
  std::shared_ptr<ServerState> state_;
  tcp::socket socket_;
  // While the connection waits for its peer: when the sweeper closes it (steady clock,
  // ns); 0 otherwise. One clock read per request instead of a timer per operation: an
  // Asio timer armed and cancelled around every read cost a thread wake-up each (the
  // cancelled wait's handler is posted to an I/O thread).
  std::atomic<int64_t> deadline_ns_{0};
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string peer_;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool admitted_ = false;  // Counted in in_flight until its response leaves the handler.
  std::string out_;        // The response being sent.
  // Held while a response is sent (from any thread) and while Close closes the socket.
  std::mutex socket_mu_;
  bool closed_ = false;  // By Close; guarded by socket_mu_.
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
        sweeper_(acceptor_.get_executor()),
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
    Sweep();
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
    while ((state_->in_flight.load() > 0 || state_->unwritten_responses.load() > 0) &&
           absl::Now() < deadline) {
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
    // No response written or read started from another thread from here on.
    state_->stopped.store(true);
    while (state_->direct_sends.load() > 0) absl::SleepFor(absl::Microseconds(100));
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

  // Every few moments, closes the connections that waited for their peer past their
  // deadline (Session::CloseIfOverdue): the request timeout, to within an eighth of it
  // (at most a second).
  void Sweep() {
    const absl::Duration interval =
        std::clamp(state_->config.request_timeout / 8, absl::Milliseconds(10), absl::Seconds(1));
    sweeper_.expires_after(std::chrono::nanoseconds(absl::ToInt64Nanoseconds(interval)));
    sweeper_.async_wait([this](beast::error_code ec) {
      // Until the I/O threads stop: during the shutdown grace, idle and slow peers are
      // still cut off at their deadline.
      if (ec || state_->stopped.load()) return;
      const int64_t now = SteadyNowNs();
      {
        absl::MutexLock lock(&state_->mu);
        for (const std::weak_ptr<Session>& weak : state_->sessions) {
          if (std::shared_ptr<Session> session = weak.lock()) session->CloseIfOverdue(now);
        }
      }
      Sweep();
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
  net::steady_timer sweeper_;  // On the acceptor's strand.
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
