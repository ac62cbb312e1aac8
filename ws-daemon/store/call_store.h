// The calls table. Called on DB worker threads only (see db_workers.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db.h"
#include "error.h"

namespace vc::ws {

// What the table holds about one call; times are milliseconds since the epoch (UTC).
struct CallRecord {
  std::string id;
  int64_t caller_id = 0;
  int64_t callee_id = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> answered_at_ms;
  std::optional<int64_t> ended_at_ms;
  std::string outcome;     // ringing, active, ended, declined, cancelled, missed, busy
  std::string end_reason;  // "" while the call lasts
};

// Writes the whole record (insert or update). Each write carries the complete state, so a
// write lost while the database was down is made good by the call's next one.
Status save_call(Db& db, const CallRecord& call);

// At startup, before serving: calls left ringing by a previous run can no longer be answered
// and become missed ("server-restart"); calls left active are returned so that their parties
// can `resume` them.
Result<std::vector<CallRecord>> recover_calls(Db& db);

// "2024-01-02 03:04:05.678" (UTC, as utc_time.h formats it) back to milliseconds.
std::optional<int64_t> parse_db_time(const std::string& text);
int64_t now_ms();

// A random (version 4) UUID, the call id.
std::string new_call_id();

}  // namespace vc::ws
