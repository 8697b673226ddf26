// gongkai-rules: lists, shows and puts rule-set versions on one service's
// RuleSetService (gongkai.common.v1, gRPC only), for operators.
//
//   gongkai-rules --target=127.0.0.1:50051 --token-file=admin.jwt list [--name=NAME]
//   gongkai-rules --target=... --token-file=... get NAME [VERSION]     # 0/none: in effect
//   gongkai-rules --target=... --token-file=admin.jwt put FILE.json
//
// `put` sends the file's text as is (PutRuleSetRequest.rule_set_json), so the service
// validates it against its own schema; the file format is libs/rules/rule_set_json.h.
// Answers are printed as JSON. The token file holds a JWT (put needs the ADMIN role).
// Exit status: 0 done, 1 the service refused (status and field violations on stderr),
// 2 bad arguments or unreachable. Plain-text gRPC, like gongkai-healthcheck.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/config/config.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"

namespace {

constexpr char kProgram[] = "gongkai-rules";
constexpr char kUsage[] =
    "usage: gongkai-rules --target=HOST:PORT --token-file=FILE "
    "(list [--name=NAME] | get NAME [VERSION] | put FILE.json)";

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  std::exit(2);
}

std::string ReadFile(const std::string& what, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(absl::StrCat(what, " \"", path, "\" cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

int Print(const grpc::Status& status, const google::protobuf::Message& response) {
  if (!status.ok()) {
    const absl::Status s = gongkai::FromGrpcStatus(status);
    std::cerr << kProgram << ": " << s.code() << ": " << s.message() << "\n";
    for (const gongkai::FieldViolation& v : gongkai::FieldViolationsOf(s)) {
      std::cerr << "  " << v.field << ": " << v.description << "\n";
    }
    const bool unreachable = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                             status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    return unreachable ? 2 : 1;
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(response, &json, options).ok()) {
    Fail("the answer cannot be printed as JSON");
  }
  std::cout << json;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using gongkai::config::ConfigReader;
  using gongkai::config::ConfigSource;
  ConfigReader reader(ConfigSource::FromProcess(argc, argv));
  const std::string target = reader.Address("target", "127.0.0.1:50051");
  const std::string token_file = reader.String("token_file", "");
  const std::string name_filter = reader.String("name", "");
  const absl::Duration timeout =
      reader.Duration("timeout", absl::Seconds(10), absl::Milliseconds(100), absl::Minutes(5));
  gongkai::config::ExitOnConfigError(reader.Finish(), kProgram);
  const std::vector<std::string>& args = reader.source().positional();
  if (args.empty()) Fail(kUsage);

  auto stub = gongkai::common::v1::RuleSetService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!token_file.empty()) {
    const std::string token =
        std::string(absl::StripAsciiWhitespace(ReadFile("--token-file", token_file)));
    context.AddMetadata("authorization", "Bearer " + token);
  }

  const std::string& command = args[0];
  if (command == "list" && args.size() == 1) {
    gongkai::common::v1::ListRuleSetsRequest request;
    request.set_name(name_filter);
    gongkai::common::v1::ListRuleSetsResponse response;
    return Print(stub->ListRuleSets(&context, request, &response), response);
  }
  if (command == "get" && (args.size() == 2 || args.size() == 3)) {
    gongkai::common::v1::GetRuleSetRequest request;
    request.set_name(args[1]);
    int64_t version = 0;
    if (args.size() == 3 && (!absl::SimpleAtoi(args[2], &version) || version < 0)) {
      Fail(absl::StrCat("VERSION must be a whole number >= 0, not \"", args[2], "\""));
    }
    request.set_version(version);
    gongkai::common::v1::RuleSet response;
    return Print(stub->GetRuleSet(&context, request, &response), response);
  }
  if (command == "put" && args.size() == 2) {
    gongkai::common::v1::PutRuleSetRequest request;
    request.set_rule_set_json(ReadFile("the rule-set file", args[1]));
    gongkai::common::v1::PutRuleSetResponse response;
    return Print(stub->PutRuleSet(&context, request, &response), response);
  }
  Fail(kUsage);
}
