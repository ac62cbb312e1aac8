// An incoming call cannot be missed: ringtone, flashing title, focus on Accept, an aria-live
// announcement, and an OS notification when the tab is hidden; all stop when the ringing ends.
// Keyboard-only use works end to end.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, call, capturePeerConnections, kWait, launch, pollUntil, signedInPerson,
  waitIncoming, waitOnline,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

// Test-side instruments: notifications and oscillators are counted, and the test decides
// whether the tab counts as hidden (headless tabs are always "visible").
function instrumentAlerts() {
  window.__notifications = [];
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      this.closedByPage = false;
      window.__notifications.push(this);
    }

    close() {
      this.closedByPage = true;
      super.close();
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
  window.__oscillators = 0;
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function createOscillator() {
    window.__oscillators += 1;
    return create.call(this);
  };
  window.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { get: () => window.__hidden, configurable: true });
}

const instruments = `(${capturePeerConnections})(); (${instrumentAlerts})();`;
const oscillators = (page) => page.evaluate(() => window.__oscillators);

test('Alerts: a hidden tab rings, flashes its title, announces the caller and shows an OS notification; cancel stops it all', async () => {
  const xia = await signedInPerson(browser, 'xia', 'Xia');
  const yan = await signedInPerson(browser, 'yan', 'Yan', { initScript: instruments });
  await yan.page.evaluate(() => { window.__hidden = true; });
  await call(xia, yan);
  await waitIncoming(yan, 'Xia');
  assert.equal(await yan.page.evaluate(() => document.querySelector('main').inert), true, 'the page behind is inert');
  await yan.page.locator('#live').filter({ hasText: 'Incoming call from Xia' }).waitFor({ timeout: kWait });
  const notification = await pollUntil(
    () => yan.page.evaluate(() => window.__notifications.map((n) => ({ title: n.title, body: n.body, closed: n.closedByPage }))),
    (list) => list.length === 1, { what: 'one OS notification' });
  assert.deepEqual(notification, [{
    title: 'Xia is calling', body: `@${xia.username} · Open the tab to accept or decline.`, closed: false,
  }]);
  // Caller ID: the unique username beside the free-text name.
  assert.equal(await yan.page.locator('#incoming-sub').textContent(), `@${xia.username} is calling you`);
  await yan.page.waitForFunction(() => document.title.includes('Xia is calling'), null, { timeout: kWait });
  // The ringtone is playing (the test stack rings for only 3 s, so no time to wait for a second ring).
  assert.ok(await oscillators(yan.page) > 0, 'the ringtone started');

  await xia.page.getByRole('button', { name: 'Cancel call' }).click();
  await yan.page.locator('#incoming').waitFor({ state: 'hidden', timeout: kWait });
  assert.equal(await yan.page.evaluate(() => window.__notifications[0].closedByPage), true);
  await yan.page.waitForFunction(() => document.title === 'Video chat', null, { timeout: kWait });
  // Silence: no new tones over more than one ringtone period (3 s).
  const after = await oscillators(yan.page);
  await new Promise((r) => setTimeout(r, 3500));
  assert.equal(await oscillators(yan.page), after);
  await xia.context.close();
  await yan.context.close();
});

test('Alerts: a visible tab gets the overlay but no OS notification', async () => {
  const zed = await signedInPerson(browser, 'zed', 'Zed');
  const amy = await signedInPerson(browser, 'amy', 'Amy', { initScript: instruments });
  await call(zed, amy);
  await waitIncoming(amy, 'Zed');
  assert.equal(await amy.page.evaluate(() => window.__notifications.length), 0);
  await amy.page.keyboard.press('Escape');  // Escape declines
  await zed.page.locator('#banner-text').filter({ hasText: 'Amy declined the call.' }).waitFor({ timeout: kWait });
  await zed.context.close();
  await amy.context.close();
});

test('Alerts: keyboard only — search, call with Enter, Tab to Accept and Enter, hang up with Enter', async () => {
  const bea = await signedInPerson(browser, 'bea', 'Bea');
  const cal = await signedInPerson(browser, 'cal', 'Cal');
  await bea.page.locator('#people-search').focus();
  await bea.page.keyboard.type(cal.username);
  await waitOnline(bea.page, cal.username);
  assert.equal(await bea.page.locator('#user-list li').count(), 1);
  await bea.page.keyboard.press('Tab');
  assert.equal(await bea.page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Call Cal');
  await bea.page.keyboard.press('Enter');
  await waitIncoming(cal, 'Bea');
  // Focus is on the ringing dialog: Tab reaches Decline, then Accept.
  await cal.page.keyboard.press('Tab');
  assert.equal(await cal.page.evaluate(() => document.activeElement.id), 'decline');
  await cal.page.keyboard.press('Tab');
  assert.equal(await cal.page.evaluate(() => document.activeElement.id), 'accept');
  await cal.page.keyboard.press('Enter');
  await assertReceivingVideo(cal.page);
  await bea.page.locator('#live').filter({ hasText: 'Connected to Cal' }).waitFor({ timeout: kWait });
  // Focus sits on Hang up in the call view.
  assert.equal(await cal.page.evaluate(() => document.activeElement.id), 'hangup');
  await cal.page.keyboard.press('Enter');
  await bea.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await bea.context.close();
  await cal.context.close();
});

test('Alerts: notification permission is asked only when the user clicks "Enable notifications"', async () => {
  const recordAsks = () => {
    window.__asks = [];
    const real = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (...args) => {
      window.__asks.push(navigator.userActivation.isActive);
      return real(...args);
    };
  };
  const dee = await signedInPerson(browser, 'dee', 'Dee', {
    permissions: null,
    initScript: `(${capturePeerConnections})(); (${recordAsks})();`,
  });
  const offer = dee.page.getByRole('button', { name: 'Enable notifications' });
  await offer.waitFor({ timeout: kWait });
  assert.deepEqual(await dee.page.evaluate(() => window.__asks), [], 'nothing asked unprompted');
  await offer.click();
  assert.deepEqual(await dee.page.evaluate(() => window.__asks), [true], 'asked once, inside the click');
  await dee.context.close();
});
