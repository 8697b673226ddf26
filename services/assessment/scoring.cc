#include "services/assessment/scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace gongkai::assessment {
namespace {

v1::ItemScore Base(const SchemeItemRule& rule) {
  v1::ItemScore score;
  score.set_item(rule.item);
  score.set_weight(rule.weight);
  score.set_source(rule.source);
  return score;
}

std::string Points(double points) { return absl::StrFormat("%.2f", points); }

}  // namespace

double RoundPoints(double points) { return std::round(points * 100.0) / 100.0; }

v1::ItemScore ScoreFromEvidence(const SchemeItemRule& rule,
                                const common::v1::ItemEvidence& evidence) {
  v1::ItemScore score = Base(rule);
  score.set_status(v1::SCORED);
  score.set_rule(absl::StrCat(rule.weight_rule, "; ", rule.deductions_rule));
  *score.mutable_indicators() = evidence.indicators();
  score.set_evidence_complete(evidence.complete());
  *score.mutable_incomplete_reasons() = evidence.incomplete_reasons();
  double points = rule.weight;
  std::vector<std::string> lines;
  lines.push_back(absl::StrCat("满分 ", Points(rule.weight)));
  for (const DeductionRule& deduction : rule.deductions) {
    const common::v1::EvidenceIndicator* found = nullptr;
    for (const auto& indicator : evidence.indicators()) {
      if (indicator.name() == deduction.indicator) found = &indicator;
    }
    if (found == nullptr) {
      score.set_evidence_complete(false);
      score.add_incomplete_reasons(absl::StrCat("indicator ", deduction.indicator,
                                                " named by the scheme was not reported by ",
                                                rule.source));
      lines.push_back(absl::StrCat(deduction.indicator, ": not reported, nothing deducted"));
      continue;
    }
    const double off =
        std::min(deduction.cap, static_cast<double>(found->count()) * deduction.points_per_record);
    points -= off;
    lines.push_back(absl::StrCat(deduction.indicator, " (", found->description(), ") ",
                                 found->count(), " x ", Points(deduction.points_per_record),
                                 " (cap ", Points(deduction.cap), ") = -", Points(off)));
  }
  points = RoundPoints(std::max(0.0, points));
  lines.push_back(absl::StrCat("得分 ", Points(points)));
  score.set_points(points);
  score.set_explanation(absl::StrJoin(lines, "\n"));
  return score;
}

v1::ItemScore ScoreFromInspector(const SchemeItemRule& rule,
                                 const std::optional<v1::InspectorEvidence>& evidence) {
  v1::ItemScore score = Base(rule);
  score.set_rule(rule.weight_rule);
  if (!evidence.has_value()) {
    score.set_status(v1::AWAITING_INSPECTOR);
    score.set_explanation("尚无检查人员的评分依据 (no inspector's evidence recorded yet)");
    return score;
  }
  const double points = RoundPoints(std::min(rule.weight, std::max(0.0, evidence->points())));
  score.set_status(v1::SCORED);
  score.set_points(points);
  score.set_evidence_complete(true);
  common::v1::EvidenceIndicator* indicator = score.add_indicators();
  indicator->set_name("inspector_evidence");
  indicator->set_description(evidence->text());
  indicator->set_count(1);
  indicator->add_references(absl::StrCat("inspector_evidence/", evidence->id()));
  for (const std::string& attachment : evidence->attachments()) {
    indicator->add_references(attachment);
  }
  indicator->set_requirement("ASM-6");
  score.set_explanation(absl::StrCat("检查人员 ", evidence->inspector(), " 评分 ",
                                     Points(evidence->points()), "，上限 ", Points(rule.weight),
                                     "，得分 ", Points(points)));
  return score;
}

v1::ItemScore EvidenceUnavailable(const SchemeItemRule& rule, const std::string& reason) {
  v1::ItemScore score = Base(rule);
  score.set_status(v1::EVIDENCE_UNAVAILABLE);
  score.set_rule(rule.weight_rule);
  score.set_unavailable_reason(reason);
  score.set_explanation(absl::StrCat("证据暂不可得，未计分，将重试 (evidence unavailable from ",
                                     rule.source, ", not scored, retried)"));
  return score;
}

UnitTotal TotalOf(const std::vector<v1::ItemScore>& items) {
  UnitTotal total;
  total.complete = !items.empty();
  for (const v1::ItemScore& item : items) {
    if (item.status() == v1::SCORED) {
      total.total += item.points();
    } else {
      total.complete = false;
      if (item.status() == v1::EVIDENCE_UNAVAILABLE) ++total.unavailable;
    }
  }
  total.total = RoundPoints(total.total);
  return total;
}

std::vector<int> Rank(const std::vector<double>& totals) {
  std::vector<size_t> order(totals.size());
  std::iota(order.begin(), order.end(), 0);
  auto cents = [&](size_t i) { return std::llround(totals[i] * 100.0); };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cents(a) > cents(b); });
  std::vector<int> ranks(totals.size());
  for (size_t position = 0; position < order.size(); ++position) {
    const bool tie = position > 0 && cents(order[position]) == cents(order[position - 1]);
    ranks[order[position]] = tie ? ranks[order[position - 1]] : static_cast<int>(position) + 1;
  }
  return ranks;
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ScoresCsv(const std::vector<v1::UnitScore>& scores) {
  std::vector<std::string> header = {"rank",
                                     "unit_id",
                                     "unit_code",
                                     "unit_name",
                                     "total",
                                     "complete",
                                     "performance_contribution",
                                     "previous_year_total",
                                     "change_from_previous_year",
                                     "third_party_total",
                                     "difference_from_third_party"};
  for (int n = 1; n <= kItemCount; ++n) header.push_back(absl::StrCat("item_", n));
  std::string csv = absl::StrCat(absl::StrJoin(header, ","), "\r\n");
  for (const v1::UnitScore& s : scores) {
    std::vector<std::string> fields = {
        absl::StrCat(s.rank()),
        absl::StrCat(s.unit_id()),
        CsvField(s.unit_code()),
        CsvField(s.unit_name()),
        Points(s.total()),
        s.complete() ? "yes" : "no",
        absl::StrFormat("%.4f", s.performance_contribution()),
        s.has_previous_year() ? Points(s.previous_year_total()) : "",
        s.has_previous_year() ? Points(s.change_from_previous_year()) : "",
        s.has_third_party() ? Points(s.third_party_total()) : "",
        s.has_third_party() ? Points(s.difference_from_third_party()) : ""};
    std::vector<std::string> items(kItemCount, "");
    for (const v1::ItemScore& item : s.items()) {
      if (item.item() < 1 || item.item() > kItemCount) continue;
      std::string& cell = items[item.item() - 1];
      switch (item.status()) {
        case v1::SCORED:
          cell = Points(item.points());
          break;
        case v1::EVIDENCE_UNAVAILABLE:
          cell = "unavailable";
          break;
        case v1::AWAITING_INSPECTOR:
          cell = "awaiting";
          break;
        default:
          break;
      }
    }
    fields.insert(fields.end(), items.begin(), items.end());
    absl::StrAppend(&csv, absl::StrJoin(fields, ","), "\r\n");
  }
  return csv;
}

}  // namespace gongkai::assessment
