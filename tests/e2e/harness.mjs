// Shared pieces of the end-to-end suite: Debian's Chromium driven by playwright-core against the
// real stack that scripts/run-tests.sh started (VC_HTTPS_PORT), one browser context per user.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const kOrigin = `https://localhost:${process.env.VC_HTTPS_PORT || 8443}`;
export const kScreenshotDir = join(process.env.VC_SRC_DIR || process.cwd(), 'test-output', 'screenshots');

// Exactly the flags the issue lists; Playwright adds its own --disable-features, which a
// --disable-features of ours would replace.
const kChromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream=fps=30',
  '--allow-loopback-in-peer-connection',
];

export const kSizes = {
  desktop: { width: 1280, height: 800 },
  tablet: { width: 820, height: 1180 },
  phone: { width: 390, height: 844 },
};

// Bounded waits only: every wait in the suite has a limit and fails with a message.
export const kWait = 15_000;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: kChromiumArgs,
  });
}

// A fresh person: their own context (cookies, storage), a page on the app.
export async function newPerson(browser, { size = kSizes.desktop, colorScheme = 'light', initScript } = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: size,
    colorScheme,
    permissions: ['camera', 'microphone', 'notifications'],
  });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(kOrigin + '/');
  return { context, page, errors };
}

export function uniqueName(prefix) {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export const kPassword = 'correct horse battery staple';

export async function registerThroughUi(page, username, displayName = '') {
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.locator('#register-username').fill(username);
  if (displayName) await page.locator('#register-display-name').fill(displayName);
  await page.locator('#register-password').fill(kPassword);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
}

export async function loginThroughUi(page, username, password = kPassword) {
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-form button[type=submit]').click();
}

export async function screenshot(page, name) {
  mkdirSync(kScreenshotDir, { recursive: true });
  await page.screenshot({ path: join(kScreenshotDir, `${name}.png`) });
}

// Fails when anything is wider than the viewport (a horizontal scrollbar or clipped content).
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders = [];
    if (document.documentElement.scrollWidth > width) offenders.push(`document ${document.documentElement.scrollWidth}px`);
    for (const node of document.querySelectorAll('body *')) {
      const box = node.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(node);
      if (style.position === 'fixed' && style.visibility === 'hidden') continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        if (node.closest('.visually-hidden')) continue;
        offenders.push(`${node.tagName.toLowerCase()}#${node.id}.${node.className} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
      }
    }
    return offenders.slice(0, 10);
  });
}
