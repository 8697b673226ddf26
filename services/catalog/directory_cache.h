// A bounded, thread-safe map from id to a message that never changes once created
// (units, categories: the API has no call that changes or deletes them), for the
// caching repository decorators (units/, catalog_items/). A message found once exists
// for good, so it is kept until the process ends; at most `max_entries` are kept.
//
//   DirectoryCache<v1::Unit> units_;
//   return units_.GetOrLoad(id, [&] { return inner_->GetUnit(id); });
#ifndef GONGKAI_SERVICES_CATALOG_DIRECTORY_CACHE_H_
#define GONGKAI_SERVICES_CATALOG_DIRECTORY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::catalog {

template <typename Message>
class DirectoryCache {
 public:
  // A city has hundreds of units and categories.
  explicit DirectoryCache(size_t max_entries = 10000) : max_entries_(max_entries) {}

  // The cached message of `id`, else `load()` (remembered when OK).
  template <typename Load>
  absl::StatusOr<Message> GetOrLoad(int64_t id, Load load) {
    {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(id);
      if (it != entries_.end()) return it->second;
    }
    absl::StatusOr<Message> loaded = load();
    if (loaded.ok()) {
      absl::MutexLock lock(&mu_);
      if (entries_.size() < max_entries_) entries_.emplace(id, *loaded);
    }
    return loaded;
  }

 private:
  const size_t max_entries_;
  absl::Mutex mu_;
  std::unordered_map<int64_t, Message> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::catalog

#endif  // GONGKAI_SERVICES_CATALOG_DIRECTORY_CACHE_H_
