// The transactional outbox and its relay (docs/adr/0024-transactional-outbox.md): how a
// local change reaches another service without a state where one side moved and the
// other never will.
//
// Producer (e.g. the catalog publishing a policy document, INT-3):
//
//   RETURN_IF_ERROR(db::RunInTransactionWithRetries(*pool_, [&](db::Connection& conn) {
//     ... UPDATE documents SET state = 'PUBLISHED', publish_time = ? ...
//     outbox::OutboxEvent event;
//     event.topic = "document.published";
//     event.destination = "interpretation";
//     event.event_key = absl::StrCat("document-published/", document_id);
//     event.ordering_key = absl::StrCat(document_id);
//     event.payload = published.SerializeAsString();
//     return outbox::Enqueue(conn, event, now).status();   // same transaction
//   }));
//   notifier_->Notify();   // after the commit: deliver now rather than at the next poll
//
// Relay (in the same process, started from ServiceApp::Start once migrations ran):
//
//   outbox::RelayOptions options;
//   options.handlers["document.published"] =
//       [&](const outbox::DeliveredEvent& event) -> absl::Status {
//         ReleaseWithDocumentRequest request;
//         if (!request.ParseFromString(event.payload))
//           return absl::InvalidArgumentError("bad payload");  // parked, never retried
//         request.set_request_id(event.event_key);             // receiver dedups on it
//         grpc::ClientContext context;
//         identity->Prepare(&context, absl::Seconds(5));        // deadline + service JWT
//         return FromGrpcStatus(stub->ReleaseWithDocument(&context, request, &response));
//       };
//   std::unique_ptr<outbox::Relay> relay =
//       outbox::NewRelay(env.pool, env.clock, env.registry, std::move(options));
//   RETURN_IF_ERROR(relay->Start());   // idempotent; the destructor stops it
//
// and the service adds outbox::OutboxMigrationSet() to ServiceDefinition::
// library_migrations (table outbox_events, component "outbox"), and reads the relay's
// GONGKAI_OUTBOX_* settings with outbox::ReadRelaySettings (outbox_config.h, target
// gongkai_outbox_config) in its read_config.
//
// Guarantees and their limits:
//  - Atomic with the business write: Enqueue() writes on the caller's connection inside
//    the caller's transaction; a rollback leaves no event, a commit leaves exactly one.
//  - At-least-once delivery: an event is marked delivered only after its handler
//    returned OK, so a crash between the receiver's commit and that mark delivers it
//    again. Receivers must be idempotent; the event key is the request id to dedup on
//    (libs/idempotency on the receiving side).
//  - One delivery at a time per event, across threads, processes and replicas: a relay
//    claims a batch with one conditional UPDATE (claim token and lease expiry); no
//    SELECT ... FOR UPDATE SKIP LOCKED and no GET_LOCK, so it is correct on MySQL 8,
//    MariaDB, Galera and TiDB alike. A relay that dies (SIGKILL) leaves its claims to
//    expire after `lease`; then another relay (or the restarted one) takes them over.
//    A relay renews the lease of events still in flight every lease/3.
//  - Order: events with the same non-empty (topic, ordering_key) are delivered one at a
//    time in id order — an event is not claimed while an earlier one with the same
//    topic and ordering key is pending (in flight or backing off). Ids follow commit
//    order when the producers' transactions serialize on the same row (the usual case:
//    the ordering key is that row's id). A parked event does not hold back later ones.
//    Events with an empty ordering key, or different keys, go in parallel.
//  - Retries: a handler status that IsRetryable() is retried after an exponential
//    back-off with jitter (BackoffPolicy), forever unless RelayOptions::max_attempts is
//    set; any other non-OK status parks the event (dead letter: kept, never retried,
//    logged, counted, gauged and alerted on) until an operator calls RequeueParked().
//  - Delivered events are kept for `retention` (default 7 days: the event key still
//    dedups a repeated Enqueue, and the table answers "when was X delivered") and then
//    purged in batches by the relay.
//  - Time: claim leases and back-off use the injected Clock; the clocks of replicas
//    sharing a database must agree to well within the lease (NTP does).
//
// Metrics (when a registry is given; every replica reports the same table-wide
// gauges, so alerts take max by topic):
//   gongkai_outbox_backlog{topic}                        events not yet delivered (not parked)
//   gongkai_outbox_oldest_undelivered_age_seconds{topic} age of the oldest of them
//   gongkai_outbox_parked{topic}                         parked events
//   gongkai_outbox_delivered_total{topic}                deliveries by this process
//   gongkai_outbox_delivery_failures_total{topic,code}   failed attempts, by status code
//   gongkai_outbox_delivery_lag_seconds{topic}           create → delivered (histogram)
//
// Thread-safety: Enqueue and the pool functions are as thread-safe as their connection
// or pool; Relay is thread-safe (Notify from any thread).
#ifndef GONGKAI_LIBS_OUTBOX_OUTBOX_H_
#define GONGKAI_LIBS_OUTBOX_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/db/connection.h"
#include "libs/db/connection_pool.h"
#include "libs/db/migrator.h"
#include "libs/metrics/registry.h"

