// gongkai-loadgen: a closed-loop gRPC load generator for the catalog service.
//
//   gongkai-loadgen health          --target=127.0.0.1:50051
//   gongkai-loadgen get-document    --target=... --id=42 [--id_max=1000000] [--token=JWT]
//   gongkai-loadgen create-document --target=... --token=JWT --unit_id=3
//   gongkai-loadgen list-documents  --target=... [--key_area=9] [--after_id=500000]
//   gongkai-loadgen search          --target=... --query=环境保护
//   gongkai-loadgen seed            --target=... --token=ADMIN_JWT --reviewer_token=JWT
//
// `--concurrency` calls are kept in flight at all times (closed loop: a slot sends its
// next call as soon as the previous one completes), spread over `--threads` client
// threads, each with its own completion queue, and `--channels` channels that each
// hold their own TCP connection. Calls go through the generic stub with requests
// serialized once, so the client spends as little CPU as possible on the 2-core
// machine it shares with the server. After `--warmup`, completions during
// `--duration` are counted; the last line of output is machine-readable:
//
//   RESULT mode=health requests=51234 rps=5123.4 p50_ms=2.91 p90_ms=4.02 p99_ms=6.77
//          max_ms=20.1 errors=0 completed=64012
//
// (`requests`: successful calls completed in the measured window; `completed`: every
// call completed, warm-up included, to divide CPU time measured from outside by.)
//
// Exit status: 0 on success, 2 when any call failed (the first error is printed),
// 1 on bad flags or when the setup call (probe) fails.
//
// `seed` creates one unit, one published PROACTIVE document and one published policy
// document (is_policy_document, issued by the department: no interpretation gate)
// through the public API and prints `SEED unit_id=N document_id=M policy_document_id=P`.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "host:port of the gRPC server");
ABSL_FLAG(int, threads, 2, "client threads, each with its own completion queue");
ABSL_FLAG(int, channels, 4, "channels (separate TCP connections), shared out to the threads");
ABSL_FLAG(int, concurrency, 16, "calls in flight at all times, over all threads");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured duration");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "unmeasured warm-up before it");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(10), "deadline of each call");
ABSL_FLAG(std::string, token, "", "JWT sent as `authorization: Bearer`; empty: anonymous");
ABSL_FLAG(std::string, reviewer_token, "",
          "seed: JWT of another user (REVIEWER or ADMIN) for the confidentiality review, which "
          "the author may not pass (CAT-4)");
ABSL_FLAG(int64_t, id, 0, "get-document: the document id");
ABSL_FLAG(int64_t, id_max, 0,
          "get-document: when set, every call reads a random id from 1 to this (defeats the "
          "service's cache of published documents); --id is then only the probe");
ABSL_FLAG(int64_t, unit_id, 0, "create-document: the drafting unit");
ABSL_FLAG(int, key_area, 0, "list-documents / search: KeyArea filter (0: none)");
ABSL_FLAG(int, page_size, 20, "list-documents / search: page size");
ABSL_FLAG(int64_t, after_id, 0,
          "list-documents: start the page after this document id (a page token deep in the "
          "list, made from the token of the first page)");
ABSL_FLAG(bool, omit_body, false, "list-documents: leave the bodies out");
ABSL_FLAG(std::string, query, "", "search: the query text");

namespace gongkai::bench {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using Clock = std::chrono::steady_clock;

constexpr char kServicePrefix[] = "/gongkai.catalog.v1.CatalogService/";

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// What one mode sends: the full method name and a fresh serialized request per call
// (most modes return the same bytes every time).
struct Workload {
  std::string method;
  std::function<std::string(int thread, int64_t sequence)> request;
};

// Latencies and counts one client thread collected inside the measured window.
struct ThreadResult {
  std::vector<int64_t> latencies_us;
  int64_t completed = 0;  // All calls, warm-up included (for CPU time per call).
  int64_t errors = 0;
  std::string first_error;
};

// One call slot: sends its next call as soon as the previous one completes.
struct Slot {
  grpc::GenericStub* stub = nullptr;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Clock::time_point start;
};

struct RunWindow {
  Clock::time_point measure_from;
  Clock::time_point measure_to;
};

class ClientThread {
 public:
  ClientThread(int index, std::vector<grpc::GenericStub*> stubs, int slots,
               const Workload& workload, const RunWindow& window)
      : index_(index), workload_(workload), window_(window), slots_(slots) {
    for (int i = 0; i < slots; ++i) slots_[i].stub = stubs[i % stubs.size()];
  }

