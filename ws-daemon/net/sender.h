// Every way a message leaves the daemon: the hub's Transport over websocketpp. Sending is where
// a client that does not read is cut off (websocketpp would queue its messages without bound),
// and where a terminal close waits for the client's input to drain so that the close code
// reaches it. No registry here: the hub's is the only one, and it hands back each Link.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <websocketpp/server.hpp>

#include "config.h"
#include "log.h"
#include "net/endpoint_config.h"
#include "net/frame_header.h"
#include "net/heap_trim.h"
#include "signaling/protocol.h"
#include "signaling/transport.h"

namespace vc::ws {

// websocketpp sends a "terminal" close (1008, 1009, 1011) and drops the socket at once. Frames
// the client had already sent are then unread, the kernel answers with a reset, and the client
// never sees our close frame. So such a close waits this long, dropping what still arrives.
inline constexpr auto kDrainBeforeTerminalClose = std::chrono::milliseconds(250);

template <class Cfg>
class Sender final : public Transport {
 public:
  using Endpoint = websocketpp::server<Cfg>;
  using ConnectionPtr = typename Endpoint::connection_ptr;

  Sender(asio::io_context& loop, const Config& config, Endpoint& endpoint, HeapTrim& heap_trim)
      : loop_(loop), config_(config), endpoint_(endpoint), heap_trim_(heap_trim) {}

  // The connection behind a Link (websocketpp's connection_hdl), or null once it is gone.
  ConnectionPtr connection(const Link& link) {
    std::error_code ec;
    ConnectionPtr con = endpoint_.get_con_from_hdl(link, ec);
    return ec ? nullptr : con;
  }

  bool send(const Link& link, std::string text) override {
    ConnectionPtr con = connection(link);
    if (!con || con->closing) return false;
    heap_trim_.note_event();  // what a burst leaves to free is mostly its messages
    // A ready frame, the text moved in: websocketpp then skips its own framing, which takes a
    // second message object, a second copy of the payload and a UTF-8 check of our own text.
    auto message = con->get_message(websocketpp::frame::opcode::text, 0);
    message->set_header(text_frame_header(text.size()));
    message->get_raw_payload() = std::move(text);
    message->set_prepared(true);
    std::error_code ec = con->send(message);
    if (ec) return false;
    size_t buffered = con->get_buffered_amount();
    if (buffered <= config_.ws_max_send_buffer_bytes) return true;
    log_event(LogLevel::warn, "ws", "send_buffer_full",
              {{"conn_id", con->id}, {"user_id", con->user_id}, {"buffered_bytes", buffered}});
    close(con, kCloseSendBufferFull, "send buffer full");
    return false;
  }

  bool close(const Link& link, uint16_t code, const std::string& reason) override {
    ConnectionPtr con = connection(link);
    return con && close(con, code, reason);
  }

  bool close(const ConnectionPtr& con, uint16_t code, const std::string& reason) {
    if (con->closing) return false;
    con->closing = true;
    std::error_code ec;
    if (!websocketpp::close::status::terminal(code)) {
      con->close(code, reason, ec);
      return true;
    }
    auto timer = std::make_shared<asio::steady_timer>(loop_, kDrainBeforeTerminalClose);
    timer->async_wait([this, timer, h = con->get_handle(), code, reason](const std::error_code&) {
      std::error_code ignored;
      endpoint_.close(h, code, reason, ignored);
    });
    return true;
  }

 private:
  asio::io_context& loop_;
  const Config& config_;
  Endpoint& endpoint_;
  HeapTrim& heap_trim_;
};

}  // namespace vc::ws
