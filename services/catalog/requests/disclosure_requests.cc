#include "services/catalog/requests/disclosure_requests.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/auth/policy.h"
#include "libs/crypto/sha256.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rule_sets.h"
#include "services/catalog/requests/fees.h"
#include "services/catalog/requests/request_checks.h"
#include "services/catalog/requests/request_clocks.h"
#include "services/catalog/requests/request_rules.h"
#include "services/catalog/requests/tracking_secret.h"

namespace gongkai::catalog::requests {
namespace {

using auth::Principal;
using auth::Role;
using auth::Rule;
using idempotency::Replay;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

// ---- Input limits. -----------------------------------------------------------------------
constexpr validation::TextLimits kNameLimits{.min_chars = 1, .max_chars = 200};
constexpr validation::TextLimits kContactLimits{.min_chars = 1, .max_chars = 500};
constexpr validation::TextLimits kSubjectLimits{.min_chars = 1, .max_chars = 500};
constexpr validation::TextLimits kDescriptionLimits{.max_chars = 4000, .allow_newlines = true};
constexpr validation::TextLimits kRequiredNoteLimits{
    .min_chars = 1, .max_chars = 2000, .allow_newlines = true};
constexpr int kTrackingCodeChars = 12;
constexpr int kTrackingSecretChars = 20;
constexpr int kMaxDueWithinWorkingDays = 20;
constexpr int kMostRequestedDefaultLimit = 10;
constexpr int kMostRequestedMaxLimit = 100;

// Who an anonymous filing is, for idempotency: the applicant and the whole filing.
// A replay returns the stored request, so it must be earned by sending that very
// request again (identity number, name, contact, subject, text and all); someone who
// guesses a request id learns nothing they did not send, and a different filing under
// a reused request id is simply a new request. Keyed like the applicant key, since the
// filing holds the identity document number.
std::string AnonymousFilerKey(absl::string_view secret, const v1::FileRequestRequest& request) {
  v1::FileRequestRequest filing = request;
  filing.clear_request_id();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    filing.SerializeToCodedStream(&coded);
  }
  return absl::StrCat("filing:", crypto::HmacSha256Hex(secret, bytes));
}

bool IsOpen(v1::DisclosureRequestState state) { return state != v1::REQUEST_ANSWERED; }

// ABORTED when the caller computed its change from another version (0: any).
absl::Status CheckExpectedVersion(const v1::DisclosureRequest& current, int64_t expected) {
  if (expected == 0 || expected == current.version()) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("request ", current.id(), " is at version ",
                                         current.version(), ", not ", expected,
                                         "; reload and retry"));
}

std::string FilterFingerprint(const RequestFilter& f) {
  return absl::StrCat("u", f.unit_id, "s", f.state, "a", f.applicant_type, "f",
                      f.received_from ? absl::FormatCivilTime(*f.received_from) : "", "t",
                      f.received_to ? absl::FormatCivilTime(*f.received_to) : "", "d",
                      f.reply_due_by ? absl::FormatCivilTime(*f.reply_due_by) : "");
}

}  // namespace

DisclosureRequests::DisclosureRequests(RequestRepository* repository, units::UnitRepository* units,
                                       documents::DocumentRepository* documents,
                                       std::shared_ptr<calendar::WorkingDayCalendar> calendar,
                                       std::shared_ptr<const rules::RuleBook> rules,
                                       const Clock* clock, RequestObserver* observer,
                                       std::string applicant_key_secret, TokenSource tokens)
    : repository_(repository),
      units_(units),
      documents_(documents),
      calendar_(std::move(calendar)),
      rules_(std::move(rules)),
      clock_(clock),
      observer_(observer),
      applicant_key_secret_(std::move(applicant_key_secret)),
      tokens_(tokens ? std::move(tokens) : TokenSource(RandomToken)) {}

absl::CivilDay DisclosureRequests::Today() const { return calendar::TodayInShanghai(*clock_); }

std::string DisclosureRequests::ApplicantKey(absl::string_view id_number) const {
  // Keyed: an 18-digit resident ID has few enough plausible values that a plain hash
  // of it could be reversed by anyone holding the table.
  return crypto::HmacSha256Hex(applicant_key_secret_,
                               absl::StrCat("applicant:", absl::AsciiStrToUpper(id_number)));
}

absl::Status DisclosureRequests::ApplyClocks(v1::DisclosureRequest& r) const {
  return ApplyRequestClocks(*calendar_, *rules_, Today(), r);  // NAT-6, NAT-7.
}

