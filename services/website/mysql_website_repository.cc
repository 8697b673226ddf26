#include "services/website/mysql_website_repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/clock/clock.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::website {
namespace {

using db::Connection;
using db::Row;
using db::Value;

constexpr char kSiteColumns[] =
    "SELECT id, unit_id, name, kind, url, state, filing_number, level_protection_date, "
    "level_protection_result, migrated_to_site_id, editing_procedure, inquiry_procedure, "
    "last_update_date, inquiries_answered, leader_names, probed, version, create_time, "
    "update_time FROM sites";

constexpr char kColumnColumns[] =
    "SELECT id, site_id, name, column_class, url, item_selector, date_pattern, latest_date, "
    "items_found, undated_items, last_checked, last_error FROM site_columns";

constexpr char kRunColumns[] =
    "SELECT id, kind, state, as_of, report_year, report_due, report_due_rule, rule_set, "
    "sites_total, sites_done, sites_failed, sites_vetoed, started_by, create_time, "
    "finish_time, cursor_site_id, sites_register_incomplete, office_report FROM "
    "supervision_runs";

constexpr char kNoticeColumns[] =
    "SELECT id, unit_id, site_id, run_id, reason, state, issued_on, rectify_by, "
    "rectify_by_explanation, rectification_report, rechecks, last_recheck_passed, "
    "last_recheck_summary, escalation, version, issued_by, update_time FROM notices";

constexpr int kRunningState = v1::RUNNING;

Value OptionalDay(const common::v1::Date& date, bool present) {
  if (!present) return Value::Null();
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date);
  return day.ok() ? Value(*day) : Value::Null();
}

absl::StatusOr<v1::Site> ReadSite(const Row& row) {
  v1::Site s;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  s.set_id(id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  s.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(*s.mutable_name(), row.GetString("name"));
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  s.set_kind(static_cast<v1::SiteKind>(kind));
  ASSIGN_OR_RETURN(*s.mutable_url(), row.GetString("url"));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  s.set_state(static_cast<v1::SiteState>(state));
  ASSIGN_OR_RETURN(*s.mutable_filing_number(), row.GetString("filing_number"));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> lp,
                   row.GetOptionalCivilDay("level_protection_date"));
  if (lp) *s.mutable_level_protection_date() = ToProtoDate(*lp);
  ASSIGN_OR_RETURN(*s.mutable_level_protection_result(), row.GetString("level_protection_result"));
  ASSIGN_OR_RETURN(int64_t migrated, row.GetInt64("migrated_to_site_id"));
  s.set_migrated_to_site_id(migrated);
  ASSIGN_OR_RETURN(*s.mutable_editing_procedure(), row.GetString("editing_procedure"));
  ASSIGN_OR_RETURN(*s.mutable_inquiry_procedure(), row.GetString("inquiry_procedure"));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> last, row.GetOptionalCivilDay("last_update_date"));
  if (last) *s.mutable_last_update_date() = ToProtoDate(*last);
  ASSIGN_OR_RETURN(int64_t answered, row.GetInt64("inquiries_answered"));
  s.set_inquiries_answered(static_cast<int32_t>(answered));
  ASSIGN_OR_RETURN(std::string names, row.GetString("leader_names"));
  for (absl::string_view name : absl::StrSplit(names, '\n', absl::SkipEmpty())) {
    s.add_leader_names(std::string(name));
  }
  ASSIGN_OR_RETURN(int64_t probed, row.GetInt64("probed"));
  s.set_probed(probed != 0);
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  s.set_version(version);
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *s.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *s.mutable_update_time() = ToTimestamp(updated);
  return s;
}

absl::StatusOr<v1::Column> ReadColumn(const Row& row) {
  v1::Column c;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  c.set_id(id);
  ASSIGN_OR_RETURN(int64_t site_id, row.GetInt64("site_id"));
  c.set_site_id(site_id);
  ASSIGN_OR_RETURN(*c.mutable_name(), row.GetString("name"));
  ASSIGN_OR_RETURN(int64_t cls, row.GetInt64("column_class"));
  c.set_column_class(static_cast<v1::ColumnClass>(cls));
  ASSIGN_OR_RETURN(*c.mutable_url(), row.GetString("url"));
  ASSIGN_OR_RETURN(*c.mutable_extraction()->mutable_item_selector(),
                   row.GetString("item_selector"));
  ASSIGN_OR_RETURN(*c.mutable_extraction()->mutable_date_pattern(), row.GetString("date_pattern"));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> latest, row.GetOptionalCivilDay("latest_date"));
  if (latest) *c.mutable_latest_date() = ToProtoDate(*latest);
  ASSIGN_OR_RETURN(int64_t items, row.GetInt64("items_found"));
  c.set_items_found(static_cast<int32_t>(items));
  ASSIGN_OR_RETURN(int64_t undated, row.GetInt64("undated_items"));
  c.set_undated_items(static_cast<int32_t>(undated));
  ASSIGN_OR_RETURN(std::optional<absl::Time> checked, row.GetOptionalTime("last_checked"));
  if (checked) *c.mutable_last_checked() = ToTimestamp(*checked);
  ASSIGN_OR_RETURN(*c.mutable_last_error(), row.GetString("last_error"));
  return c;
}

absl::StatusOr<v1::SupervisionRun> ReadRun(const Row& row) {
  v1::SupervisionRun r;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  r.set_id(id);
  ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
  r.set_kind(static_cast<v1::RunKind>(kind));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  r.set_state(static_cast<v1::RunState>(state));
  ASSIGN_OR_RETURN(absl::CivilDay as_of, row.GetCivilDay("as_of"));
  *r.mutable_as_of() = ToProtoDate(as_of);
  ASSIGN_OR_RETURN(int64_t year, row.GetInt64("report_year"));
  r.set_report_year(static_cast<int32_t>(year));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> due, row.GetOptionalCivilDay("report_due"));
  if (due) *r.mutable_report_due() = ToProtoDate(*due);
  ASSIGN_OR_RETURN(*r.mutable_report_due_rule(), row.GetString("report_due_rule"));
  ASSIGN_OR_RETURN(*r.mutable_rule_set(), row.GetString("rule_set"));
  ASSIGN_OR_RETURN(int64_t total, row.GetInt64("sites_total"));
  r.set_sites_total(static_cast<int32_t>(total));
  ASSIGN_OR_RETURN(int64_t done, row.GetInt64("sites_done"));
  r.set_sites_done(static_cast<int32_t>(done));
  ASSIGN_OR_RETURN(int64_t failed, row.GetInt64("sites_failed"));
  r.set_sites_failed(static_cast<int32_t>(failed));
  ASSIGN_OR_RETURN(int64_t vetoed, row.GetInt64("sites_vetoed"));
  r.set_sites_vetoed(static_cast<int32_t>(vetoed));
  ASSIGN_OR_RETURN(*r.mutable_started_by(), row.GetString("started_by"));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *r.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(std::optional<absl::Time> finished, row.GetOptionalTime("finish_time"));
  if (finished) *r.mutable_finish_time() = ToTimestamp(*finished);
  ASSIGN_OR_RETURN(int64_t cursor, row.GetInt64("cursor_site_id"));
  r.set_cursor_site_id(cursor);
  ASSIGN_OR_RETURN(int64_t incomplete, row.GetInt64("sites_register_incomplete"));
  r.set_sites_register_incomplete(static_cast<int32_t>(incomplete));
  ASSIGN_OR_RETURN(std::optional<std::string> report, row.GetOptionalString("office_report"));
  if (report.has_value() && !r.mutable_office_report()->ParseFromString(*report)) {
    return absl::DataLossError("a stored office report does not parse");
  }
  return r;
}

