// The disclosure requests (CAT-8, NAT-5 to NAT-10) of the Nanning demo data set, and the
// draft annual report (CAT-9) the loader saves: fixed tables, each request with the
// path the loader drives it along (request_demo_loader.h).
//
// Sixteen requests to Nanning units, filed online by the public or registered by staff
// (in person, registered mail), stopping in every state of the lifecycle — just
// received, awaiting correction, corrected, assigned to another holding unit, in
// third-party consultation, extended — or answered with the NAT-8 outcomes, two of them
// challenged (NAT-10 Table 4). Receipt dates are the filing day (the service sets them)
// or, for mail, a few days before it.
//
// The tables are the data files data/disclosure_requests.json and
// data/annual_report_draft.json, embedded like those of demo_data.h: field names as
// below, enums by their proto value names, Filer by its name without the k
// ("PUBLIC_ONLINE"), empty texts and zero numbers left out.
//
//   for (const demo::DisclosureRequestSpec& r : demo::DisclosureRequests()) {
//     v1::DisclosureRequestState end = demo::PlannedState(r);
//   }
//
// Thread-safety: the tables are immutable after first use; the functions are pure.
#ifndef GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_DATA_H_
#define GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "gongkai/catalog/v1/disclosure_types.pb.h"

namespace gongkai::catalog::demo {

namespace v1 = ::gongkai::catalog::v1;

// Who files the request, and so its channel and receipt date (NAT-5).
enum class Filer {
  kPublicOnline,         // The applicant, without an account: CHANNEL_ONLINE, received today.
  kStaffInPerson,        // Staff of the unit at the counter: CHANNEL_IN_PERSON, today.
  kStaffRegisteredMail,  // Staff of the unit: CHANNEL_REGISTERED_MAIL, signed for earlier.
};

struct ApplicantSpec {
  v1::ApplicantType type = v1::APPLICANT_TYPE_UNSPECIFIED;
  std::string name;
  std::string id_number;  // Resident ID or unified social credit code (demo values).
  std::string contact;
};

// NAT-8, NAT-9: the reply. REQUEST_OUTCOME_UNSPECIFIED: the request stays open.
struct AnswerSpec {
  v1::RequestOutcome outcome = v1::REQUEST_OUTCOME_UNSPECIFIED;
  std::string reason;
  // OUTCOME_ALREADY_PUBLIC: the title of a published demo document (demo_data.h).
  std::string already_public_title;
  std::string holder_name;   // OUTCOME_CANNOT_PROVIDE_NOT_HELD only.
  bool on_the_spot = false;  // In person, answered the day of receipt.
  v1::FeeMethod fee_method = v1::FEE_METHOD_UNSPECIFIED;
  int fee_pages = 0;  // FEE_BY_PAGES only; the loader asks QuoteFee first.
};

// NAT-10 Table 4: a review or lawsuit against the answer, filed the day the loader runs
// and still pending. CHALLENGE_KIND_UNSPECIFIED: none.
struct ChallengeSpec {
  v1::ChallengeKind kind = v1::CHALLENGE_KIND_UNSPECIFIED;
  std::string case_number;
  std::string note;
};

struct DisclosureRequestSpec {
  // Unique; the request id of the filing is "demo-request-<key>".
  std::string key;
  std::string unit;  // The unit the request is addressed to (demo_data.h code).
  Filer filer = Filer::kPublicOnline;
  int mail_days_before_filing = 0;  // kStaffRegisteredMail: when it was signed for.
  ApplicantSpec applicant;
  std::string subject;
  std::string description;

  // The path, in lifecycle order; an empty text skips the step.
  std::string correction_notice;      // NAT-6: issued once, RECEIVED → AWAITING.
  std::string corrected_description;  // The correction arrived: → CORRECTED.
  std::string assign_to;              // Holding unit code (may be `unit` itself).
  std::string assign_note;
  std::string third_party;          // Consulted (Art. 32): → IN_CONSULTATION.
  std::string consultation_result;  // The third party answered: → ASSIGNED.
  int extension_working_days = 0;   // NAT-7: 1–20, with approver and reason.
  std::string extension_approver;
  std::string extension_reason;
  AnswerSpec answer = {};
  ChallengeSpec challenge = {};
};

// The annual report draft the loader saves (not published: the year has not ended).
// The Table 2 cells the catalog cannot count, entered by the unit.
struct AnnualReportDraftSpec {
  std::string unit;
  int year = 0;
  int64_t licensing_decisions = 0;
  int64_t penalty_decisions = 0;
  int64_t enforcement_decisions = 0;
  int64_t fee_income_fen = 0;
  std::string overview;
  std::string problems_and_improvements;
};

const std::vector<DisclosureRequestSpec>& DisclosureRequests();
const AnnualReportDraftSpec& AnnualReportDraft();

// The state the path of `spec` ends in.
v1::DisclosureRequestState PlannedState(const DisclosureRequestSpec& spec);

// The channel `spec.filer` files on.
v1::RequestChannel ChannelOf(Filer filer);

// "demo-request-<key>".
std::string RequestIdOf(const DisclosureRequestSpec& spec);

}  // namespace gongkai::catalog::demo

#endif  // GONGKAI_SERVICES_CATALOG_DEMO_REQUEST_DEMO_DATA_H_
