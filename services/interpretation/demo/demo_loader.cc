#include "services/interpretation/demo/demo_loader.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/demo/actor_call.h"
#include "libs/protoconv/protoconv.h"
#include "libs/status/status_macros.h"

namespace gongkai::interpretation::demo {
namespace {

namespace cat = ::gongkai::catalog::v1;
using gongkai::demo::Actor;
using gongkai::demo::CallAs;
using CatalogStub = cat::CatalogService::Stub;
using InterpretationStub = v1::InterpretationService::Stub;

Actor Staff(int64_t unit) { return Actor::Staff(absl::StrCat("jiedu.staff@unit-", unit), unit); }
Actor Reviewer(int64_t unit) {
  return Actor::Reviewer(absl::StrCat("baomi.reviewer@unit-", unit), unit);
}
Actor Head(int64_t unit) { return {absl::StrCat("zhuyao.fuzeren@unit-", unit), "HEAD", unit}; }
Actor Office() { return Actor::Office("zhengwu.office@nn-gov"); }

bool GovernmentLevel(const cat::Document& d) {
  return d.is_policy_document() && (d.issuing_authority() == cat::CITY_GOVERNMENT ||
                                    d.issuing_authority() == cat::CITY_GOVERNMENT_OFFICE);
}

}  // namespace

std::string LoadSummary::ToString() const {
  return absl::StrCat(interpreted, " interpretations written, ", approved,
                      " approved by their heads, ", published,
                      " policy documents published with them, ", supplementary, " supplementary, ",
                      release_records, " release records");
}

v1::Interpretation DemoContent(const std::string& title, int64_t document_id) {
  v1::Interpretation i;
  i.set_document_id(document_id);
  v1::Sections* s = i.mutable_sections();
  s->mutable_background_and_basis()->set_text(
      absl::StrCat("《", title, "》依据国家和自治区有关部署制定，回应群众和市场主体的关切。"));
  s->mutable_objectives_and_tasks()->set_text("明确到年底前的阶段目标，分解为可考核的具体任务。");
  s->mutable_main_content()->set_text("文件共分总体要求、重点任务、保障措施三部分。");
  s->mutable_scope()->set_text("适用于本市行政区域内的相关单位和个人。");
  s->mutable_standards_of_execution()->set_text("按文件所列标准和程序执行，自发布之日起施行。");
  s->mutable_points_of_attention()->set_text("办理时限、申请材料以各责任单位公布的办事指南为准。");
  s->mutable_key_terms()->set_text("文件所称“责任单位”，指牵头负责具体事项的市直部门。");
  s->mutable_public_benefit_measures()->set_text("压减办理时限，推行“一网通办”，减少群众跑腿。");
  s->mutable_new_versus_old()->set_not_applicable(true);
  s->mutable_new_versus_old()->set_not_applicable_reason("本文件为首次制定，无旧政策可比");
  v1::InterpretationPlan* plan = i.mutable_plan();
  plan->add_forms(v1::TEXT);
  plan->add_forms(v1::GRAPHIC);
  plan->add_channels(v1::WEBSITE);
  plan->add_channels(v1::WECHAT);
  plan->set_timing("与文件同步在市政府门户网站发布，同步推送政务新媒体");
  plan->set_spokesperson("起草单位新闻发言人");
  v1::Material* text = i.add_materials();
  text->set_title(absl::StrCat("《", title, "》政策解读"));
  text->set_form(v1::TEXT);
  text->set_content("一、出台背景……二、主要内容……三、惠民举措……");
  v1::Material* graphic = i.add_materials();
  graphic->set_title("一图读懂");
  graphic->set_form(v1::GRAPHIC);
  graphic->set_content(absl::StrCat("https://www.nanning.gov.cn/zcjd/tujie-", document_id, ".png"));
  return i;
}

absl::StatusOr<LoadSummary> DemoLoader::Load() {
  LoadSummary summary;
  // Every policy document the catalog holds (OFFICE reads drafts of every unit).
  std::vector<cat::Document> documents;
  cat::ListDocumentsRequest list;
  list.set_page_size(100);
  list.set_omit_body(true);
  do {
    ASSIGN_OR_RETURN(cat::ListDocumentsResponse page,
                     CallAs(catalog_, &CatalogStub::ListDocuments, "ListDocuments", *tokens_,
                            Office(), list, "documents", call_timeout_));
    for (const cat::Document& d : page.documents()) {
      if (d.is_policy_document()) documents.push_back(d);
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());

  bool left_a_draft = false;
  bool supplemented = false;
  for (cat::Document document : documents) {
    if (!GovernmentLevel(document)) continue;  // Department documents: no gate (INT-1).
    const int64_t unit = document.drafting_unit_id();
    const std::string what = absl::StrCat("document ", document.id(), " «", document.title(), "»");
    v1::CreateInterpretationRequest create;
    create.set_request_id(absl::StrCat("demo-interpretation-", document.id()));
    *create.mutable_interpretation() = DemoContent(document.title(), document.id());
    // One stays an unfinished draft: its document cannot be submitted yet.
    const bool keep_draft = !left_a_draft && document.state() == cat::DRAFT;
    if (keep_draft) create.mutable_interpretation()->clear_materials();
    ASSIGN_OR_RETURN(
        v1::Interpretation interpretation,
        CallAs(interpretation_, &InterpretationStub::CreateInterpretation, "CreateInterpretation",
               *tokens_, Staff(unit), create, what, call_timeout_));
    ++summary.interpreted;
    if (keep_draft) {
      left_a_draft = true;
      *progress_ << "interpretation " << interpretation.id() << " of " << what
                 << " left a draft without materials (INT-3: not approvable yet)\n";
      continue;
    }
    v1::GetInterpretationRequest get;
    get.set_id(interpretation.id());
    ASSIGN_OR_RETURN(interpretation,
                     CallAs(interpretation_, &InterpretationStub::GetInterpretation,
                            "GetInterpretation", *tokens_, Staff(unit), get, what, call_timeout_));
    if (interpretation.state() == v1::DRAFT) {
      v1::ApproveInterpretationRequest approve;
      approve.set_id(interpretation.id());
      ASSIGN_OR_RETURN(
          interpretation,
          CallAs(interpretation_, &InterpretationStub::ApproveInterpretation,
                 "ApproveInterpretation", *tokens_, Head(unit), approve, what, call_timeout_));
      ++summary.approved;
    }
    // The document goes on through the catalog now that the gate lets it.
    if (document.state() == cat::DRAFT || document.state() == cat::RETURNED) {
      cat::SubmitDocumentRequest submit;
      submit.set_id(document.id());
      ASSIGN_OR_RETURN(document, CallAs(catalog_, &CatalogStub::SubmitDocument, "SubmitDocument",
                                        *tokens_, Staff(unit), submit, what, call_timeout_));
    }
    if (document.state() == cat::PENDING_REVIEW) {
      cat::ReviewDocumentRequest review;
      review.set_id(document.id());
      review.set_outcome(cat::REVIEW_PASSED);
      review.set_note("经保密审查，未发现涉密内容；政策解读方案已由起草单位主要负责人审定。");
      ASSIGN_OR_RETURN(document, CallAs(catalog_, &CatalogStub::ReviewDocument, "ReviewDocument",
                                        *tokens_, Reviewer(unit), review, what, call_timeout_));
    }
    if (document.state() == cat::APPROVED && document.disclosure_attribute() == cat::PROACTIVE) {
      cat::PublishDocumentRequest publish;
      publish.set_id(document.id());
      ASSIGN_OR_RETURN(document, CallAs(catalog_, &CatalogStub::PublishDocument, "PublishDocument",
                                        *tokens_, Staff(unit), publish, what, call_timeout_));
      ++summary.published;
      *progress_ << "published " << what << " with interpretation " << interpretation.id() << "\n";
    }
    if (document.state() != cat::PUBLISHED) continue;
    // The outbox releases it with the document; wait a little for that. A document the
    // catalog published before the release gate existed (an old .gongkai state) has no
    // event: approving learnt its publication and released the interpretation at once,
    // or, approved in an earlier run, the service's reconcile releases it within a
    // refresh period (GONGKAI_METRICS_REFRESH, 15 s).
    const absl::Time until = absl::Now() + absl::Seconds(40);
    while (interpretation.state() != v1::RELEASED && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(200));
      ASSIGN_OR_RETURN(
          interpretation,
          CallAs(interpretation_, &InterpretationStub::GetInterpretation, "GetInterpretation",
                 *tokens_, Staff(unit), get, what, call_timeout_));
    }
    if (interpretation.state() != v1::RELEASED) {
      return absl::DeadlineExceededError(absl::StrCat(
          "interpretation ", interpretation.id(), " of ", what,
          " was not released within 40 s: is the catalog's outbox relay delivering, and can "
          "the interpretation service reach the catalog (docs/operations.md, \"The outbox\")?"));
    }
    if (interpretation.releases().empty()) {
      v1::RecordReleaseRequest record;
      record.set_interpretation_id(interpretation.id());
      record.set_request_id(absl::StrCat("demo-release-", interpretation.id()));
      record.mutable_release()->set_form(v1::TEXT);
      record.mutable_release()->set_channel(v1::WEBSITE);
      record.mutable_release()->set_reference(
          absl::StrCat("https://www.nanning.gov.cn/zwgk/zcjd/", document.id(), ".html"));
      *record.mutable_release()->mutable_released_on() = ToProtoDate(
          absl::ToCivilDay(FromTimestamp(interpretation.release_time()), ShanghaiTimeZone()));
      RETURN_IF_ERROR(CallAs(interpretation_, &InterpretationStub::RecordRelease, "RecordRelease",
                             *tokens_, Staff(unit), record, what, call_timeout_)
                          .status());
      ++summary.release_records;
    }
    if (!supplemented) {
      v1::RequestSupplementaryInterpretationRequest supplement;
      supplement.set_document_id(document.id());
      supplement.set_reason("网民对政策适用对象存在误读，补充解读适用范围。");
      supplement.set_request_id(absl::StrCat("demo-supplement-", document.id()));
      ASSIGN_OR_RETURN(
          v1::Interpretation extra,
          CallAs(interpretation_, &InterpretationStub::RequestSupplementaryInterpretation,
                 "RequestSupplementaryInterpretation", *tokens_, Office(), supplement, what,
                 call_timeout_));
      // A replayed request answers the interpretation as first created: read it now.
      v1::GetInterpretationRequest get_extra;
      get_extra.set_id(extra.id());
      ASSIGN_OR_RETURN(
          extra, CallAs(interpretation_, &InterpretationStub::GetInterpretation,
                        "GetInterpretation", *tokens_, Office(), get_extra, what, call_timeout_));
      if (extra.state() == v1::DRAFT) {
        v1::UpdateInterpretationRequest update;
        *update.mutable_interpretation() = DemoContent(document.title(), document.id());
        update.mutable_interpretation()->set_id(extra.id());
        ASSIGN_OR_RETURN(extra, CallAs(interpretation_, &InterpretationStub::UpdateInterpretation,
                                       "UpdateInterpretation", *tokens_, Staff(unit), update, what,
                                       call_timeout_));
        v1::ApproveInterpretationRequest approve;
        approve.set_id(extra.id());
        RETURN_IF_ERROR(CallAs(interpretation_, &InterpretationStub::ApproveInterpretation,
                               "ApproveInterpretation", *tokens_, Head(unit), approve, what,
                               call_timeout_)
                            .status());
      }
      ++summary.supplementary;
      supplemented = true;
    }
  }
  return summary;
}

}  // namespace gongkai::interpretation::demo
