#include "libs/rules/rule_book.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/rules/rule_set_json.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::rules {
namespace {

absl::Status Conflict(const RuleSet& set) {
  return absl::AlreadyExistsError(
      absl::StrCat("rule set ", set.name, " v", set.version,
                   " is already loaded with other content; a change needs a new version"));
}

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  absl::Status out(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

}  // namespace

RuleBook::RuleBook(std::vector<std::shared_ptr<const RuleSchema>> schemas)
    : schemas_(std::move(schemas)), index_(std::make_shared<const Index>()) {
  for (size_t i = 0; i < schemas_.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (schemas_[i]->name() == schemas_[j]->name()) {
        std::fprintf(stderr, "rules: two schemas for rule set %s\n", schemas_[i]->name().c_str());
        std::abort();
      }
    }
  }
}

std::shared_ptr<const RuleSchema> RuleBook::SchemaFor(absl::string_view name) const {
  for (const auto& schema : schemas_) {
    if (schema->name() == name) return schema;
  }
  return nullptr;
}

absl::StatusOr<RuleSet> RuleBook::ParseJson(absl::string_view json) const {
  ASSIGN_OR_RETURN(std::string name, RuleSetNameOfJson(json));
  std::shared_ptr<const RuleSchema> schema = SchemaFor(name);
  if (schema == nullptr) {
    return InvalidField("name",
                        absl::StrCat("this service reads no rule set named \"", name, "\""));
  }
  return ParseRuleSetJson(json, std::move(schema));
}

absl::Status RuleBook::Validate(RuleSet& set) const {
  std::shared_ptr<const RuleSchema> schema = SchemaFor(set.name);
  if (schema == nullptr) {
    return InvalidField("name",
                        absl::StrCat("this service reads no rule set named \"", set.name, "\""));
  }
  return ValidateRuleSet(set, std::move(schema));
}

std::shared_ptr<const RuleBook::Index> RuleBook::snapshot() const {
  absl::MutexLock lock(&mu_);
  return index_;
}

absl::Status RuleBook::CheckNew(const RuleSet& set) const {
  const std::shared_ptr<const Index> index = snapshot();
  auto named = index->find(set.name);
  if (named == index->end()) return absl::OkStatus();
  auto it = named->second.find(set.version);
  if (it != named->second.end() && *it->second != set) return Conflict(set);
  return absl::OkStatus();
}

absl::StatusOr<bool> RuleBook::Put(RuleSet set) {
  std::vector<RuleSet> one;
  one.push_back(std::move(set));
  ASSIGN_OR_RETURN(int added, PutAll(std::move(one)));
  return added > 0;
}

absl::StatusOr<int> RuleBook::PutAll(std::vector<RuleSet> sets) {
  for (RuleSet& set : sets) {
    absl::Status valid = Validate(set);
    if (!valid.ok()) {
      return Prefixed(valid, absl::StrCat("rule set ", set.name, " v", set.version, ": "));
    }
  }
  absl::MutexLock lock(&mu_);
  std::shared_ptr<Index> next;  // Copied from index_ at the first real change.
  int added = 0;
  for (RuleSet& set : sets) {
    const Index& current = next != nullptr ? *next : *index_;
    auto named = current.find(set.name);
    if (named != current.end()) {
      auto it = named->second.find(set.version);
      if (it != named->second.end()) {
        if (*it->second != set) return Conflict(set);
        continue;
      }
    }
    if (next == nullptr) next = std::make_shared<Index>(*index_);
    auto& versions = (*next)[set.name];
    const int64_t version = set.version;
    versions[version] = std::make_shared<const RuleSet>(std::move(set));
    ++added;
  }
  if (next != nullptr) {
    index_ = std::move(next);
    ++generation_;
  }
  return added;
}

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleBook::EffectiveOn(absl::string_view name,
                                                                     absl::CivilDay day) const {
  const std::shared_ptr<const Index> index = snapshot();
  std::shared_ptr<const RuleSet> best;
  if (auto named = index->find(name); named != index->end()) {
    for (const auto& [version, set] : named->second) {
      if (set->effective_from > day) continue;
      // Versions ascend, so on an equal effective_from the later (higher) one wins.
      if (best == nullptr || set->effective_from >= best->effective_from) best = set;
    }
  }
  if (best == nullptr) {
    return PreconditionFailed("RULE_SET_NOT_IN_EFFECT", name,
                              absl::StrCat("no version of rule set ", name, " is in effect on ",
                                           absl::FormatCivilTime(day)));
  }
  return best;
}

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleBook::Current(absl::string_view name,
                                                                 const Clock& clock) const {
  return EffectiveOn(name, absl::ToCivilDay(clock.Now(), ShanghaiTimeZone()));
}

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleBook::Get(absl::string_view name,
                                                             int64_t version) const {
  const std::shared_ptr<const Index> index = snapshot();
  if (auto named = index->find(name); named != index->end()) {
    if (auto it = named->second.find(version); it != named->second.end()) return it->second;
  }
  return absl::NotFoundError(absl::StrCat("rule set ", name, " v", version, " is not loaded"));
}

std::vector<std::shared_ptr<const RuleSet>> RuleBook::List() const {
  const std::shared_ptr<const Index> index = snapshot();
  std::vector<std::shared_ptr<const RuleSet>> out;
  for (const auto& [name, versions] : *index) {
    for (const auto& [version, set] : versions) out.push_back(set);
  }
  return out;
}

int64_t RuleBook::Generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

bool RuleBook::IsStale(const RuleRef& ref, absl::CivilDay day) const {
  absl::StatusOr<std::shared_ptr<const RuleSet>> now = EffectiveOn(ref.set, day);
  return !now.ok() || (*now)->version != ref.version;
}

absl::StatusOr<int> LoadRuleSetFiles(RuleBook& book, const std::vector<RuleSetFile>& files) {
  std::vector<RuleSet> sets;
  std::vector<const RuleSetFile*> origin;
  for (const RuleSetFile& file : files) {
    absl::StatusOr<RuleSet> set = book.ParseJson(file.contents);
    if (!set.ok()) return Prefixed(set.status(), absl::StrCat(file.name, ": "));
    for (size_t i = 0; i < sets.size(); ++i) {
      if (sets[i].name == set->name && sets[i].version == set->version && sets[i] != *set) {
        return InvalidField(
            "version", absl::StrCat(file.name, " and ", origin[i]->name, " both hold ", set->name,
                                    " v", set->version, " with different content"));
      }
    }
    sets.push_back(*std::move(set));
    origin.push_back(&file);
  }
  absl::StatusOr<int> added = book.PutAll(std::move(sets));
  if (!added.ok() && files.size() == 1) return Prefixed(added.status(), files[0].name + ": ");
  return added;
}

absl::StatusOr<int> LoadRuleSetsFromDirectory(RuleBook& book, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (ec || !fs::exists(status)) {
    return absl::NotFoundError(absl::StrCat("rule set directory ", dir, " does not exist"));
  }
  if (!fs::is_directory(status)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  }
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && absl::EndsWith(it->path().filename().string(), ".json")) {
      paths.push_back(it->path().string());
    }
  }
  if (ec) return absl::NotFoundError(absl::StrCat("cannot read ", dir, ": ", ec.message()));
  std::sort(paths.begin(), paths.end());
  std::vector<RuleSetFile> files;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    files.push_back({fs::path(path).filename().string(), text.str()});
  }
  return LoadRuleSetFiles(book, files);
}

}  // namespace gongkai::rules
