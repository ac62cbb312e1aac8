import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeAuthError, describeCallEnd, describeOutcome, describeSearchError, formatDuration, initialOf,
} from '../../public_html/js/text.js';

test('Text: every refusal the API gives has its own sentence', () => {
  const codes = ['username_taken', 'invalid_username', 'invalid_password', 'invalid_display_name',
                 'invalid_credentials', 'network_error', 'service_unavailable'];
  const sentences = codes.map((code) => describeAuthError({ code, message: 'raw' }));
  assert.equal(new Set(sentences).size, codes.length);
  for (const s of sentences) assert.notEqual(s, 'raw');
});

test('Text: throttling says how long to wait, in seconds or minutes', () => {
  assert.equal(describeAuthError({ code: 'too_many_attempts', retryAfter: 1 }), 'Too many attempts. Try again in 1 second.');
  assert.equal(describeAuthError({ code: 'too_many_attempts', retryAfter: 30 }), 'Too many attempts. Try again in 30 seconds.');
  assert.equal(describeAuthError({ code: 'too_many_attempts', retryAfter: 61 }), 'Too many attempts. Try again in 2 minutes.');
  assert.match(describeAuthError({ code: 'too_many_attempts' }), /little while/);
});

test('Text: an unknown error falls back to the server message', () => {
  assert.equal(describeAuthError({ code: 'new_code', message: 'something new' }), 'something new');
});

test('Text: call endings name the peer', () => {
  assert.equal(describeCallEnd('declined', 'Bob'), 'Bob declined the call.');
  assert.equal(describeCallEnd('busy', 'Bob'), 'Bob is busy in another call.');
  assert.equal(describeCallEnd('missed', 'Bob'), 'Bob did not answer.');
  assert.equal(describeCallEnd('unavailable', 'Bob'), 'Bob is offline.');
  assert.equal(describeCallEnd('something-new', 'Bob'), 'Call with Bob ended.');
});

test('Text: history outcomes get a label and a kind; unknown ones are shown readably', () => {
  assert.deepEqual(describeOutcome('ended'), ['Completed', 'good']);
  assert.deepEqual(describeOutcome('missed'), ['Missed', 'bad']);
  assert.deepEqual(describeOutcome('peer_gone'), ['Peer gone', 'neutral']);
  assert.deepEqual(describeOutcome(undefined), ['Unknown', 'neutral']);
});

test('Text: durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(75.9), '1:15');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(formatDuration(-4), '0:00');
});

test('Text: initials handle empty names and characters outside the BMP', () => {
  assert.equal(initialOf('alice'), 'A');
  assert.equal(initialOf('  '), '?');
  assert.equal(initialOf('😀 smile'), '😀');
});

test('Text: a failed search says why in words, and never shows a raw code', () => {
  assert.match(describeSearchError({ code: 'too_many_attempts' }), /too fast/);
  assert.match(describeSearchError({ code: 'network_error' }), /Cannot reach the server/);
  assert.match(describeSearchError({ code: 'invalid_query' }), /at least two letters/);
  assert.equal(describeSearchError({ code: 'internal_error' }), 'The search failed. Please try again.');
  assert.equal(describeSearchError(undefined), 'The search failed. Please try again.');
});
