#include "services/catalog/self_review/mysql_self_review_repository.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/db/idempotency.h"
#include "libs/db/transaction.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "services/catalog/catalog_items/mysql_catalog_item_repository.h"
#include "services/catalog/documents/mysql_document_repository.h"
#include "services/catalog/mysql_id_sample.h"

namespace gongkai::catalog::self_review {
namespace {

using db::Connection;
using db::InsertIdempotencyRecord;
using db::Row;
using db::Value;

// Rows per INSERT of a new review's entries: few round trips, statements well below
// max_allowed_packet (a title is at most 500 characters).
constexpr int kEntriesPerInsert = 200;

class MysqlSelfReviewRepository final : public SelfReviewRepository {
 public:
  explicit MysqlSelfReviewRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  absl::StatusOr<v1::SelfReview> CreateSelfReview(const v1::SelfReview& review,
                                                  const IdempotencyKey* key) override {
    v1::SelfReview created = review;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert(
              "INSERT INTO self_reviews (unit_id, year, state, create_time, "
              "most_requested_min_applicants, most_requested_rule, most_requested_rule_version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {Value(review.unit_id()), Value(review.year()),
               Value(static_cast<int>(review.state())), Value(FromTimestamp(review.create_time())),
               Value(review.most_requested_min_applicants()), Value(review.most_requested_rule()),
               Value(review.most_requested_rule_version())}));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      // Entries in multi-row INSERTs of kEntriesPerInsert rows, not one round trip each.
      for (int first = 0; first < review.entries_size(); first += kEntriesPerInsert) {
        const int last = std::min(review.entries_size(), first + kEntriesPerInsert);
        std::string sql =
            "INSERT INTO self_review_entries (review_id, document_id, document_title, "
            "attribute_at_review) VALUES ";
        std::vector<Value> params;
        for (int i = first; i < last; ++i) {
          const v1::SelfReviewEntry& e = review.entries(i);
          absl::StrAppend(&sql, i == first ? "" : ", ", "(?, ?, ?, ?)");
          params.insert(params.end(),
                        {Value(created.id()), Value(e.document_id()), Value(e.document_title()),
                         Value(static_cast<int>(e.attribute_at_review()))});
        }
        RETURN_IF_ERROR(conn.Execute(sql, params).status());
      }
      RETURN_IF_ERROR(InsertMostRequested(conn, created.id(), review.most_requested()));
      created.clear_entries();
      created.set_entry_count(review.entries_size());
      created.clear_most_requested();
      created.set_most_requested_count(review.most_requested_size());
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(),
                                     FromTimestamp(review.create_time()));
    }));
    return created;
  }

  absl::StatusOr<std::vector<v1::IncompleteSelfReview>> ListIncompleteSelfReviews(
      int year, int64_t after_unit_id, int limit) override {
    // CAT-7: every unit without a completed review of the year (uk_self_reviews_unit_year
    // makes the join one row per unit); keyset on the units' primary key.
    const std::string sql = absl::StrCat(
        "SELECT u.id, u.code, u.name, COALESCE(r.id, 0) AS review_id, "
        "COALESCE(r.state, 0) AS review_state FROM units u "
        "LEFT JOIN self_reviews r ON r.unit_id = u.id AND r.year = ? "
        "WHERE u.id > ? AND (r.id IS NULL OR r.state <> ?) ORDER BY u.id LIMIT ",
        std::max(1, limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(sql, {Value(year), Value(after_unit_id),
                                       Value(static_cast<int>(v1::SELF_REVIEW_COMPLETED))}));
    std::vector<v1::IncompleteSelfReview> out;
    for (const Row& row : rows) {
      v1::IncompleteSelfReview u;
      ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(std::string code, row.GetString("code"));
      ASSIGN_OR_RETURN(std::string name, row.GetString("name"));
      ASSIGN_OR_RETURN(int64_t review_id, row.GetInt64("review_id"));
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("review_state"));
      u.set_unit_id(id);
      u.set_unit_code(std::move(code));
      u.set_unit_name(std::move(name));
      u.set_self_review_id(review_id);
      u.set_state(static_cast<v1::SelfReviewState>(state));
      out.push_back(std::move(u));
    }
    return out;
  }

  absl::StatusOr<v1::SelfReview> GetSelfReview(int64_t id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return LoadSelfReview(*conn, id);
  }

  absl::StatusOr<std::vector<v1::SelfReviewEntry>> ListSelfReviewEntries(int64_t review_id,
                                                                         int64_t after_document_id,
                                                                         int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kEntrySelect,
                                              " WHERE review_id = ? AND document_id > ? "
                                              "ORDER BY document_id LIMIT ",
                                              std::max(1, limit)),
                                 {Value(review_id), Value(after_document_id)}));
    std::vector<v1::SelfReviewEntry> out;
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(v1::SelfReviewEntry e, EntryFromRow(row));
      out.push_back(std::move(e));
    }
    return out;
  }

  absl::StatusOr<v1::SelfReviewEntry> GetSelfReviewEntry(int64_t review_id,
                                                         int64_t document_id) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(absl::StrCat(kEntrySelect, " WHERE review_id = ? AND document_id = ?"),
                    {Value(review_id), Value(document_id)}));
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("document ", document_id, " is not part of self-review ", review_id));
    }
    return EntryFromRow(rows[0]);
  }

  absl::StatusOr<std::vector<int64_t>> ListUndecidedDocumentIds(int64_t review_id,
                                                                int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT document_id FROM self_review_entries "
                                              "WHERE review_id = ? AND decision = 0 "
                                              "ORDER BY document_id LIMIT ",
                                              std::max(1, limit)),
                                 {Value(review_id)}));
    std::vector<int64_t> out;
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t id, row.GetInt64(0));
      out.push_back(id);
    }
    return out;
  }

  absl::StatusOr<v1::SelfReview> DecideSelfReviewEntry(
      int64_t review_id, const v1::SelfReviewEntry& entry,
      const std::optional<documents::DocumentChange>& converted) override {
    v1::SelfReview result;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      RETURN_IF_ERROR(LockOpenReview(conn, review_id));
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute("UPDATE self_review_entries SET decision = ?, reason = ?, decided_by = ?, "
                       "decide_time = ? WHERE review_id = ? AND document_id = ? AND decision = 0",
                       {Value(static_cast<int>(entry.decision())), Value(entry.reason()),
                        Value(entry.decided_by()), Value(FromTimestamp(entry.decide_time())),
                        Value(review_id), Value(entry.document_id())}));
      if (r.affected_rows == 0) {
        return absl::FailedPreconditionError(absl::StrCat("document ", entry.document_id(),
                                                          " of self-review ", review_id,
                                                          " is not there or was already decided"));
      }
      if (converted.has_value()) {
        RETURN_IF_ERROR(documents::WriteDocumentConversion(conn, *converted));
      }
      ASSIGN_OR_RETURN(result, LoadSelfReview(conn, review_id));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<std::vector<v1::MostRequestedInformation>> ListMostRequested(int64_t review_id,
                                                                              int after_item,
                                                                              int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat(kMostRequestedSelect,
                                              " WHERE review_id = ? AND item_number > ? "
                                              "ORDER BY item_number LIMIT ",
                                              std::max(1, limit)),
                                 {Value(review_id), Value(after_item)}));
    std::vector<v1::MostRequestedInformation> out;
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(v1::MostRequestedInformation item, MostRequestedFromRow(row));
      out.push_back(std::move(item));
    }
    return out;
  }

  absl::StatusOr<v1::MostRequestedInformation> GetMostRequested(int64_t review_id,
                                                                int item_number) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(absl::StrCat(kMostRequestedSelect, " WHERE review_id = ? AND item_number = ?"),
                    {Value(review_id), Value(item_number)}));
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("self-review ", review_id, " has no most-requested item ", item_number));
    }
    return MostRequestedFromRow(rows[0]);
  }

  absl::StatusOr<std::vector<v1::MostRequestedInformation>> ListUndecidedMostRequested(
      int64_t review_id, int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query(absl::StrCat("SELECT item_number, subject FROM "
                                              "self_review_most_requested WHERE review_id = ? "
                                              "AND decision = 0 ORDER BY item_number LIMIT ",
                                              std::max(1, limit)),
                                 {Value(review_id)}));
    std::vector<v1::MostRequestedInformation> out;
    for (const Row& row : rows) {
      v1::MostRequestedInformation item;
      ASSIGN_OR_RETURN(int64_t number, row.GetInt64("item_number"));
      item.set_item_number(static_cast<int32_t>(number));
      ASSIGN_OR_RETURN(std::string subject, row.GetString("subject"));
      item.set_subject(std::move(subject));
      out.push_back(std::move(item));
    }
    return out;
  }

  absl::StatusOr<v1::SelfReview> DecideMostRequested(
      int64_t review_id, const MostRequestedDecisionWrite& write) override {
    v1::SelfReview result;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      // A retried transaction starts again from the caller's item (the ids created by an
      // attempt that rolled back are gone).
      v1::MostRequestedInformation item = write.item;
      RETURN_IF_ERROR(LockOpenReview(conn, review_id));
      // CAT-7: the conversion and the creations first, so a stale document (ABORTED)
      // leaves the item undecided; everything commits together or not at all.
      if (write.conversion.has_value()) {
        RETURN_IF_ERROR(documents::WriteDocumentConversion(conn, *write.conversion));
      }
      if (write.new_catalog_item.has_value()) {
        ASSIGN_OR_RETURN(int64_t created,
                         catalog_items::InsertCatalogItem(conn, *write.new_catalog_item));
        item.set_catalog_item_id(created);
      }
      if (write.new_document.has_value()) {
        ASSIGN_OR_RETURN(int64_t created, documents::InsertNewDocument(conn, *write.new_document));
        item.set_document_id(created);
      }
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.Execute(
              "UPDATE self_review_most_requested SET decision = ?, reason = ?, "
              "catalog_item_id = ?, document_id = ?, document_action = ?, "
              "catalog_item_created = ?, decided_by = ?, decide_time = ? "
              "WHERE review_id = ? AND item_number = ? AND decision = 0",
              {Value(static_cast<int>(item.decision())), Value(item.reason()),
               Value(item.catalog_item_id()), Value(item.document_id()),
               Value(static_cast<int>(item.document_action())), Value(item.catalog_item_created()),
               Value(item.decided_by()), Value(FromTimestamp(item.decide_time())), Value(review_id),
               Value(item.item_number())}));
      if (r.affected_rows == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("most-requested item ", item.item_number(), " of self-review ", review_id,
                         " is not there or was already decided"));
      }
      ASSIGN_OR_RETURN(result, LoadSelfReview(conn, review_id));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<v1::SelfReview> CompleteSelfReview(int64_t review_id, absl::Time when) override {
    v1::SelfReview result;
    RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](Connection& conn) -> absl::Status {
      RETURN_IF_ERROR(LockOpenReview(conn, review_id));
      ASSIGN_OR_RETURN(db::ResultSet undecided,
                       conn.Query("SELECT COUNT(*) FROM self_review_entries WHERE review_id = ? "
                                  "AND decision = 0",
                                  {Value(review_id)}));
      ASSIGN_OR_RETURN(int64_t open_entries, undecided[0].GetInt64(0));
      if (open_entries > 0) {
        return absl::FailedPreconditionError(
            absl::StrCat(open_entries, " entries of self-review ", review_id, " are undecided"));
      }
      // CAT-7: and every most-requested item.
      ASSIGN_OR_RETURN(db::ResultSet undecided_items,
                       conn.Query("SELECT COUNT(*) FROM self_review_most_requested "
                                  "WHERE review_id = ? AND decision = 0",
                                  {Value(review_id)}));
      ASSIGN_OR_RETURN(int64_t open_items, undecided_items[0].GetInt64(0));
      if (open_items > 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            open_items, " most-requested items of self-review ", review_id, " are undecided"));
      }
      RETURN_IF_ERROR(conn.Execute("UPDATE self_reviews SET state = ?, complete_time = ? "
                                   "WHERE id = ?",
                                   {Value(static_cast<int>(v1::SELF_REVIEW_COMPLETED)), Value(when),
                                    Value(review_id)})
                          .status());
      ASSIGN_OR_RETURN(result, LoadSelfReview(conn, review_id));
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<SelfReviewEvidence> EvidenceForUnit(int64_t unit_id, int first_year, int last_year,
                                                     absl::Time start, absl::Time end) override {
    SelfReviewEvidence e;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT id, year, state FROM self_reviews WHERE unit_id = ? "
                                 "AND year >= ? AND year <= ? ORDER BY year",
                                 {Value(unit_id), Value(first_year), Value(last_year)}));
    for (const Row& row : rows) {
      SelfReviewOfYear review;
      ASSIGN_OR_RETURN(review.id, row.GetInt64("id"));
      ASSIGN_OR_RETURN(int64_t year, row.GetInt64("year"));
      review.year = static_cast<int>(year);
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64("state"));
      review.completed = state == v1::SELF_REVIEW_COMPLETED;
      e.reviews.push_back(review);
    }
    ASSIGN_OR_RETURN(
        e.conversions,
        QueryIdSample(*conn, "c.document_id",
                      "FROM (SELECT e.document_id FROM self_reviews r JOIN self_review_entries e "
                      "ON e.review_id = r.id WHERE r.unit_id = ? AND e.decision = ? "
                      "AND e.decide_time >= ? AND e.decide_time < ? UNION ALL "
                      "SELECT m.document_id FROM self_reviews r JOIN self_review_most_requested m "
                      "ON m.review_id = r.id WHERE r.unit_id = ? AND m.document_action = ? "
                      "AND m.decide_time >= ? AND m.decide_time < ?) c",
                      {Value(unit_id), Value(static_cast<int>(v1::CONVERT_TO_PROACTIVE)),
                       Value(start), Value(end), Value(unit_id),
                       Value(static_cast<int>(v1::DOCUMENT_CONVERTED)), Value(start), Value(end)}));
    return e;
  }

 private:
  static constexpr char kMostRequestedSelect[] =
      "SELECT item_number, group_key, subject, request_count, applicant_count, "
      "already_public_document_id, already_public_reference, details, decision, reason, "
      "catalog_item_id, document_id, document_action, catalog_item_created, decided_by, "
      "decide_time FROM self_review_most_requested";

  // CAT-7: a new review's most-requested items, in multi-row INSERTs; the group's other
  // wordings and request ids go in `details`.
  static absl::Status InsertMostRequested(
      Connection& conn, int64_t review_id,
      const google::protobuf::RepeatedPtrField<v1::MostRequestedInformation>& items) {
    for (int first = 0; first < items.size(); first += kEntriesPerInsert) {
      const int last = std::min(items.size(), first + kEntriesPerInsert);
      std::string sql =
          "INSERT INTO self_review_most_requested (review_id, item_number, group_key, subject, "
          "request_count, applicant_count, already_public_document_id, "
          "already_public_reference, details) VALUES ";
      std::vector<Value> params;
      for (int i = first; i < last; ++i) {
        const v1::MostRequestedInformation& m = items.Get(i);
        v1::MostRequestedInformation details;
        *details.mutable_other_subjects() = m.other_subjects();
        *details.mutable_request_ids() = m.request_ids();
        absl::StrAppend(&sql, i == first ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?, ?, ?)");
        params.insert(params.end(),
                      {Value(review_id), Value(m.item_number()), Value(m.group_key()),
                       Value(m.subject()), Value(m.request_count()), Value(m.applicant_count()),
                       Value(m.already_public_document_id()), Value(m.already_public_reference()),
                       Value(details.SerializeAsString())});
      }
      RETURN_IF_ERROR(conn.Execute(sql, params).status());
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<v1::MostRequestedInformation> MostRequestedFromRow(const Row& row) {
    v1::MostRequestedInformation m;
    ASSIGN_OR_RETURN(std::optional<std::string> details, row.GetOptionalString("details"));
    if (details.has_value() && !m.ParseFromString(*details)) {
      return absl::DataLossError("self_review_most_requested.details does not parse");
    }
    ASSIGN_OR_RETURN(int64_t number, row.GetInt64("item_number"));
    m.set_item_number(static_cast<int32_t>(number));
    ASSIGN_OR_RETURN(std::string key, row.GetString("group_key"));
    m.set_group_key(std::move(key));
    ASSIGN_OR_RETURN(std::string subject, row.GetString("subject"));
    m.set_subject(std::move(subject));
    ASSIGN_OR_RETURN(int64_t requests, row.GetInt64("request_count"));
    m.set_request_count(static_cast<int32_t>(requests));
    ASSIGN_OR_RETURN(int64_t applicants, row.GetInt64("applicant_count"));
    m.set_applicant_count(static_cast<int32_t>(applicants));
    ASSIGN_OR_RETURN(int64_t public_document, row.GetInt64("already_public_document_id"));
    m.set_already_public_document_id(public_document);
    ASSIGN_OR_RETURN(std::string reference, row.GetString("already_public_reference"));
    m.set_already_public_reference(std::move(reference));
    ASSIGN_OR_RETURN(int64_t decision, row.GetInt64("decision"));
    m.set_decision(static_cast<v1::MostRequestedDecision>(decision));
    ASSIGN_OR_RETURN(std::string reason, row.GetString("reason"));
    m.set_reason(std::move(reason));
    ASSIGN_OR_RETURN(int64_t item_id, row.GetInt64("catalog_item_id"));
    m.set_catalog_item_id(item_id);
    ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("document_id"));
    m.set_document_id(document_id);
    ASSIGN_OR_RETURN(int64_t action, row.GetInt64("document_action"));
    m.set_document_action(static_cast<v1::MostRequestedDocumentAction>(action));
    ASSIGN_OR_RETURN(bool item_created, row.GetBool("catalog_item_created"));
    m.set_catalog_item_created(item_created);
    ASSIGN_OR_RETURN(std::string decided_by, row.GetString("decided_by"));
    m.set_decided_by(std::move(decided_by));
    ASSIGN_OR_RETURN(std::optional<absl::Time> decided, row.GetOptionalTime("decide_time"));
    if (decided.has_value()) *m.mutable_decide_time() = ToTimestamp(*decided);
    return m;
  }

  static constexpr char kEntrySelect[] =
      "SELECT document_id, document_title, attribute_at_review, decision, reason, "
      "decided_by, decide_time FROM self_review_entries";

  static absl::StatusOr<v1::SelfReviewEntry> EntryFromRow(const Row& row) {
    v1::SelfReviewEntry e;
    ASSIGN_OR_RETURN(int64_t document_id, row.GetInt64("document_id"));
    e.set_document_id(document_id);
    ASSIGN_OR_RETURN(std::string title, row.GetString("document_title"));
    e.set_document_title(std::move(title));
    ASSIGN_OR_RETURN(int64_t attribute, row.GetInt64("attribute_at_review"));
    e.set_attribute_at_review(static_cast<v1::DisclosureAttribute>(attribute));
    ASSIGN_OR_RETURN(int64_t decision, row.GetInt64("decision"));
    e.set_decision(static_cast<v1::SelfReviewDecision>(decision));
    ASSIGN_OR_RETURN(std::string reason, row.GetString("reason"));
    e.set_reason(std::move(reason));
    ASSIGN_OR_RETURN(std::string decided_by, row.GetString("decided_by"));
    e.set_decided_by(std::move(decided_by));
    ASSIGN_OR_RETURN(std::optional<absl::Time> decided, row.GetOptionalTime("decide_time"));
    if (decided.has_value()) *e.mutable_decide_time() = ToTimestamp(*decided);
    return e;
  }

  static absl::Status LockOpenReview(Connection& conn, int64_t review_id) {
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn.Query("SELECT state FROM self_reviews WHERE id = ? FOR UPDATE", {Value(review_id)}));
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("self-review ", review_id, " not found"));
    }
    ASSIGN_OR_RETURN(int64_t state, rows[0].GetInt64(0));
    if (state != v1::SELF_REVIEW_OPEN) {
      return absl::FailedPreconditionError(
          absl::StrCat("self-review ", review_id, " is already completed"));
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<v1::SelfReview> LoadSelfReview(Connection& conn, int64_t id) {
    ASSIGN_OR_RETURN(db::ResultSet head,
                     conn.Query("SELECT id, unit_id, year, state, create_time, complete_time, "
                                "most_requested_min_applicants, most_requested_rule, "
                                "most_requested_rule_version FROM self_reviews WHERE id = ?",
                                {Value(id)}));
    if (head.empty()) return absl::NotFoundError(absl::StrCat("self-review ", id, " not found"));
    v1::SelfReview review;
    review.set_id(id);
    ASSIGN_OR_RETURN(int64_t unit, head[0].GetInt64("unit_id"));
    review.set_unit_id(unit);
    ASSIGN_OR_RETURN(int64_t year, head[0].GetInt64("year"));
    review.set_year(static_cast<int32_t>(year));
    ASSIGN_OR_RETURN(int64_t state, head[0].GetInt64("state"));
    review.set_state(static_cast<v1::SelfReviewState>(state));
    ASSIGN_OR_RETURN(absl::Time created, head[0].GetTime("create_time"));
    *review.mutable_create_time() = ToTimestamp(created);
    ASSIGN_OR_RETURN(std::optional<absl::Time> completed, head[0].GetOptionalTime("complete_time"));
    if (completed.has_value()) *review.mutable_complete_time() = ToTimestamp(*completed);
    // Issue 16 defect 7: counts over every entry; the entries themselves are paged
    // (ListSelfReviewEntries).
    ASSIGN_OR_RETURN(
        db::ResultSet counts,
        conn.Query("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN decision <> 0 THEN 1 ELSE 0 "
                   "END), 0) AS decided, "
                   "COALESCE(SUM(CASE WHEN decision = ? THEN 1 ELSE 0 END), 0) AS kept, "
                   "COALESCE(SUM(CASE WHEN decision = ? THEN 1 ELSE 0 END), 0) AS converted "
                   "FROM self_review_entries WHERE review_id = ?",
                   {Value(static_cast<int>(v1::KEEP)),
                    Value(static_cast<int>(v1::CONVERT_TO_PROACTIVE)), Value(id)}));
    ASSIGN_OR_RETURN(int64_t total, counts[0].GetInt64("total"));
    ASSIGN_OR_RETURN(int64_t decided, counts[0].GetInt64("decided"));
    ASSIGN_OR_RETURN(int64_t kept, counts[0].GetInt64("kept"));
    ASSIGN_OR_RETURN(int64_t converted, counts[0].GetInt64("converted"));
    review.set_entry_count(static_cast<int32_t>(total));
    review.set_decided_count(static_cast<int32_t>(decided));
    review.set_kept_count(static_cast<int32_t>(kept));
    review.set_converted_count(static_cast<int32_t>(converted));
    // CAT-7: the most-requested items' counts and the rule the list was built with.
    ASSIGN_OR_RETURN(int64_t min_applicants, head[0].GetInt64("most_requested_min_applicants"));
    review.set_most_requested_min_applicants(static_cast<int32_t>(min_applicants));
    ASSIGN_OR_RETURN(std::string rule, head[0].GetString("most_requested_rule"));
    review.set_most_requested_rule(std::move(rule));
    ASSIGN_OR_RETURN(std::string rule_version, head[0].GetString("most_requested_rule_version"));
    review.set_most_requested_rule_version(std::move(rule_version));
    ASSIGN_OR_RETURN(
        db::ResultSet items,
        conn.Query("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN decision <> 0 THEN 1 ELSE 0 "
                   "END), 0) AS decided, "
                   "COALESCE(SUM(CASE WHEN decision = ? THEN 1 ELSE 0 END), 0) AS disclosed, "
                   "COALESCE(SUM(CASE WHEN decision = ? THEN 1 ELSE 0 END), 0) AS kept "
                   "FROM self_review_most_requested WHERE review_id = ?",
                   {Value(static_cast<int>(v1::DISCLOSE_PROACTIVELY)),
                    Value(static_cast<int>(v1::KEEP_ON_REQUEST)), Value(id)}));
    ASSIGN_OR_RETURN(int64_t items_total, items[0].GetInt64("total"));
    ASSIGN_OR_RETURN(int64_t items_decided, items[0].GetInt64("decided"));
    ASSIGN_OR_RETURN(int64_t items_disclosed, items[0].GetInt64("disclosed"));
    ASSIGN_OR_RETURN(int64_t items_kept, items[0].GetInt64("kept"));
    review.set_most_requested_count(static_cast<int32_t>(items_total));
    review.set_most_requested_decided_count(static_cast<int32_t>(items_decided));
    review.set_most_requested_disclosed_count(static_cast<int32_t>(items_disclosed));
    review.set_most_requested_kept_count(static_cast<int32_t>(items_kept));
    return review;
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<SelfReviewRepository> NewMysqlSelfReviewRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlSelfReviewRepository>(pool);
}

}  // namespace gongkai::catalog::self_review
