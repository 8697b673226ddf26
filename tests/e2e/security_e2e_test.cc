// Security proofs of issue 15 with the six real services and the real gateway on MariaDB
// (docs/security.md):
//   1. the authorization table: every RPC of every service, read from the protos with
//      its gongkai.api.access option, called as each caller (public, staff/reviewer/head
//      of unit A, office, inspector, admin, supervision, service, staff of unit B) with
//      unit A's real fixtures; the outcome (allowed, or the exact refusal) must equal
//      the table in docs/security.md, a refusal must leave every table of the service's
//      schema unchanged, and the access option must hold (ACCESS_AUTHENTICATED refuses
//      the public with UNAUTHENTICATED; ACCESS_PUBLIC_* lets it through);
//   2. no leak: private data (a draft, a NOT_DISCLOSED document, an applicant, an
//      unreleased interpretation, a commenter's contact, an opinion event, inspector
//      evidence) never appears in a public response (gRPC and REST through the gateway)
//      nor, for unit A's data, in any response to unit B's staff;
//   3. bad tokens (expired, not yet valid, wrong issuer/audience, alg none, HS/RS key
//      confusion, tampered, oversized) are refused with 401 / UNAUTHENTICATED and never
//      appear in any process's log;
//   4. hostile input through the gateway (security_hostile_cases.h): every case a 4xx and
//      the row counts of every table of every schema unchanged.
//
// Regenerate the generated parts of docs/security.md after an intended change:
//   GONGKAI_SECURITY_REGENERATE=1 ./gongkai test --no-install --no-build -R security_e2e
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gongkai/api/annotations.pb.h"
#include "gongkai/assessment/v1/assessment.grpc.pb.h"
#include "gongkai/catalog/v1/annual_report.grpc.pb.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "gongkai/catalog/v1/disclosure_requests.grpc.pb.h"
#include "gongkai/common/v1/calendar.grpc.pb.h"
#include "gongkai/common/v1/compliance_evidence.grpc.pb.h"
#include "gongkai/common/v1/rule_sets.grpc.pb.h"
#include "gongkai/consultation/v1/consultation.grpc.pb.h"
#include "gongkai/interpretation/v1/interpretation.grpc.pb.h"
#include "gongkai/opinion/v1/opinion.grpc.pb.h"
#include "gongkai/website/v1/website.grpc.pb.h"
#include "google/api/annotations.pb.h"
#include "libs/auth/token_minter.h"
#include "libs/clock/clock.h"
#include "libs/protoconv/protoconv.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/security_http.h"
#include "tests/e2e/security_suite.h"

namespace gongkai::e2e {
namespace {

namespace cv1 = ::gongkai::catalog::v1;
namespace iv1 = ::gongkai::interpretation::v1;
namespace conv1 = ::gongkai::consultation::v1;
namespace ov1 = ::gongkai::opinion::v1;
namespace wv1 = ::gongkai::website::v1;
namespace av1 = ::gongkai::assessment::v1;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;
using ::google::protobuf::ServiceDescriptor;
using Suite = SecuritySuite;

constexpr char kMarker[] = "LEAKMARK";

// ---------------------------------------------------------------------------------------
// The RPCs, from the protos.

struct Rpc {
  std::string process;  // "catalog", ...: the binary that serves it.
  const MethodDescriptor* method;
  gongkai::api::Access access;
};

// The service `full_name`, declared in the file of `message` (naming a message links its
// generated code, so the file's descriptors are in the generated pool).
const ServiceDescriptor* ServiceNamed(const google::protobuf::Descriptor* message,
                                      const char* full_name) {
  const ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
  if (service == nullptr || service->file() != message->file()) std::abort();
  return service;
}

// The services each process serves (its own, plus the shared ones it hosts; the
// catalog also serves the calendar). RuleSetService is served where a service has rule
// schemas; a process that does not serve one answers UNIMPLEMENTED and the row is left
// out (checked below: every process must serve its own service).
std::vector<Rpc> AllRpcs() {
  const std::vector<std::pair<std::string, const ServiceDescriptor*>> served = {
      {"catalog", ServiceNamed(cv1::CreateUnitRequest::descriptor(),
                               cv1::CatalogService::service_full_name())},
      {"catalog", ServiceNamed(cv1::ComputeAnnualReportRequest::descriptor(),
                               cv1::AnnualReportService::service_full_name())},
      {"catalog", ServiceNamed(cv1::FileRequestRequest::descriptor(),
                               cv1::DisclosureRequestService::service_full_name())},
      {"catalog", ServiceNamed(common::v1::GetCalendarYearsRequest::descriptor(),
                               common::v1::CalendarService::service_full_name())},
      {"interpretation", ServiceNamed(iv1::CreateInterpretationRequest::descriptor(),
                                      iv1::InterpretationService::service_full_name())},
      {"consultation", ServiceNamed(conv1::CreateConsultationRequest::descriptor(),
                                    conv1::ConsultationService::service_full_name())},
      {"opinion", ServiceNamed(ov1::CollectEventRequest::descriptor(),
                               ov1::OpinionService::service_full_name())},
      {"website", ServiceNamed(wv1::CreateSiteRequest::descriptor(),
                               wv1::WebsiteService::service_full_name())},
      {"assessment", ServiceNamed(av1::RecordInspectorEvidenceRequest::descriptor(),
                                  av1::AssessmentService::service_full_name())},
  };
  std::vector<Rpc> rpcs;
  for (const auto& [process, service] : served) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      rpcs.push_back({process, method, method->options().GetExtension(gongkai::api::access)});
    }
  }
  for (const char* process :
       {"catalog", "interpretation", "consultation", "opinion", "website", "assessment"}) {
    for (const ServiceDescriptor* service :
         {ServiceNamed(common::v1::GetComplianceEvidenceRequest::descriptor(),
                       common::v1::ComplianceEvidenceService::service_full_name()),
          ServiceNamed(common::v1::ListRuleSetsRequest::descriptor(),
                       common::v1::RuleSetService::service_full_name())}) {
      for (int i = 0; i < service->method_count(); ++i) {
        const MethodDescriptor* method = service->method(i);
        rpcs.push_back({process, method, method->options().GetExtension(gongkai::api::access)});
      }
    }
  }
  return rpcs;
}

const char* AccessName(gongkai::api::Access access) {
  switch (access) {
    case gongkai::api::ACCESS_PUBLIC_READ:
      return "public read";
    case gongkai::api::ACCESS_PUBLIC_WRITE:
      return "public write";
    default:
      return "authenticated";
  }
}

// ---------------------------------------------------------------------------------------
// Requests: filled with unit A's fixtures by field name.

// The kind of resource an `id` field names in `method` (the longest resource word of
// its service found in the method's name, else the service's main resource).
std::string ResourceOf(const MethodDescriptor* method) {
  static const std::map<std::string, std::vector<std::string>> kWords = {
      {"CatalogService", {"Document", "Unit", "CatalogItem", "SelfReview", "Category"}},
      {"DisclosureRequestService", {"Request", "Challenge"}},
      {"InterpretationService", {"Interpretation"}},
      {"ConsultationService",
       {"Consultation", "CommentGroup", "Comment", "Hearing", "MeetingPlan", "Application",
        "FeedbackStatement"}},
      {"OpinionService", {"Event"}},
      {"WebsiteService", {"Site", "Column", "Notice"}},
      {"AssessmentService", {"Run", "Draw", "TrainingPlan"}},
  };
  // AttachFeedbackStatement attaches to a meeting plan: its `id` is the plan's.
  if (method->name() == "AttachFeedbackStatement") return "meetingplan";
  auto words = kWords.find(method->service()->name());
  if (words == kWords.end()) return "";
  std::string best;
  for (const std::string& word : words->second) {
    if (absl::StrContains(method->name(), word) && word.size() > best.size()) best = word;
  }
  if (best.empty()) best = words->second.front();
  return absl::AsciiStrToLower(best);
}

