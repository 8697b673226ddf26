// Storage of interpretations, their release records and the publications the catalog
// reported: the interface the rules (interpretations.h) depend on.
// mysql_interpretation_repository.h implements it on MySQL (tables interpretations,
// interpretation_releases, document_publications); unit tests use
// FakeInterpretationRepository (fake_interpretation_repository.h).
#ifndef GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_REPOSITORY_H_
#define GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/interpretation/v1/interpretation.pb.h"
#include "libs/idempotency/idempotency.h"

namespace gongkai::interpretation {

struct InterpretationFilter {
  int64_t document_id = 0;
  int64_t unit_id = 0;
  v1::InterpretationState state = v1::INTERPRETATION_STATE_UNSPECIFIED;
  // Besides `state`: RELEASED ones, plus any state of these units (what a caller who
  // may read some units' drafts sees). Empty with released_or_units set: RELEASED only.
  bool released_or_units = false;
  std::vector<int64_t> readable_units;
};

// What the release gate needs to know of a document's primary interpretation (INT-3):
// read without its content, so the catalog's question costs one narrow indexed read.
struct PrimaryStatus {
  int64_t id = 0;
  int64_t unit_id = 0;
  v1::InterpretationState state = v1::INTERPRETATION_STATE_UNSPECIFIED;
};

// An approved primary interpretation not yet released (the reconcile's candidates).
struct ApprovedPrimary {
  int64_t id = 0;
  int64_t document_id = 0;
  int64_t version = 0;
};

// A publication the catalog reported (ApplyPublication), as stored.
struct Publication {
  int64_t document_id = 0;
  int64_t unit_id = 0;
  int32_t issuing_authority = 0;
  std::string document_title;
  absl::Time publish_time;
  std::string event_id;
};

// A publication with the document's primary interpretation, if any (the input of the
// late/missing flags, INT-3).
struct PublicationWithInterpretation {
  Publication publication;
  std::optional<v1::Interpretation> primary;  // Without releases.
};

// How ApplyPublication computes the released interpretations' lag fields (the domain
// passes the rule it used; a release with the document has lag 0).
struct PublicationRelease {
  Publication publication;
  std::string lag_rule;
  absl::Time now;
};

struct AppliedPublication {
  bool already_applied = false;
  std::vector<int64_t> released_ids;
};

// A message for another service, added to this service's outbox (libs/outbox) in the
// same transaction as the change that causes it and delivered by its relay (INT-3: an
// interpretation released after its document is reported to the catalog).
struct OutboxMessage {
  std::string topic;        // Selects the relay's handler.
  std::string destination;  // The receiving service, e.g. "catalog".
  std::string event_key;    // Unique per event; the receiver's dedup key.
  std::string ordering_key;
  std::string payload;  // A serialized request of the receiver.
};

// What an approval (or the reconcile) stores: the interpretation, and the message its
// release sends, if any — both in one transaction, or neither.
struct ApprovalOutcome {
  v1::Interpretation interpretation;
  std::optional<OutboxMessage> message;
};

// What a write of an approved interpretation needs to know about the document's
// publication, read in the write's own transaction: nullopt when not published yet.
// Given the stored publication, returns what to store (released or not).
using ApprovalDecision =
    std::function<absl::StatusOr<ApprovalOutcome>(const std::optional<Publication>&)>;

class InterpretationRepository {
 public:
  virtual ~InterpretationRepository() = default;

