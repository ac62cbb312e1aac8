// A full call between two people, each in their own browser context with fake camera and
// microphone, through the real stack: presence, ringing, accept, media both ways, hang up.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, bannerSays, call, callStatus, clientLogLines, holdableCamera, kWait, launch, localTrackStates, pollUntil,
  signedInPerson, userRow, waitIncoming, waitOnline,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

test('Call: A calls B, B accepts, both receive live video, and B hanging up ends it for both', async () => {
  const alice = await signedInPerson(browser, 'alice', 'Alice');
  const bob = await signedInPerson(browser, 'bob', 'Bob');
  await waitOnline(alice.page, bob.username);
  await waitOnline(bob.page, alice.username);

  await call(alice, bob);
  await callStatus(alice.page, 'Ringing…');
  const dialog = await waitIncoming(bob, 'Alice');
  // Focus goes to the ringing dialog, not to Accept: a stray Enter does not answer.
  assert.equal(await bob.page.evaluate(() => document.activeElement.id), 'incoming-card');
  await bob.page.keyboard.press('Enter');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(await dialog.isVisible(), true, 'still ringing after a stray Enter');
  await dialog.getByRole('button', { name: 'Accept' }).click();

  await callStatus(alice.page, 'Connected');
  await callStatus(bob.page, 'Connected');
  await assertReceivingVideo(alice.page);
  await assertReceivingVideo(bob.page);
  await alice.page.locator('#call-timer:not([hidden])').waitFor({ timeout: kWait });
  await alice.page.locator('#quality[data-level="good"], #quality[data-level="fair"]').waitFor({ timeout: kWait });

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await bob.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await alice.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await bannerSays(alice.page, 'Call with Bob ended.');
  // Hang-up stops the camera and microphone and closes the connection on both sides.
  for (const person of [alice, bob]) {
    const live = await person.page.evaluate(() => window.__peerConnections.map((pc) => pc.connectionState));
    assert.deepEqual(live, ['closed']);
    const tracks = await localTrackStates(person.page);
    assert.ok(tracks.length >= 2, `camera and microphone were opened: ${tracks}`);
    assert.deepEqual(tracks.filter((t) => t !== 'ended'), [], 'every local track stopped');
  }
  // The history shows the call with its peer.
  await alice.page.locator('#history-list li', { hasText: 'Bob' }).first().waitFor({ timeout: kWait });
  // Each side posted its quality summary, and it is in the server's JSON log with the call id.
  const callId = await alice.page.evaluate(async () => (await (await fetch('/api/calls')).json()).calls[0].id);
  const lines = await pollUntil(() => clientLogLines(callId).filter((l) => l.event === 'call_quality'),
                                (found) => found.length === 2, { what: 'two call_quality log lines' });
  for (const line of lines) {
    assert.ok(line.stats.frames_decoded > 0, JSON.stringify(line));
    assert.ok(line.stats.avg_rtt_ms >= 0, JSON.stringify(line));
    assert.equal(typeof line.stats.candidate_pair, 'string');
  }
  await alice.context.close();
  await bob.context.close();
});

