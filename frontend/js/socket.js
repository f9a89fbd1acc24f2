// RoomSocket: one live room's WebSocket (docs/protocol.md). It says hello
// with the last seq it saw, reconnects with exponential backoff and jitter,
// resumes from that seq on any instance, buffers requests while offline,
// and answers each request's promise from the server's ack or error.

/** RoomError is an error frame's {code, message}, or a local failure. */
export class RoomError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The largest frame the server accepts (64 KiB). */
const MAX_FRAME = 64 * 1024;

/** Close codes after which reconnecting is pointless. */
const TERMINAL_CLOSE = {
  4001: 'Your invite was withdrawn. Ask your interviewer for a new link.',
  4029: 'This invite is open in too many tabs. Close one, then reload this page.',
};

/**
 * @typedef {'idle'|'connecting'|'open'|'reconnecting'|'closed'} SocketStatus
 *
 * Events (subscribe with on(type, fn)):
 *   status   (status: SocketStatus, detail?: string)
 *   welcome  (frame)            after every (re)connect
 *   <type>   (frame, {replay})  every server frame by its type; replay is true
 *                               for durable events the server replays, i.e.
 *                               seq <= the welcome's last_seq
 *   frame    (frame, {replay})  every server frame
 *   error    (data)             an error frame that answers no request
 */
export class RoomSocket {
  /**
   * @param {number|string} interviewId
   * @param {object} [opts]
   * @param {string} [opts.url] defaults to ws(s)://<this origin>/ws/interviews/<id>
   * @param {number} [opts.minDelay] first reconnect delay in ms
   * @param {number} [opts.maxDelay] longest reconnect delay in ms
   * @param {number} [opts.maxBuffer] requests kept while offline
   * @param {() => Promise<string|null>} [opts.probe] called after repeated
   *   failed connects; a string it returns ends reconnecting with that message
   */
  constructor(interviewId, opts = {}) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = opts.url ?? `${proto}//${location.host}/ws/interviews/${encodeURIComponent(interviewId)}`;
    this.minDelay = opts.minDelay ?? 500;
    this.maxDelay = opts.maxDelay ?? 15_000;
    this.maxBuffer = opts.maxBuffer ?? 200;
    this.probe = opts.probe;
    /** The last durable seq seen; sent in hello. */
    this.lastSeq = 0;
    /** Durable events up to this seq are replays of the current connection. */
    this.replayUpTo = 0;
    /** @type {SocketStatus} */
    this.status = 'idle';
    this.ws = null;
    this.welcomed = false;
    this.attempt = 0;
    this.failures = 0;
    this.timer = null;
    this.nextId = 0;
    /** @type {Map<string, {resolve: Function, reject: Function}>} sent, awaiting ack */
    this.pending = new Map();
    /** @type {{id: string, type: string, data: any, key?: string, resolve: Function, reject: Function}[]} not yet sent */
    this.buffer = [];
    this.listeners = new Map();
    this.stopped = false;

