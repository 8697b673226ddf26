// gongkai-bench-datagen: writes a large, realistic-looking catalog data set as
// tab-separated files for `LOAD DATA` straight into the catalog's schema
// (services/catalog/migrations), for the 1,000,000-document benchmark.
//
//   gongkai-bench-datagen --docs=1000000 --out=DIR [--units=40] [--seed=1]
//                         [--report_queries=通知,环境保护]
//
// Writes DIR/units.tsv, DIR/documents.tsv (id order) and DIR/document_terms.tsv
// (primary-key order: term bytes, then document id, so InnoDB appends). Every
// published document gets exactly the terms the service itself would index when
// publishing it (catalog::documents::DocumentTerms, the same library target), so searches see
// the index the service would have built.
//
// The data: Chinese titles and 80–150-character bodies assembled from word lists per
// key area, with place names that make some terms rare; documents spread over the
// units, the 26 key areas (and none) and the life-cycle states, 85% PUBLISHED
// (PROACTIVE). Unpublished ones are ON_REQUEST or NOT_DISCLOSED (with reason and legal
// basis), so the service's start-up deadline recomputation (CAT-3) has nothing to
// rewrite; published ones carry no publication clock. Deterministic for a given seed.
//
// `--report_queries` prints, per query, how many published documents contain all its
// terms (the result size a search has to page through).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/catalog/documents/search_terms.h"

ABSL_FLAG(int64_t, docs, 1000000, "documents to generate");
ABSL_FLAG(int, units, 40, "units (drafting bodies) to generate");
ABSL_FLAG(uint64_t, seed, 1, "random seed");
ABSL_FLAG(std::string, out, "", "output directory (must exist)");
ABSL_FLAG(std::string, report_queries, "", "comma-separated queries to report result sizes for");

