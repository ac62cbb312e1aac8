// The HTTP API through the real stack: nginx (TLS) -> fcgi-app -> MariaDB.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "json.h"
#include "password.h"
#include "stack_env.h"
#include "token.h"

using namespace vc;
using namespace vc::test;

namespace {

std::string creds(const std::string& username, const std::string& password) {
  JsonWriter w;
  w.start_object();
  w.field("username", username);
  w.field("password", password);
  w.end_object();
  return w.take();
}

int64_t count_users_named(const std::string& username) {
  auto rows = db().query("SELECT COUNT(*) FROM users WHERE username = ?", {username});
  EXPECT_TRUE(rows.ok());
  return rows.ok() ? std::stoll(*rows->at(0).at(0)) : -1;
}

int64_t count_rows(const char* table) {
  auto rows = db().query(std::string("SELECT COUNT(*) FROM ") + table);
  return rows.ok() ? std::stoll(*rows->at(0).at(0)) : -1;
}

}  // namespace

TEST(Api, RegisterLoginMeLogoutRoundTrip) {
  std::string name = unique_name("Round");
  auto reg = post("/api/register", creds(name, kTestPassword));
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->status, 201);
  std::string folded = name;
  for (char& c : folded) c = static_cast<char>(std::tolower(c));
  auto user = JsonObject::parse(*JsonObject::parse(reg->body)->object_field_text("user"));
  EXPECT_EQ(*user->string_field("username"), folded);
  EXPECT_EQ(*user->string_field("display_name"), folded);

  auto login = post("/api/login", creds(name, kTestPassword));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  std::string token = session_token(login);
  ASSERT_EQ(token.size(), kTokenChars);

  auto me = get("/api/me", token);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(me->body, login->body);

  auto logout = post("/api/logout", "{}", token);
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 204);
  EXPECT_NE(logout->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(get("/api/me", token)->status, 401);
  auto revoked = db().query("SELECT revoked_at IS NOT NULL FROM sessions WHERE token_hash = ?",
                            {DbBlob{hash_token(token)}});
  ASSERT_TRUE(revoked.ok());
  ASSERT_EQ(revoked->size(), 1u);
  EXPECT_EQ(revoked->at(0).at(0), "1");
}

