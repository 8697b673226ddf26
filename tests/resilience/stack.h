// The suite as real processes for the resilience tests: a MariaDB of the test's own
// (OwnMariaDb, which the tests kill), the catalog and any of the other five services,
// each on its own database and a port fixed at the first start (so a service stopped
// or killed comes back where its peers and the gateway look for it), and the gateway
// in front of all of them.
//
//   absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start({"interpretation"});
//   ASSERT_TRUE(stack.ok()) << stack.status();
//   httplib::Client http("127.0.0.1", (*stack)->gateway_port());
//   (*stack)->Kill("catalog"); ... (*stack)->Launch("catalog");
//
// Every service reads the working-day calendar from the catalog and every service gets
// every other's address as a peer. Destruction stops the gateway, the services (SIGTERM;
// a gtest failure unless each exits 0), drops the databases and stops MariaDB.
// One thread drives a Stack; its accessors are safe from any thread.
#ifndef GONGKAI_TESTS_RESILIENCE_STACK_H_
#define GONGKAI_TESTS_RESILIENCE_STACK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/service_process.h"
#include "tests/resilience/own_mariadb.h"

namespace gongkai::resilience {

// The six services this tree can run (those built: see Stack::Built()).
const std::vector<std::string>& AllServices();

class Stack {
 public:
  // The catalog, then `others` (names from AllServices(), catalog excluded), then the
  // gateway. `service_env` is added to every service's settings, `gateway_env` to the
  // gateway's. `durable_database`: every commit on disk (for a test that kills MariaDB).
  static absl::StatusOr<std::unique_ptr<Stack>> Start(
      const std::vector<std::string>& others, std::map<std::string, std::string> service_env = {},
      std::map<std::string, std::string> gateway_env = {}, bool durable_database = false);
  ~Stack();

  // Whether the binary of `service` was built with this tree.
  static bool Built(const std::string& service);

  // (Re)starts `name` ("gateway" or a service) on its port; returns when it serves.
  absl::Status Launch(const std::string& name);
  // SIGTERM and wait for the exit code (a rolling restart's stop): 0 expected.
  absl::StatusOr<int> Terminate(const std::string& name);
  // SIGKILL (a crash); returns once the process is reaped.
  absl::Status Kill(const std::string& name);

  std::string Address(const std::string& name) const;  // 127.0.0.1:port (gRPC or HTTP).
  int gateway_port() const { return ports_.at("gateway"); }
  int metrics_port(const std::string& name) const;  // Of the running process.
  const std::vector<std::string>& services() const { return services_; }
  e2e::ServiceProcess* process(const std::string& name) const;
  OwnMariaDb& mariadb() { return *mariadb_; }
  const e2e::E2eDatabase& database(const std::string& service) const {
    return *databases_.at(service);
  }
  // An administrator's DbConfig on `service`'s database (to inspect or lock rows).
  db::DbConfig AdminConfig(const std::string& service, int pool_size) const;

  std::string Token(const std::string& subject, std::optional<int64_t> unit_id,
                    std::vector<std::string> roles) const;

 private:
  Stack() = default;
  e2e::ServiceProcess::Options OptionsFor(const std::string& name) const;

  std::unique_ptr<OwnMariaDb> mariadb_;
  std::string jwt_secret_;
  std::vector<std::string> services_;  // catalog first.
  std::map<std::string, std::string> service_env_;
  std::map<std::string, std::string> gateway_env_;
  std::map<std::string, int> ports_;
  std::map<std::string, std::unique_ptr<e2e::E2eDatabase>> databases_;
  std::map<std::string, std::unique_ptr<e2e::ServiceProcess>> processes_;
};

}  // namespace gongkai::resilience

#endif  // GONGKAI_TESTS_RESILIENCE_STACK_H_
