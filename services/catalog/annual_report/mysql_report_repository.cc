#include "services/catalog/annual_report/mysql_report_repository.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/status/status_macros.h"

namespace gongkai::catalog::annual_report {
namespace {

using db::Connection;
using db::Row;
using db::Value;

constexpr char kReportColumns[] =
    "id, year, unit_id, state, inputs, snapshot, document_id, publish_time, update_time, "
    "version, publication_started_by, publication_started_at";

absl::StatusOr<StoredReport> ReportFromRow(const Row& row) {
  StoredReport r;
  ASSIGN_OR_RETURN(r.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(int64_t year, row.GetInt64("year"));
  r.year = static_cast<int>(year);
  ASSIGN_OR_RETURN(r.unit_id, row.GetInt64("unit_id"));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  r.state = static_cast<v1::AnnualReportState>(state);
  ASSIGN_OR_RETURN(std::string inputs, row.GetString("inputs"));
  if (!r.inputs.ParseFromString(inputs)) {
    return absl::InternalError(absl::StrCat("annual report ", r.id, ": inputs are unreadable"));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> snapshot, row.GetOptionalString("snapshot"));
  if (snapshot.has_value()) {
    v1::AnnualReport report;
    if (!report.ParseFromString(*snapshot)) {
      return absl::InternalError(absl::StrCat("annual report ", r.id, ": snapshot is unreadable"));
    }
    r.snapshot = std::move(report);
  }
  ASSIGN_OR_RETURN(r.document_id, row.GetInt64("document_id"));
  ASSIGN_OR_RETURN(r.publish_time, row.GetOptionalTime("publish_time"));
  ASSIGN_OR_RETURN(r.update_time, row.GetTime("update_time"));
  ASSIGN_OR_RETURN(r.version, row.GetInt64("version"));
  ASSIGN_OR_RETURN(r.publication_started_by, row.GetString("publication_started_by"));
  ASSIGN_OR_RETURN(r.publication_started_at, row.GetOptionalTime("publication_started_at"));
  // The row's state, document and version are the snapshot's (the contract).
  if (r.snapshot.has_value()) {
    r.snapshot->set_state(r.state);
    r.snapshot->set_document_id(r.document_id);
    r.snapshot->set_version(r.version);
  }
  return r;
}

absl::StatusOr<ReportUnit> UnitFromRow(const Row& row) {
  ReportUnit u;
  ASSIGN_OR_RETURN(u.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(u.name, row.GetString("name"));
  ASSIGN_OR_RETURN(int64_t level, row.GetInt64("level"));
  u.level = static_cast<v1::UnitLevel>(level);
  return u;
}

absl::StatusOr<std::optional<StoredReport>> ReadReport(Connection& conn, int year,
                                                       int64_t unit_id) {
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn.Query(absl::StrCat("SELECT ", kReportColumns,
                                           " FROM annual_reports WHERE year = ? AND unit_id = ?"),
                              {year, unit_id}));
  if (rows.empty()) return std::optional<StoredReport>();
  ASSIGN_OR_RETURN(StoredReport report, ReportFromRow(rows[0]));
  return std::optional<StoredReport>(std::move(report));
}

// The fields one write stores.
struct ReportWrite {
  int year = 0;
  int64_t unit_id = 0;
  v1::AnnualReportState state = v1::ANNUAL_REPORT_DRAFT;
  std::string inputs;
  std::optional<std::string> snapshot;
  int64_t document_id = 0;
  std::optional<absl::Time> publish_time;
  std::string publication_started_by;
  std::optional<absl::Time> publication_started_at;
};

std::string ReportName(int year, int64_t unit_id) {
  return absl::StrCat("the ", year, " report of unit ", unit_id);
}

class MysqlAnnualReportRepository final : public AnnualReportRepository {
 public:
  explicit MysqlAnnualReportRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::vector<RequestTally>> CountRequests(int64_t unit_id,
                                                          const YearRange& year) override {
    // Mirrors ClassifyReceived / ClassifyAnswered (report_tables.h).
    std::string sql =
        "SELECT applicant_type, outcome_code, received_bucket, answered_bucket, COUNT(*) AS n "
        "FROM (SELECT applicant_type, COALESCE(outcome, 0) AS outcome_code, "
        "CASE WHEN received_on < ? THEN 0 ELSE 1 END AS received_bucket, "
        "CASE WHEN answered_on IS NULL THEN 0 WHEN answered_on < ? THEN 1 "
        "WHEN answered_on <= ? THEN 2 ELSE 3 END AS answered_bucket "
        "FROM disclosure_requests WHERE received_on <= ?";
    std::vector<Value> params = {year.first, year.first, year.last, year.last};
    if (unit_id != 0) {
      sql += " AND unit_id = ?";
      params.emplace_back(unit_id);
    }
    sql += ") t GROUP BY applicant_type, outcome_code, received_bucket, answered_bucket";
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<RequestTally> out;
    for (const Row& row : rows) {
      RequestTally t;
      ASSIGN_OR_RETURN(int64_t type, row.GetInt64("applicant_type"));
      ASSIGN_OR_RETURN(int64_t outcome, row.GetInt64("outcome_code"));
      ASSIGN_OR_RETURN(int64_t received, row.GetInt64("received_bucket"));
      ASSIGN_OR_RETURN(int64_t answered, row.GetInt64("answered_bucket"));
      ASSIGN_OR_RETURN(t.count, row.GetInt64("n"));
      t.applicant_type = static_cast<int>(type);
      t.outcome = static_cast<int>(outcome);
      t.received = received == 0 ? Received::kBeforeYear : Received::kInYear;
      t.answered = answered == 0   ? Answered::kOpen
                   : answered == 1 ? Answered::kBeforeYear
                   : answered == 2 ? Answered::kInYear
                                   : Answered::kAfterYear;
      out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<std::vector<ChallengeTally>> CountChallenges(int64_t unit_id,
                                                              const YearRange& year) override {
    // Mirrors DecidedByYearEnd (report_tables.h).
    std::string sql =
        "SELECT kind, result, decided, COUNT(*) AS n FROM (SELECT kind, result, "
        "CASE WHEN decided_on IS NOT NULL AND decided_on <= ? THEN 1 ELSE 0 END AS decided "
        "FROM disclosure_challenges WHERE filed_on >= ? AND filed_on <= ?";
    std::vector<Value> params = {year.last, year.first, year.last};
    if (unit_id != 0) {
      sql += " AND unit_id = ?";
      params.emplace_back(unit_id);
    }
    sql += ") t GROUP BY kind, result, decided";
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<ChallengeTally> out;
    for (const Row& row : rows) {
      ChallengeTally t;
      ASSIGN_OR_RETURN(int64_t kind, row.GetInt64("kind"));
      ASSIGN_OR_RETURN(int64_t result, row.GetInt64("result"));
      ASSIGN_OR_RETURN(t.decided_by_year_end, row.GetBool("decided"));
      ASSIGN_OR_RETURN(t.count, row.GetInt64("n"));
      t.kind = static_cast<int>(kind);
      t.result = static_cast<int>(result);
      out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<PolicyDocumentCounts> CountPolicyDocuments(int64_t unit_id,
                                                            const YearRange& year) override {
    // Mirrors RepealedInYear and InForceAtYearEnd (report_tables.h). A document is
    // repealed on or after its publication day (documents/documents.cc), so every one repealed in
    // the year is among those published by its end.
    std::string sql =
        "SELECT COALESCE(SUM(CASE WHEN publish_time >= ? THEN 1 ELSE 0 END), 0) AS in_year, "
        "COUNT(*) AS by_year_end, "
        "COALESCE(SUM(CASE WHEN repealed_on >= ? AND repealed_on <= ? THEN 1 ELSE 0 END), 0) "
        "AS repealed_in_year, "
        "COALESCE(SUM(CASE WHEN repealed_on IS NULL OR repealed_on > ? THEN 1 ELSE 0 END), 0) "
        "AS in_force FROM documents "
        "WHERE state = ? AND is_policy_document = TRUE AND publish_time < ?";
    std::vector<Value> params = {
        year.start,     year.first, year.last, year.last, static_cast<int64_t>(v1::PUBLISHED),
        year.next_start};
    if (unit_id != 0) {
      sql += " AND drafting_unit_id = ?";
      params.emplace_back(unit_id);
    }
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    PolicyDocumentCounts counts;
    if (rows.empty()) return counts;
    ASSIGN_OR_RETURN(counts.published_in_year, rows[0].GetInt64("in_year"));
    ASSIGN_OR_RETURN(counts.published_by_year_end, rows[0].GetInt64("by_year_end"));
    ASSIGN_OR_RETURN(counts.repealed_in_year, rows[0].GetInt64("repealed_in_year"));
    ASSIGN_OR_RETURN(counts.in_force_at_year_end, rows[0].GetInt64("in_force"));
    return counts;
  }

  absl::StatusOr<std::optional<ReportUnit>> FindUnit(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, name, level FROM units WHERE id = ?", {id}));
    if (rows.empty()) return std::optional<ReportUnit>();
    ASSIGN_OR_RETURN(ReportUnit unit, UnitFromRow(rows[0]));
    return std::optional<ReportUnit>(std::move(unit));
  }

  absl::StatusOr<std::vector<ReportUnit>> ListUnits() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, name, level FROM units ORDER BY id"));
    return db::MapRows<ReportUnit>(rows, UnitFromRow);
  }

  absl::StatusOr<std::optional<StoredReport>> FindReport(int year, int64_t unit_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return ReadReport(*conn, year, unit_id);
  }

  absl::StatusOr<StoredReport> SaveDraft(int year, int64_t unit_id,
                                         const v1::AnnualReportInputs& inputs,
                                         int64_t expected_version,
                                         const ReportAudit& audit) override {
    ReportWrite w;
    w.year = year;
    w.unit_id = unit_id;
    w.inputs = inputs.SerializeAsString();
    return Store(w, expected_version, audit);
  }

  absl::StatusOr<StoredReport> StartPublication(const v1::AnnualReport& snapshot,
                                                int64_t expected_version,
                                                const ReportAudit& audit) override {
    ReportWrite w;
    w.year = snapshot.year();
    w.unit_id = snapshot.unit_id();
    w.state = v1::ANNUAL_REPORT_PUBLISHING;
    w.inputs = snapshot.inputs().SerializeAsString();
    v1::AnnualReport frozen = snapshot;
    frozen.set_state(v1::ANNUAL_REPORT_PUBLISHING);
    frozen.set_document_id(0);
    w.snapshot = frozen.SerializeAsString();
    w.publish_time = audit.time;
    w.publication_started_by = audit.actor;
    w.publication_started_at = audit.time;
    return Store(w, expected_version, audit);
  }

  absl::StatusOr<StoredReport> TakeOverPublication(int year, int64_t unit_id,
                                                   int64_t expected_version,
                                                   const ReportAudit& audit) override {
    return Update(year, unit_id, expected_version, audit,
                  "publication_started_by = ?, publication_started_at = ?",
                  {audit.actor, audit.time}, "AND document_id = 0",
                  "no longer being published without a document");
  }

  absl::StatusOr<StoredReport> RecordPublicationDocument(int year, int64_t unit_id,
                                                         int64_t document_id,
                                                         int64_t expected_version,
                                                         const ReportAudit& audit) override {
    if (document_id <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("document id ", document_id));
    }
    return Update(year, unit_id, expected_version, audit, "document_id = ?", {document_id},
                  "AND document_id = 0", "no longer being published without a document");
  }

  absl::StatusOr<StoredReport> CompletePublication(int year, int64_t unit_id,
                                                   int64_t expected_version,
                                                   const ReportAudit& audit) override {
    StoredReport result;
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<StoredReport> current, ReadReport(conn, year, unit_id));
      if (!current.has_value() || current->version != expected_version ||
          current->state != v1::ANNUAL_REPORT_PUBLISHING || current->document_id == 0 ||
          !current->snapshot.has_value()) {
        return db::StaleVersionError(absl::StrCat(ReportName(year, unit_id),
                                                  " is no longer being published with a document"
                                                  " at version ",
                                                  expected_version, "; reload and retry"));
      }
      // The stored snapshot becomes the report as published (the row's fields are set
      // on it by ReportFromRow anyway).
      v1::AnnualReport published = *current->snapshot;
      published.set_state(v1::ANNUAL_REPORT_PUBLISHED);
      published.clear_version();
      ASSIGN_OR_RETURN(
          db::ExecResult updated,
          conn.Execute("UPDATE annual_reports SET state = ?, snapshot = ?, update_time = ?, "
                       "version = version + 1 "
                       "WHERE id = ? AND version = ? AND state = ? AND document_id <> 0",
                       {static_cast<int64_t>(v1::ANNUAL_REPORT_PUBLISHED),
                        published.SerializeAsString(), audit.time, current->id, expected_version,
                        static_cast<int64_t>(v1::ANNUAL_REPORT_PUBLISHING)}));
      if (updated.affected_rows == 0) {
        return db::StaleVersionError(absl::StrCat(ReportName(year, unit_id),
                                                  " changed while being marked published; "
                                                  "reload and retry"));
      }
      ASSIGN_OR_RETURN(result, AuditAndRead(conn, year, unit_id, audit));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<std::vector<StoredReport>> ListReports(int year, bool include_drafts,
                                                        int64_t after_id, int limit) override {
    std::string sql = absl::StrCat("SELECT ", kReportColumns, " FROM annual_reports WHERE 1 = 1");
    std::vector<Value> params;
    params.reserve(3);
    if (year != 0) {
      sql += " AND year = ?";
      params.emplace_back(year);
    }
    if (!include_drafts) {
      sql += " AND state = ?";
      params.emplace_back(static_cast<int64_t>(v1::ANNUAL_REPORT_PUBLISHED));
    }
    if (after_id > 0) {
      sql += " AND id < ?";
      params.emplace_back(after_id);
    }
    absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ", std::max(1, limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return db::MapRows<StoredReport>(rows, ReportFromRow);
  }

 private:
  // Inserts (expected_version 0) or updates the draft at expected_version (a draft or
  // the frozen publication), with its audit entry, in one transaction.
  absl::StatusOr<StoredReport> Store(const ReportWrite& w, int64_t expected_version,
                                     const ReportAudit& audit) {
    StoredReport result;
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      if (expected_version == 0) {
        absl::StatusOr<db::ExecResult> inserted = conn.ExecuteInsert(
            "INSERT INTO annual_reports (year, unit_id, state, inputs, snapshot, document_id, "
            "publish_time, publication_started_by, publication_started_at, create_time, "
            "update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            {w.year, w.unit_id, static_cast<int64_t>(w.state), w.inputs, w.snapshot, w.document_id,
             w.publish_time, w.publication_started_by, w.publication_started_at, audit.time,
             audit.time});
        if (inserted.status().code() == absl::StatusCode::kAlreadyExists) {
          return db::StaleVersionError(absl::StrCat(ReportName(w.year, w.unit_id),
                                                    " was saved concurrently; reload and retry"));
        }
        RETURN_IF_ERROR(inserted.status());
      } else {
        ASSIGN_OR_RETURN(
            db::ExecResult updated,
            conn.Execute(
                "UPDATE annual_reports SET state = ?, inputs = ?, snapshot = ?, "
                "document_id = ?, publish_time = ?, publication_started_by = ?, "
                "publication_started_at = ?, update_time = ?, version = version + 1 "
                "WHERE year = ? AND unit_id = ? AND version = ? AND state = ?",
                {static_cast<int64_t>(w.state), w.inputs, w.snapshot, w.document_id, w.publish_time,
                 w.publication_started_by, w.publication_started_at, audit.time, w.year, w.unit_id,
                 expected_version, static_cast<int64_t>(v1::ANNUAL_REPORT_DRAFT)}));
        if (updated.affected_rows == 0) {
          return db::StaleVersionError(absl::StrCat(ReportName(w.year, w.unit_id),
                                                    " is no longer the draft at version ",
                                                    expected_version, "; reload and retry"));
        }
      }
      ASSIGN_OR_RETURN(result, AuditAndRead(conn, w.year, w.unit_id, audit));
      return absl::OkStatus();
    }));
    return result;
  }

