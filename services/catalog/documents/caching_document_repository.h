// A DocumentRepository decorator that keeps published documents in memory.
//
// Two kinds of published documents are cached:
//   - Final documents: PUBLISHED and either not a policy document or already repealed.
//     A final document never changes (edits are only allowed in DRAFT and RETURNED,
//     nothing moves a document out of PUBLISHED, and the one change a published document
//     can still get, RepealDocument (NAT-10), happens once and only to a policy
//     document), so a cached copy can never be stale, on this replica or any other. It
//     stays until evicted.
//   - Published policy documents still in force: any replica may repeal them, so each is
//     held on a lease of `max_staleness` (GONGKAI_DOCUMENT_CACHE_MAX_STALENESS, default
//     1 s), counted on this process's monotonic clock from the moment its database read
//     was *sent*. A copy past its lease is never served: the next read goes to the
//     database. So on every replica a GetDocument reflects every change committed more
//     than `max_staleness` before it (NAT-10: a repeal is visible everywhere within that
//     bound), whoever made the change: another replica, this one, or an operator's SQL.
//     While a leased copy is read, the first read past half its lease reloads it (one
//     caller; the others keep the still-valid copy), so a hot document is reloaded about
//     every max_staleness / 2 and never expires under load. A reload that fails leaves
//     the copy in use until its lease ends. `max_staleness` 0 reads such documents
//     through every time (the behaviour before leases).
// Why leases and not a change feed: the bound holds by construction (no commit-order
// gaps in a feed, no clock shared between replicas, no write path that could forget to
// log), and the cost is one primary-key read per hot policy document per half lease.
//
// Public list pages and search results (issue 14 P5): a ListDocuments whose filter is
// published-only (state PUBLISHED: what anonymous callers and portals list) and every
// SearchPublished are kept as the repository returned them, keyed by the whole filter,
// the search terms and the keyset page (after_id, limit), on the same lease of
// `max_staleness`, with the same half-lease reload by one caller. So a cached page is
// never served more than `max_staleness` after its database read was sent, on any
// replica. Only rows of published documents can be in such a page; the caller's view
// (redaction of internal fields, overdue marks) is applied by documents.cc after the
// cache, on a copy, so staff and anonymous callers share the rows but never a response,
// and lists that can hold unpublished documents (no state filter, or another state) are
// never cached. `max_list_bytes` 0 (GONGKAI_DOCUMENT_LIST_CACHE_BYTES=0) or
// `max_staleness` 0 turns it off.
//
// UpdateDocument and PublishDocument through this decorator also drop the document from
// this replica's cache, and every cached list page and search result (a publication or
// a repeal can change any of them), so this replica sees its own changes at once; a
// page read while such a write was in progress is not kept. Portals read
// published documents far more often than anything else; the cache turns those reads
// into a memory lookup. Everything else passes straight through. (Units and categories
// are remembered by their own modules' decorators, units/caching_unit_repository.h and
// catalog_items/caching_catalog_item_repository.h.)
//
// Bounded by the total size of the cached messages (least recently used first out).
// Thread-safe.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_

#include <cstddef>
#include <functional>
#include <memory>

#include "absl/time/time.h"
#include "services/catalog/documents/document_repository.h"

namespace gongkai::catalog::documents {

struct DocumentCacheStats {
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t entries = 0;
  int64_t bytes = 0;
  // Leased (in-force policy) documents reloaded before their lease ended, and reads that
  // found a leased copy past its lease (counted as misses too).
  int64_t lease_refreshes = 0;
  int64_t lease_expiries = 0;
  // Public list pages and search results (see above).
  int64_t list_hits = 0;
  int64_t list_misses = 0;
  int64_t list_entries = 0;
  int64_t list_bytes = 0;
};

class DocumentCache {
 public:
  virtual ~DocumentCache() = default;
  virtual DocumentCacheStats Stats() const = 0;
};

struct DocumentCacheOptions {
  // 0 disables caching.
  size_t max_bytes = 8 << 20;
  // The lease of a cached policy document still in force: the bound on how stale a read
  // of one can be on this replica. 0: such documents are not cached.
  absl::Duration max_staleness = absl::Seconds(1);
  // Public list pages and search results, on the lease above; 0 disables them.
  size_t max_list_bytes = 4 << 20;
  // Monotonic time since an arbitrary origin; empty: std::chrono::steady_clock. Tests
  // pass a fake.
  std::function<absl::Duration()> monotonic_now;
};

// `inner` must outlive the result.
std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 DocumentCacheOptions options,
                                                                 const DocumentCache** cache);

// Final documents only (max_staleness 0, so no list pages), within `max_bytes` (0
// disables caching).
std::unique_ptr<DocumentRepository> NewCachingDocumentRepository(DocumentRepository* inner,
                                                                 size_t max_bytes,
                                                                 const DocumentCache** cache);

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_CACHING_DOCUMENT_REPOSITORY_H_
