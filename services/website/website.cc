#include "services/website/website.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/idempotency/idempotency.h"
#include "libs/log/log.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/website/prober/page_analysis.h"
#include "services/website/scoring/evaluation.h"
#include "services/website/website_access.h"

namespace gongkai::website {
namespace {

constexpr int kMaxColumnsPerSite = 200;
constexpr int kMaxLeaderNames = 20;
constexpr int kMaxMessagesPerCall = 500;
constexpr size_t kMaxTestPageBytes = 1 << 20;

bool IsHttpUrl(absl::string_view url) {
  return (absl::StartsWithIgnoreCase(url, "http://") && url.size() > 7) ||
         (absl::StartsWithIgnoreCase(url, "https://") && url.size() > 8);
}

void CheckUrl(FieldViolations& v, absl::string_view field, absl::string_view url) {
  validation::CheckText(v, field, url, {.min_chars = 1, .max_chars = 2000});
  if (!url.empty() && (!IsHttpUrl(url) || absl::StrContains(url, " "))) {
    v.Add(std::string(field), "must be an http:// or https:// URL without spaces");
  }
}

// A real date not after `today`; `present` says whether the field was given.
std::optional<absl::CivilDay> CheckPastDate(FieldViolations& v, absl::string_view field,
                                            const common::v1::Date& date, bool present,
                                            bool required, absl::CivilDay today) {
  if (!present) {
    if (required) v.Add(std::string(field), "is required");
    return std::nullopt;
  }
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date);
  if (!day.ok()) {
    v.Add(std::string(field), "is not a valid date");
    return std::nullopt;
  }
  if (*day > today) {
    v.Add(std::string(field), "must not be in the future");
    return std::nullopt;
  }
  return *day;
}

bool IsWebsite(v1::SiteKind kind) { return kind == v1::PORTAL || kind == v1::DEPARTMENT_SITE; }

std::string Fingerprint(int64_t a) { return absl::StrCat(a); }

// WEB-4's rectification deadline on the notice: `computed` (working days from `start`)
// with its explanation citing the rule (ADR 0019), or — when the calendar lacks a year the
// period needs (its only FAILED_PRECONDITION, CALENDAR_YEAR_NOT_LOADED) — pending (NAT-1):
// no rectify_by, an explanation that keeps start and length and says the day follows the
// year's notice. Other errors of `computed` are returned and the notice is unchanged.
absl::Status SetRectifyBy(v1::Notice& notice, const absl::StatusOr<calendar::Deadline>& computed,
                          absl::CivilDay start, int days, absl::string_view rule,
                          absl::string_view rule_version) {
  if (!computed.ok() && !absl::IsFailedPrecondition(computed.status())) return computed.status();
  notice.clear_rectify_by();
  common::v1::DeadlineExplanation explanation;
  if (computed.ok()) {
    *notice.mutable_rectify_by() = ToProtoDate(computed->due);
    explanation = ToProto(*computed);
  } else {
    explanation = PendingDeadlineExplanation(start, days, /*working_days=*/true);
  }
  explanation.set_rule(std::string(rule));
  explanation.set_rule_version(std::string(rule_version));
  absl::StrAppend(explanation.mutable_text(), "\n依据规则：", rule);
  *notice.mutable_rectify_by_explanation() = std::move(explanation);
  return absl::OkStatus();
}

absl::Status CheckVersion(FieldViolations& v, int64_t version) {
  if (version <= 0) v.Add("version", "the version read (> 0) is required");
  return absl::OkStatus();
}

}  // namespace

bool IsProbed(const v1::Site& site) {
  return IsWebsite(site.kind()) &&
         (site.state() == v1::OPERATION || site.state() == v1::LEVEL_PROTECTION);
}

bool IsAllowedTransition(v1::SiteKind kind, v1::SiteState from, v1::SiteState to) {
  if (from == to || from == v1::SHUTDOWN || from == v1::MIGRATED) return false;
  if (to == v1::SHUTDOWN || to == v1::MIGRATED) return true;
  if (scoring::IsNewMedia(kind)) return from == v1::OPENING && to == v1::OPERATION;
  switch (from) {
    case v1::OPENING:
      return to == v1::BUILDING;
    case v1::BUILDING:
      return to == v1::GRADING;
    case v1::GRADING:
      return to == v1::FILING;
    case v1::FILING:
      return to == v1::OPERATION;
    case v1::OPERATION:
      return to == v1::LEVEL_PROTECTION || to == v1::FILING;
    case v1::LEVEL_PROTECTION:
      return to == v1::OPERATION || to == v1::LEVEL_PROTECTION;
    default:
      return false;
  }
}

absl::Duration ProbeInterval(const NationalRules& rules) {
  return absl::Hours(24) / rules.probes_per_day.value;
}

absl::Time NextSlot(int64_t site_id, absl::Time now, absl::Duration interval) {
  const int64_t interval_s = std::max<int64_t>(1, absl::ToInt64Seconds(interval));
  const int64_t offset = static_cast<int64_t>((static_cast<uint64_t>(site_id) * 2654435761u) %
                                              static_cast<uint64_t>(interval_s));
  const int64_t now_s = absl::ToUnixSeconds(now);
  int64_t k = (now_s - offset) / interval_s + 1;
  return absl::FromUnixSeconds(k * interval_s + offset);
}

prober::CheckTarget TargetOf(const v1::Site& site, const std::vector<v1::Column>& columns) {
  prober::CheckTarget target;
  target.site_id = site.id();
  target.url = site.url();
  target.leader_names.assign(site.leader_names().begin(), site.leader_names().end());
  for (const v1::Column& c : columns) {
    absl::StatusOr<prober::Extraction> extraction =
        prober::Extraction::Parse(c.extraction().item_selector(), c.extraction().date_pattern());
    if (!extraction.ok()) continue;  // Validated at creation; a rule change cannot break it.
    target.columns.push_back({c.id(), c.url(), *std::move(extraction)});
  }
  return target;
}

