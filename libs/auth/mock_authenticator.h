// gMock Authenticator for tests of services: decide per test which Principal a token
// string stands for, without keys or clocks.
//
//   MockAuthenticator auth;
//   EXPECT_CALL(auth, VerifyToken(Eq("office"))).WillRepeatedly(Return(office_principal));
//
// Header-only; link GTest::gmock in the test that includes it.
#ifndef GONGKAI_LIBS_AUTH_MOCK_AUTHENTICATOR_H_
#define GONGKAI_LIBS_AUTH_MOCK_AUTHENTICATOR_H_

#include "gmock/gmock.h"
#include "libs/auth/authenticator.h"

namespace gongkai::auth {

class MockAuthenticator : public Authenticator {
 public:
  MOCK_METHOD(absl::StatusOr<Principal>, VerifyToken, (absl::string_view token), (const, override));
};

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_MOCK_AUTHENTICATOR_H_