test('Call: the caller can hang up too, and the callee sees the call end', async () => {
  const alice = await signedInPerson(browser, 'carol', 'Carol');
  const bob = await signedInPerson(browser, 'dave', 'Dave');
  await call(alice, bob);
  await (await waitIncoming(bob, 'Carol')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(bob.page);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await bob.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await bannerSays(bob.page, 'Call with Carol ended.');
  await alice.context.close();
  await bob.context.close();
});

test('Call: both sides restart ICE at once (offers collide); perfect negotiation settles it and video keeps flowing', async () => {
  const eli = await signedInPerson(browser, 'eli', 'Eli');
  const flo = await signedInPerson(browser, 'flo', 'Flo');
  await call(eli, flo);
  await (await waitIncoming(flo, 'Eli')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(eli.page);
  await assertReceivingVideo(flo.page);
  const ufrag = (page) => page.evaluate(() => {
    const pc = window.__peerConnections.at(-1);
    return { remote: pc.remoteDescription.sdp.match(/a=ice-ufrag:(\S+)/)[1], state: pc.signalingState };
  });
  const before = [await ufrag(eli.page), await ufrag(flo.page)];
  // Each side's restartIce() fires negotiationneeded and makes an offer: glare on purpose.
  await Promise.all([eli.page, flo.page].map((page) => page.evaluate(() => window.__peerConnections.at(-1).restartIce())));
  for (const [i, page] of [eli.page, flo.page].entries()) {
    await pollUntil(() => ufrag(page), (u) => u.remote !== before[i].remote && u.state === 'stable',
                    { what: 'new ICE credentials from the peer, negotiation settled' });
  }
  await assertReceivingVideo(eli.page);
  await assertReceivingVideo(flo.page);
  await callStatus(eli.page, 'Connected');
  await eli.page.getByRole('button', { name: 'Hang up' }).click();
  await flo.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  const callId = await eli.page.evaluate(async () => (await (await fetch('/api/calls')).json()).calls[0].id);
  await pollUntil(() => clientLogLines(callId).filter((l) => l.event === 'call_quality'), (l) => l.length === 2,
                  { what: 'both quality summaries' });
  const errors = clientLogLines(callId).filter((l) => l.level === 'error');
  assert.deepEqual(errors, [], 'no negotiation or ICE errors were reported');
  await eli.context.close();
  await flo.context.close();
});

test('Call: closing the tab mid-call hangs up at once, without waiting out the daemon\'s grace period', async () => {
  const gil = await signedInPerson(browser, 'gil', 'Gil');
  const hue = await signedInPerson(browser, 'hue', 'Hue');
  await call(gil, hue);
  await (await waitIncoming(hue, 'Gil')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(hue.page);
  await gil.page.close();
  // A plain hangup ("ended"), not the peer-gone ending that would follow the grace period.
  await hue.page.locator('#banner-text').filter({ hasText: 'Call with Gil ended.' }).waitFor({ timeout: 5000 });
  await gil.context.close();
  await hue.context.close();
});

// Test-side only: what the page sent and got on its signaling socket ('out:accept', 'in:sdp'),
// and 'camera' each time it asked for the camera or microphone, in order.
function recordCallSetup() {
  window.__setupLog = [];
  const log = (entry) => window.__setupLog.push(entry);
  const typeOf = (data) => { try { return JSON.parse(data).type; } catch { return '?'; } };
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => log(`in:${typeOf(e.data)}`));
    }
    send(data) {
      log(`out:${typeOf(data)}`);
      super.send(data);
    }
  };
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => {
    log('camera');
    return getUserMedia(constraints);
  };
}

test('Call: the caller\'s offer rings with the call, so the callee answers on Accept and sees the caller before its own camera is open', async () => {
  const ann = await signedInPerson(browser, 'ann', 'Ann');
  // The callee's camera opens only when the test says: the call must not wait for it.
  const ben = await signedInPerson(browser, 'ben', 'Ben', { initScript: [holdableCamera, recordCallSetup] });
  await call(ann, ben);
  const dialog = await waitIncoming(ben, 'Ann');
  await ben.page.waitForFunction(() => window.__setupLog.includes('in:sdp'), null, { timeout: kWait });
  const ringing = await ben.page.evaluate(() => window.__setupLog.slice());
  assert.ok(!ringing.includes('camera'), `no camera or microphone before Accept: ${ringing}`);
  assert.ok(!ringing.some((e) => e === 'out:sdp' || e === 'out:ice'), `nothing of the callee's before Accept: ${ringing}`);

  await dialog.getByRole('button', { name: 'Accept' }).click();
  await ben.page.waitForFunction(() => window.__setupLog.includes('out:sdp'), null, { timeout: kWait });
  const answered = await ben.page.evaluate(() => window.__setupLog.slice());
  assert.ok(answered.indexOf('out:accept') < answered.indexOf('out:sdp'), `accept, then the answer: ${answered}`);
  // The caller's video plays while the callee's camera is still held...
  await assertReceivingVideo(ben.page);
  await callStatus(ann.page, 'Connected');
  // ...and the callee's joins the call when it opens, without a new offer from the caller.
  const offersBefore = await ben.page.evaluate(() => window.__setupLog.filter((e) => e === 'in:sdp').length);
  await ben.page.evaluate(() => window.__releaseCamera());
  await assertReceivingVideo(ann.page);
  const offersAfter = await ben.page.evaluate(() => window.__setupLog.filter((e) => e === 'in:sdp').length);
  assert.equal(offersAfter, offersBefore, 'no renegotiation for the callee\'s camera');
  await ben.page.getByRole('button', { name: 'Hang up' }).click();
  await ann.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await ann.context.close();
  await ben.context.close();
});

