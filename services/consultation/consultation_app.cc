#include "services/consultation/consultation_app.h"

#include <atomic>
#include <utility>

#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/outbox/outbox_config.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"
#include "services/consultation/comment_indexer.h"
#include "services/consultation/consultation_evidence.h"
#include "services/consultation/consultation_handler.h"
#include "services/consultation/consultation_metrics.h"
#include "services/consultation/statement_delivery.h"

namespace gongkai::consultation {
namespace {

// Wakes the relay once it exists (the repository is built before it).
class RelayNotifier final : public outbox::Notifier {
 public:
  void Notify() override {
    if (outbox::Notifier* relay = relay_.load()) relay->Notify();
  }
  void Set(outbox::Notifier* relay) { relay_.store(relay); }

 private:
  std::atomic<outbox::Notifier*> relay_{nullptr};
};

class ConsultationApp final : public server::ServiceApp {
 public:
  ConsultationApp(const server::ServiceEnvironment& env, const ConsultationConfig& config,
                  std::unique_ptr<directory::UnitDirectory> units,
                  std::shared_ptr<grpc::Channel> catalog)
      : env_(env),
        config_(config),
        catalog_(catalog::v1::CatalogService::NewStub(std::move(catalog))),
        units_(std::move(units)),
        repository_(NewMysqlConsultationRepository(env.pool, &notifier_)),
        consultations_(repository_.get(), env.calendar, env.rules, env.clock,
                       LookupIn(units_.get()), config.window_cache_ttl),
        handler_(&consultations_, env.authenticator),
        evidence_(&consultations_, LookupIn(units_.get())),
        evidence_handler_("consultation", &evidence_, env.authenticator, env.clock),
        metrics_(*env.registry),
        indexer_(repository_.get(), env.clock,
                 {.batch = config.search_index_batch, .interval = config.search_index_interval}) {}

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::ConsultationService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  // The units are read once before SERVING; later failures keep the last snapshot. The
  // relay delivers feedback statements to the catalog (CON-3) with retries and
  // back-off, also those left from before a restart or while the catalog was down.
  absl::Status Start(const server::Stopping& /*stopping*/) override {
    RETURN_IF_ERROR(units_->Refresh());
    if (relay_ == nullptr) {
      outbox::RelayOptions options = config_.relay_options;
      options.handlers[kStatementAttachedTopic] = [this](const outbox::DeliveredEvent& event) {
        return DeliverStatement(event);
      };
      ASSIGN_OR_RETURN(relay_,
                       outbox::NewRelay(env_.pool, env_.clock, env_.registry, std::move(options)));
    }
    RETURN_IF_ERROR(relay_->Start());
    notifier_.Set(relay_.get());
    if (!indexer_started_) {
      indexer_.Start();
      indexer_started_ = true;
    }
    return absl::OkStatus();
  }

  // NAT-1: stored closing days follow the calendar.
  // A pass that fails (the database, a shutdown) runs again at the next refresh: pending
  // periods wait for it.
  void OnCalendarChanged(const server::Stopping& stopping) override {
    absl::StatusOr<int> changed = consultations_.RecomputeClosingDays(stopping);
    recompute_pending_ = !changed.ok();
    if (!changed.ok()) {
      GK_LOG(WARNING, "recomputing closing days failed").With("status", changed.status());
    } else if (*changed > 0) {
      GK_LOG(INFO, "closing days recomputed").With("consultations", *changed);
    }
  }

  void Refresh(const server::Stopping& stopping) override {
    if (recompute_pending_) OnCalendarChanged(stopping);
    absl::Status refreshed = units_->Refresh();
    if (!refreshed.ok()) {
      GK_LOG(WARNING, "refreshing the unit directory failed").With("status", refreshed);
    }
    metrics_.Refresh(consultations_, indexer_, calendar::TodayInShanghai(*env_.clock),
                     env_.clock->Now());
    // Comments stored before the search index existed, a batch per refresh.
    absl::StatusOr<int> indexed = consultations_.BackfillCommentTerms(500);
    if (!indexed.ok()) {
      GK_LOG(WARNING, "indexing older comments for search failed").With("status", indexed.status());
    } else if (*indexed > 0) {
      GK_LOG(INFO, "older comments indexed for search").With("comments", *indexed);
    }
  }

