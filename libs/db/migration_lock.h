// The lock that lets one replica at a time apply a database's migrations: a row in
// schema_migration_lock claimed with a conditional UPDATE that carries an owner and a
// lease expiry (ADR 0025). It replaces GET_LOCK, which a Galera cluster does not
// replicate (two replicas on two nodes would both get "the" lock) and which TiDB only
// emulates; this works the same on MySQL 8, MariaDB, a Galera cluster and TiDB.
//
//   db::MigrationLock lock(db::MigrationLockName(database), db::MigrationLock::NewOwner(),
//                          absl::Seconds(60));
//   ASSIGN_OR_RETURN(bool held, lock.TryAcquire(conn));  // false: someone else has it
//   ... RETURN_IF_ERROR(lock.Renew(conn)); ...           // before the lease runs out
//   lock.Release(conn).IgnoreError();
//
// Semantics:
//  - TryAcquire succeeds when the row is free, expired, or already this owner's; the
//    claim is one UPDATE ... WHERE owner = me OR expires_at < NOW(6), so two claimants
//    cannot both win: on one server the row lock serializes them and the second sees
//    the first's lease; on Galera the second commit fails certification (1213, ABORTED,
//    reported as "not acquired"); on TiDB it is a write conflict (likewise).
//  - Expiry is judged by the database's clock (NOW(6) in UTC), never the replicas'.
//  - A holder that dies stops renewing; after `lease` another replica takes over. A
//    holder that is merely slow must renew in time: Renew is ABORTED once the lease was
//    lost, and the holder must then stop what the lock protects.
//
// Not thread-safe; one instance per holder. Each call uses the connection it is given.
#ifndef GONGKAI_LIBS_DB_MIGRATION_LOCK_H_
#define GONGKAI_LIBS_DB_MIGRATION_LOCK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/db/connection.h"

namespace gongkai::db {

class MigrationLock {
 public:
  // `name` at most 64 characters (MigrationLockName), `owner` at most 255, unique per
  // holder (NewOwner), `lease` at least one second.
  MigrationLock(std::string name, std::string owner, absl::Duration lease);

  // "<host name>/<pid>/<16 random hex digits>": unique per call.
  static std::string NewOwner();

  // Creates schema_migration_lock if missing and claims the lock for `lease`. true when
  // held by this owner now; false when another owner's lease has not run out (or a
  // concurrent claim won). Errors: the connection's (UNAVAILABLE when the database is
  // unreachable).
  absl::StatusOr<bool> TryAcquire(Connection& conn);

  // Extends the lease by `lease` from now. ABORTED when this owner no longer holds it.
  absl::Status Renew(Connection& conn);

  // Frees the lock if this owner holds it (OK when it does not).
  absl::Status Release(Connection& conn);

  // "owner until expires_at" of the current holder, or "nobody", for messages.
  absl::StatusOr<std::string> DescribeHolder(Connection& conn);

  const std::string& name() const { return name_; }
  const std::string& owner() const { return owner_; }
  absl::Duration lease() const { return lease_; }

 private:
  std::string name_;
  std::string owner_;
  absl::Duration lease_;
  bool table_ready_ = false;
};

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_MIGRATION_LOCK_H_
