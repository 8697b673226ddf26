#include "services/opinion/opinion_app.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <utility>

#include "libs/directory/unit_directory.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"
#include "services/opinion/events/mysql_event_repository.h"
#include "services/opinion/events/opinion_events.h"
#include "services/opinion/evidence/opinion_evidence.h"
#include "services/opinion/opinion_handler.h"
#include "services/opinion/opinion_metrics.h"
#include "services/opinion/routing/directory_unit_lookup.h"
#include "services/opinion/scheduler/clock_scheduler.h"

namespace gongkai::opinion {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "opinion";
  return name;
}

class OpinionApp final : public server::ServiceApp {
 public:
  OpinionApp(const server::ServiceEnvironment& env, const OpinionConfig& config,
             std::unique_ptr<directory::UnitDirectory> directory)
      : env_(env),
        metrics_(*env.registry),
        repository_(events::NewMysqlEventRepository(env.pool)),
        directory_(std::move(directory)),
        units_(directory_.get()),
        events_(repository_.get(), &units_, env.rules, env.clock, &metrics_),
        handler_(&events_, env.authenticator),
        evidence_(repository_.get(), env.clock),
        evidence_handler_("opinion", &evidence_, env.authenticator, env.clock),
        scheduler_(repository_.get(), env.clock, &metrics_,
                   {.replica = config.replica.empty() ? HostName() : config.replica,
                    .poll = config.scheduler_poll}) {
    metrics_.SetScheduler(&scheduler_);
  }

  ~OpinionApp() override { scheduler_.Stop(); }

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::OpinionService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  // OPI-4: the scheduler runs from SERVING on; its first pass records whatever fell due
  // while no replica was running. The directory's first read is wanted, not required:
  // routing answers UNAVAILABLE until the catalog has been read.
  absl::Status Start(const server::Stopping& /*stopping*/) override {
    absl::Status units = directory_->Refresh();
    if (!units.ok()) {
      GK_LOG(WARNING, "the catalog's units could not be read yet; routing waits for them")
          .With("status", units);
    }
    scheduler_.Start();
    return absl::OkStatus();
  }

  void Refresh(const server::Stopping& /*stopping*/) override {
    absl::Status units = directory_->Refresh();
    if (!units.ok()) {
      GK_LOG(WARNING, "refreshing the catalog's units failed").With("status", units);
    }
    metrics_.Refresh(*repository_, env_.clock->Now());
  }

 private:
  server::ServiceEnvironment env_;
  OpinionMetrics metrics_;
  std::unique_ptr<events::EventRepository> repository_;
  std::unique_ptr<directory::UnitDirectory> directory_;
  routing::DirectoryUnitLookup units_;
  events::OpinionEvents events_;
  OpinionHandler handler_;
  OpinionEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  scheduler::ClockScheduler scheduler_;
};

}  // namespace

void ReadOpinionConfig(config::ConfigReader& reader, OpinionConfig& config) {
  config.replica = reader.String("opinion_replica", "");
  config.scheduler_poll = reader.Duration("opinion_scheduler_poll", absl::Seconds(1),
                                          absl::Milliseconds(100), absl::Seconds(60));
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewOpinionApp(
    const server::ServiceEnvironment& env, const OpinionConfig& config) {
  if (env.peers == nullptr || env.identity == nullptr) {
    return absl::FailedPreconditionError("the opinion service needs its peer \"catalog\"");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  std::unique_ptr<directory::UnitDirectory> directory =
      directory::NewRemoteUnitDirectory(std::move(catalog), env.identity, *env.clock);
  return std::unique_ptr<server::ServiceApp>(
      std::make_unique<OpinionApp>(env, config, std::move(directory)));
}

}  // namespace gongkai::opinion
