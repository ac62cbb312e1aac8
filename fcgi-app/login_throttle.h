// Growing delays after failed logins, per username and per client IP, kept in the DB so
// they hold across worker threads and restarts. The first few failures are free; after
// that each failure doubles the lockout (1 s, 2 s, 4 s, ...) up to a cap. Failures older
// than the window are forgotten.
#pragma once

#include <cstdint>
#include <string>

#include "config.h"
#include "db.h"
#include "error.h"

namespace vc {

struct ThrottlePolicy {
  int user_free_failures;
  int ip_free_failures;
  int64_t max_delay_s;
  int64_t window_s;
  static ThrottlePolicy from(const Config& c) {
    return {c.throttle_user_free_failures, c.throttle_ip_free_failures, c.throttle_max_delay_s,
            c.throttle_window_s};
  }
};

class LoginThrottle {
 public:
  LoginThrottle(Db& db, ThrottlePolicy policy) : db_(db), policy_(policy) {}

  // Seconds to wait before the next attempt for this username or IP; 0 when allowed now.
  Result<int64_t> retry_after(const std::string& username, const std::string& ip);
  Status record_failure(const std::string& username, const std::string& ip);
  // A successful login clears the username's record (not the IP's: one good password
  // must not unlock guessing at other accounts).
  Status record_success(const std::string& username);

 private:
  Status record(const char* scope, const std::string& subject, int free_failures);
  Db& db_;
  ThrottlePolicy policy_;
};

}  // namespace vc
