// Log rotation as logrotate does it: move the file away, send SIGHUP; each daemon reopens the
// configured path, so lines written after the move land in the new file and none are lost.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "stack_env.h"

using namespace vc::test;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

pid_t daemon_pid(const std::string& name) {
  std::ifstream f(stack_dir() + "/run/" + name + ".pid");
  pid_t pid = 0;
  f >> pid;
  return pid;
}

// Waits (bounded) until `path` contains `needle`.
bool eventually_contains(const fs::path& path, const std::string& needle) {
  for (int i = 0; i < 50; ++i) {
    if (slurp(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST(LogRotation, SighupReopensTheLogFileWithoutLosingLines) {
  const fs::path log = stack_dir() + "/log/videochat.log";
  const fs::path rotated = stack_dir() + "/log/videochat.log.1";
  ASSERT_TRUE(fs::exists(log));
  auto c = client();
  const std::string before = "/api/before-rotation-" + unique_name("x");
  c->Get(before.c_str());
  ASSERT_TRUE(eventually_contains(log, before));

  fs::rename(log, rotated);
  // Written after the move but before the signal: goes to the moved file, as with logrotate.
  const std::string between = "/api/between-" + unique_name("x");
  c->Get(between.c_str());
  for (const char* name : {"fcgi-app", "ws-daemon"}) {
    pid_t pid = daemon_pid(name);
    ASSERT_GT(pid, 0) << name;
    ASSERT_EQ(::kill(pid, SIGHUP), 0) << name;
  }
  ASSERT_TRUE(eventually_contains(log, "\"log_reopened\""));
  const std::string after = "/api/after-rotation-" + unique_name("x");
  c->Get(after.c_str());

  EXPECT_TRUE(eventually_contains(log, after));
  EXPECT_TRUE(eventually_contains(rotated, before));
  EXPECT_TRUE(eventually_contains(rotated, between));
  EXPECT_EQ(slurp(log).find(before), std::string::npos);
  // Both daemons reopened (each logs it once).
  const std::string fresh = slurp(log);
  EXPECT_NE(fresh.find(R"("component":"fcgi","event":"log_reopened")"), std::string::npos);
  EXPECT_NE(fresh.find(R"("component":"ws","event":"log_reopened")"), std::string::npos);
  // Every line in both files is whole JSON (nothing torn by the switch).
  for (const fs::path& p : {log, rotated}) {
    std::istringstream lines(slurp(p));
    for (std::string line; std::getline(lines, line);)
      EXPECT_TRUE(line.front() == '{' && line.back() == '}') << p << ": " << line;
  }
}
