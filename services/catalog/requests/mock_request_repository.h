// A gMock RequestRepository for the domain unit tests.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_MOCK_REQUEST_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_MOCK_REQUEST_REPOSITORY_H_

#include "gmock/gmock.h"
#include "services/catalog/requests/request_repository.h"

namespace gongkai::catalog::requests {

class MockRequestRepository : public RequestRepository {
 public:
  MOCK_METHOD(absl::StatusOr<std::vector<RequestYearTally>>, TallyRequestsForYear,
              (int64_t, absl::CivilDay, absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<ChallengeYearTally>>, TallyChallengesForYear,
              (int64_t, absl::CivilDay, absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const IdempotencyKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureRequest>, CreateRequest,
              (const v1::DisclosureRequest&, const RequestSecrets&, const RequestEvent&,
               const IdempotencyKey*),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureRequest>, GetRequest, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<Tracked>, FindByTrackingCode, (const std::string&), (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureRequest>, UpdateRequest,
              (const v1::DisclosureRequest&, int64_t, const RequestEvent&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::DisclosureRequest>>, ListRequests,
              (const RequestFilter&, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<int64_t>, ReplaceTrackingSecret,
              (int64_t, int64_t, const std::string&, const RequestEvent&), (override));
  MOCK_METHOD(absl::StatusOr<bool>, RefreshClocks, (const v1::DisclosureRequest&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::DisclosureRequestEvent>>, ListHistory, (int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::DisclosureRequestEvent>>, ListHistoryPage,
              (int64_t, const KeysetPage&), (override));
  MOCK_METHOD(absl::StatusOr<int>, ApplicantOrdinalInMonth, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<RequestDescription>>, ListRequestDescriptions,
              (int64_t, absl::CivilDay, absl::CivilDay, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureChallenge>, CreateChallenge,
              (const v1::DisclosureChallenge&, const RequestEvent&, const IdempotencyKey*),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureChallenge>, GetChallenge, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::DisclosureChallenge>, UpdateChallenge,
              (const v1::DisclosureChallenge&, const RequestEvent&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::DisclosureChallenge>>, ListChallenges, (int64_t),
              (override));
  MOCK_METHOD(absl::StatusOr<RequestCounts>, CountRequests, (absl::CivilDay, absl::CivilDay),
              (override));
  MOCK_METHOD(absl::StatusOr<RequestEvidence>, EvidenceForUnit, (const RequestEvidencePeriod&),
              (override));
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_MOCK_REQUEST_REPOSITORY_H_
