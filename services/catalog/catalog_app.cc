#include "services/catalog/catalog_app.h"

#include <memory>
#include <string>
#include <vector>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "libs/calendar/calendar_service.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_config.h"
#include "libs/server/service_runner.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"
#include "services/catalog/annual_report/annual_report_handler.h"
#include "services/catalog/annual_report/annual_reports.h"
#include "services/catalog/annual_report/mysql_report_repository.h"
#include "services/catalog/catalog_handler.h"
#include "services/catalog/catalog_metrics.h"
#include "services/catalog/catalog_modules.h"
#include "services/catalog/documents/interpretation_release_gate.h"
#include "services/catalog/evidence/catalog_evidence.h"
#include "services/catalog/mysql_catalog_repositories.h"
#include "services/catalog/requests/disclosure_requests.h"
#include "services/catalog/requests/mysql_request_repository.h"
#include "services/catalog/requests/request_handler.h"
#include "services/catalog/requests/request_metrics.h"

namespace gongkai::catalog {
namespace {

constexpr size_t kMinApplicantKeyBytes = 32;

// The calendar years loaded at run time live in the catalog's database; a
// PutCalendarYear on this replica also asks for its stored clocks to be recomputed.
// The other services are served the calendar only once the stored years are applied.
class StoredCalendarSource final : public calendar::CalendarSource {
 public:
  StoredCalendarSource(CatalogModules* catalog, calendar::CalendarServiceHandler* service)
      : catalog_(catalog), service_(service) {}
  absl::StatusOr<int> Sync(calendar::WorkingDayCalendar& /*the catalog's own*/) override {
    absl::StatusOr<int> synced = catalog_->SyncCalendarsFromStore();
    if (!synced.ok()) return synced;
    service_->MarkSynced();
    return *synced + (catalog_->TakeRecomputeRequest() ? 1 : 0);
  }

 private:
  CatalogModules* catalog_;
  calendar::CalendarServiceHandler* service_;
};

// The metrics observer, which also wakes the outbox relay after a publication committed
// (its event is then delivered at once rather than at the next poll).
class PublicationObserver final : public CatalogObserver {
 public:
  explicit PublicationObserver(CatalogObserver* metrics) : metrics_(metrics) {}
  void DocumentReturned(absl::string_view cause_kind) override {
    metrics_->DocumentReturned(cause_kind);
  }
  void DocumentPublished() override {
    metrics_->DocumentPublished();
    if (outbox::Notifier* notifier = notifier_.load()) notifier->Notify();
  }
  void SelfReviewConversion() override { metrics_->SelfReviewConversion(); }
  void MostRequestedDecided(absl::string_view how) override { metrics_->MostRequestedDecided(how); }
  void SetNotifier(outbox::Notifier* notifier) { notifier_.store(notifier); }

