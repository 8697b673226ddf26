#include "services/catalog/documents/documents.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/auth/policy.h"
#include "libs/idempotency/create_or_replay.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rule_sets.h"
#include "services/catalog/catalog_rules.h"
#include "services/catalog/documents/search_terms.h"

namespace gongkai::catalog::documents {
namespace {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

// ---- Input limits. -----------------------------------------------------------------------
constexpr validation::TextLimits kTitleLimits{.min_chars = 1, .max_chars = 500};
constexpr validation::TextLimits kBodyLimits{
    .max_chars = 1'000'000, .max_bytes = 1'000'000, .allow_newlines = true};
constexpr validation::TextLimits kDocumentNumberLimits{.max_chars = 100};
constexpr validation::TextLimits kLegalBasisLimits{.max_chars = 500};
constexpr validation::TextLimits kRepealingDocumentLimits{.max_chars = 500};

std::string DocumentFingerprint(const DocumentFilter& f) {
  return absl::StrCat("u", f.drafting_unit_id, "c", f.category_id, "k", f.key_area, "a",
                      f.attribute, "s", f.state, "f",
                      f.created_from ? absl::ToUnixMicros(*f.created_from) : -1, "t",
                      f.created_before ? absl::ToUnixMicros(*f.created_before) : -1, "o",
                      f.overdue_on ? absl::FormatCivilTime(*f.overdue_on) : "", "b", f.omit_body,
                      // Appended only when set, so tokens of earlier pages stay valid.
                      f.in_force_only ? "r" : "");
}

// Converts an inclusive civil date range into the creation-time filter.
void DateRange(const common::v1::Date& from, const common::v1::Date& to, DocumentFilter& filter,
               FieldViolations& v) {
  if (from.year() != 0 || from.month() != 0 || from.day() != 0) {
    absl::StatusOr<absl::CivilDay> day = ToCivilDay(from);
    if (!day.ok()) {
      v.Add("created_from", std::string(day.status().message()));
    } else {
      filter.created_from = absl::FromCivil(*day, ShanghaiTimeZone());
    }
  }
  if (to.year() != 0 || to.month() != 0 || to.day() != 0) {
    absl::StatusOr<absl::CivilDay> day = ToCivilDay(to);
    if (!day.ok()) {
      v.Add("created_to", std::string(day.status().message()));
    } else {
      filter.created_before = absl::FromCivil(*day + 1, ShanghaiTimeZone());
    }
  }
  if (filter.created_from && filter.created_before &&
      *filter.created_from >= *filter.created_before) {
    v.Add("created_to", "must not be before created_from");
  }
}

// Largest list response: most clients accept 4 MiB by default, and bodies may be
// up to 1 MB each, so a page ends early (with a page token) rather than overflowing.
constexpr size_t kMaxListResponseBytes = 3 << 20;

// Like pagination::TrimPage, and also ends the page before the response passes the
// byte budget (always keeping at least one document).
std::string TrimDocumentPage(std::vector<v1::Document>& rows, int page_size,
                             absl::string_view fingerprint) {
  size_t bytes = 0;
  size_t keep = 0;
  while (keep < rows.size() && keep < static_cast<size_t>(page_size)) {
    bytes += rows[keep].ByteSizeLong();
    if (keep > 0 && bytes > kMaxListResponseBytes) break;
    ++keep;
  }
  if (keep == rows.size()) return "";
  rows.resize(keep);
  return pagination::EncodePageToken(rows.back().id(), fingerprint);
}

// What only the drafting unit, the office and inspectors see of a published document:
// review notes, who drafted and reviewed, why it was once withheld or returned.
void RedactForOutsiders(v1::Document& d) {
  d.clear_review_note();
  d.clear_reviewer();
  d.clear_created_by();
  d.clear_return_cause();
  d.clear_nondisclosure_reason();
  d.clear_legal_basis();
}

}  // namespace

Documents::Documents(DocumentRepository* repository, units::UnitRepository* units,
                     catalog_items::CatalogItemRepository* categories,
                     std::shared_ptr<calendar::WorkingDayCalendar> calendar,
                     std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                     ReleaseGate* release_gate, CatalogObserver* observer)
    : repository_(repository),
      units_(units),
      categories_(categories),
      calendar_(std::move(calendar)),
      rules_(std::move(rules)),
      clock_(clock),
      release_gate_(release_gate),
      observer_(observer) {}

absl::CivilDay Documents::Today() const { return calendar::TodayInShanghai(*clock_); }

// ---- Documents ---------------------------------------------------------------------------

absl::Status Documents::ValidateReferences(const v1::Document& document, FieldViolations& v,
                                           absl::string_view prefix) {
  if (document.drafting_unit_id() > 0) {
    absl::StatusOr<v1::Unit> unit = units_->GetUnit(document.drafting_unit_id());
    if (unit.status().code() == absl::StatusCode::kNotFound) {
      v.Add(absl::StrCat(prefix, "drafting_unit_id"),
            absl::StrCat("unit ", document.drafting_unit_id(), " does not exist"));
    } else if (!unit.ok()) {
      return unit.status();
    }
  }
  if (document.category_id() > 0) {
    absl::StatusOr<v1::Category> category = categories_->GetCategory(document.category_id());
    if (category.status().code() == absl::StatusCode::kNotFound) {
      v.Add(absl::StrCat(prefix, "category_id"),
            absl::StrCat("category ", document.category_id(), " does not exist"));
    } else if (!category.ok()) {
      return category.status();
    }
  }
  return absl::OkStatus();
}

namespace {

// The day a document's publication clock runs from: its creation, or the conversion
// that made it PROACTIVE (NAT-4: "created or changed"), as recorded in its deadline.
absl::CivilDay ClockStart(const v1::Document& document) {
  if (document.has_publication_deadline() && document.publication_deadline().start().year() > 0) {
    const common::v1::Date& start = document.publication_deadline().start();
    return absl::CivilDay(start.year(), start.month(), start.day());
  }
  return absl::ToCivilDay(FromTimestamp(document.create_time()), ShanghaiTimeZone());
}

// Field checks shared by create and update (CAT-1: the attribute may still be open in
// a draft; submission decides whether it is complete, CAT-2).
// `period` is the CAT-3 rule in effect today: a legal limit may only be shorter.
void ValidateDocumentFields(const v1::Document& d, int64_t period, FieldViolations& v) {
  CheckText(v, "document.title", d.title(), kTitleLimits);
  CheckText(v, "document.body", d.body(), kBodyLimits);
  CheckText(v, "document.document_number", d.document_number(), kDocumentNumberLimits);
  CheckId(v, "document.drafting_unit_id", d.drafting_unit_id(), /*required=*/true);
  CheckEnum(v, "document.issuing_authority", d.issuing_authority(), v1::IssuingAuthority_IsValid,
            /*required=*/true);
  CheckEnum(v, "document.key_area", d.key_area(), v1::KeyArea_IsValid, /*required=*/false);
  CheckId(v, "document.category_id", d.category_id(), /*required=*/false);
  CheckEnum(v, "document.disclosure_attribute", d.disclosure_attribute(),
            v1::DisclosureAttribute_IsValid, /*required=*/false);
  CheckText(v, "document.nondisclosure_reason", d.nondisclosure_reason(), kReasonLimits);
  CheckText(v, "document.legal_basis", d.legal_basis(), kLegalBasisLimits);
  if (d.publication_limit_working_days() < 0 || d.publication_limit_working_days() > period) {
    v.Add("document.publication_limit_working_days",
          absl::StrCat("must be from 1 to ", period, " working days, or 0 for the default of ",
                       period, " (the publication.working_days rule in effect, CAT-3)"));
  }
}

// Copies the fields a drafter may set; everything output-only is left alone.
void CopyEditableFields(const v1::Document& from, v1::Document& to) {
  to.set_title(from.title());
  to.set_body(from.body());
  to.set_document_number(from.document_number());
  to.set_drafting_unit_id(from.drafting_unit_id());
  to.set_issuing_authority(from.issuing_authority());
  to.set_is_policy_document(from.is_policy_document());
  to.set_key_area(from.key_area());
  to.set_category_id(from.category_id());
  to.set_disclosure_attribute(from.disclosure_attribute());
  to.set_nondisclosure_reason(from.nondisclosure_reason());
  to.set_legal_basis(from.legal_basis());
  to.set_publication_limit_working_days(from.publication_limit_working_days());
}

// CAT-2: why a submission must be returned, or "" when it is complete.
std::pair<std::string, std::string> MissingForSubmission(const v1::Document& d) {
  if (d.disclosure_attribute() == v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED) {
    return {"missing_attribute",
            "退文：未确定公开属性（主动公开、依申请公开或不予公开）。CAT-2: the disclosure "
            "attribute is not set."};
  }
  if (d.disclosure_attribute() != v1::PROACTIVE) {
    std::vector<std::string> missing;
    if (d.nondisclosure_reason().empty()) missing.push_back("nondisclosure_reason");
    if (d.legal_basis().empty()) missing.push_back("legal_basis");
    if (!missing.empty()) {
      return {"missing_reason",
              absl::StrCat("退文：", v1::DisclosureAttribute_Name(d.disclosure_attribute()),
                           " 须说明理由并引用法律依据。CAT-2: missing ",
                           absl::StrJoin(missing, " and "), ".")};
    }
  }
  return {"", ""};
}

}  // namespace

std::optional<OutboxMessage> PublicationMessage(const v1::Document& document) {
  // INT-3: every published policy document is reported, so the interpretation service
  // releases an approved interpretation with it and flags one that is late or missing.
  if (!document.is_policy_document()) return std::nullopt;
  interpretation::v1::ApplyPublicationRequest request;
  request.set_event_id(absl::StrCat("document-published/", document.id()));
  request.set_document_id(document.id());
  request.set_drafting_unit_id(document.drafting_unit_id());
  request.set_issuing_authority(document.issuing_authority());
  request.set_document_title(document.title());
  *request.mutable_publish_time() = document.publish_time();
  OutboxMessage message;
  message.topic = std::string(kDocumentPublishedTopic);
  message.destination = "interpretation";
  message.event_key = request.event_id();
  message.ordering_key = absl::StrCat(document.id());
  message.payload = request.SerializeAsString();
  return message;
}

absl::StatusOr<std::optional<std::string>> Documents::InterpretationMissing(
    const v1::Document& document) {
  absl::Status gate = release_gate_->CheckRelease(document);
  if (gate.ok()) return std::optional<std::string>();
  if (absl::IsFailedPrecondition(gate)) {
    return std::optional<std::string>(validation::TruncateUtf8(gate.message(), 2000));
  }
  return gate;
}

void Documents::MarkOverdue(v1::Document& document) const {
  document.set_overdue(false);
  if (document.disclosure_attribute() != v1::PROACTIVE || document.state() == v1::PUBLISHED ||
      !document.has_publication_deadline()) {
    return;
  }
  if (document.publication_deadline().due().year() == 0) return;  // Pending calendar data.
  absl::StatusOr<absl::CivilDay> due = ToCivilDay(document.publication_deadline().due());
  document.set_overdue(due.ok() && *due < Today());
}

absl::StatusOr<v1::Document> Documents::LoadDocument(int64_t id) {
  ASSIGN_OR_RETURN(v1::Document document, repository_->GetDocument(id));
  MarkOverdue(document);
  return document;
}

absl::StatusOr<v1::Document> Documents::CreateDocument(const Principal& caller,
                                                       const v1::CreateDocumentRequest& request) {
  const v1::Document& input = request.document();
  FieldViolations v;
  ASSIGN_OR_RETURN(rules::Cited<int64_t> period, PublicationWorkingDays(*rules_, Today()));
  ValidateDocumentFields(input, period.value, v);
  CheckRequestId(v, "request_id", request.request_id());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kCreateDocument, input.drafting_unit_id()));
  RETURN_IF_ERROR(ValidateReferences(input, v, "document."));
  RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_->Now();
  v1::Document document;
  CopyEditableFields(input, document);
  document.set_state(v1::DRAFT);
  document.set_created_by(caller.subject);
  *document.mutable_create_time() = ToTimestamp(now);
  // CAT-3: due 20 working days after creation (or the shorter legal limit).
  RETURN_IF_ERROR(ApplyPublicationClock(document, absl::ToCivilDay(now, ShanghaiTimeZone())));
  AuditRecord audit{caller.subject, "create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, "", now};
  // The document, its audit entry and the key commit in one transaction and nothing
  // else happens, so the key's unique index answers a retry: no read before the write.
  ASSIGN_OR_RETURN(
      v1::Document created,
      idempotency::CreateOrReplay<v1::Document>(
          *repository_, KeyFor(caller, "CreateDocument", request.request_id(), request),
          [&](const IdempotencyKey* key) {
            return repository_->CreateDocument(document, audit, key);
          }));
  MarkOverdue(created);
  return created;
}

