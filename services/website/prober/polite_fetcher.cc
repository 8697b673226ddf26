#include "services/website/prober/polite_fetcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gongkai::website::prober {

int PoliteFetcher::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

void PoliteFetcher::ForgetIdleOrigins(absl::Time now) {
  if (now - last_prune_ < absl::Minutes(1)) return;
  last_prune_ = now;
  for (auto it = next_turn_.begin(); it != next_turn_.end();) {
    it = it->second + options_.robots_ttl < now ? next_turn_.erase(it) : std::next(it);
  }
  for (auto it = robots_.begin(); it != robots_.end();) {
    it = it->second.expires < now ? robots_.erase(it) : std::next(it);
  }
}

void PoliteFetcher::WaitForTurn(const std::string& origin) {
  absl::Time turn;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    ForgetIdleOrigins(now);
    absl::Time& next = next_turn_[origin];
    turn = std::max(now, next);
    next = turn + options_.host_interval;
  }
  const absl::Duration wait = turn - absl::Now();
  if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
}

HttpResponse PoliteFetcher::Limited(const std::string& url, absl::Duration timeout) {
  {
    absl::MutexLock lock(&mu_);
    const auto has_slot = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return in_flight_ < options_.max_concurrency;
    };
    mu_.Await(absl::Condition(&has_slot));
    ++in_flight_;
  }
  HttpResponse response = client_->Get(url, timeout);
  absl::MutexLock lock(&mu_);
  --in_flight_;
  return response;
}

const RobotsRules& PoliteFetcher::RulesFor(const std::string& origin, RobotsRules& storage) {
  {
    absl::MutexLock lock(&mu_);
    auto it = robots_.find(origin);
    if (it != robots_.end() && it->second.expires > absl::Now()) {
      storage = it->second.rules;
      return storage;
    }
  }
  WaitForTurn(origin);
  const HttpResponse robots = Limited(absl::StrCat(origin, "/robots.txt"), options_.robots_timeout);
  // 2xx: the rules; anything else (missing, error, unreachable): allow everything.
  storage = robots.error.empty() && robots.status >= 200 && robots.status < 300
                ? RobotsRules::Parse(robots.body, kRobotsToken)
                : RobotsRules();
  absl::MutexLock lock(&mu_);
  robots_[origin] = RobotsEntry{storage, absl::Now() + options_.robots_ttl};
  return storage;
}

FetchOutcome PoliteFetcher::Fetch(const std::string& url, absl::Duration timeout) {
  FetchOutcome outcome;
  const std::string origin = OriginOfUrl(url);
  if (options_.honour_robots) {
    RobotsRules storage;
    if (!RulesFor(origin, storage).Allows(PathOfUrl(url))) {
      outcome.disallowed = true;
      outcome.response.error = "disallowed by robots.txt";
      return outcome;
    }
  }
  WaitForTurn(origin);
  outcome.response = Limited(url, timeout);
  return outcome;
}

}  // namespace gongkai::website::prober
