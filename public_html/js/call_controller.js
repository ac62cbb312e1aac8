// The call flow: signaling messages, the user's buttons, media, the peer connection and the
// alerts meet here. It owns "the current call" and nothing else; main.js owns the app.
import * as api from './api.js';
import * as ui from './ui.js';
import * as callUi from './ui_call.js';
import { CallConnection } from './call.js';
import { Tones, TitleFlasher, notifyIncoming } from './alerts.js';
import { LocalMedia } from './call_media.js';
import { QualityRecorder, intervalLossPct, qualityLevel, summarizeStats } from './quality.js';
import { describeCallEnd } from './text.js';

const kStatsIntervalMs = 2000;
const kRelayRefusedText = 'The relay server refused this call’s credentials, so it cannot connect.';
export function clientLog(level, event, callId, message, stats) {
  const entry = { level, event };
  if (callId) entry.call_id = callId;
  if (message) entry.message = String(message).slice(0, 1000);
  if (stats) entry.stats = stats;
  api.clientLog(entry);
}

export class CallController {
  // signaling: the Signaling object; iceServers: the user's IceServers; findUser(id) → user
  // or null; onIdle(): the call is over.
  constructor({ signaling, iceServers, findUser, onIdle }) {
    this.signaling_ = signaling;
    this.iceServers_ = iceServers;
    this.findUser_ = findUser;
    this.onIdle_ = onIdle;
    this.tones_ = new Tones();
    this.title_ = new TitleFlasher();
    this.call_ = null;
    this.pendingHangups_ = new Set();  // hangups that could not be sent while disconnected
    this.cancelledInvites_ = new Set();  // refs of invites cancelled before their ringing came
    this.invites_ = 0;

    const on = (type, fn) => signaling.on(type, (m) => fn.call(this, m));
    on('ringing', this.onRinging_);
    on('incoming', this.onIncoming_);
    on('accepted', this.onAccepted_);
    for (const type of ['declined', 'cancelled', 'missed', 'busy', 'answered-elsewhere']) {
      on(type, (m) => this.onRefused_(type, m));
    }
    on('ended', (m) => this.ifCurrent_(m, () => this.end_(m.reason || 'hangup')));
    on('sdp', (m) => this.ifCurrent_(m, () => this.relay_(m)));
    on('ice', (m) => this.ifCurrent_(m, () => this.relay_(m)));
    on('error', this.onError_);
    on('glare', this.onGlare_);
    on('resumed', this.onResumed_);
    on('peer-resumed', (m) => this.ifCurrent_(m, () => this.bothBack_()));
    // Media flows peer to peer while the server is away; say so instead of looking frozen.
    signaling.on('state', (s) => {
      if (s === 'reconnecting' && this.call_?.connecting) {
        callUi.setCallStatus('Reconnecting to the server… the call goes on');
      }
    });

    callUi.bindCall({
      onAccept: () => this.accept(),
      onDecline: () => this.decline(),
      onHangup: () => this.hangup(),
      onToggleMute: () => this.call_?.media.toggle('audio'),
      onToggleCamera: () => this.call_?.media.toggle('video'),
      onOpenDevices: () => this.call_?.media.showDevices(),
      onPickDevice: (kind, id) => this.call_?.media.pickDevice(kind, id, this.call_.connection),
    });
  }

  get busy() {
    return this.call_ !== null;
  }

  // Any user gesture lets the tones play later, when a call comes in unasked.
  unlockAudio() {
    this.tones_.unlock();
  }

  ifCurrent_(message, fn) {
    if (this.call_ && this.call_.id && this.call_.id === message.call_id) fn();
  }

  newCall_(fields) {
    const call = { ...fields };
    call.media = new LocalMedia((level, event, message) => clientLog(level, event, call.id, message));
    return call;
  }

  // sdp and ice that arrive while the connection is still being set up wait for it.
  relay_(message) {
    const call = this.call_;
    if (call.connection) call.connection.handleSignal(message);
    else (call.early ||= []).push(message);
  }

  // ---- outgoing ----

  async startCall(userId) {
    if (this.call_) return;
    const peer = this.findUser_(userId);
    if (!peer) return;
    this.tones_.unlock();
    // The daemon echoes ref in ringing, busy and errors: each answer finds its own invite.
    const ref = `invite-${Date.now().toString(36)}-${++this.invites_}`;
    const call = this.call_ = this.newCall_({ role: 'caller', id: null, ref, peer, phase: 'preparing' });
    ui.showView('call');
    callUi.showCallView(peer.display_name, 'outgoing');
    callUi.setCallStatus('Starting camera…');
    callUi.focusHangup();
    const ok = await call.media.acquire(() => this.call_ === call);
    if (this.call_ !== call) return;
    if (!ok) return call.role === 'callee' ? this.decline() : this.end_('local-cancel');
    if (call.role === 'callee') return this.answer_(call);
    call.phase = 'calling';
    callUi.setCallStatus(`Calling ${peer.display_name}…`);
    ui.announce(`Calling ${peer.display_name}`);
    if (!this.signaling_.send({ type: 'invite', to: peer.id, ref })) this.end_('signaling');
  }

