#include "services/consultation/consultations.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "libs/crypto/sha256.h"
#include "libs/idempotency/idempotency.h"
#include "libs/log/log.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/search/search_terms.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/consultation/consultation_rules.h"
#include "services/consultation/statement_delivery.h"

namespace gongkai::consultation {
namespace {

using auth::Principal;
using auth::Role;

constexpr char kAnonymous[] = "匿名";
constexpr int kMaxDomainChars = 50;

// Writers of a unit's records: its STAFF and HEAD, the OFFICE, ADMIN.
bool CanWriteFor(const Principal& caller, int64_t unit_id) {
  if (caller.roles.Contains(Role::kOffice) || caller.roles.Contains(Role::kAdmin)) return true;
  const bool unit_role = caller.roles.Contains(Role::kStaff) || caller.roles.Contains(Role::kHead);
  return unit_role && caller.unit_id.has_value() && *caller.unit_id == unit_id;
}

// Readers of everything a unit holds (names and contacts of commenters, hidden texts,
// applications): its writers, INSPECTOR, SUPERVISION, REVIEWER of the unit.
bool CanReadAllOf(const Principal& caller, int64_t unit_id) {
  if (CanWriteFor(caller, unit_id)) return true;
  if (caller.roles.Contains(Role::kInspector) || caller.roles.Contains(Role::kSupervision)) {
    return true;
  }
  return caller.roles.Contains(Role::kReviewer) && caller.unit_id == unit_id;
}

absl::Status RequireWriter(const Principal& caller, int64_t unit_id, absl::string_view what) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  if (!CanWriteFor(caller, unit_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, " is for STAFF or HEAD of unit ", unit_id, ", OFFICE or ADMIN"));
  }
  return absl::OkStatus();
}

absl::Status RequireReader(const Principal& caller, int64_t unit_id, absl::string_view what) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  if (!CanReadAllOf(caller, unit_id)) {
    return absl::PermissionDeniedError(absl::StrCat(what, " of unit ", unit_id,
                                                    " is for that unit's staff, OFFICE, "
                                                    "INSPECTOR, SUPERVISION or ADMIN"));
  }
  return absl::OkStatus();
}

