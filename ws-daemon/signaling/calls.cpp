#include "signaling/calls.h"

#include "log.h"
#include "signaling/codec.h"

namespace vc::ws {
namespace {

Error no_such_call() {
  return Error{kErrUnknownCall, "no such call"};
}

void log_request(int64_t caller, int64_t callee, const char* result, const std::string& call_id) {
  log_event(LogLevel::info, "ws", "call_request",
            {{"call_id", call_id}, {"caller", caller}, {"callee", callee}, {"result", result}});
}

}  // namespace

Calls::Calls(asio::io_context& loop, const Config& config, DbWorkers& db, Delivery& delivery)
    : loop_(loop), config_(config), db_(db), delivery_(delivery) {}

Calls::Call* Calls::find_call(const From& from, const std::string& call_id) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return nullptr;
  const CallRecord& r = it->second.record;
  // Someone else's call is reported exactly like a call that does not exist.
  if (r.caller_id != from.user.user_id && r.callee_id != from.user.user_id) return nullptr;
  return &it->second;
}

Calls::Call* Calls::call_of_user(int64_t user_id) {
  for (auto& [id, call] : calls_)
    if (call.record.caller_id == user_id || call.record.callee_id == user_id) return &call;
  return nullptr;
}

Actor Calls::actor_of(const Call& call, const From& from) const {
  if (from.user.user_id == call.record.caller_id)
    return from.conn == call.caller_conn ? Actor::inviter : Actor::caller_other;
  if (from.conn == call.callee_conn) return Actor::answerer;
  return call.rang.count(from.conn) ? Actor::rung : Actor::callee_other;
}

// ---- Applying the rules ---------------------------------------------------------------------

void Calls::take(Call& call, CallEvent event, const Transition& t, ConnId acting) {
  if (!t.changes()) return;
  if (event == CallEvent::accept) {
    call.callee_conn = acting;
    call.timer.reset();  // the ring timeout
  }
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
  for (uint8_t i = 0; i < t.tell_count; ++i) tell(call, t.tells[i], acting);
  if (t.to == CallState::active) {
    call.rang.clear();                            // the other tabs stopped ringing
    std::vector<std::string>().swap(call.early);  // the answering tab has it all
    call.early_bytes = 0;
  }
  if (t.to == CallState::ended) calls_.erase(std::string(call.record.id));
}

void Calls::tell(const Call& call, const Tell& tell, ConnId acting) {
  const std::string text = notice_text(call, tell.notice, tell.to);
  switch (tell.to) {
    case Audience::caller:
      delivery_.to_connection(call.caller_conn, text);
      break;
    case Audience::callee:
      delivery_.to_connection(call.callee_conn, text);
      break;
    case Audience::rang:
    case Audience::other_rang:
      for (ConnId id : call.rang)
        if (tell.to == Audience::rang || id != acting) delivery_.to_connection(id, text);
      break;
  }
}

std::string Calls::notice_text(const Call& call, Notice notice, Audience to) const {
  const CallRecord& r = call.record;
  switch (notice) {
    case Notice::ringing:
      return encode(Ringing{r.id, r.callee_id, call.invite_ref});
    case Notice::busy:
      return encode(Busy{r.id, r.callee_id, call.invite_ref});
    case Notice::accepted:
      return encode(Accepted{r.id, to == Audience::caller ? r.callee_id : r.caller_id});
    case Notice::answered_elsewhere:
      return encode(AnsweredElsewhere{{r.id}});
    case Notice::declined:
      return encode(Declined{{r.id}});
    case Notice::cancelled:
      return encode(Cancelled{{r.id}});
    case Notice::missed:
      return encode(Missed{{r.id}});
    case Notice::ended:
      return encode(Ended{r.id, r.end_reason});
  }
  return "";
}

void Calls::persist(const CallRecord& record) {
  // One call's writes go to one worker, so they reach the table in order.
  db_.write(record.id, [record](DbContext& ctx) {
    if (auto err = save_call(ctx.db, record))
      log_event(LogLevel::error, "ws", "db_write_failed",
                {{"call_id", record.id}, {"outcome", record.outcome}, {"error", err->message}});
  });
}

Status Calls::act(const From& from, const std::string& call_id, CallEvent event) {
  Call* call = find_call(from, call_id);
  if (!call) return no_such_call();
  auto t = next_state(call->state, event, actor_of(*call, from));
  if (!t) return t.error();
  take(*call, event, *t, from.conn);
  return std::nullopt;
}

