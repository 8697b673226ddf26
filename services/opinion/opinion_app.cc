#include "services/opinion/opinion_app.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <utility>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "libs/directory/unit_directory.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_config.h"
#include "libs/status/grpc_status.h"
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

// The domain's observer: the metrics, and the outbox relay woken after a supplementary
// interpretation request committed (INT-2) rather than at its next poll.
class AppObserver final : public events::EventObserver {
 public:
  explicit AppObserver(OpinionMetrics* metrics) : metrics_(metrics) {}
  void EventCollected(const v1::OpinionEvent& event) override { metrics_->EventCollected(event); }
  void ResponseRecorded(const v1::EventResponse& response, bool contradicts) override {
    metrics_->ResponseRecorded(response, contradicts);
  }
  void ClocksChanged() override { metrics_->ClocksChanged(); }
  void InterpretationSupplementRequested() override {
    if (outbox::Notifier* notifier = notifier_.load()) notifier->Notify();
  }
  void SetNotifier(outbox::Notifier* notifier) { notifier_.store(notifier); }

 private:
  OpinionMetrics* metrics_;
  std::atomic<outbox::Notifier*> notifier_{nullptr};
};

class OpinionApp final : public server::ServiceApp {
 public:
  OpinionApp(const server::ServiceEnvironment& env, const OpinionConfig& config,
             std::unique_ptr<directory::UnitDirectory> directory,
             std::shared_ptr<grpc::Channel> interpretation)
      : env_(env),
        config_(config),
        metrics_(*env.registry),
        observer_(&metrics_),
        interpretation_(interpretation::v1::InterpretationService::NewStub(interpretation)),
        repository_(events::NewMysqlEventRepository(env.pool)),
        directory_(std::move(directory)),
        units_(directory_.get()),
        events_(repository_.get(), &units_, env.rules, env.clock, &observer_),
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
    // INT-2/OPI-1: the outbox relay delivers supplementary interpretation requests to the
    // interpretation service with retries and back-off, also those left from before a
    // restart or while the interpretation service was down.
    if (relay_ == nullptr) {
      outbox::RelayOptions options = config_.relay_options;
      options.handlers[events::kSupplementRequestedTopic] =
          [this](const outbox::DeliveredEvent& event) { return DeliverSupplement(event); };
      ASSIGN_OR_RETURN(relay_,
                       outbox::NewRelay(env_.pool, env_.clock, env_.registry, std::move(options)));
    }
    RETURN_IF_ERROR(relay_->Start());
    observer_.SetNotifier(relay_.get());
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
  // Delivers one supplementary interpretation request (INT-2). The interpretation
  // service dedups on the request id (the event key), so a redelivery returns the same
  // interpretation; its id and the delivery time are then recorded on the opinion event.
  absl::Status DeliverSupplement(const outbox::DeliveredEvent& event) {
    interpretation::v1::RequestSupplementaryInterpretationRequest request;
    if (!request.ParseFromString(event.payload) || request.request_id() != event.event_key) {
      return absl::InvalidArgumentError(absl::StrCat(
          "outbox event ", event.event_key, " is not a supplementary interpretation request"));
    }
    grpc::ClientContext context;
    RETURN_IF_ERROR(env_.identity->Prepare(context, config_.interpretation_call_timeout));
    interpretation::v1::Interpretation created;
    RETURN_IF_ERROR(FromGrpcStatus(
        interpretation_->RequestSupplementaryInterpretation(&context, request, &created)));
    return repository_->MarkSupplementDelivered(request.request_id(), created.id(),
                                                env_.clock->Now());
  }

  server::ServiceEnvironment env_;
  OpinionConfig config_;
  OpinionMetrics metrics_;
  AppObserver observer_;
  std::unique_ptr<interpretation::v1::InterpretationService::Stub> interpretation_;
  std::unique_ptr<events::EventRepository> repository_;
  std::unique_ptr<directory::UnitDirectory> directory_;
  routing::DirectoryUnitLookup units_;
  events::OpinionEvents events_;
  OpinionHandler handler_;
  OpinionEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  scheduler::ClockScheduler scheduler_;
  // Last member: destroyed (stopped) first, while everything its handler uses lives.
  std::unique_ptr<outbox::Relay> relay_;
};

}  // namespace

void ReadOpinionConfig(config::ConfigReader& reader, OpinionConfig& config) {
  config.replica = reader.String("opinion_replica", "");
  config.scheduler_poll = reader.Duration("opinion_scheduler_poll", absl::Seconds(1),
                                          absl::Milliseconds(100), absl::Seconds(60));
  config.interpretation_call_timeout =
      reader.Duration("interpretation_call_timeout", config.interpretation_call_timeout,
                      absl::Milliseconds(100), absl::Seconds(60));
  outbox::ReadRelaySettings(reader, &config.relay_options);
  if (config.relay_options.lease <= config.interpretation_call_timeout) {
    reader.AddError(
        "GONGKAI_OUTBOX_LEASE must be longer than GONGKAI_INTERPRETATION_CALL_TIMEOUT (a "
        "delivery in flight must not lose its claim)");
  }
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewOpinionApp(
    const server::ServiceEnvironment& env, const OpinionConfig& config) {
  if (env.peers == nullptr || env.identity == nullptr) {
    return absl::FailedPreconditionError(
        "the opinion service needs its peers \"catalog\" and \"interpretation\"");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  // The shared channel (libs/server/peers.h) reconnects within a second of the
  // interpretation service coming back.
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> interpretation,
                   env.peers->Channel("interpretation"));
  std::unique_ptr<directory::UnitDirectory> directory =
      directory::NewRemoteUnitDirectory(std::move(catalog), env.identity, *env.clock);
  return std::unique_ptr<server::ServiceApp>(
      std::make_unique<OpinionApp>(env, config, std::move(directory), std::move(interpretation)));
}

}  // namespace gongkai::opinion
