#include "services/catalog/demo/request_demo_data.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/demo/demo_data.h"

namespace gongkai::catalog::demo {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

bool IsDemoUnit(absl::string_view code) {
  for (const UnitSpec& unit : Units()) {
    if (code == unit.code) return true;
  }
  return false;
}

const DocumentSpec* FindDocument(absl::string_view title) {
  for (const DocumentSpec& d : Documents()) {
    if (title == d.title) return &d;
  }
  return nullptr;
}

// Characters, as the service's text limits count them (UTF-8 code points).
int Chars(absl::string_view text) {
  int n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool Has(const std::string& text) { return !text.empty(); }

TEST(RequestDemoDataTest, KeysAreUniqueAndUnitsAreDemoUnits) {
  std::set<std::string> keys;
  std::set<std::pair<std::string, std::string>> applicant_subjects;  // The loader's look-up key.
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    EXPECT_TRUE(keys.insert(r.key).second) << r.key;
    EXPECT_TRUE(applicant_subjects.insert({r.applicant.name, r.subject}).second) << r.key;
    EXPECT_TRUE(IsDemoUnit(r.unit)) << r.key;
    if (Has(r.assign_to)) {
      EXPECT_TRUE(IsDemoUnit(r.assign_to)) << r.key;
    }
    EXPECT_LE(RequestIdOf(r).size(), 128u) << r.key;
  }
  EXPECT_GE(DisclosureRequests().size(), 12u);
  EXPECT_LE(DisclosureRequests().size(), 20u);
}

// The FileRequest limits (disclosure_requests.proto, Applicant).
TEST(RequestDemoDataTest, ApplicantsAndTextsFitTheServiceLimits) {
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    EXPECT_NE(r.applicant.type, v1::APPLICANT_TYPE_UNSPECIFIED) << r.key;
    EXPECT_GE(Chars(r.applicant.name), 1) << r.key;
    EXPECT_LE(Chars(r.applicant.name), 200) << r.key;
    EXPECT_LE(Chars(r.applicant.contact), 500) << r.key;
    EXPECT_GE(Chars(r.applicant.contact), 1) << r.key;
    const std::string id = r.applicant.id_number;
    EXPECT_FALSE(id.empty()) << r.key;
    EXPECT_LE(id.size(), 64u) << r.key;
    for (char c : id) EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-') << r.key;
    EXPECT_GE(Chars(r.subject), 1) << r.key;
    EXPECT_LE(Chars(r.subject), 500) << r.key;
    EXPECT_EQ(r.subject.find('\n'), std::string::npos) << r.key;
    EXPECT_LE(Chars(r.description), 4000) << r.key;
    EXPECT_LE(Chars(r.corrected_description), 4000) << r.key;
    EXPECT_LE(Chars(r.correction_notice), 2000) << r.key;
    EXPECT_LE(Chars(r.answer.reason), 2000) << r.key;
  }
}

// NAT-5: the public files online only; mail is registered by staff with a past date.
TEST(RequestDemoDataTest, ChannelsFollowWhoFiles) {
  std::set<v1::RequestChannel> channels;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    channels.insert(ChannelOf(r.filer));
    if (r.filer == Filer::kStaffRegisteredMail) {
      EXPECT_GT(r.mail_days_before_filing, 0) << r.key;
    } else {
      EXPECT_EQ(r.mail_days_before_filing, 0) << r.key;
    }
  }
  EXPECT_EQ(channels, (std::set<v1::RequestChannel>{v1::CHANNEL_ONLINE, v1::CHANNEL_IN_PERSON,
                                                    v1::CHANNEL_REGISTERED_MAIL}));
}

// NAT-10 Table 3 columns: every applicant type files something.
TEST(RequestDemoDataTest, EveryApplicantTypeOccurs) {
  std::set<int> types;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) types.insert(r.applicant.type);
  for (int t = v1::ApplicantType_MIN + 1; t <= v1::ApplicantType_MAX; ++t) {
    EXPECT_EQ(types.count(t), 1u) << v1::ApplicantType_Name(t);
  }
}

