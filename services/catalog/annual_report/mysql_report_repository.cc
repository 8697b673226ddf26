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
  MysqlAnnualReportRepository(db::ConnectionPool* pool, const ReportSources& sources)
      : pool_(pool), sources_(sources) {}

  // ---- Tallies and units: from the modules that own them, through their interfaces.

  absl::StatusOr<std::vector<RequestTally>> CountRequests(int64_t unit_id,
                                                          const YearRange& year) override {
    ASSIGN_OR_RETURN(std::vector<requests::RequestYearTally> rows,
                     sources_.requests->TallyRequestsForYear(unit_id, year.first, year.last));
    std::vector<RequestTally> out;
    out.reserve(rows.size());
    for (const requests::RequestYearTally& row : rows) {
      RequestTally t;
      t.applicant_type = row.applicant_type;
      t.outcome = row.outcome;
      t.received = row.received_before_year ? Received::kBeforeYear : Received::kInYear;
      switch (row.answered) {
        case requests::RequestYearTally::Answered::kOpen:
          t.answered = Answered::kOpen;
          break;
        case requests::RequestYearTally::Answered::kBeforeYear:
          t.answered = Answered::kBeforeYear;
          break;
        case requests::RequestYearTally::Answered::kInYear:
          t.answered = Answered::kInYear;
          break;
        case requests::RequestYearTally::Answered::kAfterYear:
          t.answered = Answered::kAfterYear;
          break;
      }
      t.count = row.count;
      out.push_back(t);
    }
    return out;
  }

  absl::StatusOr<std::vector<ChallengeTally>> CountChallenges(int64_t unit_id,
                                                              const YearRange& year) override {
    ASSIGN_OR_RETURN(std::vector<requests::ChallengeYearTally> rows,
                     sources_.requests->TallyChallengesForYear(unit_id, year.first, year.last));
    std::vector<ChallengeTally> out;
    out.reserve(rows.size());
    for (const requests::ChallengeYearTally& row : rows) {
      out.push_back(ChallengeTally{row.kind, row.result, row.decided_by_year_end, row.count});
    }
    return out;
  }

  absl::StatusOr<PolicyDocumentCounts> CountPolicyDocuments(int64_t unit_id,
                                                            const YearRange& year) override {
    ASSIGN_OR_RETURN(documents::PolicyDocumentYearCounts c,
                     sources_.documents->CountPolicyDocumentsForYear(
                         unit_id, year.start, year.next_start, year.first, year.last));
    return PolicyDocumentCounts{c.published_in_year, c.published_by_year_end, c.repealed_in_year,
                                c.in_force_at_year_end};
  }

  absl::StatusOr<std::optional<ReportUnit>> FindUnit(int64_t id) override {
    absl::StatusOr<v1::Unit> unit = sources_.units->GetUnit(id);
    if (unit.status().code() == absl::StatusCode::kNotFound) return std::optional<ReportUnit>();
    RETURN_IF_ERROR(unit.status());
    return std::optional<ReportUnit>(ReportUnit{unit->id(), unit->name(), unit->level()});
  }

  absl::StatusOr<std::vector<ReportUnit>> ListUnits() override {
    // Every unit, by id: the units module lists newest first, a page at a time.
    constexpr int kPage = 500;
    std::vector<ReportUnit> out;
    KeysetPage page{0, kPage};
    while (true) {
      ASSIGN_OR_RETURN(std::vector<v1::Unit> units,
                       sources_.units->ListUnits(units::UnitFilter{}, page));
      for (const v1::Unit& u : units) out.push_back(ReportUnit{u.id(), u.name(), u.level()});
      if (static_cast<int>(units.size()) < kPage) break;
      page.after_id = units.back().id();
    }
    std::reverse(out.begin(), out.end());
    return out;
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
  const ReportSources sources_;
};

}  // namespace

std::unique_ptr<AnnualReportRepository> NewMysqlAnnualReportRepository(
    db::ConnectionPool* pool, const ReportSources& sources) {
  return std::make_unique<MysqlAnnualReportRepository>(pool, sources);
}

}  // namespace gongkai::catalog::annual_report
