#include "migrator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

TEST(Migrator, SplitsStatementsOutsideQuotesAndComments) {
  auto s = vc::split_sql_statements(
      "-- header; with a semicolon\n"
      "CREATE TABLE a (x INT);\n"
      "/* block; comment */ INSERT INTO a VALUES (';'), (\"x;y\"), ('it\\'s;');\n"
      "  \n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], "CREATE TABLE a (x INT)");
  EXPECT_EQ(s[1], "INSERT INTO a VALUES (';'), (\"x;y\"), ('it\\'s;')");
}

TEST(Migrator, ShippedMigrationsAreOrderedAndReachTheRequiredVersion) {
  auto list = vc::list_migrations(VC_SOURCE_DIR "/migrations");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_FALSE(list->empty());
  for (size_t i = 1; i < list->size(); ++i) EXPECT_LT((*list)[i - 1].version, (*list)[i].version);
  EXPECT_EQ(list->back().version, vc::kRequiredSchemaVersion);
}

class MigrationDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vc-migrations-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void touch(const std::string& name) { std::ofstream(dir_ / name) << "SELECT 1;"; }
  fs::path dir_;
};

TEST_F(MigrationDir, SortsNumerically) {
  touch("010_later.sql");
  touch("002_second.sql");
  touch("001_first.sql");
  touch("README.md");  // not a migration: ignored
  auto list = vc::list_migrations(dir_.string());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "first");
  EXPECT_EQ((*list)[2].version, 10);
}

TEST_F(MigrationDir, RepeatedVersionIsAnError) {
  touch("001_a.sql");
  touch("001_b.sql");
  EXPECT_FALSE(vc::list_migrations(dir_.string()).ok());
}

TEST_F(MigrationDir, MisnamedFileIsAnError) {
  touch("1-Init.sql");
  EXPECT_FALSE(vc::list_migrations(dir_.string()).ok());
}
