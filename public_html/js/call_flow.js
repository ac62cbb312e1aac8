// The call flow of this page, as a state machine with no DOM and no WebRTC: who this page is in
// the call (caller or callee), which phase the call is in, what each server message and each
// button does, and what is sent. It mirrors the daemon's call table (docs/PROTOCOL.md). The
// page's side of things (views, tones, camera, peer connection) is told through `hooks`.
//
// Phases: preparing (opening the camera to call) → calling (invite sent, no call id yet) →
// ringing (the daemon named the call) → connecting (past accept) → active (media flows);
// a call to us is incoming until it is accepted. `accepted`: the daemon counts this page as
// the one that answered; `connecting`: past accept, the peer connection is (being) set up.
import { describeCallEnd } from './text.js';

// Endings that are a fault rather than somebody's choice: shown as errors.
export const kFaultEndings = new Set([
  'busy', 'unavailable', 'signaling', 'media', 'peer-gone', 'self-busy', 'media-lost',
]);

// How long the media path may stay cut (the peer connection failed or disconnected, ICE
// restarts included) before the call is given up: room for a network change and a restart,
// but nobody is left looking at "reconnecting…" for ever.
export const kMediaGiveUpMs = 30000;

const kTimers = { set: (fn, ms) => setTimeout(fn, ms), clear: (timer) => clearTimeout(timer) };

// The messages that end a call we are part of, by the reason the page shows.
export const kRefusals = ['declined', 'cancelled', 'missed', 'busy', 'answered-elsewhere'];

const kNoHooks = {
  calling() {}, ringing() {}, incoming() {}, stopRinging() {}, accepting() {}, answered() {}, prepare() {},
  connect() {}, signal() {}, bothBack() {}, waitingForPeer() {}, end() {},
};

export class CallFlow {
  // send(message) → false when the socket is down; log(level, event, callId, message);
  // hooks: the page's side (see kNoHooks), each called with the call first.
  constructor({ send, log = () => {}, hooks = {}, now = Date.now, timers = kTimers }) {
    this.send_ = send;
    this.log_ = log;
    this.hooks_ = { ...kNoHooks, ...hooks };
    this.now_ = now;
    this.timers_ = timers;
    this.call = null;
    this.pendingHangups_ = new Set();  // hangups that could not be sent while disconnected
    this.cancelledInvites_ = new Set();  // refs of invites cancelled before their ringing came
    this.invites_ = 0;
  }

  isCurrent_(message) {
    return Boolean(this.call && this.call.id && this.call.id === message.call_id);
  }

  // ---- outgoing ----

  // The user calls `peer`: a new call, preparing while the camera opens; null if busy.
  start(peer) {
    if (this.call) return null;
    // The daemon echoes ref in ringing, busy and errors: each answer finds its own invite.
    const ref = `invite-${this.now_().toString(36)}-${++this.invites_}`;
    this.call = { role: 'caller', id: null, ref, peer, phase: 'preparing', accepted: false, connecting: false };
    return this.call;
  }

  // The camera opened (ok) or could not for the call that was preparing. A call that turned
  // into an incoming one meanwhile (they called us first) is answered now.
  mediaReady(call, ok) {
    if (this.call !== call) return;
    if (!ok) return call.role === 'callee' ? this.decline() : this.end('local-cancel');
    if (call.role === 'callee') return this.answer_(call);
    call.phase = 'calling';
    this.hooks_.calling(call);
    if (!this.send_({ type: 'invite', to: call.peer.id, ref: call.ref })) this.end('signaling');
  }

  ringing(m) {
    if (this.cancelledInvites_.delete(m.ref)) {
      // The user cancelled before the server told us the call id.
      this.send_({ type: 'cancel', call_id: m.call_id });
      return;
    }
    const call = this.call;
    if (!call || call.role !== 'caller' || call.ref !== m.ref || (call.id && call.id !== m.call_id)) return;
    call.id = m.call_id;
    call.phase = 'ringing';
    this.hooks_.ringing(call);
    // The offer and our candidates go out while it rings (the daemon gives them to the ringing
    // devices), so the callee answers the moment they accept.
    this.hooks_.prepare(call, { polite: false, holdAnswer: false });
  }

