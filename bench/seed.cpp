#include "seed.h"

#include <map>

#include "db.h"
#include "session_store.h"

namespace vc::bench {
namespace {

// Rows per INSERT: few round trips without building huge statements.
constexpr int kUsersPerInsert = 500;
// Not a valid argon2 string: nobody can log in as a bench user.
constexpr const char* kNoPassword = "!bench";

}  // namespace

Result<std::vector<BenchUser>> seed_users(const Config& config, const std::string& prefix,
                                          int count) {
  Db db(config.db);
  for (int first = 0; first < count; first += kUsersPerInsert) {
    const int n = std::min(kUsersPerInsert, count - first);
    std::string sql = "INSERT INTO users (username, display_name, password_hash) VALUES ";
    std::vector<DbParam> params;
    for (int i = 0; i < n; ++i) {
      sql += i ? ",(?,?,?)" : "(?,?,?)";
      const std::string name = prefix + "_" + std::to_string(first + i);
      params.insert(params.end(), {name, "Bench " + std::to_string(first + i), kNoPassword});
    }
    if (auto r = db.exec(sql, params); !r) return r.error();
  }
  auto rows = db.query("SELECT id, username FROM users WHERE username LIKE ?", {prefix + "\\_%"});
  if (!rows) return rows.error();
  std::map<std::string, int64_t> ids;
  for (const DbRow& row : *rows) ids[*row[1]] = std::stoll(*row[0]);

  // One transaction: a commit per session would wait for the log flush thousands of times.
  if (auto r = db.exec("START TRANSACTION"); !r) return r.error();
  SessionStore sessions(db, SessionPolicy::from(config));
  std::vector<BenchUser> users;
  for (int i = 0; i < count; ++i) {
    auto it = ids.find(prefix + "_" + std::to_string(i));
    if (it == ids.end()) return Error{"seed_failed", "user " + std::to_string(i) + " missing"};
    auto token = sessions.create(it->second, "vc-bench-load", "127.0.0.1");
    if (!token) return token.error();
    users.push_back({it->second, std::string(kSessionCookie) + "=" + *token});
  }
  if (auto r = db.exec("COMMIT"); !r) return r.error();
  return users;
}

}  // namespace vc::bench