absl::CivilDay Website::Today() const { return calendar::TodayInShanghai(*deps_.clock); }

absl::StatusOr<v1::Site> Website::ReadableSite(const auth::Principal& caller, int64_t site_id) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Site site, deps_.repository->GetSite(site_id));
  RETURN_IF_ERROR(Authorize(caller, kRegisterReaders, site.unit_id(), "read the sites"));
  return site;
}

absl::StatusOr<v1::Site> Website::WritableSite(const auth::Principal& caller, int64_t site_id) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Site site, deps_.repository->GetSite(site_id));
  RETURN_IF_ERROR(Authorize(caller, kRegisterWriters, site.unit_id(), "keep the sites"));
  return site;
}

// ---- Register -------------------------------------------------------------------------

absl::StatusOr<v1::Site> Website::CreateSite(const auth::Principal& caller,
                                             const v1::CreateSiteRequest& request) {
  const v1::Site& in = request.site();
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", request.request_id());
  validation::CheckId(v, "site.unit_id", in.unit_id(), /*required=*/true);
  validation::CheckText(v, "site.name", in.name(), {.min_chars = 1, .max_chars = 200});
  validation::CheckEnum(v, "site.kind", in.kind(), &v1::SiteKind_IsValid, /*required=*/true);
  if (IsWebsite(in.kind())) {
    CheckUrl(v, "site.url", in.url());
  } else {
    validation::CheckText(v, "site.url", in.url(), {.min_chars = 1, .max_chars = 2000});
  }
  validation::CheckEnum(v, "site.state", in.state(), &v1::SiteState_IsValid, false);
  if (in.state() == v1::SHUTDOWN || in.state() == v1::MIGRATED) {
    v.Add("site.state", "a site is registered in a working state; shut down or migrate it later");
  }
  if (in.leader_names_size() > kMaxLeaderNames) {
    v.Add("site.leader_names", absl::StrCat("at most ", kMaxLeaderNames, " names"));
  }
  for (int i = 0; i < in.leader_names_size(); ++i) {
    validation::CheckText(v, absl::StrCat("site.leader_names[", i, "]"), in.leader_names(i),
                          {.min_chars = 1, .max_chars = 50});
  }
  if (in.state() == v1::FILING || in.state() == v1::OPERATION ||
      in.state() == v1::LEVEL_PROTECTION) {
    validation::CheckText(v, "site.filing_number", in.filing_number(), {.max_chars = 100});
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kRegisterWriters, in.unit_id(), "register sites"));
  if (deps_.unit_check) {
    absl::Status unit = deps_.unit_check(in.unit_id());
    if (absl::IsNotFound(unit)) return InvalidField("site.unit_id", "no such unit");
    RETURN_IF_ERROR(unit);
  }
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateSite", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Site>(
      *deps_.repository, key, [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Site> {
        v1::Site site;
        site.set_unit_id(in.unit_id());
        site.set_name(in.name());
        site.set_kind(in.kind());
        site.set_url(in.url());
        site.set_state(in.state() == v1::SITE_STATE_UNSPECIFIED ? v1::OPENING : in.state());
        site.set_filing_number(in.filing_number());
        *site.mutable_leader_names() = in.leader_names();
        site.set_probed(IsProbed(site));
        const SiteChange change{caller.subject, "create", "", v1::SiteState_Name(site.state()),
                                site.url()};
        return deps_.repository->CreateSite(std::move(site), change, deps_.clock->Now(), stored_key,
                                            deps_.clock->Now());
      });
}

absl::StatusOr<v1::Site> Website::GetSite(const auth::Principal& caller,
                                          const v1::GetSiteRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  return ReadableSite(caller, request.id());
}

absl::StatusOr<v1::ListSitesResponse> Website::ListSites(const auth::Principal& caller,
                                                         const v1::ListSitesRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "unit_id", request.unit_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.unit_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(int64_t unit,
                   ListedUnit(caller, kRegisterReaders, request.unit_id(), "list the sites"));
  ASSIGN_OR_RETURN(std::vector<v1::Site> sites,
                   deps_.repository->ListSites(unit, after, page_size + 1));
  v1::ListSitesResponse response;
  response.set_next_page_token(pagination::TrimPage(sites, page_size, fingerprint,
                                                    [](const v1::Site& s) { return s.id(); }));
  for (v1::Site& s : sites) *response.add_sites() = std::move(s);
  return response;
}

