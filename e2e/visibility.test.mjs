// Private questions: made private on the question form and by a private
// import, marked on the staff list, and absent from every public page and
// the anonymous API (home counts, browsing, search); the form's
// visibility choice is a labelled radio group that passes axe at 320 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startServer,
  addUser,
  launchBrowser,
  newPage,
  goto,
  submit,
  visit,
  expectText,
  resultCount,
  noHorizontalScroll,
} from './harness.mjs';

const ADMIN = { email: 'vis-admin@example.test', name: 'Vera Admin', role: 'admin', password: 'correct-horse-battery' };
const MARKER = 'quokkaprivate';
const IMPORT_MARKER = 'wombatprivate';
const PRIVATE_TECH = 'Elixir';

const IMPORT_FILE = `${PRIVATE_TECH}Beginner

What does the ${IMPORT_MARKER} pipe operator do in Elixir?

Answer

It passes the value on its left as the first argument of the call on its right.
`;

describe('private questions', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let staff;
  let tmp;
  let questionID;

  before(async () => {
    server = await startServer();
    await addUser(server, ADMIN);
    browser = await launchBrowser();
    staff = await newPage(browser);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ace-e2e-vis-'));
    await goto(staff, server, '/login');
    await staff.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await staff.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await submit(staff, staff.getByRole('button', { name: 'Log in' }));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** anonymous opens a page in a fresh context with no cookies. */
  async function anonymous(fn) {
    const page = await newPage(browser);
    try {
      return await fn(page);
    } finally {
      await page.context().close();
    }
  }

  /** publicShows reports whether any public page or anonymous API answer mentions text. */
  async function publicShows(text, tech) {
    return anonymous(async (page) => {
      const seen = [];
      for (const p of ['/', '/questions', `/questions?q=${encodeURIComponent(text)}`, `/questions?technology=${encodeURIComponent(tech)}`]) {
        await goto(page, server, p);
        const body = await page.locator('main').innerText();
        const found = p.includes('?q=') ? (await resultCount(page)) > 0 : body.includes(text) || body.includes(tech);
        if (found) seen.push(p);
      }
      for (const p of [`/api/v1/questions?q=${encodeURIComponent(text)}`, '/api/v1/questions?limit=100', '/api/v1/technologies']) {
        const res = await page.request.get(new URL(p, server.url + '/').href);
        assert.equal(res.status(), 200, `${p}: status`);
        const body = await res.text();
        if (body.includes(text) || body.includes(tech) || body.includes('"visibility"')) seen.push(p);
      }
      return seen;
    });
  }

  it('the question form offers public or private, accessibly, at 320 px', async () => {
    await staff.setViewportSize({ width: 320, height: 800 });
    await goto(staff, server, '/staff/questions/new');
    const group = staff.getByRole('group', { name: 'Visibility' });
    await group.waitFor();
    const pub = group.getByRole('radio', { name: 'Public' });
    const priv = group.getByRole('radio', { name: 'Private' });
    assert.equal(await pub.isChecked(), true, 'a new question is public by default');
    assert.equal(await priv.isChecked(), false);
    // The keyboard moves the choice within the group.
    await pub.focus();
    await staff.keyboard.press('ArrowDown');
    assert.equal(await priv.isChecked(), true, 'ArrowDown selects Private');
    await noHorizontalScroll(staff, 320, 'question form at 320 px');
    await visit(staff, 'question-form-visibility-320');
    await staff.setViewportSize({ width: 1280, height: 800 });
  });

  it('a question saved as private is marked on the staff list and absent from the public bank', async () => {
    await goto(staff, server, '/staff/questions/new');
    await staff.getByLabel('Technology', { exact: true }).fill(PRIVATE_TECH);
    await staff.getByLabel('Level', { exact: true }).selectOption('advanced');
    await staff.getByLabel('Prompt', { exact: true }).fill(`How does the ${MARKER} supervisor restart children?`);
    await staff.getByLabel('Model answer', { exact: true }).fill('By its strategy: one_for_one, one_for_all or rest_for_one.');
    await staff.getByRole('radio', { name: 'Private' }).check();
    await submit(staff, staff.getByRole('button', { name: 'Save' }));
    assert.equal(new URL(staff.url()).pathname, '/staff/questions');

    await goto(staff, server, `/staff/questions?q=${MARKER}`);
    const row = staff.locator('table#staff-questions tr[data-id]');
    assert.equal(await row.count(), 1);
    questionID = await row.getAttribute('data-id');
    await expectText(row.locator('.badge-private'), 'Private');
    await staff.getByLabel('Visibility', { exact: true }).selectOption('private');
    await submit(staff, staff.getByRole('button', { name: 'Filter' }));
    assert.equal(await resultCount(staff), 1, 'the visibility filter lists the private question');
    await visit(staff, 'staff-questions-private');

    assert.deepEqual(await publicShows(MARKER, PRIVATE_TECH), [], 'public pages and the anonymous API show nothing of it');
  });

  it('staff search in the interview planner shows it with a Private marker', async () => {
    await goto(staff, server, '/interviews/new');
    await staff.getByLabel('Search the bank', { exact: true }).fill(MARKER);
    await staff.getByRole('button', { name: 'Search' }).click();
    const item = staff.locator(`li.bank-item[data-question-id="${questionID}"]`);
    await item.waitFor();
    await expectText(item.locator('.badge-private'), 'Private');
  });

  it('made public on the form, it appears; made private again, it goes', async () => {
    const edit = `/staff/questions/${questionID}/edit`;
    await goto(staff, server, edit);
    assert.equal(await staff.getByRole('radio', { name: 'Private' }).isChecked(), true, 'the edit form shows private');
    await staff.getByRole('radio', { name: 'Public' }).check();
    await submit(staff, staff.getByRole('button', { name: 'Save' }));
    await anonymous(async (page) => {
      await goto(page, server, `/questions?q=${MARKER}`);
      assert.equal(await resultCount(page), 1, 'public now');
    });
    await goto(staff, server, edit);
    await staff.getByRole('radio', { name: 'Private' }).check();
    await submit(staff, staff.getByRole('button', { name: 'Save' }));
    assert.deepEqual(await publicShows(MARKER, PRIVATE_TECH), [], 'private again');
  });

  it('a file imported as private stays out of the public bank', async () => {
    const file = path.join(tmp, 'elixir.txt');
    await writeFile(file, IMPORT_FILE);
    await goto(staff, server, '/staff/import');
    await staff.getByLabel('Question file', { exact: true }).setInputFiles(file);
    await staff.getByLabel('Import as private questions', { exact: true }).check();
    await submit(staff, staff.getByRole('button', { name: 'Import' }));
    await expectText(staff.locator('#import-result'), /Imported 1 questions[\s\S]*All of them are private\./);
    await visit(staff, 'import-private');
    assert.deepEqual(await publicShows(IMPORT_MARKER, PRIVATE_TECH), [], 'the private import is not public');
    await goto(staff, server, `/staff/questions?q=${IMPORT_MARKER}`);
    await expectText(staff.locator('table#staff-questions .badge-private'), 'Private');
  });
});