  void Run() {
    for (Slot& slot : slots_) Send(slot);
    size_t active = slots_.size();
    void* tag = nullptr;
    bool ok = false;
    while (active > 0 && cq_.Next(&tag, &ok)) {
      Slot& slot = *static_cast<Slot*>(tag);
      const Clock::time_point done = Clock::now();
      ++result_.completed;
      if (done >= window_.measure_from && done <= window_.measure_to) {
        if (slot.status.ok()) {
          result_.latencies_us.push_back(
              std::chrono::duration_cast<std::chrono::microseconds>(done - slot.start).count());
        }
      }
      if (!slot.status.ok()) {
        if (result_.errors++ == 0) {
          result_.first_error = absl::StrCat(static_cast<int>(slot.status.error_code()), " ",
                                             slot.status.error_message());
        }
      }
      if (done < window_.measure_to) {
        Send(slot);
      } else {
        --active;
      }
    }
    cq_.Shutdown();
    while (cq_.Next(&tag, &ok)) {
    }
  }

  const ThreadResult& result() const { return result_; }

 private:
  void Send(Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    if (!absl::GetFlag(FLAGS_token).empty()) {
      slot.context->AddMetadata("authorization",
                                absl::StrCat("Bearer ", absl::GetFlag(FLAGS_token)));
    }
    slot.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoSeconds(absl::GetFlag(FLAGS_call_timeout)));
    slot.response.Clear();
    slot.start = Clock::now();
    slot.reader =
        slot.stub->PrepareUnaryCall(slot.context.get(), workload_.method,
                                    ToByteBuffer(workload_.request(index_, sequence_++)), &cq_);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  }

  const int index_;
  const Workload& workload_;
  const RunWindow& window_;
  std::vector<Slot> slots_;
  grpc::CompletionQueue cq_;
  int64_t sequence_ = 0;
  ThreadResult result_;
};

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    // A distinct argument and a private subchannel pool give every channel its own
    // connection instead of sharing one.
    args.SetInt("gongkai.bench.channel_id", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                                 grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

double Percentile(const std::vector<int64_t>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  const size_t rank = static_cast<size_t>(p * static_cast<double>(sorted_us.size() - 1) + 0.5);
  return static_cast<double>(sorted_us[std::min(rank, sorted_us.size() - 1)]) / 1000.0;
}

int RunLoad(const std::string& mode, const Workload& workload) {
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  const int channel_count = std::max(threads, absl::GetFlag(FLAGS_channels));
  const int concurrency = std::max(threads, absl::GetFlag(FLAGS_concurrency));
  std::vector<std::shared_ptr<grpc::Channel>> channels = MakeChannels(channel_count);
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (auto& channel : channels) {
    if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      std::fprintf(stderr, "gongkai-loadgen: cannot connect to %s\n",
                   absl::GetFlag(FLAGS_target).c_str());
      return 1;
    }
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }

  const Clock::time_point begin = Clock::now();
  RunWindow window;
  window.measure_from = begin + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_warmup));
  window.measure_to =
      window.measure_from + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_duration));

  std::vector<std::unique_ptr<ClientThread>> clients;
  for (int t = 0; t < threads; ++t) {
    std::vector<grpc::GenericStub*> own;
    for (int c = t; c < channel_count; c += threads) own.push_back(stubs[c].get());
    const int slots = concurrency / threads + (t < concurrency % threads ? 1 : 0);
    clients.push_back(std::make_unique<ClientThread>(t, own, slots, workload, window));
  }
  std::vector<std::thread> running;
  for (auto& client : clients) running.emplace_back([&client] { client->Run(); });
  for (auto& thread : running) thread.join();

  std::vector<int64_t> all;
  int64_t errors = 0;
  int64_t completed = 0;
  std::string first_error;
  for (const auto& client : clients) {
    const ThreadResult& r = client->result();
    completed += r.completed;
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    if (r.errors > 0 && first_error.empty()) first_error = r.first_error;
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  const double seconds = absl::ToDoubleSeconds(absl::GetFlag(FLAGS_duration));
  std::printf("mode=%s target=%s threads=%d channels=%d concurrency=%d duration=%s\n", mode.c_str(),
              absl::GetFlag(FLAGS_target).c_str(), threads, channel_count, concurrency,
              absl::FormatDuration(absl::GetFlag(FLAGS_duration)).c_str());
  if (errors > 0) std::printf("first error: %s\n", first_error.c_str());
  std::printf(
      "RESULT mode=%s requests=%zu rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      "errors=%lld completed=%lld\n",
      mode.c_str(), all.size(), static_cast<double>(all.size()) / seconds, Percentile(all, 0.50),
      Percentile(all, 0.90), Percentile(all, 0.99), all.empty() ? 0.0 : all.back() / 1000.0,
      static_cast<long long>(errors), static_cast<long long>(completed));
  std::fflush(stdout);
  return errors > 0 ? 2 : 0;
}

