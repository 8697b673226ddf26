// The relay of outbox.h: one thread that claims batches of due events and a small pool
// of delivery threads that call the handlers; outcomes are written back conditioned on
// the claim token (outbox_store.h).
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libs/log/log.h"
#include "libs/outbox/outbox.h"
#include "libs/outbox/outbox_store.h"
#include "libs/status/status_macros.h"

namespace gongkai::outbox {
namespace {

// A fixed set of threads running closures in FIFO order, until destroyed.
class DeliveryThreads {
 public:
  explicit DeliveryThreads(int count) {
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~DeliveryThreads() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    for (std::thread& t : threads_) t.join();
  }
  DeliveryThreads(const DeliveryThreads&) = delete;
  DeliveryThreads& operator=(const DeliveryThreads&) = delete;

  void Schedule(std::function<void()> task) {
    absl::MutexLock lock(&mu_);
    tasks_.push_back(std::move(task));
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> task;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](DeliveryThreads* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
              return self->done_ || !self->tasks_.empty();
            },
            this));
        if (tasks_.empty()) return;  // done_ and nothing left.
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// One claimed batch in flight: its events are delivered by the delivery threads; the
// thread that finishes the last one records the batch's successes (one statement) and
// releases what a stop left unattempted.
struct Batch {
  std::string token;
  std::vector<DeliveredEvent> events;
  std::vector<int64_t> ids;
  absl::Mutex mu;
  int remaining ABSL_GUARDED_BY(mu) = 0;
  int attempted ABSL_GUARDED_BY(mu) = 0;
  std::vector<int64_t> delivered ABSL_GUARDED_BY(mu);
  absl::Notification done;
};

std::string DefaultRelayId() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  absl::BitGen bits;
  return absl::StrFormat("%s/%d/%04x", host, static_cast<int>(getpid()),
                         absl::Uniform<uint32_t>(bits, 0, 0x10000));
}

std::vector<double> LagBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};
}

absl::Status ValidateOptions(const RelayOptions& options) {
  if (options.handlers.empty() && options.batch_handlers.empty()) {
    return absl::InvalidArgumentError("relay: no handlers");
  }
  for (const auto& [topic, handler] : options.handlers) {
    if (!internal::IsValidTopic(topic)) {
      return absl::InvalidArgumentError(absl::StrCat("relay: bad topic '", topic, "'"));
    }
    if (handler == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("relay: no handler for '", topic, "'"));
    }
  }
  for (const auto& [topic, handler] : options.batch_handlers) {
    if (!internal::IsValidTopic(topic)) {
      return absl::InvalidArgumentError(absl::StrCat("relay: bad topic '", topic, "'"));
    }
    if (handler == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("relay: no handler for '", topic, "'"));
    }
    if (options.handlers.count(topic) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("relay: topic '", topic, "' has a handler and a batch handler"));
    }
  }
  if (options.lease <= absl::ZeroDuration() || options.poll_interval <= absl::ZeroDuration() ||
      options.lease <= options.poll_interval) {
    return absl::InvalidArgumentError(
        "relay: lease and poll_interval must be positive, the lease longer");
  }
  if (options.batch_size < 1 || options.batch_size > 1000) {
    return absl::InvalidArgumentError("relay: batch_size must be 1..1000");
  }
  if (options.delivery_threads < 1 || options.delivery_threads > 64) {
    return absl::InvalidArgumentError("relay: delivery_threads must be 1..64");
  }
  if (options.backoff.initial <= absl::ZeroDuration() ||
      options.backoff.max < options.backoff.initial || options.backoff.multiplier < 1.0) {
    return absl::InvalidArgumentError(
        "relay: backoff needs 0 < initial <= max and multiplier >= 1");
  }
  if (options.max_attempts < 0) return absl::InvalidArgumentError("relay: max_attempts < 0");
  if (options.claim_spacing < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("relay: claim_spacing must not be negative");
  }
  if (options.retention <= absl::ZeroDuration() || options.purge_interval <= absl::ZeroDuration() ||
      options.purge_batch_size < 1 || options.metrics_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "relay: retention, purge_interval, purge_batch_size and metrics_interval must be "
        "positive");
  }
  return absl::OkStatus();
}

std::vector<std::string> TopicsOf(const RelayOptions& options) {
  std::vector<std::string> topics;
  for (const auto& entry : options.handlers) topics.push_back(entry.first);
  for (const auto& entry : options.batch_handlers) topics.push_back(entry.first);
  return topics;
}

