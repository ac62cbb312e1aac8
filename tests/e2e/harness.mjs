// Shared pieces of the end-to-end suite: Debian's Chromium driven by playwright-core against the
// real stack that scripts/run-tests.sh started (VC_HTTPS_PORT), one browser context per user.
import { chromium } from 'playwright-core';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
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

const openContexts = new Set();

// Closes every context a test opened, also when it failed half-way: a person left online
// would otherwise show up in the next test's directory.
export async function closeEveryone() {
  await Promise.all(Array.from(openContexts, (c) => c.close().catch(() => {})));
  openContexts.clear();
}

// A fresh person: their own context (cookies, storage), a page on the app.
// beforeLoad(context): set-up before the first page load, such as routes for requests the app
// makes at sign-in (GET /api/ice-servers).
export async function newPerson(browser, {
  size = kSizes.desktop, colorScheme = 'light', initScript,
  permissions = ['camera', 'microphone', 'notifications'], beforeLoad,
} = {}) {
  // permissions: null leaves every permission at the browser's own default ("ask").
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, viewport: size, colorScheme, ...(permissions ? { permissions } : {}),
  });
  for (const script of [initScript || []].flat()) await context.addInitScript(script);
  if (beforeLoad) await beforeLoad(context);
  openContexts.add(context);
  context.on('close', () => openContexts.delete(context));
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

// Test-side only: remembers the page's RTCPeerConnections so getStats() can be read, and the
// streams getUserMedia handed out so a test can see that hang-up stopped them.
export function capturePeerConnections() {
  const Original = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.__mediaStreams = [];
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.__mediaStreams.push(stream);
    return stream;
  };
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__peerConnections.push(this);
    }
  };
}

// Test-side only: getUserMedia waits for window.__releaseCamera(), so a test can line up two
// people who have both clicked Call and then let both invites go out at the same instant.
export function holdableCamera() {
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  window.__releaseCamera = () => release();
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    await released;
    return getUserMedia(constraints);
  };
}

