#include "services/opinion/events/event_validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"
#include "libs/validation/validation.h"

namespace gongkai::opinion::events {
namespace {

using validation::CheckEnum;
using validation::CheckId;
using validation::CheckText;

bool HasTime(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

void CheckIds(FieldViolations& violations, const std::string& field,
              const google::protobuf::RepeatedField<int64_t>& ids, int max) {
  if (ids.size() > max) violations.Add(field, absl::StrCat("at most ", max));
  std::set<int64_t> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    CheckId(violations, item, ids[i], /*required=*/true);
    if (ids[i] > 0 && !seen.insert(ids[i]).second) violations.Add(item, "listed twice");
  }
}

}  // namespace

void CheckLink(FieldViolations& violations, const std::string& field, absl::string_view url,
               bool required) {
  if (url.empty()) {
    if (required) violations.Add(field, "required");
    return;
  }
  CheckText(violations, field, url, {.min_chars = 1, .max_chars = 2000});
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    violations.Add(field, "an http:// or https:// address");
  } else if (absl::StrContains(url, " ")) {
    violations.Add(field, "no spaces in an address");
  }
}

void CheckPastTime(FieldViolations& violations, const std::string& field,
                   const google::protobuf::Timestamp& time, absl::Time now, bool required) {
  if (!HasTime(time)) {
    if (required) violations.Add(field, "required");
    return;
  }
  if (time.nanos() < 0 || time.nanos() > 999999999) {
    violations.Add(field, "not a valid time");
    return;
  }
  const absl::Time t = FromTimestamp(time);
  if (t > now) violations.Add(field, "in the future");
  if (t < absl::FromCivil(absl::CivilSecond(2000, 1, 1), absl::UTCTimeZone())) {
    violations.Add(field, "before 2000");
  }
}

void CheckCollect(FieldViolations& violations, const v1::CollectEventRequest& request,
                  absl::Time now) {
  validation::CheckRequestId(violations, "request_id", request.request_id());
  CheckText(violations, "title", request.title(), {.min_chars = 1, .max_chars = 500});
  CheckText(violations, "summary", request.summary(),
            {.min_chars = 0, .max_chars = 4000, .allow_newlines = true});
  CheckEnum(violations, "source", request.source(), v1::EventSource_IsValid, true);
  CheckEnum(violations, "category", request.category(), v1::EventCategory_IsValid, true);
  CheckEnum(violations, "grade", request.grade(), v1::EventGrade_IsValid, true);
  CheckEnum(violations, "territory", request.territory(), v1::TerritoryScope_IsValid, true);
  CheckIds(violations, "locality_unit_ids", request.locality_unit_ids(), kMaxUnits);
  CheckIds(violations, "concerned_unit_ids", request.concerned_unit_ids(), kMaxUnits);
  CheckIds(violations, "document_ids", request.document_ids(), kMaxDocuments);
  if (request.evidence_size() > kMaxEvidenceLinks) {
    violations.Add("evidence", absl::StrCat("at most ", kMaxEvidenceLinks, " links"));
  }
  for (int i = 0; i < request.evidence_size(); ++i) {
    const std::string field = absl::StrCat("evidence[", i, "]");
    CheckLink(violations, field + ".url", request.evidence(i).url(), /*required=*/true);
    CheckText(violations, field + ".excerpt", request.evidence(i).excerpt(),
              {.min_chars = 0, .max_chars = 2000, .allow_newlines = true});
  }
  CheckPastTime(violations, "first_seen_time", request.first_seen_time(), now,
                /*required=*/false);
  CheckId(violations, "collecting_unit_id", request.collecting_unit_id(), /*required=*/false);
  CheckText(violations, "leader_instruction", request.leader_instruction(),
            {.min_chars = 0, .max_chars = 4000, .allow_newlines = true});
  CheckText(violations, "instructing_leader", request.instructing_leader(),
            {.min_chars = request.leader_instruction().empty() ? 0u : 1u, .max_chars = 100});
  if (request.leader_instruction().empty() && !request.instructing_leader().empty()) {
    violations.Add("leader_instruction", "required with instructing_leader");
  }
}

void CheckResponse(FieldViolations& violations, const v1::RecordResponseRequest& request,
                   absl::Time first_seen, absl::Time now) {
  validation::CheckRequestId(violations, "request_id", request.request_id());
  CheckEnum(violations, "channel", request.channel(), v1::ResponseChannel_IsValid, true);
  CheckText(violations, "content", request.content(),
            {.min_chars = 1, .max_chars = 20000, .allow_newlines = true});
  CheckPastTime(violations, "publish_time", request.publish_time(), now, /*required=*/true);
  if (HasTime(request.publish_time()) && FromTimestamp(request.publish_time()) < first_seen) {
    violations.Add("publish_time", "before the event was first seen");
  }
  CheckText(violations, "spokesperson", request.spokesperson(), {.min_chars = 1, .max_chars = 100});
  CheckLink(violations, "link", request.link(),
            /*required=*/request.channel() != v1::CHANNEL_INTERVIEW);
  CheckId(violations, "unit_id", request.unit_id(), /*required=*/false);
  if (request.facts_size() > kMaxFacts) {
    violations.Add("facts", absl::StrCat("at most ", kMaxFacts));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.facts_size(); ++i) {
    const std::string field = absl::StrCat("facts[", i, "]");
    CheckText(violations, field + ".fact", request.facts(i).fact(),
              {.min_chars = 1, .max_chars = 100});
    CheckText(violations, field + ".value", request.facts(i).value(),
              {.min_chars = 1, .max_chars = 200});
    if (!seen.insert(NormalizeFact(request.facts(i).fact())).second) {
      violations.Add(field + ".fact", "stated twice in one answer");
    }
  }
}

std::string NormalizeFact(absl::string_view fact) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(fact));
}

}  // namespace gongkai::opinion::events
