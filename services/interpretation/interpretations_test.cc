// Unit tests of the interpretation rules (INT-1 to INT-4): the in-memory repository,
// a fake catalog, the real working-day calendar, the shipped rule set and a fake clock.
// Test names cite the rule they check.
#include "services/interpretation/interpretations.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/protoconv/protoconv.h"
#include "libs/rules/embedded_rule_sets.h"
#include "libs/status/errors.h"
#include "services/interpretation/evidence/interpretation_evidence.h"
#include "services/interpretation/fake_interpretation_repository.h"
#include "services/interpretation/interpretation_rules.h"

namespace gongkai::interpretation {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kUnit = 7;
constexpr int64_t kOtherUnit = 8;
constexpr int64_t kCityDocument = 100;
constexpr int64_t kDepartmentDocument = 101;
constexpr int64_t kNotPolicy = 102;

absl::Time ShanghaiTime(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), ShanghaiTimeZone());
}

auth::Principal Staff(int64_t unit = kUnit) {
  return {absl::StrCat("staff-", unit), unit, {auth::Role::kStaff}, {}};
}
auth::Principal Head(int64_t unit = kUnit) {
  return {absl::StrCat("head-", unit), unit, {auth::Role::kHead}, {}};
}
auth::Principal Office() { return {"office", 1, {auth::Role::kOffice}, {}}; }
auth::Principal CatalogService() {
  return {"service:catalog", std::nullopt, {auth::Role::kService}, {}};
}

catalog::v1::Document Document(int64_t id, catalog::v1::IssuingAuthority authority,
                               bool policy = true) {
  catalog::v1::Document d;
  d.set_id(id);
  d.set_title(absl::StrCat("关于促进就业的若干政策措施 ", id));
  d.set_drafting_unit_id(kUnit);
  d.set_issuing_authority(authority);
  d.set_is_policy_document(policy);
  d.set_state(catalog::v1::DRAFT);
  return d;
}

void Complete(v1::Interpretation& i) {
  v1::Sections* s = i.mutable_sections();
  for (v1::Section* section :
       {s->mutable_background_and_basis(), s->mutable_objectives_and_tasks(),
        s->mutable_main_content(), s->mutable_scope(), s->mutable_standards_of_execution(),
        s->mutable_points_of_attention(), s->mutable_key_terms(),
        s->mutable_public_benefit_measures(), s->mutable_new_versus_old()}) {
    section->set_text("内容");
  }
  i.mutable_plan()->add_forms(v1::TEXT);
  i.mutable_plan()->add_channels(v1::WEBSITE);
  i.mutable_plan()->set_timing("与文件同步发布");
  i.mutable_plan()->set_spokesperson("张三");
  v1::Material* m = i.add_materials();
  m->set_title("解读文章");
  m->set_form(v1::ARTICLE);
  m->set_content("正文");
}

class RecordingObserver final : public InterpretationObserver {
 public:
  void Approved() override { ++approved; }
  void PublicationApplied(bool duplicate) override { duplicate ? ++duplicates : ++applied; }
  void Released(bool late) override { late ? ++released_late : ++released_in_sync; }
  void PublicationDelivered(absl::Duration delay) override { delays.push_back(delay); }
  void PublicationLearnt() override { ++learnt; }
  void ReleaseReportQueued() override { ++reports_queued; }
  int approved = 0, applied = 0, duplicates = 0, released_late = 0, released_in_sync = 0;
  int learnt = 0, reports_queued = 0;
  std::vector<absl::Duration> delays;
};

class InterpretationsTest : public ::testing::Test {
 protected:
  InterpretationsTest() : clock_(ShanghaiTime(2024, 11, 4)) {
    calendar_ = *calendar::NewBuiltinCalendar();
    rules_ = *rules::NewRuleBook({ReleaseRuleSchema()}, "");
    documents_.Put(Document(kCityDocument, catalog::v1::CITY_GOVERNMENT));
    documents_.Put(Document(kDepartmentDocument, catalog::v1::DEPARTMENT));
    documents_.Put(Document(kNotPolicy, catalog::v1::DEPARTMENT, /*policy=*/false));
    service_ = std::make_unique<Interpretations>(&repo_, &documents_, calendar_, rules_, &clock_,
                                                 &observer_);
  }

