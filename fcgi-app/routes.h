// The routes table and the checks every request passes before its handler:
// parse -> size limit -> CSRF (for POST and DELETE) -> authentication (where needed) -> handler.
#pragma once

#include <optional>

#include "http.h"
#include "session_store.h"
#include "worker.h"

namespace vc {

struct RequestContext {
  Worker& worker;
  const HttpRequest& request;
  std::optional<SessionUser> session;  // set for routes that require authentication
};

using Handler = HttpResponse (*)(RequestContext&);

struct Route {
  const char* method;
  const char* path;
  Handler handler;
  bool requires_auth;
};

HttpResponse dispatch(Worker& worker, const HttpRequest& request);

// Refuses a state-changing request that a browser would only send cross-site:
// the configured Origin, no Sec-Fetch-Site: cross-site, and a JSON content type for a POST or
// any request with a body.
Status check_csrf(const HttpRequest& request, const std::string& public_origin);

}  // namespace vc