 private:
  // Set when OnCalendarChanged failed; Refresh() retries it (background thread only).
  bool recompute_pending_ = false;

  // Delivers one feedback statement to the catalog (CON-3). The catalog dedups on the
  // request id (the event key), so a redelivery returns the same document, whose id is
  // then recorded on the meeting plan.
  absl::Status DeliverStatement(const outbox::DeliveredEvent& event) {
    catalog::v1::CreateDocumentRequest request;
    std::optional<StatementEventIds> ids = ParseStatementEventKey(event.event_key);
    if (!request.ParseFromString(event.payload) || request.request_id() != event.event_key ||
        !ids.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("outbox event ", event.event_key, " is not a feedback statement delivery"));
    }
    grpc::ClientContext context;
    RETURN_IF_ERROR(env_.identity->Prepare(context, config_.catalog_call_timeout));
    catalog::v1::Document document;
    RETURN_IF_ERROR(FromGrpcStatus(catalog_->CreateDocument(&context, request, &document)));
    return repository_->RecordStatementDocument(ids->meeting_id, ids->consultation_id,
                                                document.id());
  }

  server::ServiceEnvironment env_;
  ConsultationConfig config_;
  std::unique_ptr<catalog::v1::CatalogService::Stub> catalog_;
  RelayNotifier notifier_;
  std::unique_ptr<directory::UnitDirectory> units_;
  std::unique_ptr<ConsultationRepository> repository_;
  Consultations consultations_;
  ConsultationHandler handler_;
  ConsultationEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  ConsultationMetrics metrics_;
  // Stopped before the repository and the pool it writes through are destroyed.
  CommentIndexer indexer_;
  bool indexer_started_ = false;
  // Last member: destroyed (stopped) first, while everything its handler uses lives.
  std::unique_ptr<outbox::Relay> relay_;
};

}  // namespace

void ReadConsultationConfig(config::ConfigReader& reader, ConsultationConfig& config) {
  config.catalog_call_timeout = reader.Duration("catalog_call_timeout", config.catalog_call_timeout,
                                                absl::Milliseconds(100), absl::Seconds(60));
  config.window_cache_ttl = reader.Duration("consultation_window_cache", config.window_cache_ttl,
                                            absl::ZeroDuration(), absl::Seconds(60));
  config.search_index_interval =
      reader.Duration("search_index_interval", config.search_index_interval, absl::Milliseconds(10),
                      absl::Seconds(60));
  config.search_index_batch =
      static_cast<int>(reader.Int("search_index_batch", config.search_index_batch, 1, 1000));
  outbox::ReadRelaySettings(reader, &config.relay_options);
  if (config.relay_options.lease <= config.catalog_call_timeout) {
    reader.AddError(
        "GONGKAI_OUTBOX_LEASE must be longer than GONGKAI_CATALOG_CALL_TIMEOUT (a delivery in "
        "flight must not lose its claim)");
  }
}

UnitLookup LookupIn(directory::UnitDirectory* directory) {
  return [directory](int64_t unit_id) -> absl::StatusOr<UnitFacts> {
    ASSIGN_OR_RETURN(directory::Unit unit, directory->Get(unit_id));
    return UnitFacts{unit.id, UnitLevelCode(unit.level)};
  };
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewConsultationApp(
    const server::ServiceEnvironment& env, const ConsultationConfig& config) {
  if (env.peers == nullptr || env.identity == nullptr) {
    return absl::FailedPreconditionError("the consultation service needs its peer \"catalog\"");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  return std::make_unique<ConsultationApp>(
      env, config, directory::NewRemoteUnitDirectory(catalog, env.identity, *env.clock), catalog);
}

}  // namespace gongkai::consultation
