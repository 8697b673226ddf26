// Integration tests (label: integration) of the documents module's MySQL repository
// (services/catalog/documents/): create, get, update, idempotency, lists, counts, concurrency,
// against its repository interface, on the real MySQL/MariaDB named by GONGKAI_TEST_MYSQL_*
// (fixture: catalog_repository_fixture.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/protoconv/protoconv.h"
#include "tests/integration/catalog/catalog_repository_fixture.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::catalog {
namespace {

using documents::AuditRecord;
using documents::DocumentFilter;
using ::gongkai::db::testing::IsOk;
using ::gongkai::db::testing::IsOkAndHolds;
using ::gongkai::db::testing::StatusIs;
using ::gongkai::db::testing::TestDatabase;
using ::gongkai::integration::EqualsProto;
using ::gongkai::integration::Ids;
using ::gongkai::integration::MigratedDatabase;
using repository_testing::Audit;
using repository_testing::kT0;
using repository_testing::MakeDeadline;
using repository_testing::RepositorySuite;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::ResultOf;
using ::testing::SizeIs;

// ---- Documents: create, get, update ------------------------------------------------------

class DocumentsTest : public RepositorySuite<DocumentsTest> {
 protected:
  // A document with every input field set, in Chinese where it is text.
  v1::Document FullDocument(int64_t unit_id) {
    v1::Document d;
    d.set_title("关于印发《2024年政务公开工作要点》的通知");
    d.set_body(
        "各县（市、区）人民政府，市政府各部门：\n现将《2024年政务公开工作要点》印发给你们，"
        "请认真贯彻执行。🙂");
    d.set_document_number("南府办发〔2024〕12号");
    d.set_drafting_unit_id(unit_id);
    d.set_issuing_authority(v1::CITY_GOVERNMENT_OFFICE);
    d.set_is_policy_document(true);
    d.set_key_area(v1::EDUCATION);
    d.set_category_id(109);
    d.set_disclosure_attribute(v1::ON_REQUEST);
    d.set_nondisclosure_reason("涉及第三方合法权益，公开会对第三方合法权益造成损害");
    d.set_legal_basis("《中华人民共和国政府信息公开条例》第十五条");
    d.set_publication_limit_working_days(15);
    d.set_state(v1::PUBLISHED);
    d.set_return_cause("缺少不予公开的法律依据");
    d.set_review_outcome(v1::REVIEW_PASSED);
    d.set_review_note("同意公开");
    d.set_reviewer("审核员张三");
    *d.mutable_publication_deadline() =
        MakeDeadline(absl::CivilDay(2024, 6, 10), absl::CivilDay(2024, 7, 8));
    *d.mutable_publish_time() = ToTimestamp(kT0 + absl::Hours(2) + absl::Microseconds(7));
    d.set_created_by("起草人李四");
    return d;
  }
};

TEST_F(DocumentsTest, CreateAssignsIdVersionOneAndTimesFromTheAudit) {
  const v1::Unit unit = NewUnit();
  ASSERT_OK_AND_ASSIGN(
      v1::Document created,
      documents().CreateDocument(NewDocument(unit.id()),
                                 Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0),
                                 nullptr));
  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(FromTimestamp(created.create_time()), kT0);
  EXPECT_EQ(FromTimestamp(created.update_time()), kT0);
  EXPECT_FALSE(created.has_publish_time());
  EXPECT_EQ(AuditRows(created.id()), 1);
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(created)));
}

TEST_F(DocumentsTest, EveryFieldRoundTripsIncludingChineseTextDeadlineAndPublishTime) {
  const v1::Unit unit = NewUnit();
  const v1::Document input = FullDocument(unit.id());
  const v1::Document created = Create(input);
  v1::Document expected = input;
  expected.set_id(created.id());
  expected.set_version(1);
  *expected.mutable_create_time() = ToTimestamp(kT0);
  *expected.mutable_update_time() = ToTimestamp(kT0);
  EXPECT_THAT(created, EqualsProto(expected));
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(expected)));
}