absl::StatusOr<std::optional<v1::Document>> Documents::FindCreatedDocument(
    absl::string_view subject, absl::string_view request_id) {
  return idempotency::Replay<v1::Document>(
      *repository_,
      IdempotencyKey{std::string(subject), "CreateDocument", std::string(request_id)});
}

absl::StatusOr<v1::Document> Documents::UpdateDocument(const Principal& caller,
                                                       const v1::UpdateDocumentRequest& request) {
  const v1::Document& input = request.document();
  FieldViolations v;
  CheckId(v, "document.id", input.id(), /*required=*/true);
  ASSIGN_OR_RETURN(rules::Cited<int64_t> period, PublicationWorkingDays(*rules_, Today()));
  ValidateDocumentFields(input, period.value, v);
  if (request.expected_version() < 0) v.Add("expected_version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document current, LoadDocument(input.id()));
  RETURN_IF_ERROR(auth::Require(caller, kDraft, current.drafting_unit_id()));
  // Moving a document to another unit needs the right on that unit too.
  RETURN_IF_ERROR(auth::Require(caller, kDraft, input.drafting_unit_id()));
  if (current.state() != v1::DRAFT && current.state() != v1::RETURNED) {
    return PreconditionFailed(
        "STATE", absl::StrCat("documents/", current.id()),
        absl::StrCat("document ", current.id(), " is ", v1::DocumentState_Name(current.state()),
                     "; only DRAFT or RETURNED documents can be edited"));
  }
  if (request.expected_version() != 0 && request.expected_version() != current.version()) {
    return absl::AbortedError(absl::StrCat("document ", current.id(), " is at version ",
                                           current.version(), ", not ", request.expected_version(),
                                           "; reload and retry"));
  }
  RETURN_IF_ERROR(ValidateReferences(input, v, "document."));
  RETURN_IF_ERROR(v.ToStatus());
  v1::Document updated = current;
  CopyEditableFields(input, updated);
  RETURN_IF_ERROR(ApplyPublicationClock(updated, ClockStart(current)));
  AuditRecord audit{caller.subject, "update", current.state(), current.state(), "", clock_->Now()};
  ASSIGN_OR_RETURN(v1::Document stored,
                   repository_->UpdateDocument(updated, current.version(), audit, std::nullopt));
  MarkOverdue(stored);
  return stored;
}

absl::StatusOr<v1::Document> Documents::Transition(
    const Principal& caller, v1::Document document, v1::DocumentState new_state,
    absl::string_view action, absl::string_view detail,
    std::optional<std::vector<std::string>> search_terms) {
  const v1::DocumentState old_state = document.state();
  const int64_t expected_version = document.version();
  document.set_state(new_state);
  AuditRecord audit{caller.subject, std::string(action), old_state,
                    new_state,      std::string(detail), clock_->Now()};
  ASSIGN_OR_RETURN(v1::Document stored,
                   repository_->UpdateDocument(document, expected_version, audit, search_terms));
  MarkOverdue(stored);
  return stored;
}

absl::StatusOr<v1::Document> Documents::SubmitDocument(const Principal& caller,
                                                       const v1::SubmitDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kDraft, document.drafting_unit_id()));
  if (document.state() != v1::DRAFT && document.state() != v1::RETURNED) {
    return PreconditionFailed(
        "STATE", absl::StrCat("documents/", document.id()),
        absl::StrCat("document ", document.id(), " is ", v1::DocumentState_Name(document.state()),
                     "; only DRAFT or RETURNED documents can be submitted"));
  }
  // CAT-2: an incomplete submission is returned (退文) with its cause, never accepted.
  auto [cause_kind, cause] = MissingForSubmission(document);
  // INT-3: a government-level policy document without an approved interpretation plan
  // and materials is returned the same way; an unreachable interpretation service
  // changes nothing (UNAVAILABLE).
  if (cause_kind.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> missing, InterpretationMissing(document));
    if (missing.has_value()) {
      cause_kind = "interpretation_missing";
      cause = *missing;
    }
  }
  if (!cause_kind.empty()) {
    document.set_return_cause(cause);
    ASSIGN_OR_RETURN(v1::Document returned, Transition(caller, std::move(document), v1::RETURNED,
                                                       "return", cause, std::nullopt));
    if (observer_ != nullptr) observer_->DocumentReturned(cause_kind);
    return returned;
  }
  document.clear_return_cause();
  document.set_review_outcome(v1::REVIEW_OUTCOME_UNSPECIFIED);
  document.clear_review_note();
  document.clear_reviewer();
  return Transition(caller, std::move(document), v1::PENDING_REVIEW, "submit", "", std::nullopt);
}

