// Harness for Ace's browser tests (node:test + playwright-core + axe-core).
//
// A test file starts its own `ace serve` on a random port and a fresh data dir,
// drives Debian's Chromium through playwright-core, and checks every page it
// visits with axe-core. Everything asynchronous is awaited by Playwright's
// auto-waiting or by polling with a deadline (waitFor below): no fixed sleeps.
//
// Environment:
//   ACE_BIN          the ace binary; when unset it is built once into bin/ace
//   CHROMIUM_PATH    the browser (default /usr/bin/chromium)
//   E2E_HEADFUL=1    show the browser (needs a display)

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, mkdir, readFile, access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Root of the repository (the folder holding go.mod). */
export const repoRoot = path.resolve(here, '..');

/** Where screenshots go. */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SERVER_START_DEADLINE_MS = 60_000;
const SERVER_STOP_DEADLINE_MS = 10_000;

// ---------------------------------------------------------------------------
// Polling

/**
 * waitFor polls fn until it returns a truthy value (which it then returns) or
 * the deadline passes; then it throws, with fn's last error if it threw.
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {{timeout?: number, interval?: number, message?: string}} [opts]
 * @returns {Promise<T>}
 */
export async function waitFor(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  let lastVal;
  for (;;) {
    try {
      lastVal = await fn();
      if (lastVal) return lastVal;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() >= deadline) {
      const why = lastErr ? `: ${lastErr.message ?? lastErr}` : ` (last value: ${JSON.stringify(lastVal)})`;
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * expectText polls a locator's text until it matches (a RegExp or a substring).
 * @param {import('playwright-core').Locator} locator
 * @param {RegExp|string} want
 * @param {{timeout?: number}} [opts]
 * @returns {Promise<string>} the matching text
 */
export async function expectText(locator, want, { timeout = 10_000 } = {}) {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = (await locator.first().textContent({ timeout: 1_000 })) ?? '';
        const ok = want instanceof RegExp ? want.test(last) : last.includes(want);
        return ok ? last : '';
      },
      { timeout, message: `text ${want} in ${locator}` },
    );
  } catch (err) {
    throw new Error(`${err.message}\n  last text: ${JSON.stringify(last.trim().slice(0, 500))}`);
  }
}

/**
 * expectCount polls until the locator matches exactly n elements.
 * @param {import('playwright-core').Locator} locator
 * @param {number} n
 */
export async function expectCount(locator, n, { timeout = 10_000 } = {}) {
  let last = -1;
  await waitFor(
    async () => {
      last = await locator.count();
      return last === n;
    },
    { timeout, message: `${n} elements matching ${locator}` },
  ).catch((err) => {
    throw new Error(`${err.message} (found ${last})`);
  });
}

// ---------------------------------------------------------------------------
// The ace binary

let builtBin;

/**
 * aceBin returns the ace binary: $ACE_BIN, or bin/ace built once with `go build`.
 * @returns {Promise<string>}
 */
export async function aceBin() {
  if (process.env.ACE_BIN) return path.resolve(process.env.ACE_BIN);
  builtBin ??= (async () => {
    const out = path.join(repoRoot, 'bin', 'ace');
    await run('go', ['build', '-o', out, './cmd/ace'], { cwd: repoRoot, timeout: 15 * 60_000 });
    return out;
  })();
  return builtBin;
}

/**
 * run executes a command, resolving with {stdout, stderr} or rejecting with
 * both in the message.
 */
