// The open connections by number, and every way a message leaves the daemon: the hub's
// Transport. Sending is where a client that does not read is cut off (websocketpp would queue
// its messages without bound), and where a terminal close waits for the client's input to
// drain so that the close code reaches it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <websocketpp/server.hpp>

#include "config.h"
#include "log.h"
#include "net/endpoint_config.h"
#include "signaling/protocol.h"
#include "signaling/transport.h"

namespace vc::ws {

// websocketpp sends a "terminal" close (1008, 1009, 1011) and drops the socket at once. Frames
// the client had already sent are then unread, the kernel answers with a reset, and the client
// never sees our close frame. So such a close waits this long, dropping what still arrives.
inline constexpr auto kDrainBeforeTerminalClose = std::chrono::milliseconds(250);

template <class Cfg>
class ConnectionTable final : public Transport {
 public:
  using Endpoint = websocketpp::server<Cfg>;
  using ConnectionPtr = typename Endpoint::connection_ptr;

  ConnectionTable(asio::io_context& loop, const Config& config, Endpoint& endpoint)
      : loop_(loop), config_(config), endpoint_(endpoint) {}

  // A connection that finished its handshake gets the next number.
  ConnId add(const ConnectionPtr& con) {
    con->id = ++last_id_;
    conns_[con->id] = con->get_handle();
    return con->id;
  }
  void remove(ConnId id) { conns_.erase(id); }
  bool empty() const { return conns_.empty(); }
  size_t size() const { return conns_.size(); }

  // fn(const ConnectionPtr&) for every open connection.
  template <class F>
  void for_each(F&& fn) {
    for (const auto& [id, h] : conns_) {
      std::error_code ec;
      ConnectionPtr con = endpoint_.get_con_from_hdl(h, ec);
      if (!ec && con) fn(con);
    }
  }

  bool send(ConnId id, const std::string& text) override {
    ConnectionPtr con = find(id);
    if (!con || con->closing) return false;
    std::error_code ec = con->send(text, websocketpp::frame::opcode::text);
    if (ec) return false;
    size_t buffered = con->get_buffered_amount();
    if (buffered <= config_.ws_max_send_buffer_bytes) return true;
    log_event(LogLevel::warn, "ws", "send_buffer_full",
              {{"conn_id", id}, {"user_id", con->user.user_id}, {"buffered_bytes", buffered}});
    close(id, kCloseSendBufferFull, "send buffer full");
    return false;
  }

  void close(ConnId id, uint16_t code, const std::string& reason) override {
    if (ConnectionPtr con = find(id)) close(con, code, reason);
  }

  void close(const ConnectionPtr& con, uint16_t code, const std::string& reason) {
    std::error_code ec;
    if (!websocketpp::close::status::terminal(code)) return con->close(code, reason, ec);
    if (con->closing) return;
    con->closing = true;
    auto timer = std::make_shared<asio::steady_timer>(loop_, kDrainBeforeTerminalClose);
    timer->async_wait([this, timer, h = con->get_handle(), code, reason](const std::error_code&) {
      std::error_code ignored;
      endpoint_.close(h, code, reason, ignored);
    });
  }

 private:
  ConnectionPtr find(ConnId id) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return nullptr;
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(it->second, ec);
    return ec ? nullptr : con;
  }

  asio::io_context& loop_;
  const Config& config_;
  Endpoint& endpoint_;
  std::map<ConnId, websocketpp::connection_hdl> conns_;
  ConnId last_id_ = 0;
};

}  // namespace vc::ws
