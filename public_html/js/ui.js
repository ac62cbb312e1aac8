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
  $('filter').addEventListener('input', () => handlers.onFilter($('filter').value));
  $('user-list').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-user-id]');
    if (button && !button.disabled) handlers.onCallUser(Number(button.dataset.userId));
  });
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

// users: [{id, username, display_name}], online: Set of ids, filter: text typed by the user.
export function renderDirectory(users, online, filter, { busy = false } = {}) {
  const needle = filter.trim().toLowerCase();
  const shown = users
    .filter((u) => !needle || u.username.toLowerCase().includes(needle) ||
                   u.display_name.toLowerCase().includes(needle))
    .sort((a, b) => (online.has(b.id) - online.has(a.id)) ||
                    a.display_name.localeCompare(b.display_name));
  const list = $('user-list');
  // Presence changes re-render the list; a keyboard user keeps their place.
  const focusedId = list.contains(document.activeElement) ? document.activeElement.dataset.userId : null;
  list.replaceChildren(...shown.map((u) => userRow(u, online.has(u.id), busy)));
  if (focusedId) {
    const again = list.querySelector(`button[data-user-id="${CSS.escape(focusedId)}"]`);
    if (again && !again.disabled) again.focus();
    else $('filter').focus();
  }
  const count = users.filter((u) => online.has(u.id)).length;
  $('online-count').textContent = `${count} online`;
  const empty = $('user-list-empty');
  empty.hidden = shown.length > 0;
  empty.textContent = users.length === 0
    ? 'No one else has an account yet. Invite someone to register.'
    : 'No one matches that name.';
}

function userRow(user, isOnline, busy) {
  const li = el('li', 'user');
  li.dataset.online = String(isOnline);
  li.dataset.username = user.username;
  const avatar = el('span', 'avatar', initialOf(user.display_name));
  avatar.setAttribute('aria-hidden', 'true');
  const text = el('span', 'user-text');
  text.append(el('span', 'user-name', user.display_name),
              el('span', 'user-sub', `@${user.username} · ${isOnline ? 'online' : 'offline'}`));
  const status = el('span', 'visually-hidden', isOnline ? ', online' : ', offline');
  text.append(status);
  const button = el('button', 'btn btn-call');
  button.type = 'button';
  button.dataset.userId = String(user.id);
  button.disabled = !isOnline || busy;
  button.setAttribute('aria-label', isOnline ? `Call ${user.display_name}`
                                             : `${user.display_name} is offline`);
  button.append(icon(kPhoneIcon), el('span', 'btn-text', 'Call'));
  li.append(avatar, text, button);
  return li;
}

export function renderHistory(calls, now = new Date()) {
  const list = $('history-list');
  list.replaceChildren(...calls.slice(0, 20).map((c) => historyRow(c, now)));
  $('history-empty').hidden = calls.length > 0;
}

function historyRow(call, now) {
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
