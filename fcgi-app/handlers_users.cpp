// The signed-in user, and finding other users: search by name, lookup by id.
#include "api_errors.h"
#include "api_json.h"
#include "handlers.h"
#include "query_string.h"
#include "user_search.h"

namespace vc {

HttpResponse handle_me(RequestContext& ctx) {
  const SessionUser& s = *ctx.session;
  return json_response(200, user_json(s.user_id, s.username, s.display_name));
}

HttpResponse handle_user_search(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto search = parse_user_search(*query);
  if (!search) return error_response(search.error());

  SearchStatement statement = search_statement(*search, ctx.session->user_id);
  DbRows rows;
  if (!statement.sql.empty()) {
    auto found = ctx.worker.db.query(statement.sql, statement.params);
    if (!found) return error_response(found.error());
    rows = std::move(*found);
  }

  // One row more than a page was asked for: there is a next page, starting after this page.
  const bool more = static_cast<int64_t>(rows.size()) > search->limit;
  if (more) rows.resize(static_cast<size_t>(search->limit));
  JsonWriter w;
  w.start_object();
  w.key("users");
  w.start_array();
  for (const DbRow& row : rows) write_user(w, std::stoll(*row[0]), *row[1], *row[2]);
  w.end_array();
  w.key("next");
  if (more)
    w.value(*rows.back()[1]);
  else
    w.null();
  w.end_object();
  return json_response(200, w.take());
}

HttpResponse handle_user_lookup(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto id = query->positive_int("id");
  if (!id) return error_response(id.error());
  auto rows =
      ctx.worker.db.query("SELECT id, username, display_name FROM users WHERE id = ?", {*id});
  if (!rows) return error_response(rows.error());
  if (rows->empty()) return error_response({api_error::kUserNotFound, "no user has that id"});
  const DbRow& row = rows->front();
  return json_response(200, user_json(std::stoll(*row[0]), *row[1], *row[2]));
}

}  // namespace vc
