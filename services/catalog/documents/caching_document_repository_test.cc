// Unit tests of the document cache decorator: what is cached, eviction, NAT-10 repeal.
#include "services/catalog/documents/caching_document_repository.h"

#include <functional>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/documents/mock_document_repository.h"

namespace gongkai::catalog::documents {
namespace {

using ::testing::_;
using ::testing::Return;

v1::Document Doc(int64_t id, v1::DocumentState state, size_t body_bytes = 10) {
  v1::Document d;
  d.set_id(id);
  d.set_state(state);
  d.set_body(std::string(body_bytes, 'x'));
  return d;
}

TEST(CachingDocumentRepositoryTest, PublishedDocumentsAreReadOnce) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, GetDocument(1)).Times(1).WillOnce(Return(Doc(1, v1::PUBLISHED)));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, &cache);
  EXPECT_EQ(repo->GetDocument(1)->id(), 1);
  EXPECT_EQ(repo->GetDocument(1)->id(), 1);
  EXPECT_EQ(cache->Stats().hits, 1);
  EXPECT_EQ(cache->Stats().misses, 1);
}

TEST(CachingDocumentRepositoryTest, UnpublishedDocumentsAreNeverCached) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, GetDocument(2))
      .Times(2)
      .WillOnce(Return(Doc(2, v1::APPROVED)))
      .WillOnce(Return(Doc(2, v1::PUBLISHED)));
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, nullptr);
  EXPECT_EQ(repo->GetDocument(2)->state(), v1::APPROVED);
  EXPECT_EQ(repo->GetDocument(2)->state(), v1::PUBLISHED);  // Read again: now published.
}

TEST(CachingDocumentRepositoryTest, ErrorsAreNotCached) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, GetDocument(3))
      .Times(2)
      .WillRepeatedly(Return(absl::UnavailableError("db down")));
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, nullptr);
  EXPECT_FALSE(repo->GetDocument(3).ok());
  EXPECT_FALSE(repo->GetDocument(3).ok());
}

TEST(CachingDocumentRepositoryTest, LeastRecentlyUsedIsEvictedWithinTheByteBudget) {
  MockDocumentRepository inner;
  for (int id = 1; id <= 5; ++id) {
    ON_CALL(inner, GetDocument(id)).WillByDefault(Return(Doc(id, v1::PUBLISHED, 1000)));
  }
  // 1..5 once each, then 2 again after its eviction.
  EXPECT_CALL(inner, GetDocument(_)).Times(6);
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, 4500, &cache);  // Room for four.
  for (int id = 1; id <= 4; ++id) ASSERT_TRUE(repo->GetDocument(id).ok());
  ASSERT_TRUE(repo->GetDocument(1).ok());  // Hit: 1 is now the most recent, 2 the least.
  ASSERT_TRUE(repo->GetDocument(5).ok());  // Evicts 2.
  ASSERT_TRUE(repo->GetDocument(1).ok());  // Hit.
  ASSERT_TRUE(repo->GetDocument(2).ok());  // Miss.
  EXPECT_LE(cache->Stats().bytes, 4500);
  EXPECT_EQ(cache->Stats().entries, 4);
  EXPECT_EQ(cache->Stats().hits, 2);
}

TEST(CachingDocumentRepositoryTest, AHugeDocumentDoesNotFlushTheCache) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, GetDocument(9)).Times(2).WillRepeatedly(Return(Doc(9, v1::PUBLISHED, 5000)));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, 8000, &cache);
  ASSERT_TRUE(repo->GetDocument(9).ok());
  ASSERT_TRUE(repo->GetDocument(9).ok());
  EXPECT_EQ(cache->Stats().entries, 0);
}

