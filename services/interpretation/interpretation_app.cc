#include "services/interpretation/interpretation_app.h"

#include <memory>
#include <utility>

#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"
#include "services/interpretation/evidence/interpretation_evidence.h"
#include "services/interpretation/grpc_document_lookup.h"
#include "services/interpretation/interpretation_handler.h"
#include "services/interpretation/interpretation_metrics.h"
#include "services/interpretation/interpretations.h"
#include "services/interpretation/mysql_interpretation_repository.h"

namespace gongkai::interpretation {
namespace {

class InterpretationApp final : public server::ServiceApp {
 public:
  InterpretationApp(const server::ServiceEnvironment& env, const InterpretationConfig& config,
                    std::shared_ptr<grpc::Channel> catalog)
      : env_(env),
        metrics_(*env.registry),
        repository_(NewMysqlInterpretationRepository(env.pool)),
        documents_(
            catalog::v1::CatalogService::NewStub(catalog),
            [identity = env.identity](grpc::ClientContext* context, absl::Duration timeout)
                -> absl::Status { return identity->Prepare(*context, timeout); },
            config.catalog_call_timeout),
        interpretations_(repository_.get(), &documents_, env.calendar, env.rules, env.clock,
                         &metrics_),
        handler_(&interpretations_, env.authenticator),
        evidence_(repository_.get(), &interpretations_),
        evidence_handler_("interpretation", &evidence_, env.authenticator, env.clock) {}

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::InterpretationService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
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

  server::ServiceEnvironment env_;
  int64_t reconcile_after_id_ = 0;
  InterpretationMetrics metrics_;
  std::unique_ptr<InterpretationRepository> repository_;
  GrpcDocumentLookup documents_;
  Interpretations interpretations_;
  InterpretationHandler handler_;
  InterpretationEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
};

}  // namespace

void ReadInterpretationConfig(config::ConfigReader& reader, InterpretationConfig& config) {
  config.catalog_call_timeout = reader.Duration("catalog_call_timeout", config.catalog_call_timeout,
                                                absl::Milliseconds(100), absl::Seconds(60));
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewInterpretationApp(
    const server::ServiceEnvironment& env, const InterpretationConfig& config) {
  // The shared channel to the declared peer (libs/server/peers.h): it reconnects within a
  // second of the catalog coming back.
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  return std::make_unique<InterpretationApp>(env, config, std::move(catalog));
}

}  // namespace gongkai::interpretation
