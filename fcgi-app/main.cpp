// fcgi-app: the HTTP API (register, login, sessions, users) behind nginx over FastCGI.
// Usage: fcgi-app -c /etc/videochat/videochat.conf
#include <fcgiapp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_start.h"
#include "fcgi_server.h"
#include "password.h"

int main(int argc, char** argv) {
  vc::DaemonStart start = vc::start_daemon("fcgi-app", "fcgi", argc, argv);
  if (!start.config) return start.exit_code;
  const vc::Config* config = &*start.config;

  auto dummy_hash = vc::hash_password("not a real password, only for timing",
                                      {config->password_opslimit, config->password_memlimit_kib});
  if (!dummy_hash) return 1;

  FCGX_Init();
  ::unlink(config->fcgi_socket.c_str());
  int fd = FCGX_OpenSocket(config->fcgi_socket.c_str(), 128);
  if (fd < 0)
    return vc::startup_failed("fcgi-app", "fcgi", "cannot listen on " + config->fcgi_socket);
  ::chmod(config->fcgi_socket.c_str(), static_cast<mode_t>(config->fcgi_socket_mode));
  int rc = vc::serve_fcgi(*config, *dummy_hash, fd);
  ::close(fd);
  ::unlink(config->fcgi_socket.c_str());
  return rc;
}