// NAT-10: another replica may repeal a published policy document, so one still in force
// is read through every time; once repealed it is final and cached.
TEST(CachingDocumentRepositoryTest, Nat10PolicyDocumentInForceIsReadThroughUntilRepealed) {
  MockDocumentRepository inner;
  v1::Document in_force = Doc(4, v1::PUBLISHED);
  in_force.set_is_policy_document(true);
  v1::Document repealed = in_force;
  repealed.mutable_repealed_on()->set_year(2025);
  repealed.mutable_repealed_on()->set_month(3);
  repealed.mutable_repealed_on()->set_day(1);
  EXPECT_CALL(inner, GetDocument(4))
      .Times(3)
      .WillOnce(Return(in_force))
      .WillOnce(Return(in_force))
      .WillOnce(Return(repealed));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, &cache);
  EXPECT_FALSE(repo->GetDocument(4)->has_repealed_on());
  EXPECT_FALSE(repo->GetDocument(4)->has_repealed_on());
  EXPECT_TRUE(repo->GetDocument(4)->has_repealed_on());  // Repealed elsewhere: seen.
  EXPECT_TRUE(repo->GetDocument(4)->has_repealed_on());  // Final now: a hit.
  EXPECT_EQ(cache->Stats().hits, 1);
  EXPECT_EQ(cache->Stats().entries, 1);
}

// A fake monotonic clock for the leases.
struct FakeClock {
  absl::Duration now;
  std::function<absl::Duration()> Function() {
    return [this] { return now; };
  }
};

v1::Document PolicyInForce(int64_t id) {
  v1::Document d = Doc(id, v1::PUBLISHED);
  d.set_is_policy_document(true);
  return d;
}

v1::Document Repealed(v1::Document d) {
  d.mutable_repealed_on()->set_year(2025);
  d.mutable_repealed_on()->set_month(3);
  d.mutable_repealed_on()->set_day(1);
  return d;
}

DocumentCacheOptions LeaseOptions(FakeClock& clock, absl::Duration max_staleness) {
  DocumentCacheOptions options;
  options.max_bytes = 1 << 20;
  options.max_staleness = max_staleness;
  options.monotonic_now = clock.Function();
  return options;
}

// NAT-10: a policy document in force is cached on a lease; a repeal made on another
// replica is seen once the lease ends, and the repealed (final) document is then cached
// for good.
TEST(CachingDocumentRepositoryTest, Nat10PolicyDocumentInForceIsServedOnlyWithinItsLease) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, GetDocument(4))
      .Times(2)
      .WillOnce(Return(PolicyInForce(4)))
      .WillOnce(Return(Repealed(PolicyInForce(4))));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  EXPECT_FALSE(repo->GetDocument(4)->has_repealed_on());  // Miss at 0 s: leased until 1 s.
  clock.now = absl::Milliseconds(400);
  EXPECT_FALSE(repo->GetDocument(4)->has_repealed_on());  // Hit.
  clock.now = absl::Milliseconds(1000);                   // The lease has ended.
  EXPECT_TRUE(repo->GetDocument(4)->has_repealed_on());   // Read again: repealed elsewhere.
  clock.now = absl::Hours(100);
  EXPECT_TRUE(repo->GetDocument(4)->has_repealed_on());  // Final now: a hit, no lease.
  EXPECT_EQ(cache->Stats().hits, 2);
  EXPECT_EQ(cache->Stats().misses, 2);
  EXPECT_EQ(cache->Stats().lease_expiries, 1);
  EXPECT_EQ(cache->Stats().entries, 1);
}

// A read past half the lease reloads the document once and renews the lease, so a hot
// document never expires; the other reads meanwhile are served from memory.
TEST(CachingDocumentRepositoryTest, Nat10AReadPastHalfTheLeaseRenewsIt) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, GetDocument(5)).Times(3).WillRepeatedly(Return(PolicyInForce(5)));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  ASSERT_TRUE(repo->GetDocument(5).ok());  // Loaded at 0 s.
  clock.now = absl::Milliseconds(600);
  ASSERT_TRUE(repo->GetDocument(5).ok());  // Reloaded: leased until 1.6 s.
  clock.now = absl::Milliseconds(900);
  ASSERT_TRUE(repo->GetDocument(5).ok());  // Hit.
  clock.now = absl::Milliseconds(1500);
  ASSERT_TRUE(repo->GetDocument(5).ok());  // Past half of the new lease: reloaded again.
  EXPECT_EQ(cache->Stats().lease_refreshes, 2);
  EXPECT_EQ(cache->Stats().lease_expiries, 0);
  EXPECT_EQ(cache->Stats().misses, 1);
}