class RelayImpl final : public Relay {
 public:
  RelayImpl(db::ConnectionPool* pool, const Clock* clock, metrics::Registry* registry,
            RelayOptions options)
      : pool_(pool),
        clock_(clock),
        options_(std::move(options)),
        relay_id_(options_.relay_id.empty() ? DefaultRelayId() : options_.relay_id),
        batches_(TopicsOf(options_), options_.batch_size),
        workers_(std::make_unique<DeliveryThreads>(options_.delivery_threads)) {
    if (registry != nullptr) {
      backlog_ = &registry->AddGauge(
          "gongkai_outbox_backlog",
          "Outbox events not yet delivered and not parked (whole table, by topic).", {"topic"});
      oldest_age_ = &registry->AddGauge(
          "gongkai_outbox_oldest_undelivered_age_seconds",
          "Age of the oldest outbox event not yet delivered and not parked, by topic.", {"topic"});
      parked_ = &registry->AddGauge(
          "gongkai_outbox_parked",
          "Outbox events parked after a permanent delivery failure, by topic.", {"topic"});
      delivered_ = &registry->AddCounter("gongkai_outbox_delivered_total",
                                         "Outbox events delivered by this process.", {"topic"});
      failures_ = &registry->AddCounter(
          "gongkai_outbox_delivery_failures_total",
          "Failed outbox delivery attempts by this process, by status code.", {"topic", "code"});
      lag_ =
          &registry->AddHistogram("gongkai_outbox_delivery_lag_seconds",
                                  "Time from an outbox event's creation to its delivery, by topic.",
                                  {"topic"}, LagBuckets());
      absl::MutexLock lock(&metrics_mu_);
      for (const std::string& topic : TopicsOf(options_)) {
        known_topics_.insert(topic);
        backlog_->WithLabels({topic});
        oldest_age_->WithLabels({topic});
        parked_->WithLabels({topic});
        delivered_->WithLabels({topic});
        lag_->WithLabels({topic});
      }
    }
  }

  ~RelayImpl() override { Stop(); }

  absl::Status Start() override {
    absl::MutexLock lock(&lifecycle_mu_);
    if (stopped_) return absl::FailedPreconditionError("outbox relay: stopped");
    if (thread_.joinable()) return absl::OkStatus();
    {
      ASSIGN_OR_RETURN(db::ConnectionLease conn, pool_->Acquire());
      absl::StatusOr<db::ResultSet> probe =
          conn->Query("SELECT COUNT(*) FROM outbox_events WHERE id = 0");
      if (!probe.ok()) {
        if (absl::IsUnavailable(probe.status())) return probe.status();
        return absl::FailedPreconditionError(absl::StrCat(
            "outbox relay: table outbox_events not usable (migration set 'outbox' applied?): ",
            probe.status().message()));
      }
    }
    thread_ = std::thread([this] { Run(); });
    GK_LOG(INFO, "outbox relay started")
        .With("relay_id", relay_id_)
        .With("topics", static_cast<int64_t>(TopicsOf(options_).size()));
    return absl::OkStatus();
  }

  void Stop() override {
    absl::MutexLock lock(&lifecycle_mu_);
    if (stopped_) return;
    stopped_ = true;
    {
      absl::MutexLock wake_lock(&wake_mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
    workers_.reset();  // Joins the delivery threads (they are idle by now).
  }

  void Notify() override {
    absl::MutexLock lock(&wake_mu_);
    notified_ = true;
  }

  absl::StatusOr<int> DeliverOnce() override {
    if (IsStopping()) return absl::FailedPreconditionError("outbox relay: stopped");
    ASSIGN_OR_RETURN(std::shared_ptr<Batch> batch, ClaimBatch());
    if (batch == nullptr) return 0;
    Dispatch(batch);
    // Renew the lease while deliveries run, so a slow receiver does not let another
    // relay take the events over mid-call (the relay thread does this for its batches).
    while (!batch->done.WaitForNotificationWithTimeout(options_.lease / 3)) Renew(*batch);
    absl::MutexLock lock(&batch->mu);
    return batch->attempted;
  }

  absl::Status RefreshMetrics() override {
    if (backlog_ == nullptr) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<TopicStats> stats, ReadTopicStats(*pool_));
    const absl::Time now = clock_->Now();
    absl::MutexLock lock(&metrics_mu_);
    std::set<std::string> seen;
    for (const TopicStats& s : stats) {
      seen.insert(s.topic);
      known_topics_.insert(s.topic);
      backlog_->WithLabels({s.topic}).Set(static_cast<double>(s.backlog));
      parked_->WithLabels({s.topic}).Set(static_cast<double>(s.parked));
      double age = 0;
      if (s.oldest_undelivered_create_time.has_value()) {
        age = std::max(0.0, absl::ToDoubleSeconds(now - *s.oldest_undelivered_create_time));
      }
      oldest_age_->WithLabels({s.topic}).Set(age);
    }
    for (const std::string& topic : known_topics_) {
      if (seen.count(topic) > 0) continue;
      backlog_->WithLabels({topic}).Set(0);
      parked_->WithLabels({topic}).Set(0);
      oldest_age_->WithLabels({topic}).Set(0);
    }
    return absl::OkStatus();
  }

 private:
  bool IsStopping() {
    absl::MutexLock lock(&wake_mu_);
    return stopping_;
  }

  std::string NewToken() {
    absl::MutexLock lock(&random_mu_);
    return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(random_),
                           absl::Uniform<uint64_t>(random_));
  }

