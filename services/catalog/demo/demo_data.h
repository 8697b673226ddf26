// The demo data set of gongkai-catalog-demo: the government of a city modelled on
// Nanning (南宁市) — its units, documents in every CAT-6 key area, catalog items and one
// annual self-review — as plain tables, plus the generator of the document bodies.
//
// The tables are data files, data/*.json, compiled into the binary
// (gongkai_embed_demo_data, libs/demo/data_files.h) and parsed on first use:
//   units.json      UnitSpec          key_areas.json  AreaSpec (+ the basic catalog's)
//   documents.json  DocumentSpec      reviews.json    the item revision, the self-review
// Enums are written by their proto value names ("UNIT_LEVEL_CITY", "PROACTIVE"), Target
// by its name without the k ("PUBLISHED"). The files are part of the binary, so a
// malformed one is a bug: the first use aborts naming it, and the unit test
// (demo_data_test.cc) catches it first.
//
// Everything here is fixed data: the loader (demo_loader.h) turns it into CatalogService
// calls. Nothing in this file talks to a server.
//
//   for (const demo::UnitSpec& unit : demo::Units()) { ... unit.code, unit.parent_code ... }
//   std::string body = demo::DocumentBody(demo::Documents()[0], 0);
//
// Thread-safety: the tables are immutable after first use; the functions are pure.
#ifndef GONGKAI_SERVICES_CATALOG_DEMO_DEMO_DATA_H_
#define GONGKAI_SERVICES_CATALOG_DEMO_DEMO_DATA_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "libs/demo/data_files.h"

namespace gongkai::catalog::demo {

namespace v1 = ::gongkai::catalog::v1;

// One government body. Parents come before their children in Units().
struct UnitSpec {
  std::string code;  // Unique, e.g. "NN-EDU".
  std::string name;  // e.g. "南宁市教育局".
  v1::UnitLevel level = v1::UNIT_LEVEL_UNSPECIFIED;
  std::string parent_code;  // "" for the city government at the top. JSON: "parent".
  // Local parts of the user ids of the unit's drafter and confidentiality reviewer; the
  // full subject is "<local>@<code in lower case>" (see Subject()).
  std::string staff;
  std::string reviewer;
};

// Where the loader drives a document through the lifecycle (CAT-2, CAT-4).
enum class Target {
  kDraft,                 // Created only.
  kReturnedAtSubmission,  // Submitted incomplete: no attribute, or no reason/legal basis.
  kReturnedByReview,      // Failed the confidentiality review; `note` is the review note.
  kReturnedByOffice,      // Returned by the general office; `note` is the cause.
  kPendingReview,         // Submitted, waiting for review.
  kApproved,              // Review passed.
  kPublished,             // Review passed and published (PROACTIVE only).
};

struct DocumentSpec {
  std::string unit;                             // Drafting unit code.
  v1::KeyArea area = v1::KEY_AREA_UNSPECIFIED;  // Unspecified: the basic catalog (category 1).
  v1::IssuingAuthority authority = v1::ISSUING_AUTHORITY_UNSPECIFIED;
  // "<issuer>关于<subject>的<kind>": DocumentBody() reads the subject and kind from it.
  std::string title;
  std::string number;  // 文号; "" for drafts without one.
  bool policy = false;
  v1::DisclosureAttribute attribute = v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED;
  Target target = Target::kDraft;
  std::string reason;          // Why not PROACTIVE (CAT-2).
  std::string legal_basis;     // The article cited (CAT-2).
  std::string note;            // Review note, or the office's return cause.
  int limit_working_days = 0;  // A shorter legal publication limit; 0 = 20 days.
};

// One CAT-6 key area: who leads it and the phrases the generated texts use.
struct AreaSpec {
  v1::KeyArea area = v1::KEY_AREA_UNSPECIFIED;
  std::string lead_unit;        // Responsible unit of the first catalog item.
  std::string grassroots_unit;  // Responsible unit of the second item; "" = lead_unit.
  std::string purpose;          // "为……" clause.
  std::string basis;            // The law or rule the texts cite.
  std::array<std::string, 3> measures;
  std::array<std::string, 2> items;  // Catalog item contents (CAT-5).
};

struct CatalogItemSpec {
  int64_t category_id;
  std::string unit;  // Responsible unit code.
  std::string content;
  std::string time_limit;
  std::string method;
};

// The one catalog item the loader revises once (revision 2).
struct CatalogItemRevisionSpec {
  int64_t category_id = 0;
  std::string content;  // Identifies the item; the content stays the same.
  std::string time_limit;
  std::string method;
  std::string change_note;
};

// The completed annual self-review (CAT-7) of one unit.
struct SelfReviewSpec {
  std::string unit;
  int year = 0;
  std::string keep_title;  // The document kept as it is...
  std::string keep_reason;
  std::string convert_title;  // ...and the one converted to PROACTIVE.
  std::string convert_reason;
};

// The general office's user (role OFFICE) when the loader mints its own tokens.
inline constexpr char kOfficeSubject[] = "liang.qing@nn-gov-office";
inline constexpr char kDefaultTimeLimit[] = "信息形成或变更之日起20个工作日内";
inline constexpr char kCityPortal[] = "南宁市人民政府门户网站";

const std::vector<UnitSpec>& Units();
const std::vector<AreaSpec>& Areas();  // One per KeyArea 1..26, in enum order.
// The phrases of the documents of the basic catalog (KEY_AREA_UNSPECIFIED); no items.
const AreaSpec& BasicCatalogArea();
const std::vector<DocumentSpec>& Documents();
// Two per key area (52), derived from Areas().
std::vector<CatalogItemSpec> CatalogItems();
const CatalogItemRevisionSpec& CatalogItemRevision();
const SelfReviewSpec& SelfReview();

// The seeded catalog category of a key area (migrations/0002): 100 + the enum number;
// category 1 (主动公开基本目录) for KEY_AREA_UNSPECIFIED.
int64_t CategoryFor(v1::KeyArea area);

// "zhang.wei@nn-edu".
std::string Subject(absl::string_view local, absl::string_view unit_code);

// The issuing body's name as printed on the document.
std::string IssuerName(const DocumentSpec& document);

// The full text of document number `index` of Documents(): addressee, a few paragraphs
// built from the key area's phrases, closing formula, issuer and date.
std::string DocumentBody(const DocumentSpec& document, int index);

// The data files (data/*.json) as compiled into this library; defined by the source
// gongkai_embed_demo_data() generates.
const std::vector<::gongkai::demo::DataFile>& EmbeddedDataFiles();

}  // namespace gongkai::catalog::demo

#endif  // GONGKAI_SERVICES_CATALOG_DEMO_DEMO_DATA_H_
