// The Hub's call handlers: one per client message, each parse → check → commit → notify.
// A refusal returns an error before anything is changed or sent.
#include "log.h"
#include "signaling/codec.h"
#include "signaling/hub.h"

namespace vc::ws {

Hub::Call* Hub::find_call(const Connection& c, const std::string& call_id) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return nullptr;
  const CallRecord& r = it->second.record;
  // Someone else's call is reported exactly like a call that does not exist.
  if (r.caller_id != c.user.user_id && r.callee_id != c.user.user_id) return nullptr;
  return &it->second;
}

Hub::Call* Hub::call_of_user(int64_t user_id) {
  for (auto& [id, call] : calls_)
    if (call.record.caller_id == user_id || call.record.callee_id == user_id) return &call;
  return nullptr;
}

Actor Hub::actor_of(const Call& call, const Connection& c) const {
  return call.record.caller_id == c.user.user_id ? Actor::caller : Actor::callee;
}

static Error no_such_call() {
  return Error{kErrUnknownCall, "no such call"};
}

void Hub::commit(Call& call, CallEvent event, const Transition& t) {
  log_event(LogLevel::info, "ws", "call_state",
            {{"call_id", call.record.id},
             {"caller", call.record.caller_id},
             {"callee", call.record.callee_id},
             {"from", to_string(call.state)},
             {"to", to_string(t.to)},
             {"event", to_string(event)},
             {"reason", t.reason}});
  call.state = t.to;
  call.record.outcome = std::string(t.outcome);
  call.record.end_reason = std::string(t.reason);
  if (t.to == CallState::active) call.record.answered_at_ms = now_ms();
  if (t.to == CallState::ended) call.record.ended_at_ms = now_ms();
  persist(call.record);
}

void Hub::persist(const CallRecord& record) {
  // One call's writes go to one worker, so they reach the table in order.
  db_.write(record.id, [record](DbContext& ctx) {
    if (auto err = save_call(ctx.db, record))
      log_event(LogLevel::error, "ws", "db_write_failed",
                {{"call_id", record.id}, {"outcome", record.outcome}, {"error", err->message}});
  });
}

void Hub::finish(const std::string& call_id) {
  calls_.erase(call_id);
}

// ---- Invite ---------------------------------------------------------------------------------

Status Hub::handle(Connection& c, Invite& m) {
  const int64_t me = c.user.user_id;
  auto log_request = [&](const char* result, const std::string& call_id) {
    log_event(LogLevel::info, "ws", "call_request",
              {{"call_id", call_id}, {"caller", me}, {"callee", m.to}, {"result", result}});
  };
  if (m.to == me) {
    log_request("busy", "");
    return end_busy(c, m.to);
  }
  if (Call* mine = call_of_user(me)) {
    if (mine->state == CallState::ringing && mine->record.caller_id == m.to &&
        mine->record.callee_id == me) {
      // Glare: both invited each other. The call already ringing is kept, and this invite
      // answers it from the connection that sent it.
      log_request("glare", mine->record.id);
      if (!mine->rang.count(c.id)) return Error{kErrAlreadyInCall, "you are already in a call"};
      transport_.send(c.id, encode(Glare{mine->record.id, m.to}));
      send_to(mine->caller_conn, encode(Glare{mine->record.id, me}));
      return accept_from(*mine, c);
    }
    log_request("already_in_call", "");
    return Error{kErrAlreadyInCall, "you are already in a call"};
  }
  auto callee = users_.find(m.to);
  if (callee == users_.end()) {
    log_request("unavailable", "");
    return Error{kErrUnavailable, "that user is not online"};
  }
  if (call_of_user(m.to)) {
    log_request("busy", "");
    return end_busy(c, m.to);
  }

  Call call;
  call.record = {new_call_id(), me, m.to, now_ms(), std::nullopt, std::nullopt, "", ""};
  call.caller_conn = c.id;
  const std::string incoming =
      encode(Incoming{call.record.id, {me, c.user.username, c.user.display_name}});
  for (ConnId id : callee->second)
    if (transport_.send(id, incoming)) call.rang.insert(id);
  // `ringing` means a callee connection really got `incoming`.
  if (call.rang.empty()) {
    log_request("unavailable", "");
    return Error{kErrUnavailable, "that user is not online"};
  }
  log_request("ringing", call.record.id);
  const std::string call_id = call.record.id;
  Call& stored = calls_.emplace(call_id, std::move(call)).first->second;
  commit(stored, CallEvent::ring, *next_state(CallState::idle, CallEvent::ring, Actor::daemon));
  start_ring_timer(stored);
  transport_.send(c.id, encode(Ringing{call_id, m.to}));
  return std::nullopt;
}