// CAT-8: the loader stops requests in every state of the lifecycle.
TEST(RequestDemoDataTest, EveryLifecycleStateIsAPlannedEnd) {
  std::map<v1::DisclosureRequestState, int> ends;
  int assigned_elsewhere = 0, extended = 0;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    ++ends[PlannedState(r)];
    assigned_elsewhere += Has(r.assign_to) && r.assign_to != r.unit;
    extended += r.extension_working_days > 0;
  }
  for (v1::DisclosureRequestState state :
       {v1::REQUEST_RECEIVED, v1::REQUEST_AWAITING_CORRECTION, v1::REQUEST_CORRECTED,
        v1::REQUEST_ASSIGNED, v1::REQUEST_IN_CONSULTATION, v1::REQUEST_ANSWERED}) {
    EXPECT_GE(ends[state], 1) << v1::DisclosureRequestState_Name(state);
  }
  EXPECT_GE(assigned_elsewhere, 1);
  EXPECT_GE(extended, 1);
}

// The path is one the service allows (disclosure_requests.cc): a correction needs its
// notice, a consultation an assignment, an extension 1–20 days with approver and reason.
TEST(RequestDemoDataTest, PathsFollowTheLifecycleRules) {
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    if (Has(r.corrected_description)) {
      EXPECT_TRUE(Has(r.correction_notice)) << r.key;
    }
    if (Has(r.third_party)) {
      EXPECT_TRUE(Has(r.assign_to)) << r.key;
    }
    if (Has(r.consultation_result)) {
      EXPECT_TRUE(Has(r.third_party)) << r.key;
    }
    if (Has(r.assign_to)) {
      EXPECT_TRUE(Has(r.assign_note)) << r.key;
    }
    if (r.extension_working_days != 0) {
      EXPECT_GE(r.extension_working_days, 1) << r.key;
      EXPECT_LE(r.extension_working_days, 20) << r.key;
      EXPECT_TRUE(Has(r.extension_approver)) << r.key;
      EXPECT_TRUE(Has(r.extension_reason)) << r.key;
    }
    // A notice without the correction leaves the request waiting; only "no correction"
    // could answer it, which the demo does not use.
    if (Has(r.correction_notice) && !Has(r.corrected_description)) {
      EXPECT_EQ(r.answer.outcome, v1::REQUEST_OUTCOME_UNSPECIFIED) << r.key;
    }
    // The consultation must end before the answer.
    if (Has(r.third_party) && !Has(r.consultation_result)) {
      EXPECT_EQ(r.answer.outcome, v1::REQUEST_OUTCOME_UNSPECIFIED) << r.key;
    }
  }
}

// NAT-8, NAT-9: what AnswerRequest accepts (request_rules.cc CheckAnswer).
TEST(RequestDemoDataTest, AnswersCarryWhatTheirOutcomeNeeds) {
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    const AnswerSpec& a = r.answer;
    if (a.outcome == v1::REQUEST_OUTCOME_UNSPECIFIED) continue;
    const bool provides =
        a.outcome == v1::OUTCOME_DISCLOSED || a.outcome == v1::OUTCOME_PARTLY_DISCLOSED;
    if (a.outcome != v1::OUTCOME_DISCLOSED && a.outcome != v1::OUTCOME_ALREADY_PUBLIC) {
      EXPECT_TRUE(Has(a.reason)) << r.key;
    }
    if (a.outcome == v1::OUTCOME_ALREADY_PUBLIC) {
      const DocumentSpec* d = FindDocument(a.already_public_title);
      ASSERT_NE(d, nullptr) << r.key;
      EXPECT_EQ(d->target, Target::kPublished) << r.key;
    } else {
      EXPECT_FALSE(Has(a.already_public_title)) << r.key;
    }
    if (a.outcome != v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD) {
      EXPECT_FALSE(Has(a.holder_name)) << r.key;
    }
    if (!provides) {
      EXPECT_EQ(a.fee_method, v1::FEE_METHOD_UNSPECIFIED) << r.key;
    }
    EXPECT_EQ(a.fee_method == v1::FEE_BY_PAGES, a.fee_pages > 0) << r.key;
    if (a.on_the_spot) {
      EXPECT_EQ(r.filer, Filer::kStaffInPerson) << r.key;
    }
  }
}

