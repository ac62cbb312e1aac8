// Contacts through the real stack: nginx (TLS) -> fcgi-app -> MariaDB.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <regex>
#include <thread>
#include <vector>

#include "stack_env.h"

using namespace vc;
using namespace vc::test;

namespace {

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

httplib::Result add(const LoggedIn& u, int64_t id) {
  return post("/api/contacts", R"({"user_id":)" + std::to_string(id) + "}", u.token);
}

int64_t count_contacts(int64_t user_id) {
  auto rows = db().query("SELECT COUNT(*) FROM contacts WHERE user_id = ?", {user_id});
  return rows.ok() ? std::stoll(*rows->at(0).at(0)) : -1;
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

TEST(Contacts, FourHundredEightyFavouritesAreTheMost) {
  LoggedIn me = register_and_login("collector");
  const std::string prefix = folded_name("fav");
  ASSERT_TRUE(db().exec("INSERT INTO users (username, display_name, password_hash)"
                        " SELECT CONCAT(?, '_', seq), 'Favourite', 'x' FROM seq_1_to_481",
                        {prefix})
                  .ok());
  ASSERT_TRUE(db().exec("INSERT INTO contacts (user_id, contact_id, created_at)"
                        " SELECT ?, id, NOW(3) FROM users WHERE username LIKE CONCAT(?, '\\_%')"
                        " AND username <> CONCAT(?, '_481')",
                        {me.user_id, prefix, prefix})
                  .ok());
  ASSERT_EQ(count_contacts(me.user_id), 480);
  auto ids = db().query(
      "SELECT id FROM users WHERE username IN (CONCAT(?, '_481'), CONCAT(?, '_1'))"
      " ORDER BY username",
      {prefix, prefix});
  ASSERT_TRUE(ids.ok() && ids->size() == 2);
  const int64_t first = std::stoll(*ids->at(0).at(0)), last = std::stoll(*ids->at(1).at(0));

  auto refused = add(me, last);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(error_code(refused), "too_many_contacts");
  EXPECT_EQ(count_contacts(me.user_id), 480);
  EXPECT_EQ(add(me, first)->status, 200) << "one already there is still fine";
  ASSERT_EQ(del("/api/contacts?user_id=" + std::to_string(first), me.token)->status, 200);
  EXPECT_EQ(add(me, last)->status, 200);
  EXPECT_EQ(count_contacts(me.user_id), 480);
  EXPECT_EQ(contacts_of(me).size(), 480u);
}

TEST(Contacts, StarsClickedAtOnceAllLand) {
  // Parallel adds by one user take range locks on the count and can deadlock; none may fail.
  LoggedIn me = register_and_login("quickstar");
  std::vector<int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(insert_user(folded_name("starred"), "Starred"));
  std::vector<std::thread> clicks;
  std::atomic<int> ok{0};
  for (int64_t id : ids)
    clicks.emplace_back([&, id] {
      if (auto res = add(me, id); res && res->status == 200) ++ok;
    });
  for (auto& t : clicks) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(count_contacts(me.user_id), 8);
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
