// The candidate view: a client of the room's WebSocket protocol
// (docs/protocol.md). Confirm the name, wait, answer the question on screen
// against the server's deadline with continuous autosave, chat; the editor
// locks when time is up or the interview ends. In a self-paced exam the
// candidate moves between all the planned questions (question.open) and each
// draft names its position; a practice attempt is a self-paced exam with a
// "Finish" button and a results page.

import { RoomSocket } from './socket.js';
import { Countdown, clock } from './countdown.js';
import { Timers, TIMER_EVENTS, showConnection } from './room_state.js';
import { h, $, clear, duration, Announcer } from './dom.js';
import { mountChat } from './chat.js';

const root = $('#room');
const interviewId = Number(root.dataset.interviewId);
const editor = /** @type {HTMLTextAreaElement} */ ($('#answer'));
const saveState = $('#save-state');
const submitBtn = /** @type {HTMLButtonElement} */ ($('#submit-btn'));
const lockMsg = $('#lock-msg');
const roomMsg = $('#room-msg');
const polite = new Announcer($('#status-announce'));
const urgent = new Announcer($('#announce'));
const practice = root.dataset.practice === '1';

/**
 * How long to wait between drafts while typing (leading and trailing edge).
 * Each draft carries the whole text, so a short answer goes out often enough
 * for the interviewer to see keystrokes within ~100 ms, and a long one less
 * often (about 16 KB/s at most per candidate, and never over a second apart);
 * a room of 200 asks for fewer (the server's draft_interval_ms).
 * @param {number} chars
 */
const draftEveryMs = (chars) => Math.min(1000, Math.max(roomDraftMs, chars / 16));

/** The room's own floor for the draft interval (welcome.draft_interval_ms): longer in a big room. */
let roomDraftMs = 80;

const st = {
  me: 0,
  status: 'scheduled',
  current: 0,
  pacing: 'pushed',
  /** this candidate's accommodation (welcome, candidate.extra_time_changed) */
  extra: { pct: 0, s: 0 },
  ended: false,
  welcomed: false,
  /** @type {Map<number, any>} pushed questions by position, or every planned one when self-paced (never a model answer: the server leaves it out) */
  questions: new Map(),
  /** @type {Map<number, {text:string, version:number, saved:number, sent:number, submitted:boolean}>} */
  answers: new Map(),
  /** the timers the server sent: the room's, and this candidate's own (extra time) */
  timers: new Timers(),
  /** positions the server said are out of time, until a timer runs again */
  timeUp: new Set(),
  lastVersion: 0,
  locked: '',
};

const selfPaced = () => st.pacing === 'self_paced';

function answer(pos) {
  if (!st.answers.has(pos)) st.answers.set(pos, { text: '', version: 0, saved: 0, sent: 0, submitted: false });
  return st.answers.get(pos);
}

/** nextVersion is an increasing draft version that also outlives a reload. */
function nextVersion() {
  st.lastVersion = Math.max(st.lastVersion + 1, Date.now());
  return st.lastVersion;
}

// ---------------------------------------------------------------- timers

const pick = (scope, pos) => st.timers.forCandidate(scope, pos, st.me);
const questionTimer = () => (st.current ? pick('question', st.current) : null);
const examTimer = () => pick('exam', 0);

const qCountdown = new Countdown($('#q-countdown'), { label: 'Question', announce: (t) => polite.say(t), onZero: () => render() });
const examCountdown = new Countdown($('#exam-countdown'), { label: 'Exam', announce: (t) => polite.say(t), onZero: () => render() });

/** runOut: a timer as the server stated it has run out, by its state or by the clock. */
const runOut = (t) => !!t && (t.state === 'expired' || (t.state === 'running' && (t.deadline_ms ?? 0) <= clock.now()));

/** examOver: this candidate's exam timer has run out (or the interviewer ended their exam). */
const examOver = () => runOut(examTimer());

/** questionOut: the time for one question has run out for this candidate. */
const questionOut = (pos) => st.timeUp.has(pos) || runOut(pick('question', pos));

