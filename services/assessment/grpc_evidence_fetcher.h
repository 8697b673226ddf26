// EvidenceFetcher over gRPC (ADR 0022): GetComplianceEvidence of the named peer, as a
// service principal, with a deadline; the service's own items (13, training) are
// answered in process by the same shared rules (libs/evidence), without a network hop.
//
//   GrpcEvidenceFetcher fetcher(
//       {.channel = [&](const std::string& name) { return env.peers->Channel(name); },
//        .prepare = [&](grpc::ClientContext& c, absl::Duration t) {
//          return env.identity->Prepare(c, t); }},
//       absl::Seconds(5), "assessment", &training_evidence, env.clock);
//
// Thread-safe: stubs are created once per peer under a mutex.
#ifndef GONGKAI_SERVICES_ASSESSMENT_GRPC_EVIDENCE_FETCHER_H_
#define GONGKAI_SERVICES_ASSESSMENT_GRPC_EVIDENCE_FETCHER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/evidence/evidence_source.h"
#include "services/assessment/evidence_fetcher.h"

namespace gongkai::assessment {

struct PeerAccess {
  // The channel to the named peer; an error when the peer has no address configured.
  std::function<absl::StatusOr<std::shared_ptr<grpc::Channel>>(const std::string&)> channel;
  // Puts the service principal's credentials and the deadline on a call.
  std::function<absl::Status(grpc::ClientContext&, absl::Duration)> prepare;
};

class GrpcEvidenceFetcher final : public EvidenceFetcher {
 public:
  GrpcEvidenceFetcher(PeerAccess peers, absl::Duration deadline, std::string self_name,
                      evidence::EvidenceSource* self_source, const Clock* clock)
      : peers_(std::move(peers)),
        deadline_(deadline),
        self_name_(std::move(self_name)),
        self_source_(self_source),
        clock_(clock) {}

  absl::StatusOr<common::v1::ComplianceEvidence> Fetch(
      const std::string& service, const common::v1::GetComplianceEvidenceRequest& request) override;

 private:
  absl::StatusOr<common::v1::ComplianceEvidenceService::Stub*> StubFor(const std::string& service);

  PeerAccess peers_;
  absl::Duration deadline_;
  std::string self_name_;
  evidence::EvidenceSource* self_source_;
  const Clock* clock_;
  absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<common::v1::ComplianceEvidenceService::Stub>> stubs_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_GRPC_EVIDENCE_FETCHER_H_