class RequestFiller {
 public:
  explicit RequestFiller(const Suite& suite) : suite_(suite) {}

  void Fill(const MethodDescriptor* method, Message* request) {
    service_ = method->service()->name();
    Fill(ResourceOf(method), request, 0);
  }

 private:
  void Fill(const std::string& resource, Message* message, int depth) {
    const google::protobuf::Descriptor* d = message->GetDescriptor();
    const google::protobuf::Reflection* r = message->GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const std::string& name = f->name();
      if (f->is_repeated()) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(name, "unit_ids")) {
          r->AddInt64(message, f, suite_.unit_a);
        }
        continue;
      }
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT64: {
          const int64_t value = IdFor(resource, name);
          if (value != 0) r->SetInt64(message, f, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          if (name == "year") r->SetInt32(message, f, CurrentYear());
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          if (name == "request_id") r->SetString(message, f, absl::StrCat("sec-", ++counter_));
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          // Applications name their target by kind and id: unit A's hearing.
          if (name == "target") {
            if (const auto* hearing = f->enum_type()->FindValueByName("TARGET_HEARING")) {
              r->SetEnum(message, f, hearing);
            }
          }
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth < 2 && !absl::StartsWith(f->message_type()->full_name(), "google.") &&
              f->message_type()->full_name() != "gongkai.common.v1.Date" &&
              f->containing_oneof() == nullptr) {
            Fill(resource, r->MutableMessage(message, f), depth + 1);
          }
          break;
        default:
          break;
      }
    }
  }

  int64_t IdFor(const std::string& resource, const std::string& field) const {
    if (field == "unit_id" || absl::EndsWith(field, "_unit_id")) return suite_.unit_a;
    if (field == "id") return suite_.Fixture(resource);
    if (!absl::EndsWith(field, "_id")) return 0;
    std::string kind = absl::StrReplaceAll(field.substr(0, field.size() - 3), {{"_", ""}});
    if (kind == "group") kind = "commentgroup";
    if (kind == "review") kind = "selfreview";
    if (kind == "disclosurerequest") kind = "request";
    if (kind == "target") kind = "hearing";  // With target TARGET_HEARING (above).
    if (kind == "run" && service_ == "WebsiteService") kind = "supervisionrun";
    return suite_.Fixture(kind);
  }

  static int CurrentYear() {
    return static_cast<int>(absl::ToCivilYear(absl::Now(), ShanghaiTimeZone()).year());
  }

  const Suite& suite_;
  std::string service_;  // Of the method being filled: the same field names a kind per service.
  static inline int counter_ = 0;  // Request ids unique across the binary's tests.
};

// ---------------------------------------------------------------------------------------
// Calls by descriptor.

struct Outcome {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string response;  // Serialized response (OK only).
};

Outcome CallRpc(const std::string& address, const MethodDescriptor* method, const Message& request,
                const std::string& token) {
  static std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  std::shared_ptr<grpc::Channel>& channel = channels[address];
  if (channel == nullptr)
    channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  const std::string path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
  std::unique_ptr<Message> response(google::protobuf::MessageFactory::generated_factory()
                                        ->GetPrototype(method->output_type())
                                        ->New());
  grpc::Status status = grpc::internal::BlockingUnaryCall<Message, Message>(
      channel.get(), rpc, &context, request, response.get());
  Outcome outcome{status.error_code(), status.error_message(), ""};
  if (status.ok()) outcome.response = response->SerializeAsString();
  return outcome;
}

std::unique_ptr<Message> NewRequest(const MethodDescriptor* method) {
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()
                                      ->GetPrototype(method->input_type())
                                      ->New());
}

bool IsRefusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::PERMISSION_DENIED;
}

