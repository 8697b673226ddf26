#include "libs/idempotency/idempotency.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"

namespace gongkai::idempotency {
namespace {

using ::google::protobuf::StringValue;
using ::testing::HasSubstr;

// An in-memory store keyed like the idempotency_keys table.
class FakeStore {
 public:
  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(const Key& key) {
    ++lookups;
    if (!error.ok()) return error;
    auto it = stored.find(std::tie(key.subject, key.method, key.request_id));
    if (it == stored.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  void Store(const Key& key, const std::string& response) {
    stored[{key.subject, key.method, key.request_id}] = response;
  }

  std::map<std::tuple<std::string, std::string, std::string>, std::string> stored;
  absl::Status error;
  int lookups = 0;
};

StringValue Value(const std::string& v) {
  StringValue message;
  message.set_value(v);
  return message;
}

TEST(StoredKeyTest, IsNullWithoutARequestId) {
  const Key without{"alice", "CreateUnit", ""};
  const Key with{"alice", "CreateUnit", "r-1"};
  EXPECT_EQ(StoredKey(without), nullptr);
  EXPECT_EQ(StoredKey(with), &with);
}

TEST(ParseStoredResponseTest, NothingStoredIsNullopt) {
  absl::StatusOr<std::optional<StringValue>> parsed =
      ParseStoredResponse<StringValue>(Key{"a", "M", "r"}, std::nullopt);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->has_value());
}

TEST(ParseStoredResponseTest, StoredBytesParseIntoTheMessage) {
  absl::StatusOr<std::optional<StringValue>> parsed =
      ParseStoredResponse<StringValue>(Key{"a", "M", "r"}, Value("first").SerializeAsString());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->has_value());
  EXPECT_EQ((*parsed)->value(), "first");
}

TEST(ParseStoredResponseTest, UnreadableBytesAreInternalNamingTheRequestId) {
  absl::StatusOr<std::optional<StringValue>> parsed =
      ParseStoredResponse<StringValue>(Key{"a", "M", "req-7"}, std::string("\xff\xff\xff", 3));
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("stored response for request_id req-7 is unreadable"));
}

TEST(ReplayTest, WithoutRequestIdDoesNotAskTheStore) {
  FakeStore store;
  absl::StatusOr<std::optional<StringValue>> replay =
      Replay<StringValue>(store, Key{"alice", "CreateUnit", ""});
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_FALSE(replay->has_value());
  EXPECT_EQ(store.lookups, 0);
}

TEST(ReplayTest, ReturnsTheStoredResponseOfTheSameKeyOnly) {
  FakeStore store;
  store.Store(Key{"alice", "CreateUnit", "r-1"}, Value("unit 1").SerializeAsString());
  absl::StatusOr<std::optional<StringValue>> same =
      Replay<StringValue>(store, Key{"alice", "CreateUnit", "r-1"});
  ASSERT_TRUE(same.ok()) << same.status();
  ASSERT_TRUE(same->has_value());
  EXPECT_EQ((*same)->value(), "unit 1");
  absl::StatusOr<std::optional<StringValue>> other_subject =
      Replay<StringValue>(store, Key{"bob", "CreateUnit", "r-1"});
  ASSERT_TRUE(other_subject.ok()) << other_subject.status();
  EXPECT_FALSE(other_subject->has_value());
}

TEST(ReplayTest, StoreErrorsPassThrough) {
  FakeStore store;
  store.error = absl::UnavailableError("database down");
  EXPECT_EQ(Replay<StringValue>(store, Key{"a", "M", "r"}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(IdempotentCreateTest, CreatesWithTheKeyWhenNothingIsStored) {
  FakeStore store;
  const Key key{"alice", "CreateUnit", "r-1"};
  const Key* passed = nullptr;
  absl::StatusOr<StringValue> created =
      IdempotentCreate<StringValue>(store, key, [&](const Key* k) -> absl::StatusOr<StringValue> {
        passed = k;
        return Value("new");
      });
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->value(), "new");
  EXPECT_EQ(passed, &key);
}

TEST(IdempotentCreateTest, WithoutRequestIdCreatesWithNoKey) {
  FakeStore store;
  bool called = false;
  absl::StatusOr<StringValue> created = IdempotentCreate<StringValue>(
      store, Key{"alice", "CreateUnit", ""}, [&](const Key* k) -> absl::StatusOr<StringValue> {
        called = true;
        EXPECT_EQ(k, nullptr);
        return Value("new");
      });
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(called);
}

TEST(IdempotentCreateTest, RetryReplaysTheStoredResponseWithoutCreating) {
  FakeStore store;
  const Key key{"alice", "CreateUnit", "r-1"};
  store.Store(key, Value("first").SerializeAsString());
  bool called = false;
  absl::StatusOr<StringValue> replayed =
      IdempotentCreate<StringValue>(store, key, [&](const Key*) -> absl::StatusOr<StringValue> {
        called = true;
        return Value("second");
      });
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->value(), "first");
  EXPECT_FALSE(called);
}

TEST(IdempotentCreateTest, DuplicateThatLostTheRaceGetsTheWinnersResponse) {
  FakeStore store;
  const Key key{"alice", "CreateUnit", "r-1"};
  absl::StatusOr<StringValue> result =
      IdempotentCreate<StringValue>(store, key, [&](const Key*) -> absl::StatusOr<StringValue> {
        store.Store(key, Value("winner").SerializeAsString());  // Committed meanwhile.
        return absl::AlreadyExistsError("duplicate idempotency key");
      });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value(), "winner");
}

TEST(IdempotentCreateTest, AlreadyExistsForAnotherReasonIsReturned) {
  FakeStore store;
  absl::StatusOr<StringValue> result = IdempotentCreate<StringValue>(
      store, Key{"alice", "CreateUnit", "r-1"}, [&](const Key*) -> absl::StatusOr<StringValue> {
        return absl::AlreadyExistsError("unit code U1 is taken");
      });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("unit code U1 is taken"));
}

gongkai::catalog::v1::CreateUnitRequest UnitRequest(const std::string& name,
                                                    const std::string& request_id) {
  gongkai::catalog::v1::CreateUnitRequest request;
  request.mutable_unit()->set_name(name);
  request.set_request_id(request_id);
  return request;
}

TEST(RequestHashTest, IgnoresTheRequestIdAndSeesEveryOtherField) {
  const std::string hash = RequestHash(UnitRequest("财政局", "r-1"));
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(RequestHash(UnitRequest("财政局", "r-2")), hash);
  EXPECT_NE(RequestHash(UnitRequest("教育局", "r-1")), hash);
  // A message without a request_id field is hashed whole.
  EXPECT_NE(RequestHash(Value("a")), RequestHash(Value("b")));
}

TEST(CheckSameRequestTest, UnknownOrEqualHashesAreTheSameRequest) {
  const Key key{"alice", "CreateUnit", "r-1", "aaaa"};
  EXPECT_TRUE(CheckSameRequest(key, "aaaa").ok());
  EXPECT_TRUE(CheckSameRequest(key, "").ok());  // Stored before hashes were.
  EXPECT_TRUE(CheckSameRequest(Key{"alice", "CreateUnit", "r-1"}, "aaaa").ok());
}

TEST(CheckSameRequestTest, ADifferentRequestUnderAUsedIdIsInvalidArgumentNamingRequestId) {
  const absl::Status status = CheckSameRequest(Key{"alice", "CreateUnit", "r-1", "bbbb"}, "aaaa");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("already used for a different request"));
  const std::vector<FieldViolation> fields = FieldViolationsOf(status);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].field, "request_id");
}

}  // namespace
}  // namespace gongkai::idempotency
