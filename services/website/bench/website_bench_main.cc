// gongkai-website-bench: the prober's figures for tests/bench/website.sh (issue 12:
// at least 1,000 site checks a minute on this 2-core machine with bounded memory, 10,000
// registered sites). Prints figures, asserts nothing.
//
//   gongkai-website-bench --mode=serve --origins=25 --sites=10000 --ports_file=F
//       serves the local sites (loopback only) until SIGTERM: each site /s<k>/ has a
//       home page with today's date, links to its 5 columns, 2 articles and 1 dead link,
//       and 5 columns of 20 dated items.
//   gongkai-website-bench --mode=probe --ports_file=F --sites=10000 --seconds=60
//       on a fresh database (GONGKAI_TEST_MYSQL_*; the service's migrations), registers
//       10,000 probed sites with 5 columns each, all due now, then runs the service's own
//       ProbeScheduler (claims, checks with libcurl, records) for --seconds and prints
//       site checks a minute, HTTP fetches a second, CPU time per check and peak memory.
#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/db/embedded_migrations.h"
#include "libs/db/idempotency.h"
#include "libs/db/migrator.h"
#include "libs/db/testing/test_database.h"
#include "libs/rules/embedded_rule_sets.h"
#include "services/website/mysql_website_repository.h"
#include "services/website/prober/http_client.h"
#include "services/website/prober/local_sites.h"
#include "services/website/prober/polite_fetcher.h"
#include "services/website/prober/probe_scheduler.h"
#include "services/website/prober/site_checker.h"
#include "services/website/website_rules.h"

ABSL_FLAG(std::string, mode, "probe", "serve | probe");
ABSL_FLAG(int, origins, 25, "local origins (ports) serving the sites");
ABSL_FLAG(int, sites, 10000, "registered sites");
ABSL_FLAG(std::string, ports_file, "", "where serve writes its ports and probe reads them");
ABSL_FLAG(int, seconds, 60, "how long the prober runs");
ABSL_FLAG(int, workers, 16, "prober workers (GONGKAI_PROBER_WORKERS)");
ABSL_FLAG(int, concurrency, 32, "requests in flight (GONGKAI_PROBER_MAX_CONCURRENCY)");
ABSL_FLAG(int, host_interval_ms, 0, "per-origin pause (GONGKAI_PROBER_HOST_INTERVAL)");

