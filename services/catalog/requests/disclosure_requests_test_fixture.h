// The fixture the unit tests of DisclosureRequests share (disclosure_requests_test.cc,
// disclosure_request_answers_test.cc): a mock repository that keeps what it is given, a
// fake clock at noon in Shanghai, the test rule book and the built-in calendar.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_TEST_FIXTURE_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_TEST_FIXTURE_H_

#include "services/catalog/requests/disclosure_requests.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/cord.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/crypto/sha256.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "services/catalog/catalog_rule_sets_testing.h"
#include "services/catalog/documents/mock_document_repository.h"
#include "services/catalog/requests/challenges.h"
#include "services/catalog/requests/mock_request_repository.h"
#include "services/catalog/requests/tracking_secret.h"
#include "services/catalog/units/mock_unit_repository.h"

namespace gongkai::catalog::requests {

using auth::Principal;
using auth::Role;
using ::gongkai::db::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::NiceMock;
using ::testing::Return;

inline constexpr int64_t kUnit = 7;
inline constexpr char kApplicantKeySecret[] = "test-applicant-key-secret-of-32-bytes!";

inline absl::Time NoonInShanghai(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), 12, 0, 0),
                         ShanghaiTimeZone());
}

inline std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

// The `type` of each PreconditionFailure violation carried by `status`.
inline std::vector<std::string> PreconditionTypes(const absl::Status& status) {
  std::vector<std::string> types;
  auto payload = status.GetPayload(kPreconditionFailureTypeUrl);
  google::rpc::PreconditionFailure failure;
  if (!payload.has_value() || !failure.ParseFromString(std::string(*payload))) return types;
  for (const auto& v : failure.violations()) types.push_back(v.type());
  return types;
}

inline Principal StaffOf(std::string subject, int64_t unit) {
  Principal p;
  p.subject = std::move(subject);
  p.unit_id = unit;
  p.roles = {Role::kStaff};
  return p;
}

inline absl::CivilDay Day(const common::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

// A mock repository that keeps what it is given, so a request can be moved through its
// lifecycle; tests add expectations on top (e.g. Times(0) for "nothing written").
class DisclosureRequestsTest : public ::testing::Test {
 protected:
  DisclosureRequestsTest() : clock_(NoonInShanghai(absl::CivilDay(2024, 9, 27))) {
    calendar_ = *calendar::NewBuiltinCalendar();
    requests_ = std::make_unique<DisclosureRequests>(&repository_, &units_, &documents_, calendar_,
                                                     catalog_testing::NationalRuleBook(), &clock_,
                                                     nullptr, kApplicantKeySecret);
    challenges_ = std::make_unique<Challenges>(&repository_, &clock_);
    ON_CALL(repository_, FindIdempotentResponse(_)).WillByDefault(Return(std::nullopt));
    ON_CALL(units_, GetUnit(_)).WillByDefault(Return(v1::Unit()));
    ON_CALL(repository_, CreateRequest(_, _, _, _))
        .WillByDefault(Invoke([this](const v1::DisclosureRequest& r, const RequestSecrets& s,
                                     const RequestEvent& e, const IdempotencyKey*) {
          v1::DisclosureRequest stored = r;
          stored.set_id(++next_id_);
          stored.set_version(1);
          store_[stored.id()] = stored;
          secrets_[stored.id()] = s;
          events_.push_back(e);
          return absl::StatusOr<v1::DisclosureRequest>(stored);
        }));
    ON_CALL(repository_, GetRequest(_)).WillByDefault(Invoke([this](int64_t id) {
      auto it = store_.find(id);
      if (it == store_.end())
        return absl::StatusOr<v1::DisclosureRequest>(absl::NotFoundError("no"));
      return absl::StatusOr<v1::DisclosureRequest>(it->second);
    }));
    ON_CALL(repository_, UpdateRequest(_, _, _))
        .WillByDefault(
            Invoke([this](const v1::DisclosureRequest& r, int64_t expected, const RequestEvent& e) {
              v1::DisclosureRequest stored = r;
              stored.set_version(expected + 1);
              store_[r.id()] = stored;
              events_.push_back(e);
              return absl::StatusOr<v1::DisclosureRequest>(stored);
            }));
  }

  void SetToday(absl::CivilDay day) { clock_.Set(NoonInShanghai(day)); }

  // Files an online request as the public on `day`; returns its id.
  int64_t FileOnline(absl::CivilDay day, std::string* secret = nullptr) {
    SetToday(day);
    absl::StatusOr<v1::FileRequestResponse> filed =
        requests_->FileRequest(Principal::Anonymous(), ValidFiling());
    EXPECT_TRUE(filed.ok()) << filed.status();
    if (!filed.ok()) return 0;
    if (secret != nullptr) *secret = filed->tracking_secret();
    return filed->request().id();
  }

  static v1::FileRequestRequest ValidFiling() {
    v1::FileRequestRequest req;
    req.set_unit_id(kUnit);
    req.mutable_applicant()->set_type(v1::APPLICANT_NATURAL_PERSON);
    req.mutable_applicant()->set_name("张三");
    req.mutable_applicant()->set_id_number("110101199003070000");
    req.mutable_applicant()->set_contact("13800000000");
    req.set_subject("2024年老旧小区改造项目清单");
    return req;
  }

  const Principal staff_ = StaffOf("alice", kUnit);
  const Principal other_staff_ = StaffOf("bob", kUnit + 1);
  // NAT-7: the head of the disclosure office (the general office, role OFFICE).
  const Principal office_head_{"office-head", std::nullopt, {auth::Role::kOffice}, {}};
  NiceMock<MockRequestRepository> repository_;
  NiceMock<units::MockUnitRepository> units_;
  NiceMock<documents::MockDocumentRepository> documents_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::unique_ptr<DisclosureRequests> requests_;
  std::unique_ptr<Challenges> challenges_;
  std::map<int64_t, v1::DisclosureRequest> store_;
  std::map<int64_t, RequestSecrets> secrets_;
  std::vector<RequestEvent> events_;
  int64_t next_id_ = 0;
};

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_DISCLOSURE_REQUESTS_TEST_FIXTURE_H_
