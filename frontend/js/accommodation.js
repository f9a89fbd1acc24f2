// A candidate's accommodation (docs/protocol.md, "Exams: self-paced pacing
// and extra time"): extra time as a percentage of every timer and/or a fixed
// number of seconds. The create page, the manage page and the console share
// these fields and this wording.

import { h } from './dom.js';

/** The percentages offered as choices; any other 0–400 is "Other". */
export const PCT_CHOICES = [25, 50, 100];
export const MAX_PCT = 400;
export const MAX_MINUTES = 240;

/**
 * extraTimeText says an accommodation in words: "+50 %", "+10 min",
 * "+50 % and +10 min", or "" for none.
 * @param {number} pct
 * @param {number} s seconds
 */
export function extraTimeText(pct, s) {
  const bits = [];
  if (pct) bits.push(`+${pct} %`);
  if (s) bits.push(s % 60 ? `+${Math.floor(s / 60)} min ${s % 60} s` : `+${s / 60} min`);
  return bits.join(' and ');
}

/**
 * accommodationFields builds the labelled controls of one candidate's extra
 * time: a choice of percentage (none, +25 %, +50 %, +100 %, other), the other
 * percentage when chosen, and extra minutes. read() checks them.
 * @param {string} idBase unique prefix for the controls' ids
 * @param {{pct?: number, s?: number, who?: string}} [init] who: a name for the labels' hidden part
 * @returns {{el: HTMLElement, read: () => {pct: number, s: number, problem: string|null, field: HTMLElement|null}, set: (pct:number, s:number) => void}}
 */
export function accommodationFields(idBase, init = {}) {
  const who = init.who ? ` for ${init.who}` : '';
  const choice = h('select', { id: `${idBase}-pct`, name: 'extra_time_choice', 'aria-describedby': `${idBase}-hint` },
    h('option', { value: '0', text: 'None' }),
    ...PCT_CHOICES.map((p) => h('option', { value: String(p), text: `+${p} %` })),
    h('option', { value: 'other', text: 'Other percentage…' }));
  const other = h('input', {
    id: `${idBase}-pct-other`, name: 'extra_time_pct_other', type: 'number', min: 0, max: MAX_PCT, step: 1, inputmode: 'numeric', value: '0',
  });
  const otherField = h('div', { class: 'field inline-field' },
    h('label', { for: other.id, text: `Other percentage (0–${MAX_PCT})${who}` }), other);
  const minutes = h('input', {
    id: `${idBase}-min`, name: 'extra_time_minutes', type: 'number', min: 0, max: MAX_MINUTES, step: 1, inputmode: 'numeric', value: '0',
  });
  const sync = () => {
    otherField.hidden = choice.value !== 'other';
  };
  choice.addEventListener('change', () => {
    sync();
    if (choice.value === 'other') other.focus();
  });
  const el = h('div', { class: 'accommodation' },
    h('div', { class: 'field inline-field' }, h('label', { for: choice.id, text: `Extra time${who}` }), choice),
    otherField,
    h('div', { class: 'field inline-field' }, h('label', { for: minutes.id, text: `Extra minutes (0–${MAX_MINUTES})${who}` }), minutes),
    h('p', { id: `${idBase}-hint`, class: 'hint', text: 'An accommodation: the percentage lengthens every timer of this candidate, the minutes are added to each.' }));

  function set(pct, s) {
    if (!pct || PCT_CHOICES.includes(pct)) {
      choice.value = String(pct || 0);
    } else {
      choice.value = 'other';
      other.value = String(pct);
    }
    minutes.value = String(Math.round((s || 0) / 60));
    sync();
  }
  set(init.pct ?? 0, init.s ?? 0);

  function read() {
    for (const f of [other, minutes]) f.removeAttribute('aria-invalid');
    let pct = Number(choice.value);
    if (choice.value === 'other') {
      pct = Number(other.value || 0);
      if (!Number.isInteger(pct) || pct < 0 || pct > MAX_PCT) {
        other.setAttribute('aria-invalid', 'true');
        return { pct: 0, s: 0, problem: `Extra time is a whole percentage from 0 to ${MAX_PCT}.`, field: other };
      }
    }
    const min = Number(minutes.value || 0);
    if (!Number.isInteger(min) || min < 0 || min > MAX_MINUTES) {
      minutes.setAttribute('aria-invalid', 'true');
      return { pct: 0, s: 0, problem: `Extra minutes are a whole number from 0 to ${MAX_MINUTES}.`, field: minutes };
    }
    return { pct, s: min * 60, problem: null, field: null };
  }
  return { el, read, set };
}
