// End-to-end test (label: e2e) of the assessment with all six services running: the
// shipped scheme (rules/assessment.scheme.v1.json) routes items 3-5, 11, 14 to the
// catalog, 9 to interpretation, 7, 8, 12 to consultation, 10 to opinion, 6 to website
// and 13 to the assessment itself; a run over every unit must read every one of them
// (no item EVIDENCE_UNAVAILABLE) and complete, and the scores follow from data entered
// through the services' public APIs for unit `careless` (ASM-6): a draft without a
// disclosure attribute (item 4: -1), a proactive document published late (item 5: -0.5 late, -1
// overdue while unpublished), an opinion event answered a day after it was first seen (item 10:
// responded_late -4, under 60% of 8: ASM-3 late response to hot topics), a registered site whose
// home page is months old, vetoed by a supervision run (item 6: sites_vetoed -8, ASM-3 platform not
// in place), a consultation with a public comment whose period is over without a feedback statement
// (item 12: -2), and two city-government policy documents, one released with its interpretation and
// one returned without (item 9: counted, nothing missing yet). Unit `careful` has none. A service
// stopped during a run makes its items unavailable; the run completes once it is back.
//
// Registered only when every service is built (tests/e2e/CMakeLists.txt).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/consultation/v1/consultation.grpc.pb.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "gongkai/website/v1/website.grpc.pb.h"
#include "libs/clock/clock.h"
#include "libs/db/connection_pool.h"
#include "libs/protoconv/protoconv.h"
#include "services/website/prober/local_sites.h"
#include "tests/e2e/assessment_under_test.h"
#include "tests/e2e/catalog_under_test.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/stand_in_calendar.h"

namespace gongkai::e2e {
namespace {

namespace av1 = ::gongkai::assessment::v1;
namespace cv1 = ::gongkai::catalog::v1;
namespace ov1 = ::gongkai::opinion::v1;
namespace wv1 = ::gongkai::website::v1;
namespace iv1 = ::gongkai::interpretation::v1;
namespace conv1 = ::gongkai::consultation::v1;
using AssessmentStub = av1::AssessmentService::Stub;
using CatalogStub = cv1::CatalogService::Stub;
using OpinionStub = ov1::OpinionService::Stub;
using WebsiteStub = wv1::WebsiteService::Stub;
using InterpretationStub = iv1::InterpretationService::Stub;
using ConsultationStub = conv1::ConsultationService::Stub;
using ::testing::HasSubstr;

// A TCP port on 127.0.0.1 that was free a moment ago (the catalog must name the
// interpretation service's address before that service starts: the INT-3 gate and the
// publication outbox).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

struct PeerService {
  std::string name;
  std::string binary;
  std::map<std::string, std::string> extra_env;
};

class SixServicesE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string interpretation_address = absl::StrCat("127.0.0.1:", FreePort());
    absl::StatusOr<std::unique_ptr<CatalogUnderTest>> catalog = CatalogUnderTest::Start(
        "asm6cat", {{"GONGKAI_CALENDAR_DIR", StandInCalendarDir()},
                    {"GONGKAI_PEERS", absl::StrCat("interpretation=", interpretation_address)},
                    {"GONGKAI_OUTBOX_POLL_INTERVAL", "200ms"},
                    {"GONGKAI_INTERPRETATION_CALL_TIMEOUT", "2s"}});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    std::map<std::string, std::string> peers = AbsentPeers();
    peers["catalog"] = catalog_->service().grpc_address();
    for (const PeerService& peer :
         {PeerService{"interpretation",
                      GONGKAI_INTERPRETATION_BINARY,
                      {{"GONGKAI_GRPC_ADDRESS", interpretation_address}}},
          PeerService{"consultation", GONGKAI_CONSULTATION_BINARY, {}},
          PeerService{
              "opinion", GONGKAI_OPINION_BINARY, {{"GONGKAI_OPINION_SCHEDULER_POLL", "200ms"}}},
          PeerService{"website",
                      GONGKAI_WEBSITE_BINARY,
                      {{"GONGKAI_PROBER_HOST_INTERVAL", "0s"}, {"GONGKAI_PROBER_WORKERS", "2"}}}}) {
      absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create(peer.name);
      ASSERT_TRUE(database.ok()) << database.status();
      ServiceProcess::Options options;
      options.binary = peer.binary;
      options.listening_message = absl::StrCat(peer.name, " listening");
      options.env = (*database)->ServiceEnv();
      options.env["GONGKAI_GRPC_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_METRICS_ADDRESS"] = "127.0.0.1:0";
      options.env["GONGKAI_JWT_HS256_SECRET"] = catalog_->jwt_secret();
      options.env["GONGKAI_JWT_ISSUER"] = kE2eIssuer;
      options.env["GONGKAI_JWT_AUDIENCE"] = kE2eAudience;
      options.env["GONGKAI_DB_POOL_SIZE"] = "4";
      options.env["GONGKAI_CALENDAR_ADDRESS"] = catalog_->service().grpc_address();
      // Each service's own peers: the catalog and the services started before it (a
      // process ignores the peers it does not declare; none of these four calls another
      // of them, except opinion, which declares interpretation for INT-2 supplements:
      // interpretation starts first, so opinion is given its real address).
      std::string named = absl::StrCat("catalog=", catalog_->service().grpc_address());
      for (const auto& [name, address] : started_) absl::StrAppend(&named, ",", name, "=", address);
      options.env["GONGKAI_PEERS"] = named;
      for (const auto& [key, value] : peer.extra_env) options.env[key] = value;
      options_[peer.name] = options;
      absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
      ASSERT_TRUE(process.ok()) << peer.name << ": " << process.status();
      peers[peer.name] = (*process)->grpc_address();
      started_[peer.name] = (*process)->grpc_address();
      databases_[peer.name] = *std::move(database);
      processes_[peer.name] = *std::move(process);
    }
    absl::StatusOr<std::unique_ptr<E2eDatabase>> database = E2eDatabase::Create("assessment6");
    ASSERT_TRUE(database.ok()) << database.status();
    assessment_database_ = *std::move(database);
    absl::StatusOr<std::unique_ptr<ServiceProcess>> assessment =
        StartAssessment(*catalog_, *assessment_database_, peers);
    ASSERT_TRUE(assessment.ok()) << assessment.status();
    assessment_ = *std::move(assessment);
    stub_ = av1::AssessmentService::NewStub(
        grpc::CreateChannel(assessment_->grpc_address(), grpc::InsecureChannelCredentials()));
    city_ = CreateUnit("ASM6-CITY", cv1::UNIT_LEVEL_CITY, 0);
    office_unit_ = CreateUnit("ASM6-OFFICE", cv1::UNIT_LEVEL_DEPARTMENT, city_);
  }

