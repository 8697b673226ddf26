// Input checks of the opinion RPCs: each adds every problem of a request to `violations`
// (field names as in the proto), so a caller hears of every bad field at once and
// nothing is written. Thread-safety: free functions.
#ifndef GONGKAI_SERVICES_OPINION_EVENTS_EVENT_VALIDATION_H_
#define GONGKAI_SERVICES_OPINION_EVENTS_EVENT_VALIDATION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/status/errors.h"

namespace gongkai::opinion::events {

namespace v1 = ::gongkai::opinion::v1;

inline constexpr int kMaxUnits = 20;
inline constexpr int kMaxDocuments = 50;
inline constexpr int kMaxEvidenceLinks = 20;
inline constexpr int kMaxFacts = 50;
inline constexpr int kMaxParticipants = 50;

// An http(s) address of 1–2000 characters without spaces or control characters.
void CheckLink(FieldViolations& violations, const std::string& field, absl::string_view url,
               bool required);

// Not unset (when required), not after `now`, not before 2000.
void CheckPastTime(FieldViolations& violations, const std::string& field,
                   const google::protobuf::Timestamp& time, absl::Time now, bool required);

// CollectEvent, except the units' existence (routing::CheckUnits).
void CheckCollect(FieldViolations& violations, const v1::CollectEventRequest& request,
                  absl::Time now);

// RecordResponse; `first_seen` bounds the publish time from below.
void CheckResponse(FieldViolations& violations, const v1::RecordResponseRequest& request,
                   absl::Time first_seen, absl::Time now);

// A stated fact's key as compared: trimmed, ASCII lower case.
std::string NormalizeFact(absl::string_view fact);

}  // namespace gongkai::opinion::events

#endif  // GONGKAI_SERVICES_OPINION_EVENTS_EVENT_VALIDATION_H_
