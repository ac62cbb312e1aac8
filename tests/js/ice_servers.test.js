// The ICE servers' lifecycle: fetched at sign-in, fresh before they expire, gone at sign-out,
// and never a fallback to the device's own addresses when they cannot be had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IceServers, kUnavailable } from '../../public_html/js/ice_servers.js';

const turn = { urls: ['turn:turn.example:3478'], username: 'u', credential: 'c' };

// A clock and timers the test moves by hand, and a server whose answers it scripts.
function setup(answers) {
  let now = 1_000_000;
  const timers = [];
  const asked = [];
  const ice = new IceServers({
    fetchServers: async () => {
      asked.push(now);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next || { ok: false, status: 503 };
    },
    now: () => now,
    setTimer: (fn, ms) => { const t = { fn, at: now + ms }; timers.push(t); return t; },
    clearTimer: (t) => { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); },
  });
  const advance = async (ms) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { ice, asked, advance, timers };
}

const fresh = (policy, ttl = 600) => ({ ok: true, data: { iceServers: [turn], iceTransportPolicy: policy, ttl } });

test('IceServers: fetched once at sign-in, and a call gets them without asking again', async () => {
  const { ice, asked } = setup([fresh('all')]);
  ice.start();
  const got = await ice.get();
  assert.deepEqual(got, { servers: [turn], policy: 'all', ok: true });
  await ice.get();
  assert.equal(asked.length, 1);
});

test('IceServers: fetched again at half their lifetime, before the credentials run out', async () => {
  const { ice, asked, advance } = setup([fresh('all', 600), fresh('relay', 600)]);
  ice.start();
  await ice.get();
  await advance(299_000);
  assert.equal(asked.length, 1);
  await advance(1_000);
  assert.equal(asked.length, 2);
  assert.equal((await ice.get()).policy, 'relay');
});

test('IceServers: forgotten at sign-out, and a late answer for the old user is dropped', async () => {
  let answer;
  const held = new Promise((resolve) => { answer = resolve; });
  const ice = new IceServers({ fetchServers: () => held });
  ice.start();
  const pending = ice.get();
  ice.stop();  // another user signs in on this page
  answer(fresh('all'));
  assert.deepEqual(await pending, kUnavailable);
  assert.equal(ice.current_, null);
});

test('IceServers: when they cannot be fetched, calls get relay-only with no servers, never host candidates', async () => {
  for (const failure of [{ ok: false, status: 503 }, new TypeError('Failed to fetch')]) {
    const { ice } = setup([failure, failure]);
    ice.start();
    assert.deepEqual(await ice.get(), kUnavailable);
  }
});

test('IceServers: after a failed fetch they are tried again, and expired credentials are not handed out', async () => {
  const failed = { ok: false, status: 503 };
  const { ice, asked, advance } = setup([fresh('all', 60), failed, failed, failed, fresh('all', 60)]);
  ice.start();
  assert.equal((await ice.get()).ok, true);
  await advance(30_000);  // the refresh fails...
  assert.equal(asked.length, 2);
  assert.equal((await ice.get()).ok, true, 'the current ones still hold');
  await advance(31_000);  // ...so does the retry 10 s later, and now they have expired
  assert.equal(asked.length, 3);
  assert.deepEqual(await ice.get(), kUnavailable, 'a call asks once more, in vain');
  await advance(10_000);  // the next retry gets them
  assert.equal(asked.length, 5);
  assert.equal((await ice.get()).ok, true);
});
