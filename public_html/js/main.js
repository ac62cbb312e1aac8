// Wiring: the app's lifecycle (signed out / signed in), the directory and presence. The call
// flow lives in call_controller.js; modules meet here and nowhere else.
import * as api from './api.js';
import * as ui from './ui.js';
import { Signaling } from './signaling.js';
import { CallController } from './call_controller.js';
import { clientLog } from './client_log.js';
import { IceServers } from './ice_servers.js';
import { askNotificationPermission, notificationPermission } from './alerts.js';
import { describeAuthError } from './text.js';

// The daemon closes with this when the session was logged out, revoked or expired.
const kCloseSessionEnded = 4401;

const state = {
  me: null,
  users: [],
  online: new Set(),
  filter: '',
};

const sessionChannel = 'BroadcastChannel' in window ? new BroadcastChannel('videochat-session') : null;
const signaling = new Signaling({ url: `wss://${location.host}/ws` });
const iceServers = new IceServers({ fetchServers: api.iceServers });
const calls = new CallController({
  signaling,
  iceServers,
  findUser: (id) => state.users.find((u) => u.id === id) || null,
  onIdle: () => {
    ui.showView('home');
    renderDirectory();
    refreshHistory();
    // The daemon writes the call's row from its own DB workers; look again once it has.
    setTimeout(refreshHistory, 1500);
  },
});

function renderDirectory() {
  ui.renderDirectory(state.users, state.online, state.filter, { busy: calls.busy });
}

async function refreshUsers() {
  const result = await api.users();
  if (!result.ok) return;
  state.users = result.data.users;
  renderDirectory();
}

async function refreshHistory() {
  if (!state.me) return;
  const result = await api.calls();
  if (result.ok && Array.isArray(result.data.calls)) ui.renderHistory(result.data.calls);
}

// ---- signaling: presence, connection state ----

signaling.on('state', (s) => {
  ui.setConnectionState(s);
  if (s === 'reconnecting') ui.announce('Connection to the server lost. Reconnecting…');
});

signaling.on('hello', (m) => {
  const reconnect = signaling.isReconnect;
  state.online = new Set(m.online.filter((id) => id !== state.me?.id));
  renderDirectory();
  if (reconnect) {
    ui.announce('Reconnected');
    calls.onReconnected();
  }
});

signaling.on('presence', (m) => {
  if (m.online) state.online.add(m.user_id);
  else state.online.delete(m.user_id);
  // Someone new registered since we loaded the list.
  if (m.online && !state.users.some((u) => u.id === m.user_id)) refreshUsers();
  else renderDirectory();
});

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
  await Promise.all([refreshUsers(), refreshHistory()]);
}

function leaveApp(message) {
  if (calls.busy) calls.hangup();
  signaling.close();
  iceServers.stop();
  state.me = null;
  state.users = [];
  state.online = new Set();
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
    onFilter: (text) => { state.filter = text; renderDirectory(); },
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
