// Calls through the stack's real coturn only: each browser's /api/ice-servers answer (the real
// one, with real ephemeral credentials) gets iceTransportPolicy "relay", as a server with
// `ice.transport_policy = relay` would send it. With spoiled credentials coturn refuses, the
// call cannot connect, and the page says why.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, call, callStatus, clientLogLines, closeEveryone, launch, pollUntil,
  signedInPerson, waitIncoming, waitOnline,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

// Routes a context's GET /api/ice-servers (asked at sign-in) to come back relay-only.
async function relayOnly(context, { spoilCredential = false } = {}) {
  await context.route('**/api/ice-servers', async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.iceTransportPolicy = 'relay';
    for (const server of json.iceServers) {
      if (spoilCredential && server.credential) server.credential = server.credential.split('').reverse().join('');
    }
    await route.fulfill({ response, json });
  });
}

// The candidate types of the selected pair of the page's live connection: [local, remote].
async function selectedCandidateTypes(page) {
  return page.evaluate(async () => {
    const pc = window.__peerConnections.filter((p) => p.connectionState !== 'closed').at(-1);
    if (!pc) return null;
    const stats = [...(await pc.getStats()).values()];
    const byId = new Map(stats.map((s) => [s.id, s]));
    const transport = stats.find((s) => s.type === 'transport');
    const pair = byId.get(transport?.selectedCandidatePairId);
    if (!pair) return null;
    return [byId.get(pair.localCandidateId)?.candidateType, byId.get(pair.remoteCandidateId)?.candidateType];
  });
}

async function relayCall(spoilCredential) {
  const beforeLoad = (context) => relayOnly(context, { spoilCredential });
  const alice = await signedInPerson(browser, 'relaya', 'Alice', { beforeLoad });
  const bob = await signedInPerson(browser, 'relayb', 'Bob', { beforeLoad });
  await waitOnline(alice.page, bob.username);
  await call(alice, bob);
  const dialog = await waitIncoming(bob, 'Alice');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  return { alice, bob };
}

test('TURN: a relay-only call connects and plays video on both sides through coturn', async () => {
  const { alice, bob } = await relayCall(false);
  await callStatus(alice.page, 'Connected');
  await callStatus(bob.page, 'Connected');
  await assertReceivingVideo(alice.page);
  await assertReceivingVideo(bob.page);
  for (const person of [alice, bob]) {
    const types = await pollUntil(() => selectedCandidateTypes(person.page), (t) => t && t[0],
                                  { what: 'a selected candidate pair' });
    assert.equal(types[0], 'relay', `local candidate of the selected pair: ${types}`);
    assert.equal(types[1], 'relay', `remote candidate of the selected pair: ${types}`);
  }
});

test('TURN: with credentials coturn refuses, the relay-only call fails and the page says so', async () => {
  const { alice, bob } = await relayCall(true);
  for (const person of [alice, bob]) {
    await callStatus(person.page, 'The relay server refused');
    const state = await person.page.evaluate(() => window.__peerConnections.at(-1)?.connectionState);
    assert.notEqual(state, 'connected');
  }
  const callId = await alice.page.evaluate(async () => (await (await fetch('/api/calls')).json()).calls[0].id);
  await pollUntil(() => clientLogLines(callId).filter((l) => l.event === 'turn_refused'),
                  (found) => found.length >= 1, { what: 'a turn_refused line in the server log' });
});
