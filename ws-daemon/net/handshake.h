// The parts of the opening handshake that need no database: which requests are refused
// outright, where the session token is, and how each refusal maps to an HTTP status.
#pragma once

#include <string>
#include <string_view>

#include "api_errors.h"
#include "error.h"

namespace vc::ws {

// Handshake refusal codes (log field `why`).
inline constexpr const char* kRefuseOrigin = "forbidden_origin";
inline constexpr const char* kRefuseVersion = "unsupported_version";
inline constexpr const char* kRefusePath = "not_found";
inline constexpr const char* kRefuseUnauthenticated = api_error::kUnauthenticated;
inline constexpr const char* kRefuseTooManyConnections = "too_many_connections";
inline constexpr const char* kRefuseUnavailable = "service_unavailable";

inline constexpr const char* kWebSocketPath = "/ws";

struct HandshakeRequest {
  std::string resource;  // request target, e.g. "/ws"
  std::string origin;
  std::string version;  // Sec-WebSocket-Version
  std::string cookie;   // the whole Cookie header
};

// The session token to look up, or the refusal. Checks run cheapest first; the Origin check
// is the defence against cross-site WebSocket hijacking, so it comes before the cookie.
Result<std::string> check_handshake(const HandshakeRequest& request,
                                    const std::string& allowed_origin);

// The one mapping from a refusal (or a DB error) to the HTTP status sent back.
int http_status_for(const Error& error);
// A complete HTTP response for a refusal decided after the request was read.
std::string refusal_response(const Error& error);

}  // namespace vc::ws
