#include "services/catalog/evidence/catalog_evidence.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/status/status_macros.h"
#include "services/catalog/annual_report/deadlines.h"

namespace gongkai::catalog::evidence {
namespace {

using common::v1::InspectionItem;
using gongkai::evidence::AddIndicatorWithCount;
using gongkai::evidence::EvidenceQuery;
using gongkai::evidence::IndicatorSpec;
using gongkai::evidence::ItemEvidence;
using gongkai::evidence::MarkIncomplete;

void Add(ItemEvidence& evidence, const IndicatorSpec& spec, const IdSample& sample) {
  AddIndicatorWithCount(evidence, spec, sample.count, sample.ids);
}

// Records that are missing: "<kind>/<id>" for those that exist (an open self-review, a
// draft report), "year/<year>" for a year with none.
struct Missing {
  std::vector<int64_t> ids;
  std::vector<int> years;
};

void AddMissing(ItemEvidence& evidence, const IndicatorSpec& spec, const Missing& missing) {
  gongkai::evidence::AddIndicator(evidence, spec, missing.ids);
  common::v1::EvidenceIndicator* indicator =
      evidence.mutable_indicators(evidence.indicators_size() - 1);
  for (int year : missing.years) indicator->add_references(absl::StrCat("year/", year));
  indicator->set_count(indicator->count() + static_cast<int64_t>(missing.years.size()));
}

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, ShanghaiTimeZone()); }

// The last day of the period that has passed: the earlier of its end and yesterday.
absl::CivilDay OverdueBy(const EvidenceQuery& query) {
  return std::min(query.period_end, query.today - 1);
}

// The documents' part of one item: procedures (3), attributes (4) or the CAT-3 clock (5).
enum class DocumentPart { kProcedures, kAttributes, kPublicationClock };

documents::DocumentEvidencePeriod DocumentPeriod(const EvidenceQuery& query, DocumentPart part) {
  documents::DocumentEvidencePeriod p;
  p.procedures = part == DocumentPart::kProcedures;
  p.attributes = part == DocumentPart::kAttributes;
  p.publication_clock = part == DocumentPart::kPublicationClock;
  p.unit_id = query.unit_id;
  p.first = query.period_start;
  p.last = query.period_end;
  p.start = StartOf(query.period_start);
  p.end = StartOf(query.period_end + 1);
  p.overdue_by = OverdueBy(query);
  p.overdue_checked_at = StartOf(p.overdue_by + 1);
  return p;
}

constexpr char kPendingPublicationClock[] =
    "documents whose CAT-3 publication due date is pending (its calendar year is not "
    "loaded, NAT-1) are not judged on time or late";

}  // namespace

std::vector<InspectionItem> CatalogEvidence::Items() const {
  return {common::v1::FIVE_DISCLOSURES_IN_PROCEDURES, common::v1::DISCLOSURE_ATTRIBUTE,
          common::v1::PROACTIVE_CATALOG, common::v1::DISCLOSURE_ON_REQUEST,
          common::v1::ANNUAL_REPORT};
}

absl::StatusOr<ItemEvidence> CatalogEvidence::Collect(InspectionItem item,
                                                      const EvidenceQuery& query) {
  // NOT_FOUND "unit <id> not found": the evidence of a unit that does not exist is not zero.
  ASSIGN_OR_RETURN(v1::Unit unit, repositories_.units->GetUnit(query.unit_id));
  switch (item) {
    case common::v1::FIVE_DISCLOSURES_IN_PROCEDURES:
      return FiveDisclosures(query);
    case common::v1::DISCLOSURE_ATTRIBUTE:
      return AttributeAtSource(query);
    case common::v1::PROACTIVE_CATALOG:
      return ProactiveCatalog(query);
    case common::v1::DISCLOSURE_ON_REQUEST:
      return DisclosureOnRequest(query);
    case common::v1::ANNUAL_REPORT:
      return AnnualReport(query, unit.level());
    default:
      // The handler asks only for Items().
      return absl::InternalError(
          absl::StrCat("catalog evidence has no item ", static_cast<int>(item)));
  }
}

// Item 3: the "five disclosures" built into document procedures (CAT-1, CAT-2, CAT-4).
absl::StatusOr<ItemEvidence> CatalogEvidence::FiveDisclosures(const EvidenceQuery& query) {
  ASSIGN_OR_RETURN(
      documents::DocumentEvidence d,
      repositories_.documents->EvidenceForUnit(DocumentPeriod(query, DocumentPart::kProcedures)));
  ItemEvidence evidence;
  Add(evidence, {"documents_drafted", "期内起草的公文", "CAT-1", "document"}, d.drafted);
  Add(evidence,
      {"documents_returned_for_attribute", "因未定公开属性或理由被退文的公文", "CAT-2", "document"},
      d.returned_for_attribute);
  Add(evidence,
      {"documents_published_after_review", "期内经保密审查后公开的公文", "CAT-4", "document"},
      d.published_after_review);
  return evidence;
}

