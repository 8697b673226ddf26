#include "services/consultation/comment_indexer.h"

#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/search/search_terms.h"
#include "libs/status/status_macros.h"

namespace gongkai::consultation {

CommentIndexer::CommentIndexer(ConsultationRepository* repository, const Clock* clock,
                               CommentIndexerOptions options)
    : repository_(repository), clock_(clock), options_(std::move(options)) {
  if (options_.replica.empty()) {
    std::random_device random;
    options_.replica = absl::StrCat("i", random(), "-", random());
  }
}

CommentIndexer::~CommentIndexer() { Stop(); }

void CommentIndexer::Start() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void CommentIndexer::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void CommentIndexer::Loop() {
  while (true) {
    absl::StatusOr<int> indexed = RunOnce();
    if (!indexed.ok()) {
      failures_.fetch_add(1);
      GK_LOG(WARNING, "indexing comments for search failed").With("status", indexed.status());
    }
    const bool full = indexed.ok() && *indexed >= options_.batch;
    absl::MutexLock lock(&mutex_);
    if (stopping_) return;
    if (!full) {
      mutex_.AwaitWithTimeout(absl::Condition(&stopping_), options_.interval);
      if (stopping_) return;
    }
  }
}

absl::StatusOr<int> CommentIndexer::RunOnce() {
  // A claim token per batch: a batch taken over after its lease expired is told apart
  // from this replica's next one.
  const std::string claim = absl::StrCat(options_.replica, "-", claims_.fetch_add(1));
  ASSIGN_OR_RETURN(
      std::vector<UnindexedComment> claimed,
      repository_->ClaimUnindexedComments(claim, clock_->Now(), options_.lease, options_.batch));
  if (claimed.empty()) return 0;
  std::vector<IndexedComment> batch;
  batch.reserve(claimed.size());
  for (UnindexedComment& c : claimed) {
    batch.push_back({c.id, c.consultation_id, search::DocumentTerms("", c.text)});
  }
  ASSIGN_OR_RETURN(int stored, repository_->StoreCommentTerms(claim, batch));
  indexed_.fetch_add(stored);
  return stored;
}

}  // namespace gongkai::consultation
