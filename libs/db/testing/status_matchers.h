// gMock matchers for absl::Status / absl::StatusOr<T> in libs/db tests.
//
//   EXPECT_THAT(conn->Execute(...), StatusIs(absl::StatusCode::kAlreadyExists,
//                                            HasSubstr("uk_units_code")));
//   EXPECT_THAT(pool->Acquire(), IsOk());
//   EXPECT_THAT(migrator.Migrate(), IsOkAndHolds(ElementsAre(1, 2)));
//
// Header-only test support; thread-compatible like any matcher.
#ifndef GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_
#define GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/status/status_macros.h"

namespace gongkai::db::testing {

MATCHER_P2(StatusIs, code, message_matcher,
           "status code " + ::testing::PrintToString(code) + " and a matching message") {
  const absl::Status& status = ::gongkai::ToStatus(arg);
  if (status.code() != code) {
    *result_listener << "whose status is " << status;
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
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

#endif  // GONGKAI_LIBS_DB_TESTING_STATUS_MATCHERS_H_
