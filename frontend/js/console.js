// The interviewer console: a client of the room's WebSocket protocol
// (docs/protocol.md). Presence, the plan and bank pushes, each candidate's
// answer as they type, timers, chat, private notes, candidate signals and
// each candidate's scorecard (scorecard.js, over the REST API). In a
// self-paced exam there is no question on screen: each candidate's pane
// follows the question they have open, and the progress table
// (exam_progress.js) shows and runs each candidate's exam.

import { RoomSocket } from './socket.js';
import { Countdown } from './countdown.js';
import { Timers, TIMER_EVENTS, showConnection } from './room_state.js';
import { h, $, clear, srOnly, clockTime, duration, Announcer } from './dom.js';
import { mountChat } from './chat.js';
import { mountBankSearch, short } from './bank.js';
import { mountScorecard } from './scorecard.js';
import { ExamProgress } from './exam_progress.js';

const root = $('#console');
const interviewId = Number(root.dataset.interviewId);
const announcer = new Announcer($('#announce'));
const say = (text) => announcer.say(text);

const state = {
  me: 0,
  status: 'scheduled',
  pacing: root.dataset.pacing || 'pushed',
  current: 0,
  examLimit: 0,
  /** @type {Map<number, any>} position → planned question (with model answer) */
  questions: new Map(),
  /** @type {Map<number, {id:number, name:string, role:string, online:boolean, revoked:boolean, position?:number, extra_time_pct?:number, extra_time_s?:number}>} */
  people: new Map(),
  /** @type {Map<number, Map<number, {text:string, version:number, submitted:boolean, at?:string}>>} */
  answers: new Map(),
  /** @type {Map<number, {type:string, position:number, chars?:number, ts:string}[]>} */
  signals: new Map(),
  /** the room's timers, and each candidate's own */
  timers: new Timers(),
  /** my notes, "candidate:position" → text; from the welcome, then as I type */
  notes: new Map(),
  /** other interviewers' notes, "candidate:position" → Map(author → text) */
  others: new Map(),
  view: 'grid',
  focusId: 0,
  /** candidate → Set of interviewers (participant ids) who submitted a scorecard */
  scorecards: new Map(),
};

const selfPaced = () => state.pacing === 'self_paced';

const progress = new ExamProgress({ section: $('#exam-progress'), state: () => state, run: (type, data) => run(type, data), say });

/** renderPacing shows what a self-paced exam has instead of a question on screen. */
function renderPacing() {
  const sp = selfPaced();
  root.dataset.pacing = state.pacing;
  progress.show(sp);
  $('#current').hidden = sp;
  $('#bank-panel').hidden = sp;
  $('#plan-h').textContent = sp ? 'The exam’s questions' : 'Planned questions';
}

/** posOf is the question a candidate's pane follows: theirs when self-paced, else the one on screen. */
const posOf = (cid) => (selfPaced() ? state.people.get(cid)?.position ?? 0 : state.current);

// ---------------------------------------------------------------- answers

function setAnswer(cid, pos, a) {
  if (!state.answers.has(cid)) state.answers.set(cid, new Map());
  const m = state.answers.get(cid);
  const cur = m.get(pos);
  if (cur && cur.version > a.version && !a.submitted) return false;
  m.set(pos, { ...cur, ...a, submitted: a.submitted || (cur?.submitted && cur.version >= a.version) || false });
  return true;
}

// ---------------------------------------------------------------- timers

const questionTimer = () => state.timers.get('question', state.current);
const examTimer = () => state.timers.get('exam', 0);

const qCountdown = new Countdown($('#q-countdown'), { label: 'Question', announce: say, onZero: renderTimerControls });
const examCountdown = new Countdown($('#exam-countdown'), { label: 'Exam', announce: say, onZero: renderTimerControls });

function renderTimers() {
  qCountdown.set(questionTimer());
  $('#q-timer').hidden = !questionTimer();
  const exam = examTimer();
  examCountdown.set(exam);
  $('#exam-timer').hidden = !exam && !state.examLimit;
  renderTimerControls();
}

