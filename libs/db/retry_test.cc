// Unit tests of WithRetries (transaction.h); RunInTransaction is covered by the
// integration test transaction_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/transaction.h"

namespace gongkai::db {
namespace {

using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::StatusIs;
using ::testing::HasSubstr;

RetryPolicy FastPolicy(int attempts) {
  RetryPolicy policy;
  policy.max_attempts = attempts;
  policy.initial_backoff = absl::Milliseconds(1);
  policy.max_backoff = absl::Milliseconds(2);
  return policy;
}

TEST(WithRetriesTest, RetriesAbortedUntilSuccess) {
  int calls = 0;
  absl::Status status = WithRetries(FastPolicy(4), [&] {
    return ++calls < 3 ? absl::AbortedError("deadlock") : absl::OkStatus();
  });
  EXPECT_THAT(status, IsOk());
  EXPECT_EQ(calls, 3);
}

TEST(WithRetriesTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  int calls = 0;
  absl::Status status = WithRetries(FastPolicy(3), [&] {
    ++calls;
    return absl::AbortedError(absl::StrCat("deadlock #", calls));
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted,
                               HasSubstr("gave up after 3 attempts: deadlock #3")));
  EXPECT_EQ(calls, 3);
}

TEST(WithRetriesTest, DoesNotRetryOtherErrors) {
  int calls = 0;
  absl::Status status = WithRetries(FastPolicy(5), [&] {
    ++calls;
    return absl::AlreadyExistsError("duplicate entry for key 'uk'");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("uk")));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace gongkai::db
