// The catalog on a three-node MariaDB Galera cluster (issue 17, ADR 0025), end to end:
//
//  1. deploy/galera/galera.sh starts the cluster on loopback (node 1 bootstraps, 2 and 3
//     join by state transfer) and creates the catalog's database and user.
//  2. Two gongkai-catalog processes start at the same moment, A preferring node 1 and B
//     node 2 (GONGKAI_DB_HOST lists all three in different orders): the migrations are
//     applied once, by one of them, under the lease-row migration lock.
//  3. Writers create documents with request ids through both processes (gRPC); a third
//     of the way in, node 1 is SIGKILLed. A call that fails (the connection died under
//     it, UNAVAILABLE; a certification conflict that outlived the retries, ABORTED) is
//     retried with the same request id, as a client would.
//  4. Every acknowledged create is in the database exactly once, with the id that was
//     acknowledged; no request id made two documents; both processes kept creating
//     after the kill (the pools failed over); node 1 restarted rejoins with every row.
//
// Skipped (GTEST_SKIP, shown as "Skipped" by CTest) when Galera is not installed.
// Figures are printed, never asserted. The load is the short form for CI; the longer
// run is tests/galera/run.sh (GONGKAI_GALERA_WRITERS, GONGKAI_GALERA_LOAD_SECONDS).
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/auth/token_minter.h"
#include "libs/db/connection_pool.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/service_process.h"

#ifndef GONGKAI_CATALOG_BINARY
#error "GONGKAI_CATALOG_BINARY must be defined by the build"
#endif
#ifndef GONGKAI_GALERA_SCRIPT
#error "GONGKAI_GALERA_SCRIPT must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace v1 = ::gongkai::catalog::v1;
using Stub = v1::CatalogService::Stub;
namespace fs = std::filesystem;

constexpr char kProvider[] = "/usr/lib/galera/libgalera_smm.so";
constexpr char kIssuer[] = "gongkai-galera-e2e";
constexpr char kAudience[] = "gongkai";
constexpr char kDatabase[] = "gongkai_catalog";
constexpr char kUser[] = "gongkai_catalog";

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  if (value != nullptr && absl::SimpleAtoi(value, &parsed) && parsed > 0) return parsed;
  return fallback;
}

std::string RandomHex(int bytes) {
  absl::BitGen gen;
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppend(&out, absl::Hex(absl::Uniform<uint8_t>(gen), absl::kZeroPad2));
  }
  return out;
}

bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return free;
}

// A base port whose node ports (base+1..base+33, deploy/galera/galera.sh) are free.
int PickBasePort() {
  absl::BitGen gen;
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int base = absl::Uniform(gen, 200, 600) * 100;
    bool all = true;
    for (int offset : {1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33}) {
      all = all && PortFree(base + offset);
    }
    if (all) return base;
  }
  return 0;
}

