// The other gongkai services a service calls, by name: their addresses come from
// GONGKAI_PEERS ("catalog=catalog:50051,interpretation=interpretation:50052"; `./gongkai`
// and the k8s manifests set it), and one gRPC channel per peer is shared by all calls.
// Calls carry the service identity (libs/auth/service_identity.h) and a deadline.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, env.peers->Channel("catalog"));
//   auto stub = catalog::v1::CatalogService::NewStub(channel);
//
// Thread-safety: immutable after construction; all methods may be called concurrently.
#ifndef GONGKAI_LIBS_SERVER_PEERS_H_
#define GONGKAI_LIBS_SERVER_PEERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"

namespace gongkai::server {

class PeerChannels {
 public:
  // Parses "name=host:port,..." (empty: no peers). INVALID_ARGUMENT naming the entry
  // that is not name=host:port, or a name given twice.
  static absl::StatusOr<std::map<std::string, std::string>> ParseAddresses(absl::string_view spec);

  // INVALID_ARGUMENT naming every peer in `required` that `addresses` lacks.
  static absl::StatusOr<PeerChannels> Create(const std::map<std::string, std::string>& addresses,
                                             const std::vector<std::string>& required);

  // The channel to `name`. FAILED_PRECONDITION for a name that was not declared in
  // ServiceDefinition::peers (so has no checked address).
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(absl::string_view name) const;
  // The configured address of `name`, for logs; empty when unknown.
  std::string Address(absl::string_view name) const;

 private:
  struct Peer {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
  };
  std::map<std::string, Peer, std::less<>> peers_;
};

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_PEERS_H_
