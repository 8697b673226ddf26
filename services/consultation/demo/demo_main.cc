// gongkai-consultation-demo: loads a few public consultations into a running consultation
// service through its public gRPC API, as the units' staff and as members of the public:
//   - a major administrative decision (重大行政决策) open for 30 calendar days (NAT-11),
//     with a hearing (听证会, CON-2) and a public meeting broadcast live (CON-4);
//   - a normative document (行政规范性文件) open for 7 working days;
//   - a consultation whose every comment (a near-duplicate campaign grouped into one)
//     has its feedback decision (CON-3), and the executive meeting that decides it;
//     once its period has ended, a later run publishes its feedback statement
//     (采纳情况说明), attaches it to that meeting's plan and concludes it.
// Unit codes are looked up in the catalog (--catalog; else "catalog" in GONGKAI_PEERS;
// else 127.0.0.1:50051), whose demo data must be loaded first (./gongkai up loads
// services in name order: catalog before consultation).
//
// Safe to run again: consultations are found by unit and title before being created,
// every create and comment carries a request id, and steps already taken are skipped.
//
//   gongkai-consultation-demo --target=127.0.0.1:50053 --secret-file=jwt-hs256.key
//       --issuer=gongkai-dev --audience=gongkai [--catalog=127.0.0.1:50051]
//
// Exit status: 0 loaded, 1 a call failed (the message names it), 2 bad flags.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/consultation/v1/consultation.grpc.pb.h"
#include "libs/calendar/working_day_calendar.h"
#include "libs/clock/clock.h"
#include "libs/config/flag_names.h"
#include "libs/demo/actor_call.h"
#include "libs/demo/actor_tokens.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50053", "The consultation service's gRPC address");
ABSL_FLAG(std::string, catalog, "",
          "The catalog's gRPC address (units); default: catalog in GONGKAI_PEERS, else "
          "127.0.0.1:50051");
ABSL_FLAG(std::string, secret_file, "", "The services' HS256 key: mints a token per demo user");
ABSL_FLAG(std::string, issuer, "gongkai-dev", "Issuer of minted tokens");
ABSL_FLAG(std::string, audience, "gongkai", "Audience of minted tokens, comma-separated");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(15), "Deadline of each call");