absl::StatusOr<int> DisclosureRequests::RecomputeStoredClocks(
    const std::function<bool()>& cancelled) {
  constexpr int kPage = 500;
  int changed = 0;
  for (v1::DisclosureRequestState state :
       {v1::REQUEST_RECEIVED, v1::REQUEST_AWAITING_CORRECTION, v1::REQUEST_CORRECTED,
        v1::REQUEST_ASSIGNED, v1::REQUEST_IN_CONSULTATION}) {
    RequestFilter filter;
    filter.state = state;
    int64_t after_id = 0;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<v1::DisclosureRequest> page,
                       repository_->ListRequests(filter, KeysetPage{after_id, kPage}));
      for (v1::DisclosureRequest& r : page) {
        if (cancelled()) return absl::CancelledError("recomputing request clocks was interrupted");
        after_id = r.id();
        RETURN_IF_ERROR(ApplyClocks(r));
        // A request changed meanwhile was stored with clocks computed on these calendars.
        ASSIGN_OR_RETURN(bool written, repository_->RefreshClocks(r));
        if (written) ++changed;
      }
      if (static_cast<int>(page.size()) < kPage) break;
    }
  }
  return changed;
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::Load(int64_t id) const {
  ASSIGN_OR_RETURN(v1::DisclosureRequest r, repository_->GetRequest(id));
  RETURN_IF_ERROR(ApplyClocks(r));
  return r;
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::Store(
    const Principal& caller, const v1::DisclosureRequest& current, v1::DisclosureRequest updated,
    int64_t expected_version, absl::string_view action, std::string detail) {
  RETURN_IF_ERROR(CheckExpectedVersion(current, expected_version));
  RETURN_IF_ERROR(ApplyClocks(updated));
  RequestEvent event{caller.subject, std::string(action), current.state(), updated.state(),
                     Today(),        std::move(detail),   clock_->Now()};
  ASSIGN_OR_RETURN(v1::DisclosureRequest stored,
                   repository_->UpdateRequest(updated, current.version(), event));
  RETURN_IF_ERROR(ApplyClocks(stored));
  return stored;
}

// ---- Filing and reading ---------------------------------------------------------------

absl::StatusOr<v1::FileRequestResponse> DisclosureRequests::FileRequest(
    const Principal& caller, const v1::FileRequestRequest& request) {
  FieldViolations v;
  CheckId(v, "unit_id", request.unit_id(), /*required=*/true);
  const v1::Applicant& applicant = request.applicant();
  CheckEnum(v, "applicant.type", applicant.type(), v1::ApplicantType_IsValid, /*required=*/true);
  CheckText(v, "applicant.name", applicant.name(), kNameLimits);
  CheckIdNumber(v, "applicant.id_number", applicant.id_number());
  CheckText(v, "applicant.contact", applicant.contact(), kContactLimits);
  CheckEnum(v, "channel", request.channel(), v1::RequestChannel_IsValid, /*required=*/false);
  CheckText(v, "subject", request.subject(), kSubjectLimits);
  CheckText(v, "description", request.description(), kDescriptionLimits);
  CheckRequestId(v, "request_id", request.request_id());
  const std::optional<absl::CivilDay> event_day =
      OptionalDate(v, "receipt_event_on", request.receipt_event_on());
  const v1::RequestChannel channel =
      request.channel() == v1::REQUEST_CHANNEL_UNSPECIFIED ? v1::CHANNEL_ONLINE : request.channel();
  const absl::CivilDay today = Today();
  absl::StatusOr<absl::CivilDay> received = absl::InternalError("not computed");
  if (v1::RequestChannel_IsValid(channel)) {
    received = ReceiptDate(channel, today, event_day);  // NAT-5.
    for (const FieldViolation& fv : FieldViolationsOf(received.status())) {
      v.Add(fv.field, fv.description);
    }
    // NAT-1: before the earliest loaded year (a typo like 1026) the clock would never run.
    const std::vector<calendar::CalendarVersion> years = calendar_->Versions();
    if (received.ok() && !years.empty() && received->year() < years.front().year) {
      v.Add("receipt_event_on",
            absl::StrCat("must not be before ", years.front().year,
                         ", the earliest year of the working-day calendar (NAT-1)"));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(received.status());
  // Only staff of the receiving unit register requests that did not come online.
  RETURN_IF_ERROR(auth::Require(caller, channel == v1::CHANNEL_ONLINE ? kFileOnline : kRegister,
                                request.unit_id()));
  absl::Status unit = units_->GetUnit(request.unit_id()).status();
  if (unit.code() == absl::StatusCode::kNotFound) {
    return InvalidField("unit_id", absl::StrCat("unit ", request.unit_id(), " does not exist"));
  }
  RETURN_IF_ERROR(unit);

  const std::string applicant_key = ApplicantKey(applicant.id_number());
  // An anonymous filer's key holds the whole filing already; a signed-in caller's holds
  // the request hash, so a reused request id with another filing is INVALID_ARGUMENT.
  const IdempotencyKey key = idempotency::MakeKey(
      caller.anonymous() ? AnonymousFilerKey(applicant_key_secret_, request) : caller.subject,
      "FileRequest", request.request_id(), request);
  auto respond = [](v1::DisclosureRequest r, std::string secret) {
    v1::FileRequestResponse response;
    response.set_tracking_code(r.tracking_code());
    response.set_tracking_secret(std::move(secret));
    *response.mutable_request() = std::move(r);
    return response;
  };
  // The exact retry answers with the same secret, derived again (ADR 0015); none once
  // staff reset it. The response it retries may have been lost.
  auto replayed_secret = [&](const v1::DisclosureRequest& r) -> absl::StatusOr<std::string> {
    const std::string secret = FilingSecret(applicant_key_secret_, key, r.tracking_code());
    ASSIGN_OR_RETURN(RequestRepository::Tracked tracked,
                     repository_->FindByTrackingCode(r.tracking_code()));
    return SecretMatches(secret, tracked.secret_sha256) ? secret : std::string();
  };
  ASSIGN_OR_RETURN(std::optional<v1::DisclosureRequest> replay,
                   Replay<v1::DisclosureRequest>(*repository_, key));
  if (replay.has_value()) {
    ASSIGN_OR_RETURN(std::string secret, replayed_secret(*replay));
    RETURN_IF_ERROR(ApplyClocks(*replay));
    return respond(*std::move(replay), std::move(secret));
  }

  const absl::Time now = clock_->Now();
  v1::DisclosureRequest r;
  r.set_unit_id(request.unit_id());
  r.set_tracking_code(tokens_(kTrackingCodeChars));
  r.set_applicant_type(applicant.type());
  r.set_applicant_name(applicant.name());
  r.set_applicant_contact(applicant.contact());
  r.set_channel(channel);
  r.set_state(v1::REQUEST_RECEIVED);
  r.set_subject(std::string(absl::StripAsciiWhitespace(request.subject())));
  r.set_description(request.description());
  *r.mutable_received_on() = ToProtoDate(*received);
  *r.mutable_clock_start_on() = ToProtoDate(*received);
  r.set_created_by(caller.subject);
  RETURN_IF_ERROR(ApplyClocks(r));
  const std::string secret = key.request_id.empty()
                                 ? tokens_(kTrackingSecretChars)
                                 : FilingSecret(applicant_key_secret_, key, r.tracking_code());
  RequestEvent event{caller.subject,
                     "file",
                     v1::DISCLOSURE_REQUEST_STATE_UNSPECIFIED,
                     v1::REQUEST_RECEIVED,
                     *received,
                     absl::StrCat("收到申请（", v1::RequestChannel_Name(channel), "），收到日期 ",
                                  absl::FormatCivilTime(*received), "（NAT-5）"),
                     now};
  absl::StatusOr<v1::DisclosureRequest> created =
      repository_->CreateRequest(r, RequestSecrets{crypto::Sha256Hex(secret), applicant_key}, event,
                                 idempotency::StoredKey(key));
  if (created.status().code() == absl::StatusCode::kAlreadyExists && !key.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<v1::DisclosureRequest> winner,
                     Replay<v1::DisclosureRequest>(*repository_, key));
    if (winner.has_value()) {
      ASSIGN_OR_RETURN(std::string winner_secret, replayed_secret(*winner));
      RETURN_IF_ERROR(ApplyClocks(*winner));
      return respond(*std::move(winner), std::move(winner_secret));
    }
  }
  ASSIGN_OR_RETURN(v1::DisclosureRequest stored, std::move(created));
  RETURN_IF_ERROR(ApplyClocks(stored));
  if (observer_ != nullptr) observer_->RequestFiled(channel);
  return respond(std::move(stored), secret);
}

absl::StatusOr<v1::TrackRequestResponse> DisclosureRequests::TrackRequest(
    const Principal&, const v1::TrackRequestRequest& request) {
  FieldViolations v;
  CheckText(v, "tracking_code", request.tracking_code(), {.min_chars = 1, .max_chars = 32});
  CheckText(v, "tracking_secret", request.tracking_secret(), {.min_chars = 1, .max_chars = 64});
  RETURN_IF_ERROR(v.ToStatus());
  const absl::Status not_found =
      absl::NotFoundError("no request matches this tracking code and secret");
  absl::StatusOr<RequestRepository::Tracked> tracked =
      repository_->FindByTrackingCode(NormalizeTrackingToken(request.tracking_code()));
  if (tracked.status().code() == absl::StatusCode::kNotFound) {
    // Same work as a wrong secret, so timing does not tell which codes exist.
    SecretMatches(request.tracking_secret(), crypto::Sha256Hex("no such request"));
    return not_found;
  }
  RETURN_IF_ERROR(tracked.status());
  if (!SecretMatches(request.tracking_secret(), tracked->secret_sha256)) return not_found;
  v1::TrackRequestResponse response;
  *response.mutable_request() = std::move(tracked->request);
  RETURN_IF_ERROR(ApplyClocks(*response.mutable_request()));
  RedactStaff(*response.mutable_request());
  ASSIGN_OR_RETURN(std::vector<v1::DisclosureRequestEvent> history,
                   repository_->ListHistory(response.request().id()));
  for (v1::DisclosureRequestEvent& e : history) {
    e.clear_actor();
    e.set_detail(PublicDetail(e.action()));
    *response.add_history() = std::move(e);
  }
  return response;
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::GetRequest(
    const Principal& caller, const v1::GetRequestRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kRead)));
  ASSIGN_OR_RETURN(v1::DisclosureRequest r, Load(request.id()));
  RETURN_IF_ERROR(RequireVisible(caller, kRead, r));
  return r;
}

