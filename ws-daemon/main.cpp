// ws-daemon: WebSocket signaling — presence, the call state machine, and the relay of WebRTC
// signaling between the two parties of a call. Usage: ws-daemon -c /etc/videochat/videochat.conf
#include <cstdio>
#include <cstring>

#include "call_store.h"
#include "config.h"
#include "db.h"
#include "db_workers.h"
#include "log.h"
#include "migrator.h"
#include "server.h"
#include "token.h"

int main(int argc, char** argv) {
  std::string config_path = "/etc/videochat/videochat.conf";
  for (int i = 1; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "-c")) config_path = argv[i + 1];

  auto config = vc::load_config(config_path);
  if (!config) {
    std::fprintf(stderr, "ws-daemon: %s\n", config.error().message.c_str());
    return 2;
  }
  vc::LogOptions log_options{config->log_file, config->log_stderr, vc::LogLevel::info};
  vc::parse_log_level(config->log_level, log_options.min_level);
  vc::log_configure(log_options);
  auto fail = [](const std::string& error) {
    vc::log_event(vc::LogLevel::error, "ws", "startup_failed", {{"error", error}});
    std::fprintf(stderr, "ws-daemon: %s\n", error.c_str());
    return 1;
  };
  if (!vc::crypto_init()) return fail("libsodium init");
  vc::db_library_init();

  // Startup runs before the loop exists, so these calls may block.
  std::vector<vc::ws::CallRecord> restored;
  {
    vc::Db db(config->db);
    if (auto err = vc::check_schema(db)) return fail(err->message);
    auto calls = vc::ws::recover_calls(db);
    if (!calls) return fail("recovering calls: " + calls.error().message);
    restored = std::move(*calls);
  }

  asio::io_context loop;
  vc::ws::DbWorkers db_workers(loop, *config, config->ws_db_threads);
  int rc = vc::ws::serve(loop, *config, db_workers, restored);
  // Pending call writes reach the table before the process ends.
  db_workers.drain_and_stop();
  vc::log_event(vc::LogLevel::info, "ws", "stopped", {{"exit_code", rc}});
  return rc;
}
