// Practice mode (issue 11): offered from / and /questions, the settings form,
// an attempt in the candidate view (answer, refresh and resume, a question
// that expires, finish), the results (self-rating by keyboard, the total,
// "Retry the ones I missed", the opt-in share link), axe-core and 320 px.
// No page, response or frame of practice carries a private question. An
// attempt keeps the bank's order (beginner first, then by id), so with all
// three questions drawn, question N is QUESTIONS[N-1].
//
// The room part drives the candidate view as docs/pages.md describes it for
// practice (question list `nav[aria-label=Questions]` of buttons "Question
// N", `#answer`, `#save-state` "Saved", button "Finish and see results").
// The results part starts its attempt through the form and answers over the
// room's WebSocket as a third-party client would, so it does not depend on
// the candidate view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser,
  newPage,
  goto,
  submit,
  visit,
  expectText,
  noHorizontalScroll,
  waitFor,
} from './harness.mjs';
import { login, addQuestion, watchTraffic } from './rooms.mjs';

const TECH = 'Practest';
const IVY = { email: 'ivy@example.test', name: 'Ivy Interviewer', role: 'interviewer', password: 'correct-horse-battery' };
const SECRET = 'PRIVATE-PRACTEST-never-in-practice';
const QUESTIONS = [
  { technology: TECH, level: 'beginner', prompt: 'Practest alpha: what is a goroutine?', answer: 'MODEL-ALPHA: a function running concurrently.', time_limit_s: 300 },
  { technology: TECH, level: 'beginner', prompt: 'Practest bravo: what does close(ch) do?', answer: 'MODEL-BRAVO: no more values will be sent.', time_limit_s: 6 },
  { technology: TECH, level: 'intermediate', prompt: 'Practest charlie: what is a nil map?', answer: 'MODEL-CHARLIE: reads work, writes panic.', time_limit_s: 300 },
];
const PRIVATE = { technology: TECH, level: 'beginner', prompt: `${SECRET}: the staff-only question`, answer: `${SECRET}-answer`, time_limit_s: 300, visibility: 'private' };

const env = useServerAndBrowser([IVY], async ({ server, browser }) => {
  const ivy = await newPage(browser);
  await login(ivy, server, IVY);
  for (const q of [...QUESTIONS, PRIVATE]) await addQuestion(ivy, q);
  await ivy.context().close();
});

/** startAttempt fills /practice/new for TECH and lands in the room. */
async function startAttempt(page, { count = '5', level = 'Mixed levels' } = {}) {
  await goto(page, env.server, `/practice/new?technology=${TECH}`);
  assert.equal(await page.getByLabel('Technology').inputValue(), TECH, '?technology= preselects it');
  await page.getByLabel('Level').selectOption({ label: level });
  await page.getByRole('radio', { name: count, exact: true }).check();
  await page.getByRole('radio', { name: "Each question's suggested time limit" }).check();
  await submit(page, page.getByRole('button', { name: 'Start the practice exam' }));
  const m = new URL(page.url()).pathname.match(/^\/practice\/(\d+)$/);
  assert.ok(m, `after starting, the room /practice/ID: ${page.url()}`);
  return Number(m[1]);
}

/**
 * answerOverSocket speaks the room protocol from the page (its cookie opens
 * the room): opens each position, drafts its text and waits for answer.saved.
 * It returns the welcome.
 */
