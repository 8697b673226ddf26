// Accountability (ASM-3): triggers raised from a finished run's evidence by the scheme's
// rule (an item under accountability.below_percent of its weight raises the situation
// mapped to it), summons interviews and public notices.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/assessment/access.h"
#include "services/assessment/assessment.h"
#include "services/assessment/scheme.h"

namespace gongkai::assessment {
namespace {

constexpr int kMaxReferences = 100;

}  // namespace

absl::StatusOr<v1::ListAccountabilityTriggersResponse> Assessment::RaiseAccountabilityTriggers(
    const Principal& caller, const v1::RaiseAccountabilityTriggersRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kAccountability, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckId(violations, "run_id", request.run_id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(v1::AssessmentRun run, repository_->GetRun(request.run_id()));
  if (run.state() == v1::RUNNING) {
    return PreconditionFailed("STATE", absl::StrCat("run/", run.id()),
                              "the run has not finished; triggers are raised from final scores");
  }
  ASSIGN_OR_RETURN(Scheme scheme, ReadSchemeVersion(*rules_, run.year(), run.rule_set()));
  ASSIGN_OR_RETURN(std::vector<v1::UnitScore> scores, repository_->UnitScores(run.id()));
  std::vector<v1::AccountabilityTrigger> triggers;
  for (const v1::UnitScore& score : scores) {
    for (const AccountabilityRule& rule : scheme.accountability) {
      for (const v1::ItemScore& item : score.items()) {
        // Only evidence raises a trigger: unavailable or awaited items never do.
        if (item.item() != rule.item || item.status() != v1::SCORED) continue;
        const double threshold =
            item.weight() * static_cast<double>(scheme.accountability_below_percent) / 100.0;
        if (!(item.points() < threshold)) continue;
        v1::AccountabilityTrigger trigger;
        trigger.set_unit_id(score.unit_id());
        trigger.set_year(run.year());
        trigger.set_kind(rule.kind);
        trigger.set_run_id(run.id());
        trigger.set_item(item.item());
        trigger.set_reason(absl::StrFormat(
            "item %d scored %.2f of %.2f, under %d%% (%s; %s)\n%s", static_cast<int>(item.item()),
            item.points(), item.weight(), scheme.accountability_below_percent,
            scheme.accountability_below_rule, rule.rule, item.explanation()));
        for (const auto& indicator : item.indicators()) {
          for (const std::string& reference : indicator.references()) {
            if (trigger.evidence_references_size() >= kMaxReferences) break;
            trigger.add_evidence_references(reference);
          }
        }
        triggers.push_back(std::move(trigger));
      }
    }
  }
  ASSIGN_OR_RETURN(std::vector<v1::AccountabilityTrigger> raised,
                   repository_->RaiseTriggers(run.id(), triggers, clock_->Now()));
  v1::ListAccountabilityTriggersResponse response;
  for (v1::AccountabilityTrigger& trigger : raised) *response.add_triggers() = std::move(trigger);
  return response;
}

absl::StatusOr<v1::ListAccountabilityTriggersResponse> Assessment::ListAccountabilityTriggers(
    const Principal& caller, const v1::ListAccountabilityTriggersRequest& request) {
  FieldViolations violations;
  if (request.year() != 0 && (request.year() < 2000 || request.year() > 2100)) {
    violations.Add("year", "must be 2000..2100 (or 0 for any)");
  }
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/false);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(
      caller, kReaders, kUnitPeople,
      request.unit_id() == 0 ? std::nullopt : std::optional<int64_t>(request.unit_id())));
  const std::string fingerprint = absl::StrCat("triggers:", request.year(), ":", request.unit_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      std::vector<v1::AccountabilityTrigger> rows,
      repository_->ListTriggers(request.year(), request.unit_id(), after, page_size + 1));
  v1::ListAccountabilityTriggersResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::AccountabilityTrigger& t) { return t.id(); }));
  for (v1::AccountabilityTrigger& t : rows) *response.add_triggers() = std::move(t);
  return response;
}

