// The call state machine: a pure transition function, no I/O, no clock. The hub applies its
// answers; tests/ws-daemon/call_state_machine_test.cpp checks it as a table.
//
//   idle --ring--------------> ringing --accept (callee)-----> active --hangup (either)--> ended
//   idle --callee_busy-------> ended      ringing --decline (callee)--> ended
//                                         ringing --cancel (caller)---> ended
//                                         ringing --ring_timeout------> ended
//                                         ringing --caller_gone/callee_gone/shutdown--> ended
//                                         active  --peer_gone---------> ended
#pragma once

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
  ring_timeout,  // nobody answered in ws.ring_timeout seconds
  caller_gone,   // the caller's connection closed while ringing
  callee_gone,   // every callee connection that rang closed while ringing
  peer_gone,     // a party stayed disconnected past ws.peer_gone_grace
  shutdown,      // the daemon stops while the call rings
};

// Who causes the event: a party of the call, or the daemon itself (timers, sockets).
enum class Actor { caller, callee, daemon };

struct Transition {
  CallState to;
  // For the calls table: `outcome` is the call's state while it lasts and, once ended, how
  // it ended (ended, declined, cancelled, missed, busy); `reason` is the detail sent to
  // clients in `ended` and stored as end_reason ("" while the call lasts).
  std::string_view outcome;
  std::string_view reason;
};

// The next state, or an error value: wrong_state when the event does not apply in `from`,
// not_allowed when it applies but not from this actor. A refusal changes nothing.
Result<Transition> next_state(CallState from, CallEvent event, Actor actor);

std::string_view to_string(CallState state);
std::string_view to_string(CallEvent event);

}  // namespace vc::ws
