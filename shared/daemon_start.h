// The start both daemons share: `-c PATH`, the config, logging, libsodium, the MariaDB library
// and the schema check. Failures are printed to stderr and logged as `startup_failed`.
#pragma once

#include <optional>
#include <string>

#include "config.h"
#include "db.h"

namespace vc {

struct DaemonStart {
  std::optional<Config> config;  // set when the daemon may run
  int exit_code = 0;             // otherwise: 2 for a bad config, 1 for anything else
};

// `name` prefixes stderr messages ("fcgi-app: ..."), `component` the log lines.
DaemonStart start_daemon(const char* name, const char* component, int argc, char** argv);

// Logs and prints a startup failure; returns the exit code 1.
int startup_failed(const char* name, const char* component, const std::string& error);

}  // namespace vc