bool IsDomainCode(absl::string_view domain) {
  if (domain.size() > kMaxDomainChars) return false;
  return std::all_of(domain.begin(), domain.end(), [](char ch) {
    return absl::ascii_islower(static_cast<unsigned char>(ch)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

template <typename Enum>
void CheckRepeatedEnum(FieldViolations& v, absl::string_view field,
                       const google::protobuf::RepeatedField<int>& values, bool (*is_valid)(int),
                       bool required) {
  if (required && values.empty()) v.Add(std::string(field), "at least one is required");
  std::vector<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    validation::CheckEnum(v, absl::StrCat(field, "[", i, "]"), values[i], is_valid, true);
    if (std::find(seen.begin(), seen.end(), values[i]) != seen.end()) {
      v.Add(absl::StrCat(field, "[", i, "]"), "listed twice");
    }
    seen.push_back(values[i]);
  }
}

std::string HideReasonText(v1::HideReason reason) {
  switch (reason) {
    case v1::ABUSE:
      return "含辱骂或攻击内容";
    case v1::PERSONAL_DATA:
      return "含个人信息";
    case v1::OFF_TOPIC:
      return "与征求意见事项无关";
    default:
      return "已隐藏";
  }
}

std::string PageFingerprint(std::initializer_list<int64_t> values) {
  return absl::StrJoin(values, ",");
}

}  // namespace

std::string UnitLevelCode(int catalog_unit_level) {
  switch (catalog_unit_level) {
    case 1:
      return "city";
    case 2:
      return "county";
    case 3:
      return "department";
    case 4:
      return "township";
    default:
      return "";
  }
}

absl::CivilDay Consultations::Today() const { return calendar::TodayInShanghai(*clock_); }

absl::StatusOr<v1::Consultation> Consultations::LoadConsultation(int64_t id) {
  ASSIGN_OR_RETURN(v1::Consultation c, repository_->GetConsultation(id));
  ASSIGN_OR_RETURN(absl::CivilDay opens_on, ToCivilDay(c.opens_on()));
  ASSIGN_OR_RETURN(absl::CivilDay closes_on, ClosingDayOf(c));
  c.set_state(StateOn(Today(), opens_on, closes_on, c.state() == v1::CONCLUDED));
  return c;
}

absl::StatusOr<v1::Consultation> Consultations::LoadWindow(int64_t id) {
  const absl::Time now = clock_->Now();
  v1::Consultation c;
  bool cached = false;
  {
    absl::MutexLock lock(&window_mutex_);
    auto it = windows_.find(id);
    if (it != windows_.end() && now - it->second.read_at < window_cache_ttl_) {
      c = it->second.consultation;
      cached = true;
    }
  }
  if (!cached) {
    ASSIGN_OR_RETURN(c, repository_->GetConsultation(id));
    c.clear_draft();
    c.clear_basis();
    if (window_cache_ttl_ > absl::ZeroDuration()) {
      absl::MutexLock lock(&window_mutex_);
      // Bounded: a full cache starts again rather than growing with every id asked for.
      constexpr size_t kMaxCachedWindows = 4096;
      if (windows_.size() >= kMaxCachedWindows) windows_.clear();
      windows_[id] = CachedWindow{c, now};
    }
  }
  ASSIGN_OR_RETURN(absl::CivilDay opens_on, ToCivilDay(c.opens_on()));
  ASSIGN_OR_RETURN(absl::CivilDay closes_on, ClosingDayOf(c));
  c.set_state(StateOn(Today(), opens_on, closes_on, c.state() == v1::CONCLUDED));
  return c;
}

absl::StatusOr<v1::Consultation> Consultations::WithCounts(v1::Consultation c) {
  ASSIGN_OR_RETURN(CommentCounts counts, repository_->CountComments(c.id()));
  c.set_comment_count(counts.total);
  c.set_undecided_comment_count(counts.undecided);
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(c.id()));
  c.set_statement_published(statement.has_value());
  return c;
}

// ---- Consultations -------------------------------------------------------------------

absl::StatusOr<v1::Consultation> Consultations::CreateConsultation(
    const Principal& caller, const v1::CreateConsultationRequest& r) {
  const v1::Consultation& in = r.consultation();
  RETURN_IF_ERROR(RequireWriter(caller, in.unit_id(), "creating a consultation"));
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", r.request_id());
  validation::CheckId(v, "consultation.unit_id", in.unit_id(), true);
  validation::CheckText(v, "consultation.title", in.title(), {.min_chars = 1, .max_chars = 300});
  validation::CheckText(v, "consultation.draft", in.draft(),
                        {.min_chars = 1, .max_chars = 200000, .allow_newlines = true});
  validation::CheckText(v, "consultation.basis", in.basis(),
                        {.min_chars = 1, .max_chars = 20000, .allow_newlines = true});
  validation::CheckEnum(v, "consultation.category", in.category(), v1::MatterCategory_IsValid,
                        true);
  if (!IsDomainCode(in.domain())) {
    v.Add("consultation.domain", "a lower-case code of [a-z0-9_], at most 50 characters");
  }
  validation::CheckEnum(v, "consultation.decision_type", in.decision_type(),
                        v1::DecisionType_IsValid, true);
  CheckRepeatedEnum<v1::ParticipationMethod>(v, "consultation.methods", in.methods(),
                                             v1::ParticipationMethod_IsValid, true);
  CheckRepeatedEnum<v1::Channel>(v, "consultation.channels", in.channels(), v1::Channel_IsValid,
                                 true);
  absl::StatusOr<absl::CivilDay> opens_on = ToCivilDay(in.opens_on());
  if (!opens_on.ok()) {
    v.Add("consultation.opens_on", "a real date is required");
  } else if (*opens_on < Today()) {
    v.Add("consultation.opens_on", "must be today or later (Asia/Shanghai)");
  } else if (opens_on->year() > Today().year() + 1) {
    // A period whose calendar year is not loaded is accepted as pending (NAT-1) only
    // where a notice can be due: this year's or the next; a later year is a typo.
    v.Add("consultation.opens_on",
          absl::StrCat("must be in ", Today().year(), " or ", Today().year() + 1));
  }
  if (in.period_days() < 1 || in.period_days() > calendar::kMaxPeriodDays) {
    v.Add("consultation.period_days",
          absl::StrCat("between 1 and ", calendar::kMaxPeriodDays, " days"));
  }
  validation::CheckText(v, "consultation.shortening_reason", in.shortening_reason(),
                        {.max_chars = 1000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());

  // NAT-11: the period and its explanation.
  ASSIGN_OR_RETURN(CommentPeriod period,
                   ComputeCommentPeriod(*rules_, *calendar_, in.decision_type(), *opens_on,
                                        in.period_days(), in.shortening_reason()));
  // CON-1: whether the matter requires consultation at this level and domain.
  ASSIGN_OR_RETURN(UnitFacts unit, units_(in.unit_id()));
  ASSIGN_OR_RETURN(ScopeAnswer scope,
                   ConsultationRequired(*rules_, Today(), unit.level, in.category(), in.domain()));

  v1::Consultation c = in;
  c.clear_id();
  c.clear_state();
  c.clear_comment_count();
  c.clear_undecided_comment_count();
  c.clear_statement_published();
  c.clear_conclude_time();
  c.set_created_by(caller.subject);
  // NAT-1: a pending period has no closes_on until its year's calendar is loaded.
  c.clear_closes_on();
  if (!period.pending) *c.mutable_closes_on() = ToProtoDate(period.deadline.due);
  *c.mutable_period_explanation() = ExplainCommentPeriod(period, in.shortening_reason());
  c.set_period_rule(period.rule.Explain());
  c.set_consultation_required(scope.required);
  c.set_scope_rule(scope.rule.Explain());

  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateConsultation", r.request_id(), r);
  ASSIGN_OR_RETURN(v1::Consultation created,
                   idempotency::IdempotentCreate<v1::Consultation>(
                       *repository_, key, [&](const idempotency::Key* stored_key) {
                         return repository_->CreateConsultation(c, stored_key, clock_->Now());
                       }));
  // NAT-1: when the missing year was loaded while this consultation was being stored, the
  // recomputation that followed the load may have listed the consultations before this one
  // was committed; so it is tried here once more (a load after this read is followed by a
  // pass that sees the committed row). A failure leaves it pending, as it was created.
  ASSIGN_OR_RETURN(v1::Consultation loaded, LoadConsultation(created.id()));
  if (!loaded.has_closes_on()) {
    absl::StatusOr<std::optional<StoredPeriod>> period = RecomputedPeriod(loaded);
    if (period.ok() && period->has_value()) {
      absl::Status updated =
          repository_->UpdatePeriod(loaded.id(), (*period)->closes_on, (*period)->explanation);
      if (updated.ok()) {
        ASSIGN_OR_RETURN(loaded, LoadConsultation(created.id()));
      } else {
        GK_LOG(WARNING,
               "storing the closing day of a consultation created during a calendar "
               "load failed")
            .With("consultation", loaded.id())
            .With("status", updated);
      }
    }
  }
  return WithCounts(std::move(loaded));
}

absl::StatusOr<v1::Consultation> Consultations::GetConsultation(
    const Principal& caller, const v1::GetConsultationRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.id()));
  // Before it opens a consultation is the unit's draft: the public does not see it.
  if (c.state() == v1::SCHEDULED && !CanReadAllOf(caller, c.unit_id())) {
    return absl::NotFoundError(absl::StrCat("consultation ", r.id(), " not found"));
  }
  return WithCounts(std::move(c));
}

absl::StatusOr<v1::ListConsultationsResponse> Consultations::ListConsultations(
    const Principal& caller, const v1::ListConsultationsRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "unit_id", r.unit_id(), false);
  validation::CheckEnum(v, "state", r.state(), v1::ConsultationState_IsValid, false);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = PageFingerprint({r.unit_id(), int64_t{r.state()}});
  ASSIGN_OR_RETURN(int64_t before_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  ConsultationFilter filter;
  filter.unit_id = r.unit_id();
  filter.state = r.state();
  filter.today = Today();
  // Unopened consultations are listed only to those who may read all of their unit.
  const bool sees_unopened = r.unit_id() > 0 ? CanReadAllOf(caller, r.unit_id())
                                             : caller.roles.Contains(Role::kOffice) ||
                                                   caller.roles.Contains(Role::kAdmin) ||
                                                   caller.roles.Contains(Role::kInspector) ||
                                                   caller.roles.Contains(Role::kSupervision);
  if (!sees_unopened) filter.opened_by = filter.today;
  ASSIGN_OR_RETURN(std::vector<v1::Consultation> rows,
                   repository_->ListConsultations(filter, before_id, page_size + 1));
  v1::ListConsultationsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::Consultation& c) { return c.id(); }));
  for (v1::Consultation& c : rows) {
    ASSIGN_OR_RETURN(absl::CivilDay opens_on, ToCivilDay(c.opens_on()));
    ASSIGN_OR_RETURN(absl::CivilDay closes_on, ClosingDayOf(c));
    c.set_state(StateOn(filter.today, opens_on, closes_on, c.state() == v1::CONCLUDED));
    c.clear_draft();  // The list is an index; the draft is on GetConsultation.
    *response.add_consultations() = std::move(c);
  }
  return response;
}

