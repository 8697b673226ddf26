// The background writer of comments' search terms (libs/search, ADR 0004). PostComment
// stores a comment and its group in one short transaction with search_pending set; any
// replica's indexer claims pending comments oldest first in batches (a claim token and a
// lease on the rows, a conditional UPDATE: several replicas claim disjoint batches, an
// expired claim is taken over), computes their terms outside any transaction, and
// stores a batch's terms with multi-row INSERTs and clears search_pending in one
// transaction. Nothing is lost: the pending mark is written with the comment and
// cleared only with its terms; a replica killed mid-batch leaves a claim that expires
// after `lease`.
//
// Staff search sees a comment once it is indexed: within `interval` plus a batch's time
// while the indexer keeps up (docs/services/consultation.md); the backlog and its oldest
// comment's age are gauges (consultation_metrics.h) with an alert.
//
//   CommentIndexer indexer(&repository, clock, {.batch = 200});
//   indexer.Start();        // indexes in the background until Stop()
//   indexer.RunOnce();      // tests: one batch; returns the comments indexed
//
// Thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_COMMENT_INDEXER_H_
#define GONGKAI_SERVICES_CONSULTATION_COMMENT_INDEXER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "services/consultation/consultation_repository.h"

namespace gongkai::consultation {

struct CommentIndexerOptions {
  int batch = 200;
  // The pause after a batch that was not full (a full one is followed at once).
  absl::Duration interval = absl::Milliseconds(200);
  absl::Duration lease = absl::Minutes(1);
  std::string replica{};  // Empty: a random name.
};

class CommentIndexer {
 public:
  CommentIndexer(ConsultationRepository* repository, const Clock* clock,
                 CommentIndexerOptions options);
  ~CommentIndexer();
  CommentIndexer(const CommentIndexer&) = delete;
  CommentIndexer& operator=(const CommentIndexer&) = delete;

  void Start();
  void Stop();

  // Claims one batch and stores its terms; returns how many comments were indexed.
  absl::StatusOr<int> RunOnce();

  // Comments indexed and failed batches since the start (for the metrics).
  int64_t indexed() const { return indexed_.load(); }
  int64_t failures() const { return failures_.load(); }

 private:
  void Loop();

  ConsultationRepository* repository_;
  const Clock* clock_;
  CommentIndexerOptions options_;
  std::atomic<int64_t> claims_{0};
  std::atomic<int64_t> indexed_{0};
  std::atomic<int64_t> failures_{0};
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_COMMENT_INDEXER_H_
