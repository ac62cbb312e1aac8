// The signed-in user, and finding other users: search by name, lookup by id.
#include "api_errors.h"
#include "api_json.h"
#include "handlers.h"
#include "query_string.h"
#include "user_search.h"

namespace vc {
namespace {

// One branch of the search: the users a condition matches after `after`, by username. Each
// branch sorts and stops on its own, so each can use its own index (the username's unique key
// for the prefix, the FULLTEXT index for the words).
void add_search_branch(std::string& sql, std::vector<DbParam>& params, const char* condition,
                       const std::string& term, const UserSearch& search, int64_t me) {
  if (!sql.empty()) sql += " UNION ";
  sql += std::string("(SELECT id, username, display_name FROM users WHERE ") + condition +
         " AND username > ? AND id <> ? ORDER BY username LIMIT ?)";
  params.emplace_back(term);
  params.emplace_back(search.after);
  params.emplace_back(me);
  params.emplace_back(search.limit + 1);
}

}  // namespace

HttpResponse handle_me(RequestContext& ctx) {
  const SessionUser& s = *ctx.session;
  return json_response(200, user_json(s.user_id, s.username, s.display_name));
}

HttpResponse handle_user_search(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto search = parse_user_search(*query);
  if (!search) return error_response(search.error());

  std::string sql;
  std::vector<DbParam> params;
  const int64_t me = ctx.session->user_id;
  if (!search->username_pattern.empty())
    add_search_branch(sql, params, "username LIKE ? ESCAPE '\\\\'", search->username_pattern,
                      *search, me);
  if (!search->fulltext_terms.empty())
    add_search_branch(sql, params, "MATCH (display_name) AGAINST (? IN BOOLEAN MODE)",
                      search->fulltext_terms, *search, me);
  DbRows rows;
  if (!sql.empty()) {  // else q can match nothing: "%%", or only short words of odd characters
    sql += " ORDER BY username LIMIT ?";
    params.emplace_back(search->limit + 1);
    auto found = ctx.worker.db.query(sql, params);
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
