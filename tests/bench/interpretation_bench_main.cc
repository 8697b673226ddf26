// gongkai-interpretation-bench: publishing policy documents with their interpretation
// (the INT-3 release gate, the outbox in the publication's transaction, the relay, the
// interpretation service applying it) against publishing documents that need none, in
// the same run, on the same catalog; and the outbox delivery lag. Prints figures, never
// asserts (tests/bench/interpretation.sh turns them into the bench table).
//
//   gongkai-interpretation-bench --catalog=127.0.0.1:P --interpretation=127.0.0.1:Q
//       --secret_file=jwt.key --issuer=I --audience=A --catalog_metrics=127.0.0.1:M
//       [--documents=1000 --concurrency=8 --pids=CATALOG,INTERPRETATION[,MARIADBD]]
//
// Setup (not measured): `documents` APPROVED documents of each kind — plain ones
// (a department's non-policy notice) and city-government policy documents whose
// interpretation is approved. Measured: PublishDocument for each kind by `concurrency`
// client threads; the CPU time the processes in `pids` spent (catalog, interpretation,
// and the database server when given),
// per publication, in total and per process; for the interpreted kind up to the moment
// the relay has delivered every publication event (so the delivery and the release are
// counted). Then it reads every interpretation back (RELEASED; not measured) and the
// catalog's gongkai_outbox_delivery_lag_seconds histogram (commit → delivered).
// Last lines, machine-readable:
//   RESULT kind=plain publications=200 rps=123.4 cpu_ms=3.21 catalog_ms=3.21 interpretation_ms=0.00
//   RESULT kind=interpreted publications=200 rps=98.7 cpu_ms=5.43 released=200 catalog_ms=...
//   RESULT outbox_lag p50_ms=12 p99_ms=45 events=200
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "httplib.h"
#include "libs/auth/token_minter.h"

ABSL_FLAG(std::string, catalog, "", "The catalog's gRPC address");
ABSL_FLAG(std::string, interpretation, "", "The interpretation service's gRPC address");
ABSL_FLAG(std::string, catalog_metrics, "", "The catalog's /metrics host:port");
ABSL_FLAG(std::string, secret_file, "", "The services' HS256 key");
ABSL_FLAG(std::string, issuer, "gongkai-bench", "Token issuer");
ABSL_FLAG(std::string, audience, "gongkai", "Token audience");
ABSL_FLAG(int, documents, 1000, "Documents published per kind");
ABSL_FLAG(int, concurrency, 8, "Client threads publishing at once");
ABSL_FLAG(std::string, pids, "",
          "Comma-separated pids whose CPU time is counted: catalog, interpretation[, mariadbd]");

namespace {

namespace cat = ::gongkai::catalog::v1;
namespace interp = ::gongkai::interpretation::v1;

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "gongkai-interpretation-bench: " << message << "\n";
  std::exit(1);
}

std::string secret;

std::string Token(const std::string& subject, int64_t unit, const std::string& role) {
  gongkai::auth::Claims claims;
  claims.subject = subject;
  if (unit > 0) claims.unit_id = unit;
  claims.roles = {role};
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  claims.audience = {absl::GetFlag(FLAGS_audience)};
  claims.issued_at = absl::Now();
  absl::StatusOr<std::string> token = gongkai::auth::MintHs256(claims, secret, absl::Hours(2));
  if (!token.ok()) Fail(token.status().ToString());
  return *token;
}

template <typename Stub, typename Request, typename Response>
Response Call(Stub* stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const std::string& token, const Request& request, const char* what) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  Response response;
  grpc::Status status = (stub->*method)(&context, request, &response);
  if (!status.ok()) Fail(absl::StrCat(what, ": ", status.error_message()));
  return response;
}