TEST_F(DocumentsTest, DeadlineIsAlsoStoredInItsIndexedColumns) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  ASSERT_OK_AND_ASSIGN(
      db::ResultSet rows,
      env().Query("SELECT publication_due, calendar_versions FROM documents WHERE id = ?",
                  {created.id()}));
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_THAT(rows[0].GetCivilDay("publication_due"), IsOkAndHolds(absl::CivilDay(2024, 7, 8)));
  EXPECT_THAT(rows[0].GetString("calendar_versions"), IsOkAndHolds(std::string("2024:cn-2024.1")));

  // Without a deadline both are empty.
  const v1::Document plain = Create(NewDocument(unit.id()));
  ASSERT_OK_AND_ASSIGN(
      db::ResultSet plain_rows,
      env().Query("SELECT publication_due IS NULL AS no_due, publication_deadline IS NULL AS "
                  "no_blob FROM documents WHERE id = ?",
                  {plain.id()}));
  EXPECT_THAT(plain_rows[0].GetInt64("no_due"), IsOkAndHolds(1));
  EXPECT_THAT(plain_rows[0].GetInt64("no_blob"), IsOkAndHolds(1));
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, documents().GetDocument(plain.id()));
  EXPECT_FALSE(loaded.has_publication_deadline());
}

TEST_F(DocumentsTest, PublishTimeNullStaysUnsetAndSetOneRoundTrips) {
  const v1::Unit unit = NewUnit();
  v1::Document unpublished = NewDocument(unit.id());
  const v1::Document a = Create(unpublished);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded_a, documents().GetDocument(a.id()));
  EXPECT_FALSE(loaded_a.has_publish_time());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND publish_time IS NULL", {a.id()}),
            1);

  v1::Document published = NewDocument(unit.id());
  published.set_state(v1::PUBLISHED);
  const absl::Time when = kT0 + absl::Seconds(90) + absl::Microseconds(1);
  *published.mutable_publish_time() = ToTimestamp(when);
  const v1::Document b = Create(published);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded_b, documents().GetDocument(b.id()));
  ASSERT_TRUE(loaded_b.has_publish_time());
  EXPECT_EQ(FromTimestamp(loaded_b.publish_time()), when);
}

TEST_F(DocumentsTest, OneMegabyteBodyRoundTrips) {
  const v1::Unit unit = NewUnit();
  std::string body;
  while (body.size() + 12 <= 1000000) body += "政务公开透明";  // 18 bytes per repeat.
  while (body.size() < 1000000) body += "x";
  ASSERT_EQ(body.size(), 1000000u);
  v1::Document d = NewDocument(unit.id());
  d.set_body(body);
  const v1::Document created = Create(d);
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, documents().GetDocument(created.id()));
  EXPECT_EQ(loaded.body().size(), body.size());
  EXPECT_TRUE(loaded.body() == body) << "the stored body differs";
}

TEST_F(DocumentsTest, GetOfMissingDocumentIsNotFound) {
  EXPECT_THAT(documents().GetDocument(424242),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("document 424242")));
}

TEST_F(DocumentsTest, UpdateWithCurrentVersionBumpsVersionAndWritesAudit) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  v1::Document changed = created;
  changed.set_title("修改后的标题");
  changed.set_body("修改后的正文");
  changed.set_state(v1::PENDING_REVIEW);
  const absl::Time later = kT0 + absl::Minutes(5);

  ASSERT_OK_AND_ASSIGN(
      v1::Document updated,
      documents().UpdateDocument(changed, 1, Audit("submit", v1::DRAFT, v1::PENDING_REVIEW, later),
                                 std::nullopt));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(FromTimestamp(updated.update_time()), later);
  EXPECT_EQ(FromTimestamp(updated.create_time()), kT0);
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(updated)));
  EXPECT_EQ(AuditRows(created.id()), 2);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       documents().ListAudit(created.id(), {}));
  ASSERT_THAT(audit, SizeIs(2));
  EXPECT_EQ(audit[0].action(), "submit");
  EXPECT_EQ(audit[0].old_state(), "DRAFT");
  EXPECT_EQ(audit[0].new_state(), "PENDING_REVIEW");
  EXPECT_EQ(audit[0].actor(), "alice");
  EXPECT_EQ(audit[0].detail(), "submit by test");
  EXPECT_EQ(FromTimestamp(audit[0].time()), later);
}

