// CAT-7 with CAT-8: the "most requested" information of a unit's year, grouped from the
// disclosure requests by what they asked for. Pure C++: the repository reads the
// requests' descriptions (RequestRepository::ListRequestDescriptions), these functions
// group them, the threshold comes from the catalog.self_review rule set
// (catalog_rule_sets.h), never a constant.
//
// What a request asks for is described by its subject (the applicant's short title),
// and, once answered "already public" (NAT-8), by the published document or outside
// publication the answer named. Two requests ask for the same information when
//   - their subjects are equal once normalised (NormalizeSubject: full-width forms
//     folded, ASCII case, spaces and punctuation ignored, the wrappers "关于",
//     "申请公开", "的信息" ... removed), or
//   - their answers named the same catalog document, or the same outside publication;
// a group is a connected set of such links (so "征地补偿标准" answered with document 7
// and "关于公开征地补偿标准的信息" still open are one group). The threshold counts
// different applicants (Art. 44 "多个申请人"): one applicant asking again adds a request,
// not an applicant. Requests answered "not held by this body", "does not exist" or
// "a petition, not a request" (CountsAsMostRequested) are left out: the unit has nothing
// to disclose for them.
//
// Thread-safety: MostRequestedGrouper is not thread-safe; the functions are pure.
#ifndef GONGKAI_SERVICES_CATALOG_REQUESTS_MOST_REQUESTED_H_
#define GONGKAI_SERVICES_CATALOG_REQUESTS_MOST_REQUESTED_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gongkai/catalog/v1/disclosure_requests.pb.h"
#include "libs/rules/rule_book.h"
#include "libs/rules/rule_set.h"
#include "services/catalog/requests/request_repository.h"

namespace gongkai::catalog::requests {

namespace v1 = ::gongkai::catalog::v1;

// The subject compared: full-width ASCII and the ideographic space folded, ASCII
// lower-cased, whitespace and punctuation (ASCII, CJK and general) dropped, then the
// request wrappers stripped ("关于", "申请公开", "请求公开", "要求公开", "公开" in front;
// "的相关信息", "的有关信息", "相关信息", "的信息", "信息" ... behind) while something
// remains. Invalid UTF-8 bytes are kept as they are.
std::string NormalizeSubject(absl::string_view subject);
// An outside publication's reference compared: folded and stripped of spaces and
// punctuation as a subject, without removing any wrapper.
std::string NormalizeReference(absl::string_view reference);

// False for the outcomes that say the unit has nothing to disclose (not held, does not
// exist, a petition): such requests are not counted.
bool CountsAsMostRequested(v1::RequestOutcome outcome);

class MostRequestedGrouper {
 public:
  // Requests of outcomes CountsAsMostRequested refuses are ignored.
  void Add(const RequestDescription& request);
  // The groups asked for by at least `min_applicants` different applicants: most
  // applicants first, then most requests, then by group key. item_number is left 0.
  std::vector<v1::MostRequestedInformation> Groups(int min_applicants) const;

 private:
  int NodeFor(const std::string& key);
  int Find(int node) const;
  void Union(int a, int b);

  std::map<std::string, int> nodes_;  // Normalised key -> node.
  std::vector<std::string> keys_;     // Node -> key.
  mutable std::vector<int> parent_;   // Union-find (path halving in Find).
  std::vector<RequestDescription> requests_;
  std::vector<int> request_node_;  // Request -> one of its nodes.
};

// The most-requested list of unit `unit_id`'s requests received in `year`, with the
// threshold and the rule that gave it.
struct YearMostRequested {
  std::vector<v1::MostRequestedInformation> items;
  rules::Cited<int64_t> min_applicants;
};
// Reads the year's requests in keyset batches and groups them, with the threshold of the
// catalog.self_review version in effect on the year's last day (on `today` while the
// year is not over). FAILED_PRECONDITION when no version is in effect then.
absl::StatusOr<YearMostRequested> MostRequestedOfYear(RequestRepository& repository,
                                                      const rules::RuleBook& rules, int64_t unit_id,
                                                      int year, absl::CivilDay today);

}  // namespace gongkai::catalog::requests

#endif  // GONGKAI_SERVICES_CATALOG_REQUESTS_MOST_REQUESTED_H_
