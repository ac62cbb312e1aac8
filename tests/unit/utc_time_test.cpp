#include "utc_time.h"

#include <gtest/gtest.h>

TEST(UtcTime, DatabaseAndIsoFormsWithMilliseconds) {
  EXPECT_EQ(vc::format_utc_ms(1764100000123), "2025-11-25 19:46:40.123");
  EXPECT_EQ(vc::iso8601_utc_ms(1764100000123), "2025-11-25T19:46:40.123Z");
  EXPECT_EQ(vc::format_utc_ms(0), "1970-01-01 00:00:00.000");
}