absl::StatusOr<v1::Site> Website::ChangeSiteState(const auth::Principal& caller,
                                                  const v1::ChangeSiteStateRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(CheckVersion(v, request.version()));
  validation::CheckEnum(v, "state", request.state(), &v1::SiteState_IsValid, true);
  validation::CheckText(v, "note", request.note(), {.max_chars = 1000});
  std::optional<absl::CivilDay> lp_date;
  switch (request.state()) {
    case v1::FILING:
      validation::CheckText(v, "filing_number", request.filing_number(),
                            {.min_chars = 1, .max_chars = 100});
      break;
    case v1::LEVEL_PROTECTION:
      lp_date = CheckPastDate(v, "level_protection_date", request.level_protection_date(),
                              request.has_level_protection_date(), true, today);
      validation::CheckText(v, "level_protection_result", request.level_protection_result(),
                            {.min_chars = 1, .max_chars = 200});
      break;
    case v1::MIGRATED:
      validation::CheckId(v, "migrated_to_site_id", request.migrated_to_site_id(), true);
      if (request.migrated_to_site_id() == request.id()) {
        v.Add("migrated_to_site_id", "a site cannot migrate onto itself");
      }
      break;
    default:
      break;
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Site site, WritableSite(caller, request.id()));
  if (site.version() != request.version()) {
    return absl::AbortedError(absl::StrCat("site ", site.id(), " is at version ", site.version(),
                                           ", not ", request.version(), "; read it again"));
  }
  if (!IsAllowedTransition(site.kind(), site.state(), request.state())) {
    return PreconditionFailed(
        "STATE", absl::StrCat("site/", site.id()),
        absl::StrCat("a site in ", v1::SiteState_Name(site.state()), " cannot move to ",
                     v1::SiteState_Name(request.state()), " (WEB-1)"));
  }
  std::string detail = request.note();
  if (request.state() == v1::MIGRATED) {
    // WEB-5: the upper-level platform's site must be registered and working; the
    // migrated site keeps its record and history.
    absl::StatusOr<v1::Site> target = deps_.repository->GetSite(request.migrated_to_site_id());
    if (absl::IsNotFound(target.status())) {
      return InvalidField("migrated_to_site_id", "no such site");
    }
    RETURN_IF_ERROR(target.status());
    if (target->state() == v1::SHUTDOWN || target->state() == v1::MIGRATED) {
      return PreconditionFailed("STATE", absl::StrCat("site/", target->id()),
                                "the upper-level platform's site is not working");
    }
    site.set_migrated_to_site_id(target->id());
    detail = absl::StrCat("migrated onto site ", target->id(), " (", target->name(), ") ", detail);
  }
  if (request.state() == v1::FILING) {
    site.set_filing_number(request.filing_number());
    detail = absl::StrCat("filing_number=", request.filing_number(), " ", detail);
  }
  if (request.state() == v1::LEVEL_PROTECTION) {
    *site.mutable_level_protection_date() = ToProtoDate(*lp_date);
    site.set_level_protection_result(request.level_protection_result());
    detail = absl::StrCat("level_protection=", absl::FormatCivilTime(*lp_date), " ",
                          request.level_protection_result(), " ", detail);
  }
  const std::string old_state = v1::SiteState_Name(site.state());
  site.set_state(request.state());
  site.set_probed(IsProbed(site));
  const SiteChange change{caller.subject, "change_state", old_state,
                          v1::SiteState_Name(site.state()), std::move(detail)};
  return deps_.repository->UpdateSite(std::move(site), change, deps_.clock->Now(),
                                      deps_.clock->Now());
}

absl::StatusOr<v1::Site> Website::UpdateAccountProcedures(
    const auth::Principal& caller, const v1::UpdateAccountProceduresRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(CheckVersion(v, request.version()));
  validation::CheckText(v, "editing_procedure", request.editing_procedure(),
                        {.max_chars = 4000, .allow_newlines = true});
  validation::CheckText(v, "inquiry_procedure", request.inquiry_procedure(),
                        {.max_chars = 4000, .allow_newlines = true});
  const std::optional<absl::CivilDay> last =
      CheckPastDate(v, "last_update_date", request.last_update_date(),
                    request.has_last_update_date(), false, today);
  if (request.inquiries_answered() < 0) v.Add("inquiries_answered", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Site site, WritableSite(caller, request.id()));
  if (!scoring::IsNewMedia(site.kind())) {
    return PreconditionFailed("KIND", absl::StrCat("site/", site.id()),
                              "procedures are recorded for new-media accounts (WEB-6)");
  }
  if (site.version() != request.version()) {
    return absl::AbortedError(absl::StrCat("site ", site.id(), " is at version ", site.version(),
                                           ", not ", request.version(), "; read it again"));
  }
  site.set_editing_procedure(request.editing_procedure());
  site.set_inquiry_procedure(request.inquiry_procedure());
  if (last) *site.mutable_last_update_date() = ToProtoDate(*last);
  site.set_inquiries_answered(request.inquiries_answered());
  const std::string state = v1::SiteState_Name(site.state());
  const SiteChange change{
      caller.subject, "update_procedures", state, state,
      absl::StrCat(
          "last_update_date=", last ? absl::FormatCivilTime(*last) : std::string("unchanged"),
          " inquiries_answered=", request.inquiries_answered())};
  return deps_.repository->UpdateSite(std::move(site), change, deps_.clock->Now(),
                                      deps_.clock->Now());
}

absl::StatusOr<v1::ListSiteHistoryResponse> Website::ListSiteHistory(
    const auth::Principal& caller, const v1::ListSiteHistoryRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  RETURN_IF_ERROR(ReadableSite(caller, request.id()).status());
  ASSIGN_OR_RETURN(std::vector<v1::SiteHistoryEntry> entries,
                   deps_.repository->ListHistory(request.id(), after, page_size + 1));
  v1::ListSiteHistoryResponse response;
  response.set_next_page_token(pagination::TrimPage(
      entries, page_size, fingerprint, [](const v1::SiteHistoryEntry& e) { return e.id(); }));
  for (v1::SiteHistoryEntry& e : entries) *response.add_entries() = std::move(e);
  return response;
}

absl::StatusOr<v1::Column> Website::CreateColumn(const auth::Principal& caller,
                                                 const v1::CreateColumnRequest& request) {
  const v1::Column& in = request.column();
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", request.request_id());
  validation::CheckId(v, "column.site_id", in.site_id(), true);
  validation::CheckText(v, "column.name", in.name(), {.min_chars = 1, .max_chars = 200});
  validation::CheckEnum(v, "column.column_class", in.column_class(), &v1::ColumnClass_IsValid,
                        true);
  CheckUrl(v, "column.url", in.url());
  absl::StatusOr<prober::Extraction> extraction =
      prober::Extraction::Parse(in.extraction().item_selector(), in.extraction().date_pattern());
  if (!extraction.ok()) {
    for (const FieldViolation& fv : FieldViolationsOf(extraction.status())) {
      v.Add(absl::StrCat("column.extraction.", fv.field), fv.description);
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Site site, WritableSite(caller, in.site_id()));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateColumn", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Column>(
      *deps_.repository, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Column> {
        ASSIGN_OR_RETURN(int64_t count, deps_.repository->CountColumns(site.id()));
        if (count >= kMaxColumnsPerSite) {
          return PreconditionFailed(
              "LIMIT", absl::StrCat("site/", site.id()),
              absl::StrCat("a site has at most ", kMaxColumnsPerSite, " columns"));
        }
        v1::Column column;
        column.set_site_id(site.id());
        column.set_name(in.name());
        column.set_column_class(in.column_class());
        column.set_url(in.url());
        *column.mutable_extraction() = in.extraction();
        return deps_.repository->CreateColumn(std::move(column), stored_key, deps_.clock->Now());
      });
}