// rectify_by as stored: the day, or the stand-in while the deadline is pending (NAT-1).
absl::StatusOr<absl::CivilDay> StoredRectifyBy(const v1::Notice& notice) {
  if (!notice.has_rectify_by()) return PendingRectifyByStandIn();
  return ToCivilDay(notice.rectify_by());
}

absl::StatusOr<v1::Notice> ReadNotice(const Row& row) {
  v1::Notice n;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  n.set_id(id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  n.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(int64_t site_id, row.GetInt64("site_id"));
  n.set_site_id(site_id);
  ASSIGN_OR_RETURN(int64_t run_id, row.GetInt64("run_id"));
  n.set_run_id(run_id);
  ASSIGN_OR_RETURN(*n.mutable_reason(), row.GetString("reason"));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  n.set_state(static_cast<v1::NoticeState>(state));
  ASSIGN_OR_RETURN(absl::CivilDay issued, row.GetCivilDay("issued_on"));
  *n.mutable_issued_on() = ToProtoDate(issued);
  ASSIGN_OR_RETURN(absl::CivilDay rectify_by, row.GetCivilDay("rectify_by"));
  // The stand-in of a pending deadline is not a day (NAT-1): no rectify_by.
  if (rectify_by != PendingRectifyByStandIn()) *n.mutable_rectify_by() = ToProtoDate(rectify_by);
  ASSIGN_OR_RETURN(std::string explanation, row.GetString("rectify_by_explanation"));
  n.mutable_rectify_by_explanation()->ParseFromString(explanation);
  ASSIGN_OR_RETURN(*n.mutable_rectification_report(), row.GetString("rectification_report"));
  ASSIGN_OR_RETURN(int64_t rechecks, row.GetInt64("rechecks"));
  n.set_rechecks(static_cast<int32_t>(rechecks));
  ASSIGN_OR_RETURN(int64_t passed, row.GetInt64("last_recheck_passed"));
  n.set_last_recheck_passed(passed != 0);
  ASSIGN_OR_RETURN(*n.mutable_last_recheck_summary(), row.GetString("last_recheck_summary"));
  ASSIGN_OR_RETURN(*n.mutable_escalation(), row.GetString("escalation"));
  ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
  n.set_version(version);
  ASSIGN_OR_RETURN(*n.mutable_issued_by(), row.GetString("issued_by"));
  ASSIGN_OR_RETURN(absl::Time updated, row.GetTime("update_time"));
  *n.mutable_update_time() = ToTimestamp(updated);
  return n;
}

absl::StatusOr<v1::Probe> ReadProbe(const Row& row) {
  v1::Probe probe;
  ASSIGN_OR_RETURN(std::string detail, row.GetString("detail"));
  if (!probe.ParseFromString(detail)) return absl::DataLossError("a stored probe does not parse");
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  probe.set_id(id);
  return probe;
}

absl::StatusOr<std::vector<scoring::SlotGap>> ReadGaps(Connection& conn, int64_t site_id,
                                                       absl::Time from, absl::Time to) {
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn.Query("SELECT first_slot, last_slot, interval_seconds, slots FROM "
                              "probe_gaps WHERE site_id = ? AND last_slot >= ? AND "
                              "first_slot < ? ORDER BY first_slot LIMIT 10000",
                              {site_id, from, to}));
  std::vector<scoring::SlotGap> gaps;
  for (const Row& row : rows) {
    scoring::SlotGap gap;
    ASSIGN_OR_RETURN(gap.first_slot, row.GetTime("first_slot"));
    ASSIGN_OR_RETURN(gap.last_slot, row.GetTime("last_slot"));
    ASSIGN_OR_RETURN(int64_t seconds, row.GetInt64("interval_seconds"));
    gap.interval = absl::Seconds(seconds);
    ASSIGN_OR_RETURN(gap.slots, row.GetInt64("slots"));
    gaps.push_back(gap);
  }
  return gaps;
}

absl::StatusOr<int64_t> CountOf(Connection& conn, const std::string& sql,
                                std::vector<Value> params) {
  ASSIGN_OR_RETURN(db::ResultSet rows, conn.Query(sql, params));
  if (rows.empty()) return 0;
  return rows[0].GetInt64(0);
}

template <typename T>
absl::StatusOr<std::vector<T>> QueryAll(db::ConnectionPool& pool, const std::string& sql,
                                        std::vector<Value> params,
                                        absl::StatusOr<T> (*read)(const Row&)) {
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool.Acquire());
  ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(T value, read(row));
    out.push_back(std::move(value));
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> QueryIds(Connection& conn, const std::string& sql,
                                              std::vector<Value> params) {
  ASSIGN_OR_RETURN(db::ResultSet rows, conn.Query(sql, params));
  std::vector<int64_t> ids;
  for (const Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
    ids.push_back(id);
  }
  return ids;
}

absl::Status InsertHistory(Connection& conn, int64_t site_id, const SiteChange& change,
                           absl::Time now) {
  return conn
      .Execute(
          "INSERT INTO site_history (site_id, actor, action, old_state, new_state, detail, "
          "change_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {site_id, change.actor, change.action, change.old_state, change.new_state, change.detail,
           now})
      .status();
}

// Starts (a row with the first slot, kept when present) or stops probing a site.
absl::Status SyncSchedule(Connection& conn, const v1::Site& site, absl::Time first_slot) {
  if (!site.probed()) {
    return conn.Execute("DELETE FROM probe_schedule WHERE site_id = ?", {site.id()}).status();
  }
  return conn
      .Execute(
          "INSERT INTO probe_schedule (site_id, next_slot) VALUES (?, ?) "
          "ON DUPLICATE KEY UPDATE site_id = site_id",
          {site.id(), first_slot})
      .status();
}