absl::StatusOr<v1::Document> Documents::ReviewDocument(const Principal& caller,
                                                       const v1::ReviewDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckEnum(v, "outcome", request.outcome(), v1::ReviewOutcome_IsValid, /*required=*/true);
  CheckText(v, "note", request.note(),
            request.outcome() == v1::REVIEW_FAILED ? kRequiredReasonLimits : kReasonLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kConfidentialityReview, document.drafting_unit_id()));
  // CAT-4: the review is another person's, whatever roles the author holds (ADMIN, or
  // STAFF and REVIEWER together).
  if (!document.created_by().empty() && document.created_by() == caller.subject) {
    return absl::PermissionDeniedError(
        absl::StrCat("document ", document.id(), " was drafted by ", caller.subject,
                     "; its confidentiality review must be done by another REVIEWER of the "
                     "unit (CAT-4)"));
  }
  if (document.state() != v1::PENDING_REVIEW) {
    return PreconditionFailed(
        "STATE", absl::StrCat("documents/", document.id()),
        absl::StrCat("document ", document.id(), " is ", v1::DocumentState_Name(document.state()),
                     "; only PENDING_REVIEW documents can be reviewed"));
  }
  document.set_review_outcome(request.outcome());
  document.set_review_note(request.note());
  document.set_reviewer(caller.subject);
  if (request.outcome() == v1::REVIEW_PASSED) {
    // INT-3: reviewed for publication only with the interpretation approved (it may have
    // been sent back to draft since the submission).
    ASSIGN_OR_RETURN(std::optional<std::string> missing, InterpretationMissing(document));
    if (missing.has_value()) {
      document.set_return_cause(*missing);
      document.set_review_outcome(v1::REVIEW_OUTCOME_UNSPECIFIED);
      ASSIGN_OR_RETURN(v1::Document returned, Transition(caller, std::move(document), v1::RETURNED,
                                                         "return", *missing, std::nullopt));
      if (observer_ != nullptr) observer_->DocumentReturned("interpretation_missing");
      return returned;
    }
  }
  if (request.outcome() == v1::REVIEW_FAILED) {
    document.set_return_cause(
        validation::TruncateUtf8(absl::StrCat("保密审查未通过：", request.note()), 2000));
    ASSIGN_OR_RETURN(v1::Document returned,
                     Transition(caller, std::move(document), v1::RETURNED, "review_failed",
                                request.note(), std::nullopt));
    if (observer_ != nullptr) observer_->DocumentReturned("review_failed");
    return returned;
  }
  return Transition(caller, std::move(document), v1::APPROVED, "review_passed", request.note(),
                    std::nullopt);
}

