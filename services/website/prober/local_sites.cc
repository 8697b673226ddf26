#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT  // The TLS site (a bad certificate for the prober).
#endif
#include "services/website/prober/local_sites.h"

#include <httplib.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace gongkai::website::prober::testing {

LocalSite::LocalSite() = default;
LocalSite::~LocalSite() { Stop(); }

void LocalSite::Page(const std::string& path, std::string body, int status, absl::Duration delay) {
  pages_[path] = LocalPage{std::move(body), status, delay, ""};
}

void LocalSite::Redirect(const std::string& from, const std::string& to) {
  pages_[from] = LocalPage{"", 302, absl::ZeroDuration(), to};
}

absl::Status LocalSite::Serve(std::unique_ptr<httplib::Server> server, bool tls) {
  for (const auto& [path, page] : pages_) {
    per_path_[path] = std::make_unique<std::atomic<int>>(0);
  }
  server->Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
    ++requests_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_user_agent_ = request.get_header_value("User-Agent");
    }
    auto counter = per_path_.find(request.path);
    if (counter != per_path_.end()) ++*counter->second;
    auto it = pages_.find(request.path);
    if (it == pages_.end()) {
      response.status = 404;
      response.set_content("<h1>404</h1>", "text/html");
      return;
    }
    const LocalPage& page = it->second;
    if (page.delay > absl::ZeroDuration()) absl::SleepFor(page.delay);
    if (!page.redirect_to.empty()) {
      response.set_redirect(page.redirect_to, page.status);
      return;
    }
    response.status = page.status;
    response.set_content(page.body,
                         request.path == "/robots.txt" ? "text/plain" : "text/html; charset=utf-8");
  });
  port_ = server->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) return absl::UnavailableError("cannot bind a loopback port");
  tls_ = tls;
  server_ = std::move(server);
  httplib::Server* raw = server_.get();
  // Keep-alive connections the client's cache holds would delay Stop() by the default 5 s.
  raw->set_keep_alive_timeout(1);
  thread_ = std::thread([raw] { raw->listen_after_bind(); });
  // stop() before the loop runs would be lost (the loop would then never end).
  for (int i = 0; i < 500 && !raw->is_running(); ++i) absl::SleepFor(absl::Milliseconds(2));
  return absl::OkStatus();
}

absl::Status LocalSite::Start() { return Serve(std::make_unique<httplib::Server>(), false); }

absl::Status LocalSite::StartTls(const std::string& dir) {
  const std::string cert = dir + "/local-site-cert.pem";
  const std::string key = dir + "/local-site-key.pem";
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 ",
      "-addext subjectAltName=IP:127.0.0.1 -keyout ", key, " -out ", cert, " >/dev/null 2>&1");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError("openssl could not make a self-signed certificate");
  }
  auto server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  if (!server->is_valid()) return absl::InternalError("the TLS server did not start");
  return Serve(std::move(server), true);
}

void LocalSite::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

std::string LocalSite::Url(const std::string& path) const {
  return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", port_, path);
}

int LocalSite::RequestsFor(const std::string& path) const {
  auto it = per_path_.find(path);
  return it == per_path_.end() ? 0 : it->second->load();
}

}  // namespace gongkai::website::prober::testing

namespace gongkai::website::prober::testing {
std::string LocalSite::last_user_agent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_user_agent_;
}
}  // namespace gongkai::website::prober::testing
