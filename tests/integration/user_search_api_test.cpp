// User search and lookup through the real stack: nginx (TLS) -> fcgi-app -> MariaDB.
// The client percent-encodes a '+' in a path, so spaces in these query strings are "%20".
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <regex>
#include <set>

#include "stack_env.h"
#include "user_search.h"

using namespace vc;
using namespace vc::test;

namespace {

std::vector<std::string> usernames(const std::string& body) {
  static const std::regex kUsername(R"re("username":"([^"]*)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(body.begin(), body.end(), kUsername), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

std::string next_of(const std::string& body) {
  static const std::regex kNext(R"re("next":(null|"([^"]*)")\}$)re");
  std::smatch m;
  if (!std::regex_search(body, m, kNext)) return "missing";
  return m[1] == "null" ? "" : m[2].str();
}

// Every page of a search, following `next`; fails the test if a page is refused.
std::vector<std::string> all_pages(const LoggedIn& u, const std::string& query, int limit,
                                   int* pages = nullptr) {
  std::vector<std::string> found;
  std::string after;
  for (int page = 1; page <= 100; ++page) {
    std::string path = "/api/users/search?q=" + query + "&limit=" + std::to_string(limit);
    if (!after.empty()) path += "&after=" + after;
    auto res = get(path, u.token);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no response");
    if (!res || res->status != 200) break;
    auto names = usernames(res->body);
    EXPECT_LE(static_cast<int>(names.size()), limit);
    found.insert(found.end(), names.begin(), names.end());
    after = next_of(res->body);
    if (pages) *pages = page;
    if (after.empty()) break;
    EXPECT_EQ(after, names.back());
  }
  return found;
}

}  // namespace

TEST(UserSearch, FindsByUsernamePrefixWhateverItsCase) {
  LoggedIn me = register_and_login("seeker");
  const std::string prefix = folded_name("prefixed");
  insert_user(prefix + "_a", "Anyone");
  insert_user(prefix + "_b", "Anybody");
  std::string upper = prefix;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  auto res = get("/api/users/search?q=" + upper, me.token);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(usernames(res->body), (std::vector<std::string>{prefix + "_a", prefix + "_b"}));
  EXPECT_EQ(next_of(res->body), "");
  EXPECT_NE(res->body.find(R"("display_name":"Anybody")"), std::string::npos);
  EXPECT_EQ(res->body.find("password"), std::string::npos);
}

TEST(UserSearch, FindsByEveryWordOfTheDisplayNameEvenStopwords) {
  LoggedIn me = register_and_login("finder");
  const std::string surname = unique_word("Smith");
  const std::string will = folded_name("ws");
  const std::string the_who = folded_name("tw");
  const std::string jose = folded_name("js");
  insert_user(will, "Will " + surname);
  insert_user(folded_name("wt"), "Will Turner");
  insert_user(the_who, "The Who " + surname);
  insert_user(jose, "José Álvarez " + surname);

  auto found = [&](const std::string& q) { return all_pages(me, q, 50); };
  auto has = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has(found("will"), will)) << "'will' is on InnoDB's default stopword list";
  EXPECT_EQ(found("Will%20" + surname), std::vector<std::string>{will});
  EXPECT_EQ(found("wil%20" + surname.substr(0, surname.size() - 1)), std::vector<std::string>{will})
      << "prefixes";
  EXPECT_EQ(found("the%20who%20" + surname), std::vector<std::string>{the_who});
  EXPECT_EQ(found("jose%20alvarez%20" + surname), std::vector<std::string>{jose}) << "accents";
  // A word of fewer than three characters is left out of the match, not a reason for none.
  EXPECT_EQ(found("Jo%20" + surname + "%20x"), (std::vector<std::string>{jose, the_who, will}));
  // Operators are only separators: no negation, no phrase, no syntax error.
  EXPECT_EQ(found("%2Bwill%20-" + surname + "%20%22"), std::vector<std::string>{will});
  EXPECT_TRUE(found("%28%29%3C%3E%7E*%40").empty());
}

TEST(UserSearch, PagesWithAfterAreDisjointAndCoverEveryMatch) {
  LoggedIn me = register_and_login("pager");
  const std::string word = unique_word("Pagey");
  const std::string prefix = folded_name(word);
  std::set<std::string> expected;
  for (int i = 0; i < 4; ++i) {  // matched by the username
    expected.insert(prefix + "_u" + std::to_string(i));
    insert_user(prefix + "_u" + std::to_string(i), "Someone");
  }
  for (int i = 0; i < 4; ++i) {  // matched by the display name
    expected.insert(folded_name("zz") + "p" + std::to_string(i));
    insert_user(*expected.rbegin(), "Member " + word);
  }
  insert_user(prefix + "_both", "Both " + word);  // by both: listed once
  expected.insert(prefix + "_both");

  int pages = 0;
  auto names = all_pages(me, word, 3, &pages);
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "disjoint";
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
}

TEST(UserSearch, LikeWildcardsInQAreLiteral) {
  LoggedIn me = register_and_login("wildcard");
  const std::string prefix = folded_name("wild");
  insert_user(prefix + "_x", "Nobody");
  insert_user(prefix + "ax", "Nobody");
  auto res = get("/api/users/search?q=" + prefix + "_", me.token);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(usernames(res->body), std::vector<std::string>{prefix + "_x"});
  for (const char* q : {"%25%25", "__", "%5C%25", "a%25"}) {
    auto none = get(std::string("/api/users/search?q=") + q, me.token);
    ASSERT_EQ(none->status, 200) << q;
    EXPECT_EQ(none->body, R"({"users":[],"next":null})") << q;
  }
}

TEST(UserSearch, TheSearcherIsNotListed) {
  LoggedIn a = register_and_login("mirror");
  LoggedIn b = register_and_login("mirror");
  auto res = get("/api/users/search?q=mirror_" + std::to_string(::getpid() % 100000), a.token);
  ASSERT_EQ(res->status, 200);
  auto names = usernames(res->body);
  EXPECT_NE(std::find(names.begin(), names.end(), b.username), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), a.username), names.end());
}

TEST(UserSearch, BadParametersAre400) {
  LoggedIn me = register_and_login("picky");
  const std::pair<const char*, const char*> cases[] = {
      {"", "invalid_query"},
      {"?q=a", "invalid_query"},
      {"?q=%20%20a%20%20", "invalid_query"},
      {"?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "invalid_query"},
      {"?q=ann&limit=0", "invalid_query"},
      {"?q=ann&limit=51", "invalid_query"},
      {"?q=ann&limit=x", "invalid_query"},
      {"?q=ann&after=no%20such%20name", "invalid_query"},
      {"?q=%E0%A4", "invalid_query_string"},
      {"?q=ann&q=bob", "invalid_query_string"},
      {"?q=%", "invalid_query_string"},
  };
  for (auto [query, code] : cases) {
    auto res = get(std::string("/api/users/search") + query, me.token);
    ASSERT_TRUE(res) << query;
    EXPECT_EQ(res->status, 400) << query;
    EXPECT_EQ(error_code(res), code) << query;
  }
}

TEST(UserSearch, BothBranchesUseTheirIndexes) {
  // The handler's own statement, for a query that takes both branches, on a later page.
  auto params = QueryParams::parse("q=member01&after=member010500");
  ASSERT_TRUE(params.ok());
  auto search = parse_user_search(*params);
  ASSERT_TRUE(search.ok());
  SearchStatement statement = search_statement(*search, 1);
  ASSERT_NE(statement.sql.find(" UNION "), std::string::npos);
  auto plan = db().query("EXPLAIN " + statement.sql, statement.params);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::map<std::string, std::string> access;  // key -> type
  for (const DbRow& row : *plan)
    if (row.at(5)) access[*row.at(5)] = row.at(3).value_or("");
  EXPECT_EQ(access["uq_users_username"], "range") << "the prefix is a range of the unique key";
  EXPECT_EQ(access["ft_users_display_name"], "fulltext") << "the words use the FULLTEXT index";
}

TEST(UserSearch, NginxRateLimitsBursts) {
  LoggedIn me = register_and_login("scraper");
  // An address of its own, so no other test shares this bucket.
  const std::string ip = "127.0." + std::to_string(1 + ::getpid() % 250) + ".91";
  EXPECT_EQ(client(ip)->Get("/api/users/search?q=scraper", browser_headers(me.token))->status, 200);
  Flood f = flood(
      [&](httplib::Client& c) {
        return c.Get("/api/users/search?q=scraper", browser_headers(me.token));
      },
      200, ip);
  EXPECT_GT(f.answered, 0);
  EXPECT_GT(f.limited, 0);
  EXPECT_FALSE(f.wrong_body);
}

TEST(UserLookup, NginxRateLimitsWalkingTheIds) {
  // Ids are sequential: walking them must be no faster a copy of the directory than searching.
  LoggedIn me = register_and_login("idwalker");
  const std::string ip = "127.0." + std::to_string(1 + ::getpid() % 250) + ".92";
  std::atomic<int> next_id{1};
  Flood f = flood(
      [&](httplib::Client& c) {
        return c.Get("/api/users/lookup?id=" + std::to_string(next_id++),
                     browser_headers(me.token));
      },
      200, ip);
  EXPECT_GT(f.answered, 0);
  EXPECT_GT(f.limited, 0);
  EXPECT_FALSE(f.wrong_body);
}

TEST(UserLookup, FindsAUserByIdOrSaysWhy) {
  LoggedIn me = register_and_login("looker");
  LoggedIn them = register_and_login("lookedat");
  auto res = get("/api/users/lookup?id=" + std::to_string(them.user_id), me.token);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"user":{"id":)" + std::to_string(them.user_id) + R"(,"username":")" +
                           them.username + R"(","display_name":")" + them.username + R"("}})");

  auto unknown = get("/api/users/lookup?id=9000000000000", me.token);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(error_code(unknown), "user_not_found");
  const std::pair<const char*, const char*> bad[] = {
      {"", "missing_field"},         {"?id=", "invalid_field"},
      {"?id=abc", "invalid_field"},  {"?id=0", "invalid_field"},
      {"?id=1%3B", "invalid_field"}, {"?id=%G1", "invalid_query_string"},
  };
  for (auto [query, code] : bad) {
    auto r = get(std::string("/api/users/lookup") + query, me.token);
    ASSERT_TRUE(r) << query;
    EXPECT_EQ(r->status, 400) << query;
    EXPECT_EQ(error_code(r), code) << query;
  }
}