Status Hub::end_busy(Connection& c, int64_t callee_id) {
  // A busy call never rings, but it is a call: it gets an id and a row.
  Call call;
  call.record = {new_call_id(), c.user.user_id, callee_id, now_ms(), {}, {}, "", ""};
  commit(call, CallEvent::callee_busy,
         *next_state(CallState::idle, CallEvent::callee_busy, Actor::daemon));
  transport_.send(c.id, encode(Busy{call.record.id, callee_id}));
  return std::nullopt;
}

// ---- Answering ------------------------------------------------------------------------------

Status Hub::accept_from(Call& call, Connection& c) {
  auto t = next_state(call.state, CallEvent::accept, actor_of(call, c));
  if (!t) return t.error();
  if (!call.rang.count(c.id)) return Error{kErrNotAllowed, "this connection was not rung"};
  commit(call, CallEvent::accept, *t);
  call.timer.reset();
  call.callee_conn = c.id;
  send_to(call.caller_conn, encode(Accepted{call.record.id, call.record.callee_id}));
  transport_.send(c.id, encode(Accepted{call.record.id, call.record.caller_id}));
  for (ConnId other : call.rang)
    if (other != c.id) send_to(other, encode(AnsweredElsewhere{call.record.id}));
  call.rang.clear();
  return std::nullopt;
}

Status Hub::handle(Connection& c, Accept& m) {
  Call* call = find_call(c, m.call_id);
  if (!call) return no_such_call();
  return accept_from(*call, c);
}

Status Hub::handle(Connection& c, Decline& m) {
  Call* call = find_call(c, m.call_id);
  if (!call) return no_such_call();
  auto t = next_state(call->state, CallEvent::decline, actor_of(*call, c));
  if (!t) return t.error();
  if (!call->rang.count(c.id)) return Error{kErrNotAllowed, "this connection was not rung"};
  commit(*call, CallEvent::decline, *t);
  const std::string text = encode(Declined{m.call_id});
  send_to(call->caller_conn, text);
  for (ConnId id : call->rang) send_to(id, text);
  finish(m.call_id);
  return std::nullopt;
}

Status Hub::handle(Connection& c, Cancel& m) {
  Call* call = find_call(c, m.call_id);
  if (!call) return no_such_call();
  auto t = next_state(call->state, CallEvent::cancel, actor_of(*call, c));
  if (!t) return t.error();
  if (call->caller_conn != c.id)
    return Error{kErrNotAllowed, "cancel from the connection that invited"};
  commit(*call, CallEvent::cancel, *t);
  const std::string text = encode(Cancelled{m.call_id});
  send_to(c.id, text);
  for (ConnId id : call->rang) send_to(id, text);
  finish(m.call_id);
  return std::nullopt;
}

Status Hub::handle(Connection& c, Hangup& m) {
  Call* call = find_call(c, m.call_id);
  if (!call) return no_such_call();
  auto t = next_state(call->state, CallEvent::hangup, actor_of(*call, c));
  if (!t) return t.error();
  if (call->caller_conn != c.id && call->callee_conn != c.id)
    return Error{kErrNotAllowed, "this connection is not bound to the call"};
  commit(*call, CallEvent::hangup, *t);
  const std::string text = encode(Ended{m.call_id, "hangup"});
  send_to(call->caller_conn, text);
  send_to(call->callee_conn, text);
  finish(m.call_id);
  return std::nullopt;
}

// ---- Relay ----------------------------------------------------------------------------------

// Early offer: not supported. sdp and ice flow only in an active call, between its two bound
// connections: before `accept` the callee has no bound connection, and sending the caller's
// SDP (with its network addresses) to every callee device before anyone answered would hand
// them to devices the callee never chose. The caller sends its offer after `accepted`.
Status Hub::relay(Connection& c, const std::string& call_id, const std::string& text) {
  Call* call = find_call(c, call_id);
  Status refused;
  if (!call) {
    refused = no_such_call();
  } else if (call->state != CallState::active) {
    refused = Error{kErrWrongState, "sdp and ice are relayed only in an active call"};
  } else if (c.id != call->caller_conn && c.id != call->callee_conn) {
    refused = Error{kErrNotAllowed, "this connection is not bound to the call"};
  } else {
    ConnId peer = c.id == call->caller_conn ? call->callee_conn : call->caller_conn;
    if (peer != 0 && transport_.send(peer, text)) return std::nullopt;
    refused = Error{kErrPeerNotConnected, "the other party is not connected right now"};
  }
  log_event(LogLevel::info, "ws", "relay_refused",
            {{"call_id", call_id}, {"user_id", c.user.user_id}, {"code", refused->code}});
  return refused;
}

