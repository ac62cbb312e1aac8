// The call rules as a table: every allowed transition with who may cause it and who is told
// what, then every refused combination.
#include "signaling/call_state_machine.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "signaling/protocol.h"

using namespace vc::ws;

namespace {

// The specification, written independently of the rules table it checks.
struct Allowed {
  CallState from;
  CallEvent event;
  std::vector<Actor> actors;
  CallState to;
  const char* outcome;
  const char* reason;
  const char* told;  // "notice>audience ..." in order
};

const std::vector<Actor> kBound = {Actor::inviter, Actor::answerer};
const std::vector<Actor> kAnyParty = {Actor::inviter, Actor::caller_other, Actor::rung,
                                      Actor::answerer, Actor::callee_other};

const Allowed kAllowed[] = {
    {CallState::idle,
     CallEvent::ring,
     {Actor::daemon},
     CallState::ringing,
     "ringing",
     "",
     "ringing>caller"},
    {CallState::idle,
     CallEvent::callee_busy,
     {Actor::daemon},
     CallState::ended,
     "busy",
     "busy",
     "busy>caller"},
    {CallState::ringing,
     CallEvent::accept,
     {Actor::rung},
     CallState::active,
     "active",
     "",
     "accepted>caller accepted>callee answered-elsewhere>other_rang"},
    {CallState::ringing,
     CallEvent::decline,
     {Actor::rung},
     CallState::ended,
     "declined",
     "declined",
     "declined>caller declined>rang"},
    {CallState::ringing,
     CallEvent::cancel,
     {Actor::inviter},
     CallState::ended,
     "cancelled",
     "cancelled",
     "cancelled>caller cancelled>rang"},
    {CallState::ringing,
     CallEvent::ring_timeout,
     {Actor::daemon},
     CallState::ended,
     "missed",
     "ring-timeout",
     "missed>caller missed>rang"},
    {CallState::ringing,
     CallEvent::caller_gone,
     {Actor::daemon},
     CallState::ended,
     "cancelled",
     "caller-gone",
     "cancelled>rang"},
    {CallState::ringing,
     CallEvent::callee_gone,
     {Actor::daemon},
     CallState::ended,
     "missed",
     "callee-gone",
     "missed>caller"},
    {CallState::ringing,
     CallEvent::shutdown,
     {Actor::daemon},
     CallState::ended,
     "missed",
     "server-shutdown",
     "missed>caller missed>rang"},
    {CallState::active, CallEvent::hangup, kBound, CallState::ended, "ended", "hangup",
     "ended>caller ended>callee"},
    {CallState::active,
     CallEvent::peer_gone,
     {Actor::daemon},
     CallState::ended,
     "ended",
     "peer-gone",
     "ended>caller ended>callee"},
    // Check-only: who may, and nothing changes.
    {CallState::ringing, CallEvent::relay, {Actor::inviter}, CallState::ringing, "", "", ""},
    {CallState::active, CallEvent::relay, kBound, CallState::active, "", "", ""},
    {CallState::active, CallEvent::resume, kAnyParty, CallState::active, "", "", ""},
};

const CallState kStates[] = {CallState::idle, CallState::ringing, CallState::active,
                             CallState::ended};
const CallEvent kEvents[] = {
    CallEvent::ring,         CallEvent::callee_busy, CallEvent::accept,      CallEvent::decline,
    CallEvent::cancel,       CallEvent::hangup,      CallEvent::relay,       CallEvent::resume,
    CallEvent::ring_timeout, CallEvent::caller_gone, CallEvent::callee_gone, CallEvent::peer_gone,
    CallEvent::shutdown};
const Actor kActors[] = {Actor::daemon, Actor::inviter,  Actor::caller_other,
                         Actor::rung,   Actor::answerer, Actor::callee_other};

std::string name(Notice n) {
  switch (n) {
    case Notice::ringing:
      return "ringing";
    case Notice::busy:
      return "busy";
    case Notice::accepted:
      return "accepted";
    case Notice::answered_elsewhere:
      return "answered-elsewhere";
    case Notice::declined:
      return "declined";
    case Notice::cancelled:
      return "cancelled";
    case Notice::missed:
      return "missed";
    case Notice::ended:
      return "ended";
  }
  return "?";
}

std::string name(Audience a) {
  switch (a) {
    case Audience::caller:
      return "caller";
    case Audience::callee:
      return "callee";
    case Audience::rang:
      return "rang";
    case Audience::other_rang:
      return "other_rang";
  }
  return "?";
}

std::string told(const Transition& t) {
  std::string out;
  for (uint8_t i = 0; i < t.tell_count; ++i)
    out += (i ? " " : "") + name(t.tells[i].notice) + ">" + name(t.tells[i].to);
  return out;
}

const Allowed* find(CallState from, CallEvent event) {
  for (const Allowed& a : kAllowed)
    if (a.from == from && a.event == event) return &a;
  return nullptr;
}

bool is_allowed(CallState from, CallEvent event, Actor actor) {
  const Allowed* a = find(from, event);
  if (!a) return false;
  for (Actor may : a->actors)
    if (may == actor) return true;
  return false;
}

}  // namespace

