// An in-memory AnnualReportRepository for unit tests: holds raw rows (requests,
// challenges, policy documents, units) and aggregates them with the same classification
// functions the SQL mirrors (report_tables.h), so the domain's rules are tested on
// realistic input without a database. Stored reports follow the repository contract
// (versions and states, ABORTED on a stale one); FailNext makes one write fail, to
// test what an interrupted publication leaves behind.
//
//   FakeReportRepository repo;
//   repo.AddUnit({7, "市教育局", v1::UNIT_LEVEL_DEPARTMENT});
//   repo.AddRequest({.unit_id = 7, .applicant_type = v1::APPLICANT_NATURAL_PERSON,
//                    .received_on = absl::CivilDay(2024, 12, 30),
//                    .answered_on = absl::CivilDay(2025, 1, 5),
//                    .outcome = v1::OUTCOME_DISCLOSED});
//
// Not thread-safe: tests use it from one thread.
#ifndef GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_FAKE_REPORT_REPOSITORY_H_
#define GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_FAKE_REPORT_REPOSITORY_H_

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "services/catalog/annual_report/report_repository.h"
#include "services/catalog/annual_report/report_tables.h"

namespace gongkai::catalog::annual_report {

class FakeReportRepository final : public AnnualReportRepository {
 public:
  struct Request {
    int64_t unit_id = 1;
    int applicant_type = v1::APPLICANT_NATURAL_PERSON;
    absl::CivilDay received_on = absl::CivilDay(2000, 1, 1);
    std::optional<absl::CivilDay> answered_on = std::nullopt;
    int outcome = 0;
  };
  struct Challenge {
    int64_t unit_id = 1;
    int kind = v1::CHALLENGE_ADMINISTRATIVE_REVIEW;
    int result = v1::CHALLENGE_PENDING;
    absl::CivilDay filed_on = absl::CivilDay(2000, 1, 1);
    std::optional<absl::CivilDay> decided_on = std::nullopt;
  };
  struct PolicyDocument {
    int64_t unit_id = 1;
    absl::Time publish_time = absl::InfinitePast();
    std::optional<absl::CivilDay> repealed_on = std::nullopt;
  };

  void AddUnit(ReportUnit unit) { units_[unit.id] = std::move(unit); }
  void AddRequest(Request r) { requests_.push_back(r); }
  void AddChallenge(Challenge c) { challenges_.push_back(c); }
  void AddPolicyDocument(PolicyDocument d) { documents_.push_back(d); }
  // The number of writes that succeeded.
  int writes() const { return writes_; }
  // The next call of the write `method` (e.g. "RecordPublicationDocument") returns
  // `status` and writes nothing.
  void FailNext(std::string method, absl::Status status) {
    failures_[std::move(method)] = std::move(status);
  }
  // The audit entries written, in order.
  const std::vector<ReportAudit>& audit() const { return audit_; }

  absl::StatusOr<std::vector<RequestTally>> CountRequests(int64_t unit_id,
                                                          const YearRange& year) override {
    std::map<std::tuple<int, int, int, int>, int64_t> groups;
    for (const Request& r : requests_) {
      if (unit_id != 0 && r.unit_id != unit_id) continue;
      std::optional<Received> received = ClassifyReceived(r.received_on, year);
      if (!received.has_value()) continue;
      ++groups[{r.applicant_type, r.outcome, static_cast<int>(*received),
                static_cast<int>(ClassifyAnswered(r.answered_on, year))}];
    }
    std::vector<RequestTally> out;
    for (const auto& [key, n] : groups) {
      out.push_back({std::get<0>(key), std::get<1>(key), static_cast<Received>(std::get<2>(key)),
                     static_cast<Answered>(std::get<3>(key)), n});
    }
    return out;
  }

