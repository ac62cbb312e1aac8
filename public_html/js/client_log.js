// The page's structured log lines, posted to /api/client-log beside the server's own.
import * as api from './api.js';

const kMaxMessageChars = 1000;

export function clientLog(level, event, callId, message, stats) {
  const entry = { level, event };
  if (callId) entry.call_id = callId;
  if (message) entry.message = String(message).slice(0, kMaxMessageChars);
  if (stats) entry.stats = stats;
  api.clientLog(entry);
}
