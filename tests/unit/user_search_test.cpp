#include "user_search.h"

#include <gtest/gtest.h>

using namespace vc;

namespace {

Result<UserSearch> search(const char* query) {
  auto params = QueryParams::parse(query);
  EXPECT_TRUE(params.ok()) << query;
  return parse_user_search(*params);
}

}  // namespace

TEST(UserSearch, TrimsQAndDefaultsTheRest) {
  auto s = search("q=++Ann+Lee+");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->text, "Ann Lee");
  EXPECT_EQ(s->limit, kSearchLimitDefault);
  EXPECT_EQ(s->after, "");
}

TEST(UserSearch, EveryRefusalIsInvalidQueryNamingTheParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "q"},
      {"q=", "q"},
      {"q=a", "q"},
      {"q=+a+", "q"},  // one character once trimmed
      {"q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "q"},  // 65
      {"q=ann&limit=0", "limit"},
      {"q=ann&limit=51", "limit"},
      {"q=ann&limit=-1", "limit"},
      {"q=ann&limit=ten", "limit"},
      {"q=ann&limit=", "limit"},
      {"q=ann&limit=5x", "limit"},
      {"q=ann&after=a", "after"},
      {"q=ann&after=not+a+name", "after"},
      {"q=ann&after=", "after"},
  };
  for (auto [query, names] : cases) {
    auto s = search(query);
    ASSERT_FALSE(s.ok()) << query;
    EXPECT_EQ(s.error().code, "invalid_query") << query;
    EXPECT_EQ(s.error().message.rfind(names, 0), 0u) << query << ": " << s.error().message;
  }
}

TEST(UserSearch, LengthIsCountedInCharactersNotBytes) {
  EXPECT_TRUE(search("q=%C3%A9%C3%A9").ok());  // "éé": 2 characters, 4 bytes
  std::string sixty_four_e_acute = "q=";
  for (int i = 0; i < 64; ++i) sixty_four_e_acute += "%C3%A9";
  EXPECT_TRUE(search(sixty_four_e_acute.c_str()).ok());
  EXPECT_TRUE(search("q=ab&limit=1").ok());
  EXPECT_TRUE(search("q=ab&limit=50&after=Member_01").ok());
  EXPECT_EQ(search("q=ab&after=Member_01")->after, "member_01");
}

TEST(UserSearch, UsernamePrefixIsFoldedAndEscapedForLike) {
  EXPECT_EQ(search("q=Ann_L")->username_pattern, "ann\\_l%");
  EXPECT_EQ(search("q=a.b-c")->username_pattern, "a.b-c%");
  // Characters no username has: no username can start with q.
  EXPECT_EQ(search("q=ann+lee")->username_pattern, "");
  EXPECT_EQ(search("q=%25%25")->username_pattern, "");
  EXPECT_EQ(search("q=Jos%C3%A9")->username_pattern, "");
  EXPECT_EQ(search("q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")->username_pattern, "");  // 33
}

TEST(UserSearch, EscapeLikeEscapesWildcardsAndTheEscapeCharacter) {
  EXPECT_EQ(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
  EXPECT_EQ(escape_like("plain"), "plain");
}

TEST(UserSearch, EachWordOfThreeOrMoreCharactersIsARequiredPrefix) {
  EXPECT_EQ(fulltext_prefix_terms("Will Smith"), "+Will* +Smith*");
  EXPECT_EQ(fulltext_prefix_terms("  will   sm "), "+will*");
  EXPECT_EQ(fulltext_prefix_terms("al bo"), "");
  EXPECT_EQ(fulltext_prefix_terms("José Zoë"), "+José* +Zoë*");
  EXPECT_EQ(fulltext_prefix_terms("smith_jones 2024"), "+smith_jones* +2024*");
}

TEST(UserSearch, OperatorsAndPunctuationOnlySeparateWords) {
  EXPECT_EQ(fulltext_prefix_terms("+will -smith"), "+will* +smith*");
  EXPECT_EQ(fulltext_prefix_terms("\"ann lee\" (x) ~tom* <bob> @3 a|b&c:d"),
            "+ann* +lee* +tom* +bob*");
  EXPECT_EQ(fulltext_prefix_terms("anne-marie o'brien"), "+anne* +marie* +brien*");
  EXPECT_EQ(fulltext_prefix_terms("o\u2019brien \u00abjos\u00e9\u00bb \u2014 ann\u3001lee"),
            "+brien* +josé* +ann* +lee*");
  EXPECT_EQ(fulltext_prefix_terms("%%% ***"), "");
  // Whatever q holds, the expression is words of InnoDB's word characters and the operators
  // this function adds, so MariaDB never sees a syntax of the user's.
  for (const char* text : {"a+b-c", "((((", "\"", "*x*", "@@@", "++--~~", "\\'\\'"})
    for (char c : fulltext_prefix_terms(text))
      EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '*' ||
                  c == ' ')
          << text;
}

TEST(UserSearch, TheStatementHasABranchForEachWayQCanMatch) {
  auto both = search_statement(*search("q=will&limit=5&after=ann"), 7);
  EXPECT_NE(both.sql.find("FORCE INDEX (uq_users_username)"), std::string::npos);
  EXPECT_NE(both.sql.find(" UNION "), std::string::npos);
  EXPECT_NE(both.sql.find("MATCH (display_name)"), std::string::npos);
  ASSERT_EQ(both.params.size(), 9u);
  EXPECT_EQ(std::get<std::string>(both.params[0]), "will%");
  EXPECT_EQ(std::get<std::string>(both.params[1]), "ann");
  EXPECT_EQ(std::get<int64_t>(both.params[2]), 7);
  EXPECT_EQ(std::get<int64_t>(both.params[3]), 6);  // one more than the page
  EXPECT_EQ(std::get<std::string>(both.params[4]), "+will*");

  auto words_only = search_statement(*search("q=Will%20Smith"), 7);
  EXPECT_EQ(words_only.sql.find("LIKE"), std::string::npos);
  EXPECT_EQ(words_only.params.size(), 5u);
  auto prefix_only = search_statement(*search("q=ab"), 7);
  EXPECT_EQ(prefix_only.sql.find("MATCH"), std::string::npos);
  EXPECT_TRUE(search_statement(*search("q=%25%25"), 7).sql.empty());
}
