#include "net/handshake.h"

#include "session_store.h"
#include "text.h"
#include "token.h"

namespace vc::ws {

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