function renderTimerControls() {
  const live = state.status === 'live';
  for (const group of root.querySelectorAll('.timer-controls')) {
    const t = group.dataset.scope === 'exam' ? examTimer() : questionTimer();
    const cd = group.dataset.scope === 'exam' ? examCountdown : qCountdown;
    const running = t?.state === 'running' && cd.remaining() > 0;
    for (const b of group.querySelectorAll('button')) {
      const act = b.dataset.act;
      b.disabled = !live || !t || (act === 'pause' && !running) || (act === 'resume' && t.state !== 'paused');
    }
  }
}

for (const b of root.querySelectorAll('.timer-controls button')) {
  b.addEventListener('click', async () => {
    const scope = b.closest('.timer-controls').dataset.scope;
    const act = b.dataset.act;
    const data = { scope };
    if (act === 'extend') data.seconds = Number(b.dataset.seconds);
    await run(`timer.${act}`, data);
  });
}

// ---------------------------------------------------------------- messages

let msgTimer;
function showError(text) {
  const box = $('#console-msg');
  clear(box);
  box.append(h('p', { class: 'error', text }));
  clearTimeout(msgTimer);
  msgTimer = setTimeout(() => clear(box), 10_000);
}

/** run sends a request and shows its error, if any. */
async function run(type, data) {
  try {
    return await socket.request(type, data);
  } catch (err) {
    showError(`${err.message}`);
    return null;
  }
}

// ---------------------------------------------------------------- status and question

function renderStatus() {
  const s = $('#iv-status');
  s.textContent = { scheduled: 'Scheduled', live: 'Live', ended: 'Ended' }[state.status] ?? state.status;
  s.className = `status status-${state.status}`;
  $('#start-btn').disabled = state.status !== 'scheduled' || socket.status !== 'open';
  $('#end-btn').disabled = state.status === 'ended' || socket.status !== 'open';
  $('#start-btn').hidden = state.status !== 'scheduled';
  renderTimerControls();
  renderPlan();
}

function renderQuestion() {
  const q = state.questions.get(state.current);
  $('#q-none').hidden = !!q;
  $('#q-box').hidden = !q;
  if (!q) return;
  $('#q-pos').textContent = `Question ${q.position}`;
  $('#q-tech').textContent = q.technology;
  const lvl = $('#q-level');
  lvl.textContent = q.level;
  lvl.className = `level level-${q.level}`;
  $('#q-prompt').textContent = q.prompt;
  $('#q-answer').textContent = q.answer ?? '';
}

$('#start-btn').addEventListener('click', async () => {
  if (await run('interview.start')) say('The interview has started.');
});
$('#end-btn').addEventListener('click', async () => {
  if (!window.confirm('End the interview for everyone? Candidates can no longer answer.')) return;
  await run('interview.end');
});

// ---------------------------------------------------------------- plan and bank

function renderPlan() {
  const list = $('#plan');
  clear(list);
  const qs = [...state.questions.values()].sort((a, b) => a.position - b.position);
  $('#plan-none').hidden = qs.length > 0;
  for (const q of qs) {
    const onScreen = q.position === state.current;
    const label = short(q.prompt, 60);
    list.append(
      h('li', { class: `plan-item${onScreen ? ' on-screen' : ''}`, dataset: { position: q.position } },
        h('p', { class: 'plan-prompt', text: q.prompt }),
        h('p', { class: 'bank-meta' },
          h('span', { class: 'technology', text: q.technology }), ' ',
          h('span', { class: `level level-${q.level}`, text: q.level }), ' ',
          h('span', { class: 'time-limit', text: q.time_limit_s ? duration(q.time_limit_s) : 'no timer' }),
          onScreen ? h('span', { class: 'status status-live', text: 'On screen' }) : q.pushed_at ? h('span', { class: 'status', text: 'Pushed' }) : null),
        selfPaced() ? null : h('button', {
          type: 'button', class: 'small', disabled: state.status !== 'live',
          on: { click: () => push({ position: q.position }) },
        }, onScreen || q.pushed_at ? 'Push again' : 'Push', srOnly(`: question ${q.position}, ${label}`))),
    );
  }
}

async function push(data) {
  if (state.status !== 'live') {
    showError('Start the interview before pushing questions.');
    return;
  }
  await run('question.push', data);
}

mountBankSearch($('#bank'), {
  actionLabel: 'Push',
  onPick: (q) => push({ question_id: q.id }),
  pageSize: 5,
}).run(false);

