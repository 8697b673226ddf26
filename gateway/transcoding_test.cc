// Route table and transcoder against the test EchoService (gateway/testdata) and the real
// descriptor set of the suite.
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "gmock/gmock.h"
#include "gongkai/gatewaytest/v1/echo.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"

namespace gongkai::gateway {
namespace {

using gatewaytest::v1::EchoRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kEchoService[] = "gongkai.gatewaytest.v1.EchoService";

class TranscodingTest : public ::testing::Test {
 protected:
  TranscodingTest() : transcoder_(google::protobuf::DescriptorPool::generated_pool()) {
    absl::StatusOr<RouteTable> routes =
        RouteTable::Build(*google::protobuf::DescriptorPool::generated_pool(), {kEchoService});
    EXPECT_TRUE(routes.ok()) << routes.status();
    routes_ = *std::move(routes);
  }

  // Builds the request for METHOD PATH?QUERY with BODY and parses it back.
  absl::StatusOr<EchoRequest> Build(absl::string_view method, absl::string_view target,
                                    absl::string_view body = "") {
    absl::string_view path = target.substr(0, target.find('?'));
    absl::string_view query =
        target.find('?') == absl::string_view::npos ? "" : target.substr(target.find('?') + 1);
    RouteTable::Lookup hit = routes_.Find(method, path);
    if (hit.route == nullptr) return absl::NotFoundError("no route");
    absl::StatusOr<std::string> bytes =
        transcoder_.BuildRequest(*hit.route, hit.bindings, query, body);
    if (!bytes.ok()) return bytes.status();
    EchoRequest request;
    EXPECT_TRUE(request.ParseFromString(*bytes));
    return request;
  }

  static std::string ViolatedField(const absl::Status& status) {
    std::vector<FieldViolation> v = FieldViolationsOf(status);
    return v.empty() ? "<none>" : v[0].field;
  }

  RouteTable routes_;
  Transcoder transcoder_;
};

TEST_F(TranscodingTest, RoutesComeFromTheAnnotationsIncludingAdditionalBindings) {
  EXPECT_EQ(routes_.routes().size(), 11u);
  RouteTable::Lookup get = routes_.Find("GET", "/v1/echo/5");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->grpc_method, "/gongkai.gatewaytest.v1.EchoService/Get");
  EXPECT_EQ(get.route->backend, "gatewaytest");
  RouteTable::Lookup extra = routes_.Find("GET", "/v1/units/3/documents/7");
  ASSERT_NE(extra.route, nullptr);
  EXPECT_EQ(extra.route->grpc_method, "/gongkai.gatewaytest.v1.EchoService/Get");
  EXPECT_THAT(extra.bindings, ElementsAre(Pair("name", "units/3/documents/7")));
}

TEST_F(TranscodingTest, CustomVerbRouteWinsAndOtherMethodsGet405) {
  RouteTable::Lookup publish = routes_.Find("POST", "/v1/echo/5:publish");
  ASSERT_NE(publish.route, nullptr);
  EXPECT_EQ(publish.route->grpc_method, "/gongkai.gatewaytest.v1.EchoService/Publish");
  RouteTable::Lookup wrong = routes_.Find("GET", "/v1/echo/5:publish");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_THAT(wrong.allowed_methods, ElementsAre("POST"));
}

TEST_F(TranscodingTest, UnknownPathIs404AndWrongMethodListsAllowed) {
  RouteTable::Lookup none = routes_.Find("GET", "/v1/nothing");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_TRUE(none.allowed_methods.empty());
  RouteTable::Lookup wrong = routes_.Find("POST", "/v1/echo/5");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_THAT(wrong.allowed_methods, ElementsAre("DELETE", "GET", "PUT"));
}

TEST_F(TranscodingTest, AccessOptionIsReadFromTheMethod) {
  EXPECT_EQ(routes_.Find("GET", "/v1/public/echo").route->access, api::ACCESS_PUBLIC_READ);
  EXPECT_EQ(routes_.Find("POST", "/v1/public/echo").route->access, api::ACCESS_PUBLIC_WRITE);
  EXPECT_EQ(routes_.Find("GET", "/v1/echo/1").route->access, api::ACCESS_AUTHENTICATED);
}

TEST_F(TranscodingTest, PathVariableSetsTheField) {
  absl::StatusOr<EchoRequest> r = Build("GET", "/v1/echo/42");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id(), 42);
}

TEST_F(TranscodingTest, PathVariableOfTheWrongTypeNamesTheField) {
  absl::StatusOr<EchoRequest> r = Build("GET", "/v1/echo/abc");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedField(r.status()), "id");
}

