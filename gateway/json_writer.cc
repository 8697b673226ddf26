#include "gateway/json_writer.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace gongkai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z
constexpr int64_t kMaxDurationSeconds = 315576000000;   // 10,000 years

// Shortest text that reads back as the same value (as protobuf's SimpleDtoa).
template <typename T>
void AppendFloating(T value, std::string* out) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    return;
  }
  constexpr int kShort = sizeof(T) == sizeof(float) ? 6 : 15;
  constexpr int kLong = sizeof(T) == sizeof(float) ? 9 : 17;
  char buffer[48];
  snprintf(buffer, sizeof(buffer), "%.*g", kShort, static_cast<double>(value));
  if (static_cast<T>(strtod(buffer, nullptr)) != value) {
    snprintf(buffer, sizeof(buffer), "%.*g", kLong, static_cast<double>(value));
  }
  out->append(buffer);
}

// Nanoseconds as proto3 JSON writes them: none, or 3, 6 or 9 digits.
void AppendNanos(int32_t nanos, std::string* out) {
  if (nanos == 0) return;
  if (nanos % 1000000 == 0) {
    absl::StrAppendFormat(out, ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0) {
    absl::StrAppendFormat(out, ".%06d", nanos / 1000);
  } else {
    absl::StrAppendFormat(out, ".%09d", nanos);
  }
}

std::string ToCamelCase(absl::string_view snake) {
  std::string out;
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c);
      upper = false;
    }
  }
  return out;
}

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  absl::Status WriteMessage(const Message& message) {
    const Descriptor& type = *message.GetDescriptor();
    if (type.file()->name().rfind("google/protobuf/", 0) == 0) {
      absl::Status handled = WriteWellKnown(message);
      if (handled.code() != absl::StatusCode::kUnimplemented) return handled;
    }
    const Reflection& r = *message.GetReflection();
    out_->push_back('{');
    bool first = true;
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor* field = type.field(i);
      if (!field->is_repeated()) {
        const bool presence = field->containing_oneof() != nullptr ||
                              field->type() == FieldDescriptor::TYPE_MESSAGE ||
                              field->has_presence();
        if (presence && !r.HasField(message, field)) continue;
      }
      if (!first) out_->push_back(',');
      first = false;
      AppendJsonString(field->json_name(), out_);
      out_->push_back(':');
      absl::Status s = field->is_map()        ? WriteMap(message, field)
                       : field->is_repeated() ? WriteRepeated(message, field)
                                              : WriteSingular(message, field);
      if (!s.ok()) return s;
    }
    out_->push_back('}');
    return absl::OkStatus();
  }

 private:
  absl::Status WriteSingular(const Message& m, const FieldDescriptor* f) {
    const Reflection& r = *m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(out_, r.GetInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(out_, r.GetUInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(out_, "\"", r.GetInt64(m, f), "\"");
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(out_, "\"", r.GetUInt64(m, f), "\"");
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        AppendFloating(r.GetDouble(m, f), out_);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        AppendFloating(r.GetFloat(m, f), out_);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_->append(r.GetBool(m, f) ? "true" : "false");
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        WriteEnum(f, r.GetEnumValue(m, f));
        break;
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& value = r.GetStringReference(m, f, &scratch);
        WriteStringOrBytes(f, value);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return WriteMessage(r.GetMessage(m, f));
    }
    return absl::OkStatus();
  }

  absl::Status WriteRepeated(const Message& m, const FieldDescriptor* f) {
    const Reflection& r = *m.GetReflection();
    const int n = r.FieldSize(m, f);
    out_->push_back('[');
    for (int i = 0; i < n; ++i) {
      if (i > 0) out_->push_back(',');
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          absl::StrAppend(out_, r.GetRepeatedInt32(m, f, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          absl::StrAppend(out_, r.GetRepeatedUInt32(m, f, i));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          absl::StrAppend(out_, "\"", r.GetRepeatedInt64(m, f, i), "\"");
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          absl::StrAppend(out_, "\"", r.GetRepeatedUInt64(m, f, i), "\"");
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          AppendFloating(r.GetRepeatedDouble(m, f, i), out_);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          AppendFloating(r.GetRepeatedFloat(m, f, i), out_);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          out_->append(r.GetRepeatedBool(m, f, i) ? "true" : "false");
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          WriteEnum(f, r.GetRepeatedEnumValue(m, f, i));
          break;
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string scratch;
          WriteStringOrBytes(f, r.GetRepeatedStringReference(m, f, i, &scratch));
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (absl::Status s = WriteMessage(r.GetRepeatedMessage(m, f, i)); !s.ok()) return s;
          break;
      }
    }
    out_->push_back(']');
    return absl::OkStatus();
  }

  absl::Status WriteMap(const Message& m, const FieldDescriptor* f) {
    const Reflection& r = *m.GetReflection();
    const FieldDescriptor* key = f->message_type()->map_key();
    const FieldDescriptor* value = f->message_type()->map_value();
    out_->push_back('{');
    const int n = r.FieldSize(m, f);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out_->push_back(',');
      const Message& entry = r.GetRepeatedMessage(m, f, i);
      const Reflection& er = *entry.GetReflection();
      std::string key_text;
      switch (key->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          key_text = er.GetString(entry, key);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          key_text = er.GetBool(entry, key) ? "true" : "false";
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          key_text = absl::StrCat(er.GetInt32(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          key_text = absl::StrCat(er.GetInt64(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          key_text = absl::StrCat(er.GetUInt32(entry, key));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          key_text = absl::StrCat(er.GetUInt64(entry, key));
          break;
        default:
          return absl::InternalError("map key of an unsupported type");
      }
      AppendJsonString(key_text, out_);
      out_->push_back(':');
      if (absl::Status s = WriteSingular(entry, value); !s.ok()) return s;
    }
    out_->push_back('}');
    return absl::OkStatus();
  }

  void WriteEnum(const FieldDescriptor* f, int number) {
    if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
      out_->append("null");
      return;
    }
    const google::protobuf::EnumValueDescriptor* value = f->enum_type()->FindValueByNumber(number);
    if (value == nullptr) {
      absl::StrAppend(out_, number);
    } else {
      AppendJsonString(value->name(), out_);
    }
  }

  void WriteStringOrBytes(const FieldDescriptor* f, const std::string& value) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      out_->push_back('"');
      out_->append(absl::Base64Escape(value));
      out_->push_back('"');
    } else {
      AppendJsonString(value, out_);
    }
  }

  // UNIMPLEMENTED: not a type with a special form; write it as a plain message.
  absl::Status WriteWellKnown(const Message& m) {
    const std::string& name = m.GetDescriptor()->full_name();
    const Descriptor& type = *m.GetDescriptor();
    const Reflection& r = *m.GetReflection();
    if (name == "google.protobuf.Timestamp") {
      const int64_t seconds = r.GetInt64(m, type.FindFieldByName("seconds"));
      const int32_t nanos = r.GetInt32(m, type.FindFieldByName("nanos"));
      if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
          nanos > 999999999) {
        return absl::InternalError("a Timestamp outside 0001-01-01 .. 9999-12-31");
      }
      out_->push_back('"');
      out_->append(absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(seconds),
                                    absl::UTCTimeZone()));
      AppendNanos(nanos, out_);
      out_->append("Z\"");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.Duration") {
      const int64_t seconds = r.GetInt64(m, type.FindFieldByName("seconds"));
      const int32_t nanos = r.GetInt32(m, type.FindFieldByName("nanos"));
      if (seconds > kMaxDurationSeconds || seconds < -kMaxDurationSeconds ||
          (seconds != 0 && nanos != 0 && (seconds < 0) != (nanos < 0))) {
        return absl::InternalError("a Duration out of range");
      }
      out_->push_back('"');
      if (seconds < 0 || nanos < 0) out_->push_back('-');
      absl::StrAppend(out_, std::llabs(seconds));
      AppendNanos(std::abs(nanos), out_);
      out_->append("s\"");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.FieldMask") {
      const FieldDescriptor* paths = type.FindFieldByName("paths");
      out_->push_back('"');
      for (int i = 0; i < r.FieldSize(m, paths); ++i) {
        if (i > 0) out_->push_back(',');
        std::string camel = ToCamelCase(r.GetRepeatedString(m, paths, i));
        std::string escaped;
        AppendJsonString(camel, &escaped);
        out_->append(escaped, 1, escaped.size() - 2);
      }
      out_->push_back('"');
      return absl::OkStatus();
    }
    if (name == "google.protobuf.Empty") {
      out_->append("{}");
      return absl::OkStatus();
    }
    if (name == "google.protobuf.DoubleValue" || name == "google.protobuf.FloatValue" ||
        name == "google.protobuf.Int64Value" || name == "google.protobuf.UInt64Value" ||
        name == "google.protobuf.Int32Value" || name == "google.protobuf.UInt32Value" ||
        name == "google.protobuf.BoolValue" || name == "google.protobuf.StringValue" ||
        name == "google.protobuf.BytesValue") {
      return WriteSingular(m, type.FindFieldByName("value"));
    }
    if (name == "google.protobuf.Any" || name == "google.protobuf.Struct" ||
        name == "google.protobuf.Value" || name == "google.protobuf.ListValue") {
      std::string json;
      google::protobuf::util::JsonPrintOptions options;
      options.always_print_primitive_fields = true;
      google::protobuf::util::Status s =
          google::protobuf::util::MessageToJsonString(m, &json, options);
      if (!s.ok()) return absl::InternalError(std::string(s.message()));
      out_->append(json);
      return absl::OkStatus();
    }
    return absl::UnimplementedError("");
  }

  std::string* out_;
};

}  // namespace

namespace {

// Bytes that can be copied as they are: printable ASCII except '"' and '\\', and every
// byte of a multi-byte UTF-8 sequence except a 0xE2 lead (U+2028/U+2029 start with it).
constexpr bool IsPlain(unsigned char c) {
  return (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') || (c >= 0x80 && c != 0xE2);
}

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  out->reserve(out->size() + text.size() + 2);
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && IsPlain(static_cast<unsigned char>(text[run]))) ++run;
    out->append(text.data() + i, run - i);
    if (run == text.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else if (c == 0xE2 && i + 2 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
          // U+2028 and U+2029 are valid JSON but end lines in JavaScript source.
          out->append(static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
          i += 2;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

absl::Status AppendProto3Json(const google::protobuf::Message& message, std::string* out) {
  return Writer(out).WriteMessage(message);
}

}  // namespace gongkai::gateway
