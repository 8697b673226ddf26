#include "libs/rules/rule_set_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/authenticated_call.h"
#include "libs/auth/policy.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/rule_set_json.h"
#include "libs/rules/rule_set_proto.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"

namespace gongkai::rules {
namespace {

constexpr auth::Rule kPutRuleSet{.roles = {auth::Role::kAdmin}};

absl::Status RequireAuthenticated(const auth::Principal& caller) {
  if (caller.anonymous()) {
    return absl::UnauthenticatedError("rule sets are shown to signed-in callers only");
  }
  return absl::OkStatus();
}

constexpr size_t kMaxJsonBytes = 1 << 20;

std::string NoSuchSet(absl::string_view name) {
  return absl::StrCat("this service reads no rule set named \"", name, "\"");
}

// The same status with every field violation under `prefix`.
absl::Status UnderField(const absl::Status& status, absl::string_view prefix) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return status;
  FieldViolations v;
  for (FieldViolation& fv : violations) {
    // ParseRuleSetJson names the whole text "rule_set".
    v.Add(fv.field == "rule_set" ? std::string(absl::StripSuffix(prefix, "."))
                                 : absl::StrCat(prefix, fv.field),
          fv.description);
  }
  return v.ToStatus();
}

// The validated set of a PutRuleSet request, from either form.
absl::StatusOr<RuleSet> SetOf(const RuleBook& book, const common::v1::PutRuleSetRequest& request) {
  switch (request.set_case()) {
    case common::v1::PutRuleSetRequest::kRuleSet: {
      std::shared_ptr<const RuleSchema> schema = book.SchemaFor(request.rule_set().name());
      if (schema == nullptr)
        return InvalidField("rule_set.name", NoSuchSet(request.rule_set().name()));
      FieldViolations v;
      RuleSet set = FromProto(request.rule_set(), v, "rule_set.");
      ValidateRuleSet(set, schema, v, "rule_set.");
      RETURN_IF_ERROR(v.ToStatus());
      return set;
    }
    case common::v1::PutRuleSetRequest::kRuleSetJson: {
      if (request.rule_set_json().size() > kMaxJsonBytes) {
        return InvalidField("rule_set_json", "must be at most 1 MiB");
      }
      absl::StatusOr<std::string> name = RuleSetNameOfJson(request.rule_set_json());
      if (!name.ok()) return UnderField(name.status(), "rule_set_json.");
      std::shared_ptr<const RuleSchema> schema = book.SchemaFor(*name);
      if (schema == nullptr) return InvalidField("rule_set_json.name", NoSuchSet(*name));
      absl::StatusOr<RuleSet> set = ParseRuleSetJson(request.rule_set_json(), schema);
      if (!set.ok()) return UnderField(set.status(), "rule_set_json.");
      return set;
    }
    case common::v1::PutRuleSetRequest::SET_NOT_SET:
      break;
  }
  return InvalidField("rule_set", "is required (or rule_set_json)");
}

}  // namespace

bool RuleSetAdmin::InEffectToday(const RuleSet& set) const {
  absl::StatusOr<std::shared_ptr<const RuleSet>> current = book_->Current(set.name, *clock_);
  return current.ok() && (*current)->version == set.version;
}

absl::StatusOr<common::v1::ListRuleSetsResponse> RuleSetAdmin::ListRuleSets(
    const auth::Principal& caller, const common::v1::ListRuleSetsRequest& request) const {
  RETURN_IF_ERROR(RequireAuthenticated(caller));
  common::v1::ListRuleSetsResponse response;
  for (const std::shared_ptr<const RuleSet>& set : book_->List()) {
    if (!request.name().empty() && set->name != request.name()) continue;
    *response.add_rule_sets() =
        ToProto(*set, {.with_rules = false, .in_effect = InEffectToday(*set)});
  }
  return response;
}

absl::StatusOr<common::v1::RuleSet> RuleSetAdmin::GetRuleSet(
    const auth::Principal& caller, const common::v1::GetRuleSetRequest& request) const {
  RETURN_IF_ERROR(RequireAuthenticated(caller));
  FieldViolations v;
  if (request.name().empty()) v.Add("name", "must not be empty");
  if (request.version() < 0) v.Add("version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  if (book_->SchemaFor(request.name()) == nullptr) {
    return absl::NotFoundError(NoSuchSet(request.name()));
  }
  std::shared_ptr<const RuleSet> set;
  if (request.version() == 0) {
    ASSIGN_OR_RETURN(set, book_->Current(request.name(), *clock_));
  } else {
    ASSIGN_OR_RETURN(set, book_->Get(request.name(), request.version()));
  }
  return ToProto(*set, {.with_rules = true, .in_effect = InEffectToday(*set)});
}

absl::StatusOr<common::v1::PutRuleSetResponse> RuleSetAdmin::PutRuleSet(
    const auth::Principal& caller, const common::v1::PutRuleSetRequest& request) {
  RETURN_IF_ERROR(auth::Require(caller, kPutRuleSet));
  ASSIGN_OR_RETURN(RuleSet set, SetOf(*book_, request));
  // Refused here before anything is stored when this replica already knows the version.
  RETURN_IF_ERROR(book_->CheckNew(set));
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(bool created, store_->Insert(set, caller.subject, now));
  ASSIGN_OR_RETURN(bool added, book_->Put(set));
  (void)added;  // False when a sync applied it between the two calls.
  common::v1::PutRuleSetResponse response;
  *response.mutable_rule_set() =
      ToProto(set, {.with_rules = true, .in_effect = InEffectToday(set)});
  response.set_created(created);
  if (created) *response.mutable_create_time() = ToTimestamp(now);
  return response;
}

grpc::Status RuleSetServiceImpl::ListRuleSets(grpc::ServerContext* context,
                                              const common::v1::ListRuleSetsRequest* request,
                                              common::v1::ListRuleSetsResponse* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response,
      [&](const auth::Principal& caller) { return admin_->ListRuleSets(caller, *request); });
}

grpc::Status RuleSetServiceImpl::GetRuleSet(grpc::ServerContext* context,
                                            const common::v1::GetRuleSetRequest* request,
                                            common::v1::RuleSet* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response,
      [&](const auth::Principal& caller) { return admin_->GetRuleSet(caller, *request); });
}

grpc::Status RuleSetServiceImpl::PutRuleSet(grpc::ServerContext* context,
                                            const common::v1::PutRuleSetRequest* request,
                                            common::v1::PutRuleSetResponse* response) {
  return auth::AnswerAuthenticated(
      *authenticator_, *context, response,
      [&](const auth::Principal& caller) { return admin_->PutRuleSet(caller, *request); });
}

}  // namespace gongkai::rules
