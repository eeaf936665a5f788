/**
 * Part A of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Items 1–3, the RFP's details and the moves that lock them. In draft the officer edits the details, a deadline with
 * a time and every scoring setting, sees them on the Overview and in the RFP list, and puts them back; dates typed
 * without a time read as 11:59 PM in the installation's zone (Los Angeles) with its abbreviation, deadlines out of
 * order are refused at the field, a past one only with a confirmation and a reason (kept in the audit log). Once open,
 * the reference and scoring settings are shown locked, and a tab left open from the draft is refused (409) with why.
 * Each forward move's confirmation says what it locks, with this RFP's facts; moving to evaluation before proposals
 * are due is refused without a reason, and the reason given is on the audit page; so is closing scoring while a
 * scoresheet is still open (the officer closes early with a reason, then goes back, with a reason, for the last sheet).
 * Submitting a scoresheet says what it locks; a delete in the builder returns to where the officer was. (Disabling an
 * account is part B's.)
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type CheckedPage, openCheckedPage, signIn } from '../support/pages';
import type { PartHooks, WorkingDay } from './context';
import { isoDateFromToday, openTab, STORY_TIME_ZONE } from './story';

/** "Jan 2, 2027": a YYYY-MM-DD day as the pages write it. */
function shownDay(isoDate: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** The story zone's abbreviation on that day ("PST", or "PDT" in summer), as Intl names it. */
function abbreviationOn(isoDate: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: STORY_TIME_ZONE, timeZoneName: 'short' }).formatToParts(new Date(`${isoDate}T20:00:00Z`));
  return parts.find((p) => p.type === 'timeZoneName')!.value;
}

/** A deadline typed as `isoDate` (and `time`, "5:00 PM", if any) as the pages show it: "Jan 2, 2027, 11:59 PM PST". */
function shownDeadline(isoDate: string, time = '11:59 PM'): string {
  return `${shownDay(isoDate)}, ${time} ${abbreviationOn(isoDate)}`;
}

