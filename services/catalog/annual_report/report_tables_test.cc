// Unit tests of the Table 2/3/4 aggregation rules and the Table 3 invariant (NAT-10).
#include "services/catalog/annual_report/report_tables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"
#include "libs/clock/clock.h"
#include "libs/status/errors.h"
#include "services/catalog/annual_report/fake_report_repository.h"

namespace gongkai::catalog::annual_report {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Request = FakeReportRepository::Request;

std::vector<std::string> ViolationSubjects(const absl::Status& status) {
  std::vector<std::string> subjects;
  auto payload = status.GetPayload(kPreconditionFailureTypeUrl);
  if (!payload.has_value()) return subjects;
  google::rpc::PreconditionFailure failure;
  if (!failure.ParseFromString(std::string(*payload))) return subjects;
  for (const auto& v : failure.violations()) subjects.push_back(v.subject());
  return subjects;
}

const v1::OutcomeRow& Row(const v1::RequestTable& t, v1::RequestOutcome outcome) {
  for (const v1::OutcomeRow& row : t.outcomes()) {
    if (row.outcome() == outcome) return row;
  }
  ADD_FAILURE() << "no row " << v1::RequestOutcome_Name(outcome);
  static const v1::OutcomeRow kEmpty;
  return kEmpty;
}

class ReportTablesTest : public ::testing::Test {
 protected:
  v1::RequestTable Table3(int year, const v1::AnnualReportInputs& inputs = {}) {
    return BuildRequestTable(*repo_.CountRequests(0, YearRange::Of(year)), inputs);
  }

