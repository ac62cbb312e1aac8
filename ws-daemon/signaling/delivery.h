// How the signaling rules reach people: by connection and by user.
// The hub implements it over the connections of this daemon; a later router between several
// daemons (NATS) goes behind this one interface without touching the call rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signaling/transport.h"

namespace vc::ws {

class Delivery {
 public:
  virtual ~Delivery() = default;
  // Whether the user has at least one open connection.
  virtual bool is_online(int64_t user_id) const = 0;
  // To one connection (0 is none); false when it is gone or closing.
  virtual bool to_connection(ConnId id, std::string text) = 0;
  // To every open connection of a user; the ones it reached (none: the user is offline).
  virtual std::vector<ConnId> to_user(int64_t user_id, const std::string& text) = 0;
};

}  // namespace vc::ws
