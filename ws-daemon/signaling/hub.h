// The hub: the daemon's one registry of open connections, and who is online. It receives
// events from net/ (open, message, close), parses each message once, checks the sender's rate,
// keeps each connection's presence subscription and hands call messages to the calls engine.
// It is the Delivery that the engine reaches people through, and it answers through the
// Transport.
//
// Threading: everything in Hub runs on the one Asio thread that runs the websocketpp
// endpoint — server callbacks, timers, and DB results (DbWorkers posts them back to that
// thread). Nothing else touches it, so it has no locks; do not call it from anywhere else.
#pragma once

#include <asio.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config.h"
#include "error.h"
#include "session_store.h"
#include "signaling/calls.h"
#include "signaling/delivery.h"
#include "signaling/presence_watch.h"
#include "signaling/rate_limiter.h"
#include "signaling/transport.h"
#include "store/call_store.h"
#include "store/db_workers.h"

namespace vc::ws {

class Hub final : public Delivery {
 public:
  Hub(asio::io_context& loop, const Config& config, DbWorkers& db, Transport& transport);
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  void restore_calls(const std::vector<CallRecord>& calls) { calls_.restore(calls); }
  void start();  // the periodic session recheck

  size_t connection_count(int64_t user_id) const;
  void on_open(ConnId id, const Link& link, SessionUser user);
  void on_message(ConnId id, const std::string& text);
  void on_close(ConnId id);
  // SIGTERM: ringing calls end, active calls stay active in the table (to be resumed after
  // the restart), timers stop. net/ closes the sockets.
  void shutdown();
  // Since shutdown(): the daemon's one "stopping" flag, which net/ asks too.
  bool stopping() const { return stopping_; }

  // fn(const Link&) for every connection in the registry (net/'s keepalive and shutdown).
  template <class F>
  void for_each_link(F&& fn) const {
    for (const auto& [id, c] : connections_) fn(c.link);
  }

  bool is_online(int64_t user_id) const override { return users_.count(user_id) > 0; }
  bool to_connection(ConnId id, std::string text) override;
  std::vector<ConnId> to_user(int64_t user_id, const std::string& text) override;

 private:
  struct Connection {
    ConnId id = 0;
    Link link;
    SessionUser user;
    RateLimiter limiter;
    int invalid_in_a_row = 0;  // garbage counter, reset by any well-formed message
  };

  void on_subscribe(const Connection& c, Subscribe& m);
  // A user's first connection opened or last one closed: followers hear of it after the
  // coalescing window, in one batch.
  void on_presence_changed(int64_t user_id, bool was_online);
  void reply_error(const Connection& c, const Error& error, const std::string& ref,
                   const char* type);
  void schedule_session_recheck();
  void on_sessions_checked(const Result<std::vector<int64_t>>& dead_sessions);

  const Config& config_;
  DbWorkers& db_;
  Transport& transport_;
  std::map<ConnId, Connection> connections_;   // the registry
  std::map<int64_t, std::set<ConnId>> users_;  // online users and their open connections
  PresenceWatch watch_;
  asio::steady_timer presence_timer_;
  Calls calls_;
  asio::steady_timer recheck_timer_;
  bool recheck_in_flight_ = false;
  bool stopping_ = false;
};

}  // namespace vc::ws