TEST_F(DocumentsTest, UpdateWithStaleVersionIsAbortedAndChangesNothing) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  v1::Document first = created;
  first.set_title("第一次修改");
  ASSERT_OK_AND_ASSIGN(v1::Document v2,
                       documents().UpdateDocument(
                           first, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0), std::nullopt));

  v1::Document stale = created;
  stale.set_title("基于旧版本的修改");
  EXPECT_THAT(documents().UpdateDocument(stale, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                         std::vector<std::string>{"旧版"}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(v2)));
  EXPECT_EQ(AuditRows(created.id()), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_terms WHERE document_id = ?", {created.id()}), 0);
}

// A stale version can never succeed on retry (unlike a deadlock), so it is reported
// after one attempt, with the repository's own message.
TEST_F(DocumentsTest, StaleVersionIsReportedWithoutRetrying) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(NewDocument(unit.id()));
  ASSERT_THAT(documents().UpdateDocument(created, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                         std::nullopt),
              IsOk());
  EXPECT_THAT(documents().UpdateDocument(created, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                         std::nullopt),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("is at version 2, not 1"), Not(HasSubstr("gave up")))));
}

TEST_F(DocumentsTest, UpdateOfMissingDocumentIsNotFound) {
  v1::Document ghost = NewDocument(1);
  ghost.set_id(777777);
  EXPECT_THAT(documents().UpdateDocument(ghost, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                         std::nullopt),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("document 777777")));
  EXPECT_EQ(AuditRows(777777), 0);
}

TEST_F(DocumentsTest, UpdateWithoutDeadlineClearsTheStoredOne) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  v1::Document changed = created;
  changed.clear_publication_deadline();
  changed.clear_publish_time();
  ASSERT_THAT(documents().UpdateDocument(changed, 1, Audit("update", v1::DRAFT, v1::DRAFT, kT0),
                                         std::nullopt),
              IsOk());
  ASSERT_OK_AND_ASSIGN(v1::Document loaded, documents().GetDocument(created.id()));
  EXPECT_FALSE(loaded.has_publication_deadline());
  EXPECT_FALSE(loaded.has_publish_time());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND publication_due IS NULL "
                  "AND calendar_versions = ''",
                  {created.id()}),
            1);
}

// ---- Documents: idempotency and atomicity -------------------------------------------------

TEST_F(DocumentsTest, CreateWithUsedIdempotencyKeyIsAlreadyExistsAndCreatesNoDocument) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"alice", "CreateDocument", "req-atomic-1"};
  ASSERT_OK_AND_ASSIGN(v1::Document first,
                       documents().CreateDocument(
                           NewDocument(unit.id(), "第一份"),
                           Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0), &key));
  const int64_t documents_before = Count("SELECT COUNT(*) FROM documents");
  const int64_t audit_before = Count("SELECT COUNT(*) FROM document_audit");

  EXPECT_THAT(documents().CreateDocument(
                  NewDocument(unit.id(), "第二份"),
                  Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0), &key),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("PRIMARY")));
  // The document insert and its audit row were rolled back with the key's insert.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents"), documents_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_audit"), audit_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE title = ?", {"第二份"}), 0);
  DocumentFilter by_unit;
  by_unit.drafting_unit_id = unit.id();
  EXPECT_THAT(documents().ListDocuments(by_unit, {}),
              IsOkAndHolds(ElementsAre(EqualsProto(first))));
}

