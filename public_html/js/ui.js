// DOM only: views, the account forms, the directory, call history, banners and announcements.
// User text is only ever set through textContent. Events go out through the handlers given to bind().
import { describeOutcome, formatDuration, initialOf } from './text.js';

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(pathData) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathData);
  svg.append(path);
  return svg;
}

const kPhoneIcon = 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z';
const kStarIcon = 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z';
const kOutgoingIcon = 'M7 17L17 7M9 7h8v8';
const kIncomingIcon = 'M17 7L7 17M15 17H7V9';

export function showView(name) {
  $('loading').hidden = true;
  $('auth-view').hidden = name !== 'auth';
  $('home-view').hidden = name !== 'home';
  $('call-view').hidden = name !== 'call';
  $('account').hidden = name === 'auth';
  $('conn-state').hidden = name === 'auth';
}

export function currentView() {
  for (const name of ['auth', 'home', 'call']) if (!$(`${name}-view`).hidden) return name;
  return 'loading';
}

// Everything the page can ask main.js to do.
export function bind(handlers) {
  $('tab-login').addEventListener('click', () => showAuthMode('login'));
  $('tab-register').addEventListener('click', () => showAuthMode('register'));
  for (const tab of [$('tab-login'), $('tab-register')]) {
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const mode = tab.id === 'tab-login' ? 'register' : 'login';
      showAuthMode(mode);
      $(`tab-${mode}`).focus();
    });
  }
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onLogin($('login-username').value.trim(), $('login-password').value);
  });
  $('register-form').addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onRegister($('register-username').value.trim(), $('register-password').value,
                        $('register-display-name').value.trim());
  });
  $('logout').addEventListener('click', () => handlers.onLogout());
  $('logout-all').addEventListener('click', () => handlers.onLogoutAll());
  $('people-search').addEventListener('input', () => handlers.onSearch($('people-search').value));
  $('more-results').addEventListener('click', () => handlers.onMoreResults());
  $('incoming-add-contact').addEventListener('click', () => {
    const button = $('incoming-add-contact');
    button.hidden = true;
    handlers.onSetContact(Number(button.dataset.userId), true);
  });
  for (const list of [$('user-list'), $('history-list')]) {
    list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action][data-user-id]');
      if (!button || button.disabled) return;
      const id = Number(button.dataset.userId);
      if (button.dataset.action === 'call') handlers.onCallUser(id);
      else handlers.onSetContact(id, button.dataset.action === 'add-contact');
    });
  }
  $('banner-close').addEventListener('click', hideBanner);
  $('notify-enable').addEventListener('click', () => handlers.onEnableNotifications());
}

export function showAuthMode(mode) {
  const login = mode === 'login';
  $('tab-login').setAttribute('aria-selected', String(login));
  $('tab-register').setAttribute('aria-selected', String(!login));
  $('tab-login').tabIndex = login ? 0 : -1;
  $('tab-register').tabIndex = login ? -1 : 0;
  $('login-form').hidden = !login;
  $('register-form').hidden = login;
}

export function setAuthError(form, text, field) {
  $(`${form}-error`).textContent = text || '';
  for (const input of $(`${form}-form`).querySelectorAll('input')) {
    input.removeAttribute('aria-invalid');
  }
  if (field) {
    const input = $(`${form}-${field}`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }
}

export function setAuthBusy(form, busy) {
  const button = $(`${form}-form`).querySelector('button[type=submit]');
  button.disabled = busy;
}

export function resetAuthForms() {
  $('login-form').reset();
  $('register-form').reset();
  setAuthError('login', '');
  setAuthError('register', '');
}

export function focusAuth(mode) {
  $(`${mode}-username`).focus();
}

export function prefillLogin(username) {
  $('login-username').value = username;
  $('login-password').value = '';
}

export function renderMe(user) {
  $('me-name').textContent = user ? user.display_name : '';
  $('me-name').title = user ? `@${user.username}` : '';
}

const kConnText = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Online',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export function setConnectionState(state) {
  const badge = $('conn-state');
  badge.dataset.state = state;
  $('conn-text').textContent = kConnText[state] || state;
}

// people: the People model (people.js): contacts, or the results of the search typed.
// Rows are kept by user and updated in place, and moved only when the order changed: a
// presence batch that lands between a press and its release must not take the button out of
// the page (the browser would drop the click).
export function renderDirectory(people, { busy = false } = {}) {
  const shown = people.shown();
  const list = $('user-list');
  // Reordering takes the focused button out of the page for a moment; a keyboard user keeps
  // their place.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const rows = new Map([...list.children].map((li) => [li.dataset.userId, li]));
  const wanted = shown.map((u) => {
    const row = rows.get(String(u.id)) || userRow();
    fillRow(row, u, people, busy);
    return row;
  });
  const sameOrder = wanted.length === list.children.length &&
                    wanted.every((row, i) => list.children[i] === row);
  if (!sameOrder) list.replaceChildren(...wanted);
  if (focused && document.activeElement !== focused) {
    if (list.contains(focused) && !focused.disabled) focused.focus();
    else $('people-search').focus();
  }
  const count = shown.filter((u) => people.isOnline(u.id)).length;
  $('online-count').textContent = `${count} online`;
  $('more-results').hidden = !people.searching || !people.hasMore;
  const empty = $('user-list-empty');
  empty.hidden = shown.length > 0;
  empty.textContent = emptyText(people);
}

