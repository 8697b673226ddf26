#include "gateway/backends.h"

#include <algorithm>
#include <atomic>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

namespace gongkai::gateway {
namespace {

struct Backend {
  std::string name;
  std::string address;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
  std::atomic<uint64_t> next{0};
};

class GrpcBackends : public Backends {
 public:
  explicit GrpcBackends(std::map<std::string, std::unique_ptr<Backend>> backends)
      : backends_(std::move(backends)) {}

  bool Has(absl::string_view backend) const override {
    return backends_.find(std::string(backend)) != backends_.end();
  }

  void Call(absl::string_view backend_name, const std::string& grpc_method,
            const std::string& request, const CallOptions& options, CallDone done) override {
    auto it = backends_.find(std::string(backend_name));
    if (it == backends_.end()) {
      done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        absl::StrCat("no backend \"", backend_name, "\" is configured")),
           std::string());
      return;
    }
    Backend& backend = *it->second;
    struct Call {
      grpc::ClientContext context;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
      CallDone done;
    };
    auto call = std::make_shared<Call>();
    call->done = std::move(done);
    if (!Track(&call->context, call)) {
      call->done(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the gateway is shutting down"),
                 std::string());
      return;
    }
    if (options.deadline != absl::InfiniteFuture()) {
      call->context.set_deadline(absl::ToChronoTime(options.deadline));
    }
    for (const auto& [key, value] : options.metadata) {
      // gRPC aborts the process on a text value outside printable ASCII; the pipeline
      // validates what it forwards, and this keeps any later mistake from crashing.
      if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; })) {
        continue;
      }
      call->context.AddMetadata(key, value);
    }
    grpc::Slice slice(request);
    call->request = grpc::ByteBuffer(&slice, 1);
    const uint64_t index = backend.next.fetch_add(1, std::memory_order_relaxed);
    grpc::GenericStub& stub = *backend.stubs[index % backend.stubs.size()];
    stub.UnaryCall(&call->context, grpc_method, grpc::StubOptions(), &call->request,
                   &call->response, [this, call](grpc::Status status) {
                     std::string bytes;
                     if (status.ok()) {
                       std::vector<grpc::Slice> slices;
                       if (call->response.Dump(&slices).ok()) {
                         size_t total = 0;
                         for (const grpc::Slice& s : slices) total += s.size();
                         bytes.reserve(total);
                         for (const grpc::Slice& s : slices) {
                           bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
                         }
                       }
                     }
                     CallDone done = std::move(call->done);
                     // Before Untrack: Shutdown waits for `done` to have returned.
                     done(status, std::move(bytes));
                     Untrack(&call->context);
                   });
  }

  void CheckHealth(absl::Duration timeout,
                   std::function<void(std::vector<BackendHealth>)> done) override {
    struct Round {
      absl::Mutex mu;
      std::vector<BackendHealth> results ABSL_GUARDED_BY(mu);
      size_t remaining ABSL_GUARDED_BY(mu) = 0;
      std::function<void(std::vector<BackendHealth>)> done;
    };
    auto round = std::make_shared<Round>();
    round->done = std::move(done);
    {
      absl::MutexLock lock(&round->mu);
      round->remaining = backends_.size();
    }
    if (backends_.empty()) {
      round->done({});
      return;
    }
    for (auto& [name, backend] : backends_) {
      struct Check {
        grpc::ClientContext context;
        grpc::health::v1::HealthCheckRequest request;
        grpc::health::v1::HealthCheckResponse response;
      };
      auto check = std::make_shared<Check>();
      check->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
      Backend* b = backend.get();
      const bool tracked = Track(&check->context, check);
      if (!tracked) check->context.TryCancel();
      b->health->async()->Check(
          &check->context, &check->request, &check->response,
          [this, round, check, b, tracked](grpc::Status status) {
            struct UntrackAtExit {
              GrpcBackends* self;
              grpc::ClientContext* context;
              bool tracked;
              ~UntrackAtExit() {
                if (tracked) self->Untrack(context);
              }
            } untrack{this, &check->context, tracked};
            BackendHealth health;
            health.backend = b->name;
            health.address = b->address;
            if (!status.ok()) {
              // The code only: messages name internal addresses.
              health.detail = absl::StrCat(
                  "UNREACHABLE (",
                  absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                  ")");
            } else {
              health.serving =
                  check->response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
              health.detail = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                  check->response.status());
            }
            std::vector<BackendHealth> finished;
            {
              absl::MutexLock lock(&round->mu);
              round->results.push_back(std::move(health));
              if (--round->remaining > 0) return;
              finished = std::move(round->results);
            }
            std::sort(finished.begin(), finished.end(),
                      [](const BackendHealth& x, const BackendHealth& y) {
                        return x.backend < y.backend;
                      });
            round->done(std::move(finished));
          });
    }
  }

  void Shutdown() override {
    std::vector<std::shared_ptr<void>> keep_alive;
    std::vector<grpc::ClientContext*> contexts;
    {
      absl::MutexLock lock(&mu_);
      shutting_down_ = true;
      for (const auto& [context, owner] : live_) {
        contexts.push_back(context);
        keep_alive.push_back(owner);  // The context stays valid while we cancel it.
      }
    }
    // Outside the lock: a cancelled call may complete (and Untrack) on this thread.
    for (grpc::ClientContext* context : contexts) context->TryCancel();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::map<grpc::ClientContext*, std::shared_ptr<void>>* live) { return live->empty(); },
        &live_));
  }

  // Registers a call (and what owns its context) so Shutdown can cancel it and wait for
  // its completion; false once shutting down.
  bool Track(grpc::ClientContext* context, std::shared_ptr<void> owner) {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return false;
    live_.emplace(context, std::move(owner));
    return true;
  }
  void Untrack(grpc::ClientContext* context) {
    std::shared_ptr<void> owner;  // Released after the lock.
    absl::MutexLock lock(&mu_);
    auto it = live_.find(context);
    if (it == live_.end()) return;
    owner = std::move(it->second);
    live_.erase(it);
  }

 private:
  std::map<std::string, std::unique_ptr<Backend>> backends_;
  absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::map<grpc::ClientContext*, std::shared_ptr<void>> live_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Backends>> Backends::Create(
    const std::map<std::string, std::string>& addresses, const BackendOptions& options) {
  if (options.channels_per_backend < 1) {
    return absl::InvalidArgumentError("channels_per_backend must be at least 1");
  }
  std::map<std::string, std::unique_ptr<Backend>> backends;
  for (const auto& [name, address] : addresses) {
    if (name.empty() || address.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("backend \"", name, "\" needs a name and an address"));
    }
    auto backend = std::make_unique<Backend>();
    backend->name = name;
    backend->address = address;
    for (int i = 0; i < options.channels_per_backend; ++i) {
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
      // A distinct argument per channel gives each its own connection.
      args.SetInt("gongkai.channel_index", i);
      args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
      args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
      // A backend that was down is reconnected within about a second of its return
      // (gRPC's default backoff grows to two minutes; issue 15, service killed).
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
      args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
      // With a dns:/// target naming several replicas (a headless Service), spread
      // calls over all of them instead of sticking to the first.
      args.SetLoadBalancingPolicyName("round_robin");
      std::shared_ptr<grpc::Channel> channel =
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
      backend->stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
      backend->channels.push_back(std::move(channel));
    }
    backend->health = grpc::health::v1::Health::NewStub(backend->channels.front());
    backends.emplace(name, std::move(backend));
  }
  return std::unique_ptr<Backends>(new GrpcBackends(std::move(backends)));
}

}  // namespace gongkai::gateway
