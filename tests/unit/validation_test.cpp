#include "validation.h"

#include <gtest/gtest.h>

TEST(Username, IsCaseFolded) {
  EXPECT_EQ(*vc::normalize_username("Ann.Lee-99_x"), "ann.lee-99_x");
}

TEST(Username, LengthLimits) {
  EXPECT_FALSE(vc::normalize_username("ab").ok());
  EXPECT_TRUE(vc::normalize_username("abc").ok());
  EXPECT_TRUE(vc::normalize_username(std::string(32, 'a')).ok());
  EXPECT_FALSE(vc::normalize_username(std::string(33, 'a')).ok());
}

TEST(Username, RefusesOtherCharacters) {
  for (const char* name : {"ann lee", "ann'--", "ann;drop", "Ännа",
                           "a\x01"
                           "bc",
                           "ann@x", "a/b/c"}) {
    auto r = vc::normalize_username(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, "invalid_username");
  }
}

TEST(Password, CountsCharactersNotBytes) {
  EXPECT_TRUE(vc::check_password(std::string(14, 'x')).has_value());
  EXPECT_FALSE(vc::check_password(std::string(15, 'x')).has_value());
  EXPECT_FALSE(vc::check_password(std::string(128, 'x')).has_value());
  EXPECT_TRUE(vc::check_password(std::string(129, 'x')).has_value());
  // 15 two-byte characters: 30 bytes, 15 characters.
  std::string umlauts;
  for (int i = 0; i < 15; ++i) umlauts += "\xc3\xa4";
  EXPECT_FALSE(vc::check_password(umlauts).has_value());
  EXPECT_TRUE(vc::check_password(umlauts.substr(2)).has_value());
}

TEST(Password, InvalidUtf8IsRefused) {
  EXPECT_TRUE(vc::check_password(std::string(20, 'x') + "\xff").has_value());
}

TEST(DisplayName, AcceptsPrintableUnicode) {
  EXPECT_FALSE(vc::check_display_name("Zoë O'Brien; DROP TABLE users; --").has_value());
  EXPECT_FALSE(vc::check_display_name("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99").has_value());
  EXPECT_FALSE(vc::check_display_name(std::string(64, 'x')).has_value());
}

TEST(DisplayName, RefusesBidiControlsAndZeroWidthCharactersThatSpoofACallerId) {
  // RLO, LRI, RLM, ALM, ZWSP, ZWJ, WORD JOINER, BOM: each inside an otherwise good name.
  for (const char* hidden : {"\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x80\x8f", "\xd8\x9c",
                             "\xe2\x80\x8b", "\xe2\x80\x8d", "\xe2\x81\xa0", "\xef\xbb\xbf"}) {
    auto err = vc::check_display_name(std::string("Ali") + hidden + "ce");
    ASSERT_TRUE(err.has_value()) << "U+ in " << hidden;
    EXPECT_EQ(err->code, "invalid_display_name");
  }
  // Right-to-left scripts themselves are fine: only the invisible controls are refused.
  EXPECT_FALSE(vc::check_display_name("\xd7\xa9\xd7\xa8\xd7\x94 Sara").has_value());
}

TEST(DisplayName, RefusesEmptyTooLongControlAndBrokenText) {
  for (std::string name :
       {std::string(""), std::string(65, 'x'), std::string("a\nb"), std::string("tab\there"),
        std::string("bell\x07"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
        std::string("abc\xe2\x80\xae"
                    "cba")}) {
    auto err = vc::check_display_name(name);
    ASSERT_TRUE(err.has_value()) << name;
    EXPECT_EQ(err->code, "invalid_display_name");
  }
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(vc::utf8_length("abc"), 3);
  EXPECT_EQ(vc::utf8_length("\xf0\x9f\x98\x80"), 1);
  EXPECT_EQ(vc::utf8_length("\xf0\x9f\x98"), -1);
  EXPECT_EQ(vc::utf8_length("\x80"), -1);
}