absl::StatusOr<v1::Document> Documents::ReturnDocument(const Principal& caller,
                                                       const v1::ReturnDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckText(v, "cause", request.cause(), kRequiredReasonLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kReturnDocument, document.drafting_unit_id()));
  if (document.state() != v1::PENDING_REVIEW && document.state() != v1::APPROVED) {
    return PreconditionFailed(
        "STATE", absl::StrCat("documents/", document.id()),
        absl::StrCat("document ", document.id(), " is ", v1::DocumentState_Name(document.state()),
                     "; only PENDING_REVIEW or APPROVED documents can be returned"));
  }
  document.set_return_cause(request.cause());
  ASSIGN_OR_RETURN(v1::Document returned, Transition(caller, std::move(document), v1::RETURNED,
                                                     "return", request.cause(), std::nullopt));
  if (observer_ != nullptr) observer_->DocumentReturned("office_returned");
  return returned;
}

absl::StatusOr<v1::Document> Documents::PublishDocument(const Principal& caller,
                                                        const v1::PublishDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kPublish, document.drafting_unit_id()));
  // A retried publish whose first answer was lost gets the published document.
  if (document.state() == v1::PUBLISHED) return document;
  const std::string subject = absl::StrCat("documents/", document.id());
  if (document.disclosure_attribute() != v1::PROACTIVE) {
    return PreconditionFailed(
        "ATTRIBUTE", subject,
        absl::StrCat("document ", document.id(), " is ",
                     v1::DisclosureAttribute_Name(document.disclosure_attribute()),
                     "; only PROACTIVE documents are published (CAT-1)"));
  }
  // CAT-4: no publication without a passed confidentiality review.
  if (document.state() != v1::APPROVED || document.review_outcome() != v1::REVIEW_PASSED) {
    return PreconditionFailed(
        "REVIEW", subject,
        absl::StrCat("document ", document.id(), " is ", v1::DocumentState_Name(document.state()),
                     "; it must pass the confidentiality review before publication (CAT-4)"));
  }
  RETURN_IF_ERROR(release_gate_->CheckRelease(document));
  const absl::Time now = clock_->Now();
  *document.mutable_publish_time() = ToTimestamp(now);
  const std::vector<std::string> terms = DocumentTerms(document.title(), document.body());
  const int64_t expected_version = document.version();
  const v1::DocumentState old_state = document.state();
  document.set_state(v1::PUBLISHED);
  AuditRecord audit{caller.subject, "publish", old_state, v1::PUBLISHED, "", now};
  ASSIGN_OR_RETURN(v1::Document published,
                   repository_->PublishDocument(document, expected_version, audit, terms,
                                                PublicationMessage(document)));
  MarkOverdue(published);
  if (observer_ != nullptr) observer_->DocumentPublished();
  return published;
}