namespace gongkai::outbox {

// ---------------------------------------------------------------------------------
// Schema

// The migrations that create outbox_events (generated from libs/outbox/migrations/).
std::vector<db::Migration> OutboxMigrations();
// The same as a library migration set, component "outbox", for
// ServiceDefinition::library_migrations.
db::MigrationSet OutboxMigrationSet();

// ---------------------------------------------------------------------------------
// Producing

// Limits checked by Enqueue (INVALID_ARGUMENT naming the field when exceeded).
inline constexpr size_t kMaxTopicLength = 64;        // [a-z0-9._-]+
inline constexpr size_t kMaxDestinationLength = 64;  // [a-z0-9._-]*
inline constexpr size_t kMaxEventKeyLength = 128;    // printable ASCII, no spaces
inline constexpr size_t kMaxOrderingKeyLength = 128;
inline constexpr size_t kMaxPayloadBytes = 4 * 1024 * 1024;  // gRPC's default message bound

struct OutboxEvent {
  // What happened, e.g. "document.published". Selects the relay's handler.
  std::string topic;
  // The service that receives it (e.g. "interpretation"); informational (logs, the
  // table), may be empty.
  std::string destination;
  // Unique for all time per event: Enqueue of a key already in the table (pending,
  // parked or delivered within the retention) adds nothing. Receivers use it as the
  // request id they dedup on, so derive it from what the event means
  // ("document-published/42"), not from a random number, when a repeat must be a no-op.
  std::string event_key;
  // Events with the same topic and non-empty ordering key are delivered in id order,
  // one at a time (e.g. the document id). Empty: no ordering constraint.
  std::string ordering_key;
  // The message, normally a serialized proto. Opaque bytes.
  std::string payload;
};

// Inserts `event` on `conn` — the caller's connection, inside the caller's open
// transaction (db::RunInTransaction), so the event commits or rolls back with the
// business write. `now` is its create time and first attempt time. Returns true when the
// event was added, false when an event with the same event_key already exists (nothing
// changed). INVALID_ARGUMENT (naming the field) for an empty or too long topic or key,
// bad characters or an oversized payload; the driver's status otherwise (ABORTED on a
// deadlock: the caller's retry loop re-runs the whole transaction).
absl::StatusOr<bool> Enqueue(db::Connection& conn, const OutboxEvent& event, absl::Time now);

// What a producer's code depends on to wake the relay after its commit (Relay is one).
class Notifier {
 public:
  virtual ~Notifier() = default;
  // Cheap and non-blocking; safe from any thread, also before Start and after Stop
  // (then it does nothing).
  virtual void Notify() = 0;
};

// A Notifier that does nothing (tests, producers in processes without a relay: the
// relay of another replica picks the event up at its next poll).
class NullNotifier final : public Notifier {
 public:
  void Notify() override {}
};

// ---------------------------------------------------------------------------------
// Delivering

// One event as a handler sees it.
struct DeliveredEvent {
  int64_t id = 0;
  std::string topic;
  std::string destination;
  std::string event_key;  // The receiver's request id.
  std::string ordering_key;
  std::string payload;
  absl::Time create_time;
  int attempt = 1;  // 1 on the first delivery attempt, 2 on the first retry, ...
};

// Delivers one event: makes the call to the receiver with a deadline and returns its
// status. OK marks the event delivered; IsRetryable() statuses are retried after a
// back-off; anything else parks it. Runs on one of the relay's delivery threads, possibly
// concurrently with other events (never with an earlier event of the same ordering key).
// Must not throw.
using Handler = std::function<absl::Status(const DeliveredEvent&)>;

// Delivers several claimed events of one topic in one call — typically one RPC that
// carries them all and that the receiver applies in one transaction, idempotently per
// event — and returns one status per event, in the order given, each treated as a
// Handler's status for its event. A result of another size counts as UNKNOWN for every
// event (retried). The events of one call never share an ordering key (a claim holds at
// most the earliest pending event of each key). Runs on one delivery thread. Must not
// throw.
using BatchHandler = std::function<std::vector<absl::Status>(const std::vector<DeliveredEvent>&)>;

// UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN,
// CANCELLED and UNAUTHENTICATED (a key being rotated or a clock skew clears up; an
// event must not be parked for it) are retried; INVALID_ARGUMENT, FAILED_PRECONDITION,
// PERMISSION_DENIED, NOT_FOUND, ALREADY_EXISTS, OUT_OF_RANGE, UNIMPLEMENTED and
// DATA_LOSS park the event. A handler that knows better maps the status itself (e.g.
// ALREADY_EXISTS from a receiver that means "already applied" → return OK).
bool IsRetryable(absl::StatusCode code);

struct BackoffPolicy {
  absl::Duration initial = absl::Milliseconds(200);
  absl::Duration max = absl::Seconds(60);
  double multiplier = 2.0;
};

// The wait before the next attempt after `failed_attempts` (≥ 1) failures:
// min(max, initial × multiplier^(failed_attempts−1)) scaled into [½, 1] of itself by
// `jitter` ∈ [0, 1] ("equal jitter", so replicas retrying together spread out and the
// wait never collapses to 0). Deterministic for a given jitter, for tests.
absl::Duration BackoffDelay(const BackoffPolicy& policy, int failed_attempts, double jitter);

struct RelayOptions {
  // Topic → handler. A relay claims only events of these topics (and of
  // batch_handlers'), so a process may host relays for some topics and leave others to
  // another process. The two maps together must not be empty, and share no topic.
  std::map<std::string, Handler> handlers;
  // Topic → batch handler: the events of the topic in one claimed batch go to the
  // receiver in one call (fewer calls and receiver transactions per event under load;
  // one event per call when they come one at a time).
  std::map<std::string, BatchHandler> batch_handlers;
  // Written to claimed_by for diagnostics; default "<hostname>/<pid>/<random>".
  std::string relay_id;
  // How long a claim lasts without renewal (renewed every lease/3 while its calls run,
  // so a slow receiver keeps it); another relay takes over an event whose claim expired
  // (a relay that died). Short, so a replica killed mid-delivery delays its events by
  // seconds: a restarted catalog releases the interpretation within issue 9's 10 s.
  absl::Duration lease = absl::Seconds(6);
  // How often the table is looked at without a Notify (events of other replicas, ends
  // of back-offs, expired claims). A back-off ending sooner wakes the relay sooner.
  absl::Duration poll_interval = absl::Seconds(1);
  // The shortest time between two claims when the first found less than a batch: what
  // a Notify waits at most before its event is claimed during a stream of commits (an
  // event after a quiet spell is claimed at once), and what bounds the claim rate (three
  // statements each, and one call per claim for a batch handler): at 20 ms, to 50
  // claims/s, so a stream of 500 commits/s is claimed and delivered ~10 at a time (issue
  // 9's bench: 5 → 20 ms cut the CPU per interpreted publication by about a quarter).
  absl::Duration claim_spacing = absl::Milliseconds(20);
  // Events claimed per round, and delivered by up to `delivery_threads` threads.
  int batch_size = 32;
  int delivery_threads = 8;
  BackoffPolicy backoff;
  // Attempts after which a retryable failure parks the event too; 0 = retry forever
  // (the default: the age alert tells an operator, nothing is given up on).
  int max_attempts = 0;
  // Delivered events are deleted `retention` after delivery, `purge_batch_size` rows
  // per statement, checked every `purge_interval`.
  absl::Duration retention = absl::Hours(24 * 7);
  absl::Duration purge_interval = absl::Hours(1);
  int purge_batch_size = 1000;
  // How often the backlog, age and parked gauges are read from the table.
  absl::Duration metrics_interval = absl::Seconds(10);
};

class Relay : public Notifier {
 public:
  ~Relay() override = default;

