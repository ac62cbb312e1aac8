#include "http.h"

#include <map>

#include "api_errors.h"
#include "db.h"
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
      {api_error::kInvalidJson, 400},        {api_error::kMissingField, 400},
      {api_error::kInvalidField, 400},       {api_error::kInvalidUsername, 400},
      {api_error::kInvalidPassword, 400},    {api_error::kInvalidDisplayName, 400},
      {api_error::kInvalidQueryString, 400}, {api_error::kInvalidQuery, 400},
      {api_error::kCannotAddSelf, 400},      {api_error::kUnauthenticated, 401},
      {api_error::kInvalidCredentials, 401}, {api_error::kBadOrigin, 403},
      {api_error::kBadContentType, 403},     {api_error::kCrossSiteRequest, 403},
      {api_error::kNotFound, 404},           {api_error::kUserNotFound, 404},
      {api_error::kMethodNotAllowed, 405},   {api_error::kUsernameTaken, 409},
      {api_error::kTooManyContacts, 409},    {api_error::kBodyTooLarge, 413},
      {api_error::kTooManyAttempts, 429},    {kDbUnavailable, 503},
  };
  auto it = kStatus.find(error.code);
  return it == kStatus.end() ? 500 : it->second;
}

HttpResponse error_response(const Error& error) {
  int status = status_for(error);
  // Internal details (database messages) stay in the log, never in the response.
  Error shown = status == 500 ? Error{api_error::kInternalError, "internal server error"} : error;
  if (shown.code == kDbUnavailable) shown.message = "service temporarily unavailable";
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
