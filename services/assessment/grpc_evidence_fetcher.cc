#include "services/assessment/grpc_evidence_fetcher.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/evidence/evidence_handler.h"
#include "libs/status/status_macros.h"

namespace gongkai::assessment {

absl::StatusOr<common::v1::ComplianceEvidenceService::Stub*> GrpcEvidenceFetcher::StubFor(
    const std::string& service) {
  absl::MutexLock lock(&mu_);
  auto found = stubs_.find(service);
  if (found != stubs_.end()) return found->second.get();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      absl::FailedPreconditionError("no peers are configured");
  if (peers_.channel) channel = peers_.channel(service);
  if (channel.ok() && *channel == nullptr) channel = absl::InternalError("null channel");
  if (!channel.ok()) {
    return absl::UnavailableError(absl::StrCat("no channel to the service \"", service,
                                               "\" (GONGKAI_PEERS): ", channel.status().message()));
  }
  auto stub = common::v1::ComplianceEvidenceService::NewStub(*channel);
  auto* raw = stub.get();
  stubs_[service] = std::move(stub);
  return raw;
}

absl::StatusOr<common::v1::ComplianceEvidence> GrpcEvidenceFetcher::Fetch(
    const std::string& service, const common::v1::GetComplianceEvidenceRequest& request) {
  if (service == self_name_ && self_source_ != nullptr) {
    // The service's own items, by the same rules every service applies (libs/evidence).
    auth::Principal self;
    self.subject = absl::StrCat("service:", self_name_);
    self.roles = {auth::Role::kService};
    return evidence::GetComplianceEvidence(self_name_, *self_source_, *clock_, self, request);
  }
  ASSIGN_OR_RETURN(common::v1::ComplianceEvidenceService::Stub * stub, StubFor(service));
  grpc::ClientContext context;
  if (peers_.prepare) {
    RETURN_IF_ERROR(peers_.prepare(context, deadline_));
  } else {
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline_));
  }
  common::v1::ComplianceEvidence evidence;
  const grpc::Status status = stub->GetComplianceEvidence(&context, request, &evidence);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("GetComplianceEvidence: ", status.error_message()));
  }
  return evidence;
}

}  // namespace gongkai::assessment
