// The one TLS context for every connection when ws.tls = true (otherwise nginx terminates TLS).
#pragma once

#include <asio/ssl.hpp>
#include <memory>

#include "config.h"

namespace vc::ws {

// Loaded at startup, so that a bad certificate or key stops the daemon with a logged reason;
// nullptr then.
std::shared_ptr<asio::ssl::context> make_tls_context(const Config& config);

}  // namespace vc::ws
