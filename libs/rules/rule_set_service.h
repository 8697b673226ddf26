// The RuleSetService (protos/gongkai/common/v1/rule_sets.proto) for any service that
// reads rule sets: list, read and add versions of that service's sets. A service hosts
// it by constructing it with its RuleBook and store:
//
//   rules::RuleSetAdmin rule_admin(book.get(), rule_store.get(), &clock);
//   rules::RuleSetServiceImpl rule_service(authenticator.get(), &rule_admin);
//   builder.RegisterService(&rule_service);
//   // and, as with calendar years, call SyncFromStore periodically on every replica.
//
// RuleSetAdmin holds the rules (pure C++, testable without gRPC); RuleSetServiceImpl is
// the thin handler (authenticate, call, convert the status once).
//
// Authorization: ListRuleSets and GetRuleSet need an authenticated caller
// (UNAUTHENTICATED for the anonymous one); PutRuleSet needs the ADMIN role
// (PERMISSION_DENIED otherwise).
// PutRuleSet takes the set as structured fields or as JSON text (rule_set_json.h).
// Errors: INVALID_ARGUMENT naming each bad field ("rule_set.rules.<key>" or
// "rule_set_json.rules.<key>", ...), also for a set name this service does not read;
// ALREADY_EXISTS when the version is loaded or stored with other content; the store's
// errors (UNAVAILABLE). The set is stored before it is applied, so a store failure
// leaves it applied nowhere.
// GetRuleSet: NOT_FOUND for an unknown set or version; FAILED_PRECONDITION when version 0
// is asked and no version is in effect today.
//
// Thread-safety: all methods may be called concurrently (RuleBook and the store are).
#ifndef GONGKAI_LIBS_RULES_RULE_SET_SERVICE_H_
#define GONGKAI_LIBS_RULES_RULE_SET_SERVICE_H_

#include "absl/status/statusor.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.pb.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/principal.h"
#include "libs/clock/clock.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set_store.h"

namespace gongkai::rules {

class RuleSetAdmin {
 public:
  // None owned; all must outlive this object.
  RuleSetAdmin(RuleBook* book, RuleSetStore* store, const Clock* clock)
      : book_(book), store_(store), clock_(clock) {}

  absl::StatusOr<common::v1::ListRuleSetsResponse> ListRuleSets(
      const auth::Principal& caller, const common::v1::ListRuleSetsRequest& request) const;
  absl::StatusOr<common::v1::RuleSet> GetRuleSet(
      const auth::Principal& caller, const common::v1::GetRuleSetRequest& request) const;
  absl::StatusOr<common::v1::PutRuleSetResponse> PutRuleSet(
      const auth::Principal& caller, const common::v1::PutRuleSetRequest& request);

 private:
  bool InEffectToday(const RuleSet& set) const;

  RuleBook* book_;
  RuleSetStore* store_;
  const Clock* clock_;
};

class RuleSetServiceImpl final : public common::v1::RuleSetService::Service {
 public:
  // Not owned; both must outlive the service.
  RuleSetServiceImpl(const auth::Authenticator* authenticator, RuleSetAdmin* admin)
      : authenticator_(authenticator), admin_(admin) {}

  grpc::Status ListRuleSets(grpc::ServerContext* context,
                            const common::v1::ListRuleSetsRequest* request,
                            common::v1::ListRuleSetsResponse* response) override;
  grpc::Status GetRuleSet(grpc::ServerContext* context,
                          const common::v1::GetRuleSetRequest* request,
                          common::v1::RuleSet* response) override;
  grpc::Status PutRuleSet(grpc::ServerContext* context,
                          const common::v1::PutRuleSetRequest* request,
                          common::v1::PutRuleSetResponse* response) override;

 private:
  const auth::Authenticator* authenticator_;
  RuleSetAdmin* admin_;
};

}  // namespace gongkai::rules

#endif  // GONGKAI_LIBS_RULES_RULE_SET_SERVICE_H_
