import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffDelay, kBackoffDefaults } from '../../public_html/js/backoff.js';

const top = () => 0.999999;
const bottom = () => 0;

test('Backoff: the ceiling doubles from the base with each attempt', () => {
  assert.equal(backoffDelay(0, {}, top), 500);
  assert.equal(backoffDelay(1, {}, top), 1000);
  assert.equal(backoffDelay(2, {}, top), 2000);
  assert.equal(backoffDelay(4, {}, top), 8000);
});

test('Backoff: the delay never exceeds the maximum, even after many attempts', () => {
  assert.equal(backoffDelay(5, {}, top), kBackoffDefaults.maxMs);
  assert.equal(backoffDelay(10_000, {}, top), kBackoffDefaults.maxMs);
  assert.ok(Number.isFinite(backoffDelay(1e9, { factor: 10 }, top)));
});

test('Backoff: full jitter spreads delays between the minimum and the ceiling', () => {
  assert.equal(backoffDelay(3, {}, bottom), kBackoffDefaults.minMs);
  assert.equal(backoffDelay(3, {}, () => 0.5), 2000);
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(3);
    assert.ok(d >= kBackoffDefaults.minMs && d <= 4000, `delay ${d} out of range`);
    seen.add(d);
  }
  assert.ok(seen.size > 20, 'random delays should differ between clients');
});

test('Backoff: nonsense attempt numbers count as the first attempt', () => {
  assert.equal(backoffDelay(-3, {}, top), 500);
  assert.equal(backoffDelay(Number.NaN, {}, top), 500);
  assert.equal(backoffDelay('2', {}, top), 2000);
});

test('Backoff: options override the defaults', () => {
  assert.equal(backoffDelay(2, { baseMs: 100, factor: 3, maxMs: 60_000 }, top), 900);
});

test('Backoff: the counter grows with next() and starts over after reset()', () => {
  const b = new Backoff({}, top);
  assert.deepEqual([b.next(), b.next(), b.next()], [500, 1000, 2000]);
  assert.equal(b.attempts, 3);
  b.reset();
  assert.equal(b.attempts, 0);
  assert.equal(b.next(), 500);
});
