#include "services/catalog/demo/request_demo_data.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/catalog/demo/demo_data.h"

namespace gongkai::catalog::demo {
namespace {

using ::gongkai::demo::BoolField;
using ::gongkai::demo::CheckFields;
using ::gongkai::demo::DataError;
using ::gongkai::demo::EnumField;
using ::gongkai::demo::IntField;
using ::gongkai::demo::ReadDataFile;
using ::gongkai::demo::TextField;
using ::nlohmann::json;

Filer FilerFromName(const std::string& name) {
  if (name == "PUBLIC_ONLINE") return Filer::kPublicOnline;
  if (name == "STAFF_IN_PERSON") return Filer::kStaffInPerson;
  if (name == "STAFF_REGISTERED_MAIL") return Filer::kStaffRegisteredMail;
  throw DataError(absl::StrCat("filer: unknown value \"", name, "\""));
}

DisclosureRequestSpec ReadRequest(const json& r) {
  CheckFields(r, {"key", "unit", "filer", "mail_days_before_filing", "applicant", "subject",
                  "description", "correction_notice", "corrected_description", "assign_to",
                  "assign_note", "third_party", "consultation_result", "extension_working_days",
                  "extension_approver", "extension_reason", "answer", "challenge"});
  DisclosureRequestSpec spec;
  spec.key = TextField(r, "key");
  spec.unit = TextField(r, "unit");
  spec.filer = FilerFromName(TextField(r, "filer"));
  spec.mail_days_before_filing = static_cast<int>(IntField(r, "mail_days_before_filing"));
  const json& applicant = r.at("applicant");
  CheckFields(applicant, {"type", "name", "id_number", "contact"});
  spec.applicant = {EnumField(applicant, "type", &v1::ApplicantType_Parse),
                    TextField(applicant, "name"), TextField(applicant, "id_number"),
                    TextField(applicant, "contact")};
  spec.subject = TextField(r, "subject");
  spec.description = TextField(r, "description");
  spec.correction_notice = TextField(r, "correction_notice");
  spec.corrected_description = TextField(r, "corrected_description");
  spec.assign_to = TextField(r, "assign_to");
  spec.assign_note = TextField(r, "assign_note");
  spec.third_party = TextField(r, "third_party");
  spec.consultation_result = TextField(r, "consultation_result");
  spec.extension_working_days = static_cast<int>(IntField(r, "extension_working_days"));
  spec.extension_approver = TextField(r, "extension_approver");
  spec.extension_reason = TextField(r, "extension_reason");
  if (r.contains("answer")) {
    const json& a = r.at("answer");
    CheckFields(a, {"outcome", "reason", "already_public_title", "holder_name", "on_the_spot",
                    "fee_method", "fee_pages"});
    spec.answer = {EnumField(a, "outcome", &v1::RequestOutcome_Parse),
                   TextField(a, "reason"),
                   TextField(a, "already_public_title"),
                   TextField(a, "holder_name"),
                   BoolField(a, "on_the_spot"),
                   EnumField(a, "fee_method", &v1::FeeMethod_Parse),
                   static_cast<int>(IntField(a, "fee_pages"))};
  }
  if (r.contains("challenge")) {
    const json& c = r.at("challenge");
    CheckFields(c, {"kind", "case_number", "note"});
    spec.challenge = {EnumField(c, "kind", &v1::ChallengeKind_Parse), TextField(c, "case_number"),
                      TextField(c, "note")};
  }
  return spec;
}

struct RequestDemoData {
  std::vector<DisclosureRequestSpec> requests;
  AnnualReportDraftSpec annual_report_draft;
};

absl::StatusOr<RequestDemoData> ReadRequestDemoData() {
  RequestDemoData data;
  absl::StatusOr<std::vector<DisclosureRequestSpec>> requests =
      ReadDataFile<std::vector<DisclosureRequestSpec>>(
          EmbeddedDataFiles(), "disclosure_requests.json", [](const json& file) {
            std::vector<DisclosureRequestSpec> requests;
            for (const json& r : file) requests.push_back(ReadRequest(r));
            return requests;
          });
  if (!requests.ok()) return requests.status();
  data.requests = *std::move(requests);
  absl::StatusOr<AnnualReportDraftSpec> draft = ReadDataFile<AnnualReportDraftSpec>(
      EmbeddedDataFiles(), "annual_report_draft.json", [](const json& d) {
        CheckFields(
            d, {"unit", "year", "licensing_decisions", "penalty_decisions", "enforcement_decisions",
                "fee_income_fen", "overview", "problems_and_improvements"});
        return AnnualReportDraftSpec{TextField(d, "unit"),
                                     static_cast<int>(IntField(d, "year")),
                                     IntField(d, "licensing_decisions"),
                                     IntField(d, "penalty_decisions"),
                                     IntField(d, "enforcement_decisions"),
                                     IntField(d, "fee_income_fen"),
                                     TextField(d, "overview"),
                                     TextField(d, "problems_and_improvements")};
      });
  if (!draft.ok()) return draft.status();
  data.annual_report_draft = *std::move(draft);
  return data;
}

// As in demo_data.cc: the files are part of the binary, a bad one is a bug.
const RequestDemoData& Data() {
  static const RequestDemoData* const data = [] {
    absl::StatusOr<RequestDemoData> read = ReadRequestDemoData();
    if (!read.ok()) {
      std::cerr << "demo data: " << read.status().message() << "\n";
      std::abort();
    }
    return new RequestDemoData(*std::move(read));
  }();
  return *data;
}

}  // namespace

const std::vector<DisclosureRequestSpec>& DisclosureRequests() { return Data().requests; }

const AnnualReportDraftSpec& AnnualReportDraft() { return Data().annual_report_draft; }

v1::DisclosureRequestState PlannedState(const DisclosureRequestSpec& spec) {
  if (spec.answer.outcome != v1::REQUEST_OUTCOME_UNSPECIFIED) return v1::REQUEST_ANSWERED;
  if (!spec.third_party.empty() && spec.consultation_result.empty()) {
    return v1::REQUEST_IN_CONSULTATION;
  }
  if (!spec.assign_to.empty()) return v1::REQUEST_ASSIGNED;
  if (!spec.corrected_description.empty()) return v1::REQUEST_CORRECTED;
  if (!spec.correction_notice.empty()) return v1::REQUEST_AWAITING_CORRECTION;
  return v1::REQUEST_RECEIVED;
}

v1::RequestChannel ChannelOf(Filer filer) {
  switch (filer) {
    case Filer::kPublicOnline:
      return v1::CHANNEL_ONLINE;
    case Filer::kStaffInPerson:
      return v1::CHANNEL_IN_PERSON;
    case Filer::kStaffRegisteredMail:
      return v1::CHANNEL_REGISTERED_MAIL;
  }
  return v1::REQUEST_CHANNEL_UNSPECIFIED;
}

std::string RequestIdOf(const DisclosureRequestSpec& spec) {
  return absl::StrCat("demo-request-", spec.key);
}

}  // namespace gongkai::catalog::demo