absl::StatusOr<v1::ListRequestsResponse> DisclosureRequests::ListRequests(
    const Principal& caller, const v1::ListRequestsRequest& request) {
  FieldViolations v;
  RequestFilter filter;
  CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  CheckEnum(v, "state", request.state(), v1::DisclosureRequestState_IsValid, false);
  CheckEnum(v, "applicant_type", request.applicant_type(), v1::ApplicantType_IsValid, false);
  filter.received_from = OptionalDate(v, "received_from", request.received_from());
  filter.received_to = OptionalDate(v, "received_to", request.received_to());
  if (filter.received_from && filter.received_to && *filter.received_to < *filter.received_from) {
    v.Add("received_to", "must not be before received_from");
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(
      caller, kRead,
      request.unit_id() != 0 ? std::optional<int64_t>(request.unit_id()) : std::nullopt));
  filter.unit_id = request.unit_id();
  filter.state = request.state();
  filter.applicant_type = request.applicant_type();
  return ListPage(filter, request.page_size(), request.page_token());
}

absl::StatusOr<v1::ListRequestsResponse> DisclosureRequests::ListPage(
    const RequestFilter& filter, int32_t requested_page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(requested_page_size));
  const std::string fingerprint = FilterFingerprint(filter);
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(page_token, fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::DisclosureRequest> rows,
                   repository_->ListRequests(filter, KeysetPage{after_id, page_size + 1}));
  v1::ListRequestsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::DisclosureRequest& r) { return r.id(); }));
  for (v1::DisclosureRequest& r : rows) {
    RETURN_IF_ERROR(ApplyClocks(r));
    *response.add_requests() = std::move(r);
  }
  return response;
}

