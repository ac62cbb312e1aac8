// Call history, ICE servers and client logs through the real stack.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "json.h"
#include "stack_env.h"

using namespace vc;
using namespace vc::test;

namespace {

std::string read_log() {
  std::ifstream f(stack_dir() + "/log/videochat.log");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST(CallHistory, ListsOnlyTheUsersOwnCallsNewestFirstWithPeerAndDuration) {
  LoggedIn ann = register_and_login("ann");
  LoggedIn bob = register_and_login("bob");
  LoggedIn cat = register_and_login("cat");
  const std::string call1 = new_call_id(), call2 = new_call_id(), call3 = new_call_id();
  insert_call(call1, ann.user_id, bob.user_id, "ended", "2026-01-01 10:00:00.000",
              "2026-01-01 10:00:05.000", "2026-01-01 10:01:05.500", "hangup");
  insert_call(call2, bob.user_id, ann.user_id, "declined", "2026-01-02 09:00:00.250", nullptr,
              "2026-01-02 09:00:03.000", "declined");
  insert_call(call3, bob.user_id, cat.user_id, "missed", "2026-01-03 09:00:00.000", nullptr,
              "2026-01-03 09:00:30.000", "missed");

  auto res = get("/api/calls", ann.token);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const std::string& b = res->body;
  EXPECT_EQ(b.find(call3), std::string::npos) << "another pair's call leaked";
  auto first = b.find(call2), second = b.find(call1);
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second) << "newest first";
  const std::string bob_peer = R"("peer":{"id":)" + std::to_string(bob.user_id) +
                               R"(,"username":")" + bob.username + R"(","display_name":")" +
                               bob.username + R"("})";
  EXPECT_NE(b.find(R"({"id":")" + call2 + R"(","direction":"incoming",)" + bob_peer +
                   R"(,"created_at":"2026-01-02T09:00:00.250Z","answered_at":null,)"
                   R"("ended_at":"2026-01-02T09:00:03.000Z","duration_s":null,)"
                   R"("outcome":"declined","end_reason":"declined"})"),
            std::string::npos)
      << b;
  EXPECT_NE(b.find(R"({"id":")" + call1 + R"(","direction":"outgoing",)" + bob_peer +
                   R"(,"created_at":"2026-01-01T10:00:00.000Z",)"
                   R"("answered_at":"2026-01-01T10:00:05.000Z",)"
                   R"("ended_at":"2026-01-01T10:01:05.500Z","duration_s":60,)"
                   R"("outcome":"ended","end_reason":"hangup"})"),
            std::string::npos)
      << b;
  EXPECT_EQ(get("/api/calls")->status, 401);
}

TEST(IceServers, NeedAuthAndListTheConfiguredStunUrls) {
  LoggedIn u = register_and_login("ice");
  EXPECT_EQ(get("/api/ice-servers")->status, 401);
  auto res = get("/api/ice-servers", u.token);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto body = JsonObject::parse(res->body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body->int_field("ttl"), stack_config().ice_ttl_s);
  EXPECT_EQ(stack_config().ice_stun_urls, "stun:localhost:3478, stun:127.0.0.1:3478");
  // The configured STUN servers come first, in order; the stack's TURN relay follows them.
  EXPECT_EQ(res->body.rfind(R"({"iceServers":[{"urls":"stun:localhost:3478"},)"
                            R"({"urls":"stun:127.0.0.1:3478"},)",
                            0),
            0u)
      << res->body;
  EXPECT_NE(res->body.find(R"(],"iceTransportPolicy":"all","ttl":3600})"), std::string::npos);
}

