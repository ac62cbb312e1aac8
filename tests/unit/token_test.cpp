#include "token.h"

#include <gtest/gtest.h>

#include <set>

TEST(Token, IsFortyThreeBase64UrlCharactersAndWellFormed) {
  ASSERT_TRUE(vc::crypto_init());
  std::string t = vc::new_session_token();
  EXPECT_EQ(t.size(), vc::kTokenChars);
  EXPECT_TRUE(vc::is_well_formed_token(t));
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(Token, EveryTokenIsNew) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(vc::new_session_token()).second);
}

TEST(Token, HashIsSha256) {
  // SHA-256("abc") from FIPS 180-2.
  std::string h = vc::hash_token("abc");
  ASSERT_EQ(h.size(), 32u);
  const unsigned char expected[] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                    0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                    0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_EQ(h, std::string(reinterpret_cast<const char*>(expected), 32));
}

TEST(Token, Base64UrlHasNoPaddingOrUnsafeCharacters) {
  EXPECT_EQ(vc::base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(vc::base64url_encode("f"), "Zg");
}

TEST(Token, MalformedTokensAreRecognised) {
  std::string good = vc::new_session_token();
  EXPECT_FALSE(vc::is_well_formed_token(""));
  EXPECT_FALSE(vc::is_well_formed_token(good.substr(1)));
  EXPECT_FALSE(vc::is_well_formed_token(good + "A"));
  std::string bad = good;
  bad[5] = '\'';
  EXPECT_FALSE(vc::is_well_formed_token(bad));
  bad[5] = '=';
  EXPECT_FALSE(vc::is_well_formed_token(bad));
}
