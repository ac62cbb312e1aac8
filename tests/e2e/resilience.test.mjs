// Faults a real deployment meets: the signaling daemon dies mid-call, a signaling socket drops
// while a call is being set up, and a user logs out on all devices.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, bannerSays, call, callStatus, clientLogLines, controllableSignaling, dropSignaling,
  holdIceServers, kPassword, kWait, launch, loginThroughUi, newPerson, pollUntil, restartWsDaemon,
  serverLogLines, sessionRecheckSeconds, signalingOnline, signedInPerson, waitIncoming, watchConnectionState,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

test('Resilience: the daemon is killed and restarted mid-call; video keeps playing, the UI reconnects, hangup reaches the peer', async () => {
  const uma = await signedInPerson(browser, 'uma', 'Uma');
  const vic = await signedInPerson(browser, 'vic', 'Vic');
  await call(uma, vic);
  await (await waitIncoming(vic, 'Uma')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(uma.page);
  await assertReceivingVideo(vic.page);
  await watchConnectionState(uma.page);
  await watchConnectionState(vic.page);

  await restartWsDaemon();

  for (const person of [uma, vic]) {
    await person.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
    const states = await person.page.evaluate(() => window.__connStates);
    assert.ok(states.includes('reconnecting'), `${person.displayName} saw the drop: ${states}`);
    assert.equal(await person.page.locator('#call-view').isVisible(), true, 'still in the call');
  }
  // Media never went through the daemon: both keep decoding.
  await assertReceivingVideo(uma.page);
  await assertReceivingVideo(vic.page);

  // Once both were back, the caller (the impolite side) restarted ICE through the new sockets.
  const callId = await uma.page.evaluate(async () => (await (await fetch('/api/calls')).json()).calls[0].id);
  await pollUntil(() => clientLogLines(callId).filter((l) => l.event === 'ice_restart' && l.message === 'resumed'),
                  (lines) => lines.length === 1, { what: 'one ICE restart after resume' });
  await assertReceivingVideo(vic.page);

  await uma.page.getByRole('button', { name: 'Hang up' }).click();
  await vic.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await bannerSays(vic.page, 'Call with Uma ended.');
  await uma.context.close();
  await vic.context.close();
});

test('Resilience: logging out on all devices signs out the other device too', async () => {
  const wes = await signedInPerson(browser, 'wes', 'Wes');
  const otherDevice = await newPerson(browser);
  await loginThroughUi(otherDevice.page, wes.username, kPassword);
  await otherDevice.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });

  await wes.page.getByRole('button', { name: 'Log out on all devices' }).click();
  await wes.page.locator('#auth-view').waitFor({ state: 'visible', timeout: kWait });
  // The daemon re-checks sessions on a timer and closes revoked ones; the page then shows login.
  await otherDevice.page.locator('#auth-view').waitFor({
    state: 'visible', timeout: (sessionRecheckSeconds() + 10) * 1000,
  });
  await otherDevice.page.locator('#login-error').filter({ hasText: 'Your session ended' }).waitFor({ timeout: kWait });
  const status = await otherDevice.page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(status, 401);
  await wes.context.close();
  await otherDevice.context.close();
});

// Both accepted; the caller's ICE servers (fetched at sign-in) are held, so its peer connection
// does not exist yet.
async function acceptedWithCallerHeld(prefixes) {
  let releaseCaller;
  const caller = await signedInPerson(browser, prefixes[0], 'Ann', {
    initScript: controllableSignaling,
    beforeLoad: async (context) => { releaseCaller = await holdIceServers(context); },
  });
  const callee = await signedInPerson(browser, prefixes[1], 'Bob', { initScript: controllableSignaling });
  await call(caller, callee);
  await (await waitIncoming(callee, 'Ann')).getByRole('button', { name: 'Accept' }).click();
  await callStatus(caller.page, 'Connecting…');
  return { caller, callee, releaseCaller };
}

async function bothInTheCall(people) {
  for (const person of people) {
    await callStatus(person.page, 'Connected');
    await assertReceivingVideo(person.page);
  }
}

test('Resilience: the caller\'s socket drops after accepted, before its peer connection exists; the call still connects', async () => {
  const { caller, callee, releaseCaller } = await acceptedWithCallerHeld(['ann', 'bob']);
  await watchConnectionState(caller.page);
  await dropSignaling(caller.page);
  await caller.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  // Back online, the caller resumed the call instead of ending it on its own side.
  assert.equal(await caller.page.locator('#call-view').isVisible(), true, 'the caller is still in the call');
  releaseCaller();
  await bothInTheCall([caller, callee]);
});

test('Resilience: an offer refused while the callee was away is made again once both are back', async () => {
  const { caller, callee, releaseCaller } = await acceptedWithCallerHeld(['ann', 'bob']);
  await pollUntil(() => callee.page.evaluate(() => window.__peerConnections.length), (n) => n === 1,
                  { what: 'the callee\'s peer connection' });
  await dropSignaling(callee.page, { offline: true });
  const callerId = await caller.page.evaluate(async () => (await (await fetch('/api/me')).json()).user.id);
  releaseCaller();
  // The caller's offer reaches the daemon while the callee is away: refused, and left unanswered.
  await pollUntil(() => serverLogLines((e) => e.event === 'relay_refused' && e.user_id === callerId &&
                                               e.code === 'peer_not_connected').length,
                  (n) => n > 0, { what: 'the daemon refusing the caller\'s offer' });
  assert.equal(await caller.page.evaluate(() => window.__peerConnections[0].signalingState), 'have-local-offer');
  await signalingOnline(callee.page);
  await callee.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  await bothInTheCall([caller, callee]);
});
