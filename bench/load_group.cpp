#include "load_group.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace vc::bench {
namespace {

// An `ice` message of a realistic size: a host candidate as Chrome writes it.
std::string ice_message(const std::string& call_id) {
  return R"({"type":"ice","call_id":")" + call_id +
         R"(","candidate":{"candidate":"candidate:3885250869 1 udp 2122260223 192.168.1.23 )"
         R"(54321 typ host generation 0 ufrag Xy3a network-id 1 network-cost 10",)"
         R"("sdpMid":"0","sdpMLineIndex":0}})";
}

// The string value of a top-level field in a server message, found by name. Enough for the
// messages both servers write (flat string values, no escapes in the fields read here).
std::string_view string_field(std::string_view text, std::string_view name) {
  std::string key = "\"" + std::string(name) + "\"";
  size_t at = text.find(key);
  if (at == std::string_view::npos) return {};
  at = text.find(':', at + key.size());
  if (at == std::string_view::npos) return {};
  at = text.find('"', at + 1);
  if (at == std::string_view::npos) return {};
  size_t end = text.find('"', at + 1);
  if (end == std::string_view::npos) return {};
  return text.substr(at + 1, end - at - 1);
}

// `type` comes first in every message of both servers: a short search.
std::string_view type_of(std::string_view text) {
  return string_field(text.substr(0, std::min<size_t>(text.size(), 40)), "type");
}

// How many user ids a `presence` lists, in its `online` and `offline` arrays together.
int64_t ids_listed(std::string_view text) {
  int64_t ids = 0;
  for (size_t open = text.find('['); open != std::string_view::npos;) {
    const size_t close = text.find(']', open);
    if (close == std::string_view::npos) break;
    const std::string_view inner = text.substr(open + 1, close - open - 1);
    if (!inner.empty()) ids += 1 + std::count(inner.begin(), inner.end(), ',');
    open = text.find('[', close);
  }
  return ids;
}

}  // namespace

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

LoadGroup::LoadGroup(GroupPlan plan) : plan_(std::move(plan)), work_(io_.get_executor()) {
  for (const std::string& cookie : plan_.idle_cookies) cookies_.push_back(cookie);
  for (const PairSpec& p : plan_.pairs) {
    cookies_.push_back(p.caller_cookie);
    cookies_.push_back(p.callee_cookie);
  }
  for (size_t tag = 0; tag < cookies_.size(); ++tag)
    conns_.push_back(std::make_shared<WsConn>(io_, *this, int(tag)));
  started_ns_.assign(conns_.size(), 0);
  subscribed_.assign(plan_.idle_cookies.size(), false);
  drops_.assign(plan_.idle_cookies.size(), 0);
  attempts_.assign(plan_.idle_cookies.size(), 0);
  plan_.idle_subscribes.resize(plan_.idle_cookies.size());
  pairs_.resize(plan_.pairs.size());
  const size_t idle = plan_.idle_cookies.size();
  for (size_t i = 0; i < pairs_.size(); ++i) {
    pairs_[i].caller = conns_[idle + 2 * i];
    pairs_[i].callee = conns_[idle + 2 * i + 1];
  }
}

void LoadGroup::run() {
  io_.run();
}

void LoadGroup::connect() {
  asio::post(io_, [this] {
    first_start_ns = now_ns();
    for (int i = 0; i < plan_.handshake_window; ++i) start_next_handshake();
  });
}

void LoadGroup::start_next_handshake() {
  if (closing_ || next_handshake_ >= conns_.size()) return;
  const size_t tag = next_handshake_++;
  ++handshakes_in_flight_;
  started_ns_[tag] = now_ns();
  const auto& source = plan_.sources[tag % plan_.sources.size()];
  conns_[tag]->start(plan_.target, source, cookies_[tag]);
}