  FakeReportRepository repo_;
};

TEST(YearRangeTest, InstantsAreShanghaiMidnights) {
  const YearRange r = YearRange::Of(2025);
  EXPECT_EQ(r.first, absl::CivilDay(2025, 1, 1));
  EXPECT_EQ(r.last, absl::CivilDay(2025, 12, 31));
  EXPECT_EQ(r.start,
            absl::FromCivil(absl::CivilSecond(2024, 12, 31, 16, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(r.next_start,
            absl::FromCivil(absl::CivilSecond(2025, 12, 31, 16, 0, 0), absl::UTCTimeZone()));
}

TEST(ClassifyTest, YearBoundariesAreInclusiveDays) {
  const YearRange y = YearRange::Of(2025);
  EXPECT_EQ(ClassifyReceived(absl::CivilDay(2024, 12, 31), y), Received::kBeforeYear);
  EXPECT_EQ(ClassifyReceived(absl::CivilDay(2025, 1, 1), y), Received::kInYear);
  EXPECT_EQ(ClassifyReceived(absl::CivilDay(2025, 12, 31), y), Received::kInYear);
  EXPECT_EQ(ClassifyReceived(absl::CivilDay(2026, 1, 1), y), std::nullopt);
  EXPECT_EQ(ClassifyAnswered(std::nullopt, y), Answered::kOpen);
  EXPECT_EQ(ClassifyAnswered(absl::CivilDay(2024, 12, 31), y), Answered::kBeforeYear);
  EXPECT_EQ(ClassifyAnswered(absl::CivilDay(2025, 12, 31), y), Answered::kInYear);
  EXPECT_EQ(ClassifyAnswered(absl::CivilDay(2026, 1, 1), y), Answered::kAfterYear);
  EXPECT_TRUE(DecidedByYearEnd(absl::CivilDay(2025, 12, 31), y));
  EXPECT_FALSE(DecidedByYearEnd(absl::CivilDay(2026, 1, 1), y));
  EXPECT_FALSE(DecidedByYearEnd(std::nullopt, y));
}

// The brief's example: received 2024-12-30, answered 2025-01-05.
TEST_F(ReportTablesTest, RequestAnsweredAfterNewYearIsCarriedForwardThenHandledNextYear) {
  repo_.AddRequest({.applicant_type = v1::APPLICANT_BUSINESS,
                    .received_on = absl::CivilDay(2024, 12, 30),
                    .answered_on = absl::CivilDay(2025, 1, 5),
                    .outcome = v1::OUTCOME_DISCLOSED});
  const v1::RequestTable y2024 = Table3(2024);
  EXPECT_EQ(y2024.new_requests().business(), 1);
  EXPECT_EQ(y2024.total_handled().business(), 0);
  EXPECT_EQ(y2024.carried_forward().business(), 1);
  EXPECT_TRUE(CheckRequestTable(y2024).ok());

  const v1::RequestTable y2025 = Table3(2025);
  EXPECT_EQ(y2025.new_requests().business(), 0);
  EXPECT_EQ(y2025.carried_over().business(), 1);
  EXPECT_EQ(y2025.carried_over_source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(Row(y2025, v1::OUTCOME_DISCLOSED).counts().business(), 1);
  EXPECT_EQ(y2025.total_handled().business(), 1);
  EXPECT_EQ(y2025.total_handled().total(), 1);
  EXPECT_EQ(y2025.carried_forward().total(), 0);
  EXPECT_TRUE(CheckRequestTable(y2025).ok());
}

TEST_F(ReportTablesTest, RequestAnsweredBeforeTheYearIsNotCarriedOver) {
  repo_.AddRequest({.received_on = absl::CivilDay(2024, 3, 1),
                    .answered_on = absl::CivilDay(2024, 3, 20),
                    .outcome = v1::OUTCOME_DISCLOSED});
  const v1::RequestTable t = Table3(2025);
  EXPECT_EQ(t.carried_over().total(), 0);
  EXPECT_EQ(t.total_handled().total(), 0);
  EXPECT_TRUE(CheckRequestTable(t).ok());
}

TEST_F(ReportTablesTest, RequestsReceivedAfterTheYearAreLeftOut) {
  repo_.AddRequest({.received_on = absl::CivilDay(2026, 1, 1)});
  const v1::RequestTable t = Table3(2025);
  EXPECT_EQ(t.new_requests().total(), 0);
  EXPECT_EQ(t.carried_forward().total(), 0);
}

TEST_F(ReportTablesTest, OpenRequestIsCarriedForwardInItsColumn) {
  repo_.AddRequest(
      {.applicant_type = v1::APPLICANT_LEGAL_SERVICE, .received_on = absl::CivilDay(2025, 12, 31)});
  const v1::RequestTable t = Table3(2025);
  EXPECT_EQ(t.new_requests().legal_service(), 1);
  EXPECT_EQ(t.carried_forward().legal_service(), 1);
  EXPECT_EQ(t.carried_forward().total(), 1);
  EXPECT_TRUE(CheckRequestTable(t).ok());
}

TEST_F(ReportTablesTest, AlreadyPublicIsCountedInTheDisclosedRow) {
  repo_.AddRequest({.received_on = absl::CivilDay(2025, 2, 1),
                    .answered_on = absl::CivilDay(2025, 2, 3),
                    .outcome = v1::OUTCOME_ALREADY_PUBLIC});
  const v1::RequestTable t = Table3(2025);
  EXPECT_EQ(Row(t, v1::OUTCOME_DISCLOSED).counts().natural_person(), 1);
  for (const v1::OutcomeRow& row : t.outcomes()) {
    EXPECT_NE(row.outcome(), v1::OUTCOME_ALREADY_PUBLIC);
  }
}

TEST_F(ReportTablesTest, EveryOutcomeRowIsPresentInOfficialOrderWithItsLabel) {
  const v1::RequestTable t = Table3(2025);
  ASSERT_EQ(t.outcomes_size(), 21);  // 2 + 8 + 3 + 5 + 3.
  EXPECT_EQ(t.outcomes(0).outcome(), v1::OUTCOME_DISCLOSED);
  EXPECT_EQ(t.outcomes(0).label(), "（一）予以公开");
  EXPECT_EQ(t.outcomes(2).label(), "（三）不予公开 1.属于国家秘密");
  EXPECT_EQ(t.outcomes(20).outcome(), v1::OUTCOME_OTHER);
  EXPECT_EQ(t.outcomes(20).label(), "（六）其他处理 3.其他");
}

TEST_F(ReportTablesTest, EachReasonRowCountsItsOwnOutcome) {
  const std::vector<v1::RequestOutcome> outcomes = {
      v1::OUTCOME_NOT_DISCLOSED_THIRD_PARTY_RIGHTS, v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD,
      v1::OUTCOME_NOT_PROCESSED_REPEAT, v1::OUTCOME_OTHER_FEE_NOT_PAID};
  for (v1::RequestOutcome o : outcomes) {
    repo_.AddRequest({.applicant_type = v1::APPLICANT_RESEARCH_INSTITUTION,
                      .received_on = absl::CivilDay(2025, 5, 6),
                      .answered_on = absl::CivilDay(2025, 6, 1),
                      .outcome = o});
  }
  const v1::RequestTable t = Table3(2025);
  for (v1::RequestOutcome o : outcomes) {
    EXPECT_EQ(Row(t, o).counts().research_institution(), 1) << v1::RequestOutcome_Name(o);
    EXPECT_EQ(Row(t, o).counts().total(), 1);
  }
  EXPECT_EQ(t.total_handled().research_institution(), 4);
  EXPECT_TRUE(CheckRequestTable(t).ok());
}

// NAT-8/NAT-10: 信息不存在 is counted as 本机关不掌握相关政府信息, records governed by other
// laws as 其他处理 3.其他; each stays its own outcome on the request.
TEST_F(ReportTablesTest, Nat8DoesNotExistAndOtherLawAreCountedInTheirRows) {
  repo_.AddRequest({.applicant_type = v1::APPLICANT_NATURAL_PERSON,
                    .received_on = absl::CivilDay(2025, 5, 6),
                    .answered_on = absl::CivilDay(2025, 6, 1),
                    .outcome = v1::OUTCOME_DOES_NOT_EXIST});
  repo_.AddRequest({.applicant_type = v1::APPLICANT_BUSINESS,
                    .received_on = absl::CivilDay(2025, 5, 7),
                    .answered_on = absl::CivilDay(2025, 6, 2),
                    .outcome = v1::OUTCOME_GOVERNED_BY_OTHER_LAW});
  const v1::RequestTable t = Table3(2025);
  EXPECT_EQ(t.outcomes_size(), 21);  // No new rows: the 2021 format is kept.
  EXPECT_EQ(Row(t, v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD).counts().natural_person(), 1);
  EXPECT_EQ(Row(t, v1::OUTCOME_OTHER).counts().business(), 1);
  EXPECT_EQ(t.total_handled().total(), 2);
  EXPECT_TRUE(CheckRequestTable(t).ok());
  EXPECT_EQ(RowOf(v1::OUTCOME_DOES_NOT_EXIST), v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD);
  EXPECT_EQ(RowOf(v1::OUTCOME_GOVERNED_BY_OTHER_LAW), v1::OUTCOME_OTHER);
}

TEST_F(ReportTablesTest, EnteredOpeningFigureReplacesTheComputedCarryOver) {
  // First year of use: two requests from before were registered late and answered now.
  repo_.AddRequest({.received_on = absl::CivilDay(2024, 12, 1),
                    .answered_on = absl::CivilDay(2025, 1, 10),
                    .outcome = v1::OUTCOME_DISCLOSED});
  repo_.AddRequest({.received_on = absl::CivilDay(2024, 12, 2),
                    .answered_on = absl::CivilDay(2025, 1, 11),
                    .outcome = v1::OUTCOME_PARTLY_DISCLOSED});
  v1::AnnualReportInputs inputs;
  inputs.mutable_opening_carried_over()->set_natural_person(2);
  const v1::RequestTable t = Table3(2025, inputs);
  EXPECT_EQ(t.carried_over_source(), v1::FIGURE_ENTERED);
  EXPECT_EQ(t.carried_over().natural_person(), 2);
  EXPECT_EQ(t.carried_over().total(), 2);
  EXPECT_TRUE(CheckRequestTable(t).ok());
}

TEST_F(ReportTablesTest, WrongOpeningFigureIsRefusedNamingTheColumns) {
  repo_.AddRequest({.received_on = absl::CivilDay(2024, 12, 1),
                    .answered_on = absl::CivilDay(2025, 1, 10),
                    .outcome = v1::OUTCOME_DISCLOSED});
  v1::AnnualReportInputs inputs;
  inputs.mutable_opening_carried_over()->set_natural_person(3);
  const absl::Status status = CheckRequestTable(Table3(2025, inputs));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("Table 3 does not add up"), HasSubstr("自然人"),
                    HasSubstr("一、本年新收 0 + 二、上年结转 3 = 3"),
                    HasSubstr("（七）总计 1 + 四、结转下年度继续办理 0 = 1")));
  EXPECT_THAT(ViolationSubjects(status),
              UnorderedElementsAre("requests.natural_person", "requests.total"));
}

TEST_F(ReportTablesTest, AnswerWithoutOutcomeBreaksTheInvariant) {
  repo_.AddRequest({.applicant_type = v1::APPLICANT_SOCIAL_WELFARE,
                    .received_on = absl::CivilDay(2025, 4, 1),
                    .answered_on = absl::CivilDay(2025, 4, 2),
                    .outcome = 0});
  const absl::Status status = CheckRequestTable(Table3(2025));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ViolationSubjects(status),
              UnorderedElementsAre("requests.social_welfare", "requests.total"));
}

TEST_F(ReportTablesTest, UnknownApplicantTypeIsReportedAsARowTotalMismatch) {
  repo_.AddRequest({.applicant_type = 99, .received_on = absl::CivilDay(2025, 4, 1)});
  const absl::Status status = CheckRequestTable(Table3(2025));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ViolationSubjects(status), UnorderedElementsAre("requests.new_requests.total",
                                                              "requests.carried_forward.total"));
}

TEST(CheckRequestTableTest, TotalHandledMustBeTheSumOfTheOutcomeRows) {
  v1::RequestTable t = BuildRequestTable({}, {});
  t.mutable_total_handled()->set_natural_person(1);
  t.mutable_total_handled()->set_total(1);
  t.mutable_carried_over()->set_natural_person(1);
  t.mutable_carried_over()->set_total(1);
  const absl::Status status = CheckRequestTable(t);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ViolationSubjects(status),
              UnorderedElementsAre("requests.total_handled.natural_person",
                                   "requests.total_handled.total"));
}

