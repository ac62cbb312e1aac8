// The nginx site as browsers meet it: security headers on real responses, caching, the
// http->https redirect, TLS versions and HTTP/2.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "stack_env.h"

using namespace vc::test;

namespace {

int http_port() {
  std::ifstream ports(stack_dir() + "/ports");
  for (std::string line; std::getline(ports, line);)
    if (line.rfind("HTTP_PORT=", 0) == 0) return std::stoi(line.substr(10));
  return 0;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  return out;
}

// One TLS handshake with openssl's client; returns its report.
std::string handshake(const std::string& options) {
  return run("echo | timeout 10 openssl s_client -connect 127.0.0.1:" +
             std::to_string(https_port()) + " -servername localhost " + options);
}

void expect_security_headers(const httplib::Result& res) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Strict-Transport-Security"), "max-age=63072000");
  const std::string csp = res->get_header_value("Content-Security-Policy");
  for (const std::string& part :
       {std::string("default-src 'self'"), std::string("script-src 'self';"),
        std::string("style-src 'self';"), std::string("media-src 'self' blob:"),
        "connect-src 'self' wss://localhost:" + std::to_string(https_port()),
        std::string("frame-ancestors 'none'"), std::string("object-src 'none'")})
    EXPECT_NE(csp.find(part), std::string::npos) << part << " in " << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_NE(res->get_header_value("Permissions-Policy").find("camera=(self), microphone=(self)"),
            std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(res->get_header_value("Server"), "nginx");  // no version
}

}  // namespace

TEST(Nginx, PagesAndApiCarryTheSecurityHeaders) {
  auto c = client();
  auto page = c->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  expect_security_headers(page);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");

  auto api = c->Get("/api/me");
  expect_security_headers(api);
  EXPECT_EQ(api->get_header_value("Cache-Control"), "no-store");

  auto missing = c->Get("/no-such-page");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  expect_security_headers(missing);
}

// A browser holding yesterday's modules would speak an older protocol than the daemon's after
// an upgrade: they are checked on every load, which costs a 304 when nothing changed.
TEST(Nginx, ScriptsAndStylesAreRevalidatedOnEveryLoad) {
  auto c = client();
  for (const char* path : {"/js/main.js", "/css/app.css"}) {
    auto res = c->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache") << path;
    expect_security_headers(res);
    const std::string modified = res->get_header_value("Last-Modified");
    ASSERT_FALSE(modified.empty()) << path;
    auto again = c->Get(path, {{"If-Modified-Since", modified}});
    ASSERT_TRUE(again) << path;
    EXPECT_EQ(again->status, 304) << path;
  }
  EXPECT_EQ(c->Get("/js/main.js")->get_header_value("Content-Type"), "application/javascript");
}

TEST(Nginx, PlainHttpRedirectsToHttps) {
  httplib::Client plain("http://127.0.0.1:" + std::to_string(http_port()));
  auto res = plain.Get("/some/path?q=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 301);
  EXPECT_EQ(res->get_header_value("Location"),
            "https://127.0.0.1:" + std::to_string(https_port()) + "/some/path?q=1");
}

TEST(Nginx, SpeaksTls12And13WithHttp2AndNoOlderProtocols) {
  EXPECT_NE(handshake("-tls1_3 -alpn h2,http/1.1").find("ALPN protocol: h2"), std::string::npos);
  EXPECT_NE(handshake("-tls1_2").find("Protocol  : TLSv1.2"), std::string::npos);
  // TLS 1.1 with the client's security level lowered so that only the server can refuse it.
  std::string old = handshake("-tls1_1 -cipher DEFAULT@SECLEVEL=0");
  EXPECT_NE(old.find("alert protocol version"), std::string::npos) << old;
  EXPECT_NE(old.find("Cipher is (NONE)"), std::string::npos) << old;
  // No session tickets: the server sends none.
  EXPECT_EQ(handshake("-tls1_2").find("TLS session ticket:"), std::string::npos);
}
