// The calls engine: every call that has not ended, its bound connections and timers. Client
// messages arrive from the hub already parsed; each goes through the call rules
// (call_state_machine.h), and only a transition the rules allow changes anything. People are
// reached through Delivery, never through sockets.
//
// Threading: like the hub, it runs only on the one Asio thread; no locks.
#pragma once

#include <asio.hpp>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config.h"
#include "error.h"
#include "session_store.h"
#include "signaling/call_state_machine.h"
#include "signaling/delivery.h"
#include "signaling/protocol.h"
#include "store/call_store.h"
#include "store/db_workers.h"

namespace vc::ws {

// The connection a client message came from, whose it is, and the message's `ref`.
struct From {
  ConnId conn;
  const SessionUser& user;
  std::string_view ref = {};
};

class Calls {
 public:
  // What a ringing call keeps of the caller's early offer and candidates for callee tabs that
  // open while it rings: more than a browser sends (an offer and a few dozen candidates), and
  // little enough that ringing someone cannot fill the daemon's memory.
  static constexpr size_t kMaxEarlySignals = 64;
  static constexpr size_t kMaxEarlyBytes = 256 * 1024;

  Calls(asio::io_context& loop, const Config& config, DbWorkers& db, Delivery& delivery);
  Calls(const Calls&) = delete;
  Calls& operator=(const Calls&) = delete;

  // Active calls found in the calls table at startup; their parties may `resume` them
  // until ws.peer_gone_grace has passed.
  void restore(const std::vector<CallRecord>& calls);

  // One handler per client message. A refusal returns an error before anything is changed
  // or sent.
  Status handle(const From& from, Invite& m);
  Status handle(const From& from, Accept& m) { return act(from, m.call_id, CallEvent::accept); }
  Status handle(const From& from, Decline& m) { return act(from, m.call_id, CallEvent::decline); }
  Status handle(const From& from, Cancel& m) { return act(from, m.call_id, CallEvent::cancel); }
  Status handle(const From& from, Hangup& m) { return act(from, m.call_id, CallEvent::hangup); }
  Status handle(const From& from, Sdp& m);
  Status handle(const From& from, Ice& m);
  Status handle(const From& from, Resume& m);

  // A connection of `user` opened: a tab opened while the user's phone rings rings too.
  void on_user_connected(ConnId conn, int64_t user_id);
  void on_connection_gone(ConnId conn);
  // SIGTERM: ringing calls end, active calls stay active in the table (to be resumed after
  // the restart), timers stop.
  void shutdown();

 private:
  struct Call {
    CallRecord record;
    UserInfo caller;  // for `incoming` to callee tabs that open while it rings
    std::string
        invite_ref;  // echoed in `ringing` and `busy`, so the caller can tell its invites apart
    CallState state = CallState::idle;
    ConnId caller_conn = 0;          // the connection that invited (0: gone, waiting for resume)
    ConnId callee_conn = 0;          // the connection that accepted (0: not yet, or gone)
    std::set<ConnId> rang;           // callee connections that got `incoming` and still ring
    std::vector<std::string> early;  // the caller's sdp and ice while it rings, as relayed
    size_t early_bytes = 0;
    std::unique_ptr<asio::steady_timer> timer;  // ring timeout, or peer-gone grace
  };

  // Accept, decline, cancel, hangup: one path through the rules.
  Status act(const From& from, const std::string& call_id, CallEvent event);
  Status relay(const From& from, const std::string& call_id, std::string text);
  Status relay_early(Call& call, std::string text);
  Status ring(const From& from, int64_t callee_id);
  Status end_busy(const From& from, int64_t callee_id);
  Call* find_call(const From& from, const std::string& call_id);
  Call* call_of_user(int64_t user_id);
  Actor actor_of(const Call& call, const From& from) const;

  // Applies an allowed transition: bindings, state, record, log line, stored row, notices;
  // an ended call then leaves memory.
  void take(Call& call, CallEvent event, const Transition& t, ConnId acting = 0);
  void tell(const Call& call, const Tell& tell, ConnId acting);
  std::string notice_text(const Call& call, Notice notice, Audience to) const;
  void apply(Call& call, CallEvent event);  // a daemon event (timer, socket, shutdown)
  void start_ring_timer(Call& call);
  void start_grace_timer(Call& call);
  void persist(const CallRecord& record);

  asio::io_context& loop_;
  const Config& config_;
  DbWorkers& db_;
  Delivery& delivery_;
  std::unordered_map<std::string, Call> calls_;  // calls that have not ended, by id
};

}  // namespace vc::ws
