// The hub without sockets: a fake Transport records what would be sent. The database is
// unreachable here (call rows are not checked; the integration suite does that).
#include "signaling/hub.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "json.h"
#include "log.h"

using namespace vc;
using namespace vc::ws;

namespace {

// A string field of a sent message, "" when it has none.
std::string field(const std::string& text, const std::string& name) {
  auto object = JsonObject::parse(text);
  if (!object) return "";
  auto value = object->string_field(name.c_str());
  return value ? *value : "";
}

// An integer-array field of a sent message.
std::vector<int64_t> ids(const std::string& text, const char* name) {
  auto object = JsonObject::parse(text);
  if (!object) return {};
  auto value = object->int_array_field(name);
  return value ? *value : std::vector<int64_t>{};
}

struct Sent {
  ConnId to;
  std::string text;
};

// Each connection's Link points at its number.
class FakeTransport : public Transport {
 public:
  Link link(ConnId id) {
    auto& held = links_[id];
    if (!held) held = std::make_shared<ConnId>(id);
    return held;
  }
  bool send(const Link& link, std::string text) override {
    ConnId id = id_of(link);
    if (closed.count(id)) return false;
    sent.push_back({id, text});
    return true;
  }
  bool close(const Link& link, uint16_t code, const std::string&) override {
    return closed.emplace(id_of(link), code).second;
  }

  // Messages to `id` of the given type, in order.
  std::vector<std::string> to(ConnId id, const std::string& type) const {
    std::vector<std::string> out;
    for (const Sent& s : sent)
      if (s.to == id && field(s.text, "type") == type) out.push_back(s.text);
    return out;
  }
  std::vector<Sent> sent;
  std::map<ConnId, uint16_t> closed;

 private:
  static ConnId id_of(const Link& link) { return *std::static_pointer_cast<ConnId>(link.lock()); }
  std::map<ConnId, std::shared_ptr<ConnId>> links_;
};

class HubTest : public ::testing::Test {
 protected:
  HubTest() {
    log_configure({"", false, LogLevel::error});
    config_.db.socket = "/nonexistent/mysqld.sock";
    config_.db.connect_timeout_s = 1;
  }
  ~HubTest() override { workers_.drain_and_stop(); }

  void open(ConnId id, int64_t user) {
    hub_.on_open(id, t_.link(id), SessionUser{user * 10, user, "u" + std::to_string(user), "U"});
  }
  void say(ConnId id, const std::string& text) { hub_.on_message(id, text); }
  // Runs the loop past the presence coalescing window, so that batched changes go out.
  void settle_presence() {
    loop_.restart();
    loop_.run_for(std::chrono::milliseconds(700));
  }
  std::string invite_and_ring(ConnId from, int64_t to) {
    say(from, R"({"type":"invite","to":)" + std::to_string(to) + "}");
    auto ringing = t_.to(from, "ringing");
    EXPECT_EQ(ringing.size(), 1u);
    return ringing.empty() ? "" : field(ringing.back(), "call_id");
  }
  std::string call(const std::string& type, const std::string& id) {
    return R"({"type":")" + type + R"(","call_id":")" + id + R"("})";
  }

  Config config_;
  asio::io_context loop_;
  FakeTransport t_;
  DbWorkers workers_{loop_, config_, 1};
  Hub hub_{loop_, config_, workers_, t_};
};

}  // namespace

TEST_F(HubTest, HelloNamesTheUserAndNobodyHearsPresenceWithoutFollowing) {
  open(1, 100);
  open(2, 200);
  auto hello = JsonObject::parse(t_.to(2, "hello").at(0));
  ASSERT_TRUE(hello);
  EXPECT_FALSE(hello->has("online"));
  settle_presence();
  EXPECT_TRUE(t_.to(1, "presence").empty());
}

TEST_F(HubTest, SubscribeAnswersWithTheStateOfEachFollowedUser) {
  open(1, 100);
  open(2, 200);
  say(1, R"({"type":"subscribe","users":[200,300,100]})");  // 100 is yourself: left out
  auto state = t_.to(1, "presence");
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(ids(state[0], "online"), (std::vector<int64_t>{200}));
  EXPECT_EQ(ids(state[0], "offline"), (std::vector<int64_t>{300}));
}

TEST_F(HubTest, FollowersHearAUsersFirstOpenAndLastCloseOnlyInOneBatch) {
  open(1, 100);
  say(1, R"({"type":"subscribe","users":[200,300]})");
  open(2, 200);
  open(3, 200);  // a second tab is not news
  open(4, 300);
  open(5, 400);  // not followed
  settle_presence();
  auto changes = t_.to(1, "presence");
  ASSERT_EQ(changes.size(), 2u);  // the answer to subscribe, then one batch
  EXPECT_EQ(ids(changes[1], "online"), (std::vector<int64_t>{200, 300}));
  hub_.on_close(2);
  settle_presence();
  EXPECT_EQ(t_.to(1, "presence").size(), 2u);
  hub_.on_close(3);
  settle_presence();
  changes = t_.to(1, "presence");
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(ids(changes[2], "offline"), (std::vector<int64_t>{200}));
  EXPECT_TRUE(t_.to(2, "presence").empty());
}

