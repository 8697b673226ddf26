// Loads the demo disclosure requests and the draft annual report (request_demo_data.h)
// into a running catalog service through its public gRPC API (CAT-8, CAT-9), as the
// people who would do it: the public files online without any token, the units' staff
// register in-person and mail requests and handle them.
//
// Runs after DemoLoader (demo_loader.h): it needs the demo units and published documents.
//
// Idempotent like DemoLoader: every filing and challenge carries a deterministic
// request_id, and before filing the loader looks for the request (by applicant name and
// subject among all requests), so a second run files nothing. A request already there
// is only moved forward along its planned path (each transition guarded by the version
// read just before it); one that somebody moved elsewhere is left alone and reported.
// The annual report draft is saved only when the unit has none yet.
//
//   RequestDemoLoader loader(catalog.get(), requests.get(), reports.get(), &tokens,
//                            {.call_timeout = absl::Seconds(15)}, &clock, &std::cerr);
//   absl::StatusOr<RequestLoadSummary> summary = loader.Load();
//
// Errors: the first unexpected RPC failure stops the load; its status keeps the gRPC
// code and says which call and which request failed. FAILED_PRECONDITION when the demo
// units or the published document an answer points to are missing.
//
// Thread-safety: one Load() at a time.
#ifndef GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_LOADER_H_
#define GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_LOADER_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/demo/actor_tokens.h"
#include "services/catalog/demo/demo_loader.h"
#include "services/catalog/demo/request_demo_data.h"

namespace gongkai::catalog::demo {

struct RequestLoadSummary {
  int requests = 0;
  int requests_filed = 0;
  int lifecycle_steps = 0;      // Correction, assignment, consultation, extension, answer.
  int requests_left_alone = 0;  // Off their planned path; not touched.
  std::map<v1::DisclosureRequestState, int> requests_by_state;
  int challenges = 0;
  int challenges_recorded = 0;
  // e.g. "南宁市住房和城乡建设局 2026 DRAFT version 1 (Table 3: 2 new, 1 handled, 1 carried
  // forward)".
  std::string annual_report;
  bool annual_report_saved = false;  // By this run.

  bool NothingNew() const;
  std::string ToString() const;
};

class RequestDemoLoader {
 public:
  // Every pointer must outlive the loader; `progress` receives one line per change made
  // (a new request's tracking code and secret among them: the secret is shown only once).
  RequestDemoLoader(v1::CatalogService::StubInterface* catalog,
                    v1::DisclosureRequestService::StubInterface* requests,
                    v1::AnnualReportService::StubInterface* reports, TokenSource* tokens,
                    LoaderOptions options, const Clock* clock, std::ostream* progress);

  absl::StatusOr<RequestLoadSummary> Load();

 private:
  using RequestStub = v1::DisclosureRequestService::StubInterface;

  // The next thing the loader does to a request on its planned path.
  enum class Step { kNotice, kCorrection, kAssign, kConsult, kEndConsultation, kExtend, kAnswer };

  absl::Status LoadUnits();
  absl::Status LoadPublishedDocuments();
  absl::StatusOr<std::vector<v1::DisclosureRequest>> ListAllRequests();
  absl::StatusOr<v1::DisclosureRequest> File(const DisclosureRequestSpec& spec);
  absl::StatusOr<v1::DisclosureRequest> Drive(const DisclosureRequestSpec& spec,
                                              v1::DisclosureRequest request);
  absl::StatusOr<v1::DisclosureRequest> Take(Step step, const DisclosureRequestSpec& spec,
                                             const v1::DisclosureRequest& request);
  absl::Status RecordChallenge(const DisclosureRequestSpec& spec,
                               const v1::DisclosureRequest& request);
  absl::Status SaveAnnualReportDraft();

  Actor Office() const;
  // The drafter of the unit (the unit's disclosure clerk), by code or by id.
  Actor StaffOf(const std::string& unit_code) const;
  Actor StaffOfUnit(int64_t unit_id) const;
  absl::StatusOr<int64_t> UnitId(const std::string& code) const;
  absl::CivilDay Today() const;
  void Progress(const std::string& line);

  v1::CatalogService::StubInterface* catalog_;
  RequestStub* requests_;
  v1::AnnualReportService::StubInterface* reports_;
  TokenSource* tokens_;
  LoaderOptions options_;
  const Clock* clock_;
  std::ostream* progress_;
  std::map<std::string, v1::Unit> units_;      // By code.
  std::map<int64_t, std::string> unit_codes_;  // Id → code.
  std::map<std::string, int64_t> published_;   // Published document id by title.
  RequestLoadSummary summary_;
};

}  // namespace gongkai::catalog::demo

#endif  // GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_LOADER_H_
