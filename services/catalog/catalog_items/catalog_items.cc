#include "services/catalog/catalog_items/catalog_items.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/policy.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rules.h"

namespace gongkai::catalog::catalog_items {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

namespace {

constexpr validation::TextLimits kCatalogTextLimits{
    .min_chars = 1, .max_chars = 2000, .allow_newlines = true};
constexpr validation::TextLimits kShortRequiredText{.min_chars = 1, .max_chars = 200};

}  // namespace

absl::StatusOr<v1::Category> CatalogItems::CreateCategory(
    const Principal& caller, const v1::CreateCategoryRequest& request) {
  RETURN_IF_ERROR(auth::Require(caller, kManageCategories, std::nullopt));
  const v1::Category& category = request.category();
  FieldViolations v;
  CheckId(v, "category.parent_id", category.parent_id(), false);
  CheckCode(v, "category.code", category.code());
  CheckText(v, "category.name", category.name(), kNameLimits);
  CheckEnum(v, "category.key_area", category.key_area(), v1::KeyArea_IsValid, false);
  CheckRequestId(v, "request_id", request.request_id());
  RETURN_IF_ERROR(v.ToStatus());
  if (category.parent_id() != 0) {
    absl::StatusOr<v1::Category> parent = repository_->GetCategory(category.parent_id());
    if (parent.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("category.parent_id",
                          absl::StrCat("category ", category.parent_id(), " does not exist"));
    }
    RETURN_IF_ERROR(parent.status());
  }
  v1::Category to_store = category;
  to_store.clear_id();
  absl::StatusOr<v1::Category> created = idempotency::IdempotentCreate<v1::Category>(
      *repository_, KeyFor(caller, "CreateCategory", request.request_id(), request),
      [&](const IdempotencyKey* key) { return repository_->CreateCategory(to_store, key); });
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("category code \"", category.code(),
                                                 "\" is already used by another category"));
  }
  return created;
}

absl::StatusOr<v1::ListCategoriesResponse> CatalogItems::ListCategories(
    const Principal&, const v1::ListCategoriesRequest& request) {
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  constexpr absl::string_view kFingerprint = "categories";
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), kFingerprint));
  // The tree's order (parents before children) is not an id order, so the page is cut
  // from the ordered tree: it continues after the category the token names. The tree is
  // written only by CreateCategory (kManageCategories), so reading it whole stays small.
  ASSIGN_OR_RETURN(std::vector<v1::Category> tree, repository_->ListCategories());
  auto start = tree.begin();
  if (after_id != 0) {
    start = std::find_if(tree.begin(), tree.end(),
                         [&](const v1::Category& c) { return c.id() == after_id; });
    if (start == tree.end()) return InvalidField("page_token", "names no category");
    ++start;
  }
  const size_t left = static_cast<size_t>(tree.end() - start);
  std::vector<v1::Category> page(start, start + std::min(left, static_cast<size_t>(page_size) + 1));
  v1::ListCategoriesResponse response;
  response.set_next_page_token(pagination::TrimPage(page, page_size, kFingerprint,
                                                    [](const v1::Category& c) { return c.id(); }));
  for (auto& c : page) *response.add_categories() = std::move(c);
  return response;
}

namespace {

void ValidateCatalogItem(const v1::CatalogItem& item, FieldViolations& v) {
  CheckId(v, "item.category_id", item.category_id(), true);
  CheckId(v, "item.responsible_unit_id", item.responsible_unit_id(), true);
  CheckText(v, "item.content", item.content(), kCatalogTextLimits);
  CheckText(v, "item.time_limit", item.time_limit(), kShortRequiredText);
  CheckText(v, "item.method", item.method(), kShortRequiredText);
  CheckText(v, "item.change_note", item.change_note(), {.max_chars = 1000});
}

}  // namespace

absl::StatusOr<v1::CatalogItem> CatalogItems::CreateCatalogItem(
    const Principal& caller, const v1::CreateCatalogItemRequest& request) {
  FieldViolations v;
  ValidateCatalogItem(request.item(), v);
  CheckRequestId(v, "request_id", request.request_id());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kManageCatalogItems, request.item().responsible_unit_id()));
  absl::StatusOr<v1::Category> category = repository_->GetCategory(request.item().category_id());
  if (category.status().code() == absl::StatusCode::kNotFound) {
    v.Add("item.category_id",
          absl::StrCat("category ", request.item().category_id(), " does not exist"));
  } else {
    RETURN_IF_ERROR(category.status());
  }
  absl::StatusOr<v1::Unit> unit = units_->GetUnit(request.item().responsible_unit_id());
  if (unit.status().code() == absl::StatusCode::kNotFound) {
    v.Add("item.responsible_unit_id",
          absl::StrCat("unit ", request.item().responsible_unit_id(), " does not exist"));
  } else {
    RETURN_IF_ERROR(unit.status());
  }
  RETURN_IF_ERROR(v.ToStatus());
  v1::CatalogItem item = request.item();
  item.clear_id();
  item.set_revision(1);
  item.set_changed_by(caller.subject);
  *item.mutable_change_time() = ToTimestamp(clock_->Now());
  return idempotency::IdempotentCreate<v1::CatalogItem>(
      *repository_, KeyFor(caller, "CreateCatalogItem", request.request_id(), request),
      [&](const IdempotencyKey* key) { return repository_->CreateCatalogItem(item, key); });
}