TEST_F(HubTest, AReloadWithinTheCoalescingWindowIsNoChange) {
  open(1, 100);
  open(2, 200);
  settle_presence();
  say(1, R"({"type":"subscribe","users":[200]})");
  hub_.on_close(2);
  open(3, 200);
  settle_presence();
  EXPECT_EQ(t_.to(1, "presence").size(), 1u);  // the answer to subscribe only
}

TEST_F(HubTest, ASubscriberToldOfAUserWhoLeavesInTheSameWindowHearsThatTheyLeft) {
  open(1, 100);
  open(2, 200);  // not yet told to anyone: the window is open
  say(1, R"({"type":"subscribe","users":[200]})");
  EXPECT_EQ(ids(t_.to(1, "presence").at(0), "online"), (std::vector<int64_t>{200}));
  hub_.on_close(2);
  settle_presence();
  auto changes = t_.to(1, "presence");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(ids(changes[1], "offline"), (std::vector<int64_t>{200}));
}

TEST_F(HubTest, SubscribeOverTheCapOrWithABadIdIsRefusedAndChangesNothing) {
  open(1, 100);
  open(2, 200);
  settle_presence();
  say(1, R"({"type":"subscribe","users":[200]})");
  std::string many = R"({"type":"subscribe","users":[1)";
  for (size_t i = 2; i <= kMaxWatchedUsers + 1; ++i) many += "," + std::to_string(i);
  say(1, many + "]}");
  say(1, R"({"type":"subscribe","users":[0]})");
  say(1, R"({"type":"subscribe","users":"200"})");
  auto errors = t_.to(1, "error");
  ASSERT_EQ(errors.size(), 3u);
  for (const auto& e : errors) EXPECT_EQ(field(e, "code"), "invalid_format");
  hub_.on_close(2);
  settle_presence();
  auto changes = t_.to(1, "presence");
  ASSERT_EQ(changes.size(), 2u);  // still following 200
  EXPECT_EQ(ids(changes[1], "offline"), (std::vector<int64_t>{200}));
}

TEST_F(HubTest, AcceptBindsOneTabAndTellsTheOthers) {
  open(1, 100);
  open(2, 200);
  open(3, 200);
  std::string id = invite_and_ring(1, 200);
  EXPECT_EQ(t_.to(2, "incoming").size(), 1u);
  EXPECT_EQ(t_.to(3, "incoming").size(), 1u);
  say(3, call("accept", id));
  EXPECT_EQ(t_.to(1, "accepted").size(), 1u);
  EXPECT_EQ(t_.to(3, "accepted").size(), 1u);
  EXPECT_EQ(t_.to(2, "answered-elsewhere").size(), 1u);
  say(1, R"({"type":"sdp","call_id":")" + id + R"(","description":{"type":"offer","sdp":"v=0"}})");
  EXPECT_EQ(t_.to(3, "sdp").size(), 1u);
  EXPECT_TRUE(t_.to(2, "sdp").empty());
  say(2, R"({"type":"ice","call_id":")" + id +
             R"(","candidate":{"candidate":"c","sdpMid":"0","sdpMLineIndex":0}})");
  EXPECT_EQ(field(t_.to(2, "error").at(0), "code"), kErrNotAllowed);
  EXPECT_TRUE(t_.to(1, "ice").empty());
}

TEST_F(HubTest, AStrangerNamingACallGetsUnknownCallAndNothingIsRelayed) {
  open(1, 100);
  open(2, 200);
  open(4, 400);
  std::string id = invite_and_ring(1, 200);
  say(2, call("accept", id));
  const size_t before = t_.sent.size();
  say(4, call("hangup", id));
  ASSERT_EQ(t_.sent.size(), before + 1);
  EXPECT_EQ(t_.sent.back().to, 4u);
  EXPECT_EQ(field(t_.sent.back().text, "code"), kErrUnknownCall);
}

TEST_F(HubTest, CallerLeavingWhileRingingCancelsForTheCallee) {
  open(1, 100);
  open(2, 200);
  std::string id = invite_and_ring(1, 200);
  hub_.on_close(1);
  ASSERT_EQ(t_.to(2, "cancelled").size(), 1u);
  say(2, call("accept", id));
  EXPECT_EQ(field(t_.to(2, "error").at(0), "code"), kErrUnknownCall);
}