function timeIsUp() {
  if (examOver()) return 'The exam time is up. Your answers as saved before the deadline count.';
  if (st.current && questionOut(st.current)) {
    return selfPaced()
      ? 'Time is up for this question. Your answer as saved before its deadline counts; the other questions are still open.'
      : 'Time is up for this question. Your answer as saved before the deadline counts.';
  }
  return '';
}

// ---------------------------------------------------------------- rendering

function render() {
  const q = st.questions.get(st.current);
  $('#waiting').hidden = !st.welcomed || !!q || st.ended;
  $('#waiting-text').textContent = waitingText();
  $('#ended').hidden = !st.ended;
  $('#question').hidden = !q;
  if (q) {
    $('#q-num').textContent = String(q.position);
    $('#q-tech').textContent = q.technology;
    const lvl = $('#q-level');
    lvl.textContent = q.level;
    lvl.className = `level level-${q.level}`;
    $('#q-prompt').textContent = q.prompt;
  }
  const qt = questionTimer();
  qCountdown.set(qt);
  $('#q-timer').hidden = !qt;
  const et = examTimer();
  examCountdown.set(et);
  $('#exam-timer').hidden = !et;
  $('#q-timer-label').textContent = selfPaced() ? 'Time left on this question' : 'Time left';
  renderExtra(qt, et);
  renderLock();
  renderSave();
  renderEarlier();
  renderNav();
  renderPractice();
}

function waitingText() {
  if (selfPaced()) {
    return st.status === 'live'
      ? 'The exam has started. Its questions appear here by themselves, so there is no need to reload.'
      : 'You are in. The exam has not started yet. When it starts, all its questions appear here and you move between them at your own pace; there is no need to reload.';
  }
  return st.status === 'live'
    ? 'The interview has started. The first question appears here by itself, so there is no need to reload.'
    : 'You are in. The interviewer has not started yet: the first question appears here by itself, so there is no need to reload.';
}

/** renderExtra says how much of the time on screen is this candidate's extra time. */
function renderExtra(qt, et) {
  const parts = [];
  if (et?.extra_ms > 0) parts.push(`${duration(et.extra_ms / 1000)} on the exam`);
  if (qt?.extra_ms > 0) parts.push(`${duration(qt.extra_ms / 1000)} on this question`);
  const note = $('#extra-note');
  const text = parts.length ? `Includes your extra time: ${parts.join(', ')}.` : '';
  note.hidden = !text;
  if (note.textContent !== text) note.textContent = text;
}

// ---------------------------------------------------------------- self-paced navigation

/** @type {Map<number, {li: HTMLElement, btn: HTMLButtonElement, state: HTMLElement}>} */
const navItems = new Map();

/** questionState is what the list says about one question. */
function questionState(pos) {
  const a = st.answers.get(pos);
  if (a?.submitted) return ['Submitted', 'submitted'];
  if (examOver() || questionOut(pos)) return ['Time up', 'time-up'];
  if (a?.text) return ['Answered, not submitted', 'draft'];
  return ['Not answered', 'empty'];
}

/** renderNav draws the self-paced question list, updating items in place so focus stays put. */
function renderNav() {
  const show = selfPaced() && st.questions.size > 0 && !st.ended;
  $('#q-nav').hidden = !show;
  $('#pace-bar').hidden = !show;
  if (!show) return;
  const list = $('#q-list');
  const positions = [...st.questions.keys()].sort((a, b) => a - b);
  let submitted = 0;
  for (const pos of positions) {
    let item = navItems.get(pos);
    if (!item) {
      const btn = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'q-link', text: `Question ${pos}` }));
      btn.addEventListener('click', () => openQuestion(pos));
      const state = h('span', { class: 'q-state' });
      const li = h('li', {}, btn, ' ', state);
      item = { li, btn, state };
      navItems.set(pos, item);
      list.append(li);
    }
    const [text, kind] = questionState(pos);
    if (kind === 'submitted') submitted++;
    if (item.state.textContent !== text) item.state.textContent = text;
    item.li.dataset.state = kind;
    if (pos === st.current) item.btn.setAttribute('aria-current', 'step');
    else item.btn.removeAttribute('aria-current');
  }
  const progress = `${submitted} of ${positions.length} submitted`;
  if ($('#q-progress').textContent !== progress) $('#q-progress').textContent = progress;
  const i = positions.indexOf(st.current);
  /** @type {HTMLButtonElement} */ ($('#prev-btn')).disabled = i <= 0;
  /** @type {HTMLButtonElement} */ ($('#next-btn')).disabled = i < 0 || i >= positions.length - 1;
  /** @type {HTMLButtonElement} */ ($('#submit-all-btn')).disabled = examOver() || socket.status !== 'open' || openUnsubmitted().length === 0;
}

