// RuleBook: every version of the rule sets one service computes with, and which version
// applies on a given day.
//
//   auto book = std::make_shared<RuleBook>(std::vector<std::shared_ptr<const RuleSchema>>{
//       DisclosureRuleSchema()});
//   RETURN_IF_ERROR(LoadEmbeddedRuleSets(*book));                 // national defaults
//   if (!config.rules_dir.empty()) RETURN_IF_ERROR(LoadRuleSetsFromDirectory(*book, dir));
//   RETURN_IF_ERROR(SyncFromStore(*store, *book).status());       // sets put at run time
//
//   ASSIGN_OR_RETURN(auto rules, book->EffectiveOn("catalog.disclosure", received));
//   ASSIGN_OR_RETURN(Cited<int64_t> days, rules->WorkingDays("reply.working_days"));
//
// Which version applies on `day`: of the versions whose effective_from <= day, the one
// with the latest effective_from; on a tie, the highest version. So a correction is a
// new version with the same effective_from, and a change announced in advance is a new
// version effective from a later day. Ask with the day of the event the rule applies
// to (the day a request was received, a document created), not today, so a result
// stays tied to the rules of its time; Current() is for "now" questions.
//
// Versions are never replaced: putting a name+version that is already loaded with other
// content is ALREADY_EXISTS (a change needs a new version); with identical content it
// is a no-op. Every accepted new version increments Generation(), so a service can tell
// that its stored results may need recomputing (IsStale on their RuleRefs).
//
// Thread-safety: all methods may be called concurrently. Readers get immutable
// snapshots (`shared_ptr<const RuleSet>`); Put/PutAll swap in a new index under a mutex,
// so no reader sees half of a batch.
#ifndef GONGKAI_LIBS_RULES_RULE_BOOK_H_
#define GONGKAI_LIBS_RULES_RULE_BOOK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_schema.h"
#include "libs/rules/rule_set.h"

namespace gongkai::rules {

class RuleBook {
 public:
  // The schemas of the sets this service reads, one per set name. Aborts on two schemas
  // with the same name (a bug).
  explicit RuleBook(std::vector<std::shared_ptr<const RuleSchema>> schemas);
  RuleBook(const RuleBook&) = delete;
  RuleBook& operator=(const RuleBook&) = delete;

  // The schema for set `name`; nullptr when this service reads no such set.
  std::shared_ptr<const RuleSchema> SchemaFor(absl::string_view name) const;
  const std::vector<std::shared_ptr<const RuleSchema>>& schemas() const { return schemas_; }

  // Parses a set in the JSON format (rule_set_json.h) with its schema. INVALID_ARGUMENT
  // when the JSON is bad or does not fit, or (field "name") no schema has its name.
  absl::StatusOr<RuleSet> ParseJson(absl::string_view json) const;

  // Validates `set` against its schema (attaching it). INVALID_ARGUMENT as above.
  absl::Status Validate(RuleSet& set) const;

  // OK when Put(set) would succeed; ALREADY_EXISTS when name+version is loaded with
  // other content. `set` must be validated.
  absl::Status CheckNew(const RuleSet& set) const;

  // Adds a version (validating it first). Returns true when added, false when the same
  // version with identical content was already loaded. INVALID_ARGUMENT (the
  // violations) when it does not fit its schema; ALREADY_EXISTS naming name+version when
  // that version is loaded with other content.
  absl::StatusOr<bool> Put(RuleSet set);

  // Several versions at once, all or nothing, in one snapshot swap. Returns how many
  // were added. Errors as Put (the message names the set), also INVALID_ARGUMENT when the
  // batch holds one name+version twice with different content. On error nothing changes.
  absl::StatusOr<int> PutAll(std::vector<RuleSet> sets);

  // The version in effect on `day` (see the header comment). FAILED_PRECONDITION (with a
  // google.rpc.PreconditionFailure of type "RULE_SET_NOT_IN_EFFECT", subject the set
  // name) when no version of the set takes effect on or before `day`; the message names
  // the set and the day.
  absl::StatusOr<std::shared_ptr<const RuleSet>> EffectiveOn(absl::string_view name,
                                                             absl::CivilDay day) const;
  // EffectiveOn today in Asia/Shanghai.
  absl::StatusOr<std::shared_ptr<const RuleSet>> Current(absl::string_view name,
                                                         const Clock& clock) const;
  // One version. NOT_FOUND naming name+version.
  absl::StatusOr<std::shared_ptr<const RuleSet>> Get(absl::string_view name, int64_t version) const;

  // Every loaded version, by name, then version.
  std::vector<std::shared_ptr<const RuleSet>> List() const;

  // Starts at 0; +1 for every Put/PutAll that added at least one version.
  int64_t Generation() const;

  // True when the rule `ref` cites is no longer the one in effect on `day` (a newer
  // version for that day was added), or its set is not loaded.
  bool IsStale(const RuleRef& ref, absl::CivilDay day) const;

 private:
  // name → versions by version number.
  using Index =
      std::map<std::string, std::map<int64_t, std::shared_ptr<const RuleSet>>, std::less<>>;

  std::shared_ptr<const Index> snapshot() const;

  std::vector<std::shared_ptr<const RuleSchema>> schemas_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Index> index_ ABSL_GUARDED_BY(mu_);
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

// A rule-set file's name and text, e.g. from a directory or embedded at build time.
struct RuleSetFile {
  std::string name;  // "catalog.disclosure.v1.json"
  std::string contents;
};

// Parses every file with the book's schemas and puts them with PutAll (all or nothing).
// INVALID_ARGUMENT / ALREADY_EXISTS as PutAll, the message prefixed with the file name.
// Returns how many versions were added.
absl::StatusOr<int> LoadRuleSetFiles(RuleBook& book, const std::vector<RuleSetFile>& files);

// Loads every "*.json" file of `dir` (not recursing) with LoadRuleSetFiles, so an
// installation can add a version without a release. NOT_FOUND when `dir` does not
// exist or cannot be read; FAILED_PRECONDITION when it is not a directory.
absl::StatusOr<int> LoadRuleSetsFromDirectory(RuleBook& book, const std::string& dir);

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_BOOK_H_
