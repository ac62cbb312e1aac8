// Wiring for the current call: the flow (call_flow.js) decides, and this file does what it
// decides with the views, the tones, the camera and the peer connection. main.js owns the app.
import * as ui from './ui.js';
import * as callUi from './ui_call.js';
import { CallConnection } from './call.js';
import { CallFlow, endText, kFaultEndings, kRefusals } from './call_flow.js';
import { CallStats } from './call_stats.js';
import { Tones, TitleFlasher, notifyIncoming } from './alerts.js';
import { LocalMedia } from './call_media.js';
import { clientLog } from './client_log.js';

const kRelayRefusedText = 'The relay server refused this call’s credentials, so it cannot connect.';

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
    this.flow_ = new CallFlow({
      send: (message) => signaling.send(message),
      log: clientLog,
      hooks: this.hooks_(),
    });

    const flow = this.flow_;
    signaling.on('ringing', (m) => flow.ringing(m));
    signaling.on('incoming', (m) => flow.incoming(m));
    signaling.on('accepted', (m) => flow.accepted(m));
    for (const type of kRefusals) signaling.on(type, (m) => flow.refused(type, m));
    signaling.on('ended', (m) => flow.ended(m));
    signaling.on('sdp', (m) => flow.signal(m));
    signaling.on('ice', (m) => flow.signal(m));
    signaling.on('error', (m) => flow.error(m));
    signaling.on('glare', (m) => flow.glare(m));
    signaling.on('resumed', (m) => flow.resumed(m));
    signaling.on('peer-resumed', (m) => flow.peerResumed(m));
    // Media flows peer to peer while the server is away; say so instead of looking frozen.
    signaling.on('state', (s) => {
      if (s === 'reconnecting' && flow.call?.connecting) {
        callUi.setCallStatus('Reconnecting to the server… the call goes on');
      }
    });

    // Media changes wait for each other; each reaches the connection the call has by then.
    const withMedia = (fn) => {
      const call = flow.call;
      if (call?.media) fn(call.media, () => call.connection);
    };
    callUi.bindCall({
      onAccept: () => this.accept(),
      onDecline: () => flow.decline(),
      onHangup: () => flow.hangup(),
      onToggleMute: () => withMedia((media) => media.toggle('audio')),
      onToggleCamera: () => withMedia((media, connectionOf) => media.toggle('video', connectionOf)),
      onOpenDevices: () => withMedia((media) => media.showDevices()),
      onPickDevice: (kind, id) => withMedia((media, connectionOf) => media.pickDevice(kind, id, connectionOf)),
    });
  }

  get busy() {
    return this.flow_.call !== null;
  }

  // Any user gesture lets the tones play later, when a call comes in unasked.
  unlockAudio() {
    this.tones_.unlock();
  }

  hangup() {
    this.flow_.hangup();
  }

  onPageHide() {
    this.flow_.pageHide();
  }

  onReconnected() {
    this.flow_.reconnected();
  }

  async startCall(userId) {
    const peer = this.findUser_(userId);
    const call = peer && this.flow_.start(peer);
    if (!call) return;
    this.tones_.unlock();
    this.attachMedia_(call);
    ui.showView('call');
    callUi.showCallView(peer.display_name, 'outgoing');
    callUi.setCallStatus('Starting camera…');
    callUi.focusHangup();
    this.flow_.mediaReady(call, await call.media.acquire(() => this.flow_.call === call));
  }

  // Accept and answer at once (the caller's offer came while it rang), and open the camera
  // meanwhile: the caller's media flows before ours is ready, and ours joins the call with
  // replaceTrack when it is.
  async accept() {
    const call = this.flow_.accept();
    if (!call) return;
    const ok = await call.media.acquire(() => this.flow_.call === call);
    if (this.flow_.call !== call) return;
    if (!ok) return this.flow_.hangup();
    await call.connectionReady;
    if (this.flow_.call === call) call.connection?.attachLocalStream(call.media.stream);
  }

  attachMedia_(call) {
    call.media = new LocalMedia((level, event, message) => clientLog(level, event, call.id, message));
  }

  // What the flow's decisions mean on this page.
  hooks_() {
    return {
      calling: (call) => {
        callUi.setCallStatus(`Calling ${call.peer.display_name}…`);
        ui.announce(`Calling ${call.peer.display_name}`);
      },
      ringing: (call) => {
        callUi.setCallStatus('Ringing…');
        ui.announce(`Ringing ${call.peer.display_name}`);
        this.tones_.start('ringback');
      },
      incoming: (call) => {
        const name = call.peer.display_name;
        this.attachMedia_(call);
        callUi.showIncoming(call.peer);
        ui.announce(`Incoming call from ${name}, username ${call.peer.username}`);
        this.tones_.start('ringtone');
        this.title_.start(`📞 ${name} is calling`);
        call.closeNotification = notifyIncoming(call.id, call.peer, () => callUi.showIncoming(call.peer));
      },
      stopRinging: (call) => this.stopRinging_(call),
      // Focus moves in the next task: focusing lays the page out at once (the home view and its
      // People list leaving it), and the answer should be on its way first.
      accepting: (call) => {
        ui.showView('call');
        callUi.showCallView(call.peer.display_name, 'call');
        this.stopRinging_(call, { restoreFocus: false });
        setTimeout(() => callUi.focusHangup(), 0);
      },
      answered: () => {
        this.tones_.stop();
        callUi.setPhase('call');
      },
      prepare: (call, { polite, holdAnswer }) => this.prepareConnection_(call, polite, holdAnswer),
      connect: (call, polite) => {
        callUi.setCallStatus(call.relayRefused ? kRelayRefusedText : 'Connecting…');
        this.prepareConnection_(call, polite, false).then(() => call.connection?.release());
      },
      // sdp and ice that arrive while the connection is still being set up wait for it.
      signal: (call, m) => {
        if (call.connection) call.connection.handleSignal(m);
        else (call.early ||= []).push(m);
      },
      // The impolite side restarts ICE: candidates or an offer the outage swallowed are sent
      // again, while media keeps flowing on the old path until the new one is chosen.
      bothBack: (call) => {
        callUi.setCallStatus(call.connection?.connectionState === 'connected' ? 'Connected' : 'Connecting…');
        if (call.connection && !call.connection.polite) call.connection.restartIce('resumed');
      },
      waitingForPeer: (call) => callUi.setCallStatus(`Waiting for ${call.peer.display_name}…`),
      end: (call, reason) => this.tearDown_(call, reason),
    };
  }

  stopRinging_(call, { restoreFocus = true } = {}) {
    this.tones_.stop();
    this.title_.stop();
    if (call.closeNotification) call.closeNotification();
    callUi.hideIncoming({ restore: restoreFocus });
  }

  // The call's peer connection, made once, while it rings: the caller's sends its offer, the
  // callee's (holdAnswer) waits for Accept.
  prepareConnection_(call, polite, holdAnswer) {
    call.connectionReady ||= this.makeConnection_(call, polite, holdAnswer);
    return call.connectionReady;
  }

  async makeConnection_(call, polite, holdAnswer) {
    const ice = await this.iceServers_.get();
    if (this.flow_.call !== call) return;
    if (!ice.ok) clientLog('warn', 'ice_servers_unavailable', call.id, 'calling relay-only without servers');
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
    call.stats = new CallStats({
      getStats: () => call.connection.getStats(),
      onQuality: (level, summary) => callUi.setQuality(level, summary),
    });
    for (const m of call.early || []) call.connection.handleSignal(m);
    call.early = null;
  }

  onConnectionState_(call, state) {
    if (this.flow_.call !== call) return;
    const firstConnected = this.flow_.mediaState(call, state);
    if (state === 'connected') {
      if (firstConnected) {
        call.clock = setInterval(() => callUi.setTimer((Date.now() - call.startedAt) / 1000), 1000);
        call.stats.start();
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

  // The call ended here: tones, timers, connection, camera; then what to tell the user.
  tearDown_(call, reason) {
    this.stopRinging_(call);
    callUi.closeMediaChoice();
    clearInterval(call.clock);
    const connection = call.connection;
    if (connection && !call.connecting) {
      call.stats.stop();
      connection.close();  // made while it rang, never answered: no quality to report
    } else if (connection) {
      const seconds = call.startedAt ? (Date.now() - call.startedAt) / 1000 : 0;
      // One last sample for the summary, then close: getStats answers within milliseconds.
      call.stats.finish(seconds).then((report) => {
        connection.close();
        clientLog('info', 'call_quality', call.id, `ended: ${reason}`, report);
      });
    }
    call.media.stop();
    callUi.clearVideos();
    const text = endText(call, reason);
    if (text) {
      ui.showBanner(text, kFaultEndings.has(reason) ? 'error' : 'info');
      ui.announce(text);
    }
    this.onIdle_(call);
  }
}
