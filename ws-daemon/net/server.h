// The WebSocket endpoint: websocketpp on the given Asio loop, plain (behind nginx) or TLS
// (ws.tls = true). net/ is the only code that touches websocketpp, one job a file:
//   server.cpp           the listener: handlers, listen, signals, shutdown
//   handshake_gate.h     who may connect (request checks, the session looked up by a DB worker)
//   sender.h             sending with back-pressure, and closing (the hub's Transport)
//   keepalive.h          pings and the keepalive timeout
//   tls_context.cpp      the TLS context when the daemon serves TLS itself
//   endpoint_config.h    websocketpp's configuration and the per-connection fields
// Threading: one thread, the caller of serve(), runs the loop, the endpoint and the Hub.
#pragma once

#include <asio.hpp>
#include <vector>

#include "config.h"
#include "store/call_store.h"
#include "store/db_workers.h"

namespace vc::ws {

// Serves until SIGTERM or SIGINT; then closes every socket with 1001 and returns 0.
// `restored` are the active calls found at startup (see recover_calls). Returns 1 when the
// endpoint cannot start (port taken, TLS files unreadable).
int serve(asio::io_context& loop, const Config& config, DbWorkers& db,
          const std::vector<CallRecord>& restored);

}  // namespace vc::ws