absl::StatusOr<v1::ListRequestsResponse> DisclosureRequests::ListDueRequests(
    const Principal& caller, const v1::ListDueRequestsRequest& request) {
  FieldViolations v;
  CheckId(v, "unit_id", request.unit_id(), /*required=*/true);
  if (request.due_within_working_days() < 0 ||
      request.due_within_working_days() > kMaxDueWithinWorkingDays) {
    v.Add("due_within_working_days",
          absl::StrCat("must be from 0 (overdue only) to ", kMaxDueWithinWorkingDays));
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kRead, request.unit_id()));
  RequestFilter filter;
  filter.unit_id = request.unit_id();
  const absl::CivilDay today = Today();
  if (request.due_within_working_days() == 0) {
    filter.reply_due_by = today - 1;
  } else {
    ASSIGN_OR_RETURN(calendar::Deadline horizon,
                     calendar_->AddWorkingDays(today, request.due_within_working_days()));
    filter.reply_due_by = horizon.due;
  }
  return ListPage(filter, request.page_size(), request.page_token());
}

absl::StatusOr<v1::ListRequestHistoryResponse> DisclosureRequests::ListRequestHistory(
    const Principal& caller, const v1::ListRequestHistoryRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kRead)));
  ASSIGN_OR_RETURN(v1::DisclosureRequest r, repository_->GetRequest(request.id()));
  RETURN_IF_ERROR(RequireVisible(caller, kRead, r));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = absl::StrCat("history-of-", request.id());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::DisclosureRequestEvent> events,
                   repository_->ListHistoryPage(request.id(), KeysetPage{after_id, page_size + 1}));
  v1::ListRequestHistoryResponse response;
  response.set_next_page_token(pagination::TrimPage(
      events, page_size, fingerprint, [](const v1::DisclosureRequestEvent& e) { return e.id(); }));
  for (auto& e : events) *response.add_events() = std::move(e);
  return response;
}

