// A lean WebSocket client connection for the load generator: raw Asio, plain TCP, one
// io_context thread per group of connections. It does only what a signaling client does —
// the upgrade request, masked text frames out, unmasked frames in, pongs, the closing
// handshake — so that 10,000 of them fit in one process and the generator is not the
// bottleneck it measures. (tests/ws-daemon/ws_client is a websocketpp client with a thread
// per connection and gtest checks: right for tests, too heavy for this.)
// Threading: a WsConn and its listener are used only by the thread running its io_context.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vc::bench {

class WsConn;

// What a scenario hears from its connections; every call comes from the io_context thread.
class WsListener {
 public:
  virtual ~WsListener() = default;
  virtual void on_open(WsConn& conn) = 0;
  // `text` points into the connection's read buffer: valid only during the call.
  virtual void on_text(WsConn& conn, std::string_view text) = 0;
  // The upgrade failed: `status` is the HTTP status, or 0 when the socket failed first.
  virtual void on_refused(WsConn& conn, int status) = 0;
  virtual void on_closed(WsConn& conn) = 0;
};

struct WsTarget {
  asio::ip::tcp::endpoint server;
  std::string host_header;  // "127.0.0.1:PORT"
  std::string origin;       // "" sends no Origin
};

class WsConn : public std::enable_shared_from_this<WsConn> {
 public:
  enum class State { idle, connecting, open, closing, closed };

  WsConn(asio::io_context& io, WsListener& listener, int tag);
  WsConn(const WsConn&) = delete;
  WsConn& operator=(const WsConn&) = delete;

  // Connects from `source` (an address in 127.0.0.0/8, so that many connections do not run
  // out of ports) and sends the upgrade with `cookie` ("" for none).
  void start(const WsTarget& target, const asio::ip::address& source, const std::string& cookie);
  void send_text(std::string_view text);
  // Starts the closing handshake (code 1000); the socket closes when the server answers.
  void close();
  // Drops the socket at once, without a closing handshake.
  void abort();

  State state() const { return state_; }
  int tag() const { return tag_; }

 private:
  void on_connected(const std::error_code& ec);
  void do_read();
  void on_read(const std::error_code& ec, size_t n);
  bool parse_upgrade_response();
  void parse_frames();
  void on_frame(int opcode, bool fin, std::string_view payload);
  void queue_frame(int opcode, std::string_view payload);
  void do_write();
  void fail(int status);  // the upgrade did not happen: tells the listener once
  void lost();            // the open connection ended: tells the listener once
  void finish();

  asio::ip::tcp::socket socket_;
  WsListener& listener_;
  int tag_;
  State state_ = State::idle;
  std::string request_;
  std::vector<char> in_;  // bytes read, not yet parsed
  size_t in_len_ = 0;
  std::string fragments_;  // a fragmented text message being put together
  std::string out_;        // frames waiting for the write in flight to finish
  std::string writing_;    // the frames of the write in flight
  bool write_in_flight_ = false;
  bool close_sent_ = false;
  bool reported_ = false;  // on_refused or on_closed was called
  uint32_t mask_seed_;
};

}  // namespace vc::bench
