#include "services/website/evidence/website_evidence.h"

#include "libs/status/status_macros.h"

namespace gongkai::website {

using evidence::AddIndicator;
using evidence::IndicatorSpec;

std::vector<evidence::InspectionItem> WebsiteEvidence::Items() const {
  return {common::v1::OPENNESS_PLATFORMS};
}

absl::StatusOr<evidence::ItemEvidence> WebsiteEvidence::Collect(
    evidence::InspectionItem item, const evidence::EvidenceQuery& query) {
  if (item != common::v1::OPENNESS_PLATFORMS) {
    return absl::InvalidArgumentError("the website service holds item 6 only");
  }
  if (unit_check_) RETURN_IF_ERROR(unit_check_(query.unit_id));
  ASSIGN_OR_RETURN(UnitPlatformFacts facts,
                   repository_->ReadUnitPlatformFacts(query.unit_id, query.period_start,
                                                      query.period_end, query.today));
  evidence::ItemEvidence out;
  AddIndicator(out, {"sites_registered", "登记在册的政府网站和政务新媒体", "WEB-1", "site"},
               facts.sites);
  AddIndicator(out, {"sites_migrated", "迁移至上级平台的网站", "WEB-5", "site"},
               facts.sites_migrated);
  AddIndicator(
      out,
      {"accounts_without_procedures", "未记录编辑发布和留言办理程序的政务新媒体", "WEB-6", "site"},
      facts.accounts_without_procedures);
  AddIndicator(out, {"sites_evaluated", "期内监管检查过的网站和账号", "WEB-2", "site"},
               facts.sites_evaluated);
  AddIndicator(out, {"sites_failed", "检查不合格的网站和账号", "NAT-14", "site"},
               facts.sites_failed);
  AddIndicator(out, {"sites_vetoed", "触发单项否决的网站和账号", "NAT-13", "site"},
               facts.sites_vetoed);
  AddIndicator(out, {"notices_issued", "期内通报批评", "WEB-4", "notice"}, facts.notices_issued);
  AddIndicator(out, {"notices_overdue", "逾期未整改的通报", "WEB-4", "notice"},
               facts.notices_overdue);
  AddIndicator(out, {"severe_errors", "严重表述错误等问题", "NAT-13", "severe_error"},
               facts.severe_errors);
  if (facts.sites_evaluated.empty() && !facts.sites.empty()) {
    evidence::MarkIncomplete(out, "no supervision run evaluated the unit's sites in the period");
  }
  return out;
}

}  // namespace gongkai::website
