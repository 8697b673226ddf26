// gongkai-assessment-bench: the figure of issue 13 — one full assessment run over N units
// x 15 items with the evidence calls in parallel — driven against a running catalog and
// assessment (tests/bench/assessment.sh starts them). Prints figures, asserts nothing.
//
//   gongkai-assessment-bench --catalog=127.0.0.1:50051 --assessment=127.0.0.1:50056
//       --secret_file=jwt.key --issuer=gongkai --audience=gongkai --units=40
//       --stand_in_port=50099 --assessment_pid=1234   (one command line)
//
// The units and documents are created through the catalog's public API. The services
// not running (consultation, interpretation, opinion, website) are answered by a
// stand-in ComplianceEvidenceService this program hosts on --stand_in_port (synthetic
// indicators from memory), so every item of every unit is fetched over gRPC; with the
// real services merged, point GONGKAI_PEERS at them instead and pass --stand_in_port=0.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "libs/auth/token_minter.h"

ABSL_FLAG(std::string, catalog, "", "the catalog's gRPC address");
ABSL_FLAG(std::string, assessment, "", "the assessment's gRPC address");
ABSL_FLAG(std::string, secret_file, "", "the HS256 secret both services verify");
ABSL_FLAG(std::string, issuer, "gongkai", "JWT issuer");
ABSL_FLAG(std::string, audience, "gongkai", "JWT audience");
ABSL_FLAG(int, units, 40, "units to assess");
ABSL_FLAG(int, documents_per_unit, 5, "documents drafted per unit (some without attribute)");
ABSL_FLAG(int, stand_in_port, 0, "port of the stand-in evidence service (0: none)");
ABSL_FLAG(int, assessment_pid, 0, "the assessment process, for its CPU time");
ABSL_FLAG(int, catalog_pid, 0, "the catalog process, for its CPU time");
ABSL_FLAG(int, runs, 3, "full runs measured (each a new run of the same year)");

