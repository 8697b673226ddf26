#include "services/catalog/documents/caching_document_repository.h"

#include <algorithm>
#include <chrono>
#include <list>
#include <unordered_map>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace gongkai::catalog::documents {
namespace {

class CachingDocumentRepository final : public DocumentRepository, public DocumentCache {
 public:
  explicit CachingDocumentRepository(DocumentRepository* inner, DocumentCacheOptions options)
      : inner_(inner),
        max_bytes_(options.max_bytes),
        max_staleness_(std::max(absl::ZeroDuration(), options.max_staleness)),
        now_(options.monotonic_now ? std::move(options.monotonic_now) : SteadyNow) {}

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
    absl::MutexLock lock(&mu_);
    return DocumentCacheStats{hits_,
                              misses_,
                              static_cast<int64_t>(index_.size()),
                              static_cast<int64_t>(bytes_),
                              lease_refreshes_,
                              lease_expiries_};
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
    return updated;
  }
  absl::StatusOr<v1::Document> PublishDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::vector<std::string>& search_terms,
      const std::optional<OutboxMessage>& message) override {
    absl::StatusOr<v1::Document> published =
        inner_->PublishDocument(document, expected_version, audit, search_terms, message);
    Erase(document.id());  // Also after a failure: the stored row may have changed.
    return published;
  }
  absl::StatusOr<std::vector<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                          const KeysetPage& page) override {
    return inner_->ListDocuments(filter, page);
  }
  absl::StatusOr<std::vector<v1::Document>> SearchPublished(const std::vector<std::string>& terms,
                                                            const DocumentFilter& filter,
                                                            const KeysetPage& page) override {
    return inner_->SearchPublished(terms, filter, page);
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
  return NewCachingDocumentRepository(inner, std::move(options), cache);
}

}  // namespace gongkai::catalog::documents
