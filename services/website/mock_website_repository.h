// gMock double of WebsiteRepository for unit tests of the domain (website.h) and the
// background workers (supervision/run_worker.h) without a database.
#ifndef GONGKAI_SERVICES_WEBSITE_MOCK_WEBSITE_REPOSITORY_H_
#define GONGKAI_SERVICES_WEBSITE_MOCK_WEBSITE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/website/website_repository.h"

namespace gongkai::website {

class MockWebsiteRepository : public WebsiteRepository {
 public:
  MOCK_METHOD(absl::StatusOr<v1::Site>, CreateSite,
              (v1::Site, const SiteChange&, absl::Time, const idempotency::Key*, absl::Time),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Site>, GetSite, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Site>>, ListSites, (int64_t, int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Site>, UpdateSite,
              (v1::Site, const SiteChange&, absl::Time, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::SiteHistoryEntry>>, ListHistory,
              (int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Column>, CreateColumn,
              (v1::Column, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Column>>, ListColumns, (int64_t, int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<int64_t>, CountColumns, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<ClaimedSlot>>, ClaimDueSlots,
              (const std::string&, absl::Time, absl::Duration, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Probe>, RecordProbe,
              (v1::Probe, const std::optional<std::string>&, absl::Time, absl::Time,
               const std::optional<scoring::SlotGap>&),
              (override));
  MOCK_METHOD(absl::Status, ReleaseSlot, (int64_t, const std::string&, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Probe>>, ListProbes, (int64_t, int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<int>, UpsertMessages, (int64_t, const std::vector<v1::Message>&),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SevereError>, CreateSevereError,
              (v1::SevereError, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<scoring::EvaluationInput>, LoadEvaluationInput,
              (const v1::Site&, absl::CivilDay, absl::Time, absl::Time, absl::Time, absl::CivilDay,
               absl::Duration),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::SupervisionRun>, CreateRun,
              (v1::SupervisionRun, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::SupervisionRun>, GetRun, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<v1::SupervisionRun>, CancelRun, (int64_t, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::optional<v1::SupervisionRun>>, ClaimRun,
              (const std::string&, absl::Time, absl::Duration), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Site>>, SitesForRun, (v1::RunKind, int64_t, int),
              (override));
  MOCK_METHOD(absl::Status, RecordRunProgress,
              (int64_t, const std::string&, const RunProgress&, absl::Time, absl::Duration),
              (override));
  MOCK_METHOD(absl::Status, ReleaseRun, (int64_t, const std::string&), (override));
  MOCK_METHOD(absl::StatusOr<AnnualFacts>, LoadAnnualFacts,
              (const v1::Site&, absl::CivilDay, absl::CivilDay, absl::Time, absl::Time),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::SupervisionResult>>, ListResults,
              (int64_t, int64_t, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Notice>, CreateNotice,
              (v1::Notice, const idempotency::Key*, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<v1::Notice>, GetNotice, (int64_t), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Notice>>, ListNotices, (int64_t, int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Notice>, UpdateNotice, (v1::Notice, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Notice>>, ListUnrectifiedNotices, (int64_t, int),
              (override));
  MOCK_METHOD(absl::StatusOr<v1::Notice>, UpdateRectifyBy, (v1::Notice, absl::Time), (override));
  MOCK_METHOD(absl::StatusOr<WebsiteGauges>, ReadGauges,
              (absl::Time, absl::Duration, absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<UnitPlatformFacts>, ReadUnitPlatformFacts,
              (int64_t, absl::CivilDay, absl::CivilDay, absl::CivilDay), (override));
  MOCK_METHOD(absl::StatusOr<std::optional<std::string>>, FindIdempotentResponse,
              (const idempotency::Key&), (override));
};

}  // namespace gongkai::website

#endif  // GONGKAI_SERVICES_WEBSITE_MOCK_WEBSITE_REPOSITORY_H_
