// The practice results page (/practice/{id}/results), enhanced: a rating is
// saved as soon as it is chosen, the keys 1, 2 and 3 rate the question that
// has the focus, and the score and the missed count follow. Without this
// file each question's "Save rating" button posts its form.

const root = document.getElementById('practice-results');
const KEYS = { 1: 'missed', 2: 'partly', 3: 'got' };

/** csrfToken reads the page's CSRF token. */
function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

function setText(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function missedCount() {
  return root.querySelectorAll('.practice-q[data-rating="missed"]').length;
}

/** save posts one question's rating and updates the totals. */
async function save(form, article, state) {
  const body = new URLSearchParams(new FormData(form));
  state.textContent = 'Saving…';
  let res;
  try {
    res = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
      body,
    });
  } catch {
    state.textContent = 'Not saved: the server could not be reached. Try again.';
    return;
  }
  if (!res.ok) {
    state.textContent = res.status === 403 ? 'Not saved: reload the page and try again.' : 'Not saved. Try again.';
    return;
  }
  const score = await res.json();
  article.dataset.rating = body.get('rating');
  setText('score-points', score.points);
  setText('score-rated', String(score.rated));
  setText('missed-count', String(missedCount()));
  state.textContent = 'Saved';
}

if (root) {
  for (const article of root.querySelectorAll('.practice-q')) {
    const form = article.querySelector('.rate-form');
    const state = article.querySelector('.rate-state');
    form.querySelector('.save-rating').hidden = true;
    form.addEventListener('change', (ev) => {
      if (ev.target.name === 'rating') save(form, article, state);
    });
    article.addEventListener('keydown', (ev) => {
      const value = KEYS[ev.key];
      if (!value || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.target.matches('textarea, input[type="text"], input[type="search"]')) return;
      const radio = form.querySelector(`input[name="rating"][value="${value}"]`);
      if (!radio) return;
      ev.preventDefault();
      radio.focus();
      if (!radio.checked) {
        radio.checked = true;
        save(form, article, state);
      }
    });
  }
}
