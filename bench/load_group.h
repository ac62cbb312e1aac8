// One thread's share of the load: idle connections and caller/callee pairs, on one io_context.
// The main thread drives the phases (connect, set up calls, relay, close) by posting commands
// and watching the atomic counters; results are read after the thread has ended.
//
// Two kinds of server, one load: ws-daemon (session cookies; a call is invite → incoming →
// accept → accepted) and the Node peer relay (no auth; both ends `join` a call id and get
// `accepted`). Once a pair is in a call, both relay `ice` messages the same way: closed loop,
// one message in flight per pair, each end answering the message it receives.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ws_conn.h"

namespace vc::bench {

enum class ServerKind { daemon, peer };

struct PairSpec {
  std::string caller_cookie, callee_cookie;
  int64_t callee_id = 0;  // ws-daemon: whom the caller invites
  std::string join_id;    // the peer: the call id both ends join
};

struct GroupPlan {
  ServerKind kind = ServerKind::daemon;
  WsTarget target;
  std::vector<asio::ip::address> sources;  // connection i connects from sources[i % size]
  std::vector<std::string> idle_cookies;   // one idle connection each
  // Sent by idle connection i when greeted (a `subscribe`, as a page sends it); "" sends nothing.
  std::vector<std::string> idle_subscribes;
  std::vector<PairSpec> pairs;
  int handshake_window = 64;  // upgrades in flight at once
  int setup_window = 32;      // calls being set up at once
  int burst = 1;              // messages sent back to back per turn (trickle ICE sends ~8)
  // 0: answer at once (closed loop, as fast as it goes). Else wait this long before answering,
  // so a soak's load stays under ws-daemon's per-connection rate limit.
  int answer_delay_ms = 0;
  // Idle connections that the server drops come back as the browser's do: after 500 ms, 1 s,
  // 2 s … (full jitter, at most 15 s; public_html/js/backoff.js), and subscribe again.
  bool reconnect = false;
};

class LoadGroup final : public WsListener {
 public:
  explicit LoadGroup(GroupPlan plan);

  void run();  // the group's thread: runs the io_context until stop()

  // Commands from the main thread (posted to the group's thread).
  void connect();
  void set_up_calls();
  void start_relay(int64_t measure_from_ns, int64_t measure_to_ns);
  void stop_relay();
  void close_all();
  void stop();

  int total_conns() const { return int(conns_.size()); }
  int pair_count() const { return int(plan_.pairs.size()); }

  // Progress, for the main thread.
  std::atomic<int> opened{0}, refused{0}, greeted{0}, calls_ready{0}, ended{0};
  std::atomic<int> errors{0}, unexpected_closes{0};
  std::atomic<int64_t> last_message_ns{0}, last_open_ns{0};
  // Idle connections' presence: hellos, answers to their subscribe, and the batches after.
  std::atomic<int> idle_greeted{0}, subscribed{0};
  std::atomic<int64_t> presence_batches{0}, presence_users_told{0};
  std::atomic<int64_t> last_hello_ns{0}, last_presence_ns{0};
  // With reconnect: idle connections dropped by the server, and those back with their answer.
  std::atomic<int> dropped{0}, resubscribed{0};
  // Every `ice` sent by a pair and every one received: equal once the relay has settled, when
  // nothing was dropped or duplicated.
  std::atomic<int64_t> ice_sent{0}, ice_received{0};

  // Results, read after run() returned.
  std::vector<uint64_t> relay_ns;      // relay latencies inside the measuring window
  std::vector<uint64_t> handshake_ns;  // TCP connect + upgrade, per connection
  std::map<int, int> refusals;         // HTTP status (0: socket error) → count
  int64_t first_start_ns = 0;

 private:
  struct Pair {
    std::shared_ptr<WsConn> caller, callee;
    std::string call_id;
    std::string ice;  // the message both ends send back and forth
    bool caller_in = false, callee_in = false;
    int64_t sent_ns = 0;  // when the burst in flight was sent
    int received = 0;     // messages of that burst that arrived
  };

  void on_open(WsConn& conn) override;
  void on_text(WsConn& conn, std::string_view text) override;
  void on_refused(WsConn& conn, int status) override;
  void on_closed(WsConn& conn) override;

  void start_next_handshake();
  void start_next_setup();
  void on_pair_message(Pair& pair, bool is_caller, WsConn& conn, std::string_view type,
                       std::string_view text);
  void send_burst(Pair& pair, WsConn& from, int64_t now);
  void joined(Pair& pair, bool is_caller, std::string_view call_id);
  void reconnect_later(int tag);
  void on_idle_message(WsConn& conn, std::string_view type, std::string_view text, int64_t now);
  void note_error(std::string_view text);
  // Connection tags: 0..idle-1 are idle; then 2 per pair (caller, callee).
  bool is_idle(int tag) const { return tag < int(plan_.idle_cookies.size()); }
  Pair& pair_of(int tag) { return pairs_[size_t(tag - int(plan_.idle_cookies.size())) / 2]; }
  bool is_caller(int tag) const { return (tag - int(plan_.idle_cookies.size())) % 2 == 0; }

  GroupPlan plan_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::shared_ptr<WsConn>> conns_;
  std::vector<std::string> cookies_;  // by tag
  std::vector<int64_t> started_ns_;   // by tag
  std::vector<bool> subscribed_;      // by idle tag: the answer to its subscribe came
  std::vector<int> drops_;            // by idle tag: times the server dropped it
  std::vector<int> attempts_;         // by idle tag: reconnect attempts since it last opened
  std::mt19937 random_{std::random_device{}()};
  std::vector<Pair> pairs_;
  size_t next_handshake_ = 0;
  int handshakes_in_flight_ = 0;
  size_t next_setup_ = 0;
  int setups_in_flight_ = 0;
  bool relaying_ = false;
  bool closing_ = false;
  int64_t measure_from_ns_ = 0, measure_to_ns_ = 0;
};

int64_t now_ns();

}  // namespace vc::bench
