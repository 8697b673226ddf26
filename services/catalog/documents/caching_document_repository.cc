#include "services/catalog/documents/caching_document_repository.h"

#include <list>
#include <unordered_map>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace gongkai::catalog::documents {
namespace {

class CachingDocumentRepository final : public DocumentRepository, public DocumentCache {
 public:
  CachingDocumentRepository(DocumentRepository* inner, size_t max_bytes)
      : inner_(inner), max_bytes_(max_bytes) {}

  absl::StatusOr<v1::Document> GetDocument(int64_t id) override {
    std::shared_ptr<const v1::Document> cached;
    {
      absl::MutexLock lock(&mu_);
      auto it = index_.find(id);
      if (it != index_.end()) {
        ++hits_;
        lru_.splice(lru_.begin(), lru_, it->second);  // Most recently used first.
        cached = it->second->document;
      } else {
        ++misses_;
      }
    }
    if (cached != nullptr) return *cached;  // Copied outside the lock.
    absl::StatusOr<v1::Document> document = inner_->GetDocument(id);
    if (document.ok() && IsFinal(*document)) Insert(*document);
    return document;
  }

  DocumentCacheStats Stats() const override {
    absl::MutexLock lock(&mu_);
    return DocumentCacheStats{hits_, misses_, static_cast<int64_t>(index_.size()),
                              static_cast<int64_t>(bytes_)};
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
  // Whether nothing can change `document` any more (see the header): it may be cached.
  static bool IsFinal(const v1::Document& document) {
    return document.state() == v1::PUBLISHED &&
           (!document.is_policy_document() || document.has_repealed_on());
  }

  struct Entry {
    int64_t id;
    size_t bytes;
    std::shared_ptr<const v1::Document> document;
  };

  void Insert(const v1::Document& document) {
    const size_t bytes = document.ByteSizeLong() + sizeof(Entry);
    if (bytes > max_bytes_ / 4) return;  // One huge document must not flush the cache.
    auto shared = std::make_shared<const v1::Document>(document);
    absl::MutexLock lock(&mu_);
    if (index_.count(document.id()) != 0) return;
    lru_.push_front(Entry{document.id(), bytes, std::move(shared)});
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
    if (it == index_.end()) return;
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }

  DocumentRepository* inner_;
  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<int64_t, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 size_t max_bytes,
                                                                 const DocumentCache** cache) {
  auto repository = std::make_unique<CachingDocumentRepository>(inner, max_bytes);
  if (cache != nullptr) *cache = repository.get();
  return repository;
}

}  // namespace gongkai::catalog::documents