void LoadGroup::on_open(WsConn& conn) {
  const int64_t now = now_ns();
  if (is_idle(conn.tag()) && drops_[size_t(conn.tag())] > 0) {
    attempts_[size_t(conn.tag())] = 0;  // back: the next drop starts the back-off afresh
    return;
  }
  handshake_ns.push_back(uint64_t(now - started_ns_[conn.tag()]));
  last_open_ns.store(now, std::memory_order_relaxed);
  ++opened;
  --handshakes_in_flight_;
  // The peer sends nothing on open; ws-daemon greets with `hello` first.
  if (plan_.kind == ServerKind::peer && !is_idle(conn.tag())) ++greeted;
  start_next_handshake();
}

void LoadGroup::on_refused(WsConn& conn, int status) {
  if (is_idle(conn.tag()) && drops_[size_t(conn.tag())] > 0)
    return reconnect_later(conn.tag());  // the server is not back yet
  ++refusals[status];
  ++refused;
  ++ended;
  --handshakes_in_flight_;
  start_next_handshake();
}

void LoadGroup::on_closed(WsConn& conn) {
  if (plan_.reconnect && !closing_ && is_idle(conn.tag())) {
    if (drops_[size_t(conn.tag())]++ == 0) ++dropped;
    subscribed_[size_t(conn.tag())] = false;
    return reconnect_later(conn.tag());
  }
  if (!closing_) ++unexpected_closes;
  ++ended;
}

void LoadGroup::reconnect_later(int tag) {
  if (closing_) return void(++ended);
  constexpr int kBaseMs = 500, kMaxMs = 15000, kMinMs = 100;
  const int ceiling = std::min(kMaxMs, kBaseMs << std::min(attempts_[size_t(tag)]++, 5));
  const int delay = std::max(kMinMs, std::uniform_int_distribution<int>(0, ceiling)(random_));
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(delay));
  timer->async_wait([this, timer, tag](std::error_code ec) {
    if (ec) return;
    if (closing_) return void(++ended);
    conns_[size_t(tag)] = std::make_shared<WsConn>(io_, *this, tag);
    const auto& source = plan_.sources[size_t(tag) % plan_.sources.size()];
    conns_[size_t(tag)]->start(plan_.target, source, cookies_[size_t(tag)]);
  });
}

void LoadGroup::set_up_calls() {
  asio::post(io_, [this] {
    for (int i = 0; i < plan_.setup_window; ++i) start_next_setup();
  });
}

void LoadGroup::start_next_setup() {
  if (closing_ || next_setup_ >= pairs_.size()) return;
  const size_t i = next_setup_++;
  ++setups_in_flight_;
  Pair& p = pairs_[i];
  if (plan_.kind == ServerKind::daemon) {
    p.caller->send_text(R"({"type":"invite","to":)" + std::to_string(plan_.pairs[i].callee_id) +
                        "}");
  } else {
    const std::string join = R"({"type":"join","call_id":")" + plan_.pairs[i].join_id + "\"}";
    p.caller->send_text(join);
    p.callee->send_text(join);
  }
}

void LoadGroup::on_text(WsConn& conn, std::string_view text) {
  const int64_t now = now_ns();
  last_message_ns.store(now, std::memory_order_relaxed);
  if (is_idle(conn.tag())) return on_idle_message(conn, type_of(text), text, now);
  Pair& pair = pair_of(conn.tag());
  const std::string_view type = type_of(text);
  if (type == "ice") {
    ++ice_received;
    if (now >= measure_from_ns_ && now < measure_to_ns_)
      relay_ns.push_back(uint64_t(now - pair.sent_ns));
    if (++pair.received < plan_.burst || !relaying_) return;
    if (plan_.answer_delay_ms == 0) return send_burst(pair, conn, now);  // straight back
    auto timer =
        std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(plan_.answer_delay_ms));
    timer->async_wait([this, timer, &pair, from = conn.shared_from_this()](std::error_code ec) {
      if (!ec && relaying_ && !closing_) send_burst(pair, *from, now_ns());
    });
    return;
  }
  on_pair_message(pair, is_caller(conn.tag()), conn, type, text);
}