TEST(ClientLog, AcceptedEntriesReachTheServerLogAsJson) {
  LoggedIn u = register_and_login("clog");
  const std::string marker = unique_name("marker");
  auto res = post("/api/client-log",
                  R"({"level":"warn","event":"ice_failed","call_id":"abc-123","message":")" +
                      marker + R"(","stats":{"rtt_ms":12.5,"pair":"relay"}})",
                  u.token);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  std::string line;
  for (int i = 0; i < 20 && line.empty(); ++i) {
    std::string log = read_log();
    auto at = log.find(marker);
    if (at != std::string::npos) {
      auto start = log.rfind('\n', at) + 1;
      line = log.substr(start, log.find('\n', at) - start);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_FALSE(line.empty());
  auto entry = JsonObject::parse(line);
  ASSERT_TRUE(entry.ok()) << line;
  EXPECT_EQ(*entry->string_field("component"), "client");
  EXPECT_EQ(*entry->string_field("level"), "warn");
  EXPECT_EQ(*entry->string_field("event"), "ice_failed");
  EXPECT_EQ(*entry->string_field("call_id"), "abc-123");
  EXPECT_EQ(*entry->int_field("user_id"), u.user_id);
  EXPECT_EQ(*entry->object_field_text("stats"), R"({"rtt_ms":12.5,"pair":"relay"})");
}

TEST(ClientLog, RefusesBadEntriesAndStrangers) {
  LoggedIn u = register_and_login("clogbad");
  EXPECT_EQ(post("/api/client-log", R"({"level":"info","event":"x"})", "")->status, 401);
  const char* bad[] = {
      R"({"event":"x"})",
      R"({"level":"loud","event":"x"})",
      R"({"level":"info","event":"Has Spaces"})",
      R"({"level":"info","event":"x","call_id":"'; DROP TABLE calls; --"})",
      R"({"level":"info","event":"x","stats":[1]})",
      R"({"level":"info","event":"x","message":7})",
  };
  for (const char* body : bad) {
    auto res = post("/api/client-log", body, u.token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
  }
  std::string long_message(1001, 'm');
  EXPECT_EQ(post("/api/client-log",
                 R"({"level":"info","event":"x","message":")" + long_message + R"("})", u.token)
                ->status,
            400);
  std::string big_stats =
      R"({"level":"info","event":"x","stats":{"s":")" + std::string(5000, 's') + R"("}})";
  EXPECT_EQ(post("/api/client-log", big_stats, u.token)->status, 400);
}

TEST(ClientLog, CallQualityRecordsTheCandidatePairOnTheReportersSideOfTheirCallOnly) {
  LoggedIn caller = register_and_login("pairer");
  LoggedIn callee = register_and_login("pairee");
  LoggedIn stranger = register_and_login("pairx");
  const std::string id = new_call_id();
  insert_call(id, caller.user_id, callee.user_id, "ended", "2026-01-05 10:00:00.000",
              "2026-01-05 10:00:02.000", "2026-01-05 10:00:09.000", "hangup");
  auto quality = [&](const std::string& pair) {
    return R"({"level":"info","event":"call_quality","call_id":")" + id +
           R"(","stats":{"duration_s":7,"candidate_pair":")" + pair + R"("}})";
  };
  auto sides = [&] {
    auto rows = db().query(
        "SELECT COALESCE(caller_candidate_pair, '-'), COALESCE(callee_candidate_pair, '-')"
        " FROM calls WHERE id = ?",
        {id});
    return rows.ok() ? *rows->at(0).at(0) + " " + *rows->at(0).at(1) : "query failed";
  };
  EXPECT_EQ(post("/api/client-log", quality("relay/host"), caller.token)->status, 204);
  EXPECT_EQ(sides(), "relay/host -");
  EXPECT_EQ(post("/api/client-log", quality("host/relay"), callee.token)->status, 204);
  EXPECT_EQ(sides(), "relay/host host/relay");
  // Someone else's report is logged but changes no call of others.
  EXPECT_EQ(post("/api/client-log", quality("srflx/srflx"), stranger.token)->status, 204);
  EXPECT_EQ(sides(), "relay/host host/relay");
  // A made-up pair type is refused and changes nothing.
  auto bad = post("/api/client-log", quality("relay'; DROP TABLE calls; --"), caller.token);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(sides(), "relay/host host/relay");
}
