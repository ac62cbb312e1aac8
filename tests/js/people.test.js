import { test } from 'node:test';
import assert from 'node:assert/strict';
import { People, kMinQueryChars } from '../../public_html/js/people.js';
import { kMaxWatchedUsers } from '../../public_html/js/messages.js';

const person = (id, name = `P${id}`, extra = {}) =>
  ({ id, username: `p${id}`, display_name: name, ...extra });

test('People: without a search the panel lists the contacts, online people first', () => {
  const people = new People();
  people.setContacts([person(1, 'Bea'), person(2, 'Al'), person(3, 'Cy')]);
  people.applyPresence({ online: [3], offline: [] });
  assert.deepEqual(people.shown().map((u) => u.id), [3, 2, 1]);
  assert.equal(people.searching, false);
});

test('People: a query shorter than the minimum is not sent and the contacts stay listed', () => {
  const people = new People();
  people.setContacts([person(1)]);
  assert.equal(kMinQueryChars, 2);
  assert.equal(people.setQuery(' a '), false);
  assert.equal(people.searching, false);
  assert.deepEqual(people.shown().map((u) => u.id), [1]);
});

test('People: a search lists its results; an answer to an older query is dropped', () => {
  const people = new People();
  people.setContacts([person(1)]);
  assert.equal(people.setQuery('jo'), true);
  assert.equal(people.searching, true);
  assert.equal(people.hasResults, false);  // "Searching…"
  assert.equal(people.setQuery('joh'), true);
  assert.equal(people.setResults('jo', [person(7)], null), false);
  assert.equal(people.setResults('joh', [person(8)], 'p8'), true);
  assert.deepEqual(people.shown().map((u) => u.id), [8]);
  assert.equal(people.hasMore, true);
  people.setResults('joh', [person(9)], null, { after: 'p8' });
  assert.deepEqual(people.shown().map((u) => u.id).sort(), [8, 9]);
  assert.equal(people.hasMore, false);
  // "More" clicked twice: the second answer for the same page no longer follows the last one.
  assert.equal(people.setResults('joh', [person(9)], null, { after: 'p8' }), false);
  assert.deepEqual(people.shown().map((u) => u.id).sort(), [8, 9]);
  people.setQuery('');
  assert.deepEqual(people.shown().map((u) => u.id), [1]);
});

test('People: the page follows the contacts and the results, each once, sorted', () => {
  const people = new People();
  people.setContacts([person(5), person(2)]);
  people.setQuery('pp');
  people.setResults('pp', [person(2), person(9)], null);
  assert.deepEqual(people.followed(), [2, 5, 9]);
  people.setQuery('');
  assert.deepEqual(people.followed(), [2, 5]);
});

test('People: never more followed than the daemon allows; what is on screen comes first', () => {
  const people = new People();
  const contacts = Array.from({ length: kMaxWatchedUsers }, (_, i) => person(100000 + i));
  people.setContacts(contacts);
  assert.deepEqual(people.followed(), contacts.map((u) => u.id));
  people.setQuery('many');
  people.setResults('many', [person(1), person(2)], null);
  const followed = people.followed();
  assert.equal(followed.length, kMaxWatchedUsers);
  assert.ok(followed.includes(1) && followed.includes(2), 'every result shown can show presence');
});

test('People: a failed search says why until the next answer or query', () => {
  const people = new People();
  people.setQuery('ann');
  people.setSearchFailed('an', 'old');  // an older query: ignored
  assert.equal(people.searchFailed, null);
  people.setSearchFailed('ann', 'Searching too fast.');
  assert.equal(people.searchFailed, 'Searching too fast.');
  people.setResults('ann', [], null);
  assert.equal(people.searchFailed, null);
  people.setSearchFailed('ann', 'again');
  people.setQuery('anna');
  assert.equal(people.searchFailed, null);
});

test('People: presence lists are "is now"; a new connection forgets what it knew', () => {
  const people = new People();
  people.applyPresence({ online: [1, 2], offline: [] });
  people.applyPresence({ online: [1], offline: [2, 3] });
  assert.equal(people.isOnline(1), true);
  assert.equal(people.isOnline(2), false);
  people.applyPresence({ online: [2, 3], offline: [] });
  people.keepPresenceOf([1, 3]);  // 2 is no longer followed: what we knew of it is stale
  assert.deepEqual([1, 2, 3].map((id) => people.isOnline(id)), [true, false, true]);
  people.forgetPresence();
  assert.equal(people.isOnline(1), false);
});

test('People: favourites are the contacts marked so; find knows contacts and results', () => {
  const people = new People();
  people.setContacts([person(1, 'A', { favourite: true }), person(2, 'B', { favourite: false })]);
  assert.equal(people.isFavourite(1), true);
  assert.equal(people.isFavourite(2), false);
  people.setQuery('zz');
  people.setResults('zz', [person(3)], null);
  assert.equal(people.find(3).id, 3);
  assert.equal(people.find(1).id, 1);
  assert.equal(people.find(4), null);
  people.clear();
  assert.equal(people.find(1), null);
});
