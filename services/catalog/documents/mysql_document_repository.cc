#include "services/catalog/documents/mysql_document_repository.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/db/idempotency.h"
#include "libs/db/map_rows.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"
#include "services/catalog/documents/search_terms.h"
#include "services/catalog/mysql_id_sample.h"
#include "services/catalog/mysql_keyset.h"

namespace gongkai::catalog::documents {
namespace {

using db::Connection;
using db::InsertIdempotencyRecord;
using db::MapRows;
using db::Row;
using db::StaleVersionError;
using db::Value;

// What every document SELECT reads (DocumentSelect), and DocumentFromRow maps by
// position. Connector/C++ 1.1 costs several hundred instructions per cell read (each
// getter looks the column's type up again), so the NOT NULL numbers travel together as
// one text cell, "n0,n1,...", in the order of kNumberColumns (portable CONCAT_WS), and
// DATETIME columns as microseconds since the epoch, DATE columns as days since it
// (portable TIMESTAMPDIFF / DATEDIFF; the session time zone is UTC and a DATETIME is not
// converted anyway): the driver would otherwise print them as text to be parsed back.
// Together that was a third of a list page's CPU in the service.
constexpr const char* kNumberColumns[] = {"id",
                                          "drafting_unit_id",
                                          "issuing_authority",
                                          "is_policy_document",
                                          "key_area",
                                          "category_id",
                                          "disclosure_attribute",
                                          "publication_limit_working_days",
                                          "state",
                                          "review_outcome",
                                          "version",
                                          "create_time",   // As microseconds.
                                          "update_time"};  // As microseconds.
enum NumberPosition {
  kId,
  kDraftingUnitId,
  kIssuingAuthority,
  kIsPolicyDocument,
  kKeyArea,
  kCategoryId,
  kDisclosureAttribute,
  kPublicationLimitWorkingDays,
  kState,
  kReviewOutcome,
  kVersion,
  kCreateTime,
  kUpdateTime,
  kNumberCount
};
static_assert(std::size(kNumberColumns) == kNumberCount, "positions must follow kNumberColumns");

// Cells of a row of DocumentSelect.
enum CellPosition {
  kNumbers,      // kNumberColumns, comma-separated.
  kPublishTime,  // Microseconds, NULL until published.
  kRepealedOn,   // Days, NULL while in force.
  kTitle,
  kDocumentNumber,
  kNondisclosureReason,
  kLegalBasis,
  kReturnCause,
  kReviewNote,
  kReviewer,
  kPublicationDeadline,
  kCreatedBy,
  kRepealingDocument,
  kRepealReason,
  kBody,  // Last: the body or '' AS body.
  kCellCount
};

std::string BuildDocumentSelect(bool with_body, absl::string_view alias) {
  auto micros = [&](absl::string_view column) {
    return absl::StrCat("TIMESTAMPDIFF(MICROSECOND, '1970-01-01', ", alias, column, ")");
  };
  std::string numbers;
  for (int i = 0; i < kNumberCount; ++i) {
    absl::StrAppend(&numbers, i == 0 ? "" : ", ",
                    i == kCreateTime || i == kUpdateTime ? micros(kNumberColumns[i])
                                                         : absl::StrCat(alias, kNumberColumns[i]));
  }
  return absl::StrCat(
      "CONCAT_WS(',', ", numbers, ") AS numbers, ", micros("publish_time"), " AS publish_time, ",
      "DATEDIFF(", alias, "repealed_on, '1970-01-01') AS repealed_on, ",
      absl::StrJoin(
          {"title", "document_number", "nondisclosure_reason", "legal_basis", "return_cause",
           "review_note", "reviewer", "publication_deadline", "created_by", "repealing_document",
           "repeal_reason"},
          ", ",
          [&](std::string* out, absl::string_view column) { absl::StrAppend(out, alias, column); }),
      ", ", with_body ? absl::StrCat(alias, "body") : "'' AS body");
}

// Built once per form: every list page and search used to assemble it.
// `qualified`: the columns as "d.<column>", for queries that join documents as d.
const std::string& DocumentSelect(bool with_body, bool qualified = false) {
  static const std::string* const forms[2][2] = {
      {new std::string(BuildDocumentSelect(false, "")),
       new std::string(BuildDocumentSelect(true, ""))},
      {new std::string(BuildDocumentSelect(false, "d.")),
       new std::string(BuildDocumentSelect(true, "d."))}};
  return *forms[qualified ? 1 : 0][with_body ? 1 : 0];
}

// The kNumbers cell: exactly kNumberCount decimal integers separated by commas (parsed
// by hand: absl::SimpleAtoi and StrSplit cost more than the driver's cell read saved).
absl::Status ParseNumbers(absl::string_view text, int64_t (&numbers)[kNumberCount]) {
  size_t at = 0;
  for (int i = 0; i < kNumberCount; ++i) {
    const bool negative = at < text.size() && text[at] == '-';
    if (negative) ++at;
    const size_t first_digit = at;
    uint64_t value = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - first_digit < 19) {
      value = value * 10 + static_cast<uint64_t>(text[at] - '0');
      ++at;
    }
    const bool separated =
        i + 1 < kNumberCount ? at < text.size() && text[at] == ',' : at == text.size();
    if (at == first_digit || !separated) {
      return absl::InternalError(absl::StrCat("unreadable document numbers \"", text, "\""));
    }
    numbers[i] = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
    ++at;  // The comma.
  }
  return absl::OkStatus();
}

absl::Time TimeFromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

// A text column into a string field, left unset (no allocation) when empty: most of a
// published document's text columns are.
absl::Status ReadText(const db::RowCursor& row, int column, v1::Document& d,
                      std::string* (v1::Document::*field)()) {
  ASSIGN_OR_RETURN(std::string text, row.GetString(column));
  if (!text.empty()) *(d.*field)() = std::move(text);
  return absl::OkStatus();
}

// Reads a row of DocumentSelect by position, straight from the driver (db::RowCursor),
// moving each string into the message.
absl::StatusOr<v1::Document> DocumentFromRow(const db::RowCursor& row) {
  if (row.size() != kCellCount) {
    return absl::InternalError(
        absl::StrCat("a document row has ", row.size(), " columns, not ", kCellCount));
  }
  int64_t n[kNumberCount];
  {
    ASSIGN_OR_RETURN(std::string numbers, row.GetString(kNumbers));
    RETURN_IF_ERROR(ParseNumbers(numbers, n));
  }
  v1::Document d;
  d.set_id(n[kId]);
  d.set_drafting_unit_id(n[kDraftingUnitId]);
  d.set_issuing_authority(static_cast<v1::IssuingAuthority>(n[kIssuingAuthority]));
  d.set_is_policy_document(n[kIsPolicyDocument] != 0);
  d.set_key_area(static_cast<v1::KeyArea>(n[kKeyArea]));
  d.set_category_id(n[kCategoryId]);
  d.set_disclosure_attribute(static_cast<v1::DisclosureAttribute>(n[kDisclosureAttribute]));
  d.set_publication_limit_working_days(static_cast<int32_t>(n[kPublicationLimitWorkingDays]));
  d.set_state(static_cast<v1::DocumentState>(n[kState]));
  d.set_review_outcome(static_cast<v1::ReviewOutcome>(n[kReviewOutcome]));
  d.set_version(n[kVersion]);
  *d.mutable_create_time() = ToTimestamp(TimeFromMicros(n[kCreateTime]));
  *d.mutable_update_time() = ToTimestamp(TimeFromMicros(n[kUpdateTime]));
  ASSIGN_OR_RETURN(std::optional<int64_t> published, row.GetOptionalInt64(kPublishTime));
  if (published.has_value()) *d.mutable_publish_time() = ToTimestamp(TimeFromMicros(*published));
  ASSIGN_OR_RETURN(std::optional<int64_t> repealed_on, row.GetOptionalInt64(kRepealedOn));
  if (repealed_on.has_value()) {
    *d.mutable_repealed_on() = ToProtoDate(absl::CivilDay(1970, 1, 1) + *repealed_on);
  }
  RETURN_IF_ERROR(ReadText(row, kTitle, d, &v1::Document::mutable_title));
  RETURN_IF_ERROR(ReadText(row, kBody, d, &v1::Document::mutable_body));
  RETURN_IF_ERROR(ReadText(row, kDocumentNumber, d, &v1::Document::mutable_document_number));
  RETURN_IF_ERROR(
      ReadText(row, kNondisclosureReason, d, &v1::Document::mutable_nondisclosure_reason));
  RETURN_IF_ERROR(ReadText(row, kLegalBasis, d, &v1::Document::mutable_legal_basis));
  RETURN_IF_ERROR(ReadText(row, kReturnCause, d, &v1::Document::mutable_return_cause));
  RETURN_IF_ERROR(ReadText(row, kReviewNote, d, &v1::Document::mutable_review_note));
  RETURN_IF_ERROR(ReadText(row, kReviewer, d, &v1::Document::mutable_reviewer));
  ASSIGN_OR_RETURN(std::optional<std::string> deadline,
                   row.GetOptionalString(kPublicationDeadline));
  if (deadline.has_value() && !deadline->empty() &&
      !d.mutable_publication_deadline()->ParseFromString(*deadline)) {
    return absl::InternalError(
        absl::StrCat("document ", d.id(), ": stored deadline is unreadable"));
  }
  RETURN_IF_ERROR(ReadText(row, kCreatedBy, d, &v1::Document::mutable_created_by));
  RETURN_IF_ERROR(ReadText(row, kRepealingDocument, d, &v1::Document::mutable_repealing_document));
  RETURN_IF_ERROR(ReadText(row, kRepealReason, d, &v1::Document::mutable_repeal_reason));
  return d;
}

// Runs a SELECT of DocumentSelect and maps every row.
absl::StatusOr<std::vector<v1::Document>> QueryDocuments(Connection& conn, absl::string_view sql,
                                                         absl::Span<const Value> params,
                                                         size_t expected_rows = 0) {
  std::vector<v1::Document> documents;
  documents.reserve(expected_rows);
  RETURN_IF_ERROR(conn.QueryEach(sql, params, [&](const db::RowCursor& row) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Document d, DocumentFromRow(row));
    documents.push_back(std::move(d));
    return absl::OkStatus();
  }));
  return documents;
}

