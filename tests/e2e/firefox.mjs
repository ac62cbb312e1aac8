// Firefox for the cross-browser tests: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi, with Firefox's own fake camera and microphone. The people it makes sign up
// through the page, like the Chromium people of harness.mjs.
import puppeteer from 'puppeteer-core';
import { capturePeerConnections, kOrigin, kPassword, kWait, uniqueName } from './harness.mjs';

const kFirefoxPrefs = {
  'media.navigator.streams.fake': true,  // a test pattern and a tone instead of real devices
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,  // the stack and both browsers are on loopback
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
};

export async function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,  // the stack's self-signed certificate
    extraPrefsFirefox: kFirefoxPrefs,
  });
}

// A person in their own Firefox context, signed up and online.
export async function firefoxPerson(browser, prefix, displayName) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.evaluateOnNewDocument(capturePeerConnections);
  await page.goto(kOrigin + '/');
  const username = uniqueName(prefix);
  await page.click('#tab-register');
  await page.type('#register-username', username);
  await page.type('#register-display-name', displayName);
  await page.type('#register-password', kPassword);
  await page.click('#register-form button[type=submit]');
  await page.waitForSelector('#home-view', { visible: true, timeout: kWait });
  await page.waitForSelector('#conn-state[data-state="open"]', { timeout: kWait });
  return { context, page, username, displayName };
}

// Searches for the callee as a person types it, then clicks the call button in their row once
// they show as online.
export async function firefoxCall(from, to) {
  await from.page.type('#people-search', to.username);
  const button = `li.user[data-username="${to.username}"][data-online="true"] button[aria-label="Call ${to.displayName}"]`;
  await from.page.waitForSelector(button, { timeout: kWait });
  await from.page.click(button);
}

// The ringing dialog naming the caller; resolves when it shows.
export async function firefoxWaitIncoming(person, callerName) {
  await person.page.waitForFunction(
    (name) => {
      const card = document.getElementById('incoming-card');
      return card && card.offsetParent !== null && card.textContent.includes(name);
    },
    { timeout: kWait }, callerName);
}
