// The page's call flow as tables: for each role and phase, what a button or a server message
// sends, where the call goes and how it ends. No DOM, no WebRTC: the hooks are recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallFlow, endText, kMediaGiveUpMs } from '../../public_html/js/call_flow.js';

const kPeer = { id: 7, display_name: 'Bea' };

// A flow whose socket can be taken down, recording what it sends and what it asks the page.
function harness() {
  const h = { sent: [], hooks: [], logs: [], ended: null, socketUp: true, timers: new Map() };
  const hooks = {};
  for (const name of ['calling', 'ringing', 'incoming', 'stopRinging', 'accepting', 'answered', 'signal',
                      'bothBack', 'waitingForPeer']) {
    hooks[name] = () => h.hooks.push(name);
  }
  hooks.prepare = (call, { polite, holdAnswer }) => h.hooks.push(`prepare polite=${polite} hold=${holdAnswer}`);
  hooks.connect = (call, polite) => h.hooks.push(`connect polite=${polite}`);
  hooks.end = (call, reason) => { h.ended = { reason, phase: call.phase, role: call.role }; };
  h.flow = new CallFlow({
    send: (m) => h.socketUp && h.sent.push(m) > 0,
    log: (level, event) => h.logs.push(event),
    hooks,
    now: () => 1000,
    // Timers the test fires by hand: h.fire(ms) runs those set for that long.
    timers: {
      set: (fn, ms) => { const t = Symbol('timer'); h.timers.set(t, { fn, ms }); return t; },
      clear: (t) => h.timers.delete(t),
    },
  });
  h.fire = (ms) => {
    for (const [t, { fn, ms: after }] of [...h.timers]) if (after === ms) { h.timers.delete(t); fn(); }
  };
  // Forget what it took to get here: the rows look at what the step under test does.
  h.clear = () => { h.sent = []; h.hooks = []; h.logs = []; };
  return h;
}

// Brings a fresh harness's call to one of the states the tables start from.
const kStates = {
  'caller preparing': (h) => h.flow.start(kPeer),
  'caller calling': (h) => h.flow.mediaReady(h.flow.start(kPeer), true),
  'caller ringing': (h) => {
    kStates['caller calling'](h);
    h.flow.ringing({ call_id: 'c1', ref: h.flow.call.ref });
  },
  'caller connecting': (h) => {
    kStates['caller ringing'](h);
    h.flow.accepted({ call_id: 'c1' });
  },
  'caller active': (h) => {
    kStates['caller connecting'](h);
    h.flow.mediaState(h.flow.call, 'connected');
  },
  'callee incoming': (h) => h.flow.incoming({ call_id: 'c1', caller: kPeer }),
  'callee connecting': (h) => {
    kStates['callee incoming'](h);
    h.flow.accept();
  },
  'callee active': (h) => {
    kStates['callee connecting'](h);
    h.flow.mediaState(h.flow.call, 'connected');
  },
  // Our invite crossed theirs and the daemon kept theirs (ours never rang): accepted for us,
  // `accepted` to come.
  'glare callee': (h) => {
    kStates['caller calling'](h);
    h.flow.glare({ call_id: 'c2', peer_id: kPeer.id });
  },
  // They called while our camera opened: their call is answered once it is open.
  'crossed callee': (h) => {
    kStates['caller preparing'](h);
    h.flow.incoming({ call_id: 'c2', caller: kPeer });
  },
};

function from(state) {
  const h = harness();
  kStates[state](h);
  h.clear();
  return h;
}

const types = (sent) => sent.map((m) => m.type).join(',');

test('CallFlow: the states the tables start from', () => {
  const rows = [
    ['caller preparing', 'caller', 'preparing', null, false, false],
    ['caller calling', 'caller', 'calling', null, false, false],
    ['caller ringing', 'caller', 'ringing', 'c1', false, false],
    ['caller connecting', 'caller', 'connecting', 'c1', false, true],
    ['caller active', 'caller', 'active', 'c1', false, true],
    ['callee incoming', 'callee', 'incoming', 'c1', false, false],
    ['callee connecting', 'callee', 'connecting', 'c1', true, true],
    ['callee active', 'callee', 'active', 'c1', true, true],
    ['glare callee', 'callee', 'calling', 'c2', true, false],
    ['crossed callee', 'callee', 'preparing', 'c2', false, false],
  ];
  for (const [state, role, phase, id, accepted, connecting] of rows) {
    const { call } = from(state).flow;
    assert.deepEqual([call.role, call.phase, call.id, call.accepted, call.connecting],
      [role, phase, id, accepted, connecting], state);
  }
});

