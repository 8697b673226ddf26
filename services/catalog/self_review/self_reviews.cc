#include "services/catalog/self_review/self_reviews.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/policy.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pagination/page_token.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/catalog_rules.h"

namespace gongkai::catalog::self_review {

using auth::Principal;
using validation::CheckEnum;
using validation::CheckId;
using validation::CheckRequestId;
using validation::CheckText;

absl::CivilDay SelfReviews::Today() const { return calendar::TodayInShanghai(*clock_); }

namespace {

// Issue 16 defect 7: undisclosed documents are read in keyset batches of this size when
// a review starts; the undecided documents a refused completion names are capped too.
constexpr int kDocumentBatch = 500;
constexpr int kUndecidedNamed = 20;

std::string EntriesFingerprint(int64_t review_id) {
  return absl::StrCat("self-review-entries:", review_id);
}

}  // namespace

// Issue 16 defect 7: the review's entries are one keyset page (by document id); the
// token is bound to the review. The counts come whole from the repository.
absl::Status SelfReviews::AttachEntries(v1::SelfReview& review, int requested_page_size,
                                        absl::string_view page_token) const {
  const std::string fingerprint = EntriesFingerprint(review.id());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(page_token, fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(requested_page_size));
  ASSIGN_OR_RETURN(std::vector<v1::SelfReviewEntry> entries,
                   repository_->ListSelfReviewEntries(review.id(), after, page_size + 1));
  review.set_next_page_token(
      pagination::TrimPage(entries, page_size, fingerprint,
                           [](const v1::SelfReviewEntry& e) { return e.document_id(); }));
  review.clear_entries();
  for (v1::SelfReviewEntry& e : entries) *review.add_entries() = std::move(e);
  RETURN_IF_ERROR(AttachMostRequested(review));  // CAT-7
  return absl::OkStatus();
}

absl::StatusOr<v1::SelfReview> SelfReviews::StartSelfReview(
    const Principal& caller, const v1::StartSelfReviewRequest& request) {
  FieldViolations v;
  CheckId(v, "unit_id", request.unit_id(), true);
  const int this_year = Today().year();
  if (request.year() < 2008 || request.year() > this_year) {
    v.Add("year", absl::StrCat("must be from 2008 to ", this_year));
  }
  CheckRequestId(v, "request_id", request.request_id());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(auth::Require(caller, kSelfReview, request.unit_id()));
  absl::StatusOr<v1::Unit> unit = units_->GetUnit(request.unit_id());
  if (unit.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField("unit_id", absl::StrCat("unit ", request.unit_id(), " does not exist"));
  }
  RETURN_IF_ERROR(unit.status());
  const IdempotencyKey key = KeyFor(caller, "StartSelfReview", request.request_id(), request);
  ASSIGN_OR_RETURN(std::optional<v1::SelfReview> replay,
                   idempotency::Replay<v1::SelfReview>(*repository_, key));
  if (replay.has_value()) return *std::move(replay);
  v1::SelfReview review;
  review.set_unit_id(request.unit_id());
  review.set_year(request.year());
  review.set_state(v1::SELF_REVIEW_OPEN);
  *review.mutable_create_time() = ToTimestamp(clock_->Now());
  // CAT-7: the year's most-requested information, stored with the review to be decided.
  if (most_requested_) {
    ASSIGN_OR_RETURN(MostRequestedList list, most_requested_(request.unit_id(), request.year()));
    review.set_most_requested_min_applicants(list.min_applicants);
    review.set_most_requested_rule(std::move(list.rule));
    review.set_most_requested_rule_version(std::move(list.rule_version));
    int number = 0;
    for (v1::MostRequestedInformation& item : list.items) {
      item.set_item_number(++number);
      *review.add_most_requested() = std::move(item);
    }
  }
  // Issue 16 defect 7: the unit's undisclosed documents in keyset batches, never one
  // unbounded read.
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(
        std::vector<v1::Document> batch,
        documents_->ListUndisclosedDocuments(request.unit_id(), after, kDocumentBatch));
    for (const v1::Document& d : batch) {
      v1::SelfReviewEntry* entry = review.add_entries();
      entry->set_document_id(d.id());
      entry->set_document_title(d.title());
      entry->set_attribute_at_review(d.disclosure_attribute());
    }
    if (static_cast<int>(batch.size()) < kDocumentBatch) break;
    after = batch.back().id();
  }
  absl::StatusOr<v1::SelfReview> created =
      repository_->CreateSelfReview(review, idempotency::StoredKey(key));
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    ASSIGN_OR_RETURN(std::optional<v1::SelfReview> winner,
                     idempotency::Replay<v1::SelfReview>(*repository_, key));
    if (winner.has_value()) return *std::move(winner);
    return absl::AlreadyExistsError(absl::StrCat(
        "unit ", request.unit_id(), " already has a self-review for ", request.year()));
  }
  ASSIGN_OR_RETURN(v1::SelfReview stored, std::move(created));
  RETURN_IF_ERROR(AttachEntries(stored, 0, ""));
  return stored;
}

