// The signed-in user's contacts: the favourites they chose, then the people they called or were
// called by most recently.
#include "api_errors.h"
#include "api_json.h"
#include "handlers.h"
#include "log.h"
#include "query_string.h"
#include "requests.h"

namespace vc {
namespace {

// Recent call partners listed beside the favourites.
constexpr int64_t kRecentPartners = 20;
// Favourites one user may keep; the list is sent whole on every GET /api/contacts. With the
// recent partners it stays within the 500 users a page may follow the presence of
// (ws-daemon's kMaxWatchedUsers), so every contact listed can show whether it is online.
constexpr int64_t kMaxFavourites = 500 - kRecentPartners;

// Everyone the user (bound twice) had a call with, and when the latest one began.
constexpr const char* kPartners =
    "WITH partners AS (SELECT partner_id, MAX(created_at) AS last_call_at FROM ("
    " SELECT callee_id AS partner_id, created_at FROM calls WHERE caller_id = ?"
    " UNION ALL SELECT caller_id, created_at FROM calls WHERE callee_id = ?) AS c"
    " GROUP BY partner_id) ";

// Rows of (id, username, display_name, last_call_at) as contacts.
void write_contacts(JsonWriter& w, const DbRows& rows, bool favourite) {
  for (const DbRow& row : rows) {
    w.start_object();
    w.field("id", static_cast<int64_t>(std::stoll(*row[0])));
    w.field("username", *row[1]);
    w.field("display_name", *row[2]);
    w.field("favourite", favourite);
    write_db_time(w, "last_call_at", row[3]);
    w.end_object();
  }
}

}  // namespace

HttpResponse handle_contacts(RequestContext& ctx) {
  const int64_t me = ctx.session->user_id;
  Db& db = ctx.worker.db;
  auto favourites =
      db.query(std::string(kPartners) +
                   "SELECT u.id, u.username, u.display_name, p.last_call_at FROM contacts f"
                   " JOIN users u ON u.id = f.contact_id"
                   " LEFT JOIN partners p ON p.partner_id = f.contact_id"
                   " WHERE f.user_id = ? ORDER BY u.display_name, u.username",
               {me, me, me});
  if (!favourites) return error_response(favourites.error());
  auto recent = db.query(std::string(kPartners) +
                             "SELECT u.id, u.username, u.display_name, p.last_call_at"
                             " FROM partners p JOIN users u ON u.id = p.partner_id"
                             " WHERE p.partner_id <> ? AND NOT EXISTS (SELECT 1 FROM contacts f"
                             "   WHERE f.user_id = ? AND f.contact_id = p.partner_id)"
                             " ORDER BY p.last_call_at DESC, u.username LIMIT ?",
                         {me, me, me, me, kRecentPartners});
  if (!recent) return error_response(recent.error());

  JsonWriter w;
  w.start_object();
  w.key("contacts");
  w.start_array();
  write_contacts(w, *favourites, true);
  write_contacts(w, *recent, false);
  w.end_array();
  w.end_object();
  return json_response(200, w.take());
}

HttpResponse handle_add_contact(RequestContext& ctx) {
  auto request = parse_add_contact_request(ctx.request.body);
  if (!request) return error_response(request.error());
  const int64_t me = ctx.session->user_id;
  const int64_t them = request->user_id;
  if (them == me)
    return error_response({api_error::kCannotAddSelf, "you cannot add yourself as a contact"});

  Db& db = ctx.worker.db;
  auto user = db.query(
      "SELECT u.id, u.username, u.display_name, (SELECT MAX(created_at) FROM calls"
      "   WHERE (caller_id = ? AND callee_id = u.id) OR (caller_id = u.id AND callee_id = ?))"
      " FROM users u WHERE u.id = ?",
      {me, me, them});
  if (!user) return error_response(user.error());
  if (user->empty()) return error_response({api_error::kUserNotFound, "no user has that id"});

  // One statement counts and inserts, so parallel requests cannot pass the cap together; a
  // favourite that is already there is left as it is. Two at once can deadlock on the count's
  // range locks: InnoDB rolls one back whole, and running it again is safe.
  auto add = [&] {
    return db.exec(
        "INSERT INTO contacts (user_id, contact_id, created_at)"
        " SELECT ?, ?, NOW(3) FROM DUAL WHERE (SELECT COUNT(*) FROM contacts WHERE user_id = ?) < ?"
        " ON DUPLICATE KEY UPDATE contact_id = contact_id",
        {me, them, me, kMaxFavourites});
  };
  auto inserted = add();
  for (int retry = 0; retry < 2 && !inserted && inserted.error().code == kDbDeadlock; ++retry)
    inserted = add();
  if (!inserted) return error_response(inserted.error());
  if (inserted->affected_rows == 0) {
    auto present =
        db.query("SELECT 1 FROM contacts WHERE user_id = ? AND contact_id = ?", {me, them});
    if (!present) return error_response(present.error());
    if (present->empty())
      return error_response(
          {api_error::kTooManyContacts,
           "at most " + std::to_string(kMaxFavourites) + " favourites: remove one to add another"});
  } else {
    log_event(LogLevel::info, "fcgi", "contact_added",
              {{"request_id", ctx.request.request_id}, {"user_id", me}, {"contact_id", them}});
  }

  JsonWriter w;
  w.start_object();
  w.key("contact");
  write_contacts(w, *user, true);
  w.end_object();
  return json_response(200, w.take());
}

HttpResponse handle_remove_contact(RequestContext& ctx) {
  auto query = QueryParams::parse(ctx.request.query);
  if (!query) return error_response(query.error());
  auto them = query->positive_int("user_id");
  if (!them) return error_response(them.error());
  const int64_t me = ctx.session->user_id;
  auto deleted =
      ctx.worker.db.exec("DELETE FROM contacts WHERE user_id = ? AND contact_id = ?", {me, *them});
  if (!deleted) return error_response(deleted.error());
  if (deleted->affected_rows > 0)
    log_event(LogLevel::info, "fcgi", "contact_removed",
              {{"request_id", ctx.request.request_id}, {"user_id", me}, {"contact_id", *them}});
  return json_response(200, "{}");
}

}  // namespace vc