// Refusal messages name ids of this run's fixtures; the table keeps their shape.
std::string Normalized(std::string message) {
  std::string out;
  bool in_number = false;
  for (char c : message) {
    if (c >= '0' && c <= '9') {
      if (!in_number) out += "<n>";
      in_number = true;
    } else {
      in_number = false;
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Fixtures: unit A's resources in every service, with private markers.

template <typename Stub, typename Request, typename Response>
Response MustCall(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const std::string& token, const Request& request, const char* what) {
  absl::StatusOr<Response> response = UnaryCall(stub, method, token, request);
  EXPECT_TRUE(response.ok()) << what << ": " << response.status();
  return response.ok() ? *response : Response();
}

std::shared_ptr<grpc::Channel> ChannelTo(Suite& suite, const std::string& process) {
  return grpc::CreateChannel(suite.addresses().at(process), grpc::InsecureChannelCredentials());
}

int64_t CreateUnit(Suite& suite, const std::string& code, cv1::UnitLevel level, int64_t parent) {
  cv1::CreateUnitRequest request;
  request.set_request_id(code);
  request.mutable_unit()->set_code(code);
  request.mutable_unit()->set_name(code);
  request.mutable_unit()->set_level(level);
  request.mutable_unit()->set_parent_id(parent);
  return MustCall(*suite.catalog().NewStub(), &cv1::CatalogService::Stub::CreateUnit,
                  suite.Token(Suite::kAdmin), request, "CreateUnit")
      .id();
}

cv1::Document NewDocument(int64_t unit, const std::string& title,
                          cv1::DisclosureAttribute attribute) {
  cv1::Document d;
  d.set_title(title);
  d.set_body(absl::StrCat(title, " 正文"));
  d.set_drafting_unit_id(unit);
  d.set_issuing_authority(cv1::DEPARTMENT);
  d.set_key_area(cv1::EDUCATION);
  d.set_disclosure_attribute(attribute);
  if (attribute != cv1::PROACTIVE) {
    d.set_nondisclosure_reason("涉及内部事务");
    d.set_legal_basis("《政府信息公开条例》第十六条");
  }
  return d;
}

void CreateFixtures(Suite& suite) {
  using CatalogStub = cv1::CatalogService::Stub;
  auto catalog = suite.catalog().NewStub();
  const int64_t city = CreateUnit(suite, "SEC-CITY", cv1::UNIT_LEVEL_CITY, 0);
  suite.unit_a = CreateUnit(suite, "SEC-A", cv1::UNIT_LEVEL_DEPARTMENT, city);
  suite.unit_b = CreateUnit(suite, "SEC-B", cv1::UNIT_LEVEL_DEPARTMENT, city);
  suite.fixtures["unit"] = suite.unit_a;
  const std::string staff = suite.Token(Suite::kStaffOfA);

  // Catalog: a draft (unpublished) and a NOT_DISCLOSED document that passed review.
  cv1::CreateDocumentRequest draft;
  *draft.mutable_document() =
      NewDocument(suite.unit_a, absl::StrCat(kMarker, "-draft-document"), cv1::PROACTIVE);
  suite.fixtures["document"] =
      MustCall(*catalog, &CatalogStub::CreateDocument, staff, draft, "draft").id();
  cv1::CreateDocumentRequest hidden;
  *hidden.mutable_document() =
      NewDocument(suite.unit_a, absl::StrCat(kMarker, "-not-disclosed"), cv1::NOT_DISCLOSED);
  const int64_t hidden_id =
      MustCall(*catalog, &CatalogStub::CreateDocument, staff, hidden, "not disclosed").id();
  cv1::SubmitDocumentRequest submit;
  submit.set_id(hidden_id);
  MustCall(*catalog, &CatalogStub::SubmitDocument, staff, submit, "submit");
  cv1::ReviewDocumentRequest review;
  review.set_id(hidden_id);
  review.set_outcome(cv1::REVIEW_PASSED);
  review.set_note("经保密审查");
  MustCall(*catalog, &CatalogStub::ReviewDocument, suite.Token(Suite::kReviewerOfA), review,
           "review");

  // Catalog: a line of unit A's proactive-disclosure catalog, and unit A's self-review of
  // this year (its entries name the NOT_DISCLOSED document above).
  cv1::CreateCatalogItemRequest item;
  item.set_request_id("sec-item-1");
  item.mutable_item()->set_category_id(109);  // KA-EDUCATION, seeded by the catalog.
  item.mutable_item()->set_responsible_unit_id(suite.unit_a);
  item.mutable_item()->set_content("义务教育招生入学政策");
  item.mutable_item()->set_time_limit("信息形成或变更之日起20个工作日内");
  item.mutable_item()->set_method("政府网站");
  suite.fixtures["catalogitem"] =
      MustCall(*catalog, &CatalogStub::CreateCatalogItem, staff, item, "catalog item").id();
  cv1::StartSelfReviewRequest self_review;
  self_review.set_request_id("sec-self-review-1");
  self_review.set_unit_id(suite.unit_a);
  self_review.set_year(static_cast<int>(absl::ToCivilYear(absl::Now(), ShanghaiTimeZone()).year()));
  suite.fixtures["selfreview"] =
      MustCall(*catalog, &CatalogStub::StartSelfReview, staff, self_review, "self-review").id();

  // Catalog: a disclosure request to unit A (the applicant is private to the unit).
  auto requests = cv1::DisclosureRequestService::NewStub(ChannelTo(suite, "catalog"));
  cv1::FileRequestRequest file;
  file.set_unit_id(suite.unit_a);
  file.mutable_applicant()->set_type(cv1::APPLICANT_NATURAL_PERSON);
  file.mutable_applicant()->set_name(absl::StrCat(kMarker, "-applicant"));
  file.mutable_applicant()->set_id_number("450102199001010000");
  file.mutable_applicant()->set_contact(absl::StrCat(kMarker, "-applicant-contact"));
  file.set_subject(absl::StrCat(kMarker, "-request-subject"));
  file.set_description("请公开本市老旧小区改造项目清单。");
  file.set_request_id("sec-file-1");
  suite.fixtures["request"] =
      MustCall(*requests, &cv1::DisclosureRequestService::Stub::FileRequest, "", file, "file")
          .request()
          .id();

  // Interpretation: an unreleased interpretation of a city-government policy draft.
  cv1::CreateDocumentRequest policy;
  *policy.mutable_document() = NewDocument(suite.unit_a, "关于稳定就业的若干措施", cv1::PROACTIVE);
  policy.mutable_document()->set_issuing_authority(cv1::CITY_GOVERNMENT);
  policy.mutable_document()->set_is_policy_document(true);
  const int64_t policy_id =
      MustCall(*catalog, &CatalogStub::CreateDocument, staff, policy, "policy").id();
  auto interpretations = iv1::InterpretationService::NewStub(ChannelTo(suite, "interpretation"));
  iv1::CreateInterpretationRequest interpret;
  interpret.set_request_id("sec-interpretation-1");
  iv1::Interpretation& i = *interpret.mutable_interpretation();
  i.set_document_id(policy_id);
  iv1::Sections* s = i.mutable_sections();
  s->mutable_background_and_basis()->set_text("根据《就业促进法》制定。");
  s->mutable_objectives_and_tasks()->set_text("全年新增城镇就业5万人以上。");
  s->mutable_main_content()->set_text(absl::StrCat(kMarker, "-interpretation-text"));
  s->mutable_scope()->set_text("本市行政区域内各类用人单位。");
  s->mutable_standards_of_execution()->set_text("按每人每月500元执行。");
  s->mutable_points_of_attention()->set_text("申请须在有效期内提出。");
  s->mutable_key_terms()->set_text("“重点群体”指高校毕业生等。");
  s->mutable_public_benefit_measures()->set_text("取消证明材料12项。");
  s->mutable_new_versus_old()->set_not_applicable(true);
  s->mutable_new_versus_old()->set_not_applicable_reason("首次制定");
  i.mutable_plan()->add_forms(iv1::TEXT);
  i.mutable_plan()->add_channels(iv1::WEBSITE);
  i.mutable_plan()->set_timing("与文件同步发布");
  i.mutable_plan()->set_spokesperson("新闻发言人");
  suite.fixtures["interpretation"] =
      MustCall(*interpretations, &iv1::InterpretationService::Stub::CreateInterpretation, staff,
               interpret, "interpretation")
          .id();

  // Consultation: open today, with a comment whose contact and hidden name are private.
  auto consultations = conv1::ConsultationService::NewStub(ChannelTo(suite, "consultation"));
  conv1::CreateConsultationRequest consult;
  consult.set_request_id("sec-consultation-1");
  conv1::Consultation& c = *consult.mutable_consultation();
  c.set_unit_id(suite.unit_a);
  c.set_title("公共停车设施建设三年行动方案（征求意见稿）");
  c.set_draft("一、总体目标……");
  c.set_basis("《城市停车设施规划》");
  c.set_category(conv1::WELFARE_POLICIES);
  c.set_domain("transport");
  c.set_decision_type(conv1::MAJOR_ADMINISTRATIVE_DECISION);
  c.add_methods(conv1::COMMENT_SOLICITATION);
  c.add_channels(conv1::GOVERNMENT_WEBSITE);
  *c.mutable_opens_on() = ToProtoDate(absl::ToCivilDay(absl::Now(), ShanghaiTimeZone()));
  c.set_period_days(30);
  suite.fixtures["consultation"] =
      MustCall(*consultations, &conv1::ConsultationService::Stub::CreateConsultation, staff,
               consult, "consultation")
          .id();
  conv1::PostCommentRequest comment;
  comment.set_request_id("sec-comment-1");
  comment.set_consultation_id(suite.Fixture("consultation"));
  comment.set_text("建议在学校周边增设临时停车位。");
  comment.set_name(absl::StrCat(kMarker, "-commenter-name"));
  comment.set_contact(absl::StrCat(kMarker, "-commenter-contact"));
  comment.set_show_name(false);
  const conv1::Comment posted = MustCall(
      *consultations, &conv1::ConsultationService::Stub::PostComment, "", comment, "comment");
  suite.fixtures["comment"] = posted.id();
  suite.fixtures["commentgroup"] = posted.group_id();

  // Consultation: a hearing on it (applications target it) and a meeting plan of unit A.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ShanghaiTimeZone());
  conv1::CreateHearingRequest hearing;
  hearing.set_request_id("sec-hearing-1");
  hearing.set_consultation_id(suite.Fixture("consultation"));
  hearing.set_kind(conv1::KIND_HEARING);
  hearing.set_title("停车设施建设方案听证会");
  hearing.set_place("市政府第一会议室");
  *hearing.mutable_held_on() = ToProtoDate(today + 30);
  hearing.set_participant_limit(10);
  suite.fixtures["hearing"] =
      MustCall(*consultations, &conv1::ConsultationService::Stub::CreateHearing, staff, hearing,
               "hearing")
          .id();
  conv1::CreateMeetingPlanRequest meeting;
  meeting.set_request_id("sec-meeting-1");
  meeting.mutable_meeting()->set_unit_id(suite.unit_a);
  meeting.mutable_meeting()->set_title("局务会议");
  *meeting.mutable_meeting()->mutable_meeting_on() = ToProtoDate(today + 20);
  meeting.mutable_meeting()->set_is_public(true);
  suite.fixtures["meetingplan"] =
      MustCall(*consultations, &conv1::ConsultationService::Stub::CreateMeetingPlan, staff, meeting,
               "meeting plan")
          .id();

  // Opinion: an event concerning unit A (opinion data is never public).
  auto opinion = ov1::OpinionService::NewStub(ChannelTo(suite, "opinion"));
  ov1::CollectEventRequest collect;
  collect.set_request_id("sec-event-1");
  collect.set_title(absl::StrCat(kMarker, "-opinion-event"));
  collect.set_source(ov1::SOURCE_ONLINE_POST);
  collect.set_category(ov1::CATEGORY_MEDIA_INTEREST);
  collect.set_grade(ov1::GRADE_MAJOR);
  collect.set_territory(ov1::TERRITORY_CITY);
  collect.add_concerned_unit_ids(suite.unit_a);
  collect.set_collecting_unit_id(suite.unit_a);
  *collect.mutable_first_seen_time() = ToTimestamp(absl::Now());
  suite.fixtures["event"] = MustCall(*opinion, &ov1::OpinionService::Stub::CollectEvent,
                                     suite.Token(Suite::kOffice), collect, "event")
                                .id();

  // Website: a site of unit A (not probed: OPENING).
  auto website = wv1::WebsiteService::NewStub(ChannelTo(suite, "website"));
  wv1::CreateSiteRequest site;
  site.set_request_id("sec-site-1");
  site.mutable_site()->set_unit_id(suite.unit_a);
  site.mutable_site()->set_name("门户网站");
  site.mutable_site()->set_kind(wv1::DEPARTMENT_SITE);
  site.mutable_site()->set_url("http://127.0.0.1:9/");
  suite.fixtures["site"] = MustCall(*website, &wv1::WebsiteService::Stub::CreateSite,
                                    suite.Token(Suite::kAdmin), site, "site")
                               .id();
  // ... and a rectification notice to unit A about it.
  wv1::CreateNoticeRequest notice;
  notice.set_request_id("sec-notice-1");
  notice.mutable_notice()->set_site_id(suite.Fixture("site"));
  notice.mutable_notice()->set_reason("栏目长期未更新");
  suite.fixtures["notice"] = MustCall(*website, &wv1::WebsiteService::Stub::CreateNotice,
                                      suite.Token(Suite::kOffice), notice, "notice")
                                 .id();

  // Assessment: an inspector's evidence about unit A.
  auto assessment = av1::AssessmentService::NewStub(ChannelTo(suite, "assessment"));
  av1::RecordInspectorEvidenceRequest evidence;
  evidence.set_request_id("sec-evidence-1");
  evidence.set_unit_id(suite.unit_a);
  evidence.set_year(static_cast<int>(absl::ToCivilYear(absl::Now(), ShanghaiTimeZone()).year()));
  evidence.set_item(common::v1::LEADERSHIP_AND_STAFFING);
  evidence.set_points(1);
  evidence.set_text(absl::StrCat(kMarker, "-inspector-evidence"));
  MustCall(*assessment, &av1::AssessmentService::Stub::RecordInspectorEvidence,
           suite.Token(Suite::kInspector), evidence, "inspector evidence");
}

class SecurityEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Suite::instance() = std::make_unique<Suite>();
    if (!Suite::Get().Start()) return;
    CreateFixtures(Suite::Get());
  }
  void TearDown() override { Suite::instance().reset(); }
};

// ---------------------------------------------------------------------------------------
// docs/security.md: generated blocks between markers.

std::string SecurityDoc() { return absl::StrCat(GONGKAI_SOURCE_DIR, "/docs/security.md"); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text between "<!-- generated:NAME -->" and "<!-- end:NAME -->" in the doc.
std::string GeneratedBlock(const std::string& doc, const std::string& name) {
  const std::string begin = absl::StrCat("<!-- generated:", name, " -->\n");
  const std::string end = absl::StrCat("<!-- end:", name, " -->");
  const size_t b = doc.find(begin);
  const size_t e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "";
  return doc.substr(b + begin.size(), e - b - begin.size());
}

// Compares `block` with the doc's, or writes it there when GONGKAI_SECURITY_REGENERATE
// is set. Returns an empty string when they agree (or after writing).
std::string CheckOrRegenerate(const std::string& name, const std::string& block) {
  std::string doc = ReadFile(SecurityDoc());
  const std::string begin = absl::StrCat("<!-- generated:", name, " -->\n");
  const std::string end = absl::StrCat("<!-- end:", name, " -->");
  if (std::getenv("GONGKAI_SECURITY_REGENERATE") != nullptr) {
    const size_t b = doc.find(begin);
    const size_t e = doc.find(end);
    if (b == std::string::npos || e == std::string::npos) {
      absl::StrAppend(&doc, "\n", begin, block, end, "\n");
    } else {
      doc = absl::StrCat(doc.substr(0, b + begin.size()), block, doc.substr(e));
    }
    std::ofstream(SecurityDoc()) << doc;
    return "";
  }
  const std::string documented = GeneratedBlock(doc, name);
  if (documented == block) return "";
  // The first differing line, for the failure message.
  std::vector<std::string> a = absl::StrSplit(documented, '\n');
  std::vector<std::string> b = absl::StrSplit(block, '\n');
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "<none>";
    const std::string y = i < b.size() ? b[i] : "<none>";
    if (x != y) {
      return absl::StrCat("docs/security.md block \"", name, "\" differs from behaviour at line ",
                          i + 1, ":\n  documented: ", x, "\n  observed:   ", y,
                          "\n(regenerate: GONGKAI_SECURITY_REGENERATE=1 ./gongkai test "
                          "--no-install --no-build -R security_e2e)");
    }
  }
  return "differs";
}

class SecurityE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(Suite::instance(), nullptr);
    ASSERT_NE(Suite::Get().unit_a, 0) << "the suite did not start";
  }
  Suite& suite() { return Suite::Get(); }
};

