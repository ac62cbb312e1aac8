// The HTTP API. Every call resolves to {ok: true, status, data} or {ok: false, status, error}
// where error is the server's {code, message} (plus retryAfter seconds when the server sent one).
// Nothing here throws and nothing here touches the DOM.

let onUnauthorized = () => {};

// Called with no arguments when an authenticated request gets 401: the session is gone.
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

async function request(method, path, body, { authed = true } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, error: { code: 'network_error', message: 'cannot reach the server' } };
  }
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;  // nginx error pages and empty bodies are not JSON
    }
  }
  if (response.ok) return { ok: true, status: response.status, data };
  const error = data && data.error && typeof data.error.code === 'string'
    ? { code: data.error.code, message: String(data.error.message || '') }
    : { code: `http_${response.status}`, message: response.statusText };
  const retryAfter = Number(response.headers.get('Retry-After'));
  if (retryAfter > 0) error.retryAfter = retryAfter;
  if (response.status === 401 && authed) onUnauthorized();
  return { ok: false, status: response.status, error };
}

export const register = (username, password, displayName) =>
  request('POST', '/api/register',
          displayName ? { username, password, display_name: displayName } : { username, password },
          { authed: false });
export const login = (username, password) =>
  request('POST', '/api/login', { username, password }, { authed: false });
export const logout = () => request('POST', '/api/logout', {}, { authed: false });
export const logoutAll = () => request('POST', '/api/logout-all', {}, { authed: false });
export const me = () => request('GET', '/api/me', undefined, { authed: false });
export const contacts = () => request('GET', '/api/contacts');
export const addContact = (userId) => request('POST', '/api/contacts', { user_id: userId });
export const removeContact = (userId) =>
  request('DELETE', `/api/contacts?user_id=${encodeURIComponent(userId)}`);
export function searchUsers(query, after) {
  const params = new URLSearchParams({ q: query });
  if (after) params.set('after', after);
  return request('GET', `/api/users/search?${params}`);
}
export const calls = () => request('GET', '/api/calls');
export const iceServers = () => request('GET', '/api/ice-servers');

// Best effort: a failed log post is not worth bothering the user with.
export function clientLog(entry) {
  return request('POST', '/api/client-log', entry);
}