namespace gongkai::bench {
namespace {

// Proto enum numbers (gongkai.catalog.v1), as the schema stores them.
constexpr int kDraft = 1, kReturned = 2, kPendingReview = 3, kApproved = 4, kPublished = 5;
constexpr int kProactive = 1, kOnRequest = 2, kNotDisclosed = 3;
constexpr int kKeyAreas = 26;

const std::vector<std::string> kUnitNames = {"市人民政府办公室",
                                             "市发展和改革委员会",
                                             "市教育局",
                                             "市科学技术局",
                                             "市工业和信息化局",
                                             "市公安局",
                                             "市民政局",
                                             "市司法局",
                                             "市财政局",
                                             "市人力资源和社会保障局",
                                             "市自然资源局",
                                             "市生态环境局",
                                             "市住房和城乡建设局",
                                             "市交通运输局",
                                             "市水利局",
                                             "市农业农村局",
                                             "市商务局",
                                             "市文化广电和旅游局",
                                             "市卫生健康委员会",
                                             "市退役军人事务局",
                                             "市应急管理局",
                                             "市审计局",
                                             "市国有资产监督管理委员会",
                                             "市市场监督管理局",
                                             "市统计局",
                                             "市医疗保障局",
                                             "市乡村振兴局",
                                             "市城市管理局",
                                             "市林业局",
                                             "市税务局"};

// Topic phrases per key area (index = KeyArea number; 0 = general business).
const std::vector<std::vector<std::string>> kTopics = {
    {"政务公开工作要点", "优化营商环境", "数字政府建设", "行政许可事项清单", "政务服务标准化"},
    {"产品质量监督抽查", "工业产品生产许可", "质量提升行动", "缺陷产品召回"},
    {"重大建设项目批准", "重点项目建设计划", "项目招标投标", "征收土地公告"},
    {"国有企业改革", "国有资本经营预算", "国企负责人薪酬", "混合所有制改革"},
    {"审计工作报告", "预算执行审计", "审计整改情况", "经济责任审计"},
    {"扶贫项目资金", "脱贫攻坚成果巩固", "产业扶贫", "防止返贫监测"},
    {"最低生活保障", "特困人员救助供养", "临时救助", "社会救助资金"},
    {"商品房预售许可", "房地产开发企业资质", "住房保障", "棚户区改造"},
    {"环境保护督察整改", "重点排污单位", "环境影响评价", "大气污染防治"},
    {"义务教育招生入学", "学校收费标准", "教育经费", "学前教育普惠"},
    {"医疗机构执业登记", "传染病防控", "卫生监督执法", "健康促进行动"},
    {"政府和社会资本合作项目", "特许经营", "PPP项目入库", "合作项目绩效评价"},
    {"土地利用总体规划", "国土空间规划", "建设用地审批", "耕地保护"},
    {"行政事业性收费", "涉企收费清单", "税费减免政策", "政府性基金"},
    {"征地补偿安置", "征地区片综合地价", "被征地农民社会保障", "土地征收成片开发"},
    {"国有土地上房屋征收", "拆迁安置补偿", "安置房分配", "征收补偿方案"},
    {"农村人居环境整治", "黑臭水体治理", "垃圾分类", "河长制工作"},
    {"公共服务支出", "民生实事项目", "财政资金使用", "基本公共服务标准"},
    {"公共文化服务", "文化惠民活动", "非物质文化遗产保护", "公共图书馆建设"},
    {"自然灾害救助", "防汛抗旱", "救灾物资发放", "灾后恢复重建"},
    {"就业创业补贴", "职业技能培训", "高校毕业生就业", "稳岗返还"},
    {"养老保险待遇调整", "失业保险", "工伤保险", "社会保险费征缴"},
    {"高龄津贴发放", "残疾人两项补贴", "儿童福利", "养老服务补贴"},
    {"户籍迁移登记", "居住证办理", "户口登记管理", "人口信息采集"},
    {"农村宅基地审批", "宅基地使用权确权", "农村建房管理", "闲置宅基地盘活"},
    {"耕地地力保护补贴", "农机购置补贴", "种粮农民补贴", "农业保险保费补贴"},
    {"基层医疗卫生服务", "家庭医生签约", "基本药物制度", "医疗救助"},
};

const std::vector<std::string> kActions = {"做好", "加强", "进一步规范", "开展", "推进",
                                           "印发", "实施", "落实",       "调整", "公布"};
const std::vector<std::string> kKinds = {"通知",     "意见", "办法", "公告", "通告",
                                         "实施方案", "批复", "报告", "决定", "规定"};
const std::vector<std::string> kOpenings = {"为深入贯彻落实党中央国务院决策部署，",
                                            "根据《中华人民共和国政府信息公开条例》，",
                                            "为进一步提升政务服务水平，",
                                            "经市人民政府同意，",
                                            "按照上级有关文件要求，",
                                            "为切实保障人民群众合法权益，"};
const std::vector<std::string> kMiddles = {"现将有关事项通知如下：",
                                           "各单位要提高思想认识，加强组织领导，明确责任分工。",
                                           "严格按照规定的时限和程序办理，确保各项工作落到实处。",
                                           "相关信息将通过政府网站和政务新媒体及时向社会公开。",
                                           "对工作中发现的问题要及时整改，并将整改情况按时报送。",
                                           "资金使用情况接受审计监督和社会监督。",
                                           "请各县区人民政府结合实际认真贯彻执行。",
                                           "办理结果将在规定时限内予以公示，公示期为十个工作日。",
                                           "群众可通过政务服务热线反映意见和建议。",
                                           "本办法自发布之日起施行，有效期五年。"};
const std::vector<std::string> kPlaceSyllables = {
    "青", "石", "东", "西", "南", "北", "金", "银", "龙", "凤", "桃", "李", "梅", "兰",
    "竹", "松", "柏", "清", "河", "湖", "山", "岭", "川", "田", "溪", "泉", "安", "平",
    "宁", "和", "福", "兴", "华", "昌", "盛", "隆", "新", "阳", "明", "光"};
const std::vector<std::string> kPlaceSuffixes = {"镇", "乡", "街道", "村", "社区"};

std::string Pick(std::mt19937_64& rng, const std::vector<std::string>& list) {
  return list[rng() % list.size()];
}

// UTF-8 characters in `s` (count of non-continuation bytes).
size_t CharCount(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// The first `chars` characters of `s`.
std::string FirstChars(const std::string& s, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && seen++ == chars) return s.substr(0, i);
  }
  return s;
}

std::string Place(std::mt19937_64& rng) {
  return absl::StrCat(Pick(rng, kPlaceSyllables), Pick(rng, kPlaceSyllables),
                      Pick(rng, kPlaceSuffixes));
}

std::string Body(std::mt19937_64& rng, const std::string& topic, const std::string& unit) {
  const size_t target = 80 + rng() % 71;  // 80–150 characters.
  std::string body =
      absl::StrCat(Pick(rng, kOpenings), unit, "就", Place(rng), topic, "有关工作作出安排。");
  while (CharCount(body) < target) {
    absl::StrAppend(&body, rng() % 4 == 0 ? absl::StrCat(Place(rng), "要") : "",
                    Pick(rng, kMiddles));
  }
  body = FirstChars(body, target - 1);
  absl::StrAppend(&body, "。");
  return body;
}

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

class TsvWriter {
 public:
  explicit TsvWriter(const std::string& path) : file_(std::fopen(path.c_str(), "w")) {
    if (file_ != nullptr) std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~TsvWriter() { Close(); }
  bool ok() const { return file_ != nullptr; }
  // The generated text holds no tab, newline or backslash, so no escaping is needed.
  void Row(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) std::fputc('\t', file_);
      std::fwrite(fields[i].data(), 1, fields[i].size(), file_);
    }
    std::fputc('\n', file_);
  }
  bool Close() {
    if (file_ == nullptr) return true;
    const bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    return ok;
  }

