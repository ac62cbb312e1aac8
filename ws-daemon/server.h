// The WebSocket endpoint: websocketpp on the given Asio loop, plain (behind nginx) or TLS
// (ws.tls = true). It authenticates handshakes through the DB workers without blocking the
// loop (gated_transport.h), pings connections, and hands opened connections to the Hub.
// Setup order as in websocketpp's examples: init, handlers, listen, accept, run.
// Threading: one thread — the caller of serve() — runs the loop, the endpoint and the Hub.
#pragma once

#include <asio.hpp>
#include <vector>

#include "call_store.h"
#include "config.h"
#include "db_workers.h"

namespace vc::ws {

// Serves until SIGTERM or SIGINT; then closes every socket with 1001 and returns 0.
// `restored` are the active calls found at startup (see recover_calls). Returns 1 when the
// endpoint cannot start (port taken, TLS files unreadable).
int serve(asio::io_context& loop, const Config& config, DbWorkers& db,
          const std::vector<CallRecord>& restored);

}  // namespace vc::ws
