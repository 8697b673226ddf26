#include "tests/resilience/own_mariadb.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

#ifndef GONGKAI_MARIADB_INSTANCE_SCRIPT
#error "GONGKAI_MARIADB_INSTANCE_SCRIPT must be defined by the build"
#endif

namespace gongkai::resilience {
namespace {

std::string RandomHex(int bytes) {
  absl::BitGen gen;
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppend(&out, absl::Hex(absl::Uniform<uint8_t>(gen), absl::kZeroPad2));
  }
  return out;
}

std::string Tail(const std::string& file, size_t lines_wanted = 30) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const size_t from = lines.size() > lines_wanted ? lines.size() - lines_wanted : 0;
  return absl::StrJoin(lines.begin() + static_cast<long>(from), lines.end(), "\n");
}

bool PortAcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return connected;
}

// Gone or a zombie (the server is not this process's child; whoever adopted it reaps it).
bool ProcessGone(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string content;
  std::getline(stat, content);
  const size_t paren = content.rfind(')');
  return paren != std::string::npos && paren + 2 < content.size() && content[paren + 2] == 'Z';
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

absl::StatusOr<std::unique_ptr<OwnMariaDb>> OwnMariaDb::Start(bool durable) {
  std::unique_ptr<OwnMariaDb> db(new OwnMariaDb());
  db->durable_ = durable;
  char tmpl[] = "/tmp/gongkai-resilience-db-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  db->dir_ = tmpl;
  db->port_ = FreeLoopbackPort();
  if (db->port_ == 0) return absl::UnavailableError("no free port for MariaDB");
  db->admin_password_ = RandomHex(16);
  if (absl::Status started = db->Restart(); !started.ok()) return started;
  if (absl::Status admin =
          db->Script(absl::StrCat("create-admin ", db->admin_user_, " ", db->admin_password_));
      !admin.ok()) {
    return admin;
  }
  return db;
}

OwnMariaDb::~OwnMariaDb() {
  if (dir_.empty()) return;
  Script("stop").IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void OwnMariaDb::ExportTestEnv() const {
  setenv("GONGKAI_TEST_MYSQL_HOST", "127.0.0.1", 1);
  setenv("GONGKAI_TEST_MYSQL_PORT", absl::StrCat(port_).c_str(), 1);
  setenv("GONGKAI_TEST_MYSQL_USER", admin_user_.c_str(), 1);
  setenv("GONGKAI_TEST_MYSQL_PASSWORD", admin_password_.c_str(), 1);
}

absl::Status OwnMariaDb::Script(const std::string& command_and_args) const {
  const size_t space = command_and_args.find(' ');
  const std::string command = command_and_args.substr(0, space);
  const std::string args = space == std::string::npos ? "" : command_and_args.substr(space);
  const std::string log = dir_ + "/script.log";
  const std::string line = absl::StrCat("bash ", GONGKAI_MARIADB_INSTANCE_SCRIPT, " ", command, " ",
                                        dir_, args, " >>", log, " 2>&1 </dev/null");
  const int rc = std::system(line.c_str());
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("mariadb_instance.sh ", command, " failed (", rc,
                                            "):\n", Tail(log), "\n--- mariadb.log ---\n",
                                            Tail(dir_ + "/mariadb.log")));
  }
  return absl::OkStatus();
}

absl::StatusOr<pid_t> OwnMariaDb::ServerPid() const {
  std::ifstream in(dir_ + "/mariadb.pid");
  std::string text;
  std::getline(in, text);
  int pid = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &pid) || pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat("no pid in ", dir_, "/mariadb.pid"));
  }
  return static_cast<pid_t>(pid);
}

absl::Status OwnMariaDb::Kill() {
  absl::StatusOr<pid_t> pid = ServerPid();
  if (!pid.ok()) return pid.status();
  if (kill(*pid, SIGKILL) != 0) {
    return absl::InternalError(absl::StrCat("kill(", *pid, ", SIGKILL) failed: errno ", errno));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!ProcessGone(*pid) || PortAcceptsConnections(port_)) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("MariaDB pid ", *pid, " did not die"));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  // Stale pid files would make `start` take the dead server for the new one.
  std::error_code ignored;
  std::filesystem::remove(dir_ + "/mariadb.pid", ignored);
  std::filesystem::remove(dir_ + "/mariadbd.launch-pid", ignored);
  return absl::OkStatus();
}

absl::Status OwnMariaDb::Restart() {
  return Script(absl::StrCat("start ", port_, durable_ ? "" : " relaxed"));
}

}  // namespace gongkai::resilience
