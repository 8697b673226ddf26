// INT-3 recovery with the real binaries: a city-government policy document the catalog
// published without the interpretation service hearing of it — published before the
// release gate existed (an old .gongkai state), or whose publication event was lost
// before the outbox existed — still gets its interpretation released, with the
// catalog's publication time and the lag the rule set allows:
//  - approving the interpretation asks the catalog and releases it at once;
//  - an interpretation approved earlier is released by the service's reconcile.
// "Published without an event" is made as an old state was: the catalog's own row is
// changed in its database, so no outbox event exists.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/db/connection_pool.h"
#include "libs/db/testing/status_matchers.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/interpretation_steps.h"

namespace gongkai::e2e {
namespace {

using ::testing::HasSubstr;

class InterpretationRecoveryE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The catalog reads the changed row (no document cache); the interpretation service
    // reconciles every second.
    absl::StatusOr<std::unique_ptr<InterpretationSuite>> started = InterpretationSuite::Start(
        "intrec", {{"GONGKAI_DOCUMENT_CACHE_BYTES", "0"}}, {{"GONGKAI_METRICS_REFRESH", "1s"}});
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
        steps_->NewUnit(absl::StrCat("REC-U", ++unit_counter_), "市人力资源和社会保障局");
    ASSERT_TRUE(unit.ok()) << unit.status();
    unit_ = unit->id();
  }

  // What a document published before the gate looks like: PUBLISHED in the catalog's
  // database, no outbox event. Returns the publication time.
  static absl::StatusOr<absl::Time> PublishWithoutEvent(int64_t document) {
    ASSIGN_OR_RETURN(std::unique_ptr<db::ConnectionPool> pool,
                     db::ConnectionPool::Create(suite_->catalog_database().ServiceConfig(1)));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire());
    const absl::Time published = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) - 600);
    ASSIGN_OR_RETURN(db::ExecResult updated,
                     conn->Execute("UPDATE documents SET state = ?, publish_time = ? WHERE id = ?",
                                   {db::Value(static_cast<int64_t>(cat::PUBLISHED)),
                                    db::Value(published), db::Value(document)}));
    if (updated.affected_rows != 1) return absl::NotFoundError("no such document");
    ASSIGN_OR_RETURN(db::ResultSet events,
                     conn->Query("SELECT COUNT(*) FROM outbox_events WHERE event_key = ?",
                                 {db::Value(absl::StrCat("document-published/", document))}));
    ASSIGN_OR_RETURN(int64_t count, events[0].GetInt64(0));
    if (count != 0) return absl::InternalError("the catalog has an event for it after all");
    return published;
  }

  // Where the interpretation service learnt of the publication (its event id).
  static absl::StatusOr<std::string> PublicationSource(int64_t document) {
    ASSIGN_OR_RETURN(
        std::unique_ptr<db::ConnectionPool> pool,
        db::ConnectionPool::Create(suite_->interpretation_database().ServiceConfig(1)));
    ASSIGN_OR_RETURN(db::ConnectionLease conn, pool->Acquire());
    ASSIGN_OR_RETURN(db::ResultSet rows,
                     conn->Query("SELECT event_id FROM document_publications WHERE document_id = ?",
                                 {db::Value(document)}));
    if (rows.size() != 1) return absl::NotFoundError("publication not recorded once");
    return rows[0].GetString("event_id");
  }

  static std::string InterpretationMetrics() {
    httplib::Client client("127.0.0.1", suite_->interpretation().metrics_port());
    auto response = client.Get("/metrics");
    return response ? response->body : "";
  }

  static inline std::unique_ptr<InterpretationSuite> suite_;
  static inline std::string start_error_;
  static inline int unit_counter_ = 0;
  std::unique_ptr<InterpretationSteps> steps_;
  int64_t unit_ = 0;
};

TEST_F(InterpretationRecoveryE2eTest, Int3ApprovalReleasesTheInterpretationOfAnUnheardPublication) {
  ASSERT_OK_AND_ASSIGN(cat::Document document,
                       steps_->DraftCityPolicy(unit_, "关于稳定和扩大就业的若干政策措施（旧）"));
  ASSERT_OK_AND_ASSIGN(absl::Time published, PublishWithoutEvent(document.id()));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit_, document.id()));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation approved, steps_->Approve(unit_, created.id()));
  EXPECT_EQ(approved.state(), interp::RELEASED);
  EXPECT_EQ(FromTimestamp(approved.document_publish_time()), published);
  // Ten minutes ago: today (in sync under the national rule), or yesterday at midnight.
  EXPECT_LE(approved.release_lag_working_days(), 1);
  EXPECT_EQ(approved.late(), approved.release_lag_working_days() > 0);
  EXPECT_THAT(approved.lag_rule(), HasSubstr("interpretation.release"));
  EXPECT_THAT(PublicationSource(document.id()),
              db::testing::IsOkAndHolds(absl::StrCat("catalog-lookup/", document.id())));
  EXPECT_THAT(InterpretationMetrics(), HasSubstr("interpretation_publications_learnt_total 1"));
  // Public, like any released interpretation.
  ASSERT_OK_AND_ASSIGN(interp::Interpretation anonymous,
                       steps_->GetInterpretation("", created.id()));
  EXPECT_EQ(anonymous.state(), interp::RELEASED);
}

TEST_F(InterpretationRecoveryE2eTest,
       Int3ReconcileReleasesAnApprovedInterpretationWhoseEventWasLost) {
  ASSERT_OK_AND_ASSIGN(cat::Document document,
                       steps_->DraftCityPolicy(unit_, "关于促进创业带动就业的实施意见（旧）"));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation created, steps_->Interpret(unit_, document.id()));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation approved, steps_->Approve(unit_, created.id()));
  ASSERT_EQ(approved.state(), interp::APPROVED);  // The document is not published yet.
  ASSERT_OK_AND_ASSIGN(absl::Time published, PublishWithoutEvent(document.id()));
  ASSERT_OK_AND_ASSIGN(interp::Interpretation released,
                       steps_->WaitForRelease(created.id(), absl::Seconds(15)));
  EXPECT_EQ(FromTimestamp(released.document_publish_time()), published);
  EXPECT_EQ(released.late(), released.release_lag_working_days() > 0);
  EXPECT_EQ(released.version(), approved.version() + 1);  // Released once.
  EXPECT_THAT(PublicationSource(document.id()),
              db::testing::IsOkAndHolds(absl::StrCat("catalog-lookup/", document.id())));
}

}  // namespace
}  // namespace gongkai::e2e
