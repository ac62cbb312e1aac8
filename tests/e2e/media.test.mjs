// What the peer actually receives: mute and camera-off measured on the far side's getStats()
// and <video> pixels; and calls that go on when the camera or microphone is denied.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, audioEnergyGrowth, call, callStatus, capturePeerConnections, kWait, launch,
  pollUntil, remoteBrightness, screenshot, signedInPerson, waitIncoming,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

// Makes getUserMedia refuse what `denied` lists ('video', 'audio'), as a browser does when the
// user blocks the camera or microphone; window.__deniedMedia is the list, for a test to lift.
function denyMedia(denied) {
  return `(${capturePeerConnections})();
    (() => {
      window.__deniedMedia = ${JSON.stringify(denied)};
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => {
        if (window.__deniedMedia.some((kind) => constraints[kind])) {
          return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        }
        return real(constraints);
      };
    })();`;
}

// Each camera or microphone track the page opened, by kind: 'live' or 'ended'. (The app moves
// tracks between streams, so a track can be in several.)
function openedTracks(page, kind) {
  return page.evaluate((k) => [...new Set(window.__mediaStreams.flatMap((s) => s.getTracks()))]
    .filter((t) => t.kind === k).map((t) => t.readyState), kind);
}

// The label of the track the call sends of `kind` ('' for one that is no device).
function sentLabel(page, kind) {
  return page.evaluate((k) => {
    const sender = window.__peerConnections.at(-1).getSenders().find((s) => s.track && s.track.kind === k);
    return sender ? sender.track.label : null;
  }, kind);
}

async function senderTrackEnabled(page, kind) {
  return page.evaluate((k) => {
    const pc = window.__peerConnections.at(-1);
    const sender = pc.getSenders().find((s) => s.track && s.track.kind === k);
    return sender ? sender.track.enabled : null;
  }, kind);
}

