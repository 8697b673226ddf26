// An in-memory InterpretationRepository for the unit tests of the rules: the same
// contracts as the MySQL one (mysql_interpretation_repository_test.cc checks those
// against MariaDB), without a database. Thread-safe (one mutex). Test-only.
#ifndef GONGKAI_SERVICES_INTERPRETATION_FAKE_INTERPRETATION_REPOSITORY_H_
#define GONGKAI_SERVICES_INTERPRETATION_FAKE_INTERPRETATION_REPOSITORY_H_

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/interpretation/interpretation_repository.h"

namespace gongkai::interpretation {

class FakeInterpretationRepository final : public InterpretationRepository {
 public:
  absl::StatusOr<v1::Interpretation> Create(const v1::Interpretation& interpretation,
                                            const idempotency::Key* key, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    if (interpretation.kind() == v1::PRIMARY) {
      for (const auto& [id, stored] : interpretations_) {
        if (stored.document_id() == interpretation.document_id() && stored.kind() == v1::PRIMARY) {
          return absl::AlreadyExistsError("duplicate primary interpretation");
        }
      }
    }
    v1::Interpretation stored = interpretation;
    stored.set_id(++next_id_);
    *stored.mutable_create_time() = ToTimestamp(now);
    *stored.mutable_update_time() = ToTimestamp(now);
    stored.set_version(1);
    interpretations_[stored.id()] = stored;
    if (key != nullptr) responses_[KeyText(*key)] = stored.SerializeAsString();
    ++writes_;
    return stored;
  }

  absl::StatusOr<v1::Interpretation> Get(int64_t id) override {
    absl::MutexLock lock(&mu_);
    return GetLocked(id);
  }

