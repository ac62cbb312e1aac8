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
// user blocks the camera or microphone.
function denyMedia(denied) {
  return `(${capturePeerConnections})();
    (() => {
      const denied = ${JSON.stringify(denied)};
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => {
        if (denied.some((kind) => constraints[kind])) {
          return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        }
        return real(constraints);
      };
    })();`;
}

async function senderTrackEnabled(page, kind) {
  return page.evaluate((k) => {
    const pc = window.__peerConnections.at(-1);
    const sender = pc.getSenders().find((s) => s.track && s.track.kind === k);
    return sender ? sender.track.enabled : null;
  }, kind);
}

test('Media: mute silences what the peer hears, camera-off blacks out what the peer sees, and both come back', async () => {
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

  await nia.page.getByRole('button', { name: 'Turn camera off' }).click();
  assert.equal(await senderTrackEnabled(nia.page, 'video'), false);
  await pollUntil(() => remoteBrightness(oto.page), (b) => b !== null && b < 5, { what: 'a black picture at the peer' });

  await nia.page.getByRole('button', { name: 'Unmute microphone' }).click();
  await nia.page.getByRole('button', { name: 'Turn camera on' }).click();
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
