// Presence and calls between real clients through the real stack, with the calls rows checked.
#include <thread>

#include "ws_test_util.h"

using namespace vc;
using namespace vc::test;

TEST(WsPresence, ASubscriberHearsTheStateThenTheChangesOfWhomItFollows) {
  Person a = online_person("pr_a");
  auto b_account = register_and_login("pr_b");
  auto c_account = register_and_login("pr_c");  // never connects
  auto b1 = connect_as(b_account.token);
  auto hello_b = b1->next("hello");
  ASSERT_TRUE(hello_b);
  EXPECT_EQ(hello_b->text.find("online"), std::string::npos);  // hello lists nobody any more
  // Past the coalescing window, so that b's coming online is not told again after the answer.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));

  auto state = follow(*a.ws, {b_account.user_id, c_account.user_id});
  ASSERT_TRUE(state);
  EXPECT_EQ(state->ids("online"), std::vector<int64_t>{b_account.user_id});
  EXPECT_EQ(state->ids("offline"), std::vector<int64_t>{c_account.user_id});

  // A second tab is not news; closing one of two tabs is not either.
  auto b2 = connect_as(b_account.token);
  ASSERT_TRUE(b2->next("hello"));
  b2->close();
  ASSERT_TRUE(b2->wait_closed());
  // The last tab closing is, once the coalescing window (0.5 s) has passed.
  b1->close();
  auto offline = a.ws->next("presence");
  ASSERT_TRUE(offline);
  EXPECT_EQ(offline->ids("offline"), std::vector<int64_t>{b_account.user_id});
  EXPECT_TRUE(offline->ids("online").empty());
  ASSERT_TRUE(a.ws->sync());
  EXPECT_FALSE(a.ws->has_queued("presence"));
}

TEST(WsPresence, NobodyHearsOfAUserTheyDoNotFollow) {
  Person a = online_person("pr_quiet_a");
  Person b = online_person("pr_quiet_b");
  ASSERT_TRUE(follow(*a.ws, {}));
  auto c = online_person("pr_quiet_c");
  c.ws->close();
  ASSERT_TRUE(c.ws->wait_closed());
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // past the coalescing window
  ASSERT_TRUE(a.ws->sync());
  EXPECT_FALSE(a.ws->has_queued("presence"));
  EXPECT_FALSE(b.ws->has_queued("presence"));
}

TEST(WsPresence, ASubscribeOverTheCapIsRefusedAndTheConnectionStays) {
  Person a = online_person("pr_cap_a");
  std::string many = R"({"type":"subscribe","ref":"big","users":[1)";
  for (int i = 2; i <= 501; ++i) many += "," + std::to_string(i);
  a.ws->send(many + "]}");
  auto error = a.ws->next("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->str("code"), "invalid_format");
  EXPECT_EQ(error->str("ref"), "big");
  EXPECT_TRUE(follow(*a.ws, {1}));
}

TEST(WsCalls, InviteAcceptRelaysSdpAndIceBothWaysThenHangupEndsIt) {
  Person a = online_person("call_a");
  Person b = online_person("call_b");
  auto b2 = connect_as(b.account.token);  // the callee's second tab
  ASSERT_TRUE(b2->next("hello"));

  a.ws->send(invite(b.id(), "first-call"));
  auto ringing = a.ws->next("ringing");
  ASSERT_TRUE(ringing);
  const std::string call_id = ringing->str("call_id");
  EXPECT_EQ(ringing->num("callee_id"), b.id());
  EXPECT_EQ(ringing->str("ref"), "first-call");  // the invite it answers
  for (WsClient* tab : {b.ws.get(), b2.get()}) {
    auto incoming = tab->next("incoming");
    ASSERT_TRUE(incoming);
    EXPECT_EQ(incoming->str("call_id"), call_id);
    EXPECT_EQ(incoming->nested_num("caller", "id"), a.id());
    EXPECT_FALSE(incoming->nested_str("caller", "display_name").empty());
  }
  auto row = wait_for_call_row(call_id, "ringing");

  b.ws->send(call_message("accept", call_id));
  auto accepted_a = a.ws->next("accepted");
  auto accepted_b = b.ws->next("accepted");
  ASSERT_TRUE(accepted_a && accepted_b);
  EXPECT_EQ(accepted_a->num("peer_id"), b.id());
  EXPECT_EQ(accepted_b->num("peer_id"), a.id());
  EXPECT_TRUE(b2->next("answered-elsewhere"));
  row = wait_for_call_row(call_id, "active");
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->answered);

  a.ws->send(sdp_message(call_id, "offer", "v=0\\r\\noffer"));
  auto offer = b.ws->next("sdp");
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->nested_str("description", "type"), "offer");
  EXPECT_EQ(offer->nested_str("description", "sdp"), "v=0\r\noffer");
  b.ws->send(sdp_message(call_id, "answer", "v=0\\r\\nanswer"));
  auto answer = a.ws->next("sdp");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->nested_str("description", "type"), "answer");
  a.ws->send(ice_message(call_id, "candidate:1 1 udp 1 192.0.2.1 5000 typ host"));
  auto ice_b = b.ws->next("ice");
  ASSERT_TRUE(ice_b);
  EXPECT_EQ(ice_b->nested_str("candidate", "candidate"),
            "candidate:1 1 udp 1 192.0.2.1 5000 typ host");
  EXPECT_EQ(ice_b->nested_num("candidate", "sdpMLineIndex"), 0);
  b.ws->send(ice_message(call_id, "candidate:2 1 udp 1 192.0.2.2 5001 typ host"));
  EXPECT_TRUE(a.ws->next("ice"));

  // The other tab heard nothing of the relay.
  ASSERT_TRUE(b2->sync());
  EXPECT_FALSE(b2->has_queued("sdp"));
  EXPECT_FALSE(b2->has_queued("ice"));

  a.ws->send(call_message("hangup", call_id));
  auto ended_b = b.ws->next("ended");
  auto ended_a = a.ws->next("ended");
  ASSERT_TRUE(ended_a && ended_b);
  EXPECT_EQ(ended_b->str("reason"), "hangup");
  row = wait_for_call_row(call_id, "ended");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "hangup");
  EXPECT_TRUE(row->answered && row->ended);
  EXPECT_EQ(row->caller_id, a.id());
  EXPECT_EQ(row->callee_id, b.id());
}