absl::StatusOr<v1::Summons> Assessment::RecordSummons(const Principal& caller,
                                                      const v1::RecordSummonsRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kAccountability, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  if (!ToCivilDay(request.date()).ok()) violations.Add("date", "must be a real date");
  if (request.attendees_size() < 1 || request.attendees_size() > 50) {
    violations.Add("attendees", "1..50 attendees");
  }
  for (int i = 0; i < request.attendees_size(); ++i) {
    validation::CheckText(violations, absl::StrCat("attendees[", i, "]"), request.attendees(i),
                          {.min_chars = 1, .max_chars = 100});
  }
  validation::CheckText(violations, "record", request.record(),
                        {.min_chars = 1, .max_chars = 20000, .allow_newlines = true});
  if (request.trigger_ids_size() > 50) violations.Add("trigger_ids", "at most 50");
  RETURN_IF_ERROR(violations.ToStatus());
  std::vector<int64_t> ids(request.trigger_ids().begin(), request.trigger_ids().end());
  ASSIGN_OR_RETURN(std::vector<v1::AccountabilityTrigger> triggers, repository_->GetTriggers(ids));
  if (triggers.size() != std::set<int64_t>(ids.begin(), ids.end()).size()) {
    return InvalidField("trigger_ids", "every trigger must exist");
  }
  for (const v1::AccountabilityTrigger& trigger : triggers) {
    if (trigger.unit_id() != request.unit_id()) {
      return InvalidField("trigger_ids",
                          absl::StrCat("trigger ", trigger.id(), " is of another unit"));
    }
  }
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordSummons", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::Summons>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::Summons summons;
        summons.set_unit_id(request.unit_id());
        *summons.mutable_trigger_ids() = request.trigger_ids();
        *summons.mutable_date() = request.date();
        *summons.mutable_attendees() = request.attendees();
        summons.set_record(request.record());
        summons.set_created_by(caller.subject);
        return repository_->CreateSummons(std::move(summons), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::PublicNotice> Assessment::PublishNotice(
    const Principal& caller, const v1::PublishNoticeRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kAccountability, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckEnum(violations, "kind", request.kind(), v1::NoticeKind_IsValid,
                        /*required=*/true);
  validation::CheckText(violations, "title", request.title(), {.min_chars = 1, .max_chars = 200});
  validation::CheckText(violations, "body", request.body(),
                        {.min_chars = 1, .max_chars = 20000, .allow_newlines = true});
  if (request.kind() == v1::SPOT_CHECK && request.draw_id() <= 0) {
    violations.Add("draw_id", "a spot-check notice names its draw");
  }
  if (request.kind() == v1::ACCOUNTABILITY && request.trigger_ids_size() == 0) {
    violations.Add("trigger_ids", "an accountability notice names its triggers");
  }
  if (request.trigger_ids_size() > 200) violations.Add("trigger_ids", "at most 200");
  if (request.unit_ids_size() > 1000) violations.Add("unit_ids", "at most 1000");
  RETURN_IF_ERROR(violations.ToStatus());
  if (request.kind() == v1::SPOT_CHECK) {
    ASSIGN_OR_RETURN(auto draw, repository_->GetDraw(request.draw_id()));
    if (draw.first.state() != v1::DRAWN) return InvalidField("draw_id", "the draw is not made yet");
  }
  std::vector<int64_t> ids(request.trigger_ids().begin(), request.trigger_ids().end());
  ASSIGN_OR_RETURN(std::vector<v1::AccountabilityTrigger> triggers, repository_->GetTriggers(ids));
  if (triggers.size() != std::set<int64_t>(ids.begin(), ids.end()).size()) {
    return InvalidField("trigger_ids", "every trigger must exist");
  }
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "PublishNotice", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::PublicNotice>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::PublicNotice notice;
        notice.set_kind(request.kind());
        notice.set_title(request.title());
        notice.set_body(request.body());
        notice.set_draw_id(request.draw_id());
        *notice.mutable_trigger_ids() = request.trigger_ids();
        *notice.mutable_unit_ids() = request.unit_ids();
        notice.set_published_by(caller.subject);
        return repository_->CreateNotice(std::move(notice), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::ListPublicNoticesResponse> Assessment::ListPublicNotices(
    const Principal& /*caller*/, const v1::ListPublicNoticesRequest& request) {
  // Public: notices (通报) are published.
  const std::string fingerprint = "notices";
  ASSIGN_OR_RETURN(int64_t before, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::PublicNotice> rows,
                   repository_->ListPublicNotices(before, page_size + 1));
  v1::ListPublicNoticesResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::PublicNotice& n) { return n.id(); }));
  for (v1::PublicNotice& n : rows) *response.add_notices() = std::move(n);
  return response;
}

}  // namespace gongkai::assessment