// ---- Lifecycle ------------------------------------------------------------------------

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::IssueCorrectionNotice(
    const Principal& caller, const v1::IssueCorrectionNoticeRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "notice", request.notice(), kRequiredNoteLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (HasDate(current.correction_notice_on())) {
    return PreconditionFailed("CORRECTION", absl::StrCat("disclosure-requests/", current.id()),
                              "a correction notice was already issued; NAT-6 allows one notice "
                              "listing everything to fix");
  }
  if (current.state() != v1::REQUEST_RECEIVED) {
    return WrongState(current, "a correction notice is issued only on a RECEIVED request");
  }
  const absl::CivilDay today = Today();
  const std::optional<absl::CivilDay> due = DueOf(current.correction_deadline());
  if (due.has_value() && today > *due) {
    return PreconditionFailed(
        "CORRECTION_DEADLINE", absl::StrCat("disclosure-requests/", current.id()),
        absl::StrCat("the correction notice was due by ", absl::FormatCivilTime(*due),
                     " (7 working days after receipt, NAT-6); reply to the request instead"));
  }
  v1::DisclosureRequest updated = current;
  updated.set_state(v1::REQUEST_AWAITING_CORRECTION);
  *updated.mutable_correction_notice_on() = ToProtoDate(today);
  updated.set_correction_notice_text(request.notice());
  return Store(caller, current, std::move(updated), request.expected_version(), "correction_notice",
               request.notice());
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::RecordCorrection(
    const Principal& caller, const v1::RecordCorrectionRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  const std::optional<absl::CivilDay> given =
      OptionalDate(v, "corrected_on", request.corrected_on());
  CheckText(v, "description", request.description(), kDescriptionLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (current.state() != v1::REQUEST_AWAITING_CORRECTION) {
    return WrongState(current, "a correction is recorded only while AWAITING_CORRECTION");
  }
  const absl::CivilDay today = Today();
  const absl::CivilDay corrected_on = given.value_or(today);
  if (corrected_on > today) return InvalidField("corrected_on", "must not be in the future");
  if (corrected_on < DayOf(current.correction_notice_on())) {
    return InvalidField(
        "corrected_on",
        absl::StrCat("must not be before the correction notice (",
                     absl::FormatCivilTime(DayOf(current.correction_notice_on())), ")"));
  }
  v1::DisclosureRequest updated = current;
  updated.set_state(v1::REQUEST_CORRECTED);
  *updated.mutable_corrected_on() = ToProtoDate(corrected_on);
  // NAT-6: the reply period restarts from the corrected request's receipt.
  *updated.mutable_clock_start_on() = ToProtoDate(corrected_on);
  if (!request.description().empty()) updated.set_description(request.description());
  return Store(caller, current, std::move(updated), request.expected_version(), "correction",
               absl::StrCat("收到补正后的申请 ", absl::FormatCivilTime(corrected_on),
                            "，答复期限重新起算（NAT-6）"));
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::AssignRequest(
    const Principal& caller, const v1::AssignRequestRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckId(v, "unit_id", request.unit_id(), /*required=*/true);
  CheckText(v, "note", request.note(), kNoteLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (current.state() != v1::REQUEST_RECEIVED && current.state() != v1::REQUEST_CORRECTED &&
      current.state() != v1::REQUEST_ASSIGNED) {
    return WrongState(current, "only RECEIVED, CORRECTED or ASSIGNED requests can be assigned");
  }
  absl::Status unit = units_->GetUnit(request.unit_id()).status();
  if (unit.code() == absl::StatusCode::kNotFound) {
    return InvalidField("unit_id", absl::StrCat("unit ", request.unit_id(), " does not exist"));
  }
  RETURN_IF_ERROR(unit);
  v1::DisclosureRequest updated = current;
  updated.set_state(v1::REQUEST_ASSIGNED);
  updated.set_unit_id(request.unit_id());
  return Store(caller, current, std::move(updated), request.expected_version(), "assign",
               absl::StrCat("unit ", current.unit_id(), " → unit ", request.unit_id(),
                            request.note().empty() ? "" : "：", request.note()));
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::StartThirdPartyConsultation(
    const Principal& caller, const v1::StartThirdPartyConsultationRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "third_party", request.third_party(), kNameLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (current.state() != v1::REQUEST_ASSIGNED) {
    return WrongState(current, "the holding unit consults a third party on an ASSIGNED request");
  }
  if (HasDate(current.consultation_started_on())) {
    return PreconditionFailed("CONSULTATION", absl::StrCat("disclosure-requests/", current.id()),
                              "a third party was already consulted on this request");
  }
  // NAT-6: a consultation pauses a running reply period; started after the due date it
  // would hide the overdue.
  const std::optional<absl::CivilDay> due = DueOf(current.reply_deadline());
  if (due.has_value() && Today() > *due) {
    return PreconditionFailed(
        "REPLY_DEADLINE", absl::StrCat("disclosure-requests/", current.id()),
        absl::StrCat("the reply was due by ", absl::FormatCivilTime(*due),
                     "; a third-party consultation must start before the period ends (NAT-6)"));
  }
  v1::DisclosureRequest updated = current;
  updated.set_state(v1::REQUEST_IN_CONSULTATION);
  updated.set_consultation_third_party(request.third_party());
  *updated.mutable_consultation_started_on() = ToProtoDate(Today());
  return Store(caller, current, std::move(updated), request.expected_version(),
               "consultation_start",
               absl::StrCat("征求第三方意见：", request.third_party(),
                            "；第三方答复期间不计入答复期限（NAT-6）"));
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::EndThirdPartyConsultation(
    const Principal& caller, const v1::EndThirdPartyConsultationRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "note", request.note(), kNoteLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (current.state() != v1::REQUEST_IN_CONSULTATION) {
    return WrongState(current, "no third-party consultation is running");
  }
  const absl::CivilDay today = Today();
  const absl::CivilDay started = DayOf(current.consultation_started_on());
  ASSIGN_OR_RETURN(int consultation_days, ConsultationWorkingDays(*rules_, started));
  ASSIGN_OR_RETURN(int paused, PausedWorkingDays(*calendar_, started, today, consultation_days));
  v1::DisclosureRequest updated = current;
  updated.set_state(v1::REQUEST_ASSIGNED);
  *updated.mutable_consultation_ended_on() = ToProtoDate(today);
  updated.set_paused_working_days(current.paused_working_days() + paused);
  return Store(caller, current, std::move(updated), request.expected_version(), "consultation_end",
               absl::StrCat("第三方意见征求结束，", paused, " 个工作日不计入答复期限（NAT-6）",
                            request.note().empty() ? "" : "：", request.note()));
}

absl::StatusOr<v1::ResetTrackingSecretResponse> DisclosureRequests::ResetTrackingSecret(
    const Principal& caller, const v1::ResetTrackingSecretRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "verification", request.verification(), kRequiredNoteLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  RETURN_IF_ERROR(CheckExpectedVersion(current, request.expected_version()));
  const std::string secret = tokens_(kTrackingSecretChars);
  // CAT-8: who reset it and on what proof; the tracked view shows only that it happened.
  const RequestEvent event{
      caller.subject,  "reset_tracking_secret",
      current.state(), current.state(),
      Today(),         absl::StrCat("重置查询密码，身份核验：", request.verification()),
      clock_->Now()};
  ASSIGN_OR_RETURN(int64_t version,
                   repository_->ReplaceTrackingSecret(current.id(), current.version(),
                                                      crypto::Sha256Hex(secret), event));
  current.set_version(version);
  *current.mutable_update_time() = ToTimestamp(event.time);
  v1::ResetTrackingSecretResponse response;
  response.set_tracking_code(current.tracking_code());
  response.set_tracking_secret(secret);
  *response.mutable_request() = std::move(current);
  return response;
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::ExtendRequest(
    const Principal& caller, const v1::ExtendRequestRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "approver", request.approver(), kNameLimits);
  CheckText(v, "reason", request.reason(), kRequiredNoteLimits);
  CheckEnum(v, "notice_channel", request.notice_channel(), v1::RequestChannel_IsValid, false);
  RETURN_IF_ERROR(v.ToStatus());
  if (absl::Status approve = auth::Require(caller, kApproveExtension); !approve.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "an extension is approved by the head of the disclosure office, role OFFICE (NAT-7); ",
        approve.message()));
  }
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  ASSIGN_OR_RETURN(int max_extension, MaxExtensionWorkingDays(*rules_, current));  // NAT-7.
  CheckExtension(request.working_days(), current.extension_working_days(), v, max_extension);
  RETURN_IF_ERROR(v.ToStatus());
  if (!ReplyClockRuns(current.state())) {
    return WrongState(current, "only a request whose reply period runs can be extended");
  }
  const absl::CivilDay today = Today();
  const std::optional<absl::CivilDay> due = DueOf(current.reply_deadline());
  if (due.has_value() && today > *due) {
    return PreconditionFailed(
        "REPLY_DEADLINE", absl::StrCat("disclosure-requests/", current.id()),
        absl::StrCat("the reply was due by ", absl::FormatCivilTime(*due),
                     "; an extension must be approved before the period ends (NAT-7)"));
  }
  v1::DisclosureRequest updated = current;
  updated.set_extension_working_days(request.working_days());
  updated.set_extension_approver(request.approver());
  updated.set_extension_reason(request.reason());
  *updated.mutable_extended_on() = ToProtoDate(today);
  // NAT-7: the notice to the applicant, with the due date the extension gives.
  RETURN_IF_ERROR(ApplyClocks(updated));
  RecordExtensionNotice(updated, request.reason(), request.notice_channel(), today);
  std::string detail =
      absl::StrCat("延长答复期限 ", request.working_days(), " 个工作日，批准人 ",
                   request.approver(), "：", request.reason(), "（NAT-7）；告知申请人（",
                   v1::RequestChannel_Name(updated.extension_notice_channel()), "）：",
                   updated.extension_notice_text());
  return Store(caller, current, std::move(updated), request.expected_version(), "extend",
               std::move(detail));
}

absl::StatusOr<v1::FeeQuote> DisclosureRequests::QuoteFee(const Principal& caller,
                                                          const v1::QuoteFeeRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckEnum(v, "fee_method", request.fee_method(), v1::FeeMethod_IsValid, /*required=*/true);
  if (request.fee_method() == v1::FEE_BY_PAGES && request.pages() <= 0) {
    v.Add("pages", "must be positive when the fee is charged by pages (NAT-9)");
  } else if (request.fee_method() != v1::FEE_BY_PAGES && request.pages() != 0) {
    v.Add("pages", "is only for FEE_BY_PAGES (NAT-9)");
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kHandle)));
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, repository_->GetRequest(request.id()));
  RETURN_IF_ERROR(RequireVisible(caller, kHandle, current));  // Another unit's: NOT_FOUND.
  // NAT-9: the catalog.fees version in effect on the receipt day.
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> fees,
                   rules_->EffectiveOn(kFeeRuleSet, DayOf(current.received_on())));
  v1::FeeQuote quote;
  Fee fee;
  if (request.fee_method() == v1::FEE_BY_COUNT) {
    ASSIGN_OR_RETURN(int ordinal, repository_->ApplicantOrdinalInMonth(current.id()));
    ASSIGN_OR_RETURN(fee, FeeByCount(*fees, ordinal, current.received_on().year(),
                                     current.received_on().month()));
    quote.set_ordinal_in_month(ordinal);
  } else {
    ASSIGN_OR_RETURN(fee, FeeByPages(*fees, request.pages()));
  }
  quote.set_fee_method(fee.method);
  quote.set_fee_fen(fee.fen);
  quote.set_explanation(fee.explanation);
  return quote;
}

