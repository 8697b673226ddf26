// INT-2/OPI-1 end to end (issues 9 and 11; label: e2e): the real gongkai-catalog,
// gongkai-interpretation and gongkai-opinion binaries. An opinion event about a published
// policy document records that the policy was misread; the opinion service's outbox
// relay requests a supplementary interpretation from the interpretation service as
// service:opinion. The request arrives there once however often it is retried (by the
// client, or redelivered by the relay), and a request made while the interpretation
// service is down is delivered when it comes back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "libs/db/connection_pool.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/e2e_database.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/interpretation_steps.h"
#include "tests/e2e/service_process.h"

#ifndef GONGKAI_OPINION_BINARY
#error "GONGKAI_OPINION_BINARY must be defined by the build"
#endif

namespace gongkai::e2e {
namespace {

namespace opi = ::gongkai::opinion::v1;

bool WaitUntil(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(60)) {
  const absl::Time give_up = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

class OpinionSupplementE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<InterpretationSuite>> started =
        InterpretationSuite::Start("opisup");
    if (!started.ok()) {
      start_error_ = started.status().ToString();
      return;
    }
    suite_ = *std::move(started);
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("opisup");
    if (!database.ok()) {
      start_error_ = database.status().ToString();
      return;
    }
    opinion_db_ = *std::move(database);
    // The unit exists before the opinion service starts: its unit directory reads the
    // catalog's units at start and then every refresh period.
    InterpretationSteps steps(suite_.get());
    absl::StatusOr<cat::Unit> unit = steps.NewUnit("OPISUP-U", "市人力资源和社会保障局");
    if (!unit.ok()) {
      start_error_ = unit.status().ToString();
      return;
    }
    unit_ = unit->id();
    absl::Status opinion = StartOpinion();
    if (!opinion.ok()) start_error_ = opinion.ToString();
  }
  static void TearDownTestSuite() {
    opinion_.reset();
    opinion_db_.reset();
    suite_.reset();
  }

  static absl::Status StartOpinion() {
    ServiceProcess::Options options;
    options.binary = GONGKAI_OPINION_BINARY;
    options.listening_message = "opinion listening";
    options.env = opinion_db_->ServiceEnv();
    options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
    options.env["GONGKAI_JWT_HS256_SECRET"] = suite_->jwt_secret();
    options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
    options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
    options.env["GONGKAI_DB_POOL_SIZE"] = "4";
    options.env["GONGKAI_CALENDAR_ADDRESS"] = suite_->catalog_address();
    options.env["GONGKAI_PEERS"] =
        absl::StrCat("catalog=", suite_->catalog_address(),
                     ",interpretation=", suite_->interpretation_address());
    options.env["GONGKAI_OUTBOX_POLL_INTERVAL"] = "200ms";
    options.env["GONGKAI_OUTBOX_MAX_BACKOFF"] = "1s";
    options.env["GONGKAI_INTERPRETATION_CALL_TIMEOUT"] = "2s";
    opinion_.reset();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
    if (!process.ok()) return process.status();
    opinion_ = *std::move(process);
    return absl::OkStatus();
  }

  void SetUp() override {
    ASSERT_NE(opinion_, nullptr) << start_error_;
    steps_ = std::make_unique<InterpretationSteps>(suite_.get());
  }

  std::unique_ptr<opi::OpinionService::Stub> Opinion() const {
    return opi::OpinionService::NewStub(
        grpc::CreateChannel(opinion_->grpc_address(), grpc::InsecureChannelCredentials()));
  }
  std::string Office() const { return suite_->Token("office", unit_, {"OFFICE"}); }

