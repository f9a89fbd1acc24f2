// The console's progress table for a self-paced exam (docs/protocol.md,
// "Exams: self-paced pacing and extra time"): per candidate the question they
// have open, how many answers they submitted, the time left on THEIR exam
// timer (their personal timer when they have one, else the room's), its
// deadline with the extra time it includes, and controls on that candidate
// alone: pause, resume, extend, end their exam, change their extra time.
//
// One row per candidate, redrawn only when something of that candidate
// changes; one ticker for the whole table redraws the time cells, so 200
// candidates cost 200 text updates a second, not 200 timers.

import { h, srOnly, clockTime } from './dom.js';
import { clock, format } from './countdown.js';
import { extraTimeText, accommodationFields } from './accommodation.js';

/**
 * @typedef {object} ProgressDeps
 * @property {HTMLElement} section  the #exam-progress section
 * @property {() => any} state      the console's state (people, answers, timers, questions, status)
 * @property {(type: string, data: any) => Promise<any>} run  sends a request, shows its error, null on failure
 * @property {(text: string) => void} say  announces to screen readers
 */

export class ExamProgress {
  /** @param {ProgressDeps} deps */
  constructor({ section, state, run, say }) {
    this.section = section;
    this.state = state;
    this.run = run;
    this.say = say;
    this.tbody = section.querySelector('tbody');
    /** @type {Map<number, any>} candidate → the row's parts */
    this.rows = new Map();
    this.ticker = null;
  }

  /** show turns the table on (a self-paced exam) or off. */
  show(on) {
    this.section.hidden = !on;
    clearInterval(this.ticker);
    this.ticker = on ? setInterval(() => this.tick(), 500) : null;
  }

  /** examTimer is the timer that decides a candidate's exam: theirs, else the room's. */
  examTimer(cid) {
    return this.state().timers.forCandidate('exam', 0, cid);
  }

  /** renderAll draws every candidate's row, in the order given. */
  renderAll(cands) {
    const keep = new Set(cands.map((c) => c.id));
    for (const [cid, r] of this.rows) {
      if (!keep.has(cid)) {
        r.tr.remove();
        this.rows.delete(cid);
      }
    }
    for (const c of cands) {
      this.render(c.id);
      this.tbody.append(this.rows.get(c.id).tr);
    }
    this.section.querySelector('.p-none').hidden = cands.length > 0;
  }

  /** row makes (once) the parts of one candidate's row. */
  row(cid) {
    let r = this.rows.get(cid);
    if (r) return r;
    r = {};
    r.name = h('th', { scope: 'row', class: 'p-name' });
    r.position = h('td', { class: 'p-position' });
    r.answered = h('td', { class: 'p-answered' });
    r.timeText = h('span', { class: 'p-time-left' });
    r.deadline = h('span', { class: 'p-deadline' });
    r.extra = h('span', { class: 'p-extra' });
    r.time = h('td', { class: 'p-time' }, r.timeText, r.deadline, r.extra);
    const btn = (act, label, hidden, onClick) => h('button', { type: 'button', class: 'secondary small', dataset: { act }, on: { click: onClick } }, label, srOnly(hidden));
    r.pause = btn('pause', 'Pause', '', () => this.timer(cid, 'pause'));
    r.resume = btn('resume', 'Resume', '', () => this.timer(cid, 'resume'));
    r.extend = btn('extend', '+5 min', '', () => this.timer(cid, 'extend', 300));
    r.end = h('button', { type: 'button', class: 'danger small', dataset: { act: 'end' }, on: { click: () => this.end(cid) } }, 'End exam', srOnly(''));
    r.acc = accommodationFields(`p-extra-${cid}`, { who: '' });
    r.accSave = h('button', { type: 'submit', class: 'small' }, 'Save extra time', srOnly(''));
    r.accForm = h('form', { class: 'p-extra-form', on: { submit: (ev) => { ev.preventDefault(); this.saveExtra(cid); } } }, r.acc.el, r.accSave);
    r.accBox = h('details', { class: 'p-extra-box' }, h('summary', {}, 'Change extra time', srOnly('')), r.accForm);
    r.tr = h('tr', { dataset: { candidateId: cid } },
      r.name, r.position, r.answered, r.time,
      h('td', { class: 'p-actions' }, h('div', { class: 'p-controls', role: 'group' }, r.pause, r.resume, r.extend, r.end), r.accBox));
    r.label = (n) => {
      // Accessible names say whose timer a button acts on.
      r.pause.lastChild.textContent = ` the exam timer of ${n}`;
      r.resume.lastChild.textContent = ` the exam timer of ${n}`;
      r.extend.lastChild.textContent = ` on the exam timer of ${n}`;
      r.end.lastChild.textContent = ` of ${n}`;
      r.accSave.lastChild.textContent = ` of ${n}`;
      r.accBox.querySelector('summary').lastChild.textContent = ` of ${n}`;
      r.tr.querySelector('.p-controls').setAttribute('aria-label', `Exam timer of ${n}`);
      for (const l of r.acc.el.querySelectorAll('label')) l.dataset.base ??= l.textContent;
      for (const l of r.acc.el.querySelectorAll('label')) l.textContent = `${l.dataset.base} for ${n}`;
    };
    r.shownName = null;
    this.rows.set(cid, r);
    return r;
  }

