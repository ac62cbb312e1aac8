#include "http.h"

#include <map>

#include "json.h"
#include "text.h"

namespace vc {

std::string HttpRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::cookie(std::string_view name) const {
  return cookie_value(header("cookie"), name);
}

HttpResponse json_response(int status, std::string body) {
  return HttpResponse{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

HttpResponse no_content() {
  return HttpResponse{204, {}, ""};
}

int status_for(const Error& error) {
  static const std::map<std::string, int> kStatus = {
      {"invalid_json", 400},       {"missing_field", 400},       {"invalid_field", 400},
      {"invalid_username", 400},   {"invalid_password", 400},    {"invalid_display_name", 400},
      {"unauthenticated", 401},    {"invalid_credentials", 401}, {"bad_origin", 403},
      {"bad_content_type", 403},   {"cross_site_request", 403},  {"not_found", 404},
      {"method_not_allowed", 405}, {"username_taken", 409},      {"body_too_large", 413},
      {"too_many_attempts", 429},  {"db_unavailable", 503},
  };
  auto it = kStatus.find(error.code);
  return it == kStatus.end() ? 500 : it->second;
}

HttpResponse error_response(const Error& error) {
  int status = status_for(error);
  // Internal details (database messages) stay in the log, never in the response.
  Error shown = status == 500 ? Error{"internal_error", "internal server error"} : error;
  if (shown.code == "db_unavailable") shown.message = "service temporarily unavailable";
  JsonWriter w;
  w.start_object();
  w.key("error");
  w.start_object();
  w.field("code", shown.code);
  w.field("message", shown.message);
  w.end_object();
  w.end_object();
  return json_response(status, w.take());
}

}  // namespace vc