absl::StatusOr<v1::Consultation> Consultations::ConcludeConsultation(
    const Principal& caller, const v1::ConcludeConsultationRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  if (r.version() <= 0) v.Add("version", "the version read is required");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "concluding a consultation"));
  if (c.state() == v1::CONCLUDED) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the consultation is already concluded");
  }
  if (c.state() != v1::CLOSED) {
    if (!c.has_closes_on()) {
      return PreconditionFailed(
          "STATE", absl::StrCat("consultation/", c.id()),
          "comments are accepted until the period's last day, which is computed once the "
          "calendar of the year it reaches is loaded (NAT-1); a consultation is concluded "
          "after it closes");
    }
    ASSIGN_OR_RETURN(absl::CivilDay closes_on, ToCivilDay(c.closes_on()));
    return PreconditionFailed(
        "STATE", absl::StrCat("consultation/", c.id()),
        absl::StrCat("comments are accepted until the end of ", absl::FormatCivilTime(closes_on),
                     "; a consultation is concluded after it closes"));
  }
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(c.id()));
  if (!statement.has_value()) {
    ASSIGN_OR_RETURN(CommentCounts counts, repository_->CountComments(c.id()));
    if (counts.undecided > 0) {
      return PreconditionFailed("UNDECIDED_COMMENTS", absl::StrCat("consultation/", c.id()),
                                absl::StrCat(counts.undecided, " of ", counts.total,
                                             " comments have no feedback decision yet (CON-3)"));
    }
    return PreconditionFailed("FEEDBACK_STATEMENT", absl::StrCat("consultation/", c.id()),
                              "the feedback statement is not published yet (CON-3)");
  }
  ASSIGN_OR_RETURN(v1::Consultation concluded,
                   repository_->Conclude(c.id(), r.version(), clock_->Now()));
  ASSIGN_OR_RETURN(v1::Consultation loaded, LoadConsultation(concluded.id()));
  return WithCounts(std::move(loaded));
}

absl::StatusOr<std::vector<v1::MissingPreDisclosure>> Consultations::ScanMissing(
    int64_t unit_id, int64_t after_id, int limit, int64_t& last_scanned, bool& exhausted) {
  constexpr int kBatch = 200;
  constexpr int kScanBudget = 5000;
  std::vector<v1::MissingPreDisclosure> found;
  last_scanned = after_id;
  exhausted = false;
  int scanned = 0;
  while (static_cast<int>(found.size()) < limit && scanned < kScanBudget) {
    ASSIGN_OR_RETURN(std::vector<v1::MeetingPlan> batch,
                     repository_->ListDecisionsWithoutConsultation(unit_id, last_scanned, kBatch));
    size_t used = 0;
    for (v1::MeetingPlan& meeting : batch) {
      if (static_cast<int>(found.size()) == limit) break;
      ++used;
      ++scanned;
      last_scanned = meeting.id();
      absl::StatusOr<UnitFacts> unit = units_(meeting.unit_id());
      if (!unit.ok()) {
        if (absl::IsNotFound(unit.status())) continue;
        return unit.status();
      }
      ASSIGN_OR_RETURN(absl::CivilDay meeting_on, ToCivilDay(meeting.meeting_on()));
      ASSIGN_OR_RETURN(ScopeAnswer scope,
                       ConsultationRequired(*rules_, meeting_on, unit->level,
                                            meeting.decides_category(), meeting.domain()));
      if (!scope.required) continue;
      v1::MissingPreDisclosure missing;
      missing.set_reason(absl::StrCat(
          "会议 ", absl::FormatCivilTime(meeting_on), " 决定的事项（",
          CategoryCode(meeting.decides_category()),
          meeting.domain().empty() ? "" : absl::StrCat("@", meeting.domain()),
          "）须事先公开征求意见，但",
          meeting.consultation_id() == 0 ? "未关联任何征求意见" : "所关联的征求意见未在会议前结束",
          "。依据规则：", scope.rule.Explain()));
      *missing.mutable_meeting() = std::move(meeting);
      found.push_back(std::move(missing));
    }
    if (batch.size() < static_cast<size_t>(kBatch) && used == batch.size()) {
      exhausted = true;
      break;
    }
  }
  return found;
}

absl::StatusOr<std::vector<v1::MissingPreDisclosure>> Consultations::MissingPreDisclosures(
    int64_t unit_id, int limit) {
  int64_t last = 0;
  bool exhausted = false;
  return ScanMissing(unit_id, 0, limit, last, exhausted);
}

absl::StatusOr<v1::ListMissingPreDisclosuresResponse> Consultations::ListMissingPreDisclosures(
    const Principal& caller, const v1::ListMissingPreDisclosuresRequest& r) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations v;
  validation::CheckId(v, "unit_id", r.unit_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  const bool everywhere =
      caller.roles.Contains(Role::kOffice) || caller.roles.Contains(Role::kAdmin) ||
      caller.roles.Contains(Role::kInspector) || caller.roles.Contains(Role::kSupervision);
  if (!everywhere && (r.unit_id() == 0 || !CanReadAllOf(caller, r.unit_id()))) {
    return absl::PermissionDeniedError(
        "missing pre-disclosures are for OFFICE, INSPECTOR, SUPERVISION and ADMIN, or a unit's "
        "own staff with its unit_id");
  }
  const std::string fingerprint = PageFingerprint({r.unit_id()});
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  int64_t last = 0;
  bool exhausted = false;
  ASSIGN_OR_RETURN(std::vector<v1::MissingPreDisclosure> found,
                   ScanMissing(r.unit_id(), after_id, page_size, last, exhausted));
  v1::ListMissingPreDisclosuresResponse response;
  for (v1::MissingPreDisclosure& m : found) *response.add_missing() = std::move(m);
  if (!exhausted && last > after_id) {
    response.set_next_page_token(pagination::EncodePageToken(last, fingerprint));
  }
  return response;
}