// Test-side only: signaling outages on demand. Every socket the page opens is kept in
// window.__sockets; while window.__signalingOffline is true a new socket fails at once, as
// when the server cannot be reached (see dropSignaling).
export function controllableSignaling() {
  const RealWebSocket = window.WebSocket;
  window.__sockets = [];
  window.__signalingOffline = false;
  function ControlledWebSocket(url, protocols) {
    if (window.__signalingOffline) {
      const unreachable = { readyState: 3, send() {}, close() {} };
      setTimeout(() => unreachable.onclose?.({ code: 1006, reason: '' }), 0);
      return unreachable;
    }
    const socket = new RealWebSocket(url, protocols);
    window.__sockets.push(socket);
    return socket;
  }
  Object.assign(ControlledWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = ControlledWebSocket;
}

// Closes the page's signaling socket; with offline, reconnecting fails until online() is called.
export async function dropSignaling(page, { offline = false } = {}) {
  await page.evaluate((stayOffline) => {
    window.__signalingOffline = stayOffline;
    window.__sockets.filter((s) => s.readyState === 1).forEach((s) => s.close());
  }, offline);
  await page.locator('#conn-state[data-state="reconnecting"]').waitFor({ timeout: kWait });
}

export async function signalingOnline(page) {
  await page.evaluate(() => { window.__signalingOffline = false; });
}

// Holds GET /api/ice-servers of a page or a whole context until the returned function is called.
export async function holdIceServers(pageOrContext) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await pageOrContext.route('**/api/ice-servers', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

// A person with an account, signed in, on the home view.
export async function signedInPerson(browser, prefix, displayName, options = {}) {
  const initScript = [capturePeerConnections, options.initScript || []].flat();
  const person = await newPerson(browser, { ...options, initScript });
  person.username = uniqueName(prefix);
  person.displayName = displayName;
  await registerThroughUi(person.page, person.username, displayName);
  await person.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  return person;
}

export function userRow(page, username) {
  return page.locator(`li.user[data-username="${username}"]`);
}

// Searches the People panel for `username` (as a person types it), unless the row is already
// shown (a contact, or found before).
export async function findPerson(page, username) {
  if (await userRow(page, username).count() > 0) return;
  await page.locator('#people-search').fill(username);
  await userRow(page, username).waitFor({ timeout: kWait });
}

export async function waitOnline(page, username, online = true) {
  await findPerson(page, username);
  await userRow(page, username).and(page.locator(`[data-online="${online}"]`)).waitFor({ timeout: kWait });
}

// Clicks the call button in the callee's row (display names need not be unique).
export async function call(from, to) {
  await waitOnline(from.page, to.username);
  const button = userRow(from.page, to.username).getByRole('button', { name: `Call ${to.displayName}` });
  await button.click();
}

export async function waitIncoming(person, callerName) {
  const dialog = person.page.getByRole('alertdialog', { name: callerName });
  await dialog.waitFor({ timeout: kWait });
  return dialog;
}

// Inbound video counters of the page's live peer connection.
export async function inboundVideo(page) {
  return page.evaluate(async () => {
    const pc = window.__peerConnections.filter((p) => p.connectionState !== 'closed').at(-1);
    if (!pc) return null;
    for (const r of (await pc.getStats()).values()) {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        return { framesDecoded: r.framesDecoded || 0, frameWidth: r.frameWidth || 0 };
      }
    }
    return { framesDecoded: 0, frameWidth: 0 };
  });
}

// Waits until a sampled value satisfies `ok`, polling; fails with the last value after `timeout`.
export async function pollUntil(sample, ok, { timeout = kWait, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await sample();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
}

// The remote <video> shows real frames and the decoder keeps going.
export async function assertReceivingVideo(page) {
  await page.waitForFunction(() => {
    const v = document.getElementById('remote-video');
    return v && v.videoWidth > 0 && v.clientWidth > 0 && v.clientHeight > 0;
  }, null, { timeout: kWait });
  const first = await pollUntil(() => inboundVideo(page), (s) => s && s.framesDecoded > 0, { what: 'first decoded frame' });
  await pollUntil(() => inboundVideo(page), (s) => s.framesDecoded > first.framesDecoded + 10,
                  { what: 'framesDecoded rising' });
}

export async function callStatus(page, text) {
  await page.locator('#call-status').filter({ hasText: text }).waitFor({ timeout: kWait });
}

export async function bannerSays(page, text) {
  await page.locator('#banner-text').filter({ hasText: text }).waitFor({ timeout: kWait });
}

// Total audio energy received so far on the page's live connection (rises while sound arrives).
export async function inboundAudioEnergy(page) {
  return page.evaluate(async () => {
    const pc = window.__peerConnections.filter((p) => p.connectionState !== 'closed').at(-1);
    if (!pc) return null;
    for (const r of (await pc.getStats()).values()) {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') return r.totalAudioEnergy || 0;
    }
    return 0;
  });
}

// How much the received audio energy grows over `ms`.
export async function audioEnergyGrowth(page, ms = 1500) {
  const a = await inboundAudioEnergy(page);
  await new Promise((r) => setTimeout(r, ms));
  const b = await inboundAudioEnergy(page);
  return b - a;
}

// Mean brightness (0–255) of what the remote <video> shows right now.
export async function remoteBrightness(page) {
  return page.evaluate(() => {
    const video = document.getElementById('remote-video');
    if (!video.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 32;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, 32, 32);
    const data = ctx.getImageData(0, 0, 32, 32).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
    return sum / (data.length / 4);
  });
}

// ---- the stack that scripts/run-tests.sh started ----

const kStackDir = process.env.VC_STACK_DIR;

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

// Running, and not a zombie: the daemon was started by another process, and where PID 1 does
// not reap, a killed one lingers as a zombie that kill(pid, 0) still finds.
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function stackConfig(key) {
  const text = readFileSync(`${kStackDir}/videochat.conf`, 'utf8');
  const match = text.match(new RegExp(`^${key.replace('.', '\\.')}\\s*=\\s*(.*)$`, 'm'));
  return match ? match[1].trim() : null;
}

// kill -9 the signaling daemon and start it again the way scripts/stack.sh does, keeping its
// pid file current so the stack's stop still stops it.
export async function restartWsDaemon() {
  const pidFile = `${kStackDir}/run/ws-daemon.pid`;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  process.kill(pid, 'SIGKILL');
  await pollUntil(async () => alive(pid), (a) => !a, { what: 'ws-daemon to die' });
  const port = Number(stackConfig('ws.port'));
  const log = openSync(`${kStackDir}/log/ws-daemon.stderr`, 'a');
  const child = spawn(`${process.env.VC_BUILD_DIR}/ws-daemon/ws-daemon`, ['-c', `${kStackDir}/videochat.conf`],
                      { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  closeSync(log);
  writeFileSync(pidFile, `${child.pid}\n`);
  await pollUntil(() => portOpen(port), (open) => open, { what: 'ws-daemon to listen again' });
}

// Runs an SQL file against the stack's database (as its DB user), with `SET` lines before it.
export function runSqlFile(path, prelude = '') {
  const args = ['--no-defaults', `--socket=${stackConfig('db.socket')}`, `--user=${stackConfig('db.user')}`,
                `--password=${stackConfig('db.password')}`, stackConfig('db.name')];
  const sql = `${prelude}\n${readFileSync(path, 'utf8')}`;
  const result = spawnSync('mariadb', args, { input: sql, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`mariadb < ${path}: ${result.stderr || result.error}`);
}

// Seconds between the daemon's session re-checks (how fast a revoked session's sockets close).
export function sessionRecheckSeconds() {
  return Number(stackConfig('ws.session_recheck') || 30);
}

// The stack's JSON log lines (both daemons) for which keep(entry) is true.
export function serverLogLines(keep) {
  return readFileSync(`${kStackDir}/log/videochat.log`, 'utf8').split('\n')
    .filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter(keep);
}

// The server's JSON log lines from browsers (component "client") about one call.
export function clientLogLines(callId) {
  return serverLogLines((entry) => entry.component === 'client' && JSON.stringify(entry).includes(callId));
}

// Records every value the connection badge takes, from now on.
export async function watchConnectionState(page) {
  await page.evaluate(() => {
    const badge = document.getElementById('conn-state');
    window.__connStates = [badge.dataset.state];
    new MutationObserver(() => window.__connStates.push(badge.dataset.state))
      .observe(badge, { attributes: true, attributeFilter: ['data-state'] });
  });
}

// States of every camera and microphone track the page ever opened.
export async function localTrackStates(page) {
  return page.evaluate(() => window.__mediaStreams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
}
