// Reviews in the browser (issue 9, items 4–7): the staff home, the reviews
// list, comparing candidates of two interviews and exporting, all checked
// with axe-core, driven by keyboard where a reviewer would, and at 320 px.
//
//   1. Ivy runs two interviews that ask the same bank question: "Compare
//      screen" (Cara answers, Dan does not; Pat on the panel) and "Second
//      screen" (Eve). Login lands on /dashboard, which lists them live,
//      then waiting for her scorecard; she scores through the API.
//   2. Rita (reviewer) filters and sorts /reviews by keyboard, ticks Cara
//      and Eve on two different result pages and compares them: one row
//      for the shared question, "Not asked" where it was not.
//   3. Exports: the list's CSV from /reviews, the interview's CSV and JSON
//      from its report (downloads), formulas neutralised, text intact; Pat,
//      who has not submitted, gets none of Ivy's scores.
//   4. /dashboard, /reviews and /compare at 320 px.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startServer,
  addUser,
  launchBrowser,
  newPage,
  goto,
  visit,
  expectText,
  noHorizontalScroll,
} from './harness.mjs';
import { login, apiCall, addQuestion } from './rooms.mjs';

const IVY = { email: 'ivy@example.test', name: 'Ivy Interviewer', role: 'interviewer', password: 'correct-horse-battery' };
const PAT = { email: 'pat@example.test', name: 'Pat Panelist', role: 'interviewer', password: 'correct-horse-battery' };
const RITA = { email: 'rita@example.test', name: 'Rita Reviewer', role: 'reviewer', password: 'correct-horse-battery' };
const QUESTIONS = [
  { technology: 'Go', level: 'beginner', prompt: 'Comparetest alpha: what is a goroutine?', answer: 'MODEL-ALPHA: a function running concurrently.', time_limit_s: 300 },
  { technology: 'SQL', level: 'intermediate', prompt: 'Comparetest bravo: what is an index?', answer: 'MODEL-BRAVO: a sorted structure.', time_limit_s: 120 },
];
const CARA_ANSWER = '=1+2, "cheap" threads —\nnaïve 日本語';
const EVE_ANSWER = 'Green threads, multiplexed onto OS threads.';
const IVY_COMMENT = '-IVY-COMMENT, with "quotes"';

/** parseCSV reads RFC 4180 CSV (after its byte-order mark). */
function parseCSV(text) {
  assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark');
  const s = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** download clicks a link and returns the downloaded file's name and text. */
async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: await readFile(file, 'utf8') };
}

/** tabTo presses Tab until the focused element matches pred (its description). */
async function tabTo(page, pred, what, max = 80) {
  const active = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      const label = el?.labels?.[0]?.textContent?.trim() ?? '';
      return { tag: el?.tagName, name: el?.getAttribute('name') ?? '', label, text: (el?.textContent ?? '').trim().slice(0, 60), value: el?.value ?? '' };
    });
  for (let i = 0; i < max; i++) {
    const a = await active();
    if (pred(a)) return a;
    await page.keyboard.press('Tab');
  }
  assert.fail(`could not Tab to ${what}; focus is on ${JSON.stringify(await active())}`);
}

let server;
let browser;
const ivs = {};