// Item 4: the disclosure attribute determined at the source (CAT-1, CAT-2).
absl::StatusOr<ItemEvidence> CatalogEvidence::AttributeAtSource(const EvidenceQuery& query) {
  ASSIGN_OR_RETURN(
      documents::DocumentEvidence d,
      repositories_.documents->EvidenceForUnit(DocumentPeriod(query, DocumentPart::kAttributes)));
  ItemEvidence evidence;
  Add(evidence, {"documents_proactive", "期内起草、属性为主动公开的公文", "CAT-1", "document"},
      d.proactive);
  Add(evidence, {"documents_on_request", "期内起草、属性为依申请公开的公文", "CAT-2", "document"},
      d.on_request);
  Add(evidence, {"documents_not_disclosed", "期内起草、属性为不予公开的公文", "CAT-2", "document"},
      d.not_disclosed);
  Add(evidence,
      {"documents_without_attribute", "期内起草、尚未认定公开属性的公文", "CAT-1", "document"},
      d.without_attribute);
  return evidence;
}

// Item 5: the proactive-disclosure catalog compiled and carried out (CAT-3, CAT-5,
// CAT-7).
absl::StatusOr<ItemEvidence> CatalogEvidence::ProactiveCatalog(const EvidenceQuery& query) {
  ASSIGN_OR_RETURN(catalog_items::CatalogItemEvidence items,
                   repositories_.catalog_items->EvidenceForUnit(
                       query.unit_id, StartOf(query.period_start), StartOf(query.period_end + 1)));
  ASSIGN_OR_RETURN(documents::DocumentEvidence d,
                   repositories_.documents->EvidenceForUnit(
                       DocumentPeriod(query, DocumentPart::kPublicationClock)));
  // CAT-7: the review of each year whose Dec 31 falls in the period.
  std::vector<int> years;
  for (int year = static_cast<int>(query.period_start.year());
       year <= static_cast<int>(query.period_end.year()); ++year) {
    if (absl::CivilDay(year, 12, 31) <= query.period_end) years.push_back(year);
  }
  ASSIGN_OR_RETURN(self_review::SelfReviewEvidence reviews,
                   repositories_.self_reviews->EvidenceForUnit(
                       query.unit_id, static_cast<int>(query.period_start.year()),
                       static_cast<int>(query.period_end.year()), StartOf(query.period_start),
                       StartOf(query.period_end + 1)));
  std::vector<int64_t> completed;
  Missing missing;
  for (int year : years) {
    auto it =
        std::find_if(reviews.reviews.begin(), reviews.reviews.end(),
                     [year](const self_review::SelfReviewOfYear& r) { return r.year == year; });
    if (it != reviews.reviews.end() && it->completed) {
      completed.push_back(it->id);
    } else if (absl::CivilDay(year, 12, 31) < query.today) {
      // A year that has not ended yet can still get its review: not counted missing.
      if (it != reviews.reviews.end()) {
        missing.ids.push_back(it->id);
      } else {
        missing.years.push_back(year);
      }
    }
  }

  ItemEvidence evidence;
  Add(evidence,
      {"catalog_items_responsible", "本单位负责的主动公开目录事项", "CAT-5", "catalog_item"},
      items.responsible);
  Add(evidence, {"catalog_items_revised", "期内编制或修订的目录事项", "CAT-5", "catalog_item"},
      items.revised);
  Add(evidence, {"documents_published_on_time", "期内按时公开的主动公开公文", "CAT-3", "document"},
      d.published_on_time);
  Add(evidence, {"documents_published_late", "期内逾期公开的主动公开公文", "CAT-3", "document"},
      d.published_late);
  Add(evidence,
      {"documents_overdue_unpublished", "期内到期仍未公开的主动公开公文", "CAT-3", "document"},
      d.overdue_unpublished);
  gongkai::evidence::AddIndicator(
      evidence, {"self_reviews_completed", "已完成的年度自查", "CAT-7", "self_review"}, completed);
  AddMissing(evidence, {"self_reviews_missing", "未完成的年度自查", "CAT-7", "self_review"},
             missing);
  Add(evidence, {"self_review_conversions", "期内经自查转为主动公开的公文", "CAT-7", "document"},
      reviews.conversions);
  if (d.published_without_due_date > 0 || d.unpublished_without_due_date > 0) {
    MarkIncomplete(evidence,
                   absl::StrCat(d.published_without_due_date + d.unpublished_without_due_date, " ",
                                kPendingPublicationClock));
  }
  return evidence;
}

