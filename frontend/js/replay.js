// Replay of one candidate's timeline (docs/pages.md, "Replay"). Mounts into
// every <section class="replay" data-candidate="ID"> of the page: one call
// to GET /api/v1/interviews/{id}/candidates/{cid}/replay (docs/protocol.md,
// "Replay") gives the transcript events that candidate saw, their signals
// and their drafts as edits; this module rebuilds, for any instant, the
// question on screen, the timers, the answer exactly as it stood and the
// chat so far, and plays it back at 1× to 32×, optionally skipping idle
// stretches. A moment has a link: #t=12:34 (and &c=ID when the page holds
// several replays).

import { api } from './api.js';
import { h, clear, clockTime, Announcer } from './dom.js';
import { format } from './countdown.js';

/** Playback speeds offered. */
export const SPEEDS = [1, 2, 4, 8, 16, 32];
/** A stretch with no change longer than this is idle... */
export const IDLE_MS = 5000;
/** ...and plays as this long when "Skip idle" is on. */
export const IDLE_PLAYS_MS = 1000;
/** Markers that would overlap stack in at most this many lanes, each this high. */
const MARKER_LANES = 4;
const LANE_REM = 1.7;
/** How many items apart the rebuilt states are kept, for seeking back. */
const CHECKPOINT_EVERY = 200;

// ---------------------------------------------------------------- moments

/**
 * formatOffset renders an offset into the replay as m:ss, or h:mm:ss from
 * an hour on (rounded down to the second): the form of #t= links.
 * @param {number} ms
 * @returns {string}
 */
export function formatOffset(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hrs = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return hrs ? `${hrs}:${String(min).padStart(2, '0')}:${sec}` : `${min}:${sec}`;
}

/**
 * parseOffset reads "12:34", "1:02:03" or "754" (seconds) as ms; null when
 * it is none of these.
 * @param {string} s
 * @returns {number|null}
 */
export function parseOffset(s) {
  const m = /^\s*(?:(\d+):)?(?:(\d+):)?(\d+)\s*$/.exec(s ?? '');
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].filter((p) => p !== undefined).map(Number);
  if (parts.length > 1 && parts.slice(1).some((p) => p > 59)) return null;
  return parts.reduce((acc, p) => acc * 60 + p, 0) * 1000;
}

/**
 * momentHash is the fragment that opens a replay at ms: "#t=12:34", with
 * "&c=ID" naming the candidate's replay when given.
 * @param {number} ms
 * @param {number|string} [candidateId]
 * @returns {string}
 */
export function momentHash(ms, candidateId) {
  return `#t=${formatOffset(ms)}${candidateId ? `&c=${candidateId}` : ''}`;
}

/**
 * readMoment parses a location hash into {ms, candidate}; null without t=.
 * @param {string} hash
 * @returns {{ms: number, candidate: string|null}|null}
 */
export function readMoment(hash) {
  const p = new URLSearchParams((hash ?? '').replace(/^#/, ''));
  const ms = parseOffset(p.get('t') ?? '');
  return ms === null ? null : { ms, candidate: p.get('c') };
}

/** The phrase a comment holds to point at a moment, as insertMoment writes it. */
const MOMENT_TEXT = /\bsee (\d+:\d{2}(?::\d{2})?)\b/;

/**
 * insertMoment writes "see 12:34" at the caret of a comment field (replacing
 * any selection), with a space before it when needed, and fires an input
 * event so the field's own handlers (autosave) notice. The scorecard form
 * calls it with the moment of the candidate's replay (currentMoment); the
 * report page turns the phrase into a link to that moment (linkMoments).
 * @param {HTMLTextAreaElement|HTMLInputElement} field
 * @param {number} ms offset into the replay
 * @returns {string} the text inserted
 */
export function insertMoment(field, ms) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const before = field.value.slice(0, start);
  const text = `${before && !/\s$/.test(before) ? ' ' : ''}see ${formatOffset(ms)}`;
  field.setRangeText(text, start, end, 'end');
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.focus();
  return text;
}

/**
 * linkMoments turns every "see 12:34" in the text under root (comments,
 * summaries, notes) into a link to that moment of candidateId's replay.
 * Text nodes are split, never rewritten as markup.
 * @param {Element} root
 * @param {number|string} [candidateId]
 * @returns {number} how many links it made
 */
export function linkMoments(root, candidateId) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('a, textarea, input, script, style, .replay')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (MOMENT_TEXT.test(n.data)) nodes.push(n);
  const all = new RegExp(MOMENT_TEXT.source, 'g');
  let made = 0;
  for (const node of nodes) {
    const parts = [];
    let last = 0;
    for (const m of node.data.matchAll(all)) {
      const ms = parseOffset(m[1]);
      if (ms === null) continue;
      parts.push(node.data.slice(last, m.index));
      parts.push(h('a', { href: momentHash(ms, candidateId), class: 'moment-link', text: m[0] }));
      last = m.index + m[0].length;
      made++;
    }
    parts.push(node.data.slice(last));
    node.replaceWith(...parts.filter((p) => p !== ''));
  }
  return made;
}

