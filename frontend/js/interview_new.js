// New interview: title, exam time limit, pacing (pushed or self-paced),
// planned questions from the bank (each with its time limit), candidates
// (each with an optional extra-time accommodation) and co-interviewers; sent with
// POST /api/v1/interviews. The invite links of the answer are kept in this
// tab (invites.js) and shown on the interview's page.

import { api } from './api.js';
import { h, $, clear, srOnly, duration } from './dom.js';
import { mountBankSearch, short } from './bank.js';
import { saveInvites } from './invites.js';
import { accommodationFields } from './accommodation.js';

const form = $('#interview-form');
const errors = $('#form-errors');
const planList = $('#plan');
const planEmpty = $('#plan-empty');
const candList = $('#candidate-rows');

/** Extra-time controls of each candidate row, by row number. */
const accommodations = new Map();

const selfPaced = () => form.querySelector('input[name=pacing]:checked')?.value === 'self_paced';

function renderPacing() {
  $('#plan-empty-pushed').hidden = selfPaced();
  $('#plan-empty-self').hidden = !selfPaced();
}
for (const r of form.querySelectorAll('input[name=pacing]')) r.addEventListener('change', renderPacing);
renderPacing();

/** @type {{id:number, prompt:string, technology:string, level:string, time_limit_s:number}[]} */
const plan = [];
let rowSeq = 0;

const bank = mountBankSearch($('#bank'), {
  actionLabel: 'Add',
  isPicked: (q) => plan.some((p) => p.id === q.id),
  pageSize: 5,
  onPick: (q) => {
    if (plan.some((p) => p.id === q.id)) return;
    plan.push({ id: q.id, prompt: q.prompt, technology: q.technology, level: q.level, time_limit_s: q.time_limit_s || 0 });
    renderPlan();
  },
});
bank.run(false);

function renderPlan() {
  renderPlanSync(); // keep typed time limits across re-renders
  clear(planList);
  planEmpty.hidden = plan.length > 0;
  plan.forEach((p, i) => {
    const id = `plan-time-${p.id}`;
    const label = short(p.prompt, 60);
    planList.append(
      h('li', { class: 'plan-item', dataset: { questionId: p.id } },
        h('p', { class: 'plan-prompt', text: p.prompt }),
        h('p', { class: 'bank-meta' },
          h('span', { class: 'technology', text: p.technology }), ' ',
          h('span', { class: `level level-${p.level}`, text: p.level })),
        h('div', { class: 'plan-controls' },
          h('div', { class: 'field inline-field' },
            h('label', { for: id }, 'Time limit (seconds)', srOnly(` for question ${i + 1}`)),
            h('input', { id, type: 'number', min: 0, max: 14400, step: 1, inputmode: 'numeric', value: p.time_limit_s, 'aria-describedby': `${id}-hint` }),
            h('span', { id: `${id}-hint`, class: 'hint', text: p.time_limit_s ? `${duration(p.time_limit_s)}; 0 means no timer` : '0 means no timer' })),
          h('button', { type: 'button', class: 'secondary small', disabled: i === 0, on: { click: () => move(i, -1) } }, 'Up', srOnly(`: move ${label} up`)),
          h('button', { type: 'button', class: 'secondary small', disabled: i === plan.length - 1, on: { click: () => move(i, 1) } }, 'Down', srOnly(`: move ${label} down`)),
          h('button', { type: 'button', class: 'danger small', on: { click: () => remove(i) } }, 'Remove', srOnly(`: ${label}`)))),
    );
  });
  bank.refresh();
}

function move(i, d) {
  renderPlanSync();
  const [p] = plan.splice(i, 1);
  plan.splice(i + d, 0, p);
  renderPlan();
  planList.children[i + d]?.querySelector(d < 0 ? 'button' : 'button:nth-of-type(2)')?.focus();
}

function remove(i) {
  renderPlanSync();
  plan.splice(i, 1);
  renderPlan();
  (planList.children[Math.min(i, plan.length - 1)]?.querySelector('input') ?? $('#bank [data-bank-q]')).focus();
}

/** renderPlanSync copies the typed time limits into plan. */
function renderPlanSync() {
  for (const li of planList.children) {
    const p = plan.find((x) => String(x.id) === li.dataset.questionId);
    const input = li.querySelector('input');
    if (p && input) p.time_limit_s = Number(input.value) || 0;
  }
}

