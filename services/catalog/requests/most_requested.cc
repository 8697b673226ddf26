#include "services/catalog/requests/most_requested.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "services/catalog/catalog_rule_sets.h"

namespace gongkai::catalog::requests {
namespace {

// Decodes one UTF-8 sequence at text[*i]; returns -1 (and consumes one byte) when it is
// not valid UTF-8.
int32_t NextCodePoint(absl::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(*i);
  int length = 0;
  int32_t cp = 0;
  if (c < 0x80) {
    ++*i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    length = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    cp = c & 0x07;
  } else {
    ++*i;
    return -1;
  }
  if (*i + length > text.size()) {
    ++*i;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  *i += length;
  return cp;
}

void AppendUtf8(int32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Spaces and punctuation, which never change what is asked for. CJK marks that are
// letters or digits (々 〆 〇, U+3005–U+3007) are kept: "二〇二四年".
bool IsIgnored(int32_t cp) {
  if (cp < 0x80) return !absl::ascii_isalnum(static_cast<unsigned char>(cp));
  return cp == 0x00A0 || cp == 0x00B7 ||    // no-break space, middle dot
         (cp >= 0x2000 && cp <= 0x206F) ||  // general punctuation: “”‘’—…
         (cp >= 0x3000 && cp <= 0x3004) ||  // ideographic space 、。〃
         (cp >= 0x3008 && cp <= 0x301F) ||  // 〈〉《》「」『』【】〔〕 ...
         cp == 0x3030 || cp == 0x30FB ||    // 〰 ・
         (cp >= 0xFE10 && cp <= 0xFE19) ||  // vertical forms
         (cp >= 0xFE30 && cp <= 0xFE4F) ||  // CJK compatibility forms
         (cp >= 0xFF5F && cp <= 0xFF65) ||  // full-width brackets, half-width 。「」、・
         cp == 0xFEFF;                      // byte-order mark
}

// Folded and stripped of spaces and punctuation.
std::string Fold(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    int32_t cp = NextCodePoint(text, &i);
    if (cp < 0) {
      out.append(text.data() + start, i - start);  // Kept as it is (see the header).
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // Full-width ASCII.
    if (IsIgnored(cp)) continue;
    if (cp < 0x80) cp = absl::ascii_tolower(static_cast<unsigned char>(cp));
    AppendUtf8(cp, out);
  }
  return out;
}

// What applicants wrap around the information they ask for (after Fold). Longer forms
// first, so "申请公开" is removed whole rather than leaving "申请".
constexpr absl::string_view kPrefixes[] = {"关于",     "依申请公开", "申请公开", "请求公开",
                                           "要求公开", "申请获取",   "公开"};
constexpr absl::string_view kSuffixes[] = {
    "的信息公开申请", "信息公开申请", "的公开申请", "公开申请", "的政府信息", "政府信息",
    "的相关信息",     "的有关信息",   "相关信息",   "有关信息", "的信息",     "信息"};

}  // namespace

std::string NormalizeSubject(absl::string_view subject) {
  std::string s = Fold(subject);
  for (bool changed = true; changed;) {
    changed = false;
    for (absl::string_view prefix : kPrefixes) {
      if (s.size() > prefix.size() && absl::StartsWith(s, prefix)) {
        s.erase(0, prefix.size());
        changed = true;
      }
    }
    for (absl::string_view suffix : kSuffixes) {
      if (s.size() > suffix.size() && absl::EndsWith(s, suffix)) {
        s.erase(s.size() - suffix.size());
        changed = true;
      }
    }
  }
  return s;
}

std::string NormalizeReference(absl::string_view reference) { return Fold(reference); }

bool CountsAsMostRequested(v1::RequestOutcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD:  // Another body holds it.
    case v1::OUTCOME_DOES_NOT_EXIST:           // Searched; there is nothing.
    case v1::OUTCOME_NOT_PROCESSED_PETITION:   // Not a request for information.
      return false;
    default:
      return true;
  }
}

int MostRequestedGrouper::NodeFor(const std::string& key) {
  auto [it, inserted] = nodes_.emplace(key, static_cast<int>(keys_.size()));
  if (inserted) {
    keys_.push_back(key);
    parent_.push_back(it->second);
  }
  return it->second;
}

int MostRequestedGrouper::Find(int node) const {
  while (parent_[node] != node) {
    parent_[node] = parent_[parent_[node]];
    node = parent_[node];
  }
  return node;
}

void MostRequestedGrouper::Union(int a, int b) {
  a = Find(a);
  b = Find(b);
  if (a != b) parent_[std::max(a, b)] = std::min(a, b);
}

void MostRequestedGrouper::Add(const RequestDescription& request) {
  if (!CountsAsMostRequested(request.outcome)) return;
  std::vector<int> nodes;
  const std::string subject = NormalizeSubject(request.subject);
  // A subject of nothing but punctuation links to nothing: its own group.
  nodes.push_back(NodeFor(subject.empty() ? absl::StrCat("request:", request.id)
                                          : absl::StrCat("subject:", subject)));
  if (request.already_public_document_id != 0) {
    nodes.push_back(NodeFor(absl::StrCat("document:", request.already_public_document_id)));
  }
  const std::string reference = NormalizeReference(request.already_public_reference);
  if (!reference.empty()) nodes.push_back(NodeFor(absl::StrCat("reference:", reference)));
  for (size_t i = 1; i < nodes.size(); ++i) Union(nodes[0], nodes[i]);
  requests_.push_back(request);
  request_node_.push_back(nodes[0]);
}

std::vector<v1::MostRequestedInformation> MostRequestedGrouper::Groups(int min_applicants) const {
  struct Group {
    std::vector<size_t> requests;
    std::string key;  // The smallest key of the group's nodes.
  };
  std::map<int, Group> groups;  // By root node.
  for (size_t i = 0; i < requests_.size(); ++i) {
    groups[Find(request_node_[i])].requests.push_back(i);
  }
  for (const auto& [key, node] : nodes_) {  // Keys in order: the first seen is smallest.
    auto it = groups.find(Find(node));
    if (it != groups.end() && it->second.key.empty()) it->second.key = key;
  }
  std::vector<v1::MostRequestedInformation> out;
  for (const auto& [root, group] : groups) {
    std::unordered_set<std::string> applicants;
    // Wording -> (uses, -first request id): the most used wording, then the earliest.
    std::map<std::string, std::pair<int, int64_t>> wordings;
    std::map<int64_t, int> documents;
    std::map<std::string, int> references;
    std::vector<int64_t> ids;
    for (size_t i : group.requests) {
      const RequestDescription& r = requests_[i];
      applicants.insert(r.applicant_key);
      std::string wording(absl::StripAsciiWhitespace(r.subject));
      auto [w, inserted] = wordings.emplace(std::move(wording), std::make_pair(0, -r.id));
      ++w->second.first;
      if (!inserted) w->second.second = std::max(w->second.second, -r.id);
      if (r.already_public_document_id != 0) ++documents[r.already_public_document_id];
      std::string reference(absl::StripAsciiWhitespace(r.already_public_reference));
      if (!reference.empty()) ++references[reference];
      ids.push_back(r.id);
    }
    if (static_cast<int>(applicants.size()) < min_applicants) continue;
    std::vector<std::pair<std::pair<int, int64_t>, std::string>> ranked;
    for (const auto& [wording, rank] : wordings) ranked.push_back({rank, wording});
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    v1::MostRequestedInformation item;
    item.set_subject(ranked.front().second);
    for (size_t k = 1; k < ranked.size() && k <= 5; ++k) item.add_other_subjects(ranked[k].second);
    item.set_request_count(static_cast<int32_t>(group.requests.size()));
    item.set_applicant_count(static_cast<int32_t>(applicants.size()));
    if (!documents.empty()) {
      item.set_already_public_document_id(
          std::max_element(documents.begin(), documents.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;  // Most named; the smallest id on a tie.
          })->first);
    }
    if (!references.empty()) {
      item.set_already_public_reference(
          std::max_element(references.begin(), references.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
          })->first);
    }
    std::sort(ids.begin(), ids.end());
    for (size_t k = 0; k < ids.size() && k < 20; ++k) item.add_request_ids(ids[k]);
    item.set_group_key(group.key);
    out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(-a.applicant_count(), -a.request_count(), a.group_key()) <
           std::make_tuple(-b.applicant_count(), -b.request_count(), b.group_key());
  });
  return out;
}

absl::StatusOr<YearMostRequested> MostRequestedOfYear(RequestRepository& repository,
                                                      const rules::RuleBook& rules, int64_t unit_id,
                                                      int year, absl::CivilDay today) {
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay last(year, 12, 31);
  YearMostRequested result;
  ASSIGN_OR_RETURN(result.min_applicants,
                   MostRequestedMinApplicants(rules, std::min(last, today)));  // CAT-7
  // Issue 16 defect 7: keyset batches, never one unbounded read.
  constexpr int kBatch = 1000;
  MostRequestedGrouper grouper;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<RequestDescription> batch,
                     repository.ListRequestDescriptions(unit_id, first, last, after, kBatch));
    for (const RequestDescription& r : batch) grouper.Add(r);
    if (static_cast<int>(batch.size()) < kBatch) break;
    after = batch.back().id;
  }
  result.items = grouper.Groups(static_cast<int>(result.min_applicants.value));
  return result;
}

}  // namespace gongkai::catalog::requests
