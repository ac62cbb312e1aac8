// Contacts, user search and lookup through the real stack: nginx (TLS) -> fcgi-app -> MariaDB.
// The client percent-encodes a '+' in a path, so spaces in these query strings are "%20".
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "json.h"
#include "stack_env.h"
#include "user_search.h"

using namespace vc;
using namespace vc::test;

namespace {

// A word of letters only (the FULLTEXT index splits at digits and '_' does not help humans):
// `stem` and this process's id spelled in letters, so reruns on one stack do not meet.
std::string unique_word(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::string word = stem;
  for (char d : std::to_string(::getpid() * 100 + ++counter))
    word += static_cast<char>('a' + d - '0');
  return word;
}

// A username as the API stores it (case-folded).
std::string folded_name(const std::string& prefix) {
  std::string name = unique_name(prefix);
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name;
}

// An account written straight into the table, for the tests that need many of them (no
// password hashing); returns its id.
int64_t insert_user(const std::string& username, const std::string& display_name) {
  auto r = db().exec("INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, 'x')",
                     {username, display_name});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? static_cast<int64_t>(r->insert_id) : 0;
}

struct Contact {
  int64_t id;
  std::string username;
  bool favourite;
  std::string last_call_at;  // "null" or the quoted time
};

std::vector<Contact> contacts_of(const LoggedIn& u) {
  auto res = get("/api/contacts", u.token);
  EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
  std::vector<Contact> out;
  if (!res) return out;
  static const std::regex kContact(
      R"re(\{"id":(\d+),"username":"([^"]*)","display_name":"(?:[^"\\]|\\.)*",)re"
      R"re("favourite":(true|false),"last_call_at":(null|"[^"]*")\})re");
  for (std::sregex_iterator it(res->body.begin(), res->body.end(), kContact), end; it != end; ++it)
    out.push_back({std::stoll((*it)[1]), (*it)[2], (*it)[3] == "true", (*it)[4]});
  return out;
}

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

httplib::Result add(const LoggedIn& u, int64_t id) {
  return post("/api/contacts", R"({"user_id":)" + std::to_string(id) + "}", u.token);
}

int64_t count_contacts(int64_t user_id) {
  auto rows = db().query("SELECT COUNT(*) FROM contacts WHERE user_id = ?", {user_id});
  return rows.ok() ? std::stoll(*rows->at(0).at(0)) : -1;
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

TEST(Contacts, ANewUserHasNone) {
  LoggedIn u = register_and_login("lonely");
  auto res = get("/api/contacts", u.token);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"contacts":[]})");
}

TEST(Contacts, AnAddedFavouriteIsListedAndAddingAgainKeepsOneRow) {
  LoggedIn u = register_and_login("fan");
  LoggedIn star = register_and_login("star");
  const std::string expected = R"({"contact":{"id":)" + std::to_string(star.user_id) +
                               R"(,"username":")" + star.username + R"(","display_name":")" +
                               star.username + R"(","favourite":true,"last_call_at":null}})";
  for (int i = 0; i < 2; ++i) {
    auto res = add(u, star.user_id);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, expected);
  }
  EXPECT_EQ(count_contacts(u.user_id), 1);
  auto list = contacts_of(u);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, star.user_id);
  EXPECT_TRUE(list[0].favourite);
  EXPECT_EQ(list[0].last_call_at, "null");
  EXPECT_TRUE(contacts_of(star).empty()) << "a favourite is one-way";
}

TEST(Contacts, AddingYourselfIsRefusedAndWritesNothing) {
  LoggedIn u = register_and_login("narcissus");
  auto res = add(u, u.user_id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(error_code(res), "cannot_add_self");
  EXPECT_EQ(count_contacts(u.user_id), 0);
}

TEST(Contacts, AddingAnUnknownUserIs404) {
  LoggedIn u = register_and_login("ghostfan");
  auto res = add(u, 9'000'000'000'000);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(error_code(res), "user_not_found");
  EXPECT_EQ(count_contacts(u.user_id), 0);
}

TEST(Contacts, AddWithABadBodyIs400NamingTheField) {
  LoggedIn u = register_and_login("badbody");
  const std::pair<const char*, const char*> cases[] = {
      {"{", "invalid_json"},
      {"{}", "missing_field"},
      {R"({"id":3})", "missing_field"},
      {R"({"user_id":"3"})", "invalid_field"},
      {R"({"user_id":1.5})", "invalid_field"},
      {R"({"user_id":0})", "invalid_field"},
  };
  for (auto [body, code] : cases) {
    auto res = post("/api/contacts", body, u.token);
    ASSERT_TRUE(res) << body;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_EQ(error_code(res), code) << body;
    if (std::string(code) != "invalid_json") {
      EXPECT_NE(res->body.find("user_id"), std::string::npos) << res->body;
    }
  }
  EXPECT_EQ(count_contacts(u.user_id), 0);
}

TEST(Contacts, RemovingDropsTheFavouriteButNotTheCallHistory) {
  LoggedIn u = register_and_login("remover");
  LoggedIn friend_ = register_and_login("exfriend");
  LoggedIn other = register_and_login("keeper");
  insert_call(new_call_id(), u.user_id, friend_.user_id, "ended", "2026-02-01 10:00:00.000",
              nullptr, nullptr, nullptr);
  ASSERT_EQ(add(u, friend_.user_id)->status, 200);
  ASSERT_EQ(add(u, other.user_id)->status, 200);
  for (int i = 0; i < 2; ++i) {  // idempotent
    auto res = del("/api/contacts?user_id=" + std::to_string(friend_.user_id), u.token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "{}");
  }
  auto list = contacts_of(u);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, other.user_id);
  EXPECT_TRUE(list[0].favourite);
  EXPECT_EQ(list[1].id, friend_.user_id);  // still there, as a recent call partner
  EXPECT_FALSE(list[1].favourite);
  EXPECT_EQ(list[1].last_call_at, "\"2026-02-01T10:00:00.000Z\"");
}