// Relayed re-encoded from the typed message: nothing the client added travels on.
Status Hub::handle(Connection& c, Sdp& m) {
  return relay(c, m.call_id, encode(m));
}
Status Hub::handle(Connection& c, Ice& m) {
  return relay(c, m.call_id, encode(m));
}

// ---- Resume ---------------------------------------------------------------------------------

Status Hub::handle(Connection& c, Resume& m) {
  // Calls that were active when the daemon last stopped were loaded from the calls table
  // at startup (restore_calls), so this check is against the table.
  Call* call = find_call(c, m.call_id);
  if (!call) return no_such_call();
  if (call->state != CallState::active) return Error{kErrWrongState, "only an active call resumes"};
  const bool caller = actor_of(*call, c) == Actor::caller;
  (caller ? call->caller_conn : call->callee_conn) = c.id;
  ConnId peer = caller ? call->callee_conn : call->caller_conn;
  if (peer != 0 && call->caller_conn != 0 && call->callee_conn != 0) call->timer.reset();
  log_event(LogLevel::info, "ws", "call_resumed",
            {{"call_id", m.call_id}, {"user_id", c.user.user_id}, {"conn_id", c.id}});
  const int64_t peer_id = caller ? call->record.callee_id : call->record.caller_id;
  transport_.send(c.id, encode(Resumed{m.call_id, peer_id, peer != 0}));
  send_to(peer, encode(PeerResumed{m.call_id}));
  return std::nullopt;
}

void Hub::restore_calls(const std::vector<CallRecord>& records) {
  for (const CallRecord& r : records) {
    Call& call = calls_[r.id];
    call.record = r;
    call.state = CallState::active;
    start_grace_timer(call);
    log_event(LogLevel::info, "ws", "call_restored",
              {{"call_id", r.id}, {"caller", r.caller_id}, {"callee", r.callee_id}});
  }
}

// ---- Daemon events: timers and sockets ------------------------------------------------------

void Hub::apply(Call& call, CallEvent event) {
  auto t = next_state(call.state, event, Actor::daemon);
  if (!t) return;  // the call moved on meanwhile
  commit(call, event, *t);
  const std::string& id = call.record.id;
  switch (event) {
    case CallEvent::ring_timeout:
    case CallEvent::shutdown:
      send_to(call.caller_conn, encode(Missed{id}));
      for (ConnId c : call.rang) send_to(c, encode(Missed{id}));
      break;
    case CallEvent::caller_gone:
      for (ConnId c : call.rang) send_to(c, encode(Cancelled{id}));
      break;
    case CallEvent::callee_gone:
      send_to(call.caller_conn, encode(Missed{id}));
      break;
    case CallEvent::peer_gone:
      send_to(call.caller_conn, encode(Ended{id, "peer-gone"}));
      send_to(call.callee_conn, encode(Ended{id, "peer-gone"}));
      break;
    default:
      break;
  }
  finish(std::string(id));
}

void Hub::start_ring_timer(Call& call) {
  call.timer = std::make_unique<asio::steady_timer>(loop_);
  call.timer->expires_after(std::chrono::seconds(config_.ws_ring_timeout_s));
  call.timer->async_wait([this, id = call.record.id](const std::error_code& ec) {
    auto it = calls_.find(id);
    if (ec || it == calls_.end()) return;
    apply(it->second, CallEvent::ring_timeout);
  });
}

void Hub::start_grace_timer(Call& call) {
  if (call.timer) return;  // already counting down for the other party
  call.timer = std::make_unique<asio::steady_timer>(loop_);
  call.timer->expires_after(std::chrono::seconds(config_.ws_peer_gone_grace_s));
  call.timer->async_wait([this, id = call.record.id](const std::error_code& ec) {
    auto it = calls_.find(id);
    if (ec || it == calls_.end()) return;
    Call& c = it->second;
    c.timer.reset();
    if (c.caller_conn == 0 || c.callee_conn == 0) apply(c, CallEvent::peer_gone);
  });
}

void Hub::on_connection_gone_from_calls(ConnId id) {
  std::vector<std::string> ids;
  for (const auto& [call_id, call] : calls_) ids.push_back(call_id);
  for (const std::string& call_id : ids) {
    auto it = calls_.find(call_id);
    if (it == calls_.end()) continue;
    Call& call = it->second;
    if (call.state == CallState::ringing) {
      if (call.caller_conn == id) {
        call.caller_conn = 0;
        apply(call, CallEvent::caller_gone);
      } else if (call.rang.erase(id) && call.rang.empty()) {
        apply(call, CallEvent::callee_gone);
      }
    } else if (call.state == CallState::active &&
               (call.caller_conn == id || call.callee_conn == id)) {
      (call.caller_conn == id ? call.caller_conn : call.callee_conn) = 0;
      start_grace_timer(call);
    }
  }
}

}  // namespace vc::ws