TEST(WsCalls, DeclineEndsTheCallForEveryone) {
  Person a = online_person("dec_a");
  Person b = online_person("dec_b");
  auto b2 = connect_as(b.account.token);
  ASSERT_TRUE(b2->next("hello"));
  const std::string call_id = ring_both_tabs(*a.ws, *b.ws, *b2, b.id());
  ASSERT_FALSE(call_id.empty());
  b.ws->send(call_message("decline", call_id));
  EXPECT_TRUE(a.ws->next("declined"));
  EXPECT_TRUE(b2->next("declined"));
  auto row = wait_for_call_row(call_id, "declined");
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->answered);
  EXPECT_TRUE(row->ended);
  // The call is gone: accepting it now is refused.
  b.ws->send(call_message("accept", call_id));
  auto err = b.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unknown_call");
}

TEST(WsCalls, CancelByTheCallerStopsTheRinging) {
  Person a = online_person("can_a");
  Person b = online_person("can_b");
  a.ws->send(invite(b.id()));
  auto ringing = a.ws->next("ringing");
  ASSERT_TRUE(ringing && b.ws->next("incoming"));
  const std::string call_id = ringing->str("call_id");
  // The callee cannot cancel: that is decline.
  b.ws->send(call_message("cancel", call_id));
  auto err = b.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "not_allowed");
  a.ws->send(call_message("cancel", call_id));
  EXPECT_TRUE(b.ws->next("cancelled"));
  EXPECT_TRUE(a.ws->next("cancelled"));
  auto row = wait_for_call_row(call_id, "cancelled");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "cancelled");
}

TEST(WsCalls, UnansweredCallIsMissedAfterTheRingTimeout) {
  Person a = online_person("miss_a");
  Person b = online_person("miss_b");
  a.ws->send(invite(b.id()));
  auto ringing = a.ws->next("ringing");
  ASSERT_TRUE(ringing && b.ws->next("incoming"));
  const std::string call_id = ringing->str("call_id");
  auto missed_a = a.ws->next("missed");  // ws.ring_timeout = 3 in the test config
  auto missed_b = b.ws->next("missed");
  ASSERT_TRUE(missed_a && missed_b);
  EXPECT_EQ(missed_a->str("call_id"), call_id);
  auto row = wait_for_call_row(call_id, "missed");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "ring-timeout");
}

TEST(WsCalls, CalleeInACallIsBusyAndSoIsCallingYourself) {
  Person a = online_person("busy_a");
  Person b = online_person("busy_b");
  Person c = online_person("busy_c");
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  c.ws->send(invite(b.id(), "to-b"));
  auto busy = c.ws->next("busy");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->num("callee_id"), b.id());
  EXPECT_EQ(busy->str("ref"), "to-b");
  auto row = wait_for_call_row(busy->str("call_id"), "busy");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->caller_id, c.id());
  // B was not disturbed.
  ASSERT_TRUE(b.ws->sync());
  EXPECT_FALSE(b.ws->has_queued("incoming"));

  c.ws->send(invite(c.id()));
  auto self = c.ws->next("busy");
  ASSERT_TRUE(self);
  EXPECT_EQ(self->num("callee_id"), c.id());
  // Someone in a call cannot start another one.
  a.ws->send(invite(c.id()));
  auto err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "already_in_call");
}

