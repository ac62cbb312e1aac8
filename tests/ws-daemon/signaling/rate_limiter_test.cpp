#include "signaling/rate_limiter.h"

#include <gtest/gtest.h>

using vc::ws::RateLimiter;
using namespace std::chrono_literals;

TEST(RateLimiter, AllowsTheBurstAtOnceThenRefuses) {
  auto t0 = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter limiter(50, 100, t0);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.allow(t0)) << i;
  EXPECT_FALSE(limiter.allow(t0));
}

TEST(RateLimiter, RefillsAtTheRate) {
  auto t0 = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter limiter(50, 100, t0);
  for (int i = 0; i < 100; ++i) limiter.allow(t0);
  // 50 per second: 20 ms gives one token, 100 ms five.
  EXPECT_TRUE(limiter.allow(t0 + 20ms));
  EXPECT_FALSE(limiter.allow(t0 + 20ms));
  int allowed = 0;
  while (limiter.allow(t0 + 120ms)) ++allowed;
  EXPECT_EQ(allowed, 5);
}

TEST(RateLimiter, NeverSavesMoreThanTheBurst) {
  auto t0 = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter limiter(50, 100, t0);
  int allowed = 0;
  while (limiter.allow(t0 + 1h)) ++allowed;
  EXPECT_EQ(allowed, 100);
}

TEST(RateLimiter, SustainedRateAtTheLimitPasses) {
  auto t0 = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter limiter(50, 100, t0);
  for (int i = 0; i < 100; ++i) limiter.allow(t0);
  // One message every 20 ms keeps up with the refill forever.
  for (int i = 1; i <= 500; ++i) ASSERT_TRUE(limiter.allow(t0 + i * 20ms)) << i;
}

TEST(RateLimiter, ClockGoingBackwardsGivesNothing) {
  auto t0 = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter limiter(1, 1, t0);
  EXPECT_TRUE(limiter.allow(t0));
  EXPECT_FALSE(limiter.allow(t0 - 10s));
}
