#include "gateway/transcoder.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gateway/json_writer.h"
#include "google/protobuf/type.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "libs/status/errors.h"
#include "nlohmann/json.hpp"

namespace gongkai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com";

// The descriptor-pool TypeResolver converts descriptors to google.protobuf.Type on every
// lookup; one conversion per type for the life of the process is enough.
class CachingTypeResolver : public google::protobuf::util::TypeResolver {
 public:
  explicit CachingTypeResolver(const google::protobuf::DescriptorPool* pool)
      : inner_(google::protobuf::util::NewTypeResolverForDescriptorPool(std::string(kTypeUrlPrefix),
                                                                        pool)) {}

  google::protobuf::util::Status ResolveMessageType(const std::string& type_url,
                                                    google::protobuf::Type* type) override {
    return Resolve(type_url, type, types_, &TypeResolver::ResolveMessageType);
  }
  google::protobuf::util::Status ResolveEnumType(const std::string& type_url,
                                                 google::protobuf::Enum* enum_type) override {
    return Resolve(type_url, enum_type, enums_, &TypeResolver::ResolveEnumType);
  }

 private:
  template <typename T>
  google::protobuf::util::Status Resolve(
      const std::string& type_url, T* out, std::map<std::string, T>& cache,
      google::protobuf::util::Status (TypeResolver::*resolve)(const std::string&, T*)) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = cache.find(type_url);
      if (it != cache.end()) {
        *out = it->second;
        return google::protobuf::util::Status();
      }
    }
    T resolved;
    google::protobuf::util::Status status = (inner_.get()->*resolve)(type_url, &resolved);
    if (!status.ok()) return status;
    absl::MutexLock lock(&mu_);
    *out = cache.emplace(type_url, std::move(resolved)).first->second;
    return status;
  }

  std::unique_ptr<TypeResolver> inner_;
  absl::Mutex mu_;
  std::map<std::string, google::protobuf::Type> types_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, google::protobuf::Enum> enums_ ABSL_GUARDED_BY(mu_);
};

// protobuf's JSON errors look like "(document.title): invalid value 5 for type
// TYPE_STRING" or "foo: Cannot find field."; this names the field for the BadRequest
// detail.
absl::Status JsonError(const google::protobuf::util::Status& status, absl::string_view body_field) {
  std::string message(status.message());
  const std::string prefix = body_field.empty() ? "" : absl::StrCat(body_field, ".");
  std::string field = body_field.empty() ? "body" : std::string(body_field);
  if (absl::StartsWith(message, "(")) {
    const size_t close = message.find(')');
    if (close != std::string::npos) {
      field = absl::StrCat(prefix, message.substr(1, close - 1));
      message = std::string(absl::StripLeadingAsciiWhitespace(
          absl::string_view(message).substr(close + 1 + (message[close + 1] == ':' ? 1 : 0))));
    }
  } else if (absl::EndsWith(message, ": Cannot find field.")) {
    field =
        absl::StrCat(prefix, message.substr(0, message.size() - strlen(": Cannot find field.")));
    message = absl::StrCat("unknown field \"", field, "\"");
  } else {
    // Malformed JSON: keep the first line (the parser adds the input around it).
    message = absl::StrCat("malformed JSON: ", message.substr(0, message.find('\n')));
  }
  return InvalidField(field, message);
}

// A key given twice in one JSON object: the body's path to it ("unit.code"), or nullopt.
// Parsers disagree on such a body (protobuf and nlohmann keep the last value, others the
// first), so a body two readers could understand differently is refused, never guessed.
// Malformed JSON yields nullopt: the converter reports that with its own message.
std::optional<std::string> FindDuplicateKey(const std::string& json) {
  struct Frame {
    bool is_object = false;
    std::string path;
    std::string last_key;
    absl::flat_hash_set<std::string> keys;
  };
  class DuplicateKeyFinder final : public nlohmann::json_sax<nlohmann::json> {
   public:
    std::optional<std::string> duplicate;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return Push(true); }
    bool end_object() override { return Pop(); }
    bool start_array(std::size_t) override { return Push(false); }
    bool end_array() override { return Pop(); }
    bool key(string_t& name) override {
      Frame& frame = frames_.back();
      if (!frame.keys.insert(name).second) {
        duplicate = frame.path.empty() ? name : absl::StrCat(frame.path, ".", name);
        return false;  // stop parsing: one finding is enough
      }
      frame.last_key = name;
      return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
      return false;
    }

   private:
    bool Push(bool is_object) {
      std::string path;
      if (!frames_.empty()) {
        const Frame& parent = frames_.back();
        path = !parent.is_object     ? parent.path
               : parent.path.empty() ? parent.last_key
                                     : absl::StrCat(parent.path, ".", parent.last_key);
      }
      frames_.push_back(Frame{is_object, std::move(path), "", {}});
      return true;
    }
    bool Pop() {
      frames_.pop_back();
      return true;
    }
    std::vector<Frame> frames_;
  };
  DuplicateKeyFinder finder;
  nlohmann::json::sax_parse(json, &finder, nlohmann::json::input_format_t::json,
                            /*strict=*/true);
  return finder.duplicate;
}

