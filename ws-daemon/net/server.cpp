#include "net/server.h"

#include <chrono>
#include <websocketpp/server.hpp>

#include "log.h"
#include "net/endpoint_config.h"
#include "net/guarded.h"
#include "net/handshake_gate.h"
#include "net/heap_trim.h"
#include "net/keepalive.h"
#include "net/sender.h"
#include "net/tls_context.h"
#include "sd_notify.h"
#include "signaling/hub.h"
#include "signaling/protocol.h"

namespace vc::ws {
namespace {

using websocketpp::connection_hdl;

// A handshake whose session lookup takes longer than this is dropped by websocketpp.
constexpr long kOpenHandshakeTimeoutMs = 10000;
// A peer that does not answer our close frame is cut off after this.
constexpr long kCloseHandshakeTimeoutMs = 3000;
// SIGTERM: how long sockets get to finish their closing handshakes before the loop stops.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

// The listener: websocketpp's endpoint and its handlers, in the setup order of websocketpp's
// examples (init, handlers, listen, accept, run), the signals, and shutdown. Each event goes to
// the part of net/ that owns it, and opened connections and their messages go to the hub.
template <class Cfg>
class Server {
 public:
  using Endpoint = websocketpp::server<Cfg>;
  using ConnectionPtr = typename Endpoint::connection_ptr;

  Server(asio::io_context& loop, const Config& config, DbWorkers& db)
      : loop_(loop),
        config_(config),
        heap_trim_(loop),
        sender_(loop, config, endpoint_, heap_trim_),
        hub_(loop, config, db, sender_),
        gate_(config, endpoint_, db, hub_),
        keepalive_(loop, config, hub_, sender_),
        shutdown_timer_(loop),
        signals_(loop, SIGTERM, SIGINT, SIGHUP) {}

  Hub& hub() { return hub_; }
  Endpoint& endpoint() { return endpoint_; }

  // Handlers and options, before listen(). TLS setup is added by the caller.
  void init() {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    endpoint_.init_asio(&loop_);
    // websocketpp's default is 32 MB. Its own limit stops reading mid-frame and drops the
    // socket with the rest unread, so the client mostly sees 1006, not its 1009 close frame.
    // It is the backstop at twice ours; up to it, on_message refuses with a clean 1009.
    endpoint_.set_max_message_size(2 * config_.ws_max_message_bytes);
    endpoint_.set_open_handshake_timeout(kOpenHandshakeTimeoutMs);
    endpoint_.set_close_handshake_timeout(kCloseHandshakeTimeoutMs);
    endpoint_.set_validate_handler([this](connection_hdl h) { return gate_.on_validate(h); });
    endpoint_.set_open_handler([this](connection_hdl h) { guarded("open", [&] { on_open(h); }); });
    endpoint_.set_close_handler(
        [this](connection_hdl h) { guarded("close", [&] { on_close(h); }); });
    endpoint_.set_fail_handler([this](connection_hdl h) { guarded("fail", [&] { on_fail(h); }); });
    endpoint_.set_message_handler([this](connection_hdl h, typename Endpoint::message_ptr m) {
      guarded("message", [&] { on_message(h, m); });
    });
    endpoint_.set_pong_handler([this](connection_hdl h, std::string) {
      guarded("pong", [&] { endpoint_.get_con_from_hdl(h)->last_alive = Clock::now(); });
    });
  }

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
    keepalive_.start();
    heap_trim_.start();
    wait_for_signal();
    sd_notify("READY=1");
    return true;
  }

 private:
  void on_open(connection_hdl h) {
    ConnectionPtr con = endpoint_.get_con_from_hdl(h);
    heap_trim_.note_event();
    const ConnId id = con->id = ++last_id_;
    ++open_;
    con->opened_at = con->last_alive = Clock::now();
    log_event(LogLevel::info, "ws", "connection_open",
              {{"conn_id", id},
               {"user_id", con->user_id},
               {"session_id", con->authenticated->session_id},
               {"remote_ip", con->remote_ip}});
    release_handshake(con);
    if (hub_.stopping()) {  // its handshake finished after SIGTERM
      sender_.close(con, kCloseGoingAway, "server shutting down");
      return;
    }
    hub_.on_open(id, h, std::move(*con->authenticated));
    con->authenticated.reset();
  }

