// Review in the browser (issue 9): scoring in the console and on the
// report page under a blind panel, the report itself, and printing it.
//
//   1. Ivy scores Cara in the console and submits; Pat, on the same panel,
//      sees none of it (page, responses, frames) until Pat submits, which
//      Pat does on the report page by keyboard alone.
//   2. Rita (reviewer) reads the report: per-question facts, scorecards,
//      mean and disagreement, recommendations, notes; never a draft.
//   3. Print: no navigation or forms, one page break per candidate
//      (Chromium's page.pdf, its outline says where each candidate starts).
//   4. The report at 320 px.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
  addUser,
  launchBrowser,
  newPage,
  goto,
  visit,
  checkA11y,
  expectText,
  waitFor,
  noHorizontalScroll,
  artifactsDir,
} from './harness.mjs';
import { login, apiCall, addQuestion, watchTraffic } from './rooms.mjs';

const IVY = { email: 'ivy@example.test', name: 'Ivy Interviewer', role: 'interviewer', password: 'correct-horse-battery' };
const PAT = { email: 'pat@example.test', name: 'Pat Panelist', role: 'interviewer', password: 'correct-horse-battery' };
const RITA = { email: 'rita@example.test', name: 'Rita Reviewer', role: 'reviewer', password: 'correct-horse-battery' };
const QUESTIONS = [
  { technology: 'Go', level: 'beginner', prompt: 'Reviewtest alpha: what is a goroutine?', answer: 'MODEL-ALPHA: a function running concurrently.', time_limit_s: 300 },
  { technology: 'Go', level: 'intermediate', prompt: 'Reviewtest bravo: what does a nil map do on write?', answer: 'MODEL-BRAVO: it panics.', time_limit_s: 120 },
];
const IVY_COMMENT = 'IVY-COMMENT-clear-on-scheduling';
const IVY_SUMMARY = 'IVY-SUMMARY-would-hire';
const IVY_DRAFT = 'IVY-AMENDMENT-DRAFT-not-for-reviewers';

