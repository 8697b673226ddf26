// The prober against sites served on loopback by this test (never the internet): fast,
// slow, down, redirected, a bad certificate, robots rules, stale and empty columns,
// broken links, leader names (NAT-13), and the manners of the client (user agent,
// robots caching, bounded concurrency).
#include "services/website/prober/site_checker.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/protoconv/protoconv.h"
#include "services/website/prober/http_client.h"
#include "services/website/prober/local_sites.h"
#include "services/website/prober/polite_fetcher.h"

namespace gongkai::website::prober {
namespace {

using ::testing::HasSubstr;
using testing::LocalSite;
using ::testing::StartsWith;

const absl::CivilDay kToday(2026, 12, 7);

class SiteCheckerTest : public ::testing::Test {
 protected:
  SiteCheckerTest()
      : client_({.connect_timeout = absl::Seconds(2)}),
        fetcher_(&client_, {.max_concurrency = 4, .host_interval = absl::ZeroDuration()}),
        checker_(&fetcher_) {}

  v1::Probe Check(const CheckTarget& target, bool content,
                  absl::Duration timeout = absl::Seconds(5)) {
    return checker_.Check(target,
                          {.home_timeout = timeout, .links_sampled = 20, .content = content},
                          kToday, absl::Now());
  }

  static ColumnTarget Column(int64_t id, const std::string& url, const std::string& selector) {
    absl::StatusOr<Extraction> extraction = Extraction::Parse(selector, "");
    EXPECT_TRUE(extraction.ok());
    return {id, url, *extraction};
  }

  CurlHttpClient client_;
  PoliteFetcher fetcher_;
  SiteChecker checker_;
};

TEST_F(SiteCheckerTest, Nat13FastSiteWithColumnsLinksAndNames) {
  LocalSite site;
  site.Page("/",
            "<html><body><h1>某市人民政府</h1><p>市长 王五</p>"
            "<ul><li><a href='/news/'>要闻</a> 2026-12-05</li>"
            "<li><a href='/notices/'>通知</a></li><li><a href='/gone.html'>旧链接</a></li>"
            "<li><a href='http://127.0.0.1:1/unreachable'>外链</a></li></ul></body></html>");
  site.Page("/news/", "<ul class=list><li>新闻一 2026-12-01</li><li>新闻二 2026-11-28</li></ul>");
  site.Page("/notices/", "<ul class=list><li>通知 2026-03-01</li><li>无日期</li></ul>");
  site.Page("/empty/", "<div>暂无内容</div>");
  ASSERT_TRUE(site.Start().ok());
  CheckTarget target{1,
                     site.Url("/"),
                     {"王五", "赵六"},
                     {Column(11, site.Url("/news/"), "ul.list li"),
                      Column(12, site.Url("/notices/"), "ul.list li"),
                      Column(13, site.Url("/empty/"), "ul.list li")}};
  const v1::Probe probe = Check(target, /*content=*/true);
  EXPECT_TRUE(probe.home_ok()) << probe.error();
  EXPECT_EQ(probe.http_status(), 200);
  EXPECT_TRUE(probe.content_checked());
  EXPECT_EQ(ToCivilDay(probe.home_latest_date()).value(), absl::CivilDay(2026, 12, 5));
  ASSERT_EQ(probe.columns_size(), 3);
  EXPECT_EQ(ToCivilDay(probe.columns(0).latest_date()).value(), absl::CivilDay(2026, 12, 1));
  EXPECT_EQ(probe.columns(1).undated_items(), 1);
  EXPECT_EQ(ToCivilDay(probe.columns(1).latest_date()).value(), absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(probe.columns(2).items_found(), 0);  // Empty column.
  EXPECT_EQ(probe.links_sampled(), 4);
  ASSERT_EQ(probe.broken_links_size(), 2);
  EXPECT_EQ(probe.broken_links(0).http_status(), 404);
  EXPECT_THAT(probe.broken_links(1).error(), StartsWith("connect"));
  ASSERT_EQ(probe.leader_names_missing_size(), 1);
  EXPECT_EQ(probe.leader_names_missing(0), "赵六");
  EXPECT_THAT(site.last_user_agent(), HasSubstr("gongkai"));
}

TEST_F(SiteCheckerTest, Nat13AvailabilityOnlyProbeFetchesTheHomePageAlone) {
  LocalSite site;
  site.Page("/", "<a href='/a'>a</a>");
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {Column(1, site.Url("/a"), "li")}}, false);
  EXPECT_TRUE(probe.home_ok());
  EXPECT_FALSE(probe.content_checked());
  EXPECT_EQ(site.RequestsFor("/a"), 0);
}

TEST_F(SiteCheckerTest, Nat13SlowHomePageFailsAtTheLimit) {
  LocalSite site;
  site.Page("/", "<p>slow</p>", 200, absl::Milliseconds(1500));
  ASSERT_TRUE(site.Start().ok());
  // The rule set's limit is 15 s; a shorter limit proves the same rule quickly.
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, false, absl::Milliseconds(500));
  EXPECT_FALSE(probe.home_ok());
  EXPECT_THAT(probe.error(), StartsWith("timeout"));
}

