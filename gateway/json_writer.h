// Proto3 JSON for responses, written by reflection in one pass.
//
// protobuf 3.21's converter (BinaryToJsonString with always_print_primitive_fields)
// builds a tree of nodes for every response and resolves google.protobuf.Type
// descriptions on each call; in the gateway benchmark it was most of the gateway's CPU.
// This writer produces the same mapping directly:
//
//   std::string json;
//   RETURN_IF_ERROR(AppendProto3Json(message, &json));
//
// - lowerCamelCase names (json_name); fields in declaration order;
// - scalars, enums and repeated fields are written even at their default value (unset
//   message fields, unset oneof members and unset proto3 `optional` fields are not);
// - int64/uint64 as strings; NaN/Infinity as strings; bytes as base64; enums by name
//   (the number when the value is unknown); maps as objects;
// - google.protobuf.Timestamp, Duration, FieldMask, the wrappers and Empty in their
//   JSON forms; Any, Struct, Value and ListValue through protobuf's own converter.
//
// Thread-safety: stateless.
#ifndef GONGKAI_GATEWAY_JSON_WRITER_H_
#define GONGKAI_GATEWAY_JSON_WRITER_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace gongkai::gateway {

// Appends the JSON of `message` to `out`. INTERNAL only for a value that has no JSON
// form (a Timestamp outside years 1–9999, a Duration over 10,000 years).
absl::Status AppendProto3Json(const google::protobuf::Message& message, std::string* out);

// The same JSON as AppendProto3Json of the parsed message, written straight from the
// message's wire bytes (issue 14, P2: parsing every response into a DynamicMessage and
// reading it back by reflection was a third of the gateway's CPU per GET).
// UNIMPLEMENTED, with `out` unchanged, where only the parsed message gives the answer
// exactly — map fields sent, Any/Struct/Value/ListValue, a singular message sent twice
// (merged), two members of one oneof, a wire type that does not fit its field, a proto3
// string that is not UTF-8, a Timestamp or Duration out of range, malformed bytes —:
// the caller then parses the bytes and uses AppendProto3Json (and its errors).
absl::Status AppendProto3JsonFromWire(const google::protobuf::Descriptor& type,
                                      absl::string_view wire, std::string* out);

// Appends `text` as a JSON string literal (quotes included).
void AppendJsonString(absl::string_view text, std::string* out);

}  // namespace gongkai::gateway

#endif  // GONGKAI_GATEWAY_JSON_WRITER_H_
