#include "gateway/json_writer.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/container/inlined_vector.h"
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
// `nanos` in 0..999,999,999.
void AppendNanos(int32_t nanos, std::string* out) {
  if (nanos == 0) return;
  int digits = 9;
  if (nanos % 1000000 == 0) {
    digits = 3;
    nanos /= 1000000;
  } else if (nanos % 1000 == 0) {
    digits = 6;
    nanos /= 1000;
  }
  char buffer[10];
  buffer[0] = '.';
  for (int i = digits; i >= 1; --i) {
    buffer[i] = static_cast<char>('0' + nanos % 10);
    nanos /= 10;
  }
  out->append(buffer, digits + 1);
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

// IsPlain for every byte, looked up in the copy loop.
struct PlainBytes {
  bool plain[256];
  constexpr PlainBytes() : plain() {
    for (int c = 0; c < 256; ++c) plain[c] = IsPlain(static_cast<unsigned char>(c));
  }
};
constexpr PlainBytes kPlainBytes;

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  if (out->capacity() < out->size() + text.size() + 2) out->reserve(out->size() + text.size() + 2);
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && kPlainBytes.plain[static_cast<unsigned char>(text[run])]) ++run;
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

namespace {

// Proto3 JSON straight from the wire format. Same mapping as Writer above, field for
// field; anything it cannot reproduce exactly makes it give up (kGiveUp), and the caller
// parses the bytes into a message instead.
class WireWriter {
 public:
  explicit WireWriter(std::string* out) : out_(out) {}

  bool WriteMessage(const Descriptor& type, absl::string_view wire, int depth) {
    if (depth > kMaxDepth) return false;
    if (type.file()->name().rfind("google/protobuf/", 0) == 0) {
      const std::string& name = type.full_name();
      if (name == "google.protobuf.Any" || name == "google.protobuf.Struct" ||
          name == "google.protobuf.Value" || name == "google.protobuf.ListValue") {
        return false;
      }
      if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
          name == "google.protobuf.FieldMask") {
        return WriteWellKnown(type, wire);
      }
      // Empty and the wrappers: written by their fields below, as Writer does.
    }
    // Every field occurrence in wire order: (field, its bytes or value).
    absl::InlinedVector<Occurrence, 32> seen;
    if (!Scan(type, wire, &seen)) return false;

