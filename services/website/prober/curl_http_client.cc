#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/website/prober/http_client.h"

namespace gongkai::website::prober {
namespace {

struct Transfer {
  std::string* body;
  int64_t max_bytes;
  bool truncated = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const int64_t room = transfer->max_bytes - static_cast<int64_t>(transfer->body->size());
  if (room <= 0) {
    transfer->truncated = true;
    return 0;  // Stops the transfer: enough was read.
  }
  transfer->body->append(data, std::min(bytes, static_cast<size_t>(room)));
  return bytes;
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

// One handle per thread: curl keeps its connection cache in the handle.
CURL* ThreadHandle() {
  thread_local std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());
  return handle.get();
}

std::string DescribeError(CURLcode code, const char* detail) {
  absl::string_view kind = "transfer";
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      kind = "timeout";
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
      kind = "dns";
      break;
    case CURLE_COULDNT_CONNECT:
      kind = "connect";
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      kind = "tls";
      break;
    case CURLE_TOO_MANY_REDIRECTS:
      kind = "redirects";
      break;
    default:
      break;
  }
  return absl::StrCat(kind, ": ", detail[0] != '\0' ? detail : curl_easy_strerror(code));
}

}  // namespace

CurlHttpClient::CurlHttpClient(HttpClientOptions options) : options_(std::move(options)) {}

HttpResponse CurlHttpClient::Get(const std::string& url, absl::Duration total_timeout) {
  // On the first fetch, not at start (issue 14, P4): libcurl's global set-up touches
  // 0.3 MiB of libcurl and libssh2 that a replica with nothing to probe never
  // needs (docs/performance.md, "The website's libcurl stack").
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpResponse response;
  CURL* curl = ThreadHandle();
  if (curl == nullptr) {
    response.error = "curl: no handle";
    return response;
  }
  curl_easy_reset(curl);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  Transfer transfer{&response.body, options_.max_body_bytes};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(total_timeout)));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  char* effective = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    response.final_url = effective;
  }
  curl_off_t total_us = 0;
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
  response.elapsed = absl::Microseconds(total_us);
  if (code == CURLE_WRITE_ERROR && transfer.truncated) return response;  // Cut on purpose.
  if (code != CURLE_OK) {
    response.error = DescribeError(code, error_buffer);
    response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
  }
  return response;
}

}  // namespace gongkai::website::prober