/** openUnsubmitted lists the positions with an answer that can still be submitted. */
function openUnsubmitted() {
  return [...st.questions.keys()].filter((pos) => {
    const a = st.answers.get(pos);
    return a && a.text && !a.submitted && !questionOut(pos);
  });
}

/** openQuestion moves this candidate to a planned question (self-paced). */
function openQuestion(pos) {
  if (!selfPaced() || !st.questions.has(pos) || st.ended) return;
  if (pos !== st.current) {
    if (st.current) {
      clearTimeout(trailing);
      sendDraft(st.current); // what was typed on the question being left goes out now
    }
    setQuestion(pos);
    render();
  }
  socket.request('question.open', { position: pos }, { key: 'open' }).catch((err) => {
    if (err.code === 'superseded' || err.code === 'disconnected' || err.code === 'closed') return;
    if (err.code === 'time_up') showMsg('Your exam time is up: your answers as saved before the deadline count.');
    else if (err.code === 'interview_ended') st.ended = true;
    else showMsg(`Could not open question ${pos}: ${err.message}`);
    render();
  });
}

/** step moves to the previous (-1) or next (+1) planned question. */
function step(dir) {
  const positions = [...st.questions.keys()].sort((a, b) => a - b);
  const next = positions[positions.indexOf(st.current) + dir];
  if (next) openQuestion(next);
}

$('#prev-btn').addEventListener('click', () => step(-1));
$('#next-btn').addEventListener('click', () => step(1));

const submitAllBtn = /** @type {HTMLButtonElement} */ ($('#submit-all-btn'));
let confirmAll = false;
submitAllBtn.addEventListener('click', async () => {
  const todo = openUnsubmitted();
  if (!todo.length) return;
  if (!confirmAll) {
    // Two steps, no modal dialog: the button asks once, in place.
    confirmAll = true;
    submitAllBtn.textContent = `Confirm: submit ${todo.length} answer${todo.length === 1 ? '' : 's'}`;
    return;
  }
  confirmAll = false;
  submitAllBtn.textContent = 'Submit all answers';
  showMsg('');
  let failed = 0;
  for (const pos of todo) {
    if (!(await submitAnswer(pos))) failed++;
  }
  polite.say(failed ? `${todo.length - failed} answers submitted; ${failed} could not be.` : 'All your answers are submitted.');
  render();
});
submitAllBtn.addEventListener('blur', () => {
  if (!confirmAll) return;
  confirmAll = false;
  submitAllBtn.textContent = 'Submit all answers';
});

// ---------------------------------------------------------------- practice attempts

function renderPractice() {
  if (!practice) return;
  $('#practice-finish').hidden = !st.welcomed || st.status !== 'live' || st.ended;
}

/** allSaved: every answer the server can still take is stored. */
function allSaved() {
  for (const a of st.answers.values()) {
    if (a.version > a.saved && !((a.late ?? 0) >= a.version) && !a.submitted) return false;
  }
  return true;
}