 private:
  std::FILE* file_;
};

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage("gongkai-bench-datagen --docs=N --out=DIR");
  absl::ParseCommandLine(argc, argv);
  const int64_t docs = absl::GetFlag(FLAGS_docs);
  const int units = std::clamp(absl::GetFlag(FLAGS_units), 1, 1000);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (docs < 1 || docs > 100000000 || out.empty()) {
    std::fprintf(stderr, "gongkai-bench-datagen: need --docs=1..100000000 and --out=DIR\n");
    return 1;
  }
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  const absl::Time first =
      absl::FromCivil(absl::CivilSecond(2022, 1, 1, 1, 0, 0), absl::UTCTimeZone());
  const absl::Duration span = absl::Hours(24 * 365 * 3 + 24 * 180);

  TsvWriter unit_file(absl::StrCat(out, "/units.tsv"));
  if (!unit_file.ok()) {
    std::fprintf(stderr, "gongkai-bench-datagen: cannot write to %s\n", out.c_str());
    return 1;
  }
  for (int u = 1; u <= units; ++u) {
    const std::string& name = kUnitNames[(u - 1) % kUnitNames.size()];
    unit_file.Row({absl::StrCat(u), absl::StrCat("BENCH-U", u),
                   u <= static_cast<int>(kUnitNames.size()) ? name : absl::StrCat(name, u), "3",
                   "0", Timestamp(first)});
  }

  // Postings: term → ascending document ids (documents are generated in id order).
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<std::string> terms;
  std::vector<std::vector<uint32_t>> postings;
  int64_t term_rows = 0;

  TsvWriter doc_file(absl::StrCat(out, "/documents.tsv"));
  for (int64_t id = 1; id <= docs; ++id) {
    const int unit = 1 + static_cast<int>(rng() % units);
    const std::string& unit_name = kUnitNames[(unit - 1) % kUnitNames.size()];
    const int key_area = rng() % 5 == 0 ? 0 : 1 + static_cast<int>(rng() % kKeyAreas);
    const std::string topic = Pick(rng, kTopics[key_area]);
    const std::string title =
        absl::StrCat(unit_name, "关于", Pick(rng, kActions), topic, "工作的", Pick(rng, kKinds));
    const std::string body = Body(rng, topic, unit_name);
    const absl::Time created = first + span * (static_cast<double>(id) / docs);
    const int roll = static_cast<int>(rng() % 100);
    int state = kPublished;
    if (roll >= 85)
      state = roll < 90 ? kDraft : roll < 93 ? kReturned : roll < 96 ? kPendingReview : kApproved;
    const bool published = state == kPublished;
    const int attribute = published ? kProactive : (roll % 2 == 0 ? kOnRequest : kNotDisclosed);
    const std::string reason = published                 ? ""
                               : attribute == kOnRequest ? "涉及特定群体，依申请公开"
                                                         : "涉及国家秘密";
    const std::string basis = published ? "" : "《中华人民共和国政府信息公开条例》第十四条";
    const bool reviewed = state == kApproved || published;
    const absl::Time updated = created + absl::Hours(24 * (1 + rng() % 10));
    doc_file.Row({absl::StrCat(id),
                  title,
                  body,
                  absl::StrCat("南府发〔", absl::FormatTime("%Y", created, absl::UTCTimeZone()),
                               "〕", id % 1000 + 1, "号"),
                  absl::StrCat(unit),
                  absl::StrCat(1 + rng() % 3),
                  rng() % 3 == 0 ? "1" : "0",
                  absl::StrCat(key_area),
                  absl::StrCat(key_area == 0 ? 1 : 100 + key_area),
                  absl::StrCat(attribute),
                  reason,
                  basis,
                  "0",
                  absl::StrCat(state),
                  state == kReturned ? "缺少不予公开的法律依据" : "",
                  reviewed ? "1" : "0",
                  "",
                  reviewed ? "bench-reviewer" : "",
                  "\\N",
                  "\\N",
                  "",
                  Timestamp(created),
                  Timestamp(updated),
                  published ? Timestamp(updated) : "\\N",
                  "bench-loader",
                  published ? "4" : "1"});
    if (!published) continue;
    for (std::string& term : catalog::documents::DocumentTerms(title, body)) {
      auto [it, inserted] = term_ids.try_emplace(std::move(term), terms.size());
      if (inserted) {
        terms.push_back(it->first);
        postings.emplace_back();
      }
      postings[it->second].push_back(static_cast<uint32_t>(id));
      ++term_rows;
    }
  }
  if (!doc_file.Close() || !unit_file.Close()) {
    std::fprintf(stderr, "gongkai-bench-datagen: writing %s failed\n", out.c_str());
    return 1;
  }

  // utf8mb4_bin orders by code point, which is UTF-8 byte order.
  std::vector<uint32_t> order(terms.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return terms[a] < terms[b]; });
  TsvWriter term_file(absl::StrCat(out, "/document_terms.tsv"));
  for (uint32_t t : order) {
    for (uint32_t id : postings[t]) term_file.Row({terms[t], absl::StrCat(id)});
  }
  if (!term_file.Close()) {
    std::fprintf(stderr, "gongkai-bench-datagen: writing document_terms.tsv failed\n");
    return 1;
  }
  std::printf("DATASET documents=%lld units=%d distinct_terms=%zu term_rows=%lld\n",
              static_cast<long long>(docs), units, terms.size(), static_cast<long long>(term_rows));

  for (absl::string_view query :
       absl::StrSplit(absl::GetFlag(FLAGS_report_queries), ',', absl::SkipEmpty())) {
    std::vector<uint32_t> matches;
    bool first_term = true;
    for (const std::string& term : catalog::documents::ExtractTerms(query)) {
      auto it = term_ids.find(term);
      const std::vector<uint32_t> none;
      const std::vector<uint32_t>& list = it == term_ids.end() ? none : postings[it->second];
      if (first_term) {
        matches = list;
        first_term = false;
        continue;
      }
      std::vector<uint32_t> both;
      std::set_intersection(matches.begin(), matches.end(), list.begin(), list.end(),
                            std::back_inserter(both));
      matches.swap(both);
    }
    std::printf("QUERY \"%s\" matches=%zu\n", std::string(query).c_str(), matches.size());
  }
  return 0;
}

}  // namespace
}  // namespace gongkai::bench

int main(int argc, char** argv) { return gongkai::bench::Main(argc, argv); }
