// websocketpp as this daemon uses it, and what each connection carries.
// Threading: one thread runs the Asio loop and owns every connection, so websocketpp takes no
// locks (concurrency::none) and no strands (enable_multithreading = false).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/core.hpp>

#include "net/gated_transport.h"
#include "net/message_pool.h"
#include "session_store.h"
#include "signaling/transport.h"

namespace vc::ws {

using Clock = std::chrono::steady_clock;

// Per-connection fields, carried by websocketpp's connection object (config::connection_base);
// net/ is their only reader and writer.
struct ConnectionState {
  ConnId id = 0;        // 0 until the connection opened
  int64_t user_id = 0;  // for log lines; the hub holds the user itself
  // The session the handshake gate found, until the open handler hands it to the hub.
  std::unique_ptr<SessionUser> authenticated;
  std::string remote_ip;
  Clock::time_point opened_at{};
  Clock::time_point last_alive{};  // last pong or message
  bool refused = false;            // refusal already logged
  bool closing = false;            // we started closing it; its messages are dropped
};

// The read buffer is sized for signaling instead of websocketpp's 16 KiB inside every
// connection object: a longer message just takes more reads. Messages come from a pool. The
// transport is ws-daemon's own (stream_connection.h), on a TCP socket or a TLS stream.
template <class Stream>
struct OneThreadConfig : websocketpp::config::core {
  typedef OneThreadConfig<Stream> type;
  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  static bool const enable_multithreading = false;
  static const size_t connection_read_buffer_size = 1024;
  typedef websocketpp::message_buffer::message<PooledMessages> message_type;
  typedef PooledMessages<message_type> con_msg_manager_type;
  typedef websocketpp::message_buffer::alloc::endpoint_msg_manager<con_msg_manager_type>
      endpoint_msg_manager_type;
  typedef GatedEndpoint<Stream> transport_type;
  typedef ConnectionState connection_base;
};

using PlainConfig = OneThreadConfig<PlainStream>;
using TlsConfig = OneThreadConfig<TlsStream>;

}  // namespace vc::ws
