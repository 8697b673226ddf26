#include "services/catalog/documents/caching_document_repository.h"

#include <algorithm>
#include <chrono>
#include <list>
#include <unordered_map>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::catalog::documents {
namespace {

using DocumentList = std::vector<v1::Document>;

// The cache key of a list page or search: every input of the repository call.
std::string ListKey(char kind, const DocumentFilter& f, const std::vector<std::string>& terms,
                    const KeysetPage& page) {
  // An unset time is "-", which no number is.
  const auto micros = [](const std::optional<absl::Time>& t) {
    return t ? absl::StrCat(absl::ToUnixMicros(*t)) : std::string("-");
  };
  std::string key = absl::StrCat(
      std::string(1, kind), "u", f.drafting_unit_id, "c", f.category_id, "k", f.key_area, "a",
      f.attribute, "s", f.state, "f", micros(f.created_from), "t", micros(f.created_before), "r",
      f.in_force_only, "b", f.omit_body, "p", page.after_id, "l", page.limit);
  // Terms are separated by a byte no term holds (search_terms.h keeps letters, digits
  // and CJK characters only).
  for (const std::string& term : terms) absl::StrAppend(&key, "\x1f", term);
  return key;
}

// Public list pages and search results on a lease (caching_document_repository.h),
// least recently used first out within `max_bytes`. Thread-safe.
class LeasedListCache {
 public:
  LeasedListCache(size_t max_bytes, absl::Duration max_staleness)
      : max_bytes_(max_bytes), max_staleness_(max_staleness) {}

  bool enabled() const { return max_bytes_ > 0 && max_staleness_ > absl::ZeroDuration(); }

  struct Found {
    std::shared_ptr<const DocumentList> rows;  // Null: not cached (or past its lease).
    bool refresh = false;                      // This caller reloads it.
    uint64_t generation = 0;                   // Of this replica's writes, when looked up.
  };

  Found Find(const std::string& key, absl::Duration now) {
    Found found;
    absl::MutexLock lock(&mu_);
    found.generation = generation_;
    auto it = index_.find(key);
    if (it == index_.end()) {
      ++misses_;
      return found;
    }
    Entry& entry = *it->second;
    const absl::Duration age = now - entry.loaded_at;
    if (age >= max_staleness_) {
      ++misses_;  // Past its lease: never served.
      EraseLocked(it);
      return found;
    }
    ++hits_;
    lru_.splice(lru_.begin(), lru_, it->second);
    found.rows = entry.rows;
    if (!entry.refreshing && age >= max_staleness_ / 2) {
      entry.refreshing = true;
      found.refresh = true;
    }
    return found;
  }

  // Keeps `rows`, read by a call sent at `sent` after a Find that saw `generation`,
  // unless this replica wrote documents since (the rows may predate that write).
  void Store(const std::string& key, const DocumentList& rows, absl::Duration sent,
             uint64_t generation) {
    size_t bytes = sizeof(Entry) + 2 * key.size();
    for (const v1::Document& d : rows) bytes += d.ByteSizeLong() + sizeof(v1::Document);
    std::shared_ptr<const DocumentList> shared;
    if (bytes <= max_bytes_ / 4) shared = std::make_shared<const DocumentList>(rows);
    absl::MutexLock lock(&mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      if (it->second->loaded_at > sent || generation != generation_) {
        it->second->refreshing = false;  // A newer copy is there, or this one may be stale.
        return;
      }
      EraseLocked(it);
    }
    if (shared == nullptr || generation != generation_) return;
    lru_.push_front(Entry{key, bytes, std::move(shared), sent});
    index_[key] = lru_.begin();
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !lru_.empty()) {
      bytes_ -= lru_.back().bytes;
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
  }

  // A reload failed: the copy stays in use until its lease ends; a later read retries.
  void RefreshFailed(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(key);
    if (it != index_.end()) it->second->refreshing = false;
  }

  // After this replica changed a document: nothing cached before is served again.
  void Invalidate() {
    absl::MutexLock lock(&mu_);
    ++generation_;
    index_.clear();
    lru_.clear();
    bytes_ = 0;
  }

  void AddStats(DocumentCacheStats& stats) const {
    absl::MutexLock lock(&mu_);
    stats.list_hits = hits_;
    stats.list_misses = misses_;
    stats.list_entries = static_cast<int64_t>(index_.size());
    stats.list_bytes = static_cast<int64_t>(bytes_);
  }

 private:
  struct Entry {
    std::string key;
    size_t bytes;
    std::shared_ptr<const DocumentList> rows;
    absl::Duration loaded_at;  // When the read that returned `rows` was sent.
    bool refreshing = false;
  };
  using Position = std::list<Entry>::iterator;

  void EraseLocked(std::unordered_map<std::string, Position>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }

