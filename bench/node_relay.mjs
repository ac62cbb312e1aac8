// The peer of ws-daemon in `make bench`: a minimal signaling relay on Node's `ws` package doing
// the same routing — two connections bound to a call id, each `ice`/`sdp` parsed, checked
// against the call and its sender, and forwarded re-encoded to the other end — without
// accounts, a database or a call state machine. It is what a small Node signaling server
// would be, driven by the same native load generator (bench/load_main.cpp) in the same run.
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

const calls = new Map();  // call id -> [first, second] connections

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
  for (const id of ws.callIds) {
    const ends = calls.get(id) || [];
    const rest = ends.filter((end) => end !== ws);
    if (rest.length) calls.set(id, rest);
    else calls.delete(id);
  }
}

const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', perMessageDeflate: false,
                                     maxPayload: kMaxMessageBytes });
server.on('connection', (ws) => {
  ws.callIds = new Set();
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
