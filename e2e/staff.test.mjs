// Staff work: log in, add / edit / delete a question (with validation and
// HTML escaping), import a question file, manage users, log out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  startServer,
  addUser,
  aceBin,
  launchBrowser,
  newPage,
  goto,
  submit,
  visit,
  screenshot,
  expectText,
  expectCount,
  resultCount,
} from './harness.mjs';
import { apiCall } from './rooms.mjs';

const execFileP = promisify(execFile);
const ADMIN = { email: 'admin@example.test', name: 'Grace Admin', role: 'admin', password: 'correct-horse-battery' };
const MARKER = 'xylophonequux';
const XSS = '<script>window.__pwned=1</script>';
const PROMPT = `What does ${MARKER} print? ${XSS}`;

// A file in the "Ace Your Interviews" text format: a title, then per question
// "<Technology><Level>", the prompt, "Answer", the answer, blank lines between.
const IMPORT_FILE = `Ace Your Interviews

Browse our collection of interview questions across various technologies.

Vue.jsBeginner

What is a Vue.js single-file component?

Answer

A .vue file that holds a component's template, script and style together.

Vue.jsBeginner

What does v-model do in Vue.js?

Answer

It binds a form input's value to a piece of state in both directions.

Vue.jsAdvanced

How does Vue.js track reactive dependencies?

Answer

Reactive objects are wrapped in proxies; reading a property inside an effect records the dependency, writing it re-runs the effects that read it.

RustIntermediate

What is the borrow checker in Rust?

Answer

The compiler pass that enforces ownership: any number of shared borrows or one mutable borrow, and no reference outliving its value.
`;

const IMPORT_COUNTS = {
  'Vue.js': { beginner: 2, intermediate: 0, advanced: 1 },
  Rust: { beginner: 0, intermediate: 1, advanced: 0 },
};

// A broken file: the second question's header has an unknown level (line 11).
const BROKEN_FILE = `Ace Your Interviews

GoBeginner

What is a goroutine?

Answer

A function running concurrently with others in the same address space.

GoExpert

What is this?

Answer

Not a level the bank knows.
`;

