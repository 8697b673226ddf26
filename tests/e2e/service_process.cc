#include "tests/e2e/service_process.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"

extern char** environ;

namespace gongkai::e2e {
namespace {

absl::Status ErrnoError(absl::string_view what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(err)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(Options options) {
  std::unique_ptr<ServiceProcess> process(new ServiceProcess());
  process->echo_ = options.echo_log || std::getenv("GONGKAI_E2E_VERBOSE") != nullptr;
  process->options_ = std::move(options);
  const absl::Time deadline = absl::Now() + process->options_.startup_timeout;
  absl::Status status = process->Spawn();
  if (status.ok()) status = process->WaitUntilListening(deadline);
  if (status.ok()) status = process->WaitUntilServing(deadline);
  if (!status.ok()) {
    // Kill it now; the destructor must not report a second, misleading failure.
    if (process->pid_ > 0 && !process->Reaped()) {
      kill(process->pid_, SIGKILL);
      waitpid(process->pid_, &process->wait_status_, 0);
      process->exited_ = true;
    }
    process->stop_result_ = status;
    return absl::Status(status.code(), absl::StrCat(status.message(), "\n--- service log ---\n",
                                                    process->LogTail()));
  }
  return process;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0 && !stop_result_.has_value()) {
    absl::StatusOr<int> code = Stop();
    if (!code.ok() || *code != 0) {
      ADD_FAILURE() << "service " << options_.binary << " did not shut down cleanly: "
                    << (code.ok() ? absl::StrCat("exit code ", *code) : code.status().ToString())
                    << "\n--- service log ---\n"
                    << LogTail();
    }
  }
  if (reader_.joinable()) reader_.join();
}

std::string ServiceProcess::grpc_address() const { return absl::StrCat("127.0.0.1:", grpc_port()); }

int ServiceProcess::port(const std::string& key) const {
  auto it = ports_.find(key);
  return it == ports_.end() ? 0 : it->second;
}

absl::Status ServiceProcess::Spawn() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2", errno);

