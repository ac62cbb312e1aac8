// Request bodies as typed values: parsing and validation of what clients send, with no I/O,
// so the handlers only act and the fuzzer can reach every check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "error.h"

namespace vc {

struct RegisterRequest {
  std::string username;      // case-folded and valid
  std::string password;      // valid length
  std::string display_name;  // valid; the username when none was given
};
Result<RegisterRequest> parse_register_request(std::string_view body);

struct LoginRequest {
  std::string username;  // case-folded; empty when it cannot be a valid username
  std::string password;
  // A username or password that no account can have: refuse without a database lookup.
  bool impossible = false;
};
Result<LoginRequest> parse_login_request(std::string_view body);

struct AddContactRequest {
  int64_t user_id = 0;  // at least 1
};
Result<AddContactRequest> parse_add_contact_request(std::string_view body);

struct ClientLogEntry {
  std::string level;  // info, warn or error
  std::string event;
  std::string call_id;  // may be empty
  std::string message;  // may be empty
  std::string stats_json = "{}";
  // From stats.candidate_pair of a call_quality entry: "<local>/<remote>" candidate types.
  std::string candidate_pair;
};
Result<ClientLogEntry> parse_client_log(std::string_view body);

}  // namespace vc
