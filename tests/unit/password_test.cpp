#include "password.h"

#include <gtest/gtest.h>

#include "token.h"

namespace {
// Cheap parameters keep the unit test fast; the defaults are checked separately.
const vc::PasswordParams kFast{1, 8 * 1024};
}  // namespace

TEST(Password, DefaultsMeetOwaspArgon2idMinimum) {
  vc::PasswordParams p;
  EXPECT_GE(p.opslimit, 2u);
  EXPECT_GE(p.memlimit_kib, 19u * 1024);
}

TEST(Password, HashIsArgon2idAndVerifiesOnlyTheSamePassword) {
  ASSERT_TRUE(vc::crypto_init());
  auto hash = vc::hash_password("correct horse battery staple", kFast);
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(vc::verify_password(*hash, "correct horse battery staple"));
  EXPECT_FALSE(vc::verify_password(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(vc::verify_password(*hash, "correct horse battery staple "));
  EXPECT_FALSE(vc::verify_password("not a hash", "correct horse battery staple"));
}

TEST(Password, SaltMakesEveryHashDifferent) {
  EXPECT_NE(vc::hash_password("same password here", kFast),
            vc::hash_password("same password here", kFast));
}

TEST(Password, LongPasswordsAreNotTruncated) {
  std::string a(128, 'a');
  std::string b = a;
  b[127] = 'b';
  auto hash = vc::hash_password(a, kFast);
  EXPECT_FALSE(vc::verify_password(*hash, b));
}

TEST(Password, NeedsRehashWhenParametersChange) {
  auto hash = vc::hash_password("a password of length", kFast);
  EXPECT_FALSE(vc::password_needs_rehash(*hash, kFast));
  EXPECT_TRUE(vc::password_needs_rehash(*hash, vc::PasswordParams{2, 19 * 1024}));
}