// The stored form of the publication clock (CAT-3).
struct ClockColumns {
  std::optional<absl::CivilDay> due;
  std::optional<std::string> deadline_blob;
  std::string calendar_versions;
};

ClockColumns ClockOf(const v1::Document& d) {
  ClockColumns c;
  if (d.has_publication_deadline()) {
    // A pending clock (its year's calendar not loaded yet) has no due date.
    const auto& due = d.publication_deadline().due();
    if (due.year() > 0) c.due = absl::CivilDay(due.year(), due.month(), due.day());
    c.deadline_blob = d.publication_deadline().SerializeAsString();
    c.calendar_versions = CalendarVersionsKey(FromProto(d.publication_deadline()).calendars);
  }
  return c;
}

std::optional<absl::Time> OptionalTime(bool has, const google::protobuf::Timestamp& ts) {
  if (!has) return std::nullopt;
  return FromTimestamp(ts);
}

// NAT-10: the repeal day, NULL while the document is in force (validated by the
// domain, documents.cc).
std::optional<absl::CivilDay> RepealedOn(const v1::Document& d) {
  if (!d.has_repealed_on()) return std::nullopt;
  const common::v1::Date& day = d.repealed_on();
  return absl::CivilDay(day.year(), day.month(), day.day());
}

// The columns a document write sets, in one order for INSERT and UPDATE.
constexpr const char* kWritableDocumentColumns[] = {"title",
                                                    "body",
                                                    "document_number",
                                                    "drafting_unit_id",
                                                    "issuing_authority",
                                                    "is_policy_document",
                                                    "key_area",
                                                    "category_id",
                                                    "disclosure_attribute",
                                                    "nondisclosure_reason",
                                                    "legal_basis",
                                                    "publication_limit_working_days",
                                                    "state",
                                                    "return_cause",
                                                    "review_outcome",
                                                    "review_note",
                                                    "reviewer",
                                                    "publication_due",
                                                    "publication_deadline",
                                                    "calendar_versions",
                                                    "publish_time",
                                                    "created_by",
                                                    "repealed_on",
                                                    "repealing_document",
                                                    "repeal_reason",
                                                    "update_time"};

