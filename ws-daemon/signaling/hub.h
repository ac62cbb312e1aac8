// The hub: who is connected, who is online, and every call in progress. It receives parsed
// events from the server (open, message, close), runs them through the call state machine,
// and answers through the Transport.
//
// Threading: everything in Hub runs on the one Asio thread that runs the websocketpp
// endpoint — server callbacks, timers, and DB results (DbWorkers posts them back to that
// thread). Nothing else touches it, so it has no locks; do not call it from anywhere else.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config.h"
#include "error.h"
#include "session_store.h"
#include "signaling/call_state_machine.h"
#include "signaling/protocol.h"
#include "signaling/rate_limiter.h"
#include "signaling/transport.h"
#include "store/call_store.h"
#include "store/db_workers.h"

namespace vc::ws {

class Hub {
 public:
  Hub(asio::io_context& loop, const Config& config, DbWorkers& db, Transport& transport);
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Active calls found in the calls table at startup; their parties may `resume` them
  // until ws.peer_gone_grace has passed.
  void restore_calls(const std::vector<CallRecord>& calls);
  void start();  // the periodic session recheck

  size_t connection_count(int64_t user_id) const;
  void on_open(ConnId id, const SessionUser& user, const std::string& remote_ip);
  void on_message(ConnId id, const std::string& text);
  void on_close(ConnId id);
  // SIGTERM: ringing calls end, active calls stay active in the table (to be resumed after
  // the restart), timers stop. The server closes the sockets.
  void shutdown();
  // Since shutdown(): the daemon's one "stopping" flag, which net/ asks too.
  bool stopping() const { return stopping_; }

 private:
  struct Connection {
    ConnId id = 0;
    SessionUser user;
    RateLimiter limiter;
    int invalid_in_a_row = 0;  // garbage counter, reset by any well-formed message
    bool closing = false;
  };
  struct Call {
    CallRecord record;
    CallState state = CallState::idle;
    ConnId caller_conn = 0;  // the connection that invited (0: gone, waiting for resume)
    ConnId callee_conn = 0;  // the connection that accepted (0: not yet, or gone)
    std::set<ConnId> rang;   // callee connections that got `incoming` and still ring
    std::unique_ptr<asio::steady_timer> timer;  // ring timeout, or peer-gone grace
  };

  // hub.cpp: connections, presence, dispatch, sessions.
  Status dispatch(Connection& c, ClientMessage& message);
  void reply_error(Connection& c, const Error& error, const std::string& ref, const char* type);
  void broadcast_presence(int64_t user_id, bool online);
  void send_to(ConnId id, const std::string& text);
  void schedule_session_recheck();
  void on_sessions_checked(const Result<std::vector<int64_t>>& dead_sessions);

  // hub_calls.cpp: one handler per client message, and the call bookkeeping.
  Status handle(Connection& c, Invite& m);
  Status handle(Connection& c, Accept& m);
  Status handle(Connection& c, Decline& m);
  Status handle(Connection& c, Cancel& m);
  Status handle(Connection& c, Hangup& m);
  Status handle(Connection& c, Sdp& m);
  Status handle(Connection& c, Ice& m);
  Status handle(Connection& c, Resume& m);
  Status relay(Connection& c, const std::string& call_id, const std::string& text);
  Status accept_from(Call& call, Connection& c);
  Status end_busy(Connection& c, int64_t callee_id);
  Call* find_call(const Connection& c, const std::string& call_id);
  Call* call_of_user(int64_t user_id);
  Actor actor_of(const Call& call, const Connection& c) const;
  // Applies an already checked transition: state, record, log line, persisted row.
  void commit(Call& call, CallEvent event, const Transition& t);
  void apply(Call& call, CallEvent event);  // a daemon event (timer, socket, shutdown)
  void finish(const std::string& call_id);  // an ended call leaves memory
  void start_ring_timer(Call& call);
  void start_grace_timer(Call& call);
  void on_connection_gone_from_calls(ConnId id);
  void persist(const CallRecord& record);

  asio::io_context& loop_;
  const Config& config_;
  DbWorkers& db_;
  Transport& transport_;
  std::map<ConnId, Connection> connections_;
  std::map<int64_t, std::set<ConnId>> users_;  // online users and their open connections
  std::map<std::string, Call> calls_;          // calls that have not ended
  asio::steady_timer recheck_timer_;
  bool recheck_in_flight_ = false;
  bool stopping_ = false;
};

}  // namespace vc::ws
