#include "services/catalog/units/caching_unit_repository.h"

#include <utility>

#include "services/catalog/directory_cache.h"

namespace gongkai::catalog::units {
namespace {

class CachingUnitRepository final : public UnitRepository {
 public:
  explicit CachingUnitRepository(UnitRepository* inner) : inner_(inner) {}

  absl::StatusOr<v1::Unit> GetUnit(int64_t id) override {
    return units_.GetOrLoad(id, [&] { return inner_->GetUnit(id); });
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return inner_->FindIdempotentResponse(key);
  }
  absl::StatusOr<v1::Unit> CreateUnit(const v1::Unit& unit, const IdempotencyKey* key) override {
    return inner_->CreateUnit(unit, key);
  }
  absl::StatusOr<std::vector<v1::Unit>> ListUnits(const UnitFilter& filter,
                                                  const KeysetPage& page) override {
    return inner_->ListUnits(filter, page);
  }

 private:
  UnitRepository* inner_;
  DirectoryCache<v1::Unit> units_;
};

}  // namespace

std::unique_ptr<UnitRepository> NewCachingUnitRepository(UnitRepository* inner) {
  return std::make_unique<CachingUnitRepository>(inner);
}

}  // namespace gongkai::catalog::units
