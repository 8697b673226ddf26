#include "gateway/json_writer.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gongkai/gatewaytest/v1/echo.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using gatewaytest::v1::EchoResponse;

std::string Ours(const google::protobuf::Message& m) {
  std::string json;
  absl::Status s = AppendProto3Json(m, &json);
  EXPECT_TRUE(s.ok()) << s;
  return json;
}

// protobuf's converter with the options the gateway documents.
std::string Reference(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return json;
}

void ExpectSameAsReference(const google::protobuf::Message& m) {
  const std::string ours = Ours(m);
  nlohmann::json parsed = nlohmann::json::parse(ours);  // Throws on invalid JSON.
  EXPECT_EQ(parsed, nlohmann::json::parse(Reference(m))) << "ours: " << ours;
}

TEST(JsonWriterTest, EmptyMessageWritesDefaultsLikeProtobuf) {
  ExpectSameAsReference(EchoResponse());
}

TEST(JsonWriterTest, EveryKindOfFieldMatchesProtobuf) {
  EchoResponse response;
  auto* r = response.mutable_request();
  r->set_id(-9007199254740993);
  r->set_name("公开 \"quoted\" \\ back\nline\ttab \x01 ctrl");
  r->mutable_inner()->set_label("l");
  r->mutable_inner()->mutable_deeper()->set_count(-3);
  r->add_tags("a");
  r->add_tags("");
  r->add_numbers(1);
  r->add_numbers(-2);
  r->set_color(gatewaytest::v1::COLOR_GREEN);
  r->add_colors(gatewaytest::v1::COLOR_RED);
  r->add_colors(static_cast<gatewaytest::v1::Color>(77));  // Unknown: written as a number.
  r->set_flag(true);
  r->mutable_at()->set_seconds(1735787045);
  r->mutable_at()->set_nanos(120000000);
  r->mutable_day()->set_year(2024);
  r->mutable_item()->set_weight(7);
  r->set_ratio(0.1);
  r->set_big(18446744073709551615ull);
  r->set_blob(std::string("\x00\xff\x10hi", 5));
  (*r->mutable_labels())["k"] = "v";
  r->set_display_name("x");
  (*response.mutable_metadata())["authorization"] = "Bearer t";
  response.set_deadline_millis(1500);
  ExpectSameAsReference(response);
}

TEST(JsonWriterTest, FloatingPointSpecialsAndPrecision) {
  gatewaytest::v1::EchoRequest r;
  for (double v :
       {0.1, 1.0, -2.5e-300, 1e21, 123456789.123456789, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity()}) {
    r.set_ratio(v);
    const std::string ours = Ours(r);
    EXPECT_EQ(nlohmann::json::parse(ours)["ratio"], nlohmann::json::parse(Reference(r))["ratio"])
        << ours;
  }
}

TEST(JsonWriterTest, WellKnownTypes) {
  google::protobuf::Duration d;
  d.set_seconds(-1);
  d.set_nanos(-500000000);
  EXPECT_EQ(Ours(d), "\"-1.500s\"");
  ExpectSameAsReference(d);
  google::protobuf::FieldMask mask;
  mask.add_paths("document.display_name");
  mask.add_paths("title");
  EXPECT_EQ(Ours(mask), "\"document.displayName,title\"");
  google::protobuf::Int64Value wrapped;
  wrapped.set_value(5);
  EXPECT_EQ(Ours(wrapped), "\"5\"");
  google::protobuf::Struct s;
  (*s.mutable_fields())["a"].set_number_value(1);
  ExpectSameAsReference(s);
}

TEST(JsonWriterTest, TimestampOutOfRangeIsAnError) {
  gatewaytest::v1::EchoRequest r;
  r.mutable_at()->set_seconds(-62135596801);
  std::string json;
  EXPECT_EQ(AppendProto3Json(r, &json).code(), absl::StatusCode::kInternal);
}

TEST(JsonWriterTest, LineSeparatorsAreEscapedForJavaScript) {
  std::string out;
  AppendJsonString("a\u2028b\u2029c", &out);
  EXPECT_EQ(out, "\"a\\u2028b\\u2029c\"");
}

}  // namespace
}  // namespace gongkai::gateway
