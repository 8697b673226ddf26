#include "services/consultation/consultation_app.h"

#include <utility>

#include "libs/calendar/working_day_calendar.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/log/log.h"
#include "libs/status/status_macros.h"
#include "services/consultation/consultation_evidence.h"
#include "services/consultation/consultation_handler.h"
#include "services/consultation/consultation_metrics.h"

namespace gongkai::consultation {
namespace {

class ConsultationApp final : public server::ServiceApp {
 public:
  ConsultationApp(const server::ServiceEnvironment& env,
                  std::unique_ptr<directory::UnitDirectory> units)
      : env_(env),
        units_(std::move(units)),
        repository_(NewMysqlConsultationRepository(env.pool)),
        consultations_(repository_.get(), env.calendar, env.rules, env.clock,
                       LookupIn(units_.get())),
        handler_(&consultations_, env.authenticator),
        evidence_(&consultations_, LookupIn(units_.get())),
        evidence_handler_("consultation", &evidence_, env.authenticator, env.clock),
        metrics_(*env.registry) {}

  std::vector<server::HostedService> Services() override {
    return {server::Hosted<v1::ConsultationService>(&handler_),
            server::Hosted<common::v1::ComplianceEvidenceService>(&evidence_handler_)};
  }

  // The units are read once before SERVING; later failures keep the last snapshot.
  absl::Status Start(const server::Stopping& /*stopping*/) override { return units_->Refresh(); }

  // NAT-1: stored closing days follow the calendar.
  void OnCalendarChanged(const server::Stopping& stopping) override {
    absl::StatusOr<int> changed = consultations_.RecomputeClosingDays(stopping);
    if (!changed.ok()) {
      GK_LOG(WARNING, "recomputing closing days failed").With("status", changed.status());
    } else if (*changed > 0) {
      GK_LOG(INFO, "closing days recomputed").With("consultations", *changed);
    }
  }

  void Refresh(const server::Stopping& /*stopping*/) override {
    absl::Status refreshed = units_->Refresh();
    if (!refreshed.ok()) {
      GK_LOG(WARNING, "refreshing the unit directory failed").With("status", refreshed);
    }
    metrics_.Refresh(consultations_, calendar::TodayInShanghai(*env_.clock));
  }

 private:
  server::ServiceEnvironment env_;
  std::unique_ptr<directory::UnitDirectory> units_;
  std::unique_ptr<ConsultationRepository> repository_;
  Consultations consultations_;
  ConsultationHandler handler_;
  ConsultationEvidence evidence_;
  evidence::ComplianceEvidenceHandler evidence_handler_;
  ConsultationMetrics metrics_;
};

}  // namespace

UnitLookup LookupIn(directory::UnitDirectory* directory) {
  return [directory](int64_t unit_id) -> absl::StatusOr<UnitFacts> {
    ASSIGN_OR_RETURN(directory::Unit unit, directory->Get(unit_id));
    return UnitFacts{unit.id, UnitLevelCode(unit.level)};
  };
}

absl::StatusOr<std::unique_ptr<server::ServiceApp>> NewConsultationApp(
    const server::ServiceEnvironment& env) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> catalog, env.peers->Channel("catalog"));
  return std::make_unique<ConsultationApp>(
      env, directory::NewRemoteUnitDirectory(std::move(catalog), env.identity, *env.clock));
}

}  // namespace gongkai::consultation
