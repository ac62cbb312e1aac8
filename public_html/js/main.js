// Wiring: the app's lifecycle (signed out / signed in), the People panel (contacts, search)
// and presence. The call flow lives in call_controller.js; modules meet here and nowhere else.
import * as api from './api.js';
import * as ui from './ui.js';
import { Signaling } from './signaling.js';
import { CallController } from './call_controller.js';
import { clientLog } from './client_log.js';
import { IceServers } from './ice_servers.js';
import { People } from './people.js';
import { askNotificationPermission, notificationPermission } from './alerts.js';
import { describeAuthError, describeSearchError } from './text.js';

// The daemon closes with this when the session was logged out, revoked or expired.
const kCloseSessionEnded = 4401;

// Typing is let settle this long before the server is asked.
const kSearchDebounceMs = 250;

const state = {
  me: null,
  people: new People(),
  followed: '',  // the ids of the last `subscribe` sent on this connection, as text
  history: [],
};

const sessionChannel = 'BroadcastChannel' in window ? new BroadcastChannel('videochat-session') : null;
const signaling = new Signaling({ url: `wss://${location.host}/ws` });
const iceServers = new IceServers({ fetchServers: api.iceServers });
const calls = new CallController({
  signaling,
  iceServers,
  findUser: (id) => state.people.find(id),
  onIdle: () => {
    ui.showView('home');
    renderDirectory();
    refreshContacts();  // the call's partner is now among the recent ones
    refreshHistory();
    // The daemon writes the call's row from its own DB workers; look again once it has.
    setTimeout(refreshHistory, 1500);
  },
});

function renderDirectory() {
  ui.renderDirectory(state.people, { busy: calls.busy });
}

function renderHistory() {
  ui.renderHistory(state.history, { isFavourite: (id) => state.people.isFavourite(id) });
}

// Tells the daemon whose presence to send us: whoever the panel can show. Sent again only
// when that set changed, and on every new connection (which follows nobody).
function follow({ again = false } = {}) {
  const ids = state.people.followed();
  const key = ids.join(',');
  if (key === state.followed && !again) return;
  if (!signaling.send({ type: 'subscribe', users: ids })) return;
  state.followed = key;
  state.people.keepPresenceOf(ids);
}

// Each refresh is numbered: an answer overtaken by a later refresh (two stars clicked quickly)
// or by a sign-out is dropped.
let contactsAsked = 0;
async function refreshContacts() {
  const asked = ++contactsAsked;
  const result = await api.contacts();
  if (!result.ok || !state.me || asked !== contactsAsked) return;
  state.people.setContacts(result.data.contacts);
  follow();
  renderDirectory();
  renderHistory();
}

async function refreshHistory() {
  if (!state.me) return;
  const result = await api.calls();
  if (!result.ok || !Array.isArray(result.data.calls)) return;
  state.history = result.data.calls;
  renderHistory();
}

let searchTimer = null;
function onSearch(text) {
  // A keystroke that leaves the query as it was (a trailing space) keeps the search under way.
  if (text.trim() === state.people.query) return;
  clearTimeout(searchTimer);
  const ask = state.people.setQuery(text);
  follow();
  renderDirectory();
  if (ask) searchTimer = setTimeout(() => search(state.people.query), kSearchDebounceMs);
}

async function search(query, { more = false } = {}) {
  const after = more ? state.people.next : null;
  if (more && !after) return;
  const result = await api.searchUsers(query, after ?? undefined);
  if (!state.me) return;
  if (!result.ok) {
    state.people.setSearchFailed(query, describeSearchError(result.error));
    renderDirectory();
    return;
  }
  if (!state.people.setResults(query, result.data.users, result.data.next, { after })) return;
  follow();
  renderDirectory();
}

async function onSetContact(userId, add) {
  const result = add ? await api.addContact(userId) : await api.removeContact(userId);
  if (!result.ok) {
    ui.showBanner(result.error.code === 'too_many_contacts'
      ? 'You have as many contacts as you can have. Remove one first.'
      : `Could not change your contacts: ${result.error.message}`, 'error');
    return;
  }
  await refreshContacts();
}

// ---- signaling: presence, connection state ----

signaling.on('state', (s) => {
  ui.setConnectionState(s);
  if (s === 'reconnecting') ui.announce('Connection to the server lost. Reconnecting…');
});

signaling.on('hello', () => {
  const reconnect = signaling.isReconnect;
  state.people.forgetPresence();
  follow({ again: true });
  renderDirectory();
  if (reconnect) {
    ui.announce('Reconnected');
    calls.onReconnected();
  }
});

signaling.on('presence', (m) => {
  state.people.applyPresence(m);
  renderDirectory();
});

signaling.on('incoming', (m) => ui.offerContactFromCall(m.caller, state.people.isFavourite(m.caller.id)));

signaling.on('drop', async (drop) => {
  // A refused handshake looks like any other drop; the API says whether the session is gone.
  if (!state.me) return;
  if (drop.code === kCloseSessionEnded) {
    leaveApp('Your session ended. Please log in again.');
    return;
  }
  if (drop.code !== 1000 && drop.code !== 1001 && drop.code !== 1006) {
    clientLog('warn', 'socket_closed', null, `code ${drop.code} ${drop.reason || ''}`.trim());
  }
  const me = await api.me();
  if (!me.ok && me.status === 401 && state.me) leaveApp('Your session ended. Please log in again.');
});

