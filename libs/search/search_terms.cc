#include "libs/search/search_terms.h"

#include <cstdint>
#include <unordered_set>

#include "absl/strings/ascii.h"

namespace gongkai::search {
namespace {

// Decodes one UTF-8 sequence at `i`; returns its length (0 for an invalid byte).
size_t DecodeUtf8(absl::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2 && cont(1)) {
    *cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
    return 2;
  }
  if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    *cp = ((b0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
          (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
    return *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF) ? 3 : 0;
  }
  if ((b0 & 0xF8) == 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    *cp = ((b0 & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
          ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
          (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
    return *cp >= 0x10000 && *cp <= 0x10FFFF ? 4 : 0;
  }
  return 0;
}

bool IsCjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK Unified Ideographs
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // Extension A
         (cp >= 0x20000 && cp <= 0x2FA1F) ||  // Extensions B-F, compatibility supplement
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // Compatibility ideographs
         (cp >= 0x3040 && cp <= 0x30FF) ||    // Kana
         (cp >= 0xAC00 && cp <= 0xD7AF);      // Hangul syllables
}

bool IsWordChar(uint32_t cp) { return cp < 0x80 && absl::ascii_isalnum(static_cast<char>(cp)); }

class TermCollector {
 public:
  explicit TermCollector(size_t max_terms) : max_terms_(max_terms) {}
  void Add(std::string term) {
    if (terms_.size() >= max_terms_ || term.empty()) return;
    if (seen_.insert(term).second) terms_.push_back(std::move(term));
  }
  bool full() const { return terms_.size() >= max_terms_; }
  std::vector<std::string> Take() { return std::move(terms_); }

 private:
  size_t max_terms_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> terms_;
};

// `for_index`: also emit the last character of every longer run as a term, so that a
// query for a single character X finds X wherever it stands: X opens a bigram ("X?")
// unless it ends a run, and then it is this extra term (see SingleCharacterTerm).
void Collect(absl::string_view text, TermCollector& out, bool for_index) {
  size_t i = 0;
  std::string word;
  std::vector<absl::string_view> cjk_run;  // Characters of the current CJK run.
  auto flush_word = [&] {
    if (!word.empty()) out.Add(word.substr(0, kMaxTermBytes));
    word.clear();
  };
  auto flush_cjk = [&] {
    if (cjk_run.size() == 1) out.Add(std::string(cjk_run[0]));
    for (size_t k = 0; k + 1 < cjk_run.size(); ++k) {
      out.Add(std::string(cjk_run[k]) + std::string(cjk_run[k + 1]));
    }
    if (for_index && cjk_run.size() > 1) out.Add(std::string(cjk_run.back()));
    cjk_run.clear();
  };
  while (i < text.size() && !out.full()) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {  // Invalid byte: a separator.
      flush_word();
      flush_cjk();
      ++i;
      continue;
    }
    if (IsCjk(cp)) {
      flush_word();
      cjk_run.push_back(text.substr(i, len));
    } else if (IsWordChar(cp)) {
      flush_cjk();
      word.push_back(absl::ascii_tolower(static_cast<char>(cp)));
    } else {
      flush_word();
      flush_cjk();
    }
    i += len;
  }
  flush_word();
  flush_cjk();
}

}  // namespace

std::vector<std::string> ExtractTerms(absl::string_view text) {
  TermCollector out(SIZE_MAX);
  Collect(text, out, /*for_index=*/false);
  return out.Take();
}

std::vector<std::string> DocumentTerms(absl::string_view title, absl::string_view body,
                                       size_t max_terms) {
  TermCollector out(max_terms);
  Collect(title, out, /*for_index=*/true);
  Collect(body, out, /*for_index=*/true);
  return out.Take();
}

bool IsSingleCjkCharacter(absl::string_view term) {
  uint32_t cp = 0;
  const size_t len = term.empty() ? 0 : DecodeUtf8(term, 0, &cp);
  return len > 0 && len == term.size() && IsCjk(cp);
}

}  // namespace gongkai::search
