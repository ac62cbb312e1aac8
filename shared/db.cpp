#include "db.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <poll.h>

#include <cstring>

#include "log.h"

namespace vc {
namespace {

// A connection idle longer than this is pinged before use, to catch silent drops.
constexpr auto kPingAfterIdle = std::chrono::seconds(60);
constexpr unsigned long kInitialColumnBuffer = 256;

bool is_connection_error(unsigned int code) {
  switch (code) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return true;
    default:
      return false;
  }
}

// An idle connection has nothing to read: if its socket is readable, the server closed it
// (restart, kill, wait_timeout). Checking costs no round trip, and means a write after a
// server restart goes to a fresh connection instead of failing.
bool closed_by_server(MYSQL* conn) {
  pollfd p{static_cast<int>(mysql_get_socket(conn)), POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace

struct Db::Outcome {
  std::optional<Error> error;
  bool connection_lost = false;
  DbRows rows;
  DbExecResult exec;
};

void db_library_init() {
  mysql_library_init(0, nullptr, nullptr);
}

Db::Db(DbConfig config) : config_(std::move(config)) {}
Db::~Db() {
  disconnect();
}

void Db::disconnect() {
  for (auto& [sql, stmt] : statements_) mysql_stmt_close(stmt);
  statements_.clear();
  if (conn_) mysql_close(conn_);
  conn_ = nullptr;
}

Error Db::error_from(unsigned int code, const char* message) {
  if (is_connection_error(code)) {
    disconnect();
    return Error{kDbUnavailable, "database unavailable"};
  }
  if (code == ER_DUP_ENTRY) return Error{kDbDuplicate, message};
  if (code == ER_LOCK_DEADLOCK) return Error{kDbDeadlock, message};
  log_event(LogLevel::error, "db", "db_error", {{"errno", code}, {"error", message}});
  // The server's message stays in logs and operator tools; HTTP handlers never show it.
  return Error{kDbError, message};
}

Status Db::ensure_connected() {
  auto now = std::chrono::steady_clock::now();
  if (conn_ &&
      (closed_by_server(conn_) || (now - last_used_ > kPingAfterIdle && mysql_ping(conn_) != 0)))
    disconnect();
  last_used_ = now;
  if (conn_) return std::nullopt;

  conn_ = mysql_init(nullptr);
  if (!conn_) return Error{kDbUnavailable, "out of memory"};
  unsigned int connect_timeout = config_.connect_timeout_s;
  unsigned int io_timeout = config_.io_timeout_s;
  mysql_options(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(conn_, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
  mysql_options(conn_, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
  mysql_options(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // All times in the database are UTC; NOW() means UTC for every query.
  mysql_options(conn_, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
  const bool use_socket = !config_.socket.empty();
  if (!mysql_real_connect(conn_, use_socket ? nullptr : config_.host.c_str(), config_.user.c_str(),
                          config_.password.c_str(), config_.name.c_str(),
                          use_socket ? 0 : config_.port,
                          use_socket ? config_.socket.c_str() : nullptr, 0)) {
    unsigned int code = mysql_errno(conn_);
    std::string message = mysql_error(conn_);
    disconnect();
    log_event(LogLevel::warn, "db", "db_connect_failed", {{"errno", code}, {"error", message}});
    return Error{kDbUnavailable, "database unavailable"};
  }
  return std::nullopt;
}

Db::Outcome Db::run(const std::string& sql, const std::vector<DbParam>& params, bool want_rows) {
  Outcome out;
  if (auto err = ensure_connected()) {
    out.error = *err;
    out.connection_lost = true;
    return out;
  }
  auto fail = [&](unsigned int code, const std::string& message) {
    out.connection_lost = is_connection_error(code);
    out.error = error_from(code, message.c_str());
    return std::move(out);
  };

  MYSQL_STMT*& stmt = statements_[sql];
  if (!stmt) {
    stmt = mysql_stmt_init(conn_);
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
      unsigned int code = mysql_stmt_errno(stmt);
      std::string message = mysql_stmt_error(stmt);
      mysql_stmt_close(stmt);
      statements_.erase(sql);
      return fail(code, message);
    }
  }

  std::vector<MYSQL_BIND> binds(params.size());
  std::vector<long long> ints(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& b = binds[i];
    std::memset(&b, 0, sizeof b);
    if (std::holds_alternative<std::nullptr_t>(params[i])) {
      b.buffer_type = MYSQL_TYPE_NULL;
    } else if (auto* n = std::get_if<int64_t>(&params[i])) {
      ints[i] = *n;
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = &ints[i];
    } else {
      const std::string& s = std::holds_alternative<std::string>(params[i])
                                 ? std::get<std::string>(params[i])
                                 : std::get<DbBlob>(params[i]).bytes;
      b.buffer_type =
          std::holds_alternative<DbBlob>(params[i]) ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
      b.buffer = const_cast<char*>(s.data());
      b.buffer_length = s.size();
    }
  }
  if (mysql_stmt_param_count(stmt) != params.size())
    return fail(0, "parameter count mismatch for: " + sql);
  if ((!binds.empty() && mysql_stmt_bind_param(stmt, binds.data())) || mysql_stmt_execute(stmt))
    return fail(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));

  if (!want_rows) {
    out.exec.affected_rows = mysql_stmt_affected_rows(stmt);
    out.exec.insert_id = mysql_stmt_insert_id(stmt);
    return out;
  }

  const unsigned int columns = mysql_stmt_field_count(stmt);
  std::vector<MYSQL_BIND> result(columns);
  std::vector<std::string> buffers(columns, std::string(kInitialColumnBuffer, '\0'));
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  for (unsigned int c = 0; c < columns; ++c) {
    std::memset(&result[c], 0, sizeof result[c]);
    result[c].buffer_type = MYSQL_TYPE_STRING;
    result[c].buffer = buffers[c].data();
    result[c].buffer_length = kInitialColumnBuffer;
    result[c].length = &lengths[c];
    result[c].is_null = &nulls[c];
  }
  if (columns > 0 && mysql_stmt_bind_result(stmt, result.data()))
    return fail(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
  for (;;) {
    int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) return fail(mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
    DbRow row(columns);
    for (unsigned int c = 0; c < columns; ++c) {
      if (nulls[c]) continue;
      if (lengths[c] <= kInitialColumnBuffer) {
        row[c] = std::string(buffers[c].data(), lengths[c]);
        continue;
      }
      // Truncated: fetch the whole value into a buffer of the right size.
      std::string big(lengths[c], '\0');
      MYSQL_BIND one;
      std::memset(&one, 0, sizeof one);
      one.buffer_type = MYSQL_TYPE_STRING;
      one.buffer = big.data();
      one.buffer_length = big.size();
      mysql_stmt_fetch_column(stmt, &one, c, 0);
      row[c] = std::move(big);
    }
    out.rows.push_back(std::move(row));
  }
  mysql_stmt_free_result(stmt);
  return out;
}

Result<DbRows> Db::query(const std::string& sql, const std::vector<DbParam>& params) {
  Outcome out = run(sql, params, true);
  if (out.error && out.connection_lost) out = run(sql, params, true);
  if (out.error) return *out.error;
  return std::move(out.rows);
}

Result<DbExecResult> Db::exec(const std::string& sql, const std::vector<DbParam>& params) {
  Outcome out = run(sql, params, false);
  if (out.error) return *out.error;
  return out.exec;
}

}  // namespace vc