  absl::StatusOr<std::optional<v1::Interpretation>> FindPrimary(int64_t document_id) override {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, stored] : interpretations_) {
      if (stored.document_id() == document_id && stored.kind() == v1::PRIMARY) {
        return std::optional<v1::Interpretation>(stored);
      }
    }
    return std::optional<v1::Interpretation>();
  }

  absl::StatusOr<std::optional<PrimaryStatus>> FindPrimaryStatus(int64_t document_id) override {
    ASSIGN_OR_RETURN(std::optional<v1::Interpretation> primary, FindPrimary(document_id));
    if (!primary.has_value()) return std::optional<PrimaryStatus>();
    return std::optional<PrimaryStatus>(
        PrimaryStatus{primary->id(), primary->unit_id(), primary->state()});
  }

  absl::StatusOr<v1::Interpretation> Update(const v1::Interpretation& interpretation,
                                            int64_t expected_version, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    return UpdateLocked(interpretation, expected_version, now);
  }

  absl::StatusOr<v1::Interpretation> UpdateApproved(int64_t id, int64_t expected_version,
                                                    const ApprovalDecision& decide,
                                                    absl::Time now) override {
    absl::MutexLock lock(&mu_);
    ASSIGN_OR_RETURN(v1::Interpretation stored, GetLocked(id));
    if (stored.version() != expected_version) return absl::AbortedError("stale version");
    auto publication = publications_.find(stored.document_id());
    ASSIGN_OR_RETURN(ApprovalOutcome decided,
                     decide(publication == publications_.end()
                                ? std::optional<Publication>()
                                : std::optional<Publication>(publication->second)));
    ASSIGN_OR_RETURN(v1::Interpretation updated,
                     UpdateLocked(decided.interpretation, expected_version, now));
    // The outbox row commits with the update (here: under the same lock).
    if (decided.message.has_value()) outbox_.push_back(*decided.message);
    return updated;
  }

  absl::StatusOr<v1::Interpretation> AddRelease(int64_t interpretation_id,
                                                const v1::ReleaseRecord& release,
                                                const idempotency::Key* key,
                                                absl::Time now) override {
    absl::MutexLock lock(&mu_);
    auto it = interpretations_.find(interpretation_id);
    if (it == interpretations_.end()) return absl::NotFoundError("no interpretation");
    v1::ReleaseRecord* added = it->second.add_releases();
    *added = release;
    added->set_id(++next_release_id_);
    *added->mutable_record_time() = ToTimestamp(now);
    it->second.set_version(it->second.version() + 1);
    if (key != nullptr) responses_[KeyText(*key)] = it->second.SerializeAsString();
    ++writes_;
    return it->second;
  }

  absl::StatusOr<std::vector<v1::Interpretation>> List(const InterpretationFilter& filter,
                                                       int64_t before_id, int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<v1::Interpretation> result;
    for (auto it = interpretations_.rbegin(); it != interpretations_.rend(); ++it) {
      const v1::Interpretation& i = it->second;
      if (before_id > 0 && i.id() >= before_id) continue;
      if (filter.document_id != 0 && i.document_id() != filter.document_id) continue;
      if (filter.unit_id != 0 && i.unit_id() != filter.unit_id) continue;
      if (filter.state != v1::INTERPRETATION_STATE_UNSPECIFIED && i.state() != filter.state) {
        continue;
      }
      if (filter.released_or_units && i.state() != v1::RELEASED &&
          std::find(filter.readable_units.begin(), filter.readable_units.end(), i.unit_id()) ==
              filter.readable_units.end()) {
        continue;
      }
      result.push_back(i);
      if (static_cast<int>(result.size()) == limit) break;
    }
    return result;
  }

  absl::StatusOr<AppliedPublication> ApplyPublication(const PublicationRelease& release) override {
    absl::MutexLock lock(&mu_);
    AppliedPublication applied;
    const Publication& p = release.publication;
    if (publications_.count(p.document_id) > 0) {
      applied.already_applied = true;
      return applied;
    }
    publications_[p.document_id] = p;
    for (auto& [id, i] : interpretations_) {
      if (i.document_id() != p.document_id) continue;
      if (!i.has_document_publish_time()) {
        *i.mutable_document_publish_time() = ToTimestamp(p.publish_time);
      }
      if (i.state() != v1::APPROVED) continue;
      i.set_state(v1::RELEASED);
      *i.mutable_release_time() = ToTimestamp(p.publish_time);
      i.set_release_lag_working_days(0);
      i.set_late(false);
      i.set_lag_rule(release.lag_rule);
      i.set_version(i.version() + 1);
      applied.released_ids.push_back(id);
    }
    ++writes_;
    return applied;
  }

  absl::StatusOr<std::vector<AppliedPublication>> ApplyPublications(
      const std::vector<PublicationRelease>& releases) override {
    std::vector<AppliedPublication> applied;
    for (const PublicationRelease& release : releases) {
      ASSIGN_OR_RETURN(AppliedPublication one, ApplyPublication(release));
      applied.push_back(std::move(one));
    }
    absl::MutexLock lock(&mu_);
    ++batches_;
    return applied;
  }

  // ApplyPublications calls (each one transaction in the real repository).
  int batches() {
    absl::MutexLock lock(&mu_);
    return batches_;
  }

  absl::StatusOr<std::optional<Publication>> FindPublication(int64_t document_id) override {
    absl::MutexLock lock(&mu_);
    auto it = publications_.find(document_id);
    if (it == publications_.end()) return std::optional<Publication>();
    return std::optional<Publication>(it->second);
  }

  absl::Status RecordPublication(const Publication& publication, absl::Time now) override {
    (void)now;
    absl::MutexLock lock(&mu_);
    if (publications_.count(publication.document_id) > 0) return absl::OkStatus();
    publications_[publication.document_id] = publication;
    for (auto& [id, i] : interpretations_) {
      if (i.document_id() == publication.document_id && !i.has_document_publish_time()) {
        *i.mutable_document_publish_time() = ToTimestamp(publication.publish_time);
      }
    }
    ++writes_;
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<ApprovedPrimary>> ListApprovedPrimaries(int64_t after_id,
                                                                     int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<ApprovedPrimary> result;
    for (auto it = interpretations_.upper_bound(after_id);
         it != interpretations_.end() && static_cast<int>(result.size()) < limit; ++it) {
      if (it->second.kind() == v1::PRIMARY && it->second.state() == v1::APPROVED) {
        result.push_back({it->first, it->second.document_id(), it->second.version()});
      }
    }
    return result;
  }

  absl::StatusOr<std::vector<PublicationWithInterpretation>> ListPublications(
      int64_t unit_id, int64_t before_document_id, int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<PublicationWithInterpretation> result;
    for (auto it = publications_.rbegin(); it != publications_.rend(); ++it) {
      if (unit_id != 0 && it->second.unit_id != unit_id) continue;
      if (before_document_id > 0 && it->first >= before_document_id) continue;
      result.push_back(WithPrimaryLocked(it->second));
      if (static_cast<int>(result.size()) == limit) break;
    }
    return result;
  }

  absl::StatusOr<std::vector<PublicationWithInterpretation>> PublicationsInPeriod(
      int64_t unit_id, absl::Time start, absl::Time end) override {
    absl::MutexLock lock(&mu_);
    std::vector<PublicationWithInterpretation> result;
    for (const auto& [id, p] : publications_) {
      if (p.unit_id == unit_id && p.publish_time >= start && p.publish_time < end) {
        result.push_back(WithPrimaryLocked(p));
      }
    }
    return result;
  }

  absl::StatusOr<std::map<v1::InterpretationState, int64_t>> CountByState() override {
    absl::MutexLock lock(&mu_);
    std::map<v1::InterpretationState, int64_t> counts;
    for (const auto& [id, i] : interpretations_) ++counts[i.state()];
    return counts;
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    absl::MutexLock lock(&mu_);
    auto it = responses_.find(KeyText(key));
    if (it == responses_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  // The outbox messages stored with approvals, in order.
  std::vector<OutboxMessage> outbox() {
    absl::MutexLock lock(&mu_);
    return outbox_;
  }

  // Writes that changed something (creates, updates, releases, publications).
  int writes() {
    absl::MutexLock lock(&mu_);
    return writes_;
  }

 private:
  static std::string KeyText(const idempotency::Key& key) {
    return absl::StrCat(key.subject, "|", key.method, "|", key.request_id);
  }

  absl::StatusOr<v1::Interpretation> GetLocked(int64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = interpretations_.find(id);
    if (it == interpretations_.end()) {
      return absl::NotFoundError(absl::StrCat("interpretation ", id, " not found"));
    }
    return it->second;
  }

  absl::StatusOr<v1::Interpretation> UpdateLocked(const v1::Interpretation& interpretation,
                                                  int64_t expected_version, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = interpretations_.find(interpretation.id());
    if (it == interpretations_.end()) return absl::NotFoundError("no interpretation");
    if (it->second.version() != expected_version) return absl::AbortedError("stale version");
    v1::Interpretation stored = interpretation;
    *stored.mutable_releases() = it->second.releases();
    stored.set_version(expected_version + 1);
    *stored.mutable_update_time() = ToTimestamp(now);
    it->second = stored;
    ++writes_;
    return stored;
  }

  PublicationWithInterpretation WithPrimaryLocked(const Publication& p)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    PublicationWithInterpretation entry;
    entry.publication = p;
    for (const auto& [id, i] : interpretations_) {
      if (i.document_id() == p.document_id && i.kind() == v1::PRIMARY) entry.primary = i;
    }
    return entry;
  }

  absl::Mutex mu_;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_release_id_ ABSL_GUARDED_BY(mu_) = 0;
  int writes_ ABSL_GUARDED_BY(mu_) = 0;
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int64_t, v1::Interpretation> interpretations_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, Publication> publications_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> responses_ ABSL_GUARDED_BY(mu_);
  std::vector<OutboxMessage> outbox_ ABSL_GUARDED_BY(mu_);
};

// A DocumentLookup over documents the test puts in.
class FakeDocumentLookup final : public DocumentLookup {
 public:
  void Put(const catalog::v1::Document& document) {
    absl::MutexLock lock(&mu_);
    documents_[document.id()] = document;
  }
  void SetUnavailable(bool unavailable) {
    absl::MutexLock lock(&mu_);
    unavailable_ = unavailable;
  }
  absl::StatusOr<catalog::v1::Document> GetDocument(int64_t document_id) override {
    absl::MutexLock lock(&mu_);
    if (unavailable_) return absl::UnavailableError("the catalog cannot be reached");
    auto it = documents_.find(document_id);
    if (it == documents_.end()) return absl::NotFoundError("no such document");
    return it->second;
  }

 private:
  absl::Mutex mu_;
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  std::map<int64_t, catalog::v1::Document> documents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_FAKE_INTERPRETATION_REPOSITORY_H_
