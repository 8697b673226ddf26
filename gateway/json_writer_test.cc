#include "gateway/json_writer.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gongkai/gatewaytest/v1/echo.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/dynamic_message.h"
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

// The wire writer: byte-for-byte the reflection writer's output when it answers, and
// UNIMPLEMENTED (leaving `out` alone) when it leaves the bytes to the parser.
void ExpectWireSameAsParsed(const google::protobuf::Descriptor& type, const std::string& wire,
                            bool expect_written) {
  std::string from_wire = "prefix";
  const absl::Status s = AppendProto3JsonFromWire(type, wire, &from_wire);
  if (!s.ok()) {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
    EXPECT_EQ(from_wire, "prefix");
    EXPECT_FALSE(expect_written) << "left to the parser: " << type.full_name();
    return;
  }
  EXPECT_TRUE(expect_written) << "written from the wire: " << from_wire;
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> parsed(factory.GetPrototype(&type)->New());
  ASSERT_TRUE(parsed->ParseFromString(wire));
  EXPECT_EQ(from_wire, "prefix" + Ours(*parsed));
}

void ExpectSameAsReference(const google::protobuf::Message& m) {
  const std::string ours = Ours(m);
  nlohmann::json parsed = nlohmann::json::parse(ours);  // Throws on invalid JSON.
  EXPECT_EQ(parsed, nlohmann::json::parse(Reference(m))) << "ours: " << ours;
  std::string from_wire;
  if (AppendProto3JsonFromWire(*m.GetDescriptor(), m.SerializeAsString(), &from_wire).ok()) {
    EXPECT_EQ(from_wire, ours);
  }
}

