// A token bucket: `rate` tokens per second, at most `burst` saved up. One per connection,
// used on the hub thread only. Time is passed in, so tests need no clock.
#pragma once

#include <chrono>

namespace vc::ws {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double rate_per_s, double burst, Clock::time_point now);
  // Takes a token; false when the bucket is empty (the message is over the limit).
  bool allow(Clock::time_point now);

 private:
  double rate_per_s_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace vc::ws