absl::StatusOr<std::optional<Consultations::StoredPeriod>> Consultations::RecomputedPeriod(
    const v1::Consultation& c) const {
  calendar::Deadline stored = FromProto(c.period_explanation());
  const bool pending = !c.has_closes_on();
  // A pending period (its year was not loaded) is tried on every change; a computed one
  // when a year it used was replaced.
  if (!pending && !calendar_->IsStale(stored)) return std::nullopt;
  absl::StatusOr<calendar::Deadline> again = calendar_->Recompute(stored);
  if (!again.ok() && !absl::IsFailedPrecondition(again.status())) return again.status();
  if (!again.ok() && pending) return std::nullopt;  // Its year is still not loaded.
  const common::v1::DeadlineExplanation& old = c.period_explanation();
  const absl::string_view reason = absl::StrContains(old.rule(), kMajorDecisionShortenedRule)
                                       ? absl::string_view(c.shortening_reason())
                                       : absl::string_view();
  if (!again.ok()) {
    // A replaced year moved the last day into a year not loaded: pending from now on.
    stored.nominal_end = stored.start + stored.n;
    return StoredPeriod{
        PendingClosingDay(),
        ExplainCommentPeriod(stored, /*pending=*/true, old.rule(), old.rule_version(), reason)};
  }
  return StoredPeriod{again->due, ExplainCommentPeriod(*again, /*pending=*/false, old.rule(),
                                                       old.rule_version(), reason)};
}

absl::StatusOr<int> Consultations::RecomputeClosingDays(const std::function<bool()>& stopping) {
  constexpr int kBatch = 100;
  int changed = 0;
  int64_t after_id = 0;
  const absl::CivilDay today = Today();
  while (!stopping()) {
    ASSIGN_OR_RETURN(std::vector<v1::Consultation> batch,
                     repository_->ListClosingFrom(today, after_id, kBatch));
    for (const v1::Consultation& c : batch) {
      after_id = c.id();
      ASSIGN_OR_RETURN(std::optional<StoredPeriod> period, RecomputedPeriod(c));
      if (!period.has_value()) continue;
      RETURN_IF_ERROR(repository_->UpdatePeriod(c.id(), period->closes_on, period->explanation));
      ++changed;
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
  }
  return changed;
}

// ---- Comments --------------------------------------------------------------------------

v1::Comment Consultations::ForCaller(const Principal& caller, int64_t unit_id,
                                     v1::Comment comment) const {
  const bool staff = CanReadAllOf(caller, unit_id);
  if (comment.show_name() && !comment.name().empty()) {
    comment.set_display_name(comment.name());
  } else {
    comment.set_display_name(kAnonymous);
  }
  if (!staff) {
    // The name and contact are never shown publicly unless allowed (the contact never).
    if (!comment.show_name()) comment.clear_name();
    comment.clear_contact();
    if (comment.visibility() == v1::HIDDEN) comment.clear_text();
  }
  return comment;
}

absl::StatusOr<v1::Comment> Consultations::PostComment(const Principal& caller,
                                                       const v1::PostCommentRequest& r,
                                                       const std::string& client_address) {
  const absl::CivilDay today = Today();
  ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleSet> limits,
                   rules_->EffectiveOn(kCommentsRuleSet, today));
  ASSIGN_OR_RETURN(rules::Cited<int64_t> max_chars,
                   limits->Integer(kMaxCharsRule, rules::Unit::kCount));
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", r.request_id());
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  validation::CheckText(
      v, "text", r.text(),
      {.min_chars = 1, .max_chars = static_cast<size_t>(max_chars.value), .allow_newlines = true});
  std::string normalized;
  if (validation::IsValidUtf8(r.text())) {
    normalized = NormalizeForGrouping(r.text());
    if (normalized.empty())
      v.Add("text", "a comment needs at least one letter, digit or character");
  }
  validation::CheckText(v, "name", r.name(), {.max_chars = 50});
  validation::CheckText(v, "contact", r.contact(), {.max_chars = 100});
  if (r.show_name() && absl::StripAsciiWhitespace(r.name()).empty()) {
    v.Add("show_name", "there is no name to show");
  }
  RETURN_IF_ERROR(v.ToStatus());
  // The consultation's dates and unit, from a cache of bounded staleness (LoadWindow):
  // the state itself is computed from the clock now.
  ASSIGN_OR_RETURN(v1::Consultation c, LoadWindow(r.consultation_id()));
  if (c.state() == v1::SCHEDULED && !CanReadAllOf(caller, c.unit_id())) {
    return absl::NotFoundError(absl::StrCat("consultation ", c.id(), " not found"));
  }
  // Who the commenter is for the limits and for idempotency: the signed-in subject, or
  // the client address the gateway saw, hashed (the address is never stored).
  const std::string client_key =
      crypto::Sha256Hex(caller.anonymous() ? absl::StrCat("address:", client_address)
                                           : absl::StrCat("subject:", caller.subject));
  const idempotency::Key key = idempotency::MakeKey(client_key, "PostComment", r.request_id(), r);
  absl::StatusOr<v1::Comment> stored = [&]() -> absl::StatusOr<v1::Comment> {
    ASSIGN_OR_RETURN(absl::CivilDay closes_on, ClosingDayOf(c));
    if (c.state() == v1::SCHEDULED) {
      return PreconditionFailed(
          "CONSULTATION_NOT_OPEN", absl::StrCat("consultation/", c.id()),
          absl::StrCat("the consultation opens on ",
                       absl::FormatCivilTime(ToCivilDay(c.opens_on()).value()),
                       " (Asia/Shanghai); comments are accepted from then"));
    }
    if (c.state() != v1::OPEN) {
      return PreconditionFailed(
          "CONSULTATION_CLOSED", absl::StrCat("consultation/", c.id()),
          absl::StrCat("the consultation closed at ",
                       absl::FormatTime("%Y-%m-%d %H:%M", ClosingTime(closes_on),
                                        absl::FixedTimeZone(8 * 3600)),
                       " (Asia/Shanghai, the end of ", absl::FormatCivilTime(closes_on),
                       "); comments are no longer accepted"));
    }
    ASSIGN_OR_RETURN(rules::Cited<int64_t> per_day,
                     limits->Integer(kPerClientPerDayRule, rules::Unit::kCount));
    ASSIGN_OR_RETURN(rules::Cited<int64_t> distance,
                     limits->Integer(kMaxDistanceRule, rules::Unit::kCount));
    NewComment n;
    n.comment.set_consultation_id(c.id());
    n.comment.set_text(r.text());
    n.comment.set_name(std::string(absl::StripAsciiWhitespace(r.name())));
    n.comment.set_contact(std::string(absl::StripAsciiWhitespace(r.contact())));
    n.comment.set_show_name(r.show_name());
    n.client_key = client_key;
    n.day = today;
    n.fingerprint = SimHash(normalized);
    n.max_distance_bits = static_cast<int>(distance.value);
    n.per_client_limit = per_day.value;
    n.limit_rule = per_day.rule.Explain();
    return repository_->PostComment(n, idempotency::StoredKey(key), clock_->Now());
  }();
  // No read before the write: the idempotency record's unique key answers a retry
  // (ALREADY_EXISTS). A retry refused (closed since, limit reached) gets the first
  // response when there is one.
  if (!stored.ok() && !r.request_id().empty() &&
      (absl::IsAlreadyExists(stored.status()) || absl::IsFailedPrecondition(stored.status()) ||
       absl::IsResourceExhausted(stored.status()))) {
    ASSIGN_OR_RETURN(std::optional<v1::Comment> first,
                     idempotency::Replay<v1::Comment>(*repository_, key));
    if (first.has_value()) stored = *std::move(first);
  }
  RETURN_IF_ERROR(stored.status());
  return ForCaller(caller, c.unit_id(), *std::move(stored));
}