TEST(CallStateMachine, EveryAllowedTransitionLandsAndTellsWhatTheTableSays) {
  int allowed = 0;
  for (const Allowed& a : kAllowed)
    for (Actor actor : a.actors) {
      SCOPED_TRACE(std::string(to_string(a.from)) + " + " + std::string(to_string(a.event)) +
                   " by " + std::string(to_string(actor)));
      auto t = next_state(a.from, a.event, actor);
      ASSERT_TRUE(t.ok()) << t.error().message;
      EXPECT_EQ(t->to, a.to);
      EXPECT_EQ(t->outcome, a.outcome);
      EXPECT_EQ(t->reason, a.reason);
      EXPECT_EQ(told(*t), a.told);
      EXPECT_EQ(t->changes(), std::string(a.outcome) != "");
      ++allowed;
    }
  EXPECT_EQ(allowed, 20);
}

TEST(CallStateMachine, EveryOtherCombinationIsRefusedWithTheRightCode) {
  int refused = 0;
  for (CallState from : kStates)
    for (CallEvent event : kEvents)
      for (Actor actor : kActors) {
        if (is_allowed(from, event, actor)) continue;
        SCOPED_TRACE(std::string(to_string(from)) + " + " + std::string(to_string(event)) + " by " +
                     std::string(to_string(actor)));
        auto t = next_state(from, event, actor);
        ASSERT_FALSE(t.ok());
        EXPECT_EQ(t.error().code, find(from, event) ? kErrNotAllowed : kErrWrongState);
        EXPECT_FALSE(t.error().message.empty());
        ++refused;
      }
  // 4 states x 13 events x 6 actors, less the 20 allowed combinations.
  EXPECT_EQ(refused, 4 * 13 * 6 - 20);
}

TEST(CallStateMachine, DeclineWhileRingingEndsCallAndTellsTheCallerAndEveryRungTab) {
  auto t = next_state(CallState::ringing, CallEvent::decline, Actor::rung);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to, CallState::ended);
  EXPECT_EQ(t->outcome, "declined");
  EXPECT_EQ(told(*t), "declined>caller declined>rang");
}

TEST(CallStateMachine, OnlyARungCalleeTabAccepts) {
  for (Actor a : {Actor::daemon, Actor::inviter, Actor::caller_other, Actor::callee_other})
    EXPECT_EQ(next_state(CallState::ringing, CallEvent::accept, a).error().code, kErrNotAllowed);
}

TEST(CallStateMachine, OnlyTheInvitingConnectionCancels) {
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::cancel, Actor::rung).error().code,
            kErrNotAllowed);
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::cancel, Actor::caller_other).error().code,
            kErrNotAllowed);
}

TEST(CallStateMachine, OnlyTheTwoBoundConnectionsRelayAndHangUp) {
  for (CallEvent e : {CallEvent::relay, CallEvent::hangup}) {
    EXPECT_TRUE(next_state(CallState::active, e, Actor::inviter).ok());
    EXPECT_TRUE(next_state(CallState::active, e, Actor::answerer).ok());
    EXPECT_EQ(next_state(CallState::active, e, Actor::callee_other).error().code, kErrNotAllowed);
    EXPECT_EQ(next_state(CallState::active, e, Actor::caller_other).error().code, kErrNotAllowed);
  }
}

TEST(CallStateMachine, WhileRingingOnlyTheInvitingConnectionRelays) {
  // The caller's early offer may go ahead; the callee's addresses wait for its accept.
  EXPECT_TRUE(next_state(CallState::ringing, CallEvent::relay, Actor::inviter).ok());
  for (Actor a : {Actor::rung, Actor::callee_other, Actor::caller_other})
    EXPECT_EQ(next_state(CallState::ringing, CallEvent::relay, a).error().code, kErrNotAllowed);
}

TEST(CallStateMachine, HangupWhileRingingIsRefused) {
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::hangup, Actor::inviter).error().code,
            kErrWrongState);
}

TEST(CallStateMachine, AcceptAfterActiveOrEndedIsRefused) {
  EXPECT_EQ(next_state(CallState::active, CallEvent::accept, Actor::answerer).error().code,
            kErrWrongState);
  EXPECT_EQ(next_state(CallState::ended, CallEvent::accept, Actor::rung).error().code,
            kErrWrongState);
}

TEST(CallStateMachine, NothingLeavesEnded) {
  for (CallEvent event : kEvents)
    for (Actor actor : kActors) EXPECT_FALSE(next_state(CallState::ended, event, actor).ok());
}

TEST(CallStateMachine, RingTimeoutAfterAcceptIsRefused) {
  // The timer firing late must not end an answered call.
  EXPECT_FALSE(next_state(CallState::active, CallEvent::ring_timeout, Actor::daemon).ok());
}