  // To both parties once the call is active; the callee is normally connecting already.
  accepted(m) {
    const call = this.call;
    if (!call || call.id !== m.call_id || call.connecting) return;
    this.hooks_.answered(call);
    this.connect_(call, call.role === 'callee');
  }

  // We invited the peer while they invited us. The daemon keeps the call that rang first: if
  // it is ours we stay its caller; if it is theirs we carry on as its callee (polite). Either
  // way an accepted follows.
  glare(m) {
    const call = this.call;
    if (!call || call.role !== 'caller' || call.peer.id !== m.peer_id) return;
    this.hooks_.stopRinging(call);
    if (call.id === m.call_id) return;
    call.id = m.call_id;
    call.role = 'callee';
    call.accepted = true;  // the daemon accepted it for us, from our inviting connection
    this.log_('info', 'call_glare', m.call_id, 'invites crossed; continuing as callee');
  }

  // ---- incoming ----

  incoming(m) {
    const current = this.call;
    if (current && current.role === 'caller' && !current.id && current.phase === 'preparing' &&
        current.peer.id === m.caller.id) {
      // They called us while we were still opening the camera to call them: answer their call
      // instead of sending a second invite (the daemon would only have to resolve the glare).
      current.id = m.call_id;
      current.role = 'callee';
      this.log_('info', 'call_crossed', m.call_id, 'peer called first; answering their call');
      return;
    }
    if (current) return;  // the server answers busy for us; a second ring would be noise
    const call = this.call = {
      role: 'callee', id: m.call_id, ref: null, peer: m.caller, phase: 'incoming', accepted: false, connecting: false,
    };
    this.hooks_.incoming(call);
    // Ready before Accept: the caller's offer is applied as it comes, candidates are gathered,
    // and nothing is sent (no answer, no address) until the user accepts.
    this.hooks_.prepare(call, { polite: true, holdAnswer: true });
  }

  // The user accepts the ringing call: the call, if accept went out, else null.
  accept() {
    const call = this.call;
    if (!call || call.phase !== 'incoming') return null;
    this.hooks_.accepting(call);
    return this.answer_(call) ? call : null;
  }

  // Accepts the ringing call from this page and answers the caller's offer.
  answer_(call) {
    if (!this.send_({ type: 'accept', call_id: call.id })) {
      this.end('signaling');
      return false;
    }
    call.accepted = true;
    this.hooks_.answered(call);
    this.connect_(call, true);
    return true;
  }

  decline() {
    const call = this.call;
    if (!call || call.role !== 'callee' || call.accepted) return;
    this.send_({ type: 'decline', call_id: call.id });
    this.end('declined-by-me');
  }

  // ---- during the call ----

  // Past accept: the call's connection is (being) set up, and the held answer goes out.
  connect_(call, polite) {
    call.connecting = true;
    call.phase = 'connecting';
    this.hooks_.connect(call, polite);
  }

  // sdp and ice of the current call go to its connection.
  signal(m) {
    if (this.isCurrent_(m)) this.hooks_.signal(this.call, m);
  }

  // The peer connection of `call` changed state: true when it is connected for the first time
  // (the call is active). A cut media path that does not come back in time ends the call.
  mediaState(call, state) {
    if (this.call !== call) return false;
    if (state === 'connected') {
      this.timers_.clear(call.giveUp);
      call.giveUp = null;
      if (call.phase === 'active') return false;
      call.phase = 'active';
      call.startedAt = this.now_();
      return true;
    }
    if (state === 'disconnected' || state === 'failed') {
      call.lostState = state;
      call.giveUp ||= this.timers_.set(() => this.giveUp_(call), kMediaGiveUpMs);
    }
    return false;
  }

  giveUp_(call) {
    if (this.call !== call) return;
    this.log_('error', 'media_gave_up', call.id,
      `no media path for ${kMediaGiveUpMs / 1000} s (peer connection ${call.lostState})`);
    if (!this.send_({ type: 'hangup', call_id: call.id })) this.pendingHangups_.add(call.id);
    this.end('media-lost');
  }

  // After a reconnect each side learns once that both are back: from `resumed` (the peer was
  // already there) or from `peer-resumed` (the peer came second).
  resumed(m) {
    if (!this.isCurrent_(m)) return;
    if (m.peer_connected) this.hooks_.bothBack(this.call);
    else this.hooks_.waitingForPeer(this.call);
  }

