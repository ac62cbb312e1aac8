#include "net/handshake.h"

#include <gtest/gtest.h>

#include "session_store.h"

using namespace vc::ws;

namespace {

const std::string kOrigin = "https://chat.example";
const std::string kToken(43, 'a');

HandshakeRequest good() {
  return {"/ws", kOrigin, "13", std::string("theme=dark; ") + vc::kSessionCookie + "=" + kToken};
}

std::string refusal(const HandshakeRequest& r) {
  auto t = check_handshake(r, kOrigin);
  return t.ok() ? "ok" : t.error().code;
}

}  // namespace

TEST(Handshake, GoodRequestYieldsTheToken) {
  auto t = check_handshake(good(), kOrigin);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kToken);
}

TEST(Handshake, OtherOriginIsForbidden) {
  for (const char* origin : {"https://evil.example", "", "null", "https://chat.example.evil",
                             "http://chat.example", "https://chat.example/"}) {
    auto r = good();
    r.origin = origin;
    EXPECT_EQ(refusal(r), kRefuseOrigin) << origin;
  }
}

TEST(Handshake, OnlyVersion13) {
  for (const char* v : {"8", "7", "", "13, 8"}) {
    auto r = good();
    r.version = v;
    EXPECT_EQ(refusal(r), kRefuseVersion) << v;
  }
}

TEST(Handshake, OtherPathsAreNotFound) {
  auto r = good();
  r.resource = "/api/ws";
  EXPECT_EQ(refusal(r), kRefusePath);
  r.resource = "/ws?x=1";
  EXPECT_EQ(refusal(r), "ok");
}

TEST(Handshake, MissingOrMalformedCookieIsUnauthenticated) {
  auto r = good();
  r.cookie = "";
  EXPECT_EQ(refusal(r), kRefuseUnauthenticated);
  r.cookie = "session=" + kToken;  // not the __Host- cookie
  EXPECT_EQ(refusal(r), kRefuseUnauthenticated);
  r.cookie = std::string(vc::kSessionCookie) + "=short";
  EXPECT_EQ(refusal(r), kRefuseUnauthenticated);
  r.cookie = std::string(vc::kSessionCookie) + "=" + std::string(43, '*');
  EXPECT_EQ(refusal(r), kRefuseUnauthenticated);
}

TEST(Handshake, OriginIsCheckedBeforeTheCookie) {
  auto r = good();
  r.origin = "https://evil.example";
  r.cookie = "";
  EXPECT_EQ(refusal(r), kRefuseOrigin);
}

TEST(Handshake, RefusalsMapToStatuses) {
  EXPECT_EQ(http_status_for({kRefuseOrigin, ""}), 403);
  EXPECT_EQ(http_status_for({kRefuseUnauthenticated, ""}), 401);
  EXPECT_EQ(http_status_for({kRefuseVersion, ""}), 426);
  EXPECT_EQ(http_status_for({kRefusePath, ""}), 404);
  EXPECT_EQ(http_status_for({kRefuseTooManyConnections, ""}), 429);
  EXPECT_EQ(http_status_for({kRefuseUnavailable, ""}), 503);
  EXPECT_EQ(http_status_for({"db_unavailable", ""}), 503);
}

TEST(Handshake, RefusalResponseIsCompleteHttp) {
  std::string r = refusal_response({kRefuseVersion, "only 13"});
  EXPECT_EQ(r.rfind("HTTP/1.1 426 Upgrade Required\r\n", 0), 0u);
  EXPECT_NE(r.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
  EXPECT_NE(r.find("Content-Length: 8\r\n\r\nonly 13\n"), std::string::npos);
}