    this.started = false;
    this.everOpen = false;
    this.onOnline = () => {
      if (this.started && !this.stopped && !this.ws) this.connectNow();
    };
    this.onOffline = () => {
      // An open socket can stay "open" long after the network went: drop it
      // and wait for the network to come back.
      if (this.ws) this.drop('offline');
    };
    this.onPageHide = () => this.close();
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    addEventListener('pagehide', this.onPageHide);
    // Closing on pagehide lets the browser keep the page in its back/forward
    // cache; a page restored from it starts afresh rather than disconnected.
    addEventListener('pageshow', (ev) => {
      if (ev.persisted) location.reload();
    });
  }

  /**
   * on subscribes fn to an event; it returns a function that unsubscribes.
   * @param {string} type
   * @param {Function} fn
   */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type)?.delete(fn);
  }

  emit(type, ...args) {
    for (const fn of this.listeners.get(type) ?? []) {
      try {
        fn(...args);
      } catch (err) {
        console.error(`room socket: ${type} handler failed`, err);
      }
    }
  }

  setStatus(status, detail) {
    if (this.status === status && !detail) return;
    this.status = status;
    this.emit('status', status, detail);
  }

  /** connect opens the socket (once; reconnects happen by themselves). */
  connect() {
    if (this.ws || this.stopped) return;
    this.started = true;
    this.setStatus(this.everOpen ? 'reconnecting' : 'connecting');
    if (!navigator.onLine) return; // the online event connects
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      ws.send(JSON.stringify({ type: 'hello', data: { last_seq: this.lastSeq } }));
    });
    ws.addEventListener('message', (ev) => {
      if (this.ws === ws) this.receive(ev.data);
    });
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      this.failPending('disconnected', 'The connection was lost before the server answered.');
      if (this.stopped) return;
      const terminal = TERMINAL_CLOSE[ev.code];
      if (terminal) {
        this.stop(terminal);
        return;
      }
      if (!opened) this.failures++;
      if (ev.code === 1001) this.attempt = 0; // the server is shutting down: go elsewhere soon
      this.scheduleReconnect();
    });
  }

  connectNow() {
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  /** drop closes the current socket and reconnects (used when the network goes). */
  drop(reason) {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    this.welcomed = false;
    try {
      ws.close(1000, reason);
    } catch {
      // already closing
    }
    this.failPending('disconnected', 'The connection was lost before the server answered.');
    this.scheduleReconnect();
  }

  async scheduleReconnect() {
    if (this.stopped) return;
    this.setStatus(this.everOpen ? 'reconnecting' : 'connecting');
    if (this.failures >= 2 && this.probe) {
      let verdict = null;
      try {
        verdict = await this.probe();
      } catch {
        verdict = null;
      }
      if (verdict) {
        this.stop(verdict);
        return;
      }
    }
    if (!navigator.onLine) return; // the online event reconnects
    const base = Math.min(this.maxDelay, this.minDelay * 2 ** this.attempt);
    const wait = base / 2 + Math.random() * (base / 2); // "equal jitter"
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, wait);
  }

  /** stop ends the socket for good, with a message for the page. */
  stop(message) {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try {
        ws.close(1000, 'done');
      } catch {
        // already closed
      }
    }
    this.failPending('closed', message || 'The connection is closed.');
    for (const r of this.buffer.splice(0)) r.reject(new RoomError('closed', message || 'The connection is closed.'));
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    removeEventListener('pagehide', this.onPageHide);
    this.setStatus('closed', message);
  }

  /** close ends the socket without a message (page unload, interview over). */
  close() {
    if (!this.stopped) this.stop('');
  }

  receive(raw) {
    let f;
    try {
      f = JSON.parse(raw);
    } catch {
      return;
    }
    if (!f || typeof f.type !== 'string') return;
    if (f.type === 'ack' || (f.type === 'error' && f.id)) {
      const p = this.pending.get(f.id);
      if (p) {
        this.pending.delete(f.id);
        if (f.type === 'ack') p.resolve(f);
        else p.reject(new RoomError(f.data?.code ?? 'error', f.data?.message ?? 'The server refused the request.'));
        return;
      }
    }
    if (f.type === 'error') {
      this.emit('error', f.data ?? {});
      return;
    }
    let replay = false;
    if (typeof f.seq === 'number') {
      if (f.seq <= this.lastSeq) return; // a repeat; the protocol promises none, but be safe
      this.lastSeq = f.seq;
      replay = f.seq <= this.replayUpTo;
    }
    if (f.type === 'welcome') {
      this.welcomed = true;
      this.everOpen = true;
      this.attempt = 0;
      this.failures = 0;
      this.replayUpTo = f.data?.last_seq ?? 0;
      this.emit('welcome', f);
      this.setStatus('open');
      this.flush();
      return;
    }
    this.emit(f.type, f, { replay });
    this.emit('frame', f, { replay });
  }

  /**
   * request sends a client message with an id and resolves with the ack or
   * rejects with a RoomError. While the socket is not open the request waits
   * in a buffer and goes out after the next welcome. A request with a `key`
   * replaces a buffered one with the same key (e.g. the latest draft wins);
   * the replaced one rejects with code "superseded".
   * @param {string} type
   * @param {any} [data]
   * @param {{key?: string}} [opts]
   * @returns {Promise<any>}
   */
  request(type, data, opts = {}) {
    return new Promise((resolve, reject) => {
      if (this.stopped) {
        reject(new RoomError('closed', 'The connection is closed.'));
        return;
      }
      const id = `r${++this.nextId}`;
      const req = { id, type, data, key: opts.key, resolve, reject };
      const frame = JSON.stringify(data === undefined ? { type, id } : { type, id, data });
      if (new Blob([frame]).size > MAX_FRAME) {
        reject(new RoomError('too_large', 'This is too long to send (the limit is 64 KB).'));
        return;
      }
      if (req.key) {
        const i = this.buffer.findIndex((b) => b.key === req.key);
        if (i >= 0) this.buffer.splice(i, 1)[0].reject(new RoomError('superseded', 'A newer request replaced this one.'));
      }
      if (this.welcomed && this.ws?.readyState === WebSocket.OPEN) {
        this.transmit(req, frame);
        return;
      }
      if (this.buffer.length >= this.maxBuffer) {
        this.buffer.shift().reject(new RoomError('dropped', 'Too many requests waited for the connection.'));
      }
      this.buffer.push(req);
    });
  }

  transmit(req, frame) {
    this.pending.set(req.id, { resolve: req.resolve, reject: req.reject });
    try {
      this.ws.send(frame ?? JSON.stringify(req.data === undefined ? { type: req.type, id: req.id } : { type: req.type, id: req.id, data: req.data }));
    } catch {
      this.pending.delete(req.id);
      this.buffer.unshift(req);
    }
  }

  flush() {
    while (this.buffer.length && this.welcomed && this.ws?.readyState === WebSocket.OPEN) {
      this.transmit(this.buffer.shift());
    }
  }

  failPending(code, message) {
    const err = new RoomError(code, message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
