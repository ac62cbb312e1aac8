#include "signaling/hub.h"

#include "log.h"
#include "signaling/codec.h"

namespace vc::ws {
namespace {

// A connection that sends this many unparseable messages in a row is not a client we know.
constexpr int kMaxInvalidInARow = 10;

bool is_garbage(const Error& e) {
  return e.code == kErrInvalidJson || e.code == kErrInvalidFormat || e.code == kErrUnknownType ||
         e.code == kErrMessageTooBig;
}

}  // namespace

Hub::Hub(asio::io_context& loop, const Config& config, DbWorkers& db, Transport& transport)
    : loop_(loop), config_(config), db_(db), transport_(transport), recheck_timer_(loop) {}

void Hub::start() {
  schedule_session_recheck();
}

size_t Hub::connection_count(int64_t user_id) const {
  auto it = users_.find(user_id);
  return it == users_.end() ? 0 : it->second.size();
}

void Hub::send_to(ConnId id, const std::string& text) {
  if (id != 0) transport_.send(id, text);
}

void Hub::on_open(ConnId id, const SessionUser& user, const std::string& remote_ip) {
  // The handshake checked the limit, but two handshakes of one user can pass it together.
  if (connection_count(user.user_id) >= size_t(config_.ws_max_connections_per_user)) {
    log_event(LogLevel::warn, "ws", "connection_refused",
              {{"conn_id", id}, {"user_id", user.user_id}, {"why", "too_many_connections"}});
    transport_.close(id, kClosePolicyViolation, "too many connections");
    return;
  }
  Connection c{
      id, user,
      RateLimiter(config_.ws_rate_per_s, config_.ws_rate_burst, RateLimiter::Clock::now())};
  connections_.emplace(id, std::move(c));
  auto& mine = users_[user.user_id];
  const bool first = mine.empty();
  mine.insert(id);

  Hello hello{{user.user_id, user.username, user.display_name}, {}};
  for (const auto& [uid, conns] : users_)
    if (uid != user.user_id) hello.online.push_back(uid);
  send_to(id, encode(hello));
  if (first) broadcast_presence(user.user_id, true);

  // A tab opened while the user's phone rings rings too.
  for (auto& [call_id, call] : calls_) {
    if (call.state != CallState::ringing || call.record.callee_id != user.user_id) continue;
    auto caller = connections_.find(call.caller_conn);
    if (caller == connections_.end()) continue;
    const SessionUser& u = caller->second.user;
    if (transport_.send(id, encode(Incoming{call_id, {u.user_id, u.username, u.display_name}})))
      call.rang.insert(id);
  }
  (void)remote_ip;  // logged by the server with the open event
}

void Hub::on_close(ConnId id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;  // refused in on_open
  const int64_t user_id = it->second.user.user_id;
  connections_.erase(it);
  auto& mine = users_[user_id];
  mine.erase(id);
  if (mine.empty()) {
    users_.erase(user_id);
    if (!stopping_) broadcast_presence(user_id, false);
  }
  if (!stopping_) on_connection_gone_from_calls(id);
}

void Hub::broadcast_presence(int64_t user_id, bool online) {
  const std::string text = encode(Presence{user_id, online});
  for (const auto& [id, c] : connections_)
    if (c.user.user_id != user_id) send_to(id, text);
}

void Hub::on_message(ConnId id, const std::string& text) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.closing) return;
  Connection& c = it->second;
  if (!c.limiter.allow(RateLimiter::Clock::now())) {
    log_event(LogLevel::warn, "ws", "rate_limited", {{"conn_id", id}, {"user_id", c.user.user_id}});
    c.closing = true;
    transport_.close(id, kClosePolicyViolation, "rate limit exceeded");
    return;
  }
  ParsedMessage parsed = parse_client_message(text, config_.ws_max_message_bytes);
  if (!parsed.message) {
    reply_error(c, parsed.message.error(), parsed.ref, "");
    if (is_garbage(parsed.message.error()) && ++c.invalid_in_a_row >= kMaxInvalidInARow) {
      log_event(LogLevel::warn, "ws", "garbage_limit",
                {{"conn_id", id}, {"user_id", c.user.user_id}});
      c.closing = true;
      transport_.close(id, kClosePolicyViolation, "too many invalid messages");
    }
    return;
  }
  c.invalid_in_a_row = 0;
  if (auto err = dispatch(c, *parsed.message))
    reply_error(c, *err, parsed.ref, message_type(*parsed.message));
}

Status Hub::dispatch(Connection& c, ClientMessage& message) {
  // Authentication happened in the handshake: every connection here has a live session.
  return std::visit([&](auto& m) { return handle(c, m); }, message);
}

void Hub::reply_error(Connection& c, const Error& error, const std::string& ref, const char* type) {
  log_event(LogLevel::info, "ws", "message_refused",
            {{"conn_id", c.id},
             {"user_id", c.user.user_id},
             {"type", type},
             {"code", error.code},
             {"error", error.message}});
  send_to(c.id, encode_error(error, ref));
}

// ---- Sessions: a logout elsewhere closes the sockets of that session ----------------------

void Hub::schedule_session_recheck() {
  recheck_timer_.expires_after(std::chrono::seconds(config_.ws_session_recheck_s));
  recheck_timer_.async_wait([this](const std::error_code& ec) {
    if (ec || stopping_) return;
    schedule_session_recheck();
    if (recheck_in_flight_ || connections_.empty()) return;
    std::set<int64_t> ids;
    for (const auto& [id, c] : connections_) ids.insert(c.user.session_id);
    recheck_in_flight_ = true;
    // keep_alive also refreshes the idle expiry: an open signaling socket is activity.
    bool queued = db_.ask<Result<std::vector<int64_t>>>(
        [ids](DbContext& ctx) -> Result<std::vector<int64_t>> {
          std::vector<int64_t> dead;
          for (int64_t session_id : ids) {
            auto live = ctx.sessions.keep_alive(session_id);
            if (!live) return live.error();
            if (!*live) dead.push_back(session_id);
          }
          return dead;
        },
        [this](Result<std::vector<int64_t>> dead) { on_sessions_checked(dead); });
    if (!queued) recheck_in_flight_ = false;
  });
}

void Hub::on_sessions_checked(const Result<std::vector<int64_t>>& dead) {
  recheck_in_flight_ = false;
  if (stopping_) return;
  if (!dead) {
    // The database is down: connected users keep signaling; the next round tries again.
    log_event(LogLevel::warn, "ws", "session_recheck_failed", {{"error", dead.error().message}});
    return;
  }
  const std::set<int64_t> ended(dead->begin(), dead->end());
  for (auto& [id, c] : connections_) {
    if (!ended.count(c.user.session_id) || c.closing) continue;
    log_event(LogLevel::info, "ws", "session_ended",
              {{"conn_id", id}, {"user_id", c.user.user_id}, {"session_id", c.user.session_id}});
    c.closing = true;
    transport_.close(id, kCloseSessionEnded, "session ended");
  }
}

void Hub::shutdown() {
  stopping_ = true;
  recheck_timer_.cancel();
  std::vector<std::string> ringing;
  for (auto& [call_id, call] : calls_)
    if (call.state == CallState::ringing) ringing.push_back(call_id);
  for (const std::string& call_id : ringing) apply(calls_.at(call_id), CallEvent::shutdown);
  calls_.clear();  // active calls stay active in the table; timers are cancelled with them
}

}  // namespace vc::ws
