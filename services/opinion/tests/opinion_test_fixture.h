// The fixture of the opinion service's integration tests: a fresh MariaDB database with
// the service's migrations, the MySQL repository, the built-in rule sets, a small unit
// tree (routing/fake_unit_lookup.h), an injected clock and the domain on top. Callers
// with every role, and helpers that take an event through the workflow.
#ifndef GONGKAI_SERVICES_OPINION_TESTS_OPINION_TEST_FIXTURE_H_
#define GONGKAI_SERVICES_OPINION_TESTS_OPINION_TEST_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/outbox/outbox.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/rules/rule_book.h"
#include "services/opinion/events/mysql_event_repository.h"
#include "services/opinion/events/opinion_events.h"
#include "services/opinion/opinion_rule_sets.h"
#include "services/opinion/routing/fake_unit_lookup.h"
#include "tests/integration/repository_test_support.h"

namespace gongkai::opinion::testing {

namespace v1 = ::gongkai::opinion::v1;
using routing::kCity;
using routing::kCityHealth;
using routing::kCityOffice;
using routing::kCityTransport;
using routing::kQingxiu;
using routing::kQingxiuHealth;

inline absl::Time Shanghai(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), ShanghaiTimeZone());
}

inline auth::Principal Caller(std::string subject, std::optional<int64_t> unit,
                              std::initializer_list<auth::Role> roles) {
  auth::Principal p;
  p.subject = std::move(subject);
  p.unit_id = unit;
  for (auth::Role r : roles) p.roles.Add(r);
  return p;
}

class OpinionFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<integration::MigratedDatabase> db =
        integration::MigratedDatabase::Create("opinion", 8);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<integration::MigratedDatabase>(*std::move(db));
    // outbox_events, as ServiceDefinition::library_migrations gives the binary (INT-2).
    absl::StatusOr<std::vector<int64_t>> outbox_applied =
        db::Migrator(db_->pool.get(), {outbox::OutboxMigrationSet()}, {}).Migrate();
    ASSERT_TRUE(outbox_applied.ok()) << outbox_applied.status();
    repository_ = events::NewMysqlEventRepository(db_->pool.get());
    book_ = std::make_shared<rules::RuleBook>(std::vector<std::shared_ptr<const rules::RuleSchema>>{
        ClockRuleSchema(), RoutingRuleSchema()});
    ASSERT_TRUE(rules::LoadEmbeddedRuleSets(*book_).ok());
    events_ = std::make_unique<events::OpinionEvents>(repository_.get(), &units_, book_, &clock_,
                                                      nullptr);
  }

  // A general city-health event first seen at `seen` (the clock is set there).
  v1::CollectEventRequest Request(v1::EventGrade grade, absl::Time seen,
                                  const std::string& request_id = "") {
    v1::CollectEventRequest r;
    r.set_request_id(request_id);
    r.set_title("网传某医院拒收急诊病人");
    r.set_summary("多个平台转发，评论数过万");
    r.set_source(v1::SOURCE_ONLINE_POST);
    r.set_category(v1::CATEGORY_MEDIA_INTEREST);
    r.set_grade(grade);
    r.set_territory(v1::TERRITORY_ONE_LOCALITY);
    r.add_locality_unit_ids(kQingxiu);
    r.add_concerned_unit_ids(kQingxiuHealth);
    r.add_concerned_unit_ids(kCityHealth);
    v1::EvidenceLink* link = r.add_evidence();
    link->set_url("https://weibo.example/post/1");
    link->set_excerpt("急诊室门口……");
    *r.mutable_first_seen_time() = ToTimestamp(seen);
    return r;
  }

  v1::OpinionEvent Collect(v1::EventGrade grade, absl::Time seen) {
    clock_.Set(seen);
    v1::CollectEventRequest request = Request(grade, seen);
    request.set_collecting_unit_id(kCityOffice);
    absl::StatusOr<v1::OpinionEvent> e = events_->CollectEvent(office_, request);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : v1::OpinionEvent();
  }

  absl::StatusOr<v1::OpinionEvent> Consult(int64_t id) {
    v1::RecordConsultationRequest r;
    r.set_id(id);
    r.add_participants("市委宣传部");
    r.add_participants("青秀区卫生健康局");
    r.set_conclusion("先发布已知事实，再通报调查进展");
    return events_->RecordConsultation(office_, r);
  }

  absl::StatusOr<v1::OpinionEvent> Assess(int64_t id, v1::EventGrade grade, bool heavy = false) {
    v1::RecordAssessmentRequest r;
    r.set_id(id);
    r.set_risk("舆情热度上升，可能引发线下聚集");
    r.set_grade(grade);
    r.set_heavy_casualties(heavy);
    return events_->RecordAssessment(office_, r);
  }

  v1::RecordResponseRequest Answer(int64_t id, v1::ResponseChannel channel, absl::Time published,
                                   std::vector<std::pair<std::string, std::string>> facts = {}) {
    v1::RecordResponseRequest r;
    r.set_id(id);
    r.set_channel(channel);
    r.set_content("青秀区卫生健康局已介入调查，当事医院已暂停相关人员工作。");
    *r.mutable_publish_time() = ToTimestamp(published);
    r.set_spokesperson("张三");
    r.set_link("https://www.nanning.gov.cn/xwfb/1.html");
    for (auto& [fact, value] : facts) {
      v1::StatedFact* f = r.add_facts();
      f->set_fact(fact);
      f->set_value(value);
    }
    return r;
  }

  const v1::EventClock* ClockOf(const v1::OpinionEvent& event, v1::ClockKind kind,
                                v1::ClockStatus status = v1::CLOCK_RUNNING) {
    for (const v1::EventClock& c : event.clocks()) {
      if (c.kind() == kind && c.status() == status) return &c;
    }
    return nullptr;
  }

  int64_t Count(const std::string& table) {
    auto conn = db_->pool->Acquire();
    auto rows = (*conn)->Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table));
    return *(*rows)[0].GetInt64("n");
  }

  std::unique_ptr<integration::MigratedDatabase> db_;
  std::unique_ptr<events::EventRepository> repository_;
  routing::FakeUnitLookup units_ = routing::NanningUnits();
  std::shared_ptr<rules::RuleBook> book_;
  FakeClock clock_{Shanghai(2026, 3, 10, 8, 0)};
  std::unique_ptr<events::OpinionEvents> events_;

  const auth::Principal office_ = Caller("office", kCityOffice, {auth::Role::kOffice});
  const auth::Principal qingxiu_staff_ = Caller("qx-clerk", kQingxiuHealth, {auth::Role::kStaff});
  const auth::Principal qingxiu_head_ = Caller("qx-head", kQingxiuHealth, {auth::Role::kHead});
  const auth::Principal transport_staff_ = Caller("jt-clerk", kCityTransport, {auth::Role::kStaff});
  const auth::Principal supervision_ = Caller("duchashi", kCity, {auth::Role::kSupervision});
  const auth::Principal inspector_ = Caller("inspector", std::nullopt, {auth::Role::kInspector});
};

}  // namespace gongkai::opinion::testing

#endif  // GONGKAI_SERVICES_OPINION_TESTS_OPINION_TEST_FIXTURE_H_
