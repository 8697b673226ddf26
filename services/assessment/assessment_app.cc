#include "services/assessment/assessment_app.h"

#include <unistd.h>

#include <atomic>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "libs/directory/unit_directory.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"
#include "services/assessment/assessment.h"
#include "services/assessment/assessment_handler.h"
#include "services/assessment/assessment_metrics.h"
#include "services/assessment/grpc_evidence_fetcher.h"
#include "services/assessment/run_executor.h"

namespace gongkai::assessment {
namespace {

constexpr char kServiceName[] = "assessment";

std::string ReplicaName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(kServiceName, "@", host, "#", getpid());
}

class AssessmentApp final : public server::ServiceApp {
 public:
  AssessmentApp(const server::ServiceEnvironment& env, const AssessmentConfig& config,
                std::shared_ptr<grpc::Channel> catalog)
      : repository_(NewMysqlAssessmentRepository(env.pool)),
        assessment_(repository_.get(), env.rules, env.clock, CryptoSeedSource(),
                    {.retry_for = config.retry_for}),
        handler_(&assessment_, env.authenticator),
        training_evidence_(&assessment_),
        evidence_handler_(kServiceName, &training_evidence_, env.authenticator, env.clock),
        metrics_(*env.registry),
        fetcher_(
            PeerAccess{.channel = [peers = env.peers](
                                      const std::string& name) { return peers->Channel(name); },
                       .prepare =
                           [identity = env.identity](grpc::ClientContext& context,
                                                     absl::Duration timeout) {
                             return identity->Prepare(context, timeout);
                           }},
            config.evidence_deadline, kServiceName, &training_evidence_, env.clock),
        counting_fetcher_(&fetcher_, &metrics_),
        units_(directory::NewRemoteUnitDirectory(std::move(catalog), env.identity, *env.clock)),
        executor_(repository_.get(), env.rules, &counting_fetcher_,
                  [this]() -> absl::StatusOr<std::vector<UnitInfo>> {
                    // A run assesses the units as they are when its pass starts; when the
                    // catalog is unreachable the last snapshot answers.
                    const absl::Status refreshed = units_->Refresh();
                    if (!refreshed.ok()) {
                      GK_LOG(WARNING, "unit directory refresh failed").With("status", refreshed);
                    }
                    ASSIGN_OR_RETURN(std::vector<directory::Unit> all, units_->All());
                    std::vector<UnitInfo> units;
                    for (const directory::Unit& unit : all) {
                      units.push_back({unit.id, unit.code, unit.name});
                    }
                    return units;
                  },
                  env.clock,
                  {.owner = ReplicaName(),
                   .parallel_calls = config.parallel_calls,
                   .retry_interval = config.retry_interval}),
        poll_(config.poll) {}

  ~AssessmentApp() override {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
  }

  absl::Status Start(const server::Stopping& /*stopping*/) override {
    if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
    return absl::OkStatus();
  }

  void Refresh(const server::Stopping& /*stopping*/) override { metrics_.Refresh(*repository_); }

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::AssessmentService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

 private:
  // Carries out due runs until shutdown; a run left by a stopped replica is taken over
  // when its claim expires.
  void Work() {
    const std::function<bool()> stopping = [this] { return stop_.load(); };
    while (!stop_) {
      absl::StatusOr<bool> worked = executor_.RunOnce(stopping);
      if (!worked.ok()) {
        GK_LOG(WARNING, "assessment worker step failed").With("status", worked.status());
      }
      if (worked.ok() && *worked) continue;
      for (absl::Time until = absl::Now() + poll_; absl::Now() < until && !stop_;) {
        absl::SleepFor(absl::Milliseconds(50));
      }
    }
  }

  std::unique_ptr<AssessmentRepository> repository_;
  Assessment assessment_;
  AssessmentHandler handler_;
  TrainingEvidence training_evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  AssessmentMetrics metrics_;
  GrpcEvidenceFetcher fetcher_;
  CountingEvidenceFetcher counting_fetcher_;
  std::unique_ptr<directory::UnitDirectory> units_;
  RunExecutor executor_;
  absl::Duration poll_;
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

}  // namespace

void ReadAssessmentConfig(config::ConfigReader& reader, AssessmentConfig& config) {
  config.parallel_calls =
      static_cast<int>(reader.Int("assessment_parallel_calls", config.parallel_calls, 1, 256));
  config.evidence_deadline =
      reader.Duration("assessment_evidence_deadline", config.evidence_deadline,
                      absl::Milliseconds(100), absl::Minutes(5));
  config.retry_interval = reader.Duration("assessment_retry_interval", config.retry_interval,
                                          absl::Milliseconds(100), absl::Hours(24));
  config.retry_for = reader.Duration("assessment_retry_for", config.retry_for, absl::Seconds(1),
                                     absl::Hours(24 * 60));
  config.poll =
      reader.Duration("assessment_poll", config.poll, absl::Milliseconds(50), absl::Minutes(10));
}

std::vector<std::string> AssessmentPeers() {
  return {"catalog", "consultation", "interpretation", "opinion", "website"};
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewAssessmentApp(
    const server::ServiceEnvironment& env, const AssessmentConfig& config) {
  if (env.peers == nullptr || env.identity == nullptr) {
    return absl::FailedPreconditionError("the assessment service needs its peers (GONGKAI_PEERS)");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  return std::make_unique<AssessmentApp>(env, config, std::move(catalog));
}

}  // namespace gongkai::assessment
