#include "services/interpretation/interpretations.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/interpretation/interpretation_rules.h"

namespace gongkai::interpretation {
namespace {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

constexpr validation::TextLimits kRequiredReasonLimits{
    .min_chars = 1, .max_chars = 2000, .allow_newlines = true};
constexpr validation::TextLimits kTitleLimits{.min_chars = 1, .max_chars = 500};

bool CanReadInternal(const Principal& caller, int64_t unit_id) {
  return Allow(caller, kReadInternal, unit_id).ok();
}

void CopyContent(const v1::Interpretation& from, v1::Interpretation& to) {
  *to.mutable_sections() = from.sections();
  *to.mutable_plan() = from.plan();
  *to.mutable_materials() = from.materials();
}

void CheckExpectedVersion(FieldViolations& v, int64_t expected_version) {
  if (expected_version < 0) v.Add("expected_version", "must not be negative");
}

absl::Status CheckVersion(const v1::Interpretation& stored, int64_t expected_version) {
  if (expected_version != 0 && expected_version != stored.version()) {
    return absl::AbortedError(absl::StrCat("interpretation ", stored.id(), " is at version ",
                                           stored.version(), ", not ", expected_version,
                                           "; reload and retry"));
  }
  return absl::OkStatus();
}

// How long after a publication its outbox event may still be on its way (not a
// statutory number: an operational margin far above the relay's delivery lag).
constexpr absl::Duration kEventGrace = absl::Minutes(1);

absl::CivilDay ShanghaiDay(absl::Time time) { return absl::ToCivilDay(time, ShanghaiTimeZone()); }

}  // namespace

Interpretations::Interpretations(InterpretationRepository* repository, DocumentLookup* documents,
                                 std::shared_ptr<const calendar::WorkingDayCalendar> calendar,
                                 std::shared_ptr<const rules::RuleBook> rules, const Clock* clock,
                                 InterpretationObserver* observer)
    : repository_(repository),
      documents_(documents),
      calendar_(std::move(calendar)),
      rules_(std::move(rules)),
      clock_(clock),
      observer_(observer) {}

absl::CivilDay Interpretations::Today() const { return calendar::TodayInShanghai(*clock_); }

absl::StatusOr<std::pair<int, std::string>> Interpretations::AllowedLag(absl::CivilDay day) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> set,
                   rules_->EffectiveOn(kReleaseRuleSet, day));
  ASSIGN_OR_RETURN(rules::Cited<int64_t> lag, set->WorkingDays(kAllowedLagRule));
  return std::make_pair(static_cast<int>(lag.value), lag.rule.Explain());
}

absl::StatusOr<catalog::v1::Document> Interpretations::LookupDocument(int64_t document_id) {
  absl::StatusOr<catalog::v1::Document> document = documents_->GetDocument(document_id);
  if (absl::IsNotFound(document.status())) {
    return absl::NotFoundError(absl::StrCat("document ", document_id, " not found"));
  }
  return document;
}

absl::StatusOr<v1::Interpretation> Interpretations::LoadVisible(const Principal& caller,
                                                                int64_t id) {
  absl::StatusOr<v1::Interpretation> stored = repository_->Get(id);
  if (!stored.ok()) return stored.status();
  if (stored->state() != v1::RELEASED && !CanReadInternal(caller, stored->unit_id())) {
    return absl::NotFoundError(absl::StrCat("interpretation ", id, " not found"));
  }
  return stored;
}