absl::StatusOr<v1::Document> Documents::RepealDocument(const Principal& caller,
                                                       const v1::RepealDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  std::optional<absl::CivilDay> repealed_on;
  if (!request.has_repealed_on()) {
    v.Add("repealed_on", "is required: the day the repeal takes effect");
  } else {
    absl::StatusOr<absl::CivilDay> day = ToCivilDay(request.repealed_on());
    if (!day.ok()) {
      v.Add("repealed_on", std::string(day.status().message()));
    } else if (*day > Today()) {
      v.Add("repealed_on", absl::StrCat("must not be in the future (today is ",
                                        absl::FormatCivilTime(Today()), ")"));
    } else {
      repealed_on = *day;
    }
  }
  CheckText(v, "repealing_document", request.repealing_document(), kRepealingDocumentLimits);
  CheckText(v, "reason", request.reason(), kRequiredReasonLimits);
  if (request.expected_version() < 0) v.Add("expected_version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kRepeal, document.drafting_unit_id()));
  const std::string subject = absl::StrCat("documents/", document.id());
  if (document.state() != v1::PUBLISHED) {
    return PreconditionFailed(
        "STATE", subject,
        absl::StrCat("document ", document.id(), " is ", v1::DocumentState_Name(document.state()),
                     "; only PUBLISHED documents can be repealed"));
  }
  if (!document.is_policy_document()) {
    return PreconditionFailed(
        "POLICY_DOCUMENT", subject,
        absl::StrCat("document ", document.id(),
                     " is not a policy document (is_policy_document is false); only normative "
                     "documents are repealed (NAT-10)"));
  }
  if (document.has_repealed_on()) {
    const common::v1::Date& on = document.repealed_on();
    return PreconditionFailed(
        "STATE", subject,
        absl::StrCat("document ", document.id(), " is PUBLISHED and already repealed (已废止) on ",
                     absl::FormatCivilTime(absl::CivilDay(on.year(), on.month(), on.day())),
                     "; a document is repealed once"));
  }
  // NAT-10: a document cannot stop being in force before it was published.
  const absl::CivilDay published_on =
      absl::ToCivilDay(FromTimestamp(document.publish_time()), ShanghaiTimeZone());
  if (*repealed_on < published_on) {
    return InvalidField("repealed_on",
                        absl::StrCat("must not be before the day document ", document.id(),
                                     " was published, ", absl::FormatCivilTime(published_on)));
  }
  if (request.expected_version() != 0 && request.expected_version() != document.version()) {
    return absl::AbortedError(absl::StrCat("document ", document.id(), " is at version ",
                                           document.version(), ", not ", request.expected_version(),
                                           "; reload and retry"));
  }
  *document.mutable_repealed_on() = ToProtoDate(*repealed_on);
  document.set_repealing_document(request.repealing_document());
  document.set_repeal_reason(request.reason());
  const std::string detail = validation::TruncateUtf8(
      absl::StrCat("废止于 ", absl::FormatCivilTime(*repealed_on),
                   request.repealing_document().empty()
                       ? ""
                       : absl::StrCat("（", request.repealing_document(), "）"),
                   "：", request.reason()),
      2000);
  // The state stays PUBLISHED: a repealed document remains public, marked 已废止; it
  // stays in the search index.
  return Transition(caller, std::move(document), v1::PUBLISHED, "repeal", detail, std::nullopt);
}

absl::StatusOr<v1::Document> Documents::GetDocument(const Principal& caller,
                                                    const v1::GetDocumentRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.id()));
  if (document.state() == v1::PUBLISHED) {
    if (!CanReadInternal(caller, document.drafting_unit_id())) RedactForOutsiders(document);
    return document;
  }
  // Unpublished work is invisible, not forbidden, to those who may not see it: the
  // answer must not reveal that the document exists.
  if (!CanReadInternal(caller, document.drafting_unit_id())) {
    return absl::NotFoundError(absl::StrCat("document ", request.id(), " not found"));
  }
  return document;
}