  void TearDown() override {
    assessment_.reset();
    assessment_database_.reset();
    processes_.clear();
    databases_.clear();
    catalog_.reset();
  }

  std::string Admin() { return catalog_->Token("root", std::nullopt, {"ADMIN"}); }
  std::string Office() { return catalog_->Token("office", std::nullopt, {"OFFICE"}); }
  std::string CityOffice() { return catalog_->Token("city-office", office_unit_, {"OFFICE"}); }
  std::string Staff(int64_t unit) {
    return catalog_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  }
  std::string Reviewer(int64_t unit) {
    return catalog_->Token(absl::StrCat("reviewer-", unit), unit, {"REVIEWER"});
  }
  std::string Head(int64_t unit) {
    return catalog_->Token(absl::StrCat("head-", unit), unit, {"HEAD"});
  }
  std::string Inspector() { return catalog_->Token("insp", std::nullopt, {"INSPECTOR"}); }
  std::shared_ptr<grpc::Channel> ChannelTo(const std::string& service) {
    return grpc::CreateChannel(processes_.at(service)->grpc_address(),
                               grpc::InsecureChannelCredentials());
  }

  int64_t CreateUnit(const std::string& code, cv1::UnitLevel level = cv1::UNIT_LEVEL_DEPARTMENT,
                     int64_t parent = -1) {
    cv1::CreateUnitRequest request;
    request.set_request_id(code);
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name(code);
    request.mutable_unit()->set_level(level);
    request.mutable_unit()->set_parent_id(parent < 0 ? city_ : parent);
    absl::StatusOr<cv1::Unit> unit =
        UnaryCall(*catalog_->NewStub(), &CatalogStub::CreateUnit, Admin(), request);
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? unit->id() : 0;
  }

