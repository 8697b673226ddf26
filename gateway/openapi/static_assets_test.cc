#include "gateway/static_assets.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

TEST(StaticAssetsTest, OpenApiJsonIsTheBuiltDocumentByteForByte) {
  std::ifstream in(GATEWAY_OPENAPI_JSON_PATH, std::ios::binary);
  ASSERT_TRUE(in) << GATEWAY_OPENAPI_JSON_PATH;
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(OpenApiJson(), file.str());
}

TEST(StaticAssetsTest, OpenApiJsonIsSwagger2WithAuthAndErrorBody) {
  nlohmann::json spec = nlohmann::json::parse(OpenApiJson(), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(spec.is_discarded());
  EXPECT_EQ(spec["swagger"], "2.0");
  EXPECT_EQ(spec["info"]["title"], "gongkai API");
  EXPECT_TRUE(spec["securityDefinitions"].contains("bearer"));
  EXPECT_TRUE(spec["securityDefinitions"].contains("apiKey"));
  EXPECT_TRUE(spec["definitions"].contains("rpcStatus"));
  EXPECT_FALSE(spec["paths"].empty());
}

TEST(StaticAssetsTest, OpenApiEtagIsQuotedHex) {
  EXPECT_THAT(std::string(OpenApiJsonEtag()), MatchesRegex("\"[0-9a-f]{32}\""));
}

TEST(StaticAssetsTest, DocsPageIsUtf8HtmlLoadingItsOwnFilesOnly) {
  const std::string html(DocsHtml());
  EXPECT_THAT(html, StartsWith("<!doctype html>"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("src=\"/docs/docs.js\""));
  EXPECT_THAT(html, HasSubstr("href=\"/docs/docs.css\""));
  EXPECT_EQ(html.find("http://"), std::string::npos) << "no CDN or other site";
  EXPECT_EQ(html.find("https://"), std::string::npos) << "no CDN or other site";
}

TEST(StaticAssetsTest, DocsPathsMapToThePage) {
  for (const char* path : {"/docs", "/docs/", "/docs/index.html"}) {
    std::optional<StaticAsset> asset = FindDocsAsset(path);
    ASSERT_TRUE(asset.has_value()) << path;
    EXPECT_EQ(asset->content, DocsHtml());
    EXPECT_EQ(asset->content_type, "text/html; charset=utf-8");
  }
}

TEST(StaticAssetsTest, ScriptAndStyleHaveTheirContentTypes) {
  std::optional<StaticAsset> js = FindDocsAsset("/docs/docs.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->content_type, "application/javascript; charset=utf-8");
  EXPECT_THAT(std::string(js->content), HasSubstr("fetch(\"/openapi.json\""));
  std::optional<StaticAsset> css = FindDocsAsset("/docs/docs.css");
  ASSERT_TRUE(css.has_value());
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_NE(js->etag, css->etag);
}

TEST(StaticAssetsTest, UnknownAndTraversalPathsAreNotFound) {
  for (const char* path : {"/docs/missing.js", "/docs/../openapi.json", "/docs/docs.js?v=1",
                           "/docs//docs.js", "/openapi.json", "/", "", "/DOCS/docs.js"}) {
    EXPECT_FALSE(FindDocsAsset(path).has_value()) << path;
  }
}

}  // namespace
}  // namespace gongkai::gateway