const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The value beside `term` in a page's facts (`<dl class="wb-meta">`). */
async function fact(page: Page, term: string): Promise<string> {
  const dd = page.locator('dl.wb-meta dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
  return plain(await dd.first().textContent());
}

async function statusText(page: Page): Promise<string> {
  return plain(await page.getByRole('status').first().textContent());
}

async function fieldError(page: Page, id: string): Promise<string> {
  return plain(await page.locator(`#${id}-error`).textContent());
}

/** The RFP list's row of the story's RFP (found by its title), as its cells read. */
async function listRow(ctx: WorkingDay, page: Page, title: string): Promise<string[]> {
  await page.goto(`${ctx.baseUrl}/rfps`);
  const row = page.locator('tbody tr', { has: page.getByRole('cell', { name: title, exact: true }) });
  await expect.poll(() => row.count()).toBe(1);
  return (await row.locator('th, td').allTextContents()).map((t) => plain(t));
}

async function openDetails(ctx: WorkingDay, page: Page): Promise<void> {
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  await page.getByRole('link', { name: 'Edit details and settings' }).click();
  await page.waitForURL('**/details');
  await expect.poll(() => page.getByRole('heading', { name: 'Details and settings', level: 2 }).count()).toBe(1);
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save changes' }).click();
}

interface Settings {
  reference: string;
  title: string;
  summary: string;
  scaleMax: string;
  aggregation: 'mean' | 'median';
  halfPoints: boolean;
  divergence: string;
  priceFormula: 'ratio' | 'linear';
  totalPoints: string;
}

async function fillSettings(page: Page, s: Settings): Promise<void> {
  await page.getByLabel('Reference').fill(s.reference);
  await page.getByLabel('Title').fill(s.title);
  await page.getByLabel('AI use-case summary').fill(s.summary);
  await page.getByLabel('Scale maximum').fill(s.scaleMax);
  await page.getByLabel('Evaluators’ scores combined by').selectOption(s.aggregation);
  // USWDS hides the native box: its label is what a person clicks.
  if ((await page.locator('#allowHalfPoints').isChecked()) !== s.halfPoints) await page.locator('label[for="allowHalfPoints"]').click();
  await page.getByLabel('Divergence threshold (% of the scale)').fill(s.divergence);
  await page.getByLabel('Price formula').selectOption(s.priceFormula);
  await page.getByLabel('Total points').fill(s.totalPoints);
}

/** The officer's second tab, opened on the details page while the RFP is a draft and left there until it opens. */
let staleTab: CheckedPage | null = null;

/** Draft: the officer (on the new RFP's Overview) edits every detail and setting, sees them elsewhere, puts them back. */
async function detailsAreEditableInDraft(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const proposals = isoDateFromToday(30);
  const evaluation = isoDateFromToday(60);
  const questions = isoDateFromToday(20);

  // The dates the story typed without a time are the end of those days in Los Angeles, said with the zone.
  await expect.poll(() => fact(page, 'Proposals due')).toBe(shownDeadline(proposals));
  expect(await fact(page, 'Evaluation due')).toBe(shownDeadline(evaluation));
  expect(await fact(page, 'Questions due')).toBe('Not set');
  expect((await listRow(ctx, page, ctx.rfp.title))[5]).toBe(shownDeadline(proposals));

  await openDetails(ctx, page);
  expect(plain(await page.locator('#proposals-deadline-hint').textContent())).toContain(`Times are in ${STORY_TIME_ZONE} (${abbreviationOn(isoDateFromToday(0))}); leave the time empty for the end of the day (11:59 PM).`);
  expect(await page.locator('#proposalsDueDate').inputValue()).toBe(proposals);
  expect(await page.locator('#proposalsDueTime').inputValue()).toBe('');

  // Every detail and setting changes while the RFP is a draft, and a deadline can have a time.
  const original: Settings = {
    reference: ctx.rfp.reference,
    title: ctx.rfp.title,
    summary: await page.getByLabel('AI use-case summary').inputValue(),
    scaleMax: '5',
    aggregation: 'mean',
    halfPoints: false,
    divergence: '30',
    priceFormula: 'ratio',
    totalPoints: '100',
  };
  expect(await page.getByLabel('Scale maximum').inputValue()).toBe(original.scaleMax);
  expect(await page.getByLabel('Divergence threshold (% of the scale)').inputValue()).toBe(original.divergence);
  expect(await page.getByLabel('Total points').inputValue()).toBe(original.totalPoints);
  const edited: Settings = {
    reference: `${ctx.rfp.reference}-A`,
    title: `${ctx.rfp.title} (pilot)`,
    summary: `${original.summary} A one-year pilot first.`,
    scaleMax: '7',
    aggregation: 'median',
    halfPoints: true,
    divergence: '25',
    priceFormula: 'linear',
    totalPoints: '120',
  };
  await fillSettings(page, edited);
  await page.locator('#qaDueDate').fill(questions);
  await page.locator('#qaDueTime').fill('17:00');
  await save(page);
  await expect
    .poll(() => statusText(page))
    .toBe('Saved: reference, title, AI use-case summary, scale maximum, how scores are combined, half points, divergence threshold, price formula, total points, questions due.');
  expect(await page.locator('#qaDueTime').inputValue()).toBe('17:00');
  await check('wd-a-details-saved');

  // The Overview and the RFP list show the changes; the deadline with a time shows that time, with the zone.
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByRole('heading', { name: edited.title, level: 1 }).count()).toBe(1);
  expect(await fact(page, 'Questions due')).toBe(shownDeadline(questions, '5:00 PM'));
  expect(await fact(page, 'Scoring')).toBe('Scale 0–7, median of evaluators, 120 points in total, linear price formula');
  expect(plain(await page.locator('#summary-heading + p').textContent())).toBe(edited.summary);
  await check('wd-a-overview-edited');
  const row = await listRow(ctx, page, edited.title);
  expect(row.slice(0, 3)).toEqual([edited.reference, edited.title, 'Department of Technology']);
  expect(row[5]).toBe(shownDeadline(proposals));

  // Deadlines out of order: refused at the field that moved, saying both moments; nothing is saved.
  await openDetails(ctx, page);
  const late = isoDateFromToday(40);
  await page.locator('#qaDueDate').fill(late);
  await save(page);
  await expect
    .poll(() => fieldError(page, 'qaDueDate'))
    .toBe(`Questions due (${shownDeadline(late, '5:00 PM')}) must be on or before proposals due (${shownDeadline(proposals)}).`);
  await check('wd-a-deadlines-out-of-order');

  // A deadline already past: refused until confirmed with a reason, which the audit log keeps.
  const yesterday = isoDateFromToday(-1);
  await page.locator('#qaDueDate').fill('');
  await page.locator('#qaDueTime').fill('');
  await page.locator('#proposalsDueDate').fill(yesterday);
  await save(page);
  await expect
    .poll(() => fieldError(page, 'proposalsDueDate'))
    .toBe(`Proposals due (${shownDeadline(yesterday)}) has already passed. Change it, or confirm below that it is meant and say why.`);
  expect(await fieldError(page, 'pastReason')).toBe('Give the reason for a deadline that has already passed; it is kept in the audit log.');
  await check('wd-a-past-deadline-asks');
  const pastReason = 'The notice published on paper gave yesterday as the proposals date.';
  await page.locator('label[for="confirmPast"]').click();
  await page.getByLabel(/^Reason/).fill(pastReason);
  await save(page);
  await expect.poll(() => statusText(page)).toBe('Saved: questions due, proposals due.');
  await openTab(page, 'Audit log', '/audit');
  const entry = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: /changed the RFP’s questions due date/ }) });
  await expect.poll(() => entry.count()).toBe(1);
  expect(plain(await entry.getByRole('rowheader').textContent())).toBe(
    `${ctx.names.officer} changed the RFP’s questions due date from ${shownDeadline(questions, '5:00 PM')} to none; proposals due date from ${shownDeadline(proposals)} to ${shownDeadline(yesterday)}.`,
  );
  expect(plain(await entry.locator('td[data-label="Reason"]').textContent())).toBe(pastReason);

  // Put back as the story created it: the proposals due in 30 days (future: nothing to confirm), every setting as it was.
  await openDetails(ctx, page);
  await fillSettings(page, original);
  await page.locator('#proposalsDueDate').fill(proposals);
  await save(page);
  await expect
    .poll(() => statusText(page))
    .toBe('Saved: reference, title, AI use-case summary, scale maximum, how scores are combined, half points, divergence threshold, price formula, total points, proposals due.');
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByRole('heading', { name: ctx.rfp.title, level: 1 }).count()).toBe(1);
  expect(await fact(page, 'Proposals due')).toBe(shownDeadline(proposals));
  expect(await fact(page, 'Questions due')).toBe('Not set');
  expect(await fact(page, 'Scoring')).toBe('Scale 0–5, mean of evaluators, 100 points in total, ratio price formula');
}

