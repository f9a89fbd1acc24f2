// The candidate view: a client of the room's WebSocket protocol
// (docs/protocol.md). Confirm the name, wait, answer the question on screen
// against the server's deadline with continuous autosave, chat; the editor
// locks when time is up or the interview ends.

import { RoomSocket } from './socket.js';
import { Countdown } from './countdown.js';
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
  ended: false,
  welcomed: false,
  /** @type {Map<number, any>} pushed questions by position (never a model answer: the server leaves it out) */
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

function timeIsUp() {
  const q = questionTimer();
  const e = examTimer();
  const out = (t, cd) => !!t && (t.state === 'expired' || (t.state === 'running' && cd.remaining() <= 0));
  if (out(e, examCountdown)) return 'The exam time is up. Your answers as saved before the deadline count.';
  if (out(q, qCountdown) || st.timeUp.has(st.current)) return 'Time is up for this question. Your answer as saved before the deadline counts.';
  return '';
}

// ---------------------------------------------------------------- rendering

function render() {
  const q = st.questions.get(st.current);
  $('#waiting').hidden = !st.welcomed || !!q || st.ended;
  $('#waiting-text').textContent = st.status === 'live'
    ? 'The interview has started. The first question appears here by itself, so there is no need to reload.'
    : 'You are in. The interviewer has not started yet: the first question appears here by itself, so there is no need to reload.';
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
  renderLock();
  renderSave();
  renderEarlier();
}

function renderLock() {
  const a = st.current ? answer(st.current) : null;
  let reason = '';
  if (st.ended) reason = 'The interview has ended. Your answers are saved.';
  else if (socket.status === 'closed') reason = 'You are no longer connected to the interview.';
  else if (a?.submitted) reason = 'You submitted this answer. Wait for the next question.';
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

submitBtn.addEventListener('click', async () => {
  const pos = st.current;
  if (!pos || st.locked) return;
  const a = answer(pos);
  a.text = editor.value;
  if (!a.version) a.version = nextVersion();
  submitBtn.disabled = true;
  showMsg('');
  try {
    await socket.request('answer.submit', { text: a.text, position: pos, version: a.version });
    a.submitted = true;
    a.saved = Math.max(a.saved, a.version);
    a.sent = Math.max(a.sent, a.version);
    polite.say('Your answer is submitted.');
  } catch (err) {
    if (err.code === 'time_up') st.timeUp.add(pos);
    else if (err.code === 'interview_ended') st.ended = true;
    else showMsg(`Not submitted: ${err.message}`);
  }
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
  setQuestion(d.interview.current_position);
  $('#chat').hidden = false;
  render();
  // Resend what the server does not have yet (typed while offline, or lost in flight).
  const a = st.current ? answer(st.current) : null;
  if (a && a.version > a.saved && !st.locked) {
    a.sent = 0;
    sendDraft(st.current);
  }
  if (again) polite.say('Reconnected.');
  else performance.mark('ace:room-ready');
});

socket.on('interview.started', (f, { replay }) => {
  if (replay) return;
  st.status = 'live';
  render();
  polite.say('The interview has started.');
});

socket.on('interview.ended', (f, { replay }) => {
  if (replay) return;
  st.ended = true;
  st.status = 'ended';
  render();
  socket.close();
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
  if (d.position !== st.current) renderEarlier();
  else render();
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
