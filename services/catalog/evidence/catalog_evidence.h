// The catalog's answer to the suite's compliance-evidence call (ASM-6, ADR 0022):
// inspection items 3 (five disclosures in document procedures), 4 (disclosure
// attribute at the source), 5 (proactive-disclosure catalog), 11 (disclosure on
// request) and 14 (annual report), for one unit and period. The shared handler
// (libs/evidence/evidence_handler.h) validates, authorizes and marks a period that has
// not ended; this class only reads, through the owning modules' repository interfaces
// (never their tables), and reuses the clocks they stored (CAT-3 publication due dates,
// NAT-7 reply due dates): no rule is recomputed here.
//
//   CatalogEvidence evidence({units, catalog_items, documents, self_reviews, requests,
//                             annual_reports});
//   evidence::ComplianceEvidenceHandler handler("catalog", &evidence, authenticator, clock);
//
// Collect() answers NOT_FOUND for a unit that does not exist, and passes on the
// repositories' errors. A clock that cannot be judged (a due date pending because its
// calendar year is not loaded) is left out of the on-time/late counts and marks the
// item incomplete. The indicators are listed in docs/services/catalog.md
// ("Compliance evidence (ASM-6)").
//
// Thread-safe: holds no mutable state; the repositories are thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_EVIDENCE_CATALOG_EVIDENCE_H_
#define GONGKAI_SERVICES_CATALOG_EVIDENCE_CATALOG_EVIDENCE_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/evidence/evidence_source.h"
#include "libs/rules/rule_book.h"
#include "services/catalog/annual_report/report_repository.h"
#include "services/catalog/catalog_items/catalog_item_repository.h"
#include "services/catalog/documents/document_repository.h"
#include "services/catalog/requests/request_repository.h"
#include "services/catalog/self_review/self_review_repository.h"
#include "services/catalog/units/unit_repository.h"

namespace gongkai::catalog::evidence {

// The modules' repositories the evidence reads; all must outlive the CatalogEvidence.
struct EvidenceRepositories {
  units::UnitRepository* units = nullptr;
  catalog_items::CatalogItemRepository* catalog_items = nullptr;
  documents::DocumentRepository* documents = nullptr;
  self_review::SelfReviewRepository* self_reviews = nullptr;
  requests::RequestRepository* requests = nullptr;
  annual_report::AnnualReportRepository* annual_reports = nullptr;
};

class CatalogEvidence final : public gongkai::evidence::EvidenceSource {
 public:
  // `rules` holds catalog.annual_report (item 14's NAT-10 deadlines).
  CatalogEvidence(const EvidenceRepositories& repositories,
                  std::shared_ptr<const rules::RuleBook> rules)
      : repositories_(repositories), rules_(std::move(rules)) {}

  // FIVE_DISCLOSURES_IN_PROCEDURES, DISCLOSURE_ATTRIBUTE, PROACTIVE_CATALOG,
  // DISCLOSURE_ON_REQUEST, ANNUAL_REPORT.
  std::vector<gongkai::evidence::InspectionItem> Items() const override;
  absl::StatusOr<gongkai::evidence::ItemEvidence> Collect(
      gongkai::evidence::InspectionItem item,
      const gongkai::evidence::EvidenceQuery& query) override;

 private:
  using ItemEvidence = gongkai::evidence::ItemEvidence;
  using EvidenceQuery = gongkai::evidence::EvidenceQuery;

  absl::StatusOr<ItemEvidence> FiveDisclosures(const EvidenceQuery& query);      // Item 3.
  absl::StatusOr<ItemEvidence> AttributeAtSource(const EvidenceQuery& query);    // Item 4.
  absl::StatusOr<ItemEvidence> ProactiveCatalog(const EvidenceQuery& query);     // Item 5.
  absl::StatusOr<ItemEvidence> DisclosureOnRequest(const EvidenceQuery& query);  // Item 11.
  absl::StatusOr<ItemEvidence> AnnualReport(const EvidenceQuery& query,
                                            v1::UnitLevel level);  // Item 14.

  EvidenceRepositories repositories_;
  std::shared_ptr<const rules::RuleBook> rules_;
};

}  // namespace gongkai::catalog::evidence

#endif  // GONGKAI_SERVICES_CATALOG_EVIDENCE_CATALOG_EVIDENCE_H_