// CPU time (user + system) of one process, from /proc/<pid>/stat fields 14 and 15.
double ProcessCpuSeconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (stat.empty()) return 0;
  // After the ")" closing the command name: state is field 3, utime 14, stime 15.
  std::vector<std::string> fields = absl::StrSplit(stat.substr(stat.rfind(')') + 2), ' ');
  if (fields.size() <= 13) return 0;
  return (std::stod(fields[11]) + std::stod(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Each process's CPU seconds, in the order of `pids`.
std::vector<double> CpuSeconds(const std::vector<int>& pids) {
  std::vector<double> seconds;
  for (int pid : pids) seconds.push_back(ProcessCpuSeconds(pid));
  return seconds;
}

// Per-process CPU spent between two CpuSeconds readings, and its sum.
std::vector<double> Spent(const std::vector<double>& before, const std::vector<double>& after) {
  std::vector<double> spent;
  for (size_t i = 0; i < before.size() && i < after.size(); ++i) {
    spent.push_back(after[i] - before[i]);
  }
  return spent;
}

double Sum(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum;
}

// " catalog_ms=1.23 interpretation_ms=0.45 mariadb_ms=0.67": per publication, per
// process (in the order of --pids: catalog, interpretation, the database server).
std::string PerProcess(const std::vector<double>& spent, size_t publications) {
  static const char* const kNames[] = {"catalog", "interpretation", "mariadb"};
  std::string out;
  for (size_t i = 0; i < spent.size() && i < 3; ++i) {
    absl::StrAppend(&out, " ", kNames[i], "_ms=",
                    absl::StrFormat("%.2f", 1000 * spent[i] / static_cast<double>(publications)));
  }
  return out;
}

// Publishes `ids` with `concurrency` threads; returns the wall time.
absl::Duration PublishAll(cat::CatalogService::Stub* catalog, const std::string& token,
                          const std::vector<int64_t>& ids, int concurrency) {
  std::atomic<size_t> next{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < ids.size(); i = next++) {
        cat::PublishDocumentRequest publish;
        publish.set_id(ids[i]);
        cat::Document published =
            Call(catalog, &cat::CatalogService::Stub::PublishDocument, token, publish, "publish");
        if (published.state() != cat::PUBLISHED) Fail("a publication did not publish");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return absl::Now() - start;
}

// The /metrics text at host:port ("" when it cannot be read).
std::string Scrape(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return "";
  httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
  auto scraped = client.Get("/metrics");
  return scraped ? scraped->body : "";
}

// gongkai_outbox_delivered_total{topic="document.published"} of the catalog.
double DeliveredPublications(const std::string& catalog_metrics) {
  std::istringstream lines(Scrape(catalog_metrics));
  for (std::string line; std::getline(lines, line);) {
    if (absl::StartsWith(line, "gongkai_outbox_delivered_total{") &&
        line.find("document.published") != std::string::npos) {
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return 0;
}

// A quantile of the histogram gongkai_outbox_delivery_lag_seconds{topic=document.published}
// (linear within the bucket), in milliseconds; and its count.
std::pair<double, double> LagQuantile(const std::string& metrics, double q) {
  std::vector<std::pair<double, double>> buckets;  // (le, cumulative count)
  std::istringstream lines(metrics);
  std::string line;
  for (; std::getline(lines, line);) {
    if (!absl::StartsWith(line, "gongkai_outbox_delivery_lag_seconds_bucket{") ||
        line.find("document.published") == std::string::npos) {
      continue;
    }
    const size_t le = line.find("le=\"");
    const std::string bound = line.substr(le + 4, line.find('"', le + 4) - le - 4);
    const double count = std::stod(line.substr(line.rfind(' ') + 1));
    buckets.emplace_back(bound == "+Inf" ? 1e18 : std::stod(bound), count);
  }
  if (buckets.empty() || buckets.back().second == 0) return {0, 0};
  const double total = buckets.back().second;
  const double rank = q * total;
  double previous_le = 0, previous_count = 0;
  for (const auto& [le, count] : buckets) {
    if (count >= rank) {
      if (le >= 1e18) return {previous_le * 1000, total};
      const double share =
          count == previous_count ? 1 : (rank - previous_count) / (count - previous_count);
      return {(previous_le + share * (le - previous_le)) * 1000, total};
    }
    previous_le = le;
    previous_count = count;
  }
  return {previous_le * 1000, total};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream key(absl::GetFlag(FLAGS_secret_file));
  std::stringstream key_text;
  key_text << key.rdbuf();
  secret = std::string(absl::StripAsciiWhitespace(key_text.str()));
  if (secret.empty()) Fail("--secret_file is empty or unreadable");
  std::vector<int> pids;
  for (absl::string_view pid : absl::StrSplit(absl::GetFlag(FLAGS_pids), ',', absl::SkipEmpty())) {
    int value = 0;
    if (absl::SimpleAtoi(pid, &value)) pids.push_back(value);
  }
  auto catalog = cat::CatalogService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_catalog), grpc::InsecureChannelCredentials()));
  auto interpretation = interp::InterpretationService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_interpretation), grpc::InsecureChannelCredentials()));
  const int n = absl::GetFlag(FLAGS_documents);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);

  const std::string admin = Token("bench-admin", 0, "ADMIN");
  cat::CreateUnitRequest unit_request;
  unit_request.mutable_unit()->set_code(
      absl::StrCat("BENCH-INT-", absl::ToUnixMillis(absl::Now())));
  unit_request.mutable_unit()->set_name("基准测试单位");
  unit_request.mutable_unit()->set_level(cat::UNIT_LEVEL_DEPARTMENT);
  const int64_t unit =
      Call(catalog.get(), &cat::CatalogService::Stub::CreateUnit, admin, unit_request, "unit").id();
  const std::string staff = Token("bench-staff", unit, "STAFF");
  const std::string reviewer = Token("bench-reviewer", unit, "REVIEWER");
  const std::string head = Token("bench-head", unit, "HEAD");

  std::cerr << "setup: " << n << " approved documents of each kind\n";
  std::vector<int64_t> plain, interpreted, interpretations;
  for (int kind = 0; kind < 2; ++kind) {
    for (int i = 0; i < n; ++i) {
      cat::CreateDocumentRequest create;
      cat::Document* d = create.mutable_document();
      d->set_title(
          absl::StrCat(kind == 0 ? "关于开展基准测试工作的通知" : "关于基准测试的若干政策措施", i));
      d->set_body("为做好相关工作，现将有关事项通知如下。");
      d->set_drafting_unit_id(unit);
      d->set_issuing_authority(kind == 0 ? cat::DEPARTMENT : cat::CITY_GOVERNMENT);
      d->set_is_policy_document(kind == 1);
      d->set_key_area(cat::EDUCATION);
      d->set_disclosure_attribute(cat::PROACTIVE);
      const int64_t id =
          Call(catalog.get(), &cat::CatalogService::Stub::CreateDocument, staff, create, "create")
              .id();
      if (kind == 1) {
        interp::CreateInterpretationRequest request;
        interp::Interpretation* it = request.mutable_interpretation();
        it->set_document_id(id);
        interp::Sections* s = it->mutable_sections();
        for (interp::Section* section :
             {s->mutable_background_and_basis(), s->mutable_objectives_and_tasks(),
              s->mutable_main_content(), s->mutable_scope(), s->mutable_standards_of_execution(),
              s->mutable_points_of_attention(), s->mutable_key_terms(),
              s->mutable_public_benefit_measures(), s->mutable_new_versus_old()}) {
          section->set_text("内容");
        }
        it->mutable_plan()->add_forms(interp::TEXT);
        it->mutable_plan()->add_channels(interp::WEBSITE);
        it->mutable_plan()->set_timing("同步发布");
        it->mutable_plan()->set_spokesperson("发言人");
        interp::Material* m = it->add_materials();
        m->set_title("解读");
        m->set_form(interp::TEXT);
        m->set_content("全文");
        const int64_t interpretation_id =
            Call(interpretation.get(), &interp::InterpretationService::Stub::CreateInterpretation,
                 staff, request, "interpret")
                .id();
        interp::ApproveInterpretationRequest approve;
        approve.set_id(interpretation_id);
        Call(interpretation.get(), &interp::InterpretationService::Stub::ApproveInterpretation,
             head, approve, "approve");
        interpretations.push_back(interpretation_id);
      }
      cat::SubmitDocumentRequest submit;
      submit.set_id(id);
      if (Call(catalog.get(), &cat::CatalogService::Stub::SubmitDocument, staff, submit, "submit")
              .state() != cat::PENDING_REVIEW) {
        Fail("a submission was returned");
      }
      cat::ReviewDocumentRequest review;
      review.set_id(id);
      review.set_outcome(cat::REVIEW_PASSED);
      Call(catalog.get(), &cat::CatalogService::Stub::ReviewDocument, reviewer, review, "review");
      (kind == 0 ? plain : interpreted).push_back(id);
    }
  }

  // Plain first, then interpreted, each timed with the CPU the services spent.
  std::cerr << "measuring: publishing" << std::endl;
  std::vector<double> cpu = CpuSeconds(pids);
  const absl::Duration plain_wall = PublishAll(catalog.get(), staff, plain, concurrency);
  const std::vector<double> plain_cpu = Spent(cpu, CpuSeconds(pids));
  cpu = CpuSeconds(pids);
  std::cerr << "measuring: publishing the interpreted documents" << std::endl;
  const absl::Duration interpreted_wall =
      PublishAll(catalog.get(), staff, interpreted, concurrency);
  // The releases land asynchronously: wait until the relay has delivered every event
  // (the catalog's gongkai_outbox_delivered_total; delivered means the interpretation
  // service applied it), counting the CPU of the delivery and the release too. The
  // waiting itself reads a counter a few times a second and costs the services next to
  // nothing, so the CPU figure is the publications' and not the bench's reads.
  const std::string catalog_metrics = absl::GetFlag(FLAGS_catalog_metrics);
  const absl::Time until = absl::Now() + absl::Seconds(60);
  while (absl::Now() < until &&
         DeliveredPublications(catalog_metrics) < static_cast<double>(interpreted.size())) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  const std::vector<double> interpreted_cpu = Spent(cpu, CpuSeconds(pids));
  // Then each interpretation is read back: RELEASED with the document's publication
  // time (not measured).
  int released = 0;
  for (size_t i = 0; i < interpretations.size(); ++i) {
    interp::GetInterpretationRequest get;
    get.set_id(interpretations[i]);
    const interp::Interpretation read =
        Call(interpretation.get(), &interp::InterpretationService::Stub::GetInterpretation, staff,
             get, "get");
    if (read.state() == interp::RELEASED) ++released;
  }

  // The histogram is updated after the delivery is recorded; give the relay a moment.
  absl::SleepFor(absl::Milliseconds(500));
  const std::string metrics_text = Scrape(catalog_metrics);
  const auto [p50, events] = LagQuantile(metrics_text, 0.5);
  const auto [p99, unused] = LagQuantile(metrics_text, 0.99);
  (void)unused;
  auto rps = [](size_t count, absl::Duration wall) {
    return static_cast<double>(count) / absl::ToDoubleSeconds(wall);
  };
  std::printf("RESULT kind=plain publications=%zu rps=%.1f cpu_ms=%.2f%s\n", plain.size(),
              rps(plain.size(), plain_wall),
              1000 * Sum(plain_cpu) / static_cast<double>(plain.size()),
              PerProcess(plain_cpu, plain.size()).c_str());
  std::printf("RESULT kind=interpreted publications=%zu rps=%.1f cpu_ms=%.2f released=%d%s\n",
              interpreted.size(), rps(interpreted.size(), interpreted_wall),
              1000 * Sum(interpreted_cpu) / static_cast<double>(interpreted.size()), released,
              PerProcess(interpreted_cpu, interpreted.size()).c_str());
  std::printf("RESULT outbox_lag p50_ms=%.1f p99_ms=%.1f events=%.0f\n", p50, p99, events);
  return 0;
}
