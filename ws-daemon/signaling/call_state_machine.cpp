#include "signaling/call_state_machine.h"

#include "signaling/protocol.h"

namespace vc::ws {
namespace {

struct Rule {
  CallState from;
  CallEvent event;
  Actor actor;
  Transition to;
};

// Every allowed transition; anything not listed is refused.
// clang-format off
constexpr Rule kRules[] = {
    {CallState::idle, CallEvent::ring, Actor::daemon, {CallState::ringing, "ringing", ""}},
    {CallState::idle, CallEvent::callee_busy, Actor::daemon, {CallState::ended, "busy", "busy"}},
    {CallState::ringing, CallEvent::accept, Actor::callee, {CallState::active, "active", ""}},
    {CallState::ringing, CallEvent::decline, Actor::callee,
     {CallState::ended, "declined", "declined"}},
    {CallState::ringing, CallEvent::cancel, Actor::caller,
     {CallState::ended, "cancelled", "cancelled"}},
    {CallState::ringing, CallEvent::ring_timeout, Actor::daemon,
     {CallState::ended, "missed", "ring-timeout"}},
    {CallState::ringing, CallEvent::caller_gone, Actor::daemon,
     {CallState::ended, "cancelled", "caller-gone"}},
    {CallState::ringing, CallEvent::callee_gone, Actor::daemon,
     {CallState::ended, "missed", "callee-gone"}},
    {CallState::ringing, CallEvent::shutdown, Actor::daemon,
     {CallState::ended, "missed", "server-shutdown"}},
    {CallState::active, CallEvent::hangup, Actor::caller, {CallState::ended, "ended", "hangup"}},
    {CallState::active, CallEvent::hangup, Actor::callee, {CallState::ended, "ended", "hangup"}},
    {CallState::active, CallEvent::peer_gone, Actor::daemon,
     {CallState::ended, "ended", "peer-gone"}},
};
// clang-format on

}  // namespace

Result<Transition> next_state(CallState from, CallEvent event, Actor actor) {
  bool applies_in_state = false;
  for (const Rule& rule : kRules) {
    if (rule.from != from || rule.event != event) continue;
    if (rule.actor == actor) return rule.to;
    applies_in_state = true;
  }
  const std::string what =
      std::string(to_string(event)) + " in a " + std::string(to_string(from)) + " call";
  if (applies_in_state) return Error{kErrNotAllowed, "you may not " + what};
  return Error{kErrWrongState, "cannot " + what};
}

std::string_view to_string(CallState state) {
  switch (state) {
    case CallState::idle:
      return "idle";
    case CallState::ringing:
      return "ringing";
    case CallState::active:
      return "active";
    case CallState::ended:
      return "ended";
  }
  return "?";
}

std::string_view to_string(CallEvent event) {
  switch (event) {
    case CallEvent::ring:
      return "ring";
    case CallEvent::callee_busy:
      return "callee_busy";
    case CallEvent::accept:
      return "accept";
    case CallEvent::decline:
      return "decline";
    case CallEvent::cancel:
      return "cancel";
    case CallEvent::hangup:
      return "hangup";
    case CallEvent::ring_timeout:
      return "ring_timeout";
    case CallEvent::caller_gone:
      return "caller_gone";
    case CallEvent::callee_gone:
      return "callee_gone";
    case CallEvent::peer_gone:
      return "peer_gone";
    case CallEvent::shutdown:
      return "shutdown";
  }
  return "?";
}

}  // namespace vc::ws