absl::StatusOr<v1::DisclosureRequest> DisclosureRequests::AnswerRequest(
    const Principal& caller, const v1::AnswerRequestRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  AnswerFacts answer{.outcome = request.outcome(),
                     .reason = request.reason(),
                     .already_public_document_id = request.already_public_document_id(),
                     .already_public_reference = request.already_public_reference(),
                     .holder_name = request.holder_name(),
                     .governing_law = request.governing_law(),
                     .on_the_spot = request.on_the_spot(),
                     .fee_method = request.fee_method(),
                     .fee_pages = request.fee_pages()};
  CheckAnswer(answer, v);  // NAT-8, NAT-9.
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::DisclosureRequest current, Load(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kHandle, current.unit_id()));
  if (!IsOpen(current.state())) return WrongState(current, "it was already answered");
  if (current.state() == v1::REQUEST_IN_CONSULTATION) {
    return WrongState(current, "end the third-party consultation before answering");
  }
  const bool awaiting = current.state() == v1::REQUEST_AWAITING_CORRECTION;
  if (awaiting != (request.outcome() == v1::OUTCOME_OTHER_NO_CORRECTION)) {
    return awaiting ? WrongState(current,
                                 "while awaiting correction the only outcome is "
                                 "OUTCOME_OTHER_NO_CORRECTION (the applicant did not correct "
                                 "in time)")
                    : InvalidField("outcome",
                                   "OUTCOME_OTHER_NO_CORRECTION needs a correction notice that "
                                   "was not answered (request is not AWAITING_CORRECTION)");
  }
  if (request.outcome() == v1::OUTCOME_CANNOT_PROVIDE_UNCLEAR && !HasDate(current.corrected_on())) {
    return InvalidField("outcome",
                        "OUTCOME_CANNOT_PROVIDE_UNCLEAR is for a request still unclear after "
                        "correction; issue a correction notice first (NAT-6)");
  }
  const absl::CivilDay today = Today();
  if (request.on_the_spot() &&
      (current.channel() != v1::CHANNEL_IN_PERSON || DayOf(current.received_on()) != today)) {
    return InvalidField("on_the_spot",
                        "a reply on the spot is for an in-person request, the day it is received "
                        "(NAT-7)");
  }
  if (request.already_public_document_id() > 0) {
    absl::StatusOr<v1::Document> document =
        documents_->GetDocument(request.already_public_document_id());
    if (document.status().code() == absl::StatusCode::kNotFound ||
        (document.ok() && document->state() != v1::PUBLISHED)) {
      return InvalidField("already_public_document_id",
                          absl::StrCat("document ", request.already_public_document_id(),
                                       " is not a published document"));
    }
    RETURN_IF_ERROR(document.status());
  }
  v1::DisclosureRequest updated = current;
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> fees,  // NAT-9, on the receipt day.
                   rules_->EffectiveOn(kFeeRuleSet, DayOf(current.received_on())));
  if (request.fee_method() == v1::FEE_BY_COUNT) {
    ASSIGN_OR_RETURN(int ordinal, repository_->ApplicantOrdinalInMonth(current.id()));
    ASSIGN_OR_RETURN(Fee fee, FeeByCount(*fees, ordinal, current.received_on().year(),
                                         current.received_on().month()));
    updated.set_fee_fen(fee.fen);
    updated.set_fee_explanation(fee.explanation);
  } else if (request.fee_method() == v1::FEE_BY_PAGES) {
    ASSIGN_OR_RETURN(Fee fee, FeeByPages(*fees, request.fee_pages()));
    updated.set_fee_fen(fee.fen);
    updated.set_fee_explanation(fee.explanation);
  }
  updated.set_fee_method(request.fee_method());
  updated.set_fee_pages(request.fee_pages());
  updated.set_state(v1::REQUEST_ANSWERED);
  updated.set_outcome(request.outcome());
  updated.set_outcome_reason(request.reason());
  updated.set_already_public_document_id(request.already_public_document_id());
  updated.set_already_public_reference(request.already_public_reference());
  updated.set_holder_name(request.holder_name());
  updated.set_governing_law(request.governing_law());
  updated.set_on_the_spot(request.on_the_spot());
  *updated.mutable_answered_on() = ToProtoDate(today);
  updated.set_answered_by(caller.subject);
  const bool late = current.overdue();
  ASSIGN_OR_RETURN(
      v1::DisclosureRequest stored,
      Store(caller, current, std::move(updated), request.expected_version(), "answer",
            absl::StrCat(v1::RequestOutcome_Name(request.outcome()),
                         request.on_the_spot() ? "（当场答复）" : "", late ? "（逾期答复）" : "",
                         request.reason().empty() ? "" : "：", request.reason())));
  if (observer_ != nullptr) observer_->RequestAnswered(request.outcome(), late);
  return stored;
}