absl::StatusOr<v1::ListCommentsResponse> Consultations::ListComments(
    const Principal& caller, const v1::ListCommentsRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  validation::CheckId(v, "group_id", r.group_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = PageFingerprint({r.consultation_id(), r.group_id()});
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  // Only the unit and the state are needed: the window cache (no draft and basis read per
  // page; the state is the clock's).
  ASSIGN_OR_RETURN(v1::Consultation c, LoadWindow(r.consultation_id()));
  if (c.state() == v1::SCHEDULED && !CanReadAllOf(caller, c.unit_id())) {
    return absl::NotFoundError(absl::StrCat("consultation ", c.id(), " not found"));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Comment> rows,
                   repository_->ListComments(c.id(), r.group_id(), after_id, page_size + 1));
  v1::ListCommentsResponse response;
  response.set_next_page_token(pagination::TrimPage(rows, page_size, fingerprint,
                                                    [](const v1::Comment& x) { return x.id(); }));
  for (v1::Comment& comment : rows) {
    *response.add_comments() = ForCaller(caller, c.unit_id(), std::move(comment));
  }
  return response;
}

absl::StatusOr<v1::ListCommentsResponse> Consultations::SearchComments(
    const Principal& caller, const v1::SearchCommentsRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  validation::CheckText(v, "query", r.query(), {.min_chars = 1, .max_chars = 100});
  // The same terms as the comments were indexed with (libs/search, ADR 0004): every
  // term of the query must occur.
  const std::vector<std::string> terms = search::ExtractTerms(r.query());
  if (v.violations().empty() && terms.empty()) {
    v.Add("query", "the query has no letter, digit or character");
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint =
      absl::StrCat(r.consultation_id(), ":", crypto::Sha256Hex(r.query()));
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.consultation_id()));
  RETURN_IF_ERROR(RequireReader(caller, c.unit_id(), "searching comments"));
  ASSIGN_OR_RETURN(std::vector<v1::Comment> rows,
                   repository_->SearchComments(c.id(), terms, after_id, page_size + 1));
  v1::ListCommentsResponse response;
  response.set_next_page_token(pagination::TrimPage(rows, page_size, fingerprint,
                                                    [](const v1::Comment& x) { return x.id(); }));
  for (v1::Comment& comment : rows) {
    *response.add_comments() = ForCaller(caller, c.unit_id(), std::move(comment));
  }
  return response;
}

absl::StatusOr<v1::Comment> Consultations::ReportComment(const Principal& caller,
                                                         const v1::ReportCommentRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  validation::CheckEnum(v, "reason", r.reason(), v1::HideReason_IsValid, true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Comment existing, repository_->GetComment(r.id()));
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(existing.consultation_id()));
  if (c.state() == v1::SCHEDULED && !CanReadAllOf(caller, c.unit_id())) {
    return absl::NotFoundError(absl::StrCat("comment ", r.id(), " not found"));
  }
  ASSIGN_OR_RETURN(v1::Comment reported, repository_->ReportComment(r.id()));
  return ForCaller(caller, c.unit_id(), std::move(reported));
}

absl::StatusOr<v1::Comment> Consultations::ModerateComment(const Principal& caller,
                                                           const v1::ModerateCommentRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  validation::CheckEnum(v, "visibility", r.visibility(), v1::Visibility_IsValid, true);
  validation::CheckEnum(v, "hide_reason", r.hide_reason(), v1::HideReason_IsValid,
                        r.visibility() == v1::HIDDEN);
  if (r.visibility() == v1::VISIBLE && r.hide_reason() != v1::HIDE_REASON_UNSPECIFIED) {
    v.Add("hide_reason", "only a hidden comment has a reason");
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Comment existing, repository_->GetComment(r.id()));
  ASSIGN_OR_RETURN(v1::Consultation c, repository_->GetConsultation(existing.consultation_id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "moderating comments"));
  ASSIGN_OR_RETURN(v1::Comment moderated,
                   repository_->SetVisibility(r.id(), r.visibility(), r.hide_reason()));
  return ForCaller(caller, c.unit_id(), std::move(moderated));
}

absl::StatusOr<v1::Comment> Consultations::UngroupComment(const Principal& caller,
                                                          const v1::UngroupCommentRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  if (r.group_version() <= 0)
    v.Add("group_version", "the version of the comment's group is required");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Comment comment, repository_->GetComment(r.id()));
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(comment.consultation_id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "ungrouping comments"));
  if (c.state() == v1::CONCLUDED) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the consultation is concluded; its groups are final");
  }
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(c.id()));
  if (statement.has_value()) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the feedback statement is published; its groups are final");
  }
  ASSIGN_OR_RETURN(v1::Comment moved,
                   repository_->UngroupComment(r.id(), r.group_version(),
                                               SimHash(NormalizeForGrouping(comment.text()))));
  return ForCaller(caller, c.unit_id(), std::move(moved));
}

absl::StatusOr<v1::ListCommentGroupsResponse> Consultations::ListCommentGroups(
    const Principal& caller, const v1::ListCommentGroupsRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  if (r.min_members() < 0) v.Add("min_members", "0 or more");
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = PageFingerprint({r.consultation_id(), int64_t{r.min_members()}});
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.consultation_id()));
  if (c.state() == v1::SCHEDULED && !CanReadAllOf(caller, c.unit_id())) {
    return absl::NotFoundError(absl::StrCat("consultation ", c.id(), " not found"));
  }
  ASSIGN_OR_RETURN(
      std::vector<v1::CommentGroup> rows,
      repository_->ListGroups(c.id(), std::max(1, r.min_members()), after_id, page_size + 1));
  v1::ListCommentGroupsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::CommentGroup& g) { return g.id(); }));
  const bool staff = CanReadAllOf(caller, c.unit_id());
  for (v1::CommentGroup& g : rows) {
    if (!staff) g.clear_decided_by();
    *response.add_groups() = std::move(g);
  }
  return response;
}