  const size_t max_bytes_;
  const absl::Duration max_staleness_;
  mutable absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Position> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

class CachingDocumentRepository final : public DocumentRepository, public DocumentCache {
 public:
  explicit CachingDocumentRepository(DocumentRepository* inner, DocumentCacheOptions options)
      : inner_(inner),
        max_bytes_(options.max_bytes),
        max_staleness_(std::max(absl::ZeroDuration(), options.max_staleness)),
        now_(options.monotonic_now ? std::move(options.monotonic_now) : SteadyNow),
        lists_(options.max_list_bytes, max_staleness_) {}

  absl::StatusOr<v1::Document> GetDocument(int64_t id) override {
    std::shared_ptr<const v1::Document> cached;
    bool refresh = false;
    {
      absl::MutexLock lock(&mu_);
      auto it = index_.find(id);
      if (it != index_.end()) {
        Entry& entry = *it->second;
        const absl::Duration age = entry.leased ? now_() - entry.loaded_at : absl::ZeroDuration();
        if (entry.leased && age >= max_staleness_) {
          // Past its lease: never served (the staleness bound), read again below.
          ++lease_expiries_;
          ++misses_;
          EraseLocked(it);
        } else {
          ++hits_;
          lru_.splice(lru_.begin(), lru_, it->second);  // Most recently used first.
          cached = entry.document;
          if (entry.leased && !entry.refreshing && age >= max_staleness_ / 2) {
            // This caller reloads it; the others keep the copy, valid for another half lease.
            entry.refreshing = true;
            refresh = true;
            ++lease_refreshes_;
          }
        }
      } else {
        ++misses_;
      }
    }
    if (cached != nullptr && !refresh) return *cached;  // Copied outside the lock.
    const absl::Duration sent = now_();                 // The lease counts from before the read.
    absl::StatusOr<v1::Document> document = inner_->GetDocument(id);
    if (document.ok()) {
      Store(*document, sent);
      return document;
    }
    if (!refresh) return document;
    // The reload failed: the copy is still within its lease (it was at most half used),
    // so it is served rather than an error; a later read tries again.
    absl::MutexLock lock(&mu_);
    auto it = index_.find(id);
    if (it != index_.end()) it->second->refreshing = false;
    return *cached;
  }

