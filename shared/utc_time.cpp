#include "utc_time.h"

#include <cstdio>
#include <ctime>

namespace vc {

std::string format_utc_ms(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string iso8601_utc_ms(int64_t ms) {
  std::string text = format_utc_ms(ms);
  text[10] = 'T';
  return text + "Z";
}

}  // namespace vc