// ---- CAT-7 ----------------------------------------------------------------------------

absl::StatusOr<v1::ListMostRequestedResponse> DisclosureRequests::ListMostRequested(
    const Principal& caller, const v1::ListMostRequestedRequest& request) {
  FieldViolations v;
  CheckId(v, "unit_id", request.unit_id(), /*required=*/true);
  const int this_year = Today().year();
  if (request.year() < 2008 || request.year() > this_year) {
    v.Add("year", absl::StrCat("must be from 2008 to ", this_year));
  }
  if (request.limit() < 0 || request.limit() > kMostRequestedMaxLimit) {
    v.Add("limit", absl::StrCat("must be from 0 (default ", kMostRequestedDefaultLimit, ") to ",
                                kMostRequestedMaxLimit));
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kRead, request.unit_id()));
  ASSIGN_OR_RETURN(
      YearMostRequested year,
      MostRequestedOfYear(*repository_, *rules_, request.unit_id(), request.year(), Today()));
  const int limit = request.limit() == 0 ? kMostRequestedDefaultLimit : request.limit();
  v1::ListMostRequestedResponse response;
  for (auto& item : year.items) {
    if (response.items_size() == limit) break;
    *response.add_items() = std::move(item);
  }
  response.set_min_applicants(static_cast<int32_t>(year.min_applicants.value));
  response.set_rule(year.min_applicants.rule.Explain());
  response.set_rule_version(year.min_applicants.rule.VersionKey());
  return response;
}

absl::StatusOr<YearMostRequested> DisclosureRequests::MostRequestedForSelfReview(int64_t unit_id,
                                                                                 int year) {
  return MostRequestedOfYear(*repository_, *rules_, unit_id, year, Today());
}

}  // namespace gongkai::catalog::requests
