// Reads the JWT verification settings every process shares (the services and the
// gateway), from flags or GONGKAI_* environment variables:
//
//   GONGKAI_JWT_HS256_SECRET(_FILE)     shared HS256 secret (optional if RS256 keys given)
//   GONGKAI_JWT_RS256_PUBLIC_KEYS       kid1=/path/a.pem,kid2=/path/b.pem
//   GONGKAI_JWT_ISSUER, GONGKAI_JWT_AUDIENCE   required
//
//   config::ConfigReader reader(config::ConfigSource::FromProcess(argc, argv));
//   auth::AuthConfig auth = auth::ReadAuthConfig(reader);   // problems go to `reader`
//
// Whether the keys themselves are usable is checked by NewJwtAuthenticator.
#ifndef GONGKAI_LIBS_AUTH_AUTH_CONFIG_READER_H_
#define GONGKAI_LIBS_AUTH_AUTH_CONFIG_READER_H_

#include "libs/auth/jwt_authenticator.h"
#include "libs/config/config.h"

namespace gongkai::auth {

AuthConfig ReadAuthConfig(config::ConfigReader& reader);

}  // namespace gongkai::auth

#endif  // GONGKAI_LIBS_AUTH_AUTH_CONFIG_READER_H_
