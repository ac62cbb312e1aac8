#include "handshake.h"

#include "session_store.h"
#include "token.h"

namespace vc::ws {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    default:
      return "Service Unavailable";
  }
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = trim(header.substr(0, end));
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name)
      return std::string(trim(pair.substr(eq + 1)));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

Result<std::string> check_handshake(const HandshakeRequest& request,
                                    const std::string& allowed_origin) {
  std::string_view path = request.resource;
  path = path.substr(0, path.find('?'));
  if (path != kWebSocketPath) return Error{kRefusePath, "no WebSocket endpoint here"};
  if (request.origin != allowed_origin)
    return Error{kRefuseOrigin, "Origin '" + request.origin.substr(0, 100) + "' is not allowed"};
  if (request.version != "13")
    return Error{kRefuseVersion, "only WebSocket version 13 is supported"};
  std::string token = cookie_value(request.cookie, kSessionCookie);
  if (token.empty()) return Error{kRefuseUnauthenticated, "no session cookie"};
  // A token we never issue would cost a DB round trip for nothing.
  if (!is_well_formed_token(token))
    return Error{kRefuseUnauthenticated, "malformed session cookie"};
  return token;
}

int http_status_for(const Error& error) {
  const std::string& code = error.code;
  if (code == kRefusePath) return 404;
  if (code == kRefuseOrigin) return 403;
  if (code == kRefuseVersion) return 426;
  if (code == kRefuseUnauthenticated) return 401;
  if (code == kRefuseTooManyConnections) return 429;
  return 503;  // database down or slow, daemon stopping
}

std::string refusal_response(const Error& error) {
  int status = http_status_for(error);
  std::string body = error.message + "\n";
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  if (status == 426) head += "Sec-WebSocket-Version: 13\r\n";
  if (status == 503) head += "Retry-After: 5\r\n";
  head += "Content-Type: text/plain\r\nCache-Control: no-store\r\nConnection: close\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return head + body;
}

}  // namespace vc::ws
