// Bad input, limits, session ends, keepalive, and the daemon's own faults: kill -9, SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon_control.h"
#include "ws_test_util.h"

using namespace vc;
using namespace vc::test;

TEST(WsLimits, MalformedMessagesGetAnErrorAndTheConnectionStaysOpen) {
  Person a = online_person("bad_a");
  struct Case {
    const char* text;
    const char* code;
  };
  for (Case c : {Case{"{not json", "invalid_json"}, Case{"[1,2]", "invalid_json"},
                 Case{R"({"type":"teleport","ref":"t"})", "unknown_type"},
                 Case{R"({"type":"invite","to":"bob"})", "invalid_format"},
                 Case{R"({"type":"accept"})", "invalid_format"},
                 Case{R"({"type":"accept","call_id":"not-an-id"})", "invalid_format"}}) {
    a.ws->send(c.text);
    auto err = a.ws->next("error");
    ASSERT_TRUE(err) << c.text;
    EXPECT_EQ(err->str("code"), c.code) << c.text;
    EXPECT_FALSE(err->str("message").empty());
  }
  EXPECT_TRUE(a.ws->open());
  EXPECT_TRUE(a.ws->sync());  // still answering
}

TEST(WsLimits, TextThatIsNotUtf8ClosesWith1007BeforeItIsParsed) {
  Person a = online_person("utf8_a");
  a.ws->send_unchecked_text(R"({"type":"invite","to":1})");  // the framing itself is right
  auto err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unavailable");
  a.ws->send_unchecked_text("{\"type\":\"invite\",\"x\":\"\xff\xfe\",\"to\":1}");
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1007);
}

TEST(WsLimits, OversizeMessageClosesWith1009) {
  Person a = online_person("big_a");
  a.ws->send(R"({"type":"invite","to":1,"pad":")" + std::string(70 * 1024, 'x') + R"("})");
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1009);
}

TEST(WsLimits, FarOversizeMessageDropsTheConnection) {
  Person a = online_person("huge_a");
  // Past websocketpp's own backstop (twice the limit) the socket is dropped mid-frame.
  a.ws->send(R"({"type":"invite","to":1,"pad":")" + std::string(300 * 1024, 'x') + R"("})");
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_TRUE(a.ws->close_code() == 1009 || a.ws->close_code() == 1006) << a.ws->close_code();
}

TEST(WsLimits, AMessageJustUnderTheLimitIsFine) {
  Person a = online_person("near_a");
  a.ws->send(R"({"type":"invite","to":999999999,"pad":")" + std::string(60 * 1024, 'x') + R"("})");
  auto err = a.ws->next("error");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->str("code"), "unavailable");
}

TEST(WsLimits, SendingFasterThanTheRateClosesWith1008) {
  Person a = online_person("rate_a");
  // Well-formed messages (refused as unknown calls, which is not garbage): only the rate counts.
  const std::string msg = call_message("hangup", "11111111-2222-4333-8444-555555555555");
  for (int i = 0; i < 500 && a.ws->open(); ++i) a.ws->send(msg);
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1008);
  EXPECT_EQ(a.ws->close_reason(), "rate limit exceeded");
}

TEST(WsLimits, KeepingOnSendingGarbageClosesWith1008) {
  Person a = online_person("junk_a");
  for (int i = 0; i < 10; ++i) a.ws->send("garbage " + std::to_string(i));
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1008);
  EXPECT_EQ(a.ws->close_reason(), "too many invalid messages");
}

TEST(WsLimits, BinaryFramesCloseWith1003) {
  Person a = online_person("bin_a");
  a.ws->send_binary(R"({"type":"invite","to":1})");
  ASSERT_TRUE(a.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1003);
}

TEST(WsSessions, LogoutClosesTheSocket) {
  Person a = online_person("lo_a");
  auto out =
      client()->Post("/api/logout", browser_headers(a.account.token), "", "application/json");
  ASSERT_TRUE(out && out->status < 300);
  ASSERT_TRUE(a.ws->wait_closed());  // ws.session_recheck = 1 in the test config
  EXPECT_EQ(a.ws->close_code(), 4401);
}

TEST(WsSessions, OtherSessionsOfTheUserStayOpen) {
  auto first = register_and_login("lo_two");
  auto creds = R"({"username":")" + first.username + R"(","password":")" + kTestPassword + R"("})";
  auto second_login = client()->Post("/api/login", browser_headers(), creds, "application/json");
  std::string second = session_token(second_login);
  ASSERT_FALSE(second.empty());
  auto ws1 = connect_as(first.token);
  auto ws2 = connect_as(second);
  ASSERT_TRUE(ws1->next("hello") && ws2->next("hello"));
  client()->Post("/api/logout", browser_headers(first.token), "", "application/json");
  ASSERT_TRUE(ws1->wait_closed());
  EXPECT_TRUE(ws2->sync());
  EXPECT_TRUE(ws2->open());
}

