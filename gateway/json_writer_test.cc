#include "gateway/json_writer.h"

#include <cmath>
#include <limits>
#include <random>

#include "gateway/route_table.h"
#include "gmock/gmock.h"
#include "gongkai/gatewaytest/v1/echo.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/stubs/logging.h"
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

// Every request and response type of the suite's services, filled at random (seeded, so
// a failure repeats) and then damaged byte by byte: whenever the wire writer answers, its
// JSON is byte-for-byte that of the parsed message; whenever parsing fails, it does not
// answer.
class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed) : rng_(seed) {}

  void Fill(google::protobuf::Message* m, int depth) {
    using google::protobuf::FieldDescriptor;
    const google::protobuf::Reflection* r = m->GetReflection();
    const google::protobuf::Descriptor* d = m->GetDescriptor();
    if (d->full_name() == "google.protobuf.Timestamp" ||
        d->full_name() == "google.protobuf.Duration") {
      r->SetInt64(m, d->FindFieldByName("seconds"), Pick(0, 4) == 0 ? 0 : Int(0, 253402300799));
      r->SetInt32(m, d->FindFieldByName("nanos"), Pick(0, 2) == 0 ? 0 : Int(0, 999999999));
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (Pick(0, 3) == 0) continue;  // Unset.
      if (f->is_map() || (f->type() == FieldDescriptor::TYPE_MESSAGE && depth > 3)) continue;
      const int count = f->is_repeated() ? Pick(0, 3) : 1;
      for (int k = 0; k < count; ++k) SetOne(m, f, depth);
    }
  }

 private:
  int Pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  int64_t Int(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }
  std::string Text() {
    static const char* const kPieces[] = {"公开",   "a",    "\"", "\\", "\n", "\x01",
                                          "\u2028", "政务", " ",  "é",  "",   "/"};
    std::string text;
    for (int n = Pick(0, 6); n > 0; --n) text += kPieces[Pick(0, 11)];
    return text;
  }

  void SetOne(google::protobuf::Message* m, const google::protobuf::FieldDescriptor* f, int depth) {
    using google::protobuf::FieldDescriptor;
    const google::protobuf::Reflection* r = m->GetReflection();
    const bool rep = f->is_repeated();
    const int64_t big =
        Pick(0, 1) ? Int(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())
                   : Int(-3, 3);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        rep ? r->AddInt32(m, f, static_cast<int32_t>(big))
            : r->SetInt32(m, f, static_cast<int32_t>(big));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        rep ? r->AddInt64(m, f, big) : r->SetInt64(m, f, big);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        rep ? r->AddUInt32(m, f, static_cast<uint32_t>(big))
            : r->SetUInt32(m, f, static_cast<uint32_t>(big));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        rep ? r->AddUInt64(m, f, static_cast<uint64_t>(big))
            : r->SetUInt64(m, f, static_cast<uint64_t>(big));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        const double values[] = {0.0,
                                 -1.5,
                                 0.1,
                                 1e300,
                                 std::numeric_limits<double>::infinity(),
                                 static_cast<double>(big)};
        const double v = values[Pick(0, 5)];
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        const float v = static_cast<float>(Int(-1000, 1000)) / 8.0f;
        rep ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        rep ? r->AddBool(m, f, Pick(0, 1)) : r->SetBool(m, f, Pick(0, 1));
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumDescriptor* e = f->enum_type();
        const int v = Pick(0, 5) == 0 ? 77 : e->value(Pick(0, e->value_count() - 1))->number();
        rep ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string v = Text();
        rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const std::string& type = f->message_type()->full_name();
        if (type == "google.protobuf.Any" || type == "google.protobuf.Struct" ||
            type == "google.protobuf.Value" || type == "google.protobuf.ListValue") {
          break;  // Left to protobuf's converter by both writers.
        }
        Fill(rep ? r->AddMessage(m, f) : r->MutableMessage(m, f), depth + 1);
        break;
      }
    }
  }

  std::mt19937 rng_;
};

TEST(JsonWriterTest, WireWriterAgreesWithTheParsedMessageOnEverySuiteTypeAtRandom) {
  absl::StatusOr<std::unique_ptr<Descriptors>> d = Descriptors::Load(EmbeddedDescriptorSet());
  ASSERT_TRUE(d.ok()) << d.status();
  std::vector<const google::protobuf::Descriptor*> types;
  for (const std::string& name : (*d)->annotated_services()) {
    const google::protobuf::ServiceDescriptor* service = (*d)->pool().FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      types.push_back(service->method(i)->input_type());
      types.push_back(service->method(i)->output_type());
    }
  }
  ASSERT_GT(types.size(), 100u);
  google::protobuf::DynamicMessageFactory factory(&(*d)->pool());
  google::protobuf::LogSilencer quiet;  // Damaged strings are invalid UTF-8 on purpose.
  RandomFiller filler(20261207);
  std::mt19937 damage(7);
  int written = 0, compared = 0;
  for (const google::protobuf::Descriptor* type : types) {
    for (int round = 0; round < 20; ++round) {
      std::unique_ptr<google::protobuf::Message> m(factory.GetPrototype(type)->New());
      filler.Fill(m.get(), 0);
      std::string wire = m->SerializeAsString();
      if (round % 2 == 1 && !wire.empty()) {  // Damage one byte.
        wire[damage() % wire.size()] = static_cast<char>(damage() & 0xff);
      }
      std::string from_wire;
      const absl::Status s = AppendProto3JsonFromWire(*type, wire, &from_wire);
      std::unique_ptr<google::protobuf::Message> parsed(factory.GetPrototype(type)->New());
      const bool parses = parsed->ParseFromString(wire);
      if (!s.ok()) {
        ASSERT_EQ(s.code(), absl::StatusCode::kUnimplemented) << type->full_name() << ": " << s;
        EXPECT_EQ(from_wire, "");
        continue;
      }
      ++written;
      ASSERT_TRUE(parses) << type->full_name() << " written from bytes that do not parse";
      std::string from_parsed;
      if (!AppendProto3Json(*parsed, &from_parsed).ok()) continue;
      ++compared;
      ASSERT_EQ(from_wire, from_parsed) << type->full_name() << " round " << round;
    }
  }
  // Most of the suite's types have no maps, Any or Struct: the wire writer answers them.
  EXPECT_GT(compared, static_cast<int>(types.size()) * 5);
  std::cerr << types.size() << " types, " << written << " written from the wire, " << compared
            << " compared\n";
}

}  // namespace
}  // namespace gongkai::gateway