void Calls::apply(Call& call, CallEvent event) {
  auto t = next_state(call.state, event, Actor::daemon);
  if (t) take(call, event, *t);  // else the call moved on meanwhile
}

// ---- Invite ---------------------------------------------------------------------------------

Status Calls::handle(const From& from, Invite& m) {
  const int64_t me = from.user.user_id;
  if (m.to == me) {
    log_request(me, m.to, "busy", "");
    return end_busy(from, m.to);
  }
  if (Call* mine = call_of_user(me)) {
    if (mine->state == CallState::ringing && mine->record.caller_id == m.to &&
        mine->record.callee_id == me && mine->rang.count(from.conn)) {
      // Glare: both invited each other. The call already ringing is kept, and this invite
      // answers it from the connection that sent it.
      log_request(me, m.to, "glare", mine->record.id);
      delivery_.to_connection(from.conn, encode(Glare{mine->record.id, m.to}));
      delivery_.to_connection(mine->caller_conn, encode(Glare{mine->record.id, me}));
      // It rang here, but the client, busy inviting, did not know the call yet: it gets the
      // caller's early offer again once it knows (the accept drops what the call kept).
      const std::vector<std::string> early = mine->early;
      Status refused = act(from, mine->record.id, CallEvent::accept);
      if (!refused)
        for (const std::string& text : early) delivery_.to_connection(from.conn, text);
      return refused;
    }
    log_request(me, m.to, "already_in_call", "");
    return Error{kErrAlreadyInCall, "you are already in a call"};
  }
  if (!delivery_.is_online(m.to)) {
    log_request(me, m.to, "unavailable", "");
    return Error{kErrUnavailable, "that user is not online"};
  }
  if (call_of_user(m.to)) {
    log_request(me, m.to, "busy", "");
    return end_busy(from, m.to);
  }
  return ring(from, m.to);
}

Status Calls::ring(const From& from, int64_t callee_id) {
  const SessionUser& u = from.user;
  Call call;
  call.record = {new_call_id(), u.user_id, callee_id, now_ms(), std::nullopt, std::nullopt, "", ""};
  call.caller = {u.user_id, u.username, u.display_name};
  call.caller_conn = from.conn;
  call.invite_ref = std::string(from.ref);
  const std::vector<ConnId> reached =
      delivery_.to_user(callee_id, encode(Incoming{call.record.id, call.caller}));
  // `ringing` means a callee connection really got `incoming`.
  if (reached.empty()) {
    log_request(u.user_id, callee_id, "unavailable", "");
    return Error{kErrUnavailable, "that user is not online"};
  }
  call.rang.insert(reached.begin(), reached.end());
  log_request(u.user_id, callee_id, "ringing", call.record.id);
  const std::string call_id = call.record.id;
  Call& stored = calls_.emplace(call_id, std::move(call)).first->second;
  start_ring_timer(stored);
  take(stored, CallEvent::ring, *next_state(CallState::idle, CallEvent::ring, Actor::daemon));
  return std::nullopt;
}

Status Calls::end_busy(const From& from, int64_t callee_id) {
  // A busy call never rings, but it is a call: it gets an id and a row.
  Call call;
  call.record = {new_call_id(), from.user.user_id, callee_id, now_ms(), {}, {}, "", ""};
  call.caller_conn = from.conn;
  call.invite_ref = std::string(from.ref);
  take(call, CallEvent::callee_busy,
       *next_state(CallState::idle, CallEvent::callee_busy, Actor::daemon));
  return std::nullopt;
}

// ---- Relay ----------------------------------------------------------------------------------

Status Calls::relay(const From& from, const std::string& call_id, std::string text) {
  Call* call = find_call(from, call_id);
  Status refused;
  if (!call) {
    refused = no_such_call();
  } else if (auto t = next_state(call->state, CallEvent::relay, actor_of(*call, from)); !t) {
    refused = t.error();
  } else if (call->state == CallState::ringing) {
    refused = relay_early(*call, std::move(text));
    if (!refused) return std::nullopt;
  } else {
    ConnId peer = from.conn == call->caller_conn ? call->callee_conn : call->caller_conn;
    if (delivery_.to_connection(peer, std::move(text))) return std::nullopt;
    refused = Error{kErrPeerNotConnected, "the other party is not connected right now"};
  }
  log_event(LogLevel::info, "ws", "relay_refused",
            {{"call_id", call_id}, {"user_id", from.user.user_id}, {"code", refused->code}});
  return refused;
}

