#include "services/catalog/demo/demo_loader.h"

#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "libs/demo/actor_call.h"
#include "libs/status/status_macros.h"

namespace gongkai::catalog::demo {
namespace {

using ::gongkai::demo::CallAs;

constexpr int kPageSize = 100;

// What the loader does next to a document, if anything.
enum class Step { kSubmit, kReviewPass, kReviewFail, kOfficeReturn, kPublish };

const char* StepName(Step step) {
  switch (step) {
    case Step::kSubmit:
      return "submitted";
    case Step::kReviewPass:
      return "review passed";
    case Step::kReviewFail:
      return "review failed";
    case Step::kOfficeReturn:
      return "returned by the office";
    case Step::kPublish:
      return "published";
  }
  return "?";
}

bool Undisclosed(v1::DisclosureAttribute attribute) {
  return attribute == v1::ON_REQUEST || attribute == v1::NOT_DISCLOSED;
}

// The next step on the planned path of `spec` from the document's current state, or
// nullopt when it has arrived (or is somewhere the plan does not lead: left alone).
std::optional<Step> NextStep(const DocumentSpec& spec, const v1::Document& document) {
  // CAT-7: the self-review converted it to PROACTIVE; that is its path now.
  if (Undisclosed(spec.attribute) && document.disclosure_attribute() == v1::PROACTIVE) {
    return std::nullopt;
  }
  switch (document.state()) {
    case v1::DRAFT:
      if (spec.target == Target::kDraft) return std::nullopt;
      return Step::kSubmit;
    case v1::PENDING_REVIEW:
      switch (spec.target) {
        case Target::kReturnedByReview:
          return Step::kReviewFail;
        case Target::kReturnedByOffice:
          return Step::kOfficeReturn;
        case Target::kApproved:
        case Target::kPublished:
          return Step::kReviewPass;
        default:
          return std::nullopt;
      }
    case v1::APPROVED:
      if (spec.target == Target::kPublished) return Step::kPublish;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// The state the plan of `spec` ends in.
v1::DocumentState PlannedState(Target target) {
  switch (target) {
    case Target::kDraft:
      return v1::DRAFT;
    case Target::kReturnedAtSubmission:
    case Target::kReturnedByReview:
    case Target::kReturnedByOffice:
      return v1::RETURNED;
    case Target::kPendingReview:
      return v1::PENDING_REVIEW;
    case Target::kApproved:
      return v1::APPROVED;
    case Target::kPublished:
      return v1::PUBLISHED;
  }
  return v1::DOCUMENT_STATE_UNSPECIFIED;
}

std::string Quoted(absl::string_view text) { return absl::StrCat("«", text, "»"); }

}  // namespace

bool LoadSummary::NothingNew() const {
  return units_created == 0 && documents_created == 0 && lifecycle_steps == 0 &&
         catalog_items_created == 0 && catalog_item_revisions == 0 && self_review_steps == 0;
}

std::string LoadSummary::ToString() const {
  std::vector<std::string> states;
  for (v1::DocumentState state :
       {v1::PUBLISHED, v1::APPROVED, v1::PENDING_REVIEW, v1::RETURNED, v1::DRAFT}) {
    auto it = documents_by_state.find(state);
    states.push_back(absl::StrCat(v1::DocumentState_Name(state), " ",
                                  it == documents_by_state.end() ? 0 : it->second));
  }
  std::string line = absl::StrCat("units ", units, " (", units_created, " new); documents ",
                                  documents, " (", documents_created, " new, ", lifecycle_steps,
                                  " lifecycle steps: ", absl::StrJoin(states, ", "), ")");
  if (documents_left_alone > 0) {
    absl::StrAppend(&line, " [", documents_left_alone, " off-plan, left alone]");
  }
  absl::StrAppend(&line, "; catalog items ", catalog_items, " (", catalog_items_created, " new, ",
                  catalog_item_revisions, " revised); self-review ", self_review);
  if (self_review_steps > 0) absl::StrAppend(&line, " [", self_review_steps, " steps this run]");
  absl::StrAppend(&line, NothingNew() ? " — nothing new was created" : "");
  return line;
}

DemoLoader::DemoLoader(Stub* stub, TokenSource* tokens, LoaderOptions options,
                       std::ostream* progress)
    : stub_(stub), tokens_(tokens), options_(options), progress_(progress) {}

template <typename Request, typename Response>
absl::StatusOr<Response> DemoLoader::Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                       const Request&, Response*),
                                          const char* rpc, const Actor& actor,
                                          const Request& request, const std::string& what) {
  return CallAs(stub_, method, rpc, *tokens_, actor, request, what, options_.call_timeout);
}

absl::StatusOr<LoadSummary> DemoLoader::Load() {
  summary_ = LoadSummary{};
  RETURN_IF_ERROR(CheckCategories());
  RETURN_IF_ERROR(CheckAccess());
  RETURN_IF_ERROR(LoadUnits());
  RETURN_IF_ERROR(LoadDocuments());
  RETURN_IF_ERROR(LoadCatalogItems());
  RETURN_IF_ERROR(LoadSelfReview());
  RETURN_IF_ERROR(CountDocumentStates());
  return summary_;
}

void DemoLoader::Progress(const std::string& line) {
  if (progress_ != nullptr) *progress_ << line << "\n";
}

int64_t DemoLoader::UnitId(const std::string& code) const { return units_.at(code).id(); }

Actor DemoLoader::Office() const { return Actor::Office(kOfficeSubject); }

Actor DemoLoader::StaffOf(const std::string& unit_code) const {
  for (const UnitSpec& unit : Units()) {
    if (absl::string_view(unit.code) == unit_code) {
      return Actor::Staff(Subject(unit.staff, unit.code), UnitId(unit_code));
    }
  }
  return Actor::Staff("", UnitId(unit_code));
}

Actor DemoLoader::ReviewerOf(const std::string& unit_code) const {
  for (const UnitSpec& unit : Units()) {
    if (absl::string_view(unit.code) == unit_code) {
      return Actor::Reviewer(Subject(unit.reviewer, unit.code), UnitId(unit_code));
    }
  }
  return Actor::Reviewer("", UnitId(unit_code));
}

// ---- Categories: seeded by the migrations; the loader only checks them (CAT-6). ----------

absl::Status DemoLoader::CheckCategories() {
  std::map<int64_t, v1::KeyArea> seeded;
  v1::ListCategoriesRequest request;
  request.set_page_size(100);
  do {
    ASSIGN_OR_RETURN(v1::ListCategoriesResponse response,
                     Call(&Stub::ListCategories, "ListCategories", Office(), request,
                          "(the seeded key-area categories)"));
    for (const v1::Category& category : response.categories()) {
      seeded[category.id()] = category.key_area();
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  for (const AreaSpec& area : Areas()) {
    const int64_t id = CategoryFor(area.area);
    auto it = seeded.find(id);
    if (it == seeded.end() || it->second != area.area) {
      return absl::FailedPreconditionError(absl::StrCat(
          "catalog category ", id, " for key area ", v1::KeyArea_Name(area.area),
          " is missing; the catalog's migrations (0002_key_area_categories.sql) must be applied"));
    }
  }
  if (seeded.count(CategoryFor(v1::KEY_AREA_UNSPECIFIED)) == 0) {
    return absl::FailedPreconditionError("catalog category 1 (BASIC) is missing");
  }
  return absl::OkStatus();
}

// Looking for existing documents needs to see unpublished ones too; a token that cannot
// would make the loader create duplicates of drafts it does not see.
absl::Status DemoLoader::CheckAccess() {
  v1::ListDocumentsRequest request;
  request.set_state(v1::DRAFT);
  request.set_page_size(1);
  request.set_omit_body(true);
  absl::StatusOr<v1::ListDocumentsResponse> response =
      Call(&Stub::ListDocuments, "ListDocuments", Office(), request, "(unpublished documents)");
  if (response.status().code() == absl::StatusCode::kPermissionDenied) {
    return absl::PermissionDeniedError(
        absl::StrCat(response.status().message(),
                     " — the loader needs a token with role ADMIN (or OFFICE) for --token"));
  }
  return response.status();
}

// ---- Units --------------------------------------------------------------------------------

absl::StatusOr<std::map<std::string, v1::Unit>> DemoLoader::ListAllUnits() {
  std::map<std::string, v1::Unit> by_code;
  v1::ListUnitsRequest request;
  request.set_page_size(kPageSize);
  do {
    ASSIGN_OR_RETURN(v1::ListUnitsResponse page,
                     Call(&Stub::ListUnits, "ListUnits", Office(), request, "(all units)"));
    for (const v1::Unit& unit : page.units()) by_code[unit.code()] = unit;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return by_code;
}

absl::Status DemoLoader::LoadUnits() {
  {
    absl::StatusOr<std::map<std::string, v1::Unit>> existing = ListAllUnits();
    RETURN_IF_ERROR(existing.status());
    units_ = *std::move(existing);
  }
  for (const UnitSpec& spec : Units()) {
    ++summary_.units;
    if (units_.count(spec.code) > 0) continue;
    v1::CreateUnitRequest request;
    v1::Unit* unit = request.mutable_unit();
    unit->set_code(spec.code);
    unit->set_name(spec.name);
    unit->set_level(spec.level);
    if (!spec.parent_code.empty()) unit->set_parent_id(UnitId(spec.parent_code));
    request.set_request_id(absl::StrCat("demo-unit-", spec.code));
    absl::StatusOr<v1::Unit> created = Call(&Stub::CreateUnit, "CreateUnit", Office(), request,
                                            absl::StrCat("unit ", spec.code, " ", spec.name));
    if (created.status().code() == absl::StatusCode::kAlreadyExists) {
      // Created meanwhile (or under another user's request_id): use the stored one.
      absl::StatusOr<std::map<std::string, v1::Unit>> again = ListAllUnits();
      RETURN_IF_ERROR(again.status());
      auto it = again->find(spec.code);
      if (it == again->end()) return created.status();
      units_[spec.code] = it->second;
      continue;
    }
    RETURN_IF_ERROR(created.status());
    units_[spec.code] = *created;
    ++summary_.units_created;
    Progress(absl::StrCat("created unit ", spec.code, " ", spec.name, " (id ", created->id(), ")"));
  }
  return absl::OkStatus();
}

// ---- Documents (CAT-1 to CAT-4) -----------------------------------------------------------

absl::StatusOr<std::vector<v1::Document>> DemoLoader::ListAllDocuments() {
  std::vector<v1::Document> documents;
  v1::ListDocumentsRequest request;
  request.set_page_size(kPageSize);
  request.set_omit_body(true);
  do {
    ASSIGN_OR_RETURN(v1::ListDocumentsResponse page, Call(&Stub::ListDocuments, "ListDocuments",
                                                          Office(), request, "(all documents)"));
    for (const v1::Document& d : page.documents()) documents.push_back(d);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return documents;
}

absl::Status DemoLoader::LoadDocuments() {
  ASSIGN_OR_RETURN(std::vector<v1::Document> listed, ListAllDocuments());
  std::map<std::pair<int64_t, std::string>, v1::Document> existing;
  for (v1::Document& d : listed) {
    existing[{d.drafting_unit_id(), d.title()}] = std::move(d);
  }
  std::map<std::string, int> per_unit;  // For the request ids: "demo-doc-NN-EDU-3".
  const std::vector<DocumentSpec>& specs = Documents();
  for (size_t i = 0; i < specs.size(); ++i) {
    const DocumentSpec& spec = specs[i];
    ++summary_.documents;
    const int64_t unit_id = UnitId(spec.unit);
    const int ordinal = ++per_unit[spec.unit];
    v1::Document document;
    auto it = existing.find({unit_id, spec.title});
    if (it != existing.end()) {
      document = it->second;
    } else {
      v1::CreateDocumentRequest request;
      v1::Document* d = request.mutable_document();
      d->set_title(spec.title);
      d->set_body(DocumentBody(spec, static_cast<int>(i)));
      d->set_document_number(spec.number);
      d->set_drafting_unit_id(unit_id);
      d->set_issuing_authority(spec.authority);
      d->set_is_policy_document(spec.policy);
      d->set_key_area(spec.area);
      d->set_category_id(CategoryFor(spec.area));
      d->set_disclosure_attribute(spec.attribute);
      d->set_nondisclosure_reason(spec.reason);
      d->set_legal_basis(spec.legal_basis);
      d->set_publication_limit_working_days(spec.limit_working_days);
      request.set_request_id(absl::StrCat("demo-doc-", spec.unit, "-", ordinal));
      ASSIGN_OR_RETURN(document, Call(&Stub::CreateDocument, "CreateDocument", StaffOf(spec.unit),
                                      request, Quoted(spec.title)));
      // A replayed request_id returns the document as first created; its state may have
      // moved on since.
      v1::GetDocumentRequest get;
      get.set_id(document.id());
      ASSIGN_OR_RETURN(document, Call(&Stub::GetDocument, "GetDocument", StaffOf(spec.unit), get,
                                      Quoted(spec.title)));
      ++summary_.documents_created;
      Progress(absl::StrCat("created document ", document.id(), " ", Quoted(spec.title)));
    }
    ASSIGN_OR_RETURN(document, Drive(spec, std::move(document)));
    if (document.state() != PlannedState(spec.target) &&
        !(Undisclosed(spec.attribute) && document.disclosure_attribute() == v1::PROACTIVE)) {
      ++summary_.documents_left_alone;
      Progress(absl::StrCat("note: document ", document.id(), " ", Quoted(spec.title), " is ",
                            v1::DocumentState_Name(document.state()), ", not ",
                            v1::DocumentState_Name(PlannedState(spec.target)),
                            " as planned; left alone"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Document> DemoLoader::Drive(const DocumentSpec& spec, v1::Document document) {
  const std::string what = absl::StrCat("document ", document.id(), " ", Quoted(spec.title));
  for (std::optional<Step> step = NextStep(spec, document); step.has_value();
       step = NextStep(spec, document)) {
    v1::DocumentState expected = v1::DOCUMENT_STATE_UNSPECIFIED;
    switch (*step) {
      case Step::kSubmit: {
        v1::SubmitDocumentRequest request;
        request.set_id(document.id());
        ASSIGN_OR_RETURN(document, Call(&Stub::SubmitDocument, "SubmitDocument", StaffOf(spec.unit),
                                        request, what));
        // CAT-2: an incomplete submission is returned, and that is the plan for some.
        expected = spec.target == Target::kReturnedAtSubmission ? v1::RETURNED : v1::PENDING_REVIEW;
        break;
      }
      case Step::kReviewPass:
      case Step::kReviewFail: {
        v1::ReviewDocumentRequest request;
        request.set_id(document.id());
        const bool pass = *step == Step::kReviewPass;
        request.set_outcome(pass ? v1::REVIEW_PASSED : v1::REVIEW_FAILED);
        request.set_note(pass ? "经保密审查，未发现涉密内容，同意按拟定公开属性办理。" : spec.note);
        ASSIGN_OR_RETURN(document, Call(&Stub::ReviewDocument, "ReviewDocument",
                                        ReviewerOf(spec.unit), request, what));
        expected = pass ? v1::APPROVED : v1::RETURNED;
        break;
      }
      case Step::kOfficeReturn: {
        v1::ReturnDocumentRequest request;
        request.set_id(document.id());
        request.set_cause(spec.note);
        ASSIGN_OR_RETURN(document,
                         Call(&Stub::ReturnDocument, "ReturnDocument", Office(), request, what));
        expected = v1::RETURNED;
        break;
      }
      case Step::kPublish: {
        v1::PublishDocumentRequest request;
        request.set_id(document.id());
        ASSIGN_OR_RETURN(document, Call(&Stub::PublishDocument, "PublishDocument",
                                        StaffOf(spec.unit), request, what));
        expected = v1::PUBLISHED;
        break;
      }
    }
    ++summary_.lifecycle_steps;
    if (document.state() != expected) {
      return absl::InternalError(absl::StrCat(
          what, " was ", StepName(*step), " but is now ", v1::DocumentState_Name(document.state()),
          " instead of ", v1::DocumentState_Name(expected),
          document.return_cause().empty() ? "" : absl::StrCat(": ", document.return_cause())));
    }
    Progress(absl::StrCat("  document ", document.id(), " ", StepName(*step), " → ",
                          v1::DocumentState_Name(document.state())));
  }
  return document;
}

absl::Status DemoLoader::CountDocumentStates() {
  ASSIGN_OR_RETURN(std::vector<v1::Document> listed, ListAllDocuments());
  std::set<std::pair<int64_t, std::string>> ours;
  for (const DocumentSpec& spec : Documents()) ours.insert({UnitId(spec.unit), spec.title});
  for (const v1::Document& d : listed) {
    if (ours.count({d.drafting_unit_id(), d.title()}) > 0) ++summary_.documents_by_state[d.state()];
  }
  return absl::OkStatus();
}

// ---- Catalog items (CAT-5, CAT-6) ----------------------------------------------------------

absl::StatusOr<std::vector<v1::CatalogItem>> DemoLoader::ListAllCatalogItems() {
  std::vector<v1::CatalogItem> items;
  v1::ListCatalogItemsRequest request;
  request.set_page_size(kPageSize);
  do {
    ASSIGN_OR_RETURN(
        v1::ListCatalogItemsResponse page,
        Call(&Stub::ListCatalogItems, "ListCatalogItems", Office(), request, "(all items)"));
    for (const v1::CatalogItem& item : page.items()) items.push_back(item);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return items;
}

absl::Status DemoLoader::LoadCatalogItems() {
  ASSIGN_OR_RETURN(std::vector<v1::CatalogItem> listed, ListAllCatalogItems());
  using Key = std::tuple<int64_t, int64_t, std::string>;  // Category, unit, content.
  std::map<Key, v1::CatalogItem> existing;
  for (v1::CatalogItem& item : listed) {
    existing[Key{item.category_id(), item.responsible_unit_id(), item.content()}] = std::move(item);
  }
  const CatalogItemRevisionSpec& revision = CatalogItemRevision();
  std::map<int64_t, int> per_category;
  for (const CatalogItemSpec& spec : CatalogItems()) {
    ++summary_.catalog_items;
    const int ordinal = ++per_category[spec.category_id];
    const Key key{spec.category_id, UnitId(spec.unit), spec.content};
    v1::CatalogItem item;
    auto it = existing.find(key);
    if (it != existing.end()) {
      item = it->second;
    } else {
      v1::CreateCatalogItemRequest request;
      v1::CatalogItem* to_create = request.mutable_item();
      to_create->set_category_id(spec.category_id);
      to_create->set_responsible_unit_id(UnitId(spec.unit));
      to_create->set_content(spec.content);
      to_create->set_time_limit(spec.time_limit);
      to_create->set_method(spec.method);
      to_create->set_change_note("2026年主动公开目录首次编制");
      request.set_request_id(absl::StrCat("demo-item-", spec.category_id, "-", ordinal));
      ASSIGN_OR_RETURN(item, Call(&Stub::CreateCatalogItem, "CreateCatalogItem", StaffOf(spec.unit),
                                  request, absl::StrCat("catalog item ", Quoted(spec.content))));
      // A replayed request_id answers with revision 1; read the current revision.
      v1::GetCatalogItemRequest get;
      get.set_id(item.id());
      ASSIGN_OR_RETURN(item, Call(&Stub::GetCatalogItem, "GetCatalogItem", StaffOf(spec.unit), get,
                                  absl::StrCat("catalog item ", item.id())));
      ++summary_.catalog_items_created;
      Progress(absl::StrCat("created catalog item ", item.id(), " ", Quoted(spec.content)));
    }
    if (spec.category_id == revision.category_id && spec.content == revision.content &&
        item.revision() == 1) {
      v1::UpdateCatalogItemRequest request;
      *request.mutable_item() = item;
      request.mutable_item()->set_time_limit(revision.time_limit);
      request.mutable_item()->set_method(revision.method);
      request.mutable_item()->set_change_note(revision.change_note);
      request.set_expected_revision(item.revision());
      ASSIGN_OR_RETURN(item, Call(&Stub::UpdateCatalogItem, "UpdateCatalogItem", StaffOf(spec.unit),
                                  request, absl::StrCat("catalog item ", item.id())));
      ++summary_.catalog_item_revisions;
      Progress(absl::StrCat("revised catalog item ", item.id(), " → revision ", item.revision()));
    }
  }
  return absl::OkStatus();
}

// ---- Self-review (CAT-7) -------------------------------------------------------------------

absl::Status DemoLoader::LoadSelfReview() {
  const SelfReviewSpec& spec = SelfReview();
  const std::string unit_name = units_.at(spec.unit).name();
  const std::string label = absl::StrCat(unit_name, " ", spec.year);
  v1::StartSelfReviewRequest start;
  start.set_unit_id(UnitId(spec.unit));
  start.set_year(spec.year);
  start.set_request_id(absl::StrCat("demo-self-review-", spec.unit, "-", spec.year));
  absl::StatusOr<v1::SelfReview> started =
      Call(&Stub::StartSelfReview, "StartSelfReview", StaffOf(spec.unit), start, label);
  if (started.status().code() == absl::StatusCode::kAlreadyExists) {
    // Started by somebody else (another token); there is no way to look it up by unit.
    summary_.self_review = absl::StrCat(label, " already started by another user, left alone");
    Progress(absl::StrCat("note: ", started.status().message()));
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(started.status());
  v1::GetSelfReviewRequest get;
  get.set_id(started->id());
  get.set_page_size(100);  // The largest page (issue 16 defect 7); demo reviews are small.
  ASSIGN_OR_RETURN(v1::SelfReview review,
                   Call(&Stub::GetSelfReview, "GetSelfReview", StaffOf(spec.unit), get, label));
  const bool any_decided = review.decided_count() > 0;
  if (review.state() == v1::SELF_REVIEW_OPEN && !any_decided) {
    ++summary_.self_review_steps;
    Progress(absl::StrCat("started self-review ", review.id(), " of ", label, " with ",
                          review.entry_count(), " entries"));
  }
  if (review.state() == v1::SELF_REVIEW_OPEN) {
    bool all_decided = review.next_page_token().empty();
    // A copy: each decision replaces `review`.
    const std::vector<v1::SelfReviewEntry> entries(review.entries().begin(),
                                                   review.entries().end());
    for (const v1::SelfReviewEntry& entry : entries) {
      if (entry.decision() != v1::SELF_REVIEW_DECISION_UNSPECIFIED) continue;
      v1::DecideSelfReviewEntryRequest decide;
      decide.set_review_id(review.id());
      decide.set_document_id(entry.document_id());
      if (entry.document_title() == spec.keep_title) {
        decide.set_decision(v1::KEEP);
        decide.set_reason(spec.keep_reason);
      } else if (entry.document_title() == spec.convert_title) {
        decide.set_decision(v1::CONVERT_TO_PROACTIVE);
        decide.set_reason(spec.convert_reason);
      } else {
        all_decided = false;
        Progress(absl::StrCat("note: self-review ", review.id(), " lists document ",
                              entry.document_id(), " ", Quoted(entry.document_title()),
                              ", which is not demo data; left undecided"));
        continue;
      }
      ASSIGN_OR_RETURN(
          review,
          Call(&Stub::DecideSelfReviewEntry, "DecideSelfReviewEntry", ReviewerOf(spec.unit), decide,
               absl::StrCat("self-review ", review.id(), " document ", entry.document_id())));
      ++summary_.self_review_steps;
      Progress(absl::StrCat("  self-review ", review.id(), ": document ", entry.document_id(), " ",
                            v1::SelfReviewDecision_Name(decide.decision())));
    }
    // CAT-7: most-requested items are not demo data; a review with any stays open.
    if (review.most_requested_decided_count() < review.most_requested_count()) {
      all_decided = false;
      Progress(absl::StrCat("note: self-review ", review.id(), " lists ",
                            review.most_requested_count(),
                            " most-requested items, which are not demo data; left undecided"));
    }
    if (all_decided) {
      v1::CompleteSelfReviewRequest complete;
      complete.set_id(review.id());
      ASSIGN_OR_RETURN(review, Call(&Stub::CompleteSelfReview, "CompleteSelfReview",
                                    StaffOf(spec.unit), complete, label));
      ++summary_.self_review_steps;
      Progress(absl::StrCat("completed self-review ", review.id()));
    }
  }
  summary_.self_review = absl::StrCat(
      label, " ", absl::StripPrefix(v1::SelfReviewState_Name(review.state()), "SELF_REVIEW_"),
      " (kept ", review.kept_count(), ", converted ", review.converted_count(), ")");
  return absl::OkStatus();
}

}  // namespace gongkai::catalog::demo