absl::StatusOr<v1::ListDocumentsResponse> Documents::ListDocuments(
    const Principal& caller, const v1::ListDocumentsRequest& request) {
  FieldViolations v;
  DocumentFilter filter;
  CheckId(v, "drafting_unit_id", request.drafting_unit_id(), /*required=*/false);
  CheckId(v, "category_id", request.category_id(), /*required=*/false);
  CheckEnum(v, "key_area", request.key_area(), v1::KeyArea_IsValid, false);
  CheckEnum(v, "disclosure_attribute", request.disclosure_attribute(),
            v1::DisclosureAttribute_IsValid, false);
  CheckEnum(v, "state", request.state(), v1::DocumentState_IsValid, false);
  DateRange(request.created_from(), request.created_to(), filter, v);
  RETURN_IF_ERROR(v.ToStatus());
  filter.drafting_unit_id = request.drafting_unit_id();
  filter.category_id = request.category_id();
  filter.key_area = request.key_area();
  filter.attribute = request.disclosure_attribute();
  filter.state = request.state();
  filter.omit_body = request.omit_body();
  filter.in_force_only = request.in_force_only();
  // Callers who may not see the unit's internal work see published documents only.
  const bool internal = request.drafting_unit_id() != 0
                            ? CanReadInternal(caller, request.drafting_unit_id())
                            : auth::Require(caller, kReadInternal, std::nullopt).ok();
  if (!internal) {
    if (filter.state != v1::DOCUMENT_STATE_UNSPECIFIED && filter.state != v1::PUBLISHED) {
      return absl::PermissionDeniedError(
          absl::StrCat("only published documents are visible to this caller; state ",
                       v1::DocumentState_Name(filter.state),
                       " needs drafting_unit_id of a unit the caller may read"));
    }
    filter.state = v1::PUBLISHED;
  }
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = DocumentFingerprint(filter);
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::Document> documents,
                   repository_->ListDocuments(filter, KeysetPage{after_id, page_size + 1}));
  v1::ListDocumentsResponse response;
  response.set_next_page_token(TrimDocumentPage(documents, page_size, fingerprint));
  for (auto& d : documents) {
    MarkOverdue(d);
    if (!internal) RedactForOutsiders(d);
    *response.add_documents() = std::move(d);
  }
  return response;
}

absl::StatusOr<v1::SearchDocumentsResponse> Documents::SearchDocuments(
    const Principal& caller, const v1::SearchDocumentsRequest& request) {
  FieldViolations v;
  CheckText(v, "query", request.query(), {.min_chars = 1, .max_chars = 100});
  CheckId(v, "drafting_unit_id", request.drafting_unit_id(), false);
  CheckEnum(v, "key_area", request.key_area(), v1::KeyArea_IsValid, false);
  std::vector<std::string> terms;
  if (v.empty()) {
    terms = ExtractTerms(request.query());
    if (terms.empty()) v.Add("query", "must contain at least one letter, digit or CJK character");
    if (terms.size() > 32) v.Add("query", "is too long: at most 32 search terms");
  }
  RETURN_IF_ERROR(v.ToStatus());
  DocumentFilter filter;
  filter.drafting_unit_id = request.drafting_unit_id();
  filter.key_area = request.key_area();
  filter.state = v1::PUBLISHED;
  filter.omit_body = true;  // Result lists carry titles; GetDocument gives the text.
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = absl::StrCat(DocumentFingerprint(filter), "q", request.query());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(
      std::vector<v1::Document> documents,
      repository_->SearchPublished(terms, filter, KeysetPage{after_id, page_size + 1}));
  v1::SearchDocumentsResponse response;
  response.set_next_page_token(pagination::TrimPage(documents, page_size, fingerprint,
                                                    [](const v1::Document& d) { return d.id(); }));
  for (auto& d : documents) {
    if (!CanReadInternal(caller, d.drafting_unit_id())) RedactForOutsiders(d);
    *response.add_documents() = std::move(d);
  }
  return response;
}