// Values for kWritableDocumentColumns, then create_time when `create_time` is set.
std::vector<Value> WritableDocumentValues(const v1::Document& d, absl::Time now, bool create_time) {
  const ClockColumns clock = ClockOf(d);
  std::vector<Value> values = {Value(d.title()),
                               Value(d.body()),
                               Value(d.document_number()),
                               Value(d.drafting_unit_id()),
                               Value(static_cast<int>(d.issuing_authority())),
                               Value(d.is_policy_document()),
                               Value(static_cast<int>(d.key_area())),
                               Value(d.category_id()),
                               Value(static_cast<int>(d.disclosure_attribute())),
                               Value(d.nondisclosure_reason()),
                               Value(d.legal_basis()),
                               Value(d.publication_limit_working_days()),
                               Value(static_cast<int>(d.state())),
                               Value(d.return_cause()),
                               Value(static_cast<int>(d.review_outcome())),
                               Value(d.review_note()),
                               Value(d.reviewer()),
                               Value(clock.due),
                               Value(clock.deadline_blob),
                               Value(clock.calendar_versions),
                               Value(OptionalTime(d.has_publish_time(), d.publish_time())),
                               Value(d.created_by()),
                               Value(RepealedOn(d)),
                               Value(d.repealing_document()),
                               Value(d.repeal_reason()),
                               Value(now)};
  if (create_time) values.emplace_back(now);
  return values;
}

const std::string& InsertDocumentSql() {
  static const std::string* sql = [] {
    std::string columns = absl::StrJoin(kWritableDocumentColumns, ", ");
    std::string marks;
    for (size_t i = 0; i < std::size(kWritableDocumentColumns); ++i) marks += "?, ";
    return new std::string(absl::StrCat("INSERT INTO documents (", columns,
                                        ", create_time, version) VALUES (", marks, "?, 1)"));
  }();
  return *sql;
}

// Optimistic: the row changes only while its version is still the expected one.
const std::string& UpdateDocumentSql() {
  static const std::string* sql = [] {
    return new std::string(absl::StrCat("UPDATE documents SET ",
                                        absl::StrJoin(kWritableDocumentColumns, ", ",
                                                      [](std::string* out, const char* column) {
                                                        absl::StrAppend(out, column, " = ?");
                                                      }),
                                        ", version = version + 1 WHERE id = ? AND version = ?"));
  }();
  return *sql;
}

absl::Status InsertAudit(Connection& conn, int64_t document_id, const AuditRecord& audit) {
  return conn
      .Execute(
          "INSERT INTO document_audit (document_id, actor, action, old_state, new_state, detail, "
          "create_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {Value(document_id), Value(audit.actor), Value(audit.action),
           Value(static_cast<int>(audit.old_state)), Value(static_cast<int>(audit.new_state)),
           Value(validation::TruncateUtf8(audit.detail, 2000)), Value(audit.time)})
      .status();
}