// ---- Feedback ------------------------------------------------------------------------------

absl::StatusOr<v1::CommentGroup> Consultations::DecideCommentGroup(
    const Principal& caller, const v1::DecideCommentGroupRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  validation::CheckEnum(v, "decision", r.decision(), v1::FeedbackDecision_IsValid, true);
  // CON-3 / NAT-11: a comment not adopted (wholly or partly) is answered with a reason.
  validation::CheckText(v, "reason", r.reason(),
                        {.min_chars = r.decision() == v1::ADOPTED ? 0u : 1u,
                         .max_chars = 2000,
                         .allow_newlines = true});
  if (r.version() <= 0) v.Add("version", "the version read is required");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::CommentGroup group, repository_->GetGroup(r.id()));
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(group.consultation_id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "deciding on comments"));
  if (c.state() == v1::CONCLUDED) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the consultation is concluded; its decisions are final");
  }
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(c.id()));
  if (statement.has_value()) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the feedback statement is published; its decisions are final");
  }
  GroupDecision d;
  d.group_id = r.id();
  d.version = r.version();
  d.decision = r.decision();
  d.reason = r.reason();
  d.decided_by = caller.subject;
  return repository_->DecideGroup(d);
}

absl::StatusOr<v1::FeedbackStatement> Consultations::PublishFeedbackStatement(
    const Principal& caller, const v1::PublishFeedbackStatementRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.consultation_id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "publishing the feedback statement"));
  if (c.state() != v1::CLOSED) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              c.state() == v1::CONCLUDED
                                  ? "the consultation is concluded"
                                  : "the statement is published after the consultation closes");
  }
  ASSIGN_OR_RETURN(CommentCounts counts, repository_->CountComments(c.id()));
  if (counts.undecided > 0) {
    return PreconditionFailed("UNDECIDED_COMMENTS", absl::StrCat("consultation/", c.id()),
                              absl::StrCat(counts.undecided, " of ", counts.total,
                                           " comments have no feedback decision yet (CON-3)"));
  }
  v1::FeedbackStatement statement;
  statement.set_consultation_id(c.id());
  statement.set_title(absl::StrCat("关于《", c.title(), "》公开征求意见采纳情况的说明"));
  statement.set_comment_count(counts.total);
  int64_t after_id = 0;
  constexpr int kBatch = 500;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::CommentGroup> groups,
                     repository_->ListGroups(c.id(), 1, after_id, kBatch));
    for (const v1::CommentGroup& g : groups) {
      after_id = g.id();
      v1::FeedbackEntry* entry = statement.add_entries();
      entry->set_group_id(g.id());
      entry->set_member_count(g.member_count());
      constexpr int kNamesShown = 5;
      ASSIGN_OR_RETURN(std::vector<std::string> names,
                       repository_->ShownNames(g.id(), kNamesShown));
      if (names.empty()) {
        entry->set_commenters(g.member_count() == 1
                                  ? kAnonymous
                                  : absl::StrCat(kAnonymous, "（", g.member_count(), "人）"));
      } else {
        entry->set_commenters(
            g.member_count() > static_cast<int64_t>(names.size())
                ? absl::StrCat(absl::StrJoin(names, "、"), "等", g.member_count(), "人")
                : absl::StrJoin(names, "、"));
      }
      if (g.representative_text().empty()) {
        ASSIGN_OR_RETURN(v1::Comment representative,
                         repository_->GetComment(g.representative_comment_id()));
        entry->set_comment(
            absl::StrCat("（该意见", HideReasonText(representative.hide_reason()), "，已隐藏）"));
      } else {
        entry->set_comment(g.representative_text());
      }
      entry->set_decision(g.decision());
      entry->set_reason(g.reason());
      switch (g.decision()) {
        case v1::ADOPTED:
          statement.set_adopted_count(statement.adopted_count() + g.member_count());
          break;
        case v1::PARTLY_ADOPTED:
          statement.set_partly_adopted_count(statement.partly_adopted_count() + g.member_count());
          break;
        default:
          statement.set_not_adopted_count(statement.not_adopted_count() + g.member_count());
          break;
      }
    }
    if (static_cast<int>(groups.size()) < kBatch) break;
  }
  const absl::Time now = clock_->Now();
  *statement.mutable_publish_time() = ToTimestamp(now);
  statement.set_published_by(caller.subject);
  absl::Status published = repository_->PublishStatement(statement, now);
  if (absl::IsAlreadyExists(published)) {
    return PreconditionFailed("STATE", absl::StrCat("consultation/", c.id()),
                              "the feedback statement is already published");
  }
  RETURN_IF_ERROR(published);
  return statement;
}

absl::StatusOr<v1::FeedbackStatement> Consultations::GetFeedbackStatement(
    const Principal& /*caller*/, const v1::GetFeedbackStatementRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(r.consultation_id()));
  if (!statement.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("consultation ", r.consultation_id(), " has no published feedback statement"));
  }
  statement->clear_published_by();
  return *std::move(statement);
}

// ---- Hearings and symposiums -----------------------------------------------------------------

