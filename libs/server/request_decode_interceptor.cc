#include "libs/server/request_decode_interceptor.h"

#include <deque>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "libs/log/log.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"

namespace gongkai::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The field named by the last UTF-8 parse failure on this thread (gRPC parses a
// request on the thread that then runs its interceptors).
thread_local std::string t_last_invalid_utf8_field;

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename, int line,
                        const std::string& message) {
  // "String field 'gongkai.catalog.v1.Document.title' contains invalid UTF-8 data ..."
  constexpr absl::string_view kPrefix = "String field '";
  if (absl::string_view(message).substr(0, kPrefix.size()) == kPrefix) {
    const size_t end = message.find('\'', kPrefix.size());
    if (end != std::string::npos) {
      t_last_invalid_utf8_field = message.substr(kPrefix.size(), end - kPrefix.size());
    }
  }
  log::Level ours = log::Level::kInfo;
  if (level == google::protobuf::LOGLEVEL_WARNING) ours = log::Level::kWarning;
  if (level >= google::protobuf::LOGLEVEL_ERROR) ours = log::Level::kError;
  log::LogLine(ours, "protobuf")
      .With("detail", message)
      .With("source", absl::StrCat(filename, ":", line));
}

std::string FindPath(const google::protobuf::Descriptor* message, absl::string_view field_full_name,
                     std::set<const void*>& seen) {
  if (message == nullptr || !seen.insert(message).second) return "";
  for (int i = 0; i < message->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = message->field(i);
    if (field->full_name() == field_full_name) return field->name();
  }
  for (int i = 0; i < message->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = message->field(i);
    if (field->message_type() == nullptr) continue;
    std::string rest = FindPath(field->message_type(), field_full_name, seen);
    if (!rest.empty()) return absl::StrCat(field->name(), ".", rest);
  }
  return "";
}

class RequestDecodeInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RequestDecodeInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_RECV_MESSAGE)) {
      t_last_invalid_utf8_field.clear();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      failed_ = true;
      failed_field_ = std::move(t_last_invalid_utf8_field);
      t_last_invalid_utf8_field.clear();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && failed_ &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      const std::string path =
          failed_field_.empty() ? "" : RequestFieldPath(info_->method(), failed_field_);
      absl::Status status =
          path.empty() ? InvalidField("request",
                                      "could not be decoded: a string field is not valid UTF-8 "
                                      "or the message is malformed")
                       : InvalidField(path, "must be valid UTF-8");
      methods->ModifySendStatus(ToGrpcStatus(status));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool failed_ = false;
  std::string failed_field_;
};

}  // namespace

grpc::experimental::Interceptor* RequestDecodeInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestDecodeInterceptor(info);
}

void InstallProtobufLogHandler() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&ProtobufLogHandler); });
}

std::string RequestFieldPath(absl::string_view method, absl::string_view field_full_name) {
  // "/pkg.Service/Method" → "pkg.Service.Method".
  std::string name(method.substr(method.empty() || method[0] != '/' ? 0 : 1));
  const size_t slash = name.rfind('/');
  if (slash == std::string::npos) return "";
  name[slash] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor == nullptr) return "";
  std::set<const void*> seen;
  return FindPath(descriptor->input_type(), field_full_name, seen);
}

}  // namespace gongkai::server
