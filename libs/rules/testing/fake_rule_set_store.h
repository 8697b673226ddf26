// An in-memory RuleSetStore for tests of code that stores and syncs rule sets. Insert
// behaves like MySqlRuleSetStore (insert-only, identical content is a no-op, other
// content ALREADY_EXISTS); `fail_with` makes every call fail, e.g. UNAVAILABLE.
// Thread-safe. Header-only test support.
#ifndef GONGKAI_LIBS_RULES_TESTING_FAKE_RULE_SET_STORE_H_
#define GONGKAI_LIBS_RULES_TESTING_FAKE_RULE_SET_STORE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/rule_set_store.h"

namespace gongkai::rules::testing {

class FakeRuleSetStore final : public RuleSetStore {
 public:
  absl::StatusOr<bool> Insert(const RuleSet& set, absl::string_view created_by,
                              absl::Time create_time) override {
    absl::MutexLock lock(&mu_);
    if (!fail_with_.ok()) return fail_with_;
    const std::string body = RuleSetToJson(set);
    auto key = std::make_pair(set.name, set.version);
    if (auto it = rows_.find(key); it != rows_.end()) {
      if (it->second.body == body) return false;
      return absl::AlreadyExistsError(absl::StrCat("rule set ", set.name, " v", set.version,
                                                   " is already stored with other content"));
    }
    rows_[key] = StoredRuleSet{
        set.name, set.version, set.effective_from, body, "", std::string(created_by), create_time};
    return true;
  }

  absl::StatusOr<std::vector<StoredRuleSet>> List() override {
    absl::MutexLock lock(&mu_);
    if (!fail_with_.ok()) return fail_with_;
    std::vector<StoredRuleSet> out;
    for (const auto& [key, row] : rows_) out.push_back(row);
    return out;
  }

  // Stores a row as is (e.g. one written by a newer release), bypassing Insert.
  void AddRaw(StoredRuleSet row) {
    absl::MutexLock lock(&mu_);
    rows_[std::make_pair(row.name, row.version)] = std::move(row);
  }

  void set_fail_with(absl::Status status) {
    absl::MutexLock lock(&mu_);
    fail_with_ = std::move(status);
  }

 private:
  absl::Mutex mu_;
  std::map<std::pair<std::string, int64_t>, StoredRuleSet> rows_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::rules::testing

#endif  // GONGKAI_LIBS_RULES_TESTING_FAKE_RULE_SET_STORE_H_