  // Catalog (item 4): a draft without a disclosure attribute.
  void DraftWithoutAttribute(int64_t unit) {
    cv1::CreateDocumentRequest request;
    cv1::Document& d = *request.mutable_document();
    d.set_title("关于做好义务教育招生工作的通知");
    d.set_body("为做好本年度义务教育招生工作，现将有关事项通知如下。");
    d.set_drafting_unit_id(unit);
    d.set_issuing_authority(cv1::DEPARTMENT);
    d.set_key_area(cv1::EDUCATION);
    absl::StatusOr<cv1::Document> created =
        UnaryCall(*catalog_->NewStub(), &CatalogStub::CreateDocument, Staff(unit), request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  // Catalog (item 5, CAT-3): a proactive document submitted, reviewed and published;
  // its due day is then moved ten days back in the catalog's database (publication
  // cannot be late in real time), so it counts as published late.
  void DocumentPublishedLate(int64_t unit) {
    auto documents = catalog_->NewStub();
    cv1::CreateDocumentRequest create;
    cv1::Document& d = *create.mutable_document();
    d.set_title("关于公布本年度学校收费标准的通知");
    d.set_body("现将本年度各级各类学校收费标准公布如下。");
    d.set_drafting_unit_id(unit);
    d.set_issuing_authority(cv1::DEPARTMENT);
    d.set_key_area(cv1::EDUCATION);
    d.set_disclosure_attribute(cv1::PROACTIVE);
    absl::StatusOr<cv1::Document> created =
        UnaryCall(*documents, &CatalogStub::CreateDocument, Staff(unit), create);
    ASSERT_TRUE(created.ok()) << created.status();
    cv1::SubmitDocumentRequest submit;
    submit.set_id(created->id());
    absl::StatusOr<cv1::Document> submitted =
        UnaryCall(*documents, &CatalogStub::SubmitDocument, Staff(unit), submit);
    ASSERT_TRUE(submitted.ok()) << submitted.status();
    cv1::ReviewDocumentRequest review;
    review.set_id(created->id());
    review.set_outcome(cv1::REVIEW_PASSED);
    review.set_note("经保密审查，无涉密内容");
    absl::StatusOr<cv1::Document> reviewed =
        UnaryCall(*documents, &CatalogStub::ReviewDocument, Reviewer(unit), review);
    ASSERT_TRUE(reviewed.ok()) << reviewed.status();
    cv1::PublishDocumentRequest publish;
    publish.set_id(created->id());
    absl::StatusOr<cv1::Document> published =
        UnaryCall(*documents, &CatalogStub::PublishDocument, Staff(unit), publish);
    ASSERT_TRUE(published.ok()) << published.status();
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(catalog_->database().ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
    ASSERT_TRUE((*conn)
                    ->Execute("UPDATE documents SET publication_due = ? WHERE id = ?",
                              {today - 10, created->id()})
                    .ok());
  }

  // Interpretation (item 9, INT-3): two policy documents issued in the name of the
  // city government; one with an approved interpretation, published and released with
  // it; the other submitted without one, which the catalog's gate returns (so it is
  // never published and nothing about it is missing yet).
  void CityPolicyWithAndWithoutInterpretation(int64_t unit) {
    auto documents = catalog_->NewStub();
    auto interpretations = iv1::InterpretationService::NewStub(ChannelTo("interpretation"));
    auto draft = [&](const std::string& title) {
      cv1::CreateDocumentRequest request;
      cv1::Document* d = request.mutable_document();
      d->set_title(title);
      d->set_body("为进一步稳定和扩大就业，结合本市实际，制定如下政策措施。");
      d->set_drafting_unit_id(unit);
      d->set_issuing_authority(cv1::CITY_GOVERNMENT);
      d->set_is_policy_document(true);
      d->set_key_area(cv1::EDUCATION);
      d->set_disclosure_attribute(cv1::PROACTIVE);
      return UnaryCall(*documents, &CatalogStub::CreateDocument, Staff(unit), request);
    };
    auto submit = [&](int64_t id) {
      cv1::SubmitDocumentRequest request;
      request.set_id(id);
      return UnaryCall(*documents, &CatalogStub::SubmitDocument, Staff(unit), request);
    };
    absl::StatusOr<cv1::Document> with = draft("关于稳定和扩大就业的若干措施");
    ASSERT_TRUE(with.ok()) << with.status();
    iv1::CreateInterpretationRequest create;
    create.set_request_id(absl::StrCat("asm6-interpret-", with->id()));
    iv1::Interpretation& i = *create.mutable_interpretation();
    i.set_document_id(with->id());
    iv1::Sections* s = i.mutable_sections();
    s->mutable_background_and_basis()->set_text("根据《就业促进法》和省有关文件精神制定。");
    s->mutable_objectives_and_tasks()->set_text("全年新增城镇就业5万人以上。");
    s->mutable_main_content()->set_text("共十条措施，涵盖社保补贴、创业担保贷款等。");
    s->mutable_scope()->set_text("本市行政区域内各类用人单位和劳动者。");
    s->mutable_standards_of_execution()->set_text("补贴标准按每人每月500元执行。");
    s->mutable_points_of_attention()->set_text("申请须在政策有效期内提出。");
    s->mutable_key_terms()->set_text("“重点群体”指高校毕业生、退役军人等。");
    s->mutable_public_benefit_measures()->set_text("取消证明材料12项，实行免申即享。");
    s->mutable_new_versus_old()->set_not_applicable(true);
    s->mutable_new_versus_old()->set_not_applicable_reason("首次制定，无旧政策");
    i.mutable_plan()->add_forms(iv1::TEXT);
    i.mutable_plan()->add_channels(iv1::WEBSITE);
    i.mutable_plan()->set_timing("与文件同步发布");
    i.mutable_plan()->set_spokesperson("市人社局新闻发言人");
    iv1::Material* m = i.add_materials();
    m->set_title("一图读懂稳就业十条");
    m->set_form(iv1::GRAPHIC);
    m->set_content("https://www.nanning.gov.cn/zcjd/tujie-2026-01.png");
    absl::StatusOr<iv1::Interpretation> created =
        UnaryCall(*interpretations, &InterpretationStub::CreateInterpretation, Staff(unit), create);
    ASSERT_TRUE(created.ok()) << created.status();
    iv1::ApproveInterpretationRequest approve;
    approve.set_id(created->id());
    ASSERT_TRUE(
        UnaryCall(*interpretations, &InterpretationStub::ApproveInterpretation, Head(unit), approve)
            .ok());
    absl::StatusOr<cv1::Document> submitted = submit(with->id());
    ASSERT_TRUE(submitted.ok()) << submitted.status();
    ASSERT_EQ(submitted->state(), cv1::PENDING_REVIEW) << submitted->return_cause();
    cv1::ReviewDocumentRequest review;
    review.set_id(with->id());
    review.set_outcome(cv1::REVIEW_PASSED);
    review.set_note("经保密审查，无涉密内容");
    ASSERT_TRUE(UnaryCall(*documents, &CatalogStub::ReviewDocument, Reviewer(unit), review).ok());
    cv1::PublishDocumentRequest publish;
    publish.set_id(with->id());
    absl::StatusOr<cv1::Document> published =
        UnaryCall(*documents, &CatalogStub::PublishDocument, Staff(unit), publish);
    ASSERT_TRUE(published.ok()) << published.status();
    iv1::GetInterpretationRequest get;
    get.set_id(created->id());
    absl::StatusOr<iv1::Interpretation> released;
    for (int n = 0; n < 100; ++n) {  // Released by the catalog's publication outbox.
      released = UnaryCall(*interpretations, &InterpretationStub::GetInterpretation, "", get);
      if (released.ok() && released->state() == iv1::RELEASED) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_TRUE(released.ok() && released->state() == iv1::RELEASED);

    absl::StatusOr<cv1::Document> without = draft("关于调整城市公交票价的通知");
    ASSERT_TRUE(without.ok()) << without.status();
    absl::StatusOr<cv1::Document> returned = submit(without->id());
    ASSERT_TRUE(returned.ok()) << returned.status();
    EXPECT_NE(returned->state(), cv1::PENDING_REVIEW);  // INT-3: returned, cause recorded.
  }

  // Consultation (item 12, CON-3): a decision draft opened for comments, one comment
  // posted by the public, and the period over with no feedback statement published.
  // The period cannot pass in real time (NAT-11: at least 7 days), so, as the
  // consultation's own e2e test does, its stored dates move back a month.
  void ConsultationClosedWithoutFeedback(int64_t unit) {
    auto stub = conv1::ConsultationService::NewStub(ChannelTo("consultation"));
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
    conv1::CreateConsultationRequest create;
    create.set_request_id(absl::StrCat("asm6-consultation-", unit));
    conv1::Consultation& c = *create.mutable_consultation();
    c.set_unit_id(unit);
    c.set_title("公共停车设施建设三年行动方案（征求意见稿）");
    c.set_draft("一、总体目标……");
    c.set_basis("《城市停车设施规划》");
    c.set_category(conv1::WELFARE_POLICIES);
    c.set_domain("transport");
    c.set_decision_type(conv1::MAJOR_ADMINISTRATIVE_DECISION);
    c.add_methods(conv1::COMMENT_SOLICITATION);
    c.add_channels(conv1::GOVERNMENT_WEBSITE);
    *c.mutable_opens_on() = ToProtoDate(today);
    c.set_period_days(30);
    absl::StatusOr<conv1::Consultation> created =
        UnaryCall(*stub, &ConsultationStub::CreateConsultation, Staff(unit), create);
    ASSERT_TRUE(created.ok()) << created.status();
    conv1::PostCommentRequest comment;
    comment.set_request_id(absl::StrCat("asm6-comment-", unit));
    comment.set_consultation_id(created->id());
    comment.set_text("建议在学校周边增设临时停车位。");
    ASSERT_TRUE(UnaryCall(*stub, &ConsultationStub::PostComment, "", comment).ok());
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(databases_.at("consultation")->ServiceConfig(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    absl::StatusOr<db::ConnectionLease> conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)
                    ->Execute("UPDATE consultations SET opens_on = ?, closes_on = ? WHERE id = ?",
                              {today - 31, today - 1, created->id()})
                    .ok());
  }

  // Opinion (item 10): a major event concerning `unit` first seen a day ago, consulted,
  // assessed and answered now, long after its known-facts clock fell due (OPI-4, NAT-12).
  void OpinionEventAnsweredLate(int64_t unit) {
    auto stub = ov1::OpinionService::NewStub(ChannelTo("opinion"));
    ov1::CollectEventRequest collect;
    collect.set_request_id(absl::StrCat("asm6-event-", unit));
    collect.set_title("网传某校食堂食品安全问题");
    collect.set_source(ov1::SOURCE_ONLINE_POST);
    collect.set_category(ov1::CATEGORY_MEDIA_INTEREST);
    collect.set_grade(ov1::GRADE_MAJOR);
    collect.set_territory(ov1::TERRITORY_CITY);
    collect.add_concerned_unit_ids(unit);
    collect.set_collecting_unit_id(office_unit_);
    *collect.mutable_first_seen_time() = ToTimestamp(absl::Now() - absl::Hours(24));
    absl::StatusOr<ov1::OpinionEvent> event =
        UnaryCall(*stub, &OpinionStub::CollectEvent, CityOffice(), collect);
    ASSERT_TRUE(event.ok()) << event.status();
    ov1::RecordConsultationRequest consult;
    consult.set_id(event->id());
    consult.add_participants("市委宣传部");
    consult.set_conclusion("先发布已知事实，再通报调查进展");
    ASSERT_TRUE(UnaryCall(*stub, &OpinionStub::RecordConsultation, CityOffice(), consult).ok());
    ov1::RecordAssessmentRequest assess;
    assess.set_id(event->id());
    assess.set_risk("舆情热度上升");
    assess.set_grade(ov1::GRADE_MAJOR);
    ASSERT_TRUE(UnaryCall(*stub, &OpinionStub::RecordAssessment, CityOffice(), assess).ok());
    ov1::RecordResponseRequest answer;
    answer.set_id(event->id());
    answer.set_request_id(absl::StrCat("asm6-answer-", unit));
    answer.set_channel(ov1::CHANNEL_WEIBO);
    answer.set_content("市教育局已介入调查，涉事食堂已停业整顿。");
    *answer.mutable_publish_time() = ToTimestamp(absl::Now());
    answer.set_spokesperson("张三");
    answer.set_link("https://www.nanning.gov.cn/xwfb/1.html");
    absl::StatusOr<ov1::OpinionEvent> answered =
        UnaryCall(*stub, &OpinionStub::RecordResponse, CityOffice(), answer);
    ASSERT_TRUE(answered.ok()) << answered.status();
  }

  // Website (item 6): a registered portal served locally whose home page was last
  // updated months ago, probed and evaluated: the NAT-13 single veto
  // "home_not_updated", recorded by a weekly supervision run.
  void SiteFailingAVetoRule(int64_t unit, website::prober::testing::LocalSite& local) {
    local.Page("/", "<h1>某局</h1><p>更新 2026-01-01</p><a href='/news/'>要闻</a>");
    local.Page("/news/", "<ul><li>新闻 2026-01-01</li></ul>");
    ASSERT_TRUE(local.Start().ok());
    auto stub = wv1::WebsiteService::NewStub(ChannelTo("website"));
    wv1::CreateSiteRequest create;
    create.set_request_id(absl::StrCat("asm6-site-", unit));
    create.mutable_site()->set_unit_id(unit);
    create.mutable_site()->set_name("门户网站");
    create.mutable_site()->set_kind(wv1::PORTAL);
    create.mutable_site()->set_url(local.Url("/"));
    create.mutable_site()->set_state(wv1::OPERATION);
    absl::StatusOr<wv1::Site> site =
        UnaryCall(*stub, &WebsiteStub::CreateSite, Staff(unit), create);
    ASSERT_TRUE(site.ok()) << site.status();
    wv1::ListProbesRequest list;
    list.set_site_id(site->id());
    absl::StatusOr<wv1::ListProbesResponse> probes;
    for (int i = 0; i < 60; ++i) {  // The first slot is due at once.
      probes = UnaryCall(*stub, &WebsiteStub::ListProbes, Inspector(), list);
      ASSERT_TRUE(probes.ok()) << probes.status();
      if (probes->probes_size() > 0) break;
      absl::SleepFor(absl::Milliseconds(500));
    }
    ASSERT_GT(probes->probes_size(), 0) << processes_.at("website")->LogTail();
    wv1::EvaluateSiteRequest evaluate;
    evaluate.set_site_id(site->id());
    absl::StatusOr<wv1::SiteEvaluation> evaluation =
        UnaryCall(*stub, &WebsiteStub::EvaluateSite, Staff(unit), evaluate);
    ASSERT_TRUE(evaluation.ok()) << evaluation.status();
    ASSERT_TRUE(evaluation->vetoed()) << evaluation->DebugString();
    // The evidence counts what a supervision run recorded (WEB-2).
    wv1::StartSupervisionRunRequest start;
    start.set_request_id(absl::StrCat("asm6-supervision-", unit));
    start.set_kind(wv1::WEEKLY_CHECK);
    absl::StatusOr<wv1::SupervisionRun> run =
        UnaryCall(*stub, &WebsiteStub::StartSupervisionRun, Office(), start);
    ASSERT_TRUE(run.ok()) << run.status();
    wv1::GetSupervisionRunRequest get;
    get.set_id(run->id());
    for (int i = 0; i < 120 && run->state() == wv1::RUNNING; ++i) {
      absl::SleepFor(absl::Milliseconds(250));
      run = UnaryCall(*stub, &WebsiteStub::GetSupervisionRun, Inspector(), get);
      ASSERT_TRUE(run.ok()) << run.status();
    }
    ASSERT_EQ(run->state(), wv1::SUCCEEDED) << run->DebugString();
    ASSERT_EQ(run->sites_vetoed(), 1) << run->DebugString();
  }

  av1::AssessmentRun StartRun(const std::string& request_id) {
    av1::StartAssessmentRunRequest start;
    start.set_year(static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year()));
    start.set_request_id(request_id);
    absl::StatusOr<av1::AssessmentRun> run =
        UnaryCall(*stub_, &AssessmentStub::StartAssessmentRun, Office(), start);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : av1::AssessmentRun();
  }
  av1::AssessmentRun GetRun(int64_t id) {
    av1::GetAssessmentRunRequest get;
    get.set_id(id);
    absl::StatusOr<av1::AssessmentRun> run =
        UnaryCall(*stub_, &AssessmentStub::GetAssessmentRun, Office(), get);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : av1::AssessmentRun();
  }
  av1::AssessmentRun WaitFinished(int64_t id) {
    const absl::Time give_up = absl::Now() + absl::Seconds(120);
    av1::AssessmentRun run = GetRun(id);
    while (run.state() == av1::RUNNING && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(200));
      run = GetRun(id);
    }
    return run;
  }
  std::map<int, av1::ItemScore> Items(int64_t run_id, int64_t unit) {
    av1::GetUnitScoreRequest request;
    request.set_run_id(run_id);
    request.set_unit_id(unit);
    absl::StatusOr<av1::UnitScore> score =
        UnaryCall(*stub_, &AssessmentStub::GetUnitScore, Office(), request);
    EXPECT_TRUE(score.ok()) << score.status();
    std::map<int, av1::ItemScore> items;
    if (!score.ok()) return items;
    EXPECT_EQ(score->items_size(), 15);
    for (const av1::ItemScore& item : score->items()) items[item.item()] = item;
    return items;
  }

  std::unique_ptr<CatalogUnderTest> catalog_;
  std::map<std::string, std::unique_ptr<E2eDatabase>> databases_;
  std::map<std::string, ServiceProcess::Options> options_;
  std::map<std::string, std::string> started_;
  std::map<std::string, std::unique_ptr<ServiceProcess>> processes_;
  std::unique_ptr<E2eDatabase> assessment_database_;
  std::unique_ptr<ServiceProcess> assessment_;
  std::unique_ptr<AssessmentStub> stub_;
  int64_t city_ = 0;
  int64_t office_unit_ = 0;
};

TEST_F(SixServicesE2eTest, Asm6EveryItemIsReadFromTheServiceThatHoldsItAndTheRunCompletes) {
  const int64_t careless = CreateUnit("ASM6-A");
  const int64_t careful = CreateUnit("ASM6-B");
  website::prober::testing::LocalSite local;
  DraftWithoutAttribute(careless);
  DocumentPublishedLate(careless);
  CityPolicyWithAndWithoutInterpretation(careless);
  ConsultationClosedWithoutFeedback(careless);
  OpinionEventAnsweredLate(careless);
  SiteFailingAVetoRule(careless, local);
  if (HasFatalFailure()) return;

  const av1::AssessmentRun run = WaitFinished(StartRun("six-1").id());
  ASSERT_EQ(run.state(), av1::COMPLETED) << run.DebugString();
  EXPECT_EQ(run.items_unavailable(), 0);
  EXPECT_EQ(run.rule_set(), "assessment.scheme@1");
  for (int64_t unit : {careless, careful}) {
    std::map<int, av1::ItemScore> items = Items(run.id(), unit);
    for (const auto& [n, item] : items) {
      if (item.source() == "inspector") {
        EXPECT_EQ(item.status(), av1::AWAITING_INSPECTOR) << n;
      } else {
        EXPECT_EQ(item.status(), av1::SCORED) << n << " " << item.unavailable_reason();
        EXPECT_FALSE(item.indicators().empty()) << n;
      }
    }
    // Each item's points follow from the data entered and the scheme's deductions.
    const bool c = unit == careless;
    EXPECT_DOUBLE_EQ(items[4].points(), c ? 7 : 8);  // documents_without_attribute:1
    if (c) {
      // documents_published_late:0.5, and the catalog also counts the same document in
      // documents_overdue_unpublished:1 (its due day passed while it was unpublished);
      // everything else of item 5 as for `careful`.
      EXPECT_THAT(items[5].explanation(),
                  HasSubstr("documents_published_late (期内逾期公开的主动公开公文) 1 x 0.50"));
      EXPECT_THAT(items[5].explanation(), HasSubstr("documents_overdue_unpublished"));
    }
    EXPECT_DOUBLE_EQ(items[6].points(), c ? 0 : 8);   // sites_vetoed:8
    EXPECT_DOUBLE_EQ(items[10].points(), c ? 4 : 8);  // responded_late:4
    EXPECT_EQ(items[6].source(), "website");
    EXPECT_EQ(items[10].source(), "opinion");
    if (c) {
      EXPECT_THAT(items[6].explanation(), HasSubstr("sites_vetoed"));
      EXPECT_THAT(items[10].explanation(), HasSubstr("responded_late"));
    }
    // Item 9: the published policy document was interpreted in sync; the one without an
    // interpretation was returned, never published: nothing missing, nothing deducted.
    std::map<std::string, int64_t> item9;
    for (const auto& indicator : items[9].indicators()) item9[indicator.name()] = indicator.count();
    EXPECT_EQ(item9["policy_documents_published"], c ? 1 : 0);
    EXPECT_EQ(item9["interpretations_in_sync"], c ? 1 : 0);
    EXPECT_EQ(item9["interpretations_missing"], 0);
    EXPECT_DOUBLE_EQ(items[9].points(), 8);
    // Item 12: the closed consultation without a feedback statement (-2).
    EXPECT_DOUBLE_EQ(items[12].points(), c ? 4 : 6);  // consultations_closed_without_statement:2
    if (c) {
      EXPECT_THAT(items[12].explanation(), HasSubstr("consultations_closed_without_statement"));
    }
    // No meeting and no decision without pre-disclosure: nothing to deduct.
    EXPECT_DOUBLE_EQ(items[7].points(), 6);
    EXPECT_DOUBLE_EQ(items[8].points(), 6);
    EXPECT_EQ(items[9].source(), "interpretation");
    EXPECT_EQ(items[12].source(), "consultation");
  }
  const av1::ItemScore careless5 = Items(run.id(), careless)[5];
  EXPECT_DOUBLE_EQ(careless5.points(), Items(run.id(), careful)[5].points() - 1.5)
      << careless5.explanation();
  // ASM-3: items 6 and 10 of `careless` are under 60% of their weights.
  av1::RaiseAccountabilityTriggersRequest raise;
  raise.set_run_id(run.id());
  absl::StatusOr<av1::ListAccountabilityTriggersResponse> triggers =
      UnaryCall(*stub_, &AssessmentStub::RaiseAccountabilityTriggers, Office(), raise);
  ASSERT_TRUE(triggers.ok()) << triggers.status();
  std::set<int> kinds;
  for (const av1::AccountabilityTrigger& t : triggers->triggers()) {
    EXPECT_EQ(t.unit_id(), careless) << t.DebugString();
    kinds.insert(t.kind());
  }
  EXPECT_TRUE(kinds.count(av1::PLATFORM_NOT_IN_PLACE));
  EXPECT_TRUE(kinds.count(av1::LATE_RESPONSE_TO_HOT_TOPICS));
}

TEST_F(SixServicesE2eTest, Asm6OpinionStoppedDuringARunMakesItem10UnavailableUntilItReturns) {
  const int64_t unit = CreateUnit("ASM6-C");
  OpinionEventAnsweredLate(unit);
  if (HasFatalFailure()) return;
  // A first run while everything is up: every service's unit directory has caught up
  // with the new unit (a service that does not know it yet answers NOT_FOUND, which the
  // run also treats as unavailable and retries).
  ASSERT_EQ(WaitFinished(StartRun("six-all-up").id()).state(), av1::COMPLETED);
  const std::string address = processes_.at("opinion")->grpc_address();
  ASSERT_TRUE(processes_.at("opinion")->Stop().ok());
  const int64_t run_id = StartRun("six-stopped").id();
  av1::AssessmentRun run;
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  do {
    absl::SleepFor(absl::Milliseconds(200));
    run = GetRun(run_id);
  } while (!(run.attempts() >= 1 && run.items_unavailable() > 0) && absl::Now() < give_up);
  ASSERT_EQ(run.state(), av1::RUNNING) << run.DebugString();
  EXPECT_THAT(run.progress(), HasSubstr("opinion"));
  std::map<int, av1::ItemScore> waiting = Items(run_id, unit);
  EXPECT_EQ(waiting[10].status(), av1::EVIDENCE_UNAVAILABLE);
  EXPECT_THAT(waiting[10].unavailable_reason(), HasSubstr("opinion"));
  for (int n : {3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14}) {
    EXPECT_EQ(waiting[n].status(), av1::SCORED) << n;  // Not opinion's items.
  }

  // Back on the same address and database (its data intact).
  ServiceProcess::Options options = options_.at("opinion");
  options.env["GONGKAI_GRPC_ADDRESS"] = address;
  absl::StatusOr<std::unique_ptr<ServiceProcess>> restarted = ServiceProcess::Start(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  processes_["opinion"] = *std::move(restarted);
  run = WaitFinished(run_id);
  EXPECT_EQ(run.state(), av1::COMPLETED) << run.DebugString();
  EXPECT_EQ(run.items_unavailable(), 0);
  EXPECT_GE(run.attempts(), 2);
  std::map<int, av1::ItemScore> done = Items(run_id, unit);
  EXPECT_EQ(done[10].status(), av1::SCORED);
  EXPECT_DOUBLE_EQ(done[10].points(), 4);
}

}  // namespace
}  // namespace gongkai::e2e
