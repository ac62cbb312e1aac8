// What the browser needs for WebRTC (ICE servers) and what it reports back (client logs).
#include <chrono>
#include <regex>
#include <sstream>

#include "handlers.h"
#include "json.h"
#include "log.h"
#include "turn_credentials.h"
#include "validation.h"

namespace vc {
namespace {

constexpr size_t kMaxClientMessage = 1000;
constexpr size_t kMaxClientStats = 4096;

Status check_client_log_fields(const std::string& level, const std::string& event,
                               const std::optional<std::string>& call_id,
                               const std::optional<std::string>& message) {
  static const std::regex kEvent("[a-z0-9_.-]{1,64}");
  static const std::regex kCallId("[A-Za-z0-9-]{1,64}");
  if (level != "info" && level != "warn" && level != "error")
    return Error{"invalid_field", "level must be info, warn or error"};
  if (!std::regex_match(event, kEvent))
    return Error{"invalid_field", "event must be 1-64 characters of a-z, 0-9, '_', '.' or '-'"};
  if (call_id && !std::regex_match(*call_id, kCallId))
    return Error{"invalid_field", "call_id must be 1-64 characters of A-Z, a-z, 0-9 or '-'"};
  if (message && utf8_length(*message) > static_cast<long>(kMaxClientMessage))
    return Error{"invalid_field", "message must be at most 1000 characters"};
  return std::nullopt;
}

}  // namespace

HttpResponse handle_ice_servers(RequestContext& ctx) {
  const Config& config = ctx.worker.config;
  JsonWriter w;
  w.start_object();
  w.key("iceServers");
  w.start_array();
  std::stringstream stun_urls(config.ice_stun_urls);
  for (std::string url; std::getline(stun_urls, url, ',');) {
    url.erase(0, url.find_first_not_of(' '));
    url.erase(url.find_last_not_of(' ') + 1);
    if (url.empty()) continue;
    w.start_object();
    w.field("urls", url);
    w.end_object();
  }
  if (!config.turn_host.empty()) {
    const std::string host = config.turn_host;
    const std::string port = std::to_string(config.turn_port);
    w.start_object();
    w.field("urls", "stun:" + host + ":" + port);
    w.end_object();
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    TurnCredentials creds =
        make_turn_credentials(config.turn_secret, ctx.session->user_id, now, config.ice_ttl_s);
    w.start_object();
    w.key("urls");
    w.start_array();
    w.value("turn:" + host + ":" + port + "?transport=udp");
    w.value("turn:" + host + ":" + port + "?transport=tcp");
    w.value("turns:" + host + ":" + std::to_string(config.turn_tls_port) + "?transport=tcp");
    w.end_array();
    w.field("username", creds.username);
    w.field("credential", creds.credential);
    w.end_object();
  }
  w.end_array();
  w.field("ttl", config.ice_ttl_s);
  w.end_object();
  return json_response(200, w.take());
}

HttpResponse handle_client_log(RequestContext& ctx) {
  auto body = JsonObject::parse(ctx.request.body);
  if (!body) return error_response(body.error());
  auto level = body->string_field("level");
  if (!level) return error_response(level.error());
  auto event = body->string_field("event");
  if (!event) return error_response(event.error());
  auto call_id = body->optional_string_field("call_id");
  if (!call_id) return error_response(call_id.error());
  auto message = body->optional_string_field("message");
  if (!message) return error_response(message.error());
  if (auto err = check_client_log_fields(*level, *event, *call_id, *message))
    return error_response(*err);
  std::string stats = "{}";
  if (body->has("stats")) {
    auto text = body->object_field_text("stats");
    if (!text) return error_response(text.error());
    if (text->size() > kMaxClientStats)
      return error_response({"invalid_field", "stats must be at most 4 KiB"});
    stats = *text;
  }
  LogLevel log_level = LogLevel::info;
  parse_log_level(*level, log_level);
  log_event(log_level, "client", *event,
            {{"request_id", ctx.request.request_id},
             {"user_id", ctx.session->user_id},
             {"call_id", call_id->value_or("")},
             {"message", message->value_or("")},
             {"stats", RawJson{stats}}});
  return no_content();
}

}  // namespace vc
