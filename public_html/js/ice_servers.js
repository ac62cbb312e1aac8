// The ICE servers of the signed-in user (STUN, and TURN with short-lived credentials): fetched
// at sign-in, fetched again at half their lifetime so credentials never expire mid-setup, and
// forgotten at sign-out, so a call never waits for them and never uses another user's. No DOM.
//
// When they cannot be had, calls get policy 'relay' with no servers: a call that cannot
// connect, rather than one that quietly sends the device's own addresses on a deployment that
// promises to relay everything.

const kDefaultTtlS = 300;
const kRetryMs = 10_000;  // after a failed fetch, while signed in
export const kUnavailable = Object.freeze({ servers: [], policy: 'relay', ok: false });

export class IceServers {
  // fetchServers(): {ok, data: {iceServers, iceTransportPolicy, ttl}}; timers injectable for tests.
  // (The browser's timer functions refuse to be called as methods of another object.)
  constructor({
    fetchServers, now = () => Date.now(), setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (timer) => clearTimeout(timer),
  }) {
    this.fetch_ = fetchServers;
    this.now_ = now;
    this.setTimer_ = setTimer;
    this.clearTimer_ = clearTimer;
    this.generation_ = 0;  // bumped by stop(): answers for an earlier sign-in are dropped
    this.current_ = null;  // {servers, policy, ok}
    this.expires_ = 0;     // when current_'s credentials run out
    this.pending_ = null;  // the fetch in flight
    this.timer_ = null;
  }

  // Signed in: fetch now and keep them fresh.
  start() {
    this.stop();
    this.refresh_();
  }

  // Signed out (or another user signs in): forget them, stop refreshing.
  stop() {
    this.generation_ += 1;
    this.clearTimer_(this.timer_);
    this.timer_ = null;
    this.current_ = null;
    this.pending_ = null;
  }

  // {servers, policy, ok} for a new peer connection: the fresh ones, the fetch in flight, or,
  // signed in but without any yet, one more try.
  async get() {
    if (this.current_ && this.now_() < this.expires_) return this.current_;
    return this.pending_ || this.refresh_();
  }

  refresh_() {
    const generation = this.generation_;
    this.pending_ = (async () => {
      let result;
      try {
        result = await this.fetch_();
      } catch (error) {
        result = { ok: false, error };
      }
      if (generation !== this.generation_) return kUnavailable;
      this.pending_ = null;
      if (!result.ok) {
        this.schedule_(kRetryMs);
        return kUnavailable;
      }
      const ttlS = Number(result.data.ttl) > 0 ? Number(result.data.ttl) : kDefaultTtlS;
      this.current_ = {
        servers: Array.isArray(result.data.iceServers) ? result.data.iceServers : [],
        policy: result.data.iceTransportPolicy === 'relay' ? 'relay' : 'all',
        ok: true,
      };
      this.expires_ = this.now_() + ttlS * 1000;
      this.schedule_(ttlS * 500);  // half the lifetime
      return this.current_;
    })();
    return this.pending_;
  }

  schedule_(ms) {
    this.clearTimer_(this.timer_);
    const generation = this.generation_;
    this.timer_ = this.setTimer_(() => {
      if (generation === this.generation_) this.refresh_();
    }, ms);
  }
}
