#include "server.h"

#include <chrono>
#include <map>
#include <optional>
#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio.hpp>
#include <websocketpp/server.hpp>

#include "gated_transport.h"
#include "handshake.h"
#include "hub.h"
#include "log.h"
#include "protocol.h"
#include "sd_notify.h"

namespace vc::ws {
namespace {

using Clock = std::chrono::steady_clock;
using websocketpp::connection_hdl;

// A handshake whose session lookup takes longer than this is dropped by websocketpp.
constexpr long kOpenHandshakeTimeoutMs = 10000;
// A peer that does not answer our close frame is cut off after this.
constexpr long kCloseHandshakeTimeoutMs = 3000;
// websocketpp sends a "terminal" close (1008, 1009, 1011) and drops the socket at once. Frames
// the client had already sent are then unread, the kernel answers with a reset, and the client
// never sees our close frame. So such a close waits this long, dropping what still arrives.
constexpr auto kDrainBeforeTerminalClose = std::chrono::milliseconds(250);
// SIGTERM: how long sockets get to finish their closing handshakes before the loop stops.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

// Per-connection fields, carried by websocketpp's connection object (config::connection_base).
struct ConnectionState {
  ConnId id = 0;  // 0 until the connection opened
  SessionUser user;
  std::string remote_ip;
  Clock::time_point opened_at{};
  Clock::time_point last_alive{};  // last pong or message
  bool refused = false;            // refusal already logged
  bool closing = false;            // a terminal close is pending; its messages are dropped
};

// websocketpp as this daemon uses it: one thread runs the loop and owns every connection, so no
// locks (concurrency::none) and no strands (enable_multithreading); and a read buffer sized for
// signaling instead of websocketpp's 16 KiB inside every connection object (a longer message
// just takes more reads).
template <class Base>
struct OneThreadConfig : Base {
  typedef OneThreadConfig<Base> type;
  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  static bool const enable_multithreading = false;
  static const size_t connection_read_buffer_size = 2048;

  struct transport_config : Base::transport_config {
    typedef typename type::concurrency_type concurrency_type;
    typedef typename type::elog_type elog_type;
    typedef typename type::alog_type alog_type;
    static bool const enable_multithreading = false;
  };
  typedef GatedEndpoint<transport_config> transport_type;
  typedef ConnectionState connection_base;
};

using PlainConfig = OneThreadConfig<websocketpp::config::asio>;
using TlsConfig = OneThreadConfig<websocketpp::config::asio_tls>;

template <class Cfg>
class Server final : public Transport {
 public:
  using Endpoint = websocketpp::server<Cfg>;
  using ConnectionPtr = typename Endpoint::connection_ptr;

  Server(asio::io_context& loop, const Config& config, DbWorkers& db)
      : loop_(loop),
        config_(config),
        db_(db),
        hub_(loop, config, db, *this),
        ping_timer_(loop),
        shutdown_timer_(loop),
        signals_(loop, SIGTERM, SIGINT, SIGHUP) {}

  Hub& hub() { return hub_; }

  // Handlers and options, before listen(). TLS setup is added by the caller.
  void init() {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    endpoint_.init_asio(&loop_);
    endpoint_.set_reuse_addr(true);
    // websocketpp's default is 32 MB. Its own limit stops reading mid-frame and drops the
    // socket with the rest unread, so the client mostly sees 1006, not its 1009 close frame.
    // It is the backstop at twice ours; up to it, on_message refuses with a clean 1009.
    endpoint_.set_max_message_size(2 * config_.ws_max_message_bytes);
    endpoint_.set_open_handshake_timeout(kOpenHandshakeTimeoutMs);
    endpoint_.set_close_handshake_timeout(kCloseHandshakeTimeoutMs);
    endpoint_.set_validate_handler([this](connection_hdl h) { return on_validate(h); });
    endpoint_.set_open_handler([this](connection_hdl h) { guarded("open", [&] { on_open(h); }); });
    endpoint_.set_close_handler(
        [this](connection_hdl h) { guarded("close", [&] { on_close(h); }); });
    endpoint_.set_fail_handler([this](connection_hdl h) { guarded("fail", [&] { on_fail(h); }); });
    endpoint_.set_message_handler([this](connection_hdl h, typename Endpoint::message_ptr m) {
      guarded("message", [&] { on_message(h, m); });
    });
    endpoint_.set_pong_handler([this](connection_hdl h, std::string) {
      guarded("pong", [&] { connection(h)->last_alive = Clock::now(); });
    });
  }

