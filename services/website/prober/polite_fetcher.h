// The prober's manners, around an HttpClient: robots.txt honoured per origin (cached),
// at most one request per origin every `host_interval` (per-host politeness), and at
// most `max_concurrency` requests in flight in the process (bounded global concurrency).
//
//   PoliteFetcher fetcher(&curl_client, {.max_concurrency = 16,
//                                        .host_interval = absl::Seconds(1)});
//   FetchOutcome page = fetcher.Fetch(url, absl::Seconds(15));
//   if (page.disallowed) ...   // robots.txt says no: not fetched
//
// Waiting for an origin's turn happens before a concurrency slot is taken, so a slow
// host never holds slots that others could use. The per-origin tables forget origins
// idle for longer than robots_ttl, so memory stays bounded with many sites.
// Thread-safe.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_POLITE_FETCHER_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_POLITE_FETCHER_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/website/prober/http_client.h"
#include "services/website/prober/robots.h"

namespace gongkai::website::prober {

struct PolitenessOptions {
  int max_concurrency = 16;
  absl::Duration host_interval = absl::Seconds(1);
  absl::Duration robots_ttl = absl::Hours(1);
  absl::Duration robots_timeout = absl::Seconds(10);
  bool honour_robots = true;
};

struct FetchOutcome {
  HttpResponse response;
  bool disallowed = false;  // robots.txt forbids the URL; nothing was fetched.
};

class PoliteFetcher {
 public:
  // `client` must outlive the fetcher.
  PoliteFetcher(HttpClient* client, PolitenessOptions options)
      : client_(client), options_(options) {}

  FetchOutcome Fetch(const std::string& url, absl::Duration timeout);

  // Requests in flight now (a gauge).
  int in_flight() const;

 private:
  void WaitForTurn(const std::string& origin);
  const RobotsRules& RulesFor(const std::string& origin, RobotsRules& storage);
  HttpResponse Limited(const std::string& url, absl::Duration timeout);
  void ForgetIdleOrigins(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  struct RobotsEntry {
    RobotsRules rules;
    absl::Time expires;
  };

  HttpClient* client_;
  PolitenessOptions options_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, absl::Time> next_turn_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, RobotsEntry> robots_ ABSL_GUARDED_BY(mu_);
  absl::Time last_prune_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::website::prober

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_POLITE_FETCHER_H_