/** waitSaved resolves once every answer is stored, or after ms. */
async function waitSaved(ms) {
  for (const [pos, a] of st.answers) if (a.version > a.sent) sendDraft(pos);
  const until = performance.now() + ms;
  while (!allSaved() && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
}

let leaving = false;

/** toResults leaves for the attempt's results once what was typed is stored. */
async function toResults() {
  if (!practice || leaving) return;
  leaving = true;
  await waitSaved(3000);
  location.assign(root.dataset.resultsUrl);
}

if (practice) {
  // Nobody watches a practice attempt: the notice about interviewers does not apply.
  $('#notice').hidden = true;
  const finishBtn = /** @type {HTMLButtonElement} */ ($('#finish-btn'));
  const finishMsg = $('#finish-msg');
  finishBtn.addEventListener('click', async () => {
    finishBtn.disabled = true;
    finishMsg.textContent = 'Saving your answers…';
    await waitSaved(5000);
    try {
      const res = await fetch(root.dataset.finishUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '', Accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      leaving = true;
      location.assign(root.dataset.resultsUrl);
    } catch (err) {
      finishMsg.textContent = `Could not finish: ${err.message}. Try again.`;
      finishBtn.disabled = false;
    }
  });
}

function renderLock() {
  const a = st.current ? answer(st.current) : null;
  let reason = '';
  if (st.ended) reason = 'The interview has ended. Your answers are saved.';
  else if (socket.status === 'closed') reason = 'You are no longer connected to the interview.';
  else if (a?.submitted) reason = selfPaced() ? 'You submitted this answer.' : 'You submitted this answer. Wait for the next question.';
  else reason = timeIsUp();
  const was = st.locked;
  st.locked = reason;
  editor.readOnly = !!reason;
  editor.setAttribute('aria-readonly', String(!!reason));
  submitBtn.disabled = !!reason || !st.current;
  lockMsg.hidden = !reason;
  lockMsg.textContent = reason;
  if (reason && reason !== was) {
    urgent.say(reason);
    if (a && a.version > a.sent && !st.ended) sendDraft(st.current); // the last words still count if in time
  }
}

function renderSave() {
  const a = st.current ? answer(st.current) : null;
  let text = '';
  let state = 'idle';
  if (a) {
    const dirty = a.version > a.saved;
    if (a.submitted && !dirty) [text, state] = ['Submitted', 'saved'];
    else if (dirty && (a.late ?? 0) >= a.version) [text, state] = ['Your last changes reached the server after the deadline and were not saved.', 'late'];
    else if (dirty && socket.status !== 'open') [text, state] = ['Not saved yet: your text is kept here and is sent when the connection is back.', 'offline'];
    else if (dirty) [text, state] = ['Saving…', 'saving'];
    else if (a.version) [text, state] = ['Saved', 'saved'];
  }
  if (saveState.textContent !== text) saveState.textContent = text;
  saveState.dataset.state = state;
}

function renderEarlier() {
  const box = $('#earlier-items');
  clear(box);
  if (selfPaced()) {
    $('#earlier').hidden = true; // every question is in the list and open to edit
    return;
  }
  const earlier = [...st.questions.values()].filter((q) => q.position !== st.current).sort((a, b) => a.position - b.position);
  $('#earlier').hidden = earlier.length === 0;
  for (const q of earlier) {
    const a = st.answers.get(q.position);
    box.append(h('article', { class: 'earlier-item', 'aria-labelledby': `earlier-${q.position}` },
      h('h3', { id: `earlier-${q.position}`, text: `Question ${q.position}` }),
      h('p', { class: 'q-prompt', text: q.prompt }),
      h('p', { class: 'hint', text: a?.submitted ? 'Your submitted answer (read-only):' : 'Your answer as saved (read-only):' }),
      h('pre', { class: 'answer-ro', text: a?.text || '(no answer)' })));
  }
}

/** setQuestion puts a position on screen, loading its text into the editor. */
function setQuestion(pos) {
  const changed = pos !== st.current;
  st.current = pos;
  if (changed || !editor.value) editor.value = pos ? answer(pos).text : '';
  if (pos) $('#notice').open = false;
}

// ---------------------------------------------------------------- drafts

let lastSend = 0;
let trailing = null;

function scheduleDraft() {
  const pos = st.current;
  clearTimeout(trailing);
  const nearEnd = qCountdown.running() && qCountdown.remaining() < 3000;
  const wait = nearEnd ? 0 : Math.max(0, lastSend + draftEveryMs(answer(pos).text.length) - performance.now());
  if (wait === 0) sendDraft(pos);
  else trailing = setTimeout(() => sendDraft(pos), wait);
}

function sendDraft(pos) {
  const a = answer(pos);
  if (!pos || a.version <= a.sent || st.ended) return;
  lastSend = performance.now();
  a.sent = a.version;
  const version = a.version;
  socket.request('answer.draft', { text: a.text, version, position: pos }, { key: `draft:${pos}` })
    .catch((err) => draftFailed(err, pos, version));
  renderSave();
}

function draftFailed(err, pos, version) {
  const a = answer(pos);
  switch (err.code) {
    case 'superseded':
      return;
    case 'disconnected':
    case 'closed':
      if (a.sent === version) a.sent = 0; // resent after the next welcome
      break;
    case 'busy':
    case 'rate_limited':
    case 'internal':
    case 'unavailable':
      if (a.sent === version) a.sent = 0;
      setTimeout(() => sendDraft(pos), 1000);
      break;
    case 'time_up':
      st.timeUp.add(pos);
      a.late = Math.max(a.late ?? 0, version);
      break;
    case 'interview_ended':
      st.ended = true;
      break;
    case 'not_open':
      // The question.open sent just before has not been applied yet: send again.
      if (a.sent === version) a.sent = 0;
      setTimeout(() => sendDraft(pos), 300);
      break;
    case 'not_current':
    case 'no_question':
    case 'not_live':
      break;
    default:
      showMsg(`Your answer could not be saved: ${err.message}`);
  }
  render();
}

function showMsg(text) {
  clear(roomMsg);
  if (text) roomMsg.append(h('p', { class: 'error', text }));
}

editor.addEventListener('input', () => {
  if (!st.current || editor.readOnly) return;
  const a = answer(st.current);
  a.text = editor.value;
  a.version = nextVersion();
  scheduleDraft();
  renderSave();
});

// Tab indents; Shift+Tab leaves; after Esc, Tab leaves too.
let escaped = false;
editor.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') {
    escaped = true;
    return;
  }
  if (ev.key === 'Tab' && !ev.shiftKey && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
    if (escaped || editor.readOnly) {
      escaped = false;
      return;
    }
    ev.preventDefault();
    if (!document.execCommand('insertText', false, '  ')) {
      editor.setRangeText('  ', editor.selectionStart, editor.selectionEnd, 'end');
      editor.dispatchEvent(new Event('input'));
    }
    return;
  }
  if (ev.key !== 'Shift') escaped = false;
});