// Test-side only: everything the page gets on its signaling socket arrives 1.5 s late, in
// order, as over a slow network.
function slowSignaling() {
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    set onmessage(handler) {
      super.onmessage = handler && ((event) => setTimeout(() => handler.call(this, event), 1500));
    }
    get onmessage() { return super.onmessage; }
  };
}

test('Call: cancel a call before it rings and call someone else: the first call\'s late ringing cancels it, and nothing binds it to the second', async () => {
  const ann = await signedInPerson(browser, 'ann', 'Ann', { initScript: slowSignaling });
  const bea = await signedInPerson(browser, 'bea', 'Bea');
  const cal = await signedInPerson(browser, 'cal', 'Cal');
  await call(ann, bea);
  await waitIncoming(bea, 'Ann');
  await callStatus(ann.page, 'Calling Bea');
  await ann.page.getByRole('button', { name: 'Cancel call' }).click();
  await ann.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  // This invite leaves before Bea's ringing reaches Ann, and that ringing must not become the
  // call on Ann's screen: it cancels Bea's call.
  await call(ann, cal);
  await bannerSays(bea.page, 'Ann hung up before you answered.');
  // The daemon refuses the invite if Bea's call still rang when it came (already in a call);
  // then a second try rings Cal. Either way, the call that connects is the one with Cal.
  const calRings = cal.page.getByRole('alertdialog', { name: 'Ann' });
  const refused = ann.page.locator('#banner-text').filter({ hasText: 'You are already in a call' });
  await Promise.race([calRings.waitFor({ timeout: kWait }), refused.waitFor({ timeout: kWait })]);
  if (!(await calRings.isVisible())) {
    await ann.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
    await call(ann, cal);
  }
  await (await waitIncoming(cal, 'Ann')).getByRole('button', { name: 'Accept' }).click();
  await callStatus(ann.page, 'Connected');
  await assertReceivingVideo(ann.page);
  await assertReceivingVideo(cal.page);
  assert.match(await ann.page.locator('#call-view').innerText(), /Cal/);
  await ann.page.getByRole('button', { name: 'Hang up' }).click();
  await cal.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  for (const person of [ann, bea, cal]) await person.context.close();
});

test('Call: two people who call each other at the same moment end up in one call', async () => {
  const ida = await signedInPerson(browser, 'ida', 'Ida', { initScript: holdableCamera });
  const jon = await signedInPerson(browser, 'jon', 'Jon', { initScript: holdableCamera });
  await waitOnline(ida.page, jon.username);
  await waitOnline(jon.page, ida.username);
  // Both click Call while their cameras are held, so no invite is out yet and no incoming-call
  // overlay can cover the other's button; then both invites leave at the same instant.
  await Promise.all([
    userRow(ida.page, jon.username).getByRole('button', { name: 'Call Jon' }).click(),
    userRow(jon.page, ida.username).getByRole('button', { name: 'Call Ida' }).click(),
  ]);
  await Promise.all([callStatus(ida.page, 'Starting camera…'), callStatus(jon.page, 'Starting camera…')]);
  await Promise.all([ida.page.evaluate(() => window.__releaseCamera()), jon.page.evaluate(() => window.__releaseCamera())]);
  await callStatus(ida.page, 'Connected');
  await callStatus(jon.page, 'Connected');
  await assertReceivingVideo(ida.page);
  await assertReceivingVideo(jon.page);
  assert.equal(await ida.page.locator('#incoming').isVisible(), false);
  assert.equal(await jon.page.locator('#incoming').isVisible(), false);
  await jon.page.getByRole('button', { name: 'Hang up' }).click();
  await ida.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  const calls = await ida.page.evaluate(async () => (await (await fetch('/api/calls')).json()).calls);
  assert.equal(calls.filter((c) => c.peer.display_name === 'Jon').length, 1, 'one call, not two');
  await ida.context.close();
  await jon.context.close();
});