  peerResumed(m) {
    if (this.isCurrent_(m)) this.hooks_.bothBack(this.call);
  }

  // ---- ending ----

  ended(m) {
    if (this.isCurrent_(m)) this.end(m.reason || 'hangup');
  }

  refused(type, m) {
    if (type === 'busy') this.cancelledInvites_.delete(m.ref);
    const call = this.call;
    if (!call) return;
    // busy comes before the caller knows the call id: it names the invite by its ref.
    const matches = call.id ? call.id === m.call_id
                            : (type === 'busy' && call.role === 'caller' && m.ref === call.ref);
    if (matches) this.end(type);
  }

  error(m) {
    this.cancelledInvites_.delete(m.ref);
    const call = this.call;
    this.log_('warn', 'signaling_error', call?.id, `${m.code}: ${m.message || ''}`);
    if (!call) return;
    const aboutOurInvite = call.role === 'caller' && !call.id && m.ref === call.ref;
    if (m.code === 'unavailable' && aboutOurInvite) this.end('unavailable');
    if (m.code === 'already_in_call' && aboutOurInvite) this.end('self-busy');
    // A resume the daemon could not match: the call ended while we were away.
    if (m.ref === 'resume' && call.connecting &&
        ['unknown_call', 'wrong_state', 'not_allowed'].includes(m.code)) {
      this.end('signaling');
    }
  }

  // The user hangs up: a decline while it rings here, a cancel before the callee answers, a
  // hangup after. A hangup the socket cannot take now goes out after the reconnect.
  hangup() {
    const call = this.call;
    if (!call) return;
    if (call.role === 'callee' && !call.accepted) return this.decline();
    if (call.role === 'caller' && !call.connecting) {
      // Without the call id yet, the ringing that names it gets cancelled.
      if (call.id) this.send_({ type: 'cancel', call_id: call.id });
      else if (call.phase === 'calling') this.cancelledInvites_.add(call.ref);
      return this.end('local-cancel');
    }
    if (call.id && !this.send_({ type: 'hangup', call_id: call.id })) this.pendingHangups_.add(call.id);
    this.end('local-hangup');
  }

  // The tab is closing or reloading: end our side now rather than leave the peer waiting out
  // the daemon's grace period. A call still ringing here may be answered on another tab.
  pageHide() {
    if (this.call && this.call.phase !== 'incoming') this.hangup();
  }

  // After a reconnect: resume the call in progress, deliver hangups the drop swallowed, and
  // give up on calls that were still ringing (the daemon may not know them any more).
  reconnected() {
    for (const id of this.pendingHangups_) {
      this.send_({ type: 'resume', call_id: id, ref: 'resume' });
      this.send_({ type: 'hangup', call_id: id });
    }
    this.pendingHangups_.clear();
    const call = this.call;
    if (!call) return;
    // Past accept the call is active at the daemon, whether or not our peer connection exists
    // yet (it may still be fetching ICE servers): resume it, or the daemon waits out its grace.
    if (call.id && call.connecting) {
      this.send_({ type: 'resume', call_id: call.id, ref: 'resume' });
      this.log_('info', 'call_resume', call.id, `phase ${call.phase}`);
    } else if (call.phase !== 'preparing') {
      if (call.role === 'caller' && call.id) this.send_({ type: 'cancel', call_id: call.id });
      this.end('signaling');
    }
  }

  // Ends the current call here; the page tears down what it set up for it.
  end(reason) {
    const call = this.call;
    if (!call) return;
    this.call = null;
    this.timers_.clear(call.giveUp);
    this.hooks_.end(call, reason);
  }
}

// What to tell the user when `call` ends for `reason`; '' for an ending they caused and see.
export function endText(call, reason) {
  const name = call.peer.display_name;
  if (reason === 'declined-by-me') return '';
  if (call.role === 'callee' && (call.phase === 'incoming' || call.phase === 'preparing')) {
    // This device rang but was not the one that answered or refused.
    if (reason === 'missed') return `Missed call from ${name}.`;
    if (reason === 'cancelled') return `${name} hung up before you answered.`;
    if (reason === 'declined') return `You declined the call from ${name} on another device.`;
  }
  // The media path was cut for good: after the call had connected, or before it ever did.
  if (reason === 'media-lost' && !call.startedAt) return `The call to ${name} could not connect.`;
  return describeCallEnd(reason, name);
}