// ---- Typed calls for the setup steps ---------------------------------------------------

class Api {
 public:
  Api()
      : stub_(v1::CatalogService::NewStub(grpc::CreateChannel(
            absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()))) {}

  template <typename Request, typename Response>
  bool Call(grpc::Status (v1::CatalogService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
            const char* name, const Request& request, Response* response,
            const std::string& token = absl::GetFlag(FLAGS_token)) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status status = (stub_.get()->*method)(&context, request, response);
    if (!status.ok()) {
      std::fprintf(stderr, "gongkai-loadgen: %s failed: %d %s\n", name,
                   static_cast<int>(status.error_code()), status.error_message().c_str());
    }
    return status.ok();
  }

 private:
  std::unique_ptr<v1::CatalogService::Stub> stub_;
};

std::string SampleBody(int64_t n) {
  return absl::StrCat(
      "为进一步推进政务公开标准化规范化工作，根据《中华人民共和国政府信息公开条例》，"
      "现就做好基准测试第",
      n, "号文件的主动公开工作通知如下：各单位要明确责任分工，按时发布，接受社会监督。");
}

v1::Document SampleDocument(int64_t unit_id, int64_t n) {
  v1::Document d;
  d.set_title(absl::StrCat("关于做好基准测试文件主动公开工作的通知（", n, "）"));
  d.set_body(SampleBody(n));
  d.set_document_number(absl::StrCat("基准发〔2025〕", n % 100000, "号"));
  d.set_drafting_unit_id(unit_id);
  d.set_issuing_authority(v1::DEPARTMENT);
  d.set_key_area(v1::EDUCATION);
  d.set_category_id(109);
  d.set_disclosure_attribute(v1::PROACTIVE);
  return d;
}

