#include "services/interpretation/interpretation_rules.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/validation/validation.h"

namespace gongkai::interpretation {
namespace {

constexpr validation::TextLimits kSectionTextLimits{.max_chars = 20000, .allow_newlines = true};
constexpr validation::TextLimits kReasonLimits{.max_chars = 2000, .allow_newlines = true};
constexpr validation::TextLimits kTimingLimits{.max_chars = 500};
constexpr validation::TextLimits kSpokespersonLimits{.max_chars = 200};
constexpr validation::TextLimits kMaterialTitleLimits{.min_chars = 1, .max_chars = 200};
constexpr validation::TextLimits kMaterialContentLimits{
    .min_chars = 1, .max_chars = 100000, .allow_newlines = true};
constexpr validation::TextLimits kReferenceLimits{.min_chars = 1, .max_chars = 2000};
constexpr int kMaxMaterials = 50;
constexpr int kMaxPlanEntries = 20;

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

}  // namespace

absl::Status Allow(const auth::Principal& caller, const auth::Rule& rule,
                   std::optional<int64_t> unit_id) {
  if (rule.roles.Contains(auth::Role::kService) && caller.roles.Contains(auth::Role::kService)) {
    return absl::OkStatus();
  }
  return auth::Require(caller, rule, unit_id);
}

absl::Status MayApprove(const auth::Principal& caller, int64_t unit_id) {
  if (caller.anonymous()) return absl::UnauthenticatedError("a token is required");
  if (caller.roles.Contains(auth::Role::kHead) && caller.unit_id == unit_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("only the principal head (HEAD) of unit ", unit_id,
                   " approves its interpretation plan and materials (INT-3); the caller is ",
                   caller.DebugString()));
}

const std::vector<SectionName>& SectionNames() {
  static const auto* const names = new std::vector<SectionName>{
      {"background_and_basis", "背景依据"},
      {"objectives_and_tasks", "目标任务"},
      {"main_content", "主要内容"},
      {"scope", "适用范围"},
      {"standards_of_execution", "执行标准"},
      {"points_of_attention", "注意事项"},
      {"key_terms", "关键词诠释"},
      {"public_benefit_measures", "惠民利民举措"},
      {"new_versus_old", "新旧政策差异"},
  };
  return *names;
}

const v1::Section& SectionOf(const v1::Sections& s, absl::string_view field) {
  if (field == "background_and_basis") return s.background_and_basis();
  if (field == "objectives_and_tasks") return s.objectives_and_tasks();
  if (field == "main_content") return s.main_content();
  if (field == "scope") return s.scope();
  if (field == "standards_of_execution") return s.standards_of_execution();
  if (field == "points_of_attention") return s.points_of_attention();
  if (field == "key_terms") return s.key_terms();
  if (field == "public_benefit_measures") return s.public_benefit_measures();
  if (field != "new_versus_old") std::abort();  // A defect: only SectionNames() are asked.
  return s.new_versus_old();
}

// INT-2: written, or explicitly not applicable with a reason.
bool SectionIsComplete(const v1::Section& section) {
  if (section.not_applicable()) return !Blank(section.not_applicable_reason());
  return !Blank(section.text());
}

std::vector<std::string> MissingSections(const v1::Sections& sections) {
  std::vector<std::string> missing;
  for (const SectionName& name : SectionNames()) {
    if (!SectionIsComplete(SectionOf(sections, name.field))) {
      missing.push_back(absl::StrCat(name.chinese, " (", name.field, ")"));
    }
  }
  return missing;
}

// INT-3: forms, channels, timing and spokesperson, and at least one material.
std::vector<std::string> MissingPlanAndMaterials(const v1::Interpretation& interpretation) {
  std::vector<std::string> missing;
  const v1::InterpretationPlan& plan = interpretation.plan();
  if (plan.forms().empty()) missing.push_back("plan.forms");
  if (plan.channels().empty()) missing.push_back("plan.channels");
  if (Blank(plan.timing())) missing.push_back("plan.timing");
  if (Blank(plan.spokesperson())) missing.push_back("plan.spokesperson");
  if (interpretation.materials().empty()) missing.push_back("materials");
  return missing;
}

absl::Status CheckApprovable(const v1::Interpretation& interpretation) {
  const std::vector<std::string> sections = MissingSections(interpretation.sections());
  const std::vector<std::string> plan = MissingPlanAndMaterials(interpretation);
  if (sections.empty() && plan.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  if (!sections.empty()) {
    parts.push_back(
        absl::StrCat("sections neither written nor marked not applicable with a "
                     "reason (INT-2): ",
                     absl::StrJoin(sections, ", ")));
  }
  if (!plan.empty()) {
    parts.push_back(absl::StrCat("interpretation plan and materials missing (INT-3): ",
                                 absl::StrJoin(plan, ", ")));
  }
  return PreconditionFailed("CONTENT", absl::StrCat("interpretations/", interpretation.id()),
                            absl::StrCat("interpretation ", interpretation.id(),
                                         " cannot be approved: ", absl::StrJoin(parts, "; ")));
}

void ValidateContent(FieldViolations& v, const v1::Interpretation& interpretation,
                     absl::string_view prefix) {
  for (const SectionName& name : SectionNames()) {
    const v1::Section& section = SectionOf(interpretation.sections(), name.field);
    const std::string field = absl::StrCat(prefix, "sections.", name.field);
    validation::CheckText(v, absl::StrCat(field, ".text"), section.text(), kSectionTextLimits);
    validation::CheckText(v, absl::StrCat(field, ".not_applicable_reason"),
                          section.not_applicable_reason(), kReasonLimits);
    if (section.not_applicable() && !Blank(section.text())) {
      v.Add(absl::StrCat(field, ".text"),
            "must be empty when the section is marked not applicable (INT-2)");
    }
    if (section.not_applicable() && Blank(section.not_applicable_reason())) {
      v.Add(absl::StrCat(field, ".not_applicable_reason"),
            "is required when the section is marked not applicable (INT-2)");
    }
    if (!section.not_applicable() && !section.not_applicable_reason().empty()) {
      v.Add(absl::StrCat(field, ".not_applicable_reason"),
            "is only given for a section marked not applicable");
    }
  }
  const v1::InterpretationPlan& plan = interpretation.plan();
  if (plan.forms_size() > kMaxPlanEntries) {
    v.Add(absl::StrCat(prefix, "plan.forms"), absl::StrCat("at most ", kMaxPlanEntries));
  }
  for (int i = 0; i < plan.forms_size(); ++i) {
    validation::CheckEnum(v, absl::StrCat(prefix, "plan.forms[", i, "]"), plan.forms(i),
                          v1::InterpretationForm_IsValid, /*required=*/true);
  }
  if (plan.channels_size() > kMaxPlanEntries) {
    v.Add(absl::StrCat(prefix, "plan.channels"), absl::StrCat("at most ", kMaxPlanEntries));
  }
  for (int i = 0; i < plan.channels_size(); ++i) {
    validation::CheckEnum(v, absl::StrCat(prefix, "plan.channels[", i, "]"), plan.channels(i),
                          v1::ReleaseChannel_IsValid, /*required=*/true);
  }
  validation::CheckText(v, absl::StrCat(prefix, "plan.timing"), plan.timing(), kTimingLimits);
  validation::CheckText(v, absl::StrCat(prefix, "plan.spokesperson"), plan.spokesperson(),
                        kSpokespersonLimits);
  if (interpretation.materials_size() > kMaxMaterials) {
    v.Add(absl::StrCat(prefix, "materials"), absl::StrCat("at most ", kMaxMaterials));
  }
  for (int i = 0; i < interpretation.materials_size(); ++i) {
    const v1::Material& material = interpretation.materials(i);
    const std::string field = absl::StrCat(prefix, "materials[", i, "]");
    validation::CheckText(v, absl::StrCat(field, ".title"), material.title(), kMaterialTitleLimits);
    validation::CheckEnum(v, absl::StrCat(field, ".form"), material.form(),
                          v1::InterpretationForm_IsValid, /*required=*/true);
    validation::CheckText(v, absl::StrCat(field, ".content"), material.content(),
                          kMaterialContentLimits);
  }
}

void ValidateRelease(FieldViolations& v, const v1::ReleaseRecord& release,
                     absl::string_view prefix) {
  validation::CheckEnum(v, absl::StrCat(prefix, "form"), release.form(),
                        v1::InterpretationForm_IsValid, /*required=*/true);
  validation::CheckEnum(v, absl::StrCat(prefix, "channel"), release.channel(),
                        v1::ReleaseChannel_IsValid, /*required=*/true);
  validation::CheckText(v, absl::StrCat(prefix, "reference"), release.reference(),
                        kReferenceLimits);
  if (!release.has_released_on()) {
    v.Add(absl::StrCat(prefix, "released_on"), "is required: the day of the release");
  }
}

bool IsGovernmentLevel(catalog::v1::IssuingAuthority authority) {
  return authority == catalog::v1::CITY_GOVERNMENT ||
         authority == catalog::v1::CITY_GOVERNMENT_OFFICE;
}

std::shared_ptr<const rules::RuleSchema> ReleaseRuleSchema() {
  static const auto* const schema =
      new std::shared_ptr<const rules::RuleSchema>(std::make_shared<const rules::RuleSchema>(
          kReleaseRuleSet,
          std::vector<rules::RuleSpec>{rules::RuleSpec::Integer(
              kAllowedLagRule, rules::Unit::kWorkingDays, {0, 30}, "INT-3",
              "an interpretation may be released after its policy document by at most")}));
  return *schema;
}

}  // namespace gongkai::interpretation
