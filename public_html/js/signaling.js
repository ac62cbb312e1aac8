// The signaling socket: connects to wss://HOST/ws (the session cookie authenticates it),
// validates every message, and reconnects with backoff and jitter after a drop.
// Interface: connect(), close(), send(message), on(type, fn). Besides the protocol's message
// types, on() takes 'state' (connecting | open | reconnecting | closed), 'drop' ({code, reason,
// opened}) and 'invalid' (a message that failed validation). No DOM.
import { Backoff } from './backoff.js';
import { encodeClientMessage, parseServerMessage } from './messages.js';

export class Signaling {
  constructor({ url, backoff = new Backoff(), WebSocketImpl = globalThis.WebSocket,
                setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (id) => clearTimeout(id) } = {}) {
    this.url_ = url;
    this.backoff_ = backoff;
    this.WebSocket_ = WebSocketImpl;
    this.setTimer_ = setTimer;
    this.clearTimer_ = clearTimer;
    this.socket_ = null;
    this.handlers_ = new Map();
    this.state_ = 'closed';
    this.stopped_ = true;
    this.retryTimer_ = null;
    this.everOpened_ = false;
  }

  get state() {
    return this.state_;
  }

  // True once a connection was open before: the next hello is a reconnect, not a first start.
  get isReconnect() {
    return this.everOpened_;
  }

  on(type, fn) {
    if (!this.handlers_.has(type)) this.handlers_.set(type, new Set());
    this.handlers_.get(type).add(fn);
    return () => this.handlers_.get(type).delete(fn);
  }

  emit_(type, payload) {
    for (const fn of this.handlers_.get(type) || []) {
      try {
        fn(payload);
      } catch (error) {
        // One faulty handler must not keep the others from the message.
        setTimeout(() => { throw error; });
      }
    }
  }

  setState_(state) {
    if (state === this.state_) return;
    this.state_ = state;
    this.emit_('state', state);
  }

  connect() {
    this.stopped_ = false;
    this.everOpened_ = false;
    this.backoff_.reset();
    this.open_('connecting');
  }

  // Reconnect now instead of waiting out the backoff (the browser came back online).
  retryNow() {
    if (this.stopped_ || this.state_ !== 'reconnecting') return;
    this.clearTimer_(this.retryTimer_);
    this.open_('reconnecting');
  }

  open_(state) {
    this.retryTimer_ = null;
    this.setState_(state);
    // Never two sockets at once: an attempt still under way (retryNow) is replaced.
    this.dropSocket_();
    let socket;
    try {
      socket = new this.WebSocket_(this.url_);
    } catch (error) {
      this.scheduleRetry_();
      return;
    }
    this.socket_ = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (event) => {
      const parsed = parseServerMessage(event.data);
      if (!parsed.ok) {
        this.emit_('invalid', { error: parsed.error, text: String(event.data).slice(0, 200) });
        return;
      }
      if (parsed.message.type === 'hello') {
        // Only a hello proves the server accepted us; a socket that opens and closes at once
        // must keep backing off.
        this.backoff_.reset();
        this.setState_('open');
      }
      this.emit_(parsed.message.type, parsed.message);
      if (parsed.message.type === 'hello') this.everOpened_ = true;
    };
    socket.onclose = (event) => {
      if (this.socket_ !== socket) return;
      this.socket_ = null;
      this.emit_('drop', { code: event.code, reason: event.reason, opened });
      if (this.stopped_) {
        this.setState_('closed');
      } else {
        this.scheduleRetry_();
      }
    };
    socket.onerror = () => {};  // onclose follows with the code
  }

  scheduleRetry_() {
    this.setState_('reconnecting');
    const delay = this.backoff_.next();
    this.retryTimer_ = this.setTimer_(() => this.open_('reconnecting'), delay);
  }

  // Sends a protocol message; false when it is malformed or the socket is not open.
  send(message) {
    const encoded = encodeClientMessage(message);
    if (!encoded.ok) {
      this.emit_('invalid', { error: encoded.error, outgoing: true });
      return false;
    }
    if (!this.socket_ || this.socket_.readyState !== 1 || this.state_ !== 'open') return false;
    this.socket_.send(encoded.text);
    return true;
  }

  close() {
    this.stopped_ = true;
    this.clearTimer_(this.retryTimer_);
    this.retryTimer_ = null;
    this.dropSocket_();
    this.setState_('closed');
  }

  // Closes our socket, if any; its onclose then sees that it is no longer ours.
  dropSocket_() {
    const socket = this.socket_;
    this.socket_ = null;
    if (socket) socket.close(1000, 'client closing');
  }
}
