// Files the gateway serves from memory: GET /openapi.json and the /docs page.
//
// Both are built at compile time (gateway/openapi/openapi.cmake): openapi.json from
// every .proto under protos/gongkai (protoc-gen-swagger, then
// gateway/openapi/build_openapi.py), the page from gateway/docs/. Nothing is read
// from disk or fetched from a CDN at run time.
//
//   if (path == "/openapi.json") Reply(200, "application/json", OpenApiJson());
//   else if (auto asset = FindDocsAsset(path)) {
//     Reply(200, asset->content_type, asset->content, {{"ETag", asset->etag}});
//   }
//
// Thread-safety: the data are immutable statics; every function may be called from any
// thread.
#ifndef GONGKAI_GATEWAY_STATIC_ASSETS_H_
#define GONGKAI_GATEWAY_STATIC_ASSETS_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace gongkai::gateway {

struct StaticAsset {
  absl::string_view path;          // "/docs/docs.js"
  absl::string_view content_type;  // "application/javascript; charset=utf-8"
  absl::string_view content;
  absl::string_view etag;  // Strong ETag (quoted) derived from the content's SHA-256.
};

// The OpenAPI (Swagger 2.0) document, UTF-8 JSON.
absl::string_view OpenApiJson();
// The ETag of OpenApiJson().
absl::string_view OpenApiJsonEtag();

// The /docs page (UTF-8 HTML); it loads /docs/docs.css, /docs/docs.js and /openapi.json.
absl::string_view DocsHtml();

// The asset served at URL path `path`: "/docs", "/docs/" and "/docs/index.html" are the
// page, "/docs/<file>" the other files of gateway/docs/. nullopt for anything else
// (including any path with "..", a query string or a fragment: strip those first).
std::optional<StaticAsset> FindDocsAsset(absl::string_view path);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_STATIC_ASSETS_H_