std::vector<Value> SiteValues(const v1::Site& s) {
  return {s.unit_id(),
          s.name(),
          static_cast<int64_t>(s.kind()),
          s.url(),
          static_cast<int64_t>(s.state()),
          s.filing_number(),
          OptionalDay(s.level_protection_date(), s.has_level_protection_date()),
          s.level_protection_result(),
          s.migrated_to_site_id(),
          s.editing_procedure(),
          s.inquiry_procedure(),
          OptionalDay(s.last_update_date(), s.has_last_update_date()),
          int64_t{s.inquiries_answered()},
          absl::StrJoin(s.leader_names(), "\n"),
          s.probed() ? 1 : 0};
}

class MysqlWebsiteRepository final : public WebsiteRepository {
 public:
  explicit MysqlWebsiteRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<v1::Site> CreateSite(v1::Site site, const SiteChange& change,
                                      absl::Time first_slot, const idempotency::Key* key,
                                      absl::Time now) override {
    int64_t id = 0;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      std::vector<Value> values = SiteValues(site);
      values.push_back(change.actor);
      values.push_back(now);
      values.push_back(now);
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO sites (unit_id, name, kind, url, state, filing_number, "
              "level_protection_date, level_protection_result, migrated_to_site_id, "
              "editing_procedure, inquiry_procedure, last_update_date, inquiries_answered, "
              "leader_names, probed, created_by, create_time, update_time) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              values));
      id = static_cast<int64_t>(inserted.last_insert_id);
      site.set_id(id);
      RETURN_IF_ERROR(InsertHistory(conn, id, change, now));
      RETURN_IF_ERROR(SyncSchedule(conn, site, first_slot));
      site.set_version(1);
      *site.mutable_create_time() = ToTimestamp(now);
      *site.mutable_update_time() = ToTimestamp(now);
      return db::InsertIdempotencyRecord(conn, key, site.SerializeAsString(), now);
    }));
    return site;
  }

  absl::StatusOr<v1::Site> GetSite(int64_t id) override {
    ASSIGN_OR_RETURN(
        std::vector<v1::Site> sites,
        QueryAll<v1::Site>(*pool_, absl::StrCat(kSiteColumns, " WHERE id = ?"), {id}, &ReadSite));
    if (sites.empty()) return absl::NotFoundError(absl::StrCat("site ", id, " not found"));
    return sites[0];
  }

  absl::StatusOr<std::vector<v1::Site>> ListSites(int64_t unit_id, int64_t after_id,
                                                  int limit) override {
    if (unit_id > 0) {
      return QueryAll<v1::Site>(
          *pool_, absl::StrCat(kSiteColumns, " WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?"),
          {unit_id, after_id, int64_t{limit}}, &ReadSite);
    }
    return QueryAll<v1::Site>(*pool_,
                              absl::StrCat(kSiteColumns, " WHERE id > ? ORDER BY id LIMIT ?"),
                              {after_id, int64_t{limit}}, &ReadSite);
  }

  absl::StatusOr<v1::Site> UpdateSite(v1::Site site, const SiteChange& change,
                                      absl::Time first_slot, absl::Time now) override {
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      std::vector<Value> values = SiteValues(site);
      values.push_back(now);
      values.push_back(site.id());
      values.push_back(site.version());
      ASSIGN_OR_RETURN(
          db::ExecResult updated,
          conn.Execute("UPDATE sites SET unit_id = ?, name = ?, kind = ?, url = ?, state = ?, "
                       "filing_number = ?, level_protection_date = ?, "
                       "level_protection_result = ?, migrated_to_site_id = ?, "
                       "editing_procedure = ?, inquiry_procedure = ?, last_update_date = ?, "
                       "inquiries_answered = ?, leader_names = ?, probed = ?, "
                       "version = version + 1, update_time = ? WHERE id = ? AND version = ?",
                       values));
      if (updated.affected_rows == 0) {
        return db::StaleVersionError(absl::StrCat("site ", site.id(), " changed since version ",
                                                  site.version(), "; read it again"));
      }
      RETURN_IF_ERROR(InsertHistory(conn, site.id(), change, now));
      return SyncSchedule(conn, site, first_slot);
    }));
    site.set_version(site.version() + 1);
    *site.mutable_update_time() = ToTimestamp(now);
    return site;
  }

  absl::StatusOr<std::vector<v1::SiteHistoryEntry>> ListHistory(int64_t site_id, int64_t after_id,
                                                                int limit) override {
    return QueryAll<v1::SiteHistoryEntry>(
        *pool_,
        "SELECT id, actor, action, old_state, new_state, detail, change_time FROM site_history "
        "WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?",
        {site_id, after_id, int64_t{limit}},
        +[](const Row& row) -> absl::StatusOr<v1::SiteHistoryEntry> {
          v1::SiteHistoryEntry e;
          ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
          e.set_id(id);
          ASSIGN_OR_RETURN(*e.mutable_actor(), row.GetString("actor"));
          ASSIGN_OR_RETURN(*e.mutable_action(), row.GetString("action"));
          ASSIGN_OR_RETURN(*e.mutable_old_state(), row.GetString("old_state"));
          ASSIGN_OR_RETURN(*e.mutable_new_state(), row.GetString("new_state"));
          ASSIGN_OR_RETURN(*e.mutable_detail(), row.GetString("detail"));
          ASSIGN_OR_RETURN(absl::Time time, row.GetTime("change_time"));
          *e.mutable_time() = ToTimestamp(time);
          return e;
        });
  }

  absl::StatusOr<v1::Column> CreateColumn(v1::Column column, const idempotency::Key* key,
                                          absl::Time now) override {
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO site_columns (site_id, name, column_class, url, "
              "item_selector, date_pattern, create_time) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {column.site_id(), column.name(), static_cast<int64_t>(column.column_class()),
               column.url(), column.extraction().item_selector(),
               column.extraction().date_pattern(), now}));
      column.set_id(static_cast<int64_t>(inserted.last_insert_id));
      return db::InsertIdempotencyRecord(conn, key, column.SerializeAsString(), now);
    }));
    return column;
  }

  absl::StatusOr<std::vector<v1::Column>> ListColumns(int64_t site_id, int64_t after_id,
                                                      int limit) override {
    return QueryAll<v1::Column>(
        *pool_, absl::StrCat(kColumnColumns, " WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?"),
        {site_id, after_id, int64_t{limit}}, &ReadColumn);
  }

  absl::StatusOr<int64_t> CountColumns(int64_t site_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT COUNT(*) AS n FROM site_columns WHERE site_id = ?", {site_id}));
    return rows[0].GetInt64("n");
  }

  absl::StatusOr<std::vector<ClaimedSlot>> ClaimDueSlots(const std::string& token, absl::Time now,
                                                         absl::Duration lease, int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    // One conditional UPDATE: two replicas can never both hold a slot (the row lock of
    // the UPDATE decides), and an expired claim is taken over.
    RETURN_IF_ERROR(conn->Execute("UPDATE probe_schedule SET claim_token = ?, claim_expires = ? "
                                  "WHERE next_slot <= ? AND (claim_token IS NULL OR "
                                  "claim_expires < ?) ORDER BY next_slot LIMIT ?",
                                  {token, now + lease, now, now, int64_t{limit}})
                        .status());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT site_id, next_slot, last_content_check FROM "
                                 "probe_schedule WHERE claim_token = ? ORDER BY next_slot",
                                 {token}));
    std::vector<ClaimedSlot> slots;
    for (const Row& row : rows) {
      ClaimedSlot slot;
      ASSIGN_OR_RETURN(slot.site_id, row.GetInt64("site_id"));
      ASSIGN_OR_RETURN(slot.slot, row.GetTime("next_slot"));
      ASSIGN_OR_RETURN(slot.last_content_check, row.GetOptionalTime("last_content_check"));
      slots.push_back(slot);
    }
    return slots;
  }

  absl::StatusOr<v1::Probe> RecordProbe(v1::Probe probe,
                                        const std::optional<std::string>& claim_token,
                                        absl::Time next_slot, absl::Time now,
                                        const std::optional<scoring::SlotGap>& gap) override {
    const absl::Time slot = FromTimestamp(probe.slot_start());
    const absl::Time probe_time = FromTimestamp(probe.probe_time());
    std::optional<absl::CivilDay> home_latest;
    if (probe.has_home_latest_date()) {
      absl::StatusOr<absl::CivilDay> day = ToCivilDay(probe.home_latest_date());
      if (day.ok()) home_latest = *day;
    }
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      if (claim_token.has_value()) {
        ASSIGN_OR_RETURN(
            db::ExecResult moved,
            conn.Execute(
                "UPDATE probe_schedule SET next_slot = ?, claim_token = NULL, "
                "claim_expires = NULL, last_content_check = CASE WHEN ? = 1 THEN ? "
                "ELSE last_content_check END WHERE site_id = ? AND claim_token = ?",
                {next_slot, probe.content_checked() ? 1 : 0, now, probe.site_id(), *claim_token}));
        if (moved.affected_rows == 0) {
          return db::StaleVersionError(absl::StrCat("the claim on site ", probe.site_id(),
                                                    " was taken over; the probe is dropped"));
        }
      }
      if (gap.has_value() && gap->slots > 0) {
        // NAT-13: the slots missed before this one, recorded while the claim holds.
        RETURN_IF_ERROR(
            conn.Execute("INSERT INTO probe_gaps (site_id, first_slot, last_slot, "
                         "interval_seconds, slots, recorded_time) VALUES (?, ?, ?, ?, ?, ?)",
                         {probe.site_id(), gap->first_slot, gap->last_slot,
                          absl::ToInt64Seconds(gap->interval), gap->slots, now})
                .status());
      }
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO probes (site_id, slot_start, scheduled, probe_time, home_ok, "
              "content_checked, home_latest_date, elapsed_ms, detail) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {probe.site_id(), slot, probe.scheduled() ? 1 : 0, probe_time,
               probe.home_ok() ? 1 : 0, probe.content_checked() ? 1 : 0, home_latest,
               probe.elapsed_ms(), probe.SerializeAsString()}));
      probe.set_id(static_cast<int64_t>(inserted.last_insert_id));
      for (const v1::ColumnCheck& check : probe.columns()) {
        std::optional<absl::CivilDay> latest;
        if (check.has_latest_date()) {
          absl::StatusOr<absl::CivilDay> day = ToCivilDay(check.latest_date());
          if (day.ok()) latest = *day;
        }
        RETURN_IF_ERROR(
            conn.Execute("UPDATE site_columns SET latest_date = ?, items_found = ?, "
                         "undated_items = ?, last_checked = ?, last_error = ? "
                         "WHERE id = ? AND site_id = ?",
                         {latest, int64_t{check.items_found()}, int64_t{check.undated_items()}, now,
                          check.error().substr(0, 500), check.column_id(), probe.site_id()})
                .status());
      }
      return absl::OkStatus();
    }));
    return probe;
  }

  absl::Status ReleaseSlot(int64_t site_id, const std::string& token,
                           absl::Time next_slot) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return conn
        ->Execute(
            "UPDATE probe_schedule SET next_slot = ?, claim_token = NULL, "
            "claim_expires = NULL WHERE site_id = ? AND claim_token = ?",
            {next_slot, site_id, token})
        .status();
  }

  absl::StatusOr<std::vector<v1::Probe>> ListProbes(int64_t site_id, int64_t before_id,
                                                    int limit) override {
    if (before_id <= 0) before_id = INT64_MAX;
    return QueryAll<v1::Probe>(*pool_,
                               "SELECT id, detail FROM probes WHERE site_id = ? AND id < ? "
                               "ORDER BY id DESC LIMIT ?",
                               {site_id, before_id, int64_t{limit}}, &ReadProbe);
  }

  absl::StatusOr<int> UpsertMessages(int64_t site_id,
                                     const std::vector<v1::Message>& messages) override {
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      for (const v1::Message& m : messages) {
        std::optional<absl::Time> answered;
        if (m.has_answered_time()) answered = FromTimestamp(m.answered_time());
        RETURN_IF_ERROR(
            conn.Execute("INSERT INTO site_messages (site_id, external_id, received_time, "
                         "answered_time) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                         "received_time = VALUES(received_time), "
                         "answered_time = VALUES(answered_time)",
                         {site_id, m.external_id(), FromTimestamp(m.received_time()), answered})
                .status());
      }
      return absl::OkStatus();
    }));
    return static_cast<int>(messages.size());
  }

  absl::StatusOr<v1::SevereError> CreateSevereError(v1::SevereError error,
                                                    const idempotency::Key* key,
                                                    absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay found_on, ToCivilDay(error.found_on()));
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert("INSERT INTO severe_errors (site_id, kind, page_url, evidence, "
                             "found_on, recorded_by, create_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             {error.site_id(), static_cast<int64_t>(error.kind()), error.page_url(),
                              error.evidence(), found_on, error.recorded_by(), now}));
      error.set_id(static_cast<int64_t>(inserted.last_insert_id));
      return db::InsertIdempotencyRecord(conn, key, error.SerializeAsString(), now);
    }));
    return error;
  }

  absl::StatusOr<scoring::EvaluationInput> LoadEvaluationInput(
      const v1::Site& site, absl::CivilDay as_of, absl::Time window_start, absl::Time end,
      absl::Time messages_since, absl::CivilDay severe_since, absl::Duration timely) override {
    scoring::EvaluationInput in;
    in.site = site;
    in.as_of = as_of;
    in.as_of_end = end;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet probes,
                     conn->Query("SELECT id, home_ok, detail FROM probes WHERE site_id = ? AND "
                                 "probe_time >= ? AND probe_time < ? AND scheduled = 1 "
                                 "ORDER BY id",
                                 {site.id(), window_start, end}));
    for (const Row& row : probes) {
      scoring::ProbeOutcome outcome;
      ASSIGN_OR_RETURN(outcome.id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(int64_t ok, row.GetInt64("home_ok"));
      outcome.home_ok = ok != 0;
      if (!outcome.home_ok) {
        ASSIGN_OR_RETURN(v1::Probe detail, ReadProbe(row));
        outcome.robots_disallowed = detail.robots_disallowed();
      }
      in.window_probes.push_back(outcome);
    }
    ASSIGN_OR_RETURN(in.gaps, ReadGaps(*conn, site.id(), window_start, end));
    ASSIGN_OR_RETURN(db::ResultSet latest,
                     conn->Query("SELECT id, detail FROM probes WHERE site_id = ? AND "
                                 "content_checked = 1 AND probe_time < ? "
                                 "ORDER BY probe_time DESC, id DESC LIMIT 1",
                                 {site.id(), end}));
    if (!latest.empty()) {
      ASSIGN_OR_RETURN(v1::Probe probe, ReadProbe(latest[0]));
      in.latest_content_probe = std::move(probe);
    }
    ASSIGN_OR_RETURN(
        db::ResultSet columns,
        conn->Query(absl::StrCat(kColumnColumns, " WHERE site_id = ? ORDER BY id"), {site.id()}));
    for (const Row& row : columns) {
      ASSIGN_OR_RETURN(v1::Column c, ReadColumn(row));
      scoring::ColumnState state;
      state.id = c.id();
      state.name = c.name();
      state.column_class = c.column_class();
      state.checked = c.has_last_checked();
      state.fetched = state.checked && c.last_error().empty();
      state.items_found = c.items_found();
      if (c.has_latest_date()) {
        absl::StatusOr<absl::CivilDay> day = ToCivilDay(c.latest_date());
        if (day.ok()) state.latest_date = *day;
      }
      in.columns.push_back(std::move(state));
    }
    ASSIGN_OR_RETURN(
        db::ResultSet messages,
        conn->Query("SELECT external_id, received_time, answered_time FROM site_messages "
                    "WHERE site_id = ? AND received_time < ? AND ("
                    "answered_time IS NULL OR answered_time > ? OR "
                    "(received_time >= ? AND answered_time > received_time + INTERVAL ? SECOND)"
                    ") ORDER BY id LIMIT 10000",
                    {site.id(), end, end, messages_since, absl::ToInt64Seconds(timely)}));
    for (const Row& row : messages) {
      scoring::MessageState m;
      ASSIGN_OR_RETURN(m.external_id, row.GetString("external_id"));
      ASSIGN_OR_RETURN(m.received, row.GetTime("received_time"));
      ASSIGN_OR_RETURN(m.answered, row.GetOptionalTime("answered_time"));
      in.messages.push_back(std::move(m));
    }
    ASSIGN_OR_RETURN(db::ResultSet errors,
                     conn->Query("SELECT id, kind, found_on FROM severe_errors WHERE site_id = ? "
                                 "AND found_on >= ? AND found_on <= ? ORDER BY id",
                                 {site.id(), severe_since, as_of}));
    for (const Row& row : errors) {
      scoring::SevereErrorState e;
      ASSIGN_OR_RETURN(e.id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
      e.kind = static_cast<v1::SevereErrorKind>(kind);
      ASSIGN_OR_RETURN(e.found_on, row.GetCivilDay("found_on"));
      in.severe_errors.push_back(e);
    }
    return in;
  }

  absl::StatusOr<v1::SupervisionRun> CreateRun(v1::SupervisionRun run, const idempotency::Key* key,
                                               absl::Time now) override {
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ResultSet count,
                       conn.Query(absl::StrCat("SELECT COUNT(*) AS n FROM sites WHERE ",
                                               RunSiteFilter(run.kind())),
                                  {}));
      ASSIGN_OR_RETURN(int64_t total, count[0].GetInt64("n"));
      run.set_sites_total(static_cast<int32_t>(total));
      ASSIGN_OR_RETURN(absl::CivilDay as_of, ToCivilDay(run.as_of()));
      std::optional<absl::CivilDay> due;
      if (run.has_report_due()) {
        ASSIGN_OR_RETURN(absl::CivilDay d, ToCivilDay(run.report_due()));
        due = d;
      }
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO supervision_runs (kind, state, as_of, report_year, "
              "report_due, report_due_rule, rule_set, sites_total, started_by, "
              "create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {static_cast<int64_t>(run.kind()), kRunningState, as_of, int64_t{run.report_year()},
               due, run.report_due_rule(), run.rule_set(), total, run.started_by(), now}));
      run.set_id(static_cast<int64_t>(inserted.last_insert_id));
      run.set_state(v1::RUNNING);
      *run.mutable_create_time() = ToTimestamp(now);
      return db::InsertIdempotencyRecord(conn, key, run.SerializeAsString(), now);
    }));
    return run;
  }

  absl::StatusOr<v1::SupervisionRun> GetRun(int64_t id) override {
    ASSIGN_OR_RETURN(std::vector<v1::SupervisionRun> runs,
                     QueryAll<v1::SupervisionRun>(
                         *pool_, absl::StrCat(kRunColumns, " WHERE id = ?"), {id}, &ReadRun));
    if (runs.empty())
      return absl::NotFoundError(absl::StrCat("supervision run ", id, " not found"));
    return runs[0];
  }

  absl::StatusOr<v1::SupervisionRun> CancelRun(int64_t id, absl::Time now) override {
    ASSIGN_OR_RETURN(v1::SupervisionRun run, GetRun(id));
    if (run.state() != v1::RUNNING) {
      return PreconditionFailed("STATE", absl::StrCat("supervision_run/", id),
                                "the run has already ended");
    }
    {
      ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
      RETURN_IF_ERROR(conn->Execute("UPDATE supervision_runs SET state = ?, finish_time = ?, "
                                    "claim_token = NULL WHERE id = ? AND state = ?",
                                    {static_cast<int64_t>(v1::CANCELLED), now, id, kRunningState})
                          .status());
    }
    return GetRun(id);
  }

  absl::StatusOr<std::optional<v1::SupervisionRun>> ClaimRun(const std::string& token,
                                                             absl::Time now,
                                                             absl::Duration lease) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    RETURN_IF_ERROR(conn->Execute("UPDATE supervision_runs SET claim_token = ?, claim_expires = ? "
                                  "WHERE state = ? AND (claim_token IS NULL OR claim_expires < ?) "
                                  "ORDER BY id LIMIT 1",
                                  {token, now + lease, kRunningState, now})
                        .status());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kRunColumns,
                                              " WHERE claim_token = ? AND state = ? "
                                              "ORDER BY id LIMIT 1"),
                                 {token, kRunningState}));
    if (rows.empty()) return std::optional<v1::SupervisionRun>();
    ASSIGN_OR_RETURN(v1::SupervisionRun run, ReadRun(rows[0]));
    return std::optional<v1::SupervisionRun>(std::move(run));
  }

  absl::StatusOr<std::vector<v1::Site>> SitesForRun(v1::RunKind kind, int64_t after_site_id,
                                                    int limit) override {
    return QueryAll<v1::Site>(*pool_,
                              absl::StrCat(kSiteColumns, " WHERE ", RunSiteFilter(kind),
                                           " AND id > ? ORDER BY id LIMIT ?"),
                              {after_site_id, int64_t{limit}}, &ReadSite);
  }

  absl::Status RecordRunProgress(int64_t run_id, const std::string& token,
                                 const RunProgress& progress, absl::Time now,
                                 absl::Duration lease) override {
    int64_t failed = 0;
    int64_t vetoed = 0;
    int64_t register_incomplete = 0;
    for (const v1::SupervisionResult& r : progress.results) {
      if (!r.evaluation().passed()) ++failed;
      if (r.evaluation().vetoed()) ++vetoed;
      if (r.evaluation().scope() == v1::QUARTERLY_CENSUS && !r.evaluation().register_complete()) {
        ++register_incomplete;
      }
    }
    const Value office_report = progress.office_report.has_value()
                                    ? Value(progress.office_report->SerializeAsString())
                                    : Value::Null();
    return db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult advanced,
          conn.Execute(
              "UPDATE supervision_runs SET cursor_site_id = ?, sites_done = sites_done + ?, "
              "sites_failed = sites_failed + ?, sites_vetoed = sites_vetoed + ?, "
              "sites_register_incomplete = sites_register_incomplete + ?, "
              "office_report = COALESCE(?, office_report), "
              "claim_expires = ?, state = CASE WHEN ? = 1 THEN ? ELSE state END, "
              "finish_time = CASE WHEN ? = 1 THEN ? ELSE finish_time END "
              "WHERE id = ? AND claim_token = ? AND state = ?",
              {progress.cursor_site_id, static_cast<int64_t>(progress.results.size()), failed,
               vetoed, register_incomplete, office_report, now + lease, progress.finished ? 1 : 0,
               static_cast<int64_t>(v1::SUCCEEDED), progress.finished ? 1 : 0, now, run_id, token,
               kRunningState}));
      if (advanced.affected_rows == 0) {
        return db::StaleVersionError(
            absl::StrCat("supervision run ", run_id, " was cancelled or taken over"));
      }
      for (const v1::SupervisionResult& r : progress.results) {
        RETURN_IF_ERROR(
            conn.Execute("INSERT INTO supervision_results (run_id, site_id, unit_id, passed, "
                         "vetoed, score, evaluation, annual_report) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         {run_id, r.site_id(), r.unit_id(), r.evaluation().passed() ? 1 : 0,
                          r.evaluation().vetoed() ? 1 : 0, r.evaluation().score(),
                          r.evaluation().SerializeAsString(),
                          r.has_annual_report() ? Value(r.annual_report().SerializeAsString())
                                                : Value::Null()})
                .status());
      }
      return absl::OkStatus();
    });
  }

  absl::Status ReleaseRun(int64_t run_id, const std::string& token) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return conn
        ->Execute(
            "UPDATE supervision_runs SET claim_token = NULL, claim_expires = NULL "
            "WHERE id = ? AND claim_token = ?",
            {run_id, token})
        .status();
  }

  absl::StatusOr<AnnualFacts> LoadAnnualFacts(const v1::Site& site, absl::CivilDay from,
                                              absl::CivilDay to, absl::Time start,
                                              absl::Time end) override {
    AnnualFacts f;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    const int64_t id = site.id();
    ASSIGN_OR_RETURN(f.columns,
                     CountOf(*conn, "SELECT COUNT(*) FROM site_columns WHERE site_id = ?", {id}));
    // Probes forbidden by robots.txt are stored with home_ok = 0 and counted neither way;
    // the detail says so, so the failures are read with it.
    ASSIGN_OR_RETURN(db::ResultSet probes,
                     conn->Query("SELECT COUNT(*) AS n, SUM(home_ok) AS ok FROM probes WHERE "
                                 "site_id = ? AND scheduled = 1 AND probe_time >= ? AND "
                                 "probe_time < ?",
                                 {id, start, end}));
    ASSIGN_OR_RETURN(int64_t all, probes[0].GetInt64("n"));
    ASSIGN_OR_RETURN(std::optional<int64_t> ok, probes[0].GetOptionalInt64("ok"));
    ASSIGN_OR_RETURN(db::ResultSet failures,
                     conn->Query("SELECT id, home_ok, detail FROM probes WHERE site_id = ? AND "
                                 "scheduled = 1 AND home_ok = 0 AND probe_time >= ? AND "
                                 "probe_time < ? LIMIT 100000",
                                 {id, start, end}));
    int64_t disallowed = 0;
    for (const Row& row : failures) {
      ASSIGN_OR_RETURN(v1::Probe probe, ReadProbe(row));
      if (probe.robots_disallowed()) ++disallowed;
    }
    f.probes_made = all - disallowed;
    f.probes_failed = all - ok.value_or(0) - disallowed;
    ASSIGN_OR_RETURN(f.gaps, ReadGaps(*conn, id, start, end));
    ASSIGN_OR_RETURN(db::ResultSet messages,
                     conn->Query("SELECT COUNT(*) AS n, COUNT(answered_time) AS answered, "
                                 "SUM(TIMESTAMPDIFF(SECOND, received_time, answered_time)) AS s "
                                 "FROM site_messages WHERE site_id = ? AND received_time >= ? "
                                 "AND received_time < ?",
                                 {id, start, end}));
    ASSIGN_OR_RETURN(f.messages_received, messages[0].GetInt64("n"));
    ASSIGN_OR_RETURN(f.messages_answered, messages[0].GetInt64("answered"));
    ASSIGN_OR_RETURN(std::optional<int64_t> seconds, messages[0].GetOptionalInt64("s"));
    f.answer_seconds_total = static_cast<double>(seconds.value_or(0));
    ASSIGN_OR_RETURN(f.severe_errors,
                     CountOf(*conn,
                             "SELECT COUNT(*) FROM severe_errors WHERE site_id = ? AND "
                             "found_on >= ? AND found_on <= ?",
                             {id, from, to}));
    ASSIGN_OR_RETURN(f.notices_issued,
                     CountOf(*conn,
                             "SELECT COUNT(*) FROM notices WHERE site_id = ? AND issued_on >= ? "
                             "AND issued_on <= ?",
                             {id, from, to}));
    ASSIGN_OR_RETURN(f.notices_rectified,
                     CountOf(*conn,
                             "SELECT COUNT(*) FROM notices WHERE site_id = ? AND issued_on >= ? "
                             "AND issued_on <= ? AND state = ?",
                             {id, from, to, int64_t{v1::RECTIFIED}}));
    ASSIGN_OR_RETURN(db::ResultSet runs,
                     conn->Query("SELECT COUNT(*) AS n, COALESCE(SUM(1 - r.passed), 0) AS failed "
                                 "FROM supervision_results r JOIN supervision_runs u ON "
                                 "u.id = r.run_id WHERE r.site_id = ? AND u.as_of >= ? AND "
                                 "u.as_of <= ? AND u.kind <> ?",
                                 {id, from, to, int64_t{v1::ANNUAL_REPORT}}));
    ASSIGN_OR_RETURN(f.evaluations, runs[0].GetInt64("n"));
    ASSIGN_OR_RETURN(f.evaluations_failed, runs[0].GetInt64("failed"));
    return f;
  }

  absl::StatusOr<std::vector<v1::SupervisionResult>> ListResults(int64_t run_id,
                                                                 int64_t after_site_id,
                                                                 int limit) override {
    return QueryAll<v1::SupervisionResult>(
        *pool_,
        "SELECT run_id, site_id, unit_id, evaluation, annual_report FROM supervision_results "
        "WHERE run_id = ? AND site_id > ? ORDER BY site_id LIMIT ?",
        {run_id, after_site_id, int64_t{limit}},
        +[](const Row& row) -> absl::StatusOr<v1::SupervisionResult> {
          v1::SupervisionResult r;
          ASSIGN_OR_RETURN(int64_t run, row.GetInt64("run_id"));
          r.set_run_id(run);
          ASSIGN_OR_RETURN(int64_t site, row.GetInt64("site_id"));
          r.set_site_id(site);
          ASSIGN_OR_RETURN(int64_t unit, row.GetInt64("unit_id"));
          r.set_unit_id(unit);
          ASSIGN_OR_RETURN(std::string evaluation, row.GetString("evaluation"));
          if (!r.mutable_evaluation()->ParseFromString(evaluation)) {
            return absl::DataLossError("a stored evaluation does not parse");
          }
          ASSIGN_OR_RETURN(std::optional<std::string> report,
                           row.GetOptionalString("annual_report"));
          if (report.has_value() && !r.mutable_annual_report()->ParseFromString(*report)) {
            return absl::DataLossError("a stored annual report does not parse");
          }
          return r;
        });
  }

  absl::StatusOr<v1::Notice> CreateNotice(v1::Notice notice, const idempotency::Key* key,
                                          absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay issued, ToCivilDay(notice.issued_on()));
    ASSIGN_OR_RETURN(absl::CivilDay rectify_by, StoredRectifyBy(notice));
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult inserted,
          conn.ExecuteInsert(
              "INSERT INTO notices (unit_id, site_id, run_id, reason, state, issued_on, "
              "rectify_by, rectify_by_explanation, escalation, issued_by, create_time, "
              "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {notice.unit_id(), notice.site_id(), notice.run_id(), notice.reason(),
               static_cast<int64_t>(notice.state()), issued, rectify_by,
               notice.rectify_by_explanation().SerializeAsString(), notice.escalation(),
               notice.issued_by(), now, now}));
      notice.set_id(static_cast<int64_t>(inserted.last_insert_id));
      notice.set_version(1);
      *notice.mutable_update_time() = ToTimestamp(now);
      return db::InsertIdempotencyRecord(conn, key, notice.SerializeAsString(), now);
    }));
    return notice;
  }

  absl::StatusOr<v1::Notice> GetNotice(int64_t id) override {
    ASSIGN_OR_RETURN(std::vector<v1::Notice> notices,
                     QueryAll<v1::Notice>(*pool_, absl::StrCat(kNoticeColumns, " WHERE id = ?"),
                                          {id}, &ReadNotice));
    if (notices.empty()) return absl::NotFoundError(absl::StrCat("notice ", id, " not found"));
    return notices[0];
  }

  absl::StatusOr<std::vector<v1::Notice>> ListNotices(int64_t unit_id, int64_t after_id,
                                                      int limit) override {
    if (unit_id > 0) {
      return QueryAll<v1::Notice>(
          *pool_, absl::StrCat(kNoticeColumns, " WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?"),
          {unit_id, after_id, int64_t{limit}}, &ReadNotice);
    }
    return QueryAll<v1::Notice>(*pool_,
                                absl::StrCat(kNoticeColumns, " WHERE id > ? ORDER BY id LIMIT ?"),
                                {after_id, int64_t{limit}}, &ReadNotice);
  }

  absl::StatusOr<v1::Notice> UpdateNotice(v1::Notice notice, absl::Time now) override {
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult updated,
          conn.Execute("UPDATE notices SET state = ?, rectification_report = ?, rechecks = ?, "
                       "last_recheck_passed = ?, last_recheck_summary = ?, escalation = ?, "
                       "version = version + 1, update_time = ? WHERE id = ? AND version = ?",
                       {static_cast<int64_t>(notice.state()), notice.rectification_report(),
                        int64_t{notice.rechecks()}, notice.last_recheck_passed() ? 1 : 0,
                        notice.last_recheck_summary().substr(0, 4000), notice.escalation(), now,
                        notice.id(), notice.version()}));
      if (updated.affected_rows == 0) {
        return db::StaleVersionError(absl::StrCat("notice ", notice.id(), " changed since version ",
                                                  notice.version(), "; read it again"));
      }
      return absl::OkStatus();
    }));
    notice.set_version(notice.version() + 1);
    *notice.mutable_update_time() = ToTimestamp(now);
    return notice;
  }

  absl::StatusOr<std::vector<v1::Notice>> ListUnrectifiedNotices(int64_t after_id,
                                                                 int limit) override {
    return QueryAll<v1::Notice>(
        *pool_, absl::StrCat(kNoticeColumns, " WHERE id > ? AND state <> ? ORDER BY id LIMIT ?"),
        {after_id, int64_t{v1::RECTIFIED}, int64_t{limit}}, &ReadNotice);
  }

  absl::StatusOr<v1::Notice> UpdateRectifyBy(v1::Notice notice, absl::Time now) override {
    ASSIGN_OR_RETURN(absl::CivilDay rectify_by, StoredRectifyBy(notice));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ExecResult updated,
        conn->Execute("UPDATE notices SET rectify_by = ?, rectify_by_explanation = ?, "
                      "version = version + 1, update_time = ? WHERE id = ? AND version = ?",
                      {rectify_by, notice.rectify_by_explanation().SerializeAsString(), now,
                       notice.id(), notice.version()}));
    if (updated.affected_rows == 0) {
      return db::StaleVersionError(absl::StrCat("notice ", notice.id(), " changed since version ",
                                                notice.version(), "; read it again"));
    }
    notice.set_version(notice.version() + 1);
    *notice.mutable_update_time() = ToTimestamp(now);
    return notice;
  }

  absl::StatusOr<WebsiteGauges> ReadGauges(absl::Time now, absl::Duration probe_interval,
                                           absl::CivilDay today) override {
    WebsiteGauges g;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet states,
                     conn->Query("SELECT state, COUNT(*) AS n FROM sites GROUP BY state", {}));
    for (const Row& row : states) {
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
      ASSIGN_OR_RETURN(int64_t n, row.GetInt64("n"));
      g.sites_by_state.emplace_back(static_cast<int>(state), n);
    }
    ASSIGN_OR_RETURN(db::ResultSet overdue,
                     conn->Query("SELECT COUNT(*) AS n FROM probe_schedule WHERE next_slot < ? "
                                 "AND (claim_token IS NULL OR claim_expires < ?)",
                                 {now - probe_interval, now}));
    ASSIGN_OR_RETURN(g.probes_overdue, overdue[0].GetInt64("n"));
    ASSIGN_OR_RETURN(
        db::ResultSet runs,
        conn->Query("SELECT COUNT(*) AS n FROM supervision_runs WHERE state = ?", {kRunningState}));
    ASSIGN_OR_RETURN(g.runs_running, runs[0].GetInt64("n"));
    // A pending deadline's stand-in (NAT-1) is never before today: not overdue.
    ASSIGN_OR_RETURN(db::ResultSet notices,
                     conn->Query("SELECT COUNT(*) AS n FROM notices WHERE rectify_by < ? AND "
                                 "state <> ?",
                                 {today, static_cast<int64_t>(v1::RECTIFIED)}));
    ASSIGN_OR_RETURN(g.notices_overdue, notices[0].GetInt64("n"));
    ASSIGN_OR_RETURN(db::ResultSet pending,
                     conn->Query("SELECT COUNT(*) AS n FROM notices WHERE rectify_by = ? AND "
                                 "state <> ?",
                                 {PendingRectifyByStandIn(), static_cast<int64_t>(v1::RECTIFIED)}));
    ASSIGN_OR_RETURN(g.notices_deadline_pending, pending[0].GetInt64("n"));
    return g;
  }

  absl::StatusOr<UnitPlatformFacts> ReadUnitPlatformFacts(int64_t unit_id, absl::CivilDay from,
                                                          absl::CivilDay to,
                                                          absl::CivilDay today) override {
    UnitPlatformFacts f;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    const int64_t shutdown = v1::SHUTDOWN;
    const int64_t migrated = v1::MIGRATED;
    ASSIGN_OR_RETURN(f.sites, QueryIds(*conn,
                                       "SELECT id FROM sites WHERE unit_id = ? AND state NOT IN "
                                       "(?, ?) ORDER BY id LIMIT 1000",
                                       {unit_id, shutdown, migrated}));
    ASSIGN_OR_RETURN(f.sites_migrated,
                     QueryIds(*conn,
                              "SELECT id FROM sites WHERE unit_id = ? AND state = ? ORDER BY id "
                              "LIMIT 1000",
                              {unit_id, migrated}));
    ASSIGN_OR_RETURN(f.accounts_without_procedures,
                     QueryIds(*conn,
                              "SELECT id FROM sites WHERE unit_id = ? AND kind IN (?, ?, ?, ?) "
                              "AND state NOT IN (?, ?) AND (editing_procedure = '' OR "
                              "inquiry_procedure = '') ORDER BY id LIMIT 1000",
                              {unit_id, int64_t{v1::WEIBO}, int64_t{v1::WECHAT}, int64_t{v1::APP},
                               int64_t{v1::OTHER_NEW_MEDIA}, shutdown, migrated}));
    const std::string results =
        "SELECT DISTINCT r.site_id FROM supervision_results r JOIN supervision_runs u ON "
        "u.id = r.run_id WHERE r.unit_id = ? AND u.as_of >= ? AND u.as_of <= ?";
    ASSIGN_OR_RETURN(f.sites_evaluated, QueryIds(*conn, results + " ORDER BY r.site_id LIMIT 1000",
                                                 {unit_id, from, to}));
    ASSIGN_OR_RETURN(f.sites_failed,
                     QueryIds(*conn, results + " AND r.passed = 0 ORDER BY r.site_id LIMIT 1000",
                              {unit_id, from, to}));
    ASSIGN_OR_RETURN(f.sites_vetoed,
                     QueryIds(*conn, results + " AND r.vetoed = 1 ORDER BY r.site_id LIMIT 1000",
                              {unit_id, from, to}));
    ASSIGN_OR_RETURN(f.notices_issued,
                     QueryIds(*conn,
                              "SELECT id FROM notices WHERE unit_id = ? AND issued_on >= ? AND "
                              "issued_on <= ? ORDER BY id LIMIT 1000",
                              {unit_id, from, to}));
    // WEB-4: due in the period and already past (not yet due is not overdue); a pending
    // deadline (NAT-1, the stand-in day) is never before today.
    ASSIGN_OR_RETURN(f.notices_overdue,
                     QueryIds(*conn,
                              "SELECT id FROM notices WHERE unit_id = ? AND rectify_by >= ? AND "
                              "rectify_by <= ? AND rectify_by < ? AND state <> ? ORDER BY id "
                              "LIMIT 1000",
                              {unit_id, from, to, today, int64_t{v1::RECTIFIED}}));
    ASSIGN_OR_RETURN(f.severe_errors,
                     QueryIds(*conn,
                              "SELECT e.id FROM severe_errors e JOIN sites s ON s.id = e.site_id "
                              "WHERE s.unit_id = ? AND e.found_on >= ? AND e.found_on <= ? "
                              "ORDER BY e.id LIMIT 1000",
                              {unit_id, from, to}));
    return f;
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

 private:
  // WEB-2: the weekly check covers the probed websites; the monthly monitoring those
  // and the working new-media accounts (NAT-14's account rule is "before monitoring");
  // the quarterly census and the annual report every site and account still registered.
  static std::string RunSiteFilter(v1::RunKind kind) {
    if (kind == v1::WEEKLY_CHECK) return "probed = 1";
    if (kind == v1::MONTHLY_MONITORING) {
      return absl::StrCat("(probed = 1 OR (state = ", static_cast<int>(v1::OPERATION),
                          " AND kind IN (", static_cast<int>(v1::WEIBO), ", ",
                          static_cast<int>(v1::WECHAT), ", ", static_cast<int>(v1::APP), ", ",
                          static_cast<int>(v1::OTHER_NEW_MEDIA), ")))");
    }
    return absl::StrCat("state NOT IN (", static_cast<int>(v1::SHUTDOWN), ", ",
                        static_cast<int>(v1::MIGRATED), ")");
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<WebsiteRepository> NewMysqlWebsiteRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlWebsiteRepository>(pool);
}

}  // namespace gongkai::website