TEST_F(HubTest, GlareAcceptsTheFirstCallFromTheSecondInviter) {
  open(1, 100);
  open(2, 200);
  std::string id = invite_and_ring(1, 200);
  say(2, R"({"type":"invite","to":100})");
  EXPECT_EQ(t_.to(1, "glare").size(), 1u);
  EXPECT_EQ(t_.to(2, "glare").size(), 1u);
  ASSERT_EQ(t_.to(2, "accepted").size(), 1u);
  EXPECT_EQ(field(t_.to(2, "accepted").at(0), "call_id"), id);
  EXPECT_TRUE(t_.to(2, "ringing").empty());
}

TEST_F(HubTest, RingingIsSentOnlyWhenAnIncomingWasDelivered) {
  open(1, 100);
  open(2, 200);
  t_.closed[2] = 1000;  // the callee's only socket is going away: sends fail
  say(1, R"({"type":"invite","to":200})");
  EXPECT_TRUE(t_.to(1, "ringing").empty());
  EXPECT_EQ(field(t_.to(1, "error").at(0), "code"), kErrUnavailable);
}

TEST_F(HubTest, TooManyInvalidMessagesInARowClose1008ButValidOnesResetTheCount) {
  open(1, 100);
  for (int i = 0; i < 9; ++i) say(1, "junk");
  say(1, call("resume", "00000000-0000-4000-8000-000000000000"));  // well-formed
  for (int i = 0; i < 9; ++i) say(1, "junk");
  EXPECT_FALSE(t_.closed.count(1));
  say(1, "junk");
  EXPECT_EQ(t_.closed[1], kClosePolicyViolation);
}

TEST_F(HubTest, BurstOverTheRateCloses1008) {
  config_.ws_rate_burst = 5;
  config_.ws_rate_per_s = 1;
  open(1, 100);
  for (int i = 0; i < 5; ++i) say(1, call("resume", "00000000-0000-4000-8000-000000000000"));
  EXPECT_FALSE(t_.closed.count(1));
  say(1, call("resume", "00000000-0000-4000-8000-000000000000"));
  EXPECT_EQ(t_.closed[1], kClosePolicyViolation);
}

TEST_F(HubTest, ConnectionsOverThePerUserLimitAreClosed) {
  config_.ws_max_connections_per_user = 2;
  open(1, 100);
  open(2, 100);
  open(3, 100);
  EXPECT_EQ(t_.closed[3], kClosePolicyViolation);
  EXPECT_TRUE(t_.to(3, "hello").empty());
}

TEST_F(HubTest, DeclineFromOneTabTellsTheCallerAndEveryTabThatRang) {
  open(1, 100);
  open(2, 200);
  open(3, 200);
  std::string id = invite_and_ring(1, 200);
  say(3, call("decline", id));
  EXPECT_EQ(t_.to(1, "declined").size(), 1u);
  EXPECT_EQ(t_.to(2, "declined").size(), 1u);
  EXPECT_EQ(t_.to(3, "declined").size(), 1u);
  say(2, call("accept", id));  // the call is gone for every tab
  EXPECT_EQ(field(t_.to(2, "error").at(0), "code"), kErrUnknownCall);
}

TEST_F(HubTest, OnlyTheInvitingTabCancelsAndEveryRungTabHearsIt) {
  open(1, 100);
  open(4, 100);  // the caller's other tab
  open(2, 200);
  std::string id = invite_and_ring(1, 200);
  say(4, call("cancel", id));
  EXPECT_EQ(field(t_.to(4, "error").at(0), "code"), kErrNotAllowed);
  EXPECT_TRUE(t_.to(2, "cancelled").empty());
  say(1, call("cancel", id));
  EXPECT_EQ(t_.to(1, "cancelled").size(), 1u);
  EXPECT_EQ(t_.to(2, "cancelled").size(), 1u);
}

TEST_F(HubTest, HangupTellsBothBoundConnectionsAndNoOtherTab) {
  open(1, 100);
  open(2, 200);
  open(3, 200);
  std::string id = invite_and_ring(1, 200);
  say(2, call("accept", id));
  say(3, call("hangup", id));  // not bound: refused, nothing ends
  EXPECT_EQ(field(t_.to(3, "error").at(0), "code"), kErrNotAllowed);
  EXPECT_TRUE(t_.to(1, "ended").empty());
  say(2, call("hangup", id));
  ASSERT_EQ(t_.to(1, "ended").size(), 1u);
  EXPECT_EQ(field(t_.to(1, "ended").at(0), "reason"), "hangup");
  EXPECT_EQ(t_.to(2, "ended").size(), 1u);
  EXPECT_TRUE(t_.to(3, "ended").empty());
}
