// Schema migrations: numbered files `NNN_name.sql` applied in order, each recorded in
// schema_migrations, so running the migrator twice is harmless.
#pragma once

#include <string>
#include <vector>

#include "db.h"
#include "error.h"

namespace vc {

// The schema version this build of the daemons needs. Bump it with each new migration.
constexpr int kRequiredSchemaVersion = 3;

struct Migration {
  int version = 0;
  std::string name;
  std::string path;
};

// The migration files in `dir`, ordered by version. Misnamed files and repeated versions are
// errors.
Result<std::vector<Migration>> list_migrations(const std::string& dir);
// Splits a SQL script into statements on ';' outside quotes and comments.
std::vector<std::string> split_sql_statements(const std::string& script);

// Applies what is pending; returns how many migrations ran.
Result<int> apply_migrations(Db& db, const std::string& dir);
// The highest applied version; 0 on an empty database.
Result<int> schema_version(Db& db);
// A clear error when the database is older than this build needs.
Status check_schema(Db& db);

}  // namespace vc
