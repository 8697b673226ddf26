#include "services/interpretation/interpretation_app.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/outbox/outbox_config.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"
#include "services/interpretation/evidence/interpretation_evidence.h"
#include "services/interpretation/grpc_document_lookup.h"
#include "services/interpretation/interpretation_handler.h"
#include "services/interpretation/interpretation_metrics.h"
#include "services/interpretation/interpretations.h"
#include "services/interpretation/mysql_interpretation_repository.h"

namespace gongkai::interpretation {
namespace {

// The metrics observer, which also wakes the outbox relay once a release's report to
// the catalog committed (delivered at once rather than at the next poll).
class ReportingObserver final : public InterpretationObserver {
 public:
  explicit ReportingObserver(InterpretationMetrics* metrics) : metrics_(metrics) {}
  void Approved() override { metrics_->Approved(); }
  void PublicationApplied(bool duplicate) override { metrics_->PublicationApplied(duplicate); }
  void Released(bool late) override { metrics_->Released(late); }
  void PublicationDelivered(absl::Duration delay) override {
    metrics_->PublicationDelivered(delay);
  }
  void PublicationLearnt() override { metrics_->PublicationLearnt(); }
  void ReleaseReportQueued() override {
    if (outbox::Notifier* notifier = notifier_.load()) notifier->Notify();
  }
  void SetNotifier(outbox::Notifier* notifier) { notifier_.store(notifier); }

 private:
  InterpretationMetrics* metrics_;
  std::atomic<outbox::Notifier*> notifier_{nullptr};
};

class InterpretationApp final : public server::ServiceApp {
 public:
  InterpretationApp(const server::ServiceEnvironment& env, const InterpretationConfig& config,
                    std::shared_ptr<grpc::Channel> catalog)
      : env_(env),
        config_(config),
        metrics_(*env.registry),
        observer_(&metrics_),
        repository_(NewMysqlInterpretationRepository(env.pool)),
        catalog_(catalog::v1::CatalogService::NewStub(catalog)),
        documents_(
            catalog::v1::CatalogService::NewStub(catalog),
            [identity = env.identity](grpc::ClientContext* context, absl::Duration timeout)
                -> absl::Status { return identity->Prepare(*context, timeout); },
            config.catalog_call_timeout),
        interpretations_(repository_.get(), &documents_, env.calendar, env.rules, env.clock,
                         &observer_),
        handler_(&interpretations_, env.authenticator),
        evidence_(repository_.get(), &interpretations_),
        evidence_handler_("interpretation", &evidence_, env.authenticator, env.clock) {}

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::InterpretationService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  // The outbox relay (INT-3): an interpretation released after its document is reported
  // to the catalog with retries and back-off; started once the migrations ran.
  absl::Status Start(const server::Stopping& /*stopping*/) override {
    if (relay_ == nullptr) {
      outbox::RelayOptions options = config_.relay_options;
      options.handlers[std::string(kReleasedAfterDocumentTopic)] =
          [this](const outbox::DeliveredEvent& event) { return DeliverReleaseReport(event); };
      ASSIGN_OR_RETURN(relay_,
                       outbox::NewRelay(env_.pool, env_.clock, env_.registry, std::move(options)));
    }
    RETURN_IF_ERROR(relay_->Start());
    observer_.SetNotifier(relay_.get());
    return absl::OkStatus();
  }

  void Refresh(const server::Stopping& /*stopping*/) override {
    Reconcile();
    metrics_.Refresh(*repository_, interpretations_, calendar::TodayInShanghai(*env_.clock));
  }

 private:
  // INT-3 recovery: approved interpretations of documents the catalog published without
  // this service hearing of it are released, late if the rule says so; a batch per
  // refresh, going round (background thread only).
  void Reconcile() {
    constexpr int kBatch = 50;  // Catalog lookups per refresh at most: a load cap.
    absl::StatusOr<ReconcileResult> pass =
        interpretations_.ReconcilePublications(reconcile_after_id_, kBatch);
    if (!pass.ok()) {
      GK_LOG(WARNING, "reconciling publications with the catalog failed; retried next refresh")
          .With("status", pass.status());
      return;
    }
    reconcile_after_id_ = pass->next_after_id;
    if (pass->released > 0) {
      GK_LOG(INFO, "released interpretations of documents published without their event")
          .With("released", pass->released);
    }
  }

  // Delivers one report to the catalog, which records it on the document once per event
  // key, so a redelivery is harmless.
  absl::Status DeliverReleaseReport(const outbox::DeliveredEvent& event) {
    catalog::v1::RecordInterpretationReleaseRequest request;
    if (!request.ParseFromString(event.payload)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "outbox event ", event.event_key, " is not a RecordInterpretationReleaseRequest"));
    }
    grpc::ClientContext context;
    RETURN_IF_ERROR(env_.identity->Prepare(context, config_.catalog_call_timeout));
    catalog::v1::RecordInterpretationReleaseResponse response;
    return FromGrpcStatus(catalog_->RecordInterpretationRelease(&context, request, &response));
  }

  server::ServiceEnvironment env_;
  InterpretationConfig config_;
  int64_t reconcile_after_id_ = 0;
  InterpretationMetrics metrics_;
  ReportingObserver observer_;
  std::unique_ptr<InterpretationRepository> repository_;
  std::unique_ptr<catalog::v1::CatalogService::Stub> catalog_;
  GrpcDocumentLookup documents_;
  Interpretations interpretations_;
  InterpretationHandler handler_;
  InterpretationEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  // Last member: destroyed (stopped) first, while everything its handler uses lives.
  std::unique_ptr<outbox::Relay> relay_;
};

}  // namespace

void ReadInterpretationConfig(config::ConfigReader& reader, InterpretationConfig& config) {
  config.catalog_call_timeout = reader.Duration("catalog_call_timeout", config.catalog_call_timeout,
                                                absl::Milliseconds(100), absl::Seconds(60));
  outbox::ReadRelaySettings(reader, &config.relay_options);
  if (config.relay_options.lease <= config.catalog_call_timeout) {
    reader.AddError(
        "GONGKAI_OUTBOX_LEASE must be longer than GONGKAI_CATALOG_CALL_TIMEOUT (a delivery in "
        "flight must not lose its claim)");
  }
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewInterpretationApp(
    const server::ServiceEnvironment& env, const InterpretationConfig& config) {
  // The shared channel to the declared peer (libs/server/peers.h): it reconnects within a
  // second of the catalog coming back.
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  return std::make_unique<InterpretationApp>(env, config, std::move(catalog));
}

}  // namespace gongkai::interpretation
