// One function per API endpoint; registered in routes.cpp.
#pragma once

#include "routes.h"

namespace vc {

HttpResponse handle_register(RequestContext& ctx);
HttpResponse handle_login(RequestContext& ctx);
HttpResponse handle_logout(RequestContext& ctx);
HttpResponse handle_logout_all(RequestContext& ctx);
HttpResponse handle_me(RequestContext& ctx);
HttpResponse handle_users(RequestContext& ctx);
HttpResponse handle_calls(RequestContext& ctx);
HttpResponse handle_ice_servers(RequestContext& ctx);
HttpResponse handle_client_log(RequestContext& ctx);

// `{"user":{...}}` as the auth endpoints return it.
std::string user_json(int64_t id, const std::string& username, const std::string& display_name);

}  // namespace vc