// ---------------------------------------------------------------- people

function personItem(p) {
  const you = p.id === state.me;
  return h('li', { class: 'person', dataset: { participantId: p.id, online: String(p.online) } },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    h('span', { class: 'person-name', text: p.name + (you ? ' (you)' : '') }),
    h('span', { class: 'person-role', text: p.role }),
    h('span', { class: 'person-state', text: p.revoked ? 'invite revoked' : p.online ? 'online' : 'offline' }));
}

function renderPeople() {
  const list = $('#people');
  clear(list);
  const people = [...state.people.values()].sort((a, b) => (a.role === b.role ? a.id - b.id : a.role === 'interviewer' ? -1 : 1));
  for (const p of people) list.append(personItem(p));
  renderCount();
}

/** renderPerson redraws one person's line: 200 candidates joining redraw 200 lines, not 200 lists. */
function renderPerson(p) {
  const old = $('#people').querySelector(`li[data-participant-id="${p.id}"]`);
  if (!old) return renderPeople();
  old.replaceWith(personItem(p));
  renderCount();
}

const candidates = () => [...state.people.values()].filter((p) => p.role === 'candidate').sort((a, b) => a.id - b.id);

function renderCount() {
  const cands = candidates();
  const online = cands.filter((c) => c.online).length;
  $('#cands-count').textContent = cands.length ? `(${online} of ${cands.length} online)` : '';
}

// ---------------------------------------------------------------- candidate panes

/** @type {Map<number, Record<string, HTMLElement>>} */
const panes = new Map();

function pane(cid) {
  if (panes.has(cid)) return panes.get(cid);
  const p = state.people.get(cid) ?? { id: cid, name: `Candidate ${cid}` };
  const base = `cand-${cid}`;
  const parts = {};
  parts.name = h('h3', { id: `${base}-name`, class: 'cand-name', text: p.name });
  parts.presence = h('span', { class: 'presence' });
  parts.badge = h('span', { class: 'status status-submitted', hidden: true, text: 'Submitted' });
  parts.sigSummary = h('p', { class: 'signals-summary' });
  parts.sigList = h('ul', { class: 'signals', 'aria-label': `Signals from ${p.name}` });
  parts.text = h('pre', { class: 'answer-live' });
  parts.empty = h('p', { class: 'muted answer-empty', text: 'Nothing typed yet.' });
  parts.box = h('div', { class: 'cand-answer', role: 'region', 'aria-label': `Answer of ${p.name}`, tabindex: '0' }, parts.empty, parts.text);
  parts.foot = h('p', { class: 'cand-foot' });
  parts.position = h('p', { class: 'cand-position', hidden: !selfPaced() });
  parts.noteLabel = h('label', { for: `${base}-note` });
  parts.note = h('textarea', { id: `${base}-note`, rows: '3', maxlength: '20000', 'aria-describedby': `${base}-note-status` });
  parts.noteStatus = h('p', { id: `${base}-note-status`, class: 'hint note-status' });
  parts.othersNotes = h('div', { class: 'others-notes' });
  parts.earlier = h('div', { class: 'earlier' });
  parts.scPanel = h('p', { class: 'sc-panel-status' });
  parts.scBody = h('div', { class: 'scorecard-body' });
  parts.scBox = h('details', { class: 'scorecard-box' },
    h('summary', {}, 'Scorecard', srOnly(` for ${p.name}`)), parts.scPanel, parts.scBody);
  parts.scBox.addEventListener('toggle', () => {
    if (!parts.scBox.open || parts.scorecard) return;
    parts.scorecard = mountScorecard(parts.scBody, {
      interviewId,
      candidateId: cid,
      candidateName: state.people.get(cid)?.name ?? '',
      questions: pushedQuestions(),
      onSubmitted: () => say(`Scorecard for ${state.people.get(cid)?.name ?? 'the candidate'} submitted.`),
    });
  });
  parts.focusBtn = h('button', { type: 'button', class: 'secondary small focus-btn', on: { click: () => setView(state.view === 'focus' && state.focusId === cid ? 'grid' : 'focus', cid) } });
  parts.el = h('article', { class: 'cand', id: base, 'aria-labelledby': `${base}-name`, dataset: { candidateId: cid } },
    h('header', { class: 'cand-head' }, parts.name, parts.presence, parts.badge, parts.focusBtn),
    parts.sigSummary, parts.sigList, parts.position, parts.box, parts.foot,
    h('details', { class: 'note' }, h('summary', {}, 'Private note', srOnly(` on ${p.name}`)), parts.noteLabel, parts.note, parts.noteStatus, parts.othersNotes),
    parts.scBox,
    parts.earlier);
  let saveTimer = null;
  parts.note.addEventListener('input', () => {
    const pos = posOf(cid);
    const k = `${cid}:${pos}`;
    state.notes.set(k, parts.note.value);
    parts.noteStatus.textContent = 'Saving…';
    clearTimeout(saveTimer);
    saveTimer = setTimeout(async () => {
      try {
        await socket.request('note.save', { candidate_id: cid, position: pos, text: state.notes.get(k) ?? '' }, { key: `note:${k}` });
        if (state.notes.get(k) === parts.note.value) parts.noteStatus.textContent = 'Note saved.';
      } catch (err) {
        if (err.code !== 'superseded') parts.noteStatus.textContent = `Note not saved: ${err.message}`;
      }
    }, 600);
  });
  panes.set(cid, parts);
  $('#cands').append(parts.el);
  return parts;
}

