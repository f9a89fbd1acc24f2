// Countdowns drawn from the server's deadlines (docs/protocol.md, Timers):
// remaining = deadline_ms − (Date.now() + offset), where offset is the
// server's clock minus ours, taken from server_now when a frame arrives.
// No per-second messages: the page ticks by itself. Screen readers hear the
// thresholds (5 min, 1 min, 30 s, time up), not every second.

import { h } from './dom.js';

/** clock is this page's estimate of the server's clock. */
export const clock = {
  offset: 0,
  /** now is the server's time in Unix ms, as far as we can tell. */
  now() {
    return Date.now() + this.offset;
  },
  /** sync takes server_now (RFC 3339) from a frame that just arrived. */
  sync(serverNow) {
    const t = Date.parse(serverNow);
    if (!Number.isNaN(t)) this.offset = t - Date.now();
  },
};

/** format renders ms as m:ss, or h:mm:ss from an hour up; rounded up, so 0:00 means time is up. */
export function format(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hrs = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return hrs ? `${hrs}:${String(min).padStart(2, '0')}:${sec}` : `${min}:${sec}`;
}

/** spoken renders seconds for a screen reader: "5 minutes", "30 seconds". */
export function spoken(sec) {
  if (sec >= 60 && sec % 60 === 0) return `${sec / 60} minute${sec === 60 ? '' : 's'}`;
  if (sec >= 60) return `${Math.floor(sec / 60)} minutes ${sec % 60} seconds`;
  return `${sec} second${sec === 1 ? '' : 's'}`;
}

const THRESHOLDS = [300, 60, 30];

/**
 * Countdown draws one timer into an element and announces thresholds.
 * The element gets a time and a state text; data-state is none, running,
 * paused or expired, and the class "urgent" marks the last stretch.
 */
export class Countdown {
  /**
   * @param {HTMLElement} el
   * @param {object} opts
   * @param {string} opts.label what the timer is, for announcements ("Question", "Exam")
   * @param {(text: string) => void} [opts.announce]
   * @param {() => void} [opts.onZero] called once when a running timer reaches 0 here
   */
  constructor(el, { label, announce, onZero } = {}) {
    this.el = el;
    this.label = label ?? 'Timer';
    this.announce = announce ?? (() => {});
    this.onZero = onZero ?? (() => {});
    this.timer = null;
    this.interval = null;
    this.said = new Set();
    this.zeroed = false;
    this.timeEl = h('span', { class: 'cd-time', text: '–:––' });
    this.stateEl = h('span', { class: 'cd-state' });
    el.replaceChildren(this.timeEl, ' ', this.stateEl);
    el.dataset.state = 'none';
  }

  /**
   * set shows a timer (timer event data or a welcome's timer), or none.
   * @param {null | {timer_id:number, state:string, deadline_ms?:number, remaining_ms:number, duration_ms:number}} t
   */
  set(t) {
    const fresh = !this.timer || !t || this.timer.timer_id !== t.timer_id;
    this.timer = t;
    if (fresh) {
      // Thresholds already behind us when a timer first shows are not news.
      this.said.clear();
      this.zeroed = false;
      const rem = this.remaining();
      if (t) for (const s of THRESHOLDS) if (rem <= s * 1000) this.said.add(s);
      if (t && t.state === 'expired') this.said.add(0);
    }
    if (t && t.state === 'running' && this.remaining() > 0) this.zeroed = false;
    // A timer given more time may cross its thresholds again.
    const rem = this.remaining();
    for (const s of [...this.said]) if (s > 0 && rem > s * 1000 + 1000) this.said.delete(s);
    if (rem > 1000) this.said.delete(0);
    clearInterval(this.interval);
    this.interval = null;
    if (t && t.state === 'running') this.interval = setInterval(() => this.draw(), 250);
    this.draw();
  }

  /** remaining is the time left in ms (0 when none or expired). */
  remaining() {
    const t = this.timer;
    if (!t) return 0;
    if (t.state === 'running') return Math.max(0, (t.deadline_ms ?? 0) - clock.now());
    if (t.state === 'paused') return Math.max(0, t.remaining_ms ?? 0);
    return 0;
  }

  /** running reports whether time is running out now. */
  running() {
    return this.timer?.state === 'running' && this.remaining() > 0;
  }

  draw() {
    const t = this.timer;
    const rem = this.remaining();
    let state = 'none';
    let stateText = '';
    if (t) {
      state = t.state === 'running' && rem <= 0 ? 'expired' : t.state;
      stateText = { running: '', paused: 'paused', expired: "time's up" }[state] ?? '';
    }
    this.el.dataset.state = state;
    this.timeEl.textContent = t ? format(rem) : '–:––';
    this.stateEl.textContent = stateText;
    const dur = t?.duration_ms ?? 0;
    const urgentAt = Math.max(10_000, Math.min(60_000, dur * 0.2));
    this.el.classList.toggle('urgent', !!t && (state === 'running' || state === 'paused') && rem <= urgentAt);
    this.el.classList.toggle('expired', state === 'expired');
    if (!t) return;
    if (state === 'running') {
      for (const s of THRESHOLDS) {
        if (rem <= s * 1000 && !this.said.has(s)) {
          // Only the nearest threshold crossed is worth saying.
          for (const s2 of THRESHOLDS) if (s2 >= s) this.said.add(s2);
          this.announce(`${this.label}: ${spoken(s)} left.`);
          break;
        }
      }
    }
    if (state === 'expired' && !this.said.has(0)) {
      this.said.add(0);
      this.announce(`${this.label}: time is up.`);
    }
    if (state === 'expired' && t.state === 'running' && !this.zeroed) {
      this.zeroed = true;
      clearInterval(this.interval);
      this.interval = null;
      this.onZero();
    }
  }

  destroy() {
    clearInterval(this.interval);
  }
}
