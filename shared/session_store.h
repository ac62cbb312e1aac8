// Sessions in MariaDB: the browser holds a random token, the table holds its SHA-256.
// Used by fcgi-app (login, logout, /api/me) and ws-daemon (the handshake cookie check).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "db.h"
#include "error.h"

namespace vc {

inline constexpr const char* kSessionCookie = "__Host-session";

struct SessionPolicy {
  int64_t idle_timeout_s;
  int64_t absolute_timeout_s;
  int64_t touch_interval_s;  // last_seen is written at most this often
  static SessionPolicy from(const Config& c) {
    return {c.session_idle_timeout_s, c.session_absolute_timeout_s, c.session_touch_interval_s};
  }
};

struct SessionUser {
  int64_t session_id = 0;
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
};

class SessionStore {
 public:
  SessionStore(Db& db, SessionPolicy policy) : db_(db), policy_(policy) {}

  // A new session; returns the token for the cookie (the only place it ever exists).
  Result<std::string> create(int64_t user_id, std::string_view user_agent, std::string_view ip);
  // The live session behind a token, touched if last seen long enough ago.
  // Error "unauthenticated" for unknown, expired, revoked or malformed tokens.
  Result<SessionUser> authenticate(std::string_view token);
  // Whether a session is still live (not revoked, not expired), refreshing its idle expiry:
  // an open signaling connection counts as activity.
  Result<bool> keep_alive(int64_t session_id);
  // keep_alive for many sessions at once, in a few statements however many there are (the
  // signaling daemon re-checks the session of every open connection this way). Returns the
  // ids that are not live: revoked, expired or unknown.
  Result<std::vector<int64_t>> keep_alive_many(const std::vector<int64_t>& session_ids);
  Status revoke(int64_t session_id);
  Status revoke_all(int64_t user_id);

 private:
  Db& db_;
  SessionPolicy policy_;
};

// Printable ASCII only, at most 255 characters: user agents are free text from the client.
std::string sanitize_user_agent(std::string_view user_agent);

}  // namespace vc
