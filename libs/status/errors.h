// Building statuses that carry google.rpc error details.
//
// Inside the suite every error is an absl::Status. Details that a client needs to act
// on (which fields were bad, which precondition failed) travel as payloads keyed by
// their type URL; grpc_status.h turns them into the standard grpc-status-details-bin
// trailer in the single conversion to grpc::Status.
//
//   FieldViolations violations;
//   if (title.empty()) violations.Add("title", "must not be empty");
//   RETURN_IF_ERROR(violations.ToStatus());  // INVALID_ARGUMENT naming every field
#ifndef GONGKAI_LIBS_STATUS_ERRORS_H_
#define GONGKAI_LIBS_STATUS_ERRORS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai {

inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kPreconditionFailureTypeUrl =
    "type.googleapis.com/google.rpc.PreconditionFailure";
inline constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

struct FieldViolation {
  std::string field;        // Path of the field, e.g. "document.title".
  std::string description;  // What is wrong, in words a developer can act on.
};

// Collects every bad field of one request so the caller hears of all of them at once.
class FieldViolations {
 public:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT whose message names every
  // field and whose google.rpc.BadRequest payload lists them.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// FAILED_PRECONDITION with a google.rpc.PreconditionFailure detail. `type` is a short
// machine-readable kind ("STATE", "REVIEW"), `subject` what it applies to.
absl::Status PreconditionFailed(absl::string_view type, absl::string_view subject,
                                absl::string_view description);

// Reads the field violations back out of a status (empty when there are none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace gongkai

#endif  // GONGKAI_LIBS_STATUS_ERRORS_H_