function addCandidateRow(focus) {
  const n = ++rowSeq;
  const acc = accommodationFields(`cand-extra-${n}`);
  accommodations.set(n, acc);
  const row = h('div', { class: 'candidate-row', dataset: { row: n } },
    h('div', { class: 'field' },
      h('label', { for: `cand-name-${n}` }, 'Name'),
      h('input', { id: `cand-name-${n}`, name: 'candidate_name', maxlength: 100, autocomplete: 'off' })),
    h('div', { class: 'field' },
      h('label', { for: `cand-email-${n}` }, 'Email (optional)'),
      h('input', { id: `cand-email-${n}`, name: 'candidate_email', type: 'email', maxlength: 254, autocomplete: 'off' })),
    acc.el,
    h('button', {
      type: 'button', class: 'danger small', on: {
        click: () => {
          accommodations.delete(n);
          row.remove();
          $('#add-candidate').focus();
        },
      },
    }, 'Remove', srOnly(' this candidate')),
  );
  candList.append(row);
  if (focus) row.querySelector('input').focus();
}

$('#add-candidate').addEventListener('click', () => addCandidateRow(true));
addCandidateRow(false);

function showErrors(messages, focusEl) {
  clear(errors);
  if (!messages.length) return;
  errors.append(h('div', { class: 'error' },
    messages.length === 1 ? h('p', { text: messages[0] }) : h('ul', {}, ...messages.map((m) => h('li', { text: m })))));
  (focusEl ?? errors).focus?.();
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  renderPlanSync();
  const problems = [];
  let focusEl = null;
  const title = $('#iv-title');
  title.removeAttribute('aria-invalid');
  if (!title.value.trim()) {
    problems.push('Give the interview a title.');
    title.setAttribute('aria-invalid', 'true');
    focusEl ??= title;
  }
  const examMin = Number($('#iv-exam').value || 0);
  if (!Number.isFinite(examMin) || examMin < 0 || examMin > 1440) {
    problems.push('The exam time limit is between 0 and 1440 minutes.');
    focusEl ??= $('#iv-exam');
  }
  if (selfPaced() && !plan.length) {
    problems.push('A self-paced exam needs planned questions: add at least one from the bank, or choose "Pushed".');
    focusEl ??= $('#bank input[type=search], #bank input');
  }
  for (const p of plan) {
    if (!Number.isInteger(p.time_limit_s) || p.time_limit_s < 0 || p.time_limit_s > 14400) {
      problems.push(`The time limit of "${short(p.prompt, 40)}" is a whole number of seconds from 0 to 14400.`);
      focusEl ??= $(`#plan-time-${p.id}`);
    }
  }
  const candidates = [];
  for (const row of candList.querySelectorAll('.candidate-row')) {
    const name = row.querySelector('[name=candidate_name]');
    const email = row.querySelector('[name=candidate_email]');
    name.removeAttribute('aria-invalid');
    if (!name.value.trim() && !email.value.trim()) continue;
    if (!name.value.trim()) {
      problems.push('Every candidate needs a name.');
      name.setAttribute('aria-invalid', 'true');
      focusEl ??= name;
      continue;
    }
    const extra = accommodations.get(Number(row.dataset.row)).read();
    if (extra.problem) {
      problems.push(`${name.value.trim()}: ${extra.problem}`);
      focusEl ??= extra.field;
      continue;
    }
    const c = { name: name.value.trim() };
    if (email.value.trim()) c.email = email.value.trim();
    if (extra.pct) c.extra_time_pct = extra.pct;
    if (extra.s) c.extra_time_s = extra.s;
    candidates.push(c);
  }
  const interviewers = $('#iv-panel').value.split(/[,\s;]+/).map((s) => s.trim()).filter(Boolean);
  if (problems.length) {
    showErrors(problems, focusEl);
    return;
  }
  showErrors([]);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const status = $('#form-status');
  status.textContent = 'Creating the interview…';
  try {
    const body = {
      title: title.value.trim(),
      pacing: selfPaced() ? 'self_paced' : 'pushed',
      exam_time_limit_s: Math.round(examMin * 60),
      questions: plan.map((p) => ({ question_id: p.id, time_limit_s: p.time_limit_s })),
      candidates,
    };
    if (interviewers.length) body.interviewers = interviewers;
    const res = await api('POST', '/api/v1/interviews', body);
    saveInvites(res.id, res.candidates ?? []);
    status.textContent = 'Created. Opening the interview…';
    location.assign(`/interviews/${res.id}?created=1`);
  } catch (err) {
    status.textContent = '';
    showErrors([err.message]);
    button.disabled = false;
  }
});