  Endpoint& endpoint() { return endpoint_; }

  bool listen() {
    std::error_code ec;
    auto address = asio::ip::make_address(config_.ws_listen_address, ec);
    if (!ec) endpoint_.listen(asio::ip::tcp::endpoint(address, config_.ws_port), ec);
    if (!ec) endpoint_.start_accept(ec);
    if (ec) {
      log_event(LogLevel::error, "ws", "startup_failed",
                {{"error", "cannot listen on " + config_.ws_listen_address + ":" +
                               std::to_string(config_.ws_port) + ": " + ec.message()}});
      return false;
    }
    log_event(LogLevel::info, "ws", "started",
              {{"address", config_.ws_listen_address},
               {"port", config_.ws_port},
               {"tls", config_.ws_tls},
               {"db_threads", config_.ws_db_threads}});
    hub_.start();
    schedule_ping();
    wait_for_signal();
    sd_notify("READY=1");
    return true;
  }

  // ---- Transport, for the hub ----------------------------------------------------------------
  // Every message the daemon sends passes here, so this is where a client that does not read
  // is cut off: websocketpp would otherwise queue its messages without bound.
  bool send(ConnId id, const std::string& text) override {
    auto it = conns_.find(id);
    if (it == conns_.end()) return false;
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(it->second, ec);
    if (ec || !con || con->closing) return false;
    ec = con->send(text, websocketpp::frame::opcode::text);
    if (ec) return false;
    size_t buffered = con->get_buffered_amount();
    if (buffered <= config_.ws_max_send_buffer_bytes) return true;
    log_event(LogLevel::warn, "ws", "send_buffer_full",
              {{"conn_id", id}, {"user_id", con->user.user_id}, {"buffered_bytes", buffered}});
    close(id, kCloseSendBufferFull, "send buffer full");
    return false;
  }

  void close(ConnId id, uint16_t code, const std::string& reason) override {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(it->second, ec);
    if (ec || !con) return;
    if (!websocketpp::close::status::terminal(code)) return con->close(code, reason, ec);
    close_after_drain(con, code, reason);
  }