test('CallFlow: what hang-up sends and how the call ends, in each phase', () => {
  const rows = [
    // state, sent, the ending
    ['caller preparing', '', 'local-cancel'],
    ['caller calling', '', 'local-cancel'],  // the ringing that names the call gets a cancel
    ['caller ringing', 'cancel', 'local-cancel'],
    ['caller connecting', 'hangup', 'local-hangup'],
    ['caller active', 'hangup', 'local-hangup'],
    ['callee incoming', 'decline', 'declined-by-me'],
    ['callee connecting', 'hangup', 'local-hangup'],
    ['callee active', 'hangup', 'local-hangup'],
    ['glare callee', 'hangup', 'local-hangup'],
    ['crossed callee', 'decline', 'declined-by-me'],
  ];
  for (const [state, sent, reason] of rows) {
    const h = from(state);
    const id = h.flow.call.id;
    h.flow.hangup();
    assert.equal(types(h.sent), sent, state);
    for (const m of h.sent) assert.equal(m.call_id, id, `${state}: names its call`);
    assert.equal(h.ended?.reason, reason, state);
    assert.equal(h.flow.call, null, state);
  }
});

test('CallFlow: an invite cancelled before it rang is cancelled when its ringing comes', () => {
  const h = from('caller calling');
  const { ref } = h.flow.call;
  h.flow.hangup();
  h.flow.ringing({ call_id: 'c9', ref: 'invite-of-another-tab' });
  assert.deepEqual(h.sent, []);
  h.flow.ringing({ call_id: 'c1', ref });
  assert.deepEqual(h.sent, [{ type: 'cancel', call_id: 'c1' }]);
  h.flow.ringing({ call_id: 'c1', ref });
  assert.equal(h.sent.length, 1, 'once');
});

test('CallFlow: what a reconnect does, in each phase', () => {
  const rows = [
    // state, sent, the ending (null: the call goes on)
    ['caller preparing', '', null],
    ['caller calling', '', 'signaling'],
    ['caller ringing', 'cancel', 'signaling'],
    ['caller connecting', 'resume', null],
    ['caller active', 'resume', null],
    ['callee incoming', '', 'signaling'],
    ['callee connecting', 'resume', null],
    ['callee active', 'resume', null],
    ['glare callee', '', 'signaling'],
    ['crossed callee', '', null],
  ];
  for (const [state, sent, reason] of rows) {
    const h = from(state);
    h.flow.reconnected();
    assert.equal(types(h.sent), sent, state);
    assert.equal(h.ended?.reason ?? null, reason, state);
  }
});

test('CallFlow: a hangup the socket could not take goes out after the reconnect', () => {
  const h = from('callee active');
  h.socketUp = false;
  h.flow.hangup();
  assert.equal(h.ended.reason, 'local-hangup');
  h.socketUp = true;
  h.flow.reconnected();
  assert.deepEqual(h.sent, [{ type: 'resume', call_id: 'c1', ref: 'resume' }, { type: 'hangup', call_id: 'c1' }]);
  h.sent = [];
  h.flow.reconnected();
  assert.deepEqual(h.sent, [], 'once');
});

test('CallFlow: a send the socket refuses ends the call instead of waiting forever', () => {
  const invite = harness();
  const call = invite.flow.start(kPeer);
  invite.socketUp = false;
  invite.flow.mediaReady(call, true);
  assert.equal(invite.ended.reason, 'signaling');

  const accept = from('callee incoming');
  accept.socketUp = false;
  assert.equal(accept.flow.accept(), null);
  assert.equal(accept.ended.reason, 'signaling');
  assert.ok(!accept.hooks.includes('connect polite=true'), 'no answer goes out');
});

