// Control of the stack's ws-daemon for the integration suite: for the whole suite it runs with
// short test timers (a copy of the stack's config plus the lines below), started by this
// process; at the end the stack's own daemon comes back with the stack's own config.
#pragma once

#include <string>

namespace vc::test {

// Appended to the stack's config while this suite runs (later lines win).
inline constexpr const char* kWsTestConfig =
    "ws.ring_timeout = 3\n"
    "ws.peer_gone_grace = 4\n"
    "ws.session_recheck = 1\n"
    "ws.ping_interval = 1\n"
    "ws.pong_timeout = 1\n"
    "ws.max_connections_per_user = 4\n";

// Starts ws-daemon with the test config plus `extra_config` lines; waits until its port
// accepts connections.
bool start_ws_daemon(const std::string& extra_config = "");
// Sends `signal` to the daemon started here and waits for it to exit; returns its exit status
// (or -signal when the signal killed it), -1000 when it did not exit in time.
int stop_ws_daemon(int signal);
// Hands the stack its own daemon back (stack config, stack log files).
void restore_stack_ws_daemon();

// The daemon's JSON log, for checks that an event was logged.
std::string read_log();

}  // namespace vc::test
