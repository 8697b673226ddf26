// OPI-2 responsibility routing, as a pure rule over the unit tree: "by territory and
// level, whoever is in charge is responsible". Which unit answers in each situation is
// the rule set "opinion.routing" (opinion_rule_sets.h); this code applies the choice:
//
//   situation (first that holds)                       rule key                   national choice
//   a city decision (OPI-3 category 1) or city-wide    routing.city_policy        city_department
//   one district or county                             routing.local_matter       local_department
//   several districts or counties                      routing.several_localities
//   department_one_level_up then, when that gives several units routing.several_departments.lead
//   first_listed
//
// The choices:
//   city_department          the concerned units at city level (city departments, or the
//                            city government itself); none named: the city government.
//   local_department         the concerned units inside the locality (or localities); none
//                            named: the district or county government(s).
//   department_one_level_up  the concerned units above the localities (their common
//                            level); none named: the localities' common parent.
// Several responsible units answer each by its duties; one leads (the first listed, or
// the one highest in the tree), so that the answers are consistent.
//
// The result names the deciding rule, its citation and the reason in words (with the
// units' names). Units come from a UnitLookup (the catalog's directory, libs/directory).
//
// Thread-safety: free functions; the lookup must be thread-safe.
#ifndef GONGKAI_SERVICES_OPINION_ROUTING_ROUTING_H_
#define GONGKAI_SERVICES_OPINION_ROUTING_ROUTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/opinion/v1/opinion.pb.h"
#include "libs/rules/rule_set.h"

namespace gongkai::opinion::routing {

namespace v1 = ::gongkai::opinion::v1;

// The catalog's unit levels (gongkai.catalog.v1.UnitLevel).
enum class UnitLevel { kUnspecified = 0, kCity = 1, kCounty = 2, kDepartment = 3, kTownship = 4 };

struct UnitInfo {
  int64_t id = 0;
  std::string name;
  UnitLevel level = UnitLevel::kUnspecified;
  int64_t parent_id = 0;  // 0 at the top.
};

// Where units come from (the catalog's directory). Get: NOT_FOUND for an unknown unit;
// UNAVAILABLE when the directory cannot be read.
class UnitLookup {
 public:
  virtual ~UnitLookup() = default;
  virtual absl::StatusOr<UnitInfo> Get(int64_t unit_id) const = 0;
};

struct RoutingInput {
  v1::EventCategory category = v1::EVENT_CATEGORY_UNSPECIFIED;
  v1::TerritoryScope territory = v1::TERRITORY_SCOPE_UNSPECIFIED;
  std::vector<int64_t> locality_unit_ids;
  std::vector<int64_t> concerned_unit_ids;  // The one with the main duty first.
};

// Checks the units of `input` exist and fit the territory (localities are district or
// county governments; ONE_LOCALITY names exactly one, SEVERAL_LOCALITIES two or more,
// CITY none). INVALID_ARGUMENT with field violations ("locality_unit_ids[1]",
// "concerned_unit_ids[0]"); UNAVAILABLE when the lookup is.
absl::Status CheckUnits(const RoutingInput& input, const UnitLookup& units);

// Decides the responsible units under `set` (an "opinion.routing" version). The input
// must have passed CheckUnits. INTERNAL for a set that is not opinion.routing;
// FAILED_PRECONDITION when no unit can be found (the general office reassigns).
absl::StatusOr<v1::Responsibility> Route(const RoutingInput& input, const rules::RuleSet& set,
                                         const UnitLookup& units);

}  // namespace gongkai::opinion::routing

#endif  // GONGKAI_SERVICES_OPINION_ROUTING_ROUTING_H_
