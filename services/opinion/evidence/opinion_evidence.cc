#include "services/opinion/evidence/opinion_evidence.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace gongkai::opinion {
namespace {

using evidence::IndicatorSpec;

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, ShanghaiTimeZone()); }

}  // namespace

std::vector<evidence::InspectionItem> OpinionEvidence::Items() const {
  return {common::v1::PUBLIC_OPINION_RESPONSE};
}

absl::StatusOr<evidence::ItemEvidence> OpinionEvidence::Collect(
    evidence::InspectionItem item, const evidence::EvidenceQuery& query) {
  if (item != common::v1::PUBLIC_OPINION_RESPONSE) {
    return absl::InternalError(absl::StrCat("opinion does not hold item ", item));
  }
  ASSIGN_OR_RETURN(std::vector<events::EventOutcome> outcomes,
                   repository_->EventOutcomes(query.unit_id, StartOf(query.period_start),
                                              StartOf(query.period_end + 1), clock_->Now()));
  std::vector<int64_t> especially_major, major, general, on_time, late, not_responded, declined;
  for (const events::EventOutcome& o : outcomes) {
    switch (o.grade) {
      case v1::GRADE_ESPECIALLY_MAJOR:
        especially_major.push_back(o.event_id);
        break;
      case v1::GRADE_MAJOR:
        major.push_back(o.event_id);
        break;
      default:
        general.push_back(o.event_id);
    }
    if (o.decided_not_to_respond) declined.push_back(o.event_id);
    if (o.responses == 0 && !o.decided_not_to_respond) {
      not_responded.push_back(o.event_id);
    } else if (o.late_clocks > 0) {
      late.push_back(o.event_id);
    } else {
      on_time.push_back(o.event_id);
    }
  }
  evidence::ItemEvidence result;
  const std::string kind = "opinion_event";
  evidence::AddIndicator(result, {"events_especially_major", "特别重大舆情事件", "OPI-4", kind},
                         std::move(especially_major));
  evidence::AddIndicator(result, {"events_major", "重大舆情事件", "OPI-4", kind}, std::move(major));
  evidence::AddIndicator(result, {"events_general", "一般舆情事件", "NAT-12", kind},
                         std::move(general));
  evidence::AddIndicator(result, {"responded_on_time", "按时回应的舆情事件", "NAT-12", kind},
                         std::move(on_time));
  evidence::AddIndicator(result, {"responded_late", "超时回应的舆情事件", "NAT-12", kind},
                         std::move(late));
  evidence::AddIndicator(result, {"not_responded", "未回应的舆情事件", "OPI-1", kind},
                         std::move(not_responded));
  evidence::AddIndicator(result,
                         {"decided_not_to_respond", "经研判决定不予回应的舆情事件", "OPI-1", kind},
                         std::move(declined));
  return result;
}

}  // namespace gongkai::opinion