TEST(WsCalls, OfflineCalleeIsUnavailableAtOnceAndNoCallIsMade) {
  Person a = online_person("off_a");
  auto b = register_and_login("off_b");  // never connects
  a.ws->send(invite(b.user_id, "inv1"));
  auto err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unavailable");
  EXPECT_EQ(err->str("ref"), "inv1");
  EXPECT_FALSE(a.ws->has_queued("ringing"));
  EXPECT_EQ(count_call_rows_between(a.id(), b.user_id), 0);
  a.ws->send(invite(999999999));  // no such user at all
  err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unavailable");
}

TEST(WsCalls, GlareKeepsExactlyOneCallAndTellsBoth) {
  Person a = online_person("glare_a");
  Person b = online_person("glare_b");
  a.ws->send(invite(b.id()));
  b.ws->send(invite(a.id()));
  // Whichever invite the daemon saw first is the call; the other party's invite answers it.
  auto glare_a = a.ws->next("glare");
  auto glare_b = b.ws->next("glare");
  ASSERT_TRUE(glare_a && glare_b);
  const std::string call_id = glare_a->str("call_id");
  EXPECT_EQ(glare_b->str("call_id"), call_id);
  EXPECT_EQ(glare_a->num("peer_id"), b.id());
  EXPECT_EQ(glare_b->num("peer_id"), a.id());
  auto acc_a = a.ws->next("accepted");
  auto acc_b = b.ws->next("accepted");
  ASSERT_TRUE(acc_a && acc_b);
  EXPECT_EQ(acc_a->str("call_id"), call_id);
  EXPECT_EQ(acc_b->str("call_id"), call_id);
  ASSERT_TRUE(wait_for_call_row(call_id, "active"));
  EXPECT_EQ(count_call_rows_between(a.id(), b.id()), 1);
  a.ws->send(sdp_message(call_id, "offer", "v=0"));
  EXPECT_TRUE(b.ws->next("sdp"));
}

TEST(WsCalls, TheCallersEarlyOfferRingsWithTheCallSoTheAnswerCanFollowTheAccept) {
  Person a = online_person("early_a");
  Person b = online_person("early_b");
  auto b2 = connect_as(b.account.token);
  ASSERT_TRUE(b2->next("hello"));
  const std::string call_id = ring_both_tabs(*a.ws, *b.ws, *b2, b.id());
  ASSERT_FALSE(call_id.empty());

  // The offer and a candidate, sent while it rings, reach every ringing tab.
  a.ws->send(sdp_message(call_id, "offer", "v=0\\r\\nearly"));
  a.ws->send(ice_message(call_id, "candidate:1 1 udp 1 192.0.2.1 5000 typ host"));
  for (WsClient* tab : {b.ws.get(), b2.get()}) {
    auto offer = tab->next("sdp");
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->nested_str("description", "type"), "offer");
    EXPECT_EQ(offer->nested_str("description", "sdp"), "v=0\r\nearly");
    EXPECT_TRUE(tab->next("ice"));
  }
  // A tab that opens while it rings gets the call and then what the caller already sent.
  auto b3 = connect_as(b.account.token);
  ASSERT_TRUE(b3->next("hello"));
  ASSERT_TRUE(b3->next("incoming"));
  auto late_offer = b3->next("sdp");
  ASSERT_TRUE(late_offer);
  EXPECT_EQ(late_offer->nested_str("description", "sdp"), "v=0\r\nearly");
  EXPECT_TRUE(b3->next("ice"));

  // The answering tab sends accept and its answer back to back: the answer is relayed.
  b.ws->send(call_message("accept", call_id));
  b.ws->send(sdp_message(call_id, "answer", "v=0\\r\\nanswer"));
  ASSERT_TRUE(a.ws->next("accepted"));
  auto answer = a.ws->next("sdp");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->nested_str("description", "type"), "answer");
  EXPECT_TRUE(b2->next("answered-elsewhere") && b3->next("answered-elsewhere"));
  // From now on the other tabs hear nothing of the call.
  a.ws->send(ice_message(call_id, "candidate:2 1 udp 1 192.0.2.1 5001 typ host"));
  EXPECT_TRUE(b.ws->next("ice"));
  for (WsClient* tab : {b2.get(), b3.get()}) {
    ASSERT_TRUE(tab->sync());
    EXPECT_FALSE(tab->has_queued("ice"));
  }
}