// Replaces a document's search terms (multi-row inserts of at most 500 rows).
absl::Status ReplaceTerms(Connection& conn, int64_t document_id,
                          const std::vector<std::string>& terms) {
  RETURN_IF_ERROR(
      conn.Execute("DELETE FROM document_terms WHERE document_id = ?", {Value(document_id)})
          .status());
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < terms.size(); start += kBatch) {
    const size_t end = std::min(terms.size(), start + kBatch);
    std::string sql = "INSERT INTO document_terms (term, document_id) VALUES ";
    std::vector<Value> params;
    params.reserve(2 * (end - start));
    for (size_t i = start; i < end; ++i) {
      absl::StrAppend(&sql, i == start ? "" : ", ", "(?, ?)");
      params.emplace_back(terms[i]);
      params.emplace_back(document_id);
    }
    RETURN_IF_ERROR(conn.Execute(sql, params).status());
  }
  return absl::OkStatus();
}

// After an optimistic update touched no row: NOT_FOUND or ABORTED.
absl::Status VersionConflict(Connection& conn, int64_t id, int64_t expected_version) {
  ASSIGN_OR_RETURN(db::ResultSet rows,
                   conn.Query("SELECT version FROM documents WHERE id = ?", {Value(id)}));
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("document ", id, " not found"));
  ASSIGN_OR_RETURN(int64_t version, rows[0].GetInt64(0));
  return StaleVersionError(absl::StrCat("document ", id, " is at version ", version, ", not ",
                                        expected_version,
                                        "; it changed concurrently, reload and retry"));
}

class MysqlDocumentRepository final : public DocumentRepository {
 public:
  explicit MysqlDocumentRepository(db::ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const IdempotencyKey& key) override {
    return db::FindIdempotentResponse(*pool_, key);
  }

  // ---- Documents ----