/** views by candidate id, for currentMoment. */
const views = new Map();

/**
 * currentMoment is where candidateId's replay on this page stands, in ms
 * (null when the page has no replay of them or it has not loaded).
 * @param {number|string} candidateId
 * @returns {number|null}
 */
export function currentMoment(candidateId) {
  return views.get(String(candidateId))?.now ?? null;
}

// ---------------------------------------------------------------- text

// The server counts edits in Unicode code points; JavaScript strings count
// UTF-16 units. These walk a string by code points from a known index.

function isHigh(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** forward returns the index n code points after i, or -1 past the end. */
function forward(s, i, n) {
  while (n > 0) {
    if (i >= s.length) return -1;
    i += isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
    n--;
  }
  return i;
}

/** backward returns the index n code points before i (n within range). */
function backward(s, i, n) {
  while (n > 0 && i > 0) {
    i -= isLow(s.charCodeAt(i - 1)) && isHigh(s.charCodeAt(i - 2)) ? 2 : 1;
    n--;
  }
  return i;
}

function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!isLow(s.charCodeAt(i)) || !isHigh(s.charCodeAt(i - 1))) n++;
  return n;
}

/**
 * TextState is one question's text as the drafts rebuild it. It remembers
 * where its last edit ended (cp code points, at UTF-16 index), so the next
 * edit near there is found without counting from the start.
 */
class TextState {
  constructor(text = '', cp = 0, at = 0) {
    this.text = text;
    this.cp = cp;
    this.at = at;
  }

  clone() {
    return new TextState(this.text, this.cp, this.at);
  }

  /** apply makes an edit (offset, delete in code points); false if it does not fit. */
  apply(offset, del, insert) {
    let start;
    if (offset >= this.cp) start = forward(this.text, this.at, offset - this.cp);
    else if (this.cp - offset < offset) start = backward(this.text, this.at, this.cp - offset);
    else start = forward(this.text, 0, offset);
    if (start < 0) return false;
    const end = forward(this.text, start, del);
    if (end < 0) return false;
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.cp = offset + codePoints(insert);
    this.at = start + insert.length;
    return true;
  }
}

// ---------------------------------------------------------------- model

/** What each marker kind is called in the legend, with its one-letter glyph. */
const MARKER_KINDS = {
  push: { glyph: 'Q', name: 'Question pushed' },
  timer: { glyph: 'T', name: 'Timer' },
  submit: { glyph: 'S', name: 'Submitted' },
  paste: { glyph: 'P', name: 'Paste' },
  focus: { glyph: 'F', name: 'Focus lost' },
  chat: { glyph: 'C', name: 'Chat' },
};

const TIMER_VERBS = { 'timer.started': 'started', 'timer.paused': 'paused', 'timer.resumed': 'resumed', 'timer.extended': 'extended', 'timer.expired': 'ran out' };

function timerName(d) {
  return d.scope === 'exam' ? 'Exam timer' : `Question ${d.position} timer`;
}

/** markerOf returns the marker an event makes, or null. */
function markerOf(ev) {
  const d = ev.data ?? {};
  switch (ev.type) {
    case 'question.pushed':
      return { kind: 'push', label: `Question ${d.position} pushed` };
    case 'answer.submitted':
      return { kind: 'submit', label: `Answer to question ${d.position} submitted` };
    case 'candidate.pasted':
      return { kind: 'paste', label: `Pasted ${d.chars ?? 0} characters` };
    case 'candidate.focus_lost':
      return { kind: 'focus', label: 'Left the page' };
    case 'chat.message':
      return { kind: 'chat', label: `Chat from ${d.name || 'someone'}` };
    default:
      if (TIMER_VERBS[ev.type]) {
        const extra = ev.type === 'timer.extended' && d.added_ms ? ` by ${Math.round(d.added_ms / 1000)} s` : '';
        return { kind: 'timer', label: `${timerName(d)} ${TIMER_VERBS[ev.type]}${extra}` };
      }
      return null;
  }
}

function timerKey(d) {
  return `${d.scope}:${d.scope === 'exam' ? 0 : d.position}:${d.candidate_id ?? 0}`;
}

