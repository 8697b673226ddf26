#include "gateway/backends.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/completion_queue.h"
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

// What a completion-queue tag points to: one outstanding call.
struct PendingCall {
  virtual ~PendingCall() = default;
  // Runs on a completion thread once the call has finished (`status` is set).
  virtual void Complete() = 0;

  grpc::ClientContext context;
  grpc::Status status;
  // The list of live calls (GrpcBackends::live_), for Shutdown.
  PendingCall* prev = nullptr;
  PendingCall* next = nullptr;
};

// Calls run on completion queues served by the gateway's own threads, one thread per
// queue, instead of gRPC's callback API: there, gRPC 1.51 serves callbacks from a pool
// of threads (one per core) that take turns polling, and each response woke a second
// thread (epoll1 hands the poller role on before running the callback). A queue's
// single thread is its only poller, so a response is read, converted and — through the
// HTTP server's Send — written by the thread that was woken for it (docs/adr/0029).
class GrpcBackends : public Backends {
 public:
  GrpcBackends(std::map<std::string, std::unique_ptr<Backend>> backends, int completion_threads)
      : backends_(std::move(backends)) {
    for (int i = 0; i < completion_threads; ++i) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    }
    for (auto& queue : queues_) {
      threads_.emplace_back([cq = queue.get()] {
        void* tag = nullptr;
        bool ok = false;
        // Finish's tag always comes back with ok == true; the outcome is in `status`.
        while (cq->Next(&tag, &ok)) static_cast<PendingCall*>(tag)->Complete();
      });
    }
  }

  ~GrpcBackends() override { Shutdown(); }

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
    struct UnaryCall : PendingCall {
      UnaryCall(GrpcBackends* b, CallDone d) : backends(b), done(std::move(d)) {}
      void Complete() override {
        std::string bytes;
        if (status.ok()) {
          grpc::Slice single;
          if (response.TrySingleSlice(&single).ok()) {
            bytes.assign(reinterpret_cast<const char*>(single.begin()), single.size());
          } else {
            std::vector<grpc::Slice> slices;
            if (response.Dump(&slices).ok()) {
              size_t total = 0;
              for (const grpc::Slice& s : slices) total += s.size();
              bytes.reserve(total);
              for (const grpc::Slice& s : slices) {
                bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
              }
            }
          }
        }
        CallDone finished = std::move(done);
        GrpcBackends* owner = backends;
        // Before Untrack: Shutdown waits for `done` to have returned.
        finished(status, std::move(bytes));
        owner->Untrack(this);
        delete this;
      }
      GrpcBackends* backends;
      CallDone done;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
      std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
    };
    auto* call = new UnaryCall(this, std::move(done));
    if (!Track(call)) {
      CallDone refused = std::move(call->done);
      delete call;
      refused(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the gateway is shutting down"),
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
    call->reader =
        stub.PrepareUnaryCall(&call->context, grpc_method, call->request, QueueFor(index));
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
  }

  void CheckHealth(absl::Duration timeout,
                   std::function<void(std::vector<BackendHealth>)> done) override {
    struct Round {
      absl::Mutex mu;
      std::vector<BackendHealth> results ABSL_GUARDED_BY(mu);
      size_t remaining ABSL_GUARDED_BY(mu) = 0;
      std::function<void(std::vector<BackendHealth>)> done;

      void Add(BackendHealth health) {
        std::vector<BackendHealth> finished;
        {
          absl::MutexLock lock(&mu);
          results.push_back(std::move(health));
          if (--remaining > 0) return;
          finished = std::move(results);
        }
        std::sort(
            finished.begin(), finished.end(),
            [](const BackendHealth& x, const BackendHealth& y) { return x.backend < y.backend; });
        done(std::move(finished));
      }
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
    struct Check : PendingCall {
      Check(GrpcBackends* b, std::shared_ptr<Round> r, const Backend* k)
          : backends(b), round(std::move(r)), backend(k) {}
      void Complete() override { Finish(status); }
      void Finish(const grpc::Status& outcome) {
        BackendHealth health;
        health.backend = backend->name;
        health.address = backend->address;
        if (!outcome.ok()) {
          // The code only: messages name internal addresses.
          health.detail = absl::StrCat(
              "UNREACHABLE (",
              absl::StatusCodeToString(static_cast<absl::StatusCode>(outcome.error_code())), ")");
        } else {
          health.serving = response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
          health.detail =
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
        }
        std::shared_ptr<Round> r = std::move(round);
        GrpcBackends* owner = backends;
        r->Add(std::move(health));
        owner->Untrack(this);
        delete this;
      }
      GrpcBackends* backends;
      std::shared_ptr<Round> round;
      const Backend* backend;
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      std::unique_ptr<grpc::ClientAsyncResponseReader<grpc::health::v1::HealthCheckResponse>>
          reader;
    };
    for (auto& [name, backend] : backends_) {
      auto* check = new Check(this, round, backend.get());
      if (!Track(check)) {
        check->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the gateway is shutting down"));
        continue;
      }
      check->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
      const uint64_t index = backend->next.fetch_add(1, std::memory_order_relaxed);
      check->reader =
          backend->health->PrepareAsyncCheck(&check->context, check->request, QueueFor(index));
      check->reader->StartCall();
      check->reader->Finish(&check->response, &check->status, check);
    }
  }

  void Shutdown() override {
    {
      absl::MutexLock lock(&mu_);
      if (shutting_down_) {
        // A second call (the destructor after an explicit Shutdown) has nothing to do.
        mu_.Await(absl::Condition(&queues_stopped_));
        return;
      }
      shutting_down_ = true;
      // Cancelled under the lock: a cancelled call completes on a completion thread,
      // whose Untrack waits for the lock, so every context here stays valid.
      for (PendingCall* call = live_; call != nullptr; call = call->next) {
        call->context.TryCancel();
      }
      mu_.Await(absl::Condition(
          +[](PendingCall** live) { return *live == nullptr; }, &live_));
    }
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& thread : threads_) thread.join();
    absl::MutexLock lock(&mu_);
    queues_stopped_ = true;
  }

 private:
  grpc::CompletionQueue* QueueFor(uint64_t index) { return queues_[index % queues_.size()].get(); }

  // Registers a call so Shutdown can cancel it and wait for its completion; false once
  // shutting down.
  bool Track(PendingCall* call) {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return false;
    call->prev = nullptr;
    call->next = live_;
    if (live_ != nullptr) live_->prev = call;
    live_ = call;
    return true;
  }
  void Untrack(PendingCall* call) {
    absl::MutexLock lock(&mu_);
    if (call->prev != nullptr) {
      call->prev->next = call->next;
    } else if (live_ == call) {
      live_ = call->next;
    } else {
      return;  // Never tracked.
    }
    if (call->next != nullptr) call->next->prev = call->prev;
  }

  std::map<std::string, std::unique_ptr<Backend>> backends_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  bool queues_stopped_ ABSL_GUARDED_BY(mu_) = false;
  PendingCall* live_ ABSL_GUARDED_BY(mu_) = nullptr;  // Intrusive list of live calls.
};

}  // namespace

absl::StatusOr<std::unique_ptr<Backends>> Backends::Create(
    const std::map<std::string, std::string>& addresses, const BackendOptions& options) {
  if (options.channels_per_backend < 1 || options.completion_threads < 1) {
    return absl::InvalidArgumentError(
        "channels_per_backend and completion_threads must be at least 1");
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
  return std::unique_ptr<Backends>(
      new GrpcBackends(std::move(backends), options.completion_threads));
}

}  // namespace gongkai::gateway
