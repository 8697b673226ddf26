// gongkai-opinion-bench: the data side of tests/bench/opinion.sh (issue 11's bench).
//
//   load    Writes --events open events (each with one running clock) straight into the
//           opinion database the running service migrated: all but --due of them are
//           due days from now; --due clocks fall due evenly spread over
//           [now + --due_from, now + --due_from + --due_spread], their due-soon mark
//           already recorded, so the service's scheduler has exactly --due breaches to
//           record in that window. Multi-row INSERTs of 1,000 rows.
//   report  Reads the breaches recorded for those clocks and prints how late each was
//           recorded after its deadline: count, p50, p99, max (figures, no verdict).
//
// It writes the service's tables directly only to make 100,000 events in seconds; the
// service itself (its scheduler) is what is measured.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/db_config.h"
#include "libs/status/status_macros.h"

ABSL_FLAG(std::string, mode, "load", "load or report");
ABSL_FLAG(std::string, db_host, "127.0.0.1", "MariaDB host");
ABSL_FLAG(int, db_port, 3306, "MariaDB port");
ABSL_FLAG(std::string, db_name, "gongkai_opinion", "the opinion database");
ABSL_FLAG(std::string, db_user, "", "user");
ABSL_FLAG(std::string, db_password, "", "password");
ABSL_FLAG(int, events, 100000, "open events to write");
ABSL_FLAG(int, due, 2000, "clocks that fall due in the window");
ABSL_FLAG(absl::Duration, due_from, absl::Seconds(40), "the window starts this long from now");
ABSL_FLAG(absl::Duration, due_spread, absl::Seconds(20), "the window's length");
ABSL_FLAG(int64_t, unit_id, 1, "the lead unit of every event");

namespace gongkai::opinion {
namespace {

namespace v1 = ::gongkai::opinion::v1;
constexpr int kBatch = 1000;
constexpr char kBenchRule[] = "bench";

absl::StatusOr<std::unique_ptr<db::ConnectionPool>> Pool() {
  db::DbConfig config;
  config.host = absl::GetFlag(FLAGS_db_host);
  config.port = absl::GetFlag(FLAGS_db_port);
  config.database = absl::GetFlag(FLAGS_db_name);
  config.user = absl::GetFlag(FLAGS_db_user);
  config.password = absl::GetFlag(FLAGS_db_password);
  config.pool_size = 2;
  config.read_timeout = absl::Minutes(5);
  return db::ConnectionPool::Create(config);
}

absl::Status Load() {
  ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool, Pool());
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire());
  const int events = absl::GetFlag(FLAGS_events);
  const int due = std::min(absl::GetFlag(FLAGS_due), events);
  const int64_t unit = absl::GetFlag(FLAGS_unit_id);
  const absl::Time now = absl::Now();
  const absl::Time window = now + absl::GetFlag(FLAGS_due_from);
  const absl::Duration spread = absl::GetFlag(FLAGS_due_spread);
  v1::OpinionEvent body;
  body.set_title("bench event");
  body.mutable_responsibility()->set_lead_unit_id(unit);
  body.mutable_responsibility()->add_unit_ids(unit);
  const std::string blob = body.SerializeAsString();
  ASSIGN_OR_RETURN(db::ResultSet max_id,
                   conn->Query("SELECT COALESCE(MAX(id), 0) AS id FROM opinion_events"));
  ASSIGN_OR_RETURN(int64_t first_id, max_id[0].GetInt64("id"));
  first_id += 1;
  for (int start = 0; start < events; start += kBatch) {
    const int n = std::min(kBatch, events - start);
    std::string event_sql =
        "INSERT INTO opinion_events (id, state, grade, category, collecting_unit_id, "
        "lead_unit_id, supervised, decided_not_to_respond, first_seen_time, body, created_by, "
        "create_time, update_time, version) VALUES ";
    std::string clock_sql =
        "INSERT INTO opinion_clocks (event_id, kind, status, start_time, period_seconds, "
        "due_time, due_soon_time, due_soon_recorded_time, rule, start_reason, next_fire_time, "
        "version) VALUES ";
    std::vector<db::Value> event_params, clock_params;
    for (int i = 0; i < n; ++i) {
      const int k = start + i;
      const int64_t id = first_id + k;
      // The first `due` events fall due in the window (breach only); the rest in 10 days.
      const bool in_window = k < due;
      const absl::Time due_time =
          in_window ? window + spread * (static_cast<double>(k) / std::max(1, due))
                    : now + absl::Hours(240) + absl::Seconds(k);
      const absl::Duration period = absl::Hours(48);
      const absl::Time start_time = due_time - period;
      const absl::Time due_soon = due_time - period / 4;
      absl::StrAppend(&event_sql, i == 0 ? "" : ", ",
                      "(?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 'bench', ?, ?, 1)");
      event_params.insert(
          event_params.end(),
          {id, int64_t{v1::EVENT_COLLECTED}, int64_t{v1::GRADE_GENERAL},
           int64_t{v1::CATEGORY_MEDIA_INTEREST}, unit, unit, start_time, blob, now, now});
      absl::StrAppend(&clock_sql, i == 0 ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, 1)");
      clock_params.insert(clock_params.end(),
                          {id, int64_t{v1::CLOCK_GENERAL_RESPONSE}, int64_t{v1::CLOCK_RUNNING},
                           start_time, absl::ToInt64Seconds(period), due_time, due_soon,
                           in_window ? db::Value(due_soon) : db::Value(), kBenchRule,
                           in_window ? due_time : due_soon});
    }
    RETURN_IF_ERROR(conn->Execute(event_sql, event_params).status());
    RETURN_IF_ERROR(conn->Execute(clock_sql, clock_params).status());
    RETURN_IF_ERROR(
        conn->Execute(absl::StrCat("INSERT INTO opinion_event_units (unit_id, event_id) "
                                   "SELECT ?, id FROM opinion_events WHERE id BETWEEN ? AND ?"),
                      {unit, first_id + start, first_id + start + n - 1})
            .status());
  }
  std::printf("loaded %d open events (ids %lld..%lld), %d due between +%s and +%s\n", events,
              static_cast<long long>(first_id), static_cast<long long>(first_id + events - 1), due,
              absl::FormatDuration(absl::GetFlag(FLAGS_due_from)).c_str(),
              absl::FormatDuration(absl::GetFlag(FLAGS_due_from) + spread).c_str());
  return absl::OkStatus();
}