absl::StatusOr<v1::ListColumnsResponse> Website::ListColumns(
    const auth::Principal& caller, const v1::ListColumnsRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "site_id", request.site_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.site_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  RETURN_IF_ERROR(ReadableSite(caller, request.site_id()).status());
  ASSIGN_OR_RETURN(std::vector<v1::Column> columns,
                   deps_.repository->ListColumns(request.site_id(), after, page_size + 1));
  v1::ListColumnsResponse response;
  response.set_next_page_token(pagination::TrimPage(columns, page_size, fingerprint,
                                                    [](const v1::Column& c) { return c.id(); }));
  for (v1::Column& c : columns) *response.add_columns() = std::move(c);
  return response;
}

absl::StatusOr<v1::TestExtractionResponse> Website::TestExtraction(
    const auth::Principal& caller, const v1::TestExtractionRequest& request) {
  FieldViolations v;
  if (request.page().size() > kMaxTestPageBytes) v.Add("page", "at most 1 MiB");
  if (request.page().empty()) v.Add("page", "the test page's HTML is required");
  absl::StatusOr<prober::Extraction> extraction = prober::Extraction::Parse(
      request.extraction().item_selector(), request.extraction().date_pattern());
  if (!extraction.ok()) {
    for (const FieldViolation& fv : FieldViolationsOf(extraction.status())) {
      v.Add(absl::StrCat("extraction.", fv.field), fv.description);
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  const prober::ExtractionResult found = extraction->Run(request.page(), Today());
  v1::TestExtractionResponse response;
  for (const prober::ExtractedItem& item : found.items) {
    v1::ExtractedItem* out = response.add_items();
    out->set_text(item.text);
    if (item.date) *out->mutable_date() = ToProtoDate(*item.date);
  }
  if (found.latest_date) *response.mutable_latest_date() = ToProtoDate(*found.latest_date);
  response.set_undated_items(found.undated_items);
  return response;
}

// ---- Probes, messages, severe errors ----------------------------------------------------

absl::StatusOr<v1::Probe> Website::ProbeNow(const v1::Site& site) {
  const absl::CivilDay today = Today();
  ASSIGN_OR_RETURN(NationalRules rules, ReadNationalRules(*deps_.rules, today));
  ASSIGN_OR_RETURN(std::vector<v1::Column> columns,
                   deps_.repository->ListColumns(site.id(), 0, kMaxColumnsPerSite));
  const absl::Time now = deps_.clock->Now();
  v1::Probe probe =
      deps_.checker->Check(TargetOf(site, columns),
                           {.home_timeout = rules.home_timeout.value,
                            .links_sampled = static_cast<int>(rules.links_sampled.value),
                            .content = true},
                           today, now);
  // An extra probe's slot is its own time; it never counts for the availability week.
  *probe.mutable_slot_start() = ToTimestamp(now);
  probe.set_scheduled(false);
  return deps_.repository->RecordProbe(std::move(probe), std::nullopt, now, now, std::nullopt);
}

absl::StatusOr<v1::Probe> Website::ProbeSiteNow(const auth::Principal& caller,
                                                const v1::ProbeSiteNowRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "site_id", request.site_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Site site, WritableSite(caller, request.site_id()));
  if (!IsWebsite(site.kind())) {
    return PreconditionFailed("KIND", absl::StrCat("site/", site.id()),
                              "new-media accounts are not probed over HTTP");
  }
  if (site.state() == v1::SHUTDOWN || site.state() == v1::MIGRATED) {
    return PreconditionFailed("STATE", absl::StrCat("site/", site.id()),
                              "a shut-down or migrated site is not probed");
  }
  return ProbeNow(site);
}

absl::StatusOr<v1::ListProbesResponse> Website::ListProbes(const auth::Principal& caller,
                                                           const v1::ListProbesRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "site_id", request.site_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.site_id());
  ASSIGN_OR_RETURN(int64_t before, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  RETURN_IF_ERROR(ReadableSite(caller, request.site_id()).status());
  ASSIGN_OR_RETURN(std::vector<v1::Probe> probes,
                   deps_.repository->ListProbes(request.site_id(), before, page_size + 1));
  v1::ListProbesResponse response;
  response.set_next_page_token(pagination::TrimPage(probes, page_size, fingerprint,
                                                    [](const v1::Probe& p) { return p.id(); }));
  for (v1::Probe& p : probes) *response.add_probes() = std::move(p);
  return response;
}

absl::StatusOr<v1::SubmitMessagesResponse> Website::SubmitMessages(
    const auth::Principal& caller, const v1::SubmitMessagesRequest& request) {
  const absl::Time latest = deps_.clock->Now() + absl::Minutes(5);
  FieldViolations v;
  validation::CheckId(v, "site_id", request.site_id(), true);
  if (request.messages().empty()) v.Add("messages", "at least one message");
  if (request.messages_size() > kMaxMessagesPerCall) {
    v.Add("messages", absl::StrCat("at most ", kMaxMessagesPerCall, " a call"));
  }
  for (int i = 0; i < request.messages_size() && i < kMaxMessagesPerCall; ++i) {
    const v1::Message& m = request.messages(i);
    const std::string at = absl::StrCat("messages[", i, "]");
    validation::CheckRequestId(v, at + ".external_id", m.external_id());
    if (m.external_id().empty()) v.Add(at + ".external_id", "is required");
    if (!m.has_received_time()) {
      v.Add(at + ".received_time", "is required");
      continue;
    }
    const absl::Time received = FromTimestamp(m.received_time());
    if (received > latest) v.Add(at + ".received_time", "must not be in the future");
    if (m.has_answered_time()) {
      const absl::Time answered = FromTimestamp(m.answered_time());
      if (answered < received) v.Add(at + ".answered_time", "must not be before received_time");
      if (answered > latest) v.Add(at + ".answered_time", "must not be in the future");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Site site, deps_.repository->GetSite(request.site_id()));
  RETURN_IF_ERROR(Authorize(caller, kMessageSubmitters, site.unit_id(), "submit messages"));
  std::vector<v1::Message> messages(request.messages().begin(), request.messages().end());
  ASSIGN_OR_RETURN(int stored, deps_.repository->UpsertMessages(site.id(), messages));
  v1::SubmitMessagesResponse response;
  response.set_stored(stored);
  return response;
}

absl::StatusOr<v1::SevereError> Website::RecordSevereError(
    const auth::Principal& caller, const v1::RecordSevereErrorRequest& request) {
  const v1::SevereError& in = request.severe_error();
  FieldViolations v;
  validation::CheckRequestId(v, "severe_error.request_id", in.request_id());
  validation::CheckId(v, "severe_error.site_id", in.site_id(), true);
  validation::CheckEnum(v, "severe_error.kind", in.kind(), &v1::SevereErrorKind_IsValid, true);
  validation::CheckText(v, "severe_error.page_url", in.page_url(),
                        {.min_chars = 1, .max_chars = 2000});
  validation::CheckText(v, "severe_error.evidence", in.evidence(),
                        {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  const std::optional<absl::CivilDay> found =
      CheckPastDate(v, "severe_error.found_on", in.found_on(), in.has_found_on(), true, Today());
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Site site, deps_.repository->GetSite(in.site_id()));
  RETURN_IF_ERROR(Authorize(caller, kSevereErrorRecorders, site.unit_id(), "record severe errors"));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordSevereError", in.request_id(), request);
  return idempotency::IdempotentCreate<v1::SevereError>(
      *deps_.repository, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::SevereError> {
        v1::SevereError error = in;
        error.set_recorded_by(caller.subject);
        *error.mutable_found_on() = ToProtoDate(*found);
        return deps_.repository->CreateSevereError(std::move(error), stored_key,
                                                   deps_.clock->Now());
      });
}

// ---- Scoring ------------------------------------------------------------------------------

absl::StatusOr<v1::SiteEvaluation> Website::Evaluate(const v1::Site& site, absl::CivilDay as_of,
                                                     v1::RunKind scope) {
  ASSIGN_OR_RETURN(NationalRules rules, ReadNationalRules(*deps_.rules, as_of));
  const absl::TimeZone zone = ShanghaiTimeZone();
  const absl::Time end = absl::FromCivil(absl::CivilSecond(as_of + 1), zone);
  const absl::Time window_start =
      absl::FromCivil(absl::CivilSecond(as_of - (rules.availability_window_days.value - 1)), zone);
  const absl::Time messages_since = end - absl::Hours(24 * 366);
  const absl::CivilDay severe_since = as_of - (rules.severe_error_lookback_days.value - 1);
  ASSIGN_OR_RETURN(scoring::EvaluationInput input,
                   deps_.repository->LoadEvaluationInput(
                       site, as_of, window_start, end, messages_since, severe_since,
                       absl::Hours(24 * rules.timely_answer_days.value)));
  input.scope = scope;
  if (scope == v1::QUARTERLY_CENSUS && deps_.unit_check) {
    absl::Status unit = deps_.unit_check(site.unit_id());
    if (!unit.ok() && !absl::IsNotFound(unit)) return unit;
    input.owner_unit_known = unit.ok();
  }
  return scoring::Evaluate(input, rules);
}

absl::StatusOr<v1::SiteAnnualReport> Website::AnnualReport(const v1::Site& site, int year,
                                                           absl::CivilDay due) {
  const absl::CivilDay from(year, 1, 1);
  const absl::CivilDay to(year, 12, 31);
  const absl::TimeZone zone = ShanghaiTimeZone();
  const absl::Time start = absl::FromCivil(absl::CivilSecond(from), zone);
  const absl::Time end = absl::FromCivil(absl::CivilSecond(to + 1), zone);
  ASSIGN_OR_RETURN(AnnualFacts facts,
                   deps_.repository->LoadAnnualFacts(site, from, to, start, end));
  v1::SiteAnnualReport report;
  report.set_year(year);
  report.set_site_id(site.id());
  report.set_unit_id(site.unit_id());
  report.set_name(site.name());
  report.set_url(site.url());
  report.set_kind(site.kind());
  report.set_state(site.state());
  report.set_filing_number(site.filing_number());
  if (site.has_level_protection_date()) {
    *report.mutable_level_protection_date() = site.level_protection_date();
  }
  report.set_level_protection_result(site.level_protection_result());
  report.set_columns(static_cast<int32_t>(facts.columns));
  report.set_probes_made(static_cast<int32_t>(facts.probes_made));
  report.set_probes_failed(static_cast<int32_t>(facts.probes_failed));
  int64_t missed = 0;
  for (const scoring::SlotGap& gap : facts.gaps) missed += scoring::MissedSlotsIn(gap, start, end);
  report.set_probes_missed(static_cast<int32_t>(missed));
  if (facts.probes_made > 0) {
    report.set_availability_percent(100.0 *
                                    static_cast<double>(facts.probes_made - facts.probes_failed) /
                                    static_cast<double>(facts.probes_made));
  }
  report.set_messages_received(static_cast<int32_t>(facts.messages_received));
  report.set_messages_answered(static_cast<int32_t>(facts.messages_answered));
  if (facts.messages_answered > 0) {
    report.set_average_answer_days(facts.answer_seconds_total /
                                   static_cast<double>(facts.messages_answered) / 86400.0);
  }
  report.set_severe_errors(static_cast<int32_t>(facts.severe_errors));
  report.set_notices_issued(static_cast<int32_t>(facts.notices_issued));
  report.set_notices_rectified(static_cast<int32_t>(facts.notices_rectified));
  report.set_evaluations(static_cast<int32_t>(facts.evaluations));
  report.set_evaluations_failed(static_cast<int32_t>(facts.evaluations_failed));
  *report.mutable_due() = ToProtoDate(due);
  return report;
}

absl::StatusOr<v1::SiteEvaluation> Website::EvaluateSite(const auth::Principal& caller,
                                                         const v1::EvaluateSiteRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  validation::CheckId(v, "site_id", request.site_id(), true);
  const std::optional<absl::CivilDay> as_of =
      CheckPastDate(v, "as_of", request.as_of(), request.has_as_of(), false, today);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::Site site, ReadableSite(caller, request.site_id()));
  return Evaluate(site, as_of.value_or(today));
}

// ---- Supervision runs ---------------------------------------------------------------------

absl::StatusOr<v1::SupervisionRun> Website::StartSupervisionRun(
    const auth::Principal& caller, const v1::StartSupervisionRunRequest& request) {
  const absl::CivilDay today = Today();
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", request.request_id());
  validation::CheckEnum(v, "kind", request.kind(), &v1::RunKind_IsValid, true);
  const std::optional<absl::CivilDay> as_of_given =
      CheckPastDate(v, "as_of", request.as_of(), request.has_as_of(), false, today);
  const absl::CivilDay as_of = as_of_given.value_or(today);
  if (request.report_year() != 0 &&
      (request.kind() != v1::ANNUAL_REPORT || request.report_year() < 2000 ||
       request.report_year() > as_of.year())) {
    v.Add("report_year", "an ANNUAL_REPORT's year, from 2000 to the year of as_of");
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kSupervisors, std::nullopt, "start supervision runs"));
  ASSIGN_OR_RETURN(NationalRules national, ReadNationalRules(*deps_.rules, as_of));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "StartSupervisionRun", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::SupervisionRun>(
      *deps_.repository, key,
      [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::SupervisionRun> {
        v1::SupervisionRun run;
        run.set_kind(request.kind());
        *run.mutable_as_of() = ToProtoDate(as_of);
        run.set_rule_set(national.set_key);
        run.set_started_by(caller.subject);
        if (request.kind() == v1::ANNUAL_REPORT) {
          // NAT-14: the year's reports are due by the rule set's day of the next year.
          const int year = request.report_year() != 0 ? request.report_year()
                                                      : static_cast<int>(as_of.year()) - 1;
          ASSIGN_OR_RETURN(SupervisionRules supervision, ReadSupervisionRules(*deps_.rules, as_of));
          run.set_report_year(year);
          *run.mutable_report_due() =
              ToProtoDate(absl::CivilDay(year + 1, supervision.annual_report_due.value.month,
                                         supervision.annual_report_due.value.day));
          run.set_report_due_rule(supervision.annual_report_due.rule.Explain());
        }
        return deps_.repository->CreateRun(std::move(run), stored_key, deps_.clock->Now());
      });
}

absl::StatusOr<v1::SupervisionRun> Website::GetSupervisionRun(
    const auth::Principal& caller, const v1::GetSupervisionRunRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kRunReaders, std::nullopt, "read supervision runs"));
  return deps_.repository->GetRun(request.id());
}

