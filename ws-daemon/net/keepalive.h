// Keepalive: a ping every ws.ping_interval; a connection silent for longer than one interval
// plus ws.pong_timeout is closed (4408), and the hub treats it as gone.
#pragma once

#include <asio.hpp>
#include <chrono>

#include "config.h"
#include "log.h"
#include "net/sender.h"
#include "signaling/hub.h"
#include "signaling/protocol.h"

namespace vc::ws {

template <class Cfg>
class Keepalive {
 public:
  Keepalive(asio::io_context& loop, const Config& config, const Hub& hub, Sender<Cfg>& sender)
      : config_(config), hub_(hub), sender_(sender), timer_(loop) {}

  void start() {
    timer_.expires_after(std::chrono::seconds(config_.ws_ping_interval_s));
    timer_.async_wait([this](const std::error_code& ec) {
      if (ec) return;
      ping_or_close_all();
      start();
    });
  }
  void stop() { timer_.cancel(); }

 private:
  void ping_or_close_all() {
    const auto deadline =
        std::chrono::seconds(config_.ws_ping_interval_s + config_.ws_pong_timeout_s);
    const auto now = Clock::now();
    hub_.for_each_link([&](const Link& link) {
      auto con = sender_.connection(link);
      if (!con || con->closing) return;
      if (now - con->last_alive > deadline) {
        log_event(LogLevel::info, "ws", "keepalive_timeout",
                  {{"conn_id", con->id}, {"user_id", con->user_id}});
        sender_.close(con, kCloseKeepaliveTimeout, "keepalive timeout");
      } else {
        std::error_code ec;
        con->ping("", ec);
      }
    });
  }

  const Config& config_;
  const Hub& hub_;
  Sender<Cfg>& sender_;
  asio::steady_timer timer_;
};

}  // namespace vc::ws
