#include "libs/server/peers.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace gongkai::server {

absl::StatusOr<std::map<std::string, std::string>> PeerChannels::ParseAddresses(
    absl::string_view spec) {
  std::map<std::string, std::string> addresses;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    const bool has_port = parts.size() == 2 && parts[1].rfind(':') != absl::string_view::npos &&
                          parts[1].rfind(':') + 1 < parts[1].size() && parts[1].front() != ':';
    if (parts.size() != 2 || parts[0].empty() || !has_port) {
      return absl::InvalidArgumentError(
          absl::StrCat("GONGKAI_PEERS entry \"", entry, "\" must be name=host:port"));
    }
    if (!addresses.emplace(std::string(parts[0]), std::string(parts[1])).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("GONGKAI_PEERS names \"", parts[0], "\" twice"));
    }
  }
  return addresses;
}

absl::StatusOr<PeerChannels> PeerChannels::Create(
    const std::map<std::string, std::string>& addresses, const std::vector<std::string>& required) {
  std::vector<std::string> missing;
  PeerChannels peers;
  for (const std::string& name : required) {
    auto it = addresses.find(name);
    if (it == addresses.end()) {
      missing.push_back(name);
      continue;
    }
    // One channel per peer: HTTP/2 multiplexes the calls, and gRPC reconnects by itself
    // when the peer restarts. Its default reconnect back-off grows to two minutes, so a
    // peer back after a restart would stay UNAVAILABLE to us that long; a peer is a
    // neighbour in the same cluster, so retrying every second at most costs nothing.
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    peers.peers_[name] =
        Peer{it->second,
             grpc::CreateCustomChannel(it->second, grpc::InsecureChannelCredentials(), arguments)};
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "GONGKAI_PEERS lacks the address of ", absl::StrJoin(missing, ", "),
        " (this service calls it; e.g. GONGKAI_PEERS=", missing.front(), "=host:port)"));
  }
  return peers;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannels::Channel(absl::string_view name) const {
  auto it = peers_.find(name);
  if (it == peers_.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "peer \"", name, "\" is not declared in the service's ServiceDefinition::peers"));
  }
  return it->second.channel;
}

std::string PeerChannels::Address(absl::string_view name) const {
  auto it = peers_.find(name);
  return it == peers_.end() ? std::string() : it->second.address;
}

}  // namespace gongkai::server
