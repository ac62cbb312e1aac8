// JSON at the edges: a compact writer and a parsed object with typed field access.
// Built on the rapidjson that cereal uses, configured the same way (assertions throw),
// and kept out of this header so every translation unit sees one configuration.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"

namespace vc {

class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void start_object();
  void end_object();
  void start_array();
  void end_array();
  void key(std::string_view name);
  void value(std::string_view s);
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(const char* s) { value(std::string_view(s)); }
  void value(int64_t n);
  void value(int n) { value(int64_t{n}); }
  void value(double d);
  void value(bool b);
  void null();
  // Writes text that is already valid JSON, as the next value.
  void raw(std::string_view json);
  template <class T>
  void field(std::string_view name, const T& v) {
    key(name);
    value(v);
  }
  // The document written so far; the writer is spent afterwards.
  std::string take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A request body that must be a JSON object. Field errors name the field, so the
// client can be told exactly what is wrong ("username must be a string").
class JsonObject {
 public:
  static Result<JsonObject> parse(std::string_view text);
  JsonObject(JsonObject&&) noexcept;
  ~JsonObject();

  bool has(const char* name) const;
  Result<std::string> string_field(const char* name) const;
  // Absent or null gives nullopt; any other non-string is an error.
  Result<std::optional<std::string>> optional_string_field(const char* name) const;
  Result<int64_t> int_field(const char* name) const;
  Result<bool> bool_field(const char* name) const;
  Result<std::vector<int64_t>> int_array_field(const char* name) const;
  // The raw JSON text of a field that is an object (for nested messages).
  Result<std::string> object_field_text(const char* name) const;

 private:
  struct Impl;
  explicit JsonObject(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vc
