// What the browser needs for WebRTC (ICE servers) and what it reports back (client logs).
#include <chrono>
#include <sstream>

#include "handlers.h"
#include "json.h"
#include "log.h"
#include "requests.h"
#include "turn_credentials.h"

namespace vc {

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
  w.field("iceTransportPolicy", config.ice_transport_policy);
  w.field("ttl", config.ice_ttl_s);
  w.end_object();
  return json_response(200, w.take());
}

HttpResponse handle_client_log(RequestContext& ctx) {
  auto entry = parse_client_log(ctx.request.body);
  if (!entry) return error_response(entry.error());
  LogLevel level = LogLevel::info;
  parse_log_level(entry->level, level);
  log_event(level, "client", entry->event,
            {{"request_id", ctx.request.request_id},
             {"user_id", ctx.session->user_id},
             {"call_id", entry->call_id},
             {"message", entry->message},
             {"stats", RawJson{entry->stats_json}}});
  if (entry->event == "call_quality" && !entry->call_id.empty() && !entry->candidate_pair.empty()) {
    // Only a party of the call changes its row, and only its own side.
    const int64_t me = ctx.session->user_id;
    auto updated = ctx.worker.db.exec(
        "UPDATE calls SET"
        " caller_candidate_pair = IF(caller_id = ?, ?, caller_candidate_pair),"
        " callee_candidate_pair = IF(callee_id = ?, ?, callee_candidate_pair)"
        " WHERE id = ? AND (caller_id = ? OR callee_id = ?)",
        {me, entry->candidate_pair, me, entry->candidate_pair, entry->call_id, me, me});
    if (!updated) return error_response(updated.error());
  }
  return no_content();
}

}  // namespace vc