TEST_F(DocumentsTest, SameRequestIdOfAnotherSubjectOrMethodIsIndependent) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey alice{"alice", "CreateDocument", "req-shared"};
  const IdempotencyKey bob{"bob", "CreateDocument", "req-shared"};
  const IdempotencyKey other_method{"alice", "CreateUnit", "req-shared"};
  const AuditRecord audit = Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::DRAFT, kT0);
  EXPECT_THAT(documents().CreateDocument(NewDocument(unit.id()), audit, &alice), IsOk());
  EXPECT_THAT(documents().CreateDocument(NewDocument(unit.id()), audit, &bob), IsOk());
  EXPECT_THAT(documents().FindIdempotentResponse(other_method), IsOkAndHolds(std::nullopt));
}

TEST_F(DocumentsTest, FindIdempotentResponseReturnsTheStoredSerializedResponse) {
  const v1::Unit unit = NewUnit();
  const IdempotencyKey key{"alice", "CreateDocument", "req-find-1"};
  EXPECT_THAT(documents().FindIdempotentResponse(key), IsOkAndHolds(std::nullopt));
  ASSERT_OK_AND_ASSIGN(
      v1::Document created,
      documents().CreateDocument(
          FullDocument(unit.id()),
          Audit("create", v1::DOCUMENT_STATE_UNSPECIFIED, v1::PUBLISHED, kT0), &key));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, documents().FindIdempotentResponse(key));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, created.SerializeAsString());
  v1::Document replay;
  ASSERT_TRUE(replay.ParseFromString(*stored));
  EXPECT_THAT(replay, EqualsProto(created));
}

TEST_F(DocumentsTest, ListAuditIsNewestFirstWithPaging) {
  const v1::Unit unit = NewUnit();
  v1::Document doc = Create(NewDocument(unit.id()));
  for (int i = 1; i <= 4; ++i) {
    ASSERT_OK_AND_ASSIGN(doc, documents().UpdateDocument(doc, doc.version(),
                                                         Audit(absl::StrCat("edit-", i), v1::DRAFT,
                                                               v1::DRAFT, kT0 + absl::Seconds(i)),
                                                         std::nullopt));
  }
  auto actions = [](const std::vector<common::v1::AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.action());
    return out;
  };
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page1,
                       documents().ListAudit(doc.id(), {0, 2}));
  EXPECT_THAT(actions(page1), ElementsAre("edit-4", "edit-3"));
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page2,
                       documents().ListAudit(doc.id(), {page1.back().id(), 2}));
  EXPECT_THAT(actions(page2), ElementsAre("edit-2", "edit-1"));
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> page3,
                       documents().ListAudit(doc.id(), {page2.back().id(), 2}));
  EXPECT_THAT(actions(page3), ElementsAre("create"));
  EXPECT_EQ(page3[0].old_state(), "DOCUMENT_STATE_UNSPECIFIED");
  EXPECT_EQ(page3[0].new_state(), "DRAFT");
  EXPECT_THAT(documents().ListAudit(doc.id(), {page3.back().id(), 2}), IsOkAndHolds(IsEmpty()));
}

// ---- Documents: list filters and paging ---------------------------------------------------

