// Runs a real service binary as a child process for end-to-end tests.
//
// Start() spawns the binary with exactly the environment it is given (plus PATH), reads
// its stderr and stdout in a background thread, learns the ports it bound from its
// "<service> listening" JSON log line ({"msg":"catalog listening","grpc_port":…,
// "metrics_port":…}; the keys are Options::port_keys) and waits until the standard gRPC
// health check answers SERVING (or until Options::readiness_probe succeeds, for a
// process that is not a gRPC server, such as the gateway).
// Every log line is kept, so tests can assert on the access log. Stop() (or the
// destructor) sends SIGTERM and expects a clean exit with code 0 within the grace period,
// then SIGKILLs; a test that does not call Stop() still fails when the service does not
// shut down cleanly.
//
//   ServiceProcess::Options options;
//   options.binary = GONGKAI_CATALOG_BINARY;
//   options.env = {{"GONGKAI_GRPC_ADDRESS", "127.0.0.1:0"}, ...};
//   absl::StatusOr<std::unique_ptr<ServiceProcess>> service = ServiceProcess::Start(options);
//   ASSERT_TRUE(service.ok()) << service.status();
//   auto channel = grpc::CreateChannel((*service)->grpc_address(), ...);
//   ...
//   EXPECT_THAT((*service)->Stop(), IsOkAndHolds(0));
//
// Thread-safety: the accessors and log queries may be called from any thread; Stop() and
// destruction from one thread.
#ifndef GONGKAI_TESTS_E2E_SERVICE_PROCESS_H_
#define GONGKAI_TESTS_E2E_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace gongkai::e2e {

class ServiceProcess {
 public:
  struct Options {
    std::string binary;                      // Absolute path of the service binary.
    std::vector<std::string> args;           // argv[1..].
    std::map<std::string, std::string> env;  // The child's whole environment (plus PATH).
    // The "msg" of the JSON line that carries the ports named by port_keys.
    std::string listening_message = "catalog listening";
    // Integer fields of the listening line, each required; read back with port().
    std::vector<std::string> port_keys = {"grpc_port", "metrics_port"};
    // Polled (every 50 ms, until startup_timeout) once the ports are known; OK means
    // ready. Unset: the gRPC health check on grpc_port must answer SERVING.
    std::function<absl::Status(const ServiceProcess&)> readiness_probe;
    // How long Start() waits for the listening line and then for SERVING. Generous: a
    // loaded CI machine may take long to start a process and run its migrations, and a
    // service that does get ready costs nothing extra; one that does not still fails
    // with its log tail.
    absl::Duration startup_timeout = absl::Seconds(60);
    // How long Stop() waits after SIGTERM before SIGKILL (a clean exit returns at once).
    absl::Duration shutdown_timeout = absl::Seconds(30);
    // Copy every captured line to this process's stderr (also when the environment
    // variable GONGKAI_E2E_VERBOSE is set).
    bool echo_log = false;
  };

  // Spawns the binary and waits until it is SERVING. On failure the child is killed and
  // the error carries the tail of its log: INTERNAL when spawning fails, UNAVAILABLE when
  // it exits early, DEADLINE_EXCEEDED when it does not get ready in time.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(Options options);

  // Stops the child if still running; records a gtest failure unless it exits with 0.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  int grpc_port() const { return port("grpc_port"); }
  int metrics_port() const { return port("metrics_port"); }
  // The port logged under `key` (one of Options::port_keys); 0 for any other key.
  int port(const std::string& key) const;
  std::string grpc_address() const;  // "127.0.0.1:<grpc_port>"
  pid_t pid() const { return pid_; }

  // SIGTERM, wait up to shutdown_timeout, then SIGKILL. Returns the exit code; INTERNAL
  // when the child died from a signal, DEADLINE_EXCEEDED when it had to be killed.
  // Idempotent: later calls return the first result.
  absl::StatusOr<int> Stop();

  // Every line captured so far (stderr and stdout, in arrival order).
  std::vector<std::string> LogLines() const;
  // The captured lines that are JSON objects, parsed.
  std::vector<nlohmann::json> JsonLogLines() const;
  // Waits until a captured JSON line satisfies `match`; returns it, or nullopt-like
  // NOT_FOUND after `timeout`.
  absl::StatusOr<nlohmann::json> WaitForJsonLine(
      const std::function<bool(const nlohmann::json&)>& match, absl::Duration timeout) const;
  // The last `n` lines joined by newlines, for failure messages.
  std::string LogTail(size_t n = 40) const;

 private:
  ServiceProcess() = default;

  absl::Status Spawn();
  void ReadOutput(int fd);
  absl::Status WaitUntilListening(absl::Time deadline);
  absl::Status WaitUntilServing(absl::Time deadline);
  // Non-blocking waitpid; true (and records the status) once the child has exited.
  bool Reaped();

  Options options_;
  pid_t pid_ = -1;
  std::map<std::string, int> ports_;  // Written once by Start(), before it returns.
  std::thread reader_;
  bool echo_ = false;

  bool exited_ = false;
  int wait_status_ = 0;
  std::optional<absl::StatusOr<int>> stop_result_;

  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  bool output_closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_SERVICE_PROCESS_H_