// A read: bound to GET in the REST API (Compute…, Evaluate…, Check… included), or, for
// an RPC without a binding, named like one.
bool IsReadMethod(const MethodDescriptor* method) {
  const google::api::HttpRule& http = method->options().GetExtension(google::api::http);
  if (http.pattern_case() != google::api::HttpRule::PATTERN_NOT_SET) return !http.get().empty();
  for (const char* verb : {"Get", "List", "Search", "Track", "Check", "Render", "Export"}) {
    if (absl::StartsWith(method->name(), verb)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// 2. No leak (runs before the table, which changes the fixtures' states).

TEST_F(SecurityE2eTest, NothingPrivateReachesThePublicOrAnotherUnit) {
  const std::string staff_b = suite().Token(Suite::kStaffOfB);
  RequestFiller filler(suite());
  int public_calls = 0, unit_b_calls = 0, rest_calls = 0;
  std::vector<std::string> leaks;
  for (const Rpc& rpc : AllRpcs()) {
    const bool is_public = rpc.access != gongkai::api::ACCESS_AUTHENTICATED;
    if (!IsReadMethod(rpc.method)) continue;  // Writes answer with what was written.
    // Each read twice: with unit A's fixtures, and with every field empty (list all).
    for (bool filled : {true, false}) {
      std::unique_ptr<Message> request = NewRequest(rpc.method);
      if (filled) filler.Fill(rpc.method, request.get());
      for (const std::string& token : {std::string(), staff_b}) {
        if (token.empty() && !is_public) continue;
        const Outcome outcome =
            CallRpc(suite().addresses().at(rpc.process), rpc.method, *request, token);
        (token.empty() ? public_calls : unit_b_calls)++;
        if (absl::StrContains(outcome.response, kMarker)) {
          leaks.push_back(absl::StrCat(rpc.method->full_name(), " as ",
                                       token.empty() ? "public" : "staff B", " (",
                                       filled ? "unit A's ids" : "empty request", ")"));
        }
      }
    }
  }
  // REST through the gateway: every GET route, anonymous and as unit B, ids of unit A.
  for (const Rpc& rpc : AllRpcs()) {
    const google::api::HttpRule& http = rpc.method->options().GetExtension(google::api::http);
    if (http.get().empty()) continue;
    if (rpc.process != "catalog" &&
        rpc.method->service()->file()->package() == "gongkai.common.v1") {
      continue;  // Shared services are routed to the catalog only.
    }
    const std::string path = FillPathTemplate(http.get(), [&](const std::string& variable) {
      if (variable == "unit_id") return suite().unit_a;
      if (variable == "year") {
        return static_cast<int64_t>(absl::ToCivilYear(absl::Now(), ShanghaiTimeZone()).year());
      }
      if (variable == "id") return suite().Fixture(ResourceOf(rpc.method));
      std::string kind = absl::StrReplaceAll(variable.substr(0, variable.size() - 3), {{"_", ""}});
      return suite().Fixture(kind);
    });
    for (const std::string& token : {std::string(), staff_b}) {
      for (const std::string& query : {std::string(), absl::StrCat("?unit_id=", suite().unit_a)}) {
        const HttpReply reply = SendHttp(
            suite().http_port(),
            absl::StrCat("GET ", path, query, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
                         token.empty() ? "" : absl::StrCat("Authorization: Bearer ", token, "\r\n"),
                         "\r\n"));
        ++rest_calls;
        if (absl::StrContains(reply.raw, kMarker)) {
          leaks.push_back(
              absl::StrCat("GET ", path, query, " as ", token.empty() ? "public" : "staff B"));
        }
      }
    }
  }
  std::cerr << "no-leak: " << public_calls << " public gRPC calls, " << unit_b_calls
            << " unit-B gRPC calls, " << rest_calls << " REST calls scanned\n";
  EXPECT_GT(public_calls, 20);
  EXPECT_THAT(leaks, ::testing::IsEmpty());
}

// ---------------------------------------------------------------------------------------
// 1. The authorization table.

// Callers in the order they call (likely refusals first, so fixtures stay usable).
constexpr int kCallOrder[Suite::kCallers] = {
    Suite::kAnonymous,   Suite::kStaffOfB, Suite::kInspector, Suite::kService, Suite::kSupervision,
    Suite::kReviewerOfA, Suite::kHeadOfA,  Suite::kStaffOfA,  Suite::kOffice,  Suite::kAdmin};

// "ok" for a call that passed authorization (refused, if at all, for what it asked);
// empty for any other code.
std::string ShortCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "ok";
    default:
      return "";
  }
}

TEST_F(SecurityE2eTest, AuthorizationTableMatchesBehaviour) {
  RequestFiller filler(suite());
  std::vector<std::string> messages;  // Distinct refusal messages, numbered from 1.
  auto message_number = [&](const std::string& message) {
    auto it = std::find(messages.begin(), messages.end(), message);
    if (it != messages.end()) return static_cast<int>(it - messages.begin()) + 1;
    messages.push_back(message);
    return static_cast<int>(messages.size());
  };
  std::string table;
  std::string current_service;
  std::vector<std::string> violations;
  int calls = 0;
  for (const Rpc& rpc : AllRpcs()) {
    const std::string service =
        absl::StrCat(rpc.process, " — ", rpc.method->service()->full_name());
    std::unique_ptr<Message> probe = NewRequest(rpc.method);
    const Outcome served = CallRpc(suite().addresses().at(rpc.process), rpc.method, *probe,
                                   suite().Token(Suite::kAdmin));
    if (served.code == grpc::StatusCode::UNIMPLEMENTED) {
      if (rpc.method->service()->name() != "RuleSetService") {
        violations.push_back(absl::StrCat(service, " does not serve ", rpc.method->name()));
      }
      continue;
    }
    if (service != current_service) {
      current_service = service;
      absl::StrAppend(&table, "\n### ", service, "\n\n| RPC | access |");
      for (int c = 0; c < Suite::kCallers; ++c)
        absl::StrAppend(&table, " ", Suite::CallerName(c), " |");
      absl::StrAppend(&table, "\n|---|---|");
      for (int c = 0; c < Suite::kCallers; ++c) absl::StrAppend(&table, "---|");
      absl::StrAppend(&table, "\n");
    }
    std::string cells[Suite::kCallers];
    for (int caller : kCallOrder) {
      std::unique_ptr<Message> request = NewRequest(rpc.method);
      filler.Fill(rpc.method, request.get());
      const Suite::RowCounts before = suite().CountRows(rpc.process);
      const Outcome outcome =
          CallRpc(suite().addresses().at(rpc.process), rpc.method, *request, suite().Token(caller));
      ++calls;
      std::string cell;
      if (outcome.code == grpc::StatusCode::UNAUTHENTICATED) {
        cell = "401";
      } else if (outcome.code == grpc::StatusCode::PERMISSION_DENIED) {
        cell = absl::StrCat("403 (", message_number(Normalized(outcome.message)), ")");
      } else {
        cell = ShortCode(outcome.code);
        if (cell.empty()) {
          cell = absl::StrCat("error ", static_cast<int>(outcome.code));
          violations.push_back(absl::StrCat(rpc.method->full_name(), " as ",
                                            Suite::CallerName(caller), ": code ",
                                            static_cast<int>(outcome.code), " ", outcome.message));
        }
      }
      if (IsRefusal(outcome.code)) {
        Suite::RowCounts after = suite().CountRows(rpc.process);
        if (after != before) {
          // A service's own background work (the assessment's run executor, an outbox
          // relay, an event consumer) may be finishing what an earlier, allowed call
          // started. Wait until the schema is still, then send the same refused call once
          // more: only a write that happens again is the refused call's own.
          const Suite::RowCounts settled = suite().SettleRows(rpc.process);
          std::unique_ptr<Message> again = NewRequest(rpc.method);
          again->CopyFrom(*request);
          const Outcome repeated = CallRpc(suite().addresses().at(rpc.process), rpc.method, *again,
                                           suite().Token(caller));
          after = suite().CountRows(rpc.process);
          if (IsRefusal(repeated.code) && after != settled) {
            violations.push_back(absl::StrCat(
                rpc.method->full_name(), " as ", Suite::CallerName(caller),
                " was refused but wrote to ", rpc.process, ": ", Suite::Changed(settled, after)));
          }
        }
      }
      // The access option of the proto, checked against the service.
      if (caller == Suite::kAnonymous) {
        if (rpc.access == gongkai::api::ACCESS_AUTHENTICATED &&
            outcome.code != grpc::StatusCode::UNAUTHENTICATED) {
          violations.push_back(absl::StrCat(rpc.method->full_name(),
                                            " is ACCESS_AUTHENTICATED but the public got code ",
                                            static_cast<int>(outcome.code)));
        }
        if (rpc.access != gongkai::api::ACCESS_AUTHENTICATED && IsRefusal(outcome.code)) {
          violations.push_back(absl::StrCat(rpc.method->full_name(), " is ", AccessName(rpc.access),
                                            " but refuses the public: ", outcome.message));
        }
      }
      // INSPECTOR reads everything and never writes (libs/auth/policy.h), except in the
      // assessment, whose inspectors (考核组) record evidence, spot checks and runs (ASM).
      if (caller == Suite::kInspector && !IsReadMethod(rpc.method) && rpc.process != "assessment" &&
          !absl::StartsWith(rpc.method->name(), "Compute") &&
          outcome.code == grpc::StatusCode::OK && rpc.access != gongkai::api::ACCESS_PUBLIC_WRITE) {
        violations.push_back(absl::StrCat(rpc.method->full_name(), " let INSPECTOR write"));
      }
      cells[caller] = cell;
    }
    absl::StrAppend(&table, "| ", rpc.method->name(), " | ", AccessName(rpc.access), " |");
    for (int c = 0; c < Suite::kCallers; ++c) absl::StrAppend(&table, " ", cells[c], " |");
    absl::StrAppend(&table, "\n");
  }
  absl::StrAppend(&table, "\nRefusal messages (`<n>` stands for a number):\n\n");
  for (size_t i = 0; i < messages.size(); ++i) {
    absl::StrAppend(&table, i + 1, ". `", absl::StrReplaceAll(messages[i], {{"|", "\\|"}}), "`\n");
  }
  std::cerr << "authorization table: " << calls << " calls\n";
  EXPECT_THAT(violations, ::testing::IsEmpty());
  const std::string differs = CheckOrRegenerate("authorization-table", table);
  EXPECT_EQ(differs, "");
}

// ---------------------------------------------------------------------------------------
// 3. Tokens.

struct BadToken {
  std::string name;
  std::string token;
};

std::vector<BadToken> BadTokens(Suite& suite) {
  using auth::testing::Base64Url;
  using auth::testing::CraftHs256;
  const std::string secret = suite.jwt_secret();
  auth::Claims claims;
  claims.subject = "token-probe";
  claims.unit_id = suite.unit_a;
  claims.roles = {"ADMIN"};
  claims.issuer = kE2eIssuer;
  claims.audience = {kE2eAudience};
  claims.issued_at = absl::Now();
  auto hs = [&](auth::Claims c, absl::Duration ttl) { return *auth::MintHs256(c, secret, ttl); };
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string payload =
      absl::StrCat(R"({"sub":"token-probe","roles":["ADMIN"],"iss":")", kE2eIssuer, R"(","aud":")",
                   kE2eAudience, R"(","iat":)", now, R"(,"exp":)", now + 3600, "}");
  std::vector<BadToken> tokens;
  {
    auth::Claims c = claims;
    c.issued_at = absl::Now() - absl::Hours(2);
    tokens.push_back({"expired (exp an hour ago)", hs(c, absl::Hours(1))});
  }
  {
    auth::Claims c = claims;
    c.not_before = absl::Now() + absl::Hours(1);
    tokens.push_back({"not yet valid (nbf in an hour)", hs(c, absl::Hours(2))});
  }
  {
    auth::Claims c = claims;
    c.issued_at = absl::Now() + absl::Hours(1);
    tokens.push_back({"issued in the future (iat in an hour, no nbf)", hs(c, absl::Hours(2))});
  }
  {
    auth::Claims c = claims;
    c.issuer = "someone-else";
    tokens.push_back({"wrong issuer", hs(c, absl::Hours(1))});
  }
  {
    auth::Claims c = claims;
    c.audience = {"another-api"};
    tokens.push_back({"wrong audience", hs(c, absl::Hours(1))});
  }
  tokens.push_back(
      {"alg none, no signature",
       absl::StrCat(Base64Url(R"({"alg":"none","typ":"JWT"})"), ".", Base64Url(payload), ".")});
  tokens.push_back(
      {"alg None, signature kept",
       absl::StrCat(Base64Url(R"({"alg":"None"})"), ".", Base64Url(payload), ".", Base64Url("x"))});
  tokens.push_back(
      {"alg NONE", absl::StrCat(Base64Url(R"({"alg":"NONE"})"), ".", Base64Url(payload), ".")});
  tokens.push_back(
      {"HS256 signed with the RS256 public key (key confusion)",
       CraftHs256(R"({"alg":"HS256","kid":"k1","typ":"JWT"})", payload, suite.rsa().public_pem)});
  tokens.push_back({"RS256 header, HMAC signature with the HS256 secret",
                    CraftHs256(R"({"alg":"RS256","kid":"k1","typ":"JWT"})", payload, secret)});
  {
    const auth::testing::TestKeyPair other = auth::testing::GenerateRsaKeyPair(2048);
    auth::Claims c = claims;
    tokens.push_back({"RS256 signed by another key under kid k1",
                      *auth::MintRs256(c, other.private_pem, "k1", absl::Hours(1))});
    tokens.push_back({"RS256 with an unknown kid",
                      *auth::MintRs256(c, suite.rsa().private_pem, "k9", absl::Hours(1))});
  }
  {
    auth::Claims c = claims;
    c.roles = {"STAFF"};
    const std::string valid = hs(c, absl::Hours(1));
    std::vector<std::string> parts = absl::StrSplit(valid, '.');
    std::string decoded;
    absl::WebSafeBase64Unescape(parts[1], &decoded);
    tokens.push_back(
        {"tampered payload (STAFF -> ADMIN, signature kept)",
         absl::StrCat(parts[0], ".", Base64Url(absl::StrReplaceAll(decoded, {{"STAFF", "ADMIN"}})),
                      ".", parts[2])});
    std::string flipped = valid;
    flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
    tokens.push_back({"tampered signature", flipped});
    tokens.push_back({"signature stripped", absl::StrCat(parts[0], ".", parts[1], ".")});
  }
  {
    auth::Claims c = claims;
    c.roles = {"ADMIN", std::string(10000, 'X')};
    tokens.push_back({"oversized (10 KB, validly signed)", hs(c, absl::Hours(1))});
  }
  tokens.push_back({"not a JWT", "not-a-jwt-at-all-0123456789"});
  tokens.push_back({"four segments", absl::StrCat(hs(claims, absl::Hours(1)), ".e30")});
  return tokens;
}

