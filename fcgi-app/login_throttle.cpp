#include "login_throttle.h"

namespace vc {

Result<int64_t> LoginThrottle::retry_after(const std::string& username, const std::string& ip) {
  auto rows = db_.query(
      "SELECT COALESCE(MAX(CEIL(TIMESTAMPDIFF(MICROSECOND, NOW(3), locked_until) / 1000000)), 0)"
      " FROM login_throttle WHERE locked_until > NOW(3)"
      " AND ((scope = 'user' AND subject = ?) OR (scope = 'ip' AND subject = ?))",
      {username, ip});
  if (!rows) return rows.error();
  return std::stoll(rows->at(0).at(0).value_or("0"));
}

Status LoginThrottle::record(const char* scope, const std::string& subject, int free_failures) {
  // MariaDB evaluates the assignments left to right, so locked_until sees the new count.
  auto r = db_.exec(
      "INSERT INTO login_throttle (scope, subject, failures, last_failure_at, locked_until)"
      " VALUES (?, ?, 1, NOW(3), NULL)"
      " ON DUPLICATE KEY UPDATE"
      " failures = IF(last_failure_at < NOW(3) - INTERVAL ? SECOND, 1, failures + 1),"
      " last_failure_at = NOW(3),"
      " locked_until = IF(failures > ?,"
      "   NOW(3) + INTERVAL LEAST(POW(2, failures - ? - 1), ?) SECOND, NULL)",
      {std::string(scope), subject, policy_.window_s, int64_t{free_failures},
       int64_t{free_failures}, policy_.max_delay_s});
  if (!r) return r.error();
  return std::nullopt;
}

Status LoginThrottle::record_failure(const std::string& username, const std::string& ip) {
  if (auto err = record("user", username, policy_.user_free_failures)) return err;
  return record("ip", ip, policy_.ip_free_failures);
}

Status LoginThrottle::record_success(const std::string& username) {
  auto r = db_.exec("DELETE FROM login_throttle WHERE scope = 'user' AND subject = ?", {username});
  if (!r) return r.error();
  return std::nullopt;
}

}  // namespace vc
