#include "services/catalog/catalog_items/mysql_catalog_item_repository.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/db/idempotency.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/catalog/mysql_id_sample.h"
#include "services/catalog/mysql_keyset.h"

namespace gongkai::catalog::catalog_items {
namespace {

using db::Connection;
using db::InsertIdempotencyRecord;
using db::MapRows;
using db::Row;
using db::StaleVersionError;
using db::Value;

absl::StatusOr<v1::Category> CategoryFromRow(const Row& row) {
  v1::Category c;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  c.set_id(id);
  ASSIGN_OR_RETURN(int64_t parent, row.GetInt64("parent_id"));
  c.set_parent_id(parent);
  ASSIGN_OR_RETURN(std::string code, row.GetString("code"));
  c.set_code(std::move(code));
  ASSIGN_OR_RETURN(std::string name, row.GetString("name"));
  c.set_name(std::move(name));
  ASSIGN_OR_RETURN(int64_t key_area, row.GetInt64("key_area"));
  c.set_key_area(static_cast<v1::KeyArea>(key_area));
  return c;
}

constexpr char kCatalogItemSelect[] =
    "SELECT r.item_id AS id, r.category_id, r.responsible_unit_id, r.content, r.time_limit, "
    "r.method, r.revision, r.changed_by, r.change_time, r.change_note "
    "FROM catalog_item_revisions r ";

absl::StatusOr<v1::CatalogItem> CatalogItemFromRow(const Row& row) {
  v1::CatalogItem item;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  item.set_id(id);
  ASSIGN_OR_RETURN(int64_t category, row.GetInt64("category_id"));
  item.set_category_id(category);
  ASSIGN_OR_RETURN(int64_t unit, row.GetInt64("responsible_unit_id"));
  item.set_responsible_unit_id(unit);
  ASSIGN_OR_RETURN(std::string content, row.GetString("content"));
  item.set_content(std::move(content));
  ASSIGN_OR_RETURN(std::string limit, row.GetString("time_limit"));
  item.set_time_limit(std::move(limit));
  ASSIGN_OR_RETURN(std::string method, row.GetString("method"));
  item.set_method(std::move(method));
  ASSIGN_OR_RETURN(int64_t revision, row.GetInt64("revision"));
  item.set_revision(revision);
  ASSIGN_OR_RETURN(std::string changed_by, row.GetString("changed_by"));
  item.set_changed_by(std::move(changed_by));
  ASSIGN_OR_RETURN(absl::Time changed, row.GetTime("change_time"));
  *item.mutable_change_time() = ToTimestamp(changed);
  ASSIGN_OR_RETURN(std::string note, row.GetString("change_note"));
  item.set_change_note(std::move(note));
  return item;
}

absl::Status InsertRevision(Connection& conn, int64_t item_id, int64_t revision,
                            const v1::CatalogItem& item) {
  return conn
      .Execute(
          "INSERT INTO catalog_item_revisions (item_id, revision, category_id, "
          "responsible_unit_id, content, time_limit, method, changed_by, change_time, "
          "change_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {Value(item_id), Value(revision), Value(item.category_id()),
           Value(item.responsible_unit_id()), Value(item.content()), Value(item.time_limit()),
           Value(item.method()), Value(item.changed_by()), Value(FromTimestamp(item.change_time())),
           Value(item.change_note())})
      .status();
}

class MysqlCatalogItemRepository final : public CatalogItemRepository {
 public:
  explicit MysqlCatalogItemRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                              const IdempotencyKey* key) override {
    v1::Category created = category;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert(
              "INSERT INTO categories (parent_id, code, name, key_area) VALUES (?, ?, ?, ?)",
              {Value(category.parent_id()), Value(category.code()), Value(category.name()),
               Value(static_cast<int>(category.key_area()))}));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(), absl::Now());
    }));
    return created;
  }

  absl::StatusOr<v1::Category> GetCategory(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, parent_id, code, name, key_area FROM categories WHERE id = ?",
                    {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("category ", id, " not found"));
    return CategoryFromRow(rows[0]);
  }

  absl::StatusOr<std::vector<v1::Category>> ListCategories() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, parent_id, code, name, key_area FROM categories ORDER BY id"));
    ASSIGN_OR_RETURN(std::vector<v1::Category> all, MapRows<v1::Category>(rows, CategoryFromRow));
    // Parents before children: breadth-first from the roots.
    std::multimap<int64_t, const v1::Category*> children;
    for (const auto& c : all) children.emplace(c.parent_id(), &c);
    std::vector<v1::Category> ordered;
    std::vector<int64_t> frontier = {0};
    while (!frontier.empty()) {
      std::vector<int64_t> next;
      for (int64_t parent : frontier) {
        auto [begin, end] = children.equal_range(parent);
        for (auto it = begin; it != end; ++it) {
          ordered.push_back(*it->second);
          next.push_back(it->second->id());
        }
      }
      frontier = std::move(next);
    }
    return ordered;
  }

  absl::StatusOr<v1::CatalogItem> CreateCatalogItem(const v1::CatalogItem& item,
                                                    const IdempotencyKey* key) override {
    v1::CatalogItem created = item;
    created.set_revision(1);
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert("INSERT INTO catalog_items (category_id, responsible_unit_id, "
                             "revision) VALUES (?, ?, 1)",
                             {Value(item.category_id()), Value(item.responsible_unit_id())}));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      RETURN_IF_ERROR(InsertRevision(conn, created.id(), 1, created));
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(),
                                     FromTimestamp(item.change_time()));
    }));
    return created;
  }

  absl::StatusOr<v1::CatalogItem> UpdateCatalogItem(const v1::CatalogItem& item,
                                                    int64_t expected_revision) override {
    v1::CatalogItem updated = item;
    updated.set_revision(expected_revision + 1);
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute("UPDATE catalog_items SET category_id = ?, responsible_unit_id = ?, "
                       "revision = revision + 1 WHERE id = ? AND revision = ?",
                       {Value(item.category_id()), Value(item.responsible_unit_id()),
                        Value(item.id()), Value(expected_revision)}));
      if (r.affected_rows == 0) {
        ASSIGN_OR_RETURN(
            db::ResultSet rows,
            conn.Query("SELECT revision FROM catalog_items WHERE id = ?", {Value(item.id())}));
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("catalog item ", item.id(), " not found"));
        }
        return StaleVersionError(
            absl::StrCat("catalog item ", item.id(), " changed concurrently; reload and retry"));
      }
      return InsertRevision(conn, item.id(), expected_revision + 1, updated);
    }));
    return updated;
  }

  absl::StatusOr<v1::CatalogItem> GetCatalogItem(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kCatalogItemSelect,
                                              "JOIN catalog_items i ON i.id = r.item_id AND "
                                              "i.revision = r.revision WHERE i.id = ?"),
                                 {Value(id)}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("catalog item ", id, " not found"));
    return CatalogItemFromRow(rows[0]);
  }

  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItems(const CatalogItemFilter& filter,
                                                                const KeysetPage& page) override {
    std::string sql = absl::StrCat(
        kCatalogItemSelect,
        "JOIN catalog_items i ON i.id = r.item_id AND i.revision = r.revision WHERE 1=1");
    std::vector<Value> params;
    if (filter.category_id != 0) {
      sql += " AND i.category_id = ?";
      params.emplace_back(filter.category_id);
    }
    if (filter.responsible_unit_id != 0) {
      sql += " AND i.responsible_unit_id = ?";
      params.emplace_back(filter.responsible_unit_id);
    }
    AppendKeyset("i.id", page, sql, params);
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return MapRows<v1::CatalogItem>(rows, CatalogItemFromRow);
  }

  absl::StatusOr<std::vector<v1::CatalogItem>> ListCatalogItemRevisions(
      int64_t id, const KeysetPage& page) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    std::string sql = absl::StrCat(kCatalogItemSelect, "WHERE r.item_id = ?");
    std::vector<Value> params = {Value(id)};
    AppendKeyset("r.revision", page, sql, params);  // The primary key (item_id, revision).
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    if (rows.empty() && page.after_id == 0) {
      return absl::NotFoundError(absl::StrCat("catalog item ", id, " not found"));
    }
    return MapRows<v1::CatalogItem>(rows, CatalogItemFromRow);
  }

  absl::StatusOr<CatalogItemEvidence> EvidenceForUnit(int64_t unit_id, absl::Time start,
                                                      absl::Time end) override {
    CatalogItemEvidence e;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(e.responsible,
                     QueryIdSample(*conn, "id", "FROM catalog_items WHERE responsible_unit_id = ?",
                                   {Value(unit_id)}));
    ASSIGN_OR_RETURN(
        e.revised,
        QueryIdSample(
            *conn, "i.id",
            "FROM catalog_items i JOIN catalog_item_revisions r ON r.item_id = i.id "
            "WHERE i.responsible_unit_id = ? AND r.change_time >= ? AND r.change_time < ?",
            {Value(unit_id), Value(start), Value(end)}));
    return e;
  }

 private:
  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<CatalogItemRepository> NewMysqlCatalogItemRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlCatalogItemRepository>(pool);
}

absl::StatusOr<int64_t> InsertCatalogItem(db::Connection& conn, const v1::CatalogItem& item) {
  ASSIGN_OR_RETURN(
      db::ExecResult r,
      conn.ExecuteInsert("INSERT INTO catalog_items (category_id, responsible_unit_id, "
                         "revision) VALUES (?, ?, 1)",
                         {Value(item.category_id()), Value(item.responsible_unit_id())}));
  const int64_t id = static_cast<int64_t>(r.last_insert_id);
  RETURN_IF_ERROR(InsertRevision(conn, id, 1, item));
  return id;
}

}  // namespace gongkai::catalog::catalog_items
