// The MySQL implementation of AssessmentRepository (assessment_repository.h). Records
// are stored as their serialized proto (`body`) beside the columns queries use; the id
// and times come from the columns when read back.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/assessment/assessment_repository.h"

namespace gongkai::assessment {
namespace {

template <typename Message>
absl::StatusOr<Message> ReadBody(const db::Row& row) {
  ASSIGN_OR_RETURN(std::string body, row.GetString("body"));
  Message message;
  if (!message.ParseFromString(body)) return absl::InternalError("unreadable stored record");
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  message.set_id(id);
  return message;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ReadBodies(const db::ResultSet& rows) {
  std::vector<Message> messages;
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(Message message, ReadBody<Message>(row));
    messages.push_back(std::move(message));
  }
  return messages;
}

constexpr char kRunColumns[] =
    "SELECT id, year, state, rule_set, units_total, units_scored, items_unavailable, attempts, "
    "progress, started_by, create_time, finish_time, retry_until, claim_until FROM "
    "assessment_runs";

absl::StatusOr<v1::AssessmentRun> ReadRun(const db::Row& row) {
  v1::AssessmentRun run;
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  run.set_id(id);
  ASSIGN_OR_RETURN(int64_t year, row.GetInt64("year"));
  run.set_year(static_cast<int32_t>(year));
  ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
  run.set_state(static_cast<v1::AssessmentRunState>(state));
  ASSIGN_OR_RETURN(*run.mutable_rule_set(), row.GetString("rule_set"));
  ASSIGN_OR_RETURN(int64_t total, row.GetInt64("units_total"));
  run.set_units_total(static_cast<int32_t>(total));
  ASSIGN_OR_RETURN(int64_t scored, row.GetInt64("units_scored"));
  run.set_units_scored(static_cast<int32_t>(scored));
  ASSIGN_OR_RETURN(int64_t unavailable, row.GetInt64("items_unavailable"));
  run.set_items_unavailable(static_cast<int32_t>(unavailable));
  ASSIGN_OR_RETURN(int64_t attempts, row.GetInt64("attempts"));
  run.set_attempts(static_cast<int32_t>(attempts));
  ASSIGN_OR_RETURN(*run.mutable_progress(), row.GetString("progress"));
  ASSIGN_OR_RETURN(*run.mutable_started_by(), row.GetString("started_by"));
  ASSIGN_OR_RETURN(absl::Time created, row.GetTime("create_time"));
  *run.mutable_create_time() = ToTimestamp(created);
  ASSIGN_OR_RETURN(std::optional<absl::Time> finished, row.GetOptionalTime("finish_time"));
  if (finished.has_value()) *run.mutable_finish_time() = ToTimestamp(*finished);
  return run;
}

constexpr char kUnitColumns[] =
    "SELECT run_id, unit_id, unit_code, unit_name, total, complete, unit_rank, "
    "performance_contribution, items FROM assessment_run_units";

absl::StatusOr<v1::UnitScore> ReadUnitScore(const db::Row& row) {
  v1::UnitScore score;
  ASSIGN_OR_RETURN(std::string items, row.GetString("items"));
  if (!score.ParseFromString(items)) return absl::InternalError("unreadable stored unit score");
  ASSIGN_OR_RETURN(int64_t run_id, row.GetInt64("run_id"));
  score.set_run_id(run_id);
  ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
  score.set_unit_id(unit_id);
  ASSIGN_OR_RETURN(*score.mutable_unit_code(), row.GetString("unit_code"));
  ASSIGN_OR_RETURN(*score.mutable_unit_name(), row.GetString("unit_name"));
  ASSIGN_OR_RETURN(double total, row.GetDouble("total"));
  score.set_total(total);
  ASSIGN_OR_RETURN(bool complete, row.GetBool("complete"));
  score.set_complete(complete);
  ASSIGN_OR_RETURN(int64_t rank, row.GetInt64("unit_rank"));
  score.set_rank(static_cast<int32_t>(rank));
  ASSIGN_OR_RETURN(double contribution, row.GetDouble("performance_contribution"));
  score.set_performance_contribution(contribution);
  return score;
}

class MysqlAssessmentRepository final : public AssessmentRepository {
 public:
  explicit MysqlAssessmentRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  // ---- Runs ----
  absl::StatusOr<v1::AssessmentRun> CreateRun(v1::AssessmentRun run, absl::Time retry_until,
                                              const idempotency::Key* key,
                                              absl::Time now) override {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          ASSIGN_OR_RETURN(
              db::ExecResult inserted,
              conn.ExecuteInsert(
                  "INSERT INTO assessment_runs (year, state, rule_set, progress, started_by, "
                  "next_attempt_time, retry_until, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {run.year(), static_cast<int64_t>(run.state()), run.rule_set(), run.progress(),
                   run.started_by(), now, retry_until, now}));
          run.set_id(static_cast<int64_t>(inserted.last_insert_id));
          *run.mutable_create_time() = ToTimestamp(now);
          return db::InsertIdempotencyRecord(conn, key, run.SerializeAsString(), now);
        }));
    return run;
  }

  absl::StatusOr<v1::AssessmentRun> GetRun(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kRunColumns, " WHERE id = ?"), {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("assessment run ", id, " not found"));
    return ReadRun(rows[0]);
  }

  absl::StatusOr<std::optional<ClaimedRun>> ClaimDueRun(const std::string& owner, absl::Time now,
                                                        absl::Duration lease) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(absl::StrCat(kRunColumns,
                                 " WHERE state = ? AND next_attempt_time <= ? AND (claim_until IS "
                                 "NULL OR claim_until < ?) ORDER BY next_attempt_time, id LIMIT 5"),
                    {static_cast<int64_t>(v1::RUNNING), now, now}));
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::AssessmentRun run, ReadRun(row));
      ASSIGN_OR_RETURN(std::optional<absl::Time> claim_until, row.GetOptionalTime("claim_until"));
      ASSIGN_OR_RETURN(absl::Time retry_until, row.GetTime("retry_until"));
      // The conditional UPDATE is the claim: only one replica sees the old claim value.
      ASSIGN_OR_RETURN(
          db::ExecResult claimed,
          claim_until.has_value()
              ? conn->Execute(
                    "UPDATE assessment_runs SET claim_owner = ?, claim_until = ? "
                    "WHERE id = ? AND state = ? AND claim_until = ?",
                    {owner, now + lease, run.id(), static_cast<int64_t>(v1::RUNNING), *claim_until})
              : conn->Execute("UPDATE assessment_runs SET claim_owner = ?, claim_until = ? "
                              "WHERE id = ? AND state = ? AND claim_until IS NULL",
                              {owner, now + lease, run.id(), static_cast<int64_t>(v1::RUNNING)}));
      if (claimed.affected_rows == 1)
        return std::optional<ClaimedRun>(ClaimedRun{run, retry_until});
    }
    return std::optional<ClaimedRun>();
  }

  absl::Status ReportProgress(int64_t run_id, const std::string& owner, int units_scored,
                              const std::string& progress, absl::Time claim_until) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ExecResult updated,
                     conn->Execute("UPDATE assessment_runs SET units_scored = ?, progress = ?, "
                                   "claim_until = ? WHERE id = ? AND claim_owner = ?",
                                   {units_scored, progress, claim_until, run_id, owner}));
    (void)updated;  // Unchanged values count 0 rows; the pass's end checks the claim.
    return absl::OkStatus();
  }

  absl::Status FinishPass(int64_t run_id, const std::string& owner,
                          const PassResult& result) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ExecResult updated,
        conn->Execute(
            "UPDATE assessment_runs SET state = ?, units_total = ?, units_scored = ?, "
            "items_unavailable = ?, progress = ?, next_attempt_time = ?, finish_time = ?, "
            "attempts = attempts + 1, claim_owner = NULL, claim_until = NULL "
            "WHERE id = ? AND claim_owner = ?",
            {static_cast<int64_t>(result.state), result.units_total, result.units_scored,
             result.items_unavailable, result.progress, result.next_attempt_time,
             result.finish_time, run_id, owner}));
    if (updated.affected_rows == 0) {
      return absl::AbortedError(absl::StrCat("the claim on run ", run_id, " was lost"));
    }
    return absl::OkStatus();
  }

  absl::Status SaveUnitScores(int64_t run_id, const std::vector<v1::UnitScore>& scores) override {
    constexpr size_t kBatch = 50;
    for (size_t start = 0; start < scores.size(); start += kBatch) {
      const size_t end = std::min(scores.size(), start + kBatch);
      std::vector<db::Value> params;
      std::vector<std::string> rows;
      for (size_t i = start; i < end; ++i) {
        const v1::UnitScore& s = scores[i];
        v1::UnitScore items_only;
        *items_only.mutable_items() = s.items();
        rows.push_back("(?, ?, ?, ?, ?, ?, ?, ?)");
        const int unavailable = static_cast<int>(std::count_if(
            s.items().begin(), s.items().end(),
            [](const v1::ItemScore& item) { return item.status() == v1::EVIDENCE_UNAVAILABLE; }));
        for (db::Value value :
             std::vector<db::Value>{run_id, s.unit_id(), s.unit_code(), s.unit_name(), s.total(),
                                    s.complete(), unavailable, items_only.SerializeAsString()}) {
          params.push_back(std::move(value));
        }
      }
      RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) {
        return conn
            .Execute(absl::StrCat("INSERT INTO assessment_run_units (run_id, unit_id, unit_code, "
                                  "unit_name, total, complete, unavailable_items, items) VALUES ",
                                  absl::StrJoin(rows, ", "),
                                  " ON DUPLICATE KEY UPDATE unit_code = VALUES(unit_code), "
                                  "unit_name = VALUES(unit_name), total = VALUES(total), "
                                  "complete = VALUES(complete), unavailable_items = "
                                  "VALUES(unavailable_items), items = VALUES(items)"),
                     params)
            .status();
      }));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<v1::UnitScore>> UnitScores(int64_t run_id) override {
    return QueryUnitScores(absl::StrCat(kUnitColumns, " WHERE run_id = ? ORDER BY unit_id"),
                           {run_id});
  }

  absl::Status SetRanking(int64_t run_id, const std::vector<Placing>& placings) override {
    return db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
      for (const Placing& p : placings) {
        RETURN_IF_ERROR(
            conn.Execute("UPDATE assessment_run_units SET unit_rank = ?, position = ?, "
                         "performance_contribution = ? WHERE run_id = ? AND unit_id = ?",
                         {p.rank, p.position, p.performance_contribution, run_id, p.unit_id})
                .status());
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<v1::UnitScore>> RankedUnitScores(int64_t run_id, int after_position,
                                                              int limit) override {
    return QueryUnitScores(absl::StrCat(kUnitColumns,
                                        " WHERE run_id = ? AND position > ? ORDER BY position "
                                        "LIMIT ?"),
                           {run_id, after_position, int64_t{limit}});
  }

  absl::StatusOr<v1::UnitScore> GetUnitScore(int64_t run_id, int64_t unit_id) override {
    ASSIGN_OR_RETURN(
        std::vector<v1::UnitScore> scores,
        QueryUnitScores(absl::StrCat(kUnitColumns, " WHERE run_id = ? AND unit_id = ?"),
                        {run_id, unit_id}));
    if (scores.empty()) {
      return absl::NotFoundError(absl::StrCat("unit ", unit_id, " has no score in run ", run_id));
    }
    return scores[0];
  }

  absl::StatusOr<std::optional<int64_t>> LatestFinishedRun(int year) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(
            "SELECT id FROM assessment_runs WHERE year = ? AND state IN (?, ?) "
            "ORDER BY id DESC LIMIT 1",
            {year, static_cast<int64_t>(v1::COMPLETED), static_cast<int64_t>(v1::INCOMPLETE)}));
    if (rows.empty()) return std::optional<int64_t>();
    ASSIGN_OR_RETURN(int64_t id, rows[0].GetInt64("id"));
    return std::optional<int64_t>(id);
  }

  absl::StatusOr<RunCounts> CountRuns() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT state, COUNT(*) AS n, SUM(items_unavailable) AS waiting "
                                 "FROM assessment_runs GROUP BY state"));
    RunCounts counts;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
      ASSIGN_OR_RETURN(int64_t n, row.GetInt64("n"));
      ASSIGN_OR_RETURN(std::optional<int64_t> waiting, row.GetOptionalInt64("waiting"));
      counts.by_state[static_cast<v1::AssessmentRunState>(state)] = n;
      if (state == v1::RUNNING) counts.items_unavailable_running = waiting.value_or(0);
    }
    return counts;
  }

  absl::StatusOr<std::map<int64_t, double>> UnitTotals(int64_t run_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT unit_id, total FROM assessment_run_units WHERE run_id = ?", {run_id}));
    std::map<int64_t, double> totals;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t unit_id, row.GetInt64("unit_id"));
      ASSIGN_OR_RETURN(double total, row.GetDouble("total"));
      totals[unit_id] = total;
    }
    return totals;
  }

  // ---- Inspectors' evidence, third-party scores ----
  absl::StatusOr<v1::InspectorEvidence> CreateInspectorEvidence(v1::InspectorEvidence evidence,
                                                                const idempotency::Key* key,
                                                                absl::Time now) override {
    *evidence.mutable_create_time() = ToTimestamp(now);
    return Insert(std::move(evidence), key, now,
                  "INSERT INTO inspector_evidence (unit_id, year, item, body, create_time) "
                  "VALUES (?, ?, ?, ?, ?)",
                  [&](const v1::InspectorEvidence& e, const std::string& body) {
                    return std::vector<db::Value>{e.unit_id(), e.year(),
                                                  static_cast<int64_t>(e.item()), body, now};
                  });
  }

  absl::StatusOr<std::map<std::pair<int64_t, int>, v1::InspectorEvidence>> LatestInspectorEvidence(
      int year) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM inspector_evidence WHERE year = ? ORDER BY id", {year}));
    ASSIGN_OR_RETURN(std::vector<v1::InspectorEvidence> all,
                     ReadBodies<v1::InspectorEvidence>(rows));
    std::map<std::pair<int64_t, int>, v1::InspectorEvidence> latest;
    for (v1::InspectorEvidence& e : all) {
      latest[{e.unit_id(), static_cast<int>(e.item())}] = std::move(e);
    }
    return latest;
  }

  absl::StatusOr<std::vector<v1::InspectorEvidence>> ListInspectorEvidence(int64_t unit_id,
                                                                           int year,
                                                                           int64_t after_id,
                                                                           int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM inspector_evidence WHERE year = ? AND unit_id = ? AND "
                    "id > ? ORDER BY id LIMIT ?",
                    {year, unit_id, after_id, int64_t{limit}}));
    return ReadBodies<v1::InspectorEvidence>(rows);
  }

  absl::StatusOr<v1::ThirdPartyScore> CreateThirdPartyScore(v1::ThirdPartyScore score,
                                                            const idempotency::Key* key,
                                                            absl::Time now) override {
    *score.mutable_create_time() = ToTimestamp(now);
    return Insert(std::move(score), key, now,
                  "INSERT INTO third_party_scores (unit_id, year, body, create_time) VALUES "
                  "(?, ?, ?, ?)",
                  [&](const v1::ThirdPartyScore& s, const std::string& body) {
                    return std::vector<db::Value>{s.unit_id(), s.year(), body, now};
                  });
  }

  absl::StatusOr<std::map<int64_t, v1::ThirdPartyScore>> LatestThirdPartyScores(int year) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM third_party_scores WHERE year = ? ORDER BY id", {year}));
    ASSIGN_OR_RETURN(std::vector<v1::ThirdPartyScore> all, ReadBodies<v1::ThirdPartyScore>(rows));
    std::map<int64_t, v1::ThirdPartyScore> latest;
    for (v1::ThirdPartyScore& s : all) latest[s.unit_id()] = std::move(s);
    return latest;
  }

  // ---- Draws ----
  absl::StatusOr<v1::Draw> CreateDraw(v1::Draw draw, const std::string& seed,
                                      const idempotency::Key* key, absl::Time now) override {
    *draw.mutable_create_time() = ToTimestamp(now);
    return Insert(std::move(draw), key, now,
                  "INSERT INTO draws (state, seed, commitment, body, create_time) VALUES "
                  "(?, ?, ?, ?, ?)",
                  [&](const v1::Draw& d, const std::string& body) {
                    return std::vector<db::Value>{static_cast<int64_t>(d.state()), seed,
                                                  d.commitment(), body, now};
                  });
  }

  absl::StatusOr<std::pair<v1::Draw, std::string>> GetDraw(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, seed, body FROM draws WHERE id = ?", {id}));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("draw ", id, " not found"));
    ASSIGN_OR_RETURN(v1::Draw draw, ReadBody<v1::Draw>(rows[0]));
    ASSIGN_OR_RETURN(std::string seed, rows[0].GetString("seed"));
    return std::make_pair(std::move(draw), std::move(seed));
  }

  absl::StatusOr<v1::Draw> CompleteDraw(v1::Draw drawn, absl::Time now) override {
    *drawn.mutable_draw_time() = ToTimestamp(now);
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ExecResult updated,
        conn->Execute("UPDATE draws SET state = ?, body = ?, draw_time = ? WHERE id = ? "
                      "AND state = ?",
                      {static_cast<int64_t>(v1::DRAWN), drawn.SerializeAsString(), now, drawn.id(),
                       static_cast<int64_t>(v1::COMMITTED)}));
    if (updated.affected_rows == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("draw ", drawn.id(), " was already made; a draw is never repeated (ASM-2)"));
    }
    return drawn;
  }

  absl::StatusOr<v1::SpotCheckResult> CreateSpotCheckResult(v1::SpotCheckResult result,
                                                            const idempotency::Key* key,
                                                            absl::Time now) override {
    *result.mutable_create_time() = ToTimestamp(now);
    return Insert(std::move(result), key, now,
                  "INSERT INTO spot_check_results (draw_id, body, create_time) VALUES (?, ?, ?)",
                  [&](const v1::SpotCheckResult& r, const std::string& body) {
                    return std::vector<db::Value>{r.draw_id(), body, now};
                  });
  }

  // ---- Accountability and notices ----
  absl::StatusOr<std::vector<v1::AccountabilityTrigger>> RaiseTriggers(
      int64_t run_id, const std::vector<v1::AccountabilityTrigger>& triggers,
      absl::Time now) override {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          for (v1::AccountabilityTrigger trigger : triggers) {
            *trigger.mutable_create_time() = ToTimestamp(now);
            // The unique key (run, unit, kind) makes raising twice a no-op.
            RETURN_IF_ERROR(
                conn.Execute(
                        "INSERT INTO accountability_triggers (run_id, unit_id, year, "
                        "kind, body, create_time) VALUES (?, ?, ?, ?, ?, ?) ON "
                        "DUPLICATE KEY UPDATE id = id",
                        {run_id, trigger.unit_id(), trigger.year(),
                         static_cast<int64_t>(trigger.kind()), trigger.SerializeAsString(), now})
                    .status());
          }
          return absl::OkStatus();
        }));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, body FROM accountability_triggers WHERE run_id = ? "
                                 "ORDER BY id",
                                 {run_id}));
    return ReadBodies<v1::AccountabilityTrigger>(rows);
  }

  absl::StatusOr<std::vector<v1::AccountabilityTrigger>> ListTriggers(int year, int64_t unit_id,
                                                                      int64_t after_id,
                                                                      int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM accountability_triggers WHERE (? = 0 OR "
                    "year = ?) AND (? = 0 OR unit_id = ?) AND id > ? ORDER BY id LIMIT ?",
                    {year, year, unit_id, unit_id, after_id, int64_t{limit}}));
    return ReadBodies<v1::AccountabilityTrigger>(rows);
  }

  absl::StatusOr<std::vector<v1::AccountabilityTrigger>> GetTriggers(
      const std::vector<int64_t>& ids) override {
    std::vector<v1::AccountabilityTrigger> triggers;
    if (ids.empty()) return triggers;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    std::vector<db::Value> params(ids.begin(), ids.end());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(absl::StrCat("SELECT id, body FROM accountability_triggers WHERE id IN (",
                                 absl::StrJoin(std::vector<std::string>(ids.size(), "?"), ", "),
                                 ") ORDER BY id"),
                    params));
    return ReadBodies<v1::AccountabilityTrigger>(rows);
  }

  absl::StatusOr<v1::Summons> CreateSummons(v1::Summons summons, const idempotency::Key* key,
                                            absl::Time now) override {
    *summons.mutable_create_time() = ToTimestamp(now);
    return Insert(std::move(summons), key, now,
                  "INSERT INTO summonses (unit_id, body, create_time) VALUES (?, ?, ?)",
                  [&](const v1::Summons& s, const std::string& body) {
                    return std::vector<db::Value>{s.unit_id(), body, now};
                  });
  }

  absl::StatusOr<v1::PublicNotice> CreateNotice(v1::PublicNotice notice,
                                                const idempotency::Key* key,
                                                absl::Time now) override {
    *notice.mutable_publish_time() = ToTimestamp(now);
    return Insert(std::move(notice), key, now,
                  "INSERT INTO notices (kind, body, publish_time) VALUES (?, ?, ?)",
                  [&](const v1::PublicNotice& n, const std::string& body) {
                    return std::vector<db::Value>{static_cast<int64_t>(n.kind()), body, now};
                  });
  }

  absl::StatusOr<std::vector<v1::PublicNotice>> ListPublicNotices(int64_t before_id,
                                                                  int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, body FROM notices WHERE (? = 0 OR id < ?) ORDER BY id "
                                 "DESC LIMIT ?",
                                 {before_id, before_id, int64_t{limit}}));
    return ReadBodies<v1::PublicNotice>(rows);
  }

  // ---- Training ----
  absl::StatusOr<v1::TrainingPlan> CreateTrainingPlan(v1::TrainingPlan plan,
                                                      const idempotency::Key* key,
                                                      absl::Time now) override {
    *plan.mutable_create_time() = ToTimestamp(now);
    return Insert(
        std::move(plan), key, now,
        "INSERT INTO training_plans (unit_id, year, body, create_time) VALUES (?, ?, ?, ?)",
        [&](const v1::TrainingPlan& p, const std::string& body) {
          return std::vector<db::Value>{p.unit_id(), p.year(), body, now};
        });
  }

  absl::StatusOr<std::optional<v1::TrainingPlan>> GetTrainingPlan(int64_t unit_id,
                                                                  int year) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM training_plans WHERE unit_id = ? AND year = ?",
                    {unit_id, year}));
    if (rows.empty()) return std::optional<v1::TrainingPlan>();
    ASSIGN_OR_RETURN(v1::TrainingPlan plan, ReadBody<v1::TrainingPlan>(rows[0]));
    return std::optional<v1::TrainingPlan>(std::move(plan));
  }

  absl::StatusOr<v1::TrainingSession> CreateTrainingSession(v1::TrainingSession session,
                                                            const idempotency::Key* key,
                                                            absl::Time now) override {
    *session.mutable_create_time() = ToTimestamp(now);
    ASSIGN_OR_RETURN(absl::CivilDay date, ToCivilDay(session.date()));
    return Insert(std::move(session), key, now,
                  "INSERT INTO training_sessions (unit_id, session_date, body, create_time) "
                  "VALUES (?, ?, ?, ?)",
                  [&](const v1::TrainingSession& s, const std::string& body) {
                    return std::vector<db::Value>{s.unit_id(), date, body, now};
                  });
  }

  absl::StatusOr<std::vector<v1::TrainingSession>> TrainingSessions(int64_t unit_id,
                                                                    int year) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query("SELECT id, body FROM training_sessions WHERE unit_id = ? AND "
                    "session_date >= ? AND session_date <= ? ORDER BY id",
                    {unit_id, absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31)}));
    return ReadBodies<v1::TrainingSession>(rows);
  }

 private:
  // Inserts one record (its body serialized without the id) and its idempotency record.
  template <typename Message, typename ParamsFn>
  absl::StatusOr<Message> Insert(Message message, const idempotency::Key* key, absl::Time now,
                                 const char* sql, ParamsFn params) {
    RETURN_IF_ERROR(
        db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) -> absl::Status {
          message.set_id(0);
          std::vector<db::Value> values = params(message, message.SerializeAsString());
          ASSIGN_OR_RETURN(db::ExecResult inserted, conn.ExecuteInsert(sql, values));
          message.set_id(static_cast<int64_t>(inserted.last_insert_id));
          return db::InsertIdempotencyRecord(conn, key, message.SerializeAsString(), now);
        }));
    return message;
  }

  absl::StatusOr<std::vector<v1::UnitScore>> QueryUnitScores(const std::string& sql,
                                                             std::vector<db::Value> params) {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    std::vector<v1::UnitScore> scores;
    for (const db::Row& row : rows) {
      ASSIGN_OR_RETURN(v1::UnitScore score, ReadUnitScore(row));
      scores.push_back(std::move(score));
    }
    return scores;
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<AssessmentRepository> NewMysqlAssessmentRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlAssessmentRepository>(pool);
}

}  // namespace gongkai::assessment
