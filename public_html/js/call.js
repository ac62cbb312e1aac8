// One RTCPeerConnection and the perfect-negotiation pattern (MDN): the same code on both peers,
// the caller impolite, the callee polite. Trickle ICE, ICE restart when the connection fails or
// stays disconnected. No DOM: the owner gets the remote stream and state through callbacks.
//
// The transport is any object with send(message); signals for this call go to handleSignal().
import { iceMessage } from './messages.js';

// How long 'disconnected' may last before we restart ICE ourselves (it often recovers alone).
const kDisconnectedGraceMs = 4000;

export class CallConnection {
  // polite: true on the callee. localStream may be null: receive-only, or, with sendKinds
  // (['audio', 'video']), a callee that answers before its camera is open and attaches it later
  // (attachLocalStream). The callee adds its tracks when the caller's first offer has been
  // applied, so they ride in the answer and no second round of negotiation is needed.
  // holdAnswer: a callee's connection made while it rings: the caller's offer is applied and
  // candidates gathered ahead (a candidate pool), but nothing is sent until release().
  constructor({ callId, polite, iceServers, iceTransportPolicy = 'all', transport, localStream,
                sendKinds = [], holdAnswer = false, events = {} }) {
    this.callId_ = callId;
    this.polite_ = polite;
    this.transport_ = transport;
    this.events_ = events;
    this.localStream_ = localStream;
    this.sendKinds_ = sendKinds;
    this.held_ = holdAnswer;
    this.offerWaiting_ = false;  // applied while held, to be answered on release()
    this.heldAnswer_ = null;  // that answer, made while held
    this.makingOffer_ = false;
    this.ignoreOffer_ = false;
    this.tracksAdded_ = false;
    this.disconnectTimer_ = null;
    this.queue_ = Promise.resolve();
    this.closed_ = false;
    this.remoteStream_ = new MediaStream();

    const pc = new RTCPeerConnection({
      iceServers: iceServers || [], iceTransportPolicy, iceCandidatePoolSize: holdAnswer ? 1 : 0,
    });
    this.pc_ = pc;
    // A TURN server answering 401 means our credentials are wrong or expired: no relay path.
    pc.onicecandidateerror = (e) => {
      if (e.errorCode === 401 && /^turns?:/.test(e.url || '')) {
        this.events_.onRelayRefused?.(`${e.url}: ${e.errorCode} ${e.errorText || ''}`.trim());
      }
    };
    pc.onnegotiationneeded = () => this.onNegotiationNeeded_();
    pc.onicecandidate = ({ candidate }) => {
      // The end-of-candidates null is not sent: the protocol carries real candidates only.
      if (candidate && candidate.candidate) this.send_(iceMessage(this.callId_, candidate));
    };
    pc.ontrack = ({ track }) => {
      if (!this.remoteStream_.getTracks().includes(track)) this.remoteStream_.addTrack(track);
      this.emit_('onRemoteTrack', this.remoteStream_, track);
    };
    pc.onconnectionstatechange = () => this.emit_('onConnectionState', pc.connectionState);
    pc.oniceconnectionstatechange = () => this.onIceState_();

    if (!polite) {
      this.addLocalTracks_();
    }
  }

  get callId() {
    return this.callId_;
  }

  get polite() {
    return this.polite_;
  }

  get remoteStream() {
    return this.remoteStream_;
  }

  get connectionState() {
    return this.pc_.connectionState;
  }

  emit_(name, ...args) {
    if (this.events_[name]) this.events_[name](...args);
  }

  send_(message) {
    if (!this.closed_) this.transport_.send(message);
  }

  fail_(event, error) {
    this.emit_('onError', event, error && error.message ? error.message : String(error));
  }