function run(cmd, args, { cwd, env, input, timeout = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd, env, timeout, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `${cmd} ${args.join(' ')} failed: ${err.message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    child.stdin.end(input ?? '');
  });
}

/**
 * serverEnv is the environment a test server runs with: this process's
 * environment without any ACE_* variable (so a developer's ACE_DATABASE_URL
 * never leaks into a test), plus the test's own variables.
 */
function serverEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('ACE_')) env[k] = v;
  }
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------
// Servers

const liveServers = new Set();
process.on('exit', () => {
  for (const s of liveServers) {
    try {
      s.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * @typedef {object} Server
 * @property {string} url       base URL without a trailing slash, e.g. http://127.0.0.1:41234
 * @property {string|undefined} setupURL  the first-admin setup URL, if printed (yet)
 * @property {string} dataDir   the server's fresh data dir
 * @property {Record<string,string>} env  the environment it runs with
 * @property {string[]} log     every line it printed (stdout and stderr)
 * @property {() => Promise<string>} waitForSetupURL
 * @property {(re: RegExp, timeout?: number) => Promise<RegExpMatchArray>} waitForLine
 * @property {() => Promise<void>} stop
 */

/**
 * startServer spawns `ace serve --addr 127.0.0.1:0 --data-dir <fresh temp dir>`
 * and resolves once it prints `Ace is running at http://...`.
 * @param {{env?: Record<string,string>, args?: string[]}} [opts]
 * @returns {Promise<Server>}
 */
export async function startServer({ env = {}, args = [] } = {}) {
  const bin = await aceBin();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ace-e2e-'));
  const fullEnv = serverEnv(env);
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, ...args], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveServers.add(child);

  /** @type {string[]} */
  const log = [];
  /** @type {Set<() => void>} */
  const listeners = new Set();
  const server = {
    url: '',
    setupURL: undefined,
    dataDir,
    env: fullEnv,
    log,
    exited: false,
    exitCode: null,
    waitForLine,
    waitForSetupURL,
    stop,
  };

  const onLine = (stream) => (line) => {
    log.push(`[${stream}] ${line}`);
    if (process.env.E2E_VERBOSE) process.stderr.write(`ace: ${line}\n`);
    const setup = line.match(/Create the first admin account at (https?:\/\/\S+)/);
    if (setup) server.setupURL = setup[1];
    for (const l of listeners) l();
  };
  createInterface({ input: child.stdout }).on('line', onLine('stdout'));
  createInterface({ input: child.stderr }).on('line', onLine('stderr'));

  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      server.exited = true;
      server.exitCode = code ?? signal;
      liveServers.delete(child);
      for (const l of listeners) l();
      resolve();
    });
  });

  /**
   * waitForLine resolves with the match of the first line (already printed or
   * printed later) that matches re.
   */
  function waitForLine(re, timeout = 10_000) {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        for (const entry of log) {
          const m = entry.replace(/^\[\w+\] /, '').match(re);
          if (m) {
            done();
            resolve(m);
            return;
          }
        }
        if (server.exited) {
          done();
          reject(new Error(`ace exited (${server.exitCode}) before printing ${re}\n${tail()}`));
        }
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      timer = setTimeout(() => {
        done();
        reject(new Error(`ace printed no line matching ${re} within ${timeout} ms\n${tail()}`));
      }, timeout);
      listeners.add(check);
      check();
    });
  }

  async function waitForSetupURL(timeout = 10_000) {
    if (server.setupURL) return server.setupURL;
    const m = await waitForLine(/Create the first admin account at (https?:\/\/\S+)/, timeout);
    return m[1];
  }

  function tail(n = 40) {
    return `--- last lines of ace serve (data dir ${dataDir}):\n${log.slice(-n).join('\n')}`;
  }
  server.tail = tail;

  let stopping;
  function stop() {
    stopping ??= (async () => {
      if (!server.exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_DEADLINE_MS);
        await exited;
        clearTimeout(killer);
      }
      await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  }

  try {
    const m = await waitForLine(/Ace is running at (https?:\/\/\S+)/, SERVER_START_DEADLINE_MS);
    server.url = m[1].replace(/\/+$/, '');
  } catch (err) {
    await stop();
    throw err;
  }
  return server;
}

/**
 * addUser runs `ace user add` against the server's data dir, with the
 * password on standard input.
 * @param {Server} server
 * @param {{email: string, name: string, role: string, password: string}} user
 */
export async function addUser(server, { email, name, role, password }) {
  const bin = await aceBin();
  return run(
    bin,
    ['user', 'add', '--data-dir', server.dataDir, '--email', email, '--name', name, '--role', role],
    { env: server.env, input: `${password}\n`, timeout: 60_000 },
  );
}

// ---------------------------------------------------------------------------
// Browser

/**
 * launchBrowser starts Debian's Chromium headless with flags that keep it off
 * the network.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  await access(executablePath).catch(() => {
    throw new Error(`no browser at ${executablePath}: install it with 'apt-get install -y chromium' (scripts/test.sh does)`);
  });
  return chromium.launch({
    executablePath,
    headless: !process.env.E2E_HEADFUL,
    args: CHROMIUM_ARGS,
  });
}

/**
 * newPage opens a page in a new browser context. Context options pass through
 * (viewport, javaScriptEnabled, ...). Pages run under their real
 * Content-Security-Policy, so an inline script or handler that the CSP blocks
 * shows up as an error; checkA11y evaluates axe-core's source through the
 * driver, which the CSP does not govern.
 * Page errors and console errors are collected in page.errors.
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
 * @returns {Promise<import('playwright-core').Page & {errors: string[]}>}
 */
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ ...contextOptions });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(`console: ${msg.text()}`);
  });
  // A confirm() before a destructive action is fine; accept it.
  page.on('dialog', (d) => d.accept().catch(() => {}));
  return page;
}

