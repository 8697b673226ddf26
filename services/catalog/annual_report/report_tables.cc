#include "services/catalog/annual_report/report_tables.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "libs/clock/clock.h"
#include "libs/status/errors.h"

namespace gongkai::catalog::annual_report {

YearRange YearRange::Of(int year) {
  YearRange r;
  r.year = year;
  r.first = absl::CivilDay(year, 1, 1);
  r.last = absl::CivilDay(year, 12, 31);
  r.start = absl::FromCivil(r.first, ShanghaiTimeZone());
  r.next_start = absl::FromCivil(absl::CivilDay(year + 1, 1, 1), ShanghaiTimeZone());
  return r;
}

std::optional<Received> ClassifyReceived(absl::CivilDay received_on, const YearRange& year) {
  if (received_on < year.first) return Received::kBeforeYear;
  if (received_on <= year.last) return Received::kInYear;
  return std::nullopt;
}

Answered ClassifyAnswered(std::optional<absl::CivilDay> answered_on, const YearRange& year) {
  if (!answered_on.has_value()) return Answered::kOpen;
  if (*answered_on < year.first) return Answered::kBeforeYear;
  if (*answered_on <= year.last) return Answered::kInYear;
  return Answered::kAfterYear;
}

bool DecidedByYearEnd(std::optional<absl::CivilDay> decided_on, const YearRange& year) {
  return decided_on.has_value() && *decided_on <= year.last;
}

bool RepealedInYear(std::optional<absl::CivilDay> repealed_on, const YearRange& year) {
  return repealed_on.has_value() && *repealed_on >= year.first && *repealed_on <= year.last;
}

bool InForceAtYearEnd(absl::Time publish_time, std::optional<absl::CivilDay> repealed_on,
                      const YearRange& year) {
  return publish_time < year.next_start && !(repealed_on.has_value() && *repealed_on <= year.last);
}

const std::vector<OutcomeRowSpec>& OutcomeRowSpecs() {
  static const auto* const kRows = new std::vector<OutcomeRowSpec>{
      {v1::OUTCOME_DISCLOSED, "（一）予以公开", ""},
      {v1::OUTCOME_PARTLY_DISCLOSED, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
       ""},
      {v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET, "（三）不予公开", "1.属于国家秘密"},
      {v1::OUTCOME_NOT_DISCLOSED_LAW_FORBIDS, "（三）不予公开", "2.其他法律行政法规禁止公开"},
      {v1::OUTCOME_NOT_DISCLOSED_SECURITY_STABILITY, "（三）不予公开", "3.危及“三安全一稳定”"},
      {v1::OUTCOME_NOT_DISCLOSED_THIRD_PARTY_RIGHTS, "（三）不予公开", "4.保护第三方合法权益"},
      {v1::OUTCOME_NOT_DISCLOSED_INTERNAL_AFFAIRS, "（三）不予公开", "5.属于三类内部事务信息"},
      {v1::OUTCOME_NOT_DISCLOSED_PROCESS_INFORMATION, "（三）不予公开", "6.属于四类过程性信息"},
      {v1::OUTCOME_NOT_DISCLOSED_ENFORCEMENT_FILE, "（三）不予公开", "7.属于行政执法案卷"},
      {v1::OUTCOME_NOT_DISCLOSED_ADMINISTRATIVE_QUERY, "（三）不予公开", "8.属于行政查询事项"},
      {v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD, "（四）无法提供", "1.本机关不掌握相关政府信息"},
      {v1::OUTCOME_CANNOT_PROVIDE_NEEDS_CREATION, "（四）无法提供", "2.没有现成信息需要另行制作"},
      {v1::OUTCOME_CANNOT_PROVIDE_UNCLEAR, "（四）无法提供", "3.补正后申请内容仍不明确"},
      {v1::OUTCOME_NOT_PROCESSED_PETITION, "（五）不予处理", "1.信访举报投诉类申请"},
      {v1::OUTCOME_NOT_PROCESSED_REPEAT, "（五）不予处理", "2.重复申请"},
      {v1::OUTCOME_NOT_PROCESSED_PUBLICATION, "（五）不予处理", "3.要求提供公开出版物"},
      {v1::OUTCOME_NOT_PROCESSED_MASS_REPEATED, "（五）不予处理", "4.无正当理由大量反复申请"},
      {v1::OUTCOME_NOT_PROCESSED_CONFIRMATION, "（五）不予处理",
       "5.要求行政机关确认或重新出具已获取信息"},
      {v1::OUTCOME_OTHER_NO_CORRECTION, "（六）其他处理",
       "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
      {v1::OUTCOME_OTHER_FEE_NOT_PAID, "（六）其他处理",
       "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
      {v1::OUTCOME_OTHER, "（六）其他处理", "3.其他"},
  };
  return *kRows;
}

std::optional<v1::RequestOutcome> RowOf(int outcome) {
  if (outcome == v1::OUTCOME_ALREADY_PUBLIC) return v1::OUTCOME_DISCLOSED;
  // NAT-8 outcomes without a row of their own in the 2021 format: 信息不存在 is reported as
  // 本机关不掌握相关政府信息, records governed by other laws as 其他处理 / 其他.
  if (outcome == v1::OUTCOME_DOES_NOT_EXIST) return v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD;
  if (outcome == v1::OUTCOME_GOVERNED_BY_OTHER_LAW) return v1::OUTCOME_OTHER;
  if (outcome == v1::REQUEST_OUTCOME_UNSPECIFIED || !v1::RequestOutcome_IsValid(outcome)) {
    return std::nullopt;
  }
  return static_cast<v1::RequestOutcome>(outcome);
}

const std::array<ApplicantColumn, 7>& ApplicantColumns() {
  static constexpr std::array<ApplicantColumn, 7> kColumns = {{
      {"natural_person", "自然人"},
      {"business", "商业企业"},
      {"research_institution", "科研机构"},
      {"social_welfare", "社会公益组织"},
      {"legal_service", "法律服务机构"},
      {"other_organization", "其他"},
      {"total", "总计"},
  }};
  return kColumns;
}

int64_t ColumnValue(const v1::ApplicantCounts& c, int index) {
  switch (index) {
    case 0:
      return c.natural_person();
    case 1:
      return c.business();
    case 2:
      return c.research_institution();
    case 3:
      return c.social_welfare();
    case 4:
      return c.legal_service();
    case 5:
      return c.other_organization();
    default:
      return c.total();
  }
}

void AddToColumn(v1::ApplicantCounts& c, int applicant_type, int64_t n) {
  switch (applicant_type) {
    case v1::APPLICANT_NATURAL_PERSON:
      c.set_natural_person(c.natural_person() + n);
      break;
    case v1::APPLICANT_BUSINESS:
      c.set_business(c.business() + n);
      break;
    case v1::APPLICANT_RESEARCH_INSTITUTION:
      c.set_research_institution(c.research_institution() + n);
      break;
    case v1::APPLICANT_SOCIAL_WELFARE:
      c.set_social_welfare(c.social_welfare() + n);
      break;
    case v1::APPLICANT_LEGAL_SERVICE:
      c.set_legal_service(c.legal_service() + n);
      break;
    case v1::APPLICANT_OTHER_ORGANIZATION:
      c.set_other_organization(c.other_organization() + n);
      break;
    default:
      break;  // Counted in the total only; CheckRequestTable reports it.
  }
  c.set_total(c.total() + n);
}

namespace {

int64_t SumOfColumns(const v1::ApplicantCounts& c) {
  int64_t sum = 0;
  for (int i = 0; i < 6; ++i) sum += ColumnValue(c, i);
  return sum;
}

void AddCounts(v1::ApplicantCounts& into, const v1::ApplicantCounts& from) {
  into.set_natural_person(into.natural_person() + from.natural_person());
  into.set_business(into.business() + from.business());
  into.set_research_institution(into.research_institution() + from.research_institution());
  into.set_social_welfare(into.social_welfare() + from.social_welfare());
  into.set_legal_service(into.legal_service() + from.legal_service());
  into.set_other_organization(into.other_organization() + from.other_organization());
  into.set_total(into.total() + from.total());
}

void AddChallenge(v1::ChallengeCounts& c, int result, bool decided, int64_t n) {
  if (!decided) result = v1::CHALLENGE_PENDING;
  switch (result) {
    case v1::CHALLENGE_UPHELD:
      c.set_upheld(c.upheld() + n);
      break;
    case v1::CHALLENGE_CORRECTED:
      c.set_corrected(c.corrected() + n);
      break;
    case v1::CHALLENGE_OTHER:
      c.set_other(c.other() + n);
      break;
    default:
      c.set_pending(c.pending() + n);
      break;  // PENDING, or decided without a result.
  }
  c.set_total(c.total() + n);
}

v1::Figure Computed(int64_t value) {
  v1::Figure f;
  f.set_value(value);
  f.set_source(v1::FIGURE_COMPUTED);
  return f;
}

v1::Figure Entered(int64_t value) {
  v1::Figure f;
  f.set_value(value);
  f.set_source(v1::FIGURE_ENTERED);
  return f;
}

// The Chinese name of a Table 3 row for messages.
constexpr absl::string_view kNewLabel = "一、本年新收";
constexpr absl::string_view kCarriedOverLabel = "二、上年结转";
constexpr absl::string_view kTotalLabel = "（七）总计";
constexpr absl::string_view kCarriedForwardLabel = "四、结转下年度继续办理";

}  // namespace

v1::RequestTable BuildRequestTable(const std::vector<RequestTally>& tallies,
                                   const v1::AnnualReportInputs& inputs) {
  v1::RequestTable table;
  const bool opening_entered = inputs.has_opening_carried_over();
  std::vector<v1::ApplicantCounts> rows(OutcomeRowSpecs().size());
  for (const RequestTally& t : tallies) {
    if (t.received == Received::kInYear)
      AddToColumn(*table.mutable_new_requests(), t.applicant_type, t.count);
    if (!opening_entered && t.received == Received::kBeforeYear &&
        t.answered != Answered::kBeforeYear) {
      AddToColumn(*table.mutable_carried_over(), t.applicant_type, t.count);
    }
    if (t.answered == Answered::kInYear) {
      // An answer without a recorded outcome lands in no row: the invariant then shows it.
      if (std::optional<v1::RequestOutcome> row = RowOf(t.outcome); row.has_value()) {
        for (size_t i = 0; i < rows.size(); ++i) {
          if (OutcomeRowSpecs()[i].outcome == *row) AddToColumn(rows[i], t.applicant_type, t.count);
        }
      }
    }
    if (t.answered == Answered::kOpen || t.answered == Answered::kAfterYear) {
      AddToColumn(*table.mutable_carried_forward(), t.applicant_type, t.count);
    }
  }
  if (opening_entered) {
    *table.mutable_carried_over() = inputs.opening_carried_over();
    table.mutable_carried_over()->set_total(SumOfColumns(inputs.opening_carried_over()));
    table.set_carried_over_source(v1::FIGURE_ENTERED);
  } else {
    table.set_carried_over_source(v1::FIGURE_COMPUTED);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const OutcomeRowSpec& spec = OutcomeRowSpecs()[i];
    v1::OutcomeRow* row = table.add_outcomes();
    row->set_outcome(spec.outcome);
    row->set_label(spec.item.empty() ? std::string(spec.group)
                                     : absl::StrCat(spec.group, " ", spec.item));
    *row->mutable_counts() = rows[i];
    AddCounts(*table.mutable_total_handled(), rows[i]);
  }
  // Materialize the empty rows so JSON shows every row (proto3 omits empty messages).
  table.mutable_new_requests();
  table.mutable_carried_over();
  table.mutable_total_handled();
  table.mutable_carried_forward();
  return table;
}

v1::ChallengeTable BuildChallengeTable(const std::vector<ChallengeTally>& tallies) {
  v1::ChallengeTable table;
  table.mutable_administrative_review();
  table.mutable_litigation_direct();
  table.mutable_litigation_after_review();
  for (const ChallengeTally& t : tallies) {
    switch (t.kind) {
      case v1::CHALLENGE_ADMINISTRATIVE_REVIEW:
        AddChallenge(*table.mutable_administrative_review(), t.result, t.decided_by_year_end,
                     t.count);
        break;
      case v1::CHALLENGE_LITIGATION_DIRECT:
        AddChallenge(*table.mutable_litigation_direct(), t.result, t.decided_by_year_end, t.count);
        break;
      case v1::CHALLENGE_LITIGATION_AFTER_REVIEW:
        AddChallenge(*table.mutable_litigation_after_review(), t.result, t.decided_by_year_end,
                     t.count);
        break;
      default:
        break;  // No Table 4 column; the request service never records one.
    }
  }
  return table;
}

v1::ProactiveDisclosureTable BuildProactiveTable(const PolicyDocumentCounts& documents,
                                                 const v1::AnnualReportInputs& inputs) {
  v1::ProactiveDisclosureTable t;
  *t.mutable_regulations_made() = Entered(inputs.regulations_made());
  *t.mutable_regulations_repealed() = Entered(inputs.regulations_repealed());
  *t.mutable_regulations_in_force() = Entered(inputs.regulations_in_force());
  *t.mutable_normative_documents_made() = Computed(documents.published_in_year);
  // NAT-10: repeal is recorded in the catalog (RepealDocument), so both are computed;
  // the deprecated entered figure (inputs.normative_documents_repealed) is ignored.
  *t.mutable_normative_documents_repealed() = Computed(documents.repealed_in_year);
  *t.mutable_normative_documents_in_force() = Computed(documents.in_force_at_year_end);
  *t.mutable_licensing_decisions() = Entered(inputs.licensing_decisions());
  *t.mutable_penalty_decisions() = Entered(inputs.penalty_decisions());
  *t.mutable_enforcement_decisions() = Entered(inputs.enforcement_decisions());
  *t.mutable_fee_income_fen() = Entered(inputs.fee_income_fen());
  return t;
}

absl::Status CheckRequestTable(const v1::RequestTable& table) {
  google::rpc::PreconditionFailure failure;
  std::vector<std::string> messages;
  auto add = [&](absl::string_view type, std::string subject, std::string description) {
    auto* v = failure.add_violations();
    v->set_type(std::string(type));
    v->set_subject(subject);
    v->set_description(description);
    messages.push_back(absl::StrCat(subject, ": ", description));
  };

  // Every row's 总计 is the sum of its six columns.
  std::vector<std::pair<std::string, const v1::ApplicantCounts*>> rows = {
      {"requests.new_requests", &table.new_requests()},
      {"requests.carried_over", &table.carried_over()},
      {"requests.total_handled", &table.total_handled()},
      {"requests.carried_forward", &table.carried_forward()},
  };
  for (const v1::OutcomeRow& row : table.outcomes()) {
    rows.push_back({absl::StrCat("requests.outcomes.", v1::RequestOutcome_Name(row.outcome())),
                    &row.counts()});
  }
  for (const auto& [name, counts] : rows) {
    if (SumOfColumns(*counts) != counts->total()) {
      add("TABLE3_ROW_TOTAL", absl::StrCat(name, ".total"),
          absl::StrCat("总计 ", counts->total(), " is not the sum of the six applicant columns (",
                       SumOfColumns(*counts),
                       "); a request without a valid applicant type was counted"));
    }
  }

  // （七）总计 is the sum of the outcome rows.
  v1::ApplicantCounts outcome_sum;
  for (const v1::OutcomeRow& row : table.outcomes()) AddCounts(outcome_sum, row.counts());
  for (int i = 0; i < 7; ++i) {
    const int64_t total = ColumnValue(table.total_handled(), i);
    const int64_t sum = ColumnValue(outcome_sum, i);
    if (total != sum) {
      add("TABLE3_TOTAL_HANDLED",
          absl::StrCat("requests.total_handled.", ApplicantColumns()[i].key),
          absl::StrCat(kTotalLabel, " ", total, " is not the sum of the outcome rows (", sum, ")"));
    }
  }

  // NAT-10: new + carried over = total handled + carried forward, per column.
  for (int i = 0; i < 7; ++i) {
    const int64_t fresh = ColumnValue(table.new_requests(), i);
    const int64_t over = ColumnValue(table.carried_over(), i);
    const int64_t handled = ColumnValue(table.total_handled(), i);
    const int64_t forward = ColumnValue(table.carried_forward(), i);
    if (fresh + over != handled + forward) {
      const ApplicantColumn& column = ApplicantColumns()[i];
      add("TABLE3_INVARIANT", absl::StrCat("requests.", column.key),
          absl::StrCat(column.label, ": ", kNewLabel, " ", fresh, " + ", kCarriedOverLabel, " ",
                       over, " = ", fresh + over, ", but ", kTotalLabel, " ", handled, " + ",
                       kCarriedForwardLabel, " ", forward, " = ", handled + forward,
                       " (an answered request without an outcome, an answer dated in a year "
                       "before its receipt, or a wrong opening figure)"));
    }
  }

  if (messages.empty()) return absl::OkStatus();
  absl::Status status(
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat("Table 3 does not add up (NAT-10): ", absl::StrJoin(messages, "; ")));
  status.SetPayload(kPreconditionFailureTypeUrl, absl::Cord(failure.SerializeAsString()));
  return status;
}

}  // namespace gongkai::catalog::annual_report
