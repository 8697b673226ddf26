#include "services/consultation/consultation_handler.h"

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai::consultation {

#define GONGKAI_DEFINE_CONSULTATION_RPC(domain, Method, Request, Response) \
  GONGKAI_DEFINE_AUTHENTICATED_RPC(ConsultationHandler, *domain, Method, Request, Response)
GONGKAI_CONSULTATION_RPCS(GONGKAI_DEFINE_CONSULTATION_RPC)

std::string ClientAddress(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("x-forwarded-for");
  if (it != metadata.end()) {
    absl::string_view chain(it->second.data(), it->second.size());
    std::vector<absl::string_view> entries = absl::StrSplit(chain, ',', absl::SkipWhitespace());
    if (!entries.empty()) return std::string(absl::StripAsciiWhitespace(entries.back()));
  }
  // "ipv4:127.0.0.1:5000" / "ipv6:[::1]:5000": the host without the port.
  std::string peer = context.peer();
  const size_t colon = peer.rfind(':');
  if (colon != std::string::npos && colon > 5) peer.resize(colon);
  return peer;
}

grpc::Status ConsultationHandler::PostComment(grpc::ServerContext* context,
                                              const v1::PostCommentRequest* request,
                                              v1::Comment* response) {
  const std::string client = ClientAddress(*context);
  return auth::AnswerAuthenticated(*authenticator_, *context, response,
                                   [&](const auth::Principal& caller) {
                                     return consultations_->PostComment(caller, *request, client);
                                   });
}

}  // namespace gongkai::consultation
