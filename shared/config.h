// The one configuration file both daemons read: `key = value` lines, '#' comments.
// Every key, its meaning and its default are documented in docs/CONFIG.md.
#pragma once

#include <cstdint>
#include <string>

#include "error.h"

namespace vc {

struct DbConfig {
  std::string socket;  // unix socket path; when empty, host/port are used
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user = "videochat";
  std::string password;
  std::string name = "videochat";
  int connect_timeout_s = 2;
  int io_timeout_s = 5;
};

struct Config {
  std::string public_origin = "https://localhost:8443";
  DbConfig db;

  std::string fcgi_socket = "/run/videochat/fcgi.sock";
  int fcgi_socket_mode = 0660;
  int fcgi_threads = 4;

  int64_t session_idle_timeout_s = 12 * 3600;
  int64_t session_absolute_timeout_s = 7 * 24 * 3600;
  int64_t session_touch_interval_s = 60;

  uint64_t password_opslimit = 2;
  uint64_t password_memlimit_kib = 19 * 1024;

  int throttle_user_free_failures = 5;
  int throttle_ip_free_failures = 20;
  int64_t throttle_max_delay_s = 900;
  int64_t throttle_window_s = 900;

  std::string ice_stun_urls;  // comma-separated stun: URLs offered to browsers; empty: none
  int ice_ttl_s = 3600;       // also the lifetime of TURN credentials
  std::string ice_transport_policy = "all";  // "relay": browsers use only the TURN relay
  std::string turn_host;                     // empty: no TURN relay offered
  int turn_port = 3478;
  int turn_tls_port = 5349;
  std::string turn_secret;  // coturn's static-auth-secret

  std::string log_file;  // empty: no file
  bool log_stderr = true;
  std::string log_level = "info";

  std::string ws_listen_address = "127.0.0.1";
  int ws_port = 8090;
  std::string ws_allowed_origin;  // empty: public_origin
  bool ws_tls = false;
  std::string ws_tls_cert;
  std::string ws_tls_key;
  int ws_db_threads = 2;
  size_t ws_max_message_bytes = 64 * 1024;
  size_t ws_max_send_buffer_bytes = 1024 * 1024;  // unsent bytes before a slow reader is cut off
  int ws_ring_timeout_s = 30;
  int ws_ping_interval_s = 20;
  int ws_pong_timeout_s = 10;
  int ws_peer_gone_grace_s = 15;
  int ws_session_recheck_s = 30;
  int ws_rate_per_s = 50;
  int ws_rate_burst = 100;
  int ws_max_connections_per_user = 8;
};

// Parses config text. Unknown keys and malformed values are errors, so a typo
// in a sysadmin's file is caught at startup instead of silently ignored.
Result<Config> parse_config(const std::string& text);
Result<Config> load_config(const std::string& path);

}  // namespace vc
