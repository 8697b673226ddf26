#include "services/opinion/routing/routing.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status/errors.h"
#include "libs/status/status_macros.h"
#include "services/opinion/opinion_rule_sets.h"

namespace gongkai::opinion::routing {
namespace {

// A unit with its chain of ancestors (itself first, the top last).
struct PlacedUnit {
  UnitInfo unit;
  std::vector<UnitInfo> chain;

  bool Inside(int64_t ancestor_id) const {
    return std::any_of(chain.begin(), chain.end(),
                       [&](const UnitInfo& u) { return u.id == ancestor_id; });
  }
  // City level: no district or county government above it (or it).
  bool CityLevel() const {
    return std::none_of(chain.begin(), chain.end(),
                        [](const UnitInfo& u) { return u.level == UnitLevel::kCounty; });
  }
};

// The tree is a few levels deep; a longer chain is a cycle in the directory's data.
constexpr int kMaxDepth = 16;

absl::StatusOr<PlacedUnit> Place(int64_t unit_id, const UnitLookup& units) {
  PlacedUnit placed;
  ASSIGN_OR_RETURN(placed.unit, units.Get(unit_id));
  placed.chain.push_back(placed.unit);
  while (placed.chain.back().parent_id != 0) {
    if (static_cast<int>(placed.chain.size()) >= kMaxDepth) {
      return absl::InternalError(absl::StrCat("unit ", unit_id, " has no top in the directory"));
    }
    ASSIGN_OR_RETURN(UnitInfo parent, units.Get(placed.chain.back().parent_id));
    placed.chain.push_back(std::move(parent));
  }
  return placed;
}

std::string Names(const std::vector<PlacedUnit>& units) {
  return absl::StrJoin(units, "、", [](std::string* out, const PlacedUnit& u) {
    absl::StrAppend(out, u.unit.name, " (", u.unit.id, ")");
  });
}

// The city government above `placed` (the top of its chain when none is marked CITY).
const UnitInfo& CityGovernmentOf(const PlacedUnit& placed) {
  for (const UnitInfo& u : placed.chain) {
    if (u.level == UnitLevel::kCity) return u;
  }
  return placed.chain.back();
}

struct Situation {
  std::string rule;     // "city_policy", "local_matter", "several_localities".
  std::string key;      // Its rule key.
  std::string context;  // The situation in words.
};

Situation SituationOf(const RoutingInput& input, const std::vector<PlacedUnit>& localities) {
  if (input.category == v1::CATEGORY_CITY_DECISIONS || input.territory == v1::TERRITORY_CITY) {
    return {"city_policy", "routing.city_policy",
            input.category == v1::CATEGORY_CITY_DECISIONS
                ? "the event concerns a city decision or executive meeting (a major city policy)"
                : "the event concerns the whole city"};
  }
  if (input.territory == v1::TERRITORY_ONE_LOCALITY) {
    return {"local_matter", "routing.local_matter",
            absl::StrCat("the event concerns one district or county: ", Names(localities))};
  }
  return {"several_localities", "routing.several_localities",
          absl::StrCat("the event concerns several districts or counties: ", Names(localities))};
}

}  // namespace

absl::Status CheckUnits(const RoutingInput& input, const UnitLookup& units) {
  FieldViolations violations;
  for (size_t i = 0; i < input.locality_unit_ids.size(); ++i) {
    const std::string field = absl::StrCat("locality_unit_ids[", i, "]");
    absl::StatusOr<UnitInfo> unit = units.Get(input.locality_unit_ids[i]);
    if (absl::IsNotFound(unit.status())) {
      violations.Add(field, absl::StrCat("no unit ", input.locality_unit_ids[i]));
    } else if (!unit.ok()) {
      return unit.status();
    } else if (unit->level != UnitLevel::kCounty) {
      violations.Add(field, absl::StrCat(unit->name, " is not a district or county government"));
    }
  }
  const size_t localities = input.locality_unit_ids.size();
  if (input.territory == v1::TERRITORY_CITY && localities != 0) {
    violations.Add("locality_unit_ids", "a city-wide event names no locality");
  } else if (input.territory == v1::TERRITORY_ONE_LOCALITY && localities != 1) {
    violations.Add("locality_unit_ids", "one locality: name exactly one district or county");
  } else if (input.territory == v1::TERRITORY_SEVERAL_LOCALITIES && localities < 2) {
    violations.Add("locality_unit_ids", "several localities: name two or more");
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < input.concerned_unit_ids.size(); ++i) {
    const std::string field = absl::StrCat("concerned_unit_ids[", i, "]");
    if (!seen.insert(input.concerned_unit_ids[i]).second) {
      violations.Add(field, "listed twice");
      continue;
    }
    absl::StatusOr<UnitInfo> unit = units.Get(input.concerned_unit_ids[i]);
    if (absl::IsNotFound(unit.status())) {
      violations.Add(field, absl::StrCat("no unit ", input.concerned_unit_ids[i]));
    } else if (!unit.ok()) {
      return unit.status();
    }
  }
  return violations.ToStatus();
}

absl::StatusOr<v1::Responsibility> Route(const RoutingInput& input, const rules::RuleSet& set,
                                         const UnitLookup& units) {
  std::vector<PlacedUnit> localities;
  for (int64_t id : input.locality_unit_ids) {
    ASSIGN_OR_RETURN(PlacedUnit placed, Place(id, units));
    localities.push_back(std::move(placed));
  }
  std::vector<PlacedUnit> concerned;
  for (int64_t id : input.concerned_unit_ids) {
    ASSIGN_OR_RETURN(PlacedUnit placed, Place(id, units));
    concerned.push_back(std::move(placed));
  }

  const Situation situation = SituationOf(input, localities);
  ASSIGN_OR_RETURN(rules::Cited<std::string> choice, set.Text(situation.key));

  // OPI-2: apply the rule set's choice for the situation.
  std::vector<PlacedUnit> responsible;
  std::string how;
  auto inside_localities = [&](const PlacedUnit& u) {
    if (localities.empty()) return !u.CityLevel();
    return std::any_of(localities.begin(), localities.end(),
                       [&](const PlacedUnit& l) { return u.Inside(l.unit.id); });
  };
  if (choice.value == kCityDepartment) {
    for (const PlacedUnit& u : concerned) {
      if (u.CityLevel()) responsible.push_back(u);
    }
    how = "the competent city department answers";
    if (responsible.empty()) {
      const PlacedUnit* any = !concerned.empty()    ? &concerned.front()
                              : !localities.empty() ? &localities.front()
                                                    : nullptr;
      if (any != nullptr) {
        ASSIGN_OR_RETURN(PlacedUnit city, Place(CityGovernmentOf(*any).id, units));
        responsible.push_back(std::move(city));
        how =
            "no city department is named among the units concerned, so the city government answers";
      }
    }
  } else if (choice.value == kLocalDepartment) {
    for (const PlacedUnit& u : concerned) {
      if (inside_localities(u)) responsible.push_back(u);
    }
    how = "the local department answers (属地负责)";
    if (responsible.empty() && !localities.empty()) {
      responsible = localities;
      how =
          "no local department is named among the units concerned, so the district or county "
          "government answers";
    }
  } else if (choice.value == kDepartmentOneLevelUp) {
    for (const PlacedUnit& u : concerned) {
      if (!inside_localities(u) && u.CityLevel()) responsible.push_back(u);
    }
    how = "the competent department one level up answers";
    if (responsible.empty() && !localities.empty() && localities.front().unit.parent_id != 0) {
      ASSIGN_OR_RETURN(PlacedUnit parent, Place(localities.front().unit.parent_id, units));
      responsible.push_back(std::move(parent));
      how =
          "no department one level up is named among the units concerned, so the localities' "
          "common parent answers";
    }
  } else {
    return absl::InternalError(absl::StrCat("unknown routing choice ", choice.value));
  }
  if (responsible.empty()) {
    return PreconditionFailed("NO_RESPONSIBLE_UNIT", situation.rule,
                              absl::StrCat(situation.context, "; ", choice.value,
                                           ": no such unit among the units concerned; name "
                                           "the concerned units or have the office reassign"));
  }

  v1::Responsibility result;
  result.set_rule(situation.rule);
  std::string citation = choice.rule.Explain();
  std::string reason = absl::StrCat(situation.context, "; ", how, ": ", Names(responsible));
  if (responsible.size() > 1) {
    // OPI-2: several departments answer each by its duties, one leads.
    ASSIGN_OR_RETURN(rules::Cited<std::string> lead, set.Text("routing.several_departments.lead"));
    if (lead.value == kLeadHighestLevel) {
      std::stable_sort(
          responsible.begin(), responsible.end(),
          [](const PlacedUnit& a, const PlacedUnit& b) { return a.chain.size() < b.chain.size(); });
    }
    result.set_rule("several_departments");
    absl::StrAppend(&citation, "; ", lead.rule.Explain());
    absl::StrAppend(&reason, "; several departments answer each by its duties, led by ",
                    responsible.front().unit.name,
                    lead.value == kLeadHighestLevel ? " (highest in the tree)"
                                                    : " (listed first: the main duty)");
  }
  result.set_lead_unit_id(responsible.front().unit.id);
  for (const PlacedUnit& u : responsible) result.add_unit_ids(u.unit.id);
  result.set_rule_citation(citation);
  result.set_reason(reason);
  return result;
}

}  // namespace gongkai::opinion::routing
