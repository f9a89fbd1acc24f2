// A benchmark, not a test (node --test does not pick it up): a real console
// in Chromium on instance A while 200 candidates on instance B type at the
// browser's own rate. It records whether the console stays connected, how
// long after the typing stops every pane shows its candidate's last text,
// and how busy the page's main thread was (long tasks).
//
//   go build -o bin/ace ./cmd/ace && ACE_BIN=$PWD/bin/ace node e2e/console-200.bench.mjs
//   (CANDIDATES=200 RATE=12.5 SECONDS=60 by default)
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, addUser, launchBrowser, newPage, goto, expectText, waitFor, aceBin, screenshot } from './harness.mjs';
import { login, apiCall, addQuestion, freshDatabase, startNats, writeMetrics } from './rooms.mjs';

const N = Number(process.env.CANDIDATES ?? 200);
const RATE = Number(process.env.RATE ?? 12.5);
const SECONDS = Number(process.env.SECONDS ?? 60);
const ADMIN = { email: 'bench-admin@example.test', name: 'Bench Admin', role: 'admin', password: 'bench-console-password' };

const db = await freshDatabase();
const nats = await startNats();
const opts = { args: ['--database-url', db.url, '--nats-url', nats.url], env: { ACE_DATABASE_URL: db.url, ACE_NATS_URL: nats.url, ACE_LOG_LEVEL: 'warn' } };
const a = await startServer(opts);
const b = await startServer(opts);
const browser = await launchBrowser();
const out = {};
try {
  await addUser(a, ADMIN);
  const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
  await login(page, a, ADMIN);
  const qid = await addQuestion(page, { technology: 'Go', level: 'beginner', prompt: 'Benchtest: describe a goroutine.', answer: 'A lightweight thread.', time_limit_s: 1800 });
  const candidates = Array.from({ length: N }, (_, i) => ({ name: `Typist ${String(i + 1).padStart(3, '0')}` }));
  const created = await apiCall(page, 'POST', '/api/v1/interviews', { title: `Console of ${N}`, questions: [{ question_id: qid, time_limit_s: 1800 }], candidates });
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'ace-bench-'));
  const tokens = path.join(dir, 'tokens');
  const last = path.join(dir, 'last.json');
  await writeFile(tokens, created.body.candidates.map((c) => c.invite_token).join('\n'));

  await goto(page, a, `/interviews/${created.body.id}/console`);
  await expectText(page.locator('#conn'), 'Connected');
  // Long tasks on the console's main thread, from now on.
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  });
  await page.getByRole('button', { name: 'Start interview' }).click();
  await page.locator('#plan .plan-item[data-position="1"]').getByRole('button', { name: /^Push/ }).click();

  const typists = spawn(await aceBin(), ['loadtest', '--url', b.url, '--typists', tokens, '--interview', String(created.body.id),
    '--draft-rate', String(RATE), '--duration', `${SECONDS}s`, '--typists-out', last], { stdio: ['ignore', 'pipe', 'inherit'] });
  let typed = '';
  typists.stdout.on('data', (d) => { typed += d; });
  const states = new Set();
  const t0 = Date.now();
  const watch = setInterval(async () => {
    states.add(await page.locator('#conn').innerText().catch(() => '?'));
  }, 500);
  const code = await new Promise((r) => typists.on('exit', r));
  const stopped = Date.now();
  if (code !== 0) throw new Error(`typists exited ${code}: ${typed}`);
  const want = JSON.parse(await readFile(last, 'utf8')).last;
  // Every pane shows its candidate's last text: how long after the typing stopped?
  const names = new Map(created.body.candidates.map((c, i) => [String(c.id), `Typist ${String(i + 1).padStart(3, '0')}`]));
  let behind = [];
  // Which panes were still behind 3 s after the typing stopped (the
  // target), and how far: says whether a slow run was every pane or a few.
  let at3s = null;
  const curve = []; // [ms after the typing stopped, panes behind], at each change
  await waitFor(async () => {
    const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#cands .cand')].map((el) =>
      [el.querySelector('h2, h3')?.textContent?.trim(), el.querySelector('.answer-live')?.textContent ?? ''])));
    behind = [...names].filter(([id, name]) => shown[name] !== want[id]);
    if (at3s === null && Date.now() - stopped >= 3000) {
      at3s = { behind: behind.length, sample: behind.slice(0, 3).map(([id, name]) => ({ name, shown_words: shown[name]?.split(' ').length ?? 0, want_words: want[id].split(' ').length })) };
    }
    if (curve.at(-1)?.[1] !== behind.length) curve.push([Date.now() - stopped, behind.length]);
    behind = behind.map(([, name]) => name);
    return behind.length === 0;
  }, { timeout: 30_000, interval: 100, message: 'every pane to show its last text' }).catch(() => {});
  clearInterval(watch);
  const long = await page.evaluate(() => window.__long);
  const activeMs = stopped - t0;
  Object.assign(out, {
    candidates: N, rate_per_s: RATE, seconds: SECONDS, typists: typed.trim(),
    connection_states_seen: [...states],
    last_texts_shown_after_ms: behind.length === 0 ? Date.now() - stopped : null,
    panes_behind_after_30s: behind.length,
    panes_behind_at_3s: at3s,
    panes_behind_curve: curve,
    long_tasks: long.length, long_task_ms: Math.round(long.reduce((s, d) => s + d, 0)),
    main_thread_long_task_share: +(long.reduce((s, d) => s + d, 0) / activeMs).toFixed(3),
  });
  await screenshot(page, 'bench-console-200');
} finally {
  console.log(JSON.stringify(out, null, 2));
  await writeMetrics('console-200', out).catch(() => {});
  await browser.close();
  await a.stop();
  await b.stop();
  await nats.stop();
  await db.drop();
}
