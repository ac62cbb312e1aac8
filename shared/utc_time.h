// UTC timestamps as text, with millisecond precision.
#pragma once

#include <cstdint>
#include <string>

namespace vc {

// "2024-01-02 03:04:05.678": MariaDB's DATETIME(3) text (every connection uses UTC).
std::string format_utc_ms(int64_t ms_since_epoch);
// "2024-01-02T03:04:05.678Z": ISO-8601, for logs and the API.
std::string iso8601_utc_ms(int64_t ms_since_epoch);

}  // namespace vc
