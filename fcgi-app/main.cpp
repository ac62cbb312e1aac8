// fcgi-app: the HTTP API (register, login, sessions, users) behind nginx over FastCGI.
// Usage: fcgi-app -c /etc/videochat/videochat.conf
#include <fcgiapp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "config.h"
#include "db.h"
#include "fcgi_server.h"
#include "log.h"
#include "migrator.h"
#include "password.h"
#include "token.h"

int main(int argc, char** argv) {
  std::string config_path = "/etc/videochat/videochat.conf";
  for (int i = 1; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "-c")) config_path = argv[i + 1];

  auto config = vc::load_config(config_path);
  if (!config) {
    std::fprintf(stderr, "fcgi-app: %s\n", config.error().message.c_str());
    return 2;
  }
  vc::LogOptions log_options{config->log_file, config->log_stderr, vc::LogLevel::info};
  vc::parse_log_level(config->log_level, log_options.min_level);
  vc::log_configure(log_options);
  if (!vc::crypto_init()) {
    vc::log_event(vc::LogLevel::error, "fcgi", "startup_failed", {{"error", "libsodium init"}});
    return 1;
  }
  vc::db_library_init();
  {
    vc::Db db(config->db);
    if (auto err = vc::check_schema(db)) {
      vc::log_event(vc::LogLevel::error, "fcgi", "startup_failed", {{"error", err->message}});
      std::fprintf(stderr, "fcgi-app: %s\n", err->message.c_str());
      return 1;
    }
  }

  auto dummy_hash = vc::hash_password("not a real password, only for timing",
                                      {config->password_opslimit, config->password_memlimit_kib});
  if (!dummy_hash) return 1;

  FCGX_Init();
  ::unlink(config->fcgi_socket.c_str());
  int fd = FCGX_OpenSocket(config->fcgi_socket.c_str(), 128);
  if (fd < 0) {
    vc::log_event(vc::LogLevel::error, "fcgi", "startup_failed",
                  {{"error", "cannot listen on " + config->fcgi_socket}});
    return 1;
  }
  ::chmod(config->fcgi_socket.c_str(), static_cast<mode_t>(config->fcgi_socket_mode));
  int rc = vc::serve_fcgi(*config, *dummy_hash, fd);
  ::close(fd);
  ::unlink(config->fcgi_socket.c_str());
  return rc;
}