absl::StatusOr<v1::Hearing> Consultations::CreateHearing(const Principal& caller,
                                                         const v1::CreateHearingRequest& r) {
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", r.request_id());
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  validation::CheckEnum(v, "kind", r.kind(), v1::HearingKind_IsValid, true);
  validation::CheckText(v, "title", r.title(), {.min_chars = 1, .max_chars = 300});
  validation::CheckText(v, "place", r.place(), {.min_chars = 1, .max_chars = 300});
  absl::StatusOr<absl::CivilDay> held_on = ToCivilDay(r.held_on());
  if (!held_on.ok()) v.Add("held_on", "a real date is required");
  if (r.participant_limit() < 1 || r.participant_limit() > 1000) {
    v.Add("participant_limit", "between 1 and 1000");
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(r.consultation_id()));
  RETURN_IF_ERROR(RequireWriter(caller, c.unit_id(), "planning a hearing"));
  const absl::CivilDay today = Today();
  ASSIGN_OR_RETURN(NoticeDue notice, ComputeNoticeDue(*rules_, r.kind(), *held_on, today));
  // CON-2: the notice is published today and must be in time for the date.
  if (today > notice.due) {
    return PreconditionFailed(
        "NOTICE_PERIOD", "held_on",
        absl::StrCat(notice.explanation, " 今日公告已晚于期限；最早可于 ",
                     absl::FormatCivilTime(today + (*held_on - notice.due)), " 举行。"));
  }
  v1::Hearing h;
  h.set_consultation_id(c.id());
  h.set_unit_id(c.unit_id());
  h.set_kind(r.kind());
  h.set_title(r.title());
  h.set_place(r.place());
  *h.mutable_held_on() = r.held_on();
  *h.mutable_notice_published_on() = ToProtoDate(today);
  *h.mutable_notice_due() = ToProtoDate(notice.due);
  h.set_notice_rule(notice.rule.Explain());
  h.set_notice_explanation(notice.explanation);
  h.set_participant_limit(r.participant_limit());
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateHearing", r.request_id(), r);
  return idempotency::IdempotentCreate<v1::Hearing>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        return repository_->CreateHearing(h, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::Hearing> Consultations::GetHearing(const Principal& /*caller*/,
                                                      const v1::GetHearingRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  return repository_->GetHearing(r.id());
}

absl::StatusOr<v1::Hearing> Consultations::RecordHearingMinutes(
    const Principal& caller, const v1::RecordHearingMinutesRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  validation::CheckText(v, "minutes", r.minutes(),
                        {.min_chars = 1, .max_chars = 100000, .allow_newlines = true});
  if (r.version() <= 0) v.Add("version", "the version read is required");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Hearing h, repository_->GetHearing(r.id()));
  RETURN_IF_ERROR(RequireWriter(caller, h.unit_id(), "recording minutes"));
  ASSIGN_OR_RETURN(absl::CivilDay held_on, ToCivilDay(h.held_on()));
  if (Today() < held_on) {
    return PreconditionFailed("STATE", absl::StrCat("hearing/", h.id()),
                              absl::StrCat("minutes are recorded once the hearing was held (",
                                           absl::FormatCivilTime(held_on), ")"));
  }
  return repository_->RecordMinutes(r.id(), r.version(), r.minutes());
}

absl::StatusOr<v1::Application> Consultations::CheckApplicationTarget(v1::ApplicationTarget target,
                                                                      int64_t target_id,
                                                                      bool for_staff,
                                                                      const Principal& caller) {
  v1::Application context;  // unit in target_id's place: returns the unit and the day.
  absl::CivilDay day;
  int64_t unit_id = 0;
  if (target == v1::TARGET_HEARING) {
    ASSIGN_OR_RETURN(v1::Hearing h, repository_->GetHearing(target_id));
    ASSIGN_OR_RETURN(day, ToCivilDay(h.held_on()));
    unit_id = h.unit_id();
  } else {
    ASSIGN_OR_RETURN(v1::MeetingPlan m, repository_->GetMeeting(target_id));
    ASSIGN_OR_RETURN(day, ToCivilDay(m.meeting_on()));
    unit_id = m.unit_id();
    if (!for_staff && !m.is_public() && m.invited().empty()) {
      return PreconditionFailed("MEETING_NOT_OPEN", absl::StrCat("meeting/", m.id()),
                                "the meeting plan invites no attendees and is not public");
    }
  }
  if (for_staff) {
    RETURN_IF_ERROR(RequireWriter(caller, unit_id, "managing applications"));
  } else if (Today() >= day) {
    return PreconditionFailed(
        "APPLICATIONS_CLOSED", absl::StrCat("target/", target_id),
        absl::StrCat("applications closed at the end of ", absl::FormatCivilTime(day - 1)));
  }
  context.set_target_id(unit_id);
  return context;
}

absl::StatusOr<v1::Application> Consultations::Apply(const Principal& caller,
                                                     const v1::ApplyRequest& r) {
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", r.request_id());
  validation::CheckEnum(v, "target", r.target(), v1::ApplicationTarget_IsValid, true);
  validation::CheckId(v, "target_id", r.target_id(), true);
  validation::CheckText(v, "name", r.name(), {.min_chars = 1, .max_chars = 50});
  validation::CheckText(v, "contact", r.contact(), {.min_chars = 1, .max_chars = 100});
  validation::CheckEnum(v, "attendee_kind", r.attendee_kind(), v1::AttendeeKind_IsValid,
                        r.target() == v1::TARGET_MEETING);
  validation::CheckText(v, "statement", r.statement(), {.max_chars = 2000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckApplicationTarget(r.target(), r.target_id(), false, caller).status());
  v1::Application a;
  a.set_target(r.target());
  a.set_target_id(r.target_id());
  a.set_name(r.name());
  a.set_contact(r.contact());
  a.set_attendee_kind(r.attendee_kind());
  a.set_statement(r.statement());
  const idempotency::Key key = idempotency::MakeKey(caller.subject, "Apply", r.request_id(), r);
  ASSIGN_OR_RETURN(v1::Application created,
                   idempotency::IdempotentCreate<v1::Application>(
                       *repository_, key, [&](const idempotency::Key* stored_key) {
                         return repository_->Apply(a, stored_key, clock_->Now());
                       }));
  created.clear_contact();
  return created;
}

absl::StatusOr<v1::ListApplicationsResponse> Consultations::ListApplications(
    const Principal& caller, const v1::ListApplicationsRequest& r) {
  FieldViolations v;
  validation::CheckEnum(v, "target", r.target(), v1::ApplicationTarget_IsValid, true);
  validation::CheckId(v, "target_id", r.target_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = PageFingerprint({int64_t{r.target()}, r.target_id()});
  ASSIGN_OR_RETURN(int64_t after_id, pagination::DecodePageToken(r.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(r.page_size()));
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Application target,
                   CheckApplicationTarget(r.target(), r.target_id(), true, caller));
  ASSIGN_OR_RETURN(
      std::vector<v1::Application> rows,
      repository_->ListApplications(r.target(), r.target_id(), after_id, page_size + 1));
  v1::ListApplicationsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::Application& a) { return a.id(); }));
  for (v1::Application& a : rows) *response.add_applications() = std::move(a);
  return response;
}

absl::StatusOr<v1::ListApplicationsResponse> Consultations::MarkApplications(
    const Principal& caller, v1::ApplicationTarget target, int64_t target_id,
    const google::protobuf::RepeatedField<int64_t>& ids, bool attendance) {
  FieldViolations v;
  validation::CheckEnum(v, "target", target, v1::ApplicationTarget_IsValid, true);
  validation::CheckId(v, "target_id", target_id, true);
  std::vector<int64_t> unique(ids.begin(), ids.end());
  std::sort(unique.begin(), unique.end());
  if (std::adjacent_find(unique.begin(), unique.end()) != unique.end()) {
    v.Add(attendance ? "attended_application_ids" : "application_ids", "an id is listed twice");
  }
  if (unique.size() > 1000) v.Add("application_ids", "at most 1000");
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  RETURN_IF_ERROR(CheckApplicationTarget(target, target_id, true, caller).status());
  if (!attendance && target == v1::TARGET_HEARING) {
    ASSIGN_OR_RETURN(v1::Hearing h, repository_->GetHearing(target_id));
    if (static_cast<int64_t>(unique.size()) > h.participant_limit()) {
      return InvalidField("application_ids", absl::StrCat("the hearing takes at most ",
                                                          h.participant_limit(), " participants"));
    }
  }
  RETURN_IF_ERROR(repository_->MarkApplications(target, target_id, unique, attendance));
  v1::ListApplicationsResponse response;
  ASSIGN_OR_RETURN(std::vector<v1::Application> rows,
                   repository_->ListApplications(target, target_id, 0, pagination::kMaxPageSize));
  for (v1::Application& a : rows) *response.add_applications() = std::move(a);
  return response;
}