absl::StatusOr<v1::ListDocumentsResponse> Documents::ListOverdueDocuments(
    const Principal& caller, const v1::ListOverdueDocumentsRequest& request) {
  FieldViolations v;
  CheckId(v, "drafting_unit_id", request.drafting_unit_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  if (request.drafting_unit_id() == 0) {
    RETURN_IF_ERROR(auth::Require(caller, kReadInternal, std::nullopt));
  } else {
    RETURN_IF_ERROR(auth::Require(caller, kReadInternal, request.drafting_unit_id()));
  }
  DocumentFilter filter;
  filter.drafting_unit_id = request.drafting_unit_id();
  filter.overdue_on = Today();
  filter.omit_body = true;
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = absl::StrCat("overdue", request.drafting_unit_id());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::Document> documents,
                   repository_->ListDocuments(filter, KeysetPage{after_id, page_size + 1}));
  v1::ListDocumentsResponse response;
  response.set_next_page_token(pagination::TrimPage(documents, page_size, fingerprint,
                                                    [](const v1::Document& d) { return d.id(); }));
  for (auto& d : documents) {
    MarkOverdue(d);
    *response.add_documents() = std::move(d);
  }
  return response;
}

absl::StatusOr<v1::ListDocumentAuditResponse> Documents::ListDocumentAudit(
    const Principal& caller, const v1::ListDocumentAuditRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, repository_->GetDocument(request.id()));
  if (!CanReadInternal(caller, document.drafting_unit_id())) {
    // As GetDocument: outsiders must not learn that an unpublished document exists.
    if (document.state() != v1::PUBLISHED) {
      return absl::NotFoundError(absl::StrCat("document ", request.id(), " not found"));
    }
    RETURN_IF_ERROR(auth::Require(caller, kReadInternal, document.drafting_unit_id()));
  }
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint = absl::StrCat("audit", request.id());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<common::v1::AuditEntry> entries,
                   repository_->ListAudit(request.id(), KeysetPage{after_id, page_size + 1}));
  v1::ListDocumentAuditResponse response;
  response.set_next_page_token(pagination::TrimPage(
      entries, page_size, fingerprint, [](const common::v1::AuditEntry& e) { return e.id(); }));
  for (auto& e : entries) *response.add_entries() = std::move(e);
  return response;
}

absl::StatusOr<v1::RecordInterpretationReleaseResponse> Documents::RecordInterpretationRelease(
    const Principal& caller, const v1::RecordInterpretationReleaseRequest& request) {
  // Only the interpretation service (and an administrator) report releases: refused
  // before the request is looked at.
  RETURN_IF_ERROR(auth::Require(caller, kRecordInterpretationRelease, std::nullopt));
  FieldViolations v;
  if (request.event_id().empty()) {
    v.Add("event_id", "is required: the interpretation service's outbox event key");
  } else {
    CheckRequestId(v, "event_id", request.event_id());
  }
  CheckId(v, "document_id", request.document_id(), /*required=*/true);
  CheckId(v, "interpretation_id", request.interpretation_id(), /*required=*/true);
  if (!request.has_release_time()) v.Add("release_time", "is required");
  if (request.lag_working_days() < 0) v.Add("lag_working_days", "must not be negative");
  constexpr validation::TextLimits kLagRuleLimits{.min_chars = 0, .max_chars = 1000};
  CheckText(v, "lag_rule", request.lag_rule(), kLagRuleLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Document document, LoadDocument(request.document_id()));
  if (!document.is_policy_document() || document.state() != v1::PUBLISHED) {
    return PreconditionFailed("STATE", absl::StrCat("documents/", document.id()),
                              absl::StrCat("document ", document.id(),
                                           " is not a published policy document; only "
                                           "their interpretations are followed (INT-3)"));
  }
  // INT-3: the document's record says when its interpretation followed and whether that
  // was late; the event key in the detail makes a redelivery find its own entry.
  AuditRecord audit;
  audit.actor = caller.subject;
  audit.action = request.late() ? "interpretation_released_late" : "interpretation_released_after";
  audit.old_state = v1::PUBLISHED;
  audit.new_state = v1::PUBLISHED;
  audit.detail =
      absl::StrCat("INT-3: 解读 ", request.interpretation_id(), " 于 ",
                   absl::FormatTime("%Y-%m-%d %H:%M:%S", FromTimestamp(request.release_time()),
                                    ShanghaiTimeZone()),
                   " 发布，晚于文件 ", request.lag_working_days(), " 个工作日",
                   request.late() ? "，超过允许的期限 (late)" : " (within the allowed lag)",
                   request.lag_rule().empty() ? "" : absl::StrCat("; ", request.lag_rule()), " [",
                   request.event_id(), "]");
  audit.time = clock_->Now();
  ASSIGN_OR_RETURN(bool appended, repository_->AppendAuditOnce(document.id(), audit));
  v1::RecordInterpretationReleaseResponse response;
  response.set_already_recorded(!appended);
  return response;
}

