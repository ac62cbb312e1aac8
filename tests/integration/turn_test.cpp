// The TURN relay: credentials from GET /api/ice-servers against the stack's real coturn,
// exercised with coturn's own client (turnutils_uclient: allocate, permit, relay, echo).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "json.h"
#include "stack_env.h"
#include "turn_credentials.h"

using namespace vc;
using namespace vc::test;

namespace {

struct RelayRun {
  int exit_code = -1;
  std::string output;
};

// Allocates a relay on the stack's coturn and bounces 20 messages through it between two
// loopback clients. Exit code 0 only when the allocation succeeded.
RelayRun relay(const std::string& username, const std::string& credential) {
  std::string cmd = "timeout 30 turnutils_uclient -u '" + username + "' -w '" + credential +
                    "' -p " + std::to_string(stack_config().turn_port) +
                    " -n 5 -m 1 -l 100 -y -e 127.0.0.1 127.0.0.1 2>&1";
  RelayRun run;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return run;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) run.output.append(buf, n);
  int status = ::pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST(Turn, IceServersOfferStunAndTurnWithEphemeralCredentials) {
  LoggedIn u = register_and_login("turnuser");
  auto res = client()->Get("/api/ice-servers", browser_headers(u.token));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const Config& c = stack_config();
  const std::string host = c.turn_host + ":";
  EXPECT_NE(res->body.find(R"({"urls":"stun:)" + host + std::to_string(c.turn_port) + "\"}"),
            std::string::npos);
  for (const std::string& url :
       {"turn:" + host + std::to_string(c.turn_port) + "?transport=udp",
        "turn:" + host + std::to_string(c.turn_port) + "?transport=tcp",
        "turns:" + host + std::to_string(c.turn_tls_port) + "?transport=tcp"})
    EXPECT_NE(res->body.find('"' + url + '"'), std::string::npos) << url;
  // The secret itself never reaches the browser.
  EXPECT_EQ(res->body.find(c.turn_secret), std::string::npos);

  // username is "<expiry>:<user id>", expiring one TTL from now; the credential is its HMAC.
  auto at = res->body.find(R"("username":")");
  ASSERT_NE(at, std::string::npos);
  std::string username = res->body.substr(at + 12, res->body.find('"', at + 12) - at - 12);
  auto colon = username.find(':');
  ASSERT_NE(colon, std::string::npos);
  EXPECT_EQ(username.substr(colon + 1), std::to_string(u.user_id));
  int64_t expiry = std::stoll(username.substr(0, colon));
  EXPECT_NEAR(static_cast<double>(expiry), static_cast<double>(now_unix() + c.ice_ttl_s), 60);
  auto expected =
      make_turn_credentials(c.turn_secret, u.user_id, expiry - c.ice_ttl_s, c.ice_ttl_s);
  EXPECT_NE(res->body.find(R"("credential":")" + expected.credential + "\""), std::string::npos);

  // The relay carries UDP, and on a loaded machine a datagram may be dropped now and then; a
  // relay that refuses these credentials or does not relay never delivers all 20. So: all 20
  // in one of at most three runs.
  RelayRun run;
  for (int attempt = 0; attempt < 3; ++attempt) {
    run = relay(username, expected.credential);
    if (run.exit_code == 0 && run.output.find("tot_recv_msgs=20") != std::string::npos) break;
  }
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("tot_recv_msgs=20"), std::string::npos) << run.output;
}

TEST(Turn, CoturnRefusesExpiredCredentials) {
  const Config& c = stack_config();
  auto expired = make_turn_credentials(c.turn_secret, 7, now_unix() - 2 * 3600, 3600);
  RelayRun run = relay(expired.username, expired.credential);
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Cannot complete Allocation"), std::string::npos) << run.output;
}

TEST(Turn, CoturnRefusesCredentialsMadeWithAnotherSecret) {
  auto forged = make_turn_credentials("not-the-shared-secret", 7, now_unix(), 3600);
  RelayRun run = relay(forged.username, forged.credential);
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Cannot complete Allocation"), std::string::npos) << run.output;
}
