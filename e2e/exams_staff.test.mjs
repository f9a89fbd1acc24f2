// Self-paced exams and extra time, staff side (issue 11): the create page
// (pacing, per-candidate accommodation, "self-paced needs planned
// questions"), the manage page, the console's progress table and its
// per-candidate controls, and the report and exports.
//
// The candidates are small WebSocket clients (the candidate page's self-paced
// view is built elsewhere): each runs in a browser context holding only its
// `ace_candidate` cookie, on a plain public page, and speaks the protocol of
// docs/protocol.md itself.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser,
  newPage,
  goto,
  visit,
  expectText,
  expectCount,
  waitFor,
  noHorizontalScroll,
} from './harness.mjs';
import { login, apiCall, addQuestion } from './rooms.mjs';

const IVY = { email: 'ivy.exam@example.test', name: 'Ivy Examiner', role: 'interviewer', password: 'correct-horse-battery' };
const QUESTIONS = [
  { technology: 'Go', level: 'beginner', prompt: 'Examstaff alpha: what is a goroutine?', answer: 'MODEL-alpha', time_limit_s: 0 },
  { technology: 'Go', level: 'intermediate', prompt: 'Examstaff bravo: what does a nil map do on write?', answer: 'MODEL-bravo', time_limit_s: 0 },
];

const env = useServerAndBrowser([IVY]);

function jsErrors(page) {
  return page.errors.filter((e) => !/Failed to load resource|WebSocket connection/.test(e));
}

/**
 * candidateClient connects one candidate over a real WebSocket: a browser
 * context with the invite's cookie, a public page for its origin, and a
 * socket opened from it. request() sends a frame with an id and resolves
 * with the server's ack or error frame.
 */
