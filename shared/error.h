// Errors are values with a stable snake_case code, as they appear on the wire.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vc {

struct Error {
  std::string code;     // stable, machine-readable: "invalid_format", "db_unavailable", ...
  std::string message;  // for humans; never contains secrets
};

// A value or an Error. Small on purpose: C++17 has no std::expected.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
using Status = std::optional<Error>;

}  // namespace vc