editor.addEventListener('paste', (ev) => {
  const chars = (ev.clipboardData?.getData('text') ?? '').length;
  if (chars > 0 && !editor.readOnly) signal('paste', chars);
});

const mono = /** @type {HTMLInputElement} */ ($('#mono'));
mono.checked = localStorage.getItem('ace.mono') === '1';
editor.classList.toggle('mono', mono.checked);
mono.addEventListener('change', () => {
  editor.classList.toggle('mono', mono.checked);
  try {
    localStorage.setItem('ace.mono', mono.checked ? '1' : '0');
  } catch {
    // not remembered
  }
});

/** submitAnswer submits one position's text; it reports whether the server took it. */
async function submitAnswer(pos) {
  const a = answer(pos);
  if (!a.version) a.version = nextVersion();
  try {
    await socket.request('answer.submit', { text: a.text, position: pos, version: a.version });
    a.submitted = true;
    a.saved = Math.max(a.saved, a.version);
    a.sent = Math.max(a.sent, a.version);
    return true;
  } catch (err) {
    if (err.code === 'time_up') st.timeUp.add(pos);
    else if (err.code === 'interview_ended') st.ended = true;
    else showMsg(`Question ${pos} not submitted: ${err.message}`);
    return false;
  }
}

submitBtn.addEventListener('click', async () => {
  const pos = st.current;
  if (!pos || st.locked) return;
  answer(pos).text = editor.value;
  submitBtn.disabled = true;
  showMsg('');
  if (await submitAnswer(pos)) polite.say('Your answer is submitted.');
  render();
});