TEST(Contacts, RemoveNeedsAUserIdInTheQueryString) {
  LoggedIn u = register_and_login("vaguedel");
  const std::pair<const char*, const char*> cases[] = {
      {"/api/contacts", "missing_field"},
      {"/api/contacts?user_id=", "invalid_field"},
      {"/api/contacts?user_id=abc", "invalid_field"},
      {"/api/contacts?user_id=-4", "invalid_field"},
      {"/api/contacts?user_id=%zz", "invalid_query_string"},
  };
  for (auto [path, code] : cases) {
    auto res = del(path, u.token);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 400) << path;
    EXPECT_EQ(error_code(res), code) << path;
  }
}

TEST(Contacts, FavouritesByNameThenRecentPartnersNewestFirst) {
  LoggedIn me = register_and_login("busy");
  const std::string tag = unique_word("Q");
  const int64_t zed = insert_user(folded_name("zed"), "Zed " + tag);
  const int64_t amy = insert_user(folded_name("amy"), "amy " + tag);  // the collation ignores case
  const int64_t bea = insert_user(folded_name("bea"), "Bea " + tag);
  const int64_t old_friend = insert_user(folded_name("old"), "Old " + tag);
  const int64_t new_friend = insert_user(folded_name("new"), "New " + tag);
  for (int64_t id : {zed, amy, bea}) ASSERT_EQ(add(me, id)->status, 200);
  // Calls both ways; the latest per person counts, and a favourite is not listed twice.
  insert_call(new_call_id(), me.user_id, old_friend, "ended", "2026-03-01 08:00:00.000", nullptr,
              nullptr, nullptr);
  insert_call(new_call_id(), old_friend, me.user_id, "missed", "2026-03-02 08:00:00.000", nullptr,
              nullptr, nullptr);
  insert_call(new_call_id(), new_friend, me.user_id, "ended", "2026-03-05 09:30:00.125", nullptr,
              nullptr, nullptr);
  insert_call(new_call_id(), me.user_id, bea, "declined", "2026-03-04 12:00:00.000", nullptr,
              nullptr, nullptr);
  // Someone else's call is not ours.
  insert_call(new_call_id(), zed, amy, "ended", "2026-03-06 12:00:00.000", nullptr, nullptr,
              nullptr);

  auto list = contacts_of(me);
  ASSERT_EQ(list.size(), 5u);
  const int64_t order[] = {amy, bea, zed, new_friend, old_friend};
  const bool favourite[] = {true, true, true, false, false};
  const char* last[] = {"null", "\"2026-03-04T12:00:00.000Z\"", "null",
                        "\"2026-03-05T09:30:00.125Z\"", "\"2026-03-02T08:00:00.000Z\""};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(list[i].id, order[i]) << i;
    EXPECT_EQ(list[i].favourite, favourite[i]) << i;
    EXPECT_EQ(list[i].last_call_at, last[i]) << i;
  }
}

TEST(Contacts, AtMostTwentyRecentPartnersAreListed) {
  LoggedIn me = register_and_login("popular");
  const std::string tag = unique_word("P");
  std::vector<int64_t> partners;
  for (int i = 0; i < 22; ++i) {
    partners.push_back(insert_user(folded_name("caller"), "Caller " + tag));
    char when[32];
    std::snprintf(when, sizeof when, "2026-04-01 10:%02d:00.000", i);
    insert_call(new_call_id(), partners.back(), me.user_id, "ended", when, nullptr, nullptr,
                nullptr);
  }
  auto list = contacts_of(me);
  ASSERT_EQ(list.size(), 20u);
  EXPECT_EQ(list.front().id, partners.back());
  EXPECT_EQ(list.back().id, partners[2]);  // the two oldest are left out
}

