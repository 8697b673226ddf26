// gongkai-healthcheck: asks a gRPC server's standard health service whether it is
// SERVING. Exit status 0 when it is, 1 when it answers otherwise, 2 when it cannot be
// reached or the arguments are wrong. Used by ./gongkai and by container probes.
//
//   gongkai-healthcheck --addr=127.0.0.1:50051 [--service=NAME] [--timeout=2s] [--wait=30s]
//
// With --wait, keeps asking (every 200 ms) until SERVING or the wait is over.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/config/config.h"

namespace {

int CheckOnce(grpc::health::v1::Health::Stub& stub, const std::string& service,
              absl::Duration timeout, std::string* answer) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub.Check(&context, request, &response);
  if (!status.ok()) {
    *answer = "unreachable: " + status.error_message();
    return 2;
  }
  *answer = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  using gongkai::config::ConfigReader;
  using gongkai::config::ConfigSource;
  ConfigReader reader(ConfigSource::FromProcess(argc, argv));
  const std::string addr = reader.Address("addr", "127.0.0.1:50051");
  const std::string service = reader.String("service", "");
  const absl::Duration timeout =
      reader.Duration("timeout", absl::Seconds(2), absl::Milliseconds(10), absl::Minutes(1));
  const absl::Duration wait =
      reader.Duration("wait", absl::ZeroDuration(), absl::ZeroDuration(), absl::Minutes(30));
  gongkai::config::ExitOnConfigError(reader.Finish(), "gongkai-healthcheck");

  auto channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  const absl::Time give_up = absl::Now() + wait;
  std::string answer;
  int code = CheckOnce(*stub, service, timeout, &answer);
  while (code != 0 && absl::Now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    code = CheckOnce(*stub, service, timeout, &answer);
  }
  std::printf("%s %s\n", addr.c_str(), answer.c_str());
  return code;
}