absl::Status Report() {
  ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool, Pool());
  ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire());
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn->Query("SELECT e.due_time, e.record_time FROM opinion_escalations e "
                               "JOIN opinion_clocks c ON c.id = e.clock_id "
                               "WHERE e.stage = ? AND c.start_reason = 'bench'",
                               {int64_t{v1::ESCALATION_BREACHED}}));
  std::vector<double> late_ms;
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(absl::Time due, row.GetTime("due_time"));
    ASSIGN_OR_RETURN(absl::Time recorded, row.GetTime("record_time"));
    late_ms.push_back(absl::ToDoubleMilliseconds(recorded - due));
  }
  ASSIGN_OR_RETURN(db::ResultSet dup,
                   conn->Query("SELECT COUNT(*) - COUNT(DISTINCT clock_id, stage) AS n "
                               "FROM opinion_escalations"));
  ASSIGN_OR_RETURN(int64_t duplicates, dup[0].GetInt64("n"));
  std::sort(late_ms.begin(), late_ms.end());
  auto pct = [&](double p) {
    if (late_ms.empty()) return 0.0;
    size_t i = static_cast<size_t>(p * static_cast<double>(late_ms.size() - 1) + 0.5);
    return late_ms[std::min(i, late_ms.size() - 1)];
  };
  std::printf("breaches_recorded=%zu duplicates=%lld p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
              late_ms.size(), static_cast<long long>(duplicates), pct(0.5), pct(0.99),
              late_ms.empty() ? 0.0 : late_ms.back());
  return absl::OkStatus();
}

}  // namespace
}  // namespace gongkai::opinion

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  absl::Status status = mode == "report" ? gongkai::opinion::Report() : gongkai::opinion::Load();
  if (!status.ok()) {
    std::fprintf(stderr, "gongkai-opinion-bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