absl::StatusOr<v1::Interpretation> Interpretations::CreateInterpretation(
    const Principal& caller, const v1::CreateInterpretationRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  CheckRequestId(v, "request_id", request.request_id());
  CheckId(v, "interpretation.document_id", request.interpretation().document_id(),
          /*required=*/true);
  ValidateContent(v, request.interpretation(), "interpretation.");
  RETURN_IF_ERROR(v.ToStatus());
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateInterpretation", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Interpretation>(
      *repository_, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Interpretation> {
        const int64_t document_id = request.interpretation().document_id();
        ASSIGN_OR_RETURN(catalog::v1::Document document, LookupDocument(document_id));
        // INT-1: whoever drafts interprets: the drafting department for documents in the
        // name of the city government or its office, the issuing department (which
        // drafted it) for a department's own documents.
        RETURN_IF_ERROR(Allow(caller, kDraftInterpretation, document.drafting_unit_id()));
        if (!document.is_policy_document()) {
          return PreconditionFailed(
              "POLICY_DOCUMENT", absl::StrCat("documents/", document_id),
              absl::StrCat("document ", document_id,
                           " is not a policy document; only policy documents are interpreted "
                           "(INT-1)"));
        }
        ASSIGN_OR_RETURN(std::optional<v1::Interpretation> existing,
                         repository_->FindPrimary(document_id));
        if (existing.has_value()) {
          return absl::AlreadyExistsError(
              absl::StrCat("document ", document_id, " already has interpretation ", existing->id(),
                           "; update it, or request a supplementary one"));
        }
        v1::Interpretation interpretation;
        interpretation.set_document_id(document_id);
        interpretation.set_kind(v1::PRIMARY);
        interpretation.set_state(v1::DRAFT);
        interpretation.set_unit_id(document.drafting_unit_id());
        interpretation.set_document_title(document.title());
        interpretation.set_issuing_authority(document.issuing_authority());
        CopyContent(request.interpretation(), interpretation);
        interpretation.set_created_by(caller.subject);
        ASSIGN_OR_RETURN(std::optional<Publication> publication,
                         repository_->FindPublication(document_id));
        if (publication.has_value()) {
          *interpretation.mutable_document_publish_time() = ToTimestamp(publication->publish_time);
        }
        return repository_->Create(interpretation, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Interpretation> Interpretations::RequestSupplementaryInterpretation(
    const Principal& caller, const v1::RequestSupplementaryInterpretationRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  CheckRequestId(v, "request_id", request.request_id());
  CheckId(v, "document_id", request.document_id(), /*required=*/true);
  CheckText(v, "reason", request.reason(), kRequiredReasonLimits);
  RETURN_IF_ERROR(v.ToStatus());
  const idempotency::Key key = idempotency::MakeKey(
      caller.subject, "RequestSupplementaryInterpretation", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Interpretation>(
      *repository_, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Interpretation> {
        ASSIGN_OR_RETURN(catalog::v1::Document document, LookupDocument(request.document_id()));
        RETURN_IF_ERROR(Allow(caller, kRequestSupplement, document.drafting_unit_id()));
        const std::string subject = absl::StrCat("documents/", document.id());
        if (!document.is_policy_document()) {
          return PreconditionFailed(
              "POLICY_DOCUMENT", subject,
              absl::StrCat("document ", document.id(), " is not a policy document (INT-1)"));
        }
        if (document.state() != catalog::v1::PUBLISHED) {
          return PreconditionFailed(
              "STATE", subject,
              absl::StrCat("document ", document.id(), " is ",
                           catalog::v1::DocumentState_Name(document.state()),
                           "; a supplementary interpretation follows a published document"));
        }
        v1::Interpretation interpretation;
        interpretation.set_document_id(document.id());
        interpretation.set_kind(v1::SUPPLEMENTARY);
        interpretation.set_state(v1::DRAFT);
        interpretation.set_unit_id(document.drafting_unit_id());
        interpretation.set_document_title(document.title());
        interpretation.set_issuing_authority(document.issuing_authority());
        *interpretation.mutable_document_publish_time() = document.publish_time();
        interpretation.set_supplement_reason(request.reason());
        interpretation.set_requested_by(caller.subject);
        interpretation.set_created_by(caller.subject);
        return repository_->Create(interpretation, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Interpretation> Interpretations::UpdateInterpretation(
    const Principal& caller, const v1::UpdateInterpretationRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  CheckId(v, "interpretation.id", request.interpretation().id(), /*required=*/true);
  ValidateContent(v, request.interpretation(), "interpretation.");
  CheckExpectedVersion(v, request.expected_version());
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Interpretation stored, LoadVisible(caller, request.interpretation().id()));
  RETURN_IF_ERROR(Allow(caller, kDraftInterpretation, stored.unit_id()));
  if (stored.state() == v1::RELEASED) {
    return PreconditionFailed(
        "STATE", absl::StrCat("interpretations/", stored.id()),
        absl::StrCat("interpretation ", stored.id(),
                     " is RELEASED; a released interpretation is not rewritten, request a "
                     "supplementary one"));
  }
  RETURN_IF_ERROR(CheckVersion(stored, request.expected_version()));
  const int64_t version = stored.version();
  CopyContent(request.interpretation(), stored);
  // A changed plan or content needs the head's approval again (INT-3).
  stored.set_state(v1::DRAFT);
  stored.clear_first_interpreter();
  stored.clear_approve_time();
  return repository_->Update(stored, version, clock_->Now());
}

absl::StatusOr<v1::Interpretation> Interpretations::ApproveInterpretation(
    const Principal& caller, const v1::ApproveInterpretationRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckExpectedVersion(v, request.expected_version());
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Interpretation stored, LoadVisible(caller, request.id()));
  RETURN_IF_ERROR(MayApprove(caller, stored.unit_id()));
  if (stored.state() != v1::DRAFT) {
    // A retried approval whose first answer was lost gets the approved interpretation.
    if (stored.first_interpreter() == caller.subject) return stored;
    return PreconditionFailed(
        "STATE", absl::StrCat("interpretations/", stored.id()),
        absl::StrCat("interpretation ", stored.id(), " is ",
                     v1::InterpretationState_Name(stored.state()), "; only a DRAFT is approved"));
  }
  RETURN_IF_ERROR(CheckApprovable(stored));  // INT-2, INT-3.
  RETURN_IF_ERROR(CheckVersion(stored, request.expected_version()));
  if (stored.kind() == v1::PRIMARY) {
    // INT-3 recovery: a document the catalog published without this service hearing of
    // it (before the release gate existed, or its event was lost) is learnt here, so the
    // interpretation is released now, late if the rule says so. When the catalog cannot
    // be asked the interpretation is approved all the same and ReconcilePublications
    // releases it once the catalog answers.
    absl::StatusOr<bool> known = LearnPublication(stored.document_id());
    if (!known.ok() && !absl::IsUnavailable(known.status()) && !absl::IsNotFound(known.status())) {
      return known.status();
    }
  }
  const absl::Time now = clock_->Now();
  bool released = false;
  bool late = false;
  ASSIGN_OR_RETURN(
      v1::Interpretation approved,
      repository_->UpdateApproved(
          stored.id(), stored.version(),
          [&](const std::optional<Publication>& publication) -> absl::StatusOr<ApprovalOutcome> {
            ApprovalOutcome outcome;
            v1::Interpretation& result = outcome.interpretation;
            result = stored;
            result.set_state(v1::APPROVED);
            result.set_first_interpreter(caller.subject);  // INT-1.
            *result.mutable_approve_time() = ToTimestamp(now);
            released = false;
            late = false;
            if (result.kind() == v1::SUPPLEMENTARY) {
              // Its document is public already: released when approved.
              result.set_state(v1::RELEASED);
              *result.mutable_release_time() = ToTimestamp(now);
              released = true;
            } else if (publication.has_value()) {
              // INT-3: the document went out first; the interpretation follows now, and
              // the catalog is told (the document's record shows it, late or not).
              RETURN_IF_ERROR(ReleaseFollowing(result, *publication, now));
              outcome.message = ReleaseReport(result);
              released = true;
              late = result.late();
            }
            return outcome;
          },
          now));
  if (observer_ != nullptr) {
    observer_->Approved();
    if (released) observer_->Released(late);
    if (released && approved.kind() == v1::PRIMARY) observer_->ReleaseReportQueued();
  }
  return approved;
}

absl::Status Interpretations::ReleaseFollowing(v1::Interpretation& interpretation,
                                               const Publication& publication,
                                               absl::Time now) const {
  // The lag is measured against the rule in effect on the publication day.
  const absl::CivilDay published_on = ShanghaiDay(publication.publish_time);
  ASSIGN_OR_RETURN(auto allowed, AllowedLag(published_on));
  ASSIGN_OR_RETURN(int lag, calendar_->CountWorkingDaysBetween(published_on, ShanghaiDay(now)));
  interpretation.set_state(v1::RELEASED);
  *interpretation.mutable_document_publish_time() = ToTimestamp(publication.publish_time);
  *interpretation.mutable_release_time() = ToTimestamp(now);
  interpretation.set_release_lag_working_days(lag);
  interpretation.set_late(lag > allowed.first);
  interpretation.set_lag_rule(allowed.second);
  return absl::OkStatus();
}

OutboxMessage ReleaseReport(const v1::Interpretation& released) {
  catalog::v1::RecordInterpretationReleaseRequest report;
  report.set_event_id(absl::StrCat("interpretation-released/", released.id()));
  report.set_document_id(released.document_id());
  report.set_interpretation_id(released.id());
  *report.mutable_release_time() = released.release_time();
  report.set_lag_working_days(released.release_lag_working_days());
  report.set_late(released.late());
  report.set_lag_rule(validation::TruncateUtf8(released.lag_rule(), 1000));
  OutboxMessage message;
  message.topic = std::string(kReleasedAfterDocumentTopic);
  message.destination = "catalog";
  message.event_key = report.event_id();
  message.ordering_key = absl::StrCat(released.document_id());
  message.payload = report.SerializeAsString();
  return message;
}

absl::StatusOr<bool> Interpretations::LearnPublication(int64_t document_id) {
  ASSIGN_OR_RETURN(std::optional<Publication> known, repository_->FindPublication(document_id));
  if (known.has_value()) return true;
  ASSIGN_OR_RETURN(catalog::v1::Document document, LookupDocument(document_id));
  if (document.state() != catalog::v1::PUBLISHED || !document.has_publish_time()) return false;
  // Just published: its event is on its way (the relay's p99 is well under a second)
  // and releases the interpretation with the publication time; learning it here would
  // only race it. Past this grace the event is not coming.
  if (clock_->Now() - FromTimestamp(document.publish_time()) < kEventGrace) return false;
  Publication publication;
  publication.document_id = document.id();
  publication.unit_id = document.drafting_unit_id();
  publication.issuing_authority = document.issuing_authority();
  publication.document_title = validation::TruncateUtf8(document.title(), kTitleLimits.max_chars);
  publication.publish_time = FromTimestamp(document.publish_time());
  // Not the catalog's event key: the record says where the publication was learnt.
  publication.event_id = absl::StrCat("catalog-lookup/", document.id());
  RETURN_IF_ERROR(repository_->RecordPublication(publication, clock_->Now()));
  if (observer_ != nullptr) observer_->PublicationLearnt();
  return true;
}

absl::StatusOr<ReconcileResult> Interpretations::ReconcilePublications(int64_t after_id,
                                                                       int limit) {
  ReconcileResult result;
  ASSIGN_OR_RETURN(std::vector<ApprovedPrimary> candidates,
                   repository_->ListApprovedPrimaries(after_id, limit));
  for (const ApprovedPrimary& candidate : candidates) {
    absl::StatusOr<bool> known = LearnPublication(candidate.document_id);
    if (absl::IsNotFound(known.status())) {
      result.next_after_id = candidate.id;
      continue;  // The catalog has no such document: nothing to follow.
    }
    // UNAVAILABLE and the rest: stop here; the next pass starts from this candidate.
    if (!known.ok()) return known.status();
    ++result.checked;
    result.next_after_id = candidate.id;
    if (!*known) continue;  // Not published yet: the catalog's event will release it.
    ASSIGN_OR_RETURN(v1::Interpretation stored, repository_->Get(candidate.id));
    if (stored.state() != v1::APPROVED) continue;  // Released or edited meanwhile.
    const absl::Time now = clock_->Now();
    absl::StatusOr<v1::Interpretation> released = repository_->UpdateApproved(
        stored.id(), stored.version(),
        [&](const std::optional<Publication>& publication) -> absl::StatusOr<ApprovalOutcome> {
          // Cannot happen (recorded above, never deleted); changes nothing if it does.
          if (!publication.has_value()) {
            return absl::FailedPreconditionError("no publication recorded");
          }
          ApprovalOutcome outcome;
          outcome.interpretation = stored;
          RETURN_IF_ERROR(ReleaseFollowing(outcome.interpretation, *publication, now));
          outcome.message = ReleaseReport(outcome.interpretation);
          return outcome;
        },
        now);
    // ABORTED: changed meanwhile (the catalog's event or an edit won); nothing to do.
    if (absl::IsAborted(released.status()) || absl::IsFailedPrecondition(released.status())) {
      continue;
    }
    if (!released.ok()) return released.status();
    ++result.released;
    if (observer_ != nullptr) {
      observer_->Released(released->late());
      observer_->ReleaseReportQueued();
    }
  }
  if (static_cast<int>(candidates.size()) < limit) result.next_after_id = 0;
  return result;
}

absl::StatusOr<v1::Interpretation> Interpretations::RecordRelease(
    const Principal& caller, const v1::RecordReleaseRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  CheckRequestId(v, "request_id", request.request_id());
  CheckId(v, "interpretation_id", request.interpretation_id(), /*required=*/true);
  ValidateRelease(v, request.release(), "release.");
  std::optional<absl::CivilDay> released_on;
  if (request.release().has_released_on()) {
    absl::StatusOr<absl::CivilDay> day = ToCivilDay(request.release().released_on());
    if (!day.ok()) {
      v.Add("release.released_on", std::string(day.status().message()));
    } else if (*day > Today()) {
      v.Add("release.released_on", absl::StrCat("must not be in the future (today is ",
                                                absl::FormatCivilTime(Today()), ")"));
    } else {
      released_on = *day;
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordRelease", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Interpretation>(
      *repository_, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Interpretation> {
        ASSIGN_OR_RETURN(v1::Interpretation stored,
                         LoadVisible(caller, request.interpretation_id()));
        RETURN_IF_ERROR(Allow(caller, kDraftInterpretation, stored.unit_id()));
        if (stored.state() != v1::RELEASED) {
          return PreconditionFailed(
              "STATE", absl::StrCat("interpretations/", stored.id()),
              absl::StrCat("interpretation ", stored.id(), " is ",
                           v1::InterpretationState_Name(stored.state()),
                           "; releases are recorded once it is RELEASED (INT-4)"));
        }
        const absl::CivilDay release_day = ShanghaiDay(FromTimestamp(stored.release_time()));
        if (*released_on < release_day) {
          return InvalidField("release.released_on",
                              absl::StrCat("must not be before the interpretation's release on ",
                                           absl::FormatCivilTime(release_day)));
        }
        v1::ReleaseRecord release = request.release();
        release.clear_id();
        release.set_recorded_by(caller.subject);
        return repository_->AddRelease(stored.id(), release, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Interpretation> Interpretations::GetInterpretation(
    const Principal& caller, const v1::GetInterpretationRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  return LoadVisible(caller, request.id());
}

absl::StatusOr<v1::ListInterpretationsResponse> Interpretations::ListInterpretations(
    const Principal& caller, const v1::ListInterpretationsRequest& request) {
  FieldViolations v;
  CheckId(v, "document_id", request.document_id(), /*required=*/false);
  CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  CheckEnum(v, "state", request.state(), v1::InterpretationState_IsValid, /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = absl::StrCat("interpretations|", request.document_id(), "|",
                                               request.unit_id(), "|", request.state());
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(int64_t before_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  InterpretationFilter filter;
  filter.document_id = request.document_id();
  filter.unit_id = request.unit_id();
  filter.state = request.state();
  // Drafts are visible to their unit and the general office only; the public sees
  // released interpretations.
  if (!Allow(caller, kReadInternal, std::nullopt).ok()) {
    filter.released_or_units = true;
    if (caller.unit_id.has_value() && CanReadInternal(caller, *caller.unit_id)) {
      filter.readable_units.push_back(*caller.unit_id);
    }
  }
  ASSIGN_OR_RETURN(std::vector<v1::Interpretation> rows,
                   repository_->List(filter, before_id, page_size + 1));
  v1::ListInterpretationsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::Interpretation& i) { return i.id(); }));
  for (v1::Interpretation& row : rows) *response.add_interpretations() = std::move(row);
  return response;
}

absl::StatusOr<v1::ReleaseCheck> Interpretations::CheckRelease(
    const Principal& caller, const v1::CheckReleaseRequest& request) {
  FieldViolations v;
  CheckId(v, "document_id", request.document_id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  // The catalog asks at every submission, review and publication of a city-government
  // policy document: the answer comes from the primary interpretation's state alone; its
  // content is read only to name what a draft still lacks.
  ASSIGN_OR_RETURN(std::optional<PrimaryStatus> primary,
                   repository_->FindPrimaryStatus(request.document_id()));
  RETURN_IF_ERROR(
      Allow(caller, kCheckRelease,
            primary.has_value() ? std::optional<int64_t>(primary->unit_id) : std::nullopt));
  v1::ReleaseCheck check;
  check.set_document_id(request.document_id());
  // INT-3: the document is released only with an interpretation plan and materials
  // approved by the drafting unit's principal head.
  if (!primary.has_value()) {
    check.set_cause(absl::StrCat(
        "政策解读缺失：文件 ", request.document_id(),
        " 没有解读方案和解读材料；须由起草单位主要负责人审定后与文件同步报送 (INT-3: no "
        "interpretation plan and materials approved by the drafting unit's principal head)"));
    return check;
  }
  check.set_interpretation_id(primary->id);
  if (primary->state == v1::APPROVED || primary->state == v1::RELEASED) {
    check.set_ready(true);
    return check;
  }
  std::vector<std::string> missing;
  ASSIGN_OR_RETURN(std::optional<v1::Interpretation> draft,
                   repository_->FindPrimary(request.document_id()));
  if (draft.has_value()) {
    missing = MissingSections(draft->sections());
    for (std::string& part : MissingPlanAndMaterials(*draft)) missing.push_back(std::move(part));
  }
  check.set_cause(absl::StrCat(
      "政策解读未经审定：解读 ", primary->id,
      " 尚未由起草单位主要负责人审定 (INT-3: interpretation ", primary->id,
      " is DRAFT, not approved by the principal head",
      missing.empty() ? "" : absl::StrCat("; missing: ", absl::StrJoin(missing, ", ")), ")"));
  return check;
}

absl::StatusOr<PublicationRelease> Interpretations::ToRelease(
    const v1::ApplyPublicationRequest& request, absl::string_view prefix) const {
  FieldViolations v;
  const std::string event_id_field = absl::StrCat(prefix, "event_id");
  if (request.event_id().empty()) {
    v.Add(event_id_field, "is required: the outbox event's id");
  } else {
    CheckRequestId(v, event_id_field, request.event_id());
  }
  CheckId(v, absl::StrCat(prefix, "document_id"), request.document_id(), /*required=*/true);
  CheckId(v, absl::StrCat(prefix, "drafting_unit_id"), request.drafting_unit_id(),
          /*required=*/true);
  CheckEnum(v, absl::StrCat(prefix, "issuing_authority"), request.issuing_authority(),
            catalog::v1::IssuingAuthority_IsValid, /*required=*/true);
  CheckText(v, absl::StrCat(prefix, "document_title"), request.document_title(), kTitleLimits);
  if (!request.has_publish_time()) v.Add(absl::StrCat(prefix, "publish_time"), "is required");
  RETURN_IF_ERROR(v.ToStatus());
  PublicationRelease release;
  release.publication.document_id = request.document_id();
  release.publication.unit_id = request.drafting_unit_id();
  release.publication.issuing_authority = request.issuing_authority();
  release.publication.document_title = request.document_title();
  release.publication.publish_time = FromTimestamp(request.publish_time());
  release.publication.event_id = request.event_id();
  release.now = clock_->Now();
  // A release with the document has lag 0; the rule is named all the same.
  absl::StatusOr<std::pair<int, std::string>> allowed =
      AllowedLag(ShanghaiDay(release.publication.publish_time));
  if (allowed.ok()) release.lag_rule = allowed->second;
  return release;
}

void Interpretations::Observe(const PublicationRelease& release,
                              const AppliedPublication& applied) const {
  if (observer_ == nullptr) return;
  observer_->PublicationApplied(applied.already_applied);
  if (!applied.already_applied) {
    observer_->PublicationDelivered(release.now - release.publication.publish_time);
  }
  for (size_t i = 0; i < applied.released_ids.size(); ++i) observer_->Released(false);
}

absl::StatusOr<v1::ApplyPublicationResponse> Interpretations::ApplyPublication(
    const Principal& caller, const v1::ApplyPublicationRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  // The catalog's relay (and an administrator replaying an event) only: refused before
  // the request is looked at.
  RETURN_IF_ERROR(Allow(caller, kApplyPublication, std::nullopt));
  ASSIGN_OR_RETURN(PublicationRelease release, ToRelease(request, ""));
  ASSIGN_OR_RETURN(AppliedPublication applied, repository_->ApplyPublication(release));
  Observe(release, applied);
  v1::ApplyPublicationResponse response;
  response.set_already_applied(applied.already_applied);
  for (int64_t id : applied.released_ids) response.add_released_interpretation_ids(id);
  return response;
}

absl::StatusOr<v1::ApplyPublicationsResponse> Interpretations::ApplyPublications(
    const Principal& caller, const v1::ApplyPublicationsRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  RETURN_IF_ERROR(Allow(caller, kApplyPublication, std::nullopt));
  constexpr int kMaxPublications = 1000;  // The relay's largest batch.
  if (request.publications_size() == 0 || request.publications_size() > kMaxPublications) {
    return InvalidField("publications",
                        absl::StrCat("must hold 1 to ", kMaxPublications, " publications, not ",
                                     request.publications_size()));
  }
  v1::ApplyPublicationsResponse response;
  std::vector<PublicationRelease> releases;
  std::vector<int> release_outcome;  // For each release, its outcome's index.
  for (int i = 0; i < request.publications_size(); ++i) {
    const v1::ApplyPublicationRequest& publication = request.publications(i);
    v1::PublicationOutcome* outcome = response.add_outcomes();
    outcome->set_event_id(publication.event_id());
    absl::StatusOr<PublicationRelease> release =
        ToRelease(publication, absl::StrCat("publications[", i, "]."));
    if (!release.ok()) {
      // This one alone is refused (the relay parks its event); the others go on.
      outcome->set_code(static_cast<int32_t>(release.status().code()));
      outcome->set_message(std::string(release.status().message()));
      continue;
    }
    releases.push_back(*std::move(release));
    release_outcome.push_back(i);
  }
  if (releases.empty()) return response;
  ASSIGN_OR_RETURN(std::vector<AppliedPublication> applied,
                   repository_->ApplyPublications(releases));
  if (applied.size() != releases.size()) {
    return absl::InternalError("the repository answered for a different number of publications");
  }
  for (size_t j = 0; j < releases.size(); ++j) {
    Observe(releases[j], applied[j]);
    v1::ApplyPublicationResponse* out =
        response.mutable_outcomes(release_outcome[j])->mutable_applied();
    out->set_already_applied(applied[j].already_applied);
    for (int64_t id : applied[j].released_ids) out->add_released_interpretation_ids(id);
  }
  return response;
}

LagAssessment Interpretations::AssessLag(const Publication& publication,
                                         const std::optional<v1::Interpretation>& primary,
                                         absl::CivilDay today) const {
  LagAssessment assessment;
  const absl::CivilDay published_on = ShanghaiDay(publication.publish_time);
  absl::StatusOr<std::pair<int, std::string>> allowed = AllowedLag(published_on);
  if (allowed.ok()) assessment.rule = allowed->second;
  if (primary.has_value() && primary->state() == v1::RELEASED) {
    assessment.lag_working_days = primary->release_lag_working_days();
    assessment.status = primary->late() ? v1::LATE : v1::IN_SYNC;
    if (!primary->lag_rule().empty()) assessment.rule = primary->lag_rule();
    return assessment;
  }
  absl::StatusOr<int> elapsed = calendar_->CountWorkingDaysBetween(published_on, today);
  if (!allowed.ok() || !elapsed.ok()) {
    assessment.status = v1::PENDING;
    assessment.complete = false;
    return assessment;
  }
  assessment.lag_working_days = *elapsed;
  // INT-3: not released, and more working days have passed than the rule allows.
  assessment.status = *elapsed > allowed->first ? v1::MISSING : v1::PENDING;
  return assessment;
}

absl::StatusOr<v1::ListPublicationLagsResponse> Interpretations::ListPublicationLags(
    const Principal& caller, const v1::ListPublicationLagsRequest& request) {
  FieldViolations v;
  CheckId(v, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(
      Allow(caller, kReadLags,
            request.unit_id() == 0 ? std::nullopt : std::optional<int64_t>(request.unit_id())));
  const std::string fingerprint =
      absl::StrCat("lags|", request.unit_id(), "|", request.flagged_only());
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(int64_t before_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  const absl::CivilDay today = Today();
  v1::ListPublicationLagsResponse response;
  // Flagged-only pages skip rows in memory: read batches until the page is full.
  constexpr int kBatch = 200;
  while (response.lags_size() <= page_size) {
    ASSIGN_OR_RETURN(std::vector<PublicationWithInterpretation> rows,
                     repository_->ListPublications(request.unit_id(), before_id, kBatch));
    for (const PublicationWithInterpretation& row : rows) {
      before_id = row.publication.document_id;
      LagAssessment lag = AssessLag(row.publication, row.primary, today);
      if (request.flagged_only() && lag.status != v1::LATE && lag.status != v1::MISSING) {
        continue;
      }
      v1::PublicationLag* out = response.add_lags();
      out->set_document_id(row.publication.document_id);
      out->set_unit_id(row.publication.unit_id);
      out->set_document_title(row.publication.document_title);
      *out->mutable_publish_time() = ToTimestamp(row.publication.publish_time);
      if (row.primary.has_value()) {
        out->set_interpretation_id(row.primary->id());
        if (row.primary->has_release_time()) {
          *out->mutable_release_time() = row.primary->release_time();
        }
      }
      out->set_lag_working_days(lag.lag_working_days);
      out->set_status(lag.status);
      out->set_lag_rule(lag.rule);
      if (response.lags_size() > page_size) break;
    }
    if (static_cast<int>(rows.size()) < kBatch) break;
  }
  if (response.lags_size() > page_size) {
    response.mutable_lags()->DeleteSubrange(page_size, response.lags_size() - page_size);
    response.set_next_page_token(
        pagination::EncodePageToken(response.lags(page_size - 1).document_id(), fingerprint));
  }
  return response;
}

}  // namespace gongkai::interpretation
