// Turns text into the terms of a full-text index (ADR 0004): the catalog's documents
// (document_terms) and the consultation service's comments (comment_terms) use it.
// Moved here from services/catalog/documents/ so both share one tokenizer.
//
// MariaDB's FULLTEXT does not segment Chinese and ngram parsers are not portable
// (MySQL has one, MariaDB and TiDB do not), so a service indexes terms itself in a
// plain table (term, row id) that any MySQL-compatible database can serve:
// - runs of CJK characters become overlapping bigrams ("政务公开" → 政务, 务公, 公开);
//   a run of a single CJK character becomes that character;
// - runs of ASCII letters and digits become lower-cased words;
// - everything else separates terms.
// A query matches a document when every query term is among the document's terms, so
// "政务公开" finds every text containing it, with no dictionary to maintain. A query
// term of a single CJK character (from "2024年" or "税") matches every document term
// that starts with it: documents also index the last character of each run, so every
// occurrence of a character opens at least one of the document's terms.
//
// Pure functions; thread-safe.
#ifndef GONGKAI_LIBS_SEARCH_SEARCH_TERMS_H_
#define GONGKAI_LIBS_SEARCH_SEARCH_TERMS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::search {

// Longest term kept, in bytes (longer words are truncated on a character boundary).
inline constexpr size_t kMaxTermBytes = 64;

// Distinct terms of `text`, in first-seen order. Invalid UTF-8 bytes are separators.
std::vector<std::string> ExtractTerms(absl::string_view text);

// Terms to index for a document (or a comment: an empty title and its text): distinct
// terms of its title and body, at most
// `max_terms` of them (the title's first, so titles are always searchable).
std::vector<std::string> DocumentTerms(absl::string_view title, absl::string_view body,
                                       size_t max_terms = 4096);

// Whether a query term is one CJK character, matched as a prefix of document terms.
bool IsSingleCjkCharacter(absl::string_view term);

}  // namespace gongkai::search

#endif  // GONGKAI_LIBS_SEARCH_SEARCH_TERMS_H_
