// The reviews list: candidates ticked for comparison stay ticked across
// pages and filters (in this tab's sessionStorage), in the order ticked,
// and the bar says how many are ticked. Without this script the form still
// compares the candidates ticked on the page.
import { h } from './dom.js';

const KEY = 'ace.compare';
const MAX = 20; // the server's maxCompared

const form = document.getElementById('compare-form');
if (form) {
  const status = document.getElementById('compare-status');
  const boxes = [...form.querySelectorAll('input[type="checkbox"][name="c"]')];
  /** @type {{id: string, label: string}[]} */
  let picked = load();

  const clear = h('button', { type: 'button', class: 'secondary small', hidden: true, on: { click: () => setPicked([]) } }, 'Clear selection');
  status.after(' ', clear);

  function load() {
    try {
      const v = JSON.parse(sessionStorage.getItem(KEY) || '[]');
      return Array.isArray(v) ? v.filter((p) => p && /^\d+$/.test(p.id)) : [];
    } catch {
      return [];
    }
  }

  function setPicked(next) {
    picked = next;
    try {
      sessionStorage.setItem(KEY, JSON.stringify(picked));
    } catch {
      // Storage may be full or off: the page's ticks still work.
    }
    for (const b of boxes) b.checked = picked.some((p) => p.id === b.value);
    show();
  }

  function show() {
    const here = new Set(boxes.map((b) => b.value));
    const away = picked.filter((p) => !here.has(p.id)).length;
    if (picked.length === 0) status.textContent = '';
    else status.textContent = `${picked.length} selected` + (away ? ` (${away} on other pages)` : '');
    clear.hidden = picked.length === 0;
  }

  for (const b of boxes) {
    b.addEventListener('change', () => {
      const rest = picked.filter((p) => p.id !== b.value);
      setPicked(b.checked ? [...rest, { id: b.value, label: b.dataset.label || b.value }] : rest);
    });
  }

  form.addEventListener('submit', (ev) => {
    if (picked.length === 0) {
      ev.preventDefault();
      status.textContent = 'Tick at least one candidate to compare.';
      return;
    }
    if (picked.length > MAX) {
      ev.preventDefault();
      status.textContent = `Compare at most ${MAX} candidates at once (${picked.length} are ticked).`;
      return;
    }
    // Send the selection in the order ticked, those on other pages too.
    for (const b of boxes) b.disabled = true;
    for (const p of picked) form.append(h('input', { type: 'hidden', name: 'c', value: p.id }));
    // Going back to the list re-enables the boxes (the page may come from the cache).
    window.addEventListener('pageshow', () => {
      for (const b of boxes) b.disabled = false;
      for (const el of form.querySelectorAll('input[type="hidden"][name="c"]')) el.remove();
    }, { once: true });
  });

  setPicked(picked.filter((p) => p.id));
}