/**
 * submit clicks a locator that submits a form and waits for the resulting
 * navigation (redirects followed); returns the final document's response.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} locator
 * @returns {Promise<import('playwright-core').Response|null>}
 */
export async function submit(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return resp;
}

/**
 * goto loads path (relative to the server's URL) and asserts the status.
 * @returns {Promise<import('playwright-core').Response|null>}
 */
export async function goto(page, server, pathname, { status = 200 } = {}) {
  const resp = await page.goto(new URL(pathname, server.url + '/').href, { waitUntil: 'load' });
  if (status !== undefined && status !== null) {
    assert.equal(resp?.status(), status, `GET ${pathname}: status`);
  }
  return resp;
}

/**
 * useServerAndBrowser gives a test file one `ace serve` (with these staff
 * accounts) and one Chromium, through node:test's before and after hooks.
 * Its fields are set once that hook has run: read them in tests, not at
 * the top level. What the whole file needs first goes in setup, run in the
 * same hook (Node 20 does not wait for one top-level before hook to finish
 * before the next starts).
 * @param {Array<{email: string, name: string, role: string, password: string}>} users
 * @param {(env: {server: any, browser: import('playwright-core').Browser}) => Promise<void>} [setup]
 * @returns {{server: any, browser: import('playwright-core').Browser}}
 */
export function useServerAndBrowser(users, setup) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    for (const u of users) await addUser(env.server, u);
    env.browser = await launchBrowser();
    if (setup) await setup(env);
  });
  after(async () => {
    await env.browser?.close().catch(() => {});
    await env.server?.stop();
  });
  return env;
}

// ---------------------------------------------------------------------------
// Accessibility and screenshots

let axeSource;

/**
 * checkA11y runs axe-core on the page and fails on any violation whose impact
 * is serious or critical, listing each violation with the elements it hit.
 * @param {import('playwright-core').Page} page
 * @param {string} label  what the page is, for the failure message
 */
export async function checkA11y(page, label) {
  const hasAxe = () => page.evaluate(() => typeof window.axe !== 'undefined');
  if (!(await hasAxe())) {
    // Evaluated through the driver: a script tag would be an inline script,
    // which the page's CSP (rightly) blocks and reports as an error.
    axeSource ??= await readFile(axePath, 'utf8');
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html,
        summary: n.failureSummary,
      })),
    }));
  });
  const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.filter((v) => !bad.includes(v));
  if (minor.length && process.env.E2E_VERBOSE) {
    process.stderr.write(`axe (${label}): minor: ${formatViolations(minor)}\n`);
  }
  if (bad.length) {
    assert.fail(`axe found ${bad.length} serious/critical violation(s) on ${label} (${page.url()}):\n${formatViolations(bad)}`);
  }
  return results;
}

/** formatViolations renders axe violations as readable text. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 10)
        .map(
          (n) =>
            `    - ${n.target}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 200)}\n      ${(n.summary ?? '')
              .replace(/\n\s*/g, '\n      ')}`,
        )
        .join('\n');
      const more = v.nodes.length > 10 ? `\n    ... and ${v.nodes.length - 10} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * screenshot saves a full-page PNG to <repo>/test-artifacts/<name>.png.
 * @returns {Promise<string>} the file's path
 */
export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * visit is the usual step: check the page with axe and screenshot it.
 */
export async function visit(page, name) {
  await screenshot(page, name);
  await checkA11y(page, name);
}

// ---------------------------------------------------------------------------
// Small page helpers shared by the tests

/** resultCount reads `<p id="result-count">N questions</p>` as a number. */
export async function resultCount(page) {
  const text = await page.locator('#result-count').textContent();
  const m = text?.match(/(\d[\d,]*)\s+question/i);
  assert.ok(m, `#result-count should read "N questions", got ${JSON.stringify(text)}`);
  return Number(m[1].replace(/,/g, ''));
}

/** questionIDs lists the data-id of each question article on the page. */
export async function questionIDs(page) {
  return page.locator('article.question').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
}

/** noHorizontalScroll asserts that the document is no wider than the viewport width. */
export async function noHorizontalScroll(page, width, label) {
  const { scrollWidth, offenders } = await page.evaluate((w) => {
    const offenders = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 0.5 && r.width > 0) {
        offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 10) };
  }, width);
  assert.ok(
    scrollWidth <= width,
    `${label}: document.documentElement.scrollWidth is ${scrollWidth} > ${width}; widest elements: ${offenders.join(', ')}`,
  );
}
