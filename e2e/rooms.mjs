// Helpers for the live-room browser tests (rooms.test.mjs): logging in,
// driving the create page, calling the API from a page, watching a
// candidate's traffic, and the PostgreSQL database and NATS server that two
// instances share.

import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import { goto, submit, waitFor, expectText, artifactsDir } from './harness.mjs';

/** login signs a staff user in through the login form. */
export async function login(page, server, { email, password }) {
  await goto(page, server, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, page.getByRole('button', { name: 'Log in' }));
  assert.ok(!page.url().includes('/login'), `login of ${email} failed: still on ${page.url()}`);
}

/**
 * apiCall runs fetch inside a logged-in page (session cookie + CSRF header),
 * so the test uses the API exactly as the pages do.
 * @returns {Promise<{status: number, body: any}>}
 */
export async function apiCall(page, method, pathname, body) {
  return page.evaluate(
    async ({ method, pathname, body }) => {
      const headers = { Accept: 'application/json' };
      const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
      if (token) headers['X-CSRF-Token'] = token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    },
    { method, pathname, body },
  );
}

/** addQuestion adds a bank question through the API and returns its id. */
export async function addQuestion(page, q) {
  const r = await apiCall(page, 'POST', '/api/v1/questions', q);
  assert.equal(r.status, 201, `create question: ${JSON.stringify(r.body)}`);
  return r.body.id ?? r.body.question?.id;
}

/**
 * createInterviewOnPage fills the New interview page: title, exam minutes,
 * questions found by a search term each with a time limit, candidates; it
 * submits and returns {id, invites: [{name, url}]} read from the manage page.
 */
export async function createInterviewOnPage(page, server, { title, examMinutes = 0, questions, candidates }) {
  await goto(page, server, '/interviews/new');
  await page.getByLabel('Title').fill(title);
  if (examMinutes) await page.getByLabel('Exam time limit (minutes)').fill(String(examMinutes));
  for (const [i, q] of questions.entries()) {
    const bank = page.locator('#bank');
    await bank.getByLabel('Search the bank').fill(q.search);
    await bank.getByLabel('Search the bank').press('Enter');
    await expectText(bank.locator('[data-bank-count]'), /1 question found/);
    await bank.locator('.bank-item').first().getByRole('button', { name: /^Add/ }).click();
    const item = page.locator('#plan .plan-item').nth(i);
    await item.waitFor();
    await item.getByLabel(/Time limit \(seconds\)/).fill(String(q.timeLimit));
  }
  for (const [i, c] of candidates.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Add another candidate' }).click();
    const row = page.locator('.candidate-row').nth(i);
    await row.getByLabel('Name').fill(c.name);
    if (c.email) await row.getByLabel('Email (optional)').fill(c.email);
  }
  await Promise.all([
    page.waitForURL(/\/interviews\/\d+\?created=1$/),
    page.getByRole('button', { name: 'Create interview' }).click(),
  ]);
  const id = Number(page.url().match(/\/interviews\/(\d+)/)[1]);
  const invites = [];
  for (const c of candidates) {
    const input = page.getByLabel(`Invite link for ${c.name}`);
    invites.push({ name: c.name, url: await input.inputValue() });
  }
  return { id, invites };
}

/**
 * watchTraffic records what a page receives: every response body (text) and
 * every WebSocket frame, for leak checks.
 */
export function watchTraffic(page) {
  const bodies = [];
  const frames = [];
  const pendingBodies = [];
  page.on('response', (res) => {
    pendingBodies.push(
      res
        .body()
        .then((b) => bodies.push({ url: res.url(), text: b.toString('utf8') }))
        .catch(() => {}),
    );
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
    ws.on('framesent', (f) => frames.push(String(f.payload)));
  });
  return {
    bodies,
    frames,
    /** settle waits for the bodies still being read. */
    async settle() {
      await Promise.all(pendingBodies);
    },
  };
}

/**
 * assertNoLeak checks that none of the needles appears in the page's source,
 * its responses or its frames.
 */
export async function assertNoLeak(page, traffic, needles, label) {
  await traffic.settle();
  const html = await page.content();
  for (const n of needles) {
    assert.ok(!html.includes(n), `${label}: the page source contains ${JSON.stringify(n)}`);
    for (const b of traffic.bodies) assert.ok(!b.text.includes(n), `${label}: the response of ${b.url} contains ${JSON.stringify(n)}`);
    for (const f of traffic.frames) assert.ok(!f.includes(n), `${label}: a WebSocket frame contains ${JSON.stringify(n)}: ${f.slice(0, 300)}`);
  }
  assert.ok(traffic.frames.length > 0, `${label}: no WebSocket frames were seen (is the watcher attached?)`);
}

/** countdownSeconds reads a countdown element's m:ss (or h:mm:ss) as seconds. */
export async function countdownSeconds(locator) {
  const text = (await locator.locator('.cd-time').textContent()) ?? '';
  const parts = text.trim().split(':').map(Number);
  assert.ok(parts.every(Number.isFinite), `countdown text ${JSON.stringify(text)}`);
  return parts.reduce((s, p) => s * 60 + p, 0);
}

/** percentile of a list of numbers (nearest rank). */
export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** writeMetrics saves measured figures as JSON in test-artifacts/. */
export async function writeMetrics(name, data) {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------
// Shared infrastructure for two instances

/** freePort asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function exec(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The PostgreSQL server the e2e tests may create databases on. */
export const PG_ADMIN_URL = process.env.E2E_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';

/**
 * freshDatabase creates an empty PostgreSQL database with psql and returns
 * its URL and a drop function.
 */
export async function freshDatabase() {
  const name = `ace_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await exec('psql', [PG_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      await exec('psql', [PG_ADMIN_URL, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {});
    },
  };
}

/** NATS_BIN is the nats-server binary the two-instance test runs. */
export const NATS_BIN = process.env.NATS_SERVER || '/usr/sbin/nats-server';

export async function haveNats() {
  try {
    await access(NATS_BIN);
    return true;
  } catch {
    return false;
  }
}

/** startNats runs `nats-server -a 127.0.0.1 -p <free port>` until stop(). */
export async function startNats() {
  const port = await freePort();
  const child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  let exited = false;
  const gone = new Promise((r) => child.on('exit', () => { exited = true; r(); }));
  process.on('exit', () => child.kill('SIGKILL'));
  await waitFor(() => log.join('').includes('Server is ready') || exited, { timeout: 15_000, message: 'nats-server to start' });
  if (exited) throw new Error(`nats-server exited:\n${log.join('')}`);
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}