absl::StatusOr<v1::SelfReview> SelfReviews::GetSelfReview(const Principal& caller,
                                                          const v1::GetSelfReviewRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::SelfReview review, repository_->GetSelfReview(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kReadInternal, review.unit_id()));
  RETURN_IF_ERROR(AttachEntries(review, request.page_size(), request.page_token()));
  return review;
}

absl::StatusOr<v1::SelfReview> SelfReviews::DecideSelfReviewEntry(
    const Principal& caller, const v1::DecideSelfReviewEntryRequest& request) {
  FieldViolations v;
  CheckId(v, "review_id", request.review_id(), true);
  CheckId(v, "document_id", request.document_id(), true);
  CheckEnum(v, "decision", request.decision(), v1::SelfReviewDecision_IsValid, true);
  CheckText(v, "reason", request.reason(),
            request.decision() == v1::KEEP ? kRequiredReasonLimits : kReasonLimits);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::SelfReview review, repository_->GetSelfReview(request.review_id()));
  RETURN_IF_ERROR(auth::Require(caller, kSelfReview, review.unit_id()));
  if (review.state() != v1::SELF_REVIEW_OPEN) {
    return PreconditionFailed("STATE", absl::StrCat("self-reviews/", review.id()),
                              "the self-review is completed; decisions can no longer change");
  }
  ASSIGN_OR_RETURN(const v1::SelfReviewEntry found_entry,
                   repository_->GetSelfReviewEntry(review.id(), request.document_id()));
  const v1::SelfReviewEntry* found = &found_entry;
  if (found->decision() != v1::SELF_REVIEW_DECISION_UNSPECIFIED) {
    return PreconditionFailed(
        "DECIDED", absl::StrCat("self-reviews/", review.id(), "/entries/", request.document_id()),
        absl::StrCat("document ", request.document_id(),
                     " was already decided: ", v1::SelfReviewDecision_Name(found->decision())));
  }
  const absl::Time now = clock_->Now();
  v1::SelfReviewEntry entry = *found;
  entry.set_decision(request.decision());
  entry.set_reason(request.reason());
  entry.set_decided_by(caller.subject);
  *entry.mutable_decide_time() = ToTimestamp(now);
  std::optional<documents::DocumentChange> change;
  if (request.decision() == v1::CONVERT_TO_PROACTIVE) {
    // CAT-7: the converted document becomes PROACTIVE and goes through the
    // confidentiality review and publication again; NAT-4 counts its 20 working days
    // from the change. The documents module decides whether it still can be converted.
    ASSIGN_OR_RETURN(change, documents_->PrepareConversionToProactive(
                                 caller, request.document_id(), review.unit_id(),
                                 absl::StrCat("self-review ", review.id(), " (", review.year(),
                                              "): converted to PROACTIVE. ", request.reason()),
                                 now));
  }
  ASSIGN_OR_RETURN(v1::SelfReview updated,
                   repository_->DecideSelfReviewEntry(review.id(), entry, change));
  if (change.has_value() && observer_ != nullptr) observer_->SelfReviewConversion();
  RETURN_IF_ERROR(AttachEntries(updated, 0, ""));
  return updated;
}