TEST_F(SecurityE2eTest, BadTokensAreRefusedWith401AndNeverLogged) {
  std::vector<BadToken> tokens = BadTokens(suite());
  // One authenticated RPC per process (the compliance evidence every service serves) and
  // one public GET route per service through the gateway: a bad token is refused even
  // where no token is needed.
  const MethodDescriptor* evidence =
      ServiceNamed(common::v1::GetComplianceEvidenceRequest::descriptor(),
                   common::v1::ComplianceEvidenceService::service_full_name())
          ->FindMethodByName("GetComplianceEvidence");
  ASSERT_NE(evidence, nullptr);
  const std::vector<std::string> routes = {absl::StrCat("/v1/units/", suite().unit_a),
                                           "/v1/interpretations",
                                           "/v1/consultations",
                                           "/v1/opinion-events",
                                           "/v1/sites",
                                           "/v1/assessment/notices"};
  std::vector<std::string> failures;
  std::string block =
      "| token | gRPC (each of the six services) | REST through the gateway |\n|---|---|---|\n";
  for (const BadToken& bad : tokens) {
    std::set<std::string> grpc_results, http_results;
    for (const auto& [process, address] : suite().addresses()) {
      const Outcome outcome =
          CallRpc(address, evidence, common::v1::GetComplianceEvidenceRequest(), bad.token);
      // A token beyond gRPC's 8 KB metadata limit is refused by the transport before
      // the service sees it (RESOURCE_EXHAUSTED); the authenticator's own limit
      // (kMaxTokenBytes) answers the gateway's 401.
      const bool transport_refused =
          outcome.code == grpc::StatusCode::RESOURCE_EXHAUSTED && bad.token.size() > 8 * 1024;
      grpc_results.insert(outcome.code == grpc::StatusCode::UNAUTHENTICATED ? "UNAUTHENTICATED"
                          : transport_refused
                              ? "RESOURCE_EXHAUSTED (metadata limit)"
                              : absl::StrCat("code ", static_cast<int>(outcome.code)));
      if (outcome.code != grpc::StatusCode::UNAUTHENTICATED && !transport_refused) {
        failures.push_back(absl::StrCat(bad.name, ": ", process, " answered code ",
                                        static_cast<int>(outcome.code), " ", outcome.message));
      }
    }
    for (const std::string& route : routes) {
      const HttpReply reply =
          SendHttp(suite().http_port(), absl::StrCat("GET ", route,
                                                     " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                                                     "Bearer ",
                                                     bad.token, "\r\nConnection: close\r\n\r\n"));
      http_results.insert(absl::StrCat(reply.status));
      if (reply.status != 401) {
        failures.push_back(absl::StrCat(bad.name, ": GET ", route, " answered ", reply.status));
      }
    }
    absl::StrAppend(&block, "| ", bad.name, " | ", absl::StrJoin(grpc_results, ", "), " | ",
                    absl::StrJoin(http_results, ", "), " |\n");
  }
  // Sanity: the same calls with good tokens pass authentication (HS256 and RS256).
  auth::Claims good;
  good.subject = "token-probe";
  good.roles = {"ADMIN"};
  good.issuer = kE2eIssuer;
  good.audience = {kE2eAudience};
  good.issued_at = absl::Now();
  for (const std::string& token :
       {*auth::MintHs256(good, suite().jwt_secret(), absl::Hours(1)),
        *auth::MintRs256(good, suite().rsa().private_pem, "k1", absl::Hours(1))}) {
    for (const auto& [process, address] : suite().addresses()) {
      EXPECT_NE(CallRpc(address, evidence, common::v1::GetComplianceEvidenceRequest(), token).code,
                grpc::StatusCode::UNAUTHENTICATED)
          << process;
    }
    EXPECT_EQ(SendHttp(suite().http_port(),
                       absl::StrCat("GET /v1/consultations HTTP/1.1\r\nHost: x\r\nAuthorization: "
                                    "Bearer ",
                                    token, "\r\nConnection: close\r\n\r\n"))
                  .status,
              200);
  }
  // Nothing any process logged contains a token or its signature.
  absl::SleepFor(absl::Milliseconds(300));  // Access-log lines are written after replies.
  for (const auto& [name, process] : suite().Processes()) {
    for (const std::string& line : process->LogLines()) {
      for (const BadToken& bad : tokens) {
        std::vector<std::string> parts = absl::StrSplit(bad.token, '.');
        const std::string& signature = parts.back();
        if (absl::StrContains(line, bad.token) ||
            (signature.size() >= 16 && absl::StrContains(line, signature))) {
          failures.push_back(
              absl::StrCat(name, " logged the token \"", bad.name, "\": ", line.substr(0, 200)));
        }
      }
    }
  }
  EXPECT_THAT(failures, ::testing::IsEmpty());
  CheckOrRegenerate("tokens", block);  // Results, regenerated on request only.
  std::cerr << "tokens: " << tokens.size() << " bad tokens x (6 services + " << routes.size()
            << " REST routes)\n";
}

