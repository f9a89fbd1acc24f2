// An interviewer's scorecard for one candidate, used by the console and the
// report page: a forced 4-point score (or "not assessed") and a comment per
// pushed question, an overall recommendation with no neutral option and a
// summary. Autosaved as a draft (PUT), locked by "Submit scorecard", changed
// later only by an amendment (a new version). docs/protocol.md has the API.

import { api, ApiError } from './api.js';
import { h, clear, clockTime } from './dom.js';

/** The rubric: one written anchor per level. */
export const ANCHORS = [
  [1, 'Wrong or no answer'],
  [2, 'Weak'],
  [3, 'Good'],
  [4, 'Excellent'],
];

/** The recommendations, strongest no first; there is no neutral one. */
export const RECOMMENDATIONS = [
  ['strong_no', 'Strong no'],
  ['no', 'No'],
  ['yes', 'Yes'],
  ['strong_yes', 'Strong yes'],
];

const SAVE_DELAY_MS = 800;

const short = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * mountScorecard renders the caller's scorecard for one candidate into
 * container, loads it from the server and keeps it saved.
 * @param {HTMLElement} container
 * @param {object} opts
 * @param {number} opts.interviewId
 * @param {number} opts.candidateId
 * @param {string} opts.candidateName
 * @param {{position:number, prompt:string}[]} opts.questions the pushed questions
 * @param {(sc:any) => void} [opts.onSubmitted] after a submission is stored
 * @returns {{setQuestions: (qs: {position:number, prompt:string}[]) => void, reload: () => Promise<void>, el: HTMLElement}}
 */