namespace {

using namespace gongkai;  // NOLINT(build/namespaces): a benchmark's main.

std::atomic<bool> stop{false};

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

int Serve() {
  const int origins = absl::GetFlag(FLAGS_origins);
  const int sites = absl::GetFlag(FLAGS_sites);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
  std::vector<std::unique_ptr<website::prober::testing::LocalSite>> servers;
  std::vector<std::string> ports;
  for (int o = 0; o < origins; ++o) {
    auto server = std::make_unique<website::prober::testing::LocalSite>();
    for (int k = o; k < sites; k += origins) {
      const std::string base = absl::StrCat("/s", k, "/");
      std::string home =
          absl::StrCat("<html><body><h1>网站 ", k, "</h1><p>更新 ", Day(today - 1), "</p><ul>");
      for (int c = 0; c < 5; ++c) {
        absl::StrAppend(&home, "<li><a href='c", c, "/'>栏目", c, "</a></li>");
        std::string column = "<ul class=list>";
        for (int i = 0; i < 20; ++i) {
          absl::StrAppend(&column, "<li><a href='a", i, ".html'>信息", i, "</a> <span>",
                          Day(today - (c * 7 + i)), "</span></li>");
        }
        absl::StrAppend(&column, "</ul>");
        server->Page(absl::StrCat(base, "c", c, "/"), column);
      }
      absl::StrAppend(&home, "<li><a href='a1.html'>文章</a></li><li><a href='a2.html'>文章</a>",
                      "</li><li><a href='dead.html'>旧</a></li></ul></body></html>");
      server->Page(base, home);
      server->Page(absl::StrCat(base, "a1.html"), "<p>正文 " + Day(today - 2) + "</p>");
      server->Page(absl::StrCat(base, "a2.html"), "<p>正文 " + Day(today - 3) + "</p>");
    }
    server->Robots("User-agent: *\nDisallow: /private/\n");
    if (!server->Start().ok()) {
      std::cerr << "cannot start a local site\n";
      return 1;
    }
    ports.push_back(absl::StrCat(server->port()));
    servers.push_back(std::move(server));
  }
  std::ofstream(absl::GetFlag(FLAGS_ports_file)) << absl::StrJoin(ports, " ") << "\n";
  std::signal(SIGTERM, [](int) { stop = true; });
  std::signal(SIGINT, [](int) { stop = true; });
  while (!stop) absl::SleepFor(absl::Milliseconds(200));
  return 0;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long StatusKib(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  }
  return 0;
}

int Probe() {
  std::string ports_line;
  std::getline(std::ifstream(absl::GetFlag(FLAGS_ports_file)), ports_line);
  std::vector<std::string> ports = absl::StrSplit(ports_line, ' ', absl::SkipEmpty());
  if (ports.empty()) {
    std::cerr << "no ports in " << absl::GetFlag(FLAGS_ports_file) << "\n";
    return 1;
  }
  auto database = db::testing::TestDatabase::Create("webbench");
  if (!database.ok()) {
    std::cerr << database.status() << "\n";
    return 1;
  }
  db::DbConfig config = (*database)->config();
  config.pool_size = 8;
  auto pool = db::ConnectionPool::Create(config);
  if (!pool.ok() ||
      !db::Migrator(pool->get(), {db::IdempotencyMigrationSet()}, db::EmbeddedMigrations())
           .Migrate()
           .ok()) {
    std::cerr << "database setup failed\n";
    return 1;
  }
  // 10,000 sites with 5 columns each, registered in bulk (the same rows CreateSite and
  // CreateColumn write), every one due now.
  const int sites = absl::GetFlag(FLAGS_sites);
  {
    auto conn = (*pool)->Acquire();
    constexpr int kBatch = 500;
    for (int first = 0; first < sites; first += kBatch) {
      std::string site_rows, column_rows, schedule_rows;
      for (int k = first; k < std::min(sites, first + kBatch); ++k) {
        const std::string url =
            absl::StrCat("http://127.0.0.1:", ports[k % ports.size()], "/s", k, "/");
        absl::StrAppend(&site_rows, site_rows.empty() ? "" : ",", "(", k + 1, ", ", 1 + k % 50,
                        ", 'bench', 2, '", url, "', 5, 1, 'bench', NOW(6), NOW(6))");
        absl::StrAppend(&schedule_rows, schedule_rows.empty() ? "" : ",", "(", k + 1, ", NOW(6))");
        for (int c = 0; c < 5; ++c) {
          absl::StrAppend(&column_rows, column_rows.empty() ? "" : ",", "(", k + 1, ", '栏目', ",
                          c == 0 ? 1 : 2, ", '", url, "c", c, "/', 'ul.list li', NOW(6))");
        }
      }
      const bool ok =
          (*conn)
              ->Execute(absl::StrCat("INSERT INTO sites (id, unit_id, name, kind, url, state, "
                                     "probed, created_by, create_time, update_time) VALUES ",
                                     site_rows))
              .ok() &&
          (*conn)
              ->Execute(absl::StrCat("INSERT INTO site_columns (site_id, name, column_class, "
                                     "url, item_selector, create_time) VALUES ",
                                     column_rows))
              .ok() &&
          (*conn)
              ->Execute(absl::StrCat("INSERT INTO probe_schedule (site_id, next_slot) VALUES ",
                                     schedule_rows))
              .ok();
      if (!ok) {
        std::cerr << "registering the sites failed\n";
        return 1;
      }
    }
  }
  auto rules = std::make_shared<rules::RuleBook>(website::WebsiteRuleSchemas());
  if (!rules::LoadRuleSetFiles(*rules, rules::EmbeddedRuleSetFiles()).ok()) return 1;
  auto repository = website::NewMysqlWebsiteRepository(pool->get());
  website::prober::CurlHttpClient client({});
  website::prober::PoliteFetcher fetcher(
      &client, {.max_concurrency = absl::GetFlag(FLAGS_concurrency),
                .host_interval = absl::Milliseconds(absl::GetFlag(FLAGS_host_interval_ms))});
  website::prober::SiteChecker checker(&fetcher);
  RealClock clock;
  std::atomic<int64_t> checks{0}, fetches{0}, failed{0};
  website::ProbeScheduler scheduler(repository.get(), &checker, rules, &clock,
                                    [&](const website::v1::Probe& p) {
                                      ++checks;
                                      if (!p.home_ok()) ++failed;
                                      fetches += 1 + p.columns_size() + p.links_sampled();
                                    },
                                    {.workers = absl::GetFlag(FLAGS_workers), .replica = "bench"});
  const long rss_before = StatusKib("VmRSS:");
  const double cpu_start = CpuSeconds();
  const absl::Time start = absl::Now();
  scheduler.Start();
  absl::SleepFor(absl::Seconds(absl::GetFlag(FLAGS_seconds)));
  scheduler.Stop();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  const double cpu = CpuSeconds() - cpu_start;
  const int64_t n = checks.load();
  std::printf("website prober: %d registered sites (%d with 5 columns each), %d local origins\n",
              sites, sites, static_cast<int>(ports.size()));
  std::printf("  site checks:            %lld in %.1f s = %.0f a minute (target >= 1000)\n",
              static_cast<long long>(n), elapsed, n * 60.0 / elapsed);
  std::printf("  failed home pages:      %lld\n", static_cast<long long>(failed.load()));
  std::printf("  HTTP fetches:           %lld = %.1f pages a second (home, columns, links)\n",
              static_cast<long long>(fetches.load()), fetches.load() / elapsed);
  std::printf("  CPU time per check:     %.2f ms (prober process: curl, parsing, MySQL client)\n",
              n > 0 ? cpu * 1000.0 / n : 0.0);
  std::printf(
      "  memory:                 peak RSS %.1f MiB, %.1f MiB before probing (target <= 64)\n",
      StatusKib("VmHWM:") / 1024.0, rss_before / 1024.0);
  std::printf("PAGES_PER_SECOND %.1f\n", fetches.load() / elapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return absl::GetFlag(FLAGS_mode) == "serve" ? Serve() : Probe();
}
