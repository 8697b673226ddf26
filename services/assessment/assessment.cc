// Schemes, inspectors' evidence, runs, scores and third-party scores (assessment.h).
#include "services/assessment/assessment.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/assessment/access.h"
#include "services/assessment/scheme.h"
#include "services/assessment/scoring.h"

namespace gongkai::assessment {
namespace {

void CheckYear(FieldViolations& violations, int year) {
  if (year < 2000 || year > 2100) violations.Add("year", "must be 2000..2100");
}

bool IsInspectorItem(int item) {
  return item == common::v1::LEADERSHIP_AND_STAFFING || item == common::v1::LEADERS_ATTENTION ||
         item == common::v1::HIGHER_GOVERNMENT_TASKS;
}

}  // namespace

absl::StatusOr<v1::Scheme> Assessment::GetScheme(const Principal& caller,
                                                 const v1::GetSchemeRequest& request) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  FieldViolations violations;
  CheckYear(violations, request.year());
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(Scheme scheme, ReadScheme(*rules_, request.year()));
  return scheme.ToProto();
}

absl::StatusOr<v1::InspectorEvidence> Assessment::RecordInspectorEvidence(
    const Principal& caller, const v1::RecordInspectorEvidenceRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kInspectors, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  CheckYear(violations, request.year());
  if (!IsInspectorItem(request.item())) {
    violations.Add("item",
                   "inspectors' evidence is for items 1, 2 and 15 (ASM-6); the others "
                   "are scored from the services' evidence");
  }
  validation::CheckText(violations, "text", request.text(),
                        {.min_chars = 1, .max_chars = 5000, .allow_newlines = true});
  if (request.attachments_size() > 20) violations.Add("attachments", "at most 20");
  for (int i = 0; i < request.attachments_size(); ++i) {
    validation::CheckText(violations, absl::StrCat("attachments[", i, "]"), request.attachments(i),
                          {.min_chars = 1, .max_chars = 500});
  }
  if (!(request.points() >= 0)) violations.Add("points", "must be a number >= 0");
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(Scheme scheme, ReadScheme(*rules_, request.year()));
  const SchemeItemRule& rule = scheme.Item(request.item());
  if (request.points() > rule.weight) {
    return InvalidField("points", absl::StrCat("at most the item's weight ", rule.weight, " (",
                                               rule.weight_rule, ")"));
  }
  const idempotency::Key key = idempotency::MakeKey(caller.subject, "RecordInspectorEvidence",
                                                    request.request_id(), request);
  return idempotency::IdempotentCreate<v1::InspectorEvidence>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::InspectorEvidence evidence;
        evidence.set_unit_id(request.unit_id());
        evidence.set_year(request.year());
        evidence.set_item(request.item());
        evidence.set_points(RoundPoints(request.points()));
        evidence.set_text(request.text());
        *evidence.mutable_attachments() = request.attachments();
        evidence.set_inspector(caller.subject);
        return repository_->CreateInspectorEvidence(std::move(evidence), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::ListInspectorEvidenceResponse> Assessment::ListInspectorEvidence(
    const Principal& caller, const v1::ListInspectorEvidenceRequest& request) {
  FieldViolations violations;
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  CheckYear(violations, request.year());
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, kUnitPeople, request.unit_id()));
  const std::string fingerprint = absl::StrCat("evidence:", request.unit_id(), ":", request.year());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      std::vector<v1::InspectorEvidence> rows,
      repository_->ListInspectorEvidence(request.unit_id(), request.year(), after, page_size + 1));
  v1::ListInspectorEvidenceResponse response;
  response.set_next_page_token(pagination::TrimPage(
      rows, page_size, fingerprint, [](const v1::InspectorEvidence& e) { return e.id(); }));
  for (v1::InspectorEvidence& e : rows) *response.add_evidence() = std::move(e);
  return response;
}

absl::StatusOr<v1::AssessmentRun> Assessment::StartAssessmentRun(
    const Principal& caller, const v1::StartAssessmentRunRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kInspectors, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  CheckYear(violations, request.year());
  RETURN_IF_ERROR(violations.ToStatus());
  // The scheme must exist (and parse) before anything is started.
  ASSIGN_OR_RETURN(Scheme scheme, ReadScheme(*rules_, request.year()));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "StartAssessmentRun", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::AssessmentRun>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::AssessmentRun run;
        run.set_year(request.year());
        run.set_state(v1::RUNNING);
        run.set_rule_set(scheme.version_key);
        run.set_started_by(caller.subject);
        run.set_progress("waiting for a worker");
        const absl::Time now = clock_->Now();
        return repository_->CreateRun(std::move(run), now + options_.retry_for, stored_key, now);
      });
}

