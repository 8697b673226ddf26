// gongkai-outbox-bench: the cost and the delivery lag of the transactional outbox
// (libs/outbox, ADR 0024) on a real MariaDB, measured in one run against a reference.
//
// Reference: `--producers` threads commit business transactions (one INSERT) as fast as
// they can for `--duration`. Outbox: the same transactions each also Enqueue an event,
// and Notify the relay after the commit; the relay (running in this process, as in a
// service) delivers every event to a handler that stands for the receiver's gRPC call
// (`--handler_delay`). Printed, one line, never asserted:
//   commits/s of both and their ratio (issue 9: publishing with the outbox at ≥ 0.5× of
//   publishing without); the delivery lag (create → handler call) p50/p99 at that
//   saturating load (producers outrun the receiver, so it grows with the run's length)
//   and p50/p99/max at half that rate, which the relay keeps up with (the target: p99
//   ≤ 1 s); this process's CPU per commit in both saturated runs
//   (the outbox's own client-side cost is the difference) and, with --db_pid, the
//   database server's CPU per commit; events delivered twice (expected 0).
//
// The database: a throwaway one on the server named by GONGKAI_TEST_MYSQL_HOST, _PORT,
// _USER, _PASSWORD (as for the integration tests; tests/bench/outbox.sh sets them).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/test_database.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/status/status_macros.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(8), "each measurement");
ABSL_FLAG(int, producers, 8, "threads committing business transactions");
ABSL_FLAG(absl::Duration, handler_delay, absl::Milliseconds(2),
          "time the stand-in for the receiver's call takes");
ABSL_FLAG(int, delivery_threads, 8, "the relay's delivery threads");
ABSL_FLAG(int, db_pid, 0, "the database server's pid, for its CPU time (0: not measured)");