TEST_F(SiteCheckerTest, Nat13DownSiteFails) {
  LocalSite site;
  site.Page("/", "x");
  ASSERT_TRUE(site.Start().ok());
  const std::string url = site.Url("/");
  site.Stop();
  const v1::Probe probe = Check({1, url, {}, {}}, true);
  EXPECT_FALSE(probe.home_ok());
  EXPECT_THAT(probe.error(), StartsWith("connect"));
  EXPECT_EQ(probe.http_status(), 0);
}

TEST_F(SiteCheckerTest, Nat13ServerErrorFails) {
  LocalSite site;
  site.Page("/", "oops", 503);
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, false);
  EXPECT_FALSE(probe.home_ok());
  EXPECT_EQ(probe.error(), "http 503");
}

TEST_F(SiteCheckerTest, RedirectsAreFollowed) {
  LocalSite site;
  site.Redirect("/", "/portal/index.html");
  site.Page("/portal/index.html", "<p>2026-12-06</p>");
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, true);
  EXPECT_TRUE(probe.home_ok()) << probe.error();
  EXPECT_THAT(probe.final_url(), HasSubstr("/portal/index.html"));
  EXPECT_EQ(ToCivilDay(probe.home_latest_date()).value(), absl::CivilDay(2026, 12, 6));
}

TEST_F(SiteCheckerTest, EndlessRedirectsFail) {
  LocalSite site;
  site.Redirect("/", "/a");
  site.Redirect("/a", "/");
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, false);
  EXPECT_FALSE(probe.home_ok());
  EXPECT_THAT(probe.error(), StartsWith("redirects"));
}

TEST_F(SiteCheckerTest, BadCertificateFailsTlsVerification) {
  LocalSite site;
  site.Page("/", "<p>secret</p>");
  ASSERT_TRUE(site.StartTls(::testing::TempDir()).ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, false);
  EXPECT_FALSE(probe.home_ok());
  EXPECT_THAT(probe.error(), StartsWith("tls"));
}

// The same site trusted through the CA file option: the TLS stack the process runs with
// (OpenSSL through libcurl; ctest sets GNUTLS_NO_IMPLICIT_INIT=1 as the deployments do,
// services/website/service.env) completes a verified handshake and reads the page.
TEST(CurlHttpClientTest, Nat13TlsSiteTrustedThroughTheCaFileIsFetched) {
  LocalSite site;
  site.Page("/", "<p>secret</p>");
  ASSERT_TRUE(site.StartTls(::testing::TempDir()).ok());
  CurlHttpClient client({.connect_timeout = absl::Seconds(2),
                         .ca_file = ::testing::TempDir() + "/local-site-cert.pem"});
  const HttpResponse response = client.Get(site.Url("/"), absl::Seconds(5));
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<p>secret</p>");
}

TEST_F(SiteCheckerTest, RobotsDisallowedPagesAreNotFetchedAndRobotsIsCached) {
  LocalSite site;
  site.Robots("User-agent: gongkai\nDisallow: /private/\n");
  site.Page("/", "<a href='/private/x'>p</a><a href='/open'>o</a>");
  site.Page("/private/x", "never");
  site.Page("/open", "ok");
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, true);
  EXPECT_TRUE(probe.home_ok());
  EXPECT_EQ(probe.broken_links_size(), 0);  // Disallowed links are skipped, not broken.
  EXPECT_EQ(site.RequestsFor("/private/x"), 0);
  EXPECT_EQ(site.RequestsFor("/open"), 1);
  Check({1, site.Url("/"), {}, {}}, false);
  EXPECT_EQ(site.RequestsFor("/robots.txt"), 1);
}