  onRinging_(m) {
    if (this.cancelledInvites_.delete(m.ref)) {
      // The user cancelled before the server told us the call id.
      this.signaling_.send({ type: 'cancel', call_id: m.call_id });
      return;
    }
    const call = this.call_;
    if (!call || call.role !== 'caller' || call.ref !== m.ref || (call.id && call.id !== m.call_id)) return;
    call.id = m.call_id;
    call.phase = 'ringing';
    callUi.setCallStatus('Ringing…');
    ui.announce(`Ringing ${call.peer.display_name}`);
    this.tones_.start('ringback');
    // The offer and our candidates go out while it rings (the daemon gives them to the ringing
    // devices), so the callee answers the moment they accept.
    this.prepareConnection_(call, false);
  }

  // To both parties once the call is active; the callee is normally connecting already.
  onAccepted_(m) {
    const call = this.call_;
    if (!call || call.id !== m.call_id || call.connecting) return;
    this.tones_.stop();
    callUi.setPhase('call');
    this.connect_(call, call.role === 'callee');
  }

  // We invited the peer while they invited us. The daemon keeps the call that rang first: if
  // it is ours we stay its caller; if it is theirs we carry on as its callee (polite). Either
  // way an accepted follows.
  onGlare_(m) {
    const call = this.call_;
    if (!call || call.role !== 'caller' || call.peer.id !== m.peer_id) return;
    this.tones_.stop();
    if (call.id === m.call_id) return;
    call.id = m.call_id;
    call.role = 'callee';
    call.accepted = true;  // the daemon accepted it for us, from our inviting connection
    clientLog('info', 'call_glare', m.call_id, 'invites crossed; continuing as callee');
  }

  // After a reconnect each side learns once that both are back: from `resumed` (the peer was
  // already there) or from `peer-resumed` (the peer came second).
  onResumed_(m) {
    this.ifCurrent_(m, () => {
      if (m.peer_connected) this.bothBack_();
      else callUi.setCallStatus(`Waiting for ${this.call_.peer.display_name}…`);
    });
  }

  // The impolite side restarts ICE: candidates or an offer the outage swallowed are sent
  // again, while media keeps flowing on the old path until the new one is chosen.
  bothBack_() {
    const call = this.call_;
    callUi.setCallStatus(call.connection?.connectionState === 'connected' ? 'Connected' : 'Connecting…');
    if (call.connection && !call.connection.polite) call.connection.restartIce('resumed');
  }

  // ---- incoming ----

  onIncoming_(m) {
    const current = this.call_;
    if (current && current.role === 'caller' && !current.id && current.phase === 'preparing' &&
        current.peer.id === m.caller.id) {
      // They called us while we were still opening the camera to call them: answer their call
      // instead of sending a second invite (the daemon would only have to resolve the glare).
      current.id = m.call_id;
      current.role = 'callee';
      clientLog('info', 'call_crossed', m.call_id, 'peer called first; answering their call');
      return;
    }
    if (current) return;  // the server answers busy for us; a second ring would be noise
    const peer = m.caller;
    const call = this.call_ = this.newCall_({ role: 'callee', id: m.call_id, peer, phase: 'incoming' });
    callUi.showIncoming(peer.display_name);
    ui.announce(`Incoming call from ${peer.display_name}`);
    this.tones_.start('ringtone');
    this.title_.start(`📞 ${peer.display_name} is calling`);
    call.closeNotification = notifyIncoming(call.id, peer.display_name, () => callUi.showIncoming(peer.display_name));
    // Ready before Accept: the caller's offer is applied as it comes, candidates are gathered,
    // and nothing is sent (no answer, no address) until the user accepts here.
    this.prepareConnection_(call, true, { holdAnswer: true });
  }

  stopRinging_(call) {
    this.tones_.stop();
    this.title_.stop();
    if (call && call.closeNotification) call.closeNotification();
    callUi.hideIncoming();
  }