/** The builder's delete confirms what goes and comes back to where the officer was: the section above. */
async function deleteReturnsToWhereTheOfficerWas(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.getByLabel('Section title').fill('Scratch notes');
  await page.getByRole('button', { name: 'Add section' }).click();
  await expect.poll(() => page.getByRole('heading', { name: /^Scratch notes ·/, level: 3 }).count()).toBe(1);
  await page.getByRole('link', { name: 'Delete section Scratch notes' }).click();
  const confirmation = page.getByRole('alertdialog', { name: 'Delete this section?' });
  await expect.poll(() => confirmation.count()).toBe(1);
  expect(plain(await confirmation.locator('#confirm-body').textContent())).toBe('“Scratch notes” and everything in it will be removed from the questionnaire. The audit log keeps a copy.');
  await check('wd-a-delete-section-confirm');
  await confirmation.getByRole('button', { name: 'Delete section' }).click();
  await expect.poll(() => page.getByRole('heading', { name: /^Scratch notes ·/, level: 3 }).count()).toBe(0);
  const url = new URL(page.url());
  expect(`${url.pathname}${url.search}${url.hash}`).toBe(`${ctx.rfp.path}/questionnaire#section-${ctx.sections.price}`);
}

/** Before opening, the officer leaves a second tab on the details page (the settings still editable there). */
async function leaveATabOnTheDetails(ctx: WorkingDay): Promise<void> {
  staleTab = await openCheckedPage(ctx.browser);
  staleTab.page.setDefaultTimeout(20_000);
  await signIn(staleTab.page, ctx.baseUrl, ctx.accounts.officer, ctx.password);
  await openDetails(ctx, staleTab.page);
  await expect.poll(() => staleTab!.page.getByLabel('Scale maximum').count()).toBe(1);
}

/** The items of the confirmation's lists ("This will lock:", "And then:"). */
async function confirmationLists(confirmation: Locator): Promise<{ locks: string[]; changes: string[] }> {
  const lists = confirmation.locator('#confirm-body ul');
  const items = async (i: number) => (await lists.nth(i).locator('li').allTextContents()).map((t) => plain(t));
  return { locks: await items(0), changes: await items(1) };
}