function emptyText(people) {
  if (!people.searching) {
    return 'No contacts yet. Search for someone by name to call them or add them to your contacts.';
  }
  if (people.searchFailed) return people.searchFailed;
  return people.hasResults ? `No one matches “${people.query}”.` : 'Searching…';
}

// An empty row: avatar, name, '@username · online', Call and the contact star.
function userRow() {
  const li = el('li', 'user');
  const avatar = el('span', 'avatar');
  avatar.setAttribute('aria-hidden', 'true');
  const text = el('span', 'user-text');
  text.append(el('span', 'user-name'), el('span', 'user-sub'), el('span', 'visually-hidden user-status'));
  const call = el('button', 'btn btn-call');
  call.type = 'button';
  call.dataset.action = 'call';
  call.append(icon(kPhoneIcon), el('span', 'btn-text', 'Call'));
  li.append(avatar, text, call, favouriteButton());
  return li;
}

function fillRow(li, user, people, busy) {
  const isOnline = people.isOnline(user.id);
  li.dataset.userId = String(user.id);
  li.dataset.online = String(isOnline);
  li.dataset.username = user.username;
  li.querySelector('.avatar').textContent = initialOf(user.display_name);
  li.querySelector('.user-name').textContent = user.display_name;
  li.querySelector('.user-sub').textContent = `@${user.username} · ${isOnline ? 'online' : 'offline'}`;
  li.querySelector('.user-status').textContent = isOnline ? ', online' : ', offline';
  const call = li.querySelector('.btn-call');
  call.dataset.userId = String(user.id);
  call.disabled = !isOnline || busy;
  call.setAttribute('aria-label', isOnline ? `Call ${user.display_name}` : `${user.display_name} is offline`);
  fillFavourite(li.querySelector('.btn-favourite'), user, people.isFavourite(user.id));
}

// A star that adds the person to the contacts, or takes them out (see fillFavourite).
function favouriteButton() {
  const button = el('button', 'btn-icon btn-quiet btn-favourite');
  button.type = 'button';
  button.append(icon(kStarIcon));
  return button;
}

function fillFavourite(button, user, favourite) {
  button.dataset.action = favourite ? 'remove-contact' : 'add-contact';
  button.dataset.userId = String(user.id);
  button.setAttribute('aria-pressed', String(favourite));
  button.setAttribute('aria-label', favourite ? `Remove ${user.display_name} from contacts`
                                              : `Add ${user.display_name} to contacts`);
  button.title = favourite ? 'Remove from contacts' : 'Add to contacts';
}

// The incoming-call card offers to keep a caller who is not a contact yet.
export function offerContactFromCall(caller, isContact) {
  const button = $('incoming-add-contact');
  button.dataset.userId = String(caller.id);
  button.textContent = `Add ${caller.display_name} to contacts`;
  button.hidden = isContact;
}

export function clearPeopleSearch() {
  $('people-search').value = '';
}

// isFavourite(id): whether the peer is already among the contacts (no star then).
export function renderHistory(calls, { isFavourite = () => false, now = new Date() } = {}) {
  const list = $('history-list');
  list.replaceChildren(...calls.slice(0, 20).map((c) => historyRow(c, isFavourite, now)));
  $('history-empty').hidden = calls.length > 0;
}

function historyRow(call, isFavourite, now) {
  const li = el('li', 'call-row');
  const [label, kind] = describeOutcome(call.outcome);
  li.dataset.outcomeKind = kind;
  li.dataset.outcome = String(call.outcome);
  const outgoing = call.direction === 'outgoing';
  const dir = el('span', 'call-dir');
  dir.append(icon(outgoing ? kOutgoingIcon : kIncomingIcon));
  const text = el('span', 'call-text');
  const peer = call.peer || {};
  text.append(el('span', 'user-name', peer.display_name || peer.username || 'Unknown'));
  const detail = [outgoing ? 'Outgoing' : 'Incoming', label];
  if (typeof call.duration_s === 'number' && call.duration_s > 0) detail.push(formatDuration(call.duration_s));
  text.append(el('span', 'user-sub', detail.join(' · ')));
  const when = el('time', 'call-when', formatWhen(call.created_at, now));
  if (call.created_at) when.dateTime = call.created_at;
  li.append(dir, text, when);
  if (typeof peer.id === 'number' && !isFavourite(peer.id)) {
    const star = favouriteButton();
    fillFavourite(star, peer, false);
    li.append(star);
  }
  return li;
}

function formatWhen(iso, now) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export function showBanner(text, kind = 'info') {
  $('banner-text').textContent = text;
  $('banner').dataset.kind = kind;
  $('banner').hidden = false;
}

export function hideBanner() {
  $('banner').hidden = true;
}

export function showNotificationOffer(show) {
  $('notify-offer').hidden = !show;
}

// Polite announcements for screen readers; the same text is never dropped as a duplicate.
export function announce(text) {
  const live = $('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}
