#include "query_string.h"

#include <gtest/gtest.h>

using vc::QueryParams;

TEST(QueryParams, DecodesPercentEscapesAndPlusAsSpace) {
  auto q = QueryParams::parse("q=Jos%C3%A9+da%20Silva&after=ann_lee&empty=&flag");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->get("q"), "José da Silva");
  EXPECT_EQ(q->get("after"), "ann_lee");
  EXPECT_EQ(q->get("empty"), "");
  EXPECT_EQ(q->get("flag"), "");
  EXPECT_FALSE(q->get("missing").has_value());
  EXPECT_TRUE(q->has("flag"));
}

TEST(QueryParams, EscapedSeparatorsAreData) {
  auto q = QueryParams::parse("q=a%26b%3Dc%25%2B");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->get("q"), "a&b=c%+");
}

TEST(QueryParams, EmptyQueryAndStrayAmpersandsHaveNoParameters) {
  for (const char* text : {"", "&", "&&"}) {
    auto q = QueryParams::parse(text);
    ASSERT_TRUE(q.ok()) << text;
    EXPECT_FALSE(q->has("")) << text;
  }
  auto q = QueryParams::parse("&a=1&&b=2&");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->get("a"), "1");
  EXPECT_EQ(q->get("b"), "2");
}

TEST(QueryParams, MalformedInputIsRefusedWithItsCode) {
  for (const char* text : {"q=%", "q=%4", "q=%zz", "q=%4g", "q=ok&x=%", "q=%C3", "q=%FF%FE",
                           "q=a%00b", "q=%0A", "q=%7F", "q=1&q=2", "%71=1&q=2"}) {
    auto q = QueryParams::parse(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_EQ(q.error().code, "invalid_query_string") << text;
    EXPECT_NE(q.error().message.find("query string"), std::string::npos) << text;
  }
}

TEST(QueryParams, PositiveIntAcceptsOnlyPlainDecimalIdsFromOne) {
  auto q = QueryParams::parse("a=42&b=9223372036854775807");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q->positive_int("a"), 42);
  EXPECT_EQ(*q->positive_int("b"), INT64_MAX);
  for (const char* text : {"id=0", "id=-1", "id=%2B1", "id=1.5", "id=12abc", "id=", "id=+1",
                           "id=%201", "id=1e3", "id=9223372036854775808", "id=0x10"}) {
    auto bad = QueryParams::parse(text);
    ASSERT_TRUE(bad.ok()) << text;
    auto id = bad->positive_int("id");
    ASSERT_FALSE(id.ok()) << text;
    EXPECT_EQ(id.error().code, "invalid_field") << text;
    EXPECT_EQ(id.error().message, "id must be a positive integer");
  }
  auto none = QueryParams::parse("other=1");
  EXPECT_EQ(none->positive_int("id").error().code, "missing_field");
}
