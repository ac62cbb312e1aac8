// SessionStore against the stack's MariaDB: the batched keep-alive that ws-daemon's session
// re-check runs over every open connection.
#include "session_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stack_env.h"
#include "token.h"

using namespace vc;
using namespace vc::test;

namespace {

int64_t session_id_of(const std::string& token) {
  auto rows =
      db().query("SELECT id FROM sessions WHERE token_hash = ?", {DbBlob{hash_token(token)}});
  EXPECT_TRUE(rows.ok() && rows->size() == 1);
  return rows.ok() && rows->size() == 1 ? std::stoll(*rows->front()[0]) : 0;
}

// Marks a session as last seen an hour ago and about to go idle.
void age(int64_t session_id) {
  ASSERT_TRUE(db().exec("UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 3600 SECOND,"
                        " idle_expires_at = NOW(3) + INTERVAL 5 SECOND WHERE id = ?",
                        {session_id})
                  .ok());
}

// Seconds until the session goes idle.
int64_t idle_left_s(int64_t session_id) {
  auto rows =
      db().query("SELECT TIMESTAMPDIFF(SECOND, NOW(3), idle_expires_at) FROM sessions WHERE id = ?",
                 {session_id});
  EXPECT_TRUE(rows.ok() && rows->size() == 1);
  return rows.ok() && rows->size() == 1 ? std::stoll(*rows->front()[0]) : 0;
}

SessionStore store() {
  return SessionStore(db(), SessionPolicy::from(stack_config()));
}

}  // namespace

TEST(SessionStore, KeepAliveManyRefreshesTheLiveAndNamesTheRest) {
  const int64_t live = session_id_of(register_and_login("ka_live").token);
  const int64_t revoked = session_id_of(register_and_login("ka_revoked").token);
  const int64_t expired = session_id_of(register_and_login("ka_expired").token);
  const int64_t unknown = 1'000'000'000'000;
  age(live);
  ASSERT_FALSE(store().revoke(revoked));
  ASSERT_TRUE(db().exec("UPDATE sessions SET idle_expires_at = NOW(3) - INTERVAL 1 SECOND"
                        " WHERE id = ?",
                        {expired})
                  .ok());

  auto dead = store().keep_alive_many({live, revoked, expired, unknown});
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  EXPECT_EQ(*dead, (std::vector<int64_t>{revoked, expired, unknown}));
  EXPECT_GT(idle_left_s(live), 60) << "the live session's idle expiry was refreshed";
  EXPECT_LT(idle_left_s(expired), 0) << "an expired session stays expired";
}

TEST(SessionStore, KeepAliveManyTakesMoreIdsThanOneStatementHolds) {
  const int64_t first = session_id_of(register_and_login("ka_first").token);
  const int64_t last = session_id_of(register_and_login("ka_last").token);
  age(first);
  age(last);
  std::vector<int64_t> ids{first};
  for (int64_t i = 1; i <= 1'200; ++i) ids.push_back(2'000'000'000'000 + i);  // nobody's
  ids.push_back(last);

  auto dead = store().keep_alive_many(ids);
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  EXPECT_EQ(dead->size(), 1'200u);
  EXPECT_EQ(std::count(dead->begin(), dead->end(), first), 0);
  EXPECT_EQ(std::count(dead->begin(), dead->end(), last), 0);
  EXPECT_GT(idle_left_s(first), 60);
  EXPECT_GT(idle_left_s(last), 60) << "the last statement's ids are refreshed too";
  EXPECT_TRUE(store().keep_alive_many({})->empty());
}
