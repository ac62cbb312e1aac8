// websocketpp's validate handler must answer at once, but the session lookup behind the
// handshake runs on a DB worker. This transport lets the answer wait: the validate handler
// calls hold_handshake(), websocketpp then writes its 101 response through async_write(),
// and that first write is kept until decide() says whether to send it or a refusal instead.
// websocketpp (0.8.2) writes nothing else before the handshake response, and it calls the
// transport as `transport_con_type::async_write`, so hiding the base method here is enough.
// The Asio loop never blocks; a pending handshake is still bounded by websocketpp's open
// handshake timeout.
#pragma once

#include <optional>
#include <string>
#include <websocketpp/error.hpp>

#include "net/stream_connection.h"
#include "net/stream_endpoint.h"

namespace vc::ws {

template <class Base>
class GatedConnection : public Base {
 public:
  using Base::async_write;  // the gather-write for frames stays as it is
  using Base::Base;
  using write_handler = websocketpp::transport::write_handler;

  // Called from the validate handler: the handshake response waits for decide().
  void hold_handshake() { gated_ = true; }

  // Sends the held response (no refusal) or `refusal`, a complete HTTP response, after
  // which websocketpp fails the connection. May come before the response was even written.
  void decide(std::optional<std::string> refusal) {
    if (decided_) return;
    decided_ = true;
    refusal_ = std::move(refusal);
    if (held_handler_) {
      write_handler handler = std::move(held_handler_);
      held_handler_ = nullptr;
      send_decided(held_buf_, held_len_, std::move(handler));
    }
  }

  void async_write(const char* buf, size_t len, write_handler handler) {
    if (!gated_) return Base::async_write(buf, len, std::move(handler));
    gated_ = false;  // only the handshake response is gated
    if (decided_) return send_decided(buf, len, std::move(handler));
    held_buf_ = buf;  // websocketpp's own buffer, alive as long as the connection
    held_len_ = len;
    held_handler_ = std::move(handler);
  }

 private:
  void send_decided(const char* buf, size_t len, write_handler handler) {
    if (!refusal_) return Base::async_write(buf, len, std::move(handler));
    Base::async_write(refusal_->data(), refusal_->size(),
                      [handler = std::move(handler)](const std::error_code&) {
                        handler(websocketpp::error::make_error_code(websocketpp::error::rejected));
                      });
  }

  bool gated_ = false;
  bool decided_ = false;
  std::optional<std::string> refusal_;
  const char* held_buf_ = nullptr;
  size_t held_len_ = 0;
  write_handler held_handler_;
};

// The transport websocketpp runs on: a stream whose handshake response can wait.
template <class Stream>
using GatedEndpoint = StreamEndpoint<GatedConnection<StreamConnection<Stream>>>;

}  // namespace vc::ws
