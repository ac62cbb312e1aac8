// Getting a person's attention for a call: WebAudio tones (no sound files), the page title
// flashing, and an OS notification when the tab is hidden. Nothing here touches the page body.

// Ringtone: two short bursts every 3 s; ringback: the North American 440+480 Hz 2 s on, 4 s off.
const kPatterns = {
  ringtone: { freqs: [523.25, 659.25], bursts: [[0, 0.4], [0.6, 0.4]], period: 3 },
  ringback: { freqs: [440, 480], bursts: [[0, 2]], period: 6 },
};

export class Tones {
  constructor() {
    this.context_ = null;
    this.timer_ = null;
    this.playing_ = null;
    this.nodes_ = [];
  }

  get playing() {
    return this.playing_;
  }

  // Browsers only start audio after a user gesture; call this from one (login, call, accept).
  unlock() {
    const AudioContextImpl = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!AudioContextImpl) return;
    if (!this.context_) this.context_ = new AudioContextImpl();
    if (this.context_.state === 'suspended') this.context_.resume().catch(() => {});
  }

  start(name) {
    this.stop();
    this.unlock();
    const pattern = kPatterns[name];
    if (!this.context_ || !pattern) return;
    this.playing_ = name;
    const scheduleOnce = () => {
      const t0 = this.context_.currentTime + 0.05;
      for (const [offset, length] of pattern.bursts) this.burst_(pattern.freqs, t0 + offset, length);
    };
    scheduleOnce();
    this.timer_ = setInterval(scheduleOnce, pattern.period * 1000);
  }

  burst_(freqs, at, length) {
    const ctx = this.context_;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.12, at + 0.02);
    gain.gain.setValueAtTime(0.12, at + length - 0.03);
    gain.gain.linearRampToValueAtTime(0, at + length);
    gain.connect(ctx.destination);
    for (const f of freqs) {
      const osc = ctx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + length);
      this.nodes_.push(osc);
      osc.onended = () => { this.nodes_ = this.nodes_.filter((n) => n !== osc); };
    }
  }

  stop() {
    clearInterval(this.timer_);
    this.timer_ = null;
    this.playing_ = null;
    for (const node of this.nodes_) {
      try {
        node.stop();
      } catch {
        // already stopped
      }
    }
    this.nodes_ = [];
  }
}

// Alternates the tab title with a message until stopped.
export class TitleFlasher {
  constructor() {
    this.timer_ = null;
    this.original_ = null;
  }

  start(message) {
    this.stop();
    this.original_ = document.title;
    let on = true;
    document.title = message;
    this.timer_ = setInterval(() => {
      on = !on;
      document.title = on ? message : this.original_;
    }, 1000);
  }

  stop() {
    if (this.timer_ === null) return;
    clearInterval(this.timer_);
    this.timer_ = null;
    document.title = this.original_;
  }
}

export function notificationsSupported() {
  return 'Notification' in globalThis;
}

export function notificationPermission() {
  return notificationsSupported() ? Notification.permission : 'unsupported';
}

// Must run inside a user gesture.
export async function askNotificationPermission() {
  if (!notificationsSupported()) return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

// An OS notification for an incoming call when the tab is hidden; returns a close function.
export function notifyIncoming(callId, caller, onClick) {
  if (!notificationsSupported() || Notification.permission !== 'granted' || !document.hidden) {
    return () => {};
  }
  let notification;
  try {
    notification = new Notification(`${caller.display_name} is calling`, {
      body: `@${caller.username} · Open the tab to accept or decline.`,
      tag: `call-${callId}`,
      requireInteraction: true,
      icon: '/favicon.svg',
    });
  } catch {
    return () => {};  // some platforms allow notifications only from a service worker
  }
  notification.onclick = () => {
    globalThis.focus();
    onClick();
    notification.close();
  };
  return () => notification.close();
}
