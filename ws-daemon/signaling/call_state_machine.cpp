#include "signaling/call_state_machine.h"

#include "signaling/protocol.h"

namespace vc::ws {
namespace {

struct Rule {
  CallState from;
  CallEvent event;
  Actors may_act;
  Transition to;
};

constexpr Actors kDaemon = bit(Actor::daemon);
constexpr Actors kBound = bit(Actor::inviter) | bit(Actor::answerer);
constexpr Actors kEitherParty = bit(Actor::inviter) | bit(Actor::caller_other) | bit(Actor::rung) |
                                bit(Actor::answerer) | bit(Actor::callee_other);

using N = Notice;
using A = Audience;

// Every allowed transition; anything not listed is refused.
// clang-format off
constexpr Rule kRules[] = {
    {CallState::idle, CallEvent::ring, kDaemon,
     {CallState::ringing, "ringing", "", {{{N::ringing, A::caller}}}, 1}},
    {CallState::idle, CallEvent::callee_busy, kDaemon,
     {CallState::ended, "busy", "busy", {{{N::busy, A::caller}}}, 1}},
    {CallState::ringing, CallEvent::accept, bit(Actor::rung),
     {CallState::active, "active", "",
      {{{N::accepted, A::caller}, {N::accepted, A::callee}, {N::answered_elsewhere, A::other_rang}}}, 3}},
    {CallState::ringing, CallEvent::decline, bit(Actor::rung),
     {CallState::ended, "declined", "declined", {{{N::declined, A::caller}, {N::declined, A::rang}}}, 2}},
    {CallState::ringing, CallEvent::cancel, bit(Actor::inviter),
     {CallState::ended, "cancelled", "cancelled", {{{N::cancelled, A::caller}, {N::cancelled, A::rang}}}, 2}},
    {CallState::ringing, CallEvent::ring_timeout, kDaemon,
     {CallState::ended, "missed", "ring-timeout", {{{N::missed, A::caller}, {N::missed, A::rang}}}, 2}},
    {CallState::ringing, CallEvent::caller_gone, kDaemon,
     {CallState::ended, "cancelled", "caller-gone", {{{N::cancelled, A::rang}}}, 1}},
    {CallState::ringing, CallEvent::callee_gone, kDaemon,
     {CallState::ended, "missed", "callee-gone", {{{N::missed, A::caller}}}, 1}},
    {CallState::ringing, CallEvent::shutdown, kDaemon,
     {CallState::ended, "missed", "server-shutdown", {{{N::missed, A::caller}, {N::missed, A::rang}}}, 2}},
    {CallState::active, CallEvent::hangup, kBound,
     {CallState::ended, "ended", "hangup", {{{N::ended, A::caller}, {N::ended, A::callee}}}, 2}},
    {CallState::active, CallEvent::peer_gone, kDaemon,
     {CallState::ended, "ended", "peer-gone", {{{N::ended, A::caller}, {N::ended, A::callee}}}, 2}},
    // Check-only rows. While it rings, only the inviting connection may send sdp and ice (the
    // early offer): they go to the rung callee connections, so the one that answers can answer at
    // once. The callee's own sdp and ice, with its addresses, wait for accept; from then on they
    // flow between the two bound connections only.
    {CallState::ringing, CallEvent::relay, bit(Actor::inviter), {CallState::ringing, "", "", {}, 0}},
    {CallState::active, CallEvent::relay, kBound, {CallState::active, "", "", {}, 0}},
    {CallState::active, CallEvent::resume, kEitherParty, {CallState::active, "", "", {}, 0}},
};
// clang-format on

}  // namespace

Result<Transition> next_state(CallState from, CallEvent event, Actor actor) {
  bool applies_in_state = false;
  for (const Rule& rule : kRules) {
    if (rule.from != from || rule.event != event) continue;
    if (rule.may_act & bit(actor)) return rule.to;
    applies_in_state = true;
  }
  const std::string what =
      std::string(to_string(event)) + " a " + std::string(to_string(from)) + " call";
  if (applies_in_state)
    return Error{kErrNotAllowed, "the " + std::string(to_string(actor)) + " may not " + what};
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
    case CallEvent::relay:
      return "relay";
    case CallEvent::resume:
      return "resume";
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

std::string_view to_string(Actor actor) {
  switch (actor) {
    case Actor::daemon:
      return "daemon";
    case Actor::inviter:
      return "connection that invited";
    case Actor::caller_other:
      return "caller's other connection";
    case Actor::rung:
      return "rung connection";
    case Actor::answerer:
      return "connection that answered";
    case Actor::callee_other:
      return "callee's other connection";
  }
  return "?";
}

}  // namespace vc::ws
