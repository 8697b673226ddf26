#include "libs/idempotency/request_hash.h"

#include <memory>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/crypto/sha256.h"

namespace gongkai::idempotency {

std::string RequestHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  if (const google::protobuf::FieldDescriptor* id =
          copy->GetDescriptor()->FindFieldByName("request_id");
      id != nullptr) {
    copy->GetReflection()->ClearField(copy.get(), id);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return crypto::Sha256Hex(bytes);
}

}  // namespace gongkai::idempotency
