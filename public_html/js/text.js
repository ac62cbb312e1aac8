// User-facing wording for server refusals, call outcomes and durations. Pure functions only.

const kAuthMessages = {
  username_taken: 'That username is taken. Try another one.',
  invalid_username: 'Usernames are 3–32 characters: letters, digits, “_”, “.” or “-”.',
  invalid_password: 'The password must be 15 to 128 characters long.',
  invalid_display_name: 'The display name must be 1–64 characters of ordinary text.',
  invalid_credentials: 'Wrong username or password.',
  missing_field: 'Please fill in every required field.',
  network_error: 'Cannot reach the server. Check your connection and try again.',
  service_unavailable: 'The service is temporarily unavailable. Try again in a moment.',
};

export function describeAuthError(error) {
  if (!error) return '';
  if (error.code === 'too_many_attempts') {
    const wait = error.retryAfter;
    return wait
      ? `Too many attempts. Try again in ${formatWait(wait)}.`
      : 'Too many attempts. Try again in a little while.';
  }
  return kAuthMessages[error.code] || error.message || 'Something went wrong. Please try again.';
}

// Why a search of the People panel gave nothing, in words; the panel shows it until the next
// answer.
export function describeSearchError(error) {
  if (error?.code === 'too_many_attempts') return 'Searching too fast. Wait a moment and type again.';
  if (error?.code === 'network_error') return 'Cannot reach the server to search. Check your connection.';
  if (error?.code === 'invalid_query') return 'Type at least two letters of a name or username.';
  return 'The search failed. Please try again.';
}

function formatWait(seconds) {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

// What the caller sees when a call ends before or after it started.
export function describeCallEnd(reason, peerName) {
  switch (reason) {
    case 'declined': return `${peerName} declined the call.`;
    case 'busy': return `${peerName} is busy in another call.`;
    case 'self-busy': return 'You are already in a call on another tab or device.';
    case 'missed': return `${peerName} did not answer.`;
    case 'unavailable': return `${peerName} is offline.`;
    case 'cancelled': return `${peerName} cancelled the call.`;
    case 'answered-elsewhere': return 'You answered on another device.';
    case 'peer-gone': return `The connection to ${peerName} was lost.`;
    case 'media-lost': return `The connection to ${peerName} could not be restored, so the call ended.`;
    case 'hangup': return `Call with ${peerName} ended.`;
    case 'local-hangup': return `Call with ${peerName} ended.`;
    case 'local-cancel': return 'Call cancelled.';
    case 'media': return 'The call could not start: no camera or microphone.';
    case 'signaling': return 'Lost the connection to the server; the call ended.';
    default: return `Call with ${peerName} ended.`;
  }
}

const kOutcomes = {
  ended: ['Completed', 'good'],
  completed: ['Completed', 'good'],
  accepted: ['In progress', 'good'],
  answered: ['Completed', 'good'],
  declined: ['Declined', 'bad'],
  cancelled: ['Cancelled', 'neutral'],
  missed: ['Missed', 'bad'],
  busy: ['Busy', 'bad'],
  failed: ['Failed', 'bad'],
  ongoing: ['In progress', 'good'],
  ringing: ['Ringing', 'neutral'],
  active: ['In progress', 'good'],
};

// [label, kind] for a call-history outcome; unknown outcomes are shown as sent.
export function describeOutcome(outcome) {
  if (kOutcomes[outcome]) return kOutcomes[outcome];
  const text = String(outcome || 'unknown').replace(/[-_]/g, ' ');
  return [text.charAt(0).toUpperCase() + text.slice(1), 'neutral'];
}

// 75 → "1:15", 3725 → "1:02:05".
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function initialOf(name) {
  const first = Array.from(String(name || '').trim())[0];
  return first ? first.toUpperCase() : '?';
}