const moveConfirmation = (page: Page) => page.getByRole('alertdialog');

async function openingConfirmation(ctx: WorkingDay): Promise<void> {
  const { page } = ctx.session('officer');
  const confirmation = moveConfirmation(page);
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Open ${ctx.rfp.reference} for responses?`);
  expect(await confirmationLists(confirmation)).toEqual({
    locks: [
      'The questionnaire is frozen as version 1: 4 questions in 4 criteria, with their weights, rubrics and the risk tier, can no longer be edited.',
      'The scoring settings (scale, aggregation, half points, divergence threshold, price formula, total points) are locked.',
    ],
    changes: [
      'Vendor workbooks of this version can be downloaded, and responses recorded or imported.',
      'Changing the questionnaire afterwards means going back to draft with a reason, which starts version 2 and marks workbooks already sent as outdated.',
    ],
  });
  // Nothing is early about opening: no reason is asked.
  expect(await confirmation.getByLabel(/^Reason/).count()).toBe(0);
  expect(await confirmation.getByText('The move is recorded in the audit log with who made it, when.').count()).toBe(1);
}

/** Open: the details page says the reference and settings are locked; the tab left open from the draft is refused. */
async function settingsLockedOnceOpen(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const lock =
    `The reference and scoring settings of ${ctx.rfp.reference} are locked because the RFP is open for responses: vendors are answering against them. ` +
    'The lead officer can reopen it to draft, with a recorded reason, to change them.';
  await openDetails(ctx, page);
  await expect.poll(() => page.getByText(lock).count()).toBe(1);
  for (const label of ['Reference', 'Scale maximum', 'Total points', 'Price formula', 'Divergence threshold (% of the scale)']) {
    expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(0);
  }
  expect(await fact(page, 'Reference')).toBe(ctx.rfp.reference);
  expect(await fact(page, 'Scale')).toBe('0 to 5, whole points only');
  expect(await fact(page, 'Evaluators’ scores combined by')).toBe('Mean');
  expect(await fact(page, 'Divergence threshold')).toBe('30% of the scale');
  expect(await fact(page, 'Total points')).toBe('100');
  // The details and the vendors' deadlines can still change while vendors answer.
  expect(await page.getByLabel('Title').inputValue()).toBe(ctx.rfp.title);
  expect(await page.locator('#proposalsDueDate').inputValue()).toBe(isoDateFromToday(30));
  await check('wd-a-settings-locked-open');

  // The tab opened in draft still shows the settings as fields: a change sent from it is refused, nothing saved.
  const stale = staleTab!;
  staleTab = null;
  await stale.page.getByLabel('Scale maximum').fill('7');
  const answer = stale.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`${ctx.rfp.path}/details`));
  await save(stale.page);
  expect((await answer).status()).toBe(409);
  await expect.poll(async () => plain(await stale.page.locator('.wb-error-summary').textContent())).toBe(lock);
  await stale.check('wd-a-stale-settings-refused');
  await stale.close();
  await page.reload();
  expect(await fact(page, 'Scale')).toBe('0 to 5, whole points only');
}

/** Moving to evaluation before proposals are due: it says until when, and is refused without a reason. */
async function evaluationConfirmation(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  const confirmation = moveConfirmation(page);
  const { civic, omni } = ctx.vendors;
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Move ${ctx.rfp.reference} to evaluation?`);
  expect(await confirmationLists(confirmation)).toEqual({
    locks: [
      `The responses of ${civic.name} and ${omni.name} are locked: answers, prices, attachments and statuses can no longer be changed, and no vendor can be added.`,
      'Criteria, weights and rubrics stay locked while scoring lasts.',
    ],
    changes: [`3 evaluators (${ctx.names.evan}, ${ctx.names.priya} and ${ctx.names.sam}) can attest their independence and start scoring their assignments.`],
  });
  const why = `Proposals are due ${shownDeadline(isoDateFromToday(30))}: starting the evaluation before then needs a reason, which is kept in the audit log.`;
  expect(await confirmation.getByText(why).count()).toBe(1);
  expect(await confirmation.getByText('The move is recorded in the audit log with who made it, when and why.').count()).toBe(1);

  // Sent without a reason (past the browser's own check), the server refuses at the reason field; nothing moves.
  await page.evaluate(() => document.querySelector('#reason')?.removeAttribute('required'));
  await confirmation.getByRole('button', { name: 'Move to evaluation', exact: true }).click();
  await expect.poll(() => fieldError(page, 'reason')).toBe(why);
  expect(new URL(page.url()).search).toBe('?move=evaluation');
  expect(plain(await page.locator('.wb-status').first().textContent())).toBe('Open for responses');
  expect(await confirmation.getByLabel('Reason for starting the evaluation before proposals are due').inputValue()).toBe('');
  await check('wd-a-evaluation-needs-reason');
}