 private:
  // websocketpp calls handlers from inside its own code; an exception escaping one would
  // leave the endpoint in an unknown state, so each is caught here, at the edge.
  template <class F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "ws", "handler_exception",
                {{"handler", what}, {"error", e.what()}});
    }
  }

  ConnectionPtr connection(connection_hdl h) { return endpoint_.get_con_from_hdl(h); }

  void close_after_drain(const ConnectionPtr& con, uint16_t code, const std::string& reason) {
    if (con->closing) return;
    con->closing = true;
    auto timer = std::make_shared<asio::steady_timer>(loop_, kDrainBeforeTerminalClose);
    timer->async_wait([this, timer, h = con->get_handle(), code, reason](const std::error_code&) {
      std::error_code ec;
      endpoint_.close(h, code, reason, ec);
    });
  }

  std::string remote_ip(const ConnectionPtr& con) {
    std::error_code ec;
    auto peer = con->get_raw_socket().remote_endpoint(ec);
    if (ec) return "";
    // Behind nginx on loopback the client's address comes in X-Real-IP; from anyone else
    // that header is not to be believed.
    std::string real_ip = con->get_request_header("X-Real-IP");
    if (peer.address().is_loopback() && !real_ip.empty()) return real_ip.substr(0, 45);
    return peer.address().to_string();
  }

  void refuse(const ConnectionPtr& con, const Error& why) {
    con->refused = true;
    log_event(LogLevel::info, "ws", "handshake_refused",
              {{"status", http_status_for(why)},
               {"why", why.code},
               {"error", why.message},
               {"remote_ip", con->remote_ip}});
    con->decide(refusal_response(why));
  }

  bool on_validate(connection_hdl h) {
    ConnectionPtr con;
    try {
      con = connection(h);
      con->hold_handshake();
      // Signaling is many small messages (trickle ICE); without TCP_NODELAY a burst waits for
      // delayed ACKs (p999 of 8-message bursts: ~48 ms with Nagle, ~2.5 ms without; make bench).
      std::error_code nodelay_ec;
      con->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);
      con->remote_ip = remote_ip(con);
      if (stopping_) return refuse(con, {kRefuseUnavailable, "shutting down"}), true;
      auto token = check_handshake(
          {con->get_resource(), con->get_request_header("Origin"),
           con->get_request_header("Sec-WebSocket-Version"), con->get_request_header("Cookie")},
          config_.ws_allowed_origin);
      if (!token) return refuse(con, token.error()), true;
      bool queued = db_.ask<Result<SessionUser>>(
          [token = *token](DbContext& ctx) { return ctx.sessions.authenticate(token); },
          [this, h](Result<SessionUser> user) {
            guarded("authenticated", [&] { on_authenticated(h, user); });
          });
      if (!queued) refuse(con, {kRefuseUnavailable, "database busy"});
      return true;
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "ws", "handler_exception",
                {{"handler", "validate"}, {"error", e.what()}});
      // A held response must not wait for a decision that will never come.
      if (con) con->decide(refusal_response({kRefuseUnavailable, "internal error"}));
      return true;
    }
  }

  // Back on the loop thread with the session lookup's answer.
  void on_authenticated(connection_hdl h, const Result<SessionUser>& user) {
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(h, ec);
    if (ec || !con) return;  // the client went away meanwhile
    if (stopping_) return refuse(con, {kRefuseUnavailable, "shutting down"});
    if (!user) {
      if (user.error().code == kRefuseUnauthenticated)
        return refuse(con, {kRefuseUnauthenticated, "not logged in or session expired"});
      log_event(LogLevel::error, "ws", "db_failed",
                {{"op", "authenticate"}, {"error", user.error().message}});
      return refuse(con, {kRefuseUnavailable, "database unavailable"});
    }
    if (hub_.connection_count(user->user_id) >= size_t(config_.ws_max_connections_per_user))
      return refuse(con, {kRefuseTooManyConnections, "too many connections for this user"});
    con->user = user.value();
    con->decide(std::nullopt);
  }

  void on_open(connection_hdl h) {
    ConnectionPtr con = connection(h);
    con->id = ++last_id_;
    con->opened_at = con->last_alive = Clock::now();
    conns_[con->id] = h;
    log_event(LogLevel::info, "ws", "connection_open",
              {{"conn_id", con->id},
               {"user_id", con->user.user_id},
               {"session_id", con->user.session_id},
               {"remote_ip", con->remote_ip}});
    if (stopping_) {  // its handshake finished after SIGTERM
      std::error_code ec;
      con->close(kCloseGoingAway, "server shutting down", ec);
      return;
    }
    hub_.on_open(con->id, con->user, con->remote_ip);
  }

  void on_close(connection_hdl h) {
    ConnectionPtr con = connection(h);
    double duration_s = std::chrono::duration<double>(Clock::now() - con->opened_at).count();
    log_event(LogLevel::info, "ws", "connection_closed",
              {{"conn_id", con->id},
               {"user_id", con->user.user_id},
               {"remote_ip", con->remote_ip},
               {"local_code", int(con->get_local_close_code())},
               {"local_reason", con->get_local_close_reason()},
               {"remote_code", int(con->get_remote_close_code())},
               {"remote_reason", con->get_remote_close_reason().substr(0, 123)},
               {"duration_s", duration_s}});
    conns_.erase(con->id);
    hub_.on_close(con->id);
    if (stopping_ && conns_.empty()) finish_shutdown();
  }

  void on_fail(connection_hdl h) {
    ConnectionPtr con = connection(h);
    if (con->refused) return;  // logged when refused
    log_event(LogLevel::info, "ws", "handshake_failed",
              {{"error", con->get_ec().message()}, {"remote_ip", con->remote_ip}});
  }

  void on_message(connection_hdl h, typename Endpoint::message_ptr message) {
    ConnectionPtr con = connection(h);
    con->last_alive = Clock::now();
    if (con->closing) return;
    if (message->get_opcode() != websocketpp::frame::opcode::text) {
      std::error_code ec;
      con->close(websocketpp::close::status::unsupported_data, "text frames only", ec);
      return;
    }
    if (message->get_payload().size() > config_.ws_max_message_bytes) {
      log_event(LogLevel::info, "ws", "message_too_big",
                {{"conn_id", con->id},
                 {"user_id", con->user.user_id},
                 {"bytes", message->get_payload().size()}});
      close_after_drain(con, kCloseMessageTooBig, "message too big");
      return;
    }
    hub_.on_message(con->id, message->get_payload());
  }

  // Keepalive: a ping every ws.ping_interval; a connection silent for longer than one interval
  // plus ws.pong_timeout is closed, and the hub treats it as gone.
  void schedule_ping() {
    ping_timer_.expires_after(std::chrono::seconds(config_.ws_ping_interval_s));
    ping_timer_.async_wait([this](const std::error_code& ec) {
      if (ec || stopping_) return;
      const auto deadline =
          std::chrono::seconds(config_.ws_ping_interval_s + config_.ws_pong_timeout_s);
      const auto now = Clock::now();
      for (const auto& [id, h] : conns_) {
        std::error_code err;
        ConnectionPtr con = endpoint_.get_con_from_hdl(h, err);
        if (err || !con) continue;
        if (now - con->last_alive > deadline) {
          log_event(LogLevel::info, "ws", "keepalive_timeout",
                    {{"conn_id", id}, {"user_id", con->user.user_id}});
          con->close(kCloseKeepaliveTimeout, "keepalive timeout", err);
        } else {
          con->ping("", err);
        }
      }
      schedule_ping();
    });
  }

  void wait_for_signal() {
    signals_.async_wait([this](const std::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        log_reopen();
        log_event(LogLevel::info, "ws", "log_reopened");
        return wait_for_signal();
      }
      begin_shutdown();
    });
  }

  void begin_shutdown() {
    log_event(LogLevel::info, "ws", "stopping", {{"connections", conns_.size()}});
    sd_notify("STOPPING=1");
    stopping_ = true;
    std::error_code ec;
    endpoint_.stop_listening(ec);
    ping_timer_.cancel();
    hub_.shutdown();
    if (conns_.empty()) return finish_shutdown();
    for (const auto& [id, h] : conns_)
      endpoint_.close(h, kCloseGoingAway, "server shutting down", ec);
    shutdown_timer_.expires_after(kShutdownGrace);
    shutdown_timer_.async_wait([this](const std::error_code& e) {
      if (!e) finish_shutdown();
    });
  }

  void finish_shutdown() {
    signals_.cancel();
    shutdown_timer_.cancel();
    loop_.stop();
  }

  asio::io_context& loop_;
  const Config& config_;
  DbWorkers& db_;
  Endpoint endpoint_;
  Hub hub_;
  std::map<ConnId, connection_hdl> conns_;  // open connections
  ConnId last_id_ = 0;
  asio::steady_timer ping_timer_;
  asio::steady_timer shutdown_timer_;
  asio::signal_set signals_;
  bool stopping_ = false;
};

template <class Cfg>
int run(Server<Cfg>& server, asio::io_context& loop, const std::vector<CallRecord>& restored) {
  server.hub().restore_calls(restored);
  if (!server.listen()) return 1;
  loop.run();
  log_event(LogLevel::info, "ws", "loop_stopped");
  return 0;
}

}  // namespace

int serve(asio::io_context& loop, const Config& config, DbWorkers& db,
          const std::vector<CallRecord>& restored) {
  if (!config.ws_tls) {
    Server<PlainConfig> server(loop, config, db);
    server.init();
    return run(server, loop, restored);
  }
  // One TLS context for every connection, loaded now so that a bad file stops startup.
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  try {
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    tls->use_certificate_chain_file(config.ws_tls_cert);
    tls->use_private_key_file(config.ws_tls_key, asio::ssl::context::pem);
  } catch (const std::exception& e) {
    log_event(LogLevel::error, "ws", "startup_failed",
              {{"error", std::string("TLS: ") + e.what()}});
    return 1;
  }
  Server<TlsConfig> server(loop, config, db);
  server.init();
  server.endpoint().set_tls_init_handler([tls](connection_hdl) { return tls; });
  return run(server, loop, restored);
}

}  // namespace vc::ws
