// How calls end before they start, as each side sees it: declined, cancelled while ringing,
// missed (the test stack rings for 3 s), busy, offline, and answered on another tab.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, bannerSays, call, callStatus, kWait, launch, localTrackStates, signedInPerson, userRow,
  waitIncoming, waitOnline,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

async function pair(a, b) {
  return [await signedInPerson(browser, a.toLowerCase(), a), await signedInPerson(browser, b.toLowerCase(), b)];
}

async function closeAll(...people) {
  for (const p of people) await p.context.close();
}

// After the call the page holds no live camera or microphone track.
async function cameraReleased(page) {
  const tracks = await localTrackStates(page);
  return tracks.length > 0 && tracks.every((t) => t === 'ended') &&
         page.evaluate(() => document.getElementById('local-video').srcObject === null);
}

test('Outcome: the callee declines; the caller is told and both are back home', async () => {
  const [ann, ben] = await pair('Ann', 'Ben');
  await call(ann, ben);
  const dialog = await waitIncoming(ben, 'Ann');
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await bannerSays(ann.page, 'Ben declined the call.');
  await ann.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  assert.equal(await ben.page.locator('#incoming').isVisible(), false);
  assert.equal(await cameraReleased(ann.page), true);
  await closeAll(ann, ben);
});

test('Outcome: the caller cancels while it rings; the ringing stops for the callee', async () => {
  const [cat, dan] = await pair('Cat', 'Dan');
  await call(cat, dan);
  await callStatus(cat.page, 'Ringing…');
  await waitIncoming(dan, 'Cat');
  assert.match(await dan.page.title(), /Cat is calling|Video chat/);
  await cat.page.getByRole('button', { name: 'Cancel call' }).click();
  await cat.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  assert.equal(await cameraReleased(cat.page), true);
  await dan.page.locator('#incoming').waitFor({ state: 'hidden', timeout: kWait });
  await bannerSays(dan.page, 'Cat hung up before you answered.');
  // The title stops flashing once the ringing stops.
  await dan.page.waitForFunction(() => document.title === 'Video chat', null, { timeout: kWait });
  await closeAll(cat, dan);
});

test('Outcome: no answer within the ring timeout is a missed call on both sides', async () => {
  const [eve, fay] = await pair('Eve', 'Fay');
  await call(eve, fay);
  await waitIncoming(fay, 'Eve');
  await bannerSays(eve.page, 'Fay did not answer.');
  await fay.page.locator('#incoming').waitFor({ state: 'hidden', timeout: kWait });
  await bannerSays(fay.page, 'Missed call from Eve.');
  await closeAll(eve, fay);
});

test('Outcome: calling someone already in a call gets busy, and their call goes on', async () => {
  const [gus, hal] = await pair('Gus', 'Hal');
  const ivy = await signedInPerson(browser, 'ivy', 'Ivy');
  await call(gus, hal);
  await (await waitIncoming(hal, 'Gus')).getByRole('button', { name: 'Accept' }).click();
  await assertReceivingVideo(gus.page);
  await call(ivy, hal);
  await bannerSays(ivy.page, 'Hal is busy in another call.');
  assert.equal(await hal.page.locator('#incoming').isVisible(), false);
  await assertReceivingVideo(hal.page);
  await hal.page.getByRole('button', { name: 'Hang up' }).click();
  await gus.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await closeAll(gus, hal, ivy);
});

test('Outcome: someone who goes offline cannot be called, and says so', async () => {
  const [jo, kim] = await pair('Jo', 'Kim');
  await waitOnline(jo.page, kim.username);
  await kim.context.close();
  await waitOnline(jo.page, kim.username, false);
  const button = userRow(jo.page, kim.username).locator('button[data-action="call"]');
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.getAttribute('aria-label'), 'Kim is offline');
  await closeAll(jo);
});

test('Outcome: with two tabs ringing, accepting in one stops the other', async () => {
  const [lea, max] = await pair('Lea', 'Max');
  const maxTab2 = await max.context.newPage();
  await maxTab2.goto(max.page.url());
  await maxTab2.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  await call(lea, max);
  await waitIncoming(max, 'Lea');
  await maxTab2.getByRole('alertdialog', { name: 'Lea' }).waitFor({ timeout: kWait });
  await max.page.getByRole('button', { name: 'Accept' }).click();
  await maxTab2.locator('#incoming').waitFor({ state: 'hidden', timeout: kWait });
  await bannerSays(maxTab2, 'You answered on another device.');
  await maxTab2.waitForFunction(() => document.title === 'Video chat', null, { timeout: kWait });
  await assertReceivingVideo(lea.page);
  await assertReceivingVideo(max.page);
  await lea.page.getByRole('button', { name: 'Hang up' }).click();
  await max.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await closeAll(lea, max);
});

test('Outcome: with two tabs ringing, declining in one stops the other', async () => {
  const [ned, ora] = await pair('Ned', 'Ora');
  const oraTab2 = await ora.context.newPage();
  await oraTab2.goto(ora.page.url());
  await oraTab2.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  await call(ned, ora);
  await waitIncoming(ora, 'Ned');
  await oraTab2.getByRole('alertdialog', { name: 'Ned' }).waitFor({ timeout: kWait });
  await ora.page.getByRole('button', { name: 'Decline' }).click();
  await oraTab2.locator('#incoming').waitFor({ state: 'hidden', timeout: kWait });
  await bannerSays(oraTab2, 'You declined the call from Ned on another device.');
  await bannerSays(ned.page, 'Ora declined the call.');
  await closeAll(ned, ora);
});
