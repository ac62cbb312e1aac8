// The opening handshake through nginx's TLS proxy: who gets in, and every refusal.
#include <asio.hpp>
#include <asio/ssl.hpp>

#include "daemon_control.h"
#include "token.h"
#include "ws_test_util.h"

using namespace vc;
using namespace vc::test;

namespace {

// A hand-written upgrade request over TLS, for what websocketpp's client will not send.
int raw_upgrade_status(const std::string& extra_headers) {
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(stack_dir() + "/tls/cert.pem");
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> tls(io, ctx);
  tls.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  asio::ip::tcp::resolver resolver(io);
  asio::connect(tls.next_layer(), resolver.resolve("127.0.0.1", std::to_string(https_port())));
  tls.handshake(asio::ssl::stream_base::client);
  std::string request =
      "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
      extra_headers + "\r\n";
  asio::write(tls, asio::buffer(request));
  asio::streambuf response;
  std::error_code ec;
  asio::read_until(tls, response, "\r\n", ec);
  std::istream in(&response);
  std::string http;
  int status = 0;
  in >> http >> status;
  return status;
}

int refused_with(const ClientOptions& options) {
  WsClient c(options);
  EXPECT_FALSE(c.open());
  return c.refused_status();
}

}  // namespace

TEST(WsHandshake, ValidSessionOpensAndGetsHelloWithItsUser) {
  auto me = register_and_login("hs_ok");
  auto ws = connect_as(me.token);
  ASSERT_TRUE(ws->open());
  auto hello = ws->next("hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->nested_num("user", "id"), me.user_id);
  std::string folded = me.username;
  for (char& c : folded) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(hello->nested_str("user", "username"), folded);
}

TEST(WsHandshake, ForeignOriginIsRefusedWith403AndLogged) {
  auto me = register_and_login("hs_origin");
  ClientOptions o;
  o.token = me.token;
  o.origin = "https://evil.example";
  EXPECT_EQ(refused_with(o), 403);
  o.origin = "https://localhost:1";
  EXPECT_EQ(refused_with(o), 403);
  std::string log = read_log();
  EXPECT_NE(log.find(R"("event":"handshake_refused","status":403,"why":"forbidden_origin")"),
            std::string::npos);
}

TEST(WsHandshake, MissingOriginIsRefusedWith403) {
  auto me = register_and_login("hs_noorigin");
  EXPECT_EQ(raw_upgrade_status("Sec-WebSocket-Version: 13\r\nCookie: " +
                               std::string(kSessionCookie) + "=" + me.token + "\r\n"),
            403);
}

TEST(WsHandshake, OtherProtocolVersionsAreRefused) {
  auto me = register_and_login("hs_version");
  const std::string rest =
      "Origin: " + origin() + "\r\nCookie: " + kSessionCookie + "=" + me.token + "\r\n";
  EXPECT_EQ(raw_upgrade_status("Sec-WebSocket-Version: 8\r\n" + rest), 426);
  EXPECT_EQ(raw_upgrade_status("Sec-WebSocket-Version: 7\r\n" + rest), 426);
  // Versions websocketpp does not know at all it refuses itself, before our checks.
  EXPECT_EQ(raw_upgrade_status("Sec-WebSocket-Version: 99\r\n" + rest), 400);
  // The same request with version 13 is accepted: the refusals above are about the version.
  EXPECT_EQ(raw_upgrade_status("Sec-WebSocket-Version: 13\r\n" + rest), 101);
}

TEST(WsHandshake, NoCookieIsRefusedWith401) {
  EXPECT_EQ(refused_with(ClientOptions{}), 401);
  ClientOptions other;
  other.raw_cookie = "theme=dark";
  EXPECT_EQ(refused_with(other), 401);
}

TEST(WsHandshake, ForgedAndMalformedCookiesAreRefusedWith401) {
  ClientOptions forged;
  forged.token = new_session_token();  // well-formed, never issued
  EXPECT_EQ(refused_with(forged), 401);
  ClientOptions malformed;
  malformed.token = "not-a-token";
  EXPECT_EQ(refused_with(malformed), 401);
}

TEST(WsHandshake, ExpiredSessionIsRefusedWith401) {
  auto me = register_and_login("hs_expired");
  ASSERT_TRUE(db().exec("UPDATE sessions SET idle_expires_at = NOW(3) - INTERVAL 1 SECOND"
                        " WHERE token_hash = ?",
                        {DbBlob{hash_token(me.token)}})
                  .ok());
  ClientOptions o;
  o.token = me.token;
  EXPECT_EQ(refused_with(o), 401);
}

TEST(WsHandshake, RevokedSessionIsRefusedWith401) {
  auto me = register_and_login("hs_revoked");
  auto out = client()->Post("/api/logout", browser_headers(me.token), "", "application/json");
  ASSERT_TRUE(out && out->status < 300) << (out ? out->body : "no response");
  ClientOptions o;
  o.token = me.token;
  EXPECT_EQ(refused_with(o), 401);
}

TEST(WsHandshake, ConnectionsPerUserAreLimited) {
  auto me = register_and_login("hs_many");
  std::vector<std::unique_ptr<WsClient>> tabs;
  for (int i = 0; i < 4; ++i) {
    tabs.push_back(connect_as(me.token));
    ASSERT_TRUE(tabs.back()->open()) << i;
  }
  ClientOptions o;
  o.token = me.token;
  EXPECT_EQ(refused_with(o), 429);
  // A closed tab frees its place.
  tabs.pop_back();
  auto again = connect_as(me.token);
  EXPECT_TRUE(again->open());
}

TEST(WsHandshake, DatabaseDownRefusesNewHandshakesWith503WhileOpenOnesKeepSignaling) {
  Person a = online_person("hs_dba");
  Person b = online_person("hs_dbb");
  ASSERT_TRUE(stack_ctl("db-stop"));
  ClientOptions o;
  o.token = a.account.token;
  EXPECT_EQ(refused_with(o), 503);
  // Signaling between connected users does not need the database.
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  a.ws->send(sdp_message(call_id, "offer", "v=0"));
  EXPECT_TRUE(b.ws->next("sdp"));
  b.ws->send(call_message("hangup", call_id));
  EXPECT_TRUE(a.ws->next("ended"));
  ASSERT_TRUE(stack_ctl("db-start"));
  // It recovers by itself once the database is back.
  auto back = connect_as(a.account.token);
  EXPECT_TRUE(back->open());
  EXPECT_NE(read_log().find(R"("why":"service_unavailable")"), std::string::npos);
}
