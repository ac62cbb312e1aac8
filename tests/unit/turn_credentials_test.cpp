#include "turn_credentials.h"

#include <gtest/gtest.h>

TEST(TurnCredentials, MatchKnownVector) {
  // Expected value computed independently: base64(HMAC-SHA1("north-wind-secret", "1700003600:42")).
  auto c = vc::make_turn_credentials("north-wind-secret", 42, 1700000000, 3600);
  EXPECT_EQ(c.username, "1700003600:42");
  EXPECT_EQ(c.credential, "lX5Gk8AKmXn0FUqv/skP+33Jzio=");
}

TEST(TurnCredentials, DependOnSecretUserAndExpiry) {
  auto base = vc::make_turn_credentials("s1", 1, 1000, 60);
  EXPECT_NE(base.credential, vc::make_turn_credentials("s2", 1, 1000, 60).credential);
  EXPECT_NE(base.credential, vc::make_turn_credentials("s1", 2, 1000, 60).credential);
  EXPECT_NE(base.credential, vc::make_turn_credentials("s1", 1, 1001, 60).credential);
}
