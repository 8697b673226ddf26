// A MariaDB server owned by one resilience test process (tests/resilience/), which may
// SIGKILL and restart it: started by mariadb_instance.sh on a free loopback port in a
// temporary directory, with an administrator the e2e harness uses (ExportTestEnv() sets
// GONGKAI_TEST_MYSQL_*, so E2eDatabase and CatalogUnderTest create their databases on
// it and never on the shared instance of `./gongkai test`).
//
//   absl::StatusOr<std::unique_ptr<OwnMariaDb>> db = OwnMariaDb::Start();
//   ASSERT_TRUE(db.ok()) << db.status();
//   (*db)->ExportTestEnv();
//   ... (*db)->Kill(); ... (*db)->Restart(); ...
//
// The destructor shuts the server down and removes its directory. Not thread-safe: one
// thread drives it.
#ifndef GONGKAI_TESTS_RESILIENCE_OWN_MARIADB_H_
#define GONGKAI_TESTS_RESILIENCE_OWN_MARIADB_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gongkai::resilience {

class OwnMariaDb {
 public:
  // Initialises a data directory, starts the server and creates the administrator.
  // `durable`: every commit on disk (gongkai.cnf), as the scenario that kills the server
  // needs; otherwise flushed once a second, as ./gongkai test's instance.
  static absl::StatusOr<std::unique_ptr<OwnMariaDb>> Start(bool durable = true);
  ~OwnMariaDb();
  OwnMariaDb(const OwnMariaDb&) = delete;
  OwnMariaDb& operator=(const OwnMariaDb&) = delete;

  // Points GONGKAI_TEST_MYSQL_* of this process at the server and its administrator.
  void ExportTestEnv() const;

  // SIGKILL to mariadbd (a crash: no shutdown, no flush beyond what InnoDB already made
  // durable); returns once the process is gone and the port is closed.
  absl::Status Kill();
  // Starts it again on the same port and data (crash recovery included); returns once it
  // answers.
  absl::Status Restart();

  int port() const { return port_; }
  const std::string& admin_user() const { return admin_user_; }
  const std::string& admin_password() const { return admin_password_; }

 private:
  OwnMariaDb() = default;
  absl::Status Script(const std::string& command_and_args) const;
  absl::StatusOr<pid_t> ServerPid() const;

  std::string dir_;
  int port_ = 0;
  std::string admin_user_ = "gongkai_resilience";
  std::string admin_password_;
  bool durable_ = true;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeLoopbackPort();

}  // namespace gongkai::resilience

#endif  // GONGKAI_TESTS_RESILIENCE_OWN_MARIADB_H_