absl::StatusOr<v1::SelfReview> SelfReviews::CompleteSelfReview(
    const Principal& caller, const v1::CompleteSelfReviewRequest& request) {
  FieldViolations v;
  CheckId(v, "id", request.id(), true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(v1::SelfReview review, repository_->GetSelfReview(request.id()));
  RETURN_IF_ERROR(auth::Require(caller, kSelfReview, review.unit_id()));
  if (review.state() != v1::SELF_REVIEW_OPEN) {
    return PreconditionFailed("STATE", absl::StrCat("self-reviews/", review.id()),
                              "the self-review is already completed");
  }
  // CAT-7: every most-requested item needs its decision too; named first (a handful).
  const int undecided_items = review.most_requested_count() - review.most_requested_decided_count();
  if (undecided_items > 0) {
    ASSIGN_OR_RETURN(std::vector<v1::MostRequestedInformation> undecided,
                     repository_->ListUndecidedMostRequested(review.id(), kUndecidedNamed));
    std::vector<std::string> named;
    for (const v1::MostRequestedInformation& item : undecided) {
      named.push_back(absl::StrCat(item.item_number(), " \"", item.subject(), "\""));
    }
    std::string more;
    if (undecided_items > static_cast<int>(undecided.size())) {
      more = absl::StrCat(" and ", undecided_items - static_cast<int>(undecided.size()), " more");
    }
    return PreconditionFailed(
        "UNDECIDED_MOST_REQUESTED", absl::StrCat("self-reviews/", review.id()),
        absl::StrCat("every most-requested item needs a decision first (CAT-7); undecided "
                     "items: ",
                     absl::StrJoin(named, ", "), more));
  }
  const int undecided_count = review.entry_count() - review.decided_count();
  if (undecided_count > 0) {
    ASSIGN_OR_RETURN(std::vector<int64_t> undecided,
                     repository_->ListUndecidedDocumentIds(review.id(), kUndecidedNamed));
    std::string more;
    if (undecided_count > static_cast<int>(undecided.size())) {
      more = absl::StrCat(" and ", undecided_count - static_cast<int>(undecided.size()), " more");
    }
    return PreconditionFailed(
        "UNDECIDED", absl::StrCat("self-reviews/", review.id()),
        absl::StrCat("every entry needs a decision first; undecided documents: ",
                     absl::StrJoin(undecided, ", "), more));
  }
  ASSIGN_OR_RETURN(v1::SelfReview completed,
                   repository_->CompleteSelfReview(review.id(), clock_->Now()));
  RETURN_IF_ERROR(AttachEntries(completed, 0, ""));
  return completed;
}

absl::StatusOr<v1::ListIncompleteSelfReviewsResponse> SelfReviews::ListIncompleteSelfReviews(
    const Principal& caller, const v1::ListIncompleteSelfReviewsRequest& request) {
  RETURN_IF_ERROR(auth::Require(caller, kSuperviseSelfReviews));
  FieldViolations v;
  const int this_year = Today().year();
  if (request.year() < 2008 || request.year() > this_year) {
    v.Add("year", absl::StrCat("must be from 2008 to ", this_year));
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string fingerprint = absl::StrCat("incomplete-self-reviews:", request.year());
  ASSIGN_OR_RETURN(int64_t after, pagination::DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(int page_size, pagination::ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::vector<v1::IncompleteSelfReview> units,
                   repository_->ListIncompleteSelfReviews(request.year(), after, page_size + 1));
  v1::ListIncompleteSelfReviewsResponse response;
  response.set_next_page_token(
      pagination::TrimPage(units, page_size, fingerprint,
                           [](const v1::IncompleteSelfReview& u) { return u.unit_id(); }));
  for (v1::IncompleteSelfReview& u : units) *response.add_units() = std::move(u);
  return response;
}

}  // namespace gongkai::catalog::self_review
