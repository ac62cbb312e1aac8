#include "signaling/rate_limiter.h"

#include <algorithm>

namespace vc::ws {

RateLimiter::RateLimiter(double rate_per_s, double burst, Clock::time_point now)
    : rate_per_s_(rate_per_s), burst_(burst), tokens_(burst), last_(now) {}

bool RateLimiter::allow(Clock::time_point now) {
  if (now > last_) {
    double elapsed_s = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed_s * rate_per_s_);
    last_ = now;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace vc::ws