// The lease counts from when the database read was sent, not from when it answered: a
// slow read does not stretch the bound.
TEST(CachingDocumentRepositoryTest, Nat10TheLeaseCountsFromTheReadsStart) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, GetDocument(6))
      .Times(2)
      .WillOnce([&clock](int64_t) {
        clock.now += absl::Milliseconds(700);  // The database answers late.
        return PolicyInForce(6);
      })
      .WillOnce(Return(Repealed(PolicyInForce(6))));
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), nullptr);
  EXPECT_FALSE(repo->GetDocument(6)->has_repealed_on());
  clock.now = absl::Milliseconds(1000);  // 300 ms after the answer, 1 s after the read.
  EXPECT_TRUE(repo->GetDocument(6)->has_repealed_on());
}

// A reload that fails serves the copy it was meant to renew (still within its lease); a
// read after the lease gets the error, never the stale copy.
TEST(CachingDocumentRepositoryTest, Nat10AFailedReloadNeverOutlivesTheLease) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, GetDocument(7))
      .Times(3)
      .WillOnce(Return(PolicyInForce(7)))
      .WillRepeatedly(Return(absl::UnavailableError("db down")));
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), nullptr);
  ASSERT_TRUE(repo->GetDocument(7).ok());
  clock.now = absl::Milliseconds(700);
  EXPECT_TRUE(repo->GetDocument(7).ok());  // Reload failed: the copy, 700 ms old.
  clock.now = absl::Milliseconds(1000);
  EXPECT_EQ(repo->GetDocument(7).status().code(), absl::StatusCode::kUnavailable);
}

// GONGKAI_DOCUMENT_CACHE_MAX_STALENESS=0: policy documents in force are read every time.
TEST(CachingDocumentRepositoryTest, Nat10ZeroStalenessReadsPolicyDocumentsThrough) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, GetDocument(8)).Times(2).WillRepeatedly(Return(PolicyInForce(8)));
  const DocumentCache* cache = nullptr;
  auto repo =
      NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::ZeroDuration()), &cache);
  ASSERT_TRUE(repo->GetDocument(8).ok());
  ASSERT_TRUE(repo->GetDocument(8).ok());
  EXPECT_EQ(cache->Stats().entries, 0);
}

// An update through this replica drops its cached copy, whatever the cache held.
TEST(CachingDocumentRepositoryTest, UpdateDropsTheCachedDocument) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, GetDocument(6))
      .Times(2)
      .WillOnce(Return(Doc(6, v1::PUBLISHED)))
      .WillOnce(Return(Doc(6, v1::PUBLISHED, 20)));
  EXPECT_CALL(inner, UpdateDocument(_, _, _, _)).WillOnce(Return(Doc(6, v1::PUBLISHED, 20)));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, &cache);
  EXPECT_EQ(repo->GetDocument(6)->body().size(), 10u);
  ASSERT_TRUE(repo->UpdateDocument(Doc(6, v1::PUBLISHED, 20), 1, AuditRecord{}, std::nullopt).ok());
  EXPECT_EQ(cache->Stats().entries, 0);
  EXPECT_EQ(cache->Stats().bytes, 0);
  EXPECT_EQ(repo->GetDocument(6)->body().size(), 20u);
}

// ---- Public list pages and search results (issue 14 P5) ----

DocumentFilter PublishedOnly() {
  DocumentFilter filter;
  filter.state = v1::PUBLISHED;
  return filter;
}

std::vector<v1::Document> Page(std::initializer_list<int64_t> ids) {
  std::vector<v1::Document> page;
  for (int64_t id : ids) page.push_back(Doc(id, v1::PUBLISHED));
  return page;
}

MATCHER_P(HasPage, after_id, "") { return arg.after_id == after_id; }