// ---------------------------------------------------------------------------------------
// 4. Hostile input through the gateway.

struct HostileCase {
  std::string category;
  std::string description;
  std::string request;  // Raw HTTP.
};

std::string Http(const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body, const std::string& extra_headers = "") {
  std::string request = absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: gongkai\r\n");
  if (!token.empty()) absl::StrAppend(&request, "Authorization: Bearer ", token, "\r\n");
  absl::StrAppend(&request, extra_headers);
  if (!body.empty() || method != "GET") {
    absl::StrAppend(&request, "Content-Type: application/json\r\nContent-Length: ", body.size(),
                    "\r\n");
  }
  absl::StrAppend(&request, "Connection: close\r\n\r\n", body);
  return request;
}

std::vector<HostileCase> HostileCases(Suite& suite) {
  const std::string admin = suite.Token(Suite::kAdmin);
  std::vector<HostileCase> cases;
  std::set<std::string> seen_routes;
  for (const Rpc& rpc : AllRpcs()) {
    if (rpc.process != "catalog" &&
        rpc.method->service()->file()->package() == "gongkai.common.v1") {
      continue;
    }
    const google::api::HttpRule& http = rpc.method->options().GetExtension(google::api::http);
    std::string verb, path_template;
    if (!http.get().empty()) verb = "GET", path_template = http.get();
    if (!http.post().empty()) verb = "POST", path_template = http.post();
    if (!http.put().empty()) verb = "PUT", path_template = http.put();
    if (!http.patch().empty()) verb = "PATCH", path_template = http.patch();
    if (!http.delete_().empty()) verb = "DELETE", path_template = http.delete_();
    if (verb.empty() || !seen_routes.insert(verb + path_template).second) continue;
    // The route with unit A's ids, and with a hostile string in place of the first
    // variable (percent-encoded as a client would send it, or raw).
    const std::string route = FillPathTemplate(path_template, [&](const std::string& variable) {
      if (variable == "unit_id") return suite.unit_a;
      if (variable == "year") return int64_t{2025};
      if (variable == "id") return std::max<int64_t>(1, suite.Fixture(ResourceOf(rpc.method)));
      return std::max<int64_t>(1, suite.Fixture(absl::StrReplaceAll(
                                      variable.substr(0, variable.size() - 3), {{"_", ""}})));
    });
    const bool has_variable = absl::StrContains(path_template, "{");
    const std::string where = absl::StrCat(verb, " ", path_template);
    if (has_variable) {
      const size_t open = path_template.find('{');
      const size_t close = path_template.find('}', open);
      const std::string prefix =
          FillPathTemplate(path_template.substr(0, open), [](auto&) { return int64_t{1}; });
      const std::string suffix = FillPathTemplate(
          path_template.substr(close + 1),
          [&](const std::string& v) { return v == "unit_id" ? suite.unit_a : int64_t{1}; });
      for (const auto& [what, value] : std::vector<std::pair<std::string, std::string>>{
               {"SQL injection in a path id", "1%27%20OR%20%271%27%3D%271"},
               {"SQL injection (UNION) in a path id",
                "1%20UNION%20SELECT%20password%20FROM%20mysql.user"},
               {"huge number in a path id", "99999999999999999999999999"},
               {"bad percent-encoding in a path id", "%zz%"},
               {"NUL byte in a path id", "1%00"},
               {"path traversal in a path id", "..%2F..%2F..%2Fetc%2Fpasswd"},
               {"invalid UTF-8 in a path id", "%ff%fe%c0%af"}}) {
        cases.push_back(
            {what, where, Http(verb, prefix + value + suffix, admin, verb == "GET" ? "" : "{}")});
      }
    }
    if (verb == "GET") {
      for (const auto& [what, query] : std::vector<std::pair<std::string, std::string>>{
               {"SQL injection in page_token", "page_token=%27%3B%20DROP%20TABLE%20documents%3B--"},
               {"huge page_size", "page_size=99999999999999999999"},
               {"SQL injection in a numeric query parameter", "unit_id=1%20OR%201%3D1"},
               {"bad percent-encoding in the query", "unit_id=%G1"}}) {
        cases.push_back({what, where, Http("GET", absl::StrCat(route, "?", query), admin, "")});
      }
      continue;
    }
    // A body: the first int64 field of the request (for numbers), and malformed JSON.
    std::string number_field = "unit_id";
    const google::protobuf::Descriptor* input = rpc.method->input_type();
    for (int i = 0; i < input->field_count(); ++i) {
      if (input->field(i)->cpp_type() == FieldDescriptor::CPPTYPE_INT64 &&
          !input->field(i)->is_repeated()) {
        number_field = input->field(i)->json_name();
        break;
      }
    }
    std::string deep(20000, '[');
    for (const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
             {"duplicate object key", R"({"requestId":"sec-a","requestId":"sec-b"})"},
             {"duplicate key under proto and JSON names",
              R"({"request_id":"sec-a","requestId":"sec-b"})"},
             {"deep JSON nesting (20,000 arrays)", absl::StrCat(R"({"x":)", deep)},
             {"invalid UTF-8 in a string", "{\"requestId\":\"\xff\xfe\xfd\"}"},
             {"overlong UTF-8 encoding of '/'", "{\"requestId\":\"\xc0\xaf\xe0\x80\xaf\"}"},
             {"UTF-16 surrogate encoded as UTF-8", "{\"requestId\":\"\xed\xa0\x80\"}"},
             {"huge number",
              absl::StrCat("{\"", number_field, "\":123456789012345678901234567890}")},
             {"number out of double range", absl::StrCat("{\"", number_field, "\":1e400}")},
             {"SQL injection as a number", absl::StrCat("{\"", number_field, "\":\"1 OR 1=1\"}")},
             {"truncated JSON", R"({"requestId":)"},
             {"raw NUL byte in JSON", std::string("{\"requestId\":\"a\0b\"}", 19)},
             {"not JSON", "'; DROP TABLE units; --"}}) {
      cases.push_back({what, where, Http(verb, route, admin, body)});
    }
  }
  // The protocol itself, on a write route of each kind.
  const std::string body = R"({"requestId":"sec-smuggle"})";
  const std::string target = "/v1/units";
  auto raw = [&](const std::string& what, const std::string& request) {
    cases.push_back({what, "HTTP", request});
  };
  raw("Content-Length and Transfer-Encoding (CL.TE smuggling)",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n1b\r\n",
                   body, "\r\n0\r\n\r\n"));
  raw("two different Content-Length headers",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nContent-Length: ", body.size(),
                   "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", body));
  raw("two equal Content-Length headers",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nContent-Length: ", body.size(),
                   "\r\nContent-Length: ", body.size(), "\r\nConnection: close\r\n\r\n", body));
  raw("Transfer-Encoding obfuscated (chunked, identity)",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, identity\r\n"
                   "Connection: close\r\n\r\n1b\r\n",
                   body, "\r\n0\r\n\r\n"));
  raw("Transfer-Encoding with a space before the colon",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding : chunked\r\n"
                   "Content-Length: ",
                   body.size(), "\r\nConnection: close\r\n\r\n", body));
  raw("obs-fold (a header continued on the next line)",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nX-Folded: a\r\n b\r\nContent-Length: ",
                   body.size(), "\r\nConnection: close\r\n\r\n", body));
  raw("obs-fold inside Content-Length",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nContent-Length:\r\n ", body.size(),
                   "\r\nConnection: close\r\n\r\n", body));
  raw("negative Content-Length", absl::StrCat("POST ", target,
                                              " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n"
                                              "Connection: close\r\n\r\n",
                                              body));
  raw("Content-Length beyond 64 bits",
      absl::StrCat("POST ", target,
                   " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                   "99999999999999999999999\r\nConnection: close\r\n\r\n",
                   body));
  raw("bad chunk size",
      absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", admin,
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                   "Connection: close\r\n\r\nzz\r\n",
                   body, "\r\n0\r\n\r\n"));
  raw("NUL byte in a header value",
      absl::StrCat("GET /v1/units HTTP/1.1\r\nHost: x\r\nX-Nul: a", std::string(1, '\0'),
                   "b\r\nConnection: close\r\n\r\n"));
  raw("bare LF line endings with a smuggled request",
      "GET /v1/units HTTP/1.1\nHost: x\nContent-Length: 0\n\nGET /v1/units HTTP/1.1\r\n\r\n");
  raw("header name with a space",
      "GET /v1/units HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n"
      "Connection: close\r\n\r\n");
  raw("oversized header (64 KB)",
      absl::StrCat("GET /v1/units HTTP/1.1\r\nHost: x\r\nX-Big: ", std::string(65536, 'a'),
                   "\r\nConnection: close\r\n\r\n"));
  raw("oversized URL (64 KB)", absl::StrCat("GET /v1/units?page_token=", std::string(65536, 'a'),
                                            " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  raw("oversized body (2 MB)",
      Http("POST", target, admin,
           absl::StrCat(R"({"requestId":")", std::string(2 << 20, 'a'), "\"}")));
  raw("invalid method", "GE\x01T /v1/units HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  raw("HTTP/2 preface on the HTTP/1 port", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  raw("request line with spaces in the path",
      "GET /v1/units /../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  for (const char* path :
       {"/v1/../../etc/passwd", "/v1/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
        "/v1/units/..%5c..%5cwindows", "/%00/v1/units", "/v1/units/%", "/v1/units/1%2",
        "/v1/units/%C0%AE%C0%AE/", "//v1/units/1/../../admin", "/v1/units/1;jsessionid=x",
        "/openapi/../../../etc/passwd", "/docs/..%2f..%2f..%2fetc%2fpasswd"}) {
    cases.push_back(
        {"path traversal / bad percent-encoding", "HTTP",
         absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")});
  }
  return cases;
}

TEST_F(SecurityE2eTest, HostileInputThroughTheGatewayIs4xxAndChangesNothing) {
  const std::vector<HostileCase> cases = HostileCases(suite());
  ASSERT_GE(cases.size(), 200u);
  const Suite::RowCounts before = suite().CountRows();
  std::map<std::string, std::map<std::string, int>> results;  // category -> outcome -> count
  std::vector<std::string> failures;
  for (const HostileCase& c : cases) {
    const HttpReply reply = SendHttp(suite().http_port(), c.request);
    std::string outcome;
    if (reply.status >= 400 && reply.status < 500) {
      outcome = "4xx";
    } else if (reply.status >= 500) {
      outcome = "5xx";
    } else if (reply.status == 0) {
      outcome = "no reply";
    } else {
      outcome = absl::StrCat(reply.status / 100, "xx");
    }
    results[c.category][outcome]++;
    if (outcome != "4xx") {
      failures.push_back(absl::StrCat(c.category, " (", c.description, "): ",
                                      reply.status == 0 ? "no reply" : reply.raw.substr(0, 300)));
    }
  }
  const Suite::RowCounts after = suite().CountRows();
  for (const auto& [service, tables] : after) {
    for (const auto& [table, count] : tables) {
      const int64_t was = before.count(service)
                              ? before.at(service).count(table) ? before.at(service).at(table) : -1
                              : -1;
      if (was != count) {
        failures.push_back(
            absl::StrCat(service, ".", table, ": ", was, " rows before, ", count, " after"));
      }
    }
  }
  std::string block =
      "| category | cases | 4xx | 5xx | 2xx/3xx | no reply |\n|---|---|---|---|---|---|\n";
  int total = 0, fours = 0, fives = 0;
  for (const auto& [category, outcomes] : results) {
    auto n = [&](const std::string& key) {
      auto it = outcomes.find(key);
      return it == outcomes.end() ? 0 : it->second;
    };
    int cases_in = 0;
    for (const auto& [key, count] : outcomes) cases_in += count;
    total += cases_in;
    fours += n("4xx");
    fives += n("5xx");
    absl::StrAppend(&block, "| ", category, " | ", cases_in, " | ", n("4xx"), " | ", n("5xx"),
                    " | ", n("2xx") + n("3xx") + n("1xx"), " | ", n("no reply"), " |\n");
  }
  absl::StrAppend(&block, "| **total** | ", total, " | ", fours, " | ", fives, " | | |\n");
  std::cerr << "hostile input: " << total << " cases, " << fours << " 4xx, " << fives << " 5xx\n";
  EXPECT_THAT(failures, ::testing::IsEmpty());
  CheckOrRegenerate("hostile-input", block);  // Results, regenerated on request only.
}

// Started once for the whole binary (the suite's processes take seconds to start).
::testing::Environment* const kSecurityEnvironment =
    ::testing::AddGlobalTestEnvironment(new SecurityEnvironment());

}  // namespace
}  // namespace gongkai::e2e