TEST_F(TranscodingTest, QueryParametersNestedRepeatedEnumsAndJsonNames) {
  absl::StatusOr<EchoRequest> r =
      Build("GET",
            "/v1/echo/1?inner.label=%E5%85%AC%E5%BC%80&inner.deeper.count=3&tags=a&tags=b+c"
            "&numbers=1&numbers=-2&color=COLOR_RED&colors=2&colors=COLOR_RED&flag=true"
            "&at=2025-01-02T03:04:05Z&day=2024-10-01&ratio=0.5&big=18446744073709551615"
            "&blob=aGk");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->inner().label(), "公开");
  EXPECT_EQ(r->inner().deeper().count(), 3);
  EXPECT_THAT(r->tags(), ElementsAre("a", "b c"));
  EXPECT_THAT(r->numbers(), ElementsAre(1, -2));
  EXPECT_EQ(r->color(), gatewaytest::v1::COLOR_RED);
  EXPECT_THAT(r->colors(), ElementsAre(gatewaytest::v1::COLOR_GREEN, gatewaytest::v1::COLOR_RED));
  EXPECT_TRUE(r->flag());
  EXPECT_EQ(r->at().seconds(), 1735787045);
  EXPECT_EQ(r->day().year(), 2024);
  EXPECT_EQ(r->day().month(), 10);
  EXPECT_EQ(r->day().day(), 1);
  EXPECT_DOUBLE_EQ(r->ratio(), 0.5);
  EXPECT_EQ(r->big(), 18446744073709551615ull);
  EXPECT_EQ(r->blob(), "hi");
}

TEST_F(TranscodingTest, QueryAcceptsProtoAndLowerCamelCaseNames) {
  absl::StatusOr<EchoRequest> r = Build("GET", "/v1/public/echo?displayName=x&inner.label=y");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->display_name(), "x");
  r = Build("GET", "/v1/public/echo?display_name=z");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->display_name(), "z");
}

