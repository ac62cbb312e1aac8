// Who may open a connection: the request checks (net/handshake.h), then the session cookie
// looked up by a DB worker while websocketpp holds the handshake response (gated_transport.h),
// then the per-user connection limit. The loop never waits for the database.
#pragma once

#include <string>
#include <websocketpp/server.hpp>

#include "config.h"
#include "log.h"
#include "net/endpoint_config.h"
#include "net/guarded.h"
#include "net/handshake.h"
#include "signaling/hub.h"
#include "store/db_workers.h"

namespace vc::ws {

template <class Cfg>
class HandshakeGate {
 public:
  using Endpoint = websocketpp::server<Cfg>;
  using ConnectionPtr = typename Endpoint::connection_ptr;

  HandshakeGate(const Config& config, Endpoint& endpoint, DbWorkers& db, const Hub& hub)
      : config_(config), endpoint_(endpoint), db_(db), hub_(hub) {}

  // websocketpp's validate handler: always true, the answer is given later through decide().
  bool on_validate(websocketpp::connection_hdl h) {
    ConnectionPtr con;
    try {
      con = endpoint_.get_con_from_hdl(h);
      con->hold_handshake();
      con->remote_ip = remote_ip(con);
      if (hub_.stopping()) return refuse(con, {kRefuseUnavailable, "shutting down"}), true;
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

 private:
  // Back on the loop thread with the session lookup's answer.
  void on_authenticated(websocketpp::connection_hdl h, const Result<SessionUser>& user) {
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(h, ec);
    if (ec || !con) return;  // the client went away meanwhile
    if (hub_.stopping()) return refuse(con, {kRefuseUnavailable, "shutting down"});
    if (!user) {
      if (user.error().code == kRefuseUnauthenticated)
        return refuse(con, {kRefuseUnauthenticated, "not logged in or session expired"});
      log_event(LogLevel::error, "ws", "db_failed",
                {{"op", "authenticate"}, {"error", user.error().message}});
      return refuse(con, {kRefuseUnavailable, "database unavailable"});
    }
    if (hub_.connection_count(user->user_id) >= size_t(config_.ws_max_connections_per_user))
      return refuse(con, {kRefuseTooManyConnections, "too many connections for this user"});
    con->user_id = user->user_id;
    con->authenticated = std::make_unique<SessionUser>(std::move(user.value()));
    con->decide(std::nullopt);
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

  static std::string remote_ip(const ConnectionPtr& con) {
    std::error_code ec;
    auto peer = con->get_raw_socket().remote_endpoint(ec);
    if (ec) return "";
    // Behind nginx on loopback the client's address comes in X-Real-IP; from anyone else
    // that header is not to be believed.
    std::string real_ip = con->get_request_header("X-Real-IP");
    if (peer.address().is_loopback() && !real_ip.empty()) return real_ip.substr(0, 45);
    return peer.address().to_string();
  }

  const Config& config_;
  Endpoint& endpoint_;
  DbWorkers& db_;
  const Hub& hub_;
};

}  // namespace vc::ws
