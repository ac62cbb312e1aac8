// The HTTP request/response model the handlers see, independent of FastCGI.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.h"

namespace vc {

// Request bodies larger than this are refused with 413 before being read.
constexpr size_t kMaxBodyBytes = 16 * 1024;

struct HttpRequest {
  std::string method;
  std::string path;                            // without the query string
  std::string query;                           // after the '?', still percent-encoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string remote_addr;
  std::string request_id;
  std::string body;
  size_t content_length = 0;

  std::string header(const std::string& lower_name) const;
  // The value of one cookie from the Cookie header, or "" when absent.
  std::string cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

HttpResponse json_response(int status, std::string body);
HttpResponse no_content();
// The one place an error code becomes an HTTP status.
int status_for(const Error& error);
// `{"error":{"code":..,"message":..}}` with the status for its code.
HttpResponse error_response(const Error& error);

}  // namespace vc