absl::StatusOr<v1::ListApplicationsResponse> Consultations::SelectApplicants(
    const Principal& caller, const v1::SelectApplicantsRequest& r) {
  return MarkApplications(caller, r.target(), r.target_id(), r.application_ids(), false);
}

absl::StatusOr<v1::ListApplicationsResponse> Consultations::RecordAttendance(
    const Principal& caller, const v1::RecordAttendanceRequest& r) {
  return MarkApplications(caller, r.target(), r.target_id(), r.attended_application_ids(), true);
}

// ---- Open meetings (CON-4) --------------------------------------------------------------------

absl::StatusOr<v1::MeetingPlan> Consultations::CreateMeetingPlan(
    const Principal& caller, const v1::CreateMeetingPlanRequest& r) {
  const v1::MeetingPlan& in = r.meeting();
  RETURN_IF_ERROR(RequireWriter(caller, in.unit_id(), "planning a meeting"));
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", r.request_id());
  validation::CheckId(v, "meeting.unit_id", in.unit_id(), true);
  validation::CheckText(v, "meeting.title", in.title(), {.min_chars = 1, .max_chars = 300});
  if (!ToCivilDay(in.meeting_on()).ok()) v.Add("meeting.meeting_on", "a real date is required");
  validation::CheckEnum(v, "meeting.decides_category", in.decides_category(),
                        v1::MatterCategory_IsValid, false);
  if (!IsDomainCode(in.domain())) {
    v.Add("meeting.domain", "a lower-case code of [a-z0-9_], at most 50 characters");
  }
  validation::CheckId(v, "meeting.consultation_id", in.consultation_id(), false);
  CheckRepeatedEnum<v1::AttendeeKind>(v, "meeting.invited", in.invited(), v1::AttendeeKind_IsValid,
                                      false);
  CheckRepeatedEnum<v1::BroadcastMedium>(v, "meeting.broadcast", in.broadcast(),
                                         v1::BroadcastMedium_IsValid, false);
  // CON-4: a public meeting says how; a live stream says where.
  if (!in.is_public() && !in.broadcast().empty()) {
    v.Add("meeting.broadcast", "only a public meeting is broadcast");
  }
  const bool streams = std::find(in.broadcast().begin(), in.broadcast().end(),
                                 v1::NEW_MEDIA_LIVE_STREAM) != in.broadcast().end();
  validation::CheckText(v, "meeting.live_stream_url", in.live_stream_url(), {.max_chars = 500});
  if (streams && !absl::StartsWith(in.live_stream_url(), "https://") &&
      !absl::StartsWith(in.live_stream_url(), "http://")) {
    v.Add("meeting.live_stream_url", "a new-media live stream needs its http(s) URL");
  }
  if (!streams && !in.live_stream_url().empty()) {
    v.Add("meeting.live_stream_url", "only with NEW_MEDIA_LIVE_STREAM");
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (in.consultation_id() > 0) {
    ASSIGN_OR_RETURN(v1::Consultation c, LoadConsultation(in.consultation_id()));
    if (c.unit_id() != in.unit_id()) {
      return InvalidField("meeting.consultation_id", "a consultation of another unit");
    }
  }
  ASSIGN_OR_RETURN(UnitFacts unit, units_(in.unit_id()));
  (void)unit;
  v1::MeetingPlan m = in;
  m.clear_id();
  m.clear_feedback_statement();
  m.set_created_by(caller.subject);
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateMeetingPlan", r.request_id(), r);
  return idempotency::IdempotentCreate<v1::MeetingPlan>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        return repository_->CreateMeeting(m, stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::MeetingPlan> Consultations::GetMeetingPlan(const Principal& caller,
                                                              const v1::GetMeetingPlanRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::MeetingPlan m, repository_->GetMeeting(r.id()));
  if (!CanReadAllOf(caller, m.unit_id())) m.clear_created_by();
  return m;
}

absl::StatusOr<v1::MeetingPlan> Consultations::AttachFeedbackStatement(
    const Principal& caller, const v1::AttachFeedbackStatementRequest& r) {
  FieldViolations v;
  validation::CheckId(v, "id", r.id(), true);
  validation::CheckId(v, "consultation_id", r.consultation_id(), true);
  if (r.version() <= 0) v.Add("version", "the version read is required");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::MeetingPlan m, repository_->GetMeeting(r.id()));
  RETURN_IF_ERROR(RequireWriter(caller, m.unit_id(), "attaching a feedback statement"));
  if (m.consultation_id() != 0 && m.consultation_id() != r.consultation_id()) {
    return InvalidField("consultation_id", absl::StrCat("the meeting plan decides on consultation ",
                                                        m.consultation_id()));
  }
  ASSIGN_OR_RETURN(v1::Consultation c, repository_->GetConsultation(r.consultation_id()));
  if (c.unit_id() != m.unit_id()) {
    return InvalidField("consultation_id", "a consultation of another unit");
  }
  ASSIGN_OR_RETURN(std::optional<v1::FeedbackStatement> statement,
                   repository_->GetStatement(c.id()));
  if (!statement.has_value()) {
    return PreconditionFailed("FEEDBACK_STATEMENT", absl::StrCat("consultation/", c.id()),
                              "the feedback statement is not published yet (CON-3)");
  }
  // CON-3: the statement also goes to the catalog, through the outbox in the same
  // transaction (statement_delivery.h).
  outbox::OutboxEvent delivery;
  delivery.topic = kStatementAttachedTopic;
  delivery.destination = "catalog";
  delivery.event_key = StatementEventKey(m.id(), c.id());
  delivery.ordering_key = absl::StrCat(m.id());
  v1::MeetingPlan attached = m;
  attached.set_consultation_id(c.id());
  delivery.payload =
      StatementDocumentRequest(attached, *statement, delivery.event_key).SerializeAsString();
  return repository_->AttachStatement(m.id(), r.version(), c.id(), *statement, delivery,
                                      clock_->Now());
}

}  // namespace gongkai::consultation
