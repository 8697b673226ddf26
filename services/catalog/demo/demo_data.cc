#include "services/catalog/demo/demo_data.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

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
using v1::KeyArea;

constexpr auto kCity = v1::UNIT_LEVEL_CITY;
constexpr auto kCounty = v1::UNIT_LEVEL_COUNTY;
constexpr auto kTownship = v1::UNIT_LEVEL_TOWNSHIP;

constexpr auto kCityGovernment = v1::CITY_GOVERNMENT;
constexpr auto kCityOffice = v1::CITY_GOVERNMENT_OFFICE;
constexpr auto kOwnName = v1::DEPARTMENT;

// Everything of data/*.json but the disclosure requests (request_demo_data.cc).
struct CatalogDemoData {
  std::vector<UnitSpec> units;
  std::vector<AreaSpec> areas;
  AreaSpec basic_area;
  std::vector<DocumentSpec> documents;
  CatalogItemRevisionSpec item_revision;
  SelfReviewSpec self_review;
};

Target TargetFromName(const std::string& name) {
  static const std::pair<const char*, Target> kTargets[] = {
      {"DRAFT", Target::kDraft},
      {"RETURNED_AT_SUBMISSION", Target::kReturnedAtSubmission},
      {"RETURNED_BY_REVIEW", Target::kReturnedByReview},
      {"RETURNED_BY_OFFICE", Target::kReturnedByOffice},
      {"PENDING_REVIEW", Target::kPendingReview},
      {"APPROVED", Target::kApproved},
      {"PUBLISHED", Target::kPublished},
  };
  for (const auto& [text, target] : kTargets) {
    if (name == text) return target;
  }
  throw DataError(absl::StrCat("target: unknown value \"", name, "\""));
}

template <size_t N>
std::array<std::string, N> Texts(const json& object, const char* key) {
  const json& list = object.at(key);
  if (!list.is_array() || list.size() != N) {
    throw DataError(absl::StrCat(key, ": expected ", N, " texts"));
  }
  std::array<std::string, N> texts;
  for (size_t i = 0; i < N; ++i) texts[i] = list[i].get<std::string>();
  return texts;
}

AreaSpec ReadArea(const json& area) {
  CheckFields(area,
              {"area", "lead_unit", "grassroots_unit", "purpose", "basis", "measures", "items"});
  AreaSpec spec{EnumField(area, "area", &v1::KeyArea_Parse),
                TextField(area, "lead_unit"),
                TextField(area, "grassroots_unit"),
                TextField(area, "purpose"),
                TextField(area, "basis"),
                Texts<3>(area, "measures"),
                {}};
  if (area.contains("items")) spec.items = Texts<2>(area, "items");
  return spec;
}

