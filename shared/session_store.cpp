#include "session_store.h"

#include <algorithm>
#include <set>

#include "api_errors.h"
#include "token.h"

namespace vc {

std::string sanitize_user_agent(std::string_view user_agent) {
  std::string out;
  for (char c : user_agent) {
    if (out.size() == 255) break;
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

Result<std::string> SessionStore::create(int64_t user_id, std::string_view user_agent,
                                         std::string_view ip) {
  std::string token = new_session_token();
  auto r = db_.exec(
      "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, idle_expires_at,"
      " absolute_expires_at, user_agent, ip)"
      " VALUES (?, ?, NOW(3), NOW(3), NOW(3) + INTERVAL ? SECOND, NOW(3) + INTERVAL ? SECOND, ?, "
      "?)",
      {user_id, DbBlob{hash_token(token)}, policy_.idle_timeout_s, policy_.absolute_timeout_s,
       sanitize_user_agent(user_agent), std::string(ip.substr(0, 45))});
  if (!r) return r.error();
  return token;
}

Result<SessionUser> SessionStore::authenticate(std::string_view token) {
  const Error unauthenticated{api_error::kUnauthenticated, "not logged in or session expired"};
  if (!is_well_formed_token(token)) return unauthenticated;
  auto rows = db_.query(
      "SELECT s.id, s.user_id, u.username, u.display_name,"
      " s.last_seen_at < NOW(3) - INTERVAL ? SECOND"
      " FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.token_hash = ? AND s.revoked_at IS NULL"
      " AND s.idle_expires_at > NOW(3) AND s.absolute_expires_at > NOW(3)",
      {policy_.touch_interval_s, DbBlob{hash_token(token)}});
  if (!rows) return rows.error();
  if (rows->empty()) return unauthenticated;
  const DbRow& row = rows->front();
  SessionUser user{std::stoll(*row[0]), std::stoll(*row[1]), *row[2], *row[3]};
  if (row[4] == "1") {
    if (auto r = keep_alive(user.session_id); !r) return r.error();
  }
  return user;
}

namespace {

// keep_alive's refresh and what "live" means, for one session or many.
constexpr const char* kTouch =
    "UPDATE sessions SET last_seen_at = NOW(3),"
    " idle_expires_at = LEAST(NOW(3) + INTERVAL ? SECOND, absolute_expires_at)";
constexpr const char* kLive =
    " AND revoked_at IS NULL AND idle_expires_at > NOW(3) AND absolute_expires_at > NOW(3)";

// Ids per statement: a few round trips for thousands of connections, and statements of a
// size MariaDB parses quickly.
constexpr size_t kIdsPerStatement = 500;

std::string id_list(size_t n) {
  std::string marks;
  for (size_t i = 0; i < n; ++i) marks += i ? ",?" : "?";
  return "(" + marks + ")";
}

}  // namespace

Result<bool> SessionStore::keep_alive(int64_t session_id) {
  auto r =
      db_.exec(std::string(kTouch) + " WHERE id = ?" + kLive, {policy_.idle_timeout_s, session_id});
  if (!r) return r.error();
  return r->affected_rows == 1;
}

Result<std::vector<int64_t>> SessionStore::keep_alive_many(const std::vector<int64_t>& ids) {
  std::vector<int64_t> dead;
  for (size_t from = 0; from < ids.size(); from += kIdsPerStatement) {
    const size_t n = std::min(kIdsPerStatement, ids.size() - from);
    std::vector<DbParam> chunk(ids.begin() + from, ids.begin() + from + n);
    std::vector<DbParam> touch{policy_.idle_timeout_s};
    touch.insert(touch.end(), chunk.begin(), chunk.end());
    auto touched = db_.exec(std::string(kTouch) + " WHERE id IN " + id_list(n) + kLive, touch);
    if (!touched) return touched.error();
    auto live = db_.query("SELECT id FROM sessions WHERE id IN " + id_list(n) + kLive, chunk);
    if (!live) return live.error();
    std::set<int64_t> alive;
    for (const DbRow& row : *live) alive.insert(std::stoll(*row[0]));
    for (size_t i = from; i < from + n; ++i)
      if (!alive.count(ids[i])) dead.push_back(ids[i]);
  }
  return dead;
}

Status SessionStore::revoke(int64_t session_id) {
  auto r = db_.exec("UPDATE sessions SET revoked_at = NOW(3) WHERE id = ? AND revoked_at IS NULL",
                    {session_id});
  if (!r) return r.error();
  return std::nullopt;
}

Status SessionStore::revoke_all(int64_t user_id) {
  auto r =
      db_.exec("UPDATE sessions SET revoked_at = NOW(3) WHERE user_id = ? AND revoked_at IS NULL",
               {user_id});
  if (!r) return r.error();
  return std::nullopt;
}

}  // namespace vc
