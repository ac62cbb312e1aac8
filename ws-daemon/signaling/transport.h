// What the hub needs from the socket layer, and nothing more; net/sender.h implements it for
// the plain and the TLS websocketpp endpoints alike.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace vc::ws {

using ConnId = uint64_t;  // a connection's number for this run of the daemon, never reused
// The socket layer's handle on one connection, opaque here (websocketpp's connection_hdl).
// The hub keeps it in its registry beside the connection's number.
using Link = std::weak_ptr<void>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Queues a text frame, taking the text (no copy when it is moved in); false when the
  // connection is gone or closing. Never throws.
  virtual bool send(const Link& link, std::string text) = 0;
  // Starts the closing handshake; the hub hears of it later through Hub::on_close. From here
  // on the connection's messages are dropped. False when it was already closing or gone.
  virtual bool close(const Link& link, uint16_t code, const std::string& reason) = 0;
};

}  // namespace vc::ws
