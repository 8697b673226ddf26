// How an inspection item's points follow from its evidence (ASM-6), as pure functions
// of the scheme (scheme.h) and the evidence: no gRPC, no SQL. Every ItemScore names the
// rule that produced it and carries the evidence behind it; evidence that could not be
// fetched gives EVIDENCE_UNAVAILABLE, never zero points.
//
//   v1::ItemScore score = ScoreFromEvidence(scheme.Item(item), evidence_from_service);
//   v1::ItemScore gap = EvidenceUnavailable(scheme.Item(item), "catalog: UNAVAILABLE ...");
//
// Thread-safety: pure functions.
#ifndef GONGKAI_SERVICES_ASSESSMENT_SCORING_H_
#define GONGKAI_SERVICES_ASSESSMENT_SCORING_H_

#include <optional>
#include <string>
#include <vector>

#include "gongkai/assessment/v1/assessment.pb.h"
#include "gongkai/common/v1/compliance_evidence.pb.h"
#include "services/assessment/scheme.h"

namespace gongkai::assessment {

// Items 3-14: the weight minus, per deduction rule, min(cap, count x points_per_record),
// never below zero. An indicator the rule names but the service did not report makes
// the evidence incomplete (named in incomplete_reasons) and deducts nothing.
v1::ItemScore ScoreFromEvidence(const SchemeItemRule& rule,
                                const common::v1::ItemEvidence& evidence);

// Items 1, 2, 15: the inspector's latest points, at most the weight; without evidence
// the item is AWAITING_INSPECTOR (not scored).
v1::ItemScore ScoreFromInspector(const SchemeItemRule& rule,
                                 const std::optional<v1::InspectorEvidence>& evidence);

// The service holding the evidence could not be asked (down, deadline, error).
v1::ItemScore EvidenceUnavailable(const SchemeItemRule& rule, const std::string& reason);

struct UnitTotal {
  double total = 0;       // Sum of the SCORED items' points.
  bool complete = false;  // Every item SCORED.
  int unavailable = 0;    // Items EVIDENCE_UNAVAILABLE.
};
UnitTotal TotalOf(const std::vector<v1::ItemScore>& items);

// Competition ranking ("1224"): totals in descending order, equal totals (to the cent)
// share a rank. Returns the rank of each input, in input order.
std::vector<int> Rank(const std::vector<double>& totals);

// Rounds to the cent, as points are shown and stored.
double RoundPoints(double points);

// One CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
std::string CsvField(const std::string& value);

// The ranking as CSV: a header and one line per score, in the order given.
std::string ScoresCsv(const std::vector<v1::UnitScore>& scores);

}  // namespace gongkai::assessment

#endif  // GONGKAI_SERVICES_ASSESSMENT_SCORING_H_
