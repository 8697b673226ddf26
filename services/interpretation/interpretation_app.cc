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
    metrics_.Refresh(*repository_, interpretations_, calendar::TodayInShanghai(*env_.clock));
  }

 private:
  server::ServiceEnvironment env_;
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
  // The declared peer's checked address, on a channel that reconnects within a second of
  // the catalog coming back (gRPC's default back-off grows to two minutes).
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> checked, env.peers->Channel("catalog"));
  (void)checked;
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  std::shared_ptr<grpc::Channel> catalog = grpc::CreateCustomChannel(
      env.peers->Address("catalog"), grpc::InsecureChannelCredentials(), arguments);
  return std::make_unique<InterpretationApp>(env, config, std::move(catalog));
}

}  // namespace gongkai::interpretation