absl::StatusOr<CatalogDemoData> ReadCatalogDemoData() {
  CatalogDemoData data;
  const auto& files = EmbeddedDataFiles();
  absl::StatusOr<std::vector<UnitSpec>> units =
      ReadDataFile<std::vector<UnitSpec>>(files, "units.json", [](const json& file) {
        std::vector<UnitSpec> units;
        for (const json& unit : file) {
          CheckFields(unit, {"code", "name", "level", "parent", "staff", "reviewer"});
          units.push_back({TextField(unit, "code"), TextField(unit, "name"),
                           EnumField(unit, "level", &v1::UnitLevel_Parse),
                           TextField(unit, "parent"), TextField(unit, "staff"),
                           TextField(unit, "reviewer")});
        }
        return units;
      });
  if (!units.ok()) return units.status();
  data.units = *std::move(units);

  absl::StatusOr<std::pair<AreaSpec, std::vector<AreaSpec>>> areas =
      ReadDataFile<std::pair<AreaSpec, std::vector<AreaSpec>>>(
          files, "key_areas.json", [](const json& file) {
            CheckFields(file, {"basic_catalog", "key_areas"});
            std::vector<AreaSpec> areas;
            for (const json& area : file.at("key_areas")) areas.push_back(ReadArea(area));
            return std::make_pair(ReadArea(file.at("basic_catalog")), std::move(areas));
          });
  if (!areas.ok()) return areas.status();
  data.basic_area = std::move(areas->first);
  data.areas = std::move(areas->second);

  absl::StatusOr<std::vector<DocumentSpec>> documents =
      ReadDataFile<std::vector<DocumentSpec>>(files, "documents.json", [](const json& file) {
        std::vector<DocumentSpec> documents;
        for (const json& d : file) {
          CheckFields(d, {"unit", "area", "authority", "title", "number", "policy", "attribute",
                          "target", "reason", "legal_basis", "note", "limit_working_days"});
          documents.push_back({TextField(d, "unit"), EnumField(d, "area", &v1::KeyArea_Parse),
                               EnumField(d, "authority", &v1::IssuingAuthority_Parse),
                               TextField(d, "title"), TextField(d, "number"),
                               BoolField(d, "policy"),
                               EnumField(d, "attribute", &v1::DisclosureAttribute_Parse),
                               TargetFromName(TextField(d, "target")), TextField(d, "reason"),
                               TextField(d, "legal_basis"), TextField(d, "note"),
                               static_cast<int>(IntField(d, "limit_working_days"))});
        }
        return documents;
      });
  if (!documents.ok()) return documents.status();
  data.documents = *std::move(documents);

  absl::StatusOr<std::pair<CatalogItemRevisionSpec, SelfReviewSpec>> reviews =
      ReadDataFile<std::pair<CatalogItemRevisionSpec, SelfReviewSpec>>(
          files, "reviews.json", [](const json& file) {
            CheckFields(file, {"catalog_item_revision", "self_review"});
            const json& r = file.at("catalog_item_revision");
            CheckFields(r, {"category_id", "content", "time_limit", "method", "change_note"});
            const json& s = file.at("self_review");
            CheckFields(s, {"unit", "year", "keep_title", "keep_reason", "convert_title",
                            "convert_reason"});
            return std::make_pair(
                CatalogItemRevisionSpec{IntField(r, "category_id"), TextField(r, "content"),
                                        TextField(r, "time_limit"), TextField(r, "method"),
                                        TextField(r, "change_note")},
                SelfReviewSpec{TextField(s, "unit"), static_cast<int>(IntField(s, "year")),
                               TextField(s, "keep_title"), TextField(s, "keep_reason"),
                               TextField(s, "convert_title"), TextField(s, "convert_reason")});
          });
  if (!reviews.ok()) return reviews.status();
  data.item_revision = std::move(reviews->first);
  data.self_review = std::move(reviews->second);
  return data;
}

// The data files are part of the binary: one that does not read is a bug (the unit
// test catches it), not a condition to handle.
const CatalogDemoData& Data() {
  static const CatalogDemoData* const data = [] {
    absl::StatusOr<CatalogDemoData> read = ReadCatalogDemoData();
    if (!read.ok()) {
      std::cerr << "demo data: " << read.status().message() << "\n";
      std::abort();
    }
    return new CatalogDemoData(*std::move(read));
  }();
  return *data;
}

const UnitSpec& FindUnit(absl::string_view code) {
  for (const UnitSpec& unit : Data().units) {
    if (code == unit.code) return unit;
  }
  // The tables are fixed data; a dangling code is a bug in the files (the test catches it).
  std::cerr << "demo data: unknown unit code " << code << "\n";
  std::abort();
}

const AreaSpec* FindArea(KeyArea area) {
  for (const AreaSpec& spec : Data().areas) {
    if (spec.area == area) return &spec;
  }
  return nullptr;
}

// The parts of a title "<issuer>关于<subject>的<kind>".
struct TitleParts {
  std::string subject;
  std::string kind;
};

TitleParts SplitTitle(absl::string_view title) {
  constexpr absl::string_view kAbout = "关于";
  constexpr absl::string_view kOf = "的";
  const size_t about = title.find(kAbout);
  const size_t of = title.rfind(kOf);
  if (about == absl::string_view::npos || of == absl::string_view::npos || of < about) {
    return {std::string(title), "通知"};
  }
  const size_t start = about + kAbout.size();
  return {std::string(title.substr(start, of - start)), std::string(title.substr(of + kOf.size()))};
}

// What the addressee line of a document reads, by issuer level.
std::string Addressee(const DocumentSpec& document, const UnitSpec& drafter) {
  if (document.authority != kOwnName) {
    return "各县（市、区）人民政府，市人民政府各组成部门、各直属机构：";
  }
  switch (drafter.level) {
    case kCounty:
      return "各乡镇人民政府、街道办事处，县（市、区）直各有关单位：";
    case kTownship:
      return "各村（居）民委员会，镇直各有关单位：";
    default:
      return "各县（市、区）有关部门，市直各有关单位：";
  }
}