  DocumentCacheStats Stats() const override {
    DocumentCacheStats stats;
    {
      absl::MutexLock lock(&mu_);
      stats.hits = hits_;
      stats.misses = misses_;
      stats.entries = static_cast<int64_t>(index_.size());
      stats.bytes = static_cast<int64_t>(bytes_);
      stats.lease_refreshes = lease_refreshes_;
      stats.lease_expiries = lease_expiries_;
    }
    lists_.AddStats(stats);
    return stats;
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return inner_->FindIdempotentResponse(key);
  }
  absl::StatusOr<v1::Document> CreateDocument(const v1::Document& document,
                                              const AuditRecord& audit,
                                              const IdempotencyKey* key) override {
    return inner_->CreateDocument(document, audit, key);
  }
  absl::StatusOr<v1::Document> UpdateDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::optional<std::vector<std::string>>& search_terms) override {
    absl::StatusOr<v1::Document> updated =
        inner_->UpdateDocument(document, expected_version, audit, search_terms);
    Erase(document.id());  // Also after a failure: the stored row may have changed.
    lists_.Invalidate();
    return updated;
  }
  absl::StatusOr<v1::Document> PublishDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::vector<std::string>& search_terms,
      const std::optional<OutboxMessage>& message) override {
    absl::StatusOr<v1::Document> published =
        inner_->PublishDocument(document, expected_version, audit, search_terms, message);
    Erase(document.id());  // Also after a failure: the stored row may have changed.
    lists_.Invalidate();
    return published;
  }
  absl::StatusOr<std::vector<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                          const KeysetPage& page) override {
    // Only pages that can hold nothing but published documents (see the header).
    if (!lists_.enabled() || filter.state != v1::PUBLISHED || filter.overdue_on.has_value()) {
      return inner_->ListDocuments(filter, page);
    }
    return CachedList(ListKey('L', filter, {}, page),
                      [&] { return inner_->ListDocuments(filter, page); });
  }
  absl::StatusOr<std::vector<v1::Document>> SearchPublished(const std::vector<std::string>& terms,
                                                            const DocumentFilter& filter,
                                                            const KeysetPage& page) override {
    // Published documents only, whatever the filter's state says; overdue marks are per
    // day, so such a search is not cached (as ListDocuments).
    if (!lists_.enabled() || filter.overdue_on.has_value()) {
      return inner_->SearchPublished(terms, filter, page);
    }
    return CachedList(ListKey('S', filter, terms, page),
                      [&] { return inner_->SearchPublished(terms, filter, page); });
  }
  absl::StatusOr<std::vector<gongkai::common::v1::AuditEntry>> ListAudit(
      int64_t document_id, const KeysetPage& page) override {
    return inner_->ListAudit(document_id, page);
  }
  // The audit trail is not part of the cached document.
  absl::StatusOr<bool> AppendAuditOnce(int64_t document_id, const AuditRecord& audit) override {
    return inner_->AppendAuditOnce(document_id, audit);
  }
  absl::StatusOr<std::map<v1::DocumentState, int64_t>> CountDocumentsByState() override {
    return inner_->CountDocumentsByState();
  }
  absl::StatusOr<int64_t> CountOverdue(absl::CivilDay today) override {
    return inner_->CountOverdue(today);
  }
  absl::StatusOr<DocumentEvidence> EvidenceForUnit(const DocumentEvidencePeriod& period) override {
    return inner_->EvidenceForUnit(period);
  }
  absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id,
                                                                     int64_t after_id,
                                                                     int limit) override {
    return inner_->ListUndisclosedDocuments(unit_id, after_id, limit);
  }
  absl::StatusOr<PolicyDocumentYearCounts> CountPolicyDocumentsForYear(
      int64_t unit_id, absl::Time start, absl::Time next_start, absl::CivilDay first,
      absl::CivilDay last) override {
    return inner_->CountPolicyDocumentsForYear(unit_id, start, next_start, first, last);
  }

 private:
  static absl::Duration SteadyNow() {
    return absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
  }

  // A list page from the cache (copied: callers redact and mark their copy) or from
  // `load`, kept for the next callers.
  absl::StatusOr<DocumentList> CachedList(const std::string& key,
                                          absl::FunctionRef<absl::StatusOr<DocumentList>()> load) {
    LeasedListCache::Found found = lists_.Find(key, now_());
    if (found.rows != nullptr && !found.refresh) return *found.rows;
    const absl::Duration sent = now_();  // The lease counts from before the read.
    absl::StatusOr<DocumentList> loaded = load();
    if (loaded.ok()) {
      lists_.Store(key, *loaded, sent, found.generation);
      return loaded;
    }
    if (!found.refresh) return loaded;
    lists_.RefreshFailed(key);
    return *found.rows;
  }

  // Whether nothing can change `document` any more (see the header): cached for good.
  static bool IsFinal(const v1::Document& document) {
    return document.state() == v1::PUBLISHED &&
           (!document.is_policy_document() || document.has_repealed_on());
  }

  // A published policy document in force: any replica may repeal it (NAT-10).
  static bool IsLeasable(const v1::Document& document) {
    return document.state() == v1::PUBLISHED && document.is_policy_document() &&
           !document.has_repealed_on();
  }

  struct Entry {
    int64_t id;
    size_t bytes;
    std::shared_ptr<const v1::Document> document;
    bool leased;               // Served only while now - loaded_at < max_staleness_.
    absl::Duration loaded_at;  // When the read that returned `document` was sent.
    bool refreshing = false;   // One caller is reloading it.
  };

  using Position = std::list<Entry>::iterator;

  // Keeps `document`, read by a call sent at `sent`, if it may be cached; replaces an
  // older leased copy, drops a copy that may no longer be cached.
  void Store(const v1::Document& document, absl::Duration sent) {
    const bool final_document = IsFinal(document);
    const bool leased =
        !final_document && IsLeasable(document) && max_staleness_ > absl::ZeroDuration();
    const size_t bytes = document.ByteSizeLong() + sizeof(Entry);
    const bool fits = bytes <= max_bytes_ / 4;  // One huge document must not flush the cache.
    std::shared_ptr<const v1::Document> shared;
    if ((final_document || leased) && fits) shared = std::make_shared<const v1::Document>(document);
    absl::MutexLock lock(&mu_);
    auto it = index_.find(document.id());
    if (it != index_.end()) {
      const Entry& existing = *it->second;
      // A final copy is as good as any; a leased copy loaded later than this read is newer.
      if (!existing.leased || (leased && existing.loaded_at > sent)) {
        it->second->refreshing = false;
        return;
      }
      EraseLocked(it);
    }
    if (shared == nullptr) return;
    lru_.push_front(Entry{document.id(), bytes, std::move(shared), leased, sent});
    index_[document.id()] = lru_.begin();
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !lru_.empty()) {
      bytes_ -= lru_.back().bytes;
      index_.erase(lru_.back().id);
      lru_.pop_back();
    }
  }

  void Erase(int64_t id) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(id);
    if (it != index_.end()) EraseLocked(it);
  }

  void EraseLocked(std::unordered_map<int64_t, Position>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }

  DocumentRepository* inner_;
  const size_t max_bytes_;
  const absl::Duration max_staleness_;
  const std::function<absl::Duration()> now_;
  mutable absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<int64_t, Position> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t lease_refreshes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t lease_expiries_ ABSL_GUARDED_BY(mu_) = 0;
  LeasedListCache lists_;
};

}  // namespace

std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 DocumentCacheOptions options,
                                                                 const DocumentCache** cache) {
  auto repository = std::make_unique<CachingDocumentRepository>(inner, std::move(options));
  if (cache != nullptr) *cache = repository.get();
  return repository;
}

std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 size_t max_bytes,
                                                                 const DocumentCache** cache) {
  DocumentCacheOptions options;
  options.max_bytes = max_bytes;
  options.max_staleness = absl::ZeroDuration();
  options.max_list_bytes = 0;
  return NewCachingDocumentRepository(inner, std::move(options), cache);
}

}  // namespace gongkai::catalog::documents
