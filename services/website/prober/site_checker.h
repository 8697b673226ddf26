// One check of one site (NAT-13): the home page within the rule set's limit (15 s), and
// — when a content check is due — each column's latest date and emptiness, the home
// page's latest date, a sample of the home page's links, and the configured leaders'
// names. The result is a v1::Probe ready to store; nothing here touches the database.
//
//   SiteChecker checker(&polite_fetcher);
//   v1::Probe probe = checker.Check(target, {.home_timeout = absl::Seconds(15),
//                                            .links_sampled = 20, .content = true}, today);
//
// Thread-safe (the fetcher is).
#ifndef GONGKAI_SERVICES_WEBSITE_PROBER_SITE_CHECKER_H_
#define GONGKAI_SERVICES_WEBSITE_PROBER_SITE_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gongkai/website/v1/website.pb.h"
#include "services/website/prober/page_analysis.h"
#include "services/website/prober/polite_fetcher.h"

namespace gongkai::website::prober {

namespace v1 = ::gongkai::website::v1;

struct ColumnTarget {
  int64_t id = 0;
  std::string url;
  Extraction extraction;
};

struct CheckTarget {
  int64_t site_id = 0;
  std::string url;
  std::vector<std::string> leader_names;
  std::vector<ColumnTarget> columns;
};

struct CheckOptions {
  absl::Duration home_timeout = absl::Seconds(15);
  int links_sampled = 20;
  bool content = false;  // Columns, links and names too.
};

class SiteChecker {
 public:
  explicit SiteChecker(PoliteFetcher* fetcher) : fetcher_(fetcher) {}

  // probe_time and elapsed are measured; id, slot_start and scheduled are the caller's.
  v1::Probe Check(const CheckTarget& target, const CheckOptions& options, absl::CivilDay today,
                  absl::Time now) const;

 private:
  PoliteFetcher* fetcher_;
};

// Up to `count` of `links`, spread evenly over the list (the first, then every k-th), so
// the sample covers the whole page and is the same on every run.
std::vector<std::string> SampleLinks(const std::vector<std::string>& links, int count);

}  // namespace gongkai::website::prober

#endif  // GONGKAI_SERVICES_WEBSITE_PROBER_SITE_CHECKER_H_