  double Jitter() {
    absl::MutexLock lock(&random_mu_);
    return absl::Uniform(absl::IntervalClosedClosed, random_, 0.0, 1.0);
  }

  enum class Outcome { kDelivered, kFailed, kSkipped };

  // Delivers one claimed event. A success is recorded by the caller with the rest of
  // the batch; a failure is recorded here (retry later, or parked).
  Outcome Attempt(const DeliveredEvent& event, const std::string& token) {
    if (IsStopping()) return Outcome::kSkipped;
    const Handler& handler = options_.handlers.at(event.topic);
    absl::Status status;
    try {
      status = handler(event);
    } catch (const std::exception& e) {
      status = absl::UnknownError(absl::StrCat("handler threw: ", e.what()));
    } catch (...) {
      status = absl::UnknownError("handler threw");
    }
    return Record(event, status, token);
  }

  // Delivers claimed events of one topic in one batch handler call; their outcomes, in
  // their order.
  std::vector<Outcome> AttemptAll(const std::vector<DeliveredEvent>& events,
                                  const std::string& token) {
    if (IsStopping()) return std::vector<Outcome>(events.size(), Outcome::kSkipped);
    const BatchHandler& handler = options_.batch_handlers.at(events.front().topic);
    std::vector<absl::Status> statuses;
    try {
      statuses = handler(events);
    } catch (const std::exception& e) {
      statuses.assign(events.size(),
                      absl::UnknownError(absl::StrCat("batch handler threw: ", e.what())));
    } catch (...) {
      statuses.assign(events.size(), absl::UnknownError("batch handler threw"));
    }
    if (statuses.size() != events.size()) {
      statuses.assign(events.size(),
                      absl::UnknownError(absl::StrCat("batch handler returned ", statuses.size(),
                                                      " statuses for ", events.size(), " events")));
    }
    std::vector<Outcome> outcomes;
    outcomes.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      outcomes.push_back(Record(events[i], statuses[i], token));
    }
    return outcomes;
  }

  // The metrics of one attempt's `status`, and a failure's record (retry later, or
  // parked); a success is recorded with the rest of its batch (Finish).
  Outcome Record(const DeliveredEvent& event, const absl::Status& status,
                 const std::string& token) {
    const absl::Time now = clock_->Now();
    if (status.ok()) {
      if (delivered_ != nullptr) {
        delivered_->WithLabels({event.topic}).Increment();
        lag_->WithLabels({event.topic})
            .Observe(std::max(0.0, absl::ToDoubleSeconds(now - event.create_time)));
      }
      return Outcome::kDelivered;
    }
    if (failures_ != nullptr) {
      failures_->WithLabels({event.topic, absl::StatusCodeToString(status.code())}).Increment();
    }
    const bool retry = IsRetryable(status.code()) &&
                       (options_.max_attempts == 0 || event.attempt < options_.max_attempts);
    absl::StatusOr<bool> recorded;
    if (retry) {
      const absl::Duration delay = BackoffDelay(options_.backoff, event.attempt, Jitter());
      recorded =
          internal::MarkRetry(*pool_, event.id, token, now + delay, internal::FormatError(status));
      WakeAfter(delay);
      GK_LOG(WARNING, "outbox delivery failed; will retry")
          .With("topic", event.topic)
          .With("event_key", event.event_key)
          .With("attempt", event.attempt)
          .With("retry_in", delay)
          .With("error", status);
    } else {
      recorded = internal::MarkParked(*pool_, event.id, token, now, internal::FormatError(status));
      GK_LOG(ERROR, "outbox event parked: delivery failed permanently")
          .With("topic", event.topic)
          .With("destination", event.destination)
          .With("event_key", event.event_key)
          .With("attempt", event.attempt)
          .With("error", status);
    }
    if (!recorded.ok()) {
      // The claim expires and the event is attempted again (at-least-once).
      GK_LOG(WARNING, "outbox relay: recording a delivery outcome failed")
          .With("event_key", event.event_key)
          .With("error", recorded.status());
    } else if (!*recorded) {
      GK_LOG(WARNING, "outbox relay: claim lost before the outcome was recorded")
          .With("event_key", event.event_key)
          .With("relay_id", relay_id_);
    }
    return Outcome::kFailed;
  }

  // The relay thread wakes at the end of a back-off even when that is before the next
  // poll, so a short first back-off is not stretched to the poll interval.
  void WakeAfter(absl::Duration delay) {
    absl::MutexLock lock(&wake_mu_);
    wake_at_ = std::min(wake_at_, absl::Now() + delay);
  }

  // Claims a batch of due events; null when there is none.
  absl::StatusOr<std::shared_ptr<Batch>> ClaimBatch() {
    auto batch = std::make_shared<Batch>();
    batch->token = NewToken();
    const absl::Time now = clock_->Now();
    ASSIGN_OR_RETURN(batch->events,
                     batches_.Claim(*pool_, now, now + options_.lease, batch->token, relay_id_));
    if (batch->events.empty()) return std::shared_ptr<Batch>();
    for (const DeliveredEvent& event : batch->events) batch->ids.push_back(event.id);
    return batch;
  }

  // Hands a claimed batch to the delivery threads; returns at once.
  void Dispatch(const std::shared_ptr<Batch>& batch) {
    {
      absl::MutexLock lock(&batch->mu);
      batch->remaining = static_cast<int>(batch->events.size());
    }
    {
      absl::MutexLock lock(&wake_mu_);
      in_flight_.insert(batch);
      outstanding_events_ += static_cast<int>(batch->events.size());
    }
    // Events of a topic with a batch handler go in one call per topic; the others one
    // call each.
    std::map<std::string, std::vector<DeliveredEvent>> grouped;
    for (const DeliveredEvent& event : batch->events) {
      if (options_.batch_handlers.count(event.topic) > 0) {
        grouped[event.topic].push_back(event);
        continue;
      }
      workers_->Schedule([this, batch, &event] {
        const Outcome outcome = Attempt(event, batch->token);
        Done(batch, {event.id}, {outcome});
      });
    }
    for (auto& [topic, events] : grouped) {
      workers_->Schedule([this, batch, events = std::move(events)] {
        const std::vector<Outcome> outcomes = AttemptAll(events, batch->token);
        std::vector<int64_t> ids;
        for (const DeliveredEvent& event : events) ids.push_back(event.id);
        Done(batch, ids, outcomes);
      });
    }
  }

  // Counts the outcomes of events `ids` of `batch`; the call that completes the batch
  // finishes it.
  void Done(const std::shared_ptr<Batch>& batch, const std::vector<int64_t>& ids,
            const std::vector<Outcome>& outcomes) {
    {
      absl::MutexLock lock(&wake_mu_);
      outstanding_events_ -= static_cast<int>(ids.size());
    }
    bool last = false;
    {
      absl::MutexLock lock(&batch->mu);
      for (size_t i = 0; i < ids.size(); ++i) {
        if (outcomes[i] != Outcome::kSkipped) ++batch->attempted;
        if (outcomes[i] == Outcome::kDelivered) batch->delivered.push_back(ids[i]);
      }
      batch->remaining -= static_cast<int>(ids.size());
      last = batch->remaining == 0;
    }
    if (last) Finish(batch);
  }

  // The last delivery of a batch finished: record its successes in one statement (one
  // commit instead of one per event), release what a stop left unattempted, and let the
  // relay thread claim again (a later event of a delivered one's key is now free).
  void Finish(const std::shared_ptr<Batch>& batch) {
    std::vector<int64_t> delivered;
    {
      absl::MutexLock lock(&batch->mu);
      delivered = batch->delivered;
    }
    absl::StatusOr<int64_t> marked =
        batches_.MarkDelivered(*pool_, delivered, batch->token, clock_->Now());
    if (!marked.ok()) {
      // The claims expire and the events are delivered again (at-least-once).
      GK_LOG(WARNING, "outbox relay: recording deliveries failed")
          .With("events", static_cast<int64_t>(delivered.size()))
          .With("error", marked.status());
    } else if (*marked < static_cast<int64_t>(delivered.size())) {
      GK_LOG(WARNING, "outbox relay: claims lost before deliveries were recorded")
          .With("lost", static_cast<int64_t>(delivered.size()) - *marked)
          .With("relay_id", relay_id_);
    }
    if (IsStopping()) {
      // Events skipped because of the stop: let another replica have them at once.
      absl::Status released = batches_.Release(*pool_, batch->ids, batch->token);
      if (!released.ok()) {
        GK_LOG(WARNING, "outbox relay: releasing claims failed (they expire with the lease)")
            .With("error", released);
      }
    }
    {
      absl::MutexLock lock(&wake_mu_);
      in_flight_.erase(batch);
      batch_finished_ = true;
    }
    batch->done.Notify();
  }

  void Renew(const Batch& batch) {
    absl::Status renewed =
        batches_.Renew(*pool_, batch.ids, batch.token, clock_->Now() + options_.lease);
    if (!renewed.ok()) {
      GK_LOG(WARNING, "outbox relay: lease renewal failed").With("error", renewed);
    }
  }

  void RenewInFlight() {
    std::vector<std::shared_ptr<Batch>> in_flight;
    {
      absl::MutexLock lock(&wake_mu_);
      in_flight.assign(in_flight_.begin(), in_flight_.end());
    }
    for (const std::shared_ptr<Batch>& batch : in_flight) Renew(*batch);
  }

  // The relay thread: claims while fewer than a batch of events are outstanding (so the
  // delivery threads never wait for a claim's or a record's round trip), at most every
  // options_.claim_spacing unless the last claim was full (so a stream of commits is claimed
  // in batches, not one statement triple per event); renews the leases of the batches
  // in flight, purges and refreshes the gauges; sleeps until a Notify (or, without
  // room, until there is room), a finished batch, the end of a back-off or the poll.
  void Run() {
    absl::Time next_metrics = absl::InfinitePast();
    absl::Time next_purge = absl::InfinitePast();
    absl::Time next_renewal = absl::Now() + options_.lease / 3;
    absl::Time last_error_log = absl::InfinitePast();
    absl::Time last_claim = absl::InfinitePast();
    bool last_claim_full = false;
    bool failing = false;
    while (!IsStopping()) {
      bool room = false;
      {
        absl::MutexLock lock(&wake_mu_);
        batch_finished_ = false;
        if (wake_at_ <= absl::Now()) wake_at_ = absl::InfiniteFuture();
        room = outstanding_events_ < options_.batch_size;  // Up to two batches deep.
        // A Notify while there is no room is kept for when there is.
        if (room) notified_ = false;
        waiting_for_room_ = !room;
      }
      if (absl::Now() >= next_renewal) {
        next_renewal = absl::Now() + options_.lease / 3;
        RenewInFlight();
      }
      if (absl::Now() >= next_purge) {
        next_purge = absl::Now() + options_.purge_interval;
        absl::StatusOr<int64_t> purged =
            PurgeDelivered(*pool_, clock_->Now() - options_.retention, options_.purge_batch_size,
                           [this] { return IsStopping(); });
        if (!purged.ok()) {
          GK_LOG(WARNING, "outbox relay: purge failed").With("error", purged.status());
        } else if (*purged > 0) {
          GK_LOG(INFO, "outbox relay: delivered events purged").With("rows", *purged);
        }
      }
      if (absl::Now() >= next_metrics) {
        next_metrics = absl::Now() + options_.metrics_interval;
        absl::Status refreshed = RefreshMetrics();
        if (!refreshed.ok()) {
          GK_LOG(WARNING, "outbox relay: metrics refresh failed").With("error", refreshed);
        }
      }
      if (room) {
        // After a claim that found less than a batch, the next waits a few milliseconds
        // so that events committed meanwhile go in one claim rather than one each.
        if (!last_claim_full && absl::Now() < last_claim + options_.claim_spacing) {
          absl::SleepFor(last_claim + options_.claim_spacing - absl::Now());
        }
        last_claim = absl::Now();
        last_claim_full = false;
        absl::StatusOr<std::shared_ptr<Batch>> batch = ClaimBatch();
        if (absl::IsAborted(batch.status())) {
          // The claim UPDATE met another relay's (a Galera certification conflict, a
          // TiDB write conflict): that relay has the events; look again shortly.
          absl::SleepFor(absl::Milliseconds(10) + absl::Milliseconds(40) * Jitter());
          continue;
        }
        if (!batch.ok()) {
          // The database is down or refusing: log once when it starts and then once a
          // minute, and try again at the next poll.
          if (!failing || absl::Now() - last_error_log >= absl::Minutes(1)) {
            GK_LOG(WARNING, "outbox relay: claiming failed").With("error", batch.status());
            last_error_log = absl::Now();
          }
          failing = true;
        } else {
          if (failing) GK_LOG(INFO, "outbox relay: claiming works again");
          failing = false;
          if (*batch != nullptr) {
            last_claim_full = static_cast<int>((*batch)->events.size()) >= options_.batch_size;
            Dispatch(*batch);
            if (last_claim_full) continue;  // More may be due right now.
          }
        }
      }
      absl::MutexLock lock(&wake_mu_);
      absl::Duration timeout = std::min(options_.poll_interval, next_renewal - absl::Now());
      timeout = std::max(absl::ZeroDuration(), std::min(timeout, wake_at_ - absl::Now()));
      wake_mu_.AwaitWithTimeout(
          absl::Condition(
              +[](RelayImpl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->wake_mu_) {
                return self->stopping_ || self->batch_finished_ ||
                       (self->waiting_for_room_
                            ? self->outstanding_events_ < self->options_.batch_size
                            : self->notified_);
              },
              this),
          timeout);
    }
    // Stopping: the delivery threads skip what they have not started; wait for the
    // calls in progress (their deadlines bound this) and the batches' records.
    absl::MutexLock lock(&wake_mu_);
    wake_mu_.Await(absl::Condition(
        +[](RelayImpl* self)
             ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->wake_mu_) { return self->in_flight_.empty(); },
        this));
  }

  db::ConnectionPool* const pool_;
  const Clock* const clock_;
  const RelayOptions options_;
  const std::string relay_id_;
  const internal::BatchStatements batches_;

  metrics::Family<metrics::Gauge>* backlog_ = nullptr;
  metrics::Family<metrics::Gauge>* oldest_age_ = nullptr;
  metrics::Family<metrics::Gauge>* parked_ = nullptr;
  metrics::Family<metrics::Counter>* delivered_ = nullptr;
  metrics::Family<metrics::Counter>* failures_ = nullptr;
  metrics::Family<metrics::Histogram>* lag_ = nullptr;
  absl::Mutex metrics_mu_;
  std::set<std::string> known_topics_ ABSL_GUARDED_BY(metrics_mu_);

  absl::Mutex random_mu_;
  absl::BitGen random_ ABSL_GUARDED_BY(random_mu_);

  absl::Mutex wake_mu_;
  bool notified_ ABSL_GUARDED_BY(wake_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(wake_mu_) = false;
  absl::Time wake_at_ ABSL_GUARDED_BY(wake_mu_) = absl::InfiniteFuture();
  bool batch_finished_ ABSL_GUARDED_BY(wake_mu_) = false;
  std::set<std::shared_ptr<Batch>> in_flight_ ABSL_GUARDED_BY(wake_mu_);
  // Claimed events not yet attempted or in their handler.
  int outstanding_events_ ABSL_GUARDED_BY(wake_mu_) = 0;
  bool waiting_for_room_ ABSL_GUARDED_BY(wake_mu_) = false;

  absl::Mutex lifecycle_mu_;
  bool stopped_ ABSL_GUARDED_BY(lifecycle_mu_) = false;
  std::thread thread_;
  std::unique_ptr<DeliveryThreads> workers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Relay>> NewRelay(db::ConnectionPool* pool, const Clock* clock,
                                                metrics::Registry* registry, RelayOptions options) {
  if (pool == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError("relay: pool and clock are required");
  }
  RETURN_IF_ERROR(ValidateOptions(options));
  return std::unique_ptr<Relay>(new RelayImpl(pool, clock, registry, std::move(options)));
}

}  // namespace gongkai::outbox
