// The calls engine against a fake Delivery, with no hub and no sockets: everything it tells
// people goes through that one interface, the seam where a router between several daemons can
// later stand. The database is unreachable here (the integration suite checks the rows).
#include "signaling/calls.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "json.h"
#include "log.h"

using namespace vc;
using namespace vc::ws;

namespace {

std::string field(const std::string& text, const char* name) {
  auto object = JsonObject::parse(text);
  if (!object) return "";
  auto value = object->string_field(name);
  return value ? *value : "";
}

// Users and their connections, as a router would know them; records each delivery.
class FakeDelivery : public Delivery {
 public:
  std::map<int64_t, std::set<ConnId>> online;
  std::vector<std::string> log;  // "conn:type" or "user:ID:type", in order

  bool is_online(int64_t user_id) const override { return online.count(user_id) > 0; }
  bool to_connection(ConnId id, std::string text) override {
    if (id == 0) return false;
    log.push_back(std::to_string(id) + ":" + field(text, "type"));
    last_text[id] = text;
    return true;
  }
  std::vector<ConnId> to_user(int64_t user_id, const std::string& text) override {
    log.push_back("user:" + std::to_string(user_id) + ":" + field(text, "type"));
    auto it = online.find(user_id);
    if (it == online.end()) return {};
    return {it->second.begin(), it->second.end()};
  }
  std::map<ConnId, std::string> last_text;
};

class CallsTest : public ::testing::Test {
 protected:
  CallsTest() {
    log_configure({"", false, LogLevel::error});
    config_.db.socket = "/nonexistent/mysqld.sock";
    config_.db.connect_timeout_s = 1;
    delivery_.online = {{100, {1}}, {200, {2, 3}}};
  }
  ~CallsTest() override { workers_.drain_and_stop(); }

  // Alice (connection 1) calls Bob: the ringing call's id, "" when it did not ring.
  std::string alice_rings_bob() {
    Invite invite{200};
    if (calls_.handle(From{1, alice_}, invite)) return "";
    return field(delivery_.last_text[1], "call_id");
  }
  static Sdp sdp(const std::string& call_id, const char* type, std::string text = "v=0") {
    Sdp m;
    m.call_id = call_id;
    m.description = {type, std::move(text)};
    return m;
  }
  static Ice ice(const std::string& call_id) {
    Ice m;
    m.call_id = call_id;
    m.candidate = {"candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0, std::nullopt};
    return m;
  }
  template <class Message>
  static Message about(const std::string& call_id) {
    Message m;
    m.call_id = call_id;
    return m;
  }

  const SessionUser alice_{10, 100, "alice", "Alice"};
  const SessionUser bob_{20, 200, "bob", "Bob"};
  Config config_;
  asio::io_context loop_;
  FakeDelivery delivery_;
  DbWorkers workers_{loop_, config_, 1};
  Calls calls_{loop_, config_, workers_, delivery_};
};

}  // namespace

TEST_F(CallsTest, AnInviteGoesToTheUserAndTheAcceptToTheInvitingConnectionOnly) {
  Invite invite{200};
  ASSERT_FALSE(calls_.handle(From{1, alice_}, invite));
  EXPECT_EQ(delivery_.log, (std::vector<std::string>{"user:200:incoming", "1:ringing"}));
  const std::string id = field(delivery_.last_text[1], "call_id");

  delivery_.log.clear();
  auto accept = about<Accept>(id);
  ASSERT_FALSE(calls_.handle(From{3, bob_}, accept));
  EXPECT_EQ(delivery_.log,
            (std::vector<std::string>{"1:accepted", "3:accepted", "2:answered-elsewhere"}));
}

TEST_F(CallsTest, AnOfflineCalleeIsUnavailableAndNothingIsSent) {
  Invite invite{300};
  auto refused = calls_.handle(From{1, alice_}, invite);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, kErrUnavailable);
  EXPECT_TRUE(delivery_.log.empty());
}

TEST_F(CallsTest, RelayGoesOnlyToThePeerConnection) {
  const std::string id = alice_rings_bob();
  ASSERT_FALSE(id.empty());
  auto accept = about<Accept>(id);
  ASSERT_FALSE(calls_.handle(From{2, bob_}, accept));
  delivery_.log.clear();
  Ice candidate = ice(id);
  ASSERT_FALSE(calls_.handle(From{1, alice_}, candidate));
  EXPECT_EQ(delivery_.log, (std::vector<std::string>{"2:ice"}));
  auto refused = calls_.handle(From{3, bob_}, candidate);  // bob's tab that did not answer
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, kErrNotAllowed);
}