// protobuf 3.21's JSON parser accepts "yes", "t" or "1" for a bool field and reports
// an object given for a scalar field with a garbled message; proto3 JSON allows neither.
// This walks the parsed body along the message type and refuses both, naming the field.
// Everything else is left to the parser.
absl::Status CheckJsonShapes(const nlohmann::json& value, const Descriptor& type,
                             const std::string& path) {
  if (!value.is_object() || type.file()->name().rfind("google/protobuf/", 0) == 0) {
    return absl::OkStatus();
  }
  // The proto name and the JSON name ("unit_id", "unitId") are one field: given both,
  // the converter keeps whichever comes last.
  absl::flat_hash_map<const FieldDescriptor*, std::string> spelled_as;
  for (const auto& [key, member] : value.items()) {
    const FieldDescriptor* field = type.FindFieldByName(key);
    for (int i = 0; field == nullptr && i < type.field_count(); ++i) {
      if (type.field(i)->json_name() == key) field = type.field(i);
    }
    if (field == nullptr) continue;  // The parser names unknown fields.
    const std::string here = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (auto [it, first] = spelled_as.emplace(field, key); !first) {
      return InvalidField(here, absl::StrCat("given twice in the body (as \"", it->second,
                                             "\" and \"", key, "\"); give it once"));
    }
    if (member.is_null()) continue;
    auto check_one = [&](const nlohmann::json& element,
                         const FieldDescriptor* element_field) -> absl::Status {
      if (element_field->type() == FieldDescriptor::TYPE_MESSAGE) {
        return CheckJsonShapes(element, *element_field->message_type(), here);
      }
      if (element.is_object() || element.is_array()) {
        return InvalidField(here,
                            absl::StrCat("must be a ", element_field->type_name(), ", not a JSON ",
                                         element.is_object() ? "object" : "array"));
      }
      if (element_field->type() == FieldDescriptor::TYPE_BOOL && !element.is_boolean()) {
        return InvalidField(here, "must be true or false");
      }
      return absl::OkStatus();
    };
    if (field->is_map()) {
      if (!member.is_object()) continue;
      const FieldDescriptor* map_value = field->message_type()->map_value();
      for (const auto& [map_key, map_member] : member.items()) {
        (void)map_key;
        if (absl::Status s = check_one(map_member, map_value); !s.ok()) return s;
      }
    } else if (field->is_repeated()) {
      if (!member.is_array()) continue;
      for (const nlohmann::json& element : member) {
        if (absl::Status s = check_one(element, field); !s.ok()) return s;
      }
    } else if (absl::Status s = check_one(member, field); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra;
    uint32_t code_point;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code_point = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsWrapperOrStringForm(const Descriptor& type) {
  static const std::set<std::string>* const kStringForms = new std::set<std::string>{
      "google.protobuf.Timestamp",   "google.protobuf.Duration",    "google.protobuf.FieldMask",
      "google.protobuf.StringValue", "google.protobuf.BytesValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.DoubleValue", "google.protobuf.FloatValue"};
  return kStringForms->count(type.full_name()) > 0;
}

class RequestBuilder {
 public:
  RequestBuilder(google::protobuf::util::TypeResolver* resolver, Message* request)
      : resolver_(resolver), request_(request) {}

  // Sets the field at `path` (names as written by the caller) from its text form;
  // `json_names_allowed` also accepts lowerCamelCase names (query parameters).
  absl::Status Set(absl::string_view path, absl::string_view value, bool json_names_allowed) {
    Message* message = request_;
    const FieldDescriptor* field = nullptr;
    std::vector<absl::string_view> names = absl::StrSplit(path, '.');
    std::string canonical;
    for (size_t i = 0; i < names.size(); ++i) {
      const Descriptor* type = message->GetDescriptor();
      field = type->FindFieldByName(std::string(names[i]));
      for (int f = 0; field == nullptr && json_names_allowed && f < type->field_count(); ++f) {
        if (type->field(f)->json_name() == names[i]) field = type->field(f);
      }
      if (field == nullptr) {
        return InvalidField(
            path, absl::StrCat("unknown field: ", type->full_name(), " has no \"", names[i], "\""));
      }
      absl::StrAppend(&canonical, canonical.empty() ? "" : ".", field->name());
      const bool last = i + 1 == names.size();
      if (last) break;
      if (field->type() != FieldDescriptor::TYPE_MESSAGE || field->is_repeated()) {
        return InvalidField(path, absl::StrCat("\"", field->name(),
                                               "\" has no sub-fields to set from a parameter"));
      }
      message = message->GetReflection()->MutableMessage(message, field);
    }
    canonical_path_ = canonical;
    last_field_repeated_ = field->is_repeated();
    return SetLeaf(path, *message, field, value);
  }

  const std::string& canonical_path() const { return canonical_path_; }
  bool last_field_repeated() const { return last_field_repeated_; }

 private:
  absl::Status SetLeaf(absl::string_view path, Message& message, const FieldDescriptor* field,
                       absl::string_view value) {
    const Reflection& r = *message.GetReflection();
    if (field->is_map()) {
      return InvalidField(path, "map fields cannot be set from a parameter; send JSON");
    }
    const bool repeated = field->is_repeated();
    auto bad = [&](absl::string_view expected) {
      return InvalidField(path, absl::StrCat("\"", value, "\" is not ", expected));
    };
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string v(value);
        if (field->type() == FieldDescriptor::TYPE_BYTES &&
            !absl::WebSafeBase64Unescape(value, &v) && !absl::Base64Unescape(value, &v)) {
          return bad("base64");
        }
        // proto3 strings are UTF-8; a percent-encoded GBK value would otherwise fail
        // to parse in the service (a 500 for a client mistake).
        if (field->type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(v)) {
          return InvalidField(path, "is not valid UTF-8 (percent-encode UTF-8 bytes)");
        }
        repeated ? r.AddString(&message, field, v) : r.SetString(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("a 32-bit integer");
        repeated ? r.AddInt32(&message, field, v) : r.SetInt32(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("a 64-bit integer");
        repeated ? r.AddInt64(&message, field, v) : r.SetInt64(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("an unsigned 32-bit integer");
        repeated ? r.AddUInt32(&message, field, v) : r.SetUInt32(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("an unsigned 64-bit integer");
        repeated ? r.AddUInt64(&message, field, v) : r.SetUInt64(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v;
        if (!absl::SimpleAtod(value, &v)) return bad("a number");
        repeated ? r.AddDouble(&message, field, v) : r.SetDouble(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        float v;
        if (!absl::SimpleAtof(value, &v)) return bad("a number");
        repeated ? r.AddFloat(&message, field, v) : r.SetFloat(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if (value == "true" || value == "1") {
          v = true;
        } else if (value == "false" || value == "0") {
          v = false;
        } else {
          return bad("true or false");
        }
        repeated ? r.AddBool(&message, field, v) : r.SetBool(&message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumValueDescriptor* e =
            field->enum_type()->FindValueByName(std::string(value));
        int number;
        if (e == nullptr && absl::SimpleAtoi(value, &number)) {
          e = field->enum_type()->FindValueByNumber(number);
        }
        if (e == nullptr) return bad(absl::StrCat("a value of ", field->enum_type()->full_name()));
        repeated ? r.AddEnum(&message, field, e) : r.SetEnum(&message, field, e);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return SetMessageLeaf(path, message, field, value);
    }
    return InvalidField(path, "unsupported field type");
  }

  absl::Status SetMessageLeaf(absl::string_view path, Message& message,
                              const FieldDescriptor* field, absl::string_view value) {
    const Descriptor& type = *field->message_type();
    const Reflection& r = *message.GetReflection();
    Message* target =
        field->is_repeated() ? r.AddMessage(&message, field) : r.MutableMessage(&message, field);
    if (type.full_name() == "gongkai.common.v1.Date") {
      int year, month, day;
      std::vector<absl::string_view> parts = absl::StrSplit(value, '-');
      if (parts.size() != 3 || parts[0].size() != 4 || !absl::SimpleAtoi(parts[0], &year) ||
          !absl::SimpleAtoi(parts[1], &month) || !absl::SimpleAtoi(parts[2], &day)) {
        return InvalidField(path, absl::StrCat("\"", value, "\" is not a date YYYY-MM-DD"));
      }
      const Reflection& tr = *target->GetReflection();
      tr.SetInt32(target, type.FindFieldByName("year"), year);
      tr.SetInt32(target, type.FindFieldByName("month"), month);
      tr.SetInt32(target, type.FindFieldByName("day"), day);
      return absl::OkStatus();
    }
    if (!IsWrapperOrStringForm(type)) {
      return InvalidField(
          path, absl::StrCat("\"", field->name(), "\" is a ", type.full_name(),
                             "; set its fields (", field->name(), ".<field>=...) or send JSON"));
    }
    // The JSON form of these types is a string (or a bare number/bool for wrappers of
    // numbers); the JSON parser validates it.
    const bool quoted = type.full_name() == "google.protobuf.Timestamp" ||
                        type.full_name() == "google.protobuf.Duration" ||
                        type.full_name() == "google.protobuf.FieldMask" ||
                        type.full_name() == "google.protobuf.StringValue" ||
                        type.full_name() == "google.protobuf.BytesValue" ||
                        type.full_name() == "google.protobuf.Int64Value" ||
                        type.full_name() == "google.protobuf.UInt64Value";
    const std::string json =
        quoted ? absl::StrCat("\"", absl::CEscape(value), "\"") : std::string(value);
    std::string binary;
    google::protobuf::util::Status status = google::protobuf::util::JsonToBinaryString(
        resolver_, TypeUrl(type), json, &binary, google::protobuf::util::JsonParseOptions());
    if (!status.ok() || !target->ParseFromString(binary)) {
      return InvalidField(path, absl::StrCat("\"", value, "\" is not a valid ", type.full_name()));
    }
    return absl::OkStatus();
  }

  google::protobuf::util::TypeResolver* resolver_;
  Message* request_;
  std::string canonical_path_;
  bool last_field_repeated_ = false;
};

struct QueryParameter {
  std::string name;
  std::string value;
};

absl::StatusOr<std::vector<QueryParameter>> ParseQuery(absl::string_view query) {
  std::vector<QueryParameter> out;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::string raw_name(kv.first);
    std::string raw_value(kv.second);
    // Form encoding: '+' is a space.
    std::replace(raw_name.begin(), raw_name.end(), '+', ' ');
    std::replace(raw_value.begin(), raw_value.end(), '+', ' ');
    QueryParameter p;
    if (!PercentDecode(raw_name, false, &p.name) || p.name.empty()) {
      return InvalidField("query",
                          absl::StrCat("malformed query parameter name \"", kv.first, "\""));
    }
    if (!PercentDecode(raw_value, false, &p.value)) {
      return InvalidField(p.name, "malformed percent-encoding in the value");
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string TypeUrl(const Descriptor& message) {
  return absl::StrCat(kTypeUrlPrefix, "/", message.full_name());
}

Transcoder::Transcoder(const google::protobuf::DescriptorPool* pool)
    : pool_(pool), factory_(pool), resolver_(std::make_unique<CachingTypeResolver>(pool)) {
  factory_.SetDelegateToGeneratedFactory(false);
}

Transcoder::~Transcoder() = default;

absl::StatusOr<std::string> Transcoder::BuildRequest(const Route& route,
                                                     const PathTemplate::Bindings& bindings,
                                                     absl::string_view query,
                                                     absl::string_view body) const {
  const Descriptor& input = *route.method->input_type();
  std::unique_ptr<Message> request(factory_.GetPrototype(&input)->New());

  // 1. The body.
  if (!route.body.empty()) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(body);
    if (!trimmed.empty()) {
      const FieldDescriptor* field = route.body_field;
      // A message field is converted as its own type, so the body cannot reach other
      // fields of the request; any other field is wrapped, after checking the body is
      // exactly one JSON value.
      const bool as_message = field != nullptr && !field->is_repeated() &&
                              field->type() == FieldDescriptor::TYPE_MESSAGE;
      std::string json;
      const Descriptor* target = &input;
      if (field == nullptr) {
        json = std::string(trimmed);
      } else if (as_message) {
        json = std::string(trimmed);
        target = field->message_type();
      } else {
        if (!nlohmann::json::accept(trimmed)) {
          return InvalidField(field->name(), "malformed JSON: the body must be one JSON value");
        }
        json = absl::StrCat("{\"", field->json_name(), "\":", trimmed, "}");
      }
      if (std::optional<std::string> duplicate = FindDuplicateKey(json); duplicate.has_value()) {
        return InvalidField(as_message ? absl::StrCat(field->name(), ".", *duplicate) : *duplicate,
                            "given twice in the body; give each field once");
      }
      const nlohmann::json parsed =
          nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) {
        if (absl::Status s = CheckJsonShapes(parsed, *target, as_message ? field->name() : "");
            !s.ok()) {
          return s;
        }
      }
      std::string binary;
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      google::protobuf::util::Status status = google::protobuf::util::JsonToBinaryString(
          resolver_.get(), TypeUrl(*target), json, &binary, options);
      if (!status.ok()) return JsonError(status, as_message ? field->name() : "");
      Message* destination = as_message
                                 ? request->GetReflection()->MutableMessage(request.get(), field)
                                 : request.get();
      if (!destination->ParseFromString(binary)) {
        // The converter let through a string that is not UTF-8 (a lone surrogate escape).
        return InvalidField(field == nullptr ? "body" : field->name(),
                            "a string in the body is not valid Unicode");
      }
    }
  } else if (!absl::StripAsciiWhitespace(body).empty()) {
    return InvalidField("body", absl::StrCat(route.http_method, " ", route.path.text(),
                                             " takes no body; send parameters in the query"));
  }

  // 2. Path variables (override whatever the body said).
  RequestBuilder builder(resolver_.get(), request.get());
  for (const auto& [field_path, value] : bindings) {
    if (absl::Status s = builder.Set(field_path, value, /*json_names_allowed=*/false); !s.ok()) {
      return s;
    }
  }

  // 3. The query string.
  absl::StatusOr<std::vector<QueryParameter>> parameters = ParseQuery(query);
  if (!parameters.ok()) return parameters.status();
  if (!parameters->empty() && route.body == "*") {
    return InvalidField((*parameters)[0].name,
                        absl::StrCat(route.http_method, " ", route.path.text(),
                                     " takes every field from the JSON body; query parameters "
                                     "are not accepted"));
  }
  std::set<std::string> singular_fields_set;
  for (const QueryParameter& p : *parameters) {
    if (absl::Status s = builder.Set(p.name, p.value, /*json_names_allowed=*/true); !s.ok()) {
      return s;
    }
    const std::string& canonical = builder.canonical_path();
    if (!builder.last_field_repeated() && !singular_fields_set.insert(canonical).second) {
      return InvalidField(p.name, "given more than once; only repeated fields take several values");
    }
    for (const std::string& bound : route.path_field_paths) {
      if (canonical == bound) {
        return InvalidField(p.name,
                            "this field is set by the path; it cannot also be a query "
                            "parameter");
      }
    }
    if (route.body_field != nullptr &&
        (canonical == route.body_field->name() ||
         absl::StartsWith(canonical, absl::StrCat(route.body_field->name(), ".")))) {
      return InvalidField(p.name, "this field comes from the JSON body");
    }
  }
  return request->SerializeAsString();
}

absl::StatusOr<std::string> Transcoder::ResponseToJson(const Route& route,
                                                       const std::string& response_bytes) const {
  if (route.response_body_field == nullptr) {
    // The common case, without a message in between; whatever the wire writer leaves
    // to the parser (see json_writer.h) takes the path below.
    std::string json;
    json.reserve(response_bytes.size() + response_bytes.size() / 4 + 64);
    if (AppendProto3JsonFromWire(*route.method->output_type(), response_bytes, &json).ok()) {
      return json;
    }
  }
  std::unique_ptr<Message> response(factory_.GetPrototype(route.method->output_type())->New());
  if (!response->ParseFromString(response_bytes)) {
    return absl::InternalError(
        absl::StrCat("the response of ", route.grpc_method, " does not parse"));
  }
  const Message* body = response.get();
  if (route.response_body_field != nullptr) {
    const FieldDescriptor* field = route.response_body_field;
    if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::InternalError("response_body must name a singular message field");
    }
    body = &response->GetReflection()->GetMessage(*response, field);
  }
  std::string json;
  json.reserve(response_bytes.size() + response_bytes.size() / 4 + 64);
  if (absl::Status s = AppendProto3Json(*body, &json); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("the response of ", route.grpc_method, " has no JSON form: ", s.message()));
  }
  return json;
}

}  // namespace gongkai::gateway