// The caller's offer and candidates while it rings: to every rung callee connection now, and
// kept for a callee tab that opens before anyone answers.
Status Calls::relay_early(Call& call, std::string text) {
  if (call.early.size() >= kMaxEarlySignals || call.early_bytes + text.size() > kMaxEarlyBytes)
    return Error{kErrTooManySignals, "a ringing call keeps no more early signals"};
  for (ConnId id : call.rang) delivery_.to_connection(id, text);
  call.early_bytes += text.size();
  call.early.push_back(std::move(text));
  return std::nullopt;
}

// Relayed re-encoded from the typed message: nothing the client added travels on.
Status Calls::handle(const From& from, Sdp& m) {
  return relay(from, m.call_id, encode(m));
}
Status Calls::handle(const From& from, Ice& m) {
  return relay(from, m.call_id, encode(m));
}

// ---- Resume ---------------------------------------------------------------------------------

Status Calls::handle(const From& from, Resume& m) {
  // Calls that were active when the daemon last stopped were loaded from the calls table
  // at startup (restore), so this check is against the table.
  Call* call = find_call(from, m.call_id);
  if (!call) return no_such_call();
  if (auto t = next_state(call->state, CallEvent::resume, actor_of(*call, from)); !t)
    return t.error();
  const bool caller = from.user.user_id == call->record.caller_id;
  (caller ? call->caller_conn : call->callee_conn) = from.conn;
  ConnId peer = caller ? call->callee_conn : call->caller_conn;
  if (peer != 0) call->timer.reset();  // both are back: no more grace countdown
  log_event(LogLevel::info, "ws", "call_resumed",
            {{"call_id", m.call_id}, {"user_id", from.user.user_id}, {"conn_id", from.conn}});
  const int64_t peer_id = caller ? call->record.callee_id : call->record.caller_id;
  delivery_.to_connection(from.conn, encode(Resumed{m.call_id, peer_id, peer != 0}));
  delivery_.to_connection(peer, encode(PeerResumed{{m.call_id}}));
  return std::nullopt;
}

void Calls::restore(const std::vector<CallRecord>& records) {
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

void Calls::start_ring_timer(Call& call) {
  call.timer = std::make_unique<asio::steady_timer>(loop_);
  call.timer->expires_after(std::chrono::seconds(config_.ws_ring_timeout_s));
  call.timer->async_wait([this, id = call.record.id](const std::error_code& ec) {
    auto it = calls_.find(id);
    if (ec || it == calls_.end()) return;
    apply(it->second, CallEvent::ring_timeout);
  });
}

void Calls::start_grace_timer(Call& call) {
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

void Calls::on_user_connected(ConnId conn, int64_t user_id) {
  for (auto& [call_id, call] : calls_) {
    if (call.state != CallState::ringing || call.record.callee_id != user_id) continue;
    if (!delivery_.to_connection(conn, encode(Incoming{call_id, call.caller}))) continue;
    call.rang.insert(conn);
    for (const std::string& text : call.early) delivery_.to_connection(conn, text);
  }
}

void Calls::on_connection_gone(ConnId conn) {
  std::vector<std::string> ids;
  for (const auto& [call_id, call] : calls_) ids.push_back(call_id);
  for (const std::string& call_id : ids) {
    auto it = calls_.find(call_id);
    if (it == calls_.end()) continue;
    Call& call = it->second;
    if (call.state == CallState::ringing) {
      if (call.caller_conn == conn) {
        call.caller_conn = 0;
        apply(call, CallEvent::caller_gone);
      } else if (call.rang.erase(conn) && call.rang.empty()) {
        apply(call, CallEvent::callee_gone);
      }
    } else if (call.state == CallState::active &&
               (call.caller_conn == conn || call.callee_conn == conn)) {
      (call.caller_conn == conn ? call.caller_conn : call.callee_conn) = 0;
      start_grace_timer(call);
    }
  }
}

void Calls::shutdown() {
  std::vector<std::string> ringing;
  for (auto& [call_id, call] : calls_)
    if (call.state == CallState::ringing) ringing.push_back(call_id);
  for (const std::string& call_id : ringing) apply(calls_.at(call_id), CallEvent::shutdown);
  calls_.clear();  // active calls stay active in the table; timers are cancelled with them
}

}  // namespace vc::ws