TEST(Api, SessionCookieHasSecureFlagsAndOnlyItsHashIsStored) {
  LoggedIn u = register_and_login("Cookie");
  auto login = post("/api/login", creds(u.username, kTestPassword));
  std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("__Host-session=", 0), 0u);
  for (const char* flag : {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict"})
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag;
  EXPECT_EQ(cookie.find("Domain"), std::string::npos);

  std::string token = session_token(login);
  auto stored = db().query("SELECT token_hash FROM sessions WHERE user_id = ?", {u.user_id});
  ASSERT_TRUE(stored.ok());
  bool hash_found = false;
  for (auto& row : *stored) {
    EXPECT_NE(*row[0], token);
    hash_found |= *row[0] == hash_token(token);
  }
  EXPECT_TRUE(hash_found);
}

TEST(Api, EveryLoginIssuesANewToken) {
  LoggedIn u = register_and_login("Fresh");
  std::string again = session_token(post("/api/login", creds(u.username, kTestPassword)));
  EXPECT_EQ(again.size(), kTokenChars);
  EXPECT_NE(again, u.token);
  EXPECT_EQ(get("/api/me", u.token)->status, 200);  // the older session stays valid
  EXPECT_EQ(get("/api/me", again)->status, 200);
}

TEST(Api, LogoutAllRevokesEverySessionOfTheUser) {
  LoggedIn u = register_and_login("Everywhere");
  LoggedIn other = register_and_login("Bystander");
  std::string second = session_token(post("/api/login", creds(u.username, kTestPassword)));
  auto res = post("/api/logout-all", "{}", second);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(get("/api/me", u.token)->status, 401);
  EXPECT_EQ(get("/api/me", second)->status, 401);
  EXPECT_EQ(get("/api/me", other.token)->status, 200);
}

TEST(Api, IdleExpiredSessionIsRefused) {
  LoggedIn u = register_and_login("Idle");
  ASSERT_TRUE(db().exec("UPDATE sessions SET idle_expires_at = NOW(3) - INTERVAL 1 SECOND"
                        " WHERE token_hash = ?",
                        {DbBlob{hash_token(u.token)}})
                  .ok());
  auto me = get("/api/me", u.token);
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(error_code(me), "unauthenticated");
}

TEST(Api, AbsolutelyExpiredSessionIsRefused) {
  LoggedIn u = register_and_login("Absolute");
  ASSERT_TRUE(db().exec("UPDATE sessions SET absolute_expires_at = NOW(3) - INTERVAL 1 SECOND"
                        " WHERE token_hash = ?",
                        {DbBlob{hash_token(u.token)}})
                  .ok());
  EXPECT_EQ(get("/api/me", u.token)->status, 401);
}

TEST(Api, ActivityExtendsTheIdleExpiryAtMostOncePerInterval) {
  LoggedIn u = register_and_login("Touch");
  const DbBlob hash{hash_token(u.token)};
  // Pretend the session was last seen two minutes ago and is about to go idle.
  ASSERT_TRUE(db().exec("UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 120 SECOND,"
                        " idle_expires_at = NOW(3) + INTERVAL 5 SECOND WHERE token_hash = ?",
                        {hash})
                  .ok());
  EXPECT_EQ(get("/api/me", u.token)->status, 200);
  auto after = db().query(
      "SELECT last_seen_at > NOW(3) - INTERVAL 10 SECOND,"
      " idle_expires_at > NOW(3) + INTERVAL 1 HOUR FROM sessions WHERE token_hash = ?",
      {hash});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->at(0).at(0), "1");
  EXPECT_EQ(after->at(0).at(1), "1");

  // Seen ten seconds ago: within the touch interval, so this request writes nothing.
  ASSERT_TRUE(db().exec("UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 10 SECOND,"
                        " idle_expires_at = NOW(3) + INTERVAL 5 SECOND WHERE token_hash = ?",
                        {hash})
                  .ok());
  EXPECT_EQ(get("/api/me", u.token)->status, 200);
  auto untouched = db().query(
      "SELECT last_seen_at < NOW(3) - INTERVAL 9 SECOND,"
      " idle_expires_at < NOW(3) + INTERVAL 1 HOUR FROM sessions WHERE token_hash = ?",
      {hash});
  ASSERT_TRUE(untouched.ok());
  EXPECT_EQ(untouched->at(0).at(0), "1");
  EXPECT_EQ(untouched->at(0).at(1), "1");
}

TEST(Api, LoginRehashesAPasswordStoredWithWeakerParameters) {
  LoggedIn u = register_and_login("rehash");
  auto weak = hash_password(kTestPassword, PasswordParams{1, 8 * 1024});
  ASSERT_TRUE(weak.has_value());
  ASSERT_TRUE(
      db().exec("UPDATE users SET password_hash = ? WHERE id = ?", {*weak, u.user_id}).ok());
  EXPECT_EQ(post("/api/login", creds(u.username, kTestPassword))->status, 200);
  auto stored = db().query("SELECT password_hash FROM users WHERE id = ?", {u.user_id});
  ASSERT_TRUE(stored.ok());
  const std::string hash = *stored->at(0).at(0);
  EXPECT_NE(hash, *weak);
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(verify_password(hash, kTestPassword));
}

TEST(Api, LogsNeverContainPasswordsTokensOrCookies) {
  const std::string password = unique_name("Secret-Password-Marker");
  std::string name = unique_name("logsafe");
  ASSERT_EQ(post("/api/register", creds(name, password))->status, 201);
  auto login = post("/api/login", creds(name, password));
  std::string token = session_token(login);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(get("/api/me", token)->status, 200);
  EXPECT_EQ(post("/api/login", creds(name, password + "wrong"))->status, 401);
  std::ifstream f(stack_dir() + "/log/videochat.log");
  std::stringstream text;
  text << f.rdbuf();
  const std::string log = text.str();
  EXPECT_NE(log.find("\"event\":\"login\""), std::string::npos);  // the log is really there
  EXPECT_EQ(log.find(password), std::string::npos);
  EXPECT_EQ(log.find(token), std::string::npos);
  EXPECT_EQ(log.find("__Host-session"), std::string::npos);
}

