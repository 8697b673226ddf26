// The steps of the INT-3 story over gRPC, shared by the interpretation e2e suites: a
// unit, a city-government policy document, its interpretation written and approved by
// the unit's head, the document's submission, review and publication, and waiting for
// the interpretation to be released. Each step returns the service's answer.
// Header-only test support; thread-compatible.
#ifndef GONGKAI_TESTS_E2E_INTERPRETATION_STEPS_H_
#define GONGKAI_TESTS_E2E_INTERPRETATION_STEPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/e2e/grpc_call.h"
#include "tests/e2e/interpretation_under_test.h"

namespace gongkai::e2e {

namespace cat = ::gongkai::catalog::v1;
namespace interp = ::gongkai::interpretation::v1;

class InterpretationSteps {
 public:
  explicit InterpretationSteps(InterpretationSuite* suite) : suite_(suite) {}

  std::string Admin() const { return suite_->Token("root", std::nullopt, {"ADMIN"}); }
  std::string StaffOf(int64_t unit) const {
    return suite_->Token(absl::StrCat("staff-", unit), unit, {"STAFF"});
  }
  std::string ReviewerOf(int64_t unit) const {
    return suite_->Token(absl::StrCat("reviewer-", unit), unit, {"REVIEWER"});
  }
  std::string HeadOf(int64_t unit) const {
    return suite_->Token(absl::StrCat("head-", unit), unit, {"HEAD"});
  }

  absl::StatusOr<cat::Unit> NewUnit(const std::string& code, const std::string& name) {
    cat::CreateUnitRequest request;
    request.mutable_unit()->set_code(code);
    request.mutable_unit()->set_name(name);
    request.mutable_unit()->set_level(cat::UNIT_LEVEL_DEPARTMENT);
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::CreateUnit, Admin(),
                     request);
  }

  // A PROACTIVE policy document issued in the name of the city government.
  absl::StatusOr<cat::Document> DraftCityPolicy(int64_t unit, const std::string& title) {
    cat::CreateDocumentRequest request;
    cat::Document* d = request.mutable_document();
    d->set_title(title);
    d->set_body("为进一步稳定和扩大就业，结合本市实际，制定如下政策措施。");
    d->set_drafting_unit_id(unit);
    d->set_issuing_authority(cat::CITY_GOVERNMENT);
    d->set_is_policy_document(true);
    d->set_key_area(cat::EDUCATION);
    d->set_disclosure_attribute(cat::PROACTIVE);
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::CreateDocument,
                     StaffOf(unit), request);
  }

  absl::StatusOr<cat::Document> Submit(int64_t unit, int64_t document) {
    cat::SubmitDocumentRequest request;
    request.set_id(document);
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::SubmitDocument,
                     StaffOf(unit), request);
  }
  absl::StatusOr<cat::Document> Review(int64_t unit, int64_t document) {
    cat::ReviewDocumentRequest request;
    request.set_id(document);
    request.set_outcome(cat::REVIEW_PASSED);
    request.set_note("经保密审查，无涉密内容");
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::ReviewDocument,
                     ReviewerOf(unit), request);
  }
  absl::StatusOr<cat::Document> Publish(int64_t unit, int64_t document) {
    cat::PublishDocumentRequest request;
    request.set_id(document);
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::PublishDocument,
                     StaffOf(unit), request);
  }
  absl::StatusOr<cat::Document> GetDocument(const std::string& token, int64_t document) {
    cat::GetDocumentRequest request;
    request.set_id(document);
    return UnaryCall(*suite_->CatalogStub(), &cat::CatalogService::Stub::GetDocument, token,
                     request);
  }

  // The nine INT-2 sections (one not applicable), the INT-3 plan and one material.
  static void FillContent(interp::Interpretation& i) {
    interp::Sections* s = i.mutable_sections();
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
    i.mutable_plan()->add_forms(interp::TEXT);
    i.mutable_plan()->add_forms(interp::GRAPHIC);
    i.mutable_plan()->add_channels(interp::WEBSITE);
    i.mutable_plan()->add_channels(interp::WECHAT);
    i.mutable_plan()->set_timing("与文件同步发布");
    i.mutable_plan()->set_spokesperson("市人社局新闻发言人");
    interp::Material* m = i.add_materials();
    m->set_title("一图读懂稳就业十条");
    m->set_form(interp::GRAPHIC);
    m->set_content("https://www.nanning.gov.cn/zcjd/tujie-2026-01.png");
  }

  absl::StatusOr<interp::Interpretation> Interpret(int64_t unit, int64_t document,
                                                   bool complete = true) {
    interp::CreateInterpretationRequest request;
    request.set_request_id(absl::StrCat("interpret-", document));
    request.mutable_interpretation()->set_document_id(document);
    if (complete) FillContent(*request.mutable_interpretation());
    return UnaryCall(*suite_->InterpretationStub(),
                     &interp::InterpretationService::Stub::CreateInterpretation, StaffOf(unit),
                     request);
  }
  absl::StatusOr<interp::Interpretation> Approve(int64_t unit, int64_t interpretation) {
    interp::ApproveInterpretationRequest request;
    request.set_id(interpretation);
    return UnaryCall(*suite_->InterpretationStub(),
                     &interp::InterpretationService::Stub::ApproveInterpretation, HeadOf(unit),
                     request);
  }
  absl::StatusOr<interp::Interpretation> GetInterpretation(const std::string& token,
                                                           int64_t interpretation) {
    interp::GetInterpretationRequest request;
    request.set_id(interpretation);
    return UnaryCall(*suite_->InterpretationStub(),
                     &interp::InterpretationService::Stub::GetInterpretation, token, request);
  }

  // Polls (anonymously: a released interpretation is public) until it is RELEASED or
  // `timeout` passed; returns the last answer.
  absl::StatusOr<interp::Interpretation> WaitForRelease(int64_t interpretation,
                                                        absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    absl::StatusOr<interp::Interpretation> last;
    do {
      last = GetInterpretation("", interpretation);
      if (last.ok() && last->state() == interp::RELEASED) return last;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < deadline);
    if (last.ok()) {
      return absl::DeadlineExceededError(absl::StrCat("interpretation ", interpretation,
                                                      " not released within ",
                                                      absl::FormatDuration(timeout)));
    }
    return last;
  }

  // The document up to APPROVED with an approved interpretation; returns both.
  absl::Status PrepareForPublication(int64_t unit, int64_t document, interp::Interpretation* out) {
    absl::StatusOr<interp::Interpretation> created = Interpret(unit, document);
    if (!created.ok()) return created.status();
    absl::StatusOr<interp::Interpretation> approved = Approve(unit, created->id());
    if (!approved.ok()) return approved.status();
    absl::StatusOr<cat::Document> submitted = Submit(unit, document);
    if (!submitted.ok()) return submitted.status();
    if (submitted->state() != cat::PENDING_REVIEW) {
      return absl::InternalError(absl::StrCat("returned: ", submitted->return_cause()));
    }
    absl::StatusOr<cat::Document> reviewed = Review(unit, document);
    if (!reviewed.ok()) return reviewed.status();
    if (reviewed->state() != cat::APPROVED) {
      return absl::InternalError(absl::StrCat("returned: ", reviewed->return_cause()));
    }
    *out = *approved;
    return absl::OkStatus();
  }

 private:
  InterpretationSuite* suite_;
};

}  // namespace gongkai::e2e

#endif  // GONGKAI_TESTS_E2E_INTERPRETATION_STEPS_H_