// The body a superior reads in reports and requests.
std::string Superior(const UnitSpec& drafter) {
  if (drafter.level == kTownship) return absl::StrCat(FindUnit(drafter.parent_code).name, "：");
  if (drafter.level == kCity) return "南宁市人民代表大会常务委员会：";
  return "南宁市人民政府：";
}

std::string Paragraph(absl::string_view text) { return absl::StrCat("　　", text, "\n"); }

std::string Date(int index) {
  const int month = 1 + (index * 7) % 10;
  const int day = 2 + (index * 13) % 26;
  return absl::StrCat("2026年", month, "月", day, "日");
}

}  // namespace

const std::vector<UnitSpec>& Units() { return Data().units; }

const std::vector<AreaSpec>& Areas() { return Data().areas; }

const AreaSpec& BasicCatalogArea() { return Data().basic_area; }

const std::vector<DocumentSpec>& Documents() { return Data().documents; }

std::vector<CatalogItemSpec> CatalogItems() {
  std::vector<CatalogItemSpec> items;
  for (const AreaSpec& area : Data().areas) {
    for (int i = 0; i < 2; ++i) {
      const std::string& unit_code =
          (i == 1 && !area.grassroots_unit.empty()) ? area.grassroots_unit : area.lead_unit;
      const UnitSpec& unit = FindUnit(unit_code);
      std::string method = kCityPortal;
      if (unit.level == kCounty) {
        method = absl::StrCat(unit.name, "门户网站、村（居）务公开栏");
      } else if (unit.level == kTownship) {
        method = absl::StrCat(unit.name, "政务公开栏、村（居）务公开栏");
      }
      items.push_back(
          {CategoryFor(area.area), unit_code, area.items[i], kDefaultTimeLimit, std::move(method)});
    }
  }
  return items;
}

const CatalogItemRevisionSpec& CatalogItemRevision() { return Data().item_revision; }

const SelfReviewSpec& SelfReview() { return Data().self_review; }

int64_t CategoryFor(KeyArea area) {
  return area == v1::KEY_AREA_UNSPECIFIED ? 1 : 100 + static_cast<int64_t>(area);
}

std::string Subject(absl::string_view local, absl::string_view unit_code) {
  return absl::StrCat(local, "@", absl::AsciiStrToLower(unit_code));
}

std::string IssuerName(const DocumentSpec& document) {
  switch (document.authority) {
    case kCityGovernment:
      return "南宁市人民政府";
    case kCityOffice:
      return "南宁市人民政府办公厅";
    default:
      return FindUnit(document.unit).name;
  }
}