// NAT-10 (migration 0008): the repeal columns round-trip; a repeal is an update of a
// PUBLISHED document that keeps its state and search terms.
TEST_F(DocumentsTest, Nat10RepealColumnsRoundTripAndStartEmpty) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  EXPECT_FALSE(created.has_repealed_on());
  ASSERT_OK_AND_ASSIGN(v1::Document read, documents().GetDocument(created.id()));
  EXPECT_FALSE(read.has_repealed_on());
  EXPECT_EQ(read.repealing_document(), "");
  EXPECT_EQ(read.repeal_reason(), "");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM documents WHERE id = ? AND repealed_on IS NULL", {created.id()}),
      1);

  v1::Document repealed = created;
  *repealed.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2024, 12, 31));
  repealed.set_repealing_document("南府发〔2025〕1号《关于废止部分规范性文件的决定》");
  repealed.set_repeal_reason("已被新的政策替代，不再适用");
  const absl::Time later = kT0 + absl::Hours(3);
  ASSERT_OK_AND_ASSIGN(
      v1::Document updated,
      documents().UpdateDocument(repealed, 1, Audit("repeal", v1::PUBLISHED, v1::PUBLISHED, later),
                                 std::nullopt));
  EXPECT_EQ(updated.version(), 2);
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(updated)));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE id = ? AND repealed_on = ?",
                  {created.id(), absl::CivilDay(2024, 12, 31)}),
            1);
  ASSERT_OK_AND_ASSIGN(std::vector<common::v1::AuditEntry> audit,
                       documents().ListAudit(created.id(), {}));
  ASSERT_THAT(audit, SizeIs(2));
  EXPECT_EQ(audit[0].action(), "repeal");
  EXPECT_EQ(audit[0].old_state(), "PUBLISHED");
  EXPECT_EQ(audit[0].new_state(), "PUBLISHED");
}

TEST_F(DocumentsTest, Nat10RepealWithStaleVersionIsAbortedAndChangesNothing) {
  const v1::Unit unit = NewUnit();
  const v1::Document created = Create(FullDocument(unit.id()));
  v1::Document first = created;
  first.set_review_note("再次确认");
  ASSERT_OK_AND_ASSIGN(
      v1::Document v2,
      documents().UpdateDocument(first, 1, Audit("update", v1::PUBLISHED, v1::PUBLISHED, kT0),
                                 std::nullopt));
  v1::Document stale = created;
  *stale.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2025, 1, 1));
  stale.set_repeal_reason("理由");
  EXPECT_THAT(documents().UpdateDocument(
                  stale, 1, Audit("repeal", v1::PUBLISHED, v1::PUBLISHED, kT0), std::nullopt),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2")));
  EXPECT_THAT(documents().GetDocument(created.id()), IsOkAndHolds(EqualsProto(v2)));
  EXPECT_EQ(AuditRows(created.id()), 2);
}

class ListDocumentsTest : public RepositorySuite<ListDocumentsTest> {};

TEST_F(ListDocumentsTest, FiltersByUnitCategoryKeyAreaAttributeAndState) {
  const v1::Unit unit = NewUnit();
  const v1::Unit other = NewUnit();
  v1::Document a = NewDocument(unit.id(), "A");
  a.set_category_id(109);
  a.set_key_area(v1::EDUCATION);
  v1::Document b = NewDocument(unit.id(), "B");
  b.set_category_id(110);
  b.set_key_area(v1::HEALTH);
  b.set_disclosure_attribute(v1::ON_REQUEST);
  b.set_state(v1::APPROVED);
  v1::Document c = NewDocument(unit.id(), "C");
  c.set_category_id(109);
  c.set_key_area(v1::EDUCATION);
  c.set_disclosure_attribute(v1::NOT_DISCLOSED);
  c.set_state(v1::APPROVED);
  v1::Document elsewhere = NewDocument(other.id(), "D");
  elsewhere.set_category_id(109);
  elsewhere.set_key_area(v1::EDUCATION);
  const int64_t ida = Create(a).id();
  const int64_t idb = Create(b).id();
  const int64_t idc = Create(c).id();
  const int64_t idd = Create(elsewhere).id();

  auto list = [&](DocumentFilter f) { return documents().ListDocuments(f, {0, 100}); };
  DocumentFilter by_unit;
  by_unit.drafting_unit_id = unit.id();
  EXPECT_THAT(list(by_unit), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, idb, ida))));
  DocumentFilter f = by_unit;
  f.category_id = 109;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, ida))));
  f = by_unit;
  f.key_area = v1::HEALTH;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idb))));
  f = by_unit;
  f.attribute = v1::NOT_DISCLOSED;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc))));
  f = by_unit;
  f.state = v1::APPROVED;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc, idb))));
  f = by_unit;
  f.state = v1::APPROVED;
  f.key_area = v1::EDUCATION;
  EXPECT_THAT(list(f), IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(idc))));
  // Category alone spans units.
  DocumentFilter by_category;
  by_category.category_id = 109;
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> in_category, list(by_category));
  EXPECT_THAT(Ids(in_category), ::testing::IsSupersetOf({idd, idc, ida}));
  for (const v1::Document& d : in_category) EXPECT_EQ(d.category_id(), 109);
}