/** remainingAt is a timer's time left at absolute time t (ms). */
function remainingAt(timer, t) {
  if (timer.state === 'running') return Math.max(0, (timer.deadline_ms ?? 0) - t);
  if (timer.state === 'paused') return Math.max(0, timer.remaining_ms ?? 0);
  return 0;
}

/**
 * Timeline is a candidate's replay as data: its items with times, markers,
 * idle stretches, and the state at any offset. No DOM.
 */
export class Timeline {
  /** @param {any[]} items the API's items, in time order */
  constructor(items) {
    this.items = items.map((it) => ({ ...it, t: Date.parse(it.at) }));
    this.start = this.items.length ? this.items[0].t : 0;
    this.end = this.items.length ? this.items[this.items.length - 1].t : 0;
    this.duration = Math.max(this.end - this.start, 1000);
    this.chats = [];
    this.markers = [];
    for (const it of this.items) {
      if (it.kind !== 'event') continue;
      if (it.event.type === 'chat.message') this.chats.push(it);
      const m = markerOf(it.event);
      if (m) this.markers.push({ ...m, ms: it.t - this.start });
    }
    // Idle stretches: no item for longer than IDLE_MS.
    this.gaps = [];
    let saved = 0;
    for (let i = 1; i < this.items.length; i++) {
      const a = this.items[i - 1].t - this.start;
      const b = this.items[i].t - this.start;
      if (b - a > IDLE_MS) {
        this.gaps.push({ from: a, to: b, savedBefore: saved });
        saved += b - a - IDLE_PLAYS_MS;
      }
    }
    this.savedTotal = saved;
    this.state = this.initial();
    this.checkpoints = [this.snapshot(this.state)];
    while (this.state.idx < this.items.length) {
      this.step(this.state);
      if (this.state.idx % CHECKPOINT_EVERY === 0) this.checkpoints.push(this.snapshot(this.state));
    }
    this.state = this.restore(this.checkpoints[0]);
  }

  initial() {
    return { idx: 0, status: '', question: null, timers: new Map(), texts: new Map(), shown: new Map(), chatCount: 0, away: false, lastPaste: null, broken: false };
  }

  snapshot(s) {
    const texts = new Map();
    for (const [k, v] of s.texts) texts.set(k, v.clone());
    return { ...s, timers: new Map(s.timers), texts, shown: new Map(s.shown) };
  }

  restore(cp) {
    return this.snapshot(cp);
  }

  /** step applies the next item to state s. */
  step(s) {
    const it = this.items[s.idx++];
    if (it.kind === 'draft') {
      let ts = s.texts.get(it.position);
      if (typeof it.text === 'string') {
        ts = new TextState(it.text);
        s.texts.set(it.position, ts);
      } else if (!ts || !ts.apply(it.offset, it.delete, it.insert)) {
        s.broken = true; // an edit that does not fit: the server's data, not ours
        return;
      }
      s.shown.set(it.position, { text: ts.text, version: it.version, submitted: false, t: it.t });
      return;
    }
    const ev = it.event;
    const d = ev.data ?? {};
    switch (ev.type) {
      case 'interview.started':
      case 'interview.ended':
        s.status = d.status ?? '';
        break;
      case 'question.pushed':
        s.question = d;
        break;
      case 'answer.submitted':
        s.shown.set(d.position, { text: d.text ?? '', version: d.version, submitted: true, t: it.t });
        break;
      case 'chat.message':
        s.chatCount++;
        break;
      case 'candidate.focus_lost':
        s.away = true;
        break;
      case 'candidate.focus_back':
        s.away = false;
        break;
      case 'candidate.pasted':
        s.lastPaste = { chars: d.chars ?? 0, t: it.t };
        break;
      default:
        if (TIMER_VERBS[ev.type]) s.timers.set(timerKey(d), { ...d, t: it.t });
    }
  }