describe('staff', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let page;
  let tmp;
  let questionID;

  before(async () => {
    server = await startServer();
    await addUser(server, ADMIN);
    browser = await launchBrowser();
    page = await newPage(browser);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ace-e2e-files-'));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const alert = () => page.locator('p[role="alert"].error');
  const flash = () => page.locator('p[role="status"].flash');
  const nav = () => page.locator('header nav[aria-label="Main"]');

  it('logs in: a bad password shows an alert, the right one gets in', async () => {
    await goto(page, server, '/login');
    await visit(page, 'login');
    await nav().getByRole('link', { name: 'Log in' }).waitFor();

    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password-123');
    const bad = await submit(page, page.getByRole('button', { name: 'Log in' }));
    assert.equal(bad.status(), 401, 'bad credentials: 401');
    await alert().first().waitFor();
    await visit(page, 'login-error');

    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await submit(page, page.getByRole('button', { name: 'Log in' }));
    assert.equal(new URL(page.url()).pathname, '/dashboard');
    await nav().getByRole('button', { name: 'Log out' }).waitFor();
    assert.equal(await nav().getByRole('link', { name: 'Manage questions' }).getAttribute('href'), '/staff/questions');
    assert.equal(await nav().getByRole('link', { name: 'Import' }).getAttribute('href'), '/staff/import');
    assert.equal(await nav().getByRole('link', { name: 'Users' }).getAttribute('href'), '/admin/users');
  });

  it('lists the bank for staff', async () => {
    await goto(page, server, '/staff/questions');
    const rows = page.locator('table#staff-questions tr[data-id]');
    await rows.first().waitFor();
    const row = rows.first();
    await row.getByRole('link', { name: 'Edit' }).waitFor();
    const id = await row.getAttribute('data-id');
    assert.equal(await row.locator(`form[method="post"][action="/staff/questions/${id}/delete"]`).count(), 1);
    assert.equal(await page.locator('form[role="search"]').getAttribute('action'), '/staff/questions');
    await visit(page, 'staff-questions');
  });

  it('adds a question: empty form gives alerts, a valid one is saved', async () => {
    await goto(page, server, '/staff/questions');
    await submit(page, page.getByRole('link', { name: 'Add question' }));
    assert.equal(new URL(page.url()).pathname, '/staff/questions/new');
    await visit(page, 'question-new');

    // Submit empty, with the browser's own validation off, to reach the server's.
    await page.locator('main form').evaluateAll((fs) => fs.forEach((f) => (f.noValidate = true)));
    const bad = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(bad.status(), 400, 'empty question form: 400');
    await alert().first().waitFor();
    await visit(page, 'question-form-errors');

    await page.getByLabel('Technology', { exact: true }).fill('Go');
    await page.getByLabel('Level', { exact: true }).selectOption('intermediate');
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByLabel('Model answer', { exact: true }).fill('It prints nothing: the marker is <b>not</b> code.');
    await page.getByLabel(/^Tags/).fill('e2e, Markers');
    await page.getByLabel(/^Time limit \(seconds\)/).fill('120');
    await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(new URL(page.url()).pathname, '/staff/questions');
    await expectText(flash(), 'Question saved.');

    await goto(page, server, `/staff/questions?q=${MARKER}`);
    const rows = page.locator('table#staff-questions tr[data-id]');
    assert.equal(await rows.count(), 1, `one staff row for ?q=${MARKER}`);
    questionID = await rows.first().getAttribute('data-id');
    assert.ok(questionID);
  });

  it('shows the new question as text on /questions (no script runs)', async () => {
    const pub = await newPage(browser);
    try {
      await goto(pub, server, `/questions?q=${MARKER}`);
      assert.equal(await resultCount(pub), 1);
      const art = pub.locator(`article.question[data-id="${questionID}"]`);
      await art.waitFor();
      const prompt = art.locator('h2.prompt');
      await expectText(prompt, XSS);
      assert.ok(await pub.getByText(XSS, { exact: false }).first().isVisible(), 'the script tag text is visible');
      assert.equal(await art.locator('script, b').count(), 0, 'no element made from user text');
      assert.equal(await pub.evaluate(() => typeof window.__pwned), 'undefined', 'window.__pwned is undefined');
      assert.equal((await art.locator('span.technology').textContent()).trim(), 'Go');
      assert.equal((await art.locator('span.level').textContent()).trim().toLowerCase(), 'intermediate');
      await art.locator('details.answer summary').click();
      await expectText(art.locator('.answer-text'), '<b>not</b>');
      await screenshot(pub, 'question-escaped');
    } finally {
      await pub.context().close();
    }
  });

  it('edits the question', async () => {
    await goto(page, server, `/staff/questions?q=${MARKER}`);
    const row = page.locator(`table#staff-questions tr[data-id="${questionID}"]`);
    await submit(page, row.getByRole('link', { name: 'Edit' }));
    assert.equal(new URL(page.url()).pathname, `/staff/questions/${questionID}/edit`);
    assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), PROMPT, 'prompt prefilled');
    assert.equal(await page.getByLabel('Technology', { exact: true }).inputValue(), 'Go');
    assert.equal(await page.getByLabel('Level', { exact: true }).inputValue(), 'intermediate');
    assert.match(await page.getByLabel(/^Tags/).inputValue(), /e2e,\s*markers/);
    assert.equal(await page.getByLabel(/^Time limit \(seconds\)/).inputValue(), '120');
    await visit(page, 'question-edit');

    // Invalid edit: values kept, nothing stored.
    await page.getByLabel('Model answer', { exact: true }).fill('');
    await page.locator('main form').evaluateAll((fs) => fs.forEach((f) => (f.noValidate = true)));
    const bad = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(bad.status(), 400);
    await alert().first().waitFor();
    assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), PROMPT, 'values kept after an error');

    await page.getByLabel('Level', { exact: true }).selectOption('advanced');
    await page.getByLabel('Model answer', { exact: true }).fill(`Edited answer for ${MARKER}.`);
    await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(new URL(page.url()).pathname, '/staff/questions');
    await expectText(flash(), 'Question saved.');

    const pub = await newPage(browser);
    try {
      await goto(pub, server, `/questions?q=${MARKER}`);
      const art = pub.locator(`article.question[data-id="${questionID}"]`);
      assert.equal((await art.locator('span.level').textContent()).trim().toLowerCase(), 'advanced');
      assert.equal((await art.locator('.answer-text').textContent()).trim(), `Edited answer for ${MARKER}.`);
    } finally {
      await pub.context().close();
    }
  });

  it('deletes the question', async () => {
    await goto(page, server, `/staff/questions?q=${MARKER}`);
    const row = page.locator(`table#staff-questions tr[data-id="${questionID}"]`);
    await submit(page, row.getByRole('button', { name: 'Delete' }));
    assert.equal(new URL(page.url()).pathname, '/staff/questions');
    await goto(page, server, `/staff/questions?q=${MARKER}`);
    assert.equal(await page.locator(`table#staff-questions tr[data-id="${questionID}"]`).count(), 0, 'row gone');
    await goto(page, server, `/questions?q=${MARKER}`);
    assert.equal(await resultCount(page), 0, 'gone from the public list');
  });

  it('imports a question file and shows the counts', async () => {
    const file = path.join(tmp, 'frontend-and-rust.txt');
    await writeFile(file, IMPORT_FILE);
    await goto(page, server, '/staff/import');
    await visit(page, 'import');
    await page.getByLabel('Question file', { exact: true }).setInputFiles(file);
    await submit(page, page.getByRole('button', { name: 'Import' }));
    const result = page.locator('section#import-result');
    await result.waitFor();
    await expectText(result, /Imported 4 questions/);
    for (const [tech, byLevel] of Object.entries(IMPORT_COUNTS)) {
      const row = result.locator(`tr[data-technology="${tech}"]`);
      assert.equal(await row.count(), 1, `one counts row for ${tech}`);
      for (const [level, n] of Object.entries(byLevel)) {
        const cell = row.locator(`td[data-level="${level}"]`);
        if (n === 0 && (await cell.count()) === 0) continue;
        assert.equal((await cell.textContent()).trim(), String(n), `${tech}/${level}`);
      }
    }
    await visit(page, 'import-result');

    // The public home page now lists the imported technologies.
    const pub = await newPage(browser);
    try {
      await goto(pub, server, '/');
      for (const [tech, byLevel] of Object.entries(IMPORT_COUNTS)) {
        const row = pub.locator(`#technologies tr[data-technology="${tech}"]`);
        for (const [level, n] of Object.entries(byLevel)) {
          assert.equal((await row.locator(`td[data-level="${level}"]`).textContent()).trim(), String(n), `home ${tech}/${level}`);
        }
      }
      await goto(pub, server, `/questions?technology=${encodeURIComponent('Vue.js')}`);
      assert.equal(await resultCount(pub), 3);
    } finally {
      await pub.context().close();
    }
  });

  it('refuses a broken file with file:line in an alert', async () => {
    const file = path.join(tmp, 'broken.txt');
    await writeFile(file, BROKEN_FILE);
    await goto(page, server, '/staff/import');
    await page.getByLabel('Question file', { exact: true }).setInputFiles(file);
    const resp = await submit(page, page.getByRole('button', { name: 'Import' }));
    assert.equal(resp.status(), 400, 'broken file: 400');
    const text = await expectText(alert(), /broken\.txt:\d+: \S/);
    const line = Number(text.match(/broken\.txt:(\d+):/)[1]);
    assert.ok(line >= 11 && line <= 15, `error points at the broken question (lines 11-15), got: ${text.trim()}`);
    assert.equal(await page.locator('section#import-result').count(), 0, 'no result on failure');
    await visit(page, 'import-error');
  });

  it('admin manages users', async () => {
    await goto(page, server, '/admin/users');
    await page.locator(`table#users tr[data-email="${ADMIN.email}"]`).waitFor();
    await visit(page, 'users');

    const form = page.locator('main form').filter({ has: page.getByRole('button', { name: 'Add user' }) });
    await form.getByLabel('Email', { exact: true }).fill('rita@example.test');
    await form.getByLabel('Name', { exact: true }).fill('Rita Reviewer');
    const role = form.getByLabel('Role', { exact: true });
    if ((await role.evaluate((el) => el.tagName)) === 'SELECT') await role.selectOption('reviewer');
    else await role.fill('reviewer');
    await form.getByLabel('Password', { exact: true }).fill('reviewer-password-1');
    await submit(page, form.getByRole('button', { name: 'Add user' }));
    const row = page.locator('table#users tr[data-email="rita@example.test"]');
    await row.waitFor();
    assert.equal(await row.locator('select[name="role"]').inputValue(), 'reviewer');

    await row.locator('select[name="role"]').selectOption('interviewer');
    await submit(page, row.getByRole('button', { name: 'Change role' }));
    assert.equal(
      await page.locator('table#users tr[data-email="rita@example.test"] select[name="role"]').inputValue(),
      'interviewer',
    );
    await screenshot(page, 'users-changed');

    // Disable and enable Rita: the row says so; the admin's own row offers no "Disable".
    const own = page.locator(`table#users tr[data-email="${ADMIN.email}"]`);
    assert.equal(await own.getByRole('button', { name: /^Disable/ }).count(), 0, 'no Disable on the own row');
    await submit(page, row.getByRole('button', { name: 'Disable rita@example.test' }));
    await expectText(flash(), /Account disabled/);
    const disabled = page.locator('table#users tr[data-email="rita@example.test"][data-disabled="true"]');
    await expectText(disabled, /Disabled since/);
    await visit(page, 'users-disabled');
    await submit(page, disabled.getByRole('button', { name: 'Enable rita@example.test' }));
    await expectText(flash(), /Account enabled/);
    assert.equal(await page.locator('table#users tr[data-email="rita@example.test"]').getAttribute('data-disabled'), null);

    // An API token is listed (never the token itself) and revoked.
    const { stdout } = await execFileP(await aceBin(), ['token', 'create', '--data-dir', server.dataDir, '--email', ADMIN.email, '--name', 'ci runner'],
      { env: server.env });
    const token = stdout.trim().split(/\s+/).pop();
    await goto(page, server, '/admin/users');
    const tokenRow = page.locator('table#tokens tr[data-token-id]').filter({ hasText: 'ci runner' });
    await tokenRow.waitFor();
    assert.ok(!(await page.content()).includes(token), 'the users page shows the token');
    await visit(page, 'users-tokens');
    await submit(page, tokenRow.getByRole('button', { name: /^Revoke/ }));
    await expectText(flash(), /API token revoked/);
    await page.locator('table#tokens tr[data-token-id][data-revoked="true"]').filter({ hasText: 'ci runner' }).waitFor();
    const api = await page.request.get(`${server.url}/api/v1/interviews`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(api.status(), 401, 'the revoked token is refused');
  });

  it('removes a co-interviewer from a panel on the manage page', async () => {
    await goto(page, server, '/interviews/new');
    const created = await apiCall(page, 'POST', '/api/v1/interviews', { title: 'Panel check', interviewers: ['rita@example.test'] });
    assert.equal(created.status, 201, `create: ${JSON.stringify(created.body)}`);
    await goto(page, server, `/interviews/${created.body.id}`);
    const members = page.locator('#panel li[data-participant-id]');
    await expectCount(members, 2);
    await visit(page, 'manage-panel');
    await page.getByRole('button', { name: 'Remove Rita Reviewer from the panel' }).click(); // newPage accepts the confirm
    await expectText(page.locator('#panel-status'), /Removed Rita Reviewer from the panel/);
    await expectCount(members, 1);
    assert.equal(await page.locator('#panel button').count(), 0, 'the last interviewer has no Remove button');
    const again = await apiCall(page, 'GET', `/api/v1/interviews/${created.body.id}`);
    const rita = again.body.participants.find((p) => p.email === 'rita@example.test');
    assert.ok(rita?.revoked_at, 'Rita is marked removed');
  });

  it('logs out', async () => {
    await goto(page, server, '/staff/questions');
    await submit(page, nav().getByRole('button', { name: 'Log out' }));
    await nav().getByRole('link', { name: 'Log in' }).waitFor();
    const resp = await page.goto(`${server.url}/staff/questions`, { waitUntil: 'load' });
    const where = new URL(page.url()).pathname;
    assert.ok(
      where === '/login' || resp.status() === 401 || resp.status() === 403,
      `after logout /staff/questions must not be served (got ${resp.status()} at ${where})`,
    );
    assert.equal(await page.locator('table#staff-questions').count(), 0);
  });

  it('a staff page sends a logged-out visitor to log in and back', async () => {
    await page.goto(`${server.url}/staff/import`, { waitUntil: 'load' });
    const login = new URL(page.url());
    assert.equal(login.pathname, '/login', 'logged-out /staff/import leads to /login');
    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await submit(page, page.getByRole('button', { name: 'Log in' }));
    assert.equal(new URL(page.url()).pathname, '/staff/import', 'after login: back to /staff/import (next)');
    await submit(page, nav().getByRole('button', { name: 'Log out' }));
  });

  it('login never redirects to another site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example/']) {
      await goto(page, server, `/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      // The redirect target is checked before the browser follows it.
      const redirect = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/login'));
      await page.getByRole('button', { name: 'Log in' }).click();
      const resp = await redirect;
      const location = resp.headers().location ?? '';
      const target = new URL(location, server.url + '/');
      assert.equal(target.origin, server.url, `next=${next}: redirected to ${JSON.stringify(location)}`);
      await page.waitForURL((u) => u.origin === server.url && u.pathname !== '/login');
      await submit(page, nav().getByRole('button', { name: 'Log out' }));
    }
  });
});