async function candidateClient(token, interviewId) {
  const page = await newPage(env.browser);
  await page.context().addCookies([{ name: 'ace_candidate', value: token, url: env.server.url }]);
  await goto(page, env.server, '/questions');
  await page.evaluate((id) => new Promise((resolve, reject) => {
    window.__frames = [];
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws/interviews/${id}`);
    window.__ws = ws;
    ws.onmessage = (e) => window.__frames.push(JSON.parse(e.data));
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', data: { last_seq: 0 } }));
      resolve();
    };
    ws.onerror = () => reject(new Error('the candidate socket failed'));
  }), interviewId);
  const frames = () => page.evaluate(() => window.__frames);
  await waitFor(async () => (await frames()).some((f) => f.type === 'welcome'), { message: 'the candidate welcome' });
  let n = 0;
  return {
    page,
    frames,
    async request(type, data) {
      const id = `r${++n}`;
      await page.evaluate(([frame]) => window.__ws.send(JSON.stringify(frame)), [{ type, id, data }]);
      return waitFor(async () => (await frames()).find((f) => f.id === id && (f.type === 'ack' || f.type === 'error')), { message: `an answer to ${type}` });
    },
    async ok(type, data) {
      const f = await this.request(type, data);
      assert.equal(f.type, 'ack', `${type}: ${JSON.stringify(f.data)}`);
    },
    close: () => page.context().close(),
  };
}

/** row is a candidate's line in the console's progress table. */
const row = (page, name) => page.locator('#progress-table tbody tr').filter({ has: page.locator('th.p-name', { hasText: new RegExp(`^${name}$`) }) });

/** timeLeft reads a row's "m:ss left" as seconds. */
async function timeLeft(page, name) {
  const text = (await row(page, name).locator('.p-time-left').textContent()) ?? '';
  const m = text.match(/(?:(\d+):)?(\d+):(\d\d)/);
  assert.ok(m, `time left of ${name}: ${JSON.stringify(text)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

const near = (got, want, slack, what) => assert.ok(Math.abs(got - want) <= slack, `${what}: ${got} s, want ${want} ± ${slack}`);

describe('self-paced exam with extra time, staff side', () => {
  let staff;
  let ivId;
  const tokens = {};

  it('creates a self-paced exam with accommodations on the create page', async () => {
    staff = await newPage(env.browser);
    await login(staff, env.server, IVY);
    for (const q of QUESTIONS) await addQuestion(staff, q);

    await goto(staff, env.server, '/interviews/new');
    await staff.getByLabel('Title').fill('Examstaff: Go exam');
    await staff.getByLabel('Exam time limit (minutes)').fill('10');
    await staff.getByLabel(/Self-paced \(candidates/).check();
    const rows = staff.locator('.candidate-row');
    await rows.nth(0).getByLabel('Name').fill('Ada Exam');
    await rows.nth(0).getByLabel('Extra time', { exact: true }).selectOption('50');
    await staff.getByRole('button', { name: 'Add another candidate' }).click();
    await rows.nth(1).getByLabel('Name').fill('Bob Exam');
    await visit(staff, 'exams-staff-create');

    // Self-paced needs planned questions: the form says so, nothing is sent.
    await staff.getByRole('button', { name: 'Create interview' }).click();
    await expectText(staff.locator('#form-errors'), /self-paced exam needs planned questions/i);
    assert.match(staff.url(), /\/interviews\/new$/);

    // An out-of-range percentage is refused by the form too.
    await rows.nth(1).getByLabel('Extra time', { exact: true }).selectOption('other');
    await rows.nth(1).getByLabel(/^Other percentage/).fill('401');
    const bank = staff.locator('#bank');
    await bank.getByLabel('Search the bank').fill('Examstaff');
    await bank.getByLabel('Search the bank').press('Enter');
    await expectText(bank.locator('[data-bank-count]'), /2 questions found/);
    for (const [i, q] of QUESTIONS.entries()) {
      await bank.locator('.bank-item').filter({ hasText: q.prompt }).getByRole('button', { name: /^Add/ }).click();
      await staff.locator('#plan .plan-item').nth(i).waitFor();
    }
    await staff.getByRole('button', { name: 'Create interview' }).click();
    await expectText(staff.locator('#form-errors'), /percentage from 0 to 400/);
    await rows.nth(1).getByLabel('Extra time', { exact: true }).selectOption('0');

    await Promise.all([
      staff.waitForURL(/\/interviews\/\d+\?created=1$/),
      staff.getByRole('button', { name: 'Create interview' }).click(),
    ]);
    ivId = Number(staff.url().match(/\/interviews\/(\d+)/)[1]);
    for (const name of ['Ada Exam', 'Bob Exam']) {
      const url = await staff.getByLabel(`Invite link for ${name}`).inputValue();
      tokens[name] = url.split('/join/')[1];
      assert.ok(tokens[name], `invite of ${name}: ${url}`);
    }
    const got = await apiCall(staff, 'GET', `/api/v1/interviews/${ivId}`);
    assert.equal(got.body.interview.pacing, 'self_paced');
    const ada = got.body.participants.find((p) => p.name === 'Ada Exam');
    const bob = got.body.participants.find((p) => p.name === 'Bob Exam');
    assert.equal(ada.extra_time_pct, 50);
    assert.equal(bob.extra_time_pct, 0);
    assert.deepEqual(jsErrors(staff), []);
  });

  it('shows pacing and accommodations on the manage page, and adds a candidate with extra minutes', async () => {
    await expectText(staff.locator('#pacing'), /Self-paced/);
    await expectText(staff.locator('#candidates tr[data-name="Ada Exam"] .extra-time'), '+50 %');
    await expectText(staff.locator('#candidates tr[data-name="Bob Exam"] .extra-time'), 'None');
    const form = staff.locator('#add-candidate-form');
    await form.getByLabel('Name').fill('Cy Exam');
    await form.getByLabel(/^Extra minutes/).fill('10');
    await form.getByRole('button', { name: 'Add candidate' }).click();
    await expectText(staff.locator('#candidates tr[data-name="Cy Exam"] .extra-time'), '+10 min');
    tokens['Cy Exam'] = (await staff.getByLabel('Invite link for Cy Exam').inputValue()).split('/join/')[1];
    await goto(staff, env.server, `/interviews/${ivId}`);
    await expectText(staff.locator('#candidates tr[data-name="Cy Exam"] .extra-time'), '+10 min');
    await visit(staff, 'exams-staff-manage');
  });

  let ada;
  let bob;

  it('runs the exam from the console: progress follows each candidate', async () => {
    await goto(staff, env.server, `/interviews/${ivId}/console`);
    await expectText(staff.locator('#conn'), 'Connected');
    await staff.locator('#exam-progress').waitFor();
    await expectCount(staff.locator('#progress-table tbody tr'), 3);
    assert.equal(await staff.locator('#current').isVisible(), false, 'no "On screen" in a self-paced exam');
    assert.equal(await staff.locator('#bank-panel').isVisible(), false, 'no bank pushes in a self-paced exam');
    assert.equal(await staff.locator('#plan').getByRole('button', { name: /Push/ }).count(), 0, 'no Push buttons');
    await expectCount(staff.locator('#plan .plan-item'), 2);

    await staff.getByRole('button', { name: 'Start interview' }).click();
    await expectText(staff.locator('#iv-status'), 'Live');
    await expectText(row(staff, 'Ada Exam').locator('.p-time-left'), /left/);
    // Each candidate's own exam timer: 10 min, +50 % → 15 min, +10 min → 20 min.
    near(await timeLeft(staff, 'Ada Exam'), 900, 5, 'Ada');
    near(await timeLeft(staff, 'Bob Exam'), 600, 5, 'Bob');
    near(await timeLeft(staff, 'Cy Exam'), 1200, 5, 'Cy');
    await expectText(row(staff, 'Ada Exam').locator('.p-extra'), 'includes +50 % extra time');
    await expectText(row(staff, 'Cy Exam').locator('.p-extra'), 'includes +10 min extra time');
    assert.equal(((await row(staff, 'Bob Exam').locator('.p-extra').textContent()) ?? '').trim(), '');
    await expectText(row(staff, 'Ada Exam').locator('.p-deadline'), /^Deadline \d\d:\d\d:\d\d$/);

    ada = await candidateClient(tokens['Ada Exam'], ivId);
    bob = await candidateClient(tokens['Bob Exam'], ivId);
    await waitFor(async () => (await row(staff, 'Ada Exam').getAttribute('data-online')) === 'true', { message: 'Ada online in the table' });

    await ada.ok('question.open', { position: 2 });
    await expectText(row(staff, 'Ada Exam').locator('.p-position'), 'Question 2 of 2');
    await bob.ok('question.open', { position: 1 });
    await expectText(row(staff, 'Bob Exam').locator('.p-position'), 'Question 1 of 2');
    await expectText(row(staff, 'Cy Exam').locator('.p-position'), 'None opened yet');

    // Live typing per position: Ada's pane follows her question 2.
    const adaPane = staff.locator('#cands .cand').filter({ has: staff.getByRole('heading', { name: 'Ada Exam', exact: true }) });
    await ada.ok('answer.draft', { position: 2, text: 'ADA-DRAFT: it panics', version: 1 });
    await expectText(adaPane.locator('.answer-live'), 'ADA-DRAFT: it panics');
    await expectText(adaPane.locator('.cand-position'), 'Has question 2 open');
    await ada.ok('answer.submit', { position: 2, text: 'ADA-FINAL: assignment to a nil map panics' });
    await expectText(row(staff, 'Ada Exam').locator('.p-answered'), '1 of 2');
    await expectText(row(staff, 'Bob Exam').locator('.p-answered'), '0 of 2');
    await ada.ok('question.open', { position: 1 });
    await expectText(row(staff, 'Ada Exam').locator('.p-position'), 'Question 1 of 2');
    await expectText(adaPane.locator('.answer-empty'), 'Nothing typed yet.');
    await visit(staff, 'exams-staff-console');

    // A candidate added while the console is open gets a row with their accommodation at once.
    const added = await apiCall(staff, 'POST', `/api/v1/interviews/${ivId}/candidates`, { candidates: [{ name: 'Di Late', extra_time_pct: 25 }] });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await expectText(row(staff, 'Di Late').locator('.p-extra'), 'includes +25 % extra time');
    assert.deepEqual(jsErrors(staff), []);
  });

  it('extends, changes extra time and ends one candidate alone', async () => {
    const before = { ada: await timeLeft(staff, 'Ada Exam'), bob: await timeLeft(staff, 'Bob Exam') };
    await row(staff, 'Bob Exam').getByRole('button', { name: '+5 min on the exam timer of Bob Exam' }).click();
    await waitFor(async () => (await timeLeft(staff, 'Bob Exam')) > before.bob + 250, { message: "Bob's time to grow by 5 min" });
    near(await timeLeft(staff, 'Bob Exam'), before.bob + 300, 5, 'Bob after +5 min');
    near(await timeLeft(staff, 'Ada Exam'), before.ada, 5, 'Ada, untouched by Bob\'s extension');
    // Bob's candidate got the personal timer; Ada's socket never did.
    await waitFor(async () => (await bob.frames()).some((f) => f.type === 'timer.extended' && f.data.candidate_id), { message: "Bob's timer.extended" });
    assert.ok(!(await ada.frames()).some((f) => f.type === 'timer.extended'), 'Ada saw Bob\'s extension');

    // Ada's accommodation changes live: +50 % → +100 % of 10 min adds 5 min.
    const adaBefore = await timeLeft(staff, 'Ada Exam');
    const adaRow = row(staff, 'Ada Exam');
    await adaRow.locator('summary').click();
    await adaRow.getByLabel('Extra time for Ada Exam', { exact: true }).selectOption('100');
    await adaRow.getByRole('button', { name: 'Save extra time of Ada Exam' }).click();
    await expectText(adaRow.locator('.p-extra'), 'includes +100 % extra time');
    await waitFor(async () => (await timeLeft(staff, 'Ada Exam')) > adaBefore + 250, { message: "Ada's time to grow by 5 min" });
    near(await timeLeft(staff, 'Ada Exam'), adaBefore + 300, 5, 'Ada after +100 %');

    // Pause and resume Ada alone.
    await adaRow.getByRole('button', { name: 'Pause the exam timer of Ada Exam' }).click();
    await expectText(adaRow.locator('.p-time-left'), /paused/);
    await expectText(row(staff, 'Bob Exam').locator('.p-time-left'), /\d left$/);
    await adaRow.getByRole('button', { name: 'Resume the exam timer of Ada Exam' }).click();
    await expectText(adaRow.locator('.p-time-left'), /\d left$/);

    // End Bob's exam (the console asks first; the test accepts).
    await row(staff, 'Bob Exam').getByRole('button', { name: 'End exam of Bob Exam' }).click();
    await expectText(row(staff, 'Bob Exam').locator('.p-time-left'), 'Exam ended');
    const late = await bob.request('answer.draft', { position: 1, text: 'too late', version: 2 });
    assert.equal(late.data?.code, 'time_up', `Bob's draft after his end: ${JSON.stringify(late)}`);
    await expectText(adaRow.locator('.p-time-left'), /\d left$/);
    assert.equal(await row(staff, 'Bob Exam').getByRole('button', { name: 'End exam of Bob Exam' }).isDisabled(), true);
    await visit(staff, 'exams-staff-console-controls');
    assert.deepEqual(jsErrors(staff), []);
  });

  it('is usable at 320 px', async () => {
    await staff.setViewportSize({ width: 320, height: 900 });
    await noHorizontalScroll(staff, 320, 'console at 320 px');
    await visit(staff, 'exams-staff-console-320');
    // The table scrolls inside its region, and its controls are reachable.
    const btn = row(staff, 'Ada Exam').getByRole('button', { name: '+5 min on the exam timer of Ada Exam' });
    await btn.scrollIntoViewIfNeeded();
    await btn.focus();
    assert.equal(await btn.evaluate((b) => b === document.activeElement), true);
    await staff.setViewportSize({ width: 1280, height: 900 });
  });

  it('reports the pacing, the accommodations and every planned question', async () => {
    await staff.getByRole('button', { name: 'End interview' }).click();
    await expectText(staff.locator('#iv-status'), 'Ended');
    await ada.close();
    await bob.close();
    await goto(staff, env.server, `/interviews/${ivId}/report`);
    await expectText(staff.locator('#pacing'), /Self-paced/);
    const adaSec = staff.locator('section.report-candidate').filter({ has: staff.getByRole('heading', { name: 'Ada Exam', exact: true }) });
    await expectText(adaSec.locator('.extra-time'), '+100 %');
    await expectCount(adaSec.locator('article.report-q'), 2);
    await expectText(adaSec.locator('article.report-q[data-position="2"] .outcome'), 'Submitted');
    const cySec = staff.locator('section.report-candidate').filter({ has: staff.getByRole('heading', { name: 'Cy Exam', exact: true }) });
    await expectText(cySec.locator('.extra-time'), '+10 min');
    await expectCount(cySec.locator('article.report-q'), 2);
    await visit(staff, 'exams-staff-report');

    const csv = await staff.evaluate(async (id) => (await fetch(`/api/v1/interviews/${id}/export.csv`)).text(), ivId);
    const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    for (const col of ['pacing', 'extra_time_pct', 'extra_time_s']) assert.ok(header.includes(col), `CSV header ${header}`);
    const json = await apiCall(staff, 'GET', `/api/v1/interviews/${ivId}/export.json`);
    assert.equal(json.body.interview.pacing, 'self_paced');
    const cands = Object.fromEntries(json.body.candidates.map((c) => [c.name, c]));
    assert.equal(cands['Ada Exam'].extra_time_pct, 100);
    assert.equal(cands['Cy Exam'].extra_time_s, 600);
    assert.equal(cands['Bob Exam'].extra_time_pct, 0);
    assert.deepEqual(jsErrors(staff), []);
  });
});