absl::StatusOr<int> Documents::RecomputeStaleDeadlines(const std::function<bool()>& cancelled) {
  int changed = 0;
  const std::string current = CalendarVersionsKey(calendar_->Versions());
  constexpr int kPage = 500;
  for (v1::DocumentState state : {v1::DRAFT, v1::RETURNED, v1::PENDING_REVIEW, v1::APPROVED}) {
    DocumentFilter filter;
    filter.attribute = v1::PROACTIVE;
    filter.state = state;
    filter.omit_body = true;  // Scan light; reload the few stale ones in full.
    int64_t after_id = 0;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<v1::Document> page,
                       repository_->ListDocuments(filter, KeysetPage{after_id, kPage}));
      for (const v1::Document& listed : page) {
        if (cancelled()) return absl::CancelledError("recomputing deadlines was interrupted");
        after_id = listed.id();
        const bool complete =
            listed.has_publication_deadline() && listed.publication_deadline().due().year() > 0;
        if (complete && !calendar_->IsStale(FromProto(listed.publication_deadline())) &&
            PublicationPeriodIsCurrent(listed, ClockStart(listed))) {
          continue;
        }
        absl::StatusOr<v1::Document> document = repository_->GetDocument(listed.id());
        // Deleted meanwhile: nothing to recompute. Any other error (UNAVAILABLE...) fails
        // the pass, so the caller runs it again instead of leaving the clock stale.
        if (document.status().code() == absl::StatusCode::kNotFound) continue;
        RETURN_IF_ERROR(document.status());
        v1::Document updated = *document;
        RETURN_IF_ERROR(ApplyPublicationClock(updated, ClockStart(*document)));
        if (updated.publication_deadline().SerializeAsString() ==
            document->publication_deadline().SerializeAsString()) {
          continue;
        }
        AuditRecord audit{"system",
                          "recompute_deadline",
                          document->state(),
                          document->state(),
                          absl::StrCat("calendar ", current, "; rules ",
                                       updated.publication_deadline().rule_version()),
                          clock_->Now()};
        absl::StatusOr<v1::Document> stored =
            repository_->UpdateDocument(updated, document->version(), audit, std::nullopt);
        // A concurrent edit wins; it computed the clock on the current calendar itself.
        if (stored.status().code() == absl::StatusCode::kAborted) continue;
        RETURN_IF_ERROR(stored.status());
        ++changed;
      }
      if (static_cast<int>(page.size()) < kPage) break;
    }
  }
  return changed;
}

// ---- For the self-review (CAT-7) ----------------------------------------------------------

absl::StatusOr<std::vector<v1::Document>> Documents::ListUndisclosedDocuments(int64_t unit_id,
                                                                              int64_t after_id,
                                                                              int limit) {
  return repository_->ListUndisclosedDocuments(unit_id, after_id, limit);
}

absl::StatusOr<DocumentChange> Documents::PrepareConversionToProactive(const Principal& caller,
                                                                       int64_t document_id,
                                                                       int64_t unit_id,
                                                                       absl::string_view detail,
                                                                       absl::Time now) {
  ASSIGN_OR_RETURN(v1::Document document, repository_->GetDocument(document_id));
  // The document may have moved on since the review listed it; only an approved,
  // still undisclosed document of the reviewed unit can be converted.
  if (document.state() != v1::APPROVED ||
      (document.disclosure_attribute() != v1::ON_REQUEST &&
       document.disclosure_attribute() != v1::NOT_DISCLOSED) ||
      document.drafting_unit_id() != unit_id) {
    return PreconditionFailed(
        "STATE", absl::StrCat("documents/", document.id()),
        absl::StrCat("document ", document.id(), " is now ",
                     v1::DocumentState_Name(document.state()), " and ",
                     v1::DisclosureAttribute_Name(document.disclosure_attribute()), " of unit ",
                     document.drafting_unit_id(),
                     "; only an APPROVED ON_REQUEST or NOT_DISCLOSED document of unit ", unit_id,
                     " can be converted (decide KEEP instead)"));
  }
  v1::Document converted = document;
  converted.set_disclosure_attribute(v1::PROACTIVE);
  converted.set_state(v1::PENDING_REVIEW);
  converted.set_review_outcome(v1::REVIEW_OUTCOME_UNSPECIFIED);
  converted.clear_review_note();
  converted.clear_reviewer();
  RETURN_IF_ERROR(ApplyPublicationClock(converted, absl::ToCivilDay(now, ShanghaiTimeZone())));
  return DocumentChange{converted, document.version(),
                        AuditRecord{caller.subject, "self_review_convert", document.state(),
                                    v1::PENDING_REVIEW, std::string(detail), now}};
}

absl::StatusOr<DocumentChange> Documents::PrepareNewDocument(const Principal& caller,
                                                             const v1::Document& input,
                                                             absl::string_view field_prefix,
                                                             absl::string_view detail,
                                                             absl::Time now) {
  const absl::CivilDay today = absl::ToCivilDay(now, ShanghaiTimeZone());
  ASSIGN_OR_RETURN(rules::Cited<int64_t> period, PublicationWorkingDays(*rules_, today));
  FieldViolations fields, v;
  ValidateDocumentFields(input, period.value, fields);
  for (const FieldViolation& f : fields.violations()) {  // "document.<field>", renamed.
    v.Add(absl::StrCat(field_prefix, f.field.substr(f.field.find('.') + 1)), f.description);
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kDraft, input.drafting_unit_id()));
  RETURN_IF_ERROR(ValidateReferences(input, v, field_prefix));
  RETURN_IF_ERROR(v.ToStatus());
  v1::Document document;
  CopyEditableFields(input, document);
  document.set_state(v1::DRAFT);
  document.set_created_by(caller.subject);
  *document.mutable_create_time() = ToTimestamp(now);
  RETURN_IF_ERROR(ApplyPublicationClock(document, today));  // CAT-3 from creation.
  return DocumentChange{document, 0,
                        AuditRecord{caller.subject, "create", v1::DOCUMENT_STATE_UNSPECIFIED,
                                    v1::DRAFT, std::string(detail), now}};
}

}  // namespace gongkai::catalog::documents
