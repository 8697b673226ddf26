// gongkai-interpretation-demo: loads the interpretation demo data (demo_loader.h) into
// a running interpretation service and, for the documents it interprets, the catalog
// beside it. Run by ./gongkai up after the catalog's demo loader.
//
//   gongkai-interpretation-demo --target=127.0.0.1:50052 --secret-file=jwt-hs256.key
//       --issuer=gongkai-dev --audience=gongkai [--catalog=127.0.0.1:50051]
//
// Tokens are minted per demo user (the unit's staff, reviewer and principal head, the
// general office), so a key is required. The catalog's address defaults to
// 127.0.0.1:$GONGKAI_CATALOG_GRPC_PORT (50051), as ./gongkai runs it.
// Exit status: 0 loaded, 1 a call failed, 2 bad flags.
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
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_tokens.h"
#include "services/interpretation/demo/demo_loader.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "The interpretation service's gRPC address");
ABSL_FLAG(std::string, catalog, "", "The catalog's gRPC address (default: see above)");
ABSL_FLAG(std::string, secret_file, "", "The services' HS256 key (a token per demo user)");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens");
ABSL_FLAG(std::string, audience, "gongkai", "Audience of minted tokens, comma-separated");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(15), "Deadline of each call");

namespace {

constexpr char kProgram[] = "gongkai-interpretation-demo";

[[noreturn]] void Fail(int exit_code, const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  std::exit(exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "loads the interpretation demo data: gongkai-interpretation-demo --target=HOST:PORT "
      "--secret-file=F [--issuer=I --audience=A --catalog=HOST:PORT]");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (positional.size() > 1) Fail(2, absl::StrCat("unexpected argument \"", positional[1], "\""));
  const std::string target = absl::GetFlag(FLAGS_target);
  std::string catalog = absl::GetFlag(FLAGS_catalog);
  if (catalog.empty()) {
    const char* port = std::getenv("GONGKAI_CATALOG_GRPC_PORT");
    catalog = absl::StrCat("127.0.0.1:", port != nullptr && *port != '\0' ? port : "50051");
  }
  const std::string secret_file = absl::GetFlag(FLAGS_secret_file);
  if (target.empty() || secret_file.empty()) Fail(2, "--target and --secret-file are required");
  std::ifstream in(secret_file, std::ios::binary);
  if (!in) Fail(2, absl::StrCat("--secret-file=\"", secret_file, "\" cannot be read"));
  std::stringstream secret;
  secret << in.rdbuf();
  std::vector<std::string> audience;
  for (absl::string_view aud :
       absl::StrSplit(absl::GetFlag(FLAGS_audience), ',', absl::SkipWhitespace())) {
    audience.emplace_back(absl::StripAsciiWhitespace(aud));
  }
  if (audience.empty()) Fail(2, "--audience must not be empty");

  gongkai::RealClock clock;
  gongkai::demo::MintingTokenSource tokens(std::string(absl::StripAsciiWhitespace(secret.str())),
                                           absl::GetFlag(FLAGS_issuer), std::move(audience),
                                           &clock);
  auto catalog_stub = gongkai::catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(catalog, grpc::InsecureChannelCredentials()));
  auto interpretation_stub = gongkai::interpretation::v1::InterpretationService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  std::cerr << kProgram << ": loading demo data into " << target << " (catalog " << catalog
            << ")\n";
  gongkai::interpretation::demo::DemoLoader loader(catalog_stub.get(), interpretation_stub.get(),
                                                   &tokens, absl::GetFlag(FLAGS_call_timeout),
                                                   &std::cerr);
  absl::StatusOr<gongkai::interpretation::demo::LoadSummary> summary = loader.Load();
  if (!summary.ok()) Fail(1, std::string(summary.status().message()));
  std::cout << kProgram << ": " << summary->ToString() << std::endl;
  return 0;
}
