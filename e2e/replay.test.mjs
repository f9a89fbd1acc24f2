// The replay of a recorded session (issue 9, part 3), in the browser.
//
//   1. A short session is recorded: the candidate types in the real room
//      page (drafts, an edit at the start, non-ASCII), pastes, leaves the
//      page and comes back, chats and submits; the interviewer drives the
//      room over its WebSocket (start, push, pause, resume, extend, chat, a
//      second question that runs out, end), with a 7-second idle stretch.
//   2. The report page, where each candidate has a replay: every draft
//      exactly as the API's items rebuild it (scrubbing to each), the final
//      text as the candidate's editor held it; play at 16×; skip idle
//      ("skipped 7 s", crossed in about a second); jump by marker and by
//      #t=…&c=ID; Dan's replay beside Cora's; keyboard only; 320 px; "see
//      m:ss" put in a scorecard comment from the replay and linked back to
//      it once submitted. axe in every state, screenshots in
//      test-artifacts/replay-*.png.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  addUser,
  launchBrowser,
  newPage,
  goto,
  visit,
  checkA11y,
  screenshot,
  expectText,
  waitFor,
  noHorizontalScroll,
} from './harness.mjs';
import { login, apiCall, addQuestion } from './rooms.mjs';
import { submit } from './harness.mjs';

/** jsErrors lists a page's script errors (a refused resource is not one). */
const jsErrors = (page) => page.errors.filter((e) => !/Failed to load resource/.test(e));

const IVY = { email: 'ivy@example.test', name: 'Ivy Interviewer', role: 'interviewer', password: 'correct-horse-battery' };
const RITA = { email: 'rita@example.test', name: 'Rita Reviewer', role: 'reviewer', password: 'correct-horse-battery' };
const SECRET = 'MODEL-ANSWER-replaywombat';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let browser;
let session; // {id, cora, dan, items, drafts, gap, finalText}

