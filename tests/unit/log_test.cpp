#include "log.h"

#include <gtest/gtest.h>

#include "json.h"

TEST(Log, LineIsOneJsonObjectWithTimestampLevelComponentAndEvent) {
  std::string line = vc::format_log_line(
      1764100000123, vc::LogLevel::warn, "fcgi", "login_failed",
      {{"remote_ip", "127.0.0.1"}, {"status", 401}, {"ms", 1.5}, {"ok", false}});
  EXPECT_EQ(line,
            R"({"ts":"2025-11-25T19:46:40.123Z","level":"warn","component":"fcgi",)"
            R"("event":"login_failed","remote_ip":"127.0.0.1","status":401,"ms":1.5,"ok":false})");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_TRUE(vc::JsonObject::parse(line).ok());
}

TEST(Log, HostileFieldTextStaysInsideItsString) {
  std::string line = vc::format_log_line(0, vc::LogLevel::info, "t", "e",
                                         {{"path", "/x\"}\n{\"level\":\"error\""}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto parsed = vc::JsonObject::parse(line);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->string_field("level"), "info");
  EXPECT_EQ(*parsed->string_field("path"), "/x\"}\n{\"level\":\"error\"");
}

TEST(Log, ParsesLevelNames) {
  vc::LogLevel l = vc::LogLevel::info;
  EXPECT_TRUE(vc::parse_log_level("error", l));
  EXPECT_EQ(l, vc::LogLevel::error);
  EXPECT_FALSE(vc::parse_log_level("verbose", l));
}
