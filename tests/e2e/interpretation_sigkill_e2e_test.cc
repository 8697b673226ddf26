// The promise between the catalog and the interpretation service survives crashes
// (INT-3): a publication committed with its outbox event reaches the interpretation
// service after the catalog is SIGKILLed before delivering it, and after the
// interpretation service is SIGKILLed in the middle of applying it; either way the
// interpretation is released within 10 seconds of the restart, once, with the
// document's publication time. And an interpretation service that cannot be reached
// makes the catalog answer UNAVAILABLE and change nothing.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/db/testing/test_database.h"
#include "libs/db/transaction.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/interpretation_steps.h"

namespace gongkai::e2e {
namespace {

using db::testing::IsOk;
using db::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::Duration kReleasedWithin = absl::Seconds(10);

class InterpretationSigkillE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A short lease and back-off: a dead relay's claim is taken over in seconds.
    absl::StatusOr<std::unique_ptr<InterpretationSuite>> started = InterpretationSuite::Start(
        "intkill", {{"GONGKAI_OUTBOX_LEASE", "3s"}, {"GONGKAI_OUTBOX_MAX_BACKOFF", "1s"}});
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    suite_ = *std::move(started);
  }
  static void TearDownTestSuite() { suite_.reset(); }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr) << start_error_;
    steps_ = std::make_unique<InterpretationSteps>(suite_.get());
    absl::StatusOr<cat::Unit> unit =
        steps_->NewUnit(absl::StrCat("KILL-U", ++unit_counter_), "市民政局");
    ASSERT_TRUE(unit.ok()) << unit.status();
    unit_ = unit->id();
  }

  static absl::StatusOr<std::unique_ptr<db::ConnectionPool>> InterpretationPool() {
    return db::ConnectionPool::Create(suite_->interpretation_database().ServiceConfig(2));
  }

  // How many times the publication of `document` was recorded by the receiver.
  static int64_t PublicationsOf(int64_t document) {
    auto pool = InterpretationPool();
    if (!pool.ok()) return -1;
    auto conn = (*pool)->Acquire();
    if (!conn.ok()) return -1;
    auto rows = (*conn)->Query("SELECT COUNT(*) FROM document_publications WHERE document_id = ?",
                               {document});
    return rows.ok() ? *rows.value()[0].GetInt64(0) : -1;
  }

  static absl::StatusOr<outbox::StoredEvent> OutboxEvent(int64_t document) {
    ASSIGN_OR_RETURN(auto pool,
                     db::ConnectionPool::Create(suite_->catalog_database().ServiceConfig(1)));
    return outbox::ReadEvent(*pool, absl::StrCat("document-published/", document));
  }

  // Released once, with the document's publication time, by one change after approval.
  void ExpectReleasedOnce(const interp::Interpretation& approved, const cat::Document& published) {
    ASSERT_OK_AND_ASSIGN(interp::Interpretation now, steps_->GetInterpretation("", approved.id()));
    EXPECT_EQ(now.state(), interp::RELEASED);
    EXPECT_EQ(FromTimestamp(now.release_time()), FromTimestamp(published.publish_time()));
    EXPECT_EQ(now.version(), approved.version() + 1);
    EXPECT_EQ(PublicationsOf(published.id()), 1);
    absl::StatusOr<outbox::StoredEvent> event = OutboxEvent(published.id());
    ASSERT_TRUE(event.ok()) << event.status();
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (event.ok() && event->state != outbox::EventState::kDelivered && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(100));
      event = OutboxEvent(published.id());
    }
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_EQ(event->state, outbox::EventState::kDelivered);
  }

  inline static std::unique_ptr<InterpretationSuite> suite_;
  inline static std::string start_error_ = "not started";
  inline static int unit_counter_ = 0;
  std::unique_ptr<InterpretationSteps> steps_;
  int64_t unit_ = 0;
};