TEST(WsKeepalive, AClientThatStopsAnsweringPingsIsClosedAndGone) {
  Person watcher = online_person("ka_w");
  auto mute_account = register_and_login("ka_m");
  const std::vector<int64_t> mute_id{mute_account.user_id};
  ASSERT_TRUE(follow(*watcher.ws, mute_id));
  ClientOptions o;
  o.token = mute_account.token;
  o.answer_pings = false;
  WsClient mute(o);
  ASSERT_TRUE(mute.next("hello"));
  auto online = watcher.ws->next("presence");
  ASSERT_TRUE(online);
  EXPECT_EQ(online->ids("online"), mute_id);
  // ws.ping_interval = 1, ws.pong_timeout = 1: silent for two seconds is gone.
  auto offline = watcher.ws->next("presence");
  ASSERT_TRUE(offline);
  EXPECT_EQ(offline->ids("offline"), mute_id);
  EXPECT_NE(read_log().find(R"("event":"keepalive_timeout")"), std::string::npos);
}

TEST(WsFaults, KillDuringAnActiveCallThenRestartBothResumeAndHangupReachesThePeer) {
  Person a = online_person("kill_a");
  Person b = online_person("kill_b");
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  ASSERT_TRUE(wait_for_call_row(call_id, "active"));

  EXPECT_EQ(stop_ws_daemon(SIGKILL), -SIGKILL);
  ASSERT_TRUE(a.ws->wait_closed() && b.ws->wait_closed());
  ASSERT_TRUE(start_ws_daemon());

  a.ws = connect_as(a.account.token);
  b.ws = connect_as(b.account.token);
  ASSERT_TRUE(a.ws->next("hello") && b.ws->next("hello"));
  a.ws->send(call_message("resume", call_id));
  auto resumed_a = a.ws->next("resumed");
  ASSERT_TRUE(resumed_a);
  EXPECT_FALSE(resumed_a->flag("peer_connected"));
  b.ws->send(call_message("resume", call_id));
  auto resumed_b = b.ws->next("resumed");
  ASSERT_TRUE(resumed_b);
  EXPECT_TRUE(resumed_b->flag("peer_connected"));
  EXPECT_TRUE(a.ws->next("peer-resumed"));
  // Re-negotiation works on the rebound call...
  a.ws->send(sdp_message(call_id, "offer", "v=0"));
  EXPECT_TRUE(b.ws->next("sdp"));
  // ...and so does hanging up.
  b.ws->send(call_message("hangup", call_id));
  auto ended = a.ws->next("ended");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->str("reason"), "hangup");
  auto row = wait_for_call_row(call_id, "ended");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "hangup");
  EXPECT_TRUE(row->answered);
}

TEST(WsFaults, SigtermClosesEverySocketWith1001AndExitsZero) {
  Person a = online_person("term_a");
  Person b = online_person("term_b");
  a.ws->send(invite(b.id()));
  auto ringing = a.ws->next("ringing");
  ASSERT_TRUE(ringing && b.ws->next("incoming"));
  EXPECT_EQ(stop_ws_daemon(SIGTERM), 0);
  ASSERT_TRUE(a.ws->wait_closed() && b.ws->wait_closed());
  EXPECT_EQ(a.ws->close_code(), 1001);
  EXPECT_EQ(b.ws->close_code(), 1001);
  // The ringing call's end was written before the daemon exited.
  auto row =
      db().query("SELECT outcome, end_reason FROM calls WHERE id = ?", {ringing->str("call_id")});
  ASSERT_TRUE(row && !row->empty());
  EXPECT_EQ(*row->front()[0], "missed");
  EXPECT_EQ(*row->front()[1], "server-shutdown");
  ASSERT_TRUE(start_ws_daemon());
  auto again = connect_as(a.account.token);
  EXPECT_TRUE(again->next("hello"));
}

TEST(WsTls, TheDaemonServesTlsItselfWhenConfigured) {
  auto me = register_and_login("tls_a");
  ASSERT_EQ(stop_ws_daemon(SIGTERM), 0);
  ASSERT_TRUE(start_ws_daemon("ws.tls = true\nws.tls_cert = " + stack_dir() +
                              "/tls/cert.pem\nws.tls_key = " + stack_dir() + "/tls/key.pem\n"));
  ClientOptions o;
  o.token = me.token;
  o.port = stack_config().ws_port;
  {
    WsClient direct(o);
    auto hello = direct.next("hello");
    ASSERT_TRUE(hello);
    EXPECT_EQ(hello->nested_num("user", "id"), me.user_id);
    // The same checks apply without nginx in front.
    ClientOptions foreign = o;
    foreign.origin = "https://evil.example";
    WsClient refused(foreign);
    EXPECT_EQ(refused.refused_status(), 403);
    // A socket that never starts TLS does not hold its place forever: the daemon's TLS deadline
    // (5 s) cuts it, while the WebSocket handshake's own timeout has not even begun.
    int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(o.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(silent, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    pollfd p{silent, POLLIN, 0};
    char byte;
    EXPECT_TRUE(::poll(&p, 1, 15000) == 1 && ::recv(silent, &byte, 1, 0) <= 0)
        << "the daemon never closed a socket that sent nothing";
    ::close(silent);
    WsClient after(o);
    EXPECT_TRUE(after.next("hello"));
  }
  EXPECT_EQ(stop_ws_daemon(SIGTERM), 0);
  ASSERT_TRUE(start_ws_daemon());
}
