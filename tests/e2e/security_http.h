// Raw HTTP/1.1 over a TCP socket, for tests that must send what no HTTP client library
// would (two Content-Length headers, obs-fold, invalid UTF-8, NUL bytes). Header-only.
//
//   HttpReply reply = SendHttp(port, "GET /v1/units HTTP/1.1\r\nHost: x\r\n"
//                                    "Connection: close\r\n\r\n");
//   EXPECT_EQ(reply.status, 200);
#ifndef GONGKAI_TESTS_E2E_SECURITY_HTTP_H_
#define GONGKAI_TESTS_E2E_SECURITY_HTTP_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gongkai::e2e {

struct HttpReply {
  int status = 0;   // 0: the connection closed (or timed out) without a status line.
  std::string raw;  // Everything the server sent.
};

// Sends `request` as is, reads until the server closes the connection (send
// "Connection: close") or `timeout_seconds` pass, and parses the status line.
inline HttpReply SendHttp(int port, absl::string_view request, int timeout_seconds = 10) {
  HttpReply reply;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval timeout{timeout_seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return reply;
  }
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // The server may answer (413) and close before reading it all.
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buffer[16384];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    reply.raw.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  // "HTTP/1.1 400 Bad Request"
  if (reply.raw.size() >= 12 && absl::StartsWith(reply.raw, "HTTP/1.")) {
    int status = 0;
    if (absl::SimpleAtoi(absl::string_view(reply.raw).substr(9, 3), &status)) reply.status = status;
  }
  return reply;
}

// A path template of a google.api.http rule ("/v1/documents/{id}:submit") with each
// variable ({id}, {name=units/*}) replaced by `value(variable name)`.
inline std::string FillPathTemplate(absl::string_view path_template,
                                    const std::function<int64_t(const std::string&)>& value) {
  std::string path;
  size_t i = 0;
  while (i < path_template.size()) {
    if (path_template[i] != '{') {
      path += path_template[i++];
      continue;
    }
    const size_t close = path_template.find('}', i);
    std::string variable(path_template.substr(i + 1, close - i - 1));
    variable = variable.substr(0, variable.find('='));
    absl::StrAppend(&path, value(variable));
    i = close + 1;
  }
  return path;
}

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_SECURITY_HTTP_H_
