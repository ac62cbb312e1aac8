// One function per API endpoint; registered in routes.cpp.
#pragma once

#include "routes.h"

namespace vc {

HttpResponse handle_register(RequestContext& ctx);
HttpResponse handle_login(RequestContext& ctx);
HttpResponse handle_logout(RequestContext& ctx);
HttpResponse handle_logout_all(RequestContext& ctx);
HttpResponse handle_me(RequestContext& ctx);
HttpResponse handle_user_search(RequestContext& ctx);
HttpResponse handle_user_lookup(RequestContext& ctx);
HttpResponse handle_contacts(RequestContext& ctx);
HttpResponse handle_add_contact(RequestContext& ctx);
HttpResponse handle_remove_contact(RequestContext& ctx);
HttpResponse handle_calls(RequestContext& ctx);
HttpResponse handle_ice_servers(RequestContext& ctx);
HttpResponse handle_client_log(RequestContext& ctx);

}  // namespace vc
