// The local side of a call: opening the camera and microphone (or the user's choice of less),
// mute and camera-off, and switching devices mid-call. Part of the call wiring, with
// call_controller.js; the peer connection itself stays in call.js.
import * as ui from './ui.js';
import * as callUi from './ui_call.js';
import { describeMediaError, deviceIdOf, listDevices, openBestMedia, openMedia, stopStream } from './media.js';

export class LocalMedia {
  // log(level, event, message): to /api/client-log with the call's id.
  constructor(log) {
    this.log_ = log;
    this.stream = null;
    this.mode = 'none';
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
    this.mode = got.mode;
    callUi.attachLocal(this.stream);
    callUi.setMuted(false, this.tracks_('audio').length > 0);
    callUi.setCameraOff(false, this.tracks_('video').length > 0);
    return true;
  }

  tracks_(kind) {
    return this.stream ? this.stream.getTracks().filter((t) => t.kind === kind) : [];
  }

  // Mute / camera-off: the track stays, disabled, so the peer gets silence or black frames
  // and turning it back on needs no renegotiation.
  toggle(kind) {
    const tracks = this.tracks_(kind);
    if (tracks.length === 0) return;
    const enable = !tracks[0].enabled;
    for (const t of tracks) t.enabled = enable;
    if (kind === 'audio') {
      callUi.setMuted(!enable);
      ui.announce(enable ? 'Microphone on' : 'Microphone muted');
    } else {
      callUi.setCameraOff(!enable);
      ui.announce(enable ? 'Camera on' : 'Camera off');
    }
  }

  async showDevices() {
    callUi.renderDevices(await listDevices(), {
      videoId: deviceIdOf(this.stream, 'video'),
      audioId: deviceIdOf(this.stream, 'audio'),
    });
  }

  // Opens the picked device and swaps it into the stream and the connection's sender.
  async pickDevice(kind, deviceId, connection) {
    if (!this.stream || !deviceId) return;
    const old = this.tracks_(kind)[0];
    const opened = await openMedia({ audio: kind === 'audio', video: kind === 'video' },
                                   kind === 'audio' ? { audioId: deviceId } : { videoId: deviceId });
    if (!opened.ok) {
      this.log_('warn', 'device_switch_failed', `${opened.error.name}: ${opened.error.message}`);
      ui.announce(describeMediaError(opened.error, kind === 'audio' ? 'video' : 'audio'));
      return;
    }
    if (!this.stream) {  // the call ended while the device opened
      stopStream(opened.stream);
      return;
    }
    const track = opened.stream.getTracks()[0];
    if (old) {
      track.enabled = old.enabled;
      this.stream.removeTrack(old);
      old.stop();
    }
    this.stream.addTrack(track);
    if (connection) await connection.replaceTrack(kind, track);
    callUi.attachLocal(this.stream);
  }

  // Hang-up: the camera and microphone are released at once.
  stop() {
    stopStream(this.stream);
    this.stream = null;
  }
}
