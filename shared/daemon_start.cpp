#include "daemon_start.h"

#include <cstdio>
#include <cstring>

#include "log.h"
#include "migrator.h"
#include "token.h"

namespace vc {

int startup_failed(const char* name, const char* component, const std::string& error) {
  log_event(LogLevel::error, component, "startup_failed", {{"error", error}});
  std::fprintf(stderr, "%s: %s\n", name, error.c_str());
  return 1;
}

DaemonStart start_daemon(const char* name, const char* component, int argc, char** argv) {
  std::string config_path = "/etc/videochat/videochat.conf";
  for (int i = 1; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "-c")) config_path = argv[i + 1];

  DaemonStart start;
  auto config = load_config(config_path);
  if (!config) {
    std::fprintf(stderr, "%s: %s\n", name, config.error().message.c_str());
    start.exit_code = 2;
    return start;
  }
  LogOptions log_options{config->log_file, config->log_stderr, LogLevel::info};
  parse_log_level(config->log_level, log_options.min_level);
  log_configure(log_options);
  if (!crypto_init()) {
    start.exit_code = startup_failed(name, component, "libsodium init");
    return start;
  }
  db_library_init();
  // Before any thread or event loop exists, so blocking here is fine.
  Db db(config->db);
  if (auto err = check_schema(db)) {
    start.exit_code = startup_failed(name, component, err->message);
    return start;
  }
  start.config = std::move(*config);
  return start;
}

}  // namespace vc