TEST(Api, ForgedMalformedAndMissingTokensAreRefused) {
  const std::string forged = new_session_token();  // well formed, never issued
  for (const std::string& token : {forged, std::string("abc"), forged + "x",
                                   std::string("' OR '1'='1"), std::string(43, '=')}) {
    auto me = get("/api/me", token);
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 401) << token;
    EXPECT_EQ(error_code(me), "unauthenticated");
  }
  EXPECT_EQ(get("/api/me")->status, 401);
  EXPECT_EQ(get("/api/contacts")->status, 401);
  EXPECT_EQ(post("/api/logout", "{}")->status, 401);
}

TEST(Api, DuplicateUsernameIsAConflictWhateverItsCase) {
  std::string name = unique_name("dup");
  EXPECT_EQ(post("/api/register", creds(name, kTestPassword))->status, 201);
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  auto again = post("/api/register", creds(upper, kTestPassword));
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(error_code(again), "username_taken");
  EXPECT_EQ(count_users_named(name), 1);
}

TEST(Api, EveryValidationErrorIs400NamingTheProblemAndWritesNothing) {
  const std::string name = unique_name("valid");
  const std::string pw = kTestPassword;
  struct Case {
    std::string body;
    std::string code;
    std::string mentions;
  };
  const Case cases[] = {
      {"not json", "invalid_json", "malformed"},
      {"[1,2]", "invalid_json", "object"},
      {R"({"password":")" + pw + R"("})", "missing_field", "username"},
      {R"({"username":")" + name + R"("})", "missing_field", "password"},
      {R"({"username":42,"password":")" + pw + R"("})", "invalid_field", "username"},
      {R"({"username":")" + name + R"(","password":true})", "invalid_field", "password"},
      {R"({"username":")" + name + R"(","password":")" + pw + R"(","display_name":[]})",
       "invalid_field", "display_name"},
      {creds("ab", pw), "invalid_username", "username"},
      {creds(std::string(33, 'a'), pw), "invalid_username", "username"},
      {creds("has space", pw), "invalid_username", "username"},
      {creds(name, "short"), "invalid_password", "password"},
      {creds(name, std::string(14, 'p')), "invalid_password", "password"},
      {creds(name, std::string(129, 'p')), "invalid_password", "password"},
      {R"({"username":")" + name + R"(","password":")" + pw + R"(","display_name":""})",
       "invalid_display_name", "display_name"},
      {R"({"username":")" + name + R"(","password":")" + pw + R"(","display_name":"a\u0000b"})",
       "invalid_display_name", "display_name"},
      {R"({"username":")" + name + R"(","password":")" + pw + R"(","display_name":")" +
           std::string(65, 'd') + R"("})",
       "invalid_display_name", "display_name"},
      // Caller-ID spoofing: a right-to-left override and a zero-width space.
      {R"({"username":")" + name + R"(","password":")" + pw +
           R"(","display_name":"Bob\u202Eecila"})",
       "invalid_display_name", "display_name"},
      {R"({"username":")" + name + R"(","password":")" + pw + R"(","display_name":"Al\u200Bice"})",
       "invalid_display_name", "display_name"},
  };
  for (const Case& c : cases) {
    auto res = post("/api/register", c.body);
    ASSERT_TRUE(res) << c.body;
    EXPECT_EQ(res->status, 400) << c.body;
    EXPECT_EQ(error_code(res), c.code) << c.body;
    EXPECT_NE(res->body.find(c.mentions), std::string::npos) << res->body;
  }
  EXPECT_EQ(count_users_named(name), 0);
  // The same shape errors on login.
  EXPECT_EQ(error_code(post("/api/login", R"({"username":"x"})")), "missing_field");
  EXPECT_EQ(error_code(post("/api/login", "{")), "invalid_json");
}

TEST(Api, PasswordBoundariesAreAcceptedExactly) {
  const std::string longest(128, 'L');
  std::string name = unique_name("edge");
  EXPECT_EQ(post("/api/register", creds(name, longest))->status, 201);
  EXPECT_EQ(post("/api/login", creds(name, longest))->status, 200);
  // Never truncated: the same password minus its last character does not log in.
  EXPECT_EQ(post("/api/login", creds(name, longest.substr(0, 127)))->status, 401);
  EXPECT_EQ(post("/api/register", creds(unique_name("edge"), std::string(15, 'x')))->status, 201);
}

