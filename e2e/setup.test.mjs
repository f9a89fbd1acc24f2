// First run: the server prints a setup URL; opening it creates the first admin,
// who is then logged in; the URL stops working afterwards.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, goto, submit, visit, screenshot, expectText } from './harness.mjs';

describe('first admin setup', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let setupURL;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a fresh server prints the setup URL', async () => {
    setupURL = await server.waitForSetupURL();
    const u = new URL(setupURL);
    const base = new URL(server.url);
    assert.equal(u.host, base.host, 'setup URL is on the server address');
    assert.match(u.pathname, /^\/setup\/[A-Za-z0-9_-]{16,}$/, 'setup URL carries a long token');
  });

  it('a wrong setup token is refused', async () => {
    const page = await newPage(browser);
    try {
      const resp = await page.goto(`${server.url}/setup/not-the-token-${Date.now()}`);
      assert.ok(resp.status() >= 400 && resp.status() < 500, `wrong token: status ${resp.status()}, want 4xx`);
      assert.equal(await page.getByRole('button', { name: 'Create admin' }).count(), 0);
    } finally {
      await page.context().close();
    }
  });

  it('opening it creates the first admin, who is logged in', async () => {
    const page = await newPage(browser);
    try {
      const resp = await page.goto(setupURL, { waitUntil: 'load' });
      assert.equal(resp.status(), 200);
      await visit(page, 'setup');

      // A password under 10 characters is refused with an alert (browser validation off).
      await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
      await page.getByLabel('Email', { exact: true }).fill('ada@example.test');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.locator('form').evaluateAll((fs) => fs.forEach((f) => (f.noValidate = true)));
      const short = await submit(page, page.getByRole('button', { name: 'Create admin' }));
      assert.ok(short.status() >= 400, `short password: status ${short.status()}, want 4xx`);
      await page.locator('p[role="alert"].error').first().waitFor();
      assert.ok(new URL(page.url()).pathname.startsWith('/setup/'), 'still on the setup page');
      await visit(page, 'setup-errors');

      await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
      await page.getByLabel('Email', { exact: true }).fill('ada@example.test');
      await page.getByLabel('Password', { exact: true }).fill('analytical-engine-1843');
      await submit(page, page.getByRole('button', { name: 'Create admin' }));
      assert.equal(new URL(page.url()).pathname, '/staff/questions', 'redirected to /staff/questions');
      const nav = page.locator('header nav[aria-label="Main"]');
      await nav.getByRole('button', { name: 'Log out' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Users' }).getAttribute('href'), '/admin/users', 'admin sees Users');
      assert.equal(await nav.getByRole('link', { name: 'Log in' }).count(), 0, 'no Log in link when logged in');
      await screenshot(page, 'setup-done');

      // The admin can open the users page and sees themself.
      await goto(page, server, '/admin/users');
      await page.locator('table#users tr[data-email="ada@example.test"]').waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('the setup URL no longer works', async () => {
    const page = await newPage(browser);
    try {
      const resp = await page.goto(setupURL, { waitUntil: 'load' });
      assert.equal(await page.getByRole('button', { name: 'Create admin' }).count(), 0, 'no setup form any more');
      if (new URL(page.url()).pathname.startsWith('/setup/')) {
        assert.ok(resp.status() >= 400, `setup URL after setup: status ${resp.status()}, want 4xx`);
      }
      // Posting to it directly does not create a second admin either.
      const post = await page.request.post(setupURL, {
        form: { name: 'Mallory', email: 'mallory@example.test', password: 'mallory-password-1' },
        maxRedirects: 0,
      });
      assert.ok(post.status() >= 400, `POST to the used setup URL: status ${post.status()}, want 4xx`);
      await screenshot(page, 'setup-used');
    } finally {
      await page.context().close();
    }
  });

  it('the new admin can log in with the chosen password', async () => {
    const page = await newPage(browser);
    try {
      await goto(page, server, '/login');
      await page.getByLabel('Email', { exact: true }).fill('ada@example.test');
      await page.getByLabel('Password', { exact: true }).fill('analytical-engine-1843');
      await submit(page, page.getByRole('button', { name: 'Log in' }));
      assert.equal(new URL(page.url()).pathname, '/dashboard');
      await expectText(page.locator('header nav'), 'Log out');
    } finally {
      await page.context().close();
    }
  });
});
