// The deliberate layouts: login, directory, incoming call and in-call views at desktop, tablet
// and phone sizes, light and dark. Screenshots go to test-output/screenshots/; each view is
// checked for horizontal overflow and for touch targets of at least 44 px on the phone.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertReceivingVideo, call, horizontalOverflow, kSizes, kWait, launch, newPerson, registerThroughUi,
  screenshot, signedInPerson, uniqueName, waitIncoming, waitOnline, capturePeerConnections,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

async function noOverflow(page, view) {
  assert.deepEqual(await horizontalOverflow(page), [], `${view} overflows horizontally`);
}

// Visible buttons smaller than 44×44 CSS px (WCAG 2.5.5 target size).
async function smallTargets(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('button, select, input'))
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
    .map(({ el, box }) => `${el.id || el.textContent.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`));
}

for (const [sizeName, size] of Object.entries(kSizes)) {
  for (const colorScheme of ['light', 'dark']) {
    test(`Layout: every view at ${sizeName} ${size.width}×${size.height} (${colorScheme}) fits and is screenshotted`, async () => {
      const tag = `${sizeName}-${colorScheme}`;
      const options = { size, colorScheme };
      const visitor = await newPerson(browser, options);
      await visitor.page.locator('#auth-view').waitFor({ timeout: kWait });
      // The page is served with the strict policy, so the checks below mean something.
      const policy = (await visitor.page.reload()).headers()['content-security-policy'];
      assert.match(policy, /script-src 'self';/);
      assert.match(policy, /style-src 'self';/);
      await visitor.page.locator('#auth-view').waitFor({ timeout: kWait });
      await screenshot(visitor.page, `login-${tag}`);
      await noOverflow(visitor.page, 'login');
      await visitor.page.getByRole('tab', { name: 'Create account' }).click();
      await screenshot(visitor.page, `register-${tag}`);
      await noOverflow(visitor.page, 'register');
      await visitor.context.close();

      const callee = await signedInPerson(browser, 'lay', 'Maximiliane Fernández-Oyelaran', options);
      const caller = await signedInPerson(browser, 'out', 'Sam Ortega', options);
      await waitOnline(callee.page, caller.username);
      await screenshot(callee.page, `directory-${tag}`);
      await noOverflow(callee.page, 'directory');
      if (sizeName === 'phone') assert.deepEqual(await smallTargets(callee.page), [], 'directory touch targets');

      await call(caller, callee);
      await waitIncoming(callee, 'Sam Ortega');
      await caller.page.locator('#call-status').filter({ hasText: 'Ringing…' }).waitFor({ timeout: kWait });
      // All at once: the test stack rings for only 3 s.
      await Promise.all([
        screenshot(callee.page, `incoming-${tag}`),
        screenshot(caller.page, `outgoing-${tag}`),
        noOverflow(callee.page, 'incoming'),
        noOverflow(caller.page, 'outgoing'),
      ]);
      await callee.page.getByRole('button', { name: 'Accept' }).click();
      await assertReceivingVideo(callee.page);
      await assertReceivingVideo(caller.page);
      await callee.page.locator('#quality[data-level="good"], #quality[data-level="fair"], #quality[data-level="poor"]')
        .waitFor({ timeout: kWait });
      await screenshot(callee.page, `in-call-${tag}`);
      await noOverflow(callee.page, 'in-call');
      if (sizeName === 'phone') assert.deepEqual(await smallTargets(callee.page), [], 'call touch targets');
      await callee.page.getByRole('button', { name: 'Devices' }).click();
      await callee.page.locator('#camera-select option').first().waitFor({ state: 'attached', timeout: kWait });
      await screenshot(callee.page, `in-call-devices-${tag}`);
      await noOverflow(callee.page, 'device pickers');
      await callee.page.getByRole('button', { name: 'Hang up' }).click();
      await caller.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
      await caller.page.locator('#history-list li').first().waitFor({ timeout: kWait });
      await screenshot(caller.page, `after-call-${tag}`);
      await noOverflow(caller.page, 'home after a call');
      for (const person of [visitor, callee, caller]) {
        assert.deepEqual(person.errors.filter((e) => /Content Security Policy|Uncaught/.test(e)), [],
                         'no CSP violations or uncaught errors');
      }
      await callee.context.close();
      await caller.context.close();
    });
  }
}