// Committed, not delivered (the receiver's table is out of reach, so every attempt
// fails and is retried), then the catalog is SIGKILLed. After the restart its relay
// delivers the stored event.
TEST_F(InterpretationSigkillE2eTest, Int3CatalogKilledAfterCommitBeforeDelivery) {
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit_, "关于低保审核的办法"));
  interp::Interpretation approved;
  ASSERT_THAT(steps_->PrepareForPublication(unit_, draft.id(), &approved), IsOk());

  ASSERT_OK_AND_ASSIGN(auto admin_config, db::testing::TestDatabase::ServerConfigFromEnv());
  ASSERT_OK_AND_ASSIGN(auto admin, db::ConnectionPool::Create(admin_config));
  const std::string table =
      absl::StrCat("`", suite_->interpretation_database().name(), "`.document_publications");
  const std::string hidden =
      absl::StrCat("`", suite_->interpretation_database().name(), "`.document_publications_away");
  {
    ASSERT_OK_AND_ASSIGN(auto conn, admin->Acquire());
    ASSERT_THAT(conn->Execute(absl::StrCat("RENAME TABLE ", table, " TO ", hidden)), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(cat::Document published, steps_->Publish(unit_, draft.id()));
  ASSERT_EQ(published.state(), cat::PUBLISHED);
  // The event is stored and its deliveries fail: not delivered, the interpretation waits.
  const absl::Time attempts_by = absl::Now() + absl::Seconds(10);
  absl::StatusOr<outbox::StoredEvent> event = OutboxEvent(published.id());
  while (event.ok() && event->attempts < 1 && absl::Now() < attempts_by) {
    absl::SleepFor(absl::Milliseconds(100));
    event = OutboxEvent(published.id());
  }
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->state, outbox::EventState::kPending);
  EXPECT_GE(event->attempts, 1);
  ASSERT_OK_AND_ASSIGN(interp::Interpretation waiting,
                       steps_->GetInterpretation(steps_->StaffOf(unit_), approved.id()));
  EXPECT_EQ(waiting.state(), interp::APPROVED);

  suite_->KillCatalog();
  {
    ASSERT_OK_AND_ASSIGN(auto conn, admin->Acquire());
    ASSERT_THAT(conn->Execute(absl::StrCat("RENAME TABLE ", hidden, " TO ", table)), IsOk());
  }
  ASSERT_THAT(suite_->StartCatalog(), IsOk());
  EXPECT_THAT(steps_->WaitForRelease(approved.id(), kReleasedWithin), IsOk());
  ExpectReleasedOnce(approved, published);
}

// The receiver is SIGKILLed while it applies the event (its transaction is held up by a
// lock the test holds), so its work is rolled back; the catalog's relay retries and the
// restarted service applies it once.
TEST_F(InterpretationSigkillE2eTest, Int3InterpretationKilledDuringDelivery) {
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit_, "关于高龄津贴的通知"));
  interp::Interpretation approved;
  ASSERT_THAT(steps_->PrepareForPublication(unit_, draft.id(), &approved), IsOk());

  ASSERT_OK_AND_ASSIGN(auto pool, InterpretationPool());
  ASSERT_OK_AND_ASSIGN(auto holder, pool->Acquire());
  ASSERT_OK_AND_ASSIGN(auto admin_config, db::testing::TestDatabase::ServerConfigFromEnv());
  ASSERT_OK_AND_ASSIGN(auto admin, db::ConnectionPool::Create(admin_config));
  ASSERT_OK_AND_ASSIGN(auto observer, admin->Acquire());
  ASSERT_THAT(holder->Execute("START TRANSACTION"), IsOk());
  ASSERT_THAT(
      holder->Query("SELECT id FROM interpretations WHERE id = ? FOR UPDATE", {approved.id()}),
      IsOk());
  ASSERT_OK_AND_ASSIGN(cat::Document published, steps_->Publish(unit_, draft.id()));
  // The delivery is in the receiver now, waiting for the lock.
  const absl::Time in_flight_by = absl::Now() + absl::Seconds(10);
  int64_t waiting = 0;
  while (waiting == 0 && absl::Now() < in_flight_by) {
    absl::SleepFor(absl::Milliseconds(100));
    auto rows = observer->Query(
        "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'");
    if (rows.ok()) waiting = *rows.value()[0].GetInt64(0);
  }
  ASSERT_GT(waiting, 0) << "the delivery never reached the interpretation service";

  suite_->KillInterpretation();
  ASSERT_THAT(holder->Execute("ROLLBACK"), IsOk());
  ASSERT_THAT(suite_->StartInterpretation(), IsOk());
  EXPECT_THAT(steps_->WaitForRelease(approved.id(), kReleasedWithin), IsOk());
  ExpectReleasedOnce(approved, published);
}

// The interpretation service down: the catalog refuses with UNAVAILABLE and changes
// nothing; it never decides on a guess.
TEST_F(InterpretationSigkillE2eTest, Int3InterpretationUnreachableChangesNothing) {
  ASSERT_OK_AND_ASSIGN(cat::Document draft, steps_->DraftCityPolicy(unit_, "关于救助标准的通知"));
  suite_->KillInterpretation();
  EXPECT_THAT(steps_->Submit(unit_, draft.id()),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
  ASSERT_OK_AND_ASSIGN(cat::Document after,
                       steps_->GetDocument(steps_->StaffOf(unit_), draft.id()));
  EXPECT_EQ(after.state(), cat::DRAFT);
  EXPECT_EQ(after.version(), draft.version());
  ASSERT_THAT(suite_->StartInterpretation(), IsOk());
  // Once the catalog's channel has reconnected (within a second or so), it can be asked:
  // there is no interpretation, so the submission is returned.
  absl::StatusOr<cat::Document> returned;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    returned = steps_->Submit(unit_, draft.id());
    if (!absl::IsUnavailable(returned.status())) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), cat::RETURNED);
}

}  // namespace
}  // namespace gongkai::e2e
