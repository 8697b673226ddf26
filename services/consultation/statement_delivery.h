// CON-3: the feedback statement attached to the meeting plan that decides the matter
// also reaches the catalog, as a document of the unit (a PROACTIVE draft, so the
// catalog's confidentiality review and CAT-3 publication clock apply to it). It travels
// through the consultation service's outbox (libs/outbox, ADR 0024): the attachment
// and the event commit together, the relay calls the catalog's CreateDocument as
// `service:consultation` with the event key as its request id (the catalog dedups on
// it), and the document's id is then recorded on the meeting plan.
//
// Pure functions; thread-safe.
#ifndef GONGKAI_SERVICES_CONSULTATION_STATEMENT_DELIVERY_H_
#define GONGKAI_SERVICES_CONSULTATION_STATEMENT_DELIVERY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "gongkai/consultation/v1/consultation.pb.h"

namespace gongkai::consultation {

inline constexpr char kStatementAttachedTopic[] = "consultation.statement_attached";

// "feedback-statement/<meeting_id>/<consultation_id>": one document per statement and
// meeting plan, however often the attachment is repeated.
std::string StatementEventKey(int64_t meeting_id, int64_t consultation_id);
struct StatementEventIds {
  int64_t meeting_id = 0;
  int64_t consultation_id = 0;
};
// nullopt for a key StatementEventKey did not make.
std::optional<StatementEventIds> ParseStatementEventKey(absl::string_view key);

// The catalog document recording `statement` as attached to `meeting`: the statement's
// title, a body listing every entry (commenters, comment, decision, reason) and the
// counts, naming the meeting plan; drafted for the meeting's unit in its own name.
// A body that would exceed `max_body_bytes` lists the first entries and says how many
// more the published statement holds.
catalog::v1::CreateDocumentRequest StatementDocumentRequest(const v1::MeetingPlan& meeting,
                                                            const v1::FeedbackStatement& statement,
                                                            const std::string& request_id,
                                                            size_t max_body_bytes = 900 * 1000);

}  // namespace gongkai::consultation

#endif  // GONGKAI_SERVICES_CONSULTATION_STATEMENT_DELIVERY_H_
