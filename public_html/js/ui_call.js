// DOM only: the call view, the incoming-call overlay and the camera/microphone problem dialog.
import { formatDuration, initialOf } from './text.js';

const $ = (id) => document.getElementById(id);

let restoreFocus = null;

export function bindCall(handlers) {
  $('accept').addEventListener('click', () => handlers.onAccept());
  $('decline').addEventListener('click', () => handlers.onDecline());
  $('hangup').addEventListener('click', () => handlers.onHangup());
  $('mute').addEventListener('click', () => handlers.onToggleMute());
  $('camera').addEventListener('click', () => handlers.onToggleCamera());
  $('settings').addEventListener('click', () => {
    const open = $('devices').hidden;
    $('devices').hidden = !open;
    $('settings').setAttribute('aria-expanded', String(open));
    if (open) handlers.onOpenDevices();
  });
  $('camera-select').addEventListener('change', (e) => handlers.onPickDevice('video', e.target.value));
  $('mic-select').addEventListener('change', (e) => handlers.onPickDevice('audio', e.target.value));
  // The incoming dialog keeps focus inside itself; Escape declines.
  $('incoming').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      handlers.onDecline();
    } else if (event.key === 'Tab') {
      trapFocus(event, [$('decline'), $('accept')]);
    }
  });
  $('tap-to-play').addEventListener('click', playRemote);
  const remote = $('remote-video');
  remote.addEventListener('playing', () => { $('tap-to-play').hidden = true; });
  const showIfFrames = () => { $('remote-placeholder').hidden = remote.videoWidth > 0; };
  remote.addEventListener('resize', showIfFrames);
  remote.addEventListener('loadeddata', showIfFrames);
  remote.addEventListener('emptied', () => { $('remote-placeholder').hidden = false; });
}

function trapFocus(event, order) {
  const i = order.indexOf(document.activeElement);
  const next = event.shiftKey ? (i <= 0 ? order.length - 1 : i - 1) : (i + 1) % order.length;
  event.preventDefault();
  order[next].focus();
}

// While a modal is up, the page behind it can be neither clicked nor reached with Tab.
function setBackgroundInert(inert) {
  for (const node of document.querySelectorAll('body > header, body > main')) node.inert = inert;
}

// caller: {display_name, username}. The username stands beside the name: display names are
// free text that anyone may copy, the username is unique.
export function showIncoming(caller) {
  restoreFocus = document.activeElement;
  setBackgroundInert(true);
  $('incoming-title').textContent = caller.display_name;
  $('incoming-sub').textContent = `@${caller.username} is calling you`;
  $('incoming-initial').textContent = initialOf(caller.display_name);
  $('incoming').hidden = false;
  // The dialog itself takes focus (and is announced), not Accept: an Enter meant for what the
  // user was typing must not answer the call and open the camera. Tab reaches the buttons.
  $('incoming-card').focus();
}

// restore: give focus back to where it was before the call rang. Not when answering: the call
// view takes focus, and focusing into the view being left would lay it out (with its whole
// People list) for nothing, on the way to the call.
export function hideIncoming({ restore = true } = {}) {
  if ($('incoming').hidden) return;
  $('incoming').hidden = true;
  setBackgroundInert(false);
  if (restore && restoreFocus && document.contains(restoreFocus)) restoreFocus.focus();
  restoreFocus = null;
}

export function incomingShown() {
  return !$('incoming').hidden;
}

// phase: 'outgoing' (Cancel instead of Hang up) or 'call'.
export function showCallView(peerName, phase) {
  $('call-peer').textContent = peerName;
  $('remote-label').textContent = peerName;
  $('remote-initial').textContent = initialOf(peerName);
  $('remote-video').setAttribute('aria-label', `Video from ${peerName}`);
  $('remote-placeholder').hidden = false;
  setPhase(phase);
  setTimer(null);
  setQuality(null);
  $('remote-flags').textContent = '';
  $('devices').hidden = true;
  $('settings').setAttribute('aria-expanded', 'false');
}

export function setPhase(phase) {
  const outgoing = phase === 'outgoing';
  $('hangup-label').textContent = outgoing ? 'Cancel' : 'Hang up';
  $('remote-initial').classList.toggle('ringing', outgoing);
  $('hangup').setAttribute('aria-label', outgoing ? 'Cancel call' : 'Hang up');
}

export function focusHangup() {
  $('hangup').focus();
}

export function setCallStatus(text) {
  $('call-status').textContent = text;
}

export function setTimer(seconds) {
  $('call-timer').hidden = seconds === null;
  if (seconds !== null) $('call-timer').textContent = formatDuration(seconds);
}

const kQualityText = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', unknown: 'Measuring…' };

