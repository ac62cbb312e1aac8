// Call history of the signed-in user (rows written by ws-daemon).
#include "api_json.h"
#include "handlers.h"

namespace vc {
namespace {

constexpr int kHistoryLimit = 50;

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
    write_user(w, std::stoll(*row[2]), *row[3], *row[4]);
    write_db_time(w, "created_at", row[5]);
    write_db_time(w, "answered_at", row[6]);
    write_db_time(w, "ended_at", row[7]);
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