  // Accept and answer at once (the caller's offer came while it rang), and open the camera
  // meanwhile: the caller's media flows before ours is ready, and ours joins the call with
  // replaceTrack when it is.
  async accept() {
    const call = this.call_;
    if (!call || call.phase !== 'incoming') return;
    this.stopRinging_(call);
    ui.showView('call');
    callUi.showCallView(call.peer.display_name, 'call');
    callUi.focusHangup();
    if (!this.answer_(call)) return;
    const ok = await call.media.acquire(() => this.call_ === call);
    if (this.call_ !== call) return;
    if (!ok) return this.hangup();
    await call.connectionReady;
    if (this.call_ === call) call.connection?.attachLocalStream(call.media.stream);
  }

  // Accepts the ringing call from this connection and answers the caller's offer.
  answer_(call) {
    if (!this.signaling_.send({ type: 'accept', call_id: call.id })) {
      this.end_('signaling');
      return false;
    }
    call.accepted = true;
    callUi.setPhase('call');
    this.connect_(call, true);
    return true;
  }

  decline() {
    const call = this.call_;
    if (!call || call.role !== 'callee' || call.accepted) return;
    this.signaling_.send({ type: 'decline', call_id: call.id });
    this.end_('declined-by-me');
  }

  onRefused_(type, m) {
    if (type === 'busy') this.cancelledInvites_.delete(m.ref);
    const call = this.call_;
    if (!call) return;
    // busy comes before the caller knows the call id: it names the invite by its ref.
    const matches = call.id ? call.id === m.call_id
                            : (type === 'busy' && call.role === 'caller' && m.ref === call.ref);
    if (matches) this.end_(type);
  }

  onError_(m) {
    this.cancelledInvites_.delete(m.ref);
    const call = this.call_;
    clientLog('warn', 'signaling_error', call?.id, `${m.code}: ${m.message || ''}`);
    if (!call) return;
    const aboutOurInvite = call.role === 'caller' && !call.id && m.ref === call.ref;
    if (m.code === 'unavailable' && aboutOurInvite) this.end_('unavailable');
    if (m.code === 'already_in_call' && aboutOurInvite) this.end_('self-busy');
    // A resume the daemon could not match: the call ended while we were away.
    if (m.ref === 'resume' && call.connecting &&
        ['unknown_call', 'wrong_state', 'not_allowed'].includes(m.code)) {
      this.end_('signaling');
    }
  }

  // ---- media and connection ----

  // Past accept: the call's connection is (being) set up.
  connect_(call, polite) {
    call.connecting = true;
    call.phase = 'connecting';
    callUi.setCallStatus(call.relayRefused ? kRelayRefusedText : 'Connecting…');
    return this.prepareConnection_(call, polite).then(() => call.connection?.release());
  }

  // The call's peer connection, made once, while it rings: the caller's sends its offer, the
  // callee's (holdAnswer) waits for Accept.
  prepareConnection_(call, polite, { holdAnswer = false } = {}) {
    call.connectionReady ||= this.makeConnection_(call, polite, holdAnswer);
    return call.connectionReady;
  }

  async makeConnection_(call, polite, holdAnswer) {
    const ice = await this.iceServers_.get();
    if (this.call_ !== call) return;
    if (!ice.ok) clientLog('warn', 'ice_servers_unavailable', call.id, 'calling relay-only without servers');
    call.recorder = new QualityRecorder();
    call.connection = new CallConnection({
      callId: call.id,
      polite,
      iceServers: ice.servers,
      iceTransportPolicy: ice.policy,
      localStream: call.media.stream,
      sendKinds: call.media.stream ? [] : ['audio', 'video'],
      holdAnswer,
      transport: { send: (message) => this.signaling_.send(message) },
      events: {
        onRemoteTrack: (stream) => callUi.attachRemote(stream),
        onConnectionState: (state) => this.onConnectionState_(call, state),
        onError: (event, message) => clientLog('error', event, call.id, message),
        onIceRestart: (why) => clientLog('warn', 'ice_restart', call.id, why),
        onRelayRefused: (detail) => {
          // The caller's connection gathers while it rings: the call view says so once answered.
          call.relayRefused = true;
          if (call.connecting) callUi.setCallStatus(kRelayRefusedText);
          clientLog('error', 'turn_refused', call.id, detail);
        },
      },
    });
    for (const m of call.early || []) call.connection.handleSignal(m);
    call.early = null;
  }

  onConnectionState_(call, state) {
    if (this.call_ !== call) return;
    if (state === 'connected') {
      if (call.phase !== 'active') {
        call.phase = 'active';
        call.startedAt = Date.now();
        call.clock = setInterval(() => callUi.setTimer((Date.now() - call.startedAt) / 1000), 1000);
        call.statsTimer = setInterval(() => this.sampleStats_(call), kStatsIntervalMs);
        callUi.setTimer(0);
        callUi.setQuality('unknown');
        ui.announce(`Connected to ${call.peer.display_name}`);
      }
      callUi.setCallStatus('Connected');
    } else if (state === 'disconnected' || state === 'failed') {
      callUi.setCallStatus('Connection interrupted, reconnecting…');
      if (state === 'failed') clientLog('error', 'ice_failed', call.id, 'peer connection failed');
    }
  }

