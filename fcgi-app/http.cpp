#include "http.h"

#include <map>

#include "json.h"

namespace vc {

std::string HttpRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::cookie(std::string_view name) const {
  std::string_view all = headers.count("cookie") ? std::string_view(headers.at("cookie")) : "";
  while (!all.empty()) {
    size_t end = all.find(';');
    std::string_view pair = all.substr(0, end);
    all = end == std::string_view::npos ? "" : all.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
  }
  return "";
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

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

}  // namespace vc