// Creates `draft` and takes it through submission, review and publication; its id.
absl::StatusOr<int64_t> SeedPublished(Api& api, const v1::Document& draft, const std::string& run,
                                      const std::string& prefix) {
  v1::CreateDocumentRequest create;
  *create.mutable_document() = draft;
  create.set_request_id(absl::StrCat("seed-", prefix, "document-", run));
  v1::Document document;
  v1::SubmitDocumentRequest submit;
  v1::ReviewDocumentRequest review;
  v1::PublishDocumentRequest publish;
  if (!api.Call(&v1::CatalogService::Stub::CreateDocument, "CreateDocument", create, &document)) {
    return absl::InternalError("create");
  }
  submit.set_id(document.id());
  review.set_id(document.id());
  review.set_outcome(v1::REVIEW_PASSED);
  publish.set_id(document.id());
  if (!api.Call(&v1::CatalogService::Stub::SubmitDocument, "SubmitDocument", submit, &document) ||
      !api.Call(&v1::CatalogService::Stub::ReviewDocument, "ReviewDocument", review, &document,
                absl::GetFlag(FLAGS_reviewer_token)) ||
      !api.Call(&v1::CatalogService::Stub::PublishDocument, "PublishDocument", publish,
                &document)) {
    return absl::InternalError("publish");
  }
  if (document.state() != v1::PUBLISHED) {
    std::fprintf(stderr, "gongkai-loadgen: seeded document ended in state %s\n",
                 v1::DocumentState_Name(document.state()).c_str());
    return absl::InternalError("state");
  }
  return document.id();
}

int Seed() {
  Api api;
  const std::string run = absl::StrCat(getpid(), "-", absl::ToUnixMillis(absl::Now()));
  v1::CreateUnitRequest unit_request;
  unit_request.mutable_unit()->set_code(absl::StrCat("BENCH-", run));
  unit_request.mutable_unit()->set_name("基准测试局");
  unit_request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
  unit_request.set_request_id(absl::StrCat("seed-unit-", run));
  v1::Unit unit;
  if (!api.Call(&v1::CatalogService::Stub::CreateUnit, "CreateUnit", unit_request, &unit)) {
    return 1;
  }
  absl::StatusOr<int64_t> document_id = SeedPublished(api, SampleDocument(unit.id(), 0), run, "");
  if (!document_id.ok()) return 1;
  // NAT-10: a policy document in force, which another replica may repeal; cached on a lease.
  v1::Document policy = SampleDocument(unit.id(), 1);
  policy.set_is_policy_document(true);
  absl::StatusOr<int64_t> policy_id = SeedPublished(api, policy, run, "policy-");
  if (!policy_id.ok()) return 1;
  std::printf("SEED unit_id=%lld document_id=%lld policy_document_id=%lld\n",
              static_cast<long long>(unit.id()), static_cast<long long>(*document_id),
              static_cast<long long>(*policy_id));
  return 0;
}

// A page token for the same filters that continues after `after_id`: the token of the
// first page with its id replaced (tokens are "v1:<after_id>:<filter hash>", base64url;
// see libs/pagination). Empty on failure.
std::string TokenAfter(const std::string& first_page_token, int64_t after_id) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(first_page_token, &raw)) return "";
  std::vector<std::string> parts = absl::StrSplit(raw, ':');
  if (parts.size() != 3) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(parts[0], ":", after_id, ":", parts[2]));
}

