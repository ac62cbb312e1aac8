// Gives the memory of a burst back to the system once the daemon goes quiet. glibc keeps what a
// burst freed (greetings and presence for thousands of connections, their handshakes, the DB
// replies) inside its heap, and an idle daemon's RSS then shows the burst rather than its
// connections: 82 MB for 10,200 idle connections, 39 MB after malloc_trim (bench/RESULTS.md).
// malloc_trim walks the heap, tens of milliseconds on a large fragmented one, so it runs only
// at the first quiet tick after a burst, when there is nothing for it to delay.
#pragma once

#include <malloc.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>

#include "log.h"

namespace vc::ws {

// The rule, apart from the timer: trim at the first tick with no event after at least
// kBurstEvents events since the last trim.
class QuietAfterBurst {
 public:
  static constexpr uint64_t kBurstEvents = 1000;

  // `events` counts every event so far; true when this tick should trim.
  bool tick(uint64_t events) {
    const bool quiet = events == events_at_last_tick_;
    events_at_last_tick_ = events;
    if (!quiet || events - events_at_trim_ < kBurstEvents) return false;
    events_at_trim_ = events;
    return true;
  }

 private:
  uint64_t events_at_last_tick_ = 0;
  uint64_t events_at_trim_ = 0;
};

class HeapTrim {
 public:
  static constexpr auto kTick = std::chrono::milliseconds(250);

  explicit HeapTrim(asio::io_context& loop) : timer_(loop) {}

  // A connection opened or closed, or a message came: the loop is not quiet.
  void note_event() { ++events_; }

  void start() {
    timer_.expires_after(kTick);
    timer_.async_wait([this](const std::error_code& ec) {
      if (ec) return;
      if (rule_.tick(events_)) trim();
      start();
    });
  }

  void stop() { timer_.cancel(); }

 private:
  static void trim() {
    const auto started = std::chrono::steady_clock::now();
    const bool released = malloc_trim(0) == 1;
    log_event(LogLevel::debug, "ws", "heap_trimmed",
              {{"released", released},
               {"ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                started)
                          .count()}});
  }

  asio::steady_timer timer_;
  QuietAfterBurst rule_;
  uint64_t events_ = 0;
};

}  // namespace vc::ws
