// The call rules: one table of transitions, each with the connection that may cause it and who is
// told what. Pure data and a lookup, no I/O, no clock. The calls engine (signaling/calls.h)
// applies the answers; tests/ws-daemon/signaling/call_state_machine_test.cpp checks it as a table.
//
//   idle --ring--------------> ringing --accept (a rung callee tab)--> active --hangup--> ended
//   idle --callee_busy-------> ended      ringing --decline (a rung callee tab)--> ended
//                                         ringing --cancel (the inviting tab)----> ended
//                                         ringing --ring_timeout-----------------> ended
//                                         ringing --caller_gone/callee_gone/shutdown--> ended
//                                         active  --peer_gone--------------------> ended
// Rows that change nothing and only say who may act: relay (sdp, ice; the caller's early offer
// while ringing) and resume.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "error.h"

namespace vc::ws {

enum class CallState { idle, ringing, active, ended };

enum class CallEvent {
  ring,         // the invite reached at least one callee connection
  callee_busy,  // the callee is already in a ringing or active call (or is the caller)
  accept,
  decline,
  cancel,
  hangup,
  relay,         // sdp or ice for the other party
  resume,        // a party's new connection takes over its place in the call
  ring_timeout,  // nobody answered in ws.ring_timeout seconds
  caller_gone,   // the caller's connection closed while ringing
  callee_gone,   // every callee connection that rang closed while ringing
  peer_gone,     // a party stayed disconnected past ws.peer_gone_grace
  shutdown,      // the daemon stops while the call rings
};

// Who causes an event: the daemon itself (timers, sockets), or one connection, named by its
// place in the call.
enum class Actor : uint8_t {
  daemon,
  inviter,       // the caller's connection that invited (or resumed)
  caller_other,  // any other connection of the caller
  rung,          // a callee connection that got `incoming` and still rings
  answerer,      // the callee's connection that accepted (or resumed)
  callee_other,  // any other connection of the callee
};
using Actors = uint8_t;  // a set of Actor, as bits
constexpr Actors bit(Actor a) {
  return Actors(1u << unsigned(a));
}

// What a transition sends, built by the calls engine from the call's record.
enum class Notice {
  ringing,
  busy,
  accepted,
  answered_elsewhere,
  declined,
  cancelled,
  missed,
  ended
};
// To whom: connections by their place in the call.
enum class Audience {
  caller,      // the inviting connection
  callee,      // the answering connection
  rang,        // every callee connection that still rings
  other_rang,  // those, except the one that acted
};
struct Tell {
  Notice notice;
  Audience to;
};

struct Transition {
  CallState to;
  // For the calls table: `outcome` is the call's state while it lasts and, once ended, how
  // it ended (ended, declined, cancelled, missed, busy); `reason` is the detail sent to
  // clients in `ended` and stored as end_reason ("" while the call lasts).
  std::string_view outcome;
  std::string_view reason;
  std::array<Tell, 3> tells;  // the first `tell_count` of them, in this order
  uint8_t tell_count;
  // A check-only row (relay, resume): nothing changes, nothing is stored or told.
  bool changes() const { return !outcome.empty(); }
};

// The next state, or an error value: wrong_state when the event does not apply in `from`,
// not_allowed when it applies but not from this actor. A refusal changes nothing.
Result<Transition> next_state(CallState from, CallEvent event, Actor actor);

std::string_view to_string(CallState state);
std::string_view to_string(CallEvent event);
std::string_view to_string(Actor actor);

}  // namespace vc::ws