TEST_F(ListDocumentsTest, CreatedFromIsInclusiveAndCreatedBeforeIsExclusive) {
  // documents.cc sets created_before to the start of the day after `created_to`, so the
  // upper bound is exclusive (repository.h calls both bounds inclusive).
  const v1::Unit unit = NewUnit();
  const int64_t early = Create(NewDocument(unit.id()), kT0).id();
  const int64_t middle = Create(NewDocument(unit.id()), kT0 + absl::Hours(1)).id();
  const int64_t late = Create(NewDocument(unit.id()), kT0 + absl::Hours(2)).id();
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.created_from = kT0 + absl::Hours(1);
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(late, middle))));
  f.created_before = kT0 + absl::Hours(2);
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(middle))));
  f.created_from.reset();
  f.created_before = kT0 + absl::Hours(1) + absl::Microseconds(1);
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(middle, early))));
}

TEST_F(ListDocumentsTest, OverdueOnSelectsOnlyProactiveUnpublishedDocumentsDueBeforeTheDay) {
  const v1::Unit unit = NewUnit();
  const absl::CivilDay start(2024, 6, 10);
  auto with_due = [&](v1::DisclosureAttribute attribute, v1::DocumentState state,
                      std::optional<absl::CivilDay> due) {
    v1::Document d = NewDocument(unit.id());
    d.set_disclosure_attribute(attribute);
    d.set_state(state);
    if (due.has_value()) *d.mutable_publication_deadline() = MakeDeadline(start, *due);
    return Create(d).id();
  };
  const int64_t draft_due_8th = with_due(v1::PROACTIVE, v1::DRAFT, absl::CivilDay(2024, 7, 8));
  const int64_t approved_due_1st =
      with_due(v1::PROACTIVE, v1::APPROVED, absl::CivilDay(2024, 7, 1));
  with_due(v1::PROACTIVE, v1::PUBLISHED, absl::CivilDay(2024, 7, 1));
  with_due(v1::ON_REQUEST, v1::APPROVED, absl::CivilDay(2024, 7, 1));
  with_due(v1::PROACTIVE, v1::DRAFT, std::nullopt);

  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.overdue_on = absl::CivilDay(2024, 7, 9);
  EXPECT_THAT(
      documents().ListDocuments(f, {}),
      IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(approved_due_1st, draft_due_8th))));
  f.overdue_on = absl::CivilDay(2024, 7, 8);  // Due that day: not yet overdue.
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(approved_due_1st))));
  f.overdue_on = absl::CivilDay(2024, 7, 1);
  EXPECT_THAT(documents().ListDocuments(f, {}), IsOkAndHolds(IsEmpty()));
}

TEST_F(ListDocumentsTest, OmitBodyLeavesTheBodyEmptyAndKeepsTheRest) {
  const v1::Unit unit = NewUnit();
  v1::Document d = NewDocument(unit.id(), "有正文的文件");
  d.set_body("很长的正文");
  const v1::Document created = Create(d);
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.omit_body = true;
  v1::Document expected = created;
  expected.clear_body();
  EXPECT_THAT(documents().ListDocuments(f, {}), IsOkAndHolds(ElementsAre(EqualsProto(expected))));
  f.omit_body = false;
  EXPECT_THAT(documents().ListDocuments(f, {}), IsOkAndHolds(ElementsAre(EqualsProto(created))));
}