absl::StatusOr<v1::AssessmentRun> Assessment::GetAssessmentRun(
    const Principal& caller, const v1::GetAssessmentRunRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckId(violations, "id", request.id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  return repository_->GetRun(request.id());
}

absl::StatusOr<v1::UnitScore> Assessment::WithComparisons(v1::UnitScore score, int year) {
  std::vector<v1::UnitScore> one;
  one.push_back(std::move(score));
  ASSIGN_OR_RETURN(std::vector<v1::UnitScore> scores, WithComparisons(std::move(one), year));
  return scores[0];
}

absl::StatusOr<std::vector<v1::UnitScore>> Assessment::WithComparisons(
    std::vector<v1::UnitScore> scores, int year) {
  ASSIGN_OR_RETURN(std::optional<int64_t> previous_run, repository_->LatestFinishedRun(year - 1));
  std::map<int64_t, double> previous;
  if (previous_run.has_value()) {
    ASSIGN_OR_RETURN(previous, repository_->UnitTotals(*previous_run));
  }
  ASSIGN_OR_RETURN(auto third_party, repository_->LatestThirdPartyScores(year));
  for (v1::UnitScore& score : scores) {
    if (auto found = previous.find(score.unit_id()); found != previous.end()) {
      score.set_has_previous_year(true);
      score.set_previous_year_total(found->second);
      score.set_change_from_previous_year(RoundPoints(score.total() - found->second));
    }
    // ASM-5: the external evaluator's score beside the internal one.
    if (auto found = third_party.find(score.unit_id()); found != third_party.end()) {
      score.set_has_third_party(true);
      score.set_third_party_total(found->second.total());
      score.set_third_party_evaluator(found->second.evaluator());
      score.set_difference_from_third_party(RoundPoints(score.total() - found->second.total()));
    }
  }
  return scores;
}

absl::StatusOr<v1::ListUnitScoresResponse> Assessment::ListUnitScores(
    const Principal& caller, const v1::ListUnitScoresRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckId(violations, "run_id", request.run_id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string fingerprint = absl::StrCat("scores:", request.run_id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(v1::AssessmentRun run, repository_->GetRun(request.run_id()));
  ASSIGN_OR_RETURN(std::vector<v1::UnitScore> rows,
                   repository_->RankedUnitScores(run.id(), static_cast<int>(after), page_size + 1));
  // Positions follow the ranks; the token is the last position returned.
  std::vector<std::pair<int, v1::UnitScore>> placed;
  int position = static_cast<int>(after);
  for (v1::UnitScore& row : rows) placed.emplace_back(++position, std::move(row));
  v1::ListUnitScoresResponse response;
  response.set_next_page_token(pagination::TrimPage(
      placed, page_size, fingerprint, [](const auto& p) { return int64_t{p.first}; }));
  std::vector<v1::UnitScore> page;
  for (auto& [pos, score] : placed) page.push_back(std::move(score));
  ASSIGN_OR_RETURN(page, WithComparisons(std::move(page), run.year()));
  for (v1::UnitScore& score : page) *response.add_scores() = std::move(score);
  return response;
}

absl::StatusOr<v1::UnitScore> Assessment::GetUnitScore(const Principal& caller,
                                                       const v1::GetUnitScoreRequest& request) {
  FieldViolations violations;
  validation::CheckId(violations, "run_id", request.run_id(), /*required=*/true);
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, kUnitPeople, request.unit_id()));
  ASSIGN_OR_RETURN(v1::AssessmentRun run, repository_->GetRun(request.run_id()));
  ASSIGN_OR_RETURN(v1::UnitScore score, repository_->GetUnitScore(run.id(), request.unit_id()));
  return WithComparisons(std::move(score), run.year());
}

absl::StatusOr<v1::ExportUnitScoresResponse> Assessment::ExportUnitScores(
    const Principal& caller, const v1::ExportUnitScoresRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckId(violations, "run_id", request.run_id(), /*required=*/true);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(v1::AssessmentRun run, repository_->GetRun(request.run_id()));
  std::vector<v1::UnitScore> all;
  constexpr int kBatch = 500;
  for (int after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<v1::UnitScore> batch,
                     repository_->RankedUnitScores(run.id(), after, kBatch));
    after += static_cast<int>(batch.size());
    for (v1::UnitScore& s : batch) all.push_back(std::move(s));
    if (static_cast<int>(batch.size()) < kBatch) break;
  }
  ASSIGN_OR_RETURN(all, WithComparisons(std::move(all), run.year()));
  v1::ExportUnitScoresResponse response;
  response.set_csv(ScoresCsv(all));
  return response;
}

absl::StatusOr<v1::ThirdPartyScore> Assessment::RecordThirdPartyScore(
    const Principal& caller, const v1::RecordThirdPartyScoreRequest& request) {
  RETURN_IF_ERROR(RequireRoles(caller, kOffice, {}, std::nullopt));
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  CheckYear(violations, request.year());
  validation::CheckText(violations, "evaluator", request.evaluator(),
                        {.min_chars = 1, .max_chars = 200});
  validation::CheckText(violations, "report_reference", request.report_reference(),
                        {.max_chars = 500});
  if (!(request.total() >= 0 && request.total() <= 1000))
    violations.Add("total", "must be 0..1000");
  RETURN_IF_ERROR(violations.ToStatus());
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordThirdPartyScore", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::ThirdPartyScore>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::ThirdPartyScore score;
        score.set_unit_id(request.unit_id());
        score.set_year(request.year());
        score.set_evaluator(request.evaluator());
        score.set_total(RoundPoints(request.total()));
        score.set_report_reference(request.report_reference());
        return repository_->CreateThirdPartyScore(std::move(score), stored_key, clock_->Now());
      });
}

}  // namespace gongkai::assessment
