#include "log.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <type_traits>

#include "json.h"
#include "utc_time.h"

namespace vc {
namespace {

struct LogState {
  std::mutex mutex;
  LogOptions options;
  int fd = -1;
};

LogState& state() {
  static LogState s;
  return s;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

void open_file_locked(LogState& s) {
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
  if (!s.options.file.empty())
    s.fd = ::open(s.options.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

void write_all(int fd, const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n <= 0) return;  // nowhere left to report a logging failure
    done += static_cast<size_t>(n);
  }
}

}  // namespace

bool parse_log_level(std::string_view name, LogLevel& out) {
  for (LogLevel l : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
    if (name == level_name(l)) return out = l, true;
  return false;
}

void log_configure(const LogOptions& options) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.options = options;
  open_file_locked(s);
}

void log_reopen() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  open_file_locked(s);
}

std::string format_log_line(int64_t ts_ms, LogLevel level, std::string_view component,
                            std::string_view event, std::initializer_list<LogField> fields) {
  JsonWriter w;
  w.start_object();
  w.field("ts", iso8601_utc_ms(ts_ms));
  w.field("level", level_name(level));
  w.field("component", component);
  w.field("event", event);
  for (const LogField& f : fields) {
    w.key(f.key);
    std::visit(
        [&w](const auto& v) {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, RawJson>)
            w.raw(v.text);
          else
            w.value(v);
        },
        f.value);
  }
  w.end_object();
  return w.take();
}

void log_event(LogLevel level, std::string_view component, std::string_view event,
               std::initializer_list<LogField> fields) {
  auto& s = state();
  if (level < s.options.min_level) return;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string line = format_log_line(now_ms, level, component, event, fields) + "\n";
  std::lock_guard lock(s.mutex);
  if (s.fd >= 0) write_all(s.fd, line);
  if (s.options.to_stderr) write_all(STDERR_FILENO, line);
}

}  // namespace vc
