// The review and litigation records of answered disclosure requests (NAT-10 Table 4):
// recording an administrative review or lawsuit against an answer, its result, and
// listing them per request.
//
// Pure C++ over RequestRepository: no gRPC, no SQL. INVALID_ARGUMENT names each bad
// field and nothing is written; a request of another unit answers NOT_FOUND, like a
// missing id; FAILED_PRECONDITION for a request not answered yet or a challenge already
// decided. Each write stores a history event of the request.
//
// Thread-safe: holds no mutable state of its own.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_CHALLENGES_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_CHALLENGES_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/requests/request_repository.h"

namespace gongkai::catalog::requests {

class Challenges {
 public:
  // Both must outlive the Challenges.
  Challenges(RequestRepository* repository, const Clock* clock)
      : repository_(repository), clock_(clock) {}

  absl::StatusOr<v1::DisclosureChallenge> RecordChallenge(
      const auth::Principal& caller, const v1::RecordChallengeRequest& request);
  absl::StatusOr<v1::DisclosureChallenge> UpdateChallenge(
      const auth::Principal& caller, const v1::UpdateChallengeRequest& request);
  absl::StatusOr<v1::ListChallengesResponse> ListChallenges(
      const auth::Principal& caller, const v1::ListChallengesRequest& request);

 private:
  absl::CivilDay Today() const;

  RequestRepository* repository_;
  const Clock* clock_;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_CHALLENGES_H_