  /** render redraws one candidate's row. */
  render(cid) {
    const s = this.state();
    const p = s.people.get(cid);
    if (!p) return;
    const r = this.row(cid);
    if (r.shownName !== p.name) {
      r.name.textContent = p.name;
      r.label(p.name);
      r.shownName = p.name;
    }
    r.tr.dataset.online = String(!!p.online);
    r.tr.dataset.position = String(p.position ?? 0);
    const q = s.questions.get(p.position);
    r.position.textContent = p.position ? `Question ${p.position}${q ? ` of ${s.questions.size}` : ''}` : 'None opened yet';
    const mine = s.answers.get(cid) ?? new Map();
    const done = [...mine.values()].filter((a) => a.submitted).length;
    r.answered.textContent = `${done} of ${s.questions.size}`;
    r.tr.dataset.answered = String(done);
    const extra = extraTimeText(p.extra_time_pct ?? 0, p.extra_time_s ?? 0);
    r.extra.textContent = extra ? `includes ${extra} extra time` : '';
    // The form starts from the current accommodation (not while it is being edited).
    if (!r.accBox.open) r.acc.set(p.extra_time_pct ?? 0, p.extra_time_s ?? 0);
    this.drawTime(cid, r);
    const t = this.examTimer(cid);
    const live = s.status === 'live';
    const running = t?.state === 'running' && remaining(t) > 0;
    r.pause.disabled = !live || !running;
    r.resume.disabled = !live || t?.state !== 'paused';
    r.extend.disabled = !live || !t;
    r.end.disabled = !live || !t || t.state === 'expired' || (t.state === 'running' && remaining(t) <= 0);
    r.accSave.disabled = s.status === 'ended';
  }

  /** drawTime writes one row's time left and deadline. */
  drawTime(cid, r = this.rows.get(cid)) {
    if (!r) return;
    const t = this.examTimer(cid);
    let state = 'none';
    let text = 'No exam timer';
    let deadline = '';
    if (t) {
      const rem = remaining(t);
      state = t.state === 'running' && rem <= 0 ? 'expired' : t.state;
      if (state === 'running') {
        text = `${format(rem)} left`;
        deadline = `Deadline ${clockTime(new Date(t.deadline_ms - clock.offset))}`;
      } else if (state === 'paused') {
        text = `${format(rem)} left, paused`;
      } else {
        text = t.ended ? 'Exam ended' : "Time's up";
      }
    }
    if (r.timeText.textContent !== text) r.timeText.textContent = text;
    if (r.deadline.textContent !== deadline) r.deadline.textContent = deadline;
    r.time.dataset.state = state;
    r.tr.dataset.ended = String(state === 'expired');
    if (r.shownState !== state) {
      r.shownState = state;
      if (state === 'expired') this.render(cid);
    }
  }

  tick() {
    for (const [cid, r] of this.rows) if (r.shownState === 'running') this.drawTime(cid, r);
  }

  async timer(cid, act, seconds) {
    const data = { scope: 'exam', candidate_id: cid };
    if (seconds) data.seconds = seconds;
    const name = this.state().people.get(cid)?.name ?? 'the candidate';
    if (await this.run(`timer.${act}`, data)) {
      this.say(act === 'extend' ? `${name}: ${seconds / 60} min added to their exam.` : `${name}'s exam timer ${act === 'pause' ? 'paused' : 'resumed'}.`);
    }
  }

  async end(cid) {
    const name = this.state().people.get(cid)?.name ?? 'this candidate';
    if (!window.confirm(`End the exam of ${name} now? They can no longer answer (giving them more time reopens it).`)) return;
    if (await this.run('candidate.end', { candidate_id: cid })) this.say(`The exam of ${name} has ended.`);
  }

  async saveExtra(cid) {
    const r = this.rows.get(cid);
    const v = r.acc.read();
    const name = this.state().people.get(cid)?.name ?? 'the candidate';
    if (v.problem) {
      this.say(v.problem);
      v.field.focus();
      return;
    }
    if (await this.run('candidate.extra_time', { candidate_id: cid, extra_time_pct: v.pct, extra_time_s: v.s })) {
      this.say(`Extra time of ${name}: ${extraTimeText(v.pct, v.s) || 'none'}.`);
      r.accBox.open = false;
    }
  }
}

/** remaining is a timer's time left in ms on the server's clock. */
function remaining(t) {
  if (t.state === 'running') return Math.max(0, (t.deadline_ms ?? 0) - clock.now());
  if (t.state === 'paused') return Math.max(0, t.remaining_ms ?? 0);
  return 0;
}