absl::StatusOr<v1::SupervisionRun> Website::CancelSupervisionRun(
    const auth::Principal& caller, const v1::CancelSupervisionRunRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kSupervisors, std::nullopt, "cancel supervision runs"));
  return deps_.repository->CancelRun(request.id(), deps_.clock->Now());
}

absl::StatusOr<v1::ListSupervisionResultsResponse> Website::ListSupervisionResults(
    const auth::Principal& caller, const v1::ListSupervisionResultsRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "run_id", request.run_id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.run_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  RETURN_IF_ERROR(Authorize(caller, kRunReaders, std::nullopt, "read supervision results"));
  RETURN_IF_ERROR(deps_.repository->GetRun(request.run_id()).status());
  ASSIGN_OR_RETURN(std::vector<v1::SupervisionResult> results,
                   deps_.repository->ListResults(request.run_id(), after, page_size + 1));
  v1::ListSupervisionResultsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      results, page_size, fingerprint, [](const v1::SupervisionResult& r) { return r.site_id(); }));
  for (v1::SupervisionResult& r : results) *response.add_results() = std::move(r);
  return response;
}

// ---- Notices ------------------------------------------------------------------------------

void Website::MarkOverdue(v1::Notice& notice) const {
  // A pending deadline (no rectify_by, NAT-1) is never overdue: its day is not known yet.
  if (!notice.has_rectify_by()) {
    notice.set_overdue(false);
    return;
  }
  absl::StatusOr<absl::CivilDay> due = ToCivilDay(notice.rectify_by());
  notice.set_overdue(due.ok() && *due < Today() && notice.state() != v1::RECTIFIED);
}

