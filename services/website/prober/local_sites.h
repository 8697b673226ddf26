// Test-only: websites served on loopback by the test process itself (cpp-httplib), so
// the prober's tests and benchmarks never touch the internet. A site has pages (with a
// status and an optional delay), redirects and an optional robots.txt; a TLS site uses
// a self-signed certificate made with the openssl tool (a bad certificate for the
// prober, which verifies peers).
//
//   LocalSite site;
//   site.Page("/", "<p>2026-12-01</p><a href='/dead'>x</a>");
//   site.Redirect("/old", "/");
//   ASSERT_TRUE(site.Start().ok());
//   std::string url = site.Url("/");   // http://127.0.0.1:<port>/
//
// Thread-safe after Start(); pages are set before it.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_LOCAL_SITES_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_LOCAL_SITES_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace gongkai::website::prober::testing {

struct LocalPage {
  std::string body;
  int status = 200;
  absl::Duration delay;
  std::string redirect_to;  // Non-empty: a 302 to this path.
};

class LocalSite {
 public:
  LocalSite();
  ~LocalSite();

  void Page(const std::string& path, std::string body, int status = 200,
            absl::Duration delay = absl::ZeroDuration());
  void Redirect(const std::string& from, const std::string& to);
  void Robots(std::string body) { Page("/robots.txt", std::move(body)); }

  // Serves plain HTTP on 127.0.0.1 with a free port.
  absl::Status Start();
  // Serves HTTPS with a fresh self-signed certificate for 127.0.0.1, written under `dir`
  // as local-site-cert.pem: untrusted unless a client is given it as its CA file.
  absl::Status StartTls(const std::string& dir);
  void Stop();

  std::string Url(const std::string& path) const;
  int port() const { return port_; }
  // Requests served (all paths), e.g. to check politeness or robots caching.
  int requests() const { return requests_.load(); }
  int RequestsFor(const std::string& path) const;
  std::string last_user_agent() const;

 private:
  absl::Status Serve(std::unique_ptr<httplib::Server> server, bool tls);

  std::map<std::string, LocalPage> pages_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::string last_user_agent_;
  mutable std::map<std::string, std::unique_ptr<std::atomic<int>>> per_path_;
};

}  // namespace gongkai::website::prober::testing

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_LOCAL_SITES_H_
