// The text helpers both daemons share (shared/text.h).
#include "text.h"

#include <gtest/gtest.h>

using namespace vc;

TEST(Text, TrimDropsSpacesTabsAndLineEndsAtBothEnds) {
  EXPECT_EQ(trim("  a b\t\r\n"), "a b");
  EXPECT_EQ(trim("\t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(cookie_value("a=1; b=2;c=3", "b"), "2");
  EXPECT_EQ(cookie_value("a=1; b=2;c=3", "c"), "3");
  EXPECT_EQ(cookie_value(" b = 2 ", "b"), "2");
  EXPECT_EQ(cookie_value("ab=1", "b"), "");
  EXPECT_EQ(cookie_value("b=", "b"), "");
  EXPECT_EQ(cookie_value("", "b"), "");
  EXPECT_EQ(cookie_value("b", "b"), "");
}

TEST(Text, CookieValueKeepsEverythingAfterTheFirstEquals) {
  EXPECT_EQ(cookie_value("__Host-session=ab=cd; x=1", "__Host-session"), "ab=cd");
}

TEST(Text, ReasonPhrasesCoverEveryStatusTheDaemonsSend) {
  EXPECT_STREQ(reason_phrase(200), "OK");
  EXPECT_STREQ(reason_phrase(404), "Not Found");
  EXPECT_STREQ(reason_phrase(426), "Upgrade Required");
  EXPECT_STREQ(reason_phrase(503), "Service Unavailable");
  EXPECT_STREQ(reason_phrase(599), "Internal Server Error");
}
