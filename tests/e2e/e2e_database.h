// A fresh database and a dedicated, least-privilege user for one end-to-end test suite,
// on the server named by GONGKAI_TEST_MYSQL_* (see libs/db/testing/test_database.h).
//
// The service under test connects as the new user, which may use only the new
// database, so a test cannot pass by relying on the administrator's privileges.
//
//   absl::StatusOr<std::unique_ptr<E2eDatabase>> db = E2eDatabase::Create("catalog");
//   ASSERT_TRUE(db.ok()) << db.status();  // fails, never skips, without the variables
//   options.env = (*db)->ServiceEnv();     // GONGKAI_DB_HOST, _PORT, _NAME, _USER, _PASSWORD
//
// The destructor drops the user and the database. Thread-compatible.
#ifndef GONGKAI_TESTS_E2E_E2E_DATABASE_H_
#define GONGKAI_TESTS_E2E_E2E_DATABASE_H_

#include <initializer_list>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/db/db_config.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::e2e {

class E2eDatabase {
 public:
  // FAILED_PRECONDITION when GONGKAI_TEST_MYSQL_* is not set; the server's error when
  // the database or user cannot be created.
  static absl::StatusOr<std::unique_ptr<E2eDatabase>> Create(absl::string_view prefix);

  ~E2eDatabase();  // DROP USER, then the database is dropped; best effort.
  E2eDatabase(const E2eDatabase&) = delete;
  E2eDatabase& operator=(const E2eDatabase&) = delete;

  // The GONGKAI_DB_* variables a service needs to use this database as the new user.
  std::map<std::string, std::string> ServiceEnv() const;
  // The same settings as a DbConfig (other fields at their defaults), for a test that
  // checks the database as the service sees it.
  db::DbConfig ServiceConfig(int pool_size) const;
  // "table=rows " for each of `tables`, as the service's user sees them: equal before and
  // after a step that must change nothing (a demo loader run again). A table that cannot
  // be read shows its error instead of a count, so the comparison fails.
  std::string RowCounts(std::initializer_list<absl::string_view> tables) const;

  const std::string& name() const { return database_->name(); }
  const std::string& user() const { return user_; }

 private:
  E2eDatabase(std::unique_ptr<db::testing::TestDatabase> database, std::string user,
              std::string host, std::string password);

  std::unique_ptr<db::testing::TestDatabase> database_;
  std::string user_;
  std::string host_;  // The client host the server sees, e.g. "127.0.0.1" or "localhost".
  std::string password_;
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_E2E_DATABASE_H_