std::string DocumentBody(const DocumentSpec& document, int index) {
  const AreaSpec* found = FindArea(document.area);
  const AreaSpec& area = found != nullptr ? *found : Data().basic_area;
  const UnitSpec& drafter = FindUnit(document.unit);
  const std::string issuer = IssuerName(document);
  const TitleParts parts = SplitTitle(document.title);
  const std::string& subject = parts.subject;
  // "实施细则（征求意见稿）" → "实施细则".
  const absl::string_view kind = absl::string_view(parts.kind).substr(0, parts.kind.find("（"));
  const auto& m = area.measures;

  std::string body;
  if (absl::StartsWith(subject, "印发")) {
    // 印发通知: the covering notice, then the text it issues.
    const std::string issued = subject.substr(std::string("印发").size());
    const char* approved = document.authority == kCityGovernment ? "已经市人民政府常务会议审议通过"
                                                                 : "已经市人民政府同意";
    body = absl::StrCat(
        Addressee(document, drafter), "\n",
        Paragraph(
            absl::StrCat("《", issued, "》", approved, "，现印发给你们，请结合实际认真贯彻执行。")),
        "\n", issued, "\n\n",
        Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis,
                               "等有关规定，结合我市实际，制定本方案。")),
        Paragraph("一、工作目标。到2027年底，相关制度机制更加健全，工作流程更加规范，群众获得感、"
                  "满意度进一步提升。"),
        Paragraph(
            absl::StrCat("二、主要任务。（一）", m[0], "。（二）", m[1], "。（三）", m[2], "。")),
        Paragraph("三、保障措施。各地各部门要加强组织领导，明确责任分工，强化督促检查，确保各项任务"
                  "落到实处。实施情况按规定纳入年度绩效考评。"));
  } else if (absl::StrContains(kind, "报告") || kind == "说明") {
    body = absl::StrCat(
        Superior(drafter), "\n",
        Paragraph(absl::StrCat("根据", area.basis, "和市人民政府工作部署，", issuer, "对", subject,
                               "进行了认真梳理总结。现将有关情况", kind == "说明" ? "说明" : "报告",
                               "如下。")),
        Paragraph(absl::StrCat("一、基本情况。", m[0], "，各项工作总体进展顺利。")),
        Paragraph(
            "二、存在的问题。部分地区工作推进不够平衡，基层工作力量较为薄弱，信息化支撑能力有待"
            "提升。"),
        Paragraph(absl::StrCat("三、下一步工作打算。（一）", m[1], "。（二）", m[2], "。")),
        Paragraph(kind == "说明" ? "特此说明。" : "特此报告。"));
  } else if (kind == "请示") {
    body =
        absl::StrCat(Superior(drafter), "\n",
                     Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis, "，", issuer,
                                            "研究提出了", subject, "。现将有关事项请示如下：")),
                     Paragraph(absl::StrCat("一、", m[0], "。")),
                     Paragraph(absl::StrCat("二、", m[2], "。")), Paragraph("妥否，请批示。"));
  } else if (kind == "批复") {
    body = absl::StrCat(Paragraph(absl::StrCat("你单位报来的《关于", subject,
                                               "的请示》收悉。经研究，现批复如下：")),
                        Paragraph(absl::StrCat("一、原则同意", subject, "。")),
                        Paragraph(absl::StrCat("二、请按照", area.basis, "的规定，", m[0], "。")),
                        Paragraph(absl::StrCat("三、", m[2], "。")), Paragraph("此复。"));
  } else if (absl::StrContains(kind, "公告") || kind == "公示" || kind == "通报") {
    body = absl::StrCat(
        kind == "通报" ? Addressee(document, drafter) + "\n" : "",
        Paragraph(absl::StrCat("根据", area.basis, "等有关规定，现将", subject, "有关情况", kind,
                               "如下：")),
        Paragraph(absl::StrCat("一、主要内容。", m[0], "。")),
        Paragraph(absl::StrCat("二、有关要求。", m[1], "；", m[2], "。")),
        Paragraph(kind == "公示"
                      ? absl::StrCat("公示期为5个工作日。如有异议，请在公示期内以书面形式向",
                                     issuer, "反映。")
                      : absl::StrCat("特此", kind, "。")));
  } else {
    // 通知, 意见, 细则, 处理意见: the usual three-part notice.
    const std::string verb = absl::StrContains(kind, "意见")   ? "提出如下意见"
                             : absl::StrContains(kind, "细则") ? "制定本细则"
                                                               : "有关事项通知如下";
    body = absl::StrCat(
        Addressee(document, drafter), "\n",
        Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis,
                               "等有关规定，结合我市实际，现就", subject, verb, "。")),
        Paragraph(
            "一、统一思想认识。各地各部门要充分认识做好此项工作的重要意义，把思想和行动统一"
            "到党中央、国务院和自治区党委、自治区人民政府的决策部署上来，压实工作责任，确保各项"
            "任务按时保质完成。"),
        Paragraph(absl::StrCat("二、突出工作重点。（一）", m[0], "。（二）", m[1], "。（三）", m[2],
                               "。")),
        Paragraph(
            "三、加强组织保障。各地各部门要明确责任分工，强化协同配合，按照《中华人民共和国政"
            "府信息公开条例》和全面推进政务公开工作的要求，及时准确公开相关政府信息，主动回应社"
            "会关切，自觉接受社会监督。"),
        Paragraph(absl::StrCat("本", kind, "自印发之日起施行。执行中遇到的问题，请及时向", issuer,
                               "反馈。")));
  }
  return absl::StrCat(body, "\n", issuer, "\n", Date(index), "\n");
}

}  // namespace gongkai::catalog::demo
