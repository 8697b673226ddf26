// The catalog's search terms are the shared tokenizer of libs/search (ADR 0004), moved
// there so the consultation service indexes comments the same way; these names keep
// the documents module's code unchanged.
#ifndef GONGKAI_SERVICES_CATALOG_DOCUMENTS_SEARCH_TERMS_H_
#define GONGKAI_SERVICES_CATALOG_DOCUMENTS_SEARCH_TERMS_H_

#include "libs/search/search_terms.h"

namespace gongkai::catalog::documents {

using search::DocumentTerms;
using search::ExtractTerms;
using search::IsSingleCjkCharacter;
using search::kMaxTermBytes;

}  // namespace gongkai::catalog::documents

#endif  // GONGKAI_SERVICES_CATALOG_DOCUMENTS_SEARCH_TERMS_H_