absl::StatusOr<v1::Notice> Website::CreateNotice(const auth::Principal& caller,
                                                 const v1::CreateNoticeRequest& request) {
  const v1::Notice& in = request.notice();
  FieldViolations v;
  validation::CheckRequestId(v, "request_id", request.request_id());
  validation::CheckId(v, "notice.site_id", in.site_id(), true);
  validation::CheckId(v, "notice.run_id", in.run_id(), false);
  validation::CheckText(v, "notice.reason", in.reason(),
                        {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kSupervisors, std::nullopt, "issue notices of criticism"));
  absl::StatusOr<v1::Site> site = deps_.repository->GetSite(in.site_id());
  if (absl::IsNotFound(site.status())) return InvalidField("notice.site_id", "no such site");
  RETURN_IF_ERROR(site.status());
  if (in.run_id() > 0) {
    absl::Status run = deps_.repository->GetRun(in.run_id()).status();
    if (absl::IsNotFound(run)) return InvalidField("notice.run_id", "no such supervision run");
    RETURN_IF_ERROR(run);
  }
  const absl::CivilDay today = Today();
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateNotice", request.request_id(), request);
  ASSIGN_OR_RETURN(
      v1::Notice notice,
      idempotency::IdempotentCreate<v1::Notice>(
          *deps_.repository, key,
          [&](const idempotency::Key* stored_key) -> absl::StatusOr<v1::Notice> {
            // WEB-4: the rectification deadline in working days from the rule set; pending
            // when it reaches a year whose calendar is not loaded yet (NAT-1: every
            // December until the next year's notice is loaded), never refused or guessed.
            ASSIGN_OR_RETURN(SupervisionRules rules, ReadSupervisionRules(*deps_.rules, today));
            const int days = static_cast<int>(rules.rectification_working_days.value);
            v1::Notice notice;
            notice.set_unit_id(site->unit_id());
            notice.set_site_id(site->id());
            notice.set_run_id(in.run_id());
            notice.set_reason(in.reason());
            notice.set_state(v1::NOTICE_OPEN);
            *notice.mutable_issued_on() = ToProtoDate(today);
            RETURN_IF_ERROR(SetRectifyBy(notice, deps_.calendar->AddWorkingDays(today, days), today,
                                         days, rules.rectification_working_days.rule.Explain(),
                                         rules.rectification_working_days.rule.VersionKey()));
            notice.set_issued_by(caller.subject);
            return deps_.repository->CreateNotice(std::move(notice), stored_key,
                                                  deps_.clock->Now());
          }));
  // NAT-1: when the missing year was loaded while this notice was being stored, the
  // recomputation that followed the load may have listed the notices before this one was
  // committed; so it is tried here once more (a load after this read is followed by a
  // pass that sees the committed row). The notice is stored either way: a failure here
  // leaves it pending, which is what it was when it was issued.
  if (!notice.has_rectify_by()) {
    absl::StatusOr<std::optional<v1::Notice>> again = RecomputedRectifyBy(notice);
    if (again.ok() && again->has_value()) {
      absl::StatusOr<v1::Notice> stored =
          deps_.repository->UpdateRectifyBy(**std::move(again), deps_.clock->Now());
      if (stored.ok()) {
        notice = *std::move(stored);
      } else if (absl::IsAborted(stored.status())) {
        // Changed meanwhile (the pass after the load, or a replay of an earlier create whose
        // row has moved on): answer the row as it is, not the stale pending copy.
        ASSIGN_OR_RETURN(notice, deps_.repository->GetNotice(notice.id()));
      } else {
        GK_LOG(WARNING, "storing the deadline of a notice issued during a calendar load failed")
            .With("notice", notice.id())
            .With("status", stored.status());
      }
    }
  }
  MarkOverdue(notice);
  return notice;
}

