// The interpretation service's demo data (./gongkai up, after the catalog's): the
// city-government policy documents the catalog's demo leaves as drafts (INT-3: they
// wait for their interpretation) are interpreted by their drafting unit, approved by
// its principal head and then submitted, reviewed and published through the catalog,
// so their interpretations are released with them by the outbox; one stays a draft
// interpretation (its document unsubmitted), one published document gets a
// supplementary interpretation, released interpretations get their INT-4 release
// records, and the department policy documents the catalog published without one are
// left to show as pending/missing. Safe to run again: request ids and states make
// every step happen once.
//
// Thread-compatible: one loader, one thread.
#ifndef GONGKAI_SERVICES_INTERPRETATION_DEMO_DEMO_LOADER_H_
#define GONGKAI_SERVICES_INTERPRETATION_DEMO_DEMO_LOADER_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "libs/demo/actor_tokens.h"

namespace gongkai::interpretation::demo {

struct LoadSummary {
  int interpreted = 0;  // Interpretations created.
  int approved = 0;
  int published = 0;  // Documents taken through the catalog to PUBLISHED.
  int supplementary = 0;
  int release_records = 0;
  std::string ToString() const;
};

// The content of a demo interpretation of the document titled `title`: the nine INT-2
// sections (one not applicable with its reason), the INT-3 plan and two materials.
v1::Interpretation DemoContent(const std::string& title, int64_t document_id);

class DemoLoader {
 public:
  // Pointers must outlive the loader.
  DemoLoader(catalog::v1::CatalogService::Stub* catalog,
             v1::InterpretationService::Stub* interpretation, gongkai::demo::TokenSource* tokens,
             absl::Duration call_timeout, std::ostream* progress)
      : catalog_(catalog),
        interpretation_(interpretation),
        tokens_(tokens),
        call_timeout_(call_timeout),
        progress_(progress) {}

  absl::StatusOr<LoadSummary> Load();

 private:
  catalog::v1::CatalogService::Stub* catalog_;
  v1::InterpretationService::Stub* interpretation_;
  gongkai::demo::TokenSource* tokens_;
  absl::Duration call_timeout_;
  std::ostream* progress_;
};

}  // namespace gongkai::interpretation::demo

#endif  // GONGKAI_SERVICES_INTERPRETATION_DEMO_DEMO_LOADER_H_
