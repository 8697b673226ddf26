// A UnitLookup over a fixed map, for tests, with a small tree like Nanning's
// (NanningUnits()). Thread-safe for readers; SetUnavailable is for tests' setup.
#ifndef GONGKAI_SERVICES_OPINION_ROUTING_FAKE_UNIT_LOOKUP_H_
#define GONGKAI_SERVICES_OPINION_ROUTING_FAKE_UNIT_LOOKUP_H_

#include <atomic>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/opinion/routing/routing.h"

namespace gongkai::opinion::routing {

inline constexpr int64_t kCity = 1;           // 南宁市人民政府
inline constexpr int64_t kCityHealth = 2;     // 市卫生健康委
inline constexpr int64_t kCityTransport = 3;  // 市交通运输局
inline constexpr int64_t kQingxiu = 4;        // 青秀区人民政府
inline constexpr int64_t kQingxiuHealth = 5;  // 青秀区卫生健康局
inline constexpr int64_t kXixiangtang = 6;    // 西乡塘区人民政府
inline constexpr int64_t kCityOffice = 7;     // 市政府办公室

class FakeUnitLookup final : public UnitLookup {
 public:
  void Add(UnitInfo unit) { units_[unit.id] = std::move(unit); }
  void SetUnavailable(bool unavailable) { unavailable_ = unavailable; }

  absl::StatusOr<UnitInfo> Get(int64_t unit_id) const override {
    if (unavailable_) return absl::UnavailableError("directory unavailable");
    auto it = units_.find(unit_id);
    if (it == units_.end()) return absl::NotFoundError(absl::StrCat("unit ", unit_id));
    return it->second;
  }

 private:
  std::map<int64_t, UnitInfo> units_;
  bool unavailable_ = false;
};

inline FakeUnitLookup NanningUnits() {
  FakeUnitLookup units;
  units.Add({kCity, "南宁市人民政府", UnitLevel::kCity, 0});
  units.Add({kCityHealth, "市卫生健康委", UnitLevel::kDepartment, kCity});
  units.Add({kCityTransport, "市交通运输局", UnitLevel::kDepartment, kCity});
  units.Add({kQingxiu, "青秀区人民政府", UnitLevel::kCounty, kCity});
  units.Add({kQingxiuHealth, "青秀区卫生健康局", UnitLevel::kDepartment, kQingxiu});
  units.Add({kXixiangtang, "西乡塘区人民政府", UnitLevel::kCounty, kCity});
  units.Add({kCityOffice, "市政府办公室", UnitLevel::kDepartment, kCity});
  return units;
}

}  // namespace gongkai::opinion::routing

#endif  // GONGKAI_SERVICES_OPINION_ROUTING_FAKE_UNIT_LOOKUP_H_
