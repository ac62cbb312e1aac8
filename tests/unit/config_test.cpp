#include "config.h"

#include <gtest/gtest.h>

using vc::parse_config;

TEST(Config, EmptyTextGivesDocumentedDefaults) {
  auto c = parse_config("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->session_idle_timeout_s, 12 * 3600);
  EXPECT_EQ(c->session_absolute_timeout_s, 7 * 24 * 3600);
  EXPECT_EQ(c->password_memlimit_kib, 19456u);
  EXPECT_EQ(c->password_opslimit, 2u);
  EXPECT_EQ(c->ws_allowed_origin, c->public_origin);  // defaults to the public origin
}

TEST(Config, ReadsKeysCommentsAndWhitespace) {
  auto c = parse_config(
      "# a comment\n"
      "  public_origin =  https://chat.example.org  \n"
      "\n"
      "db.socket=/run/mysqld/mysqld.sock\n"
      "db.password = p=with=equals\n"
      "fcgi.socket_mode = 0666\n"
      "log.stderr = no\n"
      "session.idle_timeout = 60\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->public_origin, "https://chat.example.org");
  EXPECT_EQ(c->db.socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(c->db.password, "p=with=equals");
  EXPECT_EQ(c->fcgi_socket_mode, 0666);
  EXPECT_FALSE(c->log_stderr);
  EXPECT_EQ(c->session_idle_timeout_s, 60);
}

TEST(Config, UnknownKeyIsAnErrorNamingTheLine) {
  auto c = parse_config("public_origin = x\nsesion.idle_timeout = 5\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("line 2"), std::string::npos);
  EXPECT_NE(c.error().message.find("sesion.idle_timeout"), std::string::npos);
}

TEST(Config, MalformedValuesAreErrors) {
  for (const char* text : {"db.port = eighty", "db.port = -1", "fcgi.threads = 0",
                           "log.stderr = maybe", "fcgi.socket_mode = 999", "log.level = loud",
                           "session.idle_timeout = 10s", "no equals sign here"}) {
    EXPECT_FALSE(parse_config(text).ok()) << text;
  }
}

TEST(Config, AbsoluteTimeoutBelowIdleIsRefused) {
  EXPECT_FALSE(parse_config("session.idle_timeout = 100\nsession.absolute_timeout = 50\n").ok());
}

TEST(Config, MissingFileIsAnError) {
  EXPECT_FALSE(vc::load_config("/nonexistent/videochat.conf").ok());
}

TEST(Config, TurnHostAndSecretGoTogether) {
  EXPECT_FALSE(parse_config("turn.host = turn.example.org\n").ok());
  EXPECT_FALSE(parse_config("turn.secret = s3cret\n").ok());
  auto c = parse_config("turn.host = turn.example.org\nturn.secret = s3cret\nturn.port = 3479\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->turn_port, 3479);
  EXPECT_EQ(c->turn_tls_port, 5349);
}

TEST(Config, ShippedExampleConfigParses) {
  auto c = vc::load_config(VC_SOURCE_DIR "/systemd/videochat.conf.example");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->fcgi_socket, "/run/videochat/fcgi.sock");
  EXPECT_EQ(c->log_file, "/var/log/videochat/videochat.log");
}

TEST(Config, IceTransportPolicyIsAllOrRelay) {
  EXPECT_EQ(parse_config("")->ice_transport_policy, "all");
  EXPECT_EQ(parse_config("ice.transport_policy = relay\n")->ice_transport_policy, "relay");
  EXPECT_FALSE(parse_config("ice.transport_policy = none\n").ok());
}