TEST(RequestDemoDataTest, TheStatutoryOutcomesAllOccur) {
  std::set<v1::RequestOutcome> outcomes;
  std::set<v1::FeeMethod> fees;
  bool holder_named = false, on_the_spot = false;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    outcomes.insert(r.answer.outcome);
    fees.insert(r.answer.fee_method);
    holder_named |= Has(r.answer.holder_name);
    on_the_spot |= r.answer.on_the_spot;
  }
  for (v1::RequestOutcome outcome :
       {v1::OUTCOME_ALREADY_PUBLIC, v1::OUTCOME_DISCLOSED, v1::OUTCOME_PARTLY_DISCLOSED,
        v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD, v1::OUTCOME_NOT_PROCESSED_REPEAT}) {
    EXPECT_EQ(outcomes.count(outcome), 1u) << v1::RequestOutcome_Name(outcome);
  }
  bool not_disclosed = false;
  for (v1::RequestOutcome o : outcomes) {
    not_disclosed |= o >= v1::OUTCOME_NOT_DISCLOSED_STATE_SECRET &&
                     o <= v1::OUTCOME_NOT_DISCLOSED_ADMINISTRATIVE_QUERY;
  }
  EXPECT_TRUE(not_disclosed);
  EXPECT_EQ(fees.count(v1::FEE_BY_PAGES), 1u);
  EXPECT_EQ(fees.count(v1::FEE_BY_COUNT), 1u);
  EXPECT_TRUE(holder_named);
  EXPECT_TRUE(on_the_spot);
}

// CAT-7: one piece of information is asked for twice, so it is "most requested".
TEST(RequestDemoDataTest, OneSubjectIsRequestedTwice) {
  std::map<std::string, int> per_subject;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) ++per_subject[r.subject];
  int repeated = 0;
  for (const auto& [subject, count] : per_subject) repeated += count >= 2;
  EXPECT_EQ(repeated, 1);
}

// NAT-10 Table 4: challenges are recorded against answered requests, still pending.
TEST(RequestDemoDataTest, ChallengesAreAgainstAnsweredRequests) {
  std::set<v1::ChallengeKind> kinds;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    if (r.challenge.kind == v1::CHALLENGE_KIND_UNSPECIFIED) continue;
    kinds.insert(r.challenge.kind);
    EXPECT_EQ(PlannedState(r), v1::REQUEST_ANSWERED) << r.key;
    EXPECT_TRUE(Has(r.challenge.case_number)) << r.key;
    EXPECT_LE(Chars(r.challenge.case_number), 100) << r.key;
    EXPECT_THAT(r.challenge.case_number, HasSubstr("2026")) << r.key;
  }
  EXPECT_THAT(kinds, SizeIs(2));
}

TEST(RequestDemoDataTest, PlannedStateFollowsTheLastStepOfThePath) {
  DisclosureRequestSpec spec;
  spec.key = "k";
  spec.unit = "NN-EDU";
  spec.filer = Filer::kPublicOnline;
  spec.subject = "s";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_RECEIVED);
  spec.correction_notice = "请补正";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_AWAITING_CORRECTION);
  spec.corrected_description = "补正后的描述";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_CORRECTED);
  spec.assign_to = "NN-DRC";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_ASSIGNED);
  spec.third_party = "某公司";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_IN_CONSULTATION);
  spec.consultation_result = "第三方同意公开";
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_ASSIGNED);
  spec.answer.outcome = v1::OUTCOME_DISCLOSED;
  EXPECT_EQ(PlannedState(spec), v1::REQUEST_ANSWERED);
  EXPECT_EQ(RequestIdOf(spec), "demo-request-k");
}

// CAT-9: the draft is for a unit that has demo requests in the report year.
TEST(RequestDemoDataTest, AnnualReportDraftIsForAUnitWithRequests) {
  const AnnualReportDraftSpec& draft = AnnualReportDraft();
  EXPECT_TRUE(IsDemoUnit(draft.unit));
  EXPECT_EQ(draft.year, 2026);
  int requests = 0;
  for (const DisclosureRequestSpec& r : DisclosureRequests()) {
    requests += r.unit == draft.unit;
  }
  EXPECT_GE(requests, 2);
  for (int64_t figure : {draft.licensing_decisions, draft.penalty_decisions,
                         draft.enforcement_decisions, draft.fee_income_fen}) {
    EXPECT_GE(figure, 0);
  }
  EXPECT_GT(draft.licensing_decisions, 0);
  EXPECT_THAT(draft.overview, HasSubstr("2026年"));
}

}  // namespace
}  // namespace gongkai::catalog::demo
