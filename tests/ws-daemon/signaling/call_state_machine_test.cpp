// The call state machine as a table: every allowed transition, then every refused one.
#include "signaling/call_state_machine.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "signaling/protocol.h"

using namespace vc::ws;

namespace {

struct Allowed {
  CallState from;
  CallEvent event;
  Actor actor;
  CallState to;
  const char* outcome;
  const char* reason;
};

const Allowed kAllowed[] = {
    {CallState::idle, CallEvent::ring, Actor::daemon, CallState::ringing, "ringing", ""},
    {CallState::idle, CallEvent::callee_busy, Actor::daemon, CallState::ended, "busy", "busy"},
    {CallState::ringing, CallEvent::accept, Actor::callee, CallState::active, "active", ""},
    {CallState::ringing, CallEvent::decline, Actor::callee, CallState::ended, "declined",
     "declined"},
    {CallState::ringing, CallEvent::cancel, Actor::caller, CallState::ended, "cancelled",
     "cancelled"},
    {CallState::ringing, CallEvent::ring_timeout, Actor::daemon, CallState::ended, "missed",
     "ring-timeout"},
    {CallState::ringing, CallEvent::caller_gone, Actor::daemon, CallState::ended, "cancelled",
     "caller-gone"},
    {CallState::ringing, CallEvent::callee_gone, Actor::daemon, CallState::ended, "missed",
     "callee-gone"},
    {CallState::ringing, CallEvent::shutdown, Actor::daemon, CallState::ended, "missed",
     "server-shutdown"},
    {CallState::active, CallEvent::hangup, Actor::caller, CallState::ended, "ended", "hangup"},
    {CallState::active, CallEvent::hangup, Actor::callee, CallState::ended, "ended", "hangup"},
    {CallState::active, CallEvent::peer_gone, Actor::daemon, CallState::ended, "ended",
     "peer-gone"},
};

const CallState kStates[] = {CallState::idle, CallState::ringing, CallState::active,
                             CallState::ended};
const CallEvent kEvents[] = {
    CallEvent::ring,        CallEvent::callee_busy, CallEvent::accept,       CallEvent::decline,
    CallEvent::cancel,      CallEvent::hangup,      CallEvent::ring_timeout, CallEvent::caller_gone,
    CallEvent::callee_gone, CallEvent::peer_gone,   CallEvent::shutdown};
const Actor kActors[] = {Actor::caller, Actor::callee, Actor::daemon};

bool is_allowed(CallState from, CallEvent event, Actor actor) {
  for (const Allowed& a : kAllowed)
    if (a.from == from && a.event == event && a.actor == actor) return true;
  return false;
}

bool applies_in_state(CallState from, CallEvent event) {
  for (const Allowed& a : kAllowed)
    if (a.from == from && a.event == event) return true;
  return false;
}

}  // namespace

TEST(CallStateMachine, EveryAllowedTransitionLandsWhereTheTableSays) {
  for (const Allowed& a : kAllowed) {
    SCOPED_TRACE(std::string(to_string(a.from)) + " + " + std::string(to_string(a.event)));
    auto t = next_state(a.from, a.event, a.actor);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t->to, a.to);
    EXPECT_EQ(t->outcome, a.outcome);
    EXPECT_EQ(t->reason, a.reason);
  }
}

TEST(CallStateMachine, EveryOtherCombinationIsRefusedWithTheRightCode) {
  int refused = 0;
  for (CallState from : kStates)
    for (CallEvent event : kEvents)
      for (Actor actor : kActors) {
        if (is_allowed(from, event, actor)) continue;
        SCOPED_TRACE(std::string(to_string(from)) + " + " + std::string(to_string(event)));
        auto t = next_state(from, event, actor);
        ASSERT_FALSE(t.ok());
        EXPECT_EQ(t.error().code, applies_in_state(from, event) ? kErrNotAllowed : kErrWrongState);
        EXPECT_FALSE(t.error().message.empty());
        ++refused;
      }
  // 4 states x 11 events x 3 actors, less the 12 allowed rows.
  EXPECT_EQ(refused, 4 * 11 * 3 - 12);
}

TEST(CallStateMachine, DeclineWhileRingingEndsCall) {
  auto t = next_state(CallState::ringing, CallEvent::decline, Actor::callee);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to, CallState::ended);
  EXPECT_EQ(t->outcome, "declined");
}

TEST(CallStateMachine, OnlyTheCalleeAccepts) {
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::accept, Actor::caller).error().code,
            kErrNotAllowed);
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::accept, Actor::daemon).error().code,
            kErrNotAllowed);
}

TEST(CallStateMachine, OnlyTheCallerCancels) {
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::cancel, Actor::callee).error().code,
            kErrNotAllowed);
}

TEST(CallStateMachine, HangupWhileRingingIsRefused) {
  EXPECT_EQ(next_state(CallState::ringing, CallEvent::hangup, Actor::caller).error().code,
            kErrWrongState);
}

TEST(CallStateMachine, AcceptAfterActiveOrEndedIsRefused) {
  EXPECT_EQ(next_state(CallState::active, CallEvent::accept, Actor::callee).error().code,
            kErrWrongState);
  EXPECT_EQ(next_state(CallState::ended, CallEvent::accept, Actor::callee).error().code,
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
