// A self-paced exam in the candidate view: the question list, moving freely
// between questions (question.open), answers kept per question, a question's
// own limit running out while the others stay open, a reload that resumes,
// "Submit all", the extra-time note for the candidate who has an
// accommodation and none of it for the one who does not; axe-core clean and
// usable at 320 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage, goto, visit, expectText, waitFor, noHorizontalScroll } from './harness.mjs';
import { login, apiCall, addQuestion, watchTraffic } from './rooms.mjs';

const IVY = { email: 'exam-ivy@example.test', name: 'Ivy Examiner', role: 'interviewer', password: 'correct-horse-battery' };
const SECRET = 'pangolinmodel';

const QUESTIONS = [
  { technology: 'Go', level: 'beginner', prompt: 'Paced one: what does defer do?', answer: `${SECRET}-1: runs a call when the function returns.`, time_limit_s: 0 },
  { technology: 'Go', level: 'intermediate', prompt: 'Paced two: what is a buffered channel?', answer: `${SECRET}-2: a channel with capacity.`, time_limit_s: 0 },
  { technology: 'Go', level: 'advanced', prompt: 'Paced three: what does sync.Once guarantee?', answer: `${SECRET}-3: one call, seen by all.`, time_limit_s: 0 },
];

/** join opens an invite link and confirms the name. */
async function join(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.getByRole('button', { name: /that's me/ }).click();
  await expectText(page.locator('#conn'), 'Connected');
}

const nav = (page) => page.getByRole('navigation', { name: 'Questions' });
const qButton = (page, n) => nav(page).getByRole('button', { name: `Question ${n}`, exact: true });
const qState = (page, n) => nav(page).locator('li').nth(n - 1).locator('.q-state');

const env = useServerAndBrowser([IVY]);

describe('a self-paced exam in the candidate view', { timeout: 240_000 }, () => {
  let iv;
  let ada; // +50 % extra time
  let bo;
  let boTraffic;
  let created;

  before(async () => {
    iv = await newPage(env.browser, { viewport: { width: 1366, height: 768 } });
    await login(iv, env.server, IVY);
    const ids = [];
    for (const q of QUESTIONS) ids.push(await addQuestion(iv, q));
    const r = await apiCall(iv, 'POST', '/api/v1/interviews', {
      title: 'Self-paced Go exam',
      pacing: 'self_paced',
      exam_time_limit_s: 600,
      questions: [
        { question_id: ids[0], time_limit_s: 0 },
        { question_id: ids[1], time_limit_s: 3 },
        { question_id: ids[2], time_limit_s: 0 },
      ],
      candidates: [{ name: 'Ada Paced', extra_time_pct: 50 }, { name: 'Bo Paced' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    created = r.body;
    ada = await newPage(env.browser, { viewport: { width: 1024, height: 900 } });
    bo = await newPage(env.browser, { viewport: { width: 1024, height: 900 } });
    boTraffic = watchTraffic(bo);
  });

  after(async () => {
    for (const p of [iv, ada, bo]) await p?.context().close();
  });

  it('candidates wait for the start, then see every planned question', async () => {
    await join(ada, created.candidates[0].invite_url);
    await join(bo, created.candidates[1].invite_url);
    await expectText(ada.locator('#waiting-text'), 'at your own pace');
    await goto(iv, env.server, `/interviews/${created.id}/console`);
    await expectText(iv.locator('#conn'), 'Connected');
    await iv.getByRole('button', { name: 'Start interview' }).click();

    for (const p of [ada, bo]) {
      await expectText(p.locator('#q-prompt'), 'Paced one');
      assert.equal(await nav(p).getByRole('button').count(), 3, 'three questions in the list');
      assert.equal(await qButton(p, 1).getAttribute('aria-current'), 'step', 'the first question is open');
      await expectText(p.locator('#q-progress'), '0 of 3 submitted');
      assert.ok(await p.locator('#exam-timer').isVisible(), 'the exam timer shows');
    }
    await expectText(ada.locator('#extra-note'), 'Includes your extra time: 5 min on the exam');
    assert.ok(await bo.locator('#extra-note').isHidden(), 'no extra-time note without an accommodation');
    const adaLeft = await ada.locator('#exam-countdown').textContent();
    const boLeft = await bo.locator('#exam-countdown').textContent();
    assert.match(adaLeft ?? '', /^1[45]:\d\d/, `Ada has 15 minutes: ${adaLeft}`);
    assert.match(boLeft ?? '', /^(10:00|9:\d\d)/, `Bo has 10 minutes: ${boLeft}`);
    await visit(ada, 'exam-candidate-01-started');
  });

  it('answers are kept per question while the candidate moves freely', async () => {
    await ada.locator('#answer').fill('Defer runs at return.');
    await expectText(ada.locator('#save-state'), 'Saved');
    await qButton(ada, 3).click();
    await expectText(ada.locator('#q-prompt'), 'Paced three');
    assert.equal(await ada.locator('#answer').inputValue(), '', 'a question not yet answered starts empty');
    await ada.locator('#answer').fill('Exactly one call.');
    await expectText(ada.locator('#save-state'), 'Saved');
    await ada.getByRole('button', { name: 'Submit answer' }).click();
    await expectText(qState(ada, 3), 'Submitted');
    await expectText(ada.locator('#q-progress'), '1 of 3 submitted');
    await ada.getByRole('button', { name: 'Previous question' }).click();
    await expectText(ada.locator('#q-prompt'), 'Paced two');
    await ada.getByRole('button', { name: 'Previous question' }).click();
    await expectText(ada.locator('#q-prompt'), 'Paced one');
    assert.equal(await ada.locator('#answer').inputValue(), 'Defer runs at return.');
    await expectText(qState(ada, 1), 'Answered, not submitted');
    // Bo is still on question 1 with his own empty editor.
    assert.equal(await qButton(bo, 1).getAttribute('aria-current'), 'step');
    assert.equal(await bo.locator('#answer').inputValue(), '');
  });

  it("a question's own limit runs out; the others stay open", async () => {
    await qButton(ada, 2).click();
    await expectText(ada.locator('#q-prompt'), 'Paced two');
    await expectText(ada.locator('#q-timer-label'), 'Time left on this question');
    await expectText(ada.locator('#extra-note'), 'on this question');
    await ada.locator('#answer').fill('A queue');
    await waitFor(async () => (await ada.locator('#answer').getAttribute('readonly')) !== null, { timeout: 15_000, message: 'question 2 to lock' });
    await expectText(ada.locator('#lock-msg'), 'the other questions are still open');
    await expectText(qState(ada, 2), 'Time up');
    await qButton(ada, 1).click();
    await expectText(ada.locator('#q-prompt'), 'Paced one');
    assert.equal(await ada.locator('#answer').getAttribute('readonly'), null, 'question 1 is still open');
  });

  it('a reload resumes on the same question with the saved text', async () => {
    await ada.locator('#answer').press('End');
    await ada.keyboard.type(' Last in, first out.');
    await expectText(ada.locator('#save-state'), 'Saved');
    await ada.reload({ waitUntil: 'load' });
    await expectText(ada.locator('#conn'), 'Connected');
    await expectText(ada.locator('#q-prompt'), 'Paced one');
    assert.equal(await ada.locator('#answer').inputValue(), 'Defer runs at return. Last in, first out.');
    await expectText(qState(ada, 3), 'Submitted');
    await expectText(qState(ada, 2), 'Time up');
  });

  it('"Submit all" submits every open answer, after asking once', async () => {
    const all = ada.getByRole('button', { name: 'Submit all answers' });
    await all.click();
    await expectText(ada.locator('#submit-all-btn'), 'Confirm: submit 1 answer');
    await ada.locator('#submit-all-btn').click();
    await expectText(ada.locator('#q-progress'), '2 of 3 submitted');
    await expectText(qState(ada, 1), 'Submitted');
    await expectText(ada.locator('#lock-msg'), 'You submitted this answer.');
  });

  it('the keyboard reaches the list and the page fits 320 px', async () => {
    await bo.setViewportSize({ width: 320, height: 800 });
    await qButton(bo, 2).focus();
    await bo.keyboard.press('Enter');
    await expectText(bo.locator('#q-prompt'), 'Paced two');
    await expectText(bo.locator('#q-countdown'), /\d:\d\d/);
    await noHorizontalScroll(bo, 320, 'self-paced candidate view at 320 px');
    await visit(bo, 'exam-candidate-02-320');
  });

  it('another candidate never receives her timers, her answers or a model answer', async () => {
    await boTraffic.settle();
    const adaId = created.candidates[0].id;
    const leaked = boTraffic.frames.filter((f) => f.includes(`"candidate_id":${adaId}`) || f.includes('Defer runs at return') || f.includes(SECRET));
    assert.deepEqual(leaked, [], 'frames to Bo about Ada or with a model answer');
    assert.ok(boTraffic.frames.some((f) => f.includes('Paced three')), 'Bo did receive the plan');
  });

  it('ending the exam locks every view', async () => {
    await iv.getByRole('button', { name: 'End interview' }).click();
    for (const p of [ada, bo]) await expectText(p.locator('#ended'), 'The interview has ended');
    assert.ok(await ada.locator('#q-nav').isHidden(), 'the list goes with the exam');
  });
});
