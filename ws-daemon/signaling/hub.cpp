#include "signaling/hub.h"

#include <algorithm>
#include <type_traits>

#include "log.h"
#include "signaling/codec.h"

namespace vc::ws {
namespace {

// A connection that sends this many unparseable messages in a row is not a client we know.
constexpr int kMaxInvalidInARow = 10;
// How long presence changes are gathered before followers hear of them: a page reload or a
// tab opened and closed within it is no change, and a crowd arriving at once (a daemon
// restart) reaches each follower as a few batches instead of one message per person.
constexpr auto kPresenceCoalesce = std::chrono::milliseconds(500);

bool is_garbage(const Error& e) {
  return e.code == kErrInvalidJson || e.code == kErrInvalidFormat || e.code == kErrUnknownType;
}

}  // namespace

Hub::Hub(asio::io_context& loop, const Config& config, DbWorkers& db, Transport& transport)
    : config_(config),
      db_(db),
      transport_(transport),
      presence_timer_(loop),
      calls_(loop, config, db, *this),
      recheck_timer_(loop) {}

void Hub::start() {
  schedule_session_recheck();
}

size_t Hub::connection_count(int64_t user_id) const {
  auto it = users_.find(user_id);
  return it == users_.end() ? 0 : it->second.size();
}

// ---- Delivery -------------------------------------------------------------------------------

bool Hub::to_connection(ConnId id, std::string text) {
  auto it = connections_.find(id);
  return it != connections_.end() && transport_.send(it->second.link, std::move(text));
}

std::vector<ConnId> Hub::to_user(int64_t user_id, const std::string& text) {
  std::vector<ConnId> reached;
  auto it = users_.find(user_id);
  if (it == users_.end()) return reached;
  for (ConnId id : it->second)
    if (to_connection(id, text)) reached.push_back(id);
  return reached;
}

// ---- Connections ----------------------------------------------------------------------------

void Hub::on_open(ConnId id, const Link& link, SessionUser opened) {
  // The handshake checked the limit, but two handshakes of one user can pass it together.
  if (connection_count(opened.user_id) >= size_t(config_.ws_max_connections_per_user)) {
    log_event(LogLevel::warn, "ws", "connection_refused",
              {{"conn_id", id}, {"user_id", opened.user_id}, {"why", "too_many_connections"}});
    transport_.close(link, kClosePolicyViolation, "too many connections");
    return;
  }
  const SessionUser& user =
      connections_
          .emplace(id, Connection{id, link, std::move(opened),
                                  RateLimiter(config_.ws_rate_per_s, config_.ws_rate_burst,
                                              RateLimiter::Clock::now())})
          .first->second.user;
  auto& mine = users_[user.user_id];
  const bool first = mine.empty();
  mine.insert(id);

  to_connection(id, encode(Hello{{user.user_id, user.username, user.display_name}}));
  if (first) on_presence_changed(user.user_id, false);
  calls_.on_user_connected(id, user.user_id);
}

void Hub::on_close(ConnId id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;  // refused in on_open
  const int64_t user_id = it->second.user.user_id;
  connections_.erase(it);
  watch_.forget(id);
  auto& mine = users_[user_id];
  mine.erase(id);
  if (mine.empty()) {
    users_.erase(user_id);
    if (!stopping_) on_presence_changed(user_id, true);
  }
  if (!stopping_) calls_.on_connection_gone(id);
}

void Hub::on_message(ConnId id, const std::string& text) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if (!c.limiter.allow(RateLimiter::Clock::now())) {
    log_event(LogLevel::warn, "ws", "rate_limited", {{"conn_id", id}, {"user_id", c.user.user_id}});
    transport_.close(c.link, kClosePolicyViolation, "rate limit exceeded");
    return;
  }
  ParsedMessage parsed = parse_client_message(text);
  if (!parsed.message) {
    reply_error(c, parsed.message.error(), parsed.ref, "");
    if (is_garbage(parsed.message.error()) && ++c.invalid_in_a_row >= kMaxInvalidInARow) {
      log_event(LogLevel::warn, "ws", "garbage_limit",
                {{"conn_id", id}, {"user_id", c.user.user_id}});
      transport_.close(c.link, kClosePolicyViolation, "too many invalid messages");
    }
    return;
  }
  c.invalid_in_a_row = 0;
  // Authentication happened in the handshake: every connection here has a live session.
  // `subscribe` is the hub's own; every other message is about a call.
  const From from{id, c.user, parsed.ref};
  Status refused = std::visit(
      [&](auto& m) -> Status {
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, Subscribe>) {
          on_subscribe(c, m);
          return std::nullopt;
        } else {
          return calls_.handle(from, m);
        }
      },
      *parsed.message);
  if (refused) reply_error(c, *refused, parsed.ref, message_type(*parsed.message));
}

// ---- Presence: each connection hears only of the users it follows ---------------------------

void Hub::on_subscribe(const Connection& c, Subscribe& m) {
  // Privacy rule (docs/PROTOCOL.md): any signed-in user may follow any user, as the directory
  // search shows anyone; the cap bounds the cost, not who may be seen.
  m.users.erase(std::remove(m.users.begin(), m.users.end(), c.user.user_id), m.users.end());
  watch_.follow(c.id, std::move(m.users));
  Presence state;
  for (int64_t user : watch_.followed_by(c.id))
    (is_online(user) ? state.online : state.offline).push_back(user);
  to_connection(c.id, encode(state));
}

void Hub::on_presence_changed(int64_t user_id, bool was_online) {
  const bool idle = !watch_.has_changes();
  watch_.changed(user_id, was_online);
  if (!idle) return;  // the timer is already running
  presence_timer_.expires_after(kPresenceCoalesce);
  presence_timer_.async_wait([this](const std::error_code& ec) {
    if (ec || stopping_) return;
    for (auto& [conn, change] : watch_.take_changes([this](int64_t u) { return is_online(u); }))
      to_connection(conn, encode(change));
  });
}

void Hub::reply_error(const Connection& c, const Error& error, const std::string& ref,
                      const char* type) {
  log_event(LogLevel::info, "ws", "message_refused",
            {{"conn_id", c.id},
             {"user_id", c.user.user_id},
             {"type", type},
             {"code", error.code},
             {"error", error.message}});
  transport_.send(c.link, encode_error(error, ref));
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
        [ids](DbContext& ctx) {
          return ctx.sessions.keep_alive_many(std::vector<int64_t>(ids.begin(), ids.end()));
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
    if (!ended.count(c.user.session_id)) continue;
    if (!transport_.close(c.link, kCloseSessionEnded, "session ended")) continue;  // already
    log_event(LogLevel::info, "ws", "session_ended",
              {{"conn_id", id}, {"user_id", c.user.user_id}, {"session_id", c.user.session_id}});
  }
}

void Hub::shutdown() {
  stopping_ = true;
  recheck_timer_.cancel();
  presence_timer_.cancel();
  calls_.shutdown();
}

}  // namespace vc::ws
