// Loads the demo data set (demo_data.h) into a running catalog service through its
// public gRPC API, driving every document through the real lifecycle (CAT-1 to CAT-7).
//
// Idempotent: every create carries a deterministic request_id, and before creating the
// loader looks for what is already there (units by code, documents by unit and title,
// catalog items by category, unit and content), so a second run creates nothing and
// changes nothing. A document already in the database is only moved forward along its
// planned path; one that somebody moved elsewhere is left alone and reported.
//
//   auto stub = v1::CatalogService::NewStub(channel);
//   FixedTokenSource tokens(admin_jwt);
//   DemoLoader loader(stub.get(), &tokens, {.call_timeout = absl::Seconds(15)}, &std::cerr);
//   absl::StatusOr<LoadSummary> summary = loader.Load();
//   if (summary.ok()) std::cout << summary->ToString() << "\n";
//
// Errors: the first unexpected RPC failure stops the load; its status keeps the gRPC
// code and says which call and which item failed.
//
// Thread-safety: one Load() at a time.
#ifndef GONGKAI_SERVICES_CATALOG_DEMO_DEMO_LOADER_H_
#define GONGKAI_SERVICES_CATALOG_DEMO_DEMO_LOADER_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/demo/actor_tokens.h"
#include "services/catalog/demo/demo_data.h"

namespace gongkai::catalog::demo {

// The shared demo helpers (libs/demo), by their short names in the catalog's loaders.
using ::gongkai::demo::Actor;
using ::gongkai::demo::FixedTokenSource;
using ::gongkai::demo::MintingTokenSource;
using ::gongkai::demo::TokenSource;

struct LoadSummary {
  int units = 0;
  int units_created = 0;
  int documents = 0;
  int documents_created = 0;
  int lifecycle_steps = 0;       // Submit, review, return and publish calls made.
  int documents_left_alone = 0;  // Off their planned path; not touched.
  std::map<v1::DocumentState, int> documents_by_state;
  int catalog_items = 0;
  int catalog_items_created = 0;
  int catalog_item_revisions = 0;  // Updates made by this run.
  std::string self_review;    // e.g. "南宁市民政局 2026 COMPLETED (kept 1, converted 1)".
  int self_review_steps = 0;  // Start, decide and complete calls that changed something.

  bool NothingNew() const;
  // One line: units, documents by state, catalog items, self-review.
  std::string ToString() const;
};

struct LoaderOptions {
  absl::Duration call_timeout = absl::Seconds(15);
};

class DemoLoader {
 public:
  // `stub`, `tokens` and `progress` must outlive the loader; `progress` receives one
  // line per change made.
  DemoLoader(v1::CatalogService::StubInterface* stub, TokenSource* tokens, LoaderOptions options,
             std::ostream* progress);

  absl::StatusOr<LoadSummary> Load();

 private:
  using Stub = v1::CatalogService::StubInterface;

  // One RPC as `actor`; a failure names `rpc` and `what` and keeps the gRPC code.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const char* rpc, const Actor& actor, const Request& request,
                                const std::string& what);

  absl::Status CheckCategories();
  absl::Status CheckAccess();
  absl::Status LoadUnits();
  absl::Status LoadDocuments();
  absl::Status LoadCatalogItems();
  absl::Status LoadSelfReview();
  absl::Status CountDocumentStates();

  absl::StatusOr<std::map<std::string, v1::Unit>> ListAllUnits();
  absl::StatusOr<std::vector<v1::Document>> ListAllDocuments();
  absl::StatusOr<std::vector<v1::CatalogItem>> ListAllCatalogItems();

  // Moves `document` forward along the path `spec` plans for it.
  absl::StatusOr<v1::Document> Drive(const DocumentSpec& spec, v1::Document document);

  int64_t UnitId(const std::string& code) const;
  Actor Office() const;
  Actor StaffOf(const std::string& unit_code) const;
  Actor ReviewerOf(const std::string& unit_code) const;
  void Progress(const std::string& line);

  Stub* stub_;
  TokenSource* tokens_;
  LoaderOptions options_;
  std::ostream* progress_;
  std::map<std::string, v1::Unit> units_;  // By code.
  LoadSummary summary_;
};

}  // namespace gongkai::catalog::demo

#endif  // GONGKAI_SERVICES_CATALOG_DEMO_DEMO_LOADER_H_