  // Starts the relay thread and the delivery threads. FAILED_PRECONDITION when the
  // outbox_events table is missing (migrations not applied) or the relay was stopped;
  // OK (doing nothing) when already running. Call it from ServiceApp::Start.
  virtual absl::Status Start() = 0;

  // Stops: no new claims, in-flight handler calls finish (their deadlines bound this),
  // claims on events not yet attempted are released so another replica can take them
  // at once. Idempotent; the destructor calls it.
  virtual void Stop() = 0;

  // One claim-and-deliver round on the calling thread (the thread must not be running
  // it too; for tests and tools): claims up to batch_size due events, delivers them,
  // records the outcomes. Returns how many events were attempted.
  virtual absl::StatusOr<int> DeliverOnce() = 0;

  // Reads the backlog, oldest age and parked counts and sets the gauges now (the relay
  // thread also does it every metrics_interval).
  virtual absl::Status RefreshMetrics() = 0;
};

// `pool`, `clock` and `registry` are not owned and must outlive the relay; `registry`
// may be null (no metrics). INVALID_ARGUMENT for bad options (no handlers, a bad topic,
// non-positive durations or sizes, lease not longer than poll_interval).
absl::StatusOr<std::unique_ptr<Relay>> NewRelay(db::ConnectionPool* pool, const Clock* clock,
                                                metrics::Registry* registry, RelayOptions options);

// ---------------------------------------------------------------------------------
// Inspecting and operating (gongkai-outbox style tools, tests, runbooks)

struct TopicStats {
  std::string topic;
  int64_t backlog = 0;  // Not delivered, not parked.
  std::optional<absl::Time> oldest_undelivered_create_time;
  int64_t parked = 0;
};

// Per topic with any pending or parked event, sorted by topic.
absl::StatusOr<std::vector<TopicStats>> ReadTopicStats(db::ConnectionPool& pool);

enum class EventState { kPending = 0, kDelivered = 1, kParked = 2 };

// One stored event with its delivery state, for tests and operators.
struct StoredEvent {
  DeliveredEvent event;  // attempt = attempts made so far + 1.
  EventState state = EventState::kPending;
  int attempts = 0;
  absl::Time next_attempt_time;
  std::optional<absl::Time> delivered_time;
  std::optional<absl::Time> parked_time;
  std::string last_error;  // "<CODE>: <message>", empty before the first failure.
  std::string claimed_by;  // Empty when unclaimed.
  std::optional<absl::Time> claim_until;
};

// NOT_FOUND when no event has this key.
absl::StatusOr<StoredEvent> ReadEvent(db::ConnectionPool& pool, absl::string_view event_key);

// Puts parked events of `topic` (all of them, or only `event_key` when not empty) back
// in the queue, due at `now`. Returns how many.
absl::StatusOr<int64_t> RequeueParked(db::ConnectionPool& pool, absl::string_view topic,
                                      absl::string_view event_key, absl::Time now);

// Deletes delivered events delivered before `delivered_before`, `batch_size` per
// statement, until none is left or `stopping` (may be empty) says so. Returns how many.
absl::StatusOr<int64_t> PurgeDelivered(db::ConnectionPool& pool, absl::Time delivered_before,
                                       int batch_size = 1000,
                                       const std::function<bool()>& stopping = {});

}  // namespace gongkai::outbox

#endif  // GONGKAI_LIBS_OUTBOX_OUTBOX_H_
