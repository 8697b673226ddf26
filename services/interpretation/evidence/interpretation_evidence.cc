#include "services/interpretation/evidence/interpretation_evidence.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/status/status_macros.h"

namespace gongkai::interpretation {
namespace {

using evidence::AddIndicator;
using evidence::IndicatorSpec;

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, ShanghaiTimeZone()); }

}  // namespace

std::vector<evidence::InspectionItem> InterpretationEvidence::Items() const {
  return {common::v1::POLICY_INTERPRETATION};
}

absl::StatusOr<evidence::ItemEvidence> InterpretationEvidence::Collect(
    evidence::InspectionItem item, const evidence::EvidenceQuery& query) {
  evidence::ItemEvidence result;
  if (item != common::v1::POLICY_INTERPRETATION) {
    return absl::InvalidArgumentError(absl::StrCat("item ", item, " is not answered here"));
  }
  ASSIGN_OR_RETURN(std::vector<PublicationWithInterpretation> rows,
                   repository_->PublicationsInPeriod(query.unit_id, StartOf(query.period_start),
                                                     StartOf(query.period_end + 1)));
  // Whether an interpretation is missing is judged as of the end of the period, or
  // today when the period has not ended.
  const absl::CivilDay as_of = std::min(query.period_end, query.today);
  std::vector<int64_t> published, in_sync, late, missing, pending;
  bool incomplete = false;
  for (const PublicationWithInterpretation& row : rows) {
    const int64_t id = row.publication.document_id;
    published.push_back(id);
    LagAssessment lag = interpretations_->AssessLag(row.publication, row.primary, as_of);
    if (!lag.complete) incomplete = true;
    switch (lag.status) {
      case v1::IN_SYNC:
        in_sync.push_back(id);
        break;
      case v1::LATE:
        late.push_back(id);
        break;
      case v1::MISSING:
        missing.push_back(id);
        break;
      default:
        pending.push_back(id);
        break;
    }
  }
  AddIndicator(result,
               IndicatorSpec{"policy_documents_published", "发布的政策文件", "INT-3", "document"},
               published);
  AddIndicator(
      result,
      IndicatorSpec{"interpretations_in_sync", "解读与文件同步发布的政策文件", "INT-3", "document"},
      in_sync);
  AddIndicator(
      result,
      IndicatorSpec{"interpretations_late", "解读晚于允许时限发布的政策文件", "INT-3", "document"},
      late);
  AddIndicator(result,
               IndicatorSpec{"interpretations_missing", "超过允许时限仍未发布解读的政策文件",
                             "INT-3", "document"},
               missing);
  AddIndicator(result,
               IndicatorSpec{"interpretations_pending", "尚在允许时限内、解读未发布的政策文件",
                             "INT-3", "document"},
               pending);
  if (incomplete) {
    evidence::MarkIncomplete(result,
                             "the working-day calendar of a year a lag spans is not loaded "
                             "(NAT-1): those documents are counted as pending");
  }
  return result;
}

}  // namespace gongkai::interpretation