test('Media: mute silences what the peer hears; camera-off closes the camera (its light goes out) and blacks out the peer\'s picture; both come back', async () => {
  const nia = await signedInPerson(browser, 'nia', 'Nia');
  const oto = await signedInPerson(browser, 'oto', 'Oto');
  await call(nia, oto);
  await (await waitIncoming(oto, 'Nia')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(oto.page);
  await pollUntil(() => audioEnergyGrowth(oto.page, 1000), (g) => g > 0.05, { what: 'audio arriving' });
  await pollUntil(() => remoteBrightness(oto.page), (b) => b > 20, { what: 'a bright picture' });

  await nia.page.getByRole('button', { name: 'Mute microphone' }).click();
  assert.equal(await nia.page.getByRole('button', { name: 'Unmute microphone' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await senderTrackEnabled(nia.page, 'audio'), false);
  await pollUntil(() => audioEnergyGrowth(oto.page, 1000), (g) => g < 0.001, { what: 'silence at the peer' });

  const camera = await sentLabel(nia.page, 'video');
  await nia.page.getByRole('button', { name: 'Turn camera off' }).click();
  await pollUntil(() => openedTracks(nia.page, 'video'), (states) => states.every((s) => s === 'ended'),
                  { what: 'every camera track stopped' });
  await pollUntil(() => sentLabel(nia.page, 'video'), (label) => label !== camera, { what: 'no camera on the sender' });
  await pollUntil(() => remoteBrightness(oto.page), (b) => b !== null && b < 5, { what: 'a black picture at the peer' });

  await nia.page.getByRole('button', { name: 'Unmute microphone' }).click();
  await nia.page.getByRole('button', { name: 'Turn camera on' }).click();
  await pollUntil(() => sentLabel(nia.page, 'video'), (label) => label === camera, { what: 'the camera on the sender again' });
  assert.deepEqual((await openedTracks(nia.page, 'video')).filter((s) => s === 'live'), ['live']);
  await pollUntil(() => audioEnergyGrowth(oto.page, 1000), (g) => g > 0.05, { what: 'audio again' });
  await pollUntil(() => remoteBrightness(oto.page), (b) => b > 20, { what: 'the picture again' });
  await nia.page.getByRole('button', { name: 'Hang up' }).click();
  await oto.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await nia.context.close();
  await oto.context.close();
});

test('Media: with the camera denied the caller is told, goes on audio-only, and the peer hears them', async () => {
  const pia = await signedInPerson(browser, 'pia', 'Pia', { initScript: denyMedia(['video']) });
  const quin = await signedInPerson(browser, 'quin', 'Quin');
  await call(pia, quin);
  const problem = pia.page.getByRole('alertdialog', { name: 'Camera or microphone unavailable' });
  await problem.waitFor({ timeout: kWait });
  await problem.getByText('Access to your camera was denied').waitFor({ timeout: kWait });
  await screenshot(pia.page, 'media-problem-desktop-light');
  await problem.getByRole('button', { name: 'Continue with audio only' }).click();
  await (await waitIncoming(quin, 'Pia')).getByRole('button', { name: 'Accept' }).click();
  await callStatus(pia.page, 'Connected');
  assert.equal(await pia.page.getByRole('button', { name: 'Turn camera off' }).isDisabled(), true);
  await pollUntil(() => audioEnergyGrowth(quin.page, 1000), (g) => g > 0.05, { what: 'audio from the audio-only caller' });
  // Pia still sees Quin.
  await assertReceivingVideo(pia.page);
  await pia.page.getByRole('button', { name: 'Hang up' }).click();
  await quin.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await pia.context.close();
  await quin.context.close();
});

test('Media: with camera and microphone denied the callee can still answer receive-only', async () => {
  const ray = await signedInPerson(browser, 'ray', 'Ray');
  const sue = await signedInPerson(browser, 'sue', 'Sue', { initScript: denyMedia(['video', 'audio']) });
  await call(ray, sue);
  await (await waitIncoming(sue, 'Ray')).getByRole('button', { name: 'Accept' }).click();
  const problem = sue.page.getByRole('alertdialog', { name: 'Camera or microphone unavailable' });
  await problem.waitFor({ timeout: kWait });
  assert.equal(await problem.getByRole('button', { name: 'Continue with audio only' }).isVisible(), false);
  await problem.getByRole('button', { name: 'Continue without sending' }).click();
  await callStatus(sue.page, 'Connected');
  await assertReceivingVideo(sue.page);
  await pollUntil(() => audioEnergyGrowth(sue.page, 1000), (g) => g > 0.05, { what: 'audio at the receive-only callee' });
  await sue.page.getByRole('button', { name: 'Hang up' }).click();
  await ray.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await ray.context.close();
  await sue.context.close();
});

test('Media: a caller with nothing to send can still call, and receives the callee', async () => {
  const vera = await signedInPerson(browser, 'vera', 'Vera', { initScript: denyMedia(['video', 'audio']) });
  const wim = await signedInPerson(browser, 'wim', 'Wim');
  await call(vera, wim);
  const problem = vera.page.getByRole('alertdialog', { name: 'Camera or microphone unavailable' });
  await problem.getByRole('button', { name: 'Continue without sending' }).click();
  await (await waitIncoming(wim, 'Vera')).getByRole('button', { name: 'Accept' }).click();
  await callStatus(vera.page, 'Connected');
  // Receive-only transceivers in the caller's offer carry the callee's camera and microphone.
  await assertReceivingVideo(vera.page);
  await pollUntil(() => audioEnergyGrowth(vera.page, 1000), (g) => g > 0.05, { what: 'audio at the receive-only caller' });
  assert.equal(await vera.page.getByRole('button', { name: 'Mute microphone' }).isDisabled(), true);
  await wim.page.getByRole('button', { name: 'Hang up' }).click();
  await vera.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
});

test('Media: picking another microphone mid-call swaps what is sent, without interrupting the call', async () => {
  const tia = await signedInPerson(browser, 'tia', 'Tia');
  const ugo = await signedInPerson(browser, 'ugo', 'Ugo');
  await call(tia, ugo);
  await (await waitIncoming(ugo, 'Tia')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(ugo.page);
  await tia.page.getByRole('button', { name: 'Devices' }).click();
  const mic = tia.page.getByRole('combobox', { name: 'Microphone' });
  await mic.locator('option', { hasText: 'Fake Audio Input 1' }).waitFor({ state: 'attached', timeout: kWait });
  await mic.selectOption({ label: 'Fake Audio Input 1' });
  const label = () => tia.page.evaluate(() => {
    const sender = window.__peerConnections.at(-1).getSenders().find((s) => s.track && s.track.kind === 'audio');
    return sender.track.label;
  });
  await pollUntil(label, (l) => l === 'Fake Audio Input 1', { what: 'the new microphone on the sender' });
  await pollUntil(() => audioEnergyGrowth(ugo.page, 1000), (g) => g > 0.05, { what: 'audio from the new microphone' });
  await assertReceivingVideo(ugo.page);
  await tia.page.getByRole('button', { name: 'Hang up' }).click();
  await ugo.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await tia.context.close();
  await ugo.context.close();
});

// Records, at each microphone request, how many microphone tracks were still live.
function countLiveMicsAtOpen() {
  window.__liveMicsAtOpen = [];
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => {
    if (constraints.audio) {
      window.__liveMicsAtOpen.push(new Set(window.__mediaStreams.flatMap((s) => s.getAudioTracks())
        .filter((t) => t.readyState === 'live')).size);
    }
    return getUserMedia(constraints);
  };
}

test('Media: two quick microphone picks leave one microphone open and sent, each closed before the next opens', async () => {
  const xia = await signedInPerson(browser, 'xia', 'Xia', { initScript: countLiveMicsAtOpen });
  const yan = await signedInPerson(browser, 'yan', 'Yan');
  await call(xia, yan);
  await (await waitIncoming(yan, 'Xia')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(yan.page);
  await xia.page.getByRole('button', { name: 'Devices' }).click();
  const mic = xia.page.getByRole('combobox', { name: 'Microphone' });
  await mic.locator('option', { hasText: 'Fake Audio Input 2' }).waitFor({ state: 'attached', timeout: kWait });
  await mic.selectOption({ label: 'Fake Audio Input 1' });
  await mic.selectOption({ label: 'Fake Audio Input 2' });
  await pollUntil(() => sentLabel(xia.page, 'audio'), (l) => l === 'Fake Audio Input 2', { what: 'the last pick on the sender' });
  await pollUntil(() => openedTracks(xia.page, 'audio'), (states) => states.filter((s) => s === 'live').length === 1,
                  { what: 'one microphone open' });
  const inPreview = await xia.page.evaluate(() => document.getElementById('local-video').srcObject.getAudioTracks().length);
  assert.equal(inPreview, 1, 'one microphone in the local stream');
  const liveAtOpen = await xia.page.evaluate(() => window.__liveMicsAtOpen);
  assert.ok(liveAtOpen.length >= 2, `the picks opened a microphone (${liveAtOpen})`);
  assert.deepEqual(liveAtOpen.filter((n) => n > 0), [], `no microphone was still open at a pick (${liveAtOpen})`);
  await pollUntil(() => audioEnergyGrowth(yan.page, 1000), (g) => g > 0.05, { what: 'audio from the new microphone' });
  await xia.page.getByRole('button', { name: 'Hang up' }).click();
  await yan.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
});

test('Media: a camera picked during an audio-only call is sent, and the peer sees it', async () => {
  const zoe = await signedInPerson(browser, 'zoe', 'Zoe', { initScript: denyMedia(['video']) });
  const abe = await signedInPerson(browser, 'abe', 'Abe');
  await call(zoe, abe);
  const problem = zoe.page.getByRole('alertdialog', { name: 'Camera or microphone unavailable' });
  await problem.getByRole('button', { name: 'Continue with audio only' }).click();
  await (await waitIncoming(abe, 'Zoe')).getByRole('button', { name: 'Accept' }).click();
  await callStatus(zoe.page, 'Connected');
  await pollUntil(() => audioEnergyGrowth(abe.page, 1000), (g) => g > 0.05, { what: 'audio from the audio-only caller' });

  await zoe.page.evaluate(() => { window.__deniedMedia = []; });  // the user allows the camera
  await zoe.page.getByRole('button', { name: 'Devices' }).click();
  const camera = zoe.page.getByRole('combobox', { name: 'Camera' });
  assert.equal(await camera.inputValue(), '', 'no camera in use yet');
  await camera.selectOption({ index: 1 });
  await assertReceivingVideo(abe.page);
  await zoe.page.getByRole('button', { name: 'Turn camera off' }).waitFor({ timeout: kWait });
  await zoe.page.getByRole('button', { name: 'Hang up' }).click();
  await abe.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
});

// A browser that refuses to start media without a gesture (iOS Safari, strict autoplay
// policies): the page's play() of the remote video is refused until window.__autoplayAllowed.
function refuseAutoplay() {
  window.__autoplayAllowed = false;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (this.id === 'remote-video' && !window.__autoplayAllowed) {
      return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    }
    return play.call(this);
  };
  document.addEventListener('DOMContentLoaded', () => { document.getElementById('remote-video').autoplay = false; });
}

test('Media: when the browser refuses to autoplay the call, a "Tap to play" button starts it', async () => {
  const bob = await signedInPerson(browser, 'bob', 'Bob');
  const cai = await signedInPerson(browser, 'cai', 'Cai', { initScript: refuseAutoplay });
  await call(bob, cai);
  await (await waitIncoming(cai, 'Bob')).getByRole('button', { name: 'Accept' }).click();
  const tap = cai.page.getByRole('button', { name: 'Tap to play the call' });
  await tap.waitFor({ state: 'visible', timeout: kWait });
  assert.equal(await cai.page.evaluate(() => document.getElementById('remote-video').paused), true);
  await cai.page.evaluate(() => { window.__autoplayAllowed = true; });  // the tap is the gesture
  await tap.click();
  await tap.waitFor({ state: 'hidden', timeout: kWait });
  assert.equal(await cai.page.evaluate(() => document.getElementById('remote-video').paused), false);
  await assertReceivingVideo(cai.page);
  await cai.page.getByRole('button', { name: 'Hang up' }).click();
  await bob.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
});
