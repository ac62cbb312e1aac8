// One MariaDB connection, used by one thread only (never shared: Connector/C handles are
// not thread-safe). Prepared statements only, cached per connection; reconnects by itself
// after the server went away.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config.h"
#include "error.h"

typedef struct st_mysql MYSQL;
typedef struct st_mysql_stmt MYSQL_STMT;

namespace vc {

// Error codes a Db call can return (Error::code).
inline constexpr const char* kDbUnavailable = "db_unavailable";  // server down or unreachable
inline constexpr const char* kDbDuplicate = "db_duplicate";      // unique key violated
inline constexpr const char* kDbDeadlock = "db_deadlock";        // rolled back by InnoDB: try again
inline constexpr const char* kDbError = "db_error";              // anything else

struct DbBlob {
  std::string bytes;  // sent as binary, never converted as text
};
using DbParam = std::variant<std::nullptr_t, int64_t, std::string, DbBlob>;
using DbRow = std::vector<std::optional<std::string>>;  // every column as text (or NULL)
using DbRows = std::vector<DbRow>;

struct DbExecResult {
  uint64_t affected_rows = 0;
  uint64_t insert_id = 0;
};

// Call once in main() before starting threads.
void db_library_init();

class Db {
 public:
  explicit Db(DbConfig config);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // A statement that reads. Retried once on a fresh connection if the old one was dead.
  Result<DbRows> query(const std::string& sql, const std::vector<DbParam>& params = {});
  // A statement that writes. Never retried: a lost connection may have applied it.
  Result<DbExecResult> exec(const std::string& sql, const std::vector<DbParam>& params = {});

  void disconnect();

 private:
  struct Outcome;
  Status ensure_connected();
  Outcome run(const std::string& sql, const std::vector<DbParam>& params, bool want_rows);
  Error error_from(unsigned int code, const char* message);

  DbConfig config_;
  MYSQL* conn_ = nullptr;
  std::map<std::string, MYSQL_STMT*> statements_;
  std::chrono::steady_clock::time_point last_used_{};
};

}  // namespace vc
