// What integration tests know about the running stack (started by scripts/run-tests.sh):
// where it lives, how to reach it over real TLS, and how to stop and start its database.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "db.h"
#include "session_store.h"

namespace vc::test {

std::string stack_dir();  // VC_STACK_DIR
std::string origin();     // https://localhost:PORT
int https_port();
const Config& stack_config();  // the stack's own videochat.conf

// An HTTPS client that verifies the stack's self-signed certificate. With a source address
// (another 127.x.y.z), the stack sees a different client IP.
std::unique_ptr<httplib::Client> client(const std::string& source_ip = "");
// Headers a same-origin browser sends with a JSON POST.
httplib::Headers browser_headers(const std::string& cookie_token = "");

// A fresh direct DB connection, to set up states (an expired session) and check what was stored.
Db& db();

// Requests as the browser sends them (same origin; JSON bodies), with the session of `token`.
httplib::Result get(const std::string& path, const std::string& token = "");
httplib::Result post(const std::string& path, const std::string& body,
                     const std::string& token = "");
httplib::Result del(const std::string& path, const std::string& token = "");
// The `error.code` of an API error response, or what was wrong with the response.
std::string error_code(const httplib::Result& res);

// A calls row as ws-daemon writes it; times as "YYYY-MM-DD HH:MM:SS.mmm" (UTC), nullptr for NULL.
void insert_call(const std::string& id, int64_t caller, int64_t callee, const char* outcome,
                 const char* created, const char* answered, const char* ended, const char* reason);
// A call id (36 characters, as the calls table holds) no other call of this test run has.
std::string new_call_id();

// A username nobody else in this test run uses.
std::string unique_name(const std::string& prefix);
// unique_name case-folded, as the API stores usernames.
std::string folded_name(const std::string& prefix);
// A word of letters only (the FULLTEXT index splits at digits): `stem` and a number spelled in
// letters that no other call in this or another test run gives, for display-name searches.
std::string unique_word(const std::string& stem);
// An account written straight into the table, for tests that need many (no password hashing,
// so it cannot log in); returns its id.
int64_t insert_user(const std::string& username, const std::string& display_name);

struct LoggedIn {
  int64_t user_id = 0;
  std::string username;
  std::string token;  // the __Host-session cookie value
};
constexpr const char* kTestPassword = "a long enough test password";
// Registers and logs in through the API; fails the test on any error.
LoggedIn register_and_login(const std::string& prefix, const std::string& password = kTestPassword);
// The session token from a response's Set-Cookie, or "".
std::string session_token(const httplib::Result& res);

// What eight clients at once got from nginx's limit_req: answers, 429s among them, and whether
// any 429 lacked the API's `too_many_attempts` body.
struct Flood {
  int answered = 0;
  int limited = 0;
  bool wrong_body = false;
};
// Each client (from `source_ip`, "" for the default) sends `request` up to `per_client` times,
// all stopping at the first 429.
Flood flood(const std::function<httplib::Result(httplib::Client&)>& request, int per_client,
            const std::string& source_ip = "");

// Runs scripts/stack.sh COMMAND on this stack (db-stop, db-start, ...); true on success.
bool stack_ctl(const std::string& command);

}  // namespace vc::test