test('CallFlow: who makes the peer connection when, and who is polite', () => {
  const caller = harness();
  kStates['caller calling'](caller);
  assert.ok(!caller.hooks.some((x) => x.startsWith('prepare')), 'not before the call has an id');
  caller.flow.ringing({ call_id: 'c1', ref: caller.flow.call.ref });
  assert.deepEqual(caller.hooks.slice(-2), ['ringing', 'prepare polite=false hold=false']);
  caller.flow.accepted({ call_id: 'c1' });
  assert.deepEqual(caller.hooks.slice(-2), ['answered', 'connect polite=false']);

  const callee = harness();
  callee.flow.incoming({ call_id: 'c1', caller: kPeer });
  assert.deepEqual(callee.hooks, ['incoming', 'prepare polite=true hold=true'], 'held until Accept');
  assert.deepEqual(callee.sent, [], 'nothing is sent while it rings');
  callee.flow.accept();
  assert.deepEqual(callee.sent, [{ type: 'accept', call_id: 'c1' }]);
  assert.deepEqual(callee.hooks.slice(-3), ['accepting', 'answered', 'connect polite=true']);
  callee.flow.accepted({ call_id: 'c1' });
  assert.equal(callee.hooks.filter((x) => x.startsWith('connect')).length, 1, 'accepted does not connect twice');

  const glare = from('glare callee');
  glare.flow.accepted({ call_id: 'c2' });
  assert.deepEqual(glare.hooks, ['answered', 'connect polite=true']);

  const crossed = from('crossed callee');
  crossed.flow.mediaReady(crossed.flow.call, true);
  assert.deepEqual(crossed.sent, [{ type: 'accept', call_id: 'c2' }], 'answers their call, sends no invite');
});

test('CallFlow: glare keeps the call that rang first', () => {
  const ours = from('caller ringing');
  ours.flow.glare({ call_id: 'c1', peer_id: kPeer.id });
  assert.equal(ours.flow.call.role, 'caller');
  assert.deepEqual(ours.hooks, ['stopRinging']);

  const other = from('caller ringing');
  other.flow.glare({ call_id: 'c1', peer_id: 99 });
  assert.deepEqual(other.hooks, [], 'a glare about someone else');
  assert.equal(other.flow.call.role, 'caller');
});

test('CallFlow: each answer finds its own call, by call id or, before it has one, by ref', () => {
  const rows = [
    // state, message, what ends it (null: ignored)
    ['caller calling', (f) => f.refused('busy', { ref: f.call.ref }), 'busy'],
    ['caller calling', (f) => f.refused('busy', { ref: 'another-invite' }), null],
    ['caller calling', (f) => f.error({ code: 'unavailable', ref: f.call.ref }), 'unavailable'],
    ['caller calling', (f) => f.error({ code: 'already_in_call', ref: f.call.ref }), 'self-busy'],
    ['caller calling', (f) => f.error({ code: 'unavailable', ref: 'another-invite' }), null],
    ['caller ringing', (f) => f.refused('declined', { call_id: 'c1' }), 'declined'],
    ['caller ringing', (f) => f.refused('declined', { call_id: 'c9' }), null],
    ['caller ringing', (f) => f.refused('busy', { ref: f.call.ref, call_id: 'c9' }), null],
    ['callee incoming', (f) => f.refused('cancelled', { call_id: 'c1' }), 'cancelled'],
    ['callee incoming', (f) => f.refused('answered-elsewhere', { call_id: 'c1' }), 'answered-elsewhere'],
    ['callee active', (f) => f.ended({ call_id: 'c1', reason: 'peer-gone' }), 'peer-gone'],
    ['callee active', (f) => f.ended({ call_id: 'c1' }), 'hangup'],
    ['callee active', (f) => f.ended({ call_id: 'c9' }), null],
    // A resume the daemon could not match: the call ended while we were away.
    ['caller active', (f) => f.error({ code: 'unknown_call', ref: 'resume' }), 'signaling'],
    ['caller active', (f) => f.error({ code: 'wrong_state', ref: 'resume' }), 'signaling'],
    ['caller active', (f) => f.error({ code: 'rate_limited', ref: 'resume' }), null],
    ['caller ringing', (f) => f.error({ code: 'unknown_call', ref: 'resume' }), null],
  ];
  for (const [state, message, reason] of rows) {
    const h = from(state);
    message(h.flow);
    assert.equal(h.ended?.reason ?? null, reason, `${state}: ${message}`);
  }
});

test('CallFlow: a second call while one is in progress is not taken', () => {
  const h = from('caller ringing');
  h.flow.incoming({ call_id: 'c5', caller: { id: 8, display_name: 'Cy' } });
  assert.equal(h.flow.call.id, 'c1');
  assert.deepEqual(h.hooks, []);
  assert.equal(h.flow.start({ id: 8, display_name: 'Cy' }), null);
});

