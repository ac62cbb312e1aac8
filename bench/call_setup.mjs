// Benchmark 5 of `make bench`: call setup in headless Chromium on loopback, through the real
// stack (nginx, ws-daemon, coturn on offer). Time from the callee's Accept click to the first
// decoded remote frame shown, on each side; median of BENCH_CALLS calls (10). Beside it the
// floor: two RTCPeerConnections in one page with the same fake media, timed from the callee's
// getUserMedia (the first thing the app does on Accept) to the first frame on each side.
// Both use the same probe: requestVideoFrameCallback on the <video> showing the remote track.
//
// Reuses the end-to-end harness (tests/e2e/harness.mjs): the same Chromium flags and fake
// devices, the same sign-up and call helpers. Needs VC_HTTPS_PORT (and VC_STACK_DIR) as the
// e2e suite does. Prints key=value lines.
import {
  call, kWait, launch, newPerson, signedInPerson, waitIncoming, waitOnline,
} from '../tests/e2e/harness.mjs';

const kCalls = Number(process.env.BENCH_CALLS || 10);
const kPauseMs = 500;  // between calls, so that one call's teardown is not in the next one's time

// In every page: remember when Accept was clicked (the capture phase sees it first).
function probe() {
  window.__bench = { acceptAt: 0, firstFrameAt: 0 };
  document.addEventListener('click', (event) => {
    if (event.target.closest && event.target.closest('#accept')) {
      window.__bench.acceptAt = performance.timeOrigin + performance.now();
    }
  }, true);
}

// Arms the probe on the app's remote <video>: the time its first frame is presented.
async function armFirstFrame(page) {
  await page.evaluate(() => {
    window.__bench.firstFrameAt = 0;
    document.getElementById('remote-video').requestVideoFrameCallback((now, meta) => {
      window.__bench.firstFrameAt = performance.timeOrigin + meta.presentationTime;
    });
  });
}

async function firstFrameAt(page) {
  const handle = await page.waitForFunction(() => window.__bench.firstFrameAt || null, null,
                                            { timeout: kWait });
  return handle.jsonValue();
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function appCalls(browser) {
  const alice = await signedInPerson(browser, 'bench_caller', 'Alice', { initScript: probe });
  const bob = await signedInPerson(browser, 'bench_callee', 'Bob', { initScript: probe });
  await waitOnline(alice.page, bob.username);
  await waitOnline(bob.page, alice.username);
  const callee = [], caller = [];
  for (let i = 0; i < kCalls; ++i) {
    await call(alice, bob);
    const dialog = await waitIncoming(bob, 'Alice');
    await armFirstFrame(alice.page);
    await armFirstFrame(bob.page);
    await dialog.getByRole('button', { name: 'Accept' }).click();
    const acceptAt = await bob.page.evaluate(() => window.__bench.acceptAt);
    callee.push((await firstFrameAt(bob.page)) - acceptAt);
    caller.push((await firstFrameAt(alice.page)) - acceptAt);
    await bob.page.getByRole('button', { name: 'Hang up' }).click();
    await bob.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
    await alice.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
    await new Promise((r) => setTimeout(r, kPauseMs));
  }
  await alice.context.close();
  await bob.context.close();
  return { callee, caller };
}

// One call's worth of work without a server: the caller's media is open already (the app opens
// it before inviting); the clock starts when the callee asks for its own.
async function floorOnce(page) {
  return page.evaluate(async () => {
    const media = () => navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const firstFrame = (pc) => new Promise((resolve) => {
      pc.addEventListener('track', ({ track }) => {
        if (track.kind !== 'video') return;
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        video.srcObject = new MediaStream([track]);
        document.body.append(video);
        video.requestVideoFrameCallback((now, meta) => resolve({ at: meta.presentationTime, video }));
      });
    });
    const callerMedia = await media();
    const t0 = performance.now();
    const calleeMedia = await media();
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = ({ candidate }) => candidate && b.addIceCandidate(candidate);
    b.onicecandidate = ({ candidate }) => candidate && a.addIceCandidate(candidate);
    const atCaller = firstFrame(a);
    const atCallee = firstFrame(b);
    for (const t of callerMedia.getTracks()) a.addTrack(t, callerMedia);
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    for (const t of calleeMedia.getTracks()) b.addTrack(t, calleeMedia);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    const [x, y] = await Promise.all([atCaller, atCallee]);
    for (const pc of [a, b]) pc.close();
    for (const t of [...callerMedia.getTracks(), ...calleeMedia.getTracks()]) t.stop();
    x.video.remove();
    y.video.remove();
    return { caller: x.at - t0, callee: y.at - t0 };
  });
}

async function floorCalls(browser) {
  const person = await newPerson(browser);
  const callee = [], caller = [];
  for (let i = 0; i < kCalls; ++i) {
    const t = await floorOnce(person.page);
    callee.push(t.callee);
    caller.push(t.caller);
    await new Promise((r) => setTimeout(r, kPauseMs));
  }
  await person.context.close();
  return { callee, caller };
}

const browser = await launch();
try {
  const floor = await floorCalls(browser);
  const app = await appCalls(browser);
  const out = {
    calls: kCalls,
    app_callee_ms: median(app.callee), app_caller_ms: median(app.caller),
    floor_callee_ms: median(floor.callee), floor_caller_ms: median(floor.caller),
  };
  for (const [k, v] of Object.entries(out)) console.log(`${k}=${typeof v === 'number' ? Math.round(v * 10) / 10 : v}`);
  console.log(`app_callee_all_ms=${app.callee.map(Math.round).join(',')}`);
  console.log(`app_caller_all_ms=${app.caller.map(Math.round).join(',')}`);
  console.log(`floor_callee_all_ms=${floor.callee.map(Math.round).join(',')}`);
  console.log(`floor_caller_all_ms=${floor.caller.map(Math.round).join(',')}`);
} finally {
  await browser.close();
}
