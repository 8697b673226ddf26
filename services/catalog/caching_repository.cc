#include "services/catalog/caching_repository.h"

#include <list>
#include <unordered_map>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace gongkai::catalog {
namespace {

class CachingCatalogRepository final : public CatalogRepository, public DocumentCache {
 public:
  CachingCatalogRepository(CatalogRepository* inner, size_t max_bytes)
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

  // Units and categories are never changed or deleted once created (the API has no
  // such call), so a unit or category found once exists for good.
  absl::StatusOr<v1::Unit> GetUnit(int64_t id) override {
    return ReadThrough(units_, id, [&] { return inner_->GetUnit(id); });
  }
  absl::StatusOr<v1::Category> GetCategory(int64_t id) override {
    return ReadThrough(categories_, id, [&] { return inner_->GetCategory(id); });
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
  absl::StatusOr<v1::Unit> CreateUnit(const v1::Unit& unit, const IdempotencyKey* key) override {
    return inner_->CreateUnit(unit, key);
  }
  absl::StatusOr<std::vector<v1::Unit>> ListUnits(const UnitFilter& filter,
                                                  const KeysetPage& page) override {
    return inner_->ListUnits(filter, page);
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
  absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                              const IdempotencyKey* key) override {
    return inner_->CreateCategory(category, key);
  }
  absl::StatusOr<std::vector<v1::Category>> ListCategories() override {
    return inner_->ListCategories();
  }
  absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const v1::CatalogItem& item,
                                                    const IdempotencyKey* key) override {
    return inner_->CreateCatalogItem(item, key);
  }
  absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const v1::CatalogItem& item,
                                                    int64_t expected_revision) override {
    return inner_->UpdateCatalogItem(item, expected_revision);
  }
  absl::StatusOr<v1::CatalogItem> GetCatalogItem(int64_t id) override {
    return inner_->GetCatalogItem(id);
  }
  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItems(const CatalogItemFilter& filter,
                                                                const KeysetPage& page) override {
    return inner_->ListCatalogItems(filter, page);
  }
  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItemRevisions(int64_t id) override {
    return inner_->ListCatalogItemRevisions(id);
  }
  absl::Status SaveCalendarYear(const StoredCalendarYear& calendar, const std::string& actor,
                                absl::Time when) override {
    return inner_->SaveCalendarYear(calendar, actor, when);
  }
  absl::StatusOr<std::vector<StoredCalendarYear>> ListStoredCalendarYears() override {
    return inner_->ListStoredCalendarYears();
  }
  absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id) override {
    return inner_->ListUndisclosedDocuments(unit_id);
  }
  absl::StatusOr<v1::SelfReview> CreateSelfReview(const v1::SelfReview& review,
                                                  const IdempotencyKey* key) override {
    return inner_->CreateSelfReview(review, key);
  }
  absl::StatusOr<v1::SelfReview> GetSelfReview(int64_t id) override {
    return inner_->GetSelfReview(id);
  }
  absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      int64_t review_id, const v1::SelfReviewEntry& entry,
      const std::optional<DocumentChange>& converted) override {
    return inner_->DecideSelfReviewEntry(review_id, entry, converted);
  }
  absl::StatusOr<v1::SelfReview> CompleteSelfReview(int64_t review_id, absl::Time when) override {
    return inner_->CompleteSelfReview(review_id, when);
  }

 private:
  // At most this many units and categories each are remembered (a city has hundreds).
  static constexpr size_t kMaxDirectoryEntries = 10000;

  template <typename Message, typename Load>
  absl::StatusOr<Message> ReadThrough(std::unordered_map<int64_t, Message>& cache, int64_t id,
                                      Load load) {
    {
      absl::MutexLock lock(&mu_);
      auto it = cache.find(id);
      if (it != cache.end()) return it->second;
    }
    absl::StatusOr<Message> loaded = load();
    if (loaded.ok()) {
      absl::MutexLock lock(&mu_);
      if (cache.size() < kMaxDirectoryEntries) cache.emplace(id, *loaded);
    }
    return loaded;
  }

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

  CatalogRepository* inner_;
  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<int64_t, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  std::unordered_map<int64_t, v1::Unit> units_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<int64_t, v1::Category> categories_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<CatalogRepository> NewCachingCatalogRepository(CatalogRepository* inner,
                                                               size_t max_bytes,
                                                               const DocumentCache** cache) {
  auto repository = std::make_unique<CachingCatalogRepository>(inner, max_bytes);
  if (cache != nullptr) *cache = repository.get();
  return repository;
}

}  // namespace gongkai::catalog