TEST(CheckRequestTableTest, EmptyTableAddsUp) {
  EXPECT_TRUE(CheckRequestTable(BuildRequestTable({}, {})).ok());
}

TEST(ChallengeTableTest, ColumnIsTheResultWhenDecidedByYearEndElsePending) {
  FakeReportRepository repo;
  repo.AddChallenge({.kind = v1::CHALLENGE_ADMINISTRATIVE_REVIEW,
                     .result = v1::CHALLENGE_UPHELD,
                     .filed_on = absl::CivilDay(2025, 3, 1),
                     .decided_on = absl::CivilDay(2025, 5, 1)});
  repo.AddChallenge({.kind = v1::CHALLENGE_ADMINISTRATIVE_REVIEW,
                     .result = v1::CHALLENGE_CORRECTED,
                     .filed_on = absl::CivilDay(2025, 11, 1),
                     .decided_on = absl::CivilDay(2026, 1, 15)});  // After year end.
  repo.AddChallenge({.kind = v1::CHALLENGE_LITIGATION_DIRECT,
                     .result = v1::CHALLENGE_OTHER,
                     .filed_on = absl::CivilDay(2025, 12, 31),
                     .decided_on = absl::CivilDay(2025, 12, 31)});
  repo.AddChallenge({.kind = v1::CHALLENGE_LITIGATION_AFTER_REVIEW,
                     .result = v1::CHALLENGE_PENDING,
                     .filed_on = absl::CivilDay(2025, 7, 1)});
  repo.AddChallenge({.kind = v1::CHALLENGE_LITIGATION_AFTER_REVIEW,
                     .result = v1::CHALLENGE_CORRECTED,
                     .filed_on = absl::CivilDay(2024, 12, 31),  // Another year.
                     .decided_on = absl::CivilDay(2025, 2, 1)});
  const v1::ChallengeTable t = BuildChallengeTable(*repo.CountChallenges(0, YearRange::Of(2025)));
  EXPECT_EQ(t.administrative_review().upheld(), 1);
  EXPECT_EQ(t.administrative_review().corrected(), 0);
  EXPECT_EQ(t.administrative_review().pending(), 1);
  EXPECT_EQ(t.administrative_review().total(), 2);
  EXPECT_EQ(t.litigation_direct().other(), 1);
  EXPECT_EQ(t.litigation_direct().total(), 1);
  EXPECT_EQ(t.litigation_after_review().pending(), 1);
  EXPECT_EQ(t.litigation_after_review().corrected(), 0);
  EXPECT_EQ(t.litigation_after_review().total(), 1);
}

