#include "config.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "text.h"

namespace vc {
namespace {

template <class Int>
bool parse_int(const std::string& v, Int& out, int base = 10) {
  if (v.empty()) return false;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
  return ec == std::errc() && p == v.data() + v.size();
}

bool parse_bool(const std::string& v, bool& out) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") return out = true, true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return out = false, true;
  return false;
}

// A setter returns false when the value does not parse.
using Setter = std::function<bool(Config&, const std::string&)>;

template <class Int>
Setter positive(Int Config::*field) {
  return [field](Config& c, const std::string& v) {
    Int n{};
    if (!parse_int(v, n) || n <= 0) return false;
    c.*field = n;
    return true;
  };
}
template <class Int>
Setter positive_db(Int DbConfig::*field) {
  return [field](Config& c, const std::string& v) {
    Int n{};
    if (!parse_int(v, n) || n <= 0) return false;
    c.db.*field = n;
    return true;
  };
}
Setter text(std::string Config::*field) {
  return [field](Config& c, const std::string& v) { return c.*field = v, true; };
}
Setter text_db(std::string DbConfig::*field) {
  return [field](Config& c, const std::string& v) { return c.db.*field = v, true; };
}
Setter flag(bool Config::*field) {
  return [field](Config& c, const std::string& v) { return parse_bool(v, c.*field); };
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> table = {
      {"public_origin", text(&Config::public_origin)},
      {"db.socket", text_db(&DbConfig::socket)},
      {"db.host", text_db(&DbConfig::host)},
      {"db.port", positive_db(&DbConfig::port)},
      {"db.user", text_db(&DbConfig::user)},
      {"db.password", text_db(&DbConfig::password)},
      {"db.name", text_db(&DbConfig::name)},
      {"db.connect_timeout", positive_db(&DbConfig::connect_timeout_s)},
      {"db.io_timeout", positive_db(&DbConfig::io_timeout_s)},
      {"fcgi.socket", text(&Config::fcgi_socket)},
      {"fcgi.socket_mode",
       [](Config& c, const std::string& v) {
         int mode = 0;
         if (!parse_int(v, mode, 8) || mode < 0 || mode > 0777) return false;
         c.fcgi_socket_mode = mode;
         return true;
       }},
      {"fcgi.threads", positive(&Config::fcgi_threads)},
      {"session.idle_timeout", positive(&Config::session_idle_timeout_s)},
      {"session.absolute_timeout", positive(&Config::session_absolute_timeout_s)},
      {"session.touch_interval", positive(&Config::session_touch_interval_s)},
      {"password.opslimit", positive(&Config::password_opslimit)},
      {"password.memlimit_kib", positive(&Config::password_memlimit_kib)},
      {"throttle.user_free_failures", positive(&Config::throttle_user_free_failures)},
      {"throttle.ip_free_failures", positive(&Config::throttle_ip_free_failures)},
      {"throttle.max_delay", positive(&Config::throttle_max_delay_s)},
      {"throttle.window", positive(&Config::throttle_window_s)},
      {"ice.stun_urls", text(&Config::ice_stun_urls)},
      {"ice.ttl", positive(&Config::ice_ttl_s)},
      {"ice.transport_policy",
       [](Config& c, const std::string& v) {
         if (v != "all" && v != "relay") return false;
         c.ice_transport_policy = v;
         return true;
       }},
      {"turn.host", text(&Config::turn_host)},
      {"turn.port", positive(&Config::turn_port)},
      {"turn.tls_port", positive(&Config::turn_tls_port)},
      {"turn.secret", text(&Config::turn_secret)},
      {"log.file", text(&Config::log_file)},
      {"log.stderr", flag(&Config::log_stderr)},
      {"log.level",
       [](Config& c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") return false;
         c.log_level = v;
         return true;
       }},
      {"ws.listen_address", text(&Config::ws_listen_address)},
      {"ws.port", positive(&Config::ws_port)},
      {"ws.allowed_origin", text(&Config::ws_allowed_origin)},
      {"ws.tls", flag(&Config::ws_tls)},
      {"ws.tls_cert", text(&Config::ws_tls_cert)},
      {"ws.tls_key", text(&Config::ws_tls_key)},
      {"ws.db_threads", positive(&Config::ws_db_threads)},
      {"ws.max_message_bytes", positive(&Config::ws_max_message_bytes)},
      {"ws.max_send_buffer_bytes", positive(&Config::ws_max_send_buffer_bytes)},
      {"ws.ring_timeout", positive(&Config::ws_ring_timeout_s)},
      {"ws.ping_interval", positive(&Config::ws_ping_interval_s)},
      {"ws.pong_timeout", positive(&Config::ws_pong_timeout_s)},
      {"ws.peer_gone_grace", positive(&Config::ws_peer_gone_grace_s)},
      {"ws.session_recheck", positive(&Config::ws_session_recheck_s)},
      {"ws.rate_per_second", positive(&Config::ws_rate_per_s)},
      {"ws.rate_burst", positive(&Config::ws_rate_burst)},
      {"ws.max_connections_per_user", positive(&Config::ws_max_connections_per_user)},
  };
  return table;
}

}  // namespace

Result<Config> parse_config(const std::string& text_in) {
  Config config;
  std::istringstream in(text_in);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string content(trim(line));
    if (content.empty() || content[0] == '#') continue;
    auto eq = content.find('=');
    const std::string where = "line " + std::to_string(line_no);
    if (eq == std::string::npos) return Error{"invalid_config", where + ": expected key = value"};
    std::string key(trim(content.substr(0, eq)));
    std::string value(trim(content.substr(eq + 1)));
    auto it = setters().find(key);
    if (it == setters().end())
      return Error{"invalid_config", where + ": unknown key '" + key + "'"};
    if (!it->second(config, value))
      return Error{"invalid_config", where + ": invalid value for '" + key + "'"};
  }
  if (config.session_absolute_timeout_s < config.session_idle_timeout_s)
    return Error{"invalid_config",
                 "session.absolute_timeout must not be below session.idle_timeout"};
  if (config.turn_host.empty() != config.turn_secret.empty())
    return Error{"invalid_config", "turn.host and turn.secret must be set together"};
  if (config.ws_allowed_origin.empty()) config.ws_allowed_origin = config.public_origin;
  return config;
}

Result<Config> load_config(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Error{"invalid_config", "cannot read config file " + path};
  std::ostringstream text;
  text << file.rdbuf();
  auto config = parse_config(text.str());
  if (!config) return Error{config.error().code, path + ": " + config.error().message};
  return config;
}

}  // namespace vc
