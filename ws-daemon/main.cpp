// ws-daemon: WebSocket signaling — presence, the call state machine, and the relay of WebRTC
// signaling between the two parties of a call. Usage: ws-daemon -c /etc/videochat/videochat.conf
#include "daemon_start.h"
#include "db.h"
#include "log.h"
#include "net/server.h"
#include "store/call_store.h"
#include "store/db_workers.h"

int main(int argc, char** argv) {
  vc::DaemonStart start = vc::start_daemon("ws-daemon", "ws", argc, argv);
  if (!start.config) return start.exit_code;
  const vc::Config& config = *start.config;

  // Startup runs before the loop exists, so this may block.
  std::vector<vc::ws::CallRecord> restored;
  {
    vc::Db db(config.db);
    auto calls = vc::ws::recover_calls(db);
    if (!calls)
      return vc::startup_failed("ws-daemon", "ws", "recovering calls: " + calls.error().message);
    restored = std::move(*calls);
  }

  asio::io_context loop;
  vc::ws::DbWorkers db_workers(loop, config, config.ws_db_threads);
  int rc = vc::ws::serve(loop, config, db_workers, restored);
  // Pending call writes reach the table before the process ends.
  db_workers.drain_and_stop();
  vc::log_event(vc::LogLevel::info, "ws", "stopped", {{"exit_code", rc}});
  return rc;
}