// An idle tab: subscribes when greeted, then only counts what presence brings.
void LoadGroup::on_idle_message(WsConn& conn, std::string_view type, std::string_view text,
                                int64_t now) {
  const size_t tag = size_t(conn.tag());
  if (type == "hello") {
    ++idle_greeted;
    last_hello_ns.store(now, std::memory_order_relaxed);
    if (!plan_.idle_subscribes[tag].empty()) conn.send_text(plan_.idle_subscribes[tag]);
  } else if (type == "presence") {
    last_presence_ns.store(now, std::memory_order_relaxed);
    if (!subscribed_[tag]) {
      subscribed_[tag] = true;  // the answer: the state of everyone followed
      ++(drops_[tag] > 0 ? resubscribed : subscribed);
      return;
    }
    ++presence_batches;
    presence_users_told += ids_listed(text);
  } else if (type == "error") {
    note_error(text);
  }
}

void LoadGroup::on_pair_message(Pair& pair, bool caller, WsConn& conn, std::string_view type,
                                std::string_view text) {
  if (type == "hello") {
    ++greeted;
  } else if (type == "incoming" && !caller) {
    conn.send_text(R"({"type":"accept","call_id":")" + std::string(string_field(text, "call_id")) +
                   "\"}");
  } else if (type == "accepted") {
    joined(pair, caller, string_field(text, "call_id"));
  } else if (type == "error") {
    note_error(text);
  }
  // presence, ringing: not needed here
}

void LoadGroup::joined(Pair& pair, bool caller, std::string_view call_id) {
  (caller ? pair.caller_in : pair.callee_in) = true;
  if (pair.call_id.empty()) pair.call_id = std::string(call_id);
  if (!pair.caller_in || !pair.callee_in) return;
  pair.ice = ice_message(pair.call_id);
  ++calls_ready;
  --setups_in_flight_;
  start_next_setup();
}

void LoadGroup::note_error(std::string_view text) {
  if (++errors <= 3)
    std::fprintf(stderr, "vc-bench-load: server error: %.*s\n", int(text.size()), text.data());
}

void LoadGroup::start_relay(int64_t measure_from_ns, int64_t measure_to_ns) {
  asio::post(io_, [this, measure_from_ns, measure_to_ns] {
    measure_from_ns_ = measure_from_ns;
    measure_to_ns_ = measure_to_ns;
    relaying_ = true;
    const int64_t now = now_ns();
    for (Pair& p : pairs_)
      if (!p.ice.empty()) send_burst(p, *p.caller, now);  // empty: never got into a call
  });
}

void LoadGroup::send_burst(Pair& pair, WsConn& from, int64_t now) {
  pair.sent_ns = now;
  pair.received = 0;
  for (int i = 0; i < plan_.burst; ++i) from.send_text(pair.ice);
  ice_sent += plan_.burst;
}

void LoadGroup::stop_relay() {
  asio::post(io_, [this] { relaying_ = false; });
}

void LoadGroup::close_all() {
  asio::post(io_, [this] {
    closing_ = true;
    // A call ends as a client ends it: hang up, then close. ws-daemon would otherwise keep
    // each call for ws.peer_gone_grace, waiting for a resume.
    if (plan_.kind == ServerKind::daemon)
      for (Pair& p : pairs_)
        if (!p.call_id.empty())
          p.caller->send_text(R"({"type":"hangup","call_id":")" + p.call_id + "\"}");
    for (auto& c : conns_) {
      if (c->state() == WsConn::State::idle) ++ended;  // never started
      c->close();
    }
  });
}

void LoadGroup::stop() {
  asio::post(io_, [this] {
    for (auto& c : conns_) c->abort();
    work_.reset();
    io_.stop();
  });
}

}  // namespace vc::bench