bool MakeWorkload(const std::string& mode, Workload& workload) {
  auto fixed = [](const google::protobuf::Message& request) {
    std::string bytes = request.SerializeAsString();
    return [bytes](int, int64_t) { return bytes; };
  };
  if (mode == "health") {
    workload.method = "/grpc.health.v1.Health/Check";
    workload.request = [](int, int64_t) { return std::string(); };  // service "" = server
    return true;
  }
  Api api;
  if (mode == "get-document") {
    v1::GetDocumentRequest request;
    request.set_id(absl::GetFlag(FLAGS_id));
    v1::Document probe;
    if (!api.Call(&v1::CatalogService::Stub::GetDocument, "GetDocument", request, &probe)) {
      return false;
    }
    std::printf("probe: document %lld, %zu bytes of body\n", static_cast<long long>(probe.id()),
                probe.body().size());
    workload.method = absl::StrCat(kServicePrefix, "GetDocument");
    workload.request = fixed(request);
    if (const int64_t id_max = absl::GetFlag(FLAGS_id_max); id_max > 0) {
      // One generator per client thread (a call's request is built on its thread).
      auto generators = std::make_shared<std::vector<std::mt19937_64>>();
      for (int t = 0; t < std::max(1, absl::GetFlag(FLAGS_threads)); ++t) {
        generators->emplace_back(static_cast<uint64_t>(getpid()) * 7919 + t);
      }
      workload.request = [generators, id_max](int thread, int64_t) {
        v1::GetDocumentRequest random;
        random.set_id(
            1 + static_cast<int64_t>((*generators)[thread]() % static_cast<uint64_t>(id_max)));
        return random.SerializeAsString();
      };
    }
    return true;
  }
  if (mode == "create-document") {
    const int64_t unit_id = absl::GetFlag(FLAGS_unit_id);
    const std::string run = absl::StrCat(getpid(), "-", absl::ToUnixMillis(absl::Now()));
    workload.method = absl::StrCat(kServicePrefix, "CreateDocument");
    workload.request = [unit_id, run](int thread, int64_t sequence) {
      v1::CreateDocumentRequest request;
      *request.mutable_document() = SampleDocument(unit_id, sequence);
      request.set_request_id(absl::StrCat("bench-", run, "-", thread, "-", sequence));
      return request.SerializeAsString();
    };
    return true;
  }
  if (mode == "list-documents") {
    v1::ListDocumentsRequest request;
    request.set_key_area(static_cast<v1::KeyArea>(absl::GetFlag(FLAGS_key_area)));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_omit_body(absl::GetFlag(FLAGS_omit_body));
    v1::ListDocumentsResponse probe;
    if (!api.Call(&v1::CatalogService::Stub::ListDocuments, "ListDocuments", request, &probe)) {
      return false;
    }
    if (absl::GetFlag(FLAGS_after_id) > 0) {
      request.set_page_token(TokenAfter(probe.next_page_token(), absl::GetFlag(FLAGS_after_id)));
      if (request.page_token().empty() ||
          !api.Call(&v1::CatalogService::Stub::ListDocuments, "ListDocuments", request, &probe)) {
        std::fprintf(stderr, "gongkai-loadgen: no usable page token deep in the list\n");
        return false;
      }
    }
    std::printf("probe: %d documents, first id %lld, more pages: %s\n", probe.documents_size(),
                probe.documents_size() > 0 ? static_cast<long long>(probe.documents(0).id()) : 0LL,
                probe.next_page_token().empty() ? "no" : "yes");
    workload.method = absl::StrCat(kServicePrefix, "ListDocuments");
    workload.request = fixed(request);
    return true;
  }
  if (mode == "search") {
    v1::SearchDocumentsRequest request;
    request.set_query(absl::GetFlag(FLAGS_query));
    request.set_key_area(static_cast<v1::KeyArea>(absl::GetFlag(FLAGS_key_area)));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    v1::SearchDocumentsResponse probe;
    if (!api.Call(&v1::CatalogService::Stub::SearchDocuments, "SearchDocuments", request, &probe)) {
      return false;
    }
    std::printf("probe: %d documents for \"%s\", more pages: %s\n", probe.documents_size(),
                request.query().c_str(), probe.next_page_token().empty() ? "no" : "yes");
    workload.method = absl::StrCat(kServicePrefix, "SearchDocuments");
    workload.request = fixed(request);
    return true;
  }
  std::fprintf(stderr, "gongkai-loadgen: unknown mode \"%s\"\n", mode.c_str());
  return false;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "closed-loop gRPC load for the catalog: gongkai-loadgen "
      "health|get-document|create-document|list-documents|search|seed [--flags]");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() != 2) {
    std::fprintf(stderr, "usage: gongkai-loadgen MODE [--flags]; see --help\n");
    return 1;
  }
  const std::string mode = positional[1];
  if (mode == "seed") return Seed();
  Workload workload;
  if (!MakeWorkload(mode, workload)) return 1;
  return RunLoad(mode, workload);
}

}  // namespace
}  // namespace gongkai::bench

int main(int argc, char** argv) { return gongkai::bench::Main(argc, argv); }
