#include "services/catalog/demo/request_demo_loader.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/demo/actor_call.h"
#include "libs/status/status_macros.h"
#include "services/catalog/demo/demo_data.h"

namespace gongkai::catalog::demo {
namespace {

using ::gongkai::demo::CallAs;

constexpr int kPageSize = 100;

std::string Quoted(absl::string_view text) { return absl::StrCat("«", text, "»"); }

bool Has(const std::string& text) { return !text.empty(); }

common::v1::Date ToDate(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay DayOf(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

std::string StateName(v1::DisclosureRequestState state) {
  return std::string(absl::StripPrefix(v1::DisclosureRequestState_Name(state), "REQUEST_"));
}

const char* StepName(int step) {
  static const char* const kNames[] = {
      "correction notice issued", "correction recorded",   "assigned", "third party consulted",
      "consultation ended",       "reply period extended", "answered"};
  return kNames[step];
}

}  // namespace

bool RequestLoadSummary::NothingNew() const {
  return requests_filed == 0 && lifecycle_steps == 0 && challenges_recorded == 0 &&
         !annual_report_saved;
}

std::string RequestLoadSummary::ToString() const {
  std::vector<std::string> states;
  for (v1::DisclosureRequestState state :
       {v1::REQUEST_RECEIVED, v1::REQUEST_AWAITING_CORRECTION, v1::REQUEST_CORRECTED,
        v1::REQUEST_ASSIGNED, v1::REQUEST_IN_CONSULTATION, v1::REQUEST_ANSWERED}) {
    auto it = requests_by_state.find(state);
    states.push_back(
        absl::StrCat(StateName(state), " ", it == requests_by_state.end() ? 0 : it->second));
  }
  std::string line =
      absl::StrCat("disclosure requests ", requests, " (", requests_filed, " new, ",
                   lifecycle_steps, " lifecycle steps: ", absl::StrJoin(states, ", "), ")");
  if (requests_left_alone > 0) {
    absl::StrAppend(&line, " [", requests_left_alone, " off-plan, left alone]");
  }
  absl::StrAppend(&line, "; challenges ", challenges, " (", challenges_recorded,
                  " new); annual report ", annual_report, annual_report_saved ? " [saved now]" : "",
                  NothingNew() ? " — nothing new was created" : "");
  return line;
}

RequestDemoLoader::RequestDemoLoader(v1::CatalogService::StubInterface* catalog,
                                     RequestStub* requests,
                                     v1::AnnualReportService::StubInterface* reports,
                                     TokenSource* tokens, LoaderOptions options, const Clock* clock,
                                     std::ostream* progress)
    : catalog_(catalog),
      requests_(requests),
      reports_(reports),
      tokens_(tokens),
      options_(options),
      clock_(clock),
      progress_(progress) {}

void RequestDemoLoader::Progress(const std::string& line) {
  if (progress_ != nullptr) *progress_ << line << "\n";
}

absl::CivilDay RequestDemoLoader::Today() const { return calendar::TodayInShanghai(*clock_); }

Actor RequestDemoLoader::Office() const { return Actor::Office(kOfficeSubject); }

absl::StatusOr<int64_t> RequestDemoLoader::UnitId(const std::string& code) const {
  auto it = units_.find(code);
  if (it == units_.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("demo unit ", code, " is missing; the catalog demo data must load first"));
  }
  return it->second.id();
}

Actor RequestDemoLoader::StaffOf(const std::string& unit_code) const {
  for (const UnitSpec& unit : Units()) {
    if (unit_code == unit.code) {
      return Actor::Staff(Subject(unit.staff, unit.code), units_.at(unit_code).id());
    }
  }
  return Office();  // Not a demo unit (cannot happen: the data test checks the codes).
}

Actor RequestDemoLoader::StaffOfUnit(int64_t unit_id) const {
  auto it = unit_codes_.find(unit_id);
  return it == unit_codes_.end() ? Office() : StaffOf(it->second);
}

absl::StatusOr<RequestLoadSummary> RequestDemoLoader::Load() {
  summary_ = RequestLoadSummary{};
  RETURN_IF_ERROR(LoadUnits());
  RETURN_IF_ERROR(LoadPublishedDocuments());
  ASSIGN_OR_RETURN(std::vector<v1::DisclosureRequest> listed, ListAllRequests());
  std::map<std::pair<std::string, std::string>, v1::DisclosureRequest> existing;
  for (v1::DisclosureRequest& r : listed) {
    existing[{r.applicant_name(), r.subject()}] = std::move(r);
  }
  for (const DisclosureRequestSpec& spec : DisclosureRequests()) {
    ++summary_.requests;
    v1::DisclosureRequest request;
    auto it = existing.find({spec.applicant.name, spec.subject});
    if (it != existing.end()) {
      request = it->second;
    } else {
      ASSIGN_OR_RETURN(request, File(spec));
    }
    ASSIGN_OR_RETURN(request, Drive(spec, std::move(request)));
    if (request.state() != PlannedState(spec)) {
      ++summary_.requests_left_alone;
      Progress(absl::StrCat("note: request ", request.id(), " ", Quoted(spec.subject), " is ",
                            StateName(request.state()), ", not ", StateName(PlannedState(spec)),
                            " as planned; left alone"));
    }
    ++summary_.requests_by_state[request.state()];
    RETURN_IF_ERROR(RecordChallenge(spec, request));
  }
  RETURN_IF_ERROR(SaveAnnualReportDraft());
  return summary_;
}

// ---- Look-ups -------------------------------------------------------------------------------

absl::Status RequestDemoLoader::LoadUnits() {
  v1::ListUnitsRequest request;
  request.set_page_size(kPageSize);
  do {
    ASSIGN_OR_RETURN(v1::ListUnitsResponse page,
                     CallAs(catalog_, &v1::CatalogService::StubInterface::ListUnits, "ListUnits",
                            *tokens_, Office(), request, "(all units)", options_.call_timeout));
    for (const v1::Unit& unit : page.units()) {
      units_[unit.code()] = unit;
      unit_codes_[unit.id()] = unit.code();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  for (const DisclosureRequestSpec& spec : DisclosureRequests()) {
    RETURN_IF_ERROR(UnitId(spec.unit).status());
  }
  return absl::OkStatus();
}

absl::Status RequestDemoLoader::LoadPublishedDocuments() {
  v1::ListDocumentsRequest request;
  request.set_state(v1::PUBLISHED);
  request.set_page_size(kPageSize);
  request.set_omit_body(true);
  do {
    ASSIGN_OR_RETURN(
        v1::ListDocumentsResponse page,
        CallAs(catalog_, &v1::CatalogService::StubInterface::ListDocuments, "ListDocuments",
               *tokens_, Office(), request, "(published documents)", options_.call_timeout));
    for (const v1::Document& d : page.documents()) published_[d.title()] = d.id();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::DisclosureRequest>> RequestDemoLoader::ListAllRequests() {
  std::vector<v1::DisclosureRequest> all;
  v1::ListRequestsRequest request;
  request.set_page_size(kPageSize);
  do {
    ASSIGN_OR_RETURN(v1::ListRequestsResponse page,
                     CallAs(requests_, &RequestStub::ListRequests, "ListRequests", *tokens_,
                            Office(), request, "(all requests)", options_.call_timeout));
    for (const v1::DisclosureRequest& r : page.requests()) all.push_back(r);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

// ---- Filing (NAT-5) -------------------------------------------------------------------------

absl::StatusOr<v1::DisclosureRequest> RequestDemoLoader::File(const DisclosureRequestSpec& spec) {
  v1::FileRequestRequest request;
  ASSIGN_OR_RETURN(int64_t unit_id, UnitId(spec.unit));
  request.set_unit_id(unit_id);
  v1::Applicant* applicant = request.mutable_applicant();
  applicant->set_type(spec.applicant.type);
  applicant->set_name(spec.applicant.name);
  applicant->set_id_number(spec.applicant.id_number);
  applicant->set_contact(spec.applicant.contact);
  request.set_channel(ChannelOf(spec.filer));
  if (spec.filer == Filer::kStaffRegisteredMail) {
    *request.mutable_receipt_event_on() = ToDate(Today() - spec.mail_days_before_filing);
  }
  request.set_subject(spec.subject);
  request.set_description(spec.description);
  request.set_request_id(RequestIdOf(spec));
  const Actor filer =
      spec.filer == Filer::kPublicOnline ? Actor::Public(spec.applicant.name) : StaffOf(spec.unit);
  ASSIGN_OR_RETURN(v1::FileRequestResponse filed,
                   CallAs(requests_, &RequestStub::FileRequest, "FileRequest", *tokens_, filer,
                          request, Quoted(spec.subject), options_.call_timeout));
  // A replayed request_id answers with the request as first filed; read where it is now.
  v1::GetRequestRequest get;
  get.set_id(filed.request().id());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current,
                   CallAs(requests_, &RequestStub::GetRequest, "GetRequest", *tokens_, Office(),
                          get, Quoted(spec.subject), options_.call_timeout));
  ++summary_.requests_filed;
  Progress(absl::StrCat(
      "filed request ", current.id(), " ", Quoted(spec.subject), " to ", spec.unit, " (",
      v1::RequestChannel_Name(current.channel()), ", received ",
      absl::FormatCivilTime(DayOf(current.received_on())), ", tracking code ",
      filed.tracking_code(),
      filed.tracking_secret().empty() ? "" : absl::StrCat(", secret ", filed.tracking_secret()),
      ")"));
  return current;
}

// ---- The lifecycle (CAT-8, NAT-6 to NAT-8) --------------------------------------------------

absl::StatusOr<v1::DisclosureRequest> RequestDemoLoader::Drive(const DisclosureRequestSpec& spec,
                                                               v1::DisclosureRequest request) {
  const bool answers = spec.answer.outcome != v1::REQUEST_OUTCOME_UNSPECIFIED;
  for (;;) {
    std::optional<Step> step;
    switch (request.state()) {
      case v1::REQUEST_RECEIVED:
        if (Has(spec.correction_notice)) {
          step = Step::kNotice;
        } else if (Has(spec.assign_to)) {
          step = Step::kAssign;
        } else if (answers) {
          step = Step::kAnswer;
        }
        break;
      case v1::REQUEST_AWAITING_CORRECTION:
        if (Has(spec.corrected_description)) step = Step::kCorrection;
        break;
      case v1::REQUEST_CORRECTED:
        if (Has(spec.assign_to)) {
          step = Step::kAssign;
        } else if (answers) {
          step = Step::kAnswer;
        }
        break;
      case v1::REQUEST_ASSIGNED:
        if (Has(spec.third_party) && !request.has_consultation_started_on()) {
          step = Step::kConsult;
        } else if (spec.extension_working_days > 0 && request.extension_working_days() == 0) {
          step = Step::kExtend;
        } else if (answers) {
          step = Step::kAnswer;
        }
        break;
      case v1::REQUEST_IN_CONSULTATION:
        if (Has(spec.consultation_result)) step = Step::kEndConsultation;
        break;
      default:
        break;
    }
    if (!step.has_value()) return request;
    ASSIGN_OR_RETURN(request, Take(*step, spec, request));
    ++summary_.lifecycle_steps;
    Progress(absl::StrCat("  request ", request.id(), " ", StepName(static_cast<int>(*step)),
                          *step == Step::kAssign ? absl::StrCat(" to ", spec.assign_to) : "", " → ",
                          StateName(request.state())));
  }
}

absl::StatusOr<v1::DisclosureRequest> RequestDemoLoader::Take(
    Step step, const DisclosureRequestSpec& spec, const v1::DisclosureRequest& request) {
  const std::string what = absl::StrCat("request ", request.id(), " ", Quoted(spec.subject));
  // The clerk of the unit handling the request now (it changes on assignment).
  const Actor clerk = StaffOfUnit(request.unit_id());
  const absl::Duration timeout = options_.call_timeout;
  switch (step) {
    case Step::kNotice: {
      v1::IssueCorrectionNoticeRequest call;
      call.set_id(request.id());
      call.set_notice(spec.correction_notice);
      call.set_expected_version(request.version());
      return CallAs(requests_, &RequestStub::IssueCorrectionNotice, "IssueCorrectionNotice",
                    *tokens_, clerk, call, what, timeout);
    }
    case Step::kCorrection: {
      v1::RecordCorrectionRequest call;
      call.set_id(request.id());
      call.set_description(spec.corrected_description);
      call.set_expected_version(request.version());
      return CallAs(requests_, &RequestStub::RecordCorrection, "RecordCorrection", *tokens_, clerk,
                    call, what, timeout);
    }
    case Step::kAssign: {
      v1::AssignRequestRequest call;
      call.set_id(request.id());
      ASSIGN_OR_RETURN(int64_t holder, UnitId(spec.assign_to));
      call.set_unit_id(holder);
      call.set_note(spec.assign_note);
      call.set_expected_version(request.version());
      return CallAs(requests_, &RequestStub::AssignRequest, "AssignRequest", *tokens_, clerk, call,
                    what, timeout);
    }
    case Step::kConsult: {
      v1::StartThirdPartyConsultationRequest call;
      call.set_id(request.id());
      call.set_third_party(spec.third_party);
      call.set_expected_version(request.version());
      return CallAs(requests_, &RequestStub::StartThirdPartyConsultation,
                    "StartThirdPartyConsultation", *tokens_, clerk, call, what, timeout);
    }
    case Step::kEndConsultation: {
      v1::EndThirdPartyConsultationRequest call;
      call.set_id(request.id());
      call.set_note(spec.consultation_result);
      call.set_expected_version(request.version());
      return CallAs(requests_, &RequestStub::EndThirdPartyConsultation, "EndThirdPartyConsultation",
                    *tokens_, clerk, call, what, timeout);
    }
    case Step::kExtend: {
      v1::ExtendRequestRequest call;
      call.set_id(request.id());
      call.set_working_days(spec.extension_working_days);
      call.set_approver(spec.extension_approver);
      call.set_reason(spec.extension_reason);
      call.set_expected_version(request.version());
      // NAT-7: approved by the head of the disclosure office (the general office).
      return CallAs(requests_, &RequestStub::ExtendRequest, "ExtendRequest", *tokens_, Office(),
                    call, what, timeout);
    }
    case Step::kAnswer:
      break;
  }
  const AnswerSpec& answer = spec.answer;
  v1::AnswerRequestRequest call;
  call.set_id(request.id());
  call.set_outcome(answer.outcome);
  call.set_reason(answer.reason);
  if (Has(answer.already_public_title)) {
    auto it = published_.find(answer.already_public_title);
    if (it == published_.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, " is answered with the published document ",
                       Quoted(answer.already_public_title), ", which is not published"));
    }
    call.set_already_public_document_id(it->second);
  }
  call.set_holder_name(answer.holder_name);
  // NAT-7: on the spot only the day it came in (a load resumed later answers normally).
  call.set_on_the_spot(answer.on_the_spot && DayOf(request.received_on()) == Today());
  call.set_fee_method(answer.fee_method);
  call.set_fee_pages(answer.fee_pages);
  call.set_expected_version(request.version());
  if (answer.fee_method != v1::FEE_METHOD_UNSPECIFIED) {
    // NAT-9: the clerk checks the fee before the reply goes out.
    v1::QuoteFeeRequest quote;
    quote.set_id(request.id());
    quote.set_fee_method(answer.fee_method);
    quote.set_pages(answer.fee_pages);
    ASSIGN_OR_RETURN(v1::FeeQuote fee, CallAs(requests_, &RequestStub::QuoteFee, "QuoteFee",
                                              *tokens_, clerk, quote, what, timeout));
    Progress(absl::StrCat("  request ", request.id(), " fee quote: ", fee.fee_fen(), " fen — ",
                          fee.explanation()));
  }
  return CallAs(requests_, &RequestStub::AnswerRequest, "AnswerRequest", *tokens_, clerk, call,
                what, timeout);
}

// ---- NAT-10 Table 4 -------------------------------------------------------------------------

absl::Status RequestDemoLoader::RecordChallenge(const DisclosureRequestSpec& spec,
                                                const v1::DisclosureRequest& request) {
  const ChallengeSpec& challenge = spec.challenge;
  if (challenge.kind == v1::CHALLENGE_KIND_UNSPECIFIED) return absl::OkStatus();
  ++summary_.challenges;
  if (request.state() != v1::REQUEST_ANSWERED) return absl::OkStatus();  // Reported above.
  const std::string what = absl::StrCat("request ", request.id(), " ", Quoted(spec.subject));
  v1::ListChallengesRequest list;
  list.set_disclosure_request_id(request.id());
  ASSIGN_OR_RETURN(v1::ListChallengesResponse recorded,
                   CallAs(requests_, &RequestStub::ListChallenges, "ListChallenges", *tokens_,
                          Office(), list, what, options_.call_timeout));
  for (const v1::DisclosureChallenge& c : recorded.challenges()) {
    if (c.case_number() == challenge.case_number) return absl::OkStatus();
  }
  v1::RecordChallengeRequest call;
  call.set_disclosure_request_id(request.id());
  call.set_kind(challenge.kind);
  call.set_result(v1::CHALLENGE_PENDING);
  *call.mutable_filed_on() = ToDate(Today());
  call.set_case_number(challenge.case_number);
  call.set_note(challenge.note);
  call.set_request_id(absl::StrCat("demo-challenge-", spec.key));
  ASSIGN_OR_RETURN(v1::DisclosureChallenge created,
                   CallAs(requests_, &RequestStub::RecordChallenge, "RecordChallenge", *tokens_,
                          StaffOfUnit(request.unit_id()), call, what, options_.call_timeout));
  ++summary_.challenges_recorded;
  Progress(absl::StrCat(
      "  request ", request.id(), " challenged: ", v1::ChallengeKind_Name(created.kind()), " ",
      created.case_number(), " (", v1::ChallengeResult_Name(created.result()), ")"));
  return absl::OkStatus();
}

// ---- The annual report draft (CAT-9) ----------------------------------------------------------

absl::Status RequestDemoLoader::SaveAnnualReportDraft() {
  const AnnualReportDraftSpec& spec = AnnualReportDraft();
  ASSIGN_OR_RETURN(int64_t unit_id, UnitId(spec.unit));
  const Actor clerk = StaffOf(spec.unit);
  const std::string what = absl::StrCat(spec.unit, " ", spec.year);
  using ReportStub = v1::AnnualReportService::StubInterface;
  v1::ComputeAnnualReportRequest compute;
  compute.set_year(spec.year);
  compute.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(v1::AnnualReport report,
                   CallAs(reports_, &ReportStub::ComputeAnnualReport, "ComputeAnnualReport",
                          *tokens_, clerk, compute, what, options_.call_timeout));
  // Version 0: nothing stored yet. A stored draft (or a published report) is the unit's.
  if (report.version() == 0 && report.state() == v1::ANNUAL_REPORT_DRAFT) {
    v1::SaveAnnualReportRequest save;
    save.set_year(spec.year);
    save.set_unit_id(unit_id);
    v1::AnnualReportInputs* inputs = save.mutable_inputs();
    inputs->set_licensing_decisions(spec.licensing_decisions);
    inputs->set_penalty_decisions(spec.penalty_decisions);
    inputs->set_enforcement_decisions(spec.enforcement_decisions);
    inputs->set_fee_income_fen(spec.fee_income_fen);
    inputs->set_overview(spec.overview);
    inputs->set_problems_and_improvements(spec.problems_and_improvements);
    ASSIGN_OR_RETURN(report, CallAs(reports_, &ReportStub::SaveAnnualReport, "SaveAnnualReport",
                                    *tokens_, clerk, save, what, options_.call_timeout));
    summary_.annual_report_saved = true;
    Progress(absl::StrCat("saved the ", spec.year, " annual report draft of ", report.unit_name(),
                          " (version ", report.version(), ")"));
  }
  summary_.annual_report = absl::StrCat(
      report.unit_name(), " ", report.year(), " ",
      absl::StripPrefix(v1::AnnualReportState_Name(report.state()), "ANNUAL_REPORT_"), " version ",
      report.version(), " (Table 3: ", report.requests().new_requests().total(), " new, ",
      report.requests().total_handled().total(), " handled, ",
      report.requests().carried_forward().total(), " carried forward)");
  return absl::OkStatus();
}

}  // namespace gongkai::catalog::demo
