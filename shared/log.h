// Structured logging: one JSON object per line, to a file and/or stderr (journald).
// Thread-safe. Never pass passwords, tokens, cookies or full SDP as fields.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace vc {

// A field whose value is already valid JSON (an object the caller parsed and re-serialised).
struct RawJson {
  std::string text;
};

enum class LogLevel { debug, info, warn, error };

struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, long v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, long long v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, unsigned v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(static_cast<int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
  LogField(std::string_view k, RawJson v) : key(k), value(std::move(v)) {}

  std::string_view key;
  std::variant<std::string, int64_t, double, bool, RawJson> value;
};

struct LogOptions {
  std::string file;  // empty: no file
  bool to_stderr = true;
  LogLevel min_level = LogLevel::info;
};

// Call once at startup; before that, lines go to stderr only.
void log_configure(const LogOptions& options);
// Reopens the log file (logrotate sends SIGHUP after moving it away).
void log_reopen();
bool parse_log_level(std::string_view name, LogLevel& out);

// The line without the trailing newline; `ts_ms` is milliseconds since the epoch.
std::string format_log_line(int64_t ts_ms, LogLevel level, std::string_view component,
                            std::string_view event, std::initializer_list<LogField> fields);

void log_event(LogLevel level, std::string_view component, std::string_view event,
               std::initializer_list<LogField> fields = {});

}  // namespace vc