function renderPane(cid) {
  const parts = pane(cid);
  const p = state.people.get(cid);
  if (p) {
    parts.name.textContent = p.name;
    parts.presence.textContent = p.revoked ? 'Invite revoked' : p.online ? 'Online' : 'Offline';
    parts.presence.dataset.online = String(!!p.online);
  }
  const focused = state.view === 'focus' && state.focusId === cid;
  parts.el.classList.toggle('focused', state.focusId === cid);
  parts.focusBtn.textContent = focused ? 'Back to grid' : 'Focus';
  if (!focused) parts.focusBtn.append(srOnly(` on ${p?.name ?? 'this candidate'}`));
  renderAnswer(cid);
  renderSignals(cid);
  renderNote(cid);
  renderEarlier(cid);
  renderScorecardPanel(cid);
}

// ---------------------------------------------------------------- scorecards

/** pushedQuestions are the questions a scorecard scores. */
function pushedQuestions() {
  return [...state.questions.values()]
    .filter((q) => selfPaced() || q.pushed_at || q.position === state.current)
    .map((q) => ({ position: q.position, prompt: q.prompt }));
}

/** renderScorecardPanel says who has submitted (never what: the panel is blind). */
function renderScorecardPanel(cid) {
  const parts = pane(cid);
  const authors = [...(state.scorecards.get(cid) ?? [])];
  const names = authors.map((a) => (a === state.me ? 'you' : state.people.get(a)?.name ?? 'a co-interviewer'));
  const mine = authors.includes(state.me);
  const who = names.length ? `Submitted by ${names.join(', ')}.` : 'No scorecard submitted yet.';
  parts.scPanel.textContent = mine
    ? `${who} The report shows the panel's scorecards.`
    : `${who} The others' scores stay hidden from you until you submit yours.`;
}

function renderAnswer(cid) {
  const parts = pane(cid);
  const pos = posOf(cid);
  const a = state.answers.get(cid)?.get(pos);
  const text = a?.text ?? '';
  if (parts.text.textContent !== text) parts.text.textContent = text;
  parts.empty.hidden = !!text;
  parts.empty.textContent = pos ? 'Nothing typed yet.' : selfPaced() ? 'No question open yet.' : 'No question on screen.';
  parts.position.hidden = !selfPaced();
  if (selfPaced()) {
    const q = state.questions.get(pos);
    parts.position.textContent = pos ? `Has question ${pos} open${q ? `: ${short(q.prompt, 60)}` : ''}` : 'Has not opened a question yet.';
  }
  parts.badge.hidden = !a?.submitted;
  parts.foot.textContent = a
    ? `${text.length} character${text.length === 1 ? '' : 's'}${a.at ? ` · updated ${clockTime(a.at)}` : ''}`
    : '';
}

