// Call history of the signed-in user (rows written by ws-daemon).
#include "handlers.h"
#include "json.h"

namespace vc {
namespace {

constexpr int kHistoryLimit = 50;

// DATETIME(3) text "YYYY-MM-DD HH:MM:SS.mmm" (UTC) as ISO-8601 "YYYY-MM-DDTHH:MM:SS.mmmZ".
void write_time(JsonWriter& w, const char* name, const std::optional<std::string>& db_time) {
  w.key(name);
  if (!db_time) return w.null();
  std::string iso = *db_time;
  if (iso.size() > 10) iso[10] = 'T';
  w.value(iso + "Z");
}

}  // namespace

HttpResponse handle_calls(RequestContext& ctx) {
  const int64_t me = ctx.session->user_id;
  auto rows = ctx.worker.db.query(
      "SELECT c.id, c.caller_id = ?, p.id, p.username, p.display_name,"
      " c.created_at, c.answered_at, c.ended_at,"
      " TIMESTAMPDIFF(SECOND, c.answered_at, c.ended_at), c.outcome, c.end_reason"
      " FROM calls c JOIN users p ON p.id = IF(c.caller_id = ?, c.callee_id, c.caller_id)"
      " WHERE c.caller_id = ? OR c.callee_id = ?"
      " ORDER BY c.created_at DESC LIMIT ?",
      {me, me, me, me, int64_t{kHistoryLimit}});
  if (!rows) return error_response(rows.error());
  JsonWriter w;
  w.start_object();
  w.key("calls");
  w.start_array();
  for (const DbRow& row : *rows) {
    w.start_object();
    w.field("id", *row[0]);
    w.field("direction", row[1] == "1" ? "outgoing" : "incoming");
    w.key("peer");
    w.start_object();
    w.field("id", static_cast<int64_t>(std::stoll(*row[2])));
    w.field("username", *row[3]);
    w.field("display_name", *row[4]);
    w.end_object();
    write_time(w, "created_at", row[5]);
    write_time(w, "answered_at", row[6]);
    write_time(w, "ended_at", row[7]);
    w.key("duration_s");
    if (row[8])
      w.value(static_cast<int64_t>(std::stoll(*row[8])));
    else
      w.null();
    w.field("outcome", *row[9]);
    w.key("end_reason");
    if (row[10])
      w.value(*row[10]);
    else
      w.null();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace vc
