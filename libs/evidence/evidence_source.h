// What a service implements to answer the suite's compliance-evidence call (ASM-6,
// protos/gongkai/common/v1/compliance_evidence.proto): the inspection items it holds
// data for and, per item, the indicators for one unit and period. The shared handler
// (evidence_handler.h) validates the request, authorizes the caller, marks items of a
// period that has not ended as incomplete, and calls Collect() once per item wanted.
//
//   class CatalogEvidence final : public evidence::EvidenceSource {
//     std::vector<InspectionItem> Items() const override { return {DISCLOSURE_ATTRIBUTE}; }
//     absl::StatusOr<ItemEvidence> Collect(InspectionItem item,
//                                          const EvidenceQuery& query) override {
//       ItemEvidence evidence;
//       ASSIGN_OR_RETURN(std::vector<int64_t> ids, repository_->DocumentsWithout(...));
//       evidence::AddIndicator(evidence, {"documents_without_attribute", "未认定公开属性的文件",
//                                         "CAT-1", "document"}, ids);
//       return evidence;
//     }
//   };
//
// Thread-safety: Collect() may be called concurrently.
#ifndef GONGKAI_LIBS_EVIDENCE_EVIDENCE_SOURCE_H_
#define GONGKAI_LIBS_EVIDENCE_EVIDENCE_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gongkai/common/v1/compliance_evidence.pb.h"

namespace gongkai::evidence {

using common::v1::InspectionItem;
using common::v1::ItemEvidence;

// One validated request.
struct EvidenceQuery {
  int64_t unit_id = 0;
  absl::CivilDay period_start;
  absl::CivilDay period_end;  // Included.
  absl::CivilDay today;       // Asia/Shanghai, from the injected clock.
};

class EvidenceSource {
 public:
  virtual ~EvidenceSource() = default;
  // The items this service answers, in item order.
  virtual std::vector<InspectionItem> Items() const = 0;
  // The evidence for one of Items(). The handler sets `item`, and `complete` from the
  // reasons: Collect marks an item incomplete only with MarkIncomplete(reason); the
  // handler adds the reason of a period that has not ended.
  virtual absl::StatusOr<ItemEvidence> Collect(InspectionItem item, const EvidenceQuery& query) = 0;
};

// Describes an indicator; the count and references come from the ids.
struct IndicatorSpec {
  std::string name;         // Stable machine name, e.g. "documents_published_overdue".
  std::string description;  // Readable (Chinese).
  std::string requirement;  // e.g. "CAT-3".
  std::string kind;         // The references' kind, e.g. "document": "document/42".
};

// At most this many references are listed per indicator (the count is always whole).
inline constexpr int kMaxReferences = 1000;

// Adds an indicator counting `ids` (any order; sorted and listed as "<kind>/<id>", the
// first kMaxReferences of them).
void AddIndicator(ItemEvidence& evidence, const IndicatorSpec& spec, std::vector<int64_t> ids);

// Adds an indicator counting `count` records of which `first_ids` are the first ones in
// id order (a repository's COUNT plus a bounded id list, so millions of rows are never
// loaded); at most kMaxReferences of them are listed, and the references are marked
// truncated when fewer are listed than counted.
void AddIndicatorWithCount(ItemEvidence& evidence, const IndicatorSpec& spec, int64_t count,
                           std::vector<int64_t> first_ids);

// Adds an indicator with a count and no records behind it (e.g. a figure entered in
// an annual report).
void AddCount(ItemEvidence& evidence, const IndicatorSpec& spec, int64_t count);

// Marks `evidence` incomplete for `reason`.
void MarkIncomplete(ItemEvidence& evidence, std::string reason);

}  // namespace gongkai::evidence

#endif  // GONGKAI_LIBS_EVIDENCE_EVIDENCE_SOURCE_H_
