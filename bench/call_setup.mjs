// Benchmark 5 of `make bench`: call setup in headless Chromium through the real stack (nginx,
// ws-daemon, coturn on offer). Time from the callee's Accept click to the first decoded remote
// frame shown, on each side; median of BENCH_CALLS calls (10). Once on loopback, and once with
// each person 50 ms (one way) from the server: every signaling message a page sends or gets
// waits that long (media is not delayed, as between two people near each other and a server
// far away). Beside it, the ideal exchange at the same delay: two RTCPeerConnections in one
// page with the same fake media and the app's constraints, the caller's offer and candidates
// applied while it rang, and one hop (the callee's answer and candidates, via the server) after
// Accept, when the callee's camera opens too. Both use the same probe: requestVideoFrameCallback
// on the <video> showing the remote track.
//
// Reuses the end-to-end harness (tests/e2e/harness.mjs): the same Chromium flags and fake
// devices, the same sign-up and call helpers. Needs VC_HTTPS_PORT (and VC_STACK_DIR) as the
// e2e suite does. Prints key=value lines; keys end in _d0 or _d50, the delay.
import {
  call, kWait, launch, newPerson, signedInPerson, waitIncoming, waitOnline,
} from '../tests/e2e/harness.mjs';

const kCalls = Number(process.env.BENCH_CALLS || 10);
const kDelaysMs = [0, 50];
const kVideo = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };  // media.js's
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

// In every page: each signaling message sent or received waits delayMs, in order.
function delaySignaling(delayMs) {
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    send(data) {
      setTimeout(() => { if (this.readyState === 1) super.send(data); }, delayMs);
    }
    set onmessage(handler) {
      super.onmessage = handler && ((event) => setTimeout(() => handler.call(this, event), delayMs));
    }
    get onmessage() {
      return super.onmessage;
    }
  };
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

async function appCalls(browser, delayMs) {
  const initScript = [probe, { content: `(${delaySignaling})(${delayMs})` }];
  const alice = await signedInPerson(browser, 'bench_caller', 'Alice', { initScript });
  const bob = await signedInPerson(browser, 'bench_callee', 'Bob', { initScript });
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

// One call's worth of the ideal exchange: `hop` is one message via the server (2 x delayMs).
// While it rings the caller's offer and candidates reach the callee and are applied; the clock
// starts at Accept, where the callee answers at once and opens its camera meanwhile.
async function idealOnce(page, delayMs) {
  return page.evaluate(async ({ delayMs, video }) => {
    const hop = (fn) => setTimeout(fn, 2 * delayMs);
    const firstFrame = (pc) => new Promise((resolve) => {
      pc.addEventListener('track', ({ track }) => {
        if (track.kind !== 'video') return;
        const element = document.createElement('video');
        element.muted = true;
        element.autoplay = true;
        element.playsInline = true;
        element.srcObject = new MediaStream([track]);
        document.body.append(element);
        element.requestVideoFrameCallback((now, meta) => resolve({ at: meta.presentationTime, element }));
      });
    });
    const callerMedia = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    const gathered = new Promise((resolve) => {
      a.onicecandidate = ({ candidate }) => {
        if (candidate) hop(() => b.addIceCandidate(candidate));
        else hop(resolve);  // the last of them has reached the callee
      };
    });
    b.onicecandidate = ({ candidate }) => candidate && hop(() => a.addIceCandidate(candidate));
    const atCaller = firstFrame(a);
    const atCallee = firstFrame(b);
    for (const t of callerMedia.getTracks()) a.addTrack(t, callerMedia);
    await a.setLocalDescription();
    const offer = a.localDescription;
    await new Promise((resolve) => hop(resolve));
    await b.setRemoteDescription(offer);
    await gathered;
    // Accept.
    const t0 = performance.now();
    const calleeMedia = navigator.mediaDevices.getUserMedia({ audio: true, video });
    for (const t of b.getTransceivers()) t.direction = 'sendrecv';
    await b.setLocalDescription();
    const answer = b.localDescription;
    hop(() => a.setRemoteDescription(answer));
    const media = await calleeMedia;
    for (const track of media.getTracks()) {
      await b.getTransceivers().find((t) => t.receiver.track.kind === track.kind).sender.replaceTrack(track);
    }
    const [x, y] = await Promise.all([atCaller, atCallee]);
    for (const pc of [a, b]) pc.close();
    for (const t of [...callerMedia.getTracks(), ...media.getTracks()]) t.stop();
    x.element.remove();
    y.element.remove();
    return { caller: x.at - t0, callee: y.at - t0 };
  }, { delayMs, video: kVideo });
}

async function idealCalls(browser, delayMs) {
  const person = await newPerson(browser);
  const callee = [], caller = [];
  for (let i = 0; i < kCalls; ++i) {
    const t = await idealOnce(person.page, delayMs);
    callee.push(t.callee);
    caller.push(t.caller);
    await new Promise((r) => setTimeout(r, kPauseMs));
  }
  await person.context.close();
  return { callee, caller };
}

const browser = await launch();
try {
  console.log(`calls=${kCalls}`);
  for (const d of kDelaysMs) {
    const ideal = await idealCalls(browser, d);
    const app = await appCalls(browser, d);
    const out = {
      app_callee_ms: median(app.callee), app_caller_ms: median(app.caller),
      ideal_callee_ms: median(ideal.callee), ideal_caller_ms: median(ideal.caller),
    };
    for (const [k, v] of Object.entries(out)) console.log(`${k}_d${d}=${Math.round(v * 10) / 10}`);
    console.log(`app_callee_all_ms_d${d}=${app.callee.map(Math.round).join(',')}`);
    console.log(`app_caller_all_ms_d${d}=${app.caller.map(Math.round).join(',')}`);
    console.log(`ideal_callee_all_ms_d${d}=${ideal.callee.map(Math.round).join(',')}`);
    console.log(`ideal_caller_all_ms_d${d}=${ideal.caller.map(Math.round).join(',')}`);
  }
} finally {
  await browser.close();
}