  absl::StatusOr<std::vector<ChallengeTally>> CountChallenges(int64_t unit_id,
                                                              const YearRange& year) override {
    std::vector<ChallengeTally> out;
    for (const Challenge& c : challenges_) {
      if (unit_id != 0 && c.unit_id != unit_id) continue;
      if (c.filed_on < year.first || c.filed_on > year.last) continue;
      out.push_back({c.kind, c.result, DecidedByYearEnd(c.decided_on, year), 1});
    }
    return out;
  }

  absl::StatusOr<PolicyDocumentCounts> CountPolicyDocuments(int64_t unit_id,
                                                            const YearRange& year) override {
    PolicyDocumentCounts counts;
    for (const PolicyDocument& d : documents_) {
      if (unit_id != 0 && d.unit_id != unit_id) continue;
      if (d.publish_time >= year.next_start) continue;
      ++counts.published_by_year_end;
      if (d.publish_time >= year.start) ++counts.published_in_year;
      if (RepealedInYear(d.repealed_on, year)) ++counts.repealed_in_year;
      if (InForceAtYearEnd(d.publish_time, d.repealed_on, year)) ++counts.in_force_at_year_end;
    }
    return counts;
  }

  absl::StatusOr<std::optional<ReportUnit>> FindUnit(int64_t id) override {
    auto it = units_.find(id);
    if (it == units_.end()) return std::optional<ReportUnit>();
    return std::optional<ReportUnit>(it->second);
  }

  absl::StatusOr<std::vector<ReportUnit>> ListUnits() override {
    std::vector<ReportUnit> out;
    for (const auto& [id, unit] : units_) out.push_back(unit);
    return out;
  }

  absl::StatusOr<std::optional<StoredReport>> FindReport(int year, int64_t unit_id) override {
    auto it = reports_.find({year, unit_id});
    if (it == reports_.end()) return std::optional<StoredReport>();
    return std::optional<StoredReport>(it->second);
  }

  absl::StatusOr<StoredReport> SaveDraft(int year, int64_t unit_id,
                                         const v1::AnnualReportInputs& inputs,
                                         int64_t expected_version,
                                         const ReportAudit& audit) override {
    RETURN_IF_ERROR(TakeFailure("SaveDraft"));
    StoredReport r;
    r.year = year;
    r.unit_id = unit_id;
    r.inputs = inputs;
    return Store(std::move(r), expected_version, audit);
  }

  absl::StatusOr<StoredReport> StartPublication(const v1::AnnualReport& snapshot,
                                                int64_t expected_version,
                                                const ReportAudit& audit) override {
    RETURN_IF_ERROR(TakeFailure("StartPublication"));
    StoredReport r;
    r.year = snapshot.year();
    r.unit_id = snapshot.unit_id();
    r.state = v1::ANNUAL_REPORT_PUBLISHING;
    r.inputs = snapshot.inputs();
    r.snapshot = snapshot;
    r.snapshot->set_document_id(0);
    r.publish_time = audit.time;
    r.publication_started_by = audit.actor;
    r.publication_started_at = audit.time;
    return Store(std::move(r), expected_version, audit);
  }

  absl::StatusOr<StoredReport> TakeOverPublication(int year, int64_t unit_id,
                                                   int64_t expected_version,
                                                   const ReportAudit& audit) override {
    RETURN_IF_ERROR(TakeFailure("TakeOverPublication"));
    ASSIGN_OR_RETURN(StoredReport * r, Publishing(year, unit_id, expected_version, false));
    r->publication_started_by = audit.actor;
    r->publication_started_at = audit.time;
    return Updated(*r, audit);
  }

  absl::StatusOr<StoredReport> RecordPublicationDocument(int year, int64_t unit_id,
                                                         int64_t document_id,
                                                         int64_t expected_version,
                                                         const ReportAudit& audit) override {
    RETURN_IF_ERROR(TakeFailure("RecordPublicationDocument"));
    if (document_id <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("document id ", document_id));
    }
    ASSIGN_OR_RETURN(StoredReport * r, Publishing(year, unit_id, expected_version, false));
    r->document_id = document_id;
    return Updated(*r, audit);
  }