absl::StatusOr<v1::Notice> Website::GetNotice(const auth::Principal& caller,
                                              const v1::GetNoticeRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Notice notice, deps_.repository->GetNotice(request.id()));
  RETURN_IF_ERROR(Authorize(caller, kRegisterReaders, notice.unit_id(), "read notices"));
  MarkOverdue(notice);
  return notice;
}

absl::StatusOr<v1::ListNoticesResponse> Website::ListNotices(
    const auth::Principal& caller, const v1::ListNoticesRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "unit_id", request.unit_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = Fingerprint(request.unit_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(int64_t unit,
                   ListedUnit(caller, kRegisterReaders, request.unit_id(), "list notices"));
  ASSIGN_OR_RETURN(std::vector<v1::Notice> notices,
                   deps_.repository->ListNotices(unit, after, page_size + 1));
  v1::ListNoticesResponse response;
  response.set_next_page_token(pagination::TrimPage(notices, page_size, fingerprint,
                                                    [](const v1::Notice& n) { return n.id(); }));
  for (v1::Notice& n : notices) {
    MarkOverdue(n);
    *response.add_notices() = std::move(n);
  }
  return response;
}

absl::StatusOr<v1::Notice> Website::NoticeForUpdate(int64_t id, int64_t version) {
  ASSIGN_OR_RETURN(v1::Notice notice, deps_.repository->GetNotice(id));
  if (notice.version() != version) {
    return absl::AbortedError(absl::StrCat("notice ", id, " is at version ", notice.version(),
                                           ", not ", version, "; read it again"));
  }
  return notice;
}

absl::StatusOr<v1::Notice> Website::ReportRectification(
    const auth::Principal& caller, const v1::ReportRectificationRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(CheckVersion(v, request.version()));
  validation::CheckText(v, "report", request.report(),
                        {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  ASSIGN_OR_RETURN(v1::Notice current, deps_.repository->GetNotice(request.id()));
  RETURN_IF_ERROR(Authorize(caller, kRectifiers, current.unit_id(), "report rectifications"));
  ASSIGN_OR_RETURN(v1::Notice notice, NoticeForUpdate(request.id(), request.version()));
  if (notice.state() == v1::RECTIFIED) {
    return PreconditionFailed("STATE", absl::StrCat("notice/", notice.id()),
                              "the notice is already rectified");
  }
  notice.set_rectification_report(request.report());
  if (notice.state() == v1::NOTICE_OPEN) notice.set_state(v1::RECTIFICATION_REPORTED);
  ASSIGN_OR_RETURN(notice, deps_.repository->UpdateNotice(std::move(notice), deps_.clock->Now()));
  MarkOverdue(notice);
  return notice;
}

absl::StatusOr<v1::Notice> Website::RecheckNotice(const auth::Principal& caller,
                                                  const v1::RecheckNoticeRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(CheckVersion(v, request.version()));
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kSupervisors, std::nullopt, "re-check notices"));
  ASSIGN_OR_RETURN(v1::Notice notice, NoticeForUpdate(request.id(), request.version()));
  if (notice.state() == v1::RECTIFIED) {
    return PreconditionFailed("STATE", absl::StrCat("notice/", notice.id()),
                              "the notice is already rectified");
  }
  ASSIGN_OR_RETURN(v1::Site site, deps_.repository->GetSite(notice.site_id()));
  // WEB-4: the prober looks at the site again now, then the site is scored.
  std::string probe_ref;
  if (IsWebsite(site.kind()) && site.state() != v1::SHUTDOWN && site.state() != v1::MIGRATED) {
    ASSIGN_OR_RETURN(v1::Probe probe, ProbeNow(site));
    probe_ref = absl::StrCat(" probe/", probe.id());
  }
  ASSIGN_OR_RETURN(v1::SiteEvaluation evaluation, Evaluate(site, Today()));
  ASSIGN_OR_RETURN(NationalRules rules, ReadNationalRules(*deps_.rules, Today()));
  const double evaluation_pass_mark = static_cast<double>(rules.pass_mark.value);
  std::vector<std::string> problems;
  for (const v1::Finding& f : evaluation.findings()) {
    if (f.veto() || f.points() > 0) problems.push_back(f.item());
  }
  // The re-check itself looked at the site now: a week without scheduled probes (a
  // site just back in operation) does not hold the rectification back.
  const bool passed = !evaluation.vetoed() && evaluation.score() >= evaluation_pass_mark;
  notice.set_rechecks(notice.rechecks() + 1);
  notice.set_last_recheck_passed(passed);
  notice.set_last_recheck_summary(
      absl::StrCat(passed ? "passed" : "failed", ": score ", evaluation.score(),
                   evaluation.vetoed() ? " (vetoed)" : "", "; ", evaluation.rule_set(), probe_ref,
                   problems.empty() ? "" : "; findings: ", absl::StrJoin(problems, ", ")));
  if (passed) notice.set_state(v1::RECTIFIED);
  ASSIGN_OR_RETURN(notice, deps_.repository->UpdateNotice(std::move(notice), deps_.clock->Now()));
  MarkOverdue(notice);
  return notice;
}

absl::StatusOr<v1::Notice> Website::EscalateNotice(const auth::Principal& caller,
                                                   const v1::EscalateNoticeRequest& request) {
  FieldViolations v;
  validation::CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(CheckVersion(v, request.version()));
  validation::CheckText(v, "finding", request.finding(),
                        {.min_chars = 1, .max_chars = 4000, .allow_newlines = true});
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(Authorize(caller, kSupervisors, std::nullopt, "escalate notices"));
  ASSIGN_OR_RETURN(v1::Notice notice, NoticeForUpdate(request.id(), request.version()));
  // WEB-4: a higher government's spot check found a serious problem; whatever the state,
  // the notice is escalated (a rectified notice is opened again).
  notice.set_state(v1::ESCALATED);
  notice.set_escalation(
      absl::StrCat(absl::FormatCivilTime(Today()), " ", caller.subject, ": ", request.finding()));
  ASSIGN_OR_RETURN(notice, deps_.repository->UpdateNotice(std::move(notice), deps_.clock->Now()));
  MarkOverdue(notice);
  return notice;
}

absl::StatusOr<std::optional<v1::Notice>> Website::RecomputedRectifyBy(
    const v1::Notice& notice) const {
  const common::v1::DeadlineExplanation& old = notice.rectify_by_explanation();
  const calendar::Deadline stored = FromProto(old);
  const bool pending = !notice.has_rectify_by();
  // A pending deadline is tried on every change; a computed one when a year it used
  // was replaced.
  if (!pending && !deps_.calendar->IsStale(stored)) return std::nullopt;
  absl::StatusOr<calendar::Deadline> again = deps_.calendar->Recompute(stored);
  if (pending && absl::IsFailedPrecondition(again.status())) return std::nullopt;
  v1::Notice updated = notice;
  RETURN_IF_ERROR(
      SetRectifyBy(updated, again, stored.start, stored.n, old.rule(), old.rule_version()));
  if (updated.rectify_by().SerializeAsString() == notice.rectify_by().SerializeAsString() &&
      updated.rectify_by_explanation().SerializeAsString() == old.SerializeAsString()) {
    return std::nullopt;
  }
  return updated;
}

absl::StatusOr<int> Website::RecomputeRectificationDeadlines(
    const std::function<bool()>& stopping) {
  constexpr int kBatch = 200;
  // A notice changed by a user between the read and the update (its version moved) is
  // read again; a few times in a row means a busy notice: the pass fails and runs again.
  constexpr int kAttempts = 3;
  int changed = 0;
  int64_t after_id = 0;
  while (true) {
    if (stopping()) return absl::CancelledError("recomputing rectification deadlines stopped");
    ASSIGN_OR_RETURN(std::vector<v1::Notice> batch,
                     deps_.repository->ListUnrectifiedNotices(after_id, kBatch));
    for (v1::Notice& listed : batch) {
      after_id = listed.id();
      v1::Notice notice = std::move(listed);
      for (int attempt = 1;; ++attempt) {
        ASSIGN_OR_RETURN(std::optional<v1::Notice> updated, RecomputedRectifyBy(notice));
        if (!updated.has_value()) break;
        absl::StatusOr<v1::Notice> stored =
            deps_.repository->UpdateRectifyBy(*std::move(updated), deps_.clock->Now());
        if (stored.ok()) {
          ++changed;
          break;
        }
        if (!absl::IsAborted(stored.status()) || attempt == kAttempts) return stored.status();
        ASSIGN_OR_RETURN(notice, deps_.repository->GetNotice(notice.id()));
        if (notice.state() == v1::RECTIFIED) break;
      }
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
  }
  return changed;
}

}  // namespace gongkai::website
