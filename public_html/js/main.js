// Wiring: API, signaling, call and UI modules meet here and nowhere else.
import * as api from './api.js';
import * as ui from './ui.js';
import { describeAuthError } from './text.js';

const state = {
  me: null,
  users: [],
  online: new Set(),
  filter: '',
};

const logoutChannel = 'BroadcastChannel' in window ? new BroadcastChannel('videochat-session') : null;

function renderDirectory() {
  ui.renderDirectory(state.users, state.online, state.filter);
}

async function refreshUsers() {
  const result = await api.users();
  if (!result.ok) return;
  state.users = result.data.users;
  renderDirectory();
}

async function refreshHistory() {
  const result = await api.calls();
  if (result.ok && Array.isArray(result.data.calls)) ui.renderHistory(result.data.calls);
}

async function enterApp(user) {
  state.me = user;
  ui.renderMe(user);
  ui.showView('home');
  ui.announce(`Signed in as ${user.display_name}`);
  await Promise.all([refreshUsers(), refreshHistory()]);
}

function leaveApp(message) {
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
  await api.logout();
  if (logoutChannel) logoutChannel.postMessage('logout');
  leaveApp();
}

async function start() {
  ui.bind({
    onLogin,
    onRegister,
    onLogout,
    onFilter: (text) => { state.filter = text; renderDirectory(); },
    onCallUser: () => {},
    onEnableNotifications: () => {},
  });
  api.setUnauthorizedHandler(() => {
    if (state.me) leaveApp('Your session ended. Please log in again.');
  });
  if (logoutChannel) {
    logoutChannel.onmessage = (event) => {
      if (event.data === 'logout' && state.me) leaveApp('You logged out in another tab.');
    };
  }
  const result = await api.me();
  if (result.ok) {
    await enterApp(result.data.user);
  } else {
    leaveApp(result.status === 401 ? '' : describeAuthError(result.error));
  }
}

start();