TEST_F(ListDocumentsTest, KeysetPagingIsStableWhileNewDocumentsArrive) {
  const v1::Unit unit = NewUnit();
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(Create(NewDocument(unit.id())).id());
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.omit_body = true;

  std::vector<int64_t> seen;
  KeysetPage page{0, 3};
  for (int round = 0; round < 10; ++round) {
    ASSERT_OK_AND_ASSIGN(std::vector<v1::Document> docs, documents().ListDocuments(f, page));
    if (docs.empty()) break;
    EXPECT_LE(docs.size(), 3u);
    for (const v1::Document& d : docs) seen.push_back(d.id());
    page.after_id = docs.back().id();
    // A document created between pages sorts before the cursor and is not seen.
    Create(NewDocument(unit.id()));
  }
  EXPECT_THAT(seen, ElementsAre(ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]));
}

// ---- Counts ------------------------------------------------------------------------------

// NAT-10: in_force_only leaves out repealed documents (repealed_on set).
TEST_F(ListDocumentsTest, Nat10InForceOnlyLeavesOutRepealedDocuments) {
  const v1::Unit unit = NewUnit();
  v1::Document in_force = NewDocument(unit.id(), "现行有效的文件");
  in_force.set_state(v1::PUBLISHED);
  in_force.set_is_policy_document(true);
  v1::Document repealed = in_force;
  repealed.set_title("已废止的文件");
  *repealed.mutable_repealed_on() = ToProtoDate(absl::CivilDay(2024, 6, 1));
  repealed.set_repeal_reason("已废止");
  const v1::Document a = Create(in_force);
  const v1::Document b = Create(repealed);
  DocumentFilter f;
  f.drafting_unit_id = unit.id();
  f.state = v1::PUBLISHED;
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(b.id(), a.id()))));
  f.in_force_only = true;
  EXPECT_THAT(documents().ListDocuments(f, {}),
              IsOkAndHolds(ResultOf(Ids<v1::Document>, ElementsAre(a.id()))));
}

class CountsTest : public RepositorySuite<CountsTest> {};

TEST_F(CountsTest, CountDocumentsByStateAndCountOverdue) {
  const v1::Unit unit = NewUnit();
  EXPECT_THAT(documents().CountDocumentsByState(), IsOkAndHolds(IsEmpty()));
  const absl::CivilDay start(2024, 6, 10);
  auto add = [&](v1::DocumentState state, v1::DisclosureAttribute attribute,
                 std::optional<absl::CivilDay> due) {
    v1::Document d = NewDocument(unit.id());
    d.set_state(state);
    d.set_disclosure_attribute(attribute);
    if (due.has_value()) *d.mutable_publication_deadline() = MakeDeadline(start, *due);
    Create(d);
  };
  add(v1::DRAFT, v1::PROACTIVE, absl::CivilDay(2024, 7, 8));
  add(v1::DRAFT, v1::PROACTIVE, std::nullopt);
  add(v1::RETURNED, v1::PROACTIVE, absl::CivilDay(2024, 7, 3));
  add(v1::PENDING_REVIEW, v1::PROACTIVE, absl::CivilDay(2024, 7, 2));
  add(v1::APPROVED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));
  add(v1::APPROVED, v1::NOT_DISCLOSED, absl::CivilDay(2024, 7, 1));
  add(v1::PUBLISHED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));
  add(v1::PUBLISHED, v1::PROACTIVE, absl::CivilDay(2024, 7, 1));

  EXPECT_THAT(documents().CountDocumentsByState(),
              IsOkAndHolds(ElementsAre(Pair(v1::DRAFT, 2), Pair(v1::RETURNED, 1),
                                       Pair(v1::PENDING_REVIEW, 1), Pair(v1::APPROVED, 2),
                                       Pair(v1::PUBLISHED, 2))));
  EXPECT_THAT(documents().CountOverdue(absl::CivilDay(2024, 7, 9)), IsOkAndHolds(4));
  EXPECT_THAT(documents().CountOverdue(absl::CivilDay(2024, 7, 3)), IsOkAndHolds(2));
  EXPECT_THAT(documents().CountOverdue(absl::CivilDay(2024, 7, 1)), IsOkAndHolds(0));
  // The list filter and the count agree.
  DocumentFilter f;
  f.overdue_on = absl::CivilDay(2024, 7, 9);
  EXPECT_THAT(documents().ListDocuments(f, {0, 100}), IsOkAndHolds(SizeIs(4)));
}