TEST(Contacts, FiveHundredFavouritesAreTheMost) {
  LoggedIn me = register_and_login("collector");
  const std::string prefix = folded_name("fav");
  ASSERT_TRUE(db().exec("INSERT INTO users (username, display_name, password_hash)"
                        " SELECT CONCAT(?, '_', seq), 'Favourite', 'x' FROM seq_1_to_501",
                        {prefix})
                  .ok());
  ASSERT_TRUE(db().exec("INSERT INTO contacts (user_id, contact_id, created_at)"
                        " SELECT ?, id, NOW(3) FROM users WHERE username LIKE CONCAT(?, '\\_%')"
                        " AND username <> CONCAT(?, '_501')",
                        {me.user_id, prefix, prefix})
                  .ok());
  ASSERT_EQ(count_contacts(me.user_id), 500);
  auto ids = db().query(
      "SELECT id FROM users WHERE username IN (CONCAT(?, '_501'), CONCAT(?, '_1'))"
      " ORDER BY username",
      {prefix, prefix});
  ASSERT_TRUE(ids.ok() && ids->size() == 2);
  const int64_t first = std::stoll(*ids->at(0).at(0)), last = std::stoll(*ids->at(1).at(0));

  auto refused = add(me, last);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(error_code(refused), "too_many_contacts");
  EXPECT_EQ(count_contacts(me.user_id), 500);
  EXPECT_EQ(add(me, first)->status, 200) << "one already there is still fine";
  ASSERT_EQ(del("/api/contacts?user_id=" + std::to_string(first), me.token)->status, 200);
  EXPECT_EQ(add(me, last)->status, 200);
  EXPECT_EQ(count_contacts(me.user_id), 500);
  EXPECT_EQ(contacts_of(me).size(), 500u);
}

TEST(Contacts, CrossOriginAddAndRemoveAreRefused) {
  LoggedIn u = register_and_login("csrfcontacts");
  LoggedIn kept = register_and_login("keptcontact");
  LoggedIn target = register_and_login("csrftarget");
  ASSERT_EQ(add(u, kept.user_id)->status, 200);
  const std::string cookie = std::string(kSessionCookie) + "=" + u.token;
  const std::string body = R"({"user_id":)" + std::to_string(target.user_id) + "}";
  const std::string remove = "/api/contacts?user_id=" + std::to_string(kept.user_id);
  auto c = client();
  struct Case {
    httplib::Headers headers;
    std::string code;
  };
  const Case cases[] = {
      {{{"Origin", "https://evil.example"}, {"Cookie", cookie}}, "bad_origin"},
      {{{"Cookie", cookie}}, "bad_origin"},
      {{{"Origin", origin()}, {"Sec-Fetch-Site", "cross-site"}, {"Cookie", cookie}},
       "cross_site_request"},
  };
  for (const Case& k : cases) {
    auto added = c->Post("/api/contacts", k.headers, body, "application/json");
    ASSERT_TRUE(added);
    EXPECT_EQ(added->status, 403) << k.code;
    EXPECT_EQ(error_code(added), k.code);
    auto removed = c->Delete(remove.c_str(), k.headers);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->status, 403) << k.code;
    EXPECT_EQ(error_code(removed), k.code);
  }
  auto form = c->Post("/api/contacts", {{"Origin", origin()}, {"Cookie", cookie}}, body,
                      "application/x-www-form-urlencoded");
  EXPECT_EQ(error_code(form), "bad_content_type");
  auto list = contacts_of(u);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, kept.user_id);
}

TEST(Contacts, SearchAndLookupNeedASession) {
  for (const char* path : {"/api/contacts", "/api/users/search?q=ann", "/api/users/lookup?id=1"}) {
    auto res = get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(error_code(res), "unauthenticated") << path;
  }
  EXPECT_EQ(error_code(post("/api/contacts", R"({"user_id":1})")), "unauthenticated");
  EXPECT_EQ(error_code(del("/api/contacts?user_id=1")), "unauthenticated");
  LoggedIn u = register_and_login("expired");
  EXPECT_EQ(post("/api/logout", "{}", u.token)->status, 204);
  EXPECT_EQ(get("/api/contacts", u.token)->status, 401);
}

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
  std::atomic<int> limited{0}, answered{0};
  std::atomic<bool> wrong_body{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      auto c = client(ip);
      c->set_keep_alive(true);
      for (int i = 0; i < 200 && limited == 0; ++i) {
        auto res = c->Get("/api/users/search?q=scraper", browser_headers(me.token));
        if (!res) continue;
        ++answered;
        if (res->status == 429) {
          ++limited;
          if (error_code(res) != "too_many_attempts") wrong_body = true;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GT(answered, 0);
  EXPECT_GT(limited, 0);
  EXPECT_FALSE(wrong_body);
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