/** In evaluation: the audit page has the move with its reason; the vendors' deadlines are locked, said with the zone. */
async function reasonInTheAuditLog(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/audit`);
  const entry = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: `${ctx.names.officer} moved the RFP from Open for responses to In evaluation.`, exact: true }) });
  await expect.poll(() => entry.count()).toBe(1);
  expect(plain(await entry.locator('td[data-label="Reason"]').textContent())).toBe('Both invited vendors have responded.');
  await check('wd-a-audit-evaluation-reason');

  await openDetails(ctx, page);
  await expect
    .poll(() => page.getByText(`The questions and proposals deadlines of ${ctx.rfp.reference} are locked because the RFP is in evaluation: the proposals are in.`).count())
    .toBe(2);
  expect(await fact(page, 'Proposals due')).toBe(shownDeadline(isoDateFromToday(30)));
  expect(await page.locator('#evaluationDueDate').inputValue()).toBe(isoDateFromToday(60));
}

/** Evan, asked before his Civic Answers scoresheet is submitted: what it locks and that it is complete. */
async function scoresheetConfirmation(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('evan');
  const confirmation = page.locator('#submit-confirm');
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Submit your scores for ${ctx.vendors.civic.name}?`);
  expect((await confirmation.locator('li').allTextContents()).map((t) => plain(t))).toEqual([
    'You can no longer change these scores or rationales. Only the lead officer can reopen the sheet, with a recorded reason.',
    'All 3 criteria are scored with a rationale.',
  ]);
  await check('wd-a-submit-scoresheet-confirm');
}

/**
 * One scoresheet is still open (Priya's OmniSight one, scored but not submitted): closing scoring now is early. The
 * confirmation names the sheet left out and asks a reason; without one the move is refused. Priya is said to be away,
 * so the officer closes with a reason, which the audit page shows; Priya is back sooner than said, so the officer
 * goes back to evaluation (with a reason too) and Priya submits. (Once every sheet is in, closing is not early.)
 */
async function earlyCloseOfScoringNeedsReason(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/status`);
  await page.getByRole('link', { name: 'Close scoring…' }).click();
  await page.waitForURL('**/status?move=*');
  const confirmation = moveConfirmation(page);
  await expect.poll(() => confirmation.getByText('This will lock:').count()).toBe(1);
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Close scoring of ${ctx.rfp.reference}?`);
  expect((await confirmationLists(confirmation)).locks).toEqual([
    'Scoring closes: evaluators can no longer change or submit scoresheets. 3 of 4 assigned scoresheets are submitted.',
    `Not submitted, and left out of the results as they stand: ${ctx.names.priya} for ${ctx.vendors.omni.name} (3 of 3 scored).`,
  ]);
  const why = '1 assigned scoresheet is not submitted yet: closing scoring now needs a reason, which is kept in the audit log.';
  expect(await confirmation.getByText(why).count()).toBe(1);
  const reason = confirmation.getByLabel('Reason for closing scoring now');
  expect(await reason.inputValue()).toBe('');

  // Sent without a reason (past the browser's own check), the server refuses at the reason field; scoring stays open.
  await page.evaluate(() => document.querySelector('#reason')?.removeAttribute('required'));
  await confirmation.getByRole('button', { name: 'Close scoring', exact: true }).click();
  await expect.poll(() => fieldError(page, 'reason')).toBe(why);
  expect(new URL(page.url()).search).toBe('?move=consensus');
  expect(plain(await page.locator('.wb-status').first().textContent())).toBe('In evaluation');
  await check('wd-a-close-scoring-needs-reason');

  // With a reason it closes, and the audit page keeps the reason beside the move.
  const closeReason = `${ctx.names.priya} is away until next week; the panel goes on with the three scoresheets in.`;
  await reason.fill(closeReason);
  await confirmation.getByRole('button', { name: 'Close scoring', exact: true }).click();
  await expect.poll(() => statusText(page)).toContain('The RFP is now in consensus.');
  await openTab(page, 'Audit log', '/audit');
  const moved = (from: string, to: string) =>
    page.locator('tbody tr', { has: page.getByRole('rowheader', { name: `${ctx.names.officer} moved the RFP from ${from} to ${to}.`, exact: true }) });
  await expect.poll(() => moved('In evaluation', 'Consensus').count()).toBe(1);
  expect(plain(await moved('In evaluation', 'Consensus').locator('td[data-label="Reason"]').textContent())).toBe(closeReason);
  await check('wd-a-audit-early-close-reason');

  // Priya is back: going back to evaluation needs a reason too, and reopens scoring for her last sheet.
  const backReason = `${ctx.names.priya} is back sooner than planned and submits her last scoresheet before the panel meets.`;
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/status`);
  expect(await page.locator('#back-evaluation').isChecked()).toBe(true);
  await page.locator('#back-reason').fill(backReason);
  await page.getByRole('button', { name: 'Go back', exact: true }).click();
  await expect.poll(() => statusText(page)).toContain('The RFP is now in evaluation.');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/audit`);
  await expect.poll(() => moved('Consensus', 'In evaluation').count()).toBe(1);
  expect(plain(await moved('Consensus', 'In evaluation').locator('td[data-label="Reason"]').textContent())).toBe(backReason);
  // Priya's page was opened before the back-and-forth: she reloads it, her saved scores still there.
  await ctx.session('priya').page.reload();
}

