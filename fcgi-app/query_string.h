// The query string of a request (`a=1&b=x%20y`) as named parameters, decoded once, with typed
// access that fails the way JsonObject does: a missing parameter is `missing_field`, a bad one
// `invalid_field`, each naming the parameter.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "error.h"

namespace vc {

class QueryParams {
 public:
  // application/x-www-form-urlencoded as browsers send it: '&'-separated `name=value` pairs,
  // '+' for a space, %XX escapes. Refused (`invalid_query_string`): a malformed escape, a
  // decoded name or value that is not UTF-8 or holds control characters, a name given twice.
  static Result<QueryParams> parse(std::string_view query);

  bool has(const std::string& name) const { return params_.count(name) != 0; }
  std::optional<std::string> get(const std::string& name) const;
  // A decimal integer of at least 1 (ids), without sign, spaces or leading '+'.
  Result<int64_t> positive_int(const std::string& name) const;

 private:
  std::map<std::string, std::string> params_;
};

}  // namespace vc
