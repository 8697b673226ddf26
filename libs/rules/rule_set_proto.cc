#include "libs/rules/rule_set_proto.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/protoconv/protoconv.h"

namespace gongkai::rules {
namespace {

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

common::v1::RuleValue ValueToProto(const Rule& rule, const RuleSpec* spec) {
  common::v1::RuleValue out;
  switch (TypeOf(rule.value)) {
    case RuleType::kInteger:
      out.set_integer(std::get<int64_t>(rule.value));
      break;
    case RuleType::kDecimal:
      out.set_decimal(std::get<double>(rule.value));
      break;
    case RuleType::kDuration:
      *out.mutable_duration() = ToProtoDuration(std::get<absl::Duration>(rule.value));
      break;
    case RuleType::kTiers:
      for (const Tier& t : std::get<std::vector<Tier>>(rule.value)) {
        common::v1::Tier* tier = out.mutable_tiers()->add_tiers();
        tier->set_from(t.from);
        tier->set_value(t.value);
      }
      break;
    case RuleType::kText:
      out.set_text(std::get<std::string>(rule.value));
      break;
    case RuleType::kMonthDay: {
      const MonthDay& md = std::get<MonthDay>(rule.value);
      out.mutable_month_day()->set_month(md.month);
      out.mutable_month_day()->set_day(md.day);
      break;
    }
  }
  out.set_note(rule.note);
  if (spec != nullptr) {
    if (spec->unit != Unit::kNone) out.set_unit(std::string(UnitName(spec->unit)));
    out.set_requirement(spec->requirement);
    out.set_description(spec->description);
  }
  return out;
}

}  // namespace

common::v1::RuleSet ToProto(const RuleSet& set, const ToProtoOptions& options) {
  common::v1::RuleSet out;
  out.set_name(set.name);
  out.set_version(set.version);
  *out.mutable_effective_from() = ToProtoDate(set.effective_from);
  out.set_basis(set.basis);
  out.set_in_effect(options.in_effect);
  if (options.with_rules) {
    for (const auto& [key, rule] : set.rules) {
      (*out.mutable_rules())[key] =
          ValueToProto(rule, set.schema == nullptr ? nullptr : set.schema->Find(key));
    }
  }
  return out;
}

RuleSet FromProto(const common::v1::RuleSet& proto, FieldViolations& v, absl::string_view prefix) {
  RuleSet set;
  set.name = proto.name();
  set.version = proto.version();
  set.basis = proto.basis();
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(proto.effective_from());
  if (day.ok()) {
    set.effective_from = *day;
  } else {
    v.Add(absl::StrCat(prefix, "effective_from"), "must be a real date");
  }
  for (const auto& [key, value] : proto.rules()) {
    const std::string field = absl::StrCat(prefix, "rules.", key);
    Rule rule;
    rule.note = value.note();
    switch (value.value_case()) {
      case common::v1::RuleValue::kInteger:
        rule.value = value.integer();
        break;
      case common::v1::RuleValue::kDecimal:
        rule.value = value.decimal();
        break;
      case common::v1::RuleValue::kDuration: {
        const auto& d = value.duration();
        if (d.nanos() <= -1'000'000'000 || d.nanos() >= 1'000'000'000 ||
            (d.seconds() > 0 && d.nanos() < 0) || (d.seconds() < 0 && d.nanos() > 0)) {
          v.Add(field, "is not a valid duration");
          continue;
        }
        rule.value = absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
        break;
      }
      case common::v1::RuleValue::kTiers: {
        std::vector<Tier> tiers;
        for (const auto& t : value.tiers().tiers()) tiers.push_back({t.from(), t.value()});
        rule.value = std::move(tiers);
        break;
      }
      case common::v1::RuleValue::kText:
        rule.value = value.text();
        break;
      case common::v1::RuleValue::kMonthDay:
        rule.value = MonthDay{value.month_day().month(), value.month_day().day()};
        break;
      case common::v1::RuleValue::VALUE_NOT_SET:
        v.Add(field, "has no value");
        continue;
    }
    set.rules.emplace(key, std::move(rule));
  }
  return set;
}

}  // namespace gongkai::rules