namespace gongkai::consultation::demo {
namespace {

namespace v1 = ::gongkai::consultation::v1;
namespace catalog_v1 = ::gongkai::catalog::v1;
using gongkai::demo::Actor;
using gongkai::demo::CallAs;

struct CommentSpec {
  std::string request_id;
  std::string text;
  std::string name;  // Empty: anonymous.
  bool show_name = false;
  // The feedback the unit gives (CON-3), for the consultations that decide.
  v1::FeedbackDecision decision = v1::FEEDBACK_DECISION_UNSPECIFIED;
  std::string reason;
};

struct HearingSpec {
  std::string request_id;
  v1::HearingKind kind;
  std::string title, place;
  int held_days_after_opening;
  int participant_limit;
};

struct MeetingSpec {
  std::string request_id;
  std::string title;
  // The meeting's day: this many days after the consultation opens, or, when
  // `after_creation`, after the day it was created (a date that stays the same when the
  // consultation's dates move, so the meeting's request id always names one request).
  int days_after_opening;
  bool after_creation = false;
};

struct ConsultationSpec {
  std::string request_id;
  std::string unit_code;
  std::string staff;  // The drafter (a STAFF subject of the unit).
  std::string title, draft, basis, domain;
  v1::MatterCategory category;
  v1::DecisionType decision_type;
  std::vector<v1::ParticipationMethod> methods;
  std::vector<v1::Channel> channels;
  int period_days;
  std::vector<CommentSpec> comments;
  bool decide_every_comment = false;
  std::optional<HearingSpec> hearing;
  std::optional<MeetingSpec> meeting;
};

std::vector<ConsultationSpec> Consultations() {
  std::vector<ConsultationSpec> specs;
  {
    ConsultationSpec s;
    s.request_id = "demo-consultation-transit-plan";
    s.unit_code = "NN-DRC";
    s.staff = "chen.jie@nn-drc";
    s.title = "南宁市城市公共交通发展规划（2026—2035年）（征求意见稿）";
    s.draft =
        "一、规划范围与期限。二、发展目标：到2035年，中心城区公共交通出行分担率达到60%。"
        "三、轨道交通与常规公交融合。四、公交场站用地保障。五、票价与补贴机制。";
    s.basis = "《重大行政决策程序暂行条例》；《城市公共交通条例》；南宁市国土空间总体规划。";
    s.domain = "transport";
    s.category = v1::DEVELOPMENT_PLANS;
    s.decision_type = v1::MAJOR_ADMINISTRATIVE_DECISION;
    s.methods = {v1::COMMENT_SOLICITATION, v1::HEARING, v1::ONLINE_CO_DRAFTING};
    s.channels = {v1::GOVERNMENT_WEBSITE, v1::WECHAT, v1::NEWSPAPER};
    s.period_days = 30;
    s.comments = {
        {"demo-comment-transit-1", "建议增加五象新区至吴圩机场的快速公交线路，早晚高峰加密班次。",
         "黄先生", true, v1::FEEDBACK_DECISION_UNSPECIFIED, ""},
        {"demo-comment-transit-2", "老旧小区周边公交站台没有遮雨棚，希望规划中明确改造时间表。", "",
         false, v1::FEEDBACK_DECISION_UNSPECIFIED, ""},
        {"demo-comment-transit-3", "票价调整应当先召开听证会，并对老年人、学生保留优惠。", "李女士",
         false, v1::FEEDBACK_DECISION_UNSPECIFIED, ""},
    };
    s.hearing = HearingSpec{"demo-hearing-transit-fares",
                            v1::KIND_HEARING,
                            "南宁市公共交通票价调整方案听证会",
                            "南宁市民中心三楼听证厅",
                            20,
                            25};
    s.meeting = MeetingSpec{"demo-meeting-transit-plan",
                            "市政府常务会议审议《南宁市城市公共交通发展规划》", 35};
    specs.push_back(std::move(s));
  }
  {
    ConsultationSpec s;
    s.request_id = "demo-consultation-school-meals";
    s.unit_code = "NN-EDU";
    s.staff = "zhang.wei@nn-edu";
    s.title = "南宁市中小学校校外供餐管理办法（征求意见稿）";
    s.draft =
        "第一条 为保障中小学生在校用餐安全……第八条 供餐企业应当每日留样并公开食材来源。"
        "第十二条 学校应当建立家长陪餐制度。";
    s.basis = "《学校食品安全与营养健康管理规定》；《广西壮族自治区行政规范性文件制定程序规定》。";
    s.domain = "education";
    s.category = v1::WELFARE_POLICIES;
    s.decision_type = v1::NORMATIVE_DOCUMENT;
    s.methods = {v1::COMMENT_SOLICITATION, v1::SYMPOSIUM};
    s.channels = {v1::GOVERNMENT_WEBSITE, v1::WECHAT};
    s.period_days = 7;
    s.comments = {
        {"demo-comment-meals-1", "建议明确家长陪餐的频次，并把陪餐记录在学校网站公开。", "", false,
         v1::FEEDBACK_DECISION_UNSPECIFIED, ""},
        {"demo-comment-meals-2", "供餐企业的食材检测报告应当每周公示，方便家长查询。", "周女士",
         true, v1::FEEDBACK_DECISION_UNSPECIFIED, ""},
    };
    specs.push_back(std::move(s));
  }
  {
    ConsultationSpec s;
    s.request_id = "demo-consultation-dog-rules";
    s.unit_code = "NN-PSB";
    s.staff = "wang.lei@nn-psb";
    s.title = "南宁市养犬管理规定（修订草案征求意见稿）";
    s.draft =
        "第五条 中心城区实行养犬登记制度。第十一条 携犬出户应当束犬链，犬链长度不超过1.5米。"
        "第十八条 禁止在中心城区饲养烈性犬。";
    s.basis = "《中华人民共和国动物防疫法》；《重大行政决策程序暂行条例》。";
    s.domain = "public_security";
    s.category = v1::SOCIAL_MANAGEMENT;
    s.decision_type = v1::MAJOR_ADMINISTRATIVE_DECISION;
    s.methods = {v1::COMMENT_SOLICITATION, v1::SYMPOSIUM};
    s.channels = {v1::GOVERNMENT_WEBSITE, v1::WEIBO, v1::LEADERS_MAILBOX};
    s.period_days = 30;
    s.decide_every_comment = true;
    // CON-3: the meeting that decides the rules receives the feedback statement.
    s.meeting = MeetingSpec{"demo-meeting-dog-rules",
                            "市政府常务会议审议《南宁市养犬管理规定（修订草案）》", 40, true};
    const std::string campaign = "强烈要求小区内全面禁止遛狗，保护老人和儿童安全！";
    s.comments = {
        {"demo-comment-dogs-1", "建议犬链长度限制改为不超过2米，1.5米对大型犬不现实。", "刘先生",
         true, v1::PARTLY_ADOPTED, "犬链长度维持1.5米；对经登记的大型犬在划定区域内放宽至2米。"},
        {"demo-comment-dogs-2", "希望增设犬只粪便清理的处罚条款，并在公园设置拾便袋投放点。", "",
         false, v1::ADOPTED, ""},
        // A near-duplicate campaign: grouped into one (CON-3), decided once for all.
        {"demo-comment-dogs-3", campaign, "", false, v1::NOT_ADOPTED,
         "全面禁止超出上位法授权；草案已规定小区内须束犬链并由物业划定遛犬区域。"},
        {"demo-comment-dogs-4", campaign, "", false, v1::NOT_ADOPTED,
         "全面禁止超出上位法授权；草案已规定小区内须束犬链并由物业划定遛犬区域。"},
        {"demo-comment-dogs-5", "强烈要求小区内全面禁止遛狗，保护老人和儿童安全!!", "", false,
         v1::NOT_ADOPTED, "全面禁止超出上位法授权；草案已规定小区内须束犬链并由物业划定遛犬区域。"},
    };
    specs.push_back(std::move(s));
  }
  return specs;
}

std::string CatalogAddress() {
  if (!absl::GetFlag(FLAGS_catalog).empty()) return absl::GetFlag(FLAGS_catalog);
  // GONGKAI_PEERS=name=host:port,... as ./gongkai and k8s set it for the services.
  if (const char* peers = std::getenv("GONGKAI_PEERS"); peers != nullptr) {
    for (absl::string_view entry : absl::StrSplit(peers, ',', absl::SkipWhitespace())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
      if (absl::StripAsciiWhitespace(kv.first) == "catalog" && !kv.second.empty()) {
        return std::string(absl::StripAsciiWhitespace(kv.second));
      }
    }
  }
  return "127.0.0.1:50051";
}

absl::StatusOr<std::map<std::string, int64_t>> UnitIds(catalog_v1::CatalogService::Stub& stub,
                                                       gongkai::demo::TokenSource& tokens) {
  std::map<std::string, int64_t> ids;
  catalog_v1::ListUnitsRequest request;
  request.set_page_size(100);
  while (true) {
    ASSIGN_OR_RETURN(
        catalog_v1::ListUnitsResponse page,
        CallAs(&stub, &catalog_v1::CatalogService::Stub::ListUnits, "ListUnits", tokens,
               Actor::Office("demo.office"), request, "units", absl::GetFlag(FLAGS_call_timeout)));
    for (const auto& unit : page.units()) ids[unit.code()] = unit.id();
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return ids;
}

class Loader {
 public:
  Loader(v1::ConsultationService::Stub& stub, gongkai::demo::TokenSource& tokens,
         absl::CivilDay today)
      : stub_(stub), tokens_(tokens), today_(today) {}

  absl::Status Load(const ConsultationSpec& spec, int64_t unit_id) {
    const Actor staff = Actor::Staff(spec.staff, unit_id);
    ASSIGN_OR_RETURN(std::optional<v1::Consultation> found, Find(spec, unit_id, staff));
    v1::Consultation c;
    if (found.has_value()) {
      // A list leaves the comment counts out; the consultation itself has them.
      v1::GetConsultationRequest get;
      get.set_id(found->id());
      ASSIGN_OR_RETURN(c, Call(&v1::ConsultationService::Stub::GetConsultation, "GetConsultation",
                               staff, get, spec.title));
    } else {
      v1::CreateConsultationRequest create;
      create.set_request_id(spec.request_id);
      v1::Consultation* in = create.mutable_consultation();
      in->set_unit_id(unit_id);
      in->set_title(spec.title);
      in->set_draft(spec.draft);
      in->set_basis(spec.basis);
      in->set_category(spec.category);
      in->set_domain(spec.domain);
      in->set_decision_type(spec.decision_type);
      for (auto m : spec.methods) in->add_methods(m);
      for (auto ch : spec.channels) in->add_channels(ch);
      *in->mutable_opens_on() = ToProtoDate(today_);
      in->set_period_days(spec.period_days);
      ASSIGN_OR_RETURN(c, Call(&v1::ConsultationService::Stub::CreateConsultation,
                               "CreateConsultation", staff, create, spec.title));
      ++created_;
      std::cerr << "consultation " << c.id() << " " << spec.title << ": open " << c.period_days()
                << " days, " << c.period_rule() << "\n";
    }
    ASSIGN_OR_RETURN(const absl::CivilDay opens_on, ToCivilDay(c.opens_on()));

    // Members of the public comment while it is open (anonymous: no token).
    if (c.state() == v1::OPEN && c.comment_count() < static_cast<int64_t>(spec.comments.size())) {
      for (const CommentSpec& comment : spec.comments) {
        v1::PostCommentRequest post;
        post.set_request_id(comment.request_id);
        post.set_consultation_id(c.id());
        post.set_text(comment.text);
        post.set_name(comment.name);
        post.set_show_name(comment.show_name);
        ASSIGN_OR_RETURN(v1::Comment posted,
                         Call(&v1::ConsultationService::Stub::PostComment, "PostComment",
                              Actor::Public("demo.public"), post, comment.request_id));
        (void)posted;
      }
      posted_ += static_cast<int>(spec.comments.size());
    }

    if (spec.decide_every_comment) RETURN_IF_ERROR(DecideEveryComment(spec, c, staff));

    // CON-2: the hearing's notice is published on the day it is planned, at the latest
    // the rule's days before it is held. The service applies that rule: a run too late
    // for the notice (the first run planned it, or the date has passed) is told so and
    // plans nothing; the same request id never plans it twice.
    if (spec.hearing.has_value()) {
      const HearingSpec& h = *spec.hearing;
      v1::CreateHearingRequest create;
      create.set_request_id(h.request_id);
      create.set_consultation_id(c.id());
      create.set_kind(h.kind);
      create.set_title(h.title);
      create.set_place(h.place);
      *create.mutable_held_on() = ToProtoDate(opens_on + h.held_days_after_opening);
      create.set_participant_limit(h.participant_limit);
      absl::StatusOr<v1::Hearing> hearing = Call(&v1::ConsultationService::Stub::CreateHearing,
                                                 "CreateHearing", staff, create, h.title);
      if (hearing.ok()) {
        std::cerr << "hearing " << hearing->id() << " " << h.title << ": " << hearing->notice_rule()
                  << "\n";
        ++hearings_;
      } else if (absl::IsFailedPrecondition(hearing.status())) {
        std::cerr << "hearing " << h.title << " not planned now: " << hearing.status().message()
                  << "\n";
      } else {
        return hearing.status();
      }
    }

    // CON-4: the meeting that decides the matter is public and broadcast live.
    std::optional<v1::MeetingPlan> deciding;
    if (spec.meeting.has_value()) {
      const MeetingSpec& m = *spec.meeting;
      absl::CivilDay base = opens_on;
      if (m.after_creation) {
        base = absl::CivilDay(
            absl::ToCivilSecond(FromTimestamp(c.create_time()), absl::FixedTimeZone(8 * 3600)));
      }
      v1::CreateMeetingPlanRequest create;
      create.set_request_id(m.request_id);
      v1::MeetingPlan* in = create.mutable_meeting();
      in->set_unit_id(unit_id);
      in->set_title(m.title);
      *in->mutable_meeting_on() = ToProtoDate(base + m.days_after_opening);
      in->set_decides_category(spec.category);
      in->set_domain(spec.domain);
      in->set_consultation_id(c.id());
      in->set_major_livelihood_topic(true);
      in->add_invited(v1::PUBLIC_REPRESENTATIVES);
      in->add_invited(v1::EXPERTS);
      in->add_invited(v1::MEDIA);
      in->set_is_public(true);
      in->add_broadcast(v1::WEB);
      in->add_broadcast(v1::NEW_MEDIA_LIVE_STREAM);
      in->set_live_stream_url("https://live.nanning.gov.cn/changwuhuiyi");
      ASSIGN_OR_RETURN(v1::MeetingPlan meeting,
                       Call(&v1::ConsultationService::Stub::CreateMeetingPlan, "CreateMeetingPlan",
                            staff, create, m.title));
      ++meetings_;
      deciding = std::move(meeting);
    }
    if (spec.decide_every_comment) RETURN_IF_ERROR(PublishAndConclude(c, staff, deciding));
    return absl::OkStatus();
  }

  void PrintSummary() const {
    std::cout << "consultation: " << created_ << " consultations created, " << posted_
              << " comments posted, " << decided_ << " comment groups decided, " << published_
              << " feedback statements published, " << attached_ << " attached to meeting plans, "
              << hearings_ << " hearings, " << meetings_ << " meeting plans\n";
  }

 private:
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (v1::ConsultationService::Stub::*method)(
                                    grpc::ClientContext*, const Request&, Response*),
                                const char* rpc, const Actor& actor, const Request& request,
                                const std::string& what) {
    return CallAs(&stub_, method, rpc, tokens_, actor, request, what,
                  absl::GetFlag(FLAGS_call_timeout));
  }

  absl::StatusOr<std::optional<v1::Consultation>> Find(const ConsultationSpec& spec,
                                                       int64_t unit_id, const Actor& staff) {
    v1::ListConsultationsRequest list;
    list.set_unit_id(unit_id);
    list.set_page_size(100);
    while (true) {
      ASSIGN_OR_RETURN(v1::ListConsultationsResponse page,
                       Call(&v1::ConsultationService::Stub::ListConsultations, "ListConsultations",
                            staff, list, spec.unit_code));
      for (const v1::Consultation& c : page.consultations()) {
        if (c.title() == spec.title) return c;
      }
      if (page.next_page_token().empty()) return std::nullopt;
      list.set_page_token(page.next_page_token());
    }
  }

  absl::Status DecideEveryComment(const ConsultationSpec& spec, const v1::Consultation& c,
                                  const Actor& staff) {
    v1::ListCommentGroupsRequest list;
    list.set_consultation_id(c.id());
    list.set_page_size(100);
    while (true) {
      ASSIGN_OR_RETURN(v1::ListCommentGroupsResponse page,
                       Call(&v1::ConsultationService::Stub::ListCommentGroups, "ListCommentGroups",
                            staff, list, spec.title));
      for (const v1::CommentGroup& group : page.groups()) {
        if (group.decision() != v1::FEEDBACK_DECISION_UNSPECIFIED) continue;  // Decided.
        const CommentSpec* answer = nullptr;
        for (const CommentSpec& comment : spec.comments) {
          if (comment.text == group.representative_text()) answer = &comment;
        }
        if (answer == nullptr) continue;  // Not one of the demo's comments.
        v1::DecideCommentGroupRequest decide;
        decide.set_id(group.id());
        decide.set_decision(answer->decision);
        decide.set_reason(answer->reason);
        decide.set_version(group.version());
        ASSIGN_OR_RETURN(v1::CommentGroup decided,
                         Call(&v1::ConsultationService::Stub::DecideCommentGroup,
                              "DecideCommentGroup", staff, decide, answer->request_id));
        std::cerr << "comment group " << decided.id() << " (" << decided.member_count()
                  << " comments) " << v1::FeedbackDecision_Name(decided.decision()) << "\n";
        ++decided_;
      }
      if (page.next_page_token().empty()) return absl::OkStatus();
      list.set_page_token(page.next_page_token());
    }
  }

  // CON-3: after the period ends, the feedback statement is published, attached to the
  // plan of the meeting that decides the matter (which also sends it to the catalog), and
  // the consultation concluded. Before that (the run that creates it) there is nothing
  // to do.
  absl::Status PublishAndConclude(const v1::Consultation& loaded, const Actor& staff,
                                  const std::optional<v1::MeetingPlan>& meeting) {
    v1::GetConsultationRequest get;
    get.set_id(loaded.id());
    ASSIGN_OR_RETURN(v1::Consultation c, Call(&v1::ConsultationService::Stub::GetConsultation,
                                              "GetConsultation", staff, get, loaded.title()));
    if (c.state() != v1::CLOSED) {
      if (c.state() != v1::CONCLUDED && !c.has_closes_on()) {
        // NAT-1: the period reaches a year whose calendar is not loaded yet.
        std::cerr << "consultation " << c.id()
                  << " has no closing day until the calendar of the year its period reaches "
                     "is loaded; a run after it closes publishes its feedback statement and "
                     "concludes it\n";
      } else if (c.state() != v1::CONCLUDED) {
        std::cerr << "consultation " << c.id() << " closes at the end of " << c.closes_on().year()
                  << "-" << c.closes_on().month() << "-" << c.closes_on().day()
                  << ": a run after that publishes its feedback statement and concludes it\n";
      }
      return absl::OkStatus();
    }
    if (!c.statement_published()) {
      v1::PublishFeedbackStatementRequest publish;
      publish.set_consultation_id(c.id());
      ASSIGN_OR_RETURN(v1::FeedbackStatement statement,
                       Call(&v1::ConsultationService::Stub::PublishFeedbackStatement,
                            "PublishFeedbackStatement", staff, publish, c.title()));
      std::cerr << "feedback statement " << statement.title() << ": " << statement.adopted_count()
                << " adopted, " << statement.partly_adopted_count() << " partly, "
                << statement.not_adopted_count() << " not adopted\n";
      ++published_;
      ASSIGN_OR_RETURN(c, Call(&v1::ConsultationService::Stub::GetConsultation, "GetConsultation",
                               staff, get, c.title()));
    }
    if (meeting.has_value() && !meeting->has_feedback_statement()) {
      v1::AttachFeedbackStatementRequest attach;
      attach.set_id(meeting->id());
      attach.set_consultation_id(c.id());
      attach.set_version(meeting->version());
      ASSIGN_OR_RETURN(v1::MeetingPlan attached,
                       Call(&v1::ConsultationService::Stub::AttachFeedbackStatement,
                            "AttachFeedbackStatement", staff, attach, meeting->title()));
      std::cerr << "feedback statement attached to meeting plan " << attached.id() << " "
                << attached.title() << "\n";
      ++attached_;
    }
    v1::ConcludeConsultationRequest conclude;
    conclude.set_id(c.id());
    conclude.set_version(c.version());
    ASSIGN_OR_RETURN(v1::Consultation concluded,
                     Call(&v1::ConsultationService::Stub::ConcludeConsultation,
                          "ConcludeConsultation", staff, conclude, c.title()));
    std::cerr << "consultation " << concluded.id() << " concluded\n";
    return absl::OkStatus();
  }

  v1::ConsultationService::Stub& stub_;
  gongkai::demo::TokenSource& tokens_;
  absl::CivilDay today_;
  int created_ = 0, posted_ = 0, decided_ = 0, published_ = 0, attached_ = 0, hearings_ = 0,
      meetings_ = 0;
};

absl::Status Load(v1::ConsultationService::Stub& stub, catalog_v1::CatalogService::Stub& catalog,
                  gongkai::demo::TokenSource& tokens, const Clock& clock) {
  ASSIGN_OR_RETURN(auto units, UnitIds(catalog, tokens));
  Loader loader(stub, tokens, calendar::TodayInShanghai(clock));
  for (const ConsultationSpec& spec : Consultations()) {
    auto it = units.find(spec.unit_code);
    if (it == units.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unit ", spec.unit_code, " is not in the catalog: load the catalog demo data first"));
    }
    RETURN_IF_ERROR(loader.Load(spec, it->second));
  }
  loader.PrintSummary();
  return absl::OkStatus();
}

std::string ReadTrimmedFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "gongkai-consultation-demo: --secret-file=" << path << " cannot be read\n";
    std::exit(2);
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

}  // namespace
}  // namespace gongkai::consultation::demo

