// When the daemon hands a burst's memory back: at the first quiet tick after enough events.
#include "net/heap_trim.h"

#include <gtest/gtest.h>

using vc::ws::QuietAfterBurst;
constexpr uint64_t kBurst = QuietAfterBurst::kBurstEvents;

TEST(QuietAfterBurst, TrimsAtTheFirstQuietTickAfterABurst) {
  QuietAfterBurst rule;
  EXPECT_FALSE(rule.tick(kBurst));  // the burst is still coming
  EXPECT_TRUE(rule.tick(kBurst));   // nothing since: quiet
  EXPECT_FALSE(rule.tick(kBurst));  // still quiet, but nothing new to give back
}

TEST(QuietAfterBurst, NeverTrimsWhileEventsKeepComing) {
  QuietAfterBurst rule;
  for (uint64_t events = 1; events < 100 * kBurst; events += 7) EXPECT_FALSE(rule.tick(events));
}

TEST(QuietAfterBurst, AFewEventsAreNotABurst) {
  QuietAfterBurst rule;
  EXPECT_FALSE(rule.tick(kBurst - 1));
  EXPECT_FALSE(rule.tick(kBurst - 1));
  EXPECT_FALSE(rule.tick(kBurst + 5));  // a burst now, but not quiet yet
  EXPECT_TRUE(rule.tick(kBurst + 5));
}

TEST(QuietAfterBurst, TheNextBurstCountsFromTheLastTrim) {
  QuietAfterBurst rule;
  rule.tick(kBurst);
  ASSERT_TRUE(rule.tick(kBurst));
  rule.tick(kBurst + kBurst / 2);
  EXPECT_FALSE(rule.tick(kBurst + kBurst / 2));  // half a burst since the trim
  rule.tick(2 * kBurst);
  EXPECT_TRUE(rule.tick(2 * kBurst));
}
