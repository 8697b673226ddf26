// The MySQL InterpretationRepository against the real MariaDB (./gongkai test), with the
// binary's migrations: creates and the one-primary rule, optimistic updates, release
// records, the publication applied once with its time, the approval that sees a
// publication, keyset lists, and the publication joins behind the lag flags.
#include "services/interpretation/mysql_interpretation_repository.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/db/migrator.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::interpretation {
namespace {

using integration::MigratedDatabase;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1730700000);

v1::Interpretation Draft(int64_t document_id, v1::InterpretationKind kind = v1::PRIMARY) {
  v1::Interpretation i;
  i.set_document_id(document_id);
  i.set_kind(kind);
  i.set_state(v1::DRAFT);
  i.set_unit_id(7);
  i.set_document_title("关于促进就业的若干政策措施");
  i.set_issuing_authority(catalog::v1::CITY_GOVERNMENT);
  i.mutable_sections()->mutable_scope()->set_text("全市");
  i.mutable_sections()->mutable_key_terms()->set_not_applicable(true);
  i.mutable_sections()->mutable_key_terms()->set_not_applicable_reason("无专门术语");
  i.mutable_plan()->add_forms(v1::VIDEO);
  i.mutable_plan()->add_channels(v1::WECHAT);
  i.set_created_by("staff-7");
  return i;
}

PublicationRelease Release(int64_t document_id, absl::Time at) {
  PublicationRelease r;
  r.publication.document_id = document_id;
  r.publication.unit_id = 7;
  r.publication.issuing_authority = catalog::v1::CITY_GOVERNMENT;
  r.publication.document_title = "文件";
  r.publication.publish_time = at;
  r.publication.event_id = absl::StrCat("document-published/", document_id);
  r.lag_rule = "interpretation.release v1";
  r.now = at + absl::Seconds(1);
  return r;
}

class MysqlInterpretationRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<MigratedDatabase> db = MigratedDatabase::Create("interp");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<MigratedDatabase>(*std::move(db));
    // The outbox table, as the binary's library migrations create it.
    ASSERT_TRUE(db::Migrator(db_->pool.get(), {outbox::OutboxMigrationSet()}, {}).Migrate().ok());
    repo_ = NewMysqlInterpretationRepository(db_->pool.get());
  }

  std::unique_ptr<MigratedDatabase> db_;
  std::unique_ptr<InterpretationRepository> repo_;
};

