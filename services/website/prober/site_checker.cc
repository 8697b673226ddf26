#include "services/website/prober/site_checker.h"

#include "absl/strings/match.h"
#include "libs/protoconv/protoconv.h"

namespace gongkai::website::prober {
namespace {

bool Success(const HttpResponse& r) { return r.error.empty() && r.status >= 200 && r.status < 300; }

std::string Describe(const FetchOutcome& outcome) {
  if (!outcome.response.error.empty()) return outcome.response.error;
  return absl::StrCat("http ", outcome.response.status);
}

}  // namespace

std::vector<std::string> SampleLinks(const std::vector<std::string>& links, int count) {
  if (count <= 0) return {};
  if (static_cast<int>(links.size()) <= count) return links;
  std::vector<std::string> sample;
  const double step = static_cast<double>(links.size()) / count;
  for (int k = 0; k < count; ++k) {
    sample.push_back(links[static_cast<size_t>(k * step)]);
  }
  return sample;
}

v1::Probe SiteChecker::Check(const CheckTarget& target, const CheckOptions& options,
                             absl::CivilDay today, absl::Time now) const {
  v1::Probe probe;
  probe.set_site_id(target.site_id);
  *probe.mutable_probe_time() = ToTimestamp(now);
  const FetchOutcome home = fetcher_->Fetch(target.url, options.home_timeout);
  probe.set_http_status(home.response.status);
  probe.set_elapsed_ms(absl::ToInt64Milliseconds(home.response.elapsed));
  probe.set_final_url(home.response.final_url);
  probe.set_robots_disallowed(home.disallowed);
  // NAT-13: the home page loads (2xx after redirects) within the limit.
  probe.set_home_ok(Success(home.response) && home.response.elapsed <= options.home_timeout);
  if (!probe.home_ok()) {
    probe.set_error(home.response.error.empty() && home.response.elapsed > options.home_timeout
                        ? "slower than the home-page limit"
                        : Describe(home));
  }
  if (!options.content) return probe;
  probe.set_content_checked(true);
  if (probe.home_ok()) {
    if (auto latest = LatestDateInPage(home.response.body, today)) {
      *probe.mutable_home_latest_date() = ToProtoDate(*latest);
    }
    const std::string text = PageText(home.response.body);
    for (const std::string& name : target.leader_names) {
      if (!absl::StrContains(text, name)) probe.add_leader_names_missing(name);
    }
    const std::string base = home.response.final_url.empty() ? target.url : home.response.final_url;
    const std::vector<std::string> sample =
        SampleLinks(ExtractLinks(home.response.body, base, 2000), options.links_sampled);
    probe.set_links_sampled(static_cast<int32_t>(sample.size()));
    for (const std::string& link : sample) {
      const FetchOutcome fetched = fetcher_->Fetch(link, options.home_timeout);
      if (fetched.disallowed || Success(fetched.response)) continue;
      v1::LinkCheck* broken = probe.add_broken_links();
      broken->set_url(link);
      broken->set_http_status(fetched.response.status);
      broken->set_error(Describe(fetched));
    }
  }
  for (const ColumnTarget& column : target.columns) {
    v1::ColumnCheck* check = probe.add_columns();
    check->set_column_id(column.id);
    const FetchOutcome page = fetcher_->Fetch(column.url, options.home_timeout);
    if (!Success(page.response)) {
      check->set_error(Describe(page));
      continue;
    }
    check->set_fetched(true);
    const ExtractionResult found = column.extraction.Run(page.response.body, today);
    check->set_items_found(static_cast<int32_t>(found.items.size()));
    check->set_undated_items(found.undated_items);
    if (found.latest_date) *check->mutable_latest_date() = ToProtoDate(*found.latest_date);
  }
  return probe;
}

}  // namespace gongkai::website::prober