  // Stores a new interpretation (id, times and version 1 assigned from `now`) with the
  // idempotency record of `key` (may be null). ALREADY_EXISTS when the document has a
  // primary interpretation and `interpretation` is one too.
  virtual absl::StatusOr<v1::Interpretation> Create(const v1::Interpretation& interpretation,
                                                    const idempotency::Key* key,
                                                    absl::Time now) = 0;
  // With its release records. NOT_FOUND.
  virtual absl::StatusOr<v1::Interpretation> Get(int64_t id) = 0;
  // The document's primary interpretation, if any.
  virtual absl::StatusOr<std::optional<v1::Interpretation>> FindPrimary(int64_t document_id) = 0;
  // The same interpretation's id, unit and state only.
  virtual absl::StatusOr<std::optional<PrimaryStatus>> FindPrimaryStatus(int64_t document_id) = 0;
  // Replaces the stored interpretation if its version is still `expected_version`
  // (ABORTED otherwise); version + 1, update_time `now`.
  virtual absl::StatusOr<v1::Interpretation> Update(const v1::Interpretation& interpretation,
                                                    int64_t expected_version, absl::Time now) = 0;
  // An approval: in one transaction, locks the interpretation at `expected_version`
  // (ABORTED otherwise), reads the document's publication and stores what `decide`
  // returns for it, its outbox message included. A publication applied concurrently
  // either is seen here or sees the approved interpretation (ApplyPublication locks the
  // same rows).
  virtual absl::StatusOr<v1::Interpretation> UpdateApproved(int64_t id, int64_t expected_version,
                                                            const ApprovalDecision& decide,
                                                            absl::Time now) = 0;
  // Adds one INT-4 release record (id, recorded time assigned) to a RELEASED
  // interpretation, with the idempotency record of `key`; returns the interpretation.
  virtual absl::StatusOr<v1::Interpretation> AddRelease(int64_t interpretation_id,
                                                        const v1::ReleaseRecord& release,
                                                        const idempotency::Key* key,
                                                        absl::Time now) = 0;
  // Up to `limit` interpretations with id < `before_id` (0: from the newest), newest
  // first.
  virtual absl::StatusOr<std::vector<v1::Interpretation>> List(const InterpretationFilter& filter,
                                                               int64_t before_id, int limit) = 0;

  // The publication of a document: records it and releases the document's APPROVED
  // interpretations at its publish_time, once. A second call for the same document
  // changes nothing and says already_applied.
  virtual absl::StatusOr<AppliedPublication> ApplyPublication(
      const PublicationRelease& release) = 0;
  // Several publications in one transaction, each as ApplyPublication (a document given
  // twice is applied once, the second already_applied); the results in their order.
  virtual absl::StatusOr<std::vector<AppliedPublication>> ApplyPublications(
      const std::vector<PublicationRelease>& releases) = 0;
  virtual absl::StatusOr<std::optional<Publication>> FindPublication(int64_t document_id) = 0;
  // Records a publication learnt from the catalog itself (its event never arrived):
  // stamps the document's interpretations with the publication time and releases
  // nothing (the caller releases, late if the rule says so). Nothing changes when the
  // document's publication is recorded already.
  virtual absl::Status RecordPublication(const Publication& publication, absl::Time now) = 0;
  // Up to `limit` APPROVED primary interpretations with id > `after_id`, by id.
  virtual absl::StatusOr<std::vector<ApprovedPrimary>> ListApprovedPrimaries(int64_t after_id,
                                                                             int limit) = 0;
  // Publications of `unit_id` (0: all), newest document first, with document_id <
  // `before_document_id` (0: from the newest), up to `limit`.
  virtual absl::StatusOr<std::vector<PublicationWithInterpretation>> ListPublications(
      int64_t unit_id, int64_t before_document_id, int limit) = 0;
  // Publications of `unit_id` with publish_time in [start, end).
  virtual absl::StatusOr<std::vector<PublicationWithInterpretation>> PublicationsInPeriod(
      int64_t unit_id, absl::Time start, absl::Time end) = 0;

  // For the gauges.
  virtual absl::StatusOr<std::map<v1::InterpretationState, int64_t>> CountByState() = 0;

  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      const idempotency::Key& key) = 0;
};

}  // namespace gongkai::interpretation

#endif  // GONGKAI_SERVICES_INTERPRETATION_INTERPRETATION_REPOSITORY_H_