int main(int argc, char** argv) {
  namespace demo = gongkai::consultation::demo;
  absl::SetProgramUsageMessage(
      "loads the consultation demo data: gongkai-consultation-demo --target=HOST:PORT "
      "--secret-file=F [--issuer=I --audience=A --catalog=HOST:PORT]");
  std::vector<std::string> storage;
  std::vector<char*> args = gongkai::config::NormalizeFlagNames(argc, argv, storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  if (absl::GetFlag(FLAGS_secret_file).empty()) {
    std::cerr << "gongkai-consultation-demo: --secret-file is required\n";
    return 2;
  }
  gongkai::RealClock clock;
  gongkai::demo::MintingTokenSource tokens(
      demo::ReadTrimmedFile(absl::GetFlag(FLAGS_secret_file)), absl::GetFlag(FLAGS_issuer),
      absl::StrSplit(absl::GetFlag(FLAGS_audience), ','), &clock);
  auto consultation = gongkai::consultation::v1::ConsultationService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  auto catalog = gongkai::catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(demo::CatalogAddress(), grpc::InsecureChannelCredentials()));
  absl::Status status = demo::Load(*consultation, *catalog, tokens, clock);
  if (!status.ok()) {
    std::cerr << "gongkai-consultation-demo: " << status << "\n";
    return 1;
  }
  return 0;
}