// ---------------------------------------------------------------- focus and paste signals

let away = false;

function signal(kind, chars) {
  if (st.status !== 'live' || !st.current || st.ended) return;
  socket.request('signal', kind === 'paste' ? { kind, chars } : { kind }).catch(() => {});
}

function lost() {
  if (away || st.status !== 'live' || !st.current || st.ended) return;
  away = true;
  signal('focus_lost');
}

function back() {
  if (!away) return;
  away = false;
  signal('focus_back');
}

document.addEventListener('visibilitychange', () => (document.hidden ? lost() : back()));
addEventListener('blur', lost);
addEventListener('focus', back);

// ---------------------------------------------------------------- the socket

async function probe() {
  try {
    const res = await fetch(location.pathname, { credentials: 'same-origin' });
    if (res.ok) return null;
    if ([401, 403, 404, 410].includes(res.status)) {
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      return doc.querySelector('#room-closed')?.textContent?.trim() || 'You can no longer join this interview.';
    }
  } catch {
    // offline: keep trying
  }
  return null;
}

const socket = new RoomSocket(interviewId, { probe });

socket.on('status', (status, detail) => {
  const el = $('#conn');
  showConnection(el, status, detail);
  if (status === 'closed' && st.ended) el.textContent = '';
  if (status === 'closed' && detail) showMsg(detail);
  if (status === 'reconnecting') polite.say('Connection lost. Reconnecting… Keep typing: your text is kept here.');
  renderLock();
  renderSave();
});

socket.on('welcome', (f) => {
  const d = f.data;
  if (d.role !== 'candidate') {
    socket.stop('This page is for candidates. Interviewers use the console.');
    return;
  }
  const again = st.welcomed;
  st.welcomed = true;
  st.me = d.participant_id;
  if (d.draft_interval_ms > 0) roomDraftMs = d.draft_interval_ms;
  st.status = d.interview.status;
  st.pacing = d.interview.pacing || 'pushed';
  st.extra = { pct: d.extra_time_pct ?? 0, s: d.extra_time_s ?? 0 };
  st.ended = d.interview.status === 'ended';
  st.questions = new Map((d.questions ?? []).map((q) => [q.position, q]));
  st.timers.reset(d.timers, d.server_now);
  for (const w of d.answers ?? []) {
    const a = answer(w.position);
    if (w.version >= a.version) {
      a.text = w.text;
      a.version = w.version;
    }
    a.saved = Math.max(a.saved, w.version);
    a.sent = Math.max(a.sent, Math.min(a.version, w.version));
    a.submitted = a.submitted || w.submitted;
    st.lastVersion = Math.max(st.lastVersion, w.version);
  }
  const keep = selfPaced() && st.current && st.questions.has(st.current) ? st.current : 0;
  setQuestion(keep || d.interview.current_position);
  $('#chat').hidden = practice; // a practice attempt has no interviewer to chat with
  render();
  if (practice && (st.ended || examOver())) {
    toResults();
    return;
  }
  // Resend what the server does not have yet (typed while offline, or lost in flight).
  for (const [pos, a] of st.answers) {
    if (a.version > a.saved && !a.submitted && (pos === st.current ? !st.locked : st.questions.has(pos))) {
      a.sent = 0;
      sendDraft(pos);
    }
  }
  // A self-paced exam: back on the question this page had open, or the first one.
  if (selfPaced() && st.status === 'live' && !st.ended && st.questions.size) {
    const first = Math.min(...st.questions.keys());
    if (keep && keep !== d.interview.current_position) openQuestion(keep);
    else if (!st.current) openQuestion(first);
  }
  if (again) polite.say('Reconnected.');
  else performance.mark('ace:room-ready');
});