namespace gongkai {
namespace {

constexpr char kTopic[] = "bench.widget_created";

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process from /proc/PID/stat, in seconds; 0 when unreadable.
double OtherProcessCpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return 0;
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th
  // fields of the line, the 12th and 13th after ") ".
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
  if (fields.size() < 13) return 0;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
}

struct RunResult {
  int64_t commits = 0;
  double seconds = 0;
  double client_cpu = 0;
  double db_cpu = 0;
};

// Producers commit until `duration` has passed; with_outbox adds an event to each
// transaction and notifies after the commit.
absl::StatusOr<RunResult> Produce(db::ConnectionPool& pool, const Clock& clock, bool with_outbox,
                                  outbox::Notifier& notifier, int64_t first_id,
                                  double commits_per_second = 0) {
  const int producers = absl::GetFlag(FLAGS_producers);
  std::atomic<int64_t> next_id{first_id};
  std::atomic<int64_t> commits{0};
  std::atomic<bool> failed{false};
  absl::Mutex error_mu;
  absl::Status error;
  const double cpu_start = ProcessCpuSeconds();
  const double db_cpu_start = OtherProcessCpuSeconds(absl::GetFlag(FLAGS_db_pid));
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::GetFlag(FLAGS_duration);
  std::vector<std::thread> threads;
  // Paced runs: each thread commits at commits_per_second / producers, on a schedule
  // (a late commit does not push the later ones back).
  const absl::Duration spacing =
      commits_per_second > 0 ? absl::Seconds(producers / commits_per_second) : absl::ZeroDuration();
  for (int t = 0; t < producers; ++t) {
    threads.emplace_back([&, t] {
      absl::Time next = start + spacing * t / producers;
      while (absl::Now() < end && !failed.load()) {
        if (spacing > absl::ZeroDuration()) {
          absl::SleepFor(next - absl::Now());
          next += spacing;
        }
        const int64_t id = next_id++;
        absl::Status status =
            db::RunInTransactionWithRetries(pool, [&](db::Connection& conn) -> absl::Status {
              RETURN_IF_ERROR(conn.Execute("INSERT INTO widgets (id, name) VALUES (?, ?)",
                                           {db::Value(id), db::Value(absl::StrCat("w", id))})
                                  .status());
              if (!with_outbox) return absl::OkStatus();
              outbox::OutboxEvent event;
              event.topic = kTopic;
              event.destination = "bench";
              event.event_key = absl::StrCat("widget/", id);
              event.ordering_key = absl::StrCat(id);
              event.payload = std::string(200, 'p');  // About a small serialized proto.
              return outbox::Enqueue(conn, event, clock.Now()).status();
            });
        if (!status.ok()) {
          absl::MutexLock lock(&error_mu);
          error = status;
          failed = true;
          return;
        }
        ++commits;
        if (with_outbox) notifier.Notify();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed.load()) return error;
  RunResult result;
  result.commits = commits.load();
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.client_cpu = ProcessCpuSeconds() - cpu_start;
  result.db_cpu = OtherProcessCpuSeconds(absl::GetFlag(FLAGS_db_pid)) - db_cpu_start;
  return result;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[index];
}

int64_t CountPending(db::ConnectionPool& pool) {
  absl::StatusOr<db::ConnectionLease> conn = pool.Acquire();
  if (!conn.ok()) return -1;
  absl::StatusOr<db::ResultSet> rows =
      (*conn)->Query("SELECT COUNT(*) FROM outbox_events WHERE state = 0");
  if (!rows.ok() || rows->empty()) return -1;
  return (*rows)[0].GetInt64(0).value_or(-1);
}

absl::Status Run() {
  ASSIGN_OR_RETURN(std::unique_ptr<db::testing::TestDatabase> database,
                   db::testing::TestDatabase::Create("outbox_bench"));
  db::DbConfig config = database->config();
  config.pool_size = absl::GetFlag(FLAGS_producers) + absl::GetFlag(FLAGS_delivery_threads) + 4;
  ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool, db::ConnectionPool::Create(config));
  RETURN_IF_ERROR(db::Migrator(pool.get(), {outbox::OutboxMigrationSet()}, {}).Migrate().status());
  {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire());
    RETURN_IF_ERROR(conn->ExecuteUnprepared(
        "CREATE TABLE widgets (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL) "
        "ENGINE=InnoDB"));
  }
  RealClock clock;

  // The relay, with a handler that records the lag and stands for the receiver's call.
  absl::Mutex mu;
  std::vector<double> lags_ms;
  int64_t deliveries = 0;
  outbox::RelayOptions options;
  options.delivery_threads = absl::GetFlag(FLAGS_delivery_threads);
  const absl::Duration handler_delay = absl::GetFlag(FLAGS_handler_delay);
  options.handlers[kTopic] = [&](const outbox::DeliveredEvent& event) {
    const double lag_ms = absl::ToDoubleMilliseconds(clock.Now() - event.create_time);
    {
      absl::MutexLock lock(&mu);
      lags_ms.push_back(lag_ms);
      ++deliveries;
    }
    absl::SleepFor(handler_delay);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(std::unique_ptr<outbox::Relay> relay,
                   outbox::NewRelay(pool.get(), &clock, nullptr, std::move(options)));

  outbox::NullNotifier no_relay;
  ASSIGN_OR_RETURN(RunResult reference, Produce(*pool, clock, false, no_relay, 1));
  RETURN_IF_ERROR(relay->Start());
  ASSIGN_OR_RETURN(RunResult with_outbox, Produce(*pool, clock, true, *relay, 1'000'000'000));
  std::vector<double> lags_saturated;
  {
    absl::MutexLock lock(&mu);
    lags_saturated = lags_ms;
  }
  // Drain what is left, then count.
  const absl::Time give_up = absl::Now() + absl::Minutes(2);
  while (CountPending(*pool) != 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(50));
  const int64_t pending = CountPending(*pool);
  {
    absl::MutexLock lock(&mu);
    lags_ms.clear();
  }

  // The lag at a steady load the relay keeps up with: half the saturated commit rate
  // (above what the receiver takes, any queue grows without bound).
  const double paced_rate = 0.5 * with_outbox.commits / with_outbox.seconds;
  ASSIGN_OR_RETURN(RunResult paced, Produce(*pool, clock, true, *relay, 2'000'000'000, paced_rate));
  while (CountPending(*pool) != 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(50));
  relay->Stop();

  const double reference_rate = reference.commits / reference.seconds;
  const double outbox_rate = with_outbox.commits / with_outbox.seconds;
  absl::MutexLock lock(&mu);
  const std::vector<double>& lags_paced = lags_ms;
  std::printf(
      "OUTBOX producers=%d handler_delay_ms=%.1f delivery_threads=%d "
      "reference_commits_per_s=%.0f outbox_commits_per_s=%.0f ratio=%.2f "
      "saturated_lag_p50_ms=%.1f saturated_lag_p99_ms=%.1f paced_commits_per_s=%.0f "
      "lag_p50_ms=%.1f lag_p99_ms=%.1f lag_max_ms=%.1f "
      "client_cpu_us_per_commit_reference=%.0f client_cpu_us_per_commit_outbox=%.0f "
      "db_cpu_us_per_commit_reference=%.0f db_cpu_us_per_commit_outbox=%.0f "
      "events=%lld delivered=%lld duplicates=%lld pending=%lld\n",
      absl::GetFlag(FLAGS_producers), absl::ToDoubleMilliseconds(handler_delay),
      absl::GetFlag(FLAGS_delivery_threads), reference_rate, outbox_rate,
      reference_rate > 0 ? outbox_rate / reference_rate : 0, Percentile(lags_saturated, 0.5),
      Percentile(lags_saturated, 0.99), paced.commits / paced.seconds, Percentile(lags_paced, 0.5),
      Percentile(lags_paced, 0.99),
      lags_paced.empty() ? 0 : *std::max_element(lags_paced.begin(), lags_paced.end()),
      reference.commits ? 1e6 * reference.client_cpu / reference.commits : 0,
      with_outbox.commits ? 1e6 * with_outbox.client_cpu / with_outbox.commits : 0,
      reference.commits ? 1e6 * reference.db_cpu / reference.commits : 0,
      with_outbox.commits ? 1e6 * with_outbox.db_cpu / with_outbox.commits : 0,
      static_cast<long long>(with_outbox.commits + paced.commits),
      static_cast<long long>(deliveries),
      static_cast<long long>(
          std::max<int64_t>(0, deliveries - with_outbox.commits - paced.commits)),
      static_cast<long long>(pending + CountPending(*pool)));
  return absl::OkStatus();
}

}  // namespace
}  // namespace gongkai

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::Status status = gongkai::Run();
  if (!status.ok()) {
    std::fprintf(stderr, "gongkai-outbox-bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