  // A policy document of the unit, published (its primary interpretation approved).
  int64_t PublishedPolicy(const std::string& title) {
    absl::StatusOr<cat::Document> draft = steps_->DraftCityPolicy(unit_, title);
    EXPECT_TRUE(draft.ok()) << draft.status();
    if (!draft.ok()) return 0;
    interp::Interpretation primary;
    absl::Status prepared = steps_->PrepareForPublication(unit_, draft->id(), &primary);
    EXPECT_TRUE(prepared.ok()) << prepared;
    absl::StatusOr<cat::Document> published = steps_->Publish(unit_, draft->id());
    EXPECT_TRUE(published.ok()) << published.status();
    return draft->id();
  }

  // An event of the whole city the unit answers for, concerning `document`.
  int64_t CollectAbout(int64_t document) {
    opi::CollectEventRequest r;
    r.set_title("网传就业补贴政策“停发”");
    r.set_source(opi::SOURCE_ONLINE_POST);
    r.set_category(opi::CATEGORY_MEDIA_INTEREST);
    r.set_grade(opi::GRADE_GENERAL);
    r.set_territory(opi::TERRITORY_CITY);
    r.add_concerned_unit_ids(unit_);
    r.set_collecting_unit_id(unit_);
    r.add_document_ids(document);
    *r.mutable_first_seen_time() = ToTimestamp(absl::Now() - absl::Minutes(5));
    auto stub = Opinion();
    auto event = UnaryCall(*stub, &opi::OpinionService::Stub::CollectEvent, Office(), r);
    EXPECT_TRUE(event.ok()) << event.status();
    return event.ok() ? event->id() : 0;
  }

  absl::StatusOr<opi::OpinionEvent> RequestSupplement(int64_t event, int64_t document,
                                                      const std::string& request_id) {
    opi::RequestInterpretationSupplementRequest r;
    r.set_id(event);
    r.set_document_id(document);
    r.set_reason("研判：网民把“原则上按季度发放”误读为“停发”，需补充解读");
    r.set_request_id(request_id);
    auto stub = Opinion();
    return UnaryCall(*stub, &opi::OpinionService::Stub::RequestInterpretationSupplement, Office(),
                     r);
  }

  absl::StatusOr<opi::OpinionEvent> GetEvent(int64_t id) {
    opi::GetEventRequest r;
    r.set_id(id);
    auto stub = Opinion();
    return UnaryCall(*stub, &opi::OpinionService::Stub::GetEvent, Office(), r);
  }

  // The supplementary interpretations the interpretation service holds for `document`.
  std::vector<interp::Interpretation> SupplementsOf(int64_t document) {
    interp::ListInterpretationsRequest r;
    r.set_document_id(document);
    r.set_page_size(100);
    auto page = UnaryCall(*suite_->InterpretationStub(),
                          &interp::InterpretationService::Stub::ListInterpretations,
                          suite_->Token("root", std::nullopt, {"ADMIN"}), r);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<interp::Interpretation> out;
    if (!page.ok()) return out;
    for (const interp::Interpretation& i : page->interpretations()) {
      if (i.kind() == interp::SUPPLEMENTARY) out.push_back(i);
    }
    return out;
  }

  bool Delivered(int64_t event) {
    absl::StatusOr<opi::OpinionEvent> read = GetEvent(event);
    return read.ok() && read->interpretation_supplements_size() == 1 &&
           read->interpretation_supplements(0).has_deliver_time();
  }

