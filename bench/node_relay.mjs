// The peer of ws-daemon in `make bench`: a minimal signaling relay on Node's `ws` package doing
// the same routing — two connections bound to a call id, each `ice`/`sdp` parsed, checked
// against the call and its sender, and forwarded re-encoded to the other end — without
// accounts, a database or a call state machine. It is what a small Node signaling server
// would be, driven by the same native load generator (bench/load_main.cpp) in the same run.
// Presence as ws-daemon keeps it: a connection whose Cookie names a user (`__Host-session=uID`,
// the generator's stand-in for a session) is greeted with `hello`, may `subscribe` to at most
// 500 users, and its followers hear its user's first open and last close, gathered for 0.5 s.
//
// Usage: node bench/node_relay.mjs PORT    (listens on 127.0.0.1; prints "listening" when ready)
import { WebSocketServer } from 'ws';

const kPingIntervalMs = 20_000;  // ws-daemon's ws.ping_interval default
const kMaxMessageBytes = 64 * 1024;  // ws-daemon's ws.max_message_bytes default

const port = Number(process.argv[2]);
if (!port) {
  console.error('usage: node bench/node_relay.mjs PORT');
  process.exit(2);
}

const kMaxWatchedUsers = 500;
const kPresenceCoalesceMs = 500;

const calls = new Map();  // call id -> [first, second] connections
const users = new Map();  // user id -> Set of open connections
const followers = new Map();  // user id -> Set of connections that follow them
const pending = new Map();  // user id -> online state before the first change in this window
let presenceTimer = null;

function userOf(request) {
  const match = /(?:^|;\s*)__Host-session=u(\d+)/.exec(request.headers.cookie || '');
  return match ? Number(match[1]) : 0;
}

function follow(ws, ids) {
  for (const id of ws.follows) followers.get(id)?.delete(ws);
  ws.follows = new Set(ids.filter((id) => id !== ws.userId));
  const online = [];
  const offline = [];
  for (const id of ws.follows) {
    if (!followers.has(id)) followers.set(id, new Set());
    followers.get(id).add(ws);
    (users.has(id) ? online : offline).push(id);
  }
  ws.send(JSON.stringify({ type: 'presence', online, offline }));
}

function presenceChanged(id, wasOnline) {
  if (!pending.has(id)) pending.set(id, wasOnline);
  presenceTimer ??= setTimeout(flushPresence, kPresenceCoalesceMs);
}

function flushPresence() {
  presenceTimer = null;
  const batches = new Map();
  for (const [id, wasOnline] of pending) {
    const online = users.has(id);
    if (online === wasOnline) continue;
    for (const ws of followers.get(id) || []) {
      if (!batches.has(ws)) batches.set(ws, { type: 'presence', online: [], offline: [] });
      batches.get(ws)[online ? 'online' : 'offline'].push(id);
    }
  }
  pending.clear();
  for (const [ws, batch] of batches) ws.send(JSON.stringify(batch));
}

function error(ws, code) {
  ws.send(JSON.stringify({ type: 'error', code, message: code, ref: '' }));
}

function onMessage(ws, data, isBinary) {
  if (isBinary) return ws.close(1003, 'text frames only');
  let m;
  try {
    m = JSON.parse(data);
  } catch {
    return error(ws, 'invalid_json');
  }
  if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return error(ws, 'invalid_format');
  if (m.type === 'subscribe') {
    if (!Array.isArray(m.users) || m.users.length > kMaxWatchedUsers ||
        !m.users.every((id) => Number.isInteger(id) && id > 0)) return error(ws, 'invalid_format');
    return follow(ws, m.users);
  }
  if (typeof m.call_id !== 'string' || m.call_id.length !== 36) return error(ws, 'invalid_format');
  if (m.type === 'join') {
    const ends = calls.get(m.call_id) || [];
    if (ends.length === 2) return error(ws, 'not_allowed');
    ends.push(ws);
    calls.set(m.call_id, ends);
    ws.callIds.add(m.call_id);
    if (ends.length === 2) {
      for (const end of ends) end.send(JSON.stringify({ type: 'accepted', call_id: m.call_id }));
    }
    return;
  }
  if (m.type !== 'ice' && m.type !== 'sdp') return error(ws, 'unknown_type');
  const ends = calls.get(m.call_id);
  if (!ends || ends.length !== 2) return error(ws, 'unknown_call');
  const i = ends.indexOf(ws);
  if (i < 0) return error(ws, 'not_allowed');
  ends[1 - i].send(JSON.stringify(m));
}

function onClose(ws) {
  for (const id of ws.follows) followers.get(id)?.delete(ws);
  const mine = users.get(ws.userId);
  if (mine?.delete(ws) && mine.size === 0) {
    users.delete(ws.userId);
    presenceChanged(ws.userId, true);
  }
  for (const id of ws.callIds) {
    const ends = calls.get(id) || [];
    const rest = ends.filter((end) => end !== ws);
    if (rest.length) calls.set(id, rest);
    else calls.delete(id);
  }
}

const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', perMessageDeflate: false,
                                     maxPayload: kMaxMessageBytes });
server.on('connection', (ws, request) => {
  ws.callIds = new Set();
  ws.follows = new Set();
  ws.userId = userOf(request);
  if (ws.userId) {
    if (!users.has(ws.userId)) {
      users.set(ws.userId, new Set());
      presenceChanged(ws.userId, false);
    }
    users.get(ws.userId).add(ws);
    ws.send(JSON.stringify({ type: 'hello', user: { id: ws.userId } }));
  }
  ws.alive = true;
  ws.on('pong', () => { ws.alive = true; });
  ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
  ws.on('close', () => onClose(ws));
  ws.on('error', () => {});
});
server.on('listening', () => console.log('listening'));

const pinger = setInterval(() => {
  for (const ws of server.clients) {
    if (!ws.alive) {
      ws.terminate();
      continue;
    }
    ws.alive = false;
    ws.ping();
  }
}, kPingIntervalMs);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(pinger);
    for (const ws of server.clients) ws.terminate();
    server.close(() => process.exit(0));
  });
}
