// Building DOM without markup: every string a user wrote reaches the page as a
// text node (textContent), never through innerHTML.

/**
 * h creates an element. props: `class`, `text` (textContent), `dataset`,
 * `on` ({event: handler}), anything else is set as an attribute (true sets it
 * empty, false/null/undefined leaves it out). Children are nodes or strings
 * (strings become text nodes); null and false children are skipped.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node|string|null|false|undefined)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/** append adds children (nodes or strings as text) to el. */
export function append(el, ...children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

/** clear removes every child of el. */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** $ is querySelector, throwing when a page lacks an element it needs. */
export function $(sel, root = document) {
  const el = root.querySelector(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
}

/** srOnly is visually hidden text for screen readers. */
export function srOnly(text) {
  return h('span', { class: 'visually-hidden', text });
}

/** clock formats a time as HH:MM:SS in the browser's zone. */
export function clockTime(d) {
  const t = d instanceof Date ? d : new Date(d);
  return t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** duration formats seconds as "5 min", "1 min 30 s", "45 s". */
export function duration(sec) {
  sec = Math.round(sec);
  if (sec <= 0) return 'no limit';
  const m = Math.floor(sec / 60);
  const s = sec % 60;
  if (!m) return `${s} s`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

/**
 * Announcer speaks short messages through an aria-live region; the same text
 * twice in a row is still announced.
 */
export class Announcer {
  /** @param {HTMLElement} region an element with aria-live */
  constructor(region) {
    this.region = region;
  }

  say(text) {
    const r = this.region;
    r.textContent = '';
    // A new text node after a tick makes screen readers read it again.
    setTimeout(() => {
      r.textContent = text;
    }, 50);
  }
}
