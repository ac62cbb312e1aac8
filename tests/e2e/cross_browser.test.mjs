// Calls between Chromium and Firefox, both ways: the fast path (the caller's offer rings with
// the call and is answered on Accept) and video decoded on both sides, in both browsers.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeEveryone, inboundVideo, kWait, launch, pollUntil, signedInPerson, waitIncoming } from './harness.mjs';
import { firefoxCall, firefoxPerson, firefoxWaitIncoming, launchFirefox } from './firefox.mjs';

let chromium;
let firefox;
const firefoxPeople = [];
// One at a time, so that a browser that fails to start leaves the other one closable.
before(async () => {
  chromium = await launch();
  firefox = await launchFirefox();
});
afterEach(async () => {
  await closeEveryone();
  await Promise.all(firefoxPeople.splice(0).map((p) => p.context.close().catch(() => {})));
});
after(async () => { await Promise.all([chromium?.close(), firefox?.close()]); });

async function firefoxSignedIn(prefix, name) {
  const person = await firefoxPerson(firefox, prefix, name);
  firefoxPeople.push(person);
  return person;
}

// While it rings: the callee's page has applied the caller's offer and sent no answer, and
// its camera is still closed. Read the same way in both browsers.
function ringingState(page) {
  return page.evaluate(() => ({
    signaling: window.__peerConnections.at(-1)?.signalingState ?? null,
    cameraOpened: window.__mediaStreams.length > 0,
  }));
}

async function offerHeldWhileRinging(page) {
  const state = await pollUntil(() => ringingState(page), (s) => s.signaling === 'have-remote-offer',
                                { what: "the caller's offer applied while it rings" });
  assert.equal(state.cameraOpened, false, 'no camera before Accept');
}

// The peer's video: decoded frames rising and a picture in the page.
async function receivesVideo(page, who) {
  const first = await pollUntil(() => inboundVideo(page), (s) => s && s.framesDecoded > 0,
                                { what: `${who}: a decoded frame` });
  await pollUntil(() => inboundVideo(page), (s) => s.framesDecoded > first.framesDecoded + 10,
                  { what: `${who}: frames decoded one after another` });
  await pollUntil(() => page.evaluate(() => document.getElementById('remote-video').videoWidth), (w) => w > 0,
                  { what: `${who}: the picture shows` });
}

test('Cross-browser: Chromium calls Firefox; Firefox answers the offer that rang, and both see each other', async () => {
  const cora = await signedInPerson(chromium, 'cora', 'Cora');
  const finn = await firefoxSignedIn('finn', 'Finn');
  await call(cora, finn);
  await firefoxWaitIncoming(finn, 'Cora');
  await offerHeldWhileRinging(finn.page);
  await finn.page.click('#accept');
  await Promise.all([receivesVideo(finn.page, 'Firefox'), receivesVideo(cora.page, 'Chromium')]);
  await cora.page.getByRole('button', { name: 'Hang up' }).click();
  await finn.page.waitForSelector('#home-view', { visible: true, timeout: kWait });
});

test('Cross-browser: Firefox calls Chromium; Chromium answers the offer that rang, and both see each other', async () => {
  const fay = await firefoxSignedIn('fay', 'Fay');
  const cyd = await signedInPerson(chromium, 'cyd', 'Cyd');
  await firefoxCall(fay, cyd);
  const ringing = await waitIncoming(cyd, 'Fay');
  await offerHeldWhileRinging(cyd.page);
  await ringing.getByRole('button', { name: 'Accept' }).click();
  await Promise.all([receivesVideo(cyd.page, 'Chromium'), receivesVideo(fay.page, 'Firefox')]);
  await fay.page.click('#hangup');
  await cyd.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
});