async function closeScoringConfirmation(ctx: WorkingDay): Promise<void> {
  const { page } = ctx.session('officer');
  const confirmation = moveConfirmation(page);
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Close scoring of ${ctx.rfp.reference}?`);
  expect(await confirmationLists(confirmation)).toEqual({
    locks: ['Scoring closes: evaluators can no longer change or submit scoresheets. 4 of 4 assigned scoresheets are submitted.'],
    changes: ['Every submitted score becomes visible to the panel, and the lead records consensus where evaluators diverge.'],
  });
  // Every scoresheet is in: nothing is early, no reason is asked.
  expect(await confirmation.getByLabel(/^Reason/).count()).toBe(0);
}

async function closingConfirmation(ctx: WorkingDay): Promise<void> {
  const { page } = ctx.session('officer');
  const confirmation = moveConfirmation(page);
  expect(plain(await confirmation.getByRole('heading').textContent())).toBe(`Close ${ctx.rfp.reference}?`);
  expect(await confirmationLists(confirmation)).toEqual({
    locks: ['The results become final and the whole RFP read-only: consensus scores, responses and the record can no longer be changed.'],
    changes: [`${ctx.vendors.civic.name} ranks first.`, 'It can only be reopened by going back, with a reason kept in the audit log.'],
  });
  expect(await confirmation.getByLabel(/^Reason/).count()).toBe(0);
}

/** Closed: the details page shows everything as text, with why; the Overview offers no edit. */
async function everythingLockedOnceClosed(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  expect(await page.getByRole('link', { name: 'Edit details and settings' }).count()).toBe(0);
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/details`);
  await expect.poll(() => page.getByText(`The details of ${ctx.rfp.reference} are locked because the RFP is closed: the results are final.`).count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
  expect(await page.getByRole('textbox').count()).toBe(0);
  expect(await fact(page, 'Title')).toBe(ctx.rfp.title);
  expect(await fact(page, 'Evaluation due')).toBe(shownDeadline(isoDateFromToday(60)));
  await check('wd-a-details-closed');
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.waitForURL(/\/rfps\/[0-9a-f-]{36}$/);
}

export const hooks: PartHooks = {
  rfpCreated: detailsAreEditableInDraft,
  questionnaireBuilt: deleteReturnsToWhereTheOfficerWas,
  teamAdded: leaveATabOnTheDetails,
  openingConfirmation,
  opened: settingsLockedOnceOpen,
  evaluationConfirmation,
  evaluationStarted: reasonInTheAuditLog,
  scoresheetConfirmation,
  lastScoresheetPending: earlyCloseOfScoringNeedsReason,
  closeScoringConfirmation,
  closingConfirmation,
  closed: everythingLockedOnceClosed,
};
