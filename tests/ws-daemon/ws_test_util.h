// Shared steps of the ws-daemon integration tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "stack_env.h"
#include "ws_client.h"

namespace vc::test {

struct CallRow {
  std::string outcome;
  std::string end_reason;  // "" for NULL
  bool answered = false;
  bool ended = false;
  int64_t caller_id = 0;
  int64_t callee_id = 0;
};

// The calls row once its outcome is `outcome` (writes are asynchronous); nullopt if it never
// gets there within the wait.
inline std::optional<CallRow> wait_for_call_row(const std::string& call_id,
                                                const std::string& outcome) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  std::optional<CallRow> last;
  do {
    auto rows = db().query(
        "SELECT outcome, end_reason, answered_at IS NOT NULL, ended_at IS NOT NULL, caller_id,"
        " callee_id FROM calls WHERE id = ?",
        {call_id});
    if (rows && !rows->empty()) {
      const DbRow& r = rows->front();
      last = CallRow{*r[0],       r[1].value_or(""), r[2] == "1",
                     r[3] == "1", std::stoll(*r[4]), std::stoll(*r[5])};
      if (last->outcome == outcome) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  ADD_FAILURE() << "call " << call_id << " never reached outcome " << outcome
                << " (last: " << (last ? last->outcome : "no row") << ")";
  return std::nullopt;
}

inline int64_t count_call_rows_between(int64_t a, int64_t b) {
  auto rows = db().query(
      "SELECT COUNT(*) FROM calls WHERE (caller_id = ? AND callee_id = ?)"
      " OR (caller_id = ? AND callee_id = ?)",
      {a, b, b, a});
  return rows ? std::stoll(*rows->at(0).at(0)) : -1;
}

inline std::string invite(int64_t to, const std::string& ref = "") {
  std::string text = R"({"type":"invite","to":)" + std::to_string(to);
  if (!ref.empty()) text += R"(,"ref":")" + ref + "\"";
  return text + "}";
}

inline std::string sdp_message(const std::string& call_id, const std::string& type,
                               const std::string& sdp) {
  return R"({"type":"sdp","call_id":")" + call_id + R"(","description":{"type":")" + type +
         R"(","sdp":")" + sdp + R"("}})";
}

inline std::string ice_message(const std::string& call_id, const std::string& candidate) {
  return R"({"type":"ice","call_id":")" + call_id + R"(","candidate":{"candidate":")" + candidate +
         R"(","sdpMid":"0","sdpMLineIndex":0}})";
}

// A logged-in user with one open signaling connection that got its hello.
struct Person {
  LoggedIn account;
  std::unique_ptr<WsClient> ws;
  int64_t id() const { return account.user_id; }
};

// Follows the presence of `users` and returns the daemon's answer (their state now).
inline std::optional<Msg> follow(WsClient& ws, const std::vector<int64_t>& users) {
  std::string ids;
  for (int64_t id : users) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  ws.send(R"({"type":"subscribe","users":[)" + ids + "]}");
  return ws.next("presence");
}

inline Person online_person(const std::string& prefix) {
  Person p{register_and_login(prefix), nullptr};
  p.ws = connect_as(p.account.token);
  EXPECT_TRUE(p.ws->open());
  EXPECT_TRUE(p.ws->next("hello").has_value());
  return p;
}

// Caller invites callee, who has a second tab open: returns the call id once the caller hears
// it ring and both tabs got `incoming` ("" on failure).
inline std::string ring_both_tabs(WsClient& caller, WsClient& tab, WsClient& other_tab,
                                  int64_t callee_id) {
  caller.send(invite(callee_id));
  auto ringing = caller.next("ringing");
  const bool rang = ringing && tab.next("incoming") && other_tab.next("incoming");
  EXPECT_TRUE(rang);
  return rang ? ringing->str("call_id") : "";
}

// Caller invites callee, callee's connection accepts; returns the call id ("" on failure).
inline std::string start_active_call(WsClient& caller, WsClient& callee, int64_t callee_id) {
  caller.send(invite(callee_id));
  auto incoming = callee.next("incoming");
  auto ringing = caller.next("ringing");
  EXPECT_TRUE(incoming && ringing);
  if (!incoming || !ringing) return "";
  std::string call_id = ringing->str("call_id");
  EXPECT_EQ(incoming->str("call_id"), call_id);
  callee.send(call_message("accept", call_id));
  auto a1 = caller.next("accepted");
  auto a2 = callee.next("accepted");
  EXPECT_TRUE(a1 && a2);
  return call_id;
}

}  // namespace vc::test
