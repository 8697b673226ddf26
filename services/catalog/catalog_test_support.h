// Test helpers shared by the unit tests of the catalog's modules: principals of each
// role, Shanghai times, a valid draft document and an observer that records events.
#ifndef GONGKAI_SERVICES_CATALOG_CATALOG_TEST_SUPPORT_H_
#define GONGKAI_SERVICES_CATALOG_CATALOG_TEST_SUPPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "services/catalog/catalog_observer.h"
#include "services/catalog/repository_types.h"

namespace gongkai::catalog::catalog_testing {

inline constexpr int64_t kUnit = 7;
inline constexpr int64_t kOtherUnit = 8;

inline auth::Principal Staff(int64_t unit = kUnit) {
  return auth::Principal{"staff-a", unit, {auth::Role::kStaff}, {}};
}
inline auth::Principal Reviewer(int64_t unit = kUnit) {
  return auth::Principal{"reviewer-b", unit, {auth::Role::kReviewer}, {}};
}
inline auth::Principal Office() {
  return auth::Principal{"office-c", 1, {auth::Role::kOffice}, {}};
}

class RecordingObserver : public CatalogObserver {
 public:
  void DocumentReturned(absl::string_view kind) override { returned.emplace_back(kind); }
  void DocumentPublished() override { ++published; }
  void SelfReviewConversion() override { ++conversions; }
  void MostRequestedDecided(absl::string_view how) override {
    most_requested_decided.emplace_back(how);
  }
  std::vector<std::string> returned;
  int published = 0;
  int conversions = 0;
  std::vector<std::string> most_requested_decided;
};

inline absl::Time ShanghaiTime(int y, int m, int d, int hh = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), ShanghaiTimeZone());
}

inline v1::Document ValidDraft() {
  v1::Document d;
  d.set_title("关于印发南宁市全面推进政务公开工作实施方案的通知");
  d.set_body("各县、区人民政府，市政府各部门：……");
  d.set_drafting_unit_id(kUnit);
  d.set_issuing_authority(v1::CITY_GOVERNMENT_OFFICE);
  d.set_disclosure_attribute(v1::PROACTIVE);
  d.set_key_area(v1::EDUCATION);
  return d;
}

}  // namespace gongkai::catalog::catalog_testing

#endif  // GONGKAI_SERVICES_CATALOG_CATALOG_TEST_SUPPORT_H_
