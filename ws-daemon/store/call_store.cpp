#include "store/call_store.h"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "utc_time.h"

namespace vc::ws {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<int64_t> parse_db_time(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  int n = std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis);
  if (n < 6) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

std::string new_call_id() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

Status save_call(Db& db, const CallRecord& call) {
  auto time_or_null = [](const std::optional<int64_t>& ms) -> DbParam {
    if (!ms) return nullptr;
    return format_utc_ms(*ms);
  };
  DbParam reason = call.end_reason.empty() ? DbParam(nullptr) : DbParam(call.end_reason);
  auto r = db.exec(
      "INSERT INTO calls (id, caller_id, callee_id, created_at, answered_at, ended_at, outcome,"
      " end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      " ON DUPLICATE KEY UPDATE answered_at = VALUES(answered_at), ended_at = VALUES(ended_at),"
      " outcome = VALUES(outcome), end_reason = VALUES(end_reason)",
      {call.id, call.caller_id, call.callee_id, format_utc_ms(call.created_at_ms),
       time_or_null(call.answered_at_ms), time_or_null(call.ended_at_ms), call.outcome, reason});
  if (!r) return r.error();
  return std::nullopt;
}

Result<std::vector<CallRecord>> recover_calls(Db& db) {
  auto ended = db.exec(
      "UPDATE calls SET outcome = 'missed', end_reason = 'server-restart', ended_at = NOW(3)"
      " WHERE outcome = 'ringing'");
  if (!ended) return ended.error();
  auto rows = db.query(
      "SELECT id, caller_id, callee_id, created_at, answered_at FROM calls"
      " WHERE outcome = 'active'");
  if (!rows) return rows.error();
  std::vector<CallRecord> calls;
  for (const DbRow& row : *rows) {
    CallRecord c;
    c.id = *row[0];
    c.caller_id = std::stoll(*row[1]);
    c.callee_id = std::stoll(*row[2]);
    c.created_at_ms = parse_db_time(*row[3]).value_or(0);
    if (row[4]) c.answered_at_ms = parse_db_time(*row[4]);
    c.outcome = "active";
    calls.push_back(std::move(c));
  }
  return calls;
}

}  // namespace vc::ws