    // Per field (by index): how often it was sent, and its last occurrence.
    absl::InlinedVector<int, 32> count_of(type.field_count(), 0);
    absl::InlinedVector<int, 32> last_of(type.field_count(), -1);
    for (size_t k = 0; k < seen.size(); ++k) {
      ++count_of[seen[k].field->index()];
      last_of[seen[k].field->index()] = static_cast<int>(k);
    }
    const bool is_wrapper = type.file()->name() == "google/protobuf/wrappers.proto";
    const bool is_empty = type.full_name() == "google.protobuf.Empty";
    if (is_empty) {
      out_->append("{}");
      return true;
    }
    if (!is_wrapper) out_->push_back('{');
    bool first = true;
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor* field = type.field(i);
      if (field->is_required()) return false;  // proto2 parsing checks these; not here.
      const int count = count_of[i];
      const Occurrence* last = last_of[i] < 0 ? nullptr : &seen[last_of[i]];
      if (!field->is_repeated()) {
        const bool presence = field->containing_oneof() != nullptr ||
                              field->type() == FieldDescriptor::TYPE_MESSAGE ||
                              field->has_presence();
        if (presence && last == nullptr) continue;
        // A message sent twice is merged, and a later oneof member clears an earlier
        // one: leave both to the parser.
        if (field->type() == FieldDescriptor::TYPE_MESSAGE && count > 1) return false;
        if (const google::protobuf::OneofDescriptor* oneof = field->containing_oneof()) {
          for (const Occurrence& o : seen) {
            if (o.field != field && o.field->containing_oneof() == oneof) return false;
          }
        }
      }
      if (!is_wrapper) {
        if (!first) out_->push_back(',');
        first = false;
        AppendJsonString(field->json_name(), out_);
        out_->push_back(':');
      }
      if (field->is_map()) {
        if (count > 0) return false;  // Map entries: order and duplicate keys as parsed.
        out_->append("{}");
      } else if (field->is_repeated()) {
        out_->push_back('[');
        bool first_element = true;
        for (size_t k = 0; count > 0 && k < seen.size(); ++k) {
          if (seen[k].field != field) continue;
          if (!WriteRepeatedOccurrence(field, seen[k], &first_element, depth)) return false;
        }
        out_->push_back(']');
      } else if (last == nullptr) {
        WriteDefault(field);
      } else if (!WriteValue(field, *last, depth)) {
        return false;
      }
      if (is_wrapper) return true;  // One field: `value`.
    }
    if (!is_wrapper) out_->push_back('}');
    return true;
  }

 private:
  static constexpr int kMaxDepth = 100;  // protobuf's default recursion limit.

  struct Occurrence {
    const FieldDescriptor* field;
    int wire_type;
    uint64_t value;           // Varint and fixed wire types.
    absl::string_view bytes;  // Length-delimited.
  };

  static bool ReadVarint(absl::string_view* in, uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in->empty()) return false;
      const uint8_t byte = static_cast<uint8_t>(in->front());
      in->remove_prefix(1);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  static bool ReadFixed(absl::string_view* in, int size, uint64_t* value) {
    if (in->size() < static_cast<size_t>(size)) return false;
    uint64_t result = 0;
    for (int i = size - 1; i >= 0; --i) result = (result << 8) | static_cast<uint8_t>((*in)[i]);
    in->remove_prefix(size);
    *value = result;
    return true;
  }

  // The wire type a field's values use when not packed.
  static int WireTypeOf(const FieldDescriptor* field) {
    switch (field->type()) {
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FIXED64:
      case FieldDescriptor::TYPE_SFIXED64:
        return 1;
      case FieldDescriptor::TYPE_FLOAT:
      case FieldDescriptor::TYPE_FIXED32:
      case FieldDescriptor::TYPE_SFIXED32:
        return 5;
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
      case FieldDescriptor::TYPE_MESSAGE:
        return 2;
      case FieldDescriptor::TYPE_GROUP:
        return 3;
      default:
        return 0;
    }
  }

  // Known fields only (unknown ones are kept aside by the parser and never written).
  static bool Scan(const Descriptor& type, absl::string_view wire,
                   absl::InlinedVector<Occurrence, 32>* seen) {
    while (!wire.empty()) {
      uint64_t tag;
      if (!ReadVarint(&wire, &tag) || tag > 0xffffffffu) return false;
      const int wire_type = static_cast<int>(tag & 7);
      const int number = static_cast<int>(tag >> 3);
      if (number == 0) return false;
      Occurrence o{nullptr, wire_type, 0, {}};
      switch (wire_type) {
        case 0:
          if (!ReadVarint(&wire, &o.value)) return false;
          break;
        case 1:
          if (!ReadFixed(&wire, 8, &o.value)) return false;
          break;
        case 5:
          if (!ReadFixed(&wire, 4, &o.value)) return false;
          break;
        case 2: {
          uint64_t size;
          if (!ReadVarint(&wire, &size) || size > wire.size()) return false;
          o.bytes = wire.substr(0, size);
          wire.remove_prefix(size);
          break;
        }
        default:
          return false;  // Groups: rare and deprecated; the parser handles them.
      }
      o.field = type.FindFieldByNumber(number);
      if (o.field == nullptr) continue;
      const int expected = WireTypeOf(o.field);
      if (wire_type != expected) {
        // Packed repeated scalars are the one accepted mismatch.
        const bool packed = wire_type == 2 && o.field->is_repeated() && expected != 2;
        if (!packed) return false;  // The parser keeps it as an unknown field.
      }
      seen->push_back(o);
    }
    return true;
  }

  bool WriteRepeatedOccurrence(const FieldDescriptor* field, const Occurrence& o, bool* first,
                               int depth) {
    const int expected = WireTypeOf(field);
    if (o.wire_type == 2 && expected != 2) {  // Packed.
      absl::string_view in = o.bytes;
      while (!in.empty()) {
        Occurrence element{field, expected, 0, {}};
        const bool read = expected == 0   ? ReadVarint(&in, &element.value)
                          : expected == 1 ? ReadFixed(&in, 8, &element.value)
                                          : ReadFixed(&in, 4, &element.value);
        if (!read) return false;
        if (!*first) out_->push_back(',');
        *first = false;
        if (!WriteValue(field, element, depth)) return false;
      }
      return true;
    }
    if (!*first) out_->push_back(',');
    *first = false;
    return WriteValue(field, o, depth);
  }

  void WriteDefault(const FieldDescriptor* field) {
    Occurrence zero{field, WireTypeOf(field), 0, {}};
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      zero.value =
          static_cast<uint64_t>(static_cast<int64_t>(field->default_value_enum()->number()));
    }
    WriteValue(field, zero, 0);
  }

  bool WriteValue(const FieldDescriptor* field, const Occurrence& o, int depth) {
    const uint64_t v = o.value;
    switch (field->type()) {
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SFIXED32:
        absl::StrAppend(out_, static_cast<int32_t>(static_cast<uint32_t>(v)));
        break;
      case FieldDescriptor::TYPE_SINT32: {
        const uint32_t u = static_cast<uint32_t>(v);
        absl::StrAppend(out_, static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1)));
        break;
      }
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        absl::StrAppend(out_, static_cast<uint32_t>(v));
        break;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SFIXED64:
        absl::StrAppend(out_, "\"", static_cast<int64_t>(v), "\"");
        break;
      case FieldDescriptor::TYPE_SINT64:
        absl::StrAppend(out_, "\"", static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)), "\"");
        break;
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        absl::StrAppend(out_, "\"", v, "\"");
        break;
      case FieldDescriptor::TYPE_DOUBLE: {
        double d;
        std::memcpy(&d, &v, sizeof d);
        AppendFloating(d, out_);
        break;
      }
      case FieldDescriptor::TYPE_FLOAT: {
        const uint32_t bits = static_cast<uint32_t>(v);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        AppendFloating(f, out_);
        break;
      }
      case FieldDescriptor::TYPE_BOOL:
        out_->append(v != 0 ? "true" : "false");
        break;
      case FieldDescriptor::TYPE_ENUM: {
        const int number = static_cast<int32_t>(static_cast<uint32_t>(v));
        if (field->enum_type()->full_name() == "google.protobuf.NullValue") {
          out_->append("null");
          break;
        }
        const google::protobuf::EnumValueDescriptor* value =
            field->enum_type()->FindValueByNumber(number);
        if (value != nullptr) {
          AppendJsonString(value->name(), out_);
        } else if (field->enum_type()->file()->syntax() ==
                   google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
          absl::StrAppend(out_, number);  // Open enum: an unknown value is kept.
        } else {
          return false;  // proto2: the parser moves it to the unknown fields.
        }
        break;
      }
      case FieldDescriptor::TYPE_STRING:
        // proto3 strings must be UTF-8 (the parser refuses the message otherwise).
        if (field->file()->syntax() == google::protobuf::FileDescriptor::SYNTAX_PROTO3 &&
            !IsValidUtf8(o.bytes)) {
          return false;
        }
        AppendJsonString(o.bytes, out_);
        break;
      case FieldDescriptor::TYPE_BYTES:
        out_->push_back('"');
        out_->append(absl::Base64Escape(o.bytes));
        out_->push_back('"');
        break;
      case FieldDescriptor::TYPE_MESSAGE:
        return WriteMessage(*field->message_type(), o.bytes, depth + 1);
      case FieldDescriptor::TYPE_GROUP:
        return false;
    }
    return true;
  }

  // Timestamp, Duration and FieldMask, with Writer's checks.
  bool WriteWellKnown(const Descriptor& type, absl::string_view wire) {
    absl::InlinedVector<Occurrence, 32> seen;
    if (!Scan(type, wire, &seen)) return false;
    const std::string& name = type.full_name();
    if (name == "google.protobuf.FieldMask") {
      out_->push_back('"');
      bool first = true;
      for (const Occurrence& o : seen) {
        if (!IsValidUtf8(o.bytes)) return false;
        if (!first) out_->push_back(',');
        first = false;
        std::string escaped;
        AppendJsonString(ToCamelCase(o.bytes), &escaped);
        out_->append(escaped, 1, escaped.size() - 2);
      }
      out_->push_back('"');
      return true;
    }
    int64_t seconds = 0;
    int32_t nanos = 0;
    for (const Occurrence& o : seen) {
      if (o.field->number() == 1) seconds = static_cast<int64_t>(o.value);
      if (o.field->number() == 2) nanos = static_cast<int32_t>(static_cast<uint32_t>(o.value));
    }
    if (name == "google.protobuf.Timestamp") {
      if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
          nanos > 999999999) {
        return false;  // Writer's INTERNAL error, from the parsed message.
      }
      out_->push_back('"');
      if (!AppendUtcTime(seconds)) return false;
      AppendNanos(nanos, out_);
      out_->append("Z\"");
      return true;
    }
    if (seconds > kMaxDurationSeconds || seconds < -kMaxDurationSeconds ||
        (seconds != 0 && nanos != 0 && (seconds < 0) != (nanos < 0))) {
      return false;
    }
    out_->push_back('"');
    if (seconds < 0 || nanos < 0) out_->push_back('-');
    absl::StrAppend(out_, std::llabs(seconds));
    AppendNanos(std::abs(nanos), out_);
    out_->append("s\"");
    return true;
  }

  // "%Y-%m-%dT%H:%M:%S" of a UTC time, years 1..9999 (civil-from-days, proleptic
  // Gregorian), without a time-zone lookup.
  bool AppendUtcTime(int64_t seconds) {
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
      rest += 86400;
      --days;
    }
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    // absl::FormatTime writes years below 1000 unpadded; leave those to Writer.
    if (year < 1000) return false;
    // "YYYY-MM-DDTHH:MM:SS" by hand (snprintf was a tenth of the writer's time).
    char buffer[19];
    const auto put = [&buffer](int at, int64_t value, int width) {
      for (int i = at + width - 1; i >= at; --i) {
        buffer[i] = static_cast<char>('0' + value % 10);
        value /= 10;
      }
    };
    put(0, year, 4);
    buffer[4] = '-';
    put(5, month, 2);
    buffer[7] = '-';
    put(8, day, 2);
    buffer[10] = 'T';
    put(11, rest / 3600, 2);
    buffer[13] = ':';
    put(14, rest / 60 % 60, 2);
    buffer[16] = ':';
    put(17, rest % 60, 2);
    out_->append(buffer, sizeof(buffer));
    return true;
  }

  // Structurally valid UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
  static bool IsValidUtf8(absl::string_view s) {
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        ++i;
        continue;
      }
      int extra;
      uint32_t min;
      uint32_t cp;
      if ((c & 0xE0) == 0xC0) {
        extra = 1, min = 0x80, cp = c & 0x1F;
      } else if ((c & 0xF0) == 0xE0) {
        extra = 2, min = 0x800, cp = c & 0x0F;
      } else if ((c & 0xF8) == 0xF0) {
        extra = 3, min = 0x10000, cp = c & 0x07;
      } else {
        return false;
      }
      if (n - i <= static_cast<size_t>(extra)) return false;
      for (int k = 1; k <= extra; ++k) {
        const unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      i += extra + 1;
    }
    return true;
  }

  std::string* out_;
};

}  // namespace

absl::Status AppendProto3JsonFromWire(const Descriptor& type, absl::string_view wire,
                                      std::string* out) {
  const size_t size_before = out->size();
  if (WireWriter(out).WriteMessage(type, wire, 0)) return absl::OkStatus();
  out->resize(size_before);
  return absl::UnimplementedError("parse the message instead");
}

}  // namespace gongkai::gateway