signaling.on('invalid', (bad) => {
  clientLog('warn', 'signaling_invalid_message', null, `${bad.error.code}: ${bad.error.message}`);
});

window.addEventListener('online', () => signaling.retryNow());
window.addEventListener('pagehide', () => calls.onPageHide());

// ---- signed in / signed out ----

async function enterApp(user) {
  state.me = user;
  ui.renderMe(user);
  ui.hideBanner();
  ui.showView('home');
  ui.setConnectionState('connecting');
  ui.showNotificationOffer(notificationPermission() === 'default');
  ui.announce(`Signed in as ${user.display_name}`);
  signaling.connect();
  iceServers.start();  // ready before the first call, so no call waits for them
  await Promise.all([refreshContacts(), refreshHistory()]);
}

function leaveApp(message) {
  if (calls.busy) calls.hangup();
  signaling.close();
  iceServers.stop();
  state.me = null;
  contactsAsked += 1;
  state.people.clear();
  state.followed = '';
  state.history = [];
  clearTimeout(searchTimer);
  ui.clearPeopleSearch();
  ui.resetAuthForms();
  ui.renderMe(null);
  ui.showAuthMode('login');
  ui.showView('auth');
  if (message) ui.setAuthError('login', message);
  ui.focusAuth('login');
}

const kFieldOf = {
  invalid_username: 'username',
  username_taken: 'username',
  invalid_password: 'password',
  invalid_display_name: 'display-name',
};

async function onLogin(username, password) {
  calls.unlockAudio();
  if (!username || !password) {
    ui.setAuthError('login', 'Enter your username and password.', username ? 'password' : 'username');
    return;
  }
  ui.setAuthBusy('login', true);
  const result = await api.login(username, password);
  ui.setAuthBusy('login', false);
  if (!result.ok) {
    ui.setAuthError('login', describeAuthError(result.error),
                    result.error.code === 'invalid_credentials' ? 'password' : undefined);
    return;
  }
  ui.resetAuthForms();
  await enterApp(result.data.user);
}

async function onRegister(username, password, displayName) {
  calls.unlockAudio();
  if (!username || !password) {
    ui.setAuthError('register', 'Choose a username and a password.', username ? 'password' : 'username');
    return;
  }
  ui.setAuthBusy('register', true);
  const created = await api.register(username, password, displayName);
  if (!created.ok) {
    ui.setAuthBusy('register', false);
    ui.setAuthError('register', describeAuthError(created.error), kFieldOf[created.error.code]);
    return;
  }
  const result = await api.login(username, password);
  ui.setAuthBusy('register', false);
  if (!result.ok) {
    ui.showAuthMode('login');
    ui.prefillLogin(username);
    ui.setAuthError('login', `Account created. ${describeAuthError(result.error)}`);
    return;
  }
  ui.resetAuthForms();
  await enterApp(result.data.user);
}

async function onLogout() {
  if (calls.busy) calls.hangup();
  signaling.close();
  await api.logout();
  if (sessionChannel) sessionChannel.postMessage('logout');
  leaveApp();
}

// Ends every session of this user: other devices' sockets are closed by the daemon (4401).
async function onLogoutAll() {
  if (calls.busy) calls.hangup();
  signaling.close();
  await api.logoutAll();
  if (sessionChannel) sessionChannel.postMessage('logout');
  leaveApp('You were logged out on all devices.');
}

async function onEnableNotifications() {
  const permission = await askNotificationPermission();
  ui.showNotificationOffer(permission === 'default');
  if (permission === 'denied') ui.showBanner('Notifications are blocked for this site in the browser settings.');
}

function start() {
  ui.bind({
    onLogin,
    onRegister,
    onLogout,
    onLogoutAll,
    onSearch,
    onMoreResults: () => search(state.people.query, { more: true }),
    onSetContact,
    onCallUser: (id) => calls.startCall(id).then(renderDirectory),
    onEnableNotifications,
  });
  // Any click or key unlocks audio, so a later incoming call can ring.
  document.addEventListener('pointerdown', () => calls.unlockAudio(), { once: true });
  document.addEventListener('keydown', () => calls.unlockAudio(), { once: true });
  api.setUnauthorizedHandler(() => {
    if (state.me) leaveApp('Your session ended. Please log in again.');
  });
  if (sessionChannel) {
    sessionChannel.onmessage = (event) => {
      if (event.data === 'logout' && state.me) leaveApp('You logged out in another tab.');
    };
  }
  window.addEventListener('error', (event) => clientLog('error', 'script_error', null, event.message));
  window.addEventListener('unhandledrejection', (event) =>
    clientLog('error', 'unhandled_rejection', null, String(event.reason)));
  api.me().then((result) => {
    if (result.ok) enterApp(result.data.user);
    else leaveApp(result.status === 401 ? '' : describeAuthError(result.error));
  });
}

start();
