// Login's next in a real browser: a crafted link must neither plant a cookie
// (CR LF in the Location) nor send Chromium off the site (it drops tabs and
// newlines from a URL and reads "\" as "/", so "/\t/evil.example/" is
// "//evil.example/"). The Go tests check the headers; this checks what the
// browser does with them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser, launchBrowser, newPage, goto, submit } from './harness.mjs';

const ADMIN = { email: 'admin@example.test', name: 'Grace Admin', role: 'admin', password: 'correct-horse-battery' };

// As they appear in a link, percent-encoded for the query string.
const PAYLOADS = [
  '/%09/evil.example/',
  '/x%0d%0aSet-Cookie:%20planted=1;%20Path=/',
  '/x%0aSet-Cookie:%20planted=1;%20Path=/',
  '/%0a/evil.example/',
  '/%0d/evil.example/',
  '/%5c/evil.example/',
  '/%5cevil.example/',
  '%2f%2fevil.example/',
  '/%252f%252fevil.example/',
  'https://evil.example/',
  'javascript:alert(1)',
];

describe('login next stays on the site', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    await addUser(server, ADMIN);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** A fresh page that records the host of every request it makes. */
  async function watchedPage() {
    const page = await newPage(browser);
    page.hosts = new Set();
    page.on('request', (r) => {
      try {
        page.hosts.add(new URL(r.url()).host);
      } catch {
        page.hosts.add(r.url());
      }
    });
    return page;
  }

  async function assertOnSite(page, label, pathname = '/dashboard') {
    const here = new URL(server.url).host;
    const away = [...page.hosts].filter((h) => h !== here);
    assert.deepEqual(away, [], `${label}: the browser went to another host`);
    const planted = (await page.context().cookies()).filter((c) => c.name.includes('planted') || c.value.includes('planted'));
    assert.deepEqual(planted, [], `${label}: a cookie was planted`);
    if (page.navError) throw page.navError;
    const url = new URL(page.url());
    assert.equal(url.host, here, `${label}: ended on ${page.url()}`);
    assert.equal(url.pathname, pathname, `${label}: ended on ${page.url()}`);
  }

  async function logIn(page) {
    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    // A navigation off the site fails (no network; and the CSP's form-action
    // blocks a form's redirect to another host): record it and let
    // assertOnSite say where the browser went.
    page.navError = undefined;
    await submit(page, page.getByRole('button', { name: 'Log in' })).catch((err) => {
      page.navError = err;
    });
  }

  it('a local next still works (the control)', async () => {
    const page = await watchedPage();
    try {
      await goto(page, server, '/staff/import');
      assert.equal(new URL(page.url()).pathname, '/login');
      await logIn(page);
      await assertOnSite(page, 'next=/staff/import', '/staff/import');
    } finally {
      await page.context().close();
    }
  });

  for (const payload of PAYLOADS) {
    it(`/login?next=${payload}`, async () => {
      // A logged-in user following the link is redirected at once: a plain
      // navigation, which no CSP directive governs.
      const user = await watchedPage();
      try {
        await goto(user, server, '/login');
        await logIn(user);
        await assertOnSite(user, 'plain login');
        await user.goto(`${server.url}/login?next=${payload}`, { waitUntil: 'load' }).catch((err) => {
          user.navError = err;
        });
        await assertOnSite(user, `logged in, following ${payload}`);
      } finally {
        await user.context().close();
      }

      // A victim logging in through the link.
      const victim = await watchedPage();
      try {
        await goto(victim, server, `/login?next=${payload}`);
        const carried = await victim.locator('input[name="next"]').inputValue();
        await logIn(victim);
        await assertOnSite(victim, `login through ${payload}`);
        assert.equal(carried, '', 'the form carried next');
      } finally {
        await victim.context().close();
      }

      // A form posted with the value anyway, as the page did before.
      const post = await watchedPage();
      try {
        await goto(post, server, '/login');
        const raw = decodeURIComponent(payload);
        await post.locator('input[name="next"]').evaluate((el, v) => (el.value = v), raw);
        await logIn(post);
        await assertOnSite(post, `posted next ${JSON.stringify(raw)}`);
      } finally {
        await post.context().close();
      }
    });
  }
});