  static std::unique_ptr<InterpretationSuite> suite_;
  static std::unique_ptr<E2eDatabase> opinion_db_;
  static std::unique_ptr<ServiceProcess> opinion_;
  static std::string start_error_;
  static int64_t unit_;
  std::unique_ptr<InterpretationSteps> steps_;
};

std::unique_ptr<InterpretationSuite> OpinionSupplementE2eTest::suite_;
std::unique_ptr<E2eDatabase> OpinionSupplementE2eTest::opinion_db_;
std::unique_ptr<ServiceProcess> OpinionSupplementE2eTest::opinion_;
std::string OpinionSupplementE2eTest::start_error_;
int64_t OpinionSupplementE2eTest::unit_ = 0;

TEST_F(OpinionSupplementE2eTest, Int2Opi1AMisreadPolicyReachesInterpretationOnceThoughRetried) {
  const int64_t document = PublishedPolicy("关于稳就业补贴发放的通知");
  ASSERT_GT(document, 0);
  const int64_t event = CollectAbout(document);
  ASSERT_GT(event, 0);

  absl::StatusOr<opi::OpinionEvent> first = RequestSupplement(event, document, "misread-1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->interpretation_supplements_size(), 1);
  // The client retries the same call (a lost answer): the same request, nothing new.
  absl::StatusOr<opi::OpinionEvent> retried = RequestSupplement(event, document, "misread-1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->version(), first->version());
  ASSERT_EQ(retried->interpretation_supplements_size(), 1);

  ASSERT_TRUE(WaitUntil([&] { return Delivered(event); })) << "never delivered";
  std::vector<interp::Interpretation> supplements = SupplementsOf(document);
  ASSERT_EQ(supplements.size(), 1u);
  EXPECT_EQ(supplements[0].state(), interp::DRAFT);
  EXPECT_EQ(supplements[0].requested_by(), "service:opinion");
  EXPECT_THAT(supplements[0].supplement_reason(), ::testing::HasSubstr("误读"));
  absl::StatusOr<opi::OpinionEvent> read = GetEvent(event);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->interpretation_supplements(0).interpretation_id(), supplements[0].id());

  // The relay delivers again (as after a crash between the receiver's commit and the
  // delivered mark: the outbox row back to pending): the interpretation service answers
  // OK with the same interpretation and creates nothing.
  {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(opinion_db_->ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    auto conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    auto updated = (*conn)->Execute(
        "UPDATE outbox_events SET state = 0, delivered_time = NULL, next_attempt_time = "
        "create_time WHERE event_key = ?",
        {first->interpretation_supplements(0).request_id()});
    ASSERT_TRUE(updated.ok()) << updated.status();
    ASSERT_TRUE(WaitUntil([&] {
      auto rows = (*conn)->Query("SELECT state FROM outbox_events WHERE event_key = ?",
                                 {first->interpretation_supplements(0).request_id()});
      return rows.ok() && !rows->empty() && *(*rows)[0].GetInt64("state") == 1;
    })) << "not redelivered";
  }
  EXPECT_EQ(SupplementsOf(document).size(), 1u);
}

TEST_F(OpinionSupplementE2eTest, Int2Opi1ARequestMadeWhileInterpretationIsDownIsDeliveredLater) {
  const int64_t document = PublishedPolicy("关于灵活就业社保补贴的通知");
  ASSERT_GT(document, 0);
  const int64_t event = CollectAbout(document);
  ASSERT_GT(event, 0);

  suite_->KillInterpretation();
  absl::StatusOr<opi::OpinionEvent> requested = RequestSupplement(event, document, "down-1");
  // Acknowledged while the peer is down: recorded with its outbox event, not delivered.
  ASSERT_TRUE(requested.ok()) << requested.status();
  absl::SleepFor(absl::Seconds(2));
  absl::StatusOr<opi::OpinionEvent> waiting = GetEvent(event);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  ASSERT_EQ(waiting->interpretation_supplements_size(), 1);
  EXPECT_FALSE(waiting->interpretation_supplements(0).has_deliver_time());

  ASSERT_TRUE(suite_->StartInterpretation().ok());
  ASSERT_TRUE(WaitUntil([&] { return Delivered(event); })) << "not delivered after the restart";
  std::vector<interp::Interpretation> supplements = SupplementsOf(document);
  ASSERT_EQ(supplements.size(), 1u);
  absl::StatusOr<opi::OpinionEvent> read = GetEvent(event);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->interpretation_supplements(0).interpretation_id(), supplements[0].id());
}

}  // namespace
}  // namespace gongkai::e2e
