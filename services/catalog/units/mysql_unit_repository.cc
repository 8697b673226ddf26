#include "services/catalog/units/mysql_unit_repository.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/db/idempotency.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/catalog/mysql_keyset.h"

namespace gongkai::catalog::units {
namespace {

using db::Connection;
using db::Row;
using db::Value;

constexpr char kUnitSelect[] = "SELECT id, code, name, level, parent_id, create_time FROM units";

absl::StatusOr<v1::Unit> UnitFromRow(const Row& row) {
  v1::Unit u;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  u.set_id(id);
  ASSIGN_OR_RETURN(std::string code, row.GetString("code"));
  u.set_code(std::move(code));
  ASSIGN_OR_RETURN(std::string name, row.GetString("name"));
  u.set_name(std::move(name));
  ASSIGN_OR_RETURN(int64_t level, row.GetInt64("level"));
  u.set_level(static_cast<v1::UnitLevel>(level));
  ASSIGN_OR_RETURN(int64_t parent, row.GetInt64("parent_id"));
  u.set_parent_id(parent);
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *u.mutable_create_time() = ToTimestamp(created);
  return u;
}

class MysqlUnitRepository final : public UnitRepository {
 public:
  explicit MysqlUnitRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  absl::StatusOr<v1::Unit> CreateUnit(const v1::Unit& unit, const IdempotencyKey* key) override {
    v1::Unit created = unit;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert(
              "INSERT INTO units (code, name, level, parent_id, create_time) "
              "VALUES (?, ?, ?, ?, ?)",
              {Value(unit.code()), Value(unit.name()), Value(static_cast<int>(unit.level())),
               Value(unit.parent_id()), Value(FromTimestamp(unit.create_time()))}));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      return db::InsertIdempotencyRecord(conn, key, created.SerializeAsString(),
                                         FromTimestamp(unit.create_time()));
    }));
    return created;
  }

  absl::StatusOr<v1::Unit> GetUnit(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kUnitSelect, " WHERE id = ?"), {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("unit ", id, " not found"));
    return UnitFromRow(rows[0]);
  }

  absl::StatusOr<std::vector<v1::Unit>> ListUnits(const UnitFilter& filter,
                                                  const KeysetPage& page) override {
    std::string sql = absl::StrCat(kUnitSelect, " WHERE 1=1");
    std::vector<Value> params;
    if (filter.parent_id != 0) {
      sql += " AND parent_id = ?";
      params.emplace_back(filter.parent_id);
    }
    if (filter.level != v1::UNIT_LEVEL_UNSPECIFIED) {
      sql += " AND level = ?";
      params.emplace_back(static_cast<int>(filter.level));
    }
    AppendKeyset("id", page, sql, params);
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return db::MapRows<v1::Unit>(rows, UnitFromRow);
  }

 private:
  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<UnitRepository> NewMysqlUnitRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlUnitRepository>(pool);
}

}  // namespace gongkai::catalog::units