TEST_F(CallsTest, TheCallersEarlyOfferGoesToEveryRingingTabAndTheCalleesWaitsForAccept) {
  const std::string id = alice_rings_bob();
  ASSERT_FALSE(id.empty());
  delivery_.log.clear();
  Sdp offer = sdp(id, "offer");
  ASSERT_FALSE(calls_.handle(From{1, alice_}, offer));
  EXPECT_EQ(delivery_.log, (std::vector<std::string>{"2:sdp", "3:sdp"}));

  delivery_.log.clear();
  Ice candidate = ice(id);
  auto refused = calls_.handle(From{2, bob_}, candidate);  // the callee's address, before accept
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, kErrNotAllowed);
  EXPECT_TRUE(delivery_.log.empty());

  auto accept = about<Accept>(id);
  ASSERT_FALSE(calls_.handle(From{2, bob_}, accept));
  delivery_.log.clear();
  Sdp answer = sdp(id, "answer");
  ASSERT_FALSE(calls_.handle(From{2, bob_}, answer));
  EXPECT_EQ(delivery_.log, (std::vector<std::string>{"1:sdp"}));
}

TEST_F(CallsTest, ATabThatOpensWhileItRingsGetsTheEarlyOfferAfterItsIncoming) {
  const std::string id = alice_rings_bob();
  ASSERT_FALSE(id.empty());
  Sdp offer = sdp(id, "offer");
  ASSERT_FALSE(calls_.handle(From{1, alice_}, offer));
  Ice candidate = ice(id);
  ASSERT_FALSE(calls_.handle(From{1, alice_}, candidate));

  delivery_.log.clear();
  delivery_.online[200].insert(4);
  calls_.on_user_connected(4, 200);
  EXPECT_EQ(delivery_.log, (std::vector<std::string>{"4:incoming", "4:sdp", "4:ice"}));

  // Once answered, the call keeps nothing for tabs that open later.
  auto accept = about<Accept>(id);
  ASSERT_FALSE(calls_.handle(From{4, bob_}, accept));
  delivery_.log.clear();
  calls_.on_user_connected(5, 200);
  EXPECT_TRUE(delivery_.log.empty());
}

TEST_F(CallsTest, EarlySignalsAreBoundedInCountAndBytes) {
  const std::string id = alice_rings_bob();
  ASSERT_FALSE(id.empty());
  Ice candidate = ice(id);
  for (size_t i = 0; i < Calls::kMaxEarlySignals; ++i)
    ASSERT_FALSE(calls_.handle(From{1, alice_}, candidate)) << i;
  delivery_.log.clear();
  auto refused = calls_.handle(From{1, alice_}, candidate);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, kErrTooManySignals);
  EXPECT_TRUE(delivery_.log.empty());

  // A second call, whose offers are few but large.
  auto cancel = about<Cancel>(id);
  ASSERT_FALSE(calls_.handle(From{1, alice_}, cancel));
  const std::string second = alice_rings_bob();
  ASSERT_FALSE(second.empty());
  Sdp big = sdp(second, "offer", std::string(Calls::kMaxEarlyBytes / 2, 'x'));
  ASSERT_FALSE(calls_.handle(From{1, alice_}, big));
  delivery_.log.clear();
  refused = calls_.handle(From{1, alice_}, big);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, kErrTooManySignals);
  EXPECT_TRUE(delivery_.log.empty());
}

TEST_F(CallsTest, InGlareTheAnsweringConnectionGetsTheEarlyOfferAgainAfterItsAccepted) {
  const std::string id = alice_rings_bob();
  ASSERT_FALSE(id.empty());
  Sdp offer = sdp(id, "offer");
  ASSERT_FALSE(calls_.handle(From{1, alice_}, offer));
  delivery_.log.clear();
  Invite back{100};  // bob's tab 2 calls alice while her call rings there
  ASSERT_FALSE(calls_.handle(From{2, bob_}, back));
  EXPECT_EQ(delivery_.log,
            (std::vector<std::string>{"2:glare", "1:glare", "1:accepted", "2:accepted",
                                      "3:answered-elsewhere", "2:sdp"}));
}

TEST_F(CallsTest, RingingAndBusyEchoTheInvitesRefSoTheCallerKnowsWhichCallTheyAreAbout) {
  Invite invite{200};
  ASSERT_FALSE(calls_.handle(From{1, alice_, "call-1"}, invite));
  EXPECT_EQ(field(delivery_.last_text[1], "type"), "ringing");
  EXPECT_EQ(field(delivery_.last_text[1], "ref"), "call-1");
  Invite self{100};  // calling yourself ends at once as busy
  delivery_.online[100].insert(4);
  ASSERT_FALSE(calls_.handle(From{4, alice_, "call-2"}, self));
  EXPECT_EQ(field(delivery_.last_text[4], "type"), "busy");
  EXPECT_EQ(field(delivery_.last_text[4], "ref"), "call-2");
}
