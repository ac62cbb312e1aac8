// The migrator and the schema check against a real MariaDB, on scratch databases.
#include "migrator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "stack_env.h"

using namespace vc;
using namespace vc::test;
namespace fs = std::filesystem;

namespace {

// Runs SQL as the stack's administrator (the OS user, through the unix socket).
bool admin_sql(const std::string& sql) {
  std::string cmd = "mariadb --no-defaults --socket='" + stack_config().db.socket +
                    "' -u \"$(id -un)\" -e \"" + sql + "\"";
  return std::system(cmd.c_str()) == 0;
}

// A database of its own for one test, dropped afterwards.
class ScratchDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = unique_name("vc_scratch");
    ASSERT_TRUE(admin_sql("CREATE DATABASE \\`" + name_ + "\\`; GRANT ALL ON \\`" + name_ +
                          "\\`.* TO 'videochat'@'localhost'"));
    config_ = stack_config().db;
    config_.name = name_;
  }
  void TearDown() override { admin_sql("DROP DATABASE IF EXISTS \\`" + name_ + "\\`"); }

  std::string migrations_dir() { return std::string(std::getenv("VC_SRC_DIR")) + "/migrations"; }

  std::string name_;
  DbConfig config_;
};

}  // namespace

TEST_F(ScratchDatabase, MigratorAppliesEverythingOnceAndIsSafeToRunTwice) {
  Db db(config_);
  EXPECT_EQ(*schema_version(db), 0);
  auto first = apply_migrations(db, migrations_dir());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, kRequiredSchemaVersion);
  EXPECT_EQ(*schema_version(db), kRequiredSchemaVersion);
  auto second = apply_migrations(db, migrations_dir());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0);
  for (const char* table : {"users", "sessions", "login_throttle", "calls", "contacts"})
    EXPECT_TRUE(db.query(std::string("SELECT COUNT(*) FROM ") + table).ok()) << table;
  EXPECT_FALSE(check_schema(db).has_value());
}

TEST_F(ScratchDatabase, AFailingMigrationIsNotRecorded) {
  fs::path dir = fs::temp_directory_path() / ("vc-bad-migrations-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "001_good.sql") << "CREATE TABLE t1 (id INT PRIMARY KEY);";
  std::ofstream(dir / "002_bad.sql") << "CREATE TABLE t2 (id INT PRIMARY KEY); THIS IS NOT SQL;";
  Db db(config_);
  auto result = apply_migrations(db, dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("migration 2 (bad) failed"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(*schema_version(db), 1);
}

TEST_F(ScratchDatabase, DaemonRefusesToStartOnAnOlderSchemaWithAClearMessage) {
  Db db(config_);
  auto check = check_schema(db);
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->code, "schema_too_old");

  // The real binary, pointed at the empty database, exits with that message.
  std::string conf = stack_dir() + "/" + name_ + ".conf";
  {
    std::ifstream in(stack_dir() + "/videochat.conf");
    std::ofstream out(conf);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("db.name", 0) == 0) line = "db.name = " + name_;
      if (line.rfind("fcgi.socket ", 0) == 0)
        line = "fcgi.socket = " + stack_dir() + "/run/never.sock";
      out << line << "\n";
    }
  }
  // A daemon that wrongly starts is stopped by timeout (exit 124) and the test fails.
  std::string cmd = "timeout 10 " + std::string(std::getenv("VC_BUILD_DIR")) +
                    "/fcgi-app/fcgi-app -c " + conf + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  int status = ::pclose(p);
  std::remove(conf.c_str());
  EXPECT_NE(status, 0);
  EXPECT_NE(output.find("schema is at version 0 but this build needs"), std::string::npos)
      << output;
  EXPECT_FALSE(fs::exists(stack_dir() + "/run/never.sock"));
}
