// The signaling protocol as the browser sees it (docs/PROTOCOL.md): every message type with its
// fields, checked on the way in and on the way out. Pure; no socket here.

// Field specs: 'string', 'number', 'boolean', 'object', 'array', 'any'; a trailing '?' means the
// field may be missing or null. Extra fields are allowed (the server may add some).
const kServer = {
  hello: { user: 'object' },
  presence: { online: 'array', offline: 'array' },
  ringing: { call_id: 'string', callee_id: 'number', ref: 'string' },
  incoming: { call_id: 'string', caller: 'object' },
  accepted: { call_id: 'string', peer_id: 'number' },
  declined: { call_id: 'string' },
  cancelled: { call_id: 'string' },
  missed: { call_id: 'string' },
  busy: { call_id: 'string', callee_id: 'number', ref: 'string' },
  'answered-elsewhere': { call_id: 'string' },
  ended: { call_id: 'string', reason: 'string' },
  glare: { call_id: 'string', peer_id: 'number' },
  resumed: { call_id: 'string', peer_id: 'number', peer_connected: 'boolean' },
  'peer-resumed': { call_id: 'string' },
  sdp: { call_id: 'string', description: 'object' },
  ice: { call_id: 'string', candidate: 'object' },
  error: { code: 'string', message: 'string?', ref: 'string?' },
};

const kClient = {
  invite: { to: 'number' },
  accept: { call_id: 'string' },
  decline: { call_id: 'string' },
  cancel: { call_id: 'string' },
  hangup: { call_id: 'string' },
  sdp: { call_id: 'string', description: 'object' },
  ice: { call_id: 'string', candidate: 'object' },
  resume: { call_id: 'string' },
  subscribe: { users: 'array' },
};

// Nested objects the client relies on.
const kNested = {
  hello: { user: { id: 'number', username: 'string', display_name: 'string' } },
  incoming: { caller: { id: 'number', username: 'string', display_name: 'string' } },
  sdp: { description: { type: 'string', sdp: 'string' } },
  ice: { candidate: { candidate: 'string', sdpMid: 'string?', sdpMLineIndex: 'number?', usernameFragment: 'string?' } },
};

// The codes of the daemon's `error` message (docs/PROTOCOL.md, "Error codes").
export const kErrorCodes = Object.freeze([
  'invalid_json', 'invalid_format', 'unknown_type', 'unknown_call', 'wrong_state',
  'not_allowed', 'unavailable', 'already_in_call', 'peer_not_connected', 'too_many_signals',
]);

// Array fields that hold user ids.
const kIdLists = { presence: ['online', 'offline'], subscribe: ['users'] };

// How many users one connection may follow (the daemon's kMaxWatchedUsers).
export const kMaxWatchedUsers = 500;

const kDescriptionTypes = new Set(['offer', 'answer', 'pranswer', 'rollback']);

function typeOf(value) {
  if (value === null || value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function checkFields(object, spec, where) {
  for (const [name, rawSpec] of Object.entries(spec)) {
    const optional = rawSpec.endsWith('?');
    const want = optional ? rawSpec.slice(0, -1) : rawSpec;
    const got = typeOf(object[name]);
    if (want === 'any') continue;
    if (got === 'missing') {
      if (optional) continue;
      return `${where}${name} is missing`;
    }
    if (got !== want || (want === 'number' && !Number.isFinite(object[name]))) {
      return `${where}${name} must be ${want === 'array' ? 'an array' : `a ${want}`}`;
    }
  }
  return null;
}

function validate(message, table, nested) {
  if (typeOf(message) !== 'object') return { code: 'invalid_json', message: 'a message must be a JSON object' };
  if (typeof message.type !== 'string') return { code: 'invalid_format', message: 'type is missing' };
  // Own properties only: "constructor" or "__proto__" are not message types.
  const spec = Object.hasOwn(table, message.type) ? table[message.type] : null;
  if (!spec) return { code: 'unknown_type', message: `unknown message type ${message.type}` };
  let problem = checkFields(message, spec, '');
  for (const [field, inner] of Object.entries(Object.hasOwn(nested, message.type) ? nested[message.type] : {})) {
    if (problem) break;
    if (typeOf(message[field]) === 'object') problem = checkFields(message[field], inner, `${field}.`);
  }
  if (!problem && message.type === 'sdp' && !kDescriptionTypes.has(message.description.type)) {
    problem = 'description.type must be offer, answer, pranswer or rollback';
  }
  if (!problem && message.type === 'ice' && typeOf(message.candidate.sdpMid) === 'missing' &&
      typeOf(message.candidate.sdpMLineIndex) === 'missing') {
    problem = 'candidate.sdpMid or candidate.sdpMLineIndex is required';
  }
  for (const field of kIdLists[message.type] || []) {
    if (!problem && !message[field].every((id) => Number.isInteger(id) && id > 0)) {
      problem = `${field} must list user ids`;
    }
  }
  return problem ? { code: 'invalid_format', message: `${message.type}: ${problem}` } : null;
}

// Text from the socket → {ok: true, message} or {ok: false, error: {code, message}}.
export function parseServerMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'invalid_json', message: 'the message is not JSON' } };
  }
  const error = validate(message, kServer, kNested);
  return error ? { ok: false, error } : { ok: true, message };
}

// A client message to send → {ok: true, text} or {ok: false, error}; a bug caught before the wire.
export function encodeClientMessage(message) {
  const error = validate(message, kClient, kNested);
  return error ? { ok: false, error } : { ok: true, text: JSON.stringify(message) };
}

// The `ice` message for a local candidate, as the browser gave it: a null sdpMid or
// sdpMLineIndex stays null (not '' or 0, which name another media section), and the
// usernameFragment travels, so the far side can tell candidates of an ICE restart apart.
export function iceMessage(callId, candidate) {
  return {
    type: 'ice',
    call_id: callId,
    candidate: {
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      usernameFragment: candidate.usernameFragment ?? null,
    },
  };
}

export const kServerTypes = Object.freeze(Object.keys(kServer));
export const kClientTypes = Object.freeze(Object.keys(kClient));

// The tables above, for the check that protocol.h, this file and docs/PROTOCOL.md agree.
export const kProtocolTables = Object.freeze({ server: kServer, client: kClient, nested: kNested });