// Item 11: disclosure on request (CAT-8, NAT-5 to NAT-8; Table 4 challenges, NAT-10).
absl::StatusOr<ItemEvidence> CatalogEvidence::DisclosureOnRequest(const EvidenceQuery& query) {
  requests::RequestEvidencePeriod period;
  period.unit_id = query.unit_id;
  period.first = query.period_start;
  period.last = query.period_end;
  period.overdue_by = OverdueBy(query);
  ASSIGN_OR_RETURN(requests::RequestEvidence r, repositories_.requests->EvidenceForUnit(period));
  ItemEvidence evidence;
  Add(evidence, {"requests_received", "期内收到的政府信息公开申请", "NAT-5", "request"},
      r.received);
  Add(evidence, {"requests_answered", "期内答复的申请", "CAT-8", "request"}, r.answered);
  Add(evidence, {"requests_answered_on_time", "期内按期答复的申请（含延期）", "NAT-7", "request"},
      r.answered_on_time);
  Add(evidence, {"requests_answered_late", "期内逾期答复的申请", "NAT-7", "request"},
      r.answered_late);
  Add(evidence, {"requests_open_overdue", "期末已超答复期限仍未答复的申请", "NAT-7", "request"},
      r.open_overdue);
  Add(evidence, {"requests_challenged", "期内被申请行政复议或提起诉讼的申请", "NAT-10", "request"},
      r.challenged);
  Add(evidence, {"requests_challenge_corrected", "复议或诉讼结果为纠正的申请", "NAT-10", "request"},
      r.challenge_corrected);
  if (r.answered_without_due_date > 0) {
    MarkIncomplete(evidence, absl::StrCat(r.answered_without_due_date,
                                          " requests answered without a NAT-7 due date (its "
                                          "calendar year is not loaded) are not judged on time "
                                          "or late"));
  }
  return evidence;
}

// Item 14: the annual report (CAT-9, NAT-10) of each year whose deadline for this unit
// falls in the period (annual_report/deadlines.h).
absl::StatusOr<ItemEvidence> CatalogEvidence::AnnualReport(const EvidenceQuery& query,
                                                           v1::UnitLevel level) {
  std::vector<int64_t> on_time, late;
  Missing missing;
  for (int year = static_cast<int>(query.period_start.year()) - 1;
       year <= static_cast<int>(query.period_end.year()); ++year) {
    ASSIGN_OR_RETURN(annual_report::ReportDue report_due,
                     annual_report::AnnualReportDue(*rules_, year, level));  // NAT-10.
    const absl::CivilDay due = report_due.day;
    if (due < query.period_start || due > query.period_end) continue;
    ASSIGN_OR_RETURN(std::optional<annual_report::StoredReport> report,
                     repositories_.annual_reports->FindReport(year, query.unit_id));
    std::optional<absl::CivilDay> published_on;
    if (report.has_value() && report->state == v1::ANNUAL_REPORT_PUBLISHED &&
        report->publish_time.has_value()) {
      published_on = absl::ToCivilDay(*report->publish_time, ShanghaiTimeZone());
    }
    switch (annual_report::DeadlineStatusOf(due, published_on, query.today)) {
      case v1::DEADLINE_PUBLISHED_ON_TIME:
        on_time.push_back(report->id);
        break;
      case v1::DEADLINE_PUBLISHED_LATE:
        late.push_back(report->id);
        break;
      case v1::DEADLINE_OVERDUE:
        if (report.has_value()) {
          missing.ids.push_back(report->id);
        } else {
          missing.years.push_back(year);
        }
        break;
      default:  // Not yet due: the period has not ended, the handler says so.
        break;
    }
  }
  ItemEvidence evidence;
  gongkai::evidence::AddIndicator(
      evidence,
      {"annual_reports_published_on_time", "按期公布的年度报告", "NAT-10", "annual_report"},
      on_time);
  gongkai::evidence::AddIndicator(
      evidence, {"annual_reports_published_late", "逾期公布的年度报告", "NAT-10", "annual_report"},
      late);
  AddMissing(evidence, {"annual_reports_missing", "到期未公布的年度报告", "CAT-9", "annual_report"},
             missing);
  return evidence;
}

}  // namespace gongkai::catalog::evidence