socket.on('interview.started', (f, { replay }) => {
  if (replay) return;
  st.status = 'live';
  if (f.data.pacing) st.pacing = f.data.pacing;
  if (selfPaced() && f.data.questions?.length) {
    st.questions = new Map(f.data.questions.map((q) => [q.position, q]));
    render();
    openQuestion(Math.min(...st.questions.keys()));
    polite.say(`The exam has started: ${st.questions.size} questions. Move between them at your own pace.`);
    return;
  }
  render();
  polite.say('The interview has started.');
});

socket.on('interview.ended', (f, { replay }) => {
  if (replay) return;
  st.ended = true;
  st.status = 'ended';
  render();
  socket.close();
  toResults();
});

// Another tab of this candidate moved, or the server confirms this page's move.
socket.on('question.opened', (f, { replay }) => {
  if (replay) return;
  const d = f.data;
  if (d.candidate_id !== st.me || d.position === st.current) return;
  setQuestion(d.position);
  render();
});

socket.on('candidate.extra_time_changed', (f) => {
  const d = f.data;
  if (d.candidate_id !== st.me) return;
  st.extra = { pct: d.extra_time_pct, s: d.extra_time_s };
  render();
});

socket.on('question.pushed', (f, { replay }) => {
  if (replay) return;
  const d = f.data;
  st.questions.set(d.position, { position: d.position, technology: d.technology, level: d.level, prompt: d.prompt, time_limit_s: d.time_limit_s });
  st.timeUp.delete(d.position);
  answer(d.position).submitted = false; // pushed again: the candidate may answer again
  setQuestion(d.position);
  render();
  polite.say(`Question ${d.position} is on screen.`);
});

for (const type of TIMER_EVENTS) {
  socket.on(type, (f, { replay }) => {
    if (replay) return;
    const d = f.data;
    st.timers.apply(d);
    if (d.state === 'running' && d.scope === 'question') st.timeUp.delete(d.position);
    render();
    const what = d.scope === 'exam' ? 'The exam timer' : 'The timer';
    if (type === 'timer.paused') polite.say(`${what} is paused.`);
    if (type === 'timer.resumed') polite.say(`${what} is running again.`);
    if (type === 'timer.extended') polite.say(`${what} was extended by ${duration((d.added_ms ?? 0) / 1000)}.`);
    if (type === 'timer.expired' && d.scope === 'exam' && practice && examOver()) toResults();
  });
}

socket.on('answer.saved', (f) => {
  const d = f.data;
  const a = answer(d.position);
  a.saved = Math.max(a.saved, d.version);
  if (d.position === st.current) renderSave();
});

// The server could not store this version: send the text again (the newest, if more was typed).
socket.on('answer.save_failed', (f) => {
  const a = answer(f.data.position);
  if (a.sent <= f.data.version && a.saved < f.data.version) a.sent = 0;
  setTimeout(() => sendDraft(f.data.position), 1000);
});

socket.on('answer.submitted', (f) => {
  const d = f.data;
  const a = answer(d.position);
  a.submitted = true;
  a.saved = Math.max(a.saved, d.version);
  render();
});

socket.on('error', (d) => showMsg(d.message ?? 'The server reported an error.'));

mountChat(socket, { log: $('#chat-log'), form: $('#chat-form'), input: $('#chat-input'), status: $('#chat-status'), me: () => st.me });

// ---------------------------------------------------------------- joining

const joinedKey = `ace.joined.${interviewId}`;

function join() {
  $('#confirm').hidden = true;
  try {
    sessionStorage.setItem(joinedKey, '1');
  } catch {
    // asked again after a reload
  }
  $('#waiting').hidden = false;
  socket.connect();
}

$('#confirm-btn').addEventListener('click', () => {
  join();
  $('#waiting-h').setAttribute('tabindex', '-1');
  $('#waiting-h').focus();
});

if (sessionStorage.getItem(joinedKey) === '1') join();

// The page is interactive from here (the browser test reads this mark).
performance.mark('ace:room-script');
