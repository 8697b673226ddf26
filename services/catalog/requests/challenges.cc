#include "services/catalog/requests/challenges.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/idempotency/idempotency.h"
#include "libs/status/status_macros.h"
#include "services/catalog/requests/request_checks.h"

namespace gongkai::catalog::requests {

using auth::Principal;
using auth::Role;
using auth::Rule;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

absl::CivilDay Challenges::Today() const { return calendar::TodayInShanghai(*clock_); }

absl::StatusOr<v1::DisclosureChallenge> Challenges::RecordChallenge(
    const Principal& caller, const v1::RecordChallengeRequest& request) {
  FieldViolations v;
  CheckId(v, "disclosure_request_id", request.disclosure_request_id(), /*required=*/true);
  CheckEnum(v, "kind", request.kind(), v1::ChallengeKind_IsValid, /*required=*/true);
  CheckEnum(v, "result", request.result(), v1::ChallengeResult_IsValid, /*required=*/false);
  const std::optional<absl::CivilDay> filed = OptionalDate(v, "filed_on", request.filed_on());
  if (!HasDate(request.filed_on())) v.Add("filed_on", "is required");
  const std::optional<absl::CivilDay> decided = OptionalDate(v, "decided_on", request.decided_on());
  CheckText(v, "case_number", request.case_number(), kCaseNumberLimits);
  CheckText(v, "note", request.note(), kNoteLimits);
  CheckRequestId(v, "request_id", request.request_id());
  const v1::ChallengeResult result = request.result() == v1::CHALLENGE_RESULT_UNSPECIFIED
                                         ? v1::CHALLENGE_PENDING
                                         : request.result();
  const absl::CivilDay today = Today();
  if (filed && *filed > today) v.Add("filed_on", "must not be in the future");
  if (result == v1::CHALLENGE_PENDING && decided) {
    v.Add("decided_on", "must be empty while the result is CHALLENGE_PENDING");
  } else if (result != v1::CHALLENGE_PENDING && !decided && !HasDate(request.decided_on())) {
    v.Add("decided_on", "is required once the challenge is decided");
  }
  if (decided && filed && *decided < *filed) v.Add("decided_on", "must not be before filed_on");
  if (decided && *decided > today) v.Add("decided_on", "must not be in the future");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kHandle)));
  ASSIGN_OR_RETURN(v1::DisclosureRequest r,
                   repository_->GetRequest(request.disclosure_request_id()));
  RETURN_IF_ERROR(RequireVisible(caller, kHandle, r));
  if (r.state() != v1::REQUEST_ANSWERED) {
    return WrongState(r, "review and litigation are recorded against an answered request");
  }
  if (*filed < DayOf(r.answered_on())) {
    return InvalidField("filed_on",
                        absl::StrCat("must not be before the answer (",
                                     absl::FormatCivilTime(DayOf(r.answered_on())), ")"));
  }
  const IdempotencyKey key =
      idempotency::MakeKey(caller.subject, "RecordChallenge", request.request_id(), request);
  return idempotency::IdempotentCreate<v1::DisclosureChallenge>(
      *repository_, key, [&](const IdempotencyKey* stored_key) {
        v1::DisclosureChallenge c;
        c.set_disclosure_request_id(r.id());
        c.set_unit_id(r.unit_id());
        c.set_kind(request.kind());
        c.set_result(result);
        *c.mutable_filed_on() = request.filed_on();
        if (decided) *c.mutable_decided_on() = request.decided_on();
        c.set_case_number(request.case_number());
        c.set_note(request.note());
        c.set_created_by(caller.subject);
        RequestEvent event{
            caller.subject,
            "challenge_recorded",
            r.state(),
            r.state(),
            today,
            absl::StrCat(v1::ChallengeKind_Name(request.kind()), " ",
                         v1::ChallengeResult_Name(result), " ", request.case_number()),
            clock_->Now()};
        return repository_->CreateChallenge(c, event, stored_key);
      });
}

absl::StatusOr<v1::DisclosureChallenge> Challenges::UpdateChallenge(
    const Principal& caller, const v1::UpdateChallengeRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), /*required=*/true);
  CheckEnum(v, "result", request.result(), v1::ChallengeResult_IsValid, /*required=*/true);
  const std::optional<absl::CivilDay> decided = OptionalDate(v, "decided_on", request.decided_on());
  CheckText(v, "note", request.note(), kNoteLimits);
  if (request.result() == v1::CHALLENGE_PENDING && HasDate(request.decided_on())) {
    v.Add("decided_on", "must be empty while the result is CHALLENGE_PENDING");
  } else if (request.result() != v1::CHALLENGE_PENDING && !HasDate(request.decided_on())) {
    v.Add("decided_on", "is required once the challenge is decided");
  }
  if (decided && *decided > Today()) v.Add("decided_on", "must not be in the future");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kHandle)));
  ASSIGN_OR_RETURN(v1::DisclosureChallenge current, repository_->GetChallenge(request.id()));
  if (!auth::Require(caller, kHandle, current.unit_id()).ok()) {
    // Another unit's challenge answers like a missing id, so ids cannot be probed.
    return absl::NotFoundError(absl::StrCat("challenge ", request.id(), " not found"));
  }
  if (current.result() != v1::CHALLENGE_PENDING) {
    return PreconditionFailed("STATE", absl::StrCat("disclosure-challenges/", current.id()),
                              absl::StrCat("challenge ", current.id(), " was already decided: ",
                                           v1::ChallengeResult_Name(current.result())));
  }
  if (decided && *decided < DayOf(current.filed_on())) {
    return InvalidField("decided_on", "must not be before filed_on");
  }
  v1::DisclosureChallenge updated = current;
  updated.set_result(request.result());
  if (decided) {
    *updated.mutable_decided_on() = request.decided_on();
  } else {
    updated.clear_decided_on();
  }
  if (!request.note().empty()) updated.set_note(request.note());
  RequestEvent event{
      caller.subject,
      "challenge_updated",
      v1::REQUEST_ANSWERED,
      v1::REQUEST_ANSWERED,
      Today(),
      absl::StrCat("challenge ", current.id(), ": ", v1::ChallengeResult_Name(request.result())),
      clock_->Now()};
  return repository_->UpdateChallenge(updated, event);
}

absl::StatusOr<v1::ListChallengesResponse> Challenges::ListChallenges(
    const Principal& caller, const v1::ListChallengesRequest& request) {
  FieldViolations v;
  CheckId(v, "disclosure_request_id", request.disclosure_request_id(), /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, AnyUnit(kRead)));
  ASSIGN_OR_RETURN(v1::DisclosureRequest r,
                   repository_->GetRequest(request.disclosure_request_id()));
  RETURN_IF_ERROR(RequireVisible(caller, kRead, r));
  ASSIGN_OR_RETURN(std::vector<v1::DisclosureChallenge> challenges,
                   repository_->ListChallenges(r.id()));
  v1::ListChallengesResponse response;
  for (auto& c : challenges) *response.add_challenges() = std::move(c);
  return response;
}

}  // namespace gongkai::catalog::requests