// ---- Concurrency -------------------------------------------------------------------------

class ConcurrencyTest : public RepositorySuite<ConcurrencyTest> {};

// Optimistic concurrency loses no update: 8 writers × 20 read-modify-write cycles on one
// document, each retried from a fresh read on ABORTED, end at version 1 + 160 with 160
// update audit rows.
TEST_F(ConcurrencyTest, ConcurrentUpdatesWithReloadOnAbortedLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kUpdatesPerThread = 20;
  const v1::Unit unit = NewUnit();
  v1::Document doc = NewDocument(unit.id(), "并发");
  doc.set_body("");
  const int64_t id = Create(doc).id();

  std::atomic<int> conflicts{0};
  absl::Mutex mu;
  std::vector<absl::Status> errors;  // Guarded by mu.
  auto writer = [&](int w) {
    for (int i = 0; i < kUpdatesPerThread; ++i) {
      while (true) {
        absl::StatusOr<v1::Document> current = documents().GetDocument(id);
        if (!current.ok()) {
          absl::MutexLock lock(&mu);
          errors.push_back(current.status());
          return;
        }
        v1::Document next = *current;
        next.set_body(absl::StrCat(current->body(), w, ":", i, ";"));
        absl::StatusOr<v1::Document> updated = documents().UpdateDocument(
            next, current->version(),
            Audit(absl::StrCat("w", w, "-", i), v1::DRAFT, v1::DRAFT, absl::Now()), std::nullopt);
        if (updated.ok()) break;
        if (updated.status().code() == absl::StatusCode::kAborted) {
          ++conflicts;
          continue;
        }
        absl::MutexLock lock(&mu);
        errors.push_back(updated.status());
        return;
      }
    }
  };
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) threads.emplace_back(writer, w);
  for (std::thread& t : threads) t.join();
  const absl::Duration elapsed = absl::Now() - start;

  EXPECT_THAT(errors, IsEmpty()) << errors.front();
  ASSERT_OK_AND_ASSIGN(v1::Document final_doc, documents().GetDocument(id));
  EXPECT_EQ(final_doc.version(), 1 + kThreads * kUpdatesPerThread);
  EXPECT_EQ(AuditRows(id), 1 + kThreads * kUpdatesPerThread);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_audit WHERE document_id = ? AND action <> "
                  "'create'",
                  {id}),
            kThreads * kUpdatesPerThread);
  // Every update is in the body exactly once: none overwrote another.
  for (int w = 0; w < kThreads; ++w) {
    for (int i = 0; i < kUpdatesPerThread; ++i) {
      const std::string mark = absl::StrCat(";", w, ":", i, ";");
      EXPECT_THAT(absl::StrCat(";", final_doc.body()), HasSubstr(mark)) << mark;
    }
  }
  RecordProperty("conflicts", conflicts.load());
  RecordProperty("elapsed_ms", static_cast<int>(absl::ToInt64Milliseconds(elapsed)));
  std::cout << "[          ] " << conflicts.load() << " version conflicts in " << elapsed << "\n";
}

}  // namespace
}  // namespace gongkai::catalog
