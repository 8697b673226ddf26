// gongkai-catalog-demo: loads realistic demo data (a city modelled on Nanning: units,
// ~70 documents in every CAT-6 key area, catalog items, a self-review, 16 disclosure
// requests in every lifecycle state and outcome with two challenges, a draft annual
// report) into a running catalog service through its public gRPC API. Safe to run
// again: nothing is duplicated.
//
//   gongkai-catalog-demo --target=127.0.0.1:50051 --token=<ADMIN JWT>
//   gongkai-catalog-demo --target=127.0.0.1:50051 --token-file=admin.jwt
//   gongkai-catalog-demo --target=127.0.0.1:50051 --secret-file=jwt-hs256.key
//       --issuer=gongkai-dev --audience=gongkai   (mints a token per demo user)
//
// Progress goes to stderr, one line per change; two summary lines (catalog, requests) to
// stdout. Exit status:
// 0 loaded (or already there), 1 a call failed (the message names the call, the item
// and the gRPC status), 2 bad flags.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_tokens.h"
#include "services/catalog/demo/demo_loader.h"
#include "services/catalog/demo/request_demo_loader.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "The catalog service's gRPC address");
ABSL_FLAG(std::string, token, "", "A bearer token with role ADMIN, used for every call");
ABSL_FLAG(std::string, token_file, "", "File holding that token (instead of --token)");
ABSL_FLAG(std::string, secret_file, "",
          "The services' HS256 key: mint a token per demo user instead of --token");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens (with --secret-file)");
ABSL_FLAG(std::string, audience, "gongkai",
          "Audience of minted tokens, comma-separated (with --secret-file)");
ABSL_FLAG(absl::Duration, connect_timeout, absl::Seconds(10),
          "How long to wait for the service to accept the connection");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(15), "Deadline of each call");

namespace {

constexpr char kProgram[] = "gongkai-catalog-demo";

[[noreturn]] void Fail(int exit_code, const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  std::exit(exit_code);
}

std::string ReadTrimmedFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(2, absl::StrCat("--", flag, "=\"", path, "\" cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

}  // namespace

int main(int argc, char** argv) {
  namespace demo = gongkai::catalog::demo;
  absl::SetProgramUsageMessage(
      "loads the catalog demo data: gongkai-catalog-demo --target=HOST:PORT "
      "(--token=ADMIN_JWT | --token-file=F | --secret-file=F [--issuer=I --audience=A])");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (positional.size() > 1) Fail(2, absl::StrCat("unexpected argument \"", positional[1], "\""));

  const std::string target = absl::GetFlag(FLAGS_target);
  if (target.empty()) Fail(2, "--target must not be empty");
  std::string token = absl::GetFlag(FLAGS_token);
  const std::string token_file = absl::GetFlag(FLAGS_token_file);
  const std::string secret_file = absl::GetFlag(FLAGS_secret_file);
  if (!token.empty() + !token_file.empty() + !secret_file.empty() != 1) {
    Fail(2, "give exactly one of --token, --token-file (an ADMIN token) and --secret-file");
  }
  if (!token_file.empty()) {
    token = ReadTrimmedFile("token-file", token_file);
    if (token.empty()) Fail(2, absl::StrCat("--token-file=\"", token_file, "\" is empty"));
  }

  gongkai::RealClock clock;
  std::unique_ptr<demo::TokenSource> tokens;
  if (!secret_file.empty()) {
    std::vector<std::string> audience;
    for (absl::string_view aud :
         absl::StrSplit(absl::GetFlag(FLAGS_audience), ',', absl::SkipWhitespace())) {
      audience.emplace_back(absl::StripAsciiWhitespace(aud));
    }
    if (audience.empty()) Fail(2, "--audience must not be empty");
    if (absl::GetFlag(FLAGS_issuer).empty()) Fail(2, "--issuer must not be empty");
    tokens = std::make_unique<demo::MintingTokenSource>(ReadTrimmedFile("secret-file", secret_file),
                                                        absl::GetFlag(FLAGS_issuer),
                                                        std::move(audience), &clock);
  } else {
    tokens = std::make_unique<demo::FixedTokenSource>(token);
  }

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  const absl::Duration connect_timeout = absl::GetFlag(FLAGS_connect_timeout);
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + connect_timeout))) {
    Fail(1, absl::StrCat("cannot connect to the catalog service at ", target, " within ",
                         absl::FormatDuration(connect_timeout)));
  }
  std::unique_ptr<gongkai::catalog::v1::CatalogService::Stub> stub =
      gongkai::catalog::v1::CatalogService::NewStub(channel);

  std::cerr << kProgram << ": loading demo data into " << target
            << (tokens->SingleIdentity() ? " with the given token"
                                         : " as per-unit demo users (minted tokens)")
            << "\n";
  const demo::LoaderOptions options{absl::GetFlag(FLAGS_call_timeout)};
  demo::DemoLoader loader(stub.get(), tokens.get(), options, &std::cerr);
  absl::StatusOr<demo::LoadSummary> summary = loader.Load();
  if (!summary.ok()) Fail(1, std::string(summary.status().message()));
  std::cout << kProgram << ": " << summary->ToString() << std::endl;

  // CAT-8, CAT-9: the requests need the units and published documents loaded above.
  std::unique_ptr<gongkai::catalog::v1::DisclosureRequestService::Stub> requests =
      gongkai::catalog::v1::DisclosureRequestService::NewStub(channel);
  std::unique_ptr<gongkai::catalog::v1::AnnualReportService::Stub> reports =
      gongkai::catalog::v1::AnnualReportService::NewStub(channel);
  demo::RequestDemoLoader request_loader(stub.get(), requests.get(), reports.get(), tokens.get(),
                                         options, &clock, &std::cerr);
  absl::StatusOr<demo::RequestLoadSummary> request_summary = request_loader.Load();
  if (!request_summary.ok()) Fail(1, std::string(request_summary.status().message()));
  std::cout << kProgram << ": " << request_summary->ToString() << std::endl;
  return 0;
}
