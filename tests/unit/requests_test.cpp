#include "requests.h"

#include <gtest/gtest.h>

using namespace vc;

TEST(RegisterRequest, NormalisesAndDefaultsTheDisplayName) {
  auto r = parse_register_request(R"({"username":"Ann_Lee","password":"fifteen chars!!"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->username, "ann_lee");
  EXPECT_EQ(r->display_name, "ann_lee");
  EXPECT_EQ(r->password, "fifteen chars!!");
}

TEST(RegisterRequest, EachRefusalHasItsCode) {
  const std::pair<const char*, const char*> cases[] = {
      {"{", "invalid_json"},
      {R"({"password":"fifteen chars!!"})", "missing_field"},
      {R"({"username":"ann","password":15})", "invalid_field"},
      {R"({"username":"a","password":"fifteen chars!!"})", "invalid_username"},
      {R"({"username":"ann","password":"short"})", "invalid_password"},
      {R"({"username":"ann","password":"fifteen chars!!","display_name":"\u0007"})",
       "invalid_display_name"},
      {R"({"username":"ann","password":"fifteen chars!!","display_name":5})", "invalid_field"},
  };
  for (auto [body, code] : cases) {
    auto r = parse_register_request(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, code) << body;
  }
}

TEST(LoginRequest, ImpossibleCredentialsAreMarkedNotRefused) {
  auto bad_name = parse_login_request(R"({"username":"' OR 1=1","password":"x"})");
  ASSERT_TRUE(bad_name.ok());
  EXPECT_TRUE(bad_name->impossible);
  auto too_long =
      parse_login_request(R"({"username":"ann","password":")" + std::string(129, 'p') + "\"}");
  ASSERT_TRUE(too_long.ok());
  EXPECT_TRUE(too_long->impossible);
  auto fine = parse_login_request(R"({"username":"ANN","password":"anything"})");
  ASSERT_TRUE(fine.ok());
  EXPECT_FALSE(fine->impossible);
  EXPECT_EQ(fine->username, "ann");
  EXPECT_EQ(parse_login_request(R"({"username":"ann"})").error().code, "missing_field");
}

TEST(ClientLogEntry, KeepsStatsAsJsonAndRefusesBadFields) {
  auto e =
      parse_client_log(R"({"level":"error","event":"gum_failed","call_id":"a-1","stats":{"x":1}})");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->stats_json, R"({"x":1})");
  EXPECT_EQ(e->call_id, "a-1");
  EXPECT_EQ(e->message, "");
  for (const char* body : {R"({"level":"fatal","event":"x"})", R"({"level":"info","event":""})",
                           R"({"level":"info","event":"x","call_id":"a b"})",
                           R"({"level":"info","event":"x","stats":"s"})"}) {
    auto r = parse_client_log(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, "invalid_field") << body;
  }
}

TEST(ClientLogEntry, CandidatePairMustBeCandidateTypes) {
  auto ok = parse_client_log(
      R"({"level":"info","event":"call_quality","stats":{"candidate_pair":"relay/srflx"}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->candidate_pair, "relay/srflx");
  EXPECT_TRUE(
      parse_client_log(R"({"level":"info","event":"x","stats":{"candidate_pair":"host"}})").ok());
  for (const char* pair : {"\"turn/host\"", "\"relay/\"", "7", "\"relay/host/x\""}) {
    auto r = parse_client_log(
        std::string(R"({"level":"info","event":"x","stats":{"candidate_pair":)") + pair + "}}");
    EXPECT_FALSE(r.ok()) << pair;
  }
}

TEST(AddContactRequest, TakesAPositiveIntegerUserId) {
  auto r = parse_add_contact_request(R"({"user_id":42})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->user_id, 42);
  const std::pair<const char*, const char*> cases[] = {
      {"", "invalid_json"},
      {"[42]", "invalid_json"},
      {"{}", "missing_field"},
      {R"({"user_id":"42"})", "invalid_field"},
      {R"({"user_id":4.5})", "invalid_field"},
      {R"({"user_id":null})", "invalid_field"},
      {R"({"user_id":0})", "invalid_field"},
      {R"({"user_id":-3})", "invalid_field"},
      {R"({"user_id":18446744073709551615})", "invalid_field"},
  };
  for (auto [body, code] : cases) {
    auto bad = parse_add_contact_request(body);
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(bad.error().code, code) << body;
  }
}
