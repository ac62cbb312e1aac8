#include "migrator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "log.h"

namespace vc {
namespace fs = std::filesystem;

Result<std::vector<Migration>> list_migrations(const std::string& dir) {
  static const std::regex kName(R"(^(\d{3,})_([a-z0-9_]+)\.sql$)");
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Error{"migration_error", "cannot read migrations folder " + dir};
  std::vector<Migration> out;
  std::set<int> seen;
  for (const auto& entry : it) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    std::smatch m;
    if (!std::regex_match(file, m, kName))
      return Error{"migration_error", "migration file name must be NNN_name.sql: " + file};
    int version = std::stoi(m[1].str());
    if (!seen.insert(version).second)
      return Error{"migration_error", "two migrations share version " + m[1].str()};
    out.push_back({version, m[2].str(), entry.path().string()});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

std::vector<std::string> split_sql_statements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  char quote = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    char next = i + 1 < script.size() ? script[i + 1] : '\0';
    if (quote) {
      current += c;
      if (c == '\\' && next)
        current += script[++i];
      else if (c == quote)
        quote = 0;
    } else if (c == '-' && next == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
    } else if (c == '/' && next == '*') {
      auto end = script.find("*/", i + 2);
      i = end == std::string::npos ? script.size() : end + 1;
    } else if (c == ';') {
      out.push_back(current);
      current.clear();
    } else {
      if (c == '\'' || c == '"' || c == '`') quote = c;
      current += c;
    }
  }
  out.push_back(current);
  auto blank = [](const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  };
  out.erase(std::remove_if(out.begin(), out.end(), blank), out.end());
  for (auto& s : out) s = s.substr(s.find_first_not_of(" \t\r\n"));
  return out;
}

Result<int> schema_version(Db& db) {
  auto exists = db.query(
      "SELECT COUNT(*) FROM information_schema.tables "
      "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'");
  if (!exists) return exists.error();
  if (exists->at(0).at(0).value_or("0") == "0") return 0;
  auto rows = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows) return rows.error();
  return std::stoi(rows->at(0).at(0).value_or("0"));
}

Status check_schema(Db& db) {
  auto version = schema_version(db);
  if (!version) return version.error();
  if (*version < kRequiredSchemaVersion)
    return Error{"schema_too_old", "database schema is at version " + std::to_string(*version) +
                                       " but this build needs " +
                                       std::to_string(kRequiredSchemaVersion) +
                                       ": run the migrator (make migrate) first"};
  return std::nullopt;
}

Result<int> apply_migrations(Db& db, const std::string& dir) {
  auto migrations = list_migrations(dir);
  if (!migrations) return migrations.error();
  if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INT NOT NULL PRIMARY KEY,"
                       " name VARCHAR(128) NOT NULL,"
                       " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
      !r)
    return r.error();
  // Two migrators at once (two hosts upgrading) would race on DDL; the lock serialises them.
  auto lock = db.query("SELECT GET_LOCK('videochat_migrate', 30)");
  if (!lock) return lock.error();
  if (lock->at(0).at(0).value_or("0") != "1")
    return Error{"migration_error", "another migrator holds the lock"};

  auto finish = [&db](Result<int> result) {
    db.query("SELECT RELEASE_LOCK('videochat_migrate')");
    return result;
  };
  auto applied_rows = db.query("SELECT version FROM schema_migrations");
  if (!applied_rows) return finish(applied_rows.error());
  std::set<int> applied;
  for (auto& row : *applied_rows) applied.insert(std::stoi(row.at(0).value_or("0")));

  int count = 0;
  for (const Migration& m : *migrations) {
    if (applied.count(m.version)) continue;
    std::ifstream file(m.path);
    std::stringstream text;
    text << file.rdbuf();
    for (const std::string& statement : split_sql_statements(text.str())) {
      if (auto r = db.exec(statement); !r)
        return finish(Error{"migration_error", "migration " + std::to_string(m.version) + " (" +
                                                   m.name + ") failed: " + r.error().message});
    }
    if (auto r = db.exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                         {int64_t{m.version}, m.name});
        !r)
      return finish(r.error());
    log_event(LogLevel::info, "migrate", "migration_applied",
              {{"version", m.version}, {"name", m.name}});
    ++count;
  }
  return finish(count);
}

}  // namespace vc
