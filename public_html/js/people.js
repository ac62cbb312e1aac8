// Who the People panel shows and whose presence this page follows: the user's contacts
// (favourites and recent call partners, from GET /api/contacts), or, while a search is typed,
// the server's results. Pure: no DOM, no fetch, no socket; main.js feeds it and renders it.
import { kMaxWatchedUsers } from './messages.js';

// Shorter queries are not sent (the server refuses them too).
export const kMinQueryChars = 2;

export class People {
  constructor() {
    this.contacts_ = [];  // [{id, username, display_name, favourite, last_call_at}]
    this.query_ = '';
    this.results_ = null;  // null: not searching; else [{id, username, display_name}]
    this.next_ = null;  // the cursor of the next page of results
    this.failed_ = null;  // why the last search failed, until the next answer
    this.online_ = new Set();
  }

  get searching() { return this.results_ !== null || this.query_.length >= kMinQueryChars; }
  get query() { return this.query_; }
  get hasResults() { return this.results_ !== null; }
  get searchFailed() { return this.failed_; }
  get hasMore() { return this.next_ !== null; }
  get next() { return this.next_; }
  get contacts() { return this.contacts_; }
  isOnline(id) { return this.online_.has(id); }
  isFavourite(id) { return this.contacts_.some((c) => c.id === id && c.favourite); }

  setContacts(contacts) {
    this.contacts_ = contacts;
  }

  // The text in the search box; true when it is long enough to ask the server.
  setQuery(text) {
    const query = text.trim();
    if (query === this.query_) return false;
    this.query_ = query;
    this.results_ = null;
    this.next_ = null;
    this.failed_ = null;
    return query.length >= kMinQueryChars;
  }

  // An answer of the server for `query`; a late answer to an older query is dropped.
  // `more`: the next page, added below the ones shown.
  // `after`: the cursor the page was asked with; a page that no longer follows the last one
  // shown (asked twice, or before a newer search) is dropped too.
  setResults(query, users, next, { after = null } = {}) {
    if (query !== this.query_ || (after !== null && after !== this.next_)) return false;
    this.results_ = after !== null && this.results_ ? [...this.results_, ...users] : users;
    this.next_ = next ?? null;
    this.failed_ = null;
    return true;
  }

  // The server refused or could not answer `query` (a message for people).
  setSearchFailed(query, message) {
    if (query === this.query_) this.failed_ = message;
  }

  // What the panel lists: the results of the search, or the contacts; online people first.
  shown() {
    const list = this.searching ? (this.results_ || []) : this.contacts_;
    return [...list].sort((a, b) => (this.isOnline(b.id) - this.isOnline(a.id)) ||
                                    a.display_name.localeCompare(b.display_name));
  }

  // Everyone the page knows of by id, for starting a call from a row.
  find(id) {
    return this.contacts_.find((u) => u.id === id) || (this.results_ || []).find((u) => u.id === id) || null;
  }

  // The ids whose presence the page follows: what is on screen first (the results while
  // searching), then the contacts, at most the daemon's limit; sorted, so that the same set
  // always reads the same.
  followed() {
    const ids = new Set();
    const results = this.results_ || [];
    const order = this.searching ? [...results, ...this.contacts_] : [...this.contacts_, ...results];
    for (const u of order) {
      if (ids.size >= kMaxWatchedUsers) break;
      ids.add(u.id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  // A new `subscribe` went out: what we knew of people no longer followed goes stale.
  keepPresenceOf(ids) {
    const kept = new Set(ids);
    for (const id of this.online_) if (!kept.has(id)) this.online_.delete(id);
  }

  // A `presence` message: the lists are "is now", whether or not we knew it before.
  applyPresence({ online, offline }) {
    for (const id of online) this.online_.add(id);
    for (const id of offline) this.online_.delete(id);
  }

  // A new connection follows nobody: what we knew of presence is stale until it subscribes.
  forgetPresence() {
    this.online_ = new Set();
  }

  clear() {
    this.contacts_ = [];
    this.query_ = '';
    this.results_ = null;
    this.next_ = null;
    this.failed_ = null;
    this.online_ = new Set();
  }
}
