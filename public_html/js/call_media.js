// The local side of a call: opening the camera and microphone (or the user's choice of less),
// mute and camera-off, and switching devices mid-call. Part of the call wiring, with
// call_controller.js; the peer connection itself stays in call.js.
import * as ui from './ui.js';
import * as callUi from './ui_call.js';
import { describeMediaError, deviceIdOf, listDevices, openBestMedia, openMedia, stopStream } from './media.js';

// While the camera is off the peer gets this instead: black frames, a few a second, so their
// picture goes black rather than freezing on our last frame.
const kBlackFps = 2;

function blackVideo() {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const paint = () => {
    const g = canvas.getContext('2d');
    g.fillStyle = '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  paint();
  const track = canvas.captureStream(kBlackFps).getVideoTracks()[0];
  const timer = setInterval(paint, 1000 / kBlackFps);  // a canvas only yields frames when painted
  track.addEventListener('ended', () => clearInterval(timer));
  const stop = track.stop.bind(track);
  track.stop = () => {
    clearInterval(timer);
    stop();
  };
  return track;
}

export class LocalMedia {
  // log(level, event, message): to /api/client-log with the call's id.
  constructor(log) {
    this.log_ = log;
    this.stream = null;
    this.state_ = 'opening';  // → 'open' once acquire() settles, 'ended' at stop(); only 'open' takes changes
    this.cameraOff_ = null;  // while the camera is off: {deviceId, black} (the track is stopped)
    this.switches_ = Promise.resolve();  // device changes, one at a time
    this.latestPick_ = { audio: 0, video: 0 };
  }

  // Camera and microphone, or what the user settles for; false when they gave up.
  // stillWanted() says whether the call is still the current one after each wait.
  async acquire(stillWanted) {
    const got = await openBestMedia();
    if (got.error) {
      this.log_('warn', 'getusermedia_failed', `${got.error.name}: ${got.error.message}`);
      const partialLabel = got.mode === 'audio' ? 'Continue with audio only'
                         : got.mode === 'video' ? 'Continue with video only' : null;
      const choice = await callUi.askMediaChoice(describeMediaError(got.error, got.mode), { partialLabel });
      if (choice === 'cancel' || !stillWanted()) {
        stopStream(got.stream);
        return false;
      }
      if (choice === 'none') {
        stopStream(got.stream);
        got.stream = null;
        got.mode = 'none';
      }
    }
    if (!stillWanted()) {
      stopStream(got.stream);
      return false;
    }
    this.stream = got.stream;
    this.state_ = 'open';
    this.showControls_();
    return true;
  }

  tracks_(kind) {
    return this.stream ? this.stream.getTracks().filter((t) => t.kind === kind) : [];
  }

  showControls_() {
    callUi.attachLocal(this.stream);
    callUi.setMuted(this.tracks_('audio')[0]?.enabled === false, this.tracks_('audio').length > 0);
    callUi.setCameraOff(this.cameraOff_ !== null, this.tracks_('video').length > 0 || this.cameraOff_ !== null);
  }

  // Mute keeps the microphone open, disabled: the peer hears silence and unmuting is instant.
  // Camera-off closes the camera (its light goes out) and sends black frames in its place;
  // camera-on opens it again. connectionOf() → the call's connection when the change is made.
  async toggle(kind, connectionOf) {
    if (this.state_ !== 'open') return;
    if (kind === 'audio') {
      const tracks = this.tracks_('audio');
      if (tracks.length === 0) return;
      const enable = !tracks[0].enabled;
      for (const t of tracks) t.enabled = enable;
      callUi.setMuted(!enable);
      ui.announce(enable ? 'Microphone on' : 'Microphone muted');
      return;
    }
    await this.queueSwitch_(() => (this.cameraOff_ ? this.cameraOn_(connectionOf) : this.cameraOffNow_(connectionOf)));
  }

  async cameraOffNow_(connectionOf) {
    const [camera] = this.tracks_('video');
    if (this.state_ !== 'open' || !camera) return;
    const black = blackVideo();
    this.cameraOff_ = { deviceId: camera.getSettings().deviceId || '', black };
    this.stream.removeTrack(camera);
    camera.stop();
    this.showControls_();
    ui.announce('Camera off');
    await connectionOf()?.sendTrack(black, this.stream);
  }

  async cameraOn_(connectionOf) {
    if (this.state_ !== 'open') return;
    const { deviceId, black } = this.cameraOff_;
    const opened = await openMedia({ audio: false, video: true }, { videoId: deviceId });
    if (this.state_ !== 'open') return stopStream(opened.stream);  // the call ended meanwhile
    if (!opened.ok) {
      this.log_('warn', 'camera_reopen_failed', `${opened.error.name}: ${opened.error.message}`);
      ui.announce(describeMediaError(opened.error, 'audio'));
      return;
    }
    const [camera] = opened.stream.getVideoTracks();
    this.cameraOff_ = null;
    this.stream.addTrack(camera);
    this.showControls_();
    ui.announce('Camera on');
    try {
      await connectionOf()?.sendTrack(camera, this.stream);
    } finally {
      black.stop();
    }
  }

  async showDevices() {
    callUi.renderDevices(await listDevices(), {
      videoId: this.cameraOff_?.deviceId || deviceIdOf(this.stream, 'video'),
      audioId: deviceIdOf(this.stream, 'audio'),
    });
  }

  // Device changes wait for each other: two quick picks never leave two tracks of a kind.
  queueSwitch_(step) {
    this.switches_ = this.switches_.then(step).catch((error) => this.log_('warn', 'device_switch_failed', String(error)));
    return this.switches_;
  }

  // Opens the picked device and sends it in place of the one of its kind, or in addition if
  // the call had none (a camera added to an audio-only call). Only the latest pick of a kind
  // is carried out. The old device is closed first: many phones cannot open a second camera.
  pickDevice(kind, deviceId, connectionOf) {
    if (!deviceId || this.state_ !== 'open') return Promise.resolve();
    const pick = ++this.latestPick_[kind];
    return this.queueSwitch_(() => (pick === this.latestPick_[kind] ? this.switchDevice_(kind, deviceId, connectionOf)
                                                                    : undefined));
  }

  async switchDevice_(kind, deviceId, connectionOf) {
    if (this.state_ !== 'open') return;
    if (kind === 'video' && this.cameraOff_) {
      this.cameraOff_.deviceId = deviceId;  // opened when the camera is turned on
      return;
    }
    const old = this.tracks_(kind)[0];
    const oldId = old ? old.getSettings().deviceId : null;
    if (old && oldId === deviceId) return;
    const wanted = { audio: kind === 'audio', video: kind === 'video' };
    const devices = (id) => (kind === 'audio' ? { audioId: id } : { videoId: id });
    if (old) {
      this.stream.removeTrack(old);
      old.stop();
    }
    let opened = await openMedia(wanted, devices(deviceId));
    if (!opened.ok && this.state_ === 'open') {
      this.log_('warn', 'device_switch_failed', `${opened.error.name}: ${opened.error.message}`);
      ui.announce(describeMediaError(opened.error, kind === 'audio' ? 'video' : 'audio'));
      if (oldId) opened = await openMedia(wanted, devices(oldId));  // back to the one we had
    }
    if (this.state_ !== 'open') return stopStream(opened.stream);  // the call ended meanwhile
    if (!opened.ok) {
      this.showControls_();  // nothing of this kind is sent any more
      return;
    }
    const track = opened.stream.getTracks()[0];
    if (old) track.enabled = old.enabled;
    this.stream ||= new MediaStream();  // a receive-only call that starts sending
    this.stream.addTrack(track);
    this.showControls_();
    await connectionOf()?.sendTrack(track, this.stream);
  }

  // Hang-up: the camera and microphone are released at once.
  stop() {
    stopStream(this.stream);
    this.cameraOff_?.black.stop();
    this.cameraOff_ = null;
    this.stream = null;
    this.state_ = 'ended';
  }
}