const SIGNAL_TEXT = {
  'candidate.focus_lost': () => 'Left the page',
  'candidate.focus_back': () => 'Came back',
  'candidate.pasted': (s) => `Pasted ${s.chars ?? 0} character${s.chars === 1 ? '' : 's'}`,
};

function renderSignals(cid) {
  const parts = pane(cid);
  const all = state.signals.get(cid) ?? [];
  const lost = all.filter((s) => s.type === 'candidate.focus_lost').length;
  const pastes = all.filter((s) => s.type === 'candidate.pasted');
  const chars = pastes.reduce((n, s) => n + (s.chars ?? 0), 0);
  const bits = [];
  if (lost) bits.push(`left the page ${lost}×`);
  if (pastes.length) bits.push(`pasted ${pastes.length}× (${chars} characters)`);
  parts.sigSummary.textContent = bits.length ? `Signals: ${bits.join(', ')}` : 'No focus or paste signals.';
  parts.sigSummary.dataset.flagged = String(bits.length > 0);
  clear(parts.sigList);
  for (const s of all.slice(-4).reverse()) {
    parts.sigList.append(h('li', { class: `signal ${s.type.replace('candidate.', '')}` },
      h('time', { datetime: s.ts, text: clockTime(s.ts) }), ' ',
      `${SIGNAL_TEXT[s.type]?.(s) ?? s.type}${s.position ? ` (question ${s.position})` : ''}`));
  }
  parts.sigList.hidden = all.length === 0;
}

function renderNote(cid) {
  const parts = pane(cid);
  const name = state.people.get(cid)?.name ?? 'this candidate';
  const pos = posOf(cid);
  const k = `${cid}:${pos}`;
  parts.noteLabel.textContent = pos ? `Private note on ${name}, question ${pos}` : `Private note on ${name}`;
  if (document.activeElement !== parts.note) parts.note.value = state.notes.get(k) ?? '';
  clear(parts.othersNotes);
  for (const [author, text] of state.others.get(k) ?? []) {
    if (!text) continue;
    parts.othersNotes.append(h('p', { class: 'other-note' }, h('strong', { text: `${state.people.get(author)?.name ?? 'Co-interviewer'}: ` }), text));
  }
}

function renderEarlier(cid) {
  const parts = pane(cid);
  clear(parts.earlier);
  if (!(state.view === 'focus' && state.focusId === cid)) return;
  const mine = state.answers.get(cid) ?? new Map();
  const earlier = [...mine.entries()].filter(([pos]) => pos !== posOf(cid)).sort((a, b) => a[0] - b[0]);
  if (!earlier.length) return;
  parts.earlier.append(h('h4', { text: 'Other answers' }));
  for (const [pos, a] of earlier) {
    const q = state.questions.get(pos);
    parts.earlier.append(h('details', { class: 'earlier-answer' },
      h('summary', { text: `Question ${pos}${q ? `: ${short(q.prompt, 70)}` : ''}${a.submitted ? ' (submitted)' : ''}` }),
      h('pre', { class: 'answer-live', text: a.text || '(empty)' })));
  }
}

function renderCandidates() {
  const cands = candidates();
  $('#cands-none').hidden = cands.length > 0;
  for (const c of cands) renderPane(c.id);
  // Keep panes in id order.
  for (const c of cands) $('#cands').append(pane(c.id).el);
  const sel = $('#focus-select');
  const chosen = state.focusId || cands[0]?.id || 0;
  clear(sel);
  for (const c of cands) sel.append(h('option', { value: c.id, text: c.name, selected: c.id === chosen }));
  if (!state.focusId && cands.length) state.focusId = cands[0].id;
  $('#cands').classList.toggle('many', cands.length > 6);
  if (selfPaced()) progress.renderAll(cands);
}

function setView(view, cid) {
  state.view = view;
  if (cid) state.focusId = cid;
  $('#cands').dataset.view = view;
  for (const r of root.querySelectorAll('input[name=view]')) r.checked = r.value === view;
  $('#focus-select').value = String(state.focusId);
  for (const c of candidates()) renderPane(c.id);
  if (view === 'focus' && state.focusId) pane(state.focusId).focusBtn.focus();
}

for (const r of root.querySelectorAll('input[name=view]')) r.addEventListener('change', () => setView(r.value));
$('#focus-select').addEventListener('change', (ev) => setView('focus', Number(ev.target.value)));