  absl::StatusOr<v1::Document> CreateDocument(const v1::Document& document,
                                              const AuditRecord& audit,
                                              const IdempotencyKey* key) override {
    v1::Document created = document;
    *created.mutable_create_time() = ToTimestamp(audit.time);
    *created.mutable_update_time() = ToTimestamp(audit.time);
    created.set_version(1);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(
          db::ExecResult r,
          conn.ExecuteInsert(InsertDocumentSql(), WritableDocumentValues(document, audit.time,
                                                                         /*create_time=*/true)));
      created.set_id(static_cast<int64_t>(r.last_insert_id));
      RETURN_IF_ERROR(InsertAudit(conn, created.id(), audit));
      return InsertIdempotencyRecord(conn, key, created.SerializeAsString(), audit.time);
    }));
    return created;
  }

  absl::StatusOr<v1::Document> GetDocument(int64_t id) override {
    static const std::string* const sql = new std::string(
        absl::StrCat("SELECT ", DocumentSelect(true), " FROM documents WHERE id = ?"));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(std::vector<v1::Document> rows, QueryDocuments(*conn, *sql, {Value(id)}, 1));
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("document ", id, " not found"));
    return std::move(rows[0]);
  }

  absl::StatusOr<v1::Document> UpdateDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::optional<std::vector<std::string>>& search_terms) override {
    v1::Document updated = document;
    updated.set_version(expected_version + 1);
    *updated.mutable_update_time() = ToTimestamp(audit.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute(UpdateDocumentSql(), [&] {
        std::vector<Value> values =
            WritableDocumentValues(document, audit.time, /*create_time=*/false);
        values.emplace_back(document.id());
        values.emplace_back(expected_version);
        return values;
      }()));
      if (r.affected_rows == 0) return VersionConflict(conn, document.id(), expected_version);
      RETURN_IF_ERROR(InsertAudit(conn, document.id(), audit));
      if (search_terms.has_value()) {
        RETURN_IF_ERROR(ReplaceTerms(conn, document.id(), *search_terms));
      }
      return absl::OkStatus();
    }));
    return updated;
  }

  absl::StatusOr<v1::Document> PublishDocument(
      const v1::Document& document, int64_t expected_version, const AuditRecord& audit,
      const std::vector<std::string>& search_terms,
      const std::optional<OutboxMessage>& message) override {
    v1::Document updated = document;
    updated.set_version(expected_version + 1);
    *updated.mutable_update_time() = ToTimestamp(audit.time);
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      ASSIGN_OR_RETURN(db::ExecResult r, conn.Execute(UpdateDocumentSql(), [&] {
        std::vector<Value> values =
            WritableDocumentValues(document, audit.time, /*create_time=*/false);
        values.emplace_back(document.id());
        values.emplace_back(expected_version);
        return values;
      }()));
      if (r.affected_rows == 0) return VersionConflict(conn, document.id(), expected_version);
      RETURN_IF_ERROR(InsertAudit(conn, document.id(), audit));
      RETURN_IF_ERROR(ReplaceTerms(conn, document.id(), search_terms));
      if (!message.has_value()) return absl::OkStatus();
      // INT-3: the event commits with the publication, or neither does.
      outbox::OutboxEvent event;
      event.topic = message->topic;
      event.destination = message->destination;
      event.event_key = message->event_key;
      event.ordering_key = message->ordering_key;
      event.payload = message->payload;
      return outbox::Enqueue(conn, event, audit.time).status();
    }));
    return updated;
  }

  absl::StatusOr<std::vector<v1::Document>> ListDocuments(const DocumentFilter& filter,
                                                          const KeysetPage& page) override {
    const std::string hint = KeysetIndexFor(filter);
    std::string sql =
        absl::StrCat("SELECT ", DocumentSelect(!filter.omit_body), " FROM documents",
                     hint.empty() ? "" : absl::StrCat(" FORCE INDEX (", hint, ")"), " WHERE 1=1");
    std::vector<Value> params;
    AppendDocumentFilter(filter, "", sql, params);
    AppendKeyset("id", page, sql, params);
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return QueryDocuments(*conn, sql, params, static_cast<size_t>(std::max(1, page.limit)));
  }

  absl::StatusOr<std::vector<v1::Document>> SearchPublished(const std::vector<std::string>& terms,
                                                            const DocumentFilter& filter,
                                                            const KeysetPage& page) override {
    if (terms.empty()) return std::vector<v1::Document>();
    // Whole terms are equality matches on the (term, document_id) primary key; a
    // single CJK character matches any term it starts (search_terms.h).
    std::vector<std::string> whole, single;
    for (const std::string& term : terms) {
      (IsSingleCjkCharacter(term) ? single : whole).push_back(term);
    }
    std::string sql;
    std::vector<Value> params;
    std::string id_column;
    if (!whole.empty()) {
      // Term t0 drives the scan in document-id order (its primary-key range); every
      // other term is a primary-key probe. The optimizer picks the join order from
      // index statistics, so the rarest term usually drives.
      sql = absl::StrCat("SELECT ", DocumentSelect(!filter.omit_body, /*qualified=*/true),
                         " FROM document_terms t0");
      for (size_t i = 1; i < whole.size(); ++i) {
        absl::StrAppend(&sql, " JOIN document_terms t", i, " ON t", i, ".term = ? AND t", i,
                        ".document_id = t0.document_id");
        params.emplace_back(whole[i]);
      }
      // The document is only ever found by its id here; naming the primary key spares
      // the optimizer estimating the state indexes on every execution (a third of its
      // planning time for a two-term search on a million documents).
      absl::StrAppend(&sql,
                      " JOIN documents d FORCE INDEX (PRIMARY) ON d.id = t0.document_id "
                      "WHERE t0.term = ?");
      params.emplace_back(whole[0]);
      id_column = "t0.document_id";
    } else {
      // Only single characters: walk the published documents newest first.
      sql = absl::StrCat("SELECT ", DocumentSelect(!filter.omit_body, /*qualified=*/true),
                         " FROM documents d WHERE 1=1");
      id_column = "d.id";
    }
    for (size_t k = 0; k < single.size(); ++k) {
      absl::StrAppend(&sql, " AND EXISTS (SELECT 1 FROM document_terms s", k, " WHERE s", k,
                      ".document_id = d.id AND s", k, ".term LIKE ?)");
      params.emplace_back(absl::StrCat(single[k], "%"));
    }
    DocumentFilter published = filter;
    published.state = v1::PUBLISHED;
    AppendDocumentFilter(published, "d.", sql, params);
    if (page.after_id > 0) {
      absl::StrAppend(&sql, " AND ", id_column, " < ?");
      params.emplace_back(page.after_id);
    }
    absl::StrAppend(&sql, " ORDER BY ", id_column, " DESC LIMIT ", std::max(1, page.limit));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return QueryDocuments(*conn, sql, params, static_cast<size_t>(std::max(1, page.limit)));
  }

  absl::StatusOr<bool> AppendAuditOnce(int64_t document_id, const AuditRecord& audit) override {
    bool appended = false;
    RETURN_IF_ERROR(Write([&](Connection& conn) -> absl::Status {
      appended = false;
      // The document's row serializes two deliveries of the same event.
      ASSIGN_OR_RETURN(
          db::ResultSet locked,
          conn.Query("SELECT id FROM documents WHERE id = ? FOR UPDATE", {Value(document_id)}));
      if (locked.empty()) {
        return absl::NotFoundError(absl::StrCat("document ", document_id, " not found"));
      }
      ASSIGN_OR_RETURN(
          db::ResultSet existing,
          conn.Query("SELECT id FROM document_audit WHERE document_id = ? AND action = ? AND "
                     "detail = ? LIMIT 1",
                     {Value(document_id), Value(audit.action),
                      Value(validation::TruncateUtf8(audit.detail, 2000))}));
      if (!existing.empty()) return absl::OkStatus();
      RETURN_IF_ERROR(InsertAudit(conn, document_id, audit));
      appended = true;
      return absl::OkStatus();
    }));
    return appended;
  }

  absl::StatusOr<std::vector<common::v1::AuditEntry>> ListAudit(int64_t document_id,
                                                                const KeysetPage& page) override {
    std::string sql =
        "SELECT id, actor, action, old_state, new_state, detail, create_time FROM document_audit "
        "WHERE document_id = ?";
    std::vector<Value> params = {Value(document_id)};
    AppendKeyset("id", page, sql, params);
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    return MapRows<common::v1::AuditEntry>(
        rows, [](const Row& row) -> absl::StatusOr<common::v1::AuditEntry> {
          common::v1::AuditEntry e;
          ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
          e.set_id(id);
          ASSIGN_OR_RETURN(std::string actor, row.GetString("actor"));
          e.set_actor(std::move(actor));
          ASSIGN_OR_RETURN(std::string action, row.GetString("action"));
          e.set_action(std::move(action));
          ASSIGN_OR_RETURN(int64_t old_state, row.GetInt64("old_state"));
          e.set_old_state(v1::DocumentState_Name(static_cast<v1::DocumentState>(old_state)));
          ASSIGN_OR_RETURN(int64_t new_state, row.GetInt64("new_state"));
          e.set_new_state(v1::DocumentState_Name(static_cast<v1::DocumentState>(new_state)));
          ASSIGN_OR_RETURN(std::string detail, row.GetString("detail"));
          e.set_detail(std::move(detail));
          ASSIGN_OR_RETURN(absl::Time time, row.GetTime("create_time"));
          *e.mutable_time() = ToTimestamp(time);
          return e;
        });
  }

  absl::StatusOr<PolicyDocumentYearCounts> CountPolicyDocumentsForYear(
      int64_t unit_id, absl::Time start, absl::Time next_start, absl::CivilDay first,
      absl::CivilDay last) override {
    // Mirrors RepealedInYear and InForceAtYearEnd (annual_report/report_tables.h). A document is
    // repealed on or after its publication day (documents/documents.cc), so every one repealed in
    // the year is among those published by its end.
    std::string sql =
        "SELECT COALESCE(SUM(CASE WHEN publish_time >= ? THEN 1 ELSE 0 END), 0) AS in_year, "
        "COUNT(*) AS by_year_end, "
        "COALESCE(SUM(CASE WHEN repealed_on >= ? AND repealed_on <= ? THEN 1 ELSE 0 END), 0) "
        "AS repealed_in_year, "
        "COALESCE(SUM(CASE WHEN repealed_on IS NULL OR repealed_on > ? THEN 1 ELSE 0 END), 0) "
        "AS in_force FROM documents "
        "WHERE state = ? AND is_policy_document = TRUE AND publish_time < ?";
    std::vector<Value> params = {start,     first, last, last, static_cast<int64_t>(v1::PUBLISHED),
                                 next_start};
    if (unit_id != 0) {
      sql += " AND drafting_unit_id = ?";
      params.emplace_back(unit_id);
    }
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows, conn->Query(sql, params));
    PolicyDocumentYearCounts counts;
    if (rows.empty()) return counts;
    ASSIGN_OR_RETURN(counts.published_in_year, rows[0].GetInt64("in_year"));
    ASSIGN_OR_RETURN(counts.published_by_year_end, rows[0].GetInt64("by_year_end"));
    ASSIGN_OR_RETURN(counts.repealed_in_year, rows[0].GetInt64("repealed_in_year"));
    ASSIGN_OR_RETURN(counts.in_force_at_year_end, rows[0].GetInt64("in_force"));
    return counts;
  }

  absl::StatusOr<std::map<v1::DocumentState, int64_t>> CountDocumentsByState() override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT state, COUNT(*) FROM documents GROUP BY state"));
    std::map<v1::DocumentState, int64_t> counts;
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t state, row.GetInt64(0));
      ASSIGN_OR_RETURN(int64_t count, row.GetInt64(1));
      counts[static_cast<v1::DocumentState>(state)] = count;
    }
    return counts;
  }

  absl::StatusOr<int64_t> CountOverdue(absl::CivilDay today) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    ASSIGN_OR_RETURN(
        db::ResultSet rows,
        conn->Query(
            "SELECT COUNT(*) FROM documents WHERE disclosure_attribute = ? "
            "AND state IN (?, ?, ?, ?) AND publication_due < ?",
            {Value(static_cast<int>(v1::PROACTIVE)), Value(static_cast<int>(v1::DRAFT)),
             Value(static_cast<int>(v1::RETURNED)), Value(static_cast<int>(v1::PENDING_REVIEW)),
             Value(static_cast<int>(v1::APPROVED)), Value(today)}));
    return rows[0].GetInt64(0);
  }

  absl::StatusOr<std::vector<v1::Document>> ListUndisclosedDocuments(int64_t unit_id,
                                                                     int64_t after_id,
                                                                     int limit) override {
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    return QueryDocuments(
        *conn,
        absl::StrCat("SELECT ", DocumentSelect(false),
                     " FROM documents WHERE drafting_unit_id = ? AND id > ? AND state = ? AND "
                     "disclosure_attribute IN (?, ?) ORDER BY id LIMIT ",
                     std::max(1, limit)),
        {Value(unit_id), Value(after_id), Value(static_cast<int>(v1::APPROVED)),
         Value(static_cast<int>(v1::ON_REQUEST)), Value(static_cast<int>(v1::NOT_DISCLOSED))});
  }

  absl::StatusOr<DocumentEvidence> EvidenceForUnit(const DocumentEvidencePeriod& p) override {
    constexpr char kCreated[] =
        "FROM documents WHERE drafting_unit_id = ? AND create_time >= ? AND create_time < ?";
    constexpr char kPublished[] =
        "FROM documents WHERE drafting_unit_id = ? AND state = ? AND publish_time >= ? "
        "AND publish_time < ?";
    const Value unit(p.unit_id);
    const Value published(static_cast<int>(v1::PUBLISHED));
    const Value proactive(static_cast<int>(v1::PROACTIVE));
    auto attribute = [](v1::DisclosureAttribute a) { return Value(static_cast<int>(a)); };
    DocumentEvidence e;
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
    const std::vector<Value> created = {unit, Value(p.start), Value(p.end)};
    if (p.procedures) {
      ASSIGN_OR_RETURN(e.drafted, QueryIdSample(*conn, "id", kCreated, created));
      // CAT-2: a submission returned (from DRAFT or RETURNED, documents.cc SubmitDocument);
      // returns by the office or a failed review start from PENDING_REVIEW or APPROVED.
      ASSIGN_OR_RETURN(
          e.returned_for_attribute,
          QueryIdSample(*conn, "d.id",
                        "FROM documents d JOIN document_audit a ON a.document_id = d.id "
                        "WHERE d.drafting_unit_id = ? AND a.action = 'return' "
                        "AND a.old_state IN (?, ?) AND a.create_time >= ? AND a.create_time < ?",
                        {unit, Value(static_cast<int>(v1::DRAFT)),
                         Value(static_cast<int>(v1::RETURNED)), Value(p.start), Value(p.end)}));
      ASSIGN_OR_RETURN(
          e.published_after_review,
          QueryIdSample(*conn, "id", absl::StrCat(kPublished, " AND review_outcome = ?"),
                        {unit, published, Value(p.start), Value(p.end),
                         Value(static_cast<int>(v1::REVIEW_PASSED))}));
    }
    if (p.attributes) {
      const std::pair<IdSample*, v1::DisclosureAttribute> by_attribute[] = {
          {&e.proactive, v1::PROACTIVE},
          {&e.on_request, v1::ON_REQUEST},
          {&e.not_disclosed, v1::NOT_DISCLOSED},
          {&e.without_attribute, v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED}};
      for (const auto& [sample, a] : by_attribute) {
        ASSIGN_OR_RETURN(
            *sample,
            QueryIdSample(*conn, "id", absl::StrCat(kCreated, " AND disclosure_attribute = ?"),
                          {unit, Value(p.start), Value(p.end), attribute(a)}));
      }
    }
    if (!p.publication_clock) return e;
    const std::vector<Value> in_period = {unit, published, Value(p.start), Value(p.end)};
    std::vector<Value> proactive_published = in_period;
    proactive_published.push_back(proactive);
    // CAT-3. Asia/Shanghai has been UTC+8 without daylight saving since 1991: due day D
    // ends at D 16:00 UTC, so "published on or before the due day" is portable SQL.
    ASSIGN_OR_RETURN(e.published_on_time,
                     QueryIdSample(*conn, "id",
                                   absl::StrCat(kPublished,
                                                " AND disclosure_attribute = ? AND publication_due "
                                                "IS NOT NULL AND publish_time < "
                                                "DATE_ADD(publication_due, INTERVAL 16 HOUR)"),
                                   proactive_published));
    ASSIGN_OR_RETURN(e.published_late,
                     QueryIdSample(*conn, "id",
                                   absl::StrCat(kPublished,
                                                " AND disclosure_attribute = ? AND publication_due "
                                                "IS NOT NULL AND publish_time >= "
                                                "DATE_ADD(publication_due, INTERVAL 16 HOUR)"),
                                   proactive_published));
    ASSIGN_OR_RETURN(IdSample published_pending,
                     QueryIdSample(*conn, "id",
                                   absl::StrCat(kPublished,
                                                " AND disclosure_attribute = ? AND "
                                                "publication_due IS NULL"),
                                   proactive_published));
    e.published_without_due_date = published_pending.count;
    if (p.overdue_by >= p.first) {
      ASSIGN_OR_RETURN(
          e.overdue_unpublished,
          QueryIdSample(
              *conn, "id",
              "FROM documents WHERE drafting_unit_id = ? AND disclosure_attribute = ? "
              "AND publication_due >= ? AND publication_due <= ? "
              "AND (publish_time IS NULL OR publish_time >= ?)",
              {unit, proactive, Value(p.first), Value(p.overdue_by), Value(p.overdue_checked_at)}));
    }
    ASSIGN_OR_RETURN(IdSample unpublished_pending,
                     QueryIdSample(*conn, "id",
                                   "FROM documents WHERE drafting_unit_id = ? AND "
                                   "disclosure_attribute = ? AND state <> ? AND "
                                   "publication_due IS NULL AND create_time < ?",
                                   {unit, proactive, published, Value(p.end)}));
    e.unpublished_without_due_date = unpublished_pending.count;
    return e;
  }

 private:
  // One write transaction, retried on deadlock / write conflict. A stale version
  // (StaleVersionError) is returned at once: retrying it would fail the same way.
  absl::Status Write(absl::FunctionRef<absl::Status(Connection&)> fn) {
    return db::RunInTransactionWithRetries(*pool_, fn);
  }

  // The index that serves a document list's equality filters and its `id < ?` keyset
  // condition as one range, newest first. The optimizer, given `state = ? AND id < ?`,
  // prefers a `ref` on the state alone and walks every newer row before the page (seen
  // as seconds on a million documents deep in a listing); naming the index keeps each
  // page a short range scan. FORCE INDEX is understood by MySQL, MariaDB and TiDB.
  // Empty (the optimizer decides) for date ranges and the overdue list.
  static std::string KeysetIndexFor(const DocumentFilter& f) {
    if (f.created_from || f.created_before || f.overdue_on) return "";
    const bool state = f.state != v1::DOCUMENT_STATE_UNSPECIFIED;
    if (f.drafting_unit_id != 0) return state ? "ix_documents_unit_state" : "ix_documents_unit";
    if (f.key_area != v1::KEY_AREA_UNSPECIFIED) {
      return state ? "ix_documents_state_key_area" : "ix_documents_key_area";
    }
    if (f.category_id != 0) return state ? "ix_documents_state_category" : "ix_documents_category";
    if (state) return "ix_documents_state";
    if (f.attribute != v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED) return "ix_documents_attribute";
    return "";
  }

  static void AppendDocumentFilter(const DocumentFilter& f, absl::string_view alias,
                                   std::string& sql, std::vector<Value>& params) {
    auto add = [&](absl::string_view clause, Value value) {
      absl::StrAppend(&sql, " AND ", alias, clause);
      params.push_back(std::move(value));
    };
    if (f.drafting_unit_id != 0) add("drafting_unit_id = ?", Value(f.drafting_unit_id));
    if (f.category_id != 0) add("category_id = ?", Value(f.category_id));
    if (f.key_area != v1::KEY_AREA_UNSPECIFIED)
      add("key_area = ?", Value(static_cast<int>(f.key_area)));
    if (f.attribute != v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED) {
      add("disclosure_attribute = ?", Value(static_cast<int>(f.attribute)));
    }
    if (f.state != v1::DOCUMENT_STATE_UNSPECIFIED)
      add("state = ?", Value(static_cast<int>(f.state)));
    if (f.created_from.has_value()) add("create_time >= ?", Value(*f.created_from));
    if (f.created_before.has_value()) add("create_time < ?", Value(*f.created_before));
    if (f.overdue_on.has_value()) {
      add("disclosure_attribute = ?", Value(static_cast<int>(v1::PROACTIVE)));
      // An IN list (not "<> PUBLISHED") lets the optimizer use the due-date index.
      absl::StrAppend(&sql, " AND ", alias, "state IN (?, ?, ?, ?)");
      for (v1::DocumentState st : {v1::DRAFT, v1::RETURNED, v1::PENDING_REVIEW, v1::APPROVED}) {
        params.emplace_back(static_cast<int>(st));
      }
      add("publication_due < ?", Value(*f.overdue_on));
    }
    if (f.in_force_only) absl::StrAppend(&sql, " AND ", alias, "repealed_on IS NULL");
  }

  db::ConnectionPool* pool_;
};

}  // namespace

