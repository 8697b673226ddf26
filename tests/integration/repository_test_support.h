// Test support shared by the repository integration tests: a fresh database with the
// binary's embedded migrations applied, a proto equality matcher, and the ids of a list.
//
//   absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("reqrepo");
//   ASSERT_TRUE(db.ok()) << db.status();
//   auto repo = NewMysqlRequestRepository(db->pool.get());
//   EXPECT_THAT(*repo->GetRequest(id), EqualsProto(expected));
//   EXPECT_THAT(Ids(*repo->ListRequests(filter, page)), ElementsAre(3, 2, 1));
//
// The binary must embed its migrations (gongkai_embed_migrations). Header-only;
// thread-compatible.
#ifndef GONGKAI_TESTS_INTEGRATION_REPOSITORY_TEST_SUPPORT_H_
#define GONGKAI_TESTS_INTEGRATION_REPOSITORY_TEST_SUPPORT_H_

#include <gmock/gmock.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/db/connection_pool.h"
#include "libs/db/embedded_migrations.h"
#include "libs/db/idempotency.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/test_database.h"

namespace gongkai::integration {

// A TestDatabase (dropped on destruction) and a pool on it, migrated to the latest
// version. The pool is destroyed before the database.
struct MigratedDatabase {
  std::unique_ptr<db::testing::TestDatabase> database;
  std::unique_ptr<db::ConnectionPool> pool;

  // `pool_size` 0 keeps the TestDatabase's default. Errors are those of
  // TestDatabase::Create, ConnectionPool::Create and Migrator::Migrate.
  static absl::StatusOr<MigratedDatabase> Create(absl::string_view prefix, int pool_size = 0) {
    absl::StatusOr<std::unique_ptr<db::testing::TestDatabase>> database =
        db::testing::TestDatabase::Create(prefix);
    if (!database.ok()) return database.status();
    db::DbConfig config = (*database)->config();
    if (pool_size > 0) config.pool_size = pool_size;
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(config);
    if (!pool.ok()) return pool.status();
    absl::StatusOr<std::vector<int64_t>> applied =
        db::Migrator(pool->get(), {db::IdempotencyMigrationSet()}, db::EmbeddedMigrations())
            .Migrate();  // As the service bootstrap does: the library's tables first.
    if (!applied.ok()) return applied.status();
    return MigratedDatabase{*std::move(database), *std::move(pool)};
  }
};

MATCHER_P(EqualsProto, expected, "equals the expected message") {
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(arg, expected)) return true;
  *result_listener << "differs:\n" << diff;
  return false;
}

// The id() of each item, in order.
template <typename T>
std::vector<int64_t> Ids(const std::vector<T>& items) {
  std::vector<int64_t> ids;
  for (const T& item : items) ids.push_back(item.id());
  return ids;
}

}  // namespace gongkai::integration

#endif  // GONGKAI_TESTS_INTEGRATION_REPOSITORY_TEST_SUPPORT_H_
