#include "services/consultation/consultation_evidence.h"

#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

namespace gongkai::consultation {

using evidence::AddCount;
using evidence::AddIndicator;
using evidence::InspectionItem;
using evidence::ItemEvidence;

std::vector<InspectionItem> ConsultationEvidence::Items() const {
  return {common::v1::OPEN_MEETINGS, common::v1::DECISION_PRE_DISCLOSURE,
          common::v1::PUBLIC_PARTICIPATION};
}

absl::StatusOr<ItemEvidence> ConsultationEvidence::Collect(InspectionItem item,
                                                           const evidence::EvidenceQuery& query) {
  // NOT_FOUND for a unit the catalog does not know (UNAVAILABLE when it cannot answer).
  RETURN_IF_ERROR(units_(query.unit_id).status());
  ASSIGN_OR_RETURN(EvidenceCounts counts,
                   consultations_->repository()->Evidence(query.unit_id, query.period_start,
                                                          query.period_end, query.today));
  ItemEvidence e;
  switch (item) {
    case common::v1::OPEN_MEETINGS:  // Item 7, CON-4.
      AddIndicator(e, {"meetings_held", "期间内的会议方案", "CON-4", "meeting"}, counts.meetings);
      AddIndicator(e, {"livelihood_meetings", "涉及重大民生事项的会议", "CON-4", "meeting"},
                   counts.livelihood_meetings);
      AddIndicator(e,
                   {"livelihood_meetings_not_open", "涉及重大民生事项但既未邀请列席也未公开的会议",
                    "CON-4", "meeting"},
                   counts.livelihood_meetings_closed);
      AddIndicator(
          e, {"meetings_with_recorded_attendance", "有列席人员出席记录的会议", "CON-4", "meeting"},
          counts.meetings_with_attendees);
      return e;
    case common::v1::DECISION_PRE_DISCLOSURE: {  // Item 8, CON-1, CON-2, NAT-11.
      AddIndicator(
          e, {"consultations_opened", "期间内开始公开征求意见的决策草案", "CON-2", "consultation"},
          counts.consultations);
      AddIndicator(e,
                   {"consultations_shortened", "记录缩短理由、征求意见期短于一般期限的", "NAT-11",
                    "consultation"},
                   counts.consultations_short_period);
      constexpr int kMissingLimit = 1000;
      ASSIGN_OR_RETURN(std::vector<v1::MissingPreDisclosure> missing,
                       consultations_->MissingPreDisclosures(query.unit_id, kMissingLimit));
      std::vector<int64_t> in_period;
      for (const v1::MissingPreDisclosure& m : missing) {
        ASSIGN_OR_RETURN(absl::CivilDay day, ToCivilDay(m.meeting().meeting_on()));
        if (day >= query.period_start && day <= query.period_end) {
          in_period.push_back(m.meeting().id());
        }
      }
      if (static_cast<int>(missing.size()) == kMissingLimit) {
        evidence::MarkIncomplete(e, "more decisions without pre-disclosure than one scan reads");
      }
      AddIndicator(e,
                   {"decisions_without_pre_disclosure", "须预公开而未公开征求意见即作出决定的事项",
                    "CON-1", "meeting"},
                   std::move(in_period));
      return e;
    }
    case common::v1::PUBLIC_PARTICIPATION:  // Item 12, CON-3.
      AddCount(e, {"comments_received", "收到的公众意见（含隐藏）", "CON-3", "comment"},
               counts.comments);
      AddCount(e, {"comments_answered", "已作出采纳决定的意见", "CON-3", "comment"},
               counts.comments_decided);
      AddIndicator(e,
                   {"consultations_closed_without_statement", "已截止但未公布意见采纳情况的",
                    "CON-3", "consultation"},
                   counts.consultations_without_statement);
      AddIndicator(e,
                   {"consultations_concluded", "已截止并办结的征求意见", "CON-3", "consultation"},
                   counts.consultations_concluded);
      AddIndicator(e, {"hearings_held", "期间内的听证会和座谈会", "CON-2", "hearing"},
                   counts.hearings);
      AddIndicator(
          e, {"hearings_without_minutes", "已举行但未记录纪要的听证会、座谈会", "CON-2", "hearing"},
          counts.hearings_without_minutes);
      return e;
    default:
      return absl::InvalidArgumentError("not an item of the consultation service");
  }
}

}  // namespace gongkai::consultation
