// Training (ASM-4, inspection item 13): a unit's annual plan with its openness staff,
// sessions with attendance, and the share of the staff trained in the year (full
// rotation); the same figures answer item 13 through the suite's evidence call.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/evidence/evidence_source.h"
#include "libs/idempotency/idempotency.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/assessment/access.h"
#include "services/assessment/assessment.h"

namespace gongkai::assessment {
namespace {

void CheckStaffList(FieldViolations& violations, absl::string_view field,
                    const google::protobuf::RepeatedPtrField<std::string>& staff, int max) {
  if (staff.size() > max) violations.Add(std::string(field), absl::StrCat("at most ", max));
  std::set<std::string> seen;
  for (int i = 0; i < staff.size(); ++i) {
    validation::CheckText(violations, absl::StrCat(field, "[", i, "]"), staff[i],
                          {.min_chars = 1, .max_chars = 100});
    if (!seen.insert(staff[i]).second)
      violations.Add(std::string(field), absl::StrCat(staff[i], " twice"));
  }
}

}  // namespace

absl::StatusOr<v1::TrainingPlan> Assessment::CreateTrainingPlan(
    const Principal& caller, const v1::CreateTrainingPlanRequest& request) {
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  if (request.year() < 2000 || request.year() > 2100) violations.Add("year", "must be 2000..2100");
  if (request.planned_sessions() < 1 || request.planned_sessions() > 366) {
    violations.Add("planned_sessions", "must be 1..366");
  }
  if (request.openness_staff_size() == 0) violations.Add("openness_staff", "at least one");
  CheckStaffList(violations, "openness_staff", request.openness_staff(), 500);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(caller, kOffice, {Role::kStaff}, request.unit_id()));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "CreateTrainingPlan", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::TrainingPlan>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::TrainingPlan plan;
        plan.set_unit_id(request.unit_id());
        plan.set_year(request.year());
        plan.set_planned_sessions(request.planned_sessions());
        *plan.mutable_openness_staff() = request.openness_staff();
        plan.set_created_by(caller.subject);
        return repository_->CreateTrainingPlan(std::move(plan), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::TrainingSession> Assessment::RecordTrainingSession(
    const Principal& caller, const v1::RecordTrainingSessionRequest& request) {
  FieldViolations violations;
  validation::CheckRequestId(violations, "request_id", request.request_id());
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  absl::StatusOr<absl::CivilDay> date = ToCivilDay(request.date());
  if (!date.ok() || date->year() < 2000 || date->year() > 2100) {
    violations.Add("date", "must be a real date in 2000..2100");
  }
  validation::CheckText(violations, "topic", request.topic(), {.min_chars = 1, .max_chars = 200});
  if (request.hours() < 1 || request.hours() > 24) violations.Add("hours", "must be 1..24");
  if (request.attendees_size() == 0) violations.Add("attendees", "at least one");
  CheckStaffList(violations, "attendees", request.attendees(), 500);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(caller, kOffice, {Role::kStaff}, request.unit_id()));
  const idempotency::Key key =
      idempotency::MakeKey(caller.subject, "RecordTrainingSession", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::TrainingSession>(
      *repository_, key, [&](const idempotency::Key* stored_key) {
        v1::TrainingSession session;
        session.set_unit_id(request.unit_id());
        *session.mutable_date() = request.date();
        session.set_topic(request.topic());
        session.set_hours(request.hours());
        *session.mutable_attendees() = request.attendees();
        session.set_created_by(caller.subject);
        return repository_->CreateTrainingSession(std::move(session), stored_key, clock_->Now());
      });
}

absl::StatusOr<v1::TrainingStatus> Assessment::TrainingStatusOf(int64_t unit_id, int year) {
  ASSIGN_OR_RETURN(std::optional<v1::TrainingPlan> plan,
                   repository_->GetTrainingPlan(unit_id, year));
  ASSIGN_OR_RETURN(std::vector<v1::TrainingSession> sessions,
                   repository_->TrainingSessions(unit_id, year));
  v1::TrainingStatus status;
  status.set_unit_id(unit_id);
  status.set_year(year);
  status.set_sessions_held(static_cast<int32_t>(sessions.size()));
  std::set<std::string> attended;
  for (const v1::TrainingSession& session : sessions) {
    attended.insert(session.attendees().begin(), session.attendees().end());
  }
  if (plan.has_value()) {
    status.set_has_plan(true);
    status.set_planned_sessions(plan->planned_sessions());
    status.set_openness_staff(plan->openness_staff_size());
    int trained = 0;
    for (const std::string& staff : plan->openness_staff()) {
      if (attended.count(staff) > 0) {
        ++trained;
      } else {
        status.add_untrained_staff(staff);
      }
    }
    status.set_openness_staff_trained(trained);
    if (plan->openness_staff_size() > 0) {
      status.set_share_trained_percent(100.0 * trained / plan->openness_staff_size());
    }
  }
  return status;
}

absl::StatusOr<v1::TrainingStatus> Assessment::GetTrainingStatus(
    const Principal& caller, const v1::GetTrainingStatusRequest& request) {
  FieldViolations violations;
  validation::CheckId(violations, "unit_id", request.unit_id(), /*required=*/true);
  if (request.year() < 2000 || request.year() > 2100) violations.Add("year", "must be 2000..2100");
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(RequireRoles(caller, kReaders, kUnitPeople, request.unit_id()));
  return TrainingStatusOf(request.unit_id(), request.year());
}

std::vector<evidence::InspectionItem> TrainingEvidence::Items() const {
  return {common::v1::TRAINING};
}

absl::StatusOr<evidence::ItemEvidence> TrainingEvidence::Collect(
    evidence::InspectionItem /*item*/, const evidence::EvidenceQuery& query) {
  // A plan is annual: the period's first year is the one assessed.
  ASSIGN_OR_RETURN(
      v1::TrainingStatus status,
      assessment_->TrainingStatusOf(query.unit_id, static_cast<int>(query.period_start.year())));
  evidence::ItemEvidence evidence;
  evidence::AddCount(evidence,
                     {"training_plan_missing", "未制定年度培训计划", "ASM-4", "training_plan"},
                     status.has_plan() ? 0 : 1);
  evidence::AddCount(evidence,
                     {"training_sessions_held", "年度内举办的培训", "ASM-4", "training_session"},
                     status.sessions_held());
  evidence::AddCount(
      evidence,
      {"planned_sessions_not_held", "计划内未举办的培训场次", "ASM-4", "training_session"},
      std::max(0, status.planned_sessions() - status.sessions_held()));
  evidence::AddCount(
      evidence,
      {"openness_staff_untrained", "年度内未参训的政务公开工作人员（全员轮训）", "ASM-4", "staff"},
      static_cast<int64_t>(status.untrained_staff_size()));
  // The staff's names as references ("staff/<name>"), so an inspector sees who.
  auto& untrained = *evidence.mutable_indicators(evidence.indicators_size() - 1);
  for (const std::string& staff : status.untrained_staff()) {
    untrained.add_references(absl::StrCat("staff/", staff));
  }
  return evidence;
}

}  // namespace gongkai::assessment