absl::StatusOr<v1::CatalogItem> CatalogItems::UpdateCatalogItem(
    const Principal& caller, const v1::UpdateCatalogItemRequest& request) {
  FieldViolations v;
  CheckId(v, "item.id", request.item().id(), true);
  ValidateCatalogItem(request.item(), v);
  if (request.expected_revision() < 0) v.Add("expected_revision", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::CatalogItem current, repository_->GetCatalogItem(request.item().id()));
  RETURN_IF_ERROR(auth::Require(caller, kManageCatalogItems, current.responsible_unit_id()));
  RETURN_IF_ERROR(auth::Require(caller, kManageCatalogItems, request.item().responsible_unit_id()));
  if (request.expected_revision() != 0 && request.expected_revision() != current.revision()) {
    return absl::AbortedError(absl::StrCat("catalog item ", current.id(), " is at revision ",
                                           current.revision(), ", not ",
                                           request.expected_revision(), "; reload and retry"));
  }
  // What create checks, for whatever the update changes: INVALID_ARGUMENT naming the field.
  if (request.item().category_id() != current.category_id()) {
    absl::StatusOr<v1::Category> category = repository_->GetCategory(request.item().category_id());
    if (category.status().code() == absl::StatusCode::kNotFound) {
      v.Add("item.category_id",
            absl::StrCat("category ", request.item().category_id(), " does not exist"));
    } else {
      RETURN_IF_ERROR(category.status());
    }
  }
  if (request.item().responsible_unit_id() != current.responsible_unit_id()) {
    absl::StatusOr<v1::Unit> unit = units_->GetUnit(request.item().responsible_unit_id());
    if (unit.status().code() == absl::StatusCode::kNotFound) {
      v.Add("item.responsible_unit_id",
            absl::StrCat("unit ", request.item().responsible_unit_id(), " does not exist"));
    } else {
      RETURN_IF_ERROR(unit.status());
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  v1::CatalogItem item = request.item();
  item.set_changed_by(caller.subject);
  *item.mutable_change_time() = ToTimestamp(clock_->Now());
  return repository_->UpdateCatalogItem(item, current.revision());
}

absl::StatusOr<v1::CatalogItem> CatalogItems::GetCatalogItem(
    const Principal&, const v1::GetCatalogItemRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  return repository_->GetCatalogItem(request.id());
}

absl::StatusOr<v1::ListCatalogItemsResponse> CatalogItems::ListCatalogItems(
    const Principal&, const v1::ListCatalogItemsRequest& request) {
  FieldViolations v;
  CheckId(v, "category_id", request.category_id(), false);
  CheckId(v, "responsible_unit_id", request.responsible_unit_id(), false);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  const std::string fingerprint =
      absl::StrCat("c", request.category_id(), "u", request.responsible_unit_id());
  ASSIGN_OR_RETURN(int64_t after_id,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::CatalogItem> items,
                   repository_->ListCatalogItems(
                       CatalogItemFilter{request.category_id(), request.responsible_unit_id()},
                       KeysetPage{after_id, page_size + 1}));
  v1::ListCatalogItemsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      items, page_size, fingerprint, [](const v1::CatalogItem& i) { return i.id(); }));
  for (auto& i : items) *response.add_items() = std::move(i);
  return response;
}

absl::StatusOr<v1::ListCatalogItemRevisionsResponse> CatalogItems::ListCatalogItemRevisions(
    const Principal&, const v1::ListCatalogItemRevisionsRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  // A token continues after a revision number of this very item.
  const std::string fingerprint = absl::StrCat("revisions-of-", request.id());
  ASSIGN_OR_RETURN(int64_t after_revision,
                   pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<v1::CatalogItem> revisions,
                   repository_->ListCatalogItemRevisions(
                       request.id(), KeysetPage{after_revision, page_size + 1}));
  v1::ListCatalogItemRevisionsResponse response;
  response.set_next_page_token(pagination::TrimPage(
      revisions, page_size, fingerprint, [](const v1::CatalogItem& r) { return r.revision(); }));
  for (auto& r : revisions) *response.add_revisions() = std::move(r);
  return response;
}

absl::StatusOr<v1::CatalogItem> CatalogItems::PrepareNewCatalogItem(const Principal& caller,
                                                                    const v1::CatalogItem& item,
                                                                    absl::string_view field_prefix,
                                                                    absl::Time now) {
  FieldViolations checked;
  ValidateCatalogItem(item, checked);
  const auto renamed = [&](const FieldViolations& violations) {
    FieldViolations v;
    for (const FieldViolation& f : violations.violations()) {
      // Every name here is "item.<field>".
      v.Add(absl::StrCat(field_prefix, f.field.substr(f.field.find('.') + 1)), f.description);
    }
    return v.ToStatus();
  };
  RETURN_IF_ERROR(renamed(checked));
  RETURN_IF_ERROR(auth::Require(caller, kManageCatalogItems, item.responsible_unit_id()));
  absl::StatusOr<v1::Category> category = repository_->GetCategory(item.category_id());
  if (category.status().code() == absl::StatusCode::kNotFound) {
    checked.Add("item.category_id",
                absl::StrCat("category ", item.category_id(), " does not exist"));
  } else {
    RETURN_IF_ERROR(category.status());
  }
  absl::StatusOr<v1::Unit> unit = units_->GetUnit(item.responsible_unit_id());
  if (unit.status().code() == absl::StatusCode::kNotFound) {
    checked.Add("item.responsible_unit_id",
                absl::StrCat("unit ", item.responsible_unit_id(), " does not exist"));
  } else {
    RETURN_IF_ERROR(unit.status());
  }
  RETURN_IF_ERROR(renamed(checked));
  v1::CatalogItem created = item;
  created.clear_id();
  created.set_revision(1);
  created.set_changed_by(caller.subject);
  *created.mutable_change_time() = ToTimestamp(now);
  return created;
}

}  // namespace gongkai::catalog::catalog_items