// A published-only page is read once per lease; past the lease it is read again, never
// served (the staleness bound also holds for lists).
TEST(CachingDocumentRepositoryTest, PublicListPageIsServedOnlyWithinItsLease) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, ListDocuments(_, _))
      .Times(2)
      .WillOnce(Return(Page({3, 2})))
      .WillOnce(Return(Page({4, 3})));  // Published on another replica meanwhile.
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  EXPECT_EQ((*repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}))[0].id(), 3);
  clock.now = absl::Milliseconds(400);
  EXPECT_EQ((*repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}))[0].id(), 3);  // Hit.
  clock.now = absl::Milliseconds(1000);
  EXPECT_EQ((*repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}))[0].id(), 4);
  EXPECT_EQ(cache->Stats().list_hits, 1);
  EXPECT_EQ(cache->Stats().list_misses, 2);
  EXPECT_EQ(cache->Stats().list_entries, 1);
  EXPECT_GT(cache->Stats().list_bytes, 0);
}

// Lists that can hold unpublished documents (staff lists without a state, or another
// state) always go to the database: they are never served from, nor stored in, the
// cache of public pages.
TEST(CachingDocumentRepositoryTest, ListsThatCanHoldUnpublishedDocumentsAreNeverCached) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, ListDocuments(_, _)).Times(4).WillRepeatedly(Return(Page({1})));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  DocumentFilter any_state;
  DocumentFilter drafts;
  drafts.state = v1::DRAFT;
  for (const DocumentFilter& filter : {any_state, drafts}) {
    ASSERT_TRUE(repo->ListDocuments(filter, KeysetPage{0, 21}).ok());
    ASSERT_TRUE(repo->ListDocuments(filter, KeysetPage{0, 21}).ok());
  }
  EXPECT_EQ(cache->Stats().list_entries, 0);
  EXPECT_EQ(cache->Stats().list_hits, 0);
}

// Every input of the call is part of the key: another page token, filter or set of
// search terms is another entry.
TEST(CachingDocumentRepositoryTest, PagesFiltersAndTermsAreCachedApart) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, ListDocuments(_, HasPage(0))).Times(1).WillOnce(Return(Page({9, 8})));
  EXPECT_CALL(inner, ListDocuments(_, HasPage(8))).Times(1).WillOnce(Return(Page({7, 6})));
  EXPECT_CALL(inner, SearchPublished(_, _, _))
      .Times(2)
      .WillOnce(Return(Page({5})))
      .WillOnce(Return(Page({4})));
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), nullptr);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ((*repo->ListDocuments(PublishedOnly(), KeysetPage{0, 3}))[0].id(), 9);
    EXPECT_EQ((*repo->ListDocuments(PublishedOnly(), KeysetPage{8, 3}))[0].id(), 7);
    EXPECT_EQ((*repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 3}))[0].id(), 5);
    EXPECT_EQ((*repo->SearchPublished({"通", "知"}, PublishedOnly(), KeysetPage{0, 3}))[0].id(), 4);
  }
}

// A publication or an update through this replica drops every cached page, so this
// replica lists its own changes at once.
TEST(CachingDocumentRepositoryTest, WritesThroughThisReplicaDropCachedPages) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, SearchPublished(_, _, _)).Times(3).WillRepeatedly(Return(Page({1})));
  EXPECT_CALL(inner, PublishDocument(_, _, _, _, _)).WillOnce(Return(Doc(2, v1::PUBLISHED)));
  EXPECT_CALL(inner, UpdateDocument(_, _, _, _)).WillOnce(Return(Doc(1, v1::PUBLISHED)));
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  ASSERT_TRUE(repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 21}).ok());
  ASSERT_TRUE(repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 21}).ok());  // Hit.
  ASSERT_TRUE(
      repo->PublishDocument(Doc(2, v1::PUBLISHED), 3, AuditRecord{}, {}, std::nullopt).ok());
  EXPECT_EQ(cache->Stats().list_entries, 0);
  ASSERT_TRUE(repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 21}).ok());  // Miss.
  ASSERT_TRUE(repo->UpdateDocument(Doc(1, v1::PUBLISHED), 4, AuditRecord{}, std::nullopt).ok());
  ASSERT_TRUE(repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 21}).ok());  // Miss.
  EXPECT_EQ(cache->Stats().list_hits, 1);
}