// level: good | fair | poor | unknown, or null to hide; summary from quality.js.
export function setQuality(level, summary) {
  const q = $('quality');
  q.hidden = level === null;
  if (level === null) return;
  q.dataset.level = level;
  $('quality-text').textContent = kQualityText[level];
  if (summary) {
    const parts = [];
    if (summary.rttMs !== null) parts.push(`round trip ${Math.round(summary.rttMs)} ms`);
    if (summary.lossPct !== null) parts.push(`loss ${summary.lossPct.toFixed(1)} %`);
    if (summary.fps !== null) parts.push(`${Math.round(summary.fps)} fps`);
    q.title = parts.join(', ');
    q.setAttribute('aria-label', `${kQualityText[level]}${parts.length ? `: ${parts.join(', ')}` : ''}`);
  }
}

export function attachLocal(stream) {
  const video = $('local-video');
  video.srcObject = stream;
  const hasVideo = !!stream && stream.getVideoTracks().length > 0;
  video.hidden = !hasVideo;
  $('local-flags').textContent = hasVideo ? '' : '(no camera)';
}

// Autoplay normally starts the peer's video; a browser that refuses it without a gesture
// (iOS Safari, strict autoplay policies) gets a button to start it with one.
export function attachRemote(stream) {
  const video = $('remote-video');
  if (video.srcObject !== stream) video.srcObject = stream;
  playRemote();
}

function playRemote() {
  const video = $('remote-video');
  video.play().catch((error) => {
    if (error.name === 'NotAllowedError' && video.srcObject && video.paused) $('tap-to-play').hidden = false;
  });
}

export function clearVideos() {
  $('tap-to-play').hidden = true;
  for (const id of ['local-video', 'remote-video']) {
    const video = $(id);
    video.pause();
    video.srcObject = null;
  }
}

export function setMuted(muted, available = true) {
  $('mute').setAttribute('aria-pressed', String(muted));
  $('mute').querySelector('.ctl-label').textContent = muted ? 'Unmute' : 'Mute';
  $('mute').setAttribute('aria-label', muted ? 'Unmute microphone' : 'Mute microphone');
  $('mute').disabled = !available;
}

export function setCameraOff(off, available = true) {
  $('camera').setAttribute('aria-pressed', String(off));
  $('camera').querySelector('.ctl-label').textContent = off ? 'Camera on' : 'Camera off';
  $('camera').setAttribute('aria-label', off ? 'Turn camera on' : 'Turn camera off');
  $('camera').disabled = !available;
  $('local-video').classList.toggle('off', off);
}

export function renderDevices({ cameras, mics }, selected) {
  fillSelect($('camera-select'), cameras, selected.videoId, 'No camera', 'Camera not in use');
  fillSelect($('mic-select'), mics, selected.audioId, 'No microphone', 'Microphone not in use');
}

// With none of the devices in use, the first entry says so: picking a device is then a change.
function fillSelect(select, devices, selectedId, emptyText, unusedText) {
  const option = (value, text, isSelected) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    o.selected = isSelected;
    return o;
  };
  const options = devices.map((d) => option(d.id, d.label, d.id === selectedId));
  if (devices.length === 0) options.push(option('', emptyText, true));
  else if (!devices.some((d) => d.id === selectedId)) options.unshift(option('', unusedText, true));
  select.replaceChildren(...options);
  select.disabled = devices.length === 0;
}

let closeChoice = null;

// Resolves to 'partial' (continue with what works), 'none' (receive only) or 'cancel'.
export function askMediaChoice(message, { partialLabel = null } = {}) {
  const dialog = $('media-problem');
  $('media-problem-text').textContent = message;
  const partial = $('media-audio-only');
  partial.hidden = !partialLabel;
  if (partialLabel) partial.textContent = partialLabel;
  dialog.hidden = false;
  setBackgroundInert(true);
  (partialLabel ? partial : $('media-receive-only')).focus();
  return new Promise((resolve) => {
    const finish = (choice) => {
      closeChoice = null;
      dialog.hidden = true;
      setBackgroundInert(false);
      for (const [id, fn] of handlers) $(id).removeEventListener('click', fn);
      dialog.removeEventListener('keydown', onKey);
      resolve(choice);
    };
    const handlers = [
      ['media-audio-only', () => finish('partial')],
      ['media-receive-only', () => finish('none')],
      ['media-give-up', () => finish('cancel')],
    ];
    const onKey = (event) => {
      if (event.key === 'Escape') finish('cancel');
    };
    for (const [id, fn] of handlers) $(id).addEventListener('click', fn);
    dialog.addEventListener('keydown', onKey);
    closeChoice = () => finish('cancel');
  });
}

// The call ended while the question was open: the question goes away with it.
export function closeMediaChoice() {
  if (closeChoice) closeChoice();
}

export function setRemoteFlags(text) {
  $('remote-flags').textContent = text;
}
