// robots.txt rules (RFC 9309) for the prober: the group for our user agent (product
// token "gongkai") or else "*", Allow/Disallow by longest match, "*" and "$" in paths.
//
//   RobotsRules rules = RobotsRules::Parse(body, "gongkai");
//   if (!rules.Allows("/news/index.html")) ...   // not fetched, recorded as disallowed
//
// A missing robots.txt (4xx) allows everything; an unreachable one (5xx, timeout) is
// read as "allow" too: the availability probe records the failure itself, and NAT-13
// requires monitoring whatever the site says. Thread-safety: immutable after Parse.
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_ROBOTS_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_ROBOTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::website::prober {

class RobotsRules {
 public:
  RobotsRules() = default;  // Allows everything.
  static RobotsRules Parse(absl::string_view body, absl::string_view product_token);
  // `path` is the URL's path and query ("/a/b?x=1").
  bool Allows(absl::string_view path) const;

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
};

// The path and query of an absolute URL ("/" when it has none).
std::string PathOfUrl(absl::string_view url);
// "scheme://host:port" of an absolute URL (the politeness and robots key).
std::string OriginOfUrl(absl::string_view url);

}  // namespace gongkai::website::prober

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_ROBOTS_H_
