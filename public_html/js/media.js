// Camera and microphone: opening them with clear failures, listing devices, switching one.
// No DOM and no RTCPeerConnection here.

const kVideo = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

// kinds: {audio: bool, video: bool}; devices: {audioId, videoId}.
// → {ok: true, stream} or {ok: false, error: {name, message}}.
export async function openMedia(kinds, devices = {}) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return { ok: false, error: { name: 'NotSupportedError', message: 'no media devices in this browser' } };
  }
  const constraints = {
    audio: kinds.audio ? (devices.audioId ? { deviceId: { exact: devices.audioId } } : true) : false,
    video: kinds.video ? (devices.videoId ? { ...kVideo, deviceId: { exact: devices.videoId } } : kVideo)
                       : false,
  };
  try {
    return { ok: true, stream: await navigator.mediaDevices.getUserMedia(constraints) };
  } catch (error) {
    return { ok: false, error: { name: error.name || 'Error', message: error.message || String(error) } };
  }
}

// Camera and microphone if possible; else what is possible, with the reason for the rest.
// → {stream, mode: 'av' | 'audio' | 'video' | 'none', error}
export async function openBestMedia(devices = {}) {
  const both = await openMedia({ audio: true, video: true }, devices);
  if (both.ok) return { stream: both.stream, mode: 'av', error: null };
  const audio = await openMedia({ audio: true, video: false }, devices);
  if (audio.ok) return { stream: audio.stream, mode: 'audio', error: both.error };
  const video = await openMedia({ audio: false, video: true }, devices);
  if (video.ok) return { stream: video.stream, mode: 'video', error: audio.error };
  return { stream: null, mode: 'none', error: both.error };
}

// What to tell the user, by DOMException name.
export function describeMediaError(error, mode) {
  const what = mode === 'audio' ? 'camera' : mode === 'video' ? 'microphone' : 'camera and microphone';
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Access to your ${what} was denied. You can allow it in the browser's site settings, ` +
             'or continue without it.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found. Plug one in, or continue without it.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${what} is in use by another application or could not be started.`;
    case 'NotSupportedError':
      return 'This browser cannot use a camera or microphone here.';
    default:
      return `Your ${what} could not be opened (${error ? error.name : 'unknown error'}).`;
  }
}

export async function listDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return { cameras: [], mics: [] };
  const devices = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind, fallback) => devices
    .filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({ id: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
  return { cameras: pick('videoinput', 'Camera'), mics: pick('audioinput', 'Microphone') };
}

// The device id a live track is using, to preselect it in the pickers.
export function deviceIdOf(stream, kind) {
  const track = stream && stream.getTracks().find((t) => t.kind === kind);
  return track ? track.getSettings().deviceId || '' : '';
}

export function stopStream(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}