// A request with every kind of field the wire writer handles itself (no map entries).
gatewaytest::v1::EchoRequest FullRequestWithoutMaps() {
  gatewaytest::v1::EchoRequest r;
  r.set_id(-9007199254740993);
  r.set_name("公开 \"quoted\" \\ back\nline\ttab \x01 ctrl \u2028");
  r.mutable_inner()->set_label("l");
  r.mutable_inner()->mutable_deeper()->set_count(-3);
  r.add_tags("a");
  r.add_tags("");
  r.add_numbers(1);
  r.add_numbers(-2);
  r.set_color(gatewaytest::v1::COLOR_GREEN);
  r.add_colors(gatewaytest::v1::COLOR_RED);
  r.add_colors(static_cast<gatewaytest::v1::Color>(77));
  r.set_flag(true);
  r.mutable_at()->set_seconds(1735787045);
  r.mutable_at()->set_nanos(120000000);
  r.mutable_day()->set_year(2024);
  r.mutable_item()->set_weight(7);
  r.set_ratio(0.1);
  r.set_code(-7);
  r.set_big(18446744073709551615ull);
  r.set_blob(std::string("\x00\xff\x10hi", 5));
  r.set_display_name("x");
  return r;
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

TEST(JsonWriterTest, WireWriterWritesWhatTheReflectionWriterWrites) {
  const gatewaytest::v1::EchoRequest full = FullRequestWithoutMaps();
  ExpectWireSameAsParsed(*full.GetDescriptor(), full.SerializeAsString(), true);
  ExpectWireSameAsParsed(*full.GetDescriptor(), "", true);  // Every default.
  gatewaytest::v1::EchoResponse response;
  *response.mutable_request() = full;
  response.set_deadline_millis(-1);
  ExpectWireSameAsParsed(*response.GetDescriptor(), response.SerializeAsString(), true);
  for (double v : {0.1, -2.5e-300, 1e21, std::numeric_limits<double>::quiet_NaN(),
                   -std::numeric_limits<double>::infinity()}) {
    gatewaytest::v1::EchoRequest r;
    r.set_ratio(v);
    ExpectWireSameAsParsed(*r.GetDescriptor(), r.SerializeAsString(), true);
  }
  for (int64_t seconds : {int64_t{0}, int64_t{-1}, int64_t{253402300799}, int64_t{951782400},
                          int64_t{-30610224000}}) {
    gatewaytest::v1::EchoRequest r;
    r.mutable_at()->set_seconds(seconds);
    r.mutable_at()->set_nanos(1000);
    ExpectWireSameAsParsed(*r.GetDescriptor(), r.SerializeAsString(), true);
  }
  google::protobuf::Duration d;
  d.set_seconds(-1);
  d.set_nanos(-500000000);
  ExpectWireSameAsParsed(*d.GetDescriptor(), d.SerializeAsString(), true);
  google::protobuf::FieldMask mask;
  mask.add_paths("document.display_name");
  ExpectWireSameAsParsed(*mask.GetDescriptor(), mask.SerializeAsString(), true);
  google::protobuf::Int64Value wrapped;
  wrapped.set_value(5);
  ExpectWireSameAsParsed(*wrapped.GetDescriptor(), wrapped.SerializeAsString(), true);
}

TEST(JsonWriterTest, WireWriterFollowsTheParserOnRepeatedAndUnknownFields) {
  const google::protobuf::Descriptor& type = *gatewaytest::v1::EchoRequest::descriptor();
  gatewaytest::v1::EchoRequest a;
  a.set_name("first");
  a.add_tags("x");
  a.set_code(1);
  gatewaytest::v1::EchoRequest b;
  b.set_name("second");  // A scalar sent twice: the last one counts.
  b.add_tags("y");       // Repeated fields sent twice: appended.
  ExpectWireSameAsParsed(type, a.SerializeAsString() + b.SerializeAsString(), true);
  // numbers (field 5) unpacked, then packed; an unknown field 99 in between.
  const std::string unpacked("\x28\x01\x28\x7f", 4);
  const std::string unknown("\x98\x06\x05", 3);
  const std::string packed("\x2a\x02\x03\x04", 4);
  ExpectWireSameAsParsed(type, unpacked + unknown + packed, true);
}

TEST(JsonWriterTest, WireWriterLeavesToTheParserWhatOnlyParsingAnswers) {
  const google::protobuf::Descriptor& type = *gatewaytest::v1::EchoRequest::descriptor();
  gatewaytest::v1::EchoRequest a;
  a.mutable_inner()->set_label("a");
  gatewaytest::v1::EchoRequest b;
  b.mutable_inner()->set_count(2);  // A message sent twice is merged.
  ExpectWireSameAsParsed(type, a.SerializeAsString() + b.SerializeAsString(), false);
  gatewaytest::v1::EchoRequest with_map;
  (*with_map.mutable_labels())["k"] = "v";
  ExpectWireSameAsParsed(type, with_map.SerializeAsString(), false);
  gatewaytest::v1::EchoRequest early;
  early.mutable_at()->set_seconds(-62135596800);  // Year 1: absl writes it unpadded.
  ExpectWireSameAsParsed(type, early.SerializeAsString(), false);
  // name (field 2) that is not UTF-8, a wire type that does not fit, truncated bytes.
  std::string out;
  EXPECT_EQ(AppendProto3JsonFromWire(type, std::string("\x12\x02\xc3\x28", 4), &out).code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(AppendProto3JsonFromWire(type, std::string("\x10\x01", 2), &out).code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(AppendProto3JsonFromWire(type,
                                     std::string("\x12\x05"
                                                 "ab",
                                                 4),
                                     &out)
                .code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(out, "");
  google::protobuf::Struct s;
  (*s.mutable_fields())["a"].set_number_value(1);
  ExpectWireSameAsParsed(*s.GetDescriptor(), s.SerializeAsString(), false);
}

TEST(JsonWriterTest, LineSeparatorsAreEscapedForJavaScript) {
  std::string out;
  AppendJsonString("a\u2028b\u2029c", &out);
  EXPECT_EQ(out, "\"a\\u2028b\\u2029c\"");
}

}  // namespace
}  // namespace gongkai::gateway
