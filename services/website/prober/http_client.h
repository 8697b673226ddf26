// Outbound HTTP(S) for the prober: an interface (so the checks can be tested with a
// fake) and its libcurl implementation (libcurl4-openssl-dev from Debian).
//
//   CurlHttpClient client(HttpClientOptions{.connect_timeout = absl::Seconds(5)});
//   HttpResponse r = client.Get("https://www.example.gov.cn/", absl::Seconds(15));
//   if (!r.error.empty()) ...   // "timeout", "tls: ...", "connect: ..."
//
// CurlHttpClient: connection and total timeouts, redirects followed (http/https only, at
// most max_redirects), TLS peer and host verification always on (an optional CA file
// adds trust, never removes checks), the suite's user agent, bodies cut at
// max_body_bytes (the rest is not read), compressed transfer accepted. Each thread
// reuses one easy handle, so connections to a host are kept alive between fetches.
// Thread-safe; curl_global_init runs once per process, on the first Get.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_HTTP_CLIENT_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_HTTP_CLIENT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace gongkai::website::prober {

inline constexpr char kUserAgent[] =
    "gongkai-website-prober/1.0 (government website supervision; gongkai)";
// The product token robots.txt groups are matched against.
inline constexpr char kRobotsToken[] = "gongkai";

struct HttpResponse {
  int status = 0;         // 0 when no response arrived.
  std::string body;       // Possibly cut at max_body_bytes.
  std::string final_url;  // After redirects.
  std::string error;      // Empty on a transfer that completed (any status).
  absl::Duration elapsed;
  bool timed_out = false;
};

struct HttpClientOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  int max_redirects = 5;
  int64_t max_body_bytes = 4 << 20;
  std::string ca_file{};  // Extra trusted CAs (PEM); empty: the system store.
  std::string user_agent = kUserAgent;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GET `url`, the whole transfer within `total_timeout`.
  virtual HttpResponse Get(const std::string& url, absl::Duration total_timeout) = 0;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpClientOptions options);
  HttpResponse Get(const std::string& url, absl::Duration total_timeout) override;

 private:
  HttpClientOptions options_;
};

}  // namespace gongkai::website::prober

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_HTTP_CLIENT_H_
