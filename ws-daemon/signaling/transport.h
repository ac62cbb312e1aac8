// What the hub needs from the socket layer, and nothing more; server.cpp implements it for
// the plain and the TLS websocketpp endpoints alike.
#pragma once

#include <cstdint>
#include <string>

namespace vc::ws {

using ConnId = uint64_t;  // a connection's number for this run of the daemon, never reused

class Transport {
 public:
  virtual ~Transport() = default;
  // Queues a text frame; false when the connection is gone or no longer open. Never throws.
  virtual bool send(ConnId id, const std::string& text) = 0;
  // Starts the closing handshake; the hub hears of it later through Hub::on_close.
  virtual void close(ConnId id, uint16_t code, const std::string& reason) = 0;
};

}  // namespace vc::ws