  std::vector<std::string> env_strings;
  const char* path = std::getenv("PATH");
  if (options_.env.count("PATH") == 0) {
    env_strings.push_back(absl::StrCat("PATH=", path != nullptr ? path : "/usr/bin:/bin"));
  }
  for (const auto& [key, value] : options_.env)
    env_strings.push_back(absl::StrCat(key, "=", value));
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> arg_strings = {options_.binary};
  arg_strings.insert(arg_strings.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (std::string& s : arg_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);

  // The child starts with an empty signal mask and default handlers, whatever the test
  // process has set up (gRPC ignores SIGPIPE, for instance).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const int err =
      posix_spawn(&pid_, options_.binary.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (err != 0) {
    pid_ = -1;
    close(fds[0]);
    return ErrnoError(absl::StrCat("posix_spawn ", options_.binary), err);
  }
  reader_ = std::thread([this, fd = fds[0]] { ReadOutput(fd); });
  return absl::OkStatus();
}

void ServiceProcess::ReadOutput(int fd) {
  std::string pending;
  char buffer[8192];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (echo_) std::cerr << "[service " << pid_ << "] " << line << "\n";
      absl::MutexLock lock(&mu_);
      lines_.push_back(std::move(line));
    }
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  if (!pending.empty()) lines_.push_back(std::move(pending));
  output_closed_ = true;
}

bool ServiceProcess::Reaped() {
  if (exited_) return true;
  const pid_t r = waitpid(pid_, &wait_status_, WNOHANG);
  if (r == pid_) exited_ = true;
  return exited_;
}

absl::Status ServiceProcess::WaitUntilListening(absl::Time deadline) {
  const std::string& message = options_.listening_message;
  size_t seen = 0;
  while (absl::Now() < deadline) {
    std::vector<std::string> fresh;
    bool closed;
    {
      absl::MutexLock lock(&mu_);
      fresh.assign(lines_.begin() + static_cast<std::ptrdiff_t>(seen), lines_.end());
      seen = lines_.size();
      closed = output_closed_;
    }
    for (const std::string& line : fresh) {
      nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!json.is_object() || !json.contains("msg") || json["msg"] != message) continue;
      for (const std::string& key : options_.port_keys) {
        if (!json.contains(key) || !json[key].is_number_integer()) {
          return absl::InternalError(
              absl::StrCat("\"", message, "\" line lacks ", key, ": ", line));
        }
        ports_[key] = json[key].get<int>();
      }
      return absl::OkStatus();
    }
    if (closed || Reaped()) {
      absl::SleepFor(absl::Milliseconds(50));  // Let the exit be reaped for the message.
      Reaped();
      return absl::UnavailableError(absl::StrCat("service exited before logging \"", message,
                                                 "\" (wait status ", wait_status_, ")"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no \"", message, "\" log line within ",
                                                  absl::FormatDuration(options_.startup_timeout)));
}

absl::Status ServiceProcess::WaitUntilServing(absl::Time deadline) {
  if (options_.readiness_probe) {
    absl::Status last = absl::UnavailableError("not probed");
    while (absl::Now() < deadline) {
      if (Reaped()) {
        return absl::UnavailableError(
            absl::StrCat("service exited while starting (wait status ", wait_status_, ")"));
      }
      last = options_.readiness_probe(*this);
      if (last.ok()) return absl::OkStatus();
      absl::SleepFor(absl::Milliseconds(50));
    }
    return absl::DeadlineExceededError(
        absl::StrCat("readiness probe did not succeed in time; last answer: ", last.ToString()));
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(grpc_address(), grpc::InsecureChannelCredentials());
  std::unique_ptr<grpc::health::v1::Health::Stub> stub = grpc::health::v1::Health::NewStub(channel);
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    if (Reaped()) {
      return absl::UnavailableError(
          absl::StrCat("service exited while starting (wait status ", wait_status_, ")"));
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last = status.ok()
               ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
               : status.error_message();
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("health check not SERVING in time; last answer: ", last));
}

absl::StatusOr<int> ServiceProcess::Stop() {
  if (stop_result_.has_value()) return *stop_result_;
  if (pid_ <= 0) return absl::FailedPreconditionError("service was never started");
  if (!Reaped()) kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + options_.shutdown_timeout;
  while (!Reaped() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &wait_status_, 0);
    exited_ = true;
    stop_result_ = absl::DeadlineExceededError(absl::StrCat(
        "no exit within ", absl::FormatDuration(options_.shutdown_timeout), " of SIGTERM; killed"));
  } else if (WIFEXITED(wait_status_)) {
    stop_result_ = WEXITSTATUS(wait_status_);
  } else {
    stop_result_ = absl::InternalError(
        absl::StrCat("killed by signal ", WIFSIGNALED(wait_status_) ? WTERMSIG(wait_status_) : -1));
  }
  if (reader_.joinable()) reader_.join();
  return *stop_result_;
}

std::vector<std::string> ServiceProcess::LogLines() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

std::vector<nlohmann::json> ServiceProcess::JsonLogLines() const {
  std::vector<nlohmann::json> parsed;
  for (const std::string& line : LogLines()) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) parsed.push_back(std::move(json));
  }
  return parsed;
}

absl::StatusOr<nlohmann::json> ServiceProcess::WaitForJsonLine(
    const std::function<bool(const nlohmann::json&)>& match, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  do {
    for (const nlohmann::json& json : JsonLogLines()) {
      if (match(json)) return json;
    }
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  return absl::NotFoundError("no matching log line");
}

std::string ServiceProcess::LogTail(size_t n) const {
  absl::MutexLock lock(&mu_);
  const size_t from = lines_.size() > n ? lines_.size() - n : 0;
  return absl::StrJoin(lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.end(), "\n");
}

}  // namespace gongkai::e2e