std::unique_ptr<DocumentRepository> NewMysqlDocumentRepository(db::ConnectionPool* pool) {
  return std::make_unique<MysqlDocumentRepository>(pool);
}

absl::Status WriteDocumentConversion(db::Connection& conn, const DocumentChange& change) {
  const v1::Document& d = change.document;
  const ClockColumns clock = ClockOf(d);
  ASSIGN_OR_RETURN(
      db::ExecResult u,
      conn.Execute("UPDATE documents SET disclosure_attribute = ?, state = ?, "
                   "review_outcome = ?, review_note = '', reviewer = '', "
                   "publication_due = ?, publication_deadline = ?, calendar_versions = ?, "
                   "update_time = ?, version = version + 1 WHERE id = ? AND version = ?",
                   {Value(static_cast<int>(d.disclosure_attribute())),
                    Value(static_cast<int>(d.state())), Value(static_cast<int>(d.review_outcome())),
                    Value(clock.due), Value(clock.deadline_blob), Value(clock.calendar_versions),
                    Value(change.audit.time), Value(d.id()), Value(change.expected_version)}));
  if (u.affected_rows == 0) return VersionConflict(conn, d.id(), change.expected_version);
  return InsertAudit(conn, d.id(), change.audit);
}

absl::StatusOr<int64_t> InsertNewDocument(db::Connection& conn, const DocumentChange& created) {
  ASSIGN_OR_RETURN(db::ExecResult r,
                   conn.ExecuteInsert(InsertDocumentSql(),
                                      WritableDocumentValues(created.document, created.audit.time,
                                                             /*create_time=*/true)));
  const int64_t id = static_cast<int64_t>(r.last_insert_id);
  RETURN_IF_ERROR(InsertAudit(conn, id, created.audit));
  return id;
}

}  // namespace gongkai::catalog::documents
