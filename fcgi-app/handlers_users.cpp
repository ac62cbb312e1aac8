// The signed-in user and the user directory.
#include "handlers.h"
#include "json.h"

namespace vc {

HttpResponse handle_me(RequestContext& ctx) {
  const SessionUser& s = *ctx.session;
  return json_response(200, user_json(s.user_id, s.username, s.display_name));
}

HttpResponse handle_users(RequestContext& ctx) {
  auto rows = ctx.worker.db.query(
      "SELECT id, username, display_name FROM users WHERE id <> ? ORDER BY username LIMIT 1000",
      {ctx.session->user_id});
  if (!rows) return error_response(rows.error());
  JsonWriter w;
  w.start_object();
  w.key("users");
  w.start_array();
  for (const DbRow& row : *rows) {
    w.start_object();
    w.field("id", static_cast<int64_t>(std::stoll(*row[0])));
    w.field("username", *row[1]);
    w.field("display_name", *row[2]);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace vc