  // websocketpp reads the handshake's request and response for the last time just before the
  // open handler, yet keeps them, headers and all (1.3 KiB of an idle connection from a plain
  // client, more from a browser), for the connection's life. It has no call to let them go;
  // the objects themselves are not const.
  static void release_handshake(const ConnectionPtr& con) {
    const_cast<typename Cfg::request_type&>(con->get_request()) = {};
    const_cast<typename Cfg::response_type&>(con->get_response()) = {};
  }

  void on_close(connection_hdl h) {
    ConnectionPtr con = endpoint_.get_con_from_hdl(h);
    double duration_s = std::chrono::duration<double>(Clock::now() - con->opened_at).count();
    log_event(LogLevel::info, "ws", "connection_closed",
              {{"conn_id", con->id},
               {"user_id", con->user_id},
               {"remote_ip", con->remote_ip},
               {"local_code", int(con->get_local_close_code())},
               {"local_reason", con->get_local_close_reason()},
               {"remote_code", int(con->get_remote_close_code())},
               {"remote_reason", con->get_remote_close_reason().substr(0, 123)},
               {"duration_s", duration_s}});
    --open_;
    heap_trim_.note_event();
    hub_.on_close(con->id);
    if (hub_.stopping() && open_ == 0) finish_shutdown();
  }

  void on_fail(connection_hdl h) {
    ConnectionPtr con = endpoint_.get_con_from_hdl(h);
    if (con->refused) return;  // logged when refused
    log_event(LogLevel::info, "ws", "handshake_failed",
              {{"error", con->get_ec().message()}, {"remote_ip", con->remote_ip}});
  }

  void on_message(connection_hdl h, typename Endpoint::message_ptr message) {
    ConnectionPtr con = endpoint_.get_con_from_hdl(h);
    con->last_alive = Clock::now();
    heap_trim_.note_event();
    if (con->closing) return;
    if (message->get_opcode() != websocketpp::frame::opcode::text) {
      sender_.close(con, websocketpp::close::status::unsupported_data, "text frames only");
      return;
    }
    // The one check of the message size; the codec and the hub never see a longer one.
    if (message->get_payload().size() > config_.ws_max_message_bytes) {
      log_event(LogLevel::info, "ws", "message_too_big",
                {{"conn_id", con->id},
                 {"user_id", con->user_id},
                 {"bytes", message->get_payload().size()}});
      sender_.close(con, kCloseMessageTooBig, "message too big");
      return;
    }
    hub_.on_message(con->id, message->get_payload());
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
    log_event(LogLevel::info, "ws", "stopping", {{"connections", open_}});
    sd_notify("STOPPING=1");
    hub_.shutdown();  // from here on hub_.stopping(): no new connection is let in
    std::error_code ec;
    endpoint_.stop_listening(ec);
    keepalive_.stop();
    heap_trim_.stop();
    if (open_ == 0) return finish_shutdown();
    hub_.for_each_link(
        [this](const Link& link) { sender_.close(link, kCloseGoingAway, "server shutting down"); });
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
  Endpoint endpoint_;
  HeapTrim heap_trim_;  // before sender_, which notes each send in it
  Sender<Cfg> sender_;
  Hub hub_;
  HandshakeGate<Cfg> gate_;
  Keepalive<Cfg> keepalive_;
  asio::steady_timer shutdown_timer_;
  asio::signal_set signals_;
  ConnId last_id_ = 0;
  size_t open_ = 0;  // open sockets, the hub's registry and those refused at open alike
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
  auto tls = make_tls_context(config);
  if (!tls) return 1;
  Server<TlsConfig> server(loop, config, db);
  server.init();
  server.endpoint().use_tls(tls);
  return run(server, loop, restored);
}

}  // namespace vc::ws