TEST_F(MysqlInterpretationRepositoryTest, CreateAndGetRoundTripTheContent) {
  absl::StatusOr<v1::Interpretation> created = repo_->Create(Draft(100), nullptr, kNow);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_GT(created->id(), 0);
  absl::StatusOr<v1::Interpretation> read = repo_->Get(created->id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(*read, integration::EqualsProto(*created));
  EXPECT_EQ(repo_->Get(created->id() + 100).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(MysqlInterpretationRepositoryTest, OnePrimaryPerDocumentButManySupplementary) {
  ASSERT_TRUE(repo_->Create(Draft(100), nullptr, kNow).ok());
  EXPECT_EQ(repo_->Create(Draft(100), nullptr, kNow).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(repo_->Create(Draft(100, v1::SUPPLEMENTARY), nullptr, kNow).ok());
  EXPECT_TRUE(repo_->Create(Draft(100, v1::SUPPLEMENTARY), nullptr, kNow).ok());
  absl::StatusOr<std::optional<v1::Interpretation>> primary = repo_->FindPrimary(100);
  ASSERT_TRUE(primary.ok());
  ASSERT_TRUE(primary->has_value());
  EXPECT_EQ((*primary)->kind(), v1::PRIMARY);
}

TEST_F(MysqlInterpretationRepositoryTest, IdempotentCreateStoresTheResponse) {
  idempotency::Key key("staff-7", "CreateInterpretation", "req-1", "hash");
  absl::StatusOr<v1::Interpretation> created = repo_->Create(Draft(100), &key, kNow);
  ASSERT_TRUE(created.ok());
  absl::StatusOr<std::optional<std::string>> stored = repo_->FindIdempotentResponse(key);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  v1::Interpretation replay;
  ASSERT_TRUE(replay.ParseFromString(**stored));
  EXPECT_EQ(replay.id(), created->id());
}

TEST_F(MysqlInterpretationRepositoryTest, StaleUpdateIsAborted) {
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  created.mutable_plan()->set_spokesperson("张三");
  absl::StatusOr<v1::Interpretation> updated = repo_->Update(created, 1, kNow + absl::Seconds(1));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version(), 2);
  EXPECT_EQ(updated->plan().spokesperson(), "张三");
  EXPECT_EQ(repo_->Update(created, 1, kNow).status().code(), absl::StatusCode::kAborted);
}

TEST_F(MysqlInterpretationRepositoryTest, PublicationReleasesApprovedOnceWithItsTime) {
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  created.set_state(v1::APPROVED);
  created.set_first_interpreter("head-7");
  *created.mutable_approve_time() = ToTimestamp(kNow);
  ASSERT_TRUE(repo_->Update(created, 1, kNow).ok());
  v1::Interpretation other_draft = *repo_->Create(Draft(100, v1::SUPPLEMENTARY), nullptr, kNow);
  const absl::Time published = kNow + absl::Hours(2);
  absl::StatusOr<AppliedPublication> applied = repo_->ApplyPublication(Release(100, published));
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_FALSE(applied->already_applied);
  EXPECT_THAT(applied->released_ids, ElementsAre(created.id()));
  v1::Interpretation released = *repo_->Get(created.id());
  EXPECT_EQ(released.state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(released.release_time()), published);
  EXPECT_EQ(FromTimestamp(released.document_publish_time()), published);
  EXPECT_EQ(repo_->Get(other_draft.id())->state(), v1::DRAFT);
  EXPECT_EQ(FromTimestamp(repo_->Get(other_draft.id())->document_publish_time()), published);
  // Redelivered: nothing changes.
  absl::StatusOr<AppliedPublication> again = repo_->ApplyPublication(Release(100, published));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_applied);
  EXPECT_THAT(again->released_ids, IsEmpty());
  EXPECT_EQ(repo_->Get(created.id())->version(), released.version());
}

TEST_F(MysqlInterpretationRepositoryTest, Int3GateReadsThePrimaryStatusAlone) {
  EXPECT_FALSE(repo_->FindPrimaryStatus(100)->has_value());
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  ASSERT_TRUE(repo_->Create(Draft(100, v1::SUPPLEMENTARY), nullptr, kNow).ok());
  absl::StatusOr<std::optional<PrimaryStatus>> status = repo_->FindPrimaryStatus(100);
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_TRUE(status->has_value());
  EXPECT_EQ((*status)->id, created.id());
  EXPECT_EQ((*status)->unit_id, 7);
  EXPECT_EQ((*status)->state, v1::DRAFT);
}

TEST_F(MysqlInterpretationRepositoryTest, Int3RecordedPublicationReleasesNothingAndCountsOnce) {
  v1::Interpretation approved = *repo_->Create(Draft(100), nullptr, kNow);
  approved.set_state(v1::APPROVED);
  ASSERT_TRUE(repo_->Update(approved, 1, kNow).ok());
  v1::Interpretation unpublished = *repo_->Create(Draft(101), nullptr, kNow);
  unpublished.set_state(v1::APPROVED);
  ASSERT_TRUE(repo_->Update(unpublished, 1, kNow).ok());
  ASSERT_TRUE(repo_->Create(Draft(102), nullptr, kNow).ok());  // A draft: not a candidate.
  absl::StatusOr<std::vector<ApprovedPrimary>> candidates = repo_->ListApprovedPrimaries(0, 10);
  ASSERT_TRUE(candidates.ok()) << candidates.status();
  ASSERT_EQ(candidates->size(), 2u);
  EXPECT_EQ((*candidates)[0].id, approved.id());
  EXPECT_EQ((*candidates)[0].document_id, 100);
  EXPECT_EQ((*candidates)[0].version, 2);
  EXPECT_EQ(repo_->ListApprovedPrimaries(approved.id(), 10)->size(), 1u);
  EXPECT_EQ(repo_->ListApprovedPrimaries(0, 1)->size(), 1u);

  Publication learnt = Release(100, kNow).publication;
  learnt.event_id = "catalog-lookup/100";
  ASSERT_TRUE(repo_->RecordPublication(learnt, kNow + absl::Hours(1)).ok());
  v1::Interpretation after = *repo_->Get(approved.id());
  EXPECT_EQ(after.state(), v1::APPROVED);  // The caller releases it, late or not.
  EXPECT_EQ(FromTimestamp(after.document_publish_time()), kNow);
  EXPECT_EQ(repo_->FindPublication(100)->value().event_id, "catalog-lookup/100");
  // Recorded again, or the catalog's event arriving after all: nothing changes.
  ASSERT_TRUE(repo_->RecordPublication(learnt, kNow + absl::Hours(2)).ok());
  absl::StatusOr<AppliedPublication> event = repo_->ApplyPublication(Release(100, kNow));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_TRUE(event->already_applied);
  EXPECT_EQ(repo_->Get(approved.id())->state(), v1::APPROVED);
}

// The relay's batch in one transaction: new publications recorded with one INSERT,
// approved interpretations released each with its own document's time, a redelivery
// (or a document given twice) already_applied, nothing else touched.
TEST_F(MysqlInterpretationRepositoryTest, Int3PublicationsAppliedTogetherEachOnce) {
  v1::Interpretation first = *repo_->Create(Draft(100), nullptr, kNow);
  v1::Interpretation second = *repo_->Create(Draft(200), nullptr, kNow);
  v1::Interpretation draft = *repo_->Create(Draft(300), nullptr, kNow);
  for (const v1::Interpretation& i : {first, second}) {
    v1::Interpretation approved = i;
    approved.set_state(v1::APPROVED);
    ASSERT_TRUE(repo_->Update(approved, i.version(), kNow).ok());
  }
  ASSERT_TRUE(repo_->ApplyPublication(Release(400, kNow)).ok());  // Recorded before.
  PublicationRelease later = Release(200, kNow + absl::Minutes(5));
  later.lag_rule = "interpretation.release v2";
  absl::StatusOr<std::vector<AppliedPublication>> applied = repo_->ApplyPublications(
      {Release(100, kNow), later, Release(300, kNow), Release(400, kNow), Release(100, kNow)});
  ASSERT_TRUE(applied.ok()) << applied.status();
  ASSERT_EQ(applied->size(), 5u);
  EXPECT_THAT((*applied)[0].released_ids, ElementsAre(first.id()));
  EXPECT_THAT((*applied)[1].released_ids, ElementsAre(second.id()));
  EXPECT_THAT((*applied)[2].released_ids, IsEmpty());
  EXPECT_FALSE((*applied)[2].already_applied);
  EXPECT_TRUE((*applied)[3].already_applied);
  EXPECT_TRUE((*applied)[4].already_applied);  // The same document twice: once.
  v1::Interpretation one = *repo_->Get(first.id());
  EXPECT_EQ(one.state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(one.release_time()), kNow);
  EXPECT_EQ(one.lag_rule(), "interpretation.release v1");
  v1::Interpretation two = *repo_->Get(second.id());
  EXPECT_EQ(FromTimestamp(two.release_time()), kNow + absl::Minutes(5));
  EXPECT_EQ(FromTimestamp(two.document_publish_time()), kNow + absl::Minutes(5));
  EXPECT_EQ(two.lag_rule(), "interpretation.release v2");
  EXPECT_EQ(two.version(), second.version() + 2);
  v1::Interpretation waiting = *repo_->Get(draft.id());
  EXPECT_EQ(waiting.state(), v1::DRAFT);  // Not approved: stamped, not released.
  EXPECT_EQ(FromTimestamp(waiting.document_publish_time()), kNow);
  EXPECT_EQ(repo_->FindPublication(300)->value().event_id, "document-published/300");
  // Delivered again: nothing changes.
  absl::StatusOr<std::vector<AppliedPublication>> again =
      repo_->ApplyPublications({Release(100, kNow), later});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE((*again)[0].already_applied);
  EXPECT_TRUE((*again)[1].already_applied);
  EXPECT_EQ(repo_->Get(second.id())->version(), two.version());
}

TEST_F(MysqlInterpretationRepositoryTest, ApprovalSeesThePublication) {
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  ASSERT_TRUE(repo_->ApplyPublication(Release(100, kNow)).ok());
  std::optional<Publication> seen;
  absl::StatusOr<v1::Interpretation> approved = repo_->UpdateApproved(
      created.id(), created.version(),
      [&](const std::optional<Publication>& p) -> absl::StatusOr<ApprovalOutcome> {
        seen = p;
        ApprovalOutcome outcome;
        v1::Interpretation& i = outcome.interpretation;
        i = created;
        i.set_state(v1::RELEASED);
        *i.mutable_release_time() = ToTimestamp(kNow + absl::Hours(48));
        i.set_release_lag_working_days(2);
        i.set_late(true);
        outcome.message =
            OutboxMessage{"interpretation.released_after_document", "catalog",
                          absl::StrCat("interpretation-released/", created.id()), "100", "payload"};
        return outcome;
      },
      kNow + absl::Hours(48));
  ASSERT_TRUE(approved.ok()) << approved.status();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->publish_time, kNow);
  EXPECT_TRUE(approved->late());
  EXPECT_EQ(approved->release_lag_working_days(), 2);
  // INT-3: the report to the catalog was stored with the release, in its transaction.
  absl::StatusOr<outbox::StoredEvent> event =
      outbox::ReadEvent(*db_->pool, absl::StrCat("interpretation-released/", created.id()));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event.topic, "interpretation.released_after_document");
  EXPECT_EQ(event->event.destination, "catalog");
  EXPECT_EQ(event->event.payload, "payload");
  EXPECT_EQ(event->event.create_time, kNow + absl::Hours(48));
  EXPECT_EQ(repo_->UpdateApproved(created.id(), created.version(), nullptr, kNow).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(MysqlInterpretationRepositoryTest, ReleaseRecordsAreReadBack) {
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  v1::ReleaseRecord record;
  record.set_form(v1::ARTICLE);
  record.set_channel(v1::NEWSPAPER);
  record.set_reference("南京日报 2024-11-05 A3版");
  *record.mutable_released_on() = ToProtoDate(absl::CivilDay(2024, 11, 5));
  record.set_recorded_by("staff-7");
  absl::StatusOr<v1::Interpretation> with = repo_->AddRelease(created.id(), record, nullptr, kNow);
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_EQ(with->releases_size(), 1);
  EXPECT_EQ(with->releases(0).reference(), "南京日报 2024-11-05 A3版");
  EXPECT_EQ(with->releases(0).channel(), v1::NEWSPAPER);
  EXPECT_EQ(with->version(), 2);
}

TEST_F(MysqlInterpretationRepositoryTest, ListIsKeysetNewestFirstWithVisibility) {
  std::vector<int64_t> ids;
  for (int64_t document = 100; document < 104; ++document) {
    v1::Interpretation d = Draft(document);
    if (document == 103) d.set_unit_id(8);
    ids.push_back(repo_->Create(d, nullptr, kNow)->id());
  }
  InterpretationFilter all;
  EXPECT_THAT(integration::Ids(*repo_->List(all, 0, 2)), ElementsAre(ids[3], ids[2]));
  EXPECT_THAT(integration::Ids(*repo_->List(all, ids[2], 10)), ElementsAre(ids[1], ids[0]));
  InterpretationFilter public_only;
  public_only.released_or_units = true;
  EXPECT_THAT(*repo_->List(public_only, 0, 10), IsEmpty());
  public_only.readable_units = {8};
  EXPECT_THAT(integration::Ids(*repo_->List(public_only, 0, 10)), ElementsAre(ids[3]));
}

TEST_F(MysqlInterpretationRepositoryTest, PublicationsJoinTheirPrimaryInterpretation) {
  v1::Interpretation created = *repo_->Create(Draft(100), nullptr, kNow);
  ASSERT_TRUE(repo_->ApplyPublication(Release(100, kNow)).ok());
  ASSERT_TRUE(repo_->ApplyPublication(Release(101, kNow + absl::Hours(1))).ok());
  absl::StatusOr<std::vector<PublicationWithInterpretation>> rows =
      repo_->ListPublications(7, 0, 10);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].publication.document_id, 101);
  EXPECT_FALSE((*rows)[0].primary.has_value());
  ASSERT_TRUE((*rows)[1].primary.has_value());
  EXPECT_EQ((*rows)[1].primary->id(), created.id());
  absl::StatusOr<std::vector<PublicationWithInterpretation>> in_period =
      repo_->PublicationsInPeriod(7, kNow, kNow + absl::Minutes(30));
  ASSERT_TRUE(in_period.ok());
  ASSERT_EQ(in_period->size(), 1u);
  EXPECT_EQ((*in_period)[0].publication.document_id, 100);
  absl::StatusOr<std::map<v1::InterpretationState, int64_t>> counts = repo_->CountByState();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[v1::DRAFT], 1);
}

}  // namespace
}  // namespace gongkai::interpretation
