#include "query_string.h"

#include <charconv>

#include "api_errors.h"
#include "validation.h"

namespace vc {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
      if (lo < 0)
        return Error{api_error::kInvalidQueryString,
                     "malformed query string: '%' must be followed by two hex digits"};
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  if (utf8_length(out) < 0)
    return Error{api_error::kInvalidQueryString, "malformed query string: not UTF-8"};
  for (unsigned char b : out)
    if (b < 0x20 || b == 0x7F)
      return Error{api_error::kInvalidQueryString,
                   "malformed query string: control characters are not allowed"};
  return out;
}

}  // namespace

Result<QueryParams> QueryParams::parse(std::string_view query) {
  QueryParams out;
  while (!query.empty()) {
    const size_t end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;  // "a=1&&b=2", a trailing '&'
    const size_t eq = pair.find('=');
    auto name = decode(pair.substr(0, eq));
    if (!name) return name.error();
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return value.error();
    if (!out.params_.emplace(std::move(*name), std::move(*value)).second)
      return Error{api_error::kInvalidQueryString,
                   "malformed query string: a parameter is given twice"};
  }
  return out;
}

std::optional<std::string> QueryParams::get(const std::string& name) const {
  auto it = params_.find(name);
  if (it == params_.end()) return std::nullopt;
  return it->second;
}

Result<int64_t> QueryParams::positive_int(const std::string& name) const {
  auto text = get(name);
  if (!text) return Error{api_error::kMissingField, name + " is required"};
  const Error bad{api_error::kInvalidField, name + " must be a positive integer"};
  if (text->empty() || (*text)[0] < '0' || (*text)[0] > '9') return bad;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < 1) return bad;
  return n;
}

}  // namespace vc