  v1::Interpretation Create(int64_t document_id, bool complete, std::string request_id = "") {
    v1::CreateInterpretationRequest request;
    request.set_request_id(request_id);
    request.mutable_interpretation()->set_document_id(document_id);
    if (complete) Complete(*request.mutable_interpretation());
    absl::StatusOr<v1::Interpretation> created = service_->CreateInterpretation(Staff(), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Interpretation();
  }

  absl::StatusOr<v1::Interpretation> Approve(int64_t id, const auth::Principal& who = Head()) {
    v1::ApproveInterpretationRequest request;
    request.set_id(id);
    return service_->ApproveInterpretation(who, request);
  }

  absl::StatusOr<v1::ApplyPublicationResponse> Publish(int64_t document_id, absl::Time at,
                                                       std::string event_id = "") {
    v1::ApplyPublicationRequest request;
    request.set_event_id(event_id.empty() ? absl::StrCat("document-published/", document_id)
                                          : event_id);
    request.set_document_id(document_id);
    request.set_drafting_unit_id(kUnit);
    request.set_issuing_authority(catalog::v1::CITY_GOVERNMENT);
    request.set_document_title("文件");
    *request.mutable_publish_time() = ToTimestamp(at);
    return service_->ApplyPublication(CatalogService(), request);
  }

  v1::ReleaseCheck Check(int64_t document_id) {
    v1::CheckReleaseRequest request;
    request.set_document_id(document_id);
    absl::StatusOr<v1::ReleaseCheck> check = service_->CheckRelease(CatalogService(), request);
    EXPECT_TRUE(check.ok()) << check.status();
    return check.ok() ? *check : v1::ReleaseCheck();
  }

  FakeInterpretationRepository repo_;
  FakeDocumentLookup documents_;
  FakeClock clock_;
  std::shared_ptr<calendar::WorkingDayCalendar> calendar_;
  std::shared_ptr<rules::RuleBook> rules_;
  RecordingObserver observer_;
  std::unique_ptr<Interpretations> service_;
};

TEST_F(InterpretationsTest, Int1TheDraftingUnitInterprets) {
  v1::Interpretation created = Create(kCityDocument, /*complete=*/false);
  EXPECT_EQ(created.unit_id(), kUnit);
  EXPECT_EQ(created.kind(), v1::PRIMARY);
  EXPECT_EQ(created.state(), v1::DRAFT);
  EXPECT_EQ(created.issuing_authority(), catalog::v1::CITY_GOVERNMENT);
  EXPECT_EQ(created.created_by(), "staff-7");
}

TEST_F(InterpretationsTest, Int1StaffOfAnotherUnitMayNotInterpret) {
  v1::CreateInterpretationRequest request;
  request.mutable_interpretation()->set_document_id(kDepartmentDocument);
  EXPECT_EQ(service_->CreateInterpretation(Staff(kOtherUnit), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(repo_.writes(), 0);
}

TEST_F(InterpretationsTest, Int1OnlyPolicyDocumentsAreInterpreted) {
  v1::CreateInterpretationRequest request;
  request.mutable_interpretation()->set_document_id(kNotPolicy);
  absl::Status status = service_->CreateInterpretation(Staff(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("not a policy document"));
}

TEST_F(InterpretationsTest, OnePrimaryInterpretationPerDocument) {
  Create(kCityDocument, false);
  v1::CreateInterpretationRequest request;
  request.mutable_interpretation()->set_document_id(kCityDocument);
  EXPECT_EQ(service_->CreateInterpretation(Staff(), request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(InterpretationsTest, CreateRetriedWithTheSameRequestIdCreatesOnce) {
  v1::Interpretation first = Create(kCityDocument, false, "req-1");
  v1::Interpretation again = Create(kCityDocument, false, "req-1");
  EXPECT_EQ(first.id(), again.id());
  EXPECT_EQ(repo_.writes(), 1);
}

TEST_F(InterpretationsTest, CatalogUnreachableIsUnavailableAndWritesNothing) {
  documents_.SetUnavailable(true);
  v1::CreateInterpretationRequest request;
  request.mutable_interpretation()->set_document_id(kCityDocument);
  EXPECT_EQ(service_->CreateInterpretation(Staff(), request).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(repo_.writes(), 0);
}

TEST_F(InterpretationsTest, UnknownDocumentIsNotFound) {
  v1::CreateInterpretationRequest request;
  request.mutable_interpretation()->set_document_id(999);
  EXPECT_EQ(service_->CreateInterpretation(Staff(), request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(InterpretationsTest, Int2ApprovalNamesTheMissingSectionsAndWritesNothing) {
  v1::Interpretation created = Create(kCityDocument, /*complete=*/false);
  const int writes = repo_.writes();
  absl::Status status = Approve(created.id()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("background_and_basis"));
  EXPECT_THAT(status.message(), HasSubstr("new_versus_old"));
  EXPECT_THAT(status.message(), HasSubstr("plan.forms"));
  EXPECT_THAT(status.message(), HasSubstr("materials"));
  EXPECT_EQ(repo_.writes(), writes);
}

TEST_F(InterpretationsTest, Int3TheHeadApprovesAndIsTheFirstInterpreter) {
  v1::Interpretation created = Create(kCityDocument, true);
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::APPROVED);
  EXPECT_EQ(approved->first_interpreter(), "head-7");
  EXPECT_FALSE(approved->has_release_time());
  EXPECT_EQ(observer_.approved, 1);
}

TEST_F(InterpretationsTest, Int3StaffOfficeAndOtherHeadsMayNotApprove) {
  v1::Interpretation created = Create(kCityDocument, true);
  EXPECT_EQ(Approve(created.id(), Staff()).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Approve(created.id(), Office()).status().code(), absl::StatusCode::kPermissionDenied);
  // The head of another unit does not even see the draft.
  EXPECT_EQ(Approve(created.id(), Head(kOtherUnit)).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(InterpretationsTest, Int3ReleaseGateWithoutInterpretationIsNotReadyWithCause) {
  v1::ReleaseCheck check = Check(kCityDocument);
  EXPECT_FALSE(check.ready());
  EXPECT_THAT(check.cause(), HasSubstr("INT-3"));
  EXPECT_EQ(check.interpretation_id(), 0);
}

TEST_F(InterpretationsTest, Int3ReleaseGateWithDraftNamesWhatIsMissing) {
  Create(kCityDocument, false);
  v1::ReleaseCheck check = Check(kCityDocument);
  EXPECT_FALSE(check.ready());
  EXPECT_THAT(check.cause(), HasSubstr("main_content"));
}

TEST_F(InterpretationsTest, Int3ReleaseGateIsReadyOnceApproved) {
  v1::Interpretation created = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(created.id()).ok());
  v1::ReleaseCheck check = Check(kCityDocument);
  EXPECT_TRUE(check.ready());
  EXPECT_EQ(check.interpretation_id(), created.id());
}

TEST_F(InterpretationsTest, Int3PublicationReleasesWithTheSamePublicationTime) {
  v1::Interpretation created = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(created.id()).ok());
  const absl::Time published = ShanghaiTime(2024, 11, 4, 15);
  absl::StatusOr<v1::ApplyPublicationResponse> applied = Publish(kCityDocument, published);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_THAT(applied->released_interpretation_ids(), ElementsAre(created.id()));
  v1::Interpretation released = *repo_.Get(created.id());
  EXPECT_EQ(released.state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(released.release_time()), published);
  EXPECT_EQ(FromTimestamp(released.document_publish_time()), published);
  EXPECT_FALSE(released.late());
  EXPECT_THAT(released.lag_rule(), HasSubstr("interpretation.release v1"));
  // The receiving side's view of the delivery: catalog commit → applied here.
  ASSERT_EQ(observer_.delays.size(), 1u);
  EXPECT_EQ(observer_.delays[0], ShanghaiTime(2024, 11, 4) - published);
  EXPECT_EQ(observer_.learnt, 0);
  // Released with the document: the catalog knows already, nothing is reported.
  EXPECT_THAT(repo_.outbox(), IsEmpty());
  EXPECT_EQ(observer_.reports_queued, 0);
}

TEST_F(InterpretationsTest, Int3RedeliveredPublicationChangesNothing) {
  v1::Interpretation created = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(created.id()).ok());
  ASSERT_TRUE(Publish(kCityDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  const int writes = repo_.writes();
  const v1::Interpretation before = *repo_.Get(created.id());
  absl::StatusOr<v1::ApplyPublicationResponse> again =
      Publish(kCityDocument, ShanghaiTime(2024, 11, 4, 15));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_applied());
  EXPECT_THAT(again->released_interpretation_ids(), IsEmpty());
  EXPECT_EQ(repo_.writes(), writes);
  EXPECT_EQ(repo_.Get(created.id())->version(), before.version());
  EXPECT_EQ(observer_.duplicates, 1);
}

// The relay's batch: the publications of one claim in one call and one repository
// transaction, each applied as alone; a bad one is refused alone, a redelivery is a
// duplicate, the rest release their interpretations with their own publication time.
TEST_F(InterpretationsTest, Int3PublicationsOfOneClaimAreAppliedTogetherEachAsAlone) {
  v1::Interpretation city = Create(kCityDocument, true);
  v1::Interpretation department = Create(kDepartmentDocument, true);
  ASSERT_TRUE(Approve(city.id()).ok());
  ASSERT_TRUE(Approve(department.id()).ok());
  ASSERT_TRUE(Publish(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 9)).ok());  // Before.
  const int batches = repo_.batches();
  auto publication = [&](int64_t document_id, absl::Time at) {
    v1::ApplyPublicationRequest p;
    p.set_event_id(absl::StrCat("document-published/", document_id));
    p.set_document_id(document_id);
    p.set_drafting_unit_id(kUnit);
    p.set_issuing_authority(catalog::v1::CITY_GOVERNMENT);
    p.set_document_title("文件");
    *p.mutable_publish_time() = ToTimestamp(at);
    return p;
  };
  v1::ApplyPublicationsRequest request;
  *request.add_publications() = publication(kCityDocument, ShanghaiTime(2024, 11, 4, 15));
  v1::ApplyPublicationRequest bad = publication(kNotPolicy, ShanghaiTime(2024, 11, 4, 15));
  bad.clear_publish_time();
  *request.add_publications() = bad;
  *request.add_publications() = publication(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 9));
  absl::StatusOr<v1::ApplyPublicationsResponse> applied =
      service_->ApplyPublications(CatalogService(), request);
  ASSERT_TRUE(applied.ok()) << applied.status();
  ASSERT_EQ(applied->outcomes_size(), 3);
  EXPECT_EQ(applied->outcomes(0).code(), 0);
  EXPECT_THAT(applied->outcomes(0).applied().released_interpretation_ids(), ElementsAre(city.id()));
  EXPECT_EQ(applied->outcomes(1).code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(applied->outcomes(1).message(), HasSubstr("publications[1].publish_time"));
  EXPECT_EQ(applied->outcomes(2).code(), 0);
  EXPECT_TRUE(applied->outcomes(2).applied().already_applied());
  EXPECT_EQ(repo_.batches(), batches + 1);  // One transaction for the call.
  v1::Interpretation released = *repo_.Get(city.id());
  EXPECT_EQ(released.state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(released.release_time()), ShanghaiTime(2024, 11, 4, 15));
  EXPECT_FALSE(released.late());
  EXPECT_FALSE(repo_.FindPublication(kNotPolicy)->has_value());  // Nothing written for it.

  // Only the catalog's service principal (and ADMIN), refused before anything is read;
  // an empty batch is bad input.
  EXPECT_EQ(service_->ApplyPublications(Staff(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      service_->ApplyPublications(CatalogService(), v1::ApplyPublicationsRequest()).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(InterpretationsTest, Int3ApprovedAfterPublicationIsReleasedLate) {
  v1::Interpretation created = Create(kDepartmentDocument, true);
  ASSERT_TRUE(Publish(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  EXPECT_EQ(repo_.Get(created.id())->state(), v1::DRAFT);
  clock_.Set(ShanghaiTime(2024, 11, 6));  // Two working days later.
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(approved->release_time()), ShanghaiTime(2024, 11, 6));
  EXPECT_EQ(approved->release_lag_working_days(), 2);
  EXPECT_TRUE(approved->late());
  EXPECT_THAT(approved->lag_rule(), HasSubstr("release.allowed_lag_working_days = 0"));
  EXPECT_EQ(observer_.released_late, 1);
  // INT-3: the late release is reported to the catalog through the outbox, with the
  // release, in the same write.
  const std::vector<OutboxMessage> outbox = repo_.outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].topic, kReleasedAfterDocumentTopic);
  EXPECT_EQ(outbox[0].destination, "catalog");
  EXPECT_EQ(outbox[0].event_key, absl::StrCat("interpretation-released/", created.id()));
  EXPECT_EQ(outbox[0].ordering_key, absl::StrCat(kDepartmentDocument));
  catalog::v1::RecordInterpretationReleaseRequest report;
  ASSERT_TRUE(report.ParseFromString(outbox[0].payload));
  EXPECT_EQ(report.event_id(), outbox[0].event_key);
  EXPECT_EQ(report.document_id(), kDepartmentDocument);
  EXPECT_EQ(report.interpretation_id(), created.id());
  EXPECT_EQ(FromTimestamp(report.release_time()), ShanghaiTime(2024, 11, 6));
  EXPECT_EQ(report.lag_working_days(), 2);
  EXPECT_TRUE(report.late());
  EXPECT_THAT(report.lag_rule(), HasSubstr("interpretation.release"));
  EXPECT_EQ(observer_.reports_queued, 1);
}

// INT-3 recovery: documents the catalog published without this service hearing of it
// (published before the release gate existed, or the event was lost before the outbox).
catalog::v1::Document PublishedInCatalog(int64_t id, absl::Time at) {
  catalog::v1::Document d = Document(id, catalog::v1::CITY_GOVERNMENT);
  d.set_state(catalog::v1::PUBLISHED);
  *d.mutable_publish_time() = ToTimestamp(at);
  return d;
}

TEST_F(InterpretationsTest, Int3ApprovalOfAnUnheardPublishedDocumentReleasesItLate) {
  documents_.Put(PublishedInCatalog(kCityDocument, ShanghaiTime(2024, 11, 4, 15)));
  v1::Interpretation created = Create(kCityDocument, true);
  clock_.Set(ShanghaiTime(2024, 11, 6));  // Two working days later.
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::RELEASED);
  EXPECT_EQ(FromTimestamp(approved->document_publish_time()), ShanghaiTime(2024, 11, 4, 15));
  EXPECT_EQ(FromTimestamp(approved->release_time()), ShanghaiTime(2024, 11, 6));
  EXPECT_EQ(approved->release_lag_working_days(), 2);
  EXPECT_TRUE(approved->late());
  EXPECT_EQ(observer_.released_late, 1);
  EXPECT_EQ(observer_.learnt, 1);  // A publication whose event never came.
  // The catalog's event arriving after all (a requeued parked event) changes nothing.
  const int writes = repo_.writes();
  absl::StatusOr<v1::ApplyPublicationResponse> event =
      Publish(kCityDocument, ShanghaiTime(2024, 11, 4, 15));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_TRUE(event->already_applied());
  EXPECT_EQ(repo_.writes(), writes);
  EXPECT_EQ(repo_.Get(created.id())->version(), approved->version());
  EXPECT_THAT(observer_.delays, IsEmpty());  // Not a delivery: a redelivery.
}

TEST_F(InterpretationsTest, Int3ApprovalOnTheDayOfAnUnheardPublicationIsInSync) {
  documents_.Put(PublishedInCatalog(kCityDocument, ShanghaiTime(2024, 11, 4, 9)));
  v1::Interpretation created = Create(kCityDocument, true);
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::RELEASED);
  EXPECT_EQ(approved->release_lag_working_days(), 0);
  EXPECT_FALSE(approved->late());
  // Released after the document (the same day): reported, within the allowed lag.
  ASSERT_EQ(repo_.outbox().size(), 1u);
  catalog::v1::RecordInterpretationReleaseRequest report;
  ASSERT_TRUE(report.ParseFromString(repo_.outbox()[0].payload));
  EXPECT_FALSE(report.late());
  EXPECT_EQ(report.lag_working_days(), 0);
}

TEST_F(InterpretationsTest, Int3ApprovalJustAfterThePublicationLeavesItToTheEvent) {
  documents_.Put(PublishedInCatalog(kCityDocument, ShanghaiTime(2024, 11, 4) - absl::Seconds(20)));
  v1::Interpretation created = Create(kCityDocument, true);
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::APPROVED);  // The event is on its way.
  EXPECT_EQ(observer_.learnt, 0);
  ASSERT_TRUE(Publish(kCityDocument, ShanghaiTime(2024, 11, 4) - absl::Seconds(20)).ok());
  EXPECT_EQ(repo_.Get(created.id())->state(), v1::RELEASED);
  EXPECT_FALSE(repo_.Get(created.id())->late());
}

TEST_F(InterpretationsTest, Int3ApprovalWhileTheCatalogIsDownIsReleasedByTheReconcile) {
  documents_.Put(PublishedInCatalog(kCityDocument, ShanghaiTime(2024, 11, 4, 15)));
  v1::Interpretation created = Create(kCityDocument, true);
  documents_.SetUnavailable(true);
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::APPROVED);  // Not released on a guess.
  absl::StatusOr<ReconcileResult> down = service_->ReconcilePublications(0, 50);
  EXPECT_TRUE(absl::IsUnavailable(down.status())) << down.status();
  EXPECT_EQ(repo_.Get(created.id())->state(), v1::APPROVED);
  documents_.SetUnavailable(false);
  clock_.Set(ShanghaiTime(2024, 11, 5));
  absl::StatusOr<ReconcileResult> pass = service_->ReconcilePublications(0, 50);
  ASSERT_TRUE(pass.ok()) << pass.status();
  EXPECT_EQ(pass->checked, 1);
  EXPECT_EQ(pass->released, 1);
  EXPECT_EQ(pass->next_after_id, 0);  // Went round: the next pass starts again.
  absl::StatusOr<v1::Interpretation> released = repo_.Get(created.id());
  EXPECT_EQ(released->state(), v1::RELEASED);
  EXPECT_EQ(released->release_lag_working_days(), 1);
  EXPECT_TRUE(released->late());
  EXPECT_EQ(observer_.released_late, 1);
  // Reported to the catalog once, late.
  ASSERT_EQ(repo_.outbox().size(), 1u);
  catalog::v1::RecordInterpretationReleaseRequest report;
  ASSERT_TRUE(report.ParseFromString(repo_.outbox()[0].payload));
  EXPECT_TRUE(report.late());
  EXPECT_EQ(report.lag_working_days(), 1);
  EXPECT_EQ(observer_.reports_queued, 1);
  // Released once: a second pass finds nothing to do.
  absl::StatusOr<ReconcileResult> again = service_->ReconcilePublications(0, 50);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->checked, 0);
  EXPECT_EQ(observer_.released_late, 1);
  EXPECT_EQ(repo_.outbox().size(), 1u);
}

TEST_F(InterpretationsTest, Int3ReconcileLeavesUnpublishedDocumentsToTheirEvent) {
  documents_.Put(Document(kDepartmentDocument + 10, catalog::v1::CITY_GOVERNMENT));
  v1::Interpretation first = Create(kCityDocument, true);
  v1::Interpretation second = Create(kDepartmentDocument + 10, true);
  ASSERT_TRUE(Approve(first.id()).ok());
  ASSERT_TRUE(Approve(second.id()).ok());
  absl::StatusOr<ReconcileResult> page = service_->ReconcilePublications(0, 1);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->checked, 1);
  EXPECT_EQ(page->released, 0);
  EXPECT_EQ(page->next_after_id, first.id());  // A full batch: the next pass goes on.
  absl::StatusOr<ReconcileResult> rest = service_->ReconcilePublications(page->next_after_id, 1);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->released, 0);
  EXPECT_EQ(repo_.Get(first.id())->state(), v1::APPROVED);
  // The catalog's event releases it in sync, as always.
  ASSERT_TRUE(Publish(kCityDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  EXPECT_EQ(repo_.Get(first.id())->state(), v1::RELEASED);
  EXPECT_FALSE(repo_.Get(first.id())->late());
}

TEST_F(InterpretationsTest, Int3AllowedLagIsARuleSetVersion) {
  absl::StatusOr<rules::RuleSet> city = rules_->ParseJson(R"({
      "name": "interpretation.release", "version": 2, "effective_from": "2024-01-01",
      "basis": "某市政策解读办法",
      "rules": {"release.allowed_lag_working_days": {"value": 3, "unit": "working_days"}}})");
  ASSERT_TRUE(city.ok()) << city.status();
  ASSERT_TRUE(rules_->Put(*city).ok());
  v1::Interpretation created = Create(kDepartmentDocument, true);
  ASSERT_TRUE(Publish(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  clock_.Set(ShanghaiTime(2024, 11, 6));
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_FALSE(approved->late());
  EXPECT_THAT(approved->lag_rule(), HasSubstr("interpretation.release v2"));
}

TEST_F(InterpretationsTest, Int3MissingInterpretationIsFlaggedAfterTheAllowedLag) {
  ASSERT_TRUE(Publish(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  v1::ListPublicationLagsRequest request;
  request.set_flagged_only(true);
  absl::StatusOr<v1::ListPublicationLagsResponse> same_day =
      service_->ListPublicationLags(Office(), request);
  ASSERT_TRUE(same_day.ok()) << same_day.status();
  EXPECT_THAT(same_day->lags(), IsEmpty());  // Still PENDING on the day itself.
  clock_.Set(ShanghaiTime(2024, 11, 5));
  absl::StatusOr<v1::ListPublicationLagsResponse> next_day =
      service_->ListPublicationLags(Office(), request);
  ASSERT_TRUE(next_day.ok());
  ASSERT_EQ(next_day->lags_size(), 1);
  EXPECT_EQ(next_day->lags(0).document_id(), kDepartmentDocument);
  EXPECT_EQ(next_day->lags(0).status(), v1::MISSING);
  EXPECT_EQ(next_day->lags(0).interpretation_id(), 0);
}

TEST_F(InterpretationsTest, PublicationLagsArePagedAndScopedToTheUnit) {
  for (int64_t id = 200; id < 205; ++id) {
    ASSERT_TRUE(Publish(id, ShanghaiTime(2024, 11, 4, 15)).ok());
  }
  v1::ListPublicationLagsRequest request;
  request.set_page_size(2);
  absl::StatusOr<v1::ListPublicationLagsResponse> page =
      service_->ListPublicationLags(Office(), request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->lags_size(), 2);
  EXPECT_EQ(page->lags(0).document_id(), 204);
  request.set_page_token(page->next_page_token());
  page = service_->ListPublicationLags(Office(), request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->lags(0).document_id(), 202);
  v1::ListPublicationLagsRequest all_units;
  EXPECT_EQ(service_->ListPublicationLags(Staff(), all_units).status().code(),
            absl::StatusCode::kPermissionDenied);
  all_units.set_unit_id(kUnit);
  EXPECT_TRUE(service_->ListPublicationLags(Staff(), all_units).ok());
}

TEST_F(InterpretationsTest, OnlyServicesAndAdminsApplyPublications) {
  v1::ApplyPublicationRequest request;
  request.set_event_id("document-published/100");
  request.set_document_id(kCityDocument);
  request.set_drafting_unit_id(kUnit);
  request.set_issuing_authority(catalog::v1::CITY_GOVERNMENT);
  request.set_document_title("文件");
  *request.mutable_publish_time() = ToTimestamp(clock_.Now());
  EXPECT_EQ(service_->ApplyPublication(Staff(), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(repo_.writes(), 0);
}

TEST_F(InterpretationsTest, SupplementaryInterpretationFollowsAPublishedDocument) {
  v1::RequestSupplementaryInterpretationRequest request;
  request.set_document_id(kCityDocument);
  request.set_reason("公众误读了补贴对象范围");
  EXPECT_EQ(service_->RequestSupplementaryInterpretation(Staff(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);  // Not published yet.
  catalog::v1::Document published = Document(kCityDocument, catalog::v1::CITY_GOVERNMENT);
  published.set_state(catalog::v1::PUBLISHED);
  *published.mutable_publish_time() = ToTimestamp(ShanghaiTime(2024, 11, 1));
  documents_.Put(published);
  // The opinion-response service asks, as a service principal.
  auth::Principal opinion{"service:opinion-response", std::nullopt, {auth::Role::kService}, {}};
  absl::StatusOr<v1::Interpretation> supplement =
      service_->RequestSupplementaryInterpretation(opinion, request);
  ASSERT_TRUE(supplement.ok()) << supplement.status();
  EXPECT_EQ(supplement->kind(), v1::SUPPLEMENTARY);
  EXPECT_EQ(supplement->requested_by(), "service:opinion-response");
  EXPECT_EQ(supplement->unit_id(), kUnit);
  v1::UpdateInterpretationRequest update;
  update.mutable_interpretation()->set_id(supplement->id());
  Complete(*update.mutable_interpretation());
  ASSERT_TRUE(service_->UpdateInterpretation(Staff(), update).ok());
  absl::StatusOr<v1::Interpretation> approved = Approve(supplement->id());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::RELEASED);  // Its document is public already.
  EXPECT_EQ(FromTimestamp(approved->release_time()), clock_.Now());
}

TEST_F(InterpretationsTest, DraftsAreVisibleToTheUnitAndTheOfficeOnly) {
  v1::Interpretation created = Create(kCityDocument, true);
  v1::GetInterpretationRequest get;
  get.set_id(created.id());
  EXPECT_TRUE(service_->GetInterpretation(Staff(), get).ok());
  EXPECT_TRUE(service_->GetInterpretation(Office(), get).ok());
  EXPECT_EQ(service_->GetInterpretation(Staff(kOtherUnit), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->GetInterpretation(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  v1::ListInterpretationsRequest list;
  EXPECT_EQ(
      service_->ListInterpretations(auth::Principal::Anonymous(), list)->interpretations_size(), 0);
  EXPECT_EQ(service_->ListInterpretations(Staff(), list)->interpretations_size(), 1);
  EXPECT_EQ(service_->ListInterpretations(Office(), list)->interpretations_size(), 1);
}

TEST_F(InterpretationsTest, ReleasedInterpretationsArePublic) {
  v1::Interpretation created = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(created.id()).ok());
  ASSERT_TRUE(Publish(kCityDocument, clock_.Now()).ok());
  v1::GetInterpretationRequest get;
  get.set_id(created.id());
  absl::StatusOr<v1::Interpretation> read =
      service_->GetInterpretation(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state(), v1::RELEASED);
  v1::ListInterpretationsRequest list;
  list.set_document_id(kCityDocument);
  EXPECT_EQ(
      service_->ListInterpretations(auth::Principal::Anonymous(), list)->interpretations_size(), 1);
}

TEST_F(InterpretationsTest, EditingAnApprovedInterpretationNeedsApprovalAgain) {
  v1::Interpretation created = Create(kCityDocument, true);
  absl::StatusOr<v1::Interpretation> approved = Approve(created.id());
  ASSERT_TRUE(approved.ok());
  v1::UpdateInterpretationRequest update;
  *update.mutable_interpretation() = *approved;
  update.mutable_interpretation()->mutable_plan()->set_spokesperson("李四");
  update.set_expected_version(approved->version());
  absl::StatusOr<v1::Interpretation> edited = service_->UpdateInterpretation(Staff(), update);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->state(), v1::DRAFT);
  EXPECT_TRUE(edited->first_interpreter().empty());
  EXPECT_FALSE(Check(kCityDocument).ready());
  update.set_expected_version(approved->version());  // Stale now.
  EXPECT_EQ(service_->UpdateInterpretation(Staff(), update).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(InterpretationsTest, Int4ReleasesAreRecordedOnceReleased) {
  v1::Interpretation created = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(created.id()).ok());
  v1::RecordReleaseRequest request;
  request.set_interpretation_id(created.id());
  request.mutable_release()->set_form(v1::PRESS_CONFERENCE);
  request.mutable_release()->set_channel(v1::TV);
  request.mutable_release()->set_reference("市电视台新闻频道 2024-11-04 19:00");
  *request.mutable_release()->mutable_released_on() = ToProtoDate(absl::CivilDay(2024, 11, 4));
  EXPECT_EQ(service_->RecordRelease(Staff(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);  // Not released yet.
  ASSERT_TRUE(Publish(kCityDocument, clock_.Now()).ok());
  absl::StatusOr<v1::Interpretation> recorded = service_->RecordRelease(Staff(), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->releases_size(), 1);
  EXPECT_EQ(recorded->releases(0).channel(), v1::TV);
  EXPECT_EQ(recorded->releases(0).recorded_by(), "staff-7");
}

// Bad input: INVALID_ARGUMENT naming the field, nothing written.
TEST_F(InterpretationsTest, BadInputIsRejectedAndWritesNothing) {
  v1::CreateInterpretationRequest no_document;
  EXPECT_THAT(FieldViolationsOf(service_->CreateInterpretation(Staff(), no_document).status()),
              ElementsAre(::testing::Field(&FieldViolation::field, "interpretation.document_id")));
  v1::CreateInterpretationRequest bad_text;
  bad_text.mutable_interpretation()->set_document_id(kCityDocument);
  bad_text.mutable_interpretation()->mutable_sections()->mutable_scope()->set_text(
      std::string("\xff\xfe"));
  EXPECT_EQ(service_->CreateInterpretation(Staff(), bad_text).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::ApplyPublicationRequest no_event;
  EXPECT_EQ(service_->ApplyPublication(CatalogService(), no_event).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::RecordReleaseRequest future;
  future.set_interpretation_id(1);
  future.mutable_release()->set_form(v1::TEXT);
  future.mutable_release()->set_channel(v1::WEBSITE);
  future.mutable_release()->set_reference("x");
  *future.mutable_release()->mutable_released_on() = ToProtoDate(absl::CivilDay(2030, 1, 1));
  EXPECT_THAT(FieldViolationsOf(service_->RecordRelease(Staff(), future).status()),
              ElementsAre(::testing::Field(&FieldViolation::field, "release.released_on")));
  v1::ListInterpretationsRequest bad_page;
  bad_page.set_page_size(-1);
  EXPECT_EQ(service_->ListInterpretations(Staff(), bad_page).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repo_.writes(), 0);
}

TEST_F(InterpretationsTest, EvidenceItem9CountsInSyncLateAndMissing) {
  // In sync: approved before publication.
  v1::Interpretation in_sync = Create(kCityDocument, true);
  ASSERT_TRUE(Approve(in_sync.id()).ok());
  ASSERT_TRUE(Publish(kCityDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  // Late: approved two working days after publication.
  v1::Interpretation late = Create(kDepartmentDocument, true);
  ASSERT_TRUE(Publish(kDepartmentDocument, ShanghaiTime(2024, 11, 4, 15)).ok());
  clock_.Set(ShanghaiTime(2024, 11, 6));
  ASSERT_TRUE(Approve(late.id()).ok());
  // Missing: no interpretation at all.
  ASSERT_TRUE(Publish(300, ShanghaiTime(2024, 11, 4, 15)).ok());
  InterpretationEvidence evidence(&repo_, service_.get());
  evidence::EvidenceQuery query{kUnit, absl::CivilDay(2024, 11, 1), absl::CivilDay(2024, 11, 30),
                                absl::CivilDay(2024, 11, 6)};
  absl::StatusOr<evidence::ItemEvidence> item =
      evidence.Collect(common::v1::POLICY_INTERPRETATION, query);
  ASSERT_TRUE(item.ok()) << item.status();
  std::map<std::string, int64_t> counts;
  for (const auto& indicator : item->indicators()) counts[indicator.name()] = indicator.count();
  EXPECT_EQ(counts["policy_documents_published"], 3);
  EXPECT_EQ(counts["interpretations_in_sync"], 1);
  EXPECT_EQ(counts["interpretations_late"], 1);
  EXPECT_EQ(counts["interpretations_missing"], 1);
  EXPECT_EQ(counts["interpretations_pending"], 0);
}

}  // namespace
}  // namespace gongkai::interpretation
