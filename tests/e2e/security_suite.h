// The six services of the suite and the gateway in front of all of them, each on a fresh
// database, with fixtures owned by unit A, for the security tests (issue 15, "Security";
// docs/security.md). Header-only; the binaries' paths come from GONGKAI_*_BINARY (set by
// CMake for security_e2e_test).
//
//   SecuritySuite& suite = SecuritySuite::Get();      // started once per test binary
//   suite.Token(SecuritySuite::kStaffOfA);            // HS256 tokens the suite accepts
//   suite.Fixture("document");                        // ids of unit A's resources
//   suite.CountRows();                                // every table of every schema
//
// Every process accepts HS256 tokens with the catalog's secret and RS256 tokens signed by
// the suite's RSA key (kid "k1"), so the token tests can try HS/RS key confusion.
#ifndef GONGKAI_TESTS_E2E_SECURITY_SUITE_H_
#define GONGKAI_TESTS_E2E_SECURITY_SUITE_H_

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/test_keys.h"
#include "libs/db/connection_pool.h"
#include "tests/e2e/assessment_under_test.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/gateway_under_test.h"
#include "tests/e2e/service_process.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {

class SecuritySuite {
 public:
  // The callers of the authorization table, in the order of its columns.
  enum Caller {
    kAnonymous,
    kStaffOfA,
    kReviewerOfA,
    kHeadOfA,
    kOffice,
    kInspector,
    kAdmin,
    kSupervision,
    kService,
    kStaffOfB,
  };
  static constexpr int kCallers = 10;
  static const char* CallerName(int caller) {
    static const char* const kNames[kCallers] = {
        "public",    "staff A", "reviewer A",  "head A",  "office",
        "inspector", "admin",   "supervision", "service", "staff B"};
    return kNames[caller];
  }

  // Started on first use; stopped when the test binary exits (Environment below).
  static SecuritySuite& Get() { return *instance(); }
  static std::unique_ptr<SecuritySuite>& instance() {
    static std::unique_ptr<SecuritySuite> suite;
    return suite;
  }