// The loopback cluster of deploy/galera/galera.sh in a temporary directory.
class GaleraCluster {
 public:
  ~GaleraCluster() {
    if (!dir_.empty()) {
      Script("stop").IgnoreError();
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
  }

  absl::Status Start() {
    char tmpl[] = "/tmp/gongkai-galera-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
    dir_ = tmpl;
    base_port_ = PickBasePort();
    if (base_port_ == 0) return absl::UnavailableError("no free ports for the cluster");
    return Script(absl::StrCat("start ", base_port_));
  }

  // Runs `galera.sh <command> DIR <args>`; the output goes to DIR/script.log.
  absl::Status Script(const std::string& command_and_args) {
    const size_t space = command_and_args.find(' ');
    const std::string command = command_and_args.substr(0, space);
    const std::string args = space == std::string::npos ? "" : command_and_args.substr(space);
    const std::string log = dir_ + "/script.log";
    const std::string line = absl::StrCat("bash ", GONGKAI_GALERA_SCRIPT, " ", command, " ", dir_,
                                          args, " >>", log, " 2>&1");
    const int rc = std::system(line.c_str());
    if (rc != 0) {
      return absl::InternalError(
          absl::StrCat("galera.sh ", command, " failed (", rc, "):\n", Tail(log)));
    }
    return absl::OkStatus();
  }

  std::string Endpoint(int node) const { return absl::StrCat("127.0.0.1:", base_port_ + node); }
  const std::string& dir() const { return dir_; }

 private:
  static std::string Tail(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    const size_t from = lines.size() > 30 ? lines.size() - 30 : 0;
    return absl::StrJoin(lines.begin() + static_cast<long>(from), lines.end(), "\n");
  }

  std::string dir_;
  int base_port_ = 0;
};

struct Figures {
  std::mutex mu;
  std::map<std::string, int64_t> acknowledged;  // request id -> document id.
  std::set<std::string> abandoned;              // never acknowledged (gave up).
  std::map<std::string, int> errors;            // by status code name, every failed attempt.
  int64_t acks_before_kill = 0;
  int64_t acks_after_kill[2] = {0, 0};  // by catalog (A, B).
  int64_t retried_requests = 0;
  absl::Time last_ack_before_kill = absl::InfinitePast();
  absl::Time first_ack_after_kill[2] = {absl::InfiniteFuture(), absl::InfiniteFuture()};
  // The longest pause between two acknowledgements through one catalog: the outage its
  // clients saw (the node's death, Galera evicting it, the pool failing over).
  absl::Time last_ack[2] = {absl::InfinitePast(), absl::InfinitePast()};
  absl::Duration longest_pause[2] = {absl::ZeroDuration(), absl::ZeroDuration()};
};

class GaleraFailoverE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // GONGKAI_GALERA_PROVIDER names another provider library (galera.sh reads it too).
    const char* provider = std::getenv("GONGKAI_GALERA_PROVIDER");
    if (provider == nullptr || *provider == '\0') provider = kProvider;
    for (const char* needed : {provider, "/usr/bin/rsync", "/usr/sbin/mariadbd"}) {
      if (!fs::exists(needed)) {
        GTEST_SKIP() << "Galera test skipped: " << needed
                     << " is missing (apt-get install galera-4 mariadb-server rsync)";
      }
    }
    jwt_secret_ = RandomHex(32);
    password_ = RandomHex(16);
    admin_password_ = RandomHex(16);
  }

  std::string Token(const std::string& subject, std::optional<int64_t> unit,
                    std::vector<std::string> roles) const {
    auth::Claims claims;
    claims.subject = subject;
    claims.unit_id = unit;
    claims.roles = std::move(roles);
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.issued_at = absl::Now();
    absl::StatusOr<std::string> token = auth::MintHs256(claims, jwt_secret_, absl::Hours(2));
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  ServiceProcess::Options CatalogOptions(const std::string& hosts) const {
    ServiceProcess::Options options;
    options.binary = GONGKAI_CATALOG_BINARY;
    // The catalog declares the interpretation service as a peer (the INT-3 release gate);
    // nothing here publishes a government policy document, so no call is made to it.
    options.env = {{"GONGKAI_PEERS", "interpretation=127.0.0.1:1"},
                   {"GONGKAI_DB_HOST", hosts},
                   {"GONGKAI_DB_NAME", kDatabase},
                   {"GONGKAI_DB_USER", kUser},
                   {"GONGKAI_DB_PASSWORD", password_},
                   {"GONGKAI_DB_POOL_SIZE", "8"},
                   {"GONGKAI_GRPC_ADDRESS", "127.0.0.1:0"},
                   {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
                   {"GONGKAI_JWT_HS256_SECRET", jwt_secret_},
                   {"GONGKAI_JWT_ISSUER", kIssuer},
                   {"GONGKAI_JWT_AUDIENCE", kAudience},
                   {"GONGKAI_APPLICANT_KEY_SECRET", jwt_secret_ + "-applicants"}};
    options.startup_timeout = absl::Seconds(180);
    return options;
  }

  // A pool on one node as the administrator, to check what the cluster holds.
  std::unique_ptr<db::ConnectionPool> AdminPool(const std::string& endpoint) {
    db::DbConfig config;
    config.host = endpoint;
    config.database = kDatabase;
    config.user = "gongkai_galera_admin";
    config.password = admin_password_;
    config.pool_size = 2;
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(config);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  std::string jwt_secret_;
  std::string password_;
  std::string admin_password_;
};

// The sum of a numeric SHOW GLOBAL STATUS variable over `pools` (nodes that answer).
int64_t SumStatus(const std::vector<db::ConnectionPool*>& pools, const std::string& name) {
  int64_t sum = 0;
  for (db::ConnectionPool* pool : pools) {
    absl::StatusOr<db::ConnectionLease> conn = pool->Acquire();
    if (!conn.ok()) continue;
    absl::StatusOr<db::ResultSet> rows =
        (*conn)->Query(absl::StrCat("SHOW GLOBAL STATUS LIKE '", name, "'"));
    int64_t value = 0;
    if (rows.ok() && !rows->empty() && absl::SimpleAtoi(*(*rows)[0].GetString(1), &value)) {
      sum += value;
    }
  }
  return sum;
}

int64_t NewlyApplied(const ServiceProcess& process) {
  absl::StatusOr<nlohmann::json> line = process.WaitForJsonLine(
      [](const nlohmann::json& j) { return j.value("msg", "") == "migrations applied"; },
      absl::Seconds(5));
  if (!line.ok()) return -1;
  return line->value("newly_applied", int64_t{-1});
}

// Issue 17: migrations once; every acknowledged create exactly once across a node's
// SIGKILL under write load; both replicas keep serving through the remaining nodes.
TEST_F(GaleraFailoverE2eTest, NodeKilledUnderWriteLoadLosesNoAcknowledgedCreate) {
  const int writers = EnvInt("GONGKAI_GALERA_WRITERS", 4);
  const absl::Duration load = absl::Seconds(EnvInt("GONGKAI_GALERA_LOAD_SECONDS", 12));

  GaleraCluster cluster;
  const absl::Time cluster_start = absl::Now();
  const absl::Status up = cluster.Start();
  ASSERT_TRUE(up.ok()) << up;
  std::cout << "[galera] cluster of 3 up in " << absl::FormatDuration(absl::Now() - cluster_start)
            << " (" << cluster.dir() << ")\n";
  ASSERT_TRUE(
      cluster.Script(absl::StrCat("create-admin gongkai_galera_admin ", admin_password_)).ok());
  ASSERT_TRUE(
      cluster.Script(absl::StrCat("ensure-db ", kDatabase, " ", kUser, " ", password_)).ok());

  const std::string n1 = cluster.Endpoint(1), n2 = cluster.Endpoint(2), n3 = cluster.Endpoint(3);
  // Two replicas started at the same moment on two nodes.
  std::unique_ptr<ServiceProcess> catalog[2];
  absl::Status started[2];
  {
    const absl::Time t0 = absl::Now();
    std::thread a([&] {
      auto s = ServiceProcess::Start(CatalogOptions(absl::StrCat(n1, ",", n2, ",", n3)));
      if (s.ok())
        catalog[0] = *std::move(s);
      else
        started[0] = s.status();
    });
    std::thread b([&] {
      auto s = ServiceProcess::Start(CatalogOptions(absl::StrCat(n2, ",", n3, ",", n1)));
      if (s.ok())
        catalog[1] = *std::move(s);
      else
        started[1] = s.status();
    });
    a.join();
    b.join();
    ASSERT_TRUE(started[0].ok()) << started[0];
    ASSERT_TRUE(started[1].ok()) << started[1];
    std::cout << "[galera] two catalogs SERVING (migrations included) in "
              << absl::FormatDuration(absl::Now() - t0) << "\n";
  }
  const int64_t applied_a = NewlyApplied(*catalog[0]);
  const int64_t applied_b = NewlyApplied(*catalog[1]);
  std::unique_ptr<db::ConnectionPool> check = AdminPool(n3);
  ASSERT_NE(check, nullptr);
  {
    absl::StatusOr<db::ConnectionLease> conn = check->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    absl::StatusOr<db::ResultSet> versions =
        (*conn)->Query("SELECT COUNT(*) FROM schema_migrations");
    ASSERT_TRUE(versions.ok()) << versions.status();
    const int64_t recorded = *(*versions)[0].GetInt64(0);
    std::cout << "[galera] migrations applied by A: " << applied_a << ", by B: " << applied_b
              << ", recorded: " << recorded << "\n";
    EXPECT_GT(recorded, 0);
    EXPECT_EQ(applied_a + applied_b, recorded) << "each migration applied exactly once";
    EXPECT_TRUE(applied_a == 0 || applied_b == 0) << "the lock holder applies all of them";
  }

  std::unique_ptr<Stub> stubs[2];
  for (int i = 0; i < 2; ++i) {
    stubs[i] = v1::CatalogService::NewStub(
        grpc::CreateChannel(catalog[i]->grpc_address(), grpc::InsecureChannelCredentials()));
  }
  v1::CreateUnitRequest unit_request;
  unit_request.mutable_unit()->set_code("GALERA-U1");
  unit_request.mutable_unit()->set_name("集群测试单位");
  unit_request.mutable_unit()->set_level(v1::UNIT_LEVEL_DEPARTMENT);
  absl::StatusOr<v1::Unit> unit = UnaryCall(
      *stubs[0], &Stub::CreateUnit, Token("galera-admin", std::nullopt, {"ADMIN"}), unit_request);
  ASSERT_TRUE(unit.ok()) << unit.status();
  const std::string staff = Token("galera-staff", unit->id(), {"STAFF"});

  auto draft = [&](const std::string& request_id) {
    v1::CreateDocumentRequest request;
    request.set_request_id(request_id);
    v1::Document* d = request.mutable_document();
    d->set_title(request_id);
    d->set_body("为深入推进政务公开工作，现将有关事项通知如下。");
    d->set_drafting_unit_id(unit->id());
    d->set_issuing_authority(v1::DEPARTMENT);
    d->set_key_area(v1::EDUCATION);
    d->set_disclosure_attribute(v1::PROACTIVE);
    return request;
  };

  // Certification conflicts: the same request id through A (node 1) and B (node 2) at
  // once. Both transactions insert the same idempotency key on two nodes; one commit
  // fails certification (1213, ABORTED), is retried, and replays the winner's answer.
  // Both callers must get the same document, and it must be stored once.
  const int pairs = EnvInt("GONGKAI_GALERA_CONFLICT_PAIRS", 40);
  int same_answer = 0, conflict_errors = 0;
  for (int p = 0; p < pairs; ++p) {
    const v1::CreateDocumentRequest request = draft(absl::StrCat("galera-pair-", p));
    absl::StatusOr<v1::Document> answers[2];
    std::thread ta([&] {
      answers[0] = UnaryCall(*stubs[0], &Stub::CreateDocument, staff, request, absl::Seconds(15));
    });
    std::thread tb([&] {
      answers[1] = UnaryCall(*stubs[1], &Stub::CreateDocument, staff, request, absl::Seconds(15));
    });
    ta.join();
    tb.join();
    for (const auto& answer : answers) {
      // ABORTED only if the conflict outlived every retry: a retryable answer, not a
      // wrong one. Anything else fails the test.
      if (!answer.ok()) {
        ++conflict_errors;
        EXPECT_EQ(answer.status().code(), absl::StatusCode::kAborted) << answer.status();
      }
    }
    if (answers[0].ok() && answers[1].ok()) {
      EXPECT_EQ(answers[0]->id(), answers[1]->id()) << request.request_id();
      if (answers[0]->id() == answers[1]->id()) ++same_answer;
    }
  }
  {
    std::unique_ptr<db::ConnectionPool> p1 = AdminPool(n1), p2 = AdminPool(n2);
    const std::vector<db::ConnectionPool*> nodes = {p1.get(), p2.get(), check.get()};
    std::cout << "[galera] same request id via two nodes at once: " << pairs << " pairs, "
              << same_answer << " answered with one document by both, " << conflict_errors
              << " ABORTED answers; cluster counted "
              << SumStatus(nodes, "wsrep_local_cert_failures") << " certification failures and "
              << SumStatus(nodes, "wsrep_local_bf_aborts") << " brute-force aborts so far\n";
  }

  Figures figures;
  std::atomic<bool> killed{false};
  std::atomic<bool> stop{false};
  absl::Time kill_time = absl::InfiniteFuture();
  auto writer = [&](int w) {
    const int side = w % 2;  // Even writers call A, odd ones B.
    for (int n = 0; !stop.load(); ++n) {
      const std::string request_id = absl::StrCat("galera-w", w, "-", n);
      const v1::CreateDocumentRequest request = draft(request_id);
      // Retried with the same request id until acknowledged, as a client would; given
      // up only long after the load ends (then it must exist at most once).
      const absl::Time give_up = absl::Now() + load + absl::Seconds(60);
      bool retried = false;
      while (true) {
        const bool after_kill = killed.load();
        absl::StatusOr<v1::Document> created =
            UnaryCall(*stubs[side], &Stub::CreateDocument, staff, request, absl::Seconds(15));
        {
          std::lock_guard<std::mutex> lock(figures.mu);
          if (created.ok()) {
            figures.acknowledged[request_id] = created->id();
            const absl::Time now = absl::Now();
            if (figures.last_ack[side] != absl::InfinitePast()) {
              figures.longest_pause[side] =
                  std::max(figures.longest_pause[side], now - figures.last_ack[side]);
            }
            figures.last_ack[side] = now;
            if (after_kill) {
              ++figures.acks_after_kill[side];
              figures.first_ack_after_kill[side] =
                  std::min(figures.first_ack_after_kill[side], now);
            } else {
              ++figures.acks_before_kill;
              figures.last_ack_before_kill = std::max(figures.last_ack_before_kill, now);
            }
            if (retried) ++figures.retried_requests;
            break;
          }
          ++figures.errors[absl::StatusCodeToString(created.status().code())];
          if (absl::Now() > give_up) {
            figures.abandoned.insert(request_id);
            break;
          }
        }
        // Never a wrong answer: a failure is one a client may retry, nothing else.
        const absl::StatusCode code = created.status().code();
        EXPECT_TRUE(code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kAborted ||
                    code == absl::StatusCode::kDeadlineExceeded)
            << request_id << ": " << created.status();
        retried = true;
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
  };
  const absl::Time load_start = absl::Now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) threads.emplace_back(writer, w);
  absl::SleepFor(load / 3);
  kill_time = absl::Now();
  killed = true;
  const absl::Status kill = cluster.Script("kill-node 1");
  absl::SleepFor(load - load / 3);
  stop = true;
  for (std::thread& t : threads) t.join();
  const absl::Duration load_time = absl::Now() - load_start;
  ASSERT_TRUE(kill.ok()) << kill;

  // Every acknowledged create is there once, with its id; nothing is there twice.
  std::map<std::string, std::pair<int64_t, int64_t>> stored;  // title -> (count, min id)
  {
    absl::StatusOr<db::ConnectionLease> conn = check->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    // Galera applies other nodes' write sets asynchronously: a create acknowledged through
    // node 2 a moment ago may not be applied on node 3 yet. A causal read waits for it
    // (without it this check once counted such a create as lost while node 1 held it).
    ASSERT_TRUE((*conn)->ExecuteUnprepared("SET SESSION wsrep_sync_wait = 1").ok());
    absl::StatusOr<db::ResultSet> rows = (*conn)->Query(
        "SELECT title, COUNT(*) AS n, MIN(id) AS id FROM documents WHERE title LIKE 'galera-%' "
        "GROUP BY title");
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const db::Row& row : *rows) {
      stored[*row.GetString("title")] = {*row.GetInt64("n"), *row.GetInt64("id")};
    }
  }
  int64_t missing = 0, wrong_id = 0, duplicated = 0;
  for (const auto& [request_id, id] : figures.acknowledged) {
    auto it = stored.find(request_id);
    if (it == stored.end()) {
      ++missing;
      ADD_FAILURE() << "acknowledged create " << request_id << " (id " << id << ") is lost";
    } else if (it->second.second != id) {
      ++wrong_id;
      ADD_FAILURE() << request_id << " acknowledged as id " << id << ", stored as "
                    << it->second.second;
    }
  }
  for (const auto& [title, row] : stored) {
    if (row.first != 1) {
      ++duplicated;
      ADD_FAILURE() << title << " is stored " << row.first << " times";
    }
  }
  // Both replicas kept serving through the remaining nodes.
  EXPECT_GT(figures.acks_after_kill[0], 0) << "catalog A (on node 1) never created after the kill";
  EXPECT_GT(figures.acks_after_kill[1], 0) << "catalog B never created after the kill";

  // Node 1 comes back and catches up (IST): it holds every acknowledged create too.
  const absl::Time rejoin_start = absl::Now();
  ASSERT_TRUE(cluster.Script("start-node 1").ok());
  ASSERT_TRUE(cluster.Script("wait 3 180").ok());
  const absl::Duration rejoin = absl::Now() - rejoin_start;
  std::unique_ptr<db::ConnectionPool> node1 = AdminPool(n1);
  ASSERT_NE(node1, nullptr);
  {
    absl::StatusOr<db::ConnectionLease> conn = node1->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)->ExecuteUnprepared("SET SESSION wsrep_sync_wait = 1").ok());
    absl::StatusOr<db::ResultSet> rows =
        (*conn)->Query("SELECT COUNT(*) FROM documents WHERE title LIKE 'galera-%'");
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(*(*rows)[0].GetInt64(0), static_cast<int64_t>(stored.size()))
        << "the rejoined node 1 differs from node 3";
  }

  const double seconds = absl::ToDoubleSeconds(load_time);
  const int64_t acked = static_cast<int64_t>(figures.acknowledged.size());
  std::cout << "[galera] load: " << writers << " writers for " << absl::FormatDuration(load_time)
            << ", node 1 SIGKILLed after " << absl::FormatDuration(kill_time - load_start) << "\n"
            << "[galera] acknowledged creates: " << acked << " ("
            << (seconds > 0 ? acked / seconds : 0) << "/s overall; " << figures.acks_before_kill
            << " before the kill, " << figures.acks_after_kill[0] << " via A and "
            << figures.acks_after_kill[1] << " via B after it)\n"
            << "[galera] requests acknowledged only after a retry: " << figures.retried_requests
            << ", abandoned: " << figures.abandoned.size() << "\n";
  for (int side = 0; side < 2; ++side) {
    if (figures.first_ack_after_kill[side] != absl::InfiniteFuture()) {
      std::cout << "[galera] catalog " << (side == 0 ? "A" : "B") << ": first create acknowledged "
                << absl::FormatDuration(figures.first_ack_after_kill[side] - kill_time)
                << " after the kill; longest pause between two acknowledgements "
                << absl::FormatDuration(figures.longest_pause[side]) << "\n";
    }
  }
  for (const auto& [code, count] : figures.errors) {
    std::cout << "[galera] failed attempts " << code << ": " << count << "\n";
  }
  std::cout << "[galera] stored: " << stored.size() << " documents; lost " << missing
            << ", wrong id " << wrong_id << ", duplicated " << duplicated
            << "; node 1 rejoined and synced in " << absl::FormatDuration(rejoin) << "\n";

  for (auto& process : catalog) {
    absl::StatusOr<int> exit_code = process->Stop();
    EXPECT_TRUE(exit_code.ok() && *exit_code == 0) << exit_code.status();
  }
}

}  // namespace
}  // namespace gongkai::e2e
