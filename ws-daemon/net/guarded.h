// websocketpp calls our handlers from inside its own code; an exception escaping one would
// leave the endpoint in an unknown state, so each handler runs through this, at the edge.
#pragma once

#include <exception>

#include "log.h"

namespace vc::ws {

template <class F>
void guarded(const char* handler, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    log_event(LogLevel::error, "ws", "handler_exception",
              {{"handler", handler}, {"error", e.what()}});
  }
}

}  // namespace vc::ws