  // Local tracks, or receive-only transceivers for the kinds we do not send, so the far side's
  // media always has an m-line to arrive on.
  addLocalTracks_() {
    if (this.tracksAdded_) return;
    this.tracksAdded_ = true;
    const stream = this.localStream_;
    const tracks = stream ? stream.getTracks() : [];
    for (const track of tracks) this.pc_.addTrack(track, stream);
    if (this.polite_ && !stream) {
      // Sending is agreed in the answer now; the tracks come with replaceTrack.
      for (const t of this.pc_.getTransceivers()) {
        if (this.sendKinds_.includes(t.receiver.track.kind)) t.direction = 'sendrecv';
      }
    }
    if (!this.polite_) {
      for (const kind of ['audio', 'video']) {
        if (!tracks.some((t) => t.kind === kind)) this.pc_.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
  }

  onNegotiationNeeded_() {
    if (this.held_) return undefined;  // nothing leaves a connection that has not been answered
    return this.makeOffer_();
  }

  // Accept: the answer to the offer applied while it rang goes out now, with the candidates
  // gathered meanwhile. It was made while ringing, so it is sent before it is applied: applying
  // resolves on this page's main thread, busy at Accept with the call view and the camera, and
  // the caller need not wait for that.
  release() {
    if (!this.held_) return this.queue_;
    this.held_ = false;
    const answer = this.heldAnswer_;
    this.heldAnswer_ = null;
    if (answer && this.offerWaiting_ && !this.closed_ && this.pc_.signalingState === 'have-remote-offer') {
      this.offerWaiting_ = false;
      this.send_({ type: 'sdp', call_id: this.callId_, description: { type: answer.type, sdp: answer.sdp } });
      this.queue_ = this.queue_.then(() => this.pc_.setLocalDescription(answer))
        .catch((error) => this.fail_('negotiation_failed', error));
      return this.queue_;
    }
    this.queue_ = this.queue_.then(async () => {
      if (this.closed_ || !this.offerWaiting_) return;
      this.offerWaiting_ = false;
      try {
        await this.answer_();
      } catch (error) {
        this.fail_('negotiation_failed', error);
      }
    });
    return this.queue_;
  }

  // While held: the answer to the offer is made (not applied, not sent) for release().
  async prepareAnswer_() {
    this.addLocalTracks_();
    this.heldAnswer_ = null;
    const answer = await this.pc_.createAnswer();
    if (this.held_) this.heldAnswer_ = answer;
  }

  async answer_() {
    this.addLocalTracks_();
    await this.pc_.setLocalDescription();
    this.sendDescription_();
  }

  // iceRestart: new ICE credentials, also replacing an offer of ours still unanswered.
  async makeOffer_({ iceRestart = false } = {}) {
    try {
      this.makingOffer_ = true;
      await this.pc_.setLocalDescription(iceRestart ? await this.pc_.createOffer({ iceRestart }) : undefined);
      this.sendDescription_();
    } catch (error) {
      this.fail_('negotiation_failed', error);
    } finally {
      this.makingOffer_ = false;
    }
  }

  sendDescription_() {
    const { type, sdp } = this.pc_.localDescription;
    this.send_({ type: 'sdp', call_id: this.callId_, description: { type, sdp } });
  }

  // sdp and ice messages of this call, in arrival order.
  handleSignal(message) {
    this.queue_ = this.queue_.then(() => {
      if (this.closed_) return undefined;
      if (message.type === 'sdp') return this.onDescription_(message.description);
      if (message.type === 'ice') return this.onCandidate_(message.candidate);
      return undefined;
    });
    return this.queue_;
  }

  async onDescription_(description) {
    try {
      const pc = this.pc_;
      const offerCollision = description.type === 'offer' &&
                             (this.makingOffer_ || pc.signalingState !== 'stable');
      this.ignoreOffer_ = !this.polite_ && offerCollision;
      if (this.ignoreOffer_) return;
      await pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        if (this.held_) {
          this.offerWaiting_ = true;
          await this.prepareAnswer_();
        } else {
          await this.answer_();
        }
      }
    } catch (error) {
      this.fail_('negotiation_failed', error);
    }
  }

  async onCandidate_(candidate) {
    if (!candidate) return;
    try {
      await this.pc_.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoreOffer_) this.fail_('ice_candidate_failed', error);
    }
  }

  onIceState_() {
    const state = this.pc_.iceConnectionState;
    this.emit_('onIceState', state);
    clearTimeout(this.disconnectTimer_);
    this.disconnectTimer_ = null;
    if (state === 'failed') {
      this.restartIce('failed');
    } else if (state === 'disconnected') {
      this.disconnectTimer_ = setTimeout(() => {
        if (this.pc_.iceConnectionState === 'disconnected') this.restartIce('disconnected');
      }, kDisconnectedGraceMs);
    }
  }

  restartIce(why = 'requested') {
    if (this.closed_) return;
    this.emit_('onIceRestart', why);
    // negotiationneeded fires only from 'stable'. An offer still unanswered (lost with a dropped
    // socket, or refused while the peer was away) would never be answered: make a new one now.
    if (this.pc_.signalingState === 'have-local-offer' && !this.makingOffer_) {
      this.makeOffer_({ iceRestart: true });
      return;
    }
    this.pc_.restartIce();  // fires negotiationneeded: a fresh offer with new ICE credentials
  }

  // The callee's camera and microphone, opened while the answer was already on its way: each
  // track takes the sender its kind got in the answer, so nothing is negotiated again. Before
  // the caller's offer came the tracks simply wait for it, like tracks given at construction.
  async attachLocalStream(stream) {
    if (this.closed_ || !stream) return;
    this.localStream_ = stream;
    if (!this.tracksAdded_) return;
    for (const track of stream.getTracks()) {
      const transceiver = this.pc_.getTransceivers().find(
        (t) => t.receiver.track.kind === track.kind && !t.sender.track && t.direction === 'sendrecv');
      // No setStreams: a new stream id would be a renegotiation, and the far side puts every
      // track it gets into one stream anyway.
      if (transceiver) {
        await transceiver.sender.replaceTrack(track);
      } else {
        this.pc_.addTrack(track, stream);  // a kind the offer had no line for: renegotiates
      }
    }
  }

  // Sends `track` (of the media in `stream`) on the line of its kind: in place of the track
  // there (a device change, the camera going off or on) without renegotiating; on a line that
  // so far only received (a camera added to an audio-only call), which renegotiates; or on a
  // new line. Before the caller's offer came, the track waits for it with the stream.
  async sendTrack(track, stream) {
    if (this.closed_) return;
    this.localStream_ = stream;
    if (!this.tracksAdded_) return;
    const lines = this.pc_.getTransceivers().filter((t) => !t.stopped && t.receiver.track.kind === track.kind);
    const line = lines.find((t) => t.sender.track) || lines[0];
    if (!line) {
      this.pc_.addTrack(track, stream);
      return;
    }
    await line.sender.replaceTrack(track);
    if (line.direction === 'recvonly') line.direction = 'sendrecv';
    else if (line.direction === 'inactive') line.direction = 'sendonly';
  }

  async getStats() {
    const report = await this.pc_.getStats();
    return Array.from(report.values());
  }

  // Hang-up: close the connection. The owner of the local stream stops its tracks.
  close() {
    if (this.closed_) return;
    this.closed_ = true;
    clearTimeout(this.disconnectTimer_);
    this.pc_.onnegotiationneeded = null;
    this.pc_.onicecandidate = null;
    this.pc_.ontrack = null;
    this.pc_.onconnectionstatechange = null;
    this.pc_.oniceconnectionstatechange = null;
    this.pc_.close();
    for (const track of this.remoteStream_.getTracks()) track.stop();
  }
}