TEST_F(TranscodingTest, BadQueryValuesNameTheParameter) {
  struct Case {
    const char* target;
    const char* field;
  } cases[] = {
      {"/v1/echo/1?color=PURPLE", "color"},
      {"/v1/echo/1?flag=yes", "flag"},
      {"/v1/echo/1?numbers=1&numbers=x", "numbers"},
      {"/v1/echo/1?inner.count=99999999999", "inner.count"},
      {"/v1/echo/1?at=yesterday", "at"},
      {"/v1/echo/1?day=2024-13", "day"},
      {"/v1/echo/1?nope=1", "nope"},
      {"/v1/echo/1?inner=1", "inner"},
      {"/v1/echo/1?labels=1", "labels"},
      {"/v1/echo/1?id=2", "id"},  // Already set by the path.
      {"/v1/echo/1?tags=%zz", "tags"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<EchoRequest> r = Build("GET", c.target);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.target;
    EXPECT_EQ(ViolatedField(r.status()), c.field) << c.target << ": " << r.status();
  }
}

TEST_F(TranscodingTest, NamedBodyFillsThatFieldAndQueryTheRest) {
  absl::StatusOr<EchoRequest> r =
      Build("POST", "/v1/echo?name=n", R"({"label":"x","tags":["a"],"weight":"7"})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->item().label(), "x");
  EXPECT_EQ(r->item().weight(), 7);
  EXPECT_EQ(r->name(), "n");
  r = Build("POST", "/v1/echo?item.label=y", R"({"label":"x"})");
  EXPECT_EQ(ViolatedField(r.status()), "item.label");
}

TEST_F(TranscodingTest, StarBodyIsTheWholeRequestAndPathWins) {
  absl::StatusOr<EchoRequest> r = Build(
      "PUT", "/v1/echo/9", R"({"id":"1","name":"n","inner":{"label":"l"},"color":"COLOR_GREEN"})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id(), 9);
  EXPECT_EQ(r->name(), "n");
  EXPECT_EQ(r->color(), gatewaytest::v1::COLOR_GREEN);
  // Both JSON names and proto names are accepted in bodies.
  r = Build("PUT", "/v1/echo/9", R"({"inner":{"deeper":{"count":2}},"deadline_millis":1})");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = Build("PUT", "/v1/echo/9", R"({"millis":5,"code":1})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->millis(), 5);
}

TEST_F(TranscodingTest, StarBodyRefusesQueryParameters) {
  absl::StatusOr<EchoRequest> r = Build("PUT", "/v1/echo/9?name=n", "{}");
  EXPECT_EQ(ViolatedField(r.status()), "name");
}

TEST_F(TranscodingTest, JsonErrorsNameTheField) {
  absl::StatusOr<EchoRequest> r = Build("PUT", "/v1/echo/9", R"({"name": 5})");
  EXPECT_EQ(ViolatedField(r.status()), "name") << r.status();
  r = Build("PUT", "/v1/echo/9", R"({"inner": {"count": "many"}})");
  EXPECT_EQ(ViolatedField(r.status()), "inner.count") << r.status();
  r = Build("PUT", "/v1/echo/9", R"({"surprise": 1})");
  EXPECT_EQ(ViolatedField(r.status()), "surprise") << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("surprise"));
  r = Build("PUT", "/v1/echo/9", R"({"name": "x")");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedField(r.status()), "body");
  r = Build("POST", "/v1/echo", R"({"weight": "heavy"})");
  EXPECT_EQ(ViolatedField(r.status()), "item.weight") << r.status();
}

TEST_F(TranscodingTest, BoolsMustBeJsonBooleansAndScalarsNotObjects) {
  absl::StatusOr<EchoRequest> r = Build("PUT", "/v1/echo/9", R"({"flag": "yes"})");
  EXPECT_EQ(ViolatedField(r.status()), "flag") << r.status();
  r = Build("PUT", "/v1/echo/9", R"({"inner": {"deeper": {"label": {"a": 1}}}})");
  EXPECT_EQ(ViolatedField(r.status()), "inner.deeper.label") << r.status();
  r = Build("POST", "/v1/echo", R"({"tags": ["a", ["b"]]})");
  EXPECT_EQ(ViolatedField(r.status()), "item.tags") << r.status();
  r = Build("PUT", "/v1/echo/9", R"({"flag": true, "labels": {"k": "v"}})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->flag());
}

// Issue 15: a body two JSON readers could understand differently is refused — a key
// twice in one object, or one field under both its proto and its JSON name.
TEST_F(TranscodingTest, AFieldGivenTwiceInTheBodyIsRefused) {
  absl::StatusOr<EchoRequest> r = Build("PUT", "/v1/echo/9", R"({"name":"a","name":"b"})");
  EXPECT_EQ(ViolatedField(r.status()), "name") << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("given twice"));
  r = Build("PUT", "/v1/echo/9", R"({"inner":{"deeper":{"count":1,"count":2}}})");
  EXPECT_EQ(ViolatedField(r.status()), "inner.deeper.count") << r.status();
  r = Build("PUT", "/v1/echo/9", R"({"display_name":"a","displayName":"b"})");
  EXPECT_EQ(ViolatedField(r.status()), "display_name") << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr(R"("displayName")"));
  // The body of a route whose body is one field (POST /v1/echo: body "item").
  r = Build("POST", "/v1/echo", R"({"label":"a","tags":[],"label":"b"})");
  EXPECT_EQ(ViolatedField(r.status()), "item.label") << r.status();
  // The same key in different objects, and map keys, are fine.
  r = Build("PUT", "/v1/echo/9",
            R"({"name":"a","inner":{"label":"x","deeper":{"label":"y"}},"labels":{"name":"n"}})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->inner().deeper().label(), "y");
  r = Build("PUT", "/v1/echo/9", R"({"tags":["a","a"],"labels":{"k":"v","l":"v"}})");
  EXPECT_TRUE(r.ok()) << r.status();
}

TEST_F(TranscodingTest, BodyOnARouteWithoutBodyIsRefused) {
  absl::StatusOr<EchoRequest> r = Build("GET", "/v1/echo/1", R"({"name":"x"})");
  EXPECT_EQ(ViolatedField(r.status()), "body");
}

TEST_F(TranscodingTest, ResponseJsonUsesCamelCaseEmitsDefaultsAndEnumNames) {
  gatewaytest::v1::EchoResponse response;
  response.mutable_request()->set_id(12);
  response.mutable_request()->set_color(gatewaytest::v1::COLOR_GREEN);
  response.set_deadline_millis(0);
  const Route& route = *routes_.Find("GET", "/v1/echo/1").route;
  absl::StatusOr<std::string> json =
      transcoder_.ResponseToJson(route, response.SerializeAsString());
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr(R"("id":"12")"));
  EXPECT_THAT(*json, HasSubstr(R"("color":"COLOR_GREEN")"));
  EXPECT_THAT(*json, HasSubstr(R"("deadlineMillis":"0")"));
  EXPECT_THAT(*json, HasSubstr(R"("tags":[])"));
  EXPECT_THAT(*json, testing::Not(HasSubstr("inner")));  // Unset messages are omitted.
}

TEST(DescriptorSetTest, TheSuitesRoutesBuildFromTheEmbeddedDescriptorSet) {
  absl::StatusOr<std::unique_ptr<Descriptors>> d = Descriptors::Load(EmbeddedDescriptorSet());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT((*d)->annotated_services(), testing::Contains("gongkai.catalog.v1.CatalogService"));
  absl::StatusOr<RouteTable> routes = RouteTable::Build((*d)->pool(), (*d)->annotated_services());
  ASSERT_TRUE(routes.ok()) << routes.status();
  RouteTable::Lookup hit = routes->Find("GET", "/v1/documents/7");
  ASSERT_NE(hit.route, nullptr);
  EXPECT_EQ(hit.route->grpc_method, "/gongkai.catalog.v1.CatalogService/GetDocument");
  EXPECT_EQ(hit.route->access, api::ACCESS_PUBLIC_READ);
  EXPECT_EQ(hit.route->backend, "catalog");
  hit = routes->Find("POST", "/v1/documents/7:publish");
  ASSERT_NE(hit.route, nullptr);
  EXPECT_EQ(hit.route->access, api::ACCESS_AUTHENTICATED);
  // Details of errors resolve in the same pool (for google.rpc.Status bodies).
  EXPECT_NE((*d)->pool().FindMessageTypeByName("google.rpc.BadRequest"), nullptr);
}

TEST(DescriptorSetTest, GarbageIsRefused) {
  EXPECT_EQ(Descriptors::Load("not a descriptor set").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai::gateway
