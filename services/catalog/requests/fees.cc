#include "services/catalog/requests/fees.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/status/status_macros.h"
#include "libs/validation/validation.h"

namespace gongkai::catalog::requests {
namespace {

constexpr int64_t kFenPerYuan = 100;
// The stored fee_explanation column holds 2000 characters (a set may have many tiers).
constexpr size_t kMaxExplanationChars = 2000;

// "依据规则：catalog.fees v1 (2008-05-01) fee.by_pages = ... (NAT-9)".
std::string Cites(const std::vector<const rules::RuleRef*>& refs) {
  return absl::StrCat("依据规则：", absl::StrJoin(refs, "；", [](std::string* out, const auto* r) {
                        absl::StrAppend(out, r->Explain());
                      }));
}

}  // namespace

std::string FormatYuan(int64_t fen) {
  return absl::StrFormat("%d.%02d", fen / kFenPerYuan, fen % kFenPerYuan);
}

absl::StatusOr<Fee> FeeByCount(const rules::RuleSet& fees, int ordinal, int year, int month) {
  ASSIGN_OR_RETURN(rules::Cited<std::vector<rules::Tier>> tiers, fees.Tiers("fee.by_count"));
  ASSIGN_OR_RETURN(rules::Cited<int64_t> step,
                   fees.Integer("fee.by_count.step_requests", rules::Unit::kCount));
  ASSIGN_OR_RETURN(rules::Cited<int64_t> step_yuan,
                   fees.Integer("fee.by_count.step_yuan", rules::Unit::kYuan));
  ordinal = std::max(ordinal, 1);
  // The tier holding `ordinal` (the first when it starts later: free below it).
  size_t i = 0;
  while (i + 1 < tiers.value.size() && tiers.value[i + 1].from <= ordinal) ++i;
  const rules::Tier& tier = tiers.value[i];
  int64_t yuan = tier.value;
  std::string text;
  if (i + 1 < tiers.value.size()) {
    const int64_t last = tiers.value[i + 1].from - 1;
    if (yuan != 0) {
      text = absl::StrCat("第 ", tier.from, "–", last, " 件每件 ", yuan, " 元");
    } else {
      text = tier.from <= 1 ? absl::StrCat("每月前 ", last, " 件不收费")
                            : absl::StrCat("第 ", tier.from, "–", last, " 件不收费");
    }
  } else {
    // Beyond the last tier: each further `step` requests cost `step_yuan` more each.
    const int64_t block = (ordinal - tier.from) / step.value;
    const int64_t first = tier.from + block * step.value;
    yuan += step_yuan.value * block;
    text =
        absl::StrCat("第 ", tier.from, " 件起每增加 ", step.value, " 件每件加收 ", step_yuan.value,
                     " 元，第 ", first, "–", first + step.value - 1, " 件每件 ", yuan, " 元");
  }
  Fee fee;
  fee.method = catalog::v1::FEE_BY_COUNT;
  fee.fen = yuan * kFenPerYuan;
  fee.explanation =
      absl::StrCat("按件计收（", fees.basis, "）：本件为该申请人 ", year, " 年 ", month,
                   " 月向本机关提出的第 ", ordinal, " 件申请；", text, "；本件收费 ",
                   FormatYuan(fee.fen), " 元。", Cites({&tiers.rule, &step.rule, &step_yuan.rule}));
  fee.explanation = validation::TruncateUtf8(fee.explanation, kMaxExplanationChars);
  return fee;
}

absl::StatusOr<Fee> FeeByPages(const rules::RuleSet& fees, int pages) {
  ASSIGN_OR_RETURN(rules::Cited<std::vector<rules::Tier>> tiers, fees.Tiers("fee.by_pages"));
  pages = std::max(pages, 0);
  Fee fee;
  fee.method = catalog::v1::FEE_BY_PAGES;
  std::vector<std::string> lines;
  std::vector<std::string> free;
  for (size_t i = 0; i < tiers.value.size(); ++i) {
    const rules::Tier& tier = tiers.value[i];
    const int64_t first = std::max<int64_t>(tier.from, 1);
    const bool open_ended = i + 1 == tiers.value.size();
    const int64_t tier_last = open_ended ? 0 : tiers.value[i + 1].from - 1;
    if (tier.value == 0) {
      if (!open_ended) free.push_back(absl::StrCat(first, "–", tier_last, " 页"));
      continue;
    }
    if (pages < first) continue;
    const int64_t last = open_ended ? pages : std::min<int64_t>(pages, tier_last);
    const int64_t count = last - first + 1;
    const int64_t yuan = count * tier.value;
    fee.fen += yuan * kFenPerYuan;
    lines.push_back(
        absl::StrCat(first, "–", last, " 页 ", count, " 页 × ", tier.value, " 元 = ", yuan, " 元"));
  }
  fee.explanation = absl::StrCat("按量计收（", fees.basis, "，超额累进）：共 ", pages, " 页");
  if (!free.empty()) absl::StrAppend(&fee.explanation, "；", absl::StrJoin(free, "、"), "不收费");
  if (!lines.empty()) absl::StrAppend(&fee.explanation, "；", absl::StrJoin(lines, "；"));
  absl::StrAppend(&fee.explanation, "；合计 ", FormatYuan(fee.fen), " 元。", Cites({&tiers.rule}));
  fee.explanation = validation::TruncateUtf8(fee.explanation, kMaxExplanationChars);
  return fee;
}

}  // namespace gongkai::catalog::requests
