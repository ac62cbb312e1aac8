import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signaling } from '../../public_html/js/signaling.js';
import { Backoff } from '../../public_html/js/backoff.js';

// A WebSocket stand-in the test drives by hand, and timers the test fires by hand.
function harness() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
    }
    send(text) { this.sent.push(JSON.parse(text)); }
    close(code = 1000) { this.readyState = 3; this.onclose?.({ code, reason: '' }); }
    serverOpen() { this.readyState = 1; this.onopen?.(); }
    serverSend(object) { this.onmessage?.({ data: typeof object === 'string' ? object : JSON.stringify(object) }); }
    serverDrop(code = 1006) { this.readyState = 3; this.onclose?.({ code, reason: '' }); }
  }
  const timers = [];
  const signaling = new Signaling({
    url: 'wss://example.test/ws',
    WebSocketImpl: FakeSocket,
    backoff: new Backoff({}, () => 0.999999),
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: (id) => { if (id) timers[id - 1].fn = () => {}; },
  });
  const states = [];
  signaling.on('state', (s) => states.push(s));
  const fire = () => timers.shift().fn();
  return { signaling, sockets, timers, states, fire };
}

const hello = { type: 'hello', user: { id: 1, username: 'a', display_name: 'A' } };

test('Signaling: open only after the server says hello, and messages go out only then', () => {
  const { signaling, sockets, states } = harness();
  signaling.connect();
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].url, 'wss://example.test/ws');
  sockets[0].serverOpen();
  assert.equal(signaling.send({ type: 'invite', to: 2 }), false);
  sockets[0].serverSend(hello);
  assert.deepEqual(states, ['connecting', 'open']);
  assert.equal(signaling.send({ type: 'invite', to: 2 }), true);
  assert.deepEqual(sockets[0].sent, [{ type: 'invite', to: 2 }]);
});

test('Signaling: a drop reconnects after a growing delay, and a hello resets the delay', () => {
  const { signaling, sockets, timers, states, fire } = harness();
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend(hello);
  assert.equal(signaling.isReconnect, true);
  sockets[0].serverDrop();
  assert.equal(states.at(-1), 'reconnecting');
  assert.equal(timers[0].ms, 500);
  fire();
  sockets[1].serverDrop();  // refused again before any hello
  assert.equal(timers[0].ms, 1000);
  fire();
  sockets[2].serverOpen();
  sockets[2].serverDrop();  // opened but no hello: still backing off
  assert.equal(timers[0].ms, 2000);
  fire();
  sockets[3].serverOpen();
  sockets[3].serverSend(hello);
  assert.equal(states.at(-1), 'open');
  sockets[3].serverDrop();
  assert.equal(timers[0].ms, 500);
});

test('Signaling: close() stops for good, with no reconnect scheduled', () => {
  const { signaling, sockets, timers, states } = harness();
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend(hello);
  signaling.close();
  assert.equal(states.at(-1), 'closed');
  assert.equal(timers.length, 0);
  assert.equal(sockets.length, 1);
  assert.equal(signaling.send({ type: 'invite', to: 2 }), false);
});

test('Signaling: close() during the backoff wait cancels the pending reconnect', () => {
  const { signaling, sockets, timers } = harness();
  signaling.connect();
  sockets[0].serverDrop();
  signaling.close();
  timers.shift().fn();
  assert.equal(sockets.length, 1);
});

test('Signaling: each drop is reported with its close code', () => {
  const { signaling, sockets } = harness();
  const drops = [];
  signaling.on('drop', (d) => drops.push(d));
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverDrop(4401);
  assert.deepEqual(drops, [{ code: 4401, reason: '', opened: true }]);
});

test('Signaling: invalid messages are reported and not dispatched', () => {
  const { signaling, sockets } = harness();
  const invalid = [];
  const presence = [];
  signaling.on('invalid', (bad) => invalid.push(bad.error.code));
  signaling.on('presence', (m) => presence.push(m));
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend('not json');
  sockets[0].serverSend({ type: 'presence', online: 'x', offline: [] });
  sockets[0].serverSend({ type: 'presence', online: [4], offline: [] });
  assert.deepEqual(invalid, ['invalid_json', 'invalid_format']);
  assert.deepEqual(presence, [{ type: 'presence', online: [4], offline: [] }]);
});

test('Signaling: a malformed outgoing message is refused before the wire', () => {
  const { signaling, sockets } = harness();
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend(hello);
  assert.equal(signaling.send({ type: 'accept' }), false);
  assert.deepEqual(sockets[0].sent, []);
});

test('Signaling: retryNow during the backoff connects at once, and the backoff timer is void', () => {
  const { signaling, sockets, timers, fire } = harness();
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend(hello);
  sockets[0].serverDrop();
  assert.equal(timers.length, 1);
  signaling.retryNow();
  assert.equal(sockets.length, 2);
  fire();  // the voided backoff timer opens nothing more
  assert.equal(sockets.length, 2);
});

test('Signaling: retryNow while an attempt is under way replaces it: never two sockets at once', () => {
  const { signaling, sockets, fire } = harness();
  signaling.connect();
  sockets[0].serverOpen();
  sockets[0].serverSend(hello);
  sockets[0].serverDrop();
  fire();  // the retry: socket 1 is connecting
  assert.equal(sockets.length, 2);
  signaling.retryNow();  // the browser came back online meanwhile
  assert.equal(sockets.length, 3);
  assert.equal(sockets[1].readyState, 3, 'the attempt under way is closed');
  assert.equal(signaling.state, 'reconnecting');
  sockets[2].serverOpen();
  sockets[2].serverSend(hello);
  assert.equal(signaling.state, 'open');
  assert.equal(signaling.send({ type: 'invite', to: 2 }), true);
  assert.deepEqual(sockets[2].sent, [{ type: 'invite', to: 2 }]);
});