  // Updates `set` (plus update_time and version) on the PUBLISHING report at
  // expected_version whose row also satisfies `condition`, with its audit entry, in one
  // transaction; ABORTED "<report> is <what_changed>" when no row matches.
  absl::StatusOr<StoredReport> Update(int year, int64_t unit_id, int64_t expected_version,
                                      const ReportAudit& audit, absl::string_view set,
                                      std::vector<Value> params, absl::string_view condition,
                                      absl::string_view what_changed) {
    params.insert(params.end(), {audit.time, year, unit_id, expected_version,
                                 static_cast<int64_t>(v1::ANNUAL_REPORT_PUBLISHING)});
    const std::string sql =
        absl::StrCat("UPDATE annual_reports SET ", set, ", update_time = ?, version = version + 1 ",
                     "WHERE year = ? AND unit_id = ? AND version = ? AND state = ? ", condition);
    StoredReport result;
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult updated, conn.Execute(sql, params));
      if (updated.affected_rows == 0) {
        return db::StaleVersionError(absl::StrCat(ReportName(year, unit_id), " is ", what_changed,
                                                  " at version ", expected_version,
                                                  "; reload and retry"));
      }
      ASSIGN_OR_RETURN(result, AuditAndRead(conn, year, unit_id, audit));
      return absl::OkStatus();
    }));
    return result;
  }

  // Inside a write transaction: appends the audit entry of the report just written and
  // reads the report back.
  static absl::StatusOr<StoredReport> AuditAndRead(Connection& conn, int year, int64_t unit_id,
                                                   const ReportAudit& audit) {
    ASSIGN_OR_RETURN(std::optional<StoredReport> stored, ReadReport(conn, year, unit_id));
    if (!stored.has_value()) {
      return absl::InternalError("annual report vanished inside its own transaction");
    }
    RETURN_IF_ERROR(conn.Execute("INSERT INTO annual_report_audit (report_id, actor, action, "
                                 "detail, create_time) VALUES (?, ?, ?, ?, ?)",
                                 {stored->id, audit.actor, audit.action, audit.detail, audit.time})
                        .status());
    return *std::move(stored);
  }

  // One write transaction, retried on deadlock / write conflict; a stale version is
  // returned at once.
  absl::Status Write(absl::FunctionRef<absl::Status(Connection&)> fn) {
    return db::RunInTransactionWithRetries(*pool_, fn);
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<AnnualReportRepository> NewMysqlAnnualReportRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlAnnualReportRepository>(pool);
}

}  // namespace gongkai::catalog::annual_report
