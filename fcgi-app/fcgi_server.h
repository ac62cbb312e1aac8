// The FastCGI side: worker threads each accept requests on the shared listening socket,
// turn them into HttpRequest, dispatch, and write the HttpResponse back.
// Threading: each worker owns its Worker (and so its DB connection); nothing else is shared
// but the listening socket, whose accept is serialised by a mutex.
#pragma once

#include <string>

#include "config.h"

namespace vc {

// Serves until SIGTERM or SIGINT, then lets in-flight requests finish and returns.
// SIGHUP reopens the log file.
int serve_fcgi(const Config& config, const std::string& dummy_hash, int listen_fd);

}  // namespace vc