  /** countUpTo is how many items happened at or before offset ms. */
  countUpTo(ms) {
    const t = this.start + ms;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** at returns the state at offset ms (the object is reused: read it, do not keep it). */
  at(ms) {
    const n = this.countUpTo(ms);
    if (n < this.state.idx || n - this.state.idx > 2 * CHECKPOINT_EVERY) {
      const cp = this.checkpoints[Math.min(Math.floor(n / CHECKPOINT_EVERY), this.checkpoints.length - 1)];
      if (cp.idx > this.state.idx || n < this.state.idx) this.state = this.restore(cp);
    }
    while (this.state.idx < n) this.step(this.state);
    return this.state;
  }

  /** gapAt is the idle stretch holding offset ms, if any. */
  gapAt(ms) {
    return this.gaps.find((g) => ms > g.from && ms < g.to) ?? null;
  }

  /** toPlay maps an offset to play time, idle stretches squeezed. */
  toPlay(ms) {
    let saved = 0;
    for (const g of this.gaps) {
      if (ms <= g.from) break;
      if (ms >= g.to) {
        saved = g.savedBefore + (g.to - g.from - IDLE_PLAYS_MS);
        continue;
      }
      return g.from - g.savedBefore + ((ms - g.from) * IDLE_PLAYS_MS) / (g.to - g.from);
    }
    return ms - saved;
  }

  /** fromPlay maps play time back to an offset. */
  fromPlay(v) {
    for (const g of this.gaps) {
      const pFrom = g.from - g.savedBefore;
      if (v <= pFrom) return v + g.savedBefore;
      if (v < pFrom + IDLE_PLAYS_MS) return g.from + ((v - pFrom) * (g.to - g.from)) / IDLE_PLAYS_MS;
    }
    return v + this.savedTotal;
  }

  /** playLength is the whole replay's play time with idle stretches squeezed. */
  playLength() {
    return this.duration - this.savedTotal;
  }
}

/** spokenDuration renders a stretch as "4 min", "45 s" or "1 h 5 min". */
function spokenDuration(ms) {
  const sec = Math.round(ms / 1000);
  if (sec < 60) return `${sec} s`;
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

// ---------------------------------------------------------------- view

let uid = 0;

/** ReplayView draws one Timeline into its section and plays it. */
class ReplayView {
  constructor(section, interviewId, candidateId) {
    this.section = section;
    this.interviewId = interviewId;
    this.candidateId = candidateId;
    this.id = `replay-${candidateId}-${++uid}`;
    this.now = 0; // the offset shown, ms from the first item
    this.playPos = 0; // the same in play time (idle stretches squeezed when skipping)
    this.playing = false;
    this.speed = 1;
    this.skipIdle = false;
    this.lastHash = 0;
    this.announcedGap = null;
    section.dataset.state = 'loading';
    const level = section.closest('.report-candidate') ? 'h3' : 'h2';
    this.status = h('p', { class: 'replay-status', role: 'status', text: 'Loading the replay…' });
    this.live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.announcer = new Announcer(this.live);
    clear(section).append(h(level, { class: 'replay-title', id: `${this.id}-h`, text: 'Replay' }), this.status, this.live);
    if (!section.hasAttribute('aria-label')) section.setAttribute('aria-labelledby', `${this.id}-h`);
    this.candidateSection = section.closest('.report-candidate');
  }

  async load() {
    let body;
    try {
      body = await api('GET', `/api/v1/interviews/${this.interviewId}/candidates/${this.candidateId}/replay`);
    } catch (err) {
      this.status.textContent = `The replay could not be loaded: ${err.message}`;
      this.section.dataset.state = 'error';
      return;
    }
    this.tl = new Timeline(body?.items ?? []);
    if (!this.tl.items.length) {
      this.status.textContent = 'Nothing was recorded for this candidate.';
      this.section.dataset.state = 'empty';
      return;
    }
    this.build();
    const m = readMoment(location.hash);
    const here = views.size === 1 || !m?.candidate || m.candidate === String(this.candidateId);
    this.seek(m && here ? m.ms : 0, { hash: false });
    this.section.dataset.state = 'paused';
    const drafts = this.tl.items.filter((it) => it.kind === 'draft').length;
    this.status.textContent = `${spokenDuration(this.tl.duration)} recorded: ${this.tl.items.length - drafts} events and ${drafts} drafts.`;
    if (m && m.candidate === String(this.candidateId)) this.section.scrollIntoView({ block: 'start' });
  }

  /** ensureLoaded reads the replay once, however often it is asked for. */
  ensureLoaded() {
    this.io?.disconnect();
    this.loading ??= this.load();
    return this.loading;
  }

  build() {
    const tl = this.tl;
    const id = this.id;
    this.playBtn = h('button', { type: 'button', class: 'replay-play', 'aria-describedby': `${id}-keys`, on: { click: () => this.toggle() } }, 'Play');
    this.speedSel = h('select', { id: `${id}-speed`, on: { change: () => this.setSpeed(Number(this.speedSel.value)) } },
      ...SPEEDS.map((s) => h('option', { value: String(s), text: `${s}×` })));
    this.skipBox = h('input', { type: 'checkbox', id: `${id}-skip`, on: { change: () => this.setSkip(this.skipBox.checked) } });
    this.clock = h('span', { class: 'replay-clock' });
    this.wall = h('time', { class: 'replay-wall' });
    this.link = h('a', { class: 'replay-link', href: '#' });
    // On the report, beside a scorecard form: put this moment in a comment.
    this.noteBtn = this.candidateSection?.querySelector('.scoring')
      ? h('button', { type: 'button', class: 'secondary small replay-note', on: { click: () => this.noteMoment() } })
      : null;
    this.scrub = h('input', {
      type: 'range', id: `${id}-scrub`, class: 'replay-scrub', min: '0', max: String(tl.duration), step: '1', value: '0',
      'aria-describedby': `${id}-keys`,
      on: { input: () => this.seek(Number(this.scrub.value), { from: 'scrub' }) },
    });
    this.markerBar = h('div', { class: 'replay-markers', role: 'toolbar', 'aria-label': 'Markers (arrow keys move between them)', 'aria-orientation': 'horizontal' });
    this.markerBtns = tl.markers.map((m, i) => {
      const b = h('button', {
        type: 'button', class: `replay-marker marker-${m.kind}`, tabindex: i === 0 ? '0' : '-1',
        'aria-label': `${formatOffset(m.ms)}, ${m.label}`, title: `${formatOffset(m.ms)} ${m.label}`,
        dataset: { ms: String(m.ms), kind: m.kind },
        on: { click: () => this.jumpTo(i) },
      }, h('span', { 'aria-hidden': 'true', text: MARKER_KINDS[m.kind].glyph }));
      b.style.left = `${(100 * m.ms) / tl.duration}%`;
      return b;
    });
    this.markerBar.append(...this.markerBtns);
    this.markerBar.addEventListener('keydown', (ev) => this.markerKeys(ev));
    new ResizeObserver(() => this.layoutMarkers()).observe(this.markerBar);
    this.gapEls = tl.gaps.map((g) => {
      const el = h('span', { class: 'replay-gap', dataset: { from: String(g.from), to: String(g.to) } },
        h('span', { class: 'replay-gap-label', text: `skipped ${spokenDuration(g.to - g.from)}` }));
      el.style.left = `${(100 * g.from) / tl.duration}%`;
      el.style.width = `${(100 * (g.to - g.from)) / tl.duration}%`;
      return el;
    });
    this.gapBar = h('div', { class: 'replay-gaps', hidden: true }, ...this.gapEls);
    const legend = h('ul', { class: 'replay-legend', 'aria-label': 'Marker kinds' },
      ...Object.entries(MARKER_KINDS).map(([k, v]) => h('li', {},
        h('span', { class: `replay-glyph marker-${k}`, 'aria-hidden': 'true', text: v.glyph }), ` ${v.name}`)));

    this.qPane = h('div', { class: 'replay-question' });
    this.timerPane = h('div', { class: 'replay-timers' });
    this.answerMeta = h('p', { class: 'replay-answer-meta' });
    // Focusable so that a long answer scrolls from the keyboard.
    this.answer = h('pre', { class: 'replay-answer', tabindex: '0' });
    this.signalLine = h('p', { class: 'replay-signals' });
    this.chatList = h('ol', { class: 'replay-chat-list' });
    this.chatBox = h('div', { class: 'replay-chat', tabindex: '0', role: 'log', 'aria-label': 'Chat so far' }, this.chatList);
    this.chatEmpty = h('p', { class: 'muted', text: 'No chat yet.' });

    this.section.append(
      h('div', { class: 'replay-controls' },
        this.playBtn,
        h('span', { class: 'replay-field' }, h('label', { for: `${id}-speed`, text: 'Speed' }), ' ', this.speedSel),
        h('span', { class: 'replay-field' }, this.skipBox, ' ', h('label', { for: `${id}-skip`, text: 'Skip idle' })),
        h('span', { class: 'replay-where' }, this.clock, ' ', this.wall),
        this.link,
        this.noteBtn),
      h('div', { class: 'replay-timeline' },
        this.markerBar,
        this.gapBar,
        h('label', { for: `${id}-scrub`, class: 'visually-hidden', text: 'Time in the replay' }),
        this.scrub),
      legend,
      h('p', { class: 'hint replay-keys', id: `${id}-keys`, text: 'Keys on the time slider: Space plays and pauses; ← and → step 1 s (with Shift 10 s); Page Up and Page Down 1 min; Home and End.' }),
      h('div', { class: 'replay-panes' },
        h('section', { class: 'replay-pane', 'aria-labelledby': `${id}-qh` }, h('h4', { id: `${id}-qh`, text: 'On screen' }), this.qPane, this.timerPane),
        h('section', { class: 'replay-pane replay-pane-answer', 'aria-labelledby': `${id}-ah` }, h('h4', { id: `${id}-ah`, text: 'Answer' }), this.answerMeta, this.answer, this.signalLine),
        h('section', { class: 'replay-pane', 'aria-labelledby': `${id}-ch` }, h('h4', { id: `${id}-ch`, text: 'Chat' }), this.chatEmpty, this.chatBox)),
    );
    this.section.addEventListener('keydown', (ev) => this.keys(ev));
  }

  // -------------------------------------------------------------- moving

  /**
   * seek shows offset ms. opts.hash false leaves the location alone;
   * opts.from 'play' is playback (the hash follows at most a few times a second).
   */
  seek(ms, opts = {}) {
    const tl = this.tl;
    this.now = Math.min(Math.max(0, ms), tl.duration);
    if (opts.from !== 'play') this.playPos = this.skipIdle ? tl.toPlay(this.now) : this.now;
    this.render();
    if (opts.hash !== false) this.writeHash(opts.from === 'play');
  }

  step(deltaMs) {
    this.seek(this.now + deltaMs, { from: 'key' });
  }

  jumpTo(i) {
    const m = this.tl.markers[i];
    this.focusMarker(i, false);
    this.seek(m.ms, { from: 'marker' });
    this.announcer.say(`${formatOffset(m.ms)}: ${m.label}.`);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.start();
  }

  start() {
    if (this.now >= this.tl.duration) this.seek(0);
    this.playing = true;
    this.playBtn.textContent = 'Pause';
    this.section.dataset.state = 'playing';
    this.announcer.say(`Playing at ${this.speed}×${this.skipIdle ? ', skipping idle stretches' : ''}.`);
    let last = performance.now();
    const frame = (t) => {
      if (!this.playing) return;
      const dt = Math.min(t - last, 250); // a background tab does not leap
      last = t;
      this.playPos += dt * this.speed;
      const ms = this.skipIdle ? this.tl.fromPlay(this.playPos) : this.playPos;
      if (ms >= this.tl.duration) {
        this.seek(this.tl.duration, { from: 'play' });
        this.pause('The end of the replay.');
        return;
      }
      this.seek(ms, { from: 'play' });
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
  }

  pause(why) {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.playBtn.textContent = 'Play';
    this.section.dataset.state = 'paused';
    this.writeHash(false);
    this.announcer.say(why ?? `Paused at ${formatOffset(this.now)}.`);
  }

  setSpeed(s) {
    this.speed = s;
    if (this.playing) this.announcer.say(`Speed ${s}×.`);
  }

  setSkip(on) {
    this.skipIdle = on;
    this.gapBar.hidden = !on;
    this.playPos = this.skipIdle ? this.tl.toPlay(this.now) : this.now;
    this.section.dataset.skipIdle = String(on);
  }

  writeHash(throttled) {
    const now = performance.now();
    if (throttled && now - this.lastHash < 500) return;
    this.lastHash = now;
    const hash = momentHash(this.now, views.size > 1 ? this.candidateId : undefined);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  /**
   * commentField is where "see 12:34" goes: the scorecard's comment on the
   * question on screen at that moment, else its summary (enabled ones only:
   * a submitted scorecard is locked until amended).
   */
  commentField() {
    const form = this.candidateSection?.querySelector('.scoring');
    if (!form) return null;
    const q = this.tl.at(this.now).question;
    const fields = [q && form.querySelector(`textarea[data-field="comment"][data-position="${q.position}"]`), form.querySelector('textarea[data-field="summary"]')];
    return fields.find((f) => f && !f.disabled) ?? null;
  }

  noteMoment() {
    const field = this.commentField();
    if (!field) {
      this.announcer.say('Your scorecard is locked: amend it to add a comment.');
      return;
    }
    if (this.playing) this.pause();
    const text = insertMoment(field, this.now);
    field.scrollIntoView({ block: 'center' });
    this.announcer.say(`Added "${text.trim()}" to ${field.labels?.[0]?.textContent ?? 'your scorecard'}.`);
  }

  // -------------------------------------------------------------- keys

  keys(ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = /** @type {HTMLElement} */ (ev.target);
    if (this.markerBar.contains(target)) return;
    const onScrub = target === this.scrub;
    if (ev.key === ' ' && (onScrub || !target.closest('button, a, select, input, textarea'))) {
      ev.preventDefault();
      this.toggle();
      return;
    }
    if (!onScrub && target !== this.playBtn) return;
    const big = ev.shiftKey ? 10_000 : 1000;
    const moves = {
      ArrowLeft: -big, ArrowDown: -big, ArrowRight: big, ArrowUp: big,
      PageDown: -60_000, PageUp: 60_000,
    };
    if (ev.key in moves) {
      ev.preventDefault();
      this.step(moves[ev.key]);
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      this.seek(ev.key === 'Home' ? 0 : this.tl.duration, { from: 'key' });
    }
  }

  markerKeys(ev) {
    const i = this.markerBtns.indexOf(/** @type {any} */ (ev.target).closest('button'));
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: this.markerBtns.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    this.focusMarker(Math.max(0, Math.min(this.markerBtns.length - 1, to)), true);
  }

  /**
   * layoutMarkers stacks markers that would overlap at this width in up to
   * MARKER_LANES lanes, so each can be clicked (a push and its timer share
   * an instant).
   */
  layoutMarkers() {
    const width = this.markerBar.clientWidth;
    if (!width || !this.markerBtns.length) return;
    const size = this.markerBtns[0].offsetWidth + 2;
    const ends = [];
    for (const [i, b] of this.markerBtns.entries()) {
      const x = (width * this.tl.markers[i].ms) / this.tl.duration;
      let lane = ends.findIndex((end) => end <= x - size / 2);
      if (lane < 0 && ends.length < MARKER_LANES) lane = ends.length;
      if (lane < 0) lane = ends.indexOf(Math.min(...ends));
      ends[lane] = x + size / 2;
      b.dataset.lane = String(lane);
      b.style.top = `${lane * LANE_REM}rem`;
    }
    this.markerBar.style.height = `${ends.length * LANE_REM}rem`;
  }

  focusMarker(i, focus) {
    for (const [j, b] of this.markerBtns.entries()) b.tabIndex = j === i ? 0 : -1;
    if (focus) this.markerBtns[i].focus();
  }

  // -------------------------------------------------------------- drawing

  render() {
    const tl = this.tl;
    const s = tl.at(this.now);
    const abs = tl.start + this.now;
    this.scrub.value = String(Math.round(this.now));
    const where = `${formatOffset(this.now)} of ${formatOffset(tl.duration)}`;
    this.scrub.setAttribute('aria-valuetext', where);
    this.clock.textContent = where;
    this.wall.dateTime = new Date(abs).toISOString();
    this.wall.textContent = `(${clockTime(abs)})`;
    const hash = momentHash(this.now, views.size > 1 ? this.candidateId : undefined);
    if (this.link.getAttribute('href') !== hash) {
      this.link.href = hash;
      this.link.textContent = `Link to ${formatOffset(this.now)}`;
    }
    if (this.noteBtn) {
      const label = `Add “see ${formatOffset(this.now)}” to ${s.question ? `my comment on question ${s.question.position}` : 'my summary'}`;
      if (this.noteBtn.textContent !== label) this.noteBtn.textContent = label;
    }
    this.section.dataset.now = String(Math.round(this.now));
    for (const [i, b] of this.markerBtns.entries()) b.classList.toggle('past', tl.markers[i].ms <= this.now);

    // The question on screen and its timers.
    const q = s.question;
    if (this.drawnQ !== q) {
      this.drawnQ = q;
      clear(this.qPane).append(q
        ? h('div', {},
          h('p', { class: 'replay-q-title' }, h('strong', { text: `Question ${q.position}` }), ' ',
            h('span', { class: 'technology', text: q.technology ?? '' }), ' ',
            h('span', { class: `level level-${q.level ?? ''}`, text: q.level ?? '' })),
          h('p', { class: 'replay-prompt', text: q.prompt ?? '' }))
        : h('p', { class: 'muted', text: s.status === 'live' ? 'No question pushed yet.' : 'The interview has not started.' }));
    }
    const timers = [];
    for (const t of s.timers.values()) {
      if (t.scope === 'exam' || (q && t.position === q.position)) timers.push(t);
    }
    const timerText = timers.map((t) => {
      const rem = remainingAt(t, abs);
      const state = t.state === 'running' && rem === 0 ? 'ran out' : { running: 'left', paused: 'left, paused', expired: 'ran out' }[t.state] ?? t.state;
      return `${timerName(t)}: ${t.state === 'expired' || rem === 0 ? '0:00' : format(rem)} ${state}`;
    });
    const tt = timers.length ? timerText.join(' · ') : 'No timer running.';
    if (this.timerPane.textContent !== tt) this.timerPane.textContent = tt;

    // The answer to the question on screen, exactly as it stood.
    const a = q ? s.shown.get(q.position) : null;
    const text = a?.text ?? '';
    if (this.answer.textContent !== text) this.answer.textContent = text;
    this.answer.classList.toggle('empty', !text);
    this.answer.dataset.version = a ? String(a.version) : '';
    const meta = !q ? 'No question on screen.'
      : !a ? 'Nothing typed yet.'
        : `${a.submitted ? 'Submitted' : 'Draft saved'} at ${formatOffset(a.t - tl.start)}, ${codePoints(text)} characters${s.broken ? ' (the history has a gap here)' : ''}`;
    if (this.answerMeta.textContent !== meta) this.answerMeta.textContent = meta;
    const sig = [s.away ? 'The candidate is away from the page.' : 'The candidate is on the page.',
      s.lastPaste ? `Last paste: ${s.lastPaste.chars} characters at ${formatOffset(s.lastPaste.t - tl.start)}.` : ''].filter(Boolean).join(' ');
    if (this.signalLine.textContent !== sig) this.signalLine.textContent = sig;
    this.signalLine.classList.toggle('away', s.away);

    // The chat so far.
    const list = this.chatList;
    const grew = list.children.length < s.chatCount;
    while (list.children.length > s.chatCount) list.lastElementChild.remove();
    for (let i = list.children.length; i < s.chatCount; i++) {
      const it = tl.chats[i];
      const d = it.event.data ?? {};
      list.append(h('li', { class: `chat-msg ${d.role === 'interviewer' ? 'interviewer' : 'candidate'}` },
        h('span', { class: 'chat-meta' }, h('strong', { text: d.name || 'Someone' }), d.role === 'interviewer' ? ' (interviewer)' : '', ' ',
          h('time', { text: formatOffset(it.t - tl.start) })),
        ' ', h('span', { class: 'chat-text', text: d.text ?? '' })));
    }
    if (grew) this.chatBox.scrollTop = this.chatBox.scrollHeight;
    this.chatEmpty.hidden = s.chatCount > 0;
    this.chatBox.hidden = s.chatCount === 0;

    // Idle stretches crossed while playing with "Skip idle".
    const gap = this.skipIdle ? tl.gapAt(this.now) : null;
    if (gap && this.playing && this.announcedGap !== gap) {
      this.announcedGap = gap;
      this.status.textContent = `Skipped ${spokenDuration(gap.to - gap.from)} with no change (${formatOffset(gap.from)} to ${formatOffset(gap.to)}).`;
    }
  }
}

// ---------------------------------------------------------------- mounting

/**
 * mountReplay starts the replay in a <section class="replay"
 * data-candidate="ID">; the interview comes from data-interview on it or
 * an ancestor's data-interview-id, or the page's /interviews/{id}/ path.
 * The replay is read from the server at once, or (lazy) when the section
 * comes near the screen or a #t=…&c=ID link names it.
 * @param {HTMLElement} section
 * @param {{lazy?: boolean}} [opts]
 * @returns {Promise<void>}
 */
export function mountReplay(section, { lazy = false } = {}) {
  const candidateId = section.dataset.candidate;
  const interviewId = section.dataset.interview
    ?? section.closest('[data-interview-id]')?.getAttribute('data-interview-id')
    ?? location.pathname.match(/\/interviews\/(\d+)\//)?.[1];
  if (!candidateId || !interviewId) return Promise.resolve();
  const view = new ReplayView(section, interviewId, candidateId);
  views.set(String(candidateId), view);
  const named = readMoment(location.hash)?.candidate === String(candidateId);
  if (!lazy || named || !('IntersectionObserver' in window)) return view.ensureLoaded();
  return new Promise((resolve) => {
    const io = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      io.disconnect();
      view.ensureLoaded().then(resolve);
    }, { rootMargin: '400px 0px' });
    io.observe(section);
    view.io = io;
  });
}

async function onHash() {
  const m = readMoment(location.hash);
  if (!m) return;
  for (const [cid, view] of views) {
    if (views.size > 1 && m.candidate && m.candidate !== cid) continue;
    if (views.size > 1 && !m.candidate && !view.tl) continue;
    await view.ensureLoaded();
    if (!view.tl) continue;
    if (view.playing) view.pause();
    view.seek(m.ms, { hash: false });
    if (m.candidate === cid) view.section.scrollIntoView({ block: 'start' });
  }
}

const sections = [...document.querySelectorAll('section.replay[data-candidate]')];
for (const s of sections) mountReplay(/** @type {HTMLElement} */ (s), { lazy: sections.length > 1 });
// On the report, "see 12:34" in a comment, a summary or a note opens that
// candidate's replay there.
for (const c of document.querySelectorAll('.report-candidate[data-candidate-id]')) {
  linkMoments(c, /** @type {HTMLElement} */ (c).dataset.candidateId);
}
window.addEventListener('hashchange', onHash);
