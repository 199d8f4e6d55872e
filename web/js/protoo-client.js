// protoo, mediasoup-demo's signaling protocol: JSON requests, responses and notifications over
// one WebSocket with subprotocol "protoo" (mediasoup-compat.md §1).
//
// Events:
//   'open'                           connected (again, after a reconnect: the caller must rejoin,
//                                    the server has no session resumption)
//   'failed' (attempt, delayMs)      a connection attempt failed; the next one follows after delayMs
//   'disconnected'                   a live connection dropped; reconnecting starts at once
//   'close' ({code, reason})         final: closed by the server (code 4000), by close(), or
//                                    every retry failed (code 0)
//   'notification' (method, data)
// Server requests go to `onRequest(method, data)`: its resolved value is the success data; a
// thrown error becomes an error response (error.code, or 500).
import { Emitter } from './emitter.js';

// protoo-client's retry defaults: 10 retries, backoff factor 2 from 1 s up to 8 s.
const RETRY = { retries: 10, factor: 2, minTimeout: 1000, maxTimeout: 8000 };

// protoo-server closes a peer it has closed itself with this code; it means "do not come back".
export const SERVER_CLOSE_CODE = 4000;

export class ProtooError extends Error {
  constructor(method, code, reason) {
    super(`${method} failed: ${reason ?? 'unknown error'}`);
    this.method = method;
    this.code = code;
    this.reason = reason;
  }
}

export class ProtooClient extends Emitter {
  #url;
  #socket = null;
  #pending = new Map();
  #closed = false;
  #attempt = 0;
  #retryTimer = null;

  constructor(url) {
    super();
    this.#url = url;
    this.onRequest = async (method) => {
      throw Object.assign(new Error(`${method} is not handled`), { code: 403 });
    };
  }

  get connected() {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  get closed() {
    return this.#closed;
  }

  connect() {
    this.#closed = false;
    this.#attempt = 0;
    this.#open();
  }

  // Sends a request and resolves with the response data. The timeout grows with the number of
  // requests in flight, as protoo-client's does (1500 ms × (15 + 0.1 × pending)).
  request(method, data = {}, timeoutMs = 1500 * (15 + 0.1 * this.#pending.size)) {
    if (!this.connected) return Promise.reject(new ProtooError(method, 0, 'not connected'));
    const id = this.#newRequestId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ProtooError(method, 408, 'request timeout'));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve, reject, timer });
      this.#socket.send(JSON.stringify({ request: true, id, method, data }));
    });
  }

  // Closes for good: no reconnect. Pending requests fail.
  close(code = 1000, reason = 'closed by client') {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(code, reason);
    this.#failPending('closed');
    this.emit('close', { code, reason });
  }

  #newRequestId() {
    // protoo uses random ids in [0, 1e7], not a counter; avoid ids still in flight.
    let id;
    do id = Math.round(Math.random() * 1e7);
    while (this.#pending.has(id));
    return id;
  }

  #open() {
    let opened = false;
    const socket = new WebSocket(this.#url, 'protoo');
    this.#socket = socket;

    socket.onopen = () => {
      opened = true;
      this.#attempt = 0;
      this.emit('open');
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      if (socket !== this.#socket || this.#closed) return;
      this.#socket = null;
      this.#failPending('connection lost');
      if (event.code === SERVER_CLOSE_CODE) {
        this.#closed = true;
        this.emit('close', { code: event.code, reason: event.reason });
      } else if (opened) {
        // A dropped live connection starts the retry loop afresh, with a full retry budget.
        this.emit('disconnected');
        this.#open();
      } else {
        this.#retry();
      }
    };
  }

  #retry() {
    this.#attempt += 1;
    if (this.#attempt > RETRY.retries) {
      this.#closed = true;
      this.emit('close', { code: 0, reason: 'server unreachable' });
      return;
    }
    const delay = Math.min(RETRY.minTimeout * RETRY.factor ** (this.#attempt - 1), RETRY.maxTimeout);
    this.emit('failed', this.#attempt, delay);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #failPending(why) {
    for (const { method, reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new ProtooError(method, 0, why));
    }
    this.#pending.clear();
  }

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('protoo: dropped a frame that is not JSON');
      return;
    }
    if (message.response) {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.data ?? {});
      else pending.reject(new ProtooError(pending.method, message.errorCode, message.errorReason));
    } else if (message.request) {
      this.#answer(message);
    } else if (message.notification) {
      this.emit('notification', message.method, message.data ?? {});
    }
  }

  async #answer({ id, method, data }) {
    const socket = this.#socket;
    let response;
    try {
      response = { response: true, id, ok: true, data: (await this.onRequest(method, data ?? {})) ?? {} };
    } catch (error) {
      console.warn(`protoo: answering ${method} with an error`, error);
      response = { response: true, id, ok: false, errorCode: error.code ?? 500, errorReason: String(error.message ?? error) };
    }
    // The answer belongs to the socket the request came on; after a reconnect it is moot.
    if (socket === this.#socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(response));
  }
}