async function answerOverSocket(page, id, answers) {
  return page.evaluate(
    async ({ id, answers }) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws/interviews/${id}`);
      const frames = [];
      const waiters = [];
      ws.onmessage = (ev) => {
        const f = JSON.parse(ev.data);
        frames.push(f);
        for (const w of waiters.splice(0)) w();
      };
      const until = (match) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`timed out; frames: ${JSON.stringify(frames).slice(0, 2000)}`)), 10_000);
          const check = () => {
            const f = frames.find(match);
            if (f) {
              clearTimeout(t);
              resolve(f);
            } else waiters.push(check);
          };
          check();
        });
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('the room socket did not open'));
      });
      ws.send(JSON.stringify({ type: 'hello', data: { last_seq: 0 } }));
      const welcome = await until((f) => f.type === 'welcome');
      let n = 0;
      for (const [pos, text] of Object.entries(answers)) {
        n++;
        ws.send(JSON.stringify({ type: 'question.open', id: `o${n}`, data: { position: Number(pos) } }));
        await until((f) => f.type === 'ack' && f.id === `o${n}`);
        await until((f) => f.type === 'timer.started' && f.data.position === Number(pos));
        ws.send(JSON.stringify({ type: 'answer.draft', id: `d${n}`, data: { position: Number(pos), text, version: n } }));
        await until((f) => f.type === 'answer.saved' && f.data.position === Number(pos));
      }
      ws.close();
      return welcome;
    },
    { id, answers },
  );
}

/**
 * assertNoSecret checks that SECRET is in none of the page's source, the
 * responses read so far and the room frames. The bodies of responses the
 * browser dropped (a page left by a redirect) never settle, so it waits for
 * them at most a few seconds.
 */
async function assertNoSecret(page, traffic, label) {
  await Promise.race([traffic.settle(), new Promise((r) => setTimeout(r, 3000))]);
  assert.ok(!(await page.content()).includes(SECRET), `${label}: the page holds the private question`);
  for (const b of traffic.bodies) assert.ok(!b.text.includes(SECRET), `${label}: ${b.url} holds the private question`);
  for (const f of traffic.frames) assert.ok(!f.includes(SECRET), `${label}: a room frame holds the private question: ${f.slice(0, 300)}`);
  assert.ok(traffic.frames.length > 0, `${label}: no room frames were seen`);
}

/** finishByPost presses Finish as the contract says the candidate view does. */
async function finishByPost(page, id) {
  const status = await page.evaluate(async (id) => {
    const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
    const res = await fetch(`/practice/${id}/finish`, { method: 'POST', headers: { 'X-CSRF-Token': token } });
    return res.status;
  }, id);
  assert.equal(status, 200, 'POST /practice/ID/finish');
}

describe('practice mode', { timeout: 300_000 }, () => {
  it('is offered per technology on / and /questions; the form is accessible at 320 px', async () => {
    const page = await newPage(env.browser, { viewport: { width: 320, height: 720 } });
    await goto(page, env.server, '/');
    const homeLink = page.locator(`#technologies tr[data-technology="${TECH}"]`).getByRole('link', { name: `Take a practice exam in ${TECH}` });
    assert.equal(await homeLink.count(), 1, 'a practice link in the row of the technology on /');
    await goto(page, env.server, '/questions');
    const nav = page.getByRole('navigation', { name: 'Practice exams' });
    await submit(page, nav.getByRole('link', { name: `Take a practice exam in ${TECH}` }));
    assert.equal(new URL(page.url()).pathname, '/practice/new');
    assert.equal(await page.getByLabel('Technology').inputValue(), TECH);
    await noHorizontalScroll(page, 320, '/practice/new at 320 px');
    await visit(page, 'practice-new-320');
    // A choice the form does not offer is refused with a message, not a crash.
    const bad = await page.evaluate(async () => {
      const form = new FormData(document.getElementById('practice-form'));
      form.set('count', '7');
      const res = await fetch('/practice', { method: 'POST', body: new URLSearchParams(form) });
      return { status: res.status, text: await res.text() };
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Number of questions must be 5, 10 or 20/);
    await page.context().close();
  });

  it('runs in the candidate view: answer, refresh and resume, a question expires, finish', async () => {
    const page = await newPage(env.browser, { viewport: { width: 1024, height: 800 } });
    const traffic = watchTraffic(page);
    const id = await startAttempt(page);
    const room = page.locator('#room');
    assert.equal(await room.getAttribute('data-practice'), '1');
    assert.equal(await room.getAttribute('data-finish-url'), `/practice/${id}/finish`);
    assert.equal(await room.getAttribute('data-results-url'), `/practice/${id}/results`);
    const join = page.getByRole('button', { name: "Yes, that's me: join" });
    const questions = page.getByRole('navigation', { name: 'Questions' });
    const enter = async () => {
      await waitFor(async () => (await join.isVisible()) || (await questions.isVisible()), { message: 'the join button or the question list' });
      if (await join.isVisible()) await join.click();
      await questions.getByRole('button', { name: 'Question 3' }).waitFor();
    };
    await enter();
    assert.equal(await questions.getByRole('button', { name: /^Question \d+/ }).count(), QUESTIONS.length, 'every public question of the technology, no private one');
    await visit(page, 'practice-room');
    await page.setViewportSize({ width: 320, height: 720 });
    await noHorizontalScroll(page, 320, 'practice room at 320 px');
    await page.setViewportSize({ width: 1024, height: 800 });

    await questions.getByRole('button', { name: 'Question 1' }).click();
    await page.locator('#answer').fill('ALPHA-TYPED: a lightweight thread');
    await expectText(page.locator('#save-state'), 'Saved');

    // A refresh resumes the same attempt, answer included; so does a second tab.
    await page.reload({ waitUntil: 'load' });
    assert.equal(new URL(page.url()).pathname, `/practice/${id}`);
    await enter();
    await questions.getByRole('button', { name: 'Question 1' }).click();
    await waitFor(async () => (await page.locator('#answer').inputValue()) === 'ALPHA-TYPED: a lightweight thread', { message: 'the saved answer back after a refresh' });
    const tab2 = await page.context().newPage();
    await tab2.goto(`${env.server.url}/practice/${id}`, { waitUntil: 'load' });
    assert.equal(await tab2.locator('#room').getAttribute('data-interview-id'), String(id), 'a second tab opens the same attempt');
    await tab2.close();

    // Question 2 has a 6 s limit: once it runs out its answer is closed.
    await questions.getByRole('button', { name: 'Question 2' }).click();
    await page.locator('#answer').fill('BRAVO-TYPED: before the deadline');
    await expectText(page.locator('#save-state'), 'Saved');
    await waitFor(async () => (await page.locator('#answer').isDisabled()) || (await page.locator('#lock-msg').isVisible()), {
      timeout: 15_000,
      message: 'question 2 closed by its timer',
    });

    await page.getByRole('button', { name: 'Finish and see results' }).click();
    await page.waitForURL(`**/practice/${id}/results`);
    const q1 = page.locator('#q-1');
    await expectText(q1.locator('.answer-box'), 'ALPHA-TYPED: a lightweight thread');
    await expectText(q1.locator('.model-answer'), 'MODEL-ALPHA');
    await expectText(page.locator('#q-2 .outcome'), 'Time ran out');
    // Opened, then open until its 6 s ran out: the time used is its whole limit.
    await expectText(page.locator('#q-2 .time-used'), /^\s*[56] s of 6 s/);
    await assertNoSecret(page, traffic, 'practice room and results');
    await page.context().close();
  });

  it('results: rate by keyboard, the page totals, retry the missed, share only the shared part', async () => {
    const page = await newPage(env.browser, { viewport: { width: 1024, height: 900 } });
    const traffic = watchTraffic(page);
    const id = await startAttempt(page);
    const welcome = await answerOverSocket(page, id, { 1: 'ALPHA-TYPED-2', 3: 'CHARLIE-TYPED-2' });
    assert.equal(welcome.data.role, 'candidate');
    // Not finished yet: the results send the taker back to the room.
    await goto(page, env.server, `/practice/${id}/results`);
    assert.equal(new URL(page.url()).pathname, `/practice/${id}`);
    await finishByPost(page, id);
    await goto(page, env.server, `/practice/${id}/results`);
    await visit(page, 'practice-results');
    await expectText(page.locator('#score'), 'Score: 0 of 3 (0 of 3 rated)');

    // Keys 1, 2, 3 rate the question that has the focus.
    const rateByKey = async (pos, key, label) => {
      const q = page.locator(`#q-${pos}`);
      await q.getByRole('radio', { name: /^Missed/ }).focus();
      await page.keyboard.press(key);
      await expectText(q.locator('.rate-state'), 'Saved');
      assert.ok(await q.getByRole('radio', { name: new RegExp(`^${label}`) }).isChecked(), `question ${pos}: ${label} checked by key ${key}`);
    };
    await rateByKey(1, '3', 'Got it');
    await rateByKey(2, '1', 'Missed');
    await rateByKey(3, '2', 'Partly');
    await expectText(page.locator('#score'), 'Score: 1.5 of 3 (3 of 3 rated)');
    await expectText(page.locator('#missed-count'), '1');
    // Saved on the server: a reload shows the same total.
    await page.reload({ waitUntil: 'load' });
    await expectText(page.locator('#score'), 'Score: 1.5 of 3 (3 of 3 rated)');
    assert.ok(await page.locator('#q-2').getByRole('radio', { name: /^Missed/ }).isChecked());

    // The opt-in share link.
    assert.equal(await page.locator('#share-url').count(), 0, 'nothing shared before opting in');
    await submit(page, page.getByRole('button', { name: 'Create a share link' }));
    const link = await page.getByLabel('Share link').inputValue();
    assert.match(link, /\/practice\/shared\/[\w-]{40,}$/);
    const anon = await newPage(env.browser, { viewport: { width: 320, height: 720 } });
    const anonTraffic = watchTraffic(anon);
    const res = await anon.goto(link, { waitUntil: 'load' });
    assert.equal(res?.status(), 200);
    await expectText(anon.locator('#shared-score'), 'Score: 1.5 of 3');
    for (const q of QUESTIONS) await expectText(anon.locator('#shared-questions'), q.prompt);
    const html = await anon.content();
    for (const hidden of ['ALPHA-TYPED-2', 'CHARLIE-TYPED-2', 'MODEL-ALPHA', 'MODEL-BRAVO', 'MODEL-CHARLIE', SECRET]) {
      assert.ok(!html.includes(hidden), `the shared page holds ${hidden}`);
    }
    await anonTraffic.settle();
    await noHorizontalScroll(anon, 320, 'shared page at 320 px');
    await visit(anon, 'practice-shared-320');
    await anon.context().close();

    // Results at 320 px.
    await page.setViewportSize({ width: 320, height: 720 });
    await noHorizontalScroll(page, 320, 'results at 320 px');
    await page.setViewportSize({ width: 1024, height: 900 });

    // Retry the ones I missed: a new attempt of question 2 alone.
    await submit(page, page.getByRole('button', { name: 'Retry the ones I missed' }));
    const m = new URL(page.url()).pathname.match(/^\/practice\/(\d+)$/);
    assert.ok(m && Number(m[1]) !== id, `retry opens a new attempt: ${page.url()}`);
    const retry = await answerOverSocket(page, Number(m[1]), {});
    const planned = retry.data.questions.map((q) => q.prompt);
    assert.deepEqual(planned, [QUESTIONS[1].prompt], 'the retry holds the missed question alone');
    await assertNoSecret(page, traffic, 'practice results, share and retry');
    await page.context().close();
  });
});