/** paneOf is a candidate's pane in the console. */
function paneOf(page, name) {
  return page.locator('#cands .cand').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** jsErrors lists a page's uncaught errors (resource and socket noise aside). */
function jsErrors(page) {
  return page.errors.filter((e) => !/Failed to load resource|WebSocket connection/.test(e));
}

/**
 * pdfOutline reads a Chromium PDF made with outline: true: its number of
 * pages and its outline entries (one per heading), each with the page
 * (1-based) and height on the page (PDF points from the bottom) that it
 * points to.
 */
function pdfOutline(buf) {
  const pdf = buf.toString('latin1');
  const tree = pdf.match(/\/Type\s*\/Pages\b[^]*?\/Kids\s*\[([^\]]*)\]/);
  assert.ok(tree, 'the PDF has a page tree');
  const kids = [...tree[1].matchAll(/(\d+)\s+0\s+R/g)].map((m) => m[1]);
  const decode = (raw) => {
    if (!raw.startsWith('<')) return raw.slice(1, -1);
    const hex = raw.slice(1, -1).replace(/\s+/g, '');
    let out = '';
    for (let i = hex.toUpperCase().startsWith('FEFF') ? 4 : 0; i < hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  };
  const entries = [];
  for (const m of pdf.matchAll(/\/Title\s*(\([^)]*\)|<[0-9A-Fa-f\s]*>)\s*\/Dest\s*\[\s*(\d+)\s+0\s+R\s*\/XYZ\s+[\d.]+\s+([\d.]+)/g)) {
    entries.push({ title: decode(m[1]), page: kids.indexOf(m[2]) + 1, y: Number(m[3]) });
  }
  return { pages: kids.length, entries };
}

let server;
let browser;
let interview;

before(async () => {
  server = await startServer();
  for (const u of [IVY, PAT, RITA]) await addUser(server, u);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('scorecards under a blind panel, the report, and printing it', () => {
  let ivy;
  let pat;
  let cara;
  let patTraffic;

  before(async () => {
    ivy = await newPage(browser, { viewport: { width: 1366, height: 900 } });
    pat = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    cara = await newPage(browser, { viewport: { width: 1024, height: 800 } });
    patTraffic = watchTraffic(pat);
  });

  after(async () => {
    for (const p of [ivy, pat, cara]) await p?.context().close();
  });

  it('runs an interview: Cara answers, pastes and leaves the page; Dan never joins', async () => {
    await login(ivy, server, IVY);
    const ids = [];
    for (const q of QUESTIONS) ids.push(await addQuestion(ivy, q));
    const r = await apiCall(ivy, 'POST', '/api/v1/interviews', {
      title: 'Panel <review> screen',
      questions: ids.map((id) => ({ question_id: id, time_limit_s: 0 })),
      candidates: [{ name: 'Cara Candidate' }, { name: 'Dan Absent' }],
      interviewers: [PAT.email],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    interview = r.body;

    await goto(ivy, server, `/interviews/${interview.id}/console`);
    await expectText(ivy.locator('#conn'), 'Connected');
    await ivy.getByRole('button', { name: 'Start interview' }).click();
    await expectText(ivy.locator('#iv-status'), 'Live');
    await ivy.locator('#plan .plan-item[data-position="1"]').getByRole('button', { name: /^Push/ }).click();

    await cara.goto(interview.candidates[0].invite_url, { waitUntil: 'load' });
    await cara.getByRole('button', { name: /that's me/ }).click();
    await expectText(cara.locator('#q-prompt'), 'Reviewtest alpha');
    await cara.locator('#answer').fill('Goroutines are <cheap> green threads.');
    await cara.locator('#answer').evaluate((el) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'x'.repeat(42));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await cara.evaluate(() => window.dispatchEvent(new Event('blur')));
    await cara.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expectText(cara.locator('#save-state'), 'Saved');
    await cara.getByRole('button', { name: 'Submit answer' }).click();
    await expectText(paneOf(ivy, 'Cara Candidate').locator('.status-submitted'), 'Submitted');
    await expectText(paneOf(ivy, 'Cara Candidate').locator('.signals-summary'), 'pasted 1× (42 characters)');

    // A private note for the report.
    const pane = paneOf(ivy, 'Cara Candidate');
    await pane.locator('details.note summary').click();
    await pane.getByLabel(/Private note on Cara Candidate/).fill('Asked good questions.');
    await expectText(pane.locator('.note-status'), 'Note saved.');
  });

  it('Ivy scores Cara in the console and submits', async () => {
    const pane = paneOf(ivy, 'Cara Candidate');
    await pane.locator('details.scorecard-box > summary').click();
    const sc = pane.locator('.scorecard');
    await expectText(sc.locator('.sc-state'), 'Not started');
    const q1 = sc.locator('fieldset.sc-q[data-position="1"]');
    await q1.getByRole('radio', { name: '3 · Good' }).check();
    await q1.getByLabel('Comment on question 1').fill(IVY_COMMENT);
    await sc.getByRole('radio', { name: 'Strong yes' }).check();
    await expectText(sc.locator('.sc-state'), 'Draft saved');
    await visit(ivy, 'review-01-console-scorecard-draft');

    // Submitting without a summary is refused with a reason.
    await sc.getByRole('button', { name: 'Submit scorecard' }).click();
    await expectText(sc.locator('.sc-error'), 'summary');
    await sc.getByLabel('Summary (required to submit)').fill(IVY_SUMMARY);
    await sc.getByRole('button', { name: 'Submit scorecard' }).click();
    await expectText(sc.locator('.sc-state'), 'Submitted');
    assert.ok(await sc.getByRole('button', { name: 'Amend scorecard' }).isVisible(), 'an Amend button after submitting');
    assert.ok(await q1.getByRole('radio', { name: '3 · Good' }).isDisabled(), 'the submitted scorecard is locked');
    await expectText(pane.locator('.sc-panel-status'), 'Submitted by you');
    await visit(ivy, 'review-02-console-scorecard-submitted');
    assert.deepEqual(jsErrors(ivy), []);
  });

  it("Pat, on the panel, sees nothing of Ivy's scorecard before submitting, anywhere", async () => {
    await login(pat, server, PAT);
    await goto(pat, server, `/interviews/${interview.id}/console`);
    await expectText(pat.locator('#conn'), 'Connected');
    const pane = paneOf(pat, 'Cara Candidate');
    await pane.locator('details.scorecard-box > summary').click();
    await expectText(pane.locator('.sc-panel-status'), 'Submitted by Ivy Interviewer');
    await expectText(pane.locator('.sc-state'), 'Not started');
    await goto(pat, server, `/interviews/${interview.id}/report`);
    await expectText(pat.locator('.report-candidate').first().locator('.blind-note'), 'hidden until you submit yours');
    await apiCall(pat, 'GET', `/api/v1/interviews/${interview.id}/scorecards`);
    await apiCall(pat, 'GET', `/api/v1/interviews/${interview.id}/events`);
    await patTraffic.settle();
    const html = await pat.content();
    // Ivy's texts, and her recommendation as the API and the report write it.
    const secrets = [IVY_COMMENT, IVY_SUMMARY, '"recommendation":"strong_yes"', 'data-recommendation="strong_yes"'];
    for (const secret of secrets) {
      assert.ok(!html.includes(secret), `Pat's report shows ${secret}`);
      for (const b of patTraffic.bodies) assert.ok(!b.text.includes(secret), `the response of ${b.url} shows ${secret}`);
      for (const f of patTraffic.frames) assert.ok(!f.includes(secret), `a frame to Pat shows ${secret}: ${f.slice(0, 200)}`);
    }
    assert.ok(patTraffic.bodies.some((b) => b.url.endsWith('/scorecards')), 'the scorecards API was read');
    assert.ok(patTraffic.frames.some((f) => f.includes('"scorecard.submitted"')), 'Pat heard that a scorecard was submitted');
    await visit(pat, 'review-03-report-blind');
  });

  it('Pat scores Cara on the report page by keyboard alone', async () => {
    const section = pat.locator('.scoring[data-candidate-id]').first();
    await expectText(section.locator('.sc-state'), 'Not started');
    const active = () => pat.evaluate(() => {
      const el = document.activeElement;
      return `${el?.tagName}|${el?.getAttribute('name') ?? el?.id ?? ''}|${el?.getAttribute('value') ?? ''}|${el?.textContent?.trim().slice(0, 40) ?? ''}`;
    });
    const tabUntil = async (pred, what, max = 60) => {
      for (let i = 0; i < max; i++) {
        const a = await active();
        if (pred(a)) return a;
        await pat.keyboard.press('Tab');
      }
      assert.fail(`could not Tab to ${what}; focus is on ${await active()}`);
    };
    const candId = interview.candidates[0].id;
    // Tab into question 1's score: "Not assessed" is checked, so it takes focus.
    await tabUntil((a) => a.startsWith(`INPUT|sc-${candId}-q1|`), "question 1's score");
    const outline = await pat.evaluate(() => getComputedStyle(document.activeElement.closest('label')).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused option shows a focus ring');
    for (let i = 0; i < 3; i++) await pat.keyboard.press('ArrowUp'); // 4, 3, 2
    assert.match(await active(), new RegExp(`^INPUT\\|sc-${candId}-q1\\|2\\|`));
    await pat.keyboard.press('Tab');
    assert.match(await active(), /^TEXTAREA\|/);
    await pat.keyboard.type('Vague on the scheduler.');
    await pat.keyboard.press('Tab');
    assert.match(await active(), new RegExp(`^INPUT\\|sc-${candId}-rec\\|strong_no\\|`));
    await pat.keyboard.press('ArrowRight'); // No
    await pat.keyboard.press('Tab');
    await pat.keyboard.type('Not yet: needs more depth.');
    await pat.keyboard.press('Tab');
    assert.match(await active(), /^BUTTON\|.*Submit scorecard/);
    await expectText(section.locator('.sc-state'), 'Draft saved');
    await pat.keyboard.press('Enter');
    await expectText(section.locator('.sc-state'), 'Submitted');
    assert.match(await active(), /^BUTTON\|.*Amend scorecard/, 'focus moves to Amend after submitting');

    // Now the panel's scorecards show: Ivy's 3 and Pat's 2.
    await section.getByRole('button', { name: "Show the panel's scorecards" }).click();
    await pat.waitForLoadState('load');
    const q = pat.locator('.report-candidate').first().locator('.report-q[data-position="1"]');
    await expectText(q.locator('.q-scores'), IVY_COMMENT);
    await expectText(q.locator('.q-scores'), 'Vague on the scheduler.');
    await expectText(q.locator('.mean'), 'Mean score: 2.5');
    assert.equal(await q.locator('.disagree').count(), 0, '3 and 2 do not disagree by 2');
    await visit(pat, 'review-04-report-after-submit');
  });

  it('Rita (reviewer) reads the report from /reports; drafts never show', async () => {
    // Dan: 4 from Ivy, 1 from Pat, through the API: a disagreement.
    for (const [page, score, rec] of [[ivy, 4, 'yes'], [pat, 1, 'strong_no']]) {
      const path = `/api/v1/interviews/${interview.id}/candidates/${interview.candidates[1].id}/scorecard`;
      let r = await apiCall(page, 'PUT', path, { recommendation: rec, summary: 'Did not show up.', scores: [{ position: 1, score, comment: '' }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      r = await apiCall(page, 'POST', `${path}/submit`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // Ivy opens an amendment and types into it: a draft.
    await goto(ivy, server, `/interviews/${interview.id}/report`);
    const mine = ivy.locator('.scoring[data-candidate-id]').first();
    await mine.getByRole('button', { name: 'Amend scorecard' }).click();
    await mine.getByLabel('Summary (required to submit)').fill(IVY_DRAFT);
    await expectText(mine.locator('.sc-state'), 'Draft saved');

    const rita = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    const traffic = watchTraffic(rita);
    await login(rita, server, RITA);
    await rita.getByRole('link', { name: 'Reports' }).click();
    await rita.getByRole('link', { name: /Panel <review> screen/ }).click();
    await rita.waitForURL(/\/report$/);
    const cara = rita.locator('.report-candidate').nth(0);
    const dan = rita.locator('.report-candidate').nth(1);
    await expectText(cara.locator('h2'), 'Cara Candidate');
    const q1 = cara.locator('.report-q[data-position="1"]');
    await expectText(q1.locator('.q-prompt'), 'Reviewtest alpha');
    await expectText(q1.locator('.model-answer'), 'MODEL-ALPHA');
    await expectText(q1.locator('.final-answer'), 'Goroutines are <cheap> green threads.');
    await expectText(q1.locator('.outcome'), 'Submitted');
    await expectText(q1.locator('.time-used'), /^\d+ s of 5 min$/);
    await expectText(q1.locator('.pastes'), '1 (42 characters)');
    await expectText(q1.locator('.focus-lost'), /^1× \(\d+ s away\)$/);
    await expectText(q1.locator('.mean'), '2.5');
    await expectText(cara.locator('.rec-card[data-author-id]').first(), 'Strong yes');
    await expectText(cara.locator('.rec-card').nth(1), 'No');
    await expectText(cara.locator('.rec-card').first(), IVY_SUMMARY);
    await expectText(cara.locator('.report-notes'), 'Asked good questions.');
    assert.equal(await cara.locator('section.replay[data-candidate]').count(), 1, 'a replay container per candidate');
    await expectText(dan.locator('.report-q[data-position="1"] .outcome'), 'No answer');
    await expectText(dan.locator('.report-q[data-position="1"] .disagree'), 'disagree by 2 or more');
    await expectText(dan.locator('.report-q[data-position="1"] .mean'), '2.5');
    assert.equal(await rita.locator('.scoring').count(), 0, 'no scoring form for reviewers');
    await traffic.settle();
    assert.ok(!(await rita.content()).includes(IVY_DRAFT), "the reviewer's report shows Ivy's draft");
    for (const b of traffic.bodies) assert.ok(!b.text.includes(IVY_DRAFT), `${b.url} shows Ivy's draft`);
    await visit(rita, 'review-05-report-reviewer');
    assert.deepEqual(jsErrors(rita), []);

    // Printing: no navigation, no forms, a page break before each candidate.
    await rita.emulateMedia({ media: 'print' });
    assert.equal(await rita.locator('header.site-header').isVisible(), false, 'no site header in print');
    assert.equal(await rita.locator('nav').first().isVisible(), false, 'no navigation in print');
    assert.equal(await dan.evaluate((el) => getComputedStyle(el).breakBefore), 'page');
    assert.notEqual(await cara.evaluate((el) => getComputedStyle(el).breakBefore), 'page', 'no blank first page');
    // page.pdf prints with the emulated media: keep it print.
    const pdf = await rita.pdf({ format: 'A4', printBackground: true, outline: true, tagged: true });
    await rita.emulateMedia({ media: null });
    await mkdir(artifactsDir, { recursive: true });
    await writeFile(path.join(artifactsDir, 'review-06-report.pdf'), pdf);
    const { pages, entries } = pdfOutline(pdf);
    const names = entries.map((e) => e.title);
    for (const chrome of ['Log out', 'Candidates', 'Your scorecard for Cara Candidate']) {
      assert.ok(!names.some((n) => n.includes(chrome)), `the PDF shows ${chrome}: ${names.join(' | ')}`);
    }
    const start = (name) => entries.find((e) => e.title === name);
    const caraAt = start('Cara Candidate');
    const danAt = start('Dan Absent');
    assert.ok(caraAt && danAt, `both candidates are in the PDF's outline: ${names.join(' | ')}`);
    assert.equal(caraAt.page, 1, 'Cara starts on the first page');
    assert.ok(danAt.page > 1 && pages >= danAt.page, `Dan starts on page ${danAt.page} of ${pages}`);
    // Nothing of Cara's section shares Dan's first page: his name is its top.
    const onDansPage = entries.filter((e) => e.page === danAt.page);
    assert.ok(onDansPage.every((e) => e.y <= danAt.y), `Dan's name is not at the top of page ${danAt.page}: ${JSON.stringify(onDansPage)}`);
    await rita.context().close();
  });

  it('the report is readable at 320 px', async () => {
    const narrow = await newPage(browser, { viewport: { width: 320, height: 800 } });
    await login(narrow, server, PAT);
    await goto(narrow, server, `/interviews/${interview.id}/report`);
    await expectText(narrow.locator('.report-candidate').first().locator('.q-scores'), IVY_COMMENT);
    await noHorizontalScroll(narrow, 320, 'report at 320 px');
    await visit(narrow, 'review-07-report-320');
    await narrow.locator('.report-q').first().screenshot({ path: path.join(artifactsDir, 'review-08-question-320.png') });
    await narrow.context().close();
  });
});
