#include "routes.h"

#include "api_errors.h"
#include "handlers.h"

namespace vc {
namespace {

const Route kRoutes[] = {
    {"POST", "/api/register", handle_register, false},
    {"POST", "/api/login", handle_login, false},
    {"POST", "/api/logout", handle_logout, true},
    {"POST", "/api/logout-all", handle_logout_all, true},
    {"GET", "/api/me", handle_me, true},
    {"GET", "/api/users/search", handle_user_search, true},
    {"GET", "/api/users/lookup", handle_user_lookup, true},
    {"GET", "/api/contacts", handle_contacts, true},
    {"POST", "/api/contacts", handle_add_contact, true},
    {"DELETE", "/api/contacts", handle_remove_contact, true},
    {"GET", "/api/calls", handle_calls, true},
    {"GET", "/api/ice-servers", handle_ice_servers, true},
    {"POST", "/api/client-log", handle_client_log, true},
};

bool is_json_content_type(const std::string& value) {
  std::string media = value.substr(0, value.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json";
}

}  // namespace

Status check_csrf(const HttpRequest& request, const std::string& public_origin) {
  // A body is only read as JSON; a DELETE names its target in the query string and has none.
  const bool has_body = request.method == "POST" || request.content_length > 0;
  if (has_body && !is_json_content_type(request.header("content-type")))
    return Error{api_error::kBadContentType, "Content-Type must be application/json"};
  if (request.header("origin") != public_origin)
    return Error{api_error::kBadOrigin, "request Origin is not allowed"};
  if (request.header("sec-fetch-site") == "cross-site")
    return Error{api_error::kCrossSiteRequest, "cross-site requests are not allowed"};
  return std::nullopt;
}

HttpResponse dispatch(Worker& worker, const HttpRequest& request) {
  const Route* route = nullptr;
  bool path_known = false;
  for (const Route& r : kRoutes) {
    if (request.path != r.path) continue;
    path_known = true;
    if (request.method == r.method) route = &r;
  }
  if (!route) {
    if (!path_known) return error_response({api_error::kNotFound, "no such endpoint"});
    HttpResponse response = error_response({api_error::kMethodNotAllowed, "method not allowed"});
    for (const Route& r : kRoutes)
      if (request.path == r.path) response.headers.emplace_back("Allow", r.method);
    return response;
  }
  if (request.content_length > kMaxBodyBytes)
    return error_response({api_error::kBodyTooLarge, "request body must be at most 16 KiB"});
  if (request.method != "GET") {  // every other route changes state
    if (auto err = check_csrf(request, worker.config.public_origin)) return error_response(*err);
  }
  RequestContext ctx{worker, request, std::nullopt};
  if (route->requires_auth) {
    auto session = worker.sessions.authenticate(request.cookie(kSessionCookie));
    if (!session) return error_response(session.error());
    ctx.session = *session;
  }
  return route->handler(ctx);
}

}  // namespace vc