  // Starts every process; false (with a gtest failure) when one does not start.
  bool Start() {
    rsa_ = auth::testing::GenerateRsaKeyPair(2048);
    rsa_file_ = absl::StrCat(::testing::TempDir(), "/gongkai_security_rs256_", getpid(), ".pem");
    std::ofstream(rsa_file_) << rsa_.public_pem;
    const std::string interpretation_address = absl::StrCat("127.0.0.1:", FreePort());
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog = CatalogUnderTest::Start(
        "seccat", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()},
                   {"GONGKAI_PEERS", absl::StrCat("interpretation=", interpretation_address)},
                   {"GONGKAI_OUTBOX_POLL_INTERVAL", "200ms"},
                   {"GONGKAI_INTERPRETATION_CALL_TIMEOUT", "2s"},
                   {"GONGKAI_JWT_RS256_PUBLIC_KEYS", RsaKeys()}});
    EXPECT_TRUE(catalog.ok()) << catalog.status();
    if (!catalog.ok()) return false;
    catalog_ = *std::move(catalog);
    addresses_["catalog"] = catalog_->service().grpc_address();
    struct Peer {
      std::string name;
      std::string binary;
      std::map<std::string, std::string> env;
    };
    for (const Peer& peer :
         {Peer{"interpretation",
               GONGKAI_INTERPRETATION_BINARY,
               {{"GONGKAI_GRPC_ADDRESS", interpretation_address}}},
          Peer{"consultation", GONGKAI_CONSULTATION_BINARY, {}},
          Peer{"opinion", GONGKAI_OPINION_BINARY, {}},
          Peer{"website", GONGKAI_WEBSITE_BINARY, {{"GONGKAI_PROBER_WORKERS", "1"}}}}) {
      absl::StatusOr<std::unique_ptr<E2eDatabase>> database =
          E2eDatabase::Create(absl::StrCat("sec", peer.name.substr(0, 4)));
      EXPECT_TRUE(database.ok()) << database.status();
      if (!database.ok()) return false;
      ServiceProcess::Options options;
      options.binary = peer.binary;
      options.listening_message = absl::StrCat(peer.name, " listening");
      options.env = (*database)->ServiceEnv();
      options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
      options.env["GONGKAI_JWT_RS256_PUBLIC_KEYS"] = RsaKeys();
      options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
      options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
      options.env["GONGKAI_DB_POOL_SIZE"] = "4";
      options.env["GONGKAI_CALENDAR_ADDRESS"] = addresses_["catalog"];
      std::vector<std::string> peers;
      for (const auto& [name, address] : addresses_)
        peers.push_back(absl::StrCat(name, "=", address));
      options.env["GONGKAI_PEERS"] = absl::StrJoin(peers, ",");
      for (const auto& [key, value] : peer.env) options.env[key] = value;
      absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
      EXPECT_TRUE(process.ok()) << peer.name << ": " << process.status();
      if (!process.ok()) return false;
      addresses_[peer.name] = (*process)->grpc_address();
      databases_[peer.name] = *std::move(database);
      processes_[peer.name] = *std::move(process);
    }
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("secasse");
    EXPECT_TRUE(database.ok()) << database.status();
    if (!database.ok()) return false;
    std::map<std::string, std::string> peers = addresses_;
    absl::StatusOr<std::unique_ptr<ServiceProcess>> assessment = StartAssessment(
        *catalog_, **database, peers, {{"GONGKAI_JWT_RS256_PUBLIC_KEYS", RsaKeys()}});
    EXPECT_TRUE(assessment.ok()) << assessment.status();
    if (!assessment.ok()) return false;
    addresses_["assessment"] = (*assessment)->grpc_address();
    databases_["assessment"] = *std::move(database);
    processes_["assessment"] = *std::move(assessment);

    std::vector<std::string> backends;
    for (const auto& [name, address] : addresses_)
      backends.push_back(absl::StrCat(name, "=", address));
    absl::StatusOr<std::unique_ptr<ServiceProcess>> gateway = StartGatewayProcess({
        {"GONGKAI_HTTP_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_METRICS_ADDRESS", "127.0.0.1:0"},
        {"GONGKAI_BACKENDS", absl::StrJoin(backends, ",")},
        {"GONGKAI_JWT_HS256_SECRET", catalog_->jwt_secret()},
        {"GONGKAI_JWT_RS256_PUBLIC_KEYS", RsaKeys()},
        {"GONGKAI_JWT_ISSUER", kE2eIssuer},
        {"GONGKAI_JWT_AUDIENCE", kE2eAudience},
        {"GONGKAI_IO_THREADS", "2"},
        {"GONGKAI_RATE_LIMIT_AUTHENTICATED", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_READ", "0:0"},
        {"GONGKAI_RATE_LIMIT_ANONYMOUS_WRITE", "0:0"},
        {"GONGKAI_SHUTDOWN_GRACE", "2s"},
    });
    EXPECT_TRUE(gateway.ok()) << gateway.status();
    if (!gateway.ok()) return false;
    gateway_ = *std::move(gateway);
    return true;
  }

  ~SecuritySuite() {
    gateway_.reset();
    processes_.erase("assessment");
    processes_.clear();
    databases_.clear();
    catalog_.reset();
    if (!rsa_file_.empty()) unlink(rsa_file_.c_str());
  }

  // "catalog", "interpretation", ... -> 127.0.0.1:port
  const std::map<std::string, std::string>& addresses() const { return addresses_; }
  CatalogUnderTest& catalog() { return *catalog_; }
  ServiceProcess& gateway() { return *gateway_; }
  int http_port() const { return gateway_->port("http_port"); }
  // Every process of the suite (the catalog, the five others, the gateway) by name.
  std::map<std::string, ServiceProcess*> Processes() {
    std::map<std::string, ServiceProcess*> all = {{"catalog", &catalog_->service()},
                                                  {"gateway", gateway_.get()}};
    for (auto& [name, process] : processes_) all[name] = process.get();
    return all;
  }
  const auth::testing::TestKeyPair& rsa() const { return rsa_; }
  const std::string& jwt_secret() const { return catalog_->jwt_secret(); }

  int64_t unit_a = 0, unit_b = 0;

  std::string Token(int caller) const {
    switch (caller) {
      case kStaffOfA:
        return catalog_->Token("staff-a", unit_a, {"STAFF"});
      case kReviewerOfA:
        return catalog_->Token("reviewer-a", unit_a, {"REVIEWER"});
      case kHeadOfA:
        return catalog_->Token("head-a", unit_a, {"HEAD"});
      case kOffice:
        return catalog_->Token("office", std::nullopt, {"OFFICE"});
      case kInspector:
        return catalog_->Token("inspector", std::nullopt, {"INSPECTOR"});
      case kAdmin:
        return catalog_->Token("root", std::nullopt, {"ADMIN"});
      case kSupervision:
        return catalog_->Token("supervision", std::nullopt, {"SUPERVISION"});
      case kService:
        return catalog_->Token("service:assessment", std::nullopt, {"SERVICE"});
      case kStaffOfB:
        return catalog_->Token("staff-b", unit_b, {"STAFF"});
      default:
        return "";
    }
  }

  // Ids of unit A's resources by kind ("document", "consultation", ...); 0 if none.
  std::map<std::string, int64_t> fixtures;
  int64_t Fixture(const std::string& kind) const {
    auto it = fixtures.find(kind);
    return it == fixtures.end() ? 0 : it->second;
  }
  // Strings placed only in private data (unpublished, NOT_DISCLOSED, unit A's own); no
  // public response and no response to unit B may contain one.
  std::vector<std::string> private_markers;

  // service -> table -> row count, for every table of every service schema.
  using RowCounts = std::map<std::string, std::map<std::string, int64_t>>;
  RowCounts CountRows() { return CountRows({}); }
  RowCounts CountRows(const std::string& only_service) {
    RowCounts counts;
    for (const auto& [service, config] : DbConfigs()) {
      if (!only_service.empty() && service != only_service) continue;
      db::ConnectionPool& pool = Pool(service, config);
      absl::StatusOr<db::ConnectionLease> conn = pool.Acquire();
      EXPECT_TRUE(conn.ok()) << conn.status();
      if (!conn.ok()) continue;
      std::vector<std::string>& tables = tables_[service];
      if (tables.empty()) {
        absl::StatusOr<db::ResultSet> names = (*conn)->Query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name");
        EXPECT_TRUE(names.ok()) << names.status();
        if (!names.ok()) continue;
        for (const db::Row& row : *names) tables.push_back(*row.GetString(0));
      }
      std::vector<std::string> parts;
      for (const std::string& table : tables) {
        parts.push_back(absl::StrCat("(SELECT COUNT(*) FROM `", table, "`)"));
      }
      if (parts.empty()) continue;
      absl::StatusOr<db::ResultSet> result =
          (*conn)->Query(absl::StrCat("SELECT ", absl::StrJoin(parts, ", ")));
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok() || result->empty()) continue;
      for (size_t i = 0; i < tables.size(); ++i) {
        counts[service][tables[i]] = *(*result)[0].GetInt64(static_cast<int>(i));
      }
    }
    return counts;
  }
  // Counts of `service`'s tables once two counts 200 ms apart agree (at most 10 s), for
  // when background work of the service is still writing.
  RowCounts SettleRows(const std::string& service) {
    RowCounts previous = CountRows(service);
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      RowCounts current = CountRows(service);
      if (current == previous) return current;
      previous = std::move(current);
    }
    return previous;
  }
  // "table before→after, ..." for the tables whose counts differ.
  static std::string Changed(const RowCounts& before, const RowCounts& after) {
    std::vector<std::string> changed;
    for (const auto& [service, tables] : after) {
      for (const auto& [table, count] : tables) {
        int64_t was = -1;
        if (auto s = before.find(service); s != before.end()) {
          if (auto t = s->second.find(table); t != s->second.end()) was = t->second;
        }
        if (was != count) changed.push_back(absl::StrCat(table, " ", was, "→", count));
      }
    }
    return absl::StrJoin(changed, ", ");
  }
  // A connection to `service`'s schema as the service's own user.
  absl::StatusOr<db::ConnectionLease> Connection(const std::string& service) {
    return Pool(service, DbConfigs().at(service)).Acquire();
  }

 private:
  std::string RsaKeys() const { return absl::StrCat("k1=", rsa_file_); }

  std::map<std::string, db::DbConfig> DbConfigs() const {
    std::map<std::string, db::DbConfig> configs = {
        {"catalog", catalog_->database().ServiceConfig(1)}};
    for (const auto& [name, database] : databases_) configs[name] = database->ServiceConfig(1);
    return configs;
  }
  db::ConnectionPool& Pool(const std::string& service, const db::DbConfig& config) {
    std::unique_ptr<db::ConnectionPool>& pool = pools_[service];
    if (pool == nullptr) {
      absl::StatusOr<std::unique_ptr<db::ConnectionPool>> created =
          db::ConnectionPool::Create(config);
      if (!created.ok()) {
        ADD_FAILURE() << created.status();
        std::abort();
      }
      pool = *std::move(created);
    }
    return *pool;
  }

  static int FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    close(fd);
    return port;
  }

  auth::testing::TestKeyPair rsa_;
  std::string rsa_file_;
  std::unique_ptr<CatalogUnderTest> catalog_;
  std::map<std::string, std::unique_ptr<E2eDatabase>> databases_;
  std::map<std::string, std::unique_ptr<ServiceProcess>> processes_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::map<std::string, std::string> addresses_;
  std::map<std::string, std::unique_ptr<db::ConnectionPool>> pools_;
  std::map<std::string, std::vector<std::string>> tables_;
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_SECURITY_SUITE_H_