TEST(ProactiveTableTest, PolicyDocumentsAreComputedAndTheRestEntered) {
  FakeReportRepository repo;
  const absl::TimeZone tz = ShanghaiTimeZone();
  repo.AddPolicyDocument(
      {.publish_time = absl::FromCivil(absl::CivilSecond(2024, 12, 31, 23, 59, 59), tz)});
  repo.AddPolicyDocument(
      {.publish_time = absl::FromCivil(absl::CivilSecond(2025, 1, 1, 0, 0, 0), tz)});
  repo.AddPolicyDocument(
      {.publish_time = absl::FromCivil(absl::CivilSecond(2025, 12, 31, 23, 0, 0), tz)});
  repo.AddPolicyDocument(
      {.publish_time = absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), tz)});
  v1::AnnualReportInputs inputs;
  inputs.set_licensing_decisions(120);
  inputs.set_fee_income_fen(12'345'600);
  inputs.set_normative_documents_repealed(2);  // Deprecated: ignored (NAT-10).
  const v1::ProactiveDisclosureTable t =
      BuildProactiveTable(*repo.CountPolicyDocuments(0, YearRange::Of(2025)), inputs);
  EXPECT_EQ(t.normative_documents_made().value(), 2);
  EXPECT_EQ(t.normative_documents_made().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(t.normative_documents_in_force().value(), 3);
  EXPECT_EQ(t.normative_documents_in_force().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(t.normative_documents_repealed().value(), 0);
  EXPECT_EQ(t.normative_documents_repealed().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(t.licensing_decisions().value(), 120);
  EXPECT_EQ(t.licensing_decisions().source(), v1::FIGURE_ENTERED);
  EXPECT_EQ(t.fee_income_fen().value(), 12'345'600);
  EXPECT_EQ(t.regulations_made().source(), v1::FIGURE_ENTERED);
}

// NAT-10 Table 2: repealed and in force are computed from the catalog's repeals. A
// repeal on Dec 31 counts in that year and ends the document's force at its end; one on
// Jan 1 of the next year leaves it in force at this year's end.
TEST(ProactiveTableTest, Nat10RepealedAndInForceAreComputedAtTheYearBoundaries) {
  FakeReportRepository repo;
  const absl::Time before =
      absl::FromCivil(absl::CivilSecond(2024, 6, 1, 9, 0, 0), ShanghaiTimeZone());
  repo.AddPolicyDocument({.publish_time = before, .repealed_on = absl::CivilDay(2025, 12, 31)});
  repo.AddPolicyDocument({.publish_time = before, .repealed_on = absl::CivilDay(2026, 1, 1)});
  repo.AddPolicyDocument({.publish_time = before, .repealed_on = absl::CivilDay(2024, 12, 31)});
  repo.AddPolicyDocument({.publish_time = before});
  v1::AnnualReportInputs inputs;
  inputs.set_normative_documents_repealed(7);  // Deprecated: ignored.

  const v1::ProactiveDisclosureTable y2025 =
      BuildProactiveTable(*repo.CountPolicyDocuments(0, YearRange::Of(2025)), inputs);
  EXPECT_EQ(y2025.normative_documents_made().value(), 0);
  EXPECT_EQ(y2025.normative_documents_repealed().value(), 1);  // Dec 31 2025.
  EXPECT_EQ(y2025.normative_documents_repealed().source(), v1::FIGURE_COMPUTED);
  EXPECT_EQ(y2025.normative_documents_in_force().value(), 2);  // Jan 1 2026 and never.
  EXPECT_EQ(y2025.normative_documents_in_force().source(), v1::FIGURE_COMPUTED);

  const v1::ProactiveDisclosureTable y2024 =
      BuildProactiveTable(*repo.CountPolicyDocuments(0, YearRange::Of(2024)), inputs);
  EXPECT_EQ(y2024.normative_documents_made().value(), 4);
  EXPECT_EQ(y2024.normative_documents_repealed().value(), 1);  // Dec 31 2024.
  EXPECT_EQ(y2024.normative_documents_in_force().value(), 3);

  const v1::ProactiveDisclosureTable y2026 =
      BuildProactiveTable(*repo.CountPolicyDocuments(0, YearRange::Of(2026)), inputs);
  EXPECT_EQ(y2026.normative_documents_repealed().value(), 1);  // Jan 1 2026.
  EXPECT_EQ(y2026.normative_documents_in_force().value(), 1);
}

TEST(ProactiveTableTest, Nat10RepealClassificationAtTheYearBoundaries) {
  const YearRange y = YearRange::Of(2025);
  const absl::Time published =
      absl::FromCivil(absl::CivilSecond(2025, 12, 31, 23, 59, 59), ShanghaiTimeZone());
  EXPECT_FALSE(RepealedInYear(std::nullopt, y));
  EXPECT_FALSE(RepealedInYear(absl::CivilDay(2024, 12, 31), y));
  EXPECT_TRUE(RepealedInYear(absl::CivilDay(2025, 1, 1), y));
  EXPECT_TRUE(RepealedInYear(absl::CivilDay(2025, 12, 31), y));
  EXPECT_FALSE(RepealedInYear(absl::CivilDay(2026, 1, 1), y));
  EXPECT_TRUE(InForceAtYearEnd(published, std::nullopt, y));
  EXPECT_FALSE(InForceAtYearEnd(published, absl::CivilDay(2025, 12, 31), y));
  EXPECT_TRUE(InForceAtYearEnd(published, absl::CivilDay(2026, 1, 1), y));
  EXPECT_FALSE(InForceAtYearEnd(published + absl::Seconds(1), std::nullopt, y));
}

TEST(ProactiveTableTest, UnitScopeCountsOnlyThatUnitsDocuments) {
  FakeReportRepository repo;
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2025, 6, 1, 9, 0, 0), ShanghaiTimeZone());
  repo.AddPolicyDocument({.unit_id = 1, .publish_time = t});
  repo.AddPolicyDocument({.unit_id = 2, .publish_time = t});
  EXPECT_EQ(repo.CountPolicyDocuments(2, YearRange::Of(2025))->published_in_year, 1);
  EXPECT_EQ(repo.CountPolicyDocuments(0, YearRange::Of(2025))->published_in_year, 2);
}

}  // namespace
}  // namespace gongkai::catalog::annual_report
