// Search the question bank (GET /api/v1/questions, /api/v1/technologies) and
// act on a result: add it to a plan, or push it to a live room.
//
// Markup (inside root): select[data-bank-technology], select[data-bank-level],
// input[data-bank-q], button[data-bank-search], [data-bank-count] (a status
// line), ul[data-bank-results], button[data-bank-more].

import { api, qs } from './api.js';
import { h, clear, srOnly, duration } from './dom.js';

/**
 * mountBankSearch wires a bank search.
 * @param {HTMLElement} root
 * @param {object} opts
 * @param {string} opts.actionLabel the button text of each result ("Add", "Push")
 * @param {(q: any, button: HTMLButtonElement) => (void|Promise<void>)} opts.onPick
 * @param {(q: any) => boolean} [opts.isPicked] results already picked show "Added"
 * @param {number} [opts.pageSize] results per page
 * @returns {{refresh: () => void}}
 */
export function mountBankSearch(root, { actionLabel, onPick, isPicked = () => false, pageSize = 10 }) {
  const tech = root.querySelector('[data-bank-technology]');
  const level = root.querySelector('[data-bank-level]');
  const q = root.querySelector('[data-bank-q]');
  const search = root.querySelector('[data-bank-search]');
  const count = root.querySelector('[data-bank-count]');
  const list = root.querySelector('[data-bank-results]');
  const more = root.querySelector('[data-bank-more]');
  let offset = 0;
  let shown = [];
  let seq = 0;

  api('GET', '/api/v1/technologies')
    .then((d) => {
      for (const t of d.technologies ?? []) tech.append(h('option', { value: t.name, text: t.name }));
    })
    .catch(() => {});

  async function run(append) {
    const mine = ++seq;
    if (!append) offset = 0;
    count.textContent = 'Searching…';
    try {
      const d = await api('GET', `/api/v1/questions${qs({ technology: tech.value, level: level.value, q: q.value.trim(), limit: pageSize, offset })}`);
      if (mine !== seq) return;
      if (!append) {
        clear(list);
        shown = [];
      }
      for (const item of d.questions ?? []) {
        shown.push(item);
        list.append(row(item));
      }
      offset += (d.questions ?? []).length;
      count.textContent = `${d.total} question${d.total === 1 ? '' : 's'} found${d.total ? `, showing ${shown.length}` : ''}.`;
      more.hidden = offset >= d.total;
    } catch (err) {
      if (mine === seq) count.textContent = `Search failed: ${err.message}`;
    }
  }

  function row(item) {
    const picked = isPicked(item);
    const btn = h('button', { type: 'button', class: 'secondary small', disabled: picked },
      picked ? 'Added' : actionLabel, srOnly(`: ${short(item.prompt)}`));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        await onPick(item, btn);
      } finally {
        if (!isPicked(item)) btn.disabled = false;
        else btn.firstChild.textContent = 'Added';
      }
    });
    return h('li', { class: 'bank-item', dataset: { questionId: item.id } },
      h('p', { class: 'bank-prompt' },
        item.visibility === 'private' ? h('span', { class: 'badge badge-private', text: 'Private' }) : null,
        item.visibility === 'private' ? ' ' : null,
        item.prompt),
      h('p', { class: 'bank-meta' },
        h('span', { class: 'technology', text: item.technology }), ' ',
        h('span', { class: `level level-${item.level}`, text: item.level }), ' ',
        h('span', { class: 'time-limit', text: item.time_limit_s ? `suggested ${duration(item.time_limit_s)}` : 'no suggested time' })),
      btn);
  }

  search.addEventListener('click', () => run(false));
  more.addEventListener('click', () => run(true));
  tech.addEventListener('change', () => run(false));
  level.addEventListener('change', () => run(false));
  q.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      run(false);
    }
  });
  return {
    refresh() {
      clear(list);
      for (const item of shown) list.append(row(item));
    },
    run,
  };
}

/** short cuts a prompt to a label-sized piece. */
export function short(s, n = 80) {
  s = String(s ?? '').replace(/\s+/g, ' ').trim();
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