TEST(Api, StateChangingRequestsNeedSameOriginJson) {
  const std::string name = unique_name("csrf");
  const std::string body = creds(name, kTestPassword);
  auto c = client();
  struct Case {
    httplib::Headers headers;
    std::string content_type;
    std::string code;
  };
  const Case cases[] = {
      {{{"Origin", "https://evil.example"}}, "application/json", "bad_origin"},
      {{}, "application/json", "bad_origin"},
      {{{"Origin", origin() + ".evil.example"}}, "application/json", "bad_origin"},
      {{{"Origin", origin()}}, "text/plain", "bad_content_type"},
      {{{"Origin", origin()}}, "application/x-www-form-urlencoded", "bad_content_type"},
      {{{"Origin", origin()}, {"Sec-Fetch-Site", "cross-site"}},
       "application/json",
       "cross_site_request"},
  };
  for (const Case& k : cases) {
    auto res = c->Post("/api/register", k.headers, body, k.content_type.c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << k.code;
    EXPECT_EQ(error_code(res), k.code);
  }
  EXPECT_EQ(count_users_named(name), 0);

  // Logout with a valid cookie but from another origin leaves the session alive.
  LoggedIn u = register_and_login("csrfvictim");
  httplib::Headers evil{{"Origin", "https://evil.example"},
                        {"Cookie", std::string(kSessionCookie) + "=" + u.token}};
  EXPECT_EQ(c->Post("/api/logout", evil, "{}", "application/json")->status, 403);
  EXPECT_EQ(c->Post("/api/logout-all", evil, "{}", "application/json")->status, 403);
  EXPECT_EQ(get("/api/me", u.token)->status, 200);
}

TEST(Api, OversizeBodyIs413AndWritesNothing) {
  const std::string name = unique_name("big");
  std::string padding(17 * 1024, 'x');
  std::string body = R"({"username":")" + name + R"(","password":")" + std::string(kTestPassword) +
                     R"(","pad":")" + padding + R"("})";
  auto res = post("/api/register", body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(error_code(res), "body_too_large");
  EXPECT_EQ(count_users_named(name), 0);
  // Past nginx's own limit the answer is the same JSON error.
  auto huge = post("/api/register", std::string(200 * 1024, ' '));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_EQ(error_code(huge), "body_too_large");
}

TEST(Api, SqlMetacharactersAreStoredAndReturnedVerbatim) {
  const std::string display = R"(Robert'); DROP TABLE users; -- " \ % _ ` ;)";
  const std::string password = R"(p' OR '1'='1'; -- \"%_`)";
  const std::string name = unique_name("meta.char-s");
  JsonWriter w;
  w.start_object();
  w.field("username", name);
  w.field("password", password);
  w.field("display_name", display);
  w.end_object();
  auto reg = post("/api/register", w.take());
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->status, 201) << reg->body;
  auto user = JsonObject::parse(*JsonObject::parse(reg->body)->object_field_text("user"));
  EXPECT_EQ(*user->string_field("display_name"), display);

  auto login = post("/api/login", creds(name, password));
  ASSERT_EQ(login->status, 200);
  EXPECT_EQ(post("/api/login", creds(name, "p' OR '1'='1"))->status, 401);
  // A username made of SQL is just an unknown user.
  EXPECT_EQ(post("/api/login", creds("' OR 1=1 --", password))->status, 401);

  LoggedIn viewer = register_and_login("viewer");
  auto users = get("/api/users/lookup?id=" + std::to_string(*user->int_field("id")), viewer.token);
  ASSERT_EQ(users->status, 200);
  JsonWriter escaped;
  escaped.value(display);
  EXPECT_NE(users->body.find("\"display_name\":" + escaped.take()), std::string::npos);
  auto stored = db().query("SELECT display_name FROM users WHERE username = ?", {name});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at(0).at(0), display);
  EXPECT_GT(count_rows("users"), 0);  // the table is still there
}

TEST(Api, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  LoggedIn u = register_and_login("samemsg");
  auto wrong = post("/api/login", creds(u.username, "wrong password but long"));
  auto unknown = post("/api/login", creds(unique_name("nobody"), "wrong password but long"));
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_EQ(session_token(wrong), "");
}