test('CallFlow: signals reach only the current call, and "connected" makes it active once', () => {
  const h = from('caller connecting');
  h.flow.signal({ type: 'sdp', call_id: 'c9' });
  h.flow.signal({ type: 'ice', call_id: 'c1' });
  assert.deepEqual(h.hooks, ['signal']);
  const { call } = h.flow;
  assert.equal(h.flow.mediaState(call, 'connecting'), false);
  assert.equal(h.flow.mediaState(call, 'connected'), true);
  assert.equal(call.startedAt, 1000);
  assert.equal(h.flow.mediaState(call, 'disconnected'), false);
  assert.equal(h.flow.mediaState(call, 'connected'), false, 'a reconnection is not a new call');
});

test('CallFlow: a media path cut for longer than the give-up time ends the call, with a hangup and a reason', () => {
  const rows = [
    // states the peer connection goes through, then whether the give-up time passes; the ending
    [['failed'], true, 'media-lost'],
    [['disconnected'], true, 'media-lost'],
    [['disconnected', 'failed', 'connecting'], true, 'media-lost'],
    [['failed', 'connecting', 'connected'], true, null],  // the ICE restart brought it back
    [['failed'], false, null],
    [['connecting'], true, null],
  ];
  for (const [states, waited, reason] of rows) {
    const h = from('caller active');
    for (const state of states) h.flow.mediaState(h.flow.call, state);
    assert.ok(h.timers.size <= 1, `${states}: one give-up timer`);
    if (waited) h.fire(kMediaGiveUpMs);
    assert.equal(h.ended?.reason ?? null, reason, `${states}`);
    assert.equal(types(h.sent), reason ? 'hangup' : '', `${states}`);
    if (reason) assert.deepEqual(h.logs, ['media_gave_up']);
  }
  const ended = from('callee active');
  ended.flow.mediaState(ended.flow.call, 'failed');
  ended.flow.hangup();
  assert.equal(ended.timers.size, 0, 'a call that ends first leaves no timer behind');
});

test('CallFlow: resumed and peer-resumed tell the page once both are back', () => {
  const rows = [
    [{ type: 'resumed', call_id: 'c1', peer_connected: true }, ['bothBack']],
    [{ type: 'resumed', call_id: 'c1', peer_connected: false }, ['waitingForPeer']],
    [{ type: 'peer-resumed', call_id: 'c1' }, ['bothBack']],
    [{ type: 'peer-resumed', call_id: 'c9' }, []],
  ];
  for (const [m, hooks] of rows) {
    const h = from('callee active');
    if (m.type === 'resumed') h.flow.resumed(m);
    else h.flow.peerResumed(m);
    assert.deepEqual(h.hooks, hooks, JSON.stringify(m));
  }
});

test('CallFlow: closing the tab hangs up, except on a call that only rings here', () => {
  const ringing = from('callee incoming');
  ringing.flow.pageHide();
  assert.deepEqual(ringing.sent, []);
  assert.notEqual(ringing.flow.call, null, 'another tab may still answer it');
  const active = from('caller active');
  active.flow.pageHide();
  assert.equal(types(active.sent), 'hangup');
});

test('CallFlow: the camera failing ends a call before it was placed or answered', () => {
  const caller = harness();
  caller.flow.mediaReady(caller.flow.start(kPeer), false);
  assert.deepEqual([types(caller.sent), caller.ended.reason], ['', 'local-cancel']);
  const crossed = from('crossed callee');
  crossed.flow.mediaReady(crossed.flow.call, false);
  assert.deepEqual([types(crossed.sent), crossed.ended.reason], ['decline', 'declined-by-me']);
});

test('endText: what a call that rang here but was settled elsewhere says', () => {
  const rows = [
    ['callee', 'incoming', 'missed', 'Missed call from Bea.'],
    ['callee', 'incoming', 'cancelled', 'Bea hung up before you answered.'],
    ['callee', 'incoming', 'declined', 'You declined the call from Bea on another device.'],
    ['callee', 'incoming', 'declined-by-me', ''],
    ['caller', 'ringing', 'declined-by-me', ''],
  ];
  for (const [role, phase, reason, text] of rows) {
    assert.equal(endText({ role, phase, peer: kPeer }, reason), text, `${role} ${phase} ${reason}`);
  }
  assert.ok(endText({ role: 'caller', phase: 'ringing', peer: kPeer }, 'declined').includes('Bea'));
  assert.equal(endText({ role: 'caller', phase: 'connecting', peer: kPeer }, 'media-lost'),
    'The call to Bea could not connect.');
  assert.equal(endText({ role: 'caller', phase: 'active', startedAt: 5, peer: kPeer }, 'media-lost'),
    'The connection to Bea could not be restored, so the call ended.');
});