TEST_F(SiteCheckerTest, RobotsForbiddingTheHomePageIsRecordedNotFailed) {
  LocalSite site;
  site.Robots("User-agent: *\nDisallow: /\n");
  site.Page("/", "x");
  ASSERT_TRUE(site.Start().ok());
  const v1::Probe probe = Check({1, site.Url("/"), {}, {}}, false);
  EXPECT_TRUE(probe.robots_disallowed());
  EXPECT_EQ(site.RequestsFor("/"), 0);
}

// A client that counts how many requests overlap.
class CountingClient final : public HttpClient {
 public:
  HttpResponse Get(const std::string&, absl::Duration) override {
    {
      absl::MutexLock lock(&mu_);
      ++now_;
      peak_ = std::max(peak_, now_);
    }
    absl::SleepFor(absl::Milliseconds(20));
    absl::MutexLock lock(&mu_);
    --now_;
    HttpResponse r;
    r.status = 200;
    return r;
  }
  int peak() {
    absl::MutexLock lock(&mu_);
    return peak_;
  }

 private:
  absl::Mutex mu_;
  int now_ = 0;
  int peak_ = 0;
};

TEST(PoliteFetcherTest, GlobalConcurrencyIsBounded) {
  CountingClient client;
  PoliteFetcher fetcher(
      &client,
      {.max_concurrency = 3, .host_interval = absl::ZeroDuration(), .honour_robots = false});
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back(
        [&, i] { fetcher.Fetch(absl::StrCat("http://host", i, ".test/"), absl::Seconds(1)); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(client.peak(), 3);
  EXPECT_GE(client.peak(), 1);
  EXPECT_EQ(fetcher.in_flight(), 0);
}

// A client that notes when each request started.
class TimingClient final : public HttpClient {
 public:
  HttpResponse Get(const std::string&, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    starts_.push_back(absl::Now());
    HttpResponse r;
    r.status = 200;
    return r;
  }
  std::vector<absl::Time> starts() {
    absl::MutexLock lock(&mu_);
    return starts_;
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Time> starts_;
};

// Per-host politeness: requests to one origin are spaced by at least host_interval,
// even from several threads at once. Each request gets its own turn, one interval after
// the previous one, and never starts before it; so the k-th request to start started at
// least k intervals after the test began. (A lower bound only, so a loaded machine cannot
// make it fail; the gap between two starts can: a thread woken late for its turn starts
// closer to the next one.)
TEST(PoliteFetcherTest, RequestsToOneHostAreSpacedByTheHostInterval) {
  TimingClient client;
  const absl::Duration interval = absl::Milliseconds(150);
  PoliteFetcher fetcher(&client,
                        {.max_concurrency = 8, .host_interval = interval, .honour_robots = false});
  const absl::Time began = absl::Now();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(
        [&, i] { fetcher.Fetch(absl::StrCat("http://one.test/page", i), absl::Seconds(1)); });
  }
  for (std::thread& t : threads) t.join();
  std::vector<absl::Time> starts = client.starts();
  ASSERT_EQ(starts.size(), 4u);
  std::sort(starts.begin(), starts.end());
  for (size_t k = 1; k < starts.size(); ++k) {
    EXPECT_GE(starts[k] - began, static_cast<int64_t>(k) * interval) << k;
  }
}

TEST(SampleLinksTest, SpreadsTheSampleOverThePage) {
  std::vector<std::string> links;
  for (int i = 0; i < 10; ++i) links.push_back(absl::StrCat(i));
  EXPECT_THAT(SampleLinks(links, 5), ::testing::ElementsAre("0", "2", "4", "6", "8"));
  EXPECT_EQ(SampleLinks(links, 20).size(), 10u);
  EXPECT_TRUE(SampleLinks(links, 0).empty());
}

}  // namespace
}  // namespace gongkai::website::prober