// A page read while this replica wrote a document may predate the write: it is served
// to its caller but not kept.
TEST(CachingDocumentRepositoryTest, APageReadAcrossALocalWriteIsNotKept) {
  MockDocumentRepository inner;
  FakeClock clock;
  const DocumentCache* cache = nullptr;
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), &cache);
  EXPECT_CALL(inner, UpdateDocument(_, _, _, _)).WillOnce(Return(Doc(1, v1::PUBLISHED)));
  EXPECT_CALL(inner, ListDocuments(_, _))
      .Times(2)
      .WillOnce([&](const DocumentFilter&, const KeysetPage&) {
        // The write commits on another thread while this read is in flight.
        EXPECT_TRUE(
            repo->UpdateDocument(Doc(1, v1::PUBLISHED), 1, AuditRecord{}, std::nullopt).ok());
        return Page({1});
      })
      .WillOnce(Return(Page({1})));
  ASSERT_TRUE(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).ok());
  EXPECT_EQ(cache->Stats().list_entries, 0);
  ASSERT_TRUE(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).ok());  // Read again.
  EXPECT_EQ(cache->Stats().list_entries, 1);
}

// GONGKAI_DOCUMENT_LIST_CACHE_BYTES=0 or GONGKAI_DOCUMENT_CACHE_MAX_STALENESS=0: every
// list and search reads the database.
TEST(CachingDocumentRepositoryTest, ListCacheCanBeTurnedOff) {
  for (bool zero_bytes : {true, false}) {
    MockDocumentRepository inner;
    FakeClock clock;
    EXPECT_CALL(inner, ListDocuments(_, _)).Times(2).WillRepeatedly(Return(Page({1})));
    EXPECT_CALL(inner, SearchPublished(_, _, _)).Times(2).WillRepeatedly(Return(Page({1})));
    DocumentCacheOptions options =
        LeaseOptions(clock, zero_bytes ? absl::Seconds(1) : absl::ZeroDuration());
    if (zero_bytes) options.max_list_bytes = 0;
    auto repo = NewCachingDocumentRepository(&inner, options, nullptr);
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).ok());
      ASSERT_TRUE(repo->SearchPublished({"通知"}, PublishedOnly(), KeysetPage{0, 21}).ok());
    }
  }
}

// A failed reload of a page past half its lease serves the page (still within its
// lease); after the lease the error is returned, never the old page.
TEST(CachingDocumentRepositoryTest, AFailedPageReloadNeverOutlivesTheLease) {
  MockDocumentRepository inner;
  FakeClock clock;
  EXPECT_CALL(inner, ListDocuments(_, _))
      .Times(3)
      .WillOnce(Return(Page({1})))
      .WillRepeatedly(Return(absl::UnavailableError("db down")));
  auto repo = NewCachingDocumentRepository(&inner, LeaseOptions(clock, absl::Seconds(1)), nullptr);
  ASSERT_TRUE(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).ok());
  clock.now = absl::Milliseconds(600);
  EXPECT_TRUE(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).ok());
  clock.now = absl::Milliseconds(1000);
  EXPECT_EQ(repo->ListDocuments(PublishedOnly(), KeysetPage{0, 21}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(CachingDocumentRepositoryTest, OtherCallsPassThrough) {
  MockDocumentRepository inner;
  EXPECT_CALL(inner, CountOverdue(absl::CivilDay(2026, 1, 5))).WillOnce(Return(7));
  auto repo = NewCachingDocumentRepository(&inner, 1 << 20, nullptr);
  EXPECT_EQ(*repo->CountOverdue(absl::CivilDay(2026, 1, 5)), 7);
}

}  // namespace
}  // namespace gongkai::catalog::documents