  async sampleStats_(call) {
    if (!call.connection || this.call_ !== call) return;
    let summary;
    try {
      summary = summarizeStats(await call.connection.getStats());
    } catch {
      return;
    }
    const lossPct = intervalLossPct(call.lastSummary, summary);
    call.lastSummary = summary;
    call.recorder.add(summary);
    if (this.call_ === call) callUi.setQuality(qualityLevel({ rttMs: summary.rttMs, lossPct }), { ...summary, lossPct });
  }

  // ---- ending ----

  hangup() {
    const call = this.call_;
    if (!call) return;
    if (call.role === 'callee' && !call.accepted) return this.decline();
    if (call.role === 'caller' && !call.connecting) {
      // Not answered yet: a cancel. Without the call id yet, the next ringing gets cancelled.
      if (call.id) this.signaling_.send({ type: 'cancel', call_id: call.id });
      else if (call.phase === 'calling') this.cancelledInvites_.add(call.ref);
      return this.end_('local-cancel');
    }
    if (call.id && !this.signaling_.send({ type: 'hangup', call_id: call.id })) {
      this.pendingHangups_.add(call.id);
    }
    this.end_('local-hangup');
  }

  // The tab is closing or reloading: end our side now rather than leave the peer waiting out
  // the daemon's grace period. A call still ringing here may be answered on another tab.
  onPageHide() {
    if (this.call_ && this.call_.phase !== 'incoming') this.hangup();
  }

  // After a reconnect: resume the call in progress, deliver hangups the drop swallowed, and
  // give up on calls that were still ringing (the daemon may not know them any more).
  onReconnected() {
    for (const id of this.pendingHangups_) {
      this.signaling_.send({ type: 'resume', call_id: id, ref: 'resume' });
      this.signaling_.send({ type: 'hangup', call_id: id });
    }
    this.pendingHangups_.clear();
    const call = this.call_;
    if (!call) return;
    // Past accept the call is active at the daemon, whether or not our peer connection exists
    // yet (it may still be fetching ICE servers): resume it, or the daemon waits out its grace.
    if (call.id && call.connecting) {
      this.signaling_.send({ type: 'resume', call_id: call.id, ref: 'resume' });
      clientLog('info', 'call_resume', call.id, `phase ${call.phase}`);
    } else if (call.phase !== 'preparing') {
      if (call.role === 'caller' && call.id) this.signaling_.send({ type: 'cancel', call_id: call.id });
      this.end_('signaling');
    }
  }

  // What to tell the user when a call ends; '' for an ending they caused and already see.
  endText_(call, reason) {
    const name = call.peer.display_name;
    if (reason === 'declined-by-me') return '';
    if (call.role === 'callee' && (call.phase === 'incoming' || call.phase === 'preparing')) {
      // This device rang but was not the one that answered or refused.
      if (reason === 'missed') return `Missed call from ${name}.`;
      if (reason === 'cancelled') return `${name} hung up before you answered.`;
      if (reason === 'declined') return `You declined the call from ${name} on another device.`;
    }
    return describeCallEnd(reason, name);
  }

  // Ends the current call locally: tones, timers, connection, camera. reason picks the message.
  end_(reason) {
    const call = this.call_;
    if (!call) return;
    this.call_ = null;
    this.stopRinging_(call);
    callUi.closeMediaChoice();
    clearInterval(call.clock);
    clearInterval(call.statsTimer);
    const connection = call.connection;
    if (connection && !call.connecting) {
      connection.close();  // made while it rang, never answered: no quality to report
    } else if (connection) {
      const seconds = call.startedAt ? (Date.now() - call.startedAt) / 1000 : 0;
      // One last sample for the summary, then close: getStats answers within milliseconds.
      connection.getStats()
        .then((reports) => call.recorder.add(summarizeStats(reports)))
        .catch(() => {})
        .finally(() => {
          connection.close();
          clientLog('info', 'call_quality', call.id, `ended: ${reason}`, call.recorder.report(seconds));
        });
    }
    call.media.stop();
    callUi.clearVideos();
    const text = this.endText_(call, reason);
    if (text) {
      ui.showBanner(text, ['busy', 'unavailable', 'signaling', 'media', 'peer-gone', 'self-busy'].includes(reason) ? 'error' : 'info');
      ui.announce(text);
    }
    this.onIdle_(call);
  }
}
