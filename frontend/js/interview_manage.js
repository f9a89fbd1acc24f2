// An interview's candidates: invite links (shown once, kept in this tab),
// copy, new link (POST .../invite), revoke (DELETE .../invite), add more;
// and its panel: remove an interviewer (DELETE .../interviewers/{pid}).

import { api } from './api.js';
import { h, $, clear, srOnly } from './dom.js';
import { loadInvites, saveInvites, forgetInvite } from './invites.js';
import { accommodationFields, extraTimeText } from './accommodation.js';

const root = $('#manage');
const id = root.dataset.interviewId;
const tbody = $('#candidates tbody');
const status = $('#manage-status');

function say(text) {
  status.textContent = text;
}

function renderRow(tr) {
  const cid = tr.dataset.candidateId;
  const name = tr.dataset.name;
  const revoked = tr.dataset.revoked === 'true';
  const link = loadInvites(id)[cid];
  const cell = tr.querySelector('.invite-cell');
  const actions = tr.querySelector('.actions');
  clear(cell);
  clear(actions);
  if (revoked) {
    cell.append(h('span', { class: 'status status-revoked', text: 'Revoked' }));
  } else if (link) {
    const inputId = `invite-${cid}`;
    cell.append(h('div', { class: 'invite' },
      h('label', { for: inputId, class: 'visually-hidden', text: `Invite link for ${name}` }),
      h('input', { id: inputId, class: 'invite-link', readonly: true, value: link, on: { focus: (e) => e.target.select() } }),
      h('button', { type: 'button', class: 'small', on: { click: () => copy(link, name) } }, 'Copy link', srOnly(` for ${name}`))));
  } else {
    cell.append(h('span', { class: 'muted', text: 'Not shown (make a new link to send it again)' }));
  }
  actions.append(h('button', { type: 'button', class: 'secondary small', on: { click: () => rotate(tr) } }, 'New link', srOnly(` for ${name}`)));
  if (!revoked) {
    actions.append(' ', h('button', { type: 'button', class: 'danger small', on: { click: () => revoke(tr) } }, 'Revoke', srOnly(` the invite of ${name}`)));
  }
}

async function copy(link, name) {
  try {
    await navigator.clipboard.writeText(link);
    say(`Copied the invite link for ${name}.`);
  } catch {
    say(`Could not copy automatically: select the link for ${name} and copy it.`);
  }
}

async function rotate(tr) {
  const name = tr.dataset.name;
  try {
    const c = await api('POST', `/api/v1/interviews/${id}/candidates/${tr.dataset.candidateId}/invite`);
    saveInvites(id, [c]);
    delete tr.dataset.revoked;
    renderRow(tr);
    say(`New invite link for ${name}. The old one no longer works.`);
    tr.querySelector('.invite-link')?.focus();
  } catch (err) {
    say(`Could not make a new link for ${name}: ${err.message}`);
  }
}

async function revoke(tr) {
  const name = tr.dataset.name;
  if (!window.confirm(`Revoke the invite of ${name}? Their link stops working and they are disconnected.`)) return;
  try {
    await api('DELETE', `/api/v1/interviews/${id}/candidates/${tr.dataset.candidateId}/invite`);
    forgetInvite(id, tr.dataset.candidateId);
    tr.dataset.revoked = 'true';
    renderRow(tr);
    say(`Revoked the invite of ${name}.`);
    tr.querySelector('.actions button')?.focus();
  } catch (err) {
    say(`Could not revoke the invite of ${name}: ${err.message}`);
  }
}

for (const tr of tbody.querySelectorAll('tr')) renderRow(tr);

// The panel: a "Remove" button on each interviewer while more than one is left.
const panel = $('#panel');
const panelStatus = $('#panel-status');

function renderPanel() {
  const items = [...panel.querySelectorAll('li')];
  for (const li of items) {
    const actions = li.querySelector('.panel-actions');
    clear(actions);
    if (items.length > 1) {
      actions.append(h('button', { type: 'button', class: 'danger small', on: { click: () => removeInterviewer(li) } },
        'Remove', srOnly(` ${li.dataset.name} from the panel`)));
    }
  }
}

async function removeInterviewer(li) {
  const name = li.dataset.name;
  if (!window.confirm(`Remove ${name} from this interview? Their connections to the room are closed and they can no longer open it.`)) return;
  try {
    await api('DELETE', `/api/v1/interviews/${id}/interviewers/${li.dataset.participantId}`);
    li.remove();
    renderPanel();
    panelStatus.textContent = `Removed ${name} from the panel.`;
    panel.querySelector('button')?.focus();
  } catch (err) {
    panelStatus.textContent = `Could not remove ${name}: ${err.message}`;
  }
}

renderPanel();

const form = $('#add-candidate-form');
const newExtra = accommodationFields('new-extra');
$('#new-extra').replaceWith(newExtra.el);
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const errors = $('#add-errors');
  clear(errors);
  const nameEl = $('#new-name');
  const emailEl = $('#new-email');
  const name = nameEl.value.trim();
  const email = emailEl.value.trim();
  if (!name) {
    nameEl.setAttribute('aria-invalid', 'true');
    errors.append(h('p', { class: 'error', text: 'Give the candidate a name.' }));
    nameEl.focus();
    return;
  }
  nameEl.removeAttribute('aria-invalid');
  const extra = newExtra.read();
  if (extra.problem) {
    errors.append(h('p', { class: 'error', text: extra.problem }));
    extra.field.focus();
    return;
  }
  const cand = { name };
  if (email) cand.email = email;
  if (extra.pct) cand.extra_time_pct = extra.pct;
  if (extra.s) cand.extra_time_s = extra.s;
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await api('POST', `/api/v1/interviews/${id}/candidates`, { candidates: [cand] });
    saveInvites(id, res.candidates);
    for (const c of res.candidates) {
      const tr = h('tr', { dataset: { candidateId: c.id, name: c.name } },
        h('td', { class: 'cand-name', text: c.name }),
        h('td', { text: c.email ?? '' }),
        h('td', { class: 'extra-time', dataset: { extraTimePct: extra.pct, extraTimeS: extra.s } },
          extraTimeText(extra.pct, extra.s) || h('span', { class: 'muted', text: 'None' })),
        h('td', { class: 'invite-cell' }),
        h('td', { class: 'actions' }));
      tbody.append(tr);
      renderRow(tr);
    }
    $('#no-candidates').hidden = true;
    nameEl.value = '';
    emailEl.value = '';
    newExtra.set(0, 0);
    say(`Added ${name}. Their invite link is in the table.`);
    nameEl.focus();
  } catch (err) {
    errors.append(h('p', { class: 'error', text: err.message }));
  } finally {
    button.disabled = false;
  }
});