export function mountScorecard(container, opts) {
  const base = `sc-${opts.candidateId}`;
  const path = `/api/v1/interviews/${opts.interviewId}/candidates/${opts.candidateId}/scorecard`;
  /** the server's view of the newest version */
  let sc = null;
  /** what the form holds */
  const values = { recommendation: '', summary: '', scores: new Map() };
  let questions = [...opts.questions].sort((a, b) => a.position - b.position);
  let timer = null;
  let saving = null;
  let dirty = false;
  let loaded = false;

  const stateEl = h('p', { class: 'sc-state', role: 'status', id: `${base}-state`, text: 'Loading…' });
  const errorEl = h('p', { class: 'sc-error', role: 'alert' });
  const qBox = h('div', { class: 'sc-questions' });
  const noQ = h('p', { class: 'muted sc-no-questions', text: 'No question has been pushed yet: scores per question appear here once one is.' });
  const recBox = h('fieldset', { class: 'sc-rec' }, h('legend', { text: 'Overall recommendation (required to submit)' }),
    h('div', { class: 'sc-options' }, RECOMMENDATIONS.map(([value, label]) =>
      h('label', { class: 'sc-option' },
        h('input', { type: 'radio', name: `${base}-rec`, value, dataset: { field: 'recommendation' } }), ` ${label}`))));
  const summary = h('textarea', { id: `${base}-summary`, rows: '4', maxlength: '10000', dataset: { field: 'summary' } });
  const submitBtn = h('button', { type: 'button', class: 'sc-submit', on: { click: () => submit() } }, 'Submit scorecard');
  const amendBtn = h('button', { type: 'button', class: 'secondary sc-amend', hidden: true, on: { click: () => amend() } }, 'Amend scorecard');
  const form = h('div', { class: 'scorecard', dataset: { candidateId: opts.candidateId, status: 'new' } },
    stateEl, noQ, qBox, recBox,
    h('div', { class: 'field sc-summary' }, h('label', { for: summary.id, text: 'Summary (required to submit)' }), summary),
    h('div', { class: 'sc-actions' }, submitBtn, amendBtn),
    errorEl);
  container.append(form);

  function scoreFieldset(q) {
    const name = `${base}-q${q.position}`;
    const comment = h('textarea', { id: `${name}-comment`, rows: '2', maxlength: '5000', dataset: { field: 'comment', position: q.position } });
    const options = [...ANCHORS.map(([n, anchor]) => [String(n), `${n} · ${anchor}`]), ['', 'Not assessed']];
    return h('fieldset', { class: 'sc-q', dataset: { position: q.position } },
      h('legend', { text: `Question ${q.position}: ${short(q.prompt, 80)}` }),
      h('fieldset', { class: 'sc-scale' }, h('legend', { class: 'sc-scale-legend', text: `Score on question ${q.position}` }),
        h('div', { class: 'sc-options' }, options.map(([value, label]) =>
          h('label', { class: 'sc-option' },
            h('input', { type: 'radio', name, value, dataset: { field: 'score', position: q.position } }), ` ${label}`)))),
      h('div', { class: 'field' }, h('label', { for: comment.id, text: `Comment on question ${q.position}` }), comment));
  }

  function renderQuestions() {
    const have = [...qBox.children].map((el) => Number(el.dataset.position));
    const want = questions.map((q) => q.position);
    if (have.join(',') !== want.join(',')) {
      clear(qBox);
      for (const q of questions) qBox.append(scoreFieldset(q));
    }
    noQ.hidden = questions.length > 0;
    fill();
  }

  /** fill puts values into the form without disturbing what has focus. */
  function fill() {
    for (const r of form.querySelectorAll('input[type=radio]')) {
      if (r.dataset.field === 'recommendation') r.checked = r.value === values.recommendation;
      else {
        const s = values.scores.get(Number(r.dataset.position))?.score ?? null;
        r.checked = r.value === (s === null ? '' : String(s));
      }
    }
    for (const t of form.querySelectorAll('textarea')) {
      if (t === document.activeElement) continue;
      t.value = t.dataset.field === 'summary' ? values.summary : values.scores.get(Number(t.dataset.position))?.comment ?? '';
    }
    const locked = !loaded || sc?.status === 'submitted';
    for (const el of form.querySelectorAll('input, textarea')) el.disabled = locked;
    submitBtn.hidden = loaded && sc?.status === 'submitted';
    submitBtn.disabled = !loaded;
    amendBtn.hidden = !(loaded && sc?.status === 'submitted');
    form.dataset.status = sc?.status ?? 'new';
  }

  function take(server) {
    sc = server;
    values.recommendation = server.recommendation ?? '';
    values.summary = server.summary ?? '';
    values.scores = new Map((server.scores ?? []).map((s) => [s.position, { score: s.score, comment: s.comment ?? '' }]));
    loaded = true;
    fill();
    showState();
  }

  function showState(text) {
    if (text) {
      stateEl.textContent = text;
      return;
    }
    if (!sc || sc.status === 'new') stateEl.textContent = 'Not started: your scorecard saves as a draft as you go.';
    else if (sc.status === 'submitted') {
      const when = sc.submitted_at ? ` at ${clockTime(sc.submitted_at)}` : '';
      stateEl.textContent = `Submitted${sc.version > 1 ? ` (amendment, version ${sc.version})` : ''}${when}. Locked: "Amend scorecard" to change it.`;
    } else {
      const when = sc.updated_at ? ` at ${clockTime(sc.updated_at)}` : '';
      stateEl.textContent = `Draft saved${when}${sc.version > 1 ? ` (amendment, version ${sc.version})` : ''}. Not submitted yet.`;
    }
  }

  function body() {
    const scores = [...values.scores.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([position, s]) => ({ position, score: s.score, comment: s.comment }));
    return { recommendation: values.recommendation, summary: values.summary, scores };
  }

  function read(el) {
    const pos = Number(el.dataset.position);
    const entry = () => {
      if (!values.scores.has(pos)) values.scores.set(pos, { score: null, comment: '' });
      return values.scores.get(pos);
    };
    switch (el.dataset.field) {
      case 'recommendation':
        if (el.checked) values.recommendation = el.value;
        break;
      case 'summary':
        values.summary = el.value;
        break;
      case 'score':
        if (el.checked) entry().score = el.value === '' ? null : Number(el.value);
        break;
      case 'comment':
        entry().comment = el.value;
        break;
      default:
        return false;
    }
    return true;
  }

  function changed(ev) {
    if (!loaded || sc?.status === 'submitted' || !read(ev.target)) return;
    dirty = true;
    errorEl.textContent = '';
    showState('Saving…');
    clearTimeout(timer);
    timer = setTimeout(() => save(), SAVE_DELAY_MS);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  /** save writes the draft; one request at a time, the newest values win. */
  async function save() {
    clearTimeout(timer);
    if (saving) {
      await saving;
      if (!dirty) return true;
    }
    if (!dirty) return true;
    dirty = false;
    let ok = true;
    saving = (async () => {
      try {
        const got = await api('PUT', path, body());
        sc = got;
        if (!dirty) showState();
      } catch (err) {
        ok = false;
        if (err instanceof ApiError && err.code === 'scorecard_locked') {
          await reload();
          errorEl.textContent = 'This scorecard was submitted elsewhere; it is locked now.';
          return;
        }
        dirty = true;
        showState(`Not saved: ${err.message}`);
        if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500) {
          timer = setTimeout(() => save(), 3000);
        }
      }
    })();
    await saving;
    saving = null;
    if (ok && dirty) return save();
    return ok;
  }

  async function submit() {
    errorEl.textContent = '';
    if (!(await save())) {
      errorEl.textContent = 'The draft could not be saved, so it was not submitted. Try again.';
      return;
    }
    submitBtn.disabled = true;
    try {
      take(await api('POST', `${path}/submit`));
      amendBtn.focus();
      opts.onSubmitted?.(sc);
    } catch (err) {
      errorEl.textContent = err.message;
      submitBtn.disabled = false;
    }
  }

  async function amend() {
    errorEl.textContent = '';
    try {
      take(await api('POST', `${path}/amend`));
      const first = form.querySelector('input:checked, input, textarea');
      first?.focus();
    } catch (err) {
      errorEl.textContent = err.message;
    }
  }

  async function reload() {
    try {
      take(await api('GET', path));
    } catch (err) {
      showState(`Could not load the scorecard: ${err.message}`);
    }
  }

  renderQuestions();
  reload();

  return {
    el: form,
    setQuestions(qs) {
      questions = [...qs].sort((a, b) => a.position - b.position);
      renderQuestions();
    },
    reload,
  };
}
