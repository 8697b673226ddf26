// The search-term tokenizer of the catalog (services/catalog/documents/search_terms.h,
// ADR 0004): it reads search queries and document titles and bodies. Properties: terms
// are non-empty, distinct, valid UTF-8, lower-case, at most kMaxTermBytes; a text's own
// query terms are all among the terms it is indexed under (so searching a document's
// text finds it); DocumentTerms keeps to max_terms.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "libs/search/search_terms.h"
#include "libs/validation/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void CheckTerms(const std::vector<std::string>& terms) {
  std::set<std::string> seen;
  for (const std::string& term : terms) {
    FUZZ_CHECK(!term.empty());
    FUZZ_CHECK(term.size() <= gongkai::search::kMaxTermBytes);
    FUZZ_CHECK(gongkai::validation::IsValidUtf8(term));
    FUZZ_CHECK(absl::AsciiStrToLower(term) == term);
    FUZZ_CHECK(seen.insert(term).second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gongkai::search;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> query_terms = ExtractTerms(text);
  CheckTerms(query_terms);

  // The text as a document body: every query term of it is an indexed term, or a single
  // CJK character that opens one (matched as a prefix).
  const std::vector<std::string> document_terms = DocumentTerms("", text, SIZE_MAX);
  CheckTerms(document_terms);
  const std::set<std::string> indexed(document_terms.begin(), document_terms.end());
  for (const std::string& term : query_terms) {
    if (indexed.count(term) != 0) continue;
    FUZZ_CHECK(IsSingleCjkCharacter(term));
    auto it = indexed.lower_bound(term);
    FUZZ_CHECK(it != indexed.end() && absl::string_view(*it).substr(0, term.size()) == term);
  }

  // Split into a title and a body with a small term budget.
  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  const size_t max_terms = size == 0 ? 1 : 1 + data[size - 1] % 16;
  const std::vector<std::string> limited =
      DocumentTerms(text.substr(0, split), text.substr(split), max_terms);
  CheckTerms(limited);
  FUZZ_CHECK(limited.size() <= max_terms);
  return 0;
}