TEST(Api, RepeatedFailuresPerUsernameAreThrottledWithGrowingDelays) {
  LoggedIn u = register_and_login("throttled");
  const int free_failures = stack_config().throttle_user_free_failures;
  for (int i = 0; i <= free_failures; ++i)
    EXPECT_EQ(post("/api/login", creds(u.username, "not the right password"))->status, 401);
  // Locked now, even with the right password.
  auto locked = post("/api/login", creds(u.username, kTestPassword));
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_EQ(error_code(locked), "too_many_attempts");
  int retry_after = std::stoi(locked->get_header_value("Retry-After", 0).empty()
                                  ? "0"
                                  : locked->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_EQ(session_token(locked), "");

  // After waiting, the next failure locks for longer (2 s instead of 1 s).
  std::this_thread::sleep_for(std::chrono::seconds(retry_after) + std::chrono::milliseconds(100));
  EXPECT_EQ(post("/api/login", creds(u.username, "not the right password"))->status, 401);
  auto longer = db().query(
      "SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), locked_until) > 1100000"
      " FROM login_throttle WHERE scope = 'user' AND subject = ?",
      {u.username});
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->at(0).at(0), "1");

  // Once the lock ends, the right password works and clears the record.
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  auto ok = post("/api/login", creds(u.username, kTestPassword));
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(
      db().query("SELECT 1 FROM login_throttle WHERE scope = 'user' AND subject = ?", {u.username})
          ->size(),
      0u);
  // Other users are not affected by this one's lock.
  EXPECT_EQ(get("/api/me", u.token)->status, 200);
}

TEST(Api, RepeatedFailuresFromOneAddressAreThrottledAcrossUsernames) {
  LoggedIn u = register_and_login("ipvictim");
  // A loopback address of its own, so this test's failures are its own.
  const std::string ip = "127.0." + std::to_string(1 + ::getpid() % 250) + ".77";
  auto from_ip = client(ip);
  const int free_failures = stack_config().throttle_ip_free_failures;
  for (int i = 0; i <= free_failures; ++i) {
    // A different unknown username each time: no single username reaches its own limit.
    auto res =
        from_ip->Post("/api/login", browser_headers(),
                      creds(unique_name("guess"), "not the right password"), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
  }
  auto locked = from_ip->Post("/api/login", browser_headers(), creds(u.username, kTestPassword),
                              "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_FALSE(locked->get_header_value("Retry-After").empty());
  // The same user from another address is not locked out.
  EXPECT_EQ(post("/api/login", creds(u.username, kTestPassword))->status, 200);
}

TEST(Api, EveryApiResponseIsNotCached) {
  LoggedIn u = register_and_login("nocache");
  std::vector<httplib::Result> responses;
  responses.push_back(get("/api/me", u.token));
  responses.push_back(get("/api/me"));
  responses.push_back(get("/api/contacts", u.token));
  responses.push_back(get("/api/users/search?q=nocache", u.token));
  responses.push_back(post("/api/login", "{"));
  responses.push_back(get("/api/nothing-here"));
  for (auto& res : responses) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << res->status;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << res->status;
  }
}

TEST(Api, UnknownEndpointsAndMethodsGetJsonErrors) {
  auto missing = get("/api/nothing-here");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  auto wrong_method = get("/api/login");
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(error_code(wrong_method), "method_not_allowed");
  EXPECT_EQ(wrong_method->get_header_value("Allow"), "POST");
}

TEST(Api, NginxRateLimitsLoginBursts) {
  // Eight clients at once send far more than the test stack's burst allowance.
  Flood f = flood(
      [](httplib::Client& c) {
        return c.Post("/api/login", browser_headers(), "{", "application/json");
      },
      50);
  EXPECT_GT(f.answered, 0);
  EXPECT_GT(f.limited, 0);
  EXPECT_FALSE(f.wrong_body);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let the bucket refill for later tests
}

TEST(Api, DatabaseDownGives503AndRecoversWithoutRestart) {
  LoggedIn u = register_and_login("dbdown");
  ASSERT_TRUE(stack_ctl("db-stop"));
  auto me = get("/api/me", u.token);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 503);
  EXPECT_EQ(error_code(me), "db_unavailable");
  auto reg = post("/api/register", creds(unique_name("during"), kTestPassword));
  EXPECT_EQ(reg->status, 503);
  ASSERT_TRUE(stack_ctl("db-start"));
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = get("/api/me", u.token)->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(post("/api/register", creds(unique_name("after"), kTestPassword))->status, 201);
}