namespace {

namespace av1 = gongkai::assessment::v1;
namespace cv1 = gongkai::catalog::v1;
using gongkai::common::v1::ComplianceEvidence;
using gongkai::common::v1::GetComplianceEvidenceRequest;

// Answers any item with a few synthetic indicators, as the real services would.
class StandInEvidence final : public gongkai::common::v1::ComplianceEvidenceService::Service {
  grpc::Status GetComplianceEvidence(grpc::ServerContext*,
                                     const GetComplianceEvidenceRequest* request,
                                     ComplianceEvidence* response) override {
    response->set_unit_id(request->unit_id());
    response->set_service("stand-in");
    for (int item : request->items()) {
      auto* answer = response->add_items();
      answer->set_item(static_cast<gongkai::common::v1::InspectionItem>(item));
      answer->set_complete(true);
      for (int i = 0; i < 4; ++i) {
        auto* indicator = answer->add_indicators();
        indicator->set_name(absl::StrCat("indicator_", i));
        indicator->set_count((request->unit_id() + i) % 7);
        for (int r = 0; r < indicator->count(); ++r)
          indicator->add_references(absl::StrCat("record/", r));
      }
    }
    return grpc::Status::OK;
  }
};

double CpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(text.substr(close + 2), ' ');
  if (fields.size() < 13) return 0;
  return (std::stod(fields[11]) + std::stod(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string Token(const std::string& secret, const std::string& subject,
                  std::optional<int64_t> unit, const std::string& role) {
  gongkai::auth::Claims claims;
  claims.subject = subject;
  claims.unit_id = unit;
  claims.roles = {role};
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  claims.audience = {absl::GetFlag(FLAGS_audience)};
  claims.issued_at = absl::Now();
  return *gongkai::auth::MintHs256(claims, secret, absl::Hours(2));
}

template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const std::string& token, const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return (stub.*method)(&context, request, response);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream secret_in(absl::GetFlag(FLAGS_secret_file));
  std::string secret((std::istreambuf_iterator<char>(secret_in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();

  std::unique_ptr<grpc::Server> stand_in;
  StandInEvidence stand_in_service;
  if (absl::GetFlag(FLAGS_stand_in_port) > 0) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", absl::GetFlag(FLAGS_stand_in_port)),
                             grpc::InsecureServerCredentials());
    builder.RegisterService(&stand_in_service);
    stand_in = builder.BuildAndStart();
    if (!stand_in) {
      std::cerr << "cannot listen on the stand-in port\n";
      return 1;
    }
  }
  auto catalog = cv1::CatalogService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_catalog), grpc::InsecureChannelCredentials()));
  auto assessment = av1::AssessmentService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_assessment), grpc::InsecureChannelCredentials()));
  const std::string admin = Token(secret, "bench-admin", std::nullopt, "ADMIN");
  const std::string run_tag = absl::StrCat(absl::ToUnixMillis(absl::Now()));

  // Units and documents through the catalog's public API.
  for (int u = 0; u < absl::GetFlag(FLAGS_units); ++u) {
    cv1::CreateUnitRequest request;
    request.set_request_id(absl::StrCat("bench-unit-", run_tag, "-", u));
    request.mutable_unit()->set_code(absl::StrCat("BENCH-", run_tag, "-", u));
    request.mutable_unit()->set_name(absl::StrCat("基准单位", u));
    request.mutable_unit()->set_level(cv1::UNIT_LEVEL_DEPARTMENT);
    cv1::Unit unit;
    grpc::Status status =
        Call(*catalog, &cv1::CatalogService::Stub::CreateUnit, admin, request, &unit);
    if (!status.ok()) {
      std::cerr << "CreateUnit: " << status.error_message() << "\n";
      return 1;
    }
    const std::string staff =
        Token(secret, absl::StrCat("bench-staff-", unit.id()), unit.id(), "STAFF");
    for (int d = 0; d < absl::GetFlag(FLAGS_documents_per_unit); ++d) {
      cv1::CreateDocumentRequest doc;
      doc.mutable_document()->set_title(absl::StrCat("关于第", d, "号事项的通知"));
      doc.mutable_document()->set_body("正文");
      doc.mutable_document()->set_drafting_unit_id(unit.id());
      doc.mutable_document()->set_issuing_authority(cv1::DEPARTMENT);
      doc.mutable_document()->set_key_area(cv1::EDUCATION);
      doc.mutable_document()->set_disclosure_attribute(
          (u + d) % 3 == 0 ? cv1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED : cv1::PROACTIVE);
      cv1::Document created;
      status = Call(*catalog, &cv1::CatalogService::Stub::CreateDocument, staff, doc, &created);
      if (!status.ok()) {
        std::cerr << "CreateDocument: " << status.error_message() << "\n";
        return 1;
      }
    }
  }

  const int year = static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year());
  double best = 1e9, total_wall = 0, total_cpu = 0, total_catalog_cpu = 0;
  const int runs = absl::GetFlag(FLAGS_runs);
  for (int r = 0; r < runs; ++r) {
    const double cpu_before = CpuSeconds(absl::GetFlag(FLAGS_assessment_pid));
    const double catalog_before = CpuSeconds(absl::GetFlag(FLAGS_catalog_pid));
    const absl::Time start = absl::Now();
    av1::StartAssessmentRunRequest request;
    request.set_year(year);
    request.set_request_id(absl::StrCat("bench-run-", run_tag, "-", r));
    av1::AssessmentRun run;
    grpc::Status status =
        Call(*assessment, &av1::AssessmentService::Stub::StartAssessmentRun, admin, request, &run);
    if (!status.ok()) {
      std::cerr << "StartAssessmentRun: " << status.error_message() << "\n";
      return 1;
    }
    av1::GetAssessmentRunRequest get;
    get.set_id(run.id());
    while (run.state() == av1::RUNNING) {
      absl::SleepFor(absl::Milliseconds(20));
      status = Call(*assessment, &av1::AssessmentService::Stub::GetAssessmentRun, admin, get, &run);
      if (!status.ok()) {
        std::cerr << "GetAssessmentRun: " << status.error_message() << "\n";
        return 1;
      }
      if (absl::Now() - start > absl::Minutes(5)) {
        std::cerr << "the run did not finish in 5 minutes: " << run.progress() << "\n";
        return 1;
      }
    }
    const double wall = absl::ToDoubleSeconds(absl::Now() - start);
    const double cpu = CpuSeconds(absl::GetFlag(FLAGS_assessment_pid)) - cpu_before;
    const double catalog_cpu = CpuSeconds(absl::GetFlag(FLAGS_catalog_pid)) - catalog_before;
    best = std::min(best, wall);
    total_wall += wall;
    total_cpu += cpu;
    total_catalog_cpu += catalog_cpu;
    std::cout << "run " << run.id() << ": " << run.units_total() << " units x 15 items, state "
              << av1::AssessmentRunState_Name(run.state()) << ", " << wall
              << " s wall, assessment CPU " << cpu << " s, catalog CPU " << catalog_cpu << " s ("
              << run.progress() << ")\n";
    if (run.state() != av1::COMPLETED || run.units_total() < absl::GetFlag(FLAGS_units)) {
      std::cerr << "the run did not complete over every unit\n";
      return 1;
    }
  }
  std::cout << "assessment full run (" << absl::GetFlag(FLAGS_units)
            << " units x 15 items, evidence calls in parallel): best " << best << " s, mean "
            << total_wall / runs << " s (target <= 5 s); per run: assessment CPU "
            << total_cpu / runs << " s, catalog CPU " << total_catalog_cpu / runs
            << " s; runs per second " << runs / total_wall << "\n";
  if (stand_in) stand_in->Shutdown();
  return 0;
}