TEST(WsCalls, ARingingCallKeepsOnlySoManyEarlySignals) {
  Person a = online_person("flood_a");
  Person b = online_person("flood_b");
  a.ws->send(invite(b.id()));
  auto ringing = a.ws->next("ringing");
  ASSERT_TRUE(ringing && b.ws->next("incoming"));
  const std::string call_id = ringing->str("call_id");
  for (int i = 0; i < 64; ++i) a.ws->send(ice_message(call_id, "candidate:" + std::to_string(i)));
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(b.ws->next("ice")) << i;
  a.ws->send(ice_message(call_id, "candidate:64"));
  auto err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "too_many_signals");
  ASSERT_TRUE(b.ws->sync());
  EXPECT_FALSE(b.ws->has_queued("ice"));
  // The call itself is untouched: it can still be answered.
  b.ws->send(call_message("accept", call_id));
  EXPECT_TRUE(a.ws->next("accepted"));
}

TEST(WsCalls, RelayIsRefusedToAnyoneButTheBoundPeer) {
  Person a = online_person("rel_a");
  Person b = online_person("rel_b");
  Person c = online_person("rel_c");
  auto b2 = connect_as(b.account.token);
  ASSERT_TRUE(b2->next("hello"));
  const std::string call_id = ring_both_tabs(*a.ws, *b.ws, *b2, b.id());
  ASSERT_FALSE(call_id.empty());

  // While ringing, the callee's tabs may not send the caller anything: no address before accept.
  b.ws->send(ice_message(call_id, "candidate:7"));
  auto err = b.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "not_allowed");
  // The caller cannot accept its own call.
  a.ws->send(call_message("accept", call_id));
  err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "not_allowed");

  b.ws->send(call_message("accept", call_id));
  ASSERT_TRUE(a.ws->next("accepted") && b.ws->next("accepted") && b2->next("answered-elsewhere"));

  // A third user naming the call: unknown to them, relayed to nobody.
  c.ws->send(sdp_message(call_id, "offer", "v=0"));
  err = c.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unknown_call");
  c.ws->send(ice_message(call_id, "candidate:9"));
  err = c.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unknown_call");
  c.ws->send(call_message("hangup", call_id));
  EXPECT_EQ(c.ws->next("error")->str("code"), "unknown_call");
  // The callee's other tab is not bound to the call.
  b2->send(ice_message(call_id, "candidate:8"));
  err = b2->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "not_allowed");
  b2->send(call_message("hangup", call_id));
  EXPECT_EQ(b2->next("error")->str("code"), "not_allowed");
  // A forged call id.
  a.ws->send(sdp_message("11111111-2222-4333-8444-555555555555", "offer", "v=0"));
  err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unknown_call");

  for (WsClient* ws : {a.ws.get(), b.ws.get(), b2.get()}) {
    ASSERT_TRUE(ws->sync());
    EXPECT_FALSE(ws->has_queued("sdp"));
    EXPECT_FALSE(ws->has_queued("ice"));
    EXPECT_FALSE(ws->has_queued("ended"));
  }
  // The call is untouched by all of that.
  a.ws->send(ice_message(call_id, "candidate:1"));
  EXPECT_TRUE(b.ws->next("ice"));
  ASSERT_TRUE(wait_for_call_row(call_id, "active"));
}

TEST(WsCalls, PartyGoneLongerThanTheGraceEndsTheCallAsPeerGone) {
  Person a = online_person("gone_a");
  Person b = online_person("gone_b");
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  b.ws->close();
  auto ended = a.ws->next("ended");  // ws.peer_gone_grace = 4 in the test config
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->str("reason"), "peer-gone");
  auto row = wait_for_call_row(call_id, "ended");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "peer-gone");
}

TEST(WsCalls, ADroppedSocketResumesWithinTheGrace) {
  Person a = online_person("res_a");
  Person b = online_person("res_b");
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  b.ws->close();
  ASSERT_TRUE(b.ws->wait_closed());
  b.ws = connect_as(b.account.token);
  ASSERT_TRUE(b.ws->next("hello"));
  b.ws->send(call_message("resume", call_id));
  auto resumed = b.ws->next("resumed");
  ASSERT_TRUE(resumed);
  EXPECT_TRUE(resumed->flag("peer_connected"));
  EXPECT_EQ(resumed->num("peer_id"), a.id());
  EXPECT_TRUE(a.ws->next("peer-resumed"));
  b.ws->send(sdp_message(call_id, "offer", "v=0"));
  EXPECT_TRUE(a.ws->next("sdp"));
  // Someone else cannot resume it.
  Person c = online_person("res_c");
  c.ws->send(call_message("resume", call_id, "r"));
  auto err = c.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unknown_call");
  EXPECT_EQ(err->str("ref"), "r");
}
