// Public browsing of the question bank: home, filters, search, pagination,
// "Show answer", no JavaScript, and a 320 px wide screen.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  launchBrowser,
  newPage,
  goto,
  submit,
  visit,
  screenshot,
  expectText,
  resultCount,
  questionIDs,
  noHorizontalScroll,
} from './harness.mjs';

// The demo bank the server loads into an empty database.
const DEMO_TECHNOLOGIES = ['Go', 'Python', 'JavaScript', 'SQL', 'System Design', 'Node.js'];
const LEVELS = ['beginner', 'intermediate', 'advanced'];
const PAGE_SIZE = 20;

describe('public question bank', { timeout: 300_000 }, () => {
  let server;
  let browser;
  /** counts[technology][level] as shown on the home page */
  const counts = {};

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('home lists the demo technologies with counts per level', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/');
      await expectText(page.locator('h1'), 'Ace');
      const table = page.locator('table#technologies');
      await table.waitFor();
      for (const tech of DEMO_TECHNOLOGIES) {
        const row = table.locator(`tr[data-technology="${tech}"]`);
        assert.equal(await row.count(), 1, `one row tr[data-technology="${tech}"] in #technologies`);
        const href = await row.locator('a').first().getAttribute('href');
        const link = new URL(href, server.url + '/');
        assert.equal(link.pathname, '/questions', `${tech}: link path`);
        assert.equal(link.searchParams.get('technology'), tech, `${tech}: link ?technology=`);
        counts[tech] = {};
        for (const level of LEVELS) {
          const cell = row.locator(`td[data-level="${level}"]`);
          assert.equal(await cell.count(), 1, `${tech}: one td[data-level="${level}"]`);
          const text = (await cell.textContent()).trim();
          assert.match(text, /^\d+$/, `${tech}/${level}: count is a number`);
          counts[tech][level] = Number(text);
        }
        const sum = LEVELS.reduce((s, l) => s + counts[tech][l], 0);
        assert.ok(sum > 0, `${tech} has questions`);
      }
      await visit(page, 'home');
    } finally {
      await page.context().close();
    }
  });

  it('a technology link from home lists that many questions', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/');
      const tech = 'Node.js';
      await submit(page, page.locator(`#technologies tr[data-technology="${tech}"] a`).first());
      assert.equal(new URL(page.url()).searchParams.get('technology'), tech);
      const want = LEVELS.reduce((s, l) => s + counts[tech][l], 0);
      assert.equal(await resultCount(page), want, `${tech}: #result-count matches the home page`);
      for (const t of await page.locator('article.question span.technology').allTextContents()) {
        assert.equal(t.trim(), tech);
      }
    } finally {
      await page.context().close();
    }
  });

  it('filters by technology and level through the form; the URL keeps them', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/questions');
      await visit(page, 'questions');
      const form = page.locator('form[role="search"]');
      assert.equal(await form.getAttribute('method'), 'get');
      assert.equal(new URL(await form.getAttribute('action'), server.url + '/').pathname, '/questions');
      const techSelect = form.locator('select[name="technology"]');
      const levelSelect = form.locator('select[name="level"]');
      assert.equal((await techSelect.locator('option').first().textContent()).trim(), 'All technologies');
      assert.equal(await techSelect.locator('option').first().getAttribute('value'), '');
      assert.equal((await levelSelect.locator('option').first().textContent()).trim(), 'All levels');
      for (const level of LEVELS) {
        assert.equal(await levelSelect.locator(`option[value="${level}"]`).count(), 1, `level option ${level}`);
      }
      const all = await resultCount(page);

      const tech = 'Python';
      const level = 'beginner';
      await techSelect.selectOption(tech);
      await levelSelect.selectOption(level);
      await submit(page, form.getByRole('button', { name: 'Filter' }));

      const url = new URL(page.url());
      assert.equal(url.pathname, '/questions');
      assert.equal(url.searchParams.get('technology'), tech);
      assert.equal(url.searchParams.get('level'), level);
      const n = await resultCount(page);
      assert.equal(n, counts[tech][level], `${tech}/${level}: count as on the home page`);
      assert.ok(n < all, 'filtering narrows the list');
      const arts = page.locator('article.question');
      assert.equal(await arts.count(), Math.min(n, 20));
      for (const t of await arts.locator('span.technology').allTextContents()) assert.equal(t.trim(), tech);
      for (const t of await arts.locator('span.level').allTextContents()) assert.equal(t.trim().toLowerCase(), level);

      // Reload: the form still shows the filters, the list is the same.
      const ids = await questionIDs(page);
      await page.reload({ waitUntil: 'load' });
      assert.equal(await techSelect.inputValue(), tech, 'technology kept after reload');
      assert.equal(await levelSelect.inputValue(), level, 'level kept after reload');
      assert.deepEqual(await questionIDs(page), ids);

      // Shared: the same URL in a fresh context shows the same list.
      const other = await newPage(browser);
      try {
        await other.goto(page.url(), { waitUntil: 'load' });
        assert.equal(await resultCount(other), n);
        assert.deepEqual(await questionIDs(other), ids);
      } finally {
        await other.context().close();
      }
    } finally {
      await page.context().close();
    }
  });

  it('searches the text', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/questions');
      const total = await resultCount(page);
      // Pick the rarest long word among the prompts on the first page.
      const prompts = (await page.locator('article.question h2.prompt').allTextContents()).map((s) => s.trim());
      const ids = await questionIDs(page);
      const words = new Map();
      prompts.forEach((p, i) => {
        for (const w of new Set(p.toLowerCase().match(/[a-z]{6,}/g) ?? [])) {
          words.set(w, [...(words.get(w) ?? []), i]);
        }
      });
      const [word, where] = [...words.entries()].sort((a, b) => a[1].length - b[1].length || b[0].length - a[0].length)[0];
      const form = page.locator('form[role="search"]');
      await form.getByRole('searchbox', { name: 'Search' }).fill(word);
      await submit(page, form.getByRole('button', { name: 'Filter' }));
      assert.equal(new URL(page.url()).searchParams.get('q'), word);
      const n = await resultCount(page);
      assert.ok(n >= 1, `search for ${word} finds something`);
      assert.ok(n < total, `search for ${word} narrows the list (${n} of ${total})`);
      if (n <= PAGE_SIZE) {
        const found = await questionIDs(page);
        assert.ok(found.includes(ids[where[0]]), `question ${ids[where[0]]} (prompt has "${word}") is in the results`);
      }
      const texts = await page.locator('article.question').allTextContents();
      assert.ok(texts.some((t) => t.toLowerCase().includes(word)), `a result mentions ${word}`);
      assert.equal(await form.getByRole('searchbox', { name: 'Search' }).inputValue(), word, 'search box keeps the text');

      await goto(page, server, '/questions?q=zzqxjvnomatchqq');
      assert.equal(await resultCount(page), 0, 'nonsense search finds nothing');
      assert.equal(await page.locator('article.question').count(), 0);
    } finally {
      await page.context().close();
    }
  });

  it('pages with Next and Previous, keeping the filters', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/questions');
      const total = await resultCount(page);
      assert.ok(total > PAGE_SIZE, `the demo bank has more than ${PAGE_SIZE} questions (has ${total})`);
      const pager = page.locator('nav[aria-label="Pagination"]');
      const page1 = await questionIDs(page);
      assert.equal(page1.length, PAGE_SIZE);
      assert.equal(await pager.locator('a[rel="prev"]').count(), 0, 'no Previous on page 1');
      await expectText(pager.locator('a[rel="next"]'), 'Next');
      await submit(page, pager.locator('a[rel="next"]'));
      assert.equal(new URL(page.url()).searchParams.get('page'), '2');
      const page2 = await questionIDs(page);
      assert.equal(page2.length, Math.min(PAGE_SIZE, total - PAGE_SIZE));
      assert.ok(page2.every((id) => !page1.includes(id)), 'page 2 shows other questions');
      await screenshot(page, 'questions-page-2');
      await expectText(pager.locator('a[rel="prev"]'), 'Previous');
      if (total <= 2 * PAGE_SIZE) assert.equal(await pager.locator('a[rel="next"]').count(), 0, 'no Next on the last page');
      await submit(page, pager.locator('a[rel="prev"]'));
      assert.deepEqual(await questionIDs(page), page1, 'Previous goes back to page 1');

      // The pager keeps the filters in its links.
      const level = LEVELS.find((l) => DEMO_TECHNOLOGIES.reduce((s, t) => s + counts[t][l], 0) > PAGE_SIZE);
      if (level) {
        await goto(page, server, `/questions?level=${level}`);
        const next = new URL(await pager.locator('a[rel="next"]').getAttribute('href'), page.url());
        assert.equal(next.searchParams.get('level'), level, 'Next keeps ?level=');
        await submit(page, pager.locator('a[rel="next"]'));
        for (const t of await page.locator('article.question span.level').allTextContents()) {
          assert.equal(t.trim().toLowerCase(), level);
        }
      }
    } finally {
      await page.context().close();
    }
  });

  it('"Show answer" reveals the model answer', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/questions');
      const first = page.locator('article.question').first();
      const details = first.locator('details.answer');
      const answer = details.locator('.answer-text');
      assert.equal(await details.evaluate((d) => d.open), false, 'closed at first');
      assert.equal(await answer.isVisible(), false, 'answer hidden before');
      await details.locator('summary').getByText('Show answer').click();
      await answer.waitFor({ state: 'visible' });
      assert.ok((await answer.innerText()).trim().length > 0, 'answer has text');
      assert.equal(await details.evaluate((d) => d.open), true);
      await visit(page, 'question-answer-open');
    } finally {
      await page.context().close();
    }
  });

  it('works with JavaScript disabled', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    try {
      await goto(page, server, '/');
      assert.equal(await page.locator('#technologies tr[data-technology]').count(), DEMO_TECHNOLOGIES.length);
      await goto(page, server, '/questions');
      const form = page.locator('form[role="search"]');
      await form.locator('select[name="technology"]').selectOption('Go');
      await submit(page, form.getByRole('button', { name: 'Filter' }));
      assert.equal(new URL(page.url()).searchParams.get('technology'), 'Go');
      const want = LEVELS.reduce((s, l) => s + counts.Go[l], 0);
      assert.equal(await resultCount(page), want);
      const details = page.locator('article.question details.answer').first();
      await details.locator('summary').click();
      await details.locator('.answer-text').waitFor({ state: 'visible' });
      await screenshot(page, 'no-js-questions');
    } finally {
      await page.context().close();
    }
  });

  it('has no horizontal scroll at 320 px', async () => {
    const page = await newPage(browser, { viewport: { width: 320, height: 640 } });
    try {
      for (const [name, p] of [
        ['home', '/'],
        ['questions', '/questions'],
        ['questions-filtered', '/questions?technology=System%20Design&level=advanced'],
        ['login', '/login'],
      ]) {
        await goto(page, server, p);
        await page.locator('article.question details.answer').evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
        await noHorizontalScroll(page, 320, `${p} at 320 px`);
        await screenshot(page, `narrow-${name}`);
      }
    } finally {
      await page.context().close();
    }
  });
});
