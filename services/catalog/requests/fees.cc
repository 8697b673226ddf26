#include "services/catalog/requests/fees.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace gongkai::catalog::requests {
namespace {

constexpr int64_t kFenPerYuan = 100;
constexpr int kFreeRequestsPerMonth = 10;
constexpr int kFirstPaidTierEnd = 30;      // 11th–30th: ¥100 each.
constexpr int64_t kYuanPerTierStep = 100;  // Each later block of 10 adds ¥100.
constexpr int kRequestsPerLaterTier = 10;

struct PageTier {
  int first;  // First page of the tier.
  int last;   // Last page; 0 for no upper bound.
  int64_t yuan_per_page;
};
constexpr PageTier kPageTiers[] = {{31, 100, 10}, {101, 200, 20}, {201, 0, 40}};
constexpr int kFreePages = 30;

}  // namespace

std::string FormatYuan(int64_t fen) {
  return absl::StrFormat("%d.%02d", fen / kFenPerYuan, fen % kFenPerYuan);
}

Fee FeeByCount(int ordinal, int year, int month) {
  ordinal = std::max(ordinal, 1);
  int64_t yuan = 0;
  std::string tier;
  if (ordinal <= kFreeRequestsPerMonth) {
    tier = absl::StrCat("每月前 ", kFreeRequestsPerMonth, " 件不收费");
  } else if (ordinal <= kFirstPaidTierEnd) {
    yuan = kYuanPerTierStep;
    tier = absl::StrCat("第 ", kFreeRequestsPerMonth + 1, "–", kFirstPaidTierEnd, " 件每件 ", yuan,
                        " 元");
  } else {
    const int block = (ordinal - kFirstPaidTierEnd - 1) / kRequestsPerLaterTier;  // 0 for 31–40.
    const int first = kFirstPaidTierEnd + 1 + block * kRequestsPerLaterTier;
    yuan = kYuanPerTierStep * (2 + block);
    tier = absl::StrCat("第 ", kFirstPaidTierEnd + 1, " 件起每增加 ", kRequestsPerLaterTier,
                        " 件每件加收 ", kYuanPerTierStep, " 元，第 ", first, "–",
                        first + kRequestsPerLaterTier - 1, " 件每件 ", yuan, " 元");
  }
  Fee fee;
  fee.method = catalog::v1::FEE_BY_COUNT;
  fee.fen = yuan * kFenPerYuan;
  fee.explanation = absl::StrCat("按件计收（国办函〔2020〕109号）：本件为该申请人 ", year, " 年 ",
                                 month, " 月向本机关提出的第 ", ordinal, " 件申请；", tier,
                                 "；本件收费 ", FormatYuan(fee.fen), " 元。");
  return fee;
}

Fee FeeByPages(int pages) {
  pages = std::max(pages, 0);
  Fee fee;
  fee.method = catalog::v1::FEE_BY_PAGES;
  std::vector<std::string> lines;
  for (const PageTier& tier : kPageTiers) {
    if (pages < tier.first) break;
    const int last = tier.last == 0 ? pages : std::min(pages, tier.last);
    const int count = last - tier.first + 1;
    const int64_t yuan = count * tier.yuan_per_page;
    fee.fen += yuan * kFenPerYuan;
    lines.push_back(absl::StrCat(tier.first, "–", last, " 页 ", count, " 页 × ", tier.yuan_per_page,
                                 " 元 = ", yuan, " 元"));
  }
  fee.explanation = absl::StrCat("按量计收（国办函〔2020〕109号，超额累进）：共 ", pages, " 页；",
                                 kFreePages, " 页以下（含）不收费");
  if (!lines.empty()) absl::StrAppend(&fee.explanation, "；", absl::StrJoin(lines, "；"));
  absl::StrAppend(&fee.explanation, "；合计 ", FormatYuan(fee.fen), " 元。");
  return fee;
}

}  // namespace gongkai::catalog::requests
