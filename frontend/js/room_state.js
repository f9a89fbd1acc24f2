// What the console and the candidate view share about a room: its timers as
// the server states them (absolute deadlines, the clock offset taken from
// every server_now) and the connection line. One copy, so both sides draw
// the same time and say the same thing about the connection.

import { clock } from './countdown.js';

/** The timer.* event types. */
export const TIMER_EVENTS = ['timer.started', 'timer.paused', 'timer.resumed', 'timer.extended', 'timer.expired'];

/** timerKey names a timer: scope, position (0 for the exam) and candidate (0 for the room's). */
export const timerKey = (t) => `${t.scope}:${t.position ?? 0}:${t.candidate_id ?? 0}`;

/** Timers holds a room's timers from the welcome and the timer.* events. */
export class Timers {
  constructor() {
    /** @type {Map<string, any>} */
    this.byKey = new Map();
  }

  /** reset replaces every timer with the welcome's, syncing the clock to its server_now. */
  reset(list, serverNow) {
    if (serverNow) clock.sync(serverNow);
    this.byKey = new Map((list ?? []).map((t) => [timerKey(t), t]));
  }

  /** apply takes one timer.* event's data. */
  apply(d) {
    clock.sync(d.server_now);
    this.byKey.set(timerKey(d), d);
  }

  /** get returns a timer, or null. */
  get(scope, position, candidate = 0) {
    return this.byKey.get(`${scope}:${position}:${candidate}`) ?? null;
  }

  /** forCandidate prefers the candidate's own timer (extra time) to the room's. */
  forCandidate(scope, position, candidate) {
    return (candidate && this.get(scope, position, candidate)) || this.get(scope, position, 0);
  }

  /** expireAll marks every timer run out (the interview ended). */
  expireAll() {
    for (const [k, t] of this.byKey) this.byKey.set(k, { ...t, state: 'expired', remaining_ms: 0 });
  }
}

const CONNECTION = { connecting: 'Connecting…', open: 'Connected', reconnecting: 'Reconnecting…' };

/**
 * showConnection writes a RoomSocket status into the connection line.
 * @param {HTMLElement} el
 * @param {string} status
 * @param {string} [detail] why a closed socket closed
 */
export function showConnection(el, status, detail) {
  el.dataset.state = status;
  el.textContent = status === 'closed' ? detail || 'Disconnected' : CONNECTION[status] ?? status;
}