 private:
  CatalogObserver* metrics_;
  std::atomic<outbox::Notifier*> notifier_{nullptr};
};

// The catalog's object graph: documents and the disclosure catalog (CAT-1..CAT-7),
// disclosure on request (CAT-8, NAT-5..NAT-9), the annual report (CAT-9, NAT-10), the
// compliance evidence (ASM-6), and the suite's calendar.
class CatalogApp final : public server::ServiceApp {
 public:
  CatalogApp(const server::ServiceEnvironment& env, const CatalogConfig& config,
             const std::shared_ptr<grpc::Channel>& interpretation)
      : env_(env),
        config_(config),
        catalog_metrics_(*env.registry),
        publication_observer_(&catalog_metrics_),
        repositories_(env.pool, static_cast<size_t>(config.document_cache_bytes),
                      config.document_cache_max_staleness,
                      static_cast<size_t>(config.document_list_cache_bytes)),
        // INT-3: the interpretation service decides, as the catalog's service principal.
        release_gate_(
            interpretation::v1::InterpretationService::NewStub(interpretation),
            [identity = env.identity](grpc::ClientContext& context, absl::Duration timeout) {
              return identity->Prepare(context, timeout);
            },
            config.interpretation_call_timeout),
        interpretation_(interpretation::v1::InterpretationService::NewStub(interpretation)),
        catalog_(repositories_.repositories(), env.calendar, env.rules, env.clock, &release_gate_,
                 &publication_observer_),
        handler_(&catalog_, env.authenticator),
        request_repository_(requests::NewMysqlRequestRepository(env.pool)),
        request_metrics_(*env.registry),
        disclosure_requests_(request_repository_.get(), repositories_.repositories().units,
                             repositories_.repositories().documents, env.calendar, env.rules,
                             env.clock, &request_metrics_, config.applicant_key_secret),
        challenges_(request_repository_.get(), env.clock),
        request_handler_(&disclosure_requests_, &challenges_, env.authenticator),
        report_repository_(annual_report::NewMysqlAnnualReportRepository(
            env.pool, {request_repository_.get(), repositories_.repositories().documents,
                       repositories_.repositories().units})),
        report_publisher_(annual_report::NewCatalogReportPublisher(&catalog_.documents())),
        annual_reports_(report_repository_.get(), report_publisher_.get(), env.rules, env.clock),
        annual_report_handler_(&annual_reports_, env.authenticator),
        catalog_evidence_(
            {repositories_.repositories().units, repositories_.repositories().catalog_items,
             repositories_.repositories().documents, repositories_.repositories().self_reviews,
             request_repository_.get(), report_repository_.get()},
            env.rules),
        evidence_handler_("catalog", &catalog_evidence_, env.authenticator, env.clock),
        calendar_service_(env.calendar),
        calendar_source_(&catalog_, &calendar_service_) {
    RegisterDocumentCacheMetrics(*env.registry, repositories_.document_cache());
    // The "most requested" list of disclosure requests feeds the self-review (CAT-7).
    catalog_.SetMostRequestedSource(
        [this](int64_t unit_id,
               int year) -> absl::StatusOr<self_review::SelfReviews::MostRequestedList> {
          ASSIGN_OR_RETURN(requests::YearMostRequested computed,
                           disclosure_requests_.MostRequestedForSelfReview(unit_id, year));
          return self_review::SelfReviews::MostRequestedList{
              std::move(computed.items), static_cast<int>(computed.min_applicants.value),
              computed.min_applicants.rule.Explain(), computed.min_applicants.rule.VersionKey()};
        });
  }

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::CatalogService>(&handler_),
            server::Hosted<v1::AnnualReportService>(&annual_report_handler_),
            server::Hosted<v1::DisclosureRequestService>(&request_handler_),
            server::Hosted<common::v1::CalendarService>(&calendar_service_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  calendar::CalendarSource* OwnCalendarSource() override { return &calendar_source_; }

  // The outbox relay (INT-3): publications of policy documents reach the interpretation
  // service with retries and back-off; started once the migrations ran.
  absl::Status Start(const server::Stopping& /*stopping*/) override {
    if (relay_ == nullptr) {
      outbox::RelayOptions options = config_.relay_options;
      // The publications of one claim go in one call, applied by the interpretation
      // service in one transaction (issue 9's bench: fewer calls and commits per event).
      options.batch_handlers[std::string(documents::kDocumentPublishedTopic)] =
          [this](const std::vector<outbox::DeliveredEvent>& events) {
            return DeliverPublications(events);
          };
      ASSIGN_OR_RETURN(relay_,
                       outbox::NewRelay(env_.pool, env_.clock, env_.registry, std::move(options)));
    }
    RETURN_IF_ERROR(relay_->Start());
    publication_observer_.SetNotifier(relay_.get());
    return absl::OkStatus();
  }

  void Refresh(const server::Stopping& stopping) override {
    // A recomputation that failed (database unavailable...) is run again, not dropped.
    if (recompute_pending_) OnCalendarChanged(stopping);
    const absl::CivilDay today = calendar::TodayInShanghai(*env_.clock);
    catalog_metrics_.Refresh(*repositories_.repositories().documents, today);
    catalog_metrics_.RefreshCalendar(*env_.calendar, today);
    request_metrics_.Refresh(*request_repository_, *env_.calendar, today);
  }

  void OnCalendarChanged(const server::Stopping& stopping) override { RecomputeClocks(stopping); }

  // A rule-set version was added (here or on another replica): the stored clocks computed
  // on a version no longer in effect for their start day are recomputed, as on a calendar
  // change (ADR 0019).
  void OnRulesChanged(const server::Stopping& stopping) override { RecomputeClocks(stopping); }

 private:
  // Delivers the publications of one claim to the interpretation service in one call;
  // it releases each document's approved interpretation with the same publication time
  // and applies an event once, so a redelivery is harmless. One status per event: a
  // payload that does not parse, or a publication the receiver refuses, parks that
  // event alone; a failed call retries them all.
  std::vector<absl::Status> DeliverPublications(const std::vector<outbox::DeliveredEvent>& events) {
    std::vector<absl::Status> statuses(events.size());
    interpretation::v1::ApplyPublicationsRequest request;
    std::vector<size_t> sent;  // For each publication in the request, its event.
    for (size_t i = 0; i < events.size(); ++i) {
      if (!request.add_publications()->ParseFromString(events[i].payload)) {
        request.mutable_publications()->RemoveLast();
        statuses[i] = absl::InvalidArgumentError(absl::StrCat(
            "outbox event ", events[i].event_key, " is not an ApplyPublicationRequest"));
        continue;
      }
      sent.push_back(i);
    }
    if (sent.empty()) return statuses;
    grpc::ClientContext context;
    absl::Status prepared = env_.identity->Prepare(context, config_.interpretation_call_timeout);
    interpretation::v1::ApplyPublicationsResponse response;
    absl::Status called =
        prepared.ok()
            ? FromGrpcStatus(interpretation_->ApplyPublications(&context, request, &response))
            : prepared;
    if (called.ok() && response.outcomes_size() != static_cast<int>(sent.size())) {
      called = absl::InternalError(
          "the interpretation service answered for another number "
          "of publications");
    }
    for (size_t j = 0; j < sent.size(); ++j) {
      if (!called.ok()) {
        statuses[sent[j]] = called;
        continue;
      }
      const interpretation::v1::PublicationOutcome& outcome =
          response.outcomes(static_cast<int>(j));
      statuses[sent[j]] =
          outcome.code() == 0
              ? absl::OkStatus()
              : absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
    }
    return statuses;
  }

  void RecomputeClocks(const server::Stopping& stopping) {
    absl::StatusOr<int> documents = catalog_.RecomputeStaleDeadlines(stopping);
    absl::StatusOr<int> requests = disclosure_requests_.RecomputeStoredClocks(stopping);
    recompute_pending_ = !documents.ok() || !requests.ok();
    if (recompute_pending_) {
      GK_LOG(WARNING, "recomputing deadlines failed; retried at the next refresh")
          .With("documents_status", documents.status())
          .With("requests_status", requests.status());
    } else if (*documents > 0 || *requests > 0) {
      GK_LOG(INFO, "deadlines recomputed")
          .With("documents", *documents)
          .With("requests", *requests);
    }
  }

  server::ServiceEnvironment env_;
  CatalogConfig config_;
  // Set when OnCalendarChanged failed; Refresh() retries it (background thread only).
  bool recompute_pending_ = false;
  CatalogMetrics catalog_metrics_;
  PublicationObserver publication_observer_;
  MysqlCatalogRepositories repositories_;
  documents::InterpretationReleaseGate release_gate_;
  std::unique_ptr<interpretation::v1::InterpretationService::Stub> interpretation_;
  CatalogModules catalog_;
  CatalogHandler handler_;
  std::unique_ptr<requests::RequestRepository> request_repository_;
  requests::RequestMetrics request_metrics_;
  requests::DisclosureRequests disclosure_requests_;
  requests::Challenges challenges_;
  requests::RequestHandler request_handler_;
  std::unique_ptr<annual_report::AnnualReportRepository> report_repository_;
  std::unique_ptr<annual_report::ReportPublisher> report_publisher_;
  annual_report::AnnualReports annual_reports_;
  annual_report::AnnualReportHandler annual_report_handler_;
  // The compliance-evidence call (ASM-6 items 3, 4, 5, 11, 14; ADR 0022).
  evidence::CatalogEvidence catalog_evidence_;
  gongkai::evidence::ComplianceEvidenceHandler evidence_handler_;
  calendar::CalendarServiceHandler calendar_service_;
  StoredCalendarSource calendar_source_;
  // Last member: destroyed (stopped) first, while everything its handler uses lives.
  std::unique_ptr<outbox::Relay> relay_;
};

}  // namespace

void ReadCatalogConfig(config::ConfigReader& reader, CatalogConfig& c) {
  c.applicant_key_secret = reader.Secret("applicant_key_secret");
  if (!c.applicant_key_secret.empty() && c.applicant_key_secret.size() < kMinApplicantKeyBytes) {
    reader.AddError(absl::StrCat("GONGKAI_APPLICANT_KEY_SECRET must be at least ",
                                 kMinApplicantKeyBytes, " bytes (e.g. openssl rand -hex 32)"));
  }
  c.document_cache_bytes =
      reader.Int("document_cache_bytes", c.document_cache_bytes, 0, int64_t{1} << 34);
  c.document_list_cache_bytes =
      reader.Int("document_list_cache_bytes", c.document_list_cache_bytes, 0, int64_t{1} << 34);
  c.document_cache_max_staleness =
      reader.Duration("document_cache_max_staleness", c.document_cache_max_staleness,
                      absl::ZeroDuration(), absl::Hours(1));
  c.interpretation_call_timeout =
      reader.Duration("interpretation_call_timeout", c.interpretation_call_timeout,
                      absl::Milliseconds(100), absl::Seconds(60));
  outbox::ReadRelaySettings(reader, &c.relay_options);
  if (c.relay_options.lease <= c.interpretation_call_timeout) {
    reader.AddError(
        "GONGKAI_OUTBOX_LEASE must be longer than GONGKAI_INTERPRETATION_CALL_TIMEOUT (a "
        "delivery in flight must not lose its claim)");
  }
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewCatalogApp(
    const server::ServiceEnvironment& env, const CatalogConfig& config) {
  // The shared channel to the declared peer (libs/server/peers.h): it reconnects within a
  // second of the interpretation service coming back (gRPC's default back-off grows to
  // two minutes, during which the release gate would answer UNAVAILABLE for nothing).
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> interpretation,
                   env.peers->Channel("interpretation"));
  return std::make_unique<CatalogApp>(env, config, interpretation);
}

}  // namespace gongkai::catalog