// ---------------------------------------------------------------- the socket

async function probe() {
  try {
    const res = await fetch(`/api/v1/interviews/${interviewId}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.status === 401) return 'Your session has ended. Log in again to rejoin the console.';
    if (res.status === 403) return 'You are not on the panel of this interview.';
    if (res.status === 404) return 'This interview no longer exists.';
  } catch {
    // offline: keep trying
  }
  return null;
}

const socket = new RoomSocket(interviewId, { probe });

socket.on('status', (status, detail) => {
  showConnection($('#conn'), status, detail);
  renderStatus();
});

socket.on('welcome', (f) => {
  const d = f.data;
  if (d.role !== 'interviewer') {
    socket.stop('This page is for interviewers.');
    return;
  }
  state.me = d.participant_id;
  state.status = d.interview.status;
  state.current = d.interview.current_position;
  state.examLimit = d.interview.exam_time_limit_s;
  state.pacing = d.interview.pacing || 'pushed';
  state.questions = new Map((d.questions ?? []).map((q) => [q.position, q]));
  for (const p of d.participants ?? []) {
    state.people.set(p.id, {
      id: p.id, name: p.name, role: p.role, revoked: !!p.revoked, online: p.id === state.me,
      position: p.position ?? 0, extra_time_pct: p.extra_time_pct ?? 0, extra_time_s: p.extra_time_s ?? 0,
    });
  }
  state.timers.reset(d.timers, d.server_now);
  // A reloaded console is whole from its welcome: every candidate's stored
  // answer, and the panel's notes (mine and the others').
  for (const a of d.answers ?? []) setAnswer(a.candidate_id, a.position, { text: a.text, version: a.version, submitted: a.submitted });
  state.others = new Map();
  for (const n of d.notes ?? []) {
    const k = `${n.candidate_id}:${n.position}`;
    if (n.author_id === state.me) {
      if (!state.notes.has(k)) state.notes.set(k, n.text);
      continue;
    }
    if (!state.others.has(k)) state.others.set(k, new Map());
    state.others.get(k).set(n.author_id, n.text);
  }
  renderAll();
});

function renderAll() {
  renderPacing();
  renderStatus();
  renderQuestion();
  renderTimers();
  renderPeople();
  renderCandidates();
}

socket.on('interview.started', (f, { replay }) => {
  if (replay) return;
  state.status = 'live';
  renderStatus();
  if (selfPaced()) progress.renderAll(candidates());
});

// A self-paced candidate moved to another question: their pane and row follow.
socket.on('question.opened', (f, { replay }) => {
  if (replay) return;
  const p = state.people.get(f.data.candidate_id);
  if (!p) return;
  p.position = f.data.position;
  renderPane(p.id);
  progress.render(p.id);
});

socket.on('candidate.extra_time_changed', (f, { replay }) => {
  if (replay) return;
  const d = f.data;
  const p = state.people.get(d.candidate_id);
  if (!p) return;
  p.extra_time_pct = d.extra_time_pct;
  p.extra_time_s = d.extra_time_s;
  progress.render(p.id);
});

socket.on('interview.ended', (f, { replay }) => {
  if (replay) return;
  state.status = 'ended';
  state.timers.expireAll();
  renderStatus();
  renderTimers();
  if (selfPaced()) progress.renderAll(candidates());
  say('The interview has ended.');
});

socket.on('question.pushed', (f, { replay }) => {
  if (replay) return;
  const d = f.data;
  state.questions.set(d.position, { ...state.questions.get(d.position), ...d, pushed_at: f.ts });
  state.current = d.position;
  renderQuestion();
  renderPlan();
  renderTimers();
  for (const c of candidates()) renderPane(c.id);
  for (const parts of panes.values()) parts.scorecard?.setQuestions(pushedQuestions());
  say(`Question ${d.position} is on screen.`);
});

socket.on('scorecard.submitted', (f, { replay }) => {
  const d = f.data;
  if (!state.scorecards.has(d.candidate_id)) state.scorecards.set(d.candidate_id, new Set());
  state.scorecards.get(d.candidate_id).add(d.author_id);
  if (state.people.has(d.candidate_id)) renderScorecardPanel(d.candidate_id);
  // Submitted from another tab of mine: show it locked here too.
  if (!replay && d.author_id === state.me) panes.get(d.candidate_id)?.scorecard?.reload();
});

const TIMER_NEWS = {
  'timer.paused': 'paused',
  'timer.resumed': 'resumed',
  'timer.extended': 'extended',
};

for (const type of TIMER_EVENTS) {
  socket.on(type, (f, { replay }) => {
    if (replay) return;
    const d = f.data;
    state.timers.apply(d);
    renderTimers();
    if (selfPaced()) {
      if (d.candidate_id) progress.render(d.candidate_id);
      else if (d.scope === 'exam') for (const c of candidates()) progress.render(c.id);
    }
    if (TIMER_NEWS[type] && !d.candidate_id) {
      const what = d.scope === 'exam' ? 'Exam timer' : 'Question timer';
      say(type === 'timer.extended' ? `${what}: ${duration((d.added_ms ?? 0) / 1000)} added.` : `${what} ${TIMER_NEWS[type]}.`);
    }
  });
}

socket.on('answer.draft', (f) => {
  const d = f.data;
  if (setAnswer(d.candidate_id, d.position, { text: d.text, version: d.version, at: f.ts }) && d.position === posOf(d.candidate_id)) {
    renderAnswer(d.candidate_id);
  }
});

socket.on('answer.submitted', (f) => {
  const d = f.data;
  setAnswer(d.candidate_id, d.position, { text: d.text, version: d.version, submitted: true, at: f.ts });
  if (panes.has(d.candidate_id) || state.people.has(d.candidate_id)) renderAnswer(d.candidate_id);
  if (selfPaced() && state.people.has(d.candidate_id)) progress.render(d.candidate_id);
});

for (const type of ['candidate.focus_lost', 'candidate.focus_back', 'candidate.pasted']) {
  socket.on(type, (f) => {
    const d = f.data;
    if (!state.signals.has(d.candidate_id)) state.signals.set(d.candidate_id, []);
    state.signals.get(d.candidate_id).push({ type, position: d.position, chars: d.chars, ts: f.ts });
    if (state.people.has(d.candidate_id)) renderSignals(d.candidate_id);
  });
}

socket.on('presence.changed', (f) => {
  const d = f.data;
  const p = state.people.get(d.participant_id) ?? { id: d.participant_id, name: d.name, role: d.role, revoked: false };
  p.online = !!d.online;
  p.name = d.name || p.name;
  state.people.set(p.id, p);
  renderPerson(p);
  if (p.role === 'candidate') {
    if (!panes.has(p.id)) renderCandidates();
    else {
      renderPane(p.id);
      if (selfPaced()) progress.render(p.id);
    }
  }
});

// A candidate added during the session gets a pane at once, offline until they join.
socket.on('participant.added', (f) => {
  const d = f.data;
  if (state.people.has(d.participant_id)) return;
  state.people.set(d.participant_id, {
    id: d.participant_id, name: d.name, role: d.role, revoked: false, online: false, position: 0,
    extra_time_pct: d.extra_time_pct ?? 0, extra_time_s: d.extra_time_s ?? 0,
  });
  renderPeople();
  if (d.role === 'candidate') {
    renderCandidates();
    if (selfPaced()) progress.render(d.participant_id);
  }
});

socket.on('candidate.revoked', (f) => {
  const p = state.people.get(f.data.candidate_id);
  if (p) {
    p.revoked = true;
    p.online = false;
    renderPerson(p);
    renderPane(p.id);
  }
});

socket.on('note.saved', (f) => {
  const d = f.data;
  const k = `${d.candidate_id}:${d.position}`;
  if (d.author_id === state.me) return;
  if (!state.others.has(k)) state.others.set(k, new Map());
  state.others.get(k).set(d.author_id, d.text);
  if (d.position === posOf(d.candidate_id) && state.people.has(d.candidate_id)) renderNote(d.candidate_id);
});

socket.on('error', (d) => showError(d.message ?? 'The server reported an error.'));

mountChat(socket, { log: $('#chat-log'), form: $('#chat-form'), input: $('#chat-input'), status: $('#chat-status'), me: () => state.me });

socket.connect();