  absl::StatusOr<StoredReport> CompletePublication(int year, int64_t unit_id,
                                                   int64_t expected_version,
                                                   const ReportAudit& audit) override {
    RETURN_IF_ERROR(TakeFailure("CompletePublication"));
    ASSIGN_OR_RETURN(StoredReport * r, Publishing(year, unit_id, expected_version, true));
    r->state = v1::ANNUAL_REPORT_PUBLISHED;
    return Updated(*r, audit);
  }

  absl::StatusOr<std::vector<StoredReport>> ListReports(int year, bool include_drafts,
                                                        int64_t after_id, int limit) override {
    std::vector<StoredReport> out;
    for (const auto& [key, r] : reports_) {
      if (year != 0 && r.year != year) continue;
      if (!include_drafts && r.state != v1::ANNUAL_REPORT_PUBLISHED) continue;
      if (after_id > 0 && r.id >= after_id) continue;
      out.push_back(r);
    }
    std::sort(out.begin(), out.end(),
              [](const StoredReport& a, const StoredReport& b) { return a.id > b.id; });
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
  }

 private:
  absl::Status TakeFailure(const std::string& method) {
    auto it = failures_.find(method);
    if (it == failures_.end()) return absl::OkStatus();
    absl::Status status = std::move(it->second);
    failures_.erase(it);
    return status;
  }

  // Inserts (expected_version 0) or replaces the draft at expected_version.
  absl::StatusOr<StoredReport> Store(StoredReport r, int64_t expected_version,
                                     const ReportAudit& audit) {
    auto it = reports_.find({r.year, r.unit_id});
    const int64_t current = it == reports_.end() ? 0 : it->second.version;
    const bool draft = it == reports_.end() || it->second.state == v1::ANNUAL_REPORT_DRAFT;
    if (current != expected_version || !draft) {
      return absl::AbortedError(absl::StrCat("stale version ", expected_version));
    }
    r.id = it == reports_.end() ? ++next_id_ : it->second.id;
    r.version = current;
    const std::pair<int, int64_t> key(r.year, r.unit_id);
    StoredReport& slot = reports_[key];
    slot = std::move(r);
    return Updated(slot, audit);
  }

  // The PUBLISHING report at expected_version, with (or, if !with_document, without)
  // its document; ABORTED otherwise.
  absl::StatusOr<StoredReport*> Publishing(int year, int64_t unit_id, int64_t expected_version,
                                           bool with_document) {
    auto it = reports_.find({year, unit_id});
    if (it == reports_.end() || it->second.version != expected_version ||
        it->second.state != v1::ANNUAL_REPORT_PUBLISHING ||
        (it->second.document_id != 0) != with_document) {
      return absl::AbortedError(absl::StrCat(
          "the ", year, " report of unit ", unit_id, " is not being published ",
          with_document ? "with" : "without", " a document at version ", expected_version));
    }
    return &it->second;
  }

  // Bumps the version of a written row, keeps its snapshot in step, audits.
  StoredReport Updated(StoredReport& r, const ReportAudit& audit) {
    ++r.version;
    r.update_time = audit.time;
    if (r.snapshot.has_value()) {
      r.snapshot->set_state(r.state);
      r.snapshot->set_document_id(r.document_id);
      r.snapshot->set_version(r.version);
    }
    audit_.push_back(audit);
    ++writes_;
    return r;
  }

  std::map<int64_t, ReportUnit> units_;
  std::vector<Request> requests_;
  std::vector<Challenge> challenges_;
  std::vector<PolicyDocument> documents_;
  std::map<std::pair<int, int64_t>, StoredReport> reports_;
  int64_t next_id_ = 0;
  int writes_ = 0;
  std::map<std::string, absl::Status> failures_;
  std::vector<ReportAudit> audit_;
};

}  // namespace gongkai::catalog::annual_report

#endif  // GONGKAI_SERVICES_CATALOG_ANNUAL_REPORT_FAKE_REPORT_REPOSITORY_H_