before(async () => {
  server = await startServer();
  for (const u of [IVY, PAT, RITA]) await addUser(server, u);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the staff home, the reviews list, comparing and exporting', () => {
  let ivy;

  before(async () => {
    ivy = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  });

  after(async () => {
    await ivy?.context().close();
  });

  it('Ivy lands on the dashboard, runs two interviews and is asked for her scorecards', async () => {
    await login(ivy, server, IVY);
    assert.equal(new URL(ivy.url()).pathname, '/dashboard', 'login lands on the dashboard');
    await expectText(ivy.locator('#live'), 'No interview is live');
    const ids = [];
    for (const q of QUESTIONS) ids.push(await addQuestion(ivy, q));
    for (const [key, title, questions, candidates, panel] of [
      ['first', 'Compare <b>screen</b>', ids, [{ name: 'Cara Candidate', email: 'cara@example.test' }, { name: 'Dan Absent' }], [PAT.email]],
      ['second', 'Second screen', [ids[0]], [{ name: 'Eve Evans', email: 'eve@example.test' }], []],
    ]) {
      const r = await apiCall(ivy, 'POST', '/api/v1/interviews', {
        title,
        questions: questions.map((id) => ({ question_id: id, time_limit_s: 0 })),
        candidates,
        interviewers: panel,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ivs[key] = r.body;
    }
    await goto(ivy, server, '/dashboard');
    await expectText(ivy.locator('#scheduled'), 'Second screen');
    await visit(ivy, 'reviews-01-dashboard-scheduled');

    // Run both: push, the candidate answers, end.
    for (const [key, answers] of [['first', [CARA_ANSWER]], ['second', [EVE_ANSWER]]]) {
      const iv = ivs[key];
      await goto(ivy, server, `/interviews/${iv.id}/console`);
      await expectText(ivy.locator('#conn'), 'Connected');
      await ivy.getByRole('button', { name: 'Start interview' }).click();
      await expectText(ivy.locator('#iv-status'), 'Live');
      if (key === 'first') {
        await goto(ivy, server, '/dashboard');
        await expectText(ivy.locator('#live'), 'Compare');
        assert.equal(await ivy.locator(`#live a[href="/interviews/${iv.id}/console"]`).count(), 1, 'Live now links to the console');
        await visit(ivy, 'reviews-02-dashboard-live');
        await goto(ivy, server, `/interviews/${iv.id}/console`);
        await expectText(ivy.locator('#conn'), 'Connected');
      }
      await ivy.locator('#plan .plan-item[data-position="1"]').getByRole('button', { name: /^Push/ }).click();
      const cand = await newPage(browser, { viewport: { width: 1024, height: 800 } });
      await cand.goto(iv.candidates[0].invite_url, { waitUntil: 'load' });
      await cand.getByRole('button', { name: /that's me/ }).click();
      await expectText(cand.locator('#q-prompt'), 'Comparetest alpha');
      await cand.locator('#answer').fill(answers[0]);
      await expectText(cand.locator('#save-state'), 'Saved');
      await cand.getByRole('button', { name: 'Submit answer' }).click();
      await expectText(cand.locator('#lock-msg'), /submitted/i);
      await cand.context().close();
      if (key === 'first') {
        await ivy.locator('#plan .plan-item[data-position="2"]').getByRole('button', { name: /^Push/ }).click();
      }
      await ivy.getByRole('button', { name: 'End interview' }).click();
      await expectText(ivy.locator('#iv-status'), 'Ended');
    }

    await goto(ivy, server, '/dashboard');
    const waiting = ivy.locator('#waiting li');
    await expectText(ivy.locator('#waiting'), 'Compare <b>screen</b>');
    assert.equal(await waiting.count(), 2, 'both interviews wait for her scorecard');
    assert.equal(await waiting.first().getAttribute('data-id'), String(ivs.first.id), 'the oldest first');
    await expectText(ivy.locator('#recent'), 'Second screen');
    await visit(ivy, 'reviews-03-dashboard-waiting');

    // Ivy scores all three (Pat scores nobody).
    const card = async (iv, cand, rec, scores) => {
      const p = `/api/v1/interviews/${iv.id}/candidates/${cand.id}/scorecard`;
      let r = await apiCall(ivy, 'PUT', p, { recommendation: rec, summary: `Ivy on ${cand.name}`, scores });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      r = await apiCall(ivy, 'POST', `${p}/submit`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    await card(ivs.first, ivs.first.candidates[0], 'strong_yes', [{ position: 1, score: 4, comment: IVY_COMMENT }, { position: 2, score: 3, comment: '' }]);
    await card(ivs.first, ivs.first.candidates[1], 'strong_no', [{ position: 1, score: 1, comment: 'No answer.' }]);
    await card(ivs.second, ivs.second.candidates[0], 'yes', [{ position: 1, score: 3, comment: 'Solid.' }]);
    await goto(ivy, server, '/dashboard');
    await expectText(ivy.locator('#waiting'), 'You have scored every candidate');
  });

  it('Rita filters and sorts the reviews list by keyboard and compares candidates of two interviews', async () => {
    const rita = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await login(rita, server, RITA);
    assert.equal(new URL(rita.url()).pathname, '/dashboard');
    assert.equal(await rita.locator('#waiting').count(), 0, 'no scorecard queue for a reviewer');
    assert.equal(await rita.locator('a[href$="/console"]').count(), 0, 'no console for a reviewer');
    await visit(rita, 'reviews-04-dashboard-reviewer');
    await rita.locator('header nav').getByRole('link', { name: 'Reviews' }).click();
    await rita.waitForURL(/\/reviews$/);
    const rows = rita.locator('#reviews tbody tr');
    assert.equal(await rows.count(), 3);
    await expectText(rita.locator('#result-count'), '3 candidates');
    const caraRow = rita.locator(`#reviews tr[data-candidate-id="${ivs.first.candidates[0].id}"]`);
    await expectText(caraRow.locator('.submitted-count'), '1 of 2 submitted');
    await expectText(caraRow.locator('.mean-score'), '3.5');
    await expectText(caraRow.locator('.recs'), 'Strong yes ×1');
    await visit(rita, 'reviews-05-list');

    // Keyboard: the search box, a query, Enter submits the filters.
    await rita.locator('a.skip-link').focus();
    await tabTo(rita, (a) => a.name === 'q', 'the search box');
    await rita.keyboard.type('screen');
    await rita.keyboard.press('Enter');
    await rita.waitForURL(/[?&]q=screen/);
    assert.equal(await rows.count(), 3);
    // Awaiting scorecards: Pat has not scored Cara or Dan.
    await tabTo(rita, (a) => a.name === 'awaiting', 'Awaiting scorecards');
    await rita.keyboard.press('Space');
    await tabTo(rita, (a) => a.tag === 'BUTTON' && a.text === 'Filter', 'the Filter button');
    await rita.keyboard.press('Enter');
    await rita.waitForURL(/awaiting=1/);
    assert.equal(await rows.count(), 2, 'Cara and Dan await Pat');
    assert.ok(new URL(rita.url()).searchParams.get('q') === 'screen', 'the search stays in the query string');
    // Sort by mean score from its column heading, by keyboard.
    await goto(rita, server, '/reviews');
    await tabTo(rita, (a) => a.tag === 'A' && a.text.startsWith('Mean score'), 'the Mean score heading');
    await rita.keyboard.press('Enter');
    await rita.waitForURL(/sort=mean/);
    assert.equal(await rita.locator('#reviews th[aria-sort="descending"]').textContent().then((t) => t.startsWith('Mean score')), true);
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.mean-score').textContent.trim()));
    assert.deepEqual(order, ['3.5', '3', '1'], 'highest mean first');
    // By recommendation.
    await rita.getByLabel('Recommendation').selectOption('strong_no');
    await rita.getByRole('button', { name: 'Filter' }).click();
    await rita.waitForURL(/recommendation=strong_no/);
    assert.equal(await rows.count(), 1);
    await expectText(rows.first(), 'Dan Absent');
    assert.ok(new URL(rita.url()).searchParams.get('sort') === 'mean', 'the sort stays with the filters');
    await visit(rita, 'reviews-06-list-filtered');

    // Tick Cara here, then Eve in another search: the selection is kept.
    await goto(rita, server, '/reviews?q=cara');
    await rita.locator('a.skip-link').focus();
    await tabTo(rita, (a) => a.tag === 'INPUT' && a.name === 'c', "Cara's checkbox");
    await rita.keyboard.press('Space');
    await expectText(rita.locator('#compare-status'), '1 selected');
    await goto(rita, server, '/reviews?q=eve');
    await expectText(rita.locator('#compare-status'), '1 selected (1 on other pages)');
    await rita.getByLabel(/Compare Eve Evans/).check();
    await expectText(rita.locator('#compare-status'), '2 selected (1 on other pages)');
    await visit(rita, 'reviews-07-list-selection');
    await tabTo(rita, (a) => a.tag === 'BUTTON' && a.text === 'Compare selected', 'Compare selected');
    await rita.keyboard.press('Enter');
    await rita.waitForURL(/\/compare\?/);
    const picked = new URL(rita.url()).searchParams.getAll('c');
    assert.deepEqual(picked, [String(ivs.first.candidates[0].id), String(ivs.second.candidates[0].id)], 'the columns in the order ticked');

    // The comparison: Cara and Eve as columns, the shared question once.
    const table = rita.locator('#compare-table');
    const heads = await table.locator('thead th.compare-cand').allTextContents();
    assert.equal(heads.length, 2);
    assert.match(heads[0], /Cara Candidate/);
    assert.match(heads[1], /Eve Evans/);
    const qrows = table.locator('tr.compare-q');
    assert.equal(await qrows.count(), 2, 'alpha (both) and bravo (Cara only)');
    const alpha = qrows.nth(0);
    await expectText(alpha.locator('th'), 'Comparetest alpha');
    await expectText(alpha.locator('td').nth(0), '=1+2, "cheap" threads');
    await expectText(alpha.locator('td').nth(0), '4 · Excellent');
    await expectText(alpha.locator('td').nth(1), EVE_ANSWER);
    await expectText(alpha.locator('td').nth(1), 'Mean: 3');
    await expectText(qrows.nth(1).locator('td').nth(1), 'Not asked');
    await expectText(table.locator('tr.compare-recs td').nth(0), 'Strong yes');
    await expectText(table.locator('tr.compare-recs td').nth(1), 'Yes');
    await expectText(table.locator('tr.compare-mean td').nth(0), '3.5');
    // The model answer opens from the keyboard.
    await rita.locator('a.skip-link').focus();
    await tabTo(rita, (a) => a.tag === 'SUMMARY' && a.text === 'Model answer', 'the model answer');
    await rita.keyboard.press('Enter');
    await expectText(alpha.locator('details.model'), 'MODEL-ALPHA');
    // The table scrolls sideways from the keyboard too (a focusable region).
    assert.equal(await rita.locator('.compare-wrap').getAttribute('tabindex'), '0');
    await visit(rita, 'reviews-08-compare');
    assert.deepEqual(rita.errors, []);

    // The interview's own comparison, from its report.
    await goto(rita, server, `/interviews/${ivs.first.id}/report`);
    await rita.getByRole('link', { name: 'Compare candidates' }).click();
    await rita.waitForURL(/\/compare$/);
    assert.equal(await rita.locator('#compare-table thead th.compare-cand').count(), 2, 'Cara and Dan');
    await visit(rita, 'reviews-09-compare-interview');
    await rita.context().close();
  });

  it('exports the list and an interview (CSV and JSON) through the gate', async () => {
    const rita = await newPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await login(rita, server, RITA);
    await goto(rita, server, '/reviews?sort=candidate');
    const list = await download(rita, rita.getByRole('link', { name: 'Export these results (CSV)' }));
    assert.match(list.name, /^reviews-\d{4}-\d{2}-\d{2}\.csv$/);
    const lrows = parseCSV(list.text);
    assert.equal(lrows[0].join('|'), 'interview id|interview|ended|candidate id|candidate|email|technologies|interviewers|scorecards submitted|panel|mean score|strong_no|no|yes|strong_yes');
    assert.deepEqual(lrows.slice(1).map((r) => [r[4], r[8], r[9], r[10]]), [
      ['Cara Candidate', '1', '2', '3.50'],
      ['Dan Absent', '1', '2', '1.00'],
      ['Eve Evans', '1', '1', '3.00'],
    ]);
    assert.equal(lrows[1][1], 'Compare <b>screen</b>', 'the title as written');

    await goto(rita, server, `/interviews/${ivs.first.id}/report`);
    const csv = await download(rita, rita.getByRole('link', { name: 'Export CSV' }));
    assert.equal(csv.name, `interview-${ivs.first.id}.csv`);
    const rows = parseCSV(csv.text);
    assert.equal(rows[0].join('|'), 'interview|candidate|email|technology|level|prompt|final answer|submitted|time used s|interviewer|score|comment|recommendation|pacing|extra_time_pct|extra_time_s');
    const caraQ1 = rows.find((r) => r[1] === 'Cara Candidate' && r[5].startsWith('Comparetest alpha'));
    assert.ok(caraQ1, 'a row for Cara on question 1');
    assert.equal(caraQ1[6], `'${CARA_ANSWER}`, 'the answer, its formula prefix neutralised, commas, quotes, newline and non-ASCII intact');
    assert.equal(caraQ1[7], 'yes');
    assert.equal(caraQ1[9], IVY.name);
    assert.equal(caraQ1[10], '4');
    assert.equal(caraQ1[11], `'${IVY_COMMENT}`);
    assert.equal(caraQ1[12], 'strong_yes');
    assert.equal(rows.length, 1 + 4, 'two candidates × two questions × one submitted scorecard');

    const json = await download(rita, rita.getByRole('link', { name: 'Export JSON' }));
    assert.equal(json.name, `interview-${ivs.first.id}.json`);
    const doc = JSON.parse(json.text);
    assert.equal(doc.interview.title, 'Compare <b>screen</b>');
    assert.equal(doc.questions[0].answer, QUESTIONS[0].answer, 'model answers are in the export');
    assert.equal(doc.answers.find((a) => a.candidate_id === ivs.first.candidates[0].id).text, CARA_ANSWER);
    assert.equal(doc.scorecards.length, 2);
    assert.ok(doc.transcript.some((e) => e.type === 'interview.ended'));
    await rita.context().close();

    // Pat, who has submitted nothing, exports none of Ivy's scores.
    const pat = await newPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await login(pat, server, PAT);
    await goto(pat, server, `/interviews/${ivs.first.id}/report`);
    const pcsv = await download(pat, pat.getByRole('link', { name: 'Export CSV' }));
    for (const r of parseCSV(pcsv.text).slice(1)) {
      assert.deepEqual(r.slice(9, 13), ['', '', '', ''], `Pat's CSV shows a scorecard: ${r.join('|')}`);
    }
    assert.ok(!pcsv.text.includes('IVY-COMMENT'));
    const pjson = JSON.parse((await download(pat, pat.getByRole('link', { name: 'Export JSON' }))).text);
    assert.deepEqual(pjson.scorecards, []);
    await goto(pat, server, '/reviews');
    await expectText(pat.locator(`#reviews tr[data-candidate-id="${ivs.first.candidates[0].id}"] .recs`), '1 hidden until you submit yours');
    await visit(pat, 'reviews-10-list-blind');
    await pat.context().close();
  });

  it('the dashboard, the list and the comparison work at 320 px', async () => {
    const narrow = await newPage(browser, { viewport: { width: 320, height: 800 } });
    await login(narrow, server, RITA);
    for (const [p, name] of [
      ['/dashboard', 'reviews-11-dashboard-320'],
      ['/reviews', 'reviews-12-list-320'],
      [`/compare?c=${ivs.first.candidates[0].id}&c=${ivs.second.candidates[0].id}`, 'reviews-13-compare-320'],
    ]) {
      await goto(narrow, server, p);
      await noHorizontalScroll(narrow, 320, p);
      await visit(narrow, name);
    }
    // The filters are still usable: search and filter.
    await goto(narrow, server, '/reviews');
    await narrow.getByLabel('Search').fill('eve');
    await narrow.getByRole('button', { name: 'Filter' }).click();
    await narrow.waitForURL(/q=eve/);
    assert.equal(await narrow.locator('#reviews tbody tr').count(), 1);
    await narrow.context().close();
  });
});