before(async () => {
  server = await startServer();
  await addUser(server, IVY);
  await addUser(server, RITA);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** openSocket opens the room's WebSocket from a logged-in page (its cookie) and says hello. */
async function openSocket(page, interviewId) {
  await page.evaluate(async (id) => {
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws/interviews/${id}`);
    const waiting = new Map();
    let n = 0;
    window.__frames = [];
    ws.addEventListener('message', (e) => {
      const f = JSON.parse(e.data);
      window.__frames.push(f);
      if (f.id && waiting.has(f.id)) {
        waiting.get(f.id)(f);
        waiting.delete(f.id);
      }
    });
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve);
      ws.addEventListener('error', reject);
    });
    ws.send(JSON.stringify({ type: 'hello', data: { last_seq: 0 } }));
    await new Promise((resolve) => {
      const check = () => (window.__frames.some((f) => f.type === 'welcome') ? resolve() : setTimeout(check, 20));
      check();
    });
    window.__req = (type, data) => new Promise((resolve) => {
      const rid = `e2e${++n}`;
      waiting.set(rid, resolve);
      ws.send(JSON.stringify({ type, id: rid, data }));
    });
  }, interviewId);
}

/** send makes a request on the page's socket and asserts it is acknowledged. */
async function send(page, type, data) {
  const f = await page.evaluate(([t, d]) => window.__req(t, d), [type, data]);
  assert.equal(f.type, 'ack', `${type}: ${JSON.stringify(f)}`);
}

/** rebuild applies the API's items the way the contract says, on code points. */
function rebuild(items) {
  const t0 = Date.parse(items[0].at);
  const texts = new Map();
  const out = [];
  for (const it of items) {
    if (it.kind !== 'draft') continue;
    let cps;
    if (typeof it.text === 'string') {
      cps = Array.from(it.text);
    } else {
      cps = Array.from(texts.get(it.position) ?? '');
      assert.ok(it.offset + it.delete <= cps.length, `an edit past the end: ${JSON.stringify(it)}`);
      cps.splice(it.offset, it.delete, ...Array.from(it.insert));
    }
    texts.set(it.position, cps.join(''));
    out.push({ ms: Date.parse(it.at) - t0, position: it.position, version: it.version, text: cps.join('') });
  }
  return out;
}

/** Cora's replay on the report page, and where it stands. */
const replayOf = (page) => page.locator(`section.replay[data-candidate="${session.cora}"]`);
const nowOf = async (page) => Number(await replayOf(page).getAttribute('data-now'));
const reportPath = () => `/interviews/${session.id}/report`;
/** The hash of a moment of Cora's replay (the report holds two replays). */
const at = (t) => `#t=${t}&c=${session.cora}`;

/** loginTo logs a user in through the login form, straight to the report. */
async function loginTo(page, user, hash = '') {
  await goto(page, server, `/login?next=${encodeURIComponent(reportPath())}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await submit(page, page.getByRole('button', { name: 'Log in' }));
  assert.ok(page.url().endsWith(reportPath()), `login lands on ${page.url()}`);
  await openReplay(page, hash);
}

/** openReplay loads the report (with hash) and waits for Cora's replay, which loads once near the screen. */
async function openReplay(page, hash = '') {
  if (page.url().startsWith(server.url + reportPath())) await page.goto('about:blank');
  await goto(page, server, `${reportPath()}${hash}`);
  if (!hash.includes('&c=')) await replayOf(page).scrollIntoViewIfNeeded();
  await waitFor(async () => ['paused', 'playing'].includes(await replayOf(page).getAttribute('data-state')), { message: 'the replay to load' });
}

describe('replay of a recorded session', () => {
  it('records a session: the candidate on the room page, the interviewer on the socket', async () => {
    const staff = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await login(staff, server, IVY);
    const q1 = await addQuestion(staff, { technology: 'Go', level: 'intermediate', prompt: 'Replaytest one: what is a channel?', answer: `${SECRET}-1`, time_limit_s: 300 });
    const q2 = await addQuestion(staff, { technology: 'Go', level: 'beginner', prompt: 'Replaytest two: what is a map?', answer: `${SECRET}-2`, time_limit_s: 60 });
    const created = await apiCall(staff, 'POST', '/api/v1/interviews', {
      title: 'Replay <session>',
      questions: [{ question_id: q1, time_limit_s: 120 }, { question_id: q2, time_limit_s: 60 }],
      candidates: [{ name: 'Cora Candidate' }, { name: 'Dan Other' }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const [cora, dan] = created.body.candidates;

    const cand = await newPage(browser, { viewport: { width: 1024, height: 800 } });
    await cand.goto(cora.invite_url, { waitUntil: 'load' });
    await cand.getByRole('button', { name: /that's me/ }).click();
    await expectText(cand.locator('#conn'), 'Connected');
    const other = await newPage(browser);
    await other.goto(dan.invite_url, { waitUntil: 'load' });
    await other.getByRole('button', { name: /that's me/ }).click();
    await expectText(other.locator('#conn'), 'Connected');

    await goto(staff, server, '/interviews');
    await openSocket(staff, id);
    await send(staff, 'interview.start');
    await send(staff, 'question.push', { position: 1 });
    await expectText(cand.locator('#q-prompt'), 'Replaytest one');

    const editor = cand.locator('#answer');
    await editor.click();
    await cand.keyboard.type('Channels connect goroutines', { delay: 60 });
    await expectText(cand.locator('#save-state'), 'Saved');
    // Signals from the page itself: a paste, leaving the page and coming back.
    await editor.evaluate((el) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'y'.repeat(12));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await cand.evaluate(() => window.dispatchEvent(new Event('blur')));
    await sleep(400); // apart from the blur, so the replay can show the candidate away
    await cand.evaluate(() => window.dispatchEvent(new Event('focus')));
    await cand.getByLabel('Message to the interviewers').fill('Cora asks: buffered ones too?');
    await cand.getByRole('button', { name: 'Send' }).click();
    await send(staff, 'chat.send', { text: 'Both kinds, please.' });
    // Dan's work must never show in Cora's replay.
    await other.locator('#answer').fill('DAN-PRIVATE-ANSWER');
    await other.getByLabel('Message to the interviewers').fill('DAN-PRIVATE-CHAT');
    await other.getByRole('button', { name: 'Send' }).click();
    await expectText(other.locator('#save-state'), 'Saved');

    // Seven seconds of nothing: an idle stretch.
    await sleep(7000);

    await send(staff, 'timer.pause');
    await editor.press('End');
    await cand.keyboard.type(' and block', { delay: 60 });
    await send(staff, 'timer.resume');
    await send(staff, 'timer.extend', { seconds: 30 });
    // An edit at the very start, and text beyond ASCII.
    await editor.press('Control+Home');
    await cand.keyboard.type('Unbuffered: ', { delay: 50 });
    await editor.press('Control+End');
    await cand.keyboard.type(' é🙂', { delay: 50 });
    await expectText(cand.locator('#save-state'), 'Saved');
    const finalText = await editor.inputValue();
    await cand.getByRole('button', { name: 'Submit answer' }).click();
    await expectText(cand.locator('#save-state'), 'Submitted');

    await send(staff, 'question.push', { position: 2, time_limit_s: 3 });
    await expectText(cand.locator('#q-prompt'), 'Replaytest two');
    await editor.click();
    await cand.keyboard.type('Maps hash', { delay: 60 });
    await expectText(cand.locator('#save-state'), 'Saved');
    await expectText(cand.locator('#lock-msg'), 'Time is up', { timeout: 15_000 });
    await send(staff, 'interview.end');
    await expectText(cand.locator('#ended'), 'The interview has ended');

    const r = await apiCall(staff, 'GET', `/api/v1/interviews/${id}/candidates/${cora.id}/replay`);
    assert.equal(r.status, 200);
    const items = r.body.items;
    const raw = JSON.stringify(items);
    for (const leak of ['DAN-PRIVATE', SECRET]) assert.ok(!raw.includes(leak), `Cora's replay holds ${leak}`);
    const drafts = rebuild(items);
    assert.ok(drafts.length >= 5, `${drafts.length} drafts`);
    assert.equal(drafts.filter((d) => d.position === 1).at(-1).text, finalText, 'the last draft of question 1 is what the editor held');
    // The idle stretch: the longest time with no item.
    const t0 = Date.parse(items[0].at);
    let gap = { from: 0, to: 0 };
    for (let i = 1; i < items.length; i++) {
      const a = Date.parse(items[i - 1].at) - t0;
      const b = Date.parse(items[i].at) - t0;
      if (b - a > gap.to - gap.from) gap = { from: a, to: b };
    }
    assert.ok(gap.to - gap.from > 6500 && gap.to - gap.from < 9500, `idle stretch ${JSON.stringify(gap)}`);
    session = { id, cora: cora.id, dan: dan.id, items, drafts, gap, finalText, duration: Date.parse(items.at(-1).at) - t0 };
    for (const p of [staff, cand, other]) await p.context().close();
  });

  it('scrubs to every draft and shows it exactly; the question, timers and chat follow', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await loginTo(page, RITA);
    const r = replayOf(page);
    await visit(page, 'replay-01-report-loaded');
    const scrub = r.getByLabel('Time in the replay');
    const answer = r.locator('.replay-answer');
    assert.equal(await answer.textContent(), '', 'nothing is typed at the start');
    await expectText(r.locator('.replay-question'), /No question pushed yet|has not started/);
    for (const d of session.drafts) {
      await scrub.fill(String(d.ms));
      assert.equal(await nowOf(page), d.ms);
      assert.equal(await answer.textContent(), d.text, `at ${d.ms} ms (question ${d.position}, version ${d.version})`);
      await expectText(r.locator('.replay-question'), `Question ${d.position}`);
    }
    // Just before the first draft, the question is on screen and nothing is typed.
    await scrub.fill(String(session.drafts[0].ms - 1));
    assert.equal(await answer.textContent(), '');
    await expectText(r.locator('.replay-timers'), /Question 1 timer: \d:\d\d left/);

    // The end: question two ran out; question one's answer was submitted.
    await scrub.fill(String(session.duration));
    await expectText(r.locator('.replay-question'), 'Replaytest two');
    await expectText(r.locator('.replay-timers'), 'Question 2 timer: 0:00 ran out');
    await expectText(r.locator('.replay-answer-meta'), /^Draft saved at/);
    const lastQ1 = session.drafts.filter((d) => d.position === 1).at(-1);
    const submitted = session.items.find((it) => it.kind === 'event' && it.event.type === 'answer.submitted');
    await scrub.fill(String(Date.parse(submitted.at) - Date.parse(session.items[0].at)));
    assert.equal(await answer.textContent(), session.finalText);
    assert.equal(lastQ1.text, session.finalText);
    await expectText(r.locator('.replay-answer-meta'), /^Submitted at/);
    const chat = r.locator('.replay-chat');
    await expectText(chat, 'Cora asks: buffered ones too?');
    await expectText(chat, 'Both kinds, please.');
    assert.ok(!(await r.innerText()).includes('DAN-PRIVATE'), "nothing of Dan's in Cora's replay");
    // During the pause the timer stands still.
    const paused = session.items.find((it) => it.kind === 'event' && it.event.type === 'timer.paused');
    await scrub.fill(String(Date.parse(paused.at) - Date.parse(session.items[0].at) + 200));
    await expectText(r.locator('.replay-timers'), /left, paused/);
    assert.match(page.url(), new RegExp(`#t=\\d+:\\d\\d&c=${session.cora}$`), 'scrubbing keeps the moment in the URL');
    await visit(page, 'replay-02-scrubbed');
    assert.deepEqual(jsErrors(page), [], 'no script errors');
    await page.context().close();
  });

  it('plays at 16×, and skips idle stretches', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await loginTo(page, RITA);
    const r = replayOf(page);
    const scrub = r.getByLabel('Time in the replay');
    const play = r.getByRole('button', { name: 'Play', exact: true });
    const pause = r.getByRole('button', { name: 'Pause', exact: true });
    await r.getByLabel('Speed').selectOption('16');
    await scrub.fill('0');
    await play.click();
    await pause.waitFor();
    assert.equal(await r.getAttribute('data-state'), 'playing');
    // Measured in the page, between two frames 400 ms apart.
    const rate = await r.evaluate(async (el) => {
      const frame = () => new Promise((res) => requestAnimationFrame(() => res([performance.now(), Number(el.dataset.now)])));
      const [t1, n1] = await frame();
      await new Promise((res) => setTimeout(res, 400));
      const [t2, n2] = await frame();
      return (n2 - n1) / (t2 - t1);
    });
    await pause.click();
    await screenshot(page, 'replay-03-paused-after-16x');
    assert.ok(rate > 13 && rate < 19, `16× plays ${rate.toFixed(1)} s of replay a second`);
    assert.equal(await r.getAttribute('data-state'), 'paused');
    assert.match(page.url(), /#t=\d+:\d\d&c=\d+$/, 'pausing leaves the moment in the URL');

    // Skip idle: the 7-second stretch is marked, and plays in about a second at 1×.
    const label = r.locator('.replay-gap-label').filter({ hasText: /skipped [6-9] s/ });
    assert.ok(await label.isHidden(), 'no "skipped" marker while skip idle is off');
    await r.getByLabel('Skip idle').check();
    await label.waitFor({ state: 'visible' });
    await r.getByLabel('Speed').selectOption('1');
    await scrub.fill(String(session.gap.from - 300));
    const g0 = Date.now();
    await play.click();
    await waitFor(async () => (await nowOf(page)) >= session.gap.to, { timeout: 6000, message: 'playback past the idle stretch' });
    const took = Date.now() - g0;
    await pause.click();
    assert.ok(took < 3500, `crossing ${session.gap.to - session.gap.from} ms of idle took ${took} ms with skip idle`);
    await expectText(r.locator('.replay-status'), /Skipped [6-9] s with no change/);
    await visit(page, 'replay-04-skip-idle');
    // Played to the end, it stops there.
    await r.getByLabel('Speed').selectOption('32');
    await play.click();
    await waitFor(async () => (await r.getAttribute('data-state')) === 'paused', { timeout: 10_000, message: 'the end' });
    assert.equal(await nowOf(page), session.duration);
    assert.deepEqual(jsErrors(page), [], 'no script errors');
    await page.context().close();
  });

  it('jumps by marker and by #t=', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await loginTo(page, RITA, at('0:05'));
    const r = replayOf(page);
    assert.equal(await nowOf(page), 5000, '#t=0:05 opens the replay at 5 s');
    await expectText(r.locator('.replay-link'), 'Link to 0:05');
    assert.equal(await r.locator('.replay-link').getAttribute('href'), at('0:05'));

    const t0 = Date.parse(session.items[0].at);
    const push2 = session.items.find((it) => it.kind === 'event' && it.event.type === 'question.pushed' && it.event.data.position === 2);
    await r.getByRole('button', { name: /Question 2 pushed/ }).click();
    assert.equal(await nowOf(page), Date.parse(push2.at) - t0);
    await expectText(r.locator('.replay-question'), 'Replaytest two');
    assert.match(page.url(), /#t=\d+:\d\d&c=\d+$/);
    for (const [name, where, want] of [
      [/Pasted 12 characters/, '.replay-signals', 'Last paste: 12 characters'],
      [/Left the page/, '.replay-signals', 'away from the page'],
      [/Chat from Cora/, '.replay-chat', 'Cora asks'],
      [/Question 1 timer paused/, '.replay-timers', 'paused'],
      [/Answer to question 1 submitted/, '.replay-answer-meta', 'Submitted'],
      [/Question 2 timer ran out/, '.replay-timers', 'ran out'],
    ]) {
      await r.getByRole('button', { name }).first().click();
      await expectText(r.locator(where), want);
    }
    await visit(page, 'replay-05-marker');

    // A link to a moment, followed on the same page.
    await page.evaluate((h) => { location.hash = h; }, at('0:10'));
    await waitFor(async () => (await nowOf(page)) === 10_000, { message: '#t=0:10 to seek' });
    // And the same moment from a fresh page load.
    await openReplay(page, at('0:10'));
    assert.equal(await nowOf(page), 10_000);
    // Dan's replay is there too, with its own moment, and none of Cora's text.
    const dan = page.locator(`section.replay[data-candidate="${session.dan}"]`);
    await page.evaluate((h) => { location.hash = h; }, `#t=0:03&c=${session.dan}`);
    await waitFor(async () => (await dan.getAttribute('data-now')) === '3000', { message: "Dan's replay to open at 0:03" });
    assert.equal(await nowOf(page), 10_000, "Cora's replay stays where it was");
    // Both timelines start at the interview's start: the moment before the second push is the same.
    await dan.getByLabel('Time in the replay').fill(String(Date.parse(push2.at) - t0 - 1));
    await expectText(dan.locator('.replay-answer'), 'DAN-PRIVATE-ANSWER');
    assert.ok(!(await dan.innerText()).includes('Channels connect'), "Cora's answer is not in Dan's replay");
    assert.deepEqual(jsErrors(page), [], 'no script errors');
    await page.context().close();
  });

  it('works from the keyboard alone', async () => {
    const page = await newPage(browser, { viewport: { width: 1024, height: 900 } });
    await loginTo(page, RITA, at('0:00'));
    const r = replayOf(page);
    const focused = () => page.evaluate((cid) => {
      const el = document.activeElement;
      if (!el?.closest(`section.replay[data-candidate="${cid}"]`)) return '';
      return `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`;
    }, session.cora);
    const tabTo = async (want) => {
      for (let i = 0; i < 120; i++) {
        if ((await focused()) === want) return;
        await page.keyboard.press('Tab');
      }
      assert.fail(`Tab never reached ${want} in Cora's replay (last: ${await focused()})`);
    };
    await tabTo('button.replay-play');
    await page.keyboard.press('Enter');
    assert.equal(await r.getAttribute('data-state'), 'playing');
    await page.keyboard.press('Space');
    assert.equal(await r.getAttribute('data-state'), 'paused');

    await tabTo('input.replay-scrub');
    await page.keyboard.press('Home');
    assert.equal(await nowOf(page), 0);
    await page.keyboard.press('ArrowRight');
    assert.equal(await nowOf(page), 1000);
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await nowOf(page), 11_000);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await nowOf(page), 10_000);
    await page.keyboard.press('PageUp');
    assert.equal(await nowOf(page), Math.min(70_000, session.duration));
    await page.keyboard.press('End');
    assert.equal(await nowOf(page), session.duration);
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    assert.equal(await r.getAttribute('data-state'), 'playing', 'Space on the slider plays');
    await page.keyboard.press('Space');
    assert.equal(await r.getAttribute('data-state'), 'paused', 'and pauses');

    // The markers are one stop: arrows move between them, Enter jumps.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'button.replay-marker');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const ms = Number(await page.evaluate(() => document.activeElement.dataset.ms));
    await page.keyboard.press('Enter');
    assert.equal(await nowOf(page), ms);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    assert.equal(await nowOf(page), Number(await page.evaluate(() => document.activeElement.dataset.ms)));
    await checkA11y(page, 'replay, keyboard');
    await screenshot(page, 'replay-06-keyboard');
    await page.context().close();
  });

  it('fits 320 px', async () => {
    const page = await newPage(browser, { viewport: { width: 320, height: 800 } });
    await loginTo(page, RITA, at('0:12'));
    await replayOf(page).getByLabel('Skip idle').check();
    await noHorizontalScroll(page, 320, 'report with replays at 320 px');
    await replayOf(page).scrollIntoViewIfNeeded();
    await visit(page, 'replay-07-320px');
    await page.context().close();
  });

  it('a scorecard comment takes "see m:ss", and the report links it to the replay', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await loginTo(page, IVY, at('0:07'));
    const r = replayOf(page);
    const scoring = page.locator(`.scoring[data-candidate-id="${session.cora}"]`);
    const comment = scoring.getByLabel('Comment on question 1');
    await comment.fill('Hesitated over buffering');
    await r.getByRole('button', { name: 'Add “see 0:07” to my comment on question 1' }).click();
    assert.equal(await comment.inputValue(), 'Hesitated over buffering see 0:07');
    await expectText(scoring.locator('.sc-state'), /Draft saved/);
    await visit(page, 'replay-08-scorecard-moment');
    // Submit the scorecard; the report then shows the comment with a link.
    await scoring.getByRole('radio', { name: '3 · Good' }).first().check();
    await scoring.getByRole('radio', { name: 'Yes', exact: true }).check();
    await scoring.getByLabel(/^Summary/).fill('Solid; see 0:12 for the fix.');
    await scoring.getByRole('button', { name: 'Submit scorecard' }).click();
    await expectText(scoring.locator('.sc-state'), /Submitted/);
    await openReplay(page, at('0:00'));
    const cand = page.locator(`#cand-${session.cora}`);
    await expectText(cand.locator('td.comment'), 'Hesitated over buffering see 0:07');
    await cand.getByRole('link', { name: 'see 0:07' }).click();
    await waitFor(async () => (await nowOf(page)) === 7000, { message: 'the comment link to open the replay at 0:07' });
    assert.match(page.url(), new RegExp(`#t=0:07&c=${session.cora}$`));
    await cand.getByRole('link', { name: 'see 0:12' }).click();
    await waitFor(async () => (await nowOf(page)) === 12_000, { message: 'the summary link to open the replay at 0:12' });
    await visit(page, 'replay-09-linked-comment');
    assert.deepEqual(jsErrors(page), [], 'no script errors');
    await page.context().close();
  });

  it('is refused to candidates and visitors', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}${reportPath()}`);
    assert.match(page.url(), /\/login\?next=/, 'a visitor is sent to log in');
    const api = await page.evaluate(async (p) => (await fetch(p)).status, `/api/v1/interviews/${session.id}/candidates/${session.cora}/replay`);
    assert.equal(api, 401);
    await page.context().close();
  });
});
