#include "requests.h"

#include <regex>

#include "api_errors.h"
#include "json.h"
#include "validation.h"

namespace vc {
namespace {

constexpr size_t kMaxClientMessage = 1000;
constexpr size_t kMaxClientStats = 4096;

struct Credentials {
  std::string username;
  std::string password;
};

Result<Credentials> read_credentials(const JsonObject& body) {
  auto username = body.string_field("username");
  if (!username) return username.error();
  auto password = body.string_field("password");
  if (!password) return password.error();
  return Credentials{*username, *password};
}

}  // namespace

Result<RegisterRequest> parse_register_request(std::string_view text) {
  auto body = JsonObject::parse(text);
  if (!body) return body.error();
  auto credentials = read_credentials(*body);
  if (!credentials) return credentials.error();
  auto display_name = body->optional_string_field("display_name");
  if (!display_name) return display_name.error();

  auto username = normalize_username(credentials->username);
  if (!username) return username.error();
  if (auto err = check_password(credentials->password)) return *err;
  std::string shown_name = display_name->value_or(*username);
  if (auto err = check_display_name(shown_name)) return *err;
  return RegisterRequest{*username, credentials->password, shown_name};
}

Result<LoginRequest> parse_login_request(std::string_view text) {
  auto body = JsonObject::parse(text);
  if (!body) return body.error();
  auto credentials = read_credentials(*body);
  if (!credentials) return credentials.error();
  LoginRequest request;
  request.password = credentials->password;
  auto username = normalize_username(credentials->username);
  if (username) request.username = *username;
  request.impossible = !username || utf8_length(request.password) > static_cast<long>(kPasswordMax);
  return request;
}

Result<AddContactRequest> parse_add_contact_request(std::string_view text) {
  auto body = JsonObject::parse(text);
  if (!body) return body.error();
  auto user_id = body->int_field("user_id");
  if (!user_id) return user_id.error();
  if (*user_id < 1) return Error{api_error::kInvalidField, "user_id must be a positive integer"};
  return AddContactRequest{*user_id};
}

Result<ClientLogEntry> parse_client_log(std::string_view text) {
  static const std::regex kEvent("[a-z0-9_.-]{1,64}");
  static const std::regex kCallId("[A-Za-z0-9-]{1,64}");
  auto body = JsonObject::parse(text);
  if (!body) return body.error();
  auto level = body->string_field("level");
  if (!level) return level.error();
  auto event = body->string_field("event");
  if (!event) return event.error();
  auto call_id = body->optional_string_field("call_id");
  if (!call_id) return call_id.error();
  auto message = body->optional_string_field("message");
  if (!message) return message.error();

  if (*level != "info" && *level != "warn" && *level != "error")
    return Error{api_error::kInvalidField, "level must be info, warn or error"};
  if (!std::regex_match(*event, kEvent))
    return Error{api_error::kInvalidField,
                 "event must be 1-64 characters of a-z, 0-9, '_', '.' or '-'"};
  if (*call_id && !std::regex_match(**call_id, kCallId))
    return Error{api_error::kInvalidField,
                 "call_id must be 1-64 characters of A-Z, a-z, 0-9 or '-'"};
  if (*message && utf8_length(**message) > static_cast<long>(kMaxClientMessage))
    return Error{api_error::kInvalidField, "message must be at most 1000 characters"};

  ClientLogEntry entry{*level, *event, call_id->value_or(""), message->value_or(""), "{}", ""};
  if (body->has("stats")) {
    auto stats = body->object_field_text("stats");
    if (!stats) return stats.error();
    if (stats->size() > kMaxClientStats)
      return Error{api_error::kInvalidField, "stats must be at most 4 KiB"};
    entry.stats_json = *stats;
    static const std::regex kPair("(host|srflx|prflx|relay)(/(host|srflx|prflx|relay))?");
    auto parsed = JsonObject::parse(entry.stats_json);
    auto pair = parsed->optional_string_field("candidate_pair");
    if (!pair || (*pair && !std::regex_match(**pair, kPair)))
      return Error{api_error::kInvalidField,
                   "stats.candidate_pair must be candidate types like \"relay/host\""};
    entry.candidate_pair = pair->value_or("");
  }
  return entry;
}

}  // namespace vc
