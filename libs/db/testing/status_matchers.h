// gMock matchers for absl::Status / absl::StatusOr<T> in libs/db tests.
//
//   EXPECT_THAT(conn->Execute(...), StatusIs(absl::StatusCode::kAlreadyExists,
//                                            HasSubstr("uk_units_code")));
//   EXPECT_THAT(pool->Acquire(), IsOk());
//   EXPECT_THAT(migrator.Migrate(), IsOkAndHolds(ElementsAre(1, 2)));
//   ASSERT_OK_AND_ASSIGN(db::ConnectionLease conn, pool->Acquire());
//
// Header-only test support; thread-compatible like any matcher.
#ifndef GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_
#define GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/status/status_macros.h"

namespace gongkai::db::testing {

// Always shows the actual status, so a failure says which message was sent.
MATCHER_P2(StatusIs, code, message_matcher,
           "status code " + ::testing::PrintToString(code) + " and a matching message") {
  const absl::Status& status = ::gongkai::ToStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
                                       result_listener);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::gongkai::ToStatus(arg);
  if (!status.ok()) *result_listener << "whose status is " << status;
  return status.ok();
}

// An OK absl::StatusOr<T> whose value matches `value_matcher`.
MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace gongkai::db::testing

// Fails the test (and returns) unless the absl::StatusOr `expr` is OK; otherwise
// assigns its value to `lhs` (a declaration or an lvalue).
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  GONGKAI_ASSERT_OK_AND_ASSIGN_IMPL(GONGKAI_TESTING_CONCAT(statusor_, __LINE__), lhs, expr)
#define GONGKAI_ASSERT_OK_AND_ASSIGN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                      \
  ASSERT_TRUE(statusor.ok()) << statusor.status();             \
  lhs = *std::move(statusor)
#define GONGKAI_TESTING_CONCAT(a, b) GONGKAI_TESTING_CONCAT_INNER(a, b)
#define GONGKAI_TESTING_CONCAT_INNER(a, b) a##b

#endif  // GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_
