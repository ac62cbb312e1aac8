import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeClientMessage, iceMessage, parseServerMessage } from '../../public_html/js/messages.js';

const parse = (object) => parseServerMessage(JSON.stringify(object));
const user = { id: 7, username: 'bob', display_name: 'Bob' };
const callId = '3f2a1c4e-0000-4000-8000-000000000001';

test('Messages: well-formed server messages of every kind are accepted', () => {
  const good = [
    { type: 'hello', user },
    { type: 'presence', online: [1, 2], offline: [3] },
    { type: 'ringing', call_id: callId, callee_id: 7, ref: 'invite-1' },
    { type: 'incoming', call_id: callId, caller: user },
    { type: 'accepted', call_id: callId, peer_id: 7 },
    { type: 'declined', call_id: callId },
    { type: 'cancelled', call_id: callId },
    { type: 'missed', call_id: callId },
    { type: 'busy', call_id: callId, callee_id: 7, ref: '' },
    { type: 'answered-elsewhere', call_id: callId },
    { type: 'ended', call_id: callId, reason: 'hangup' },
    { type: 'glare', call_id: callId, peer_id: 7 },
    { type: 'resumed', call_id: callId, peer_id: 7, peer_connected: true },
    { type: 'peer-resumed', call_id: callId },
    { type: 'sdp', call_id: callId, description: { type: 'offer', sdp: 'v=0\r\n' } },
    { type: 'ice', call_id: callId, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
    { type: 'ice', call_id: callId, candidate: { candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host', sdpMid: null, sdpMLineIndex: 1, usernameFragment: 'aBc1' } },
    { type: 'error', code: 'unknown_call', message: 'no such call', ref: '' },
  ];
  for (const message of good) {
    const result = parse(message);
    assert.ok(result.ok, `${message.type}: ${JSON.stringify(result.error)}`);
    assert.deepEqual(result.message, message);
  }
});

test('Messages: text that is not JSON is refused as invalid_json', () => {
  assert.equal(parseServerMessage('{"type":').error.code, 'invalid_json');
  assert.equal(parseServerMessage('').error.code, 'invalid_json');
});

test('Messages: a JSON value that is not an object is invalid_json, as the daemon says it', () => {
  for (const text of ['[]', '42', 'null', '"hello"']) {
    assert.equal(parseServerMessage(text).error.code, 'invalid_json', text);
  }
});

test('Messages: an object with no type, or a type that is not a string, is invalid_format', () => {
  for (const text of ['{}', '{"type":3}']) {
    assert.equal(parseServerMessage(text).error.code, 'invalid_format', text);
  }
});

test('Messages: an unknown type is refused as unknown_type', () => {
  assert.equal(parse({ type: 'teleport', call_id: callId }).error.code, 'unknown_type');
  assert.equal(parse({ type: 'constructor' }).error.code, 'unknown_type');
});

test('Messages: missing fields and wrong field types are invalid_format, naming the field', () => {
  const missing = parse({ type: 'incoming', call_id: callId });
  assert.equal(missing.error.code, 'invalid_format');
  assert.match(missing.error.message, /caller is missing/);
  const wrongType = parse({ type: 'presence', online: '3', offline: [] });
  assert.match(wrongType.error.message, /online must be an array/);
  const nested = parse({ type: 'incoming', call_id: callId, caller: { id: 7, username: 'bob' } });
  assert.match(nested.error.message, /caller\.display_name is missing/);
  const notFinite = parseServerMessage('{"type":"presence","online":[1e999],"offline":[]}');
  assert.equal(notFinite.ok, false);
  const badIds = parse({ type: 'presence', online: [1], offline: [1, 'two'] });
  assert.match(badIds.error.message, /offline must list user ids/);
  assert.match(encodeClientMessage({ type: 'subscribe', users: [0] }).error.message, /users must list user ids/);
});

test('Messages: an sdp whose description type is not a WebRTC one is refused', () => {
  const result = parse({ type: 'sdp', call_id: callId, description: { type: 'exploit', sdp: '' } });
  assert.equal(result.ok, false);
  assert.match(result.error.message, /description\.type/);
});

test('Messages: extra fields from a newer server are tolerated', () => {
  assert.ok(parse({ type: 'missed', call_id: callId, at: '2026-01-01T00:00:00Z' }).ok);
});

test('Messages: client messages are checked before they reach the wire', () => {
  const ok = encodeClientMessage({ type: 'invite', to: 7 });
  assert.ok(ok.ok);
  assert.deepEqual(JSON.parse(ok.text), { type: 'invite', to: 7 });
  assert.equal(encodeClientMessage({ type: 'invite', to: '7' }).ok, false);
  assert.equal(encodeClientMessage({ type: 'hello' }).error.code, 'unknown_type');
  assert.equal(encodeClientMessage({ type: 'ice', call_id: callId, candidate: { candidate: 'x' } }).ok, false);
  assert.ok(encodeClientMessage({ type: 'resume', call_id: callId, ref: 'resume' }).ok);
});

test('Messages: a local candidate goes out as the browser gave it: a null sdpMid stays null, the usernameFragment travels', () => {
  const message = iceMessage(callId, { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: null, sdpMLineIndex: 1, usernameFragment: 'aBc1' });
  assert.deepEqual(message.candidate, { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: null, sdpMLineIndex: 1, usernameFragment: 'aBc1' });
  assert.ok(encodeClientMessage(message).ok);
  const plain = iceMessage(callId, { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 });
  assert.deepEqual(plain.candidate, { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null });
});
