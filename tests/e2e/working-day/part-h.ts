/**
 * Part H of issue 12 in the working-day story: its checks, as a user does them, at the story points they belong to.
 * See context.ts for the state at each point; leave that state for the steps after.
 *
 * Item 10, results read well: before anyone scores, the officer's provisional results say "—" for what nobody scored
 * (never 0.00); once final, at 1280 px every ranking and matrix column is inside its frame and the last column's
 * drill-down opens inside the matrix and the window; a phone shows each vendor's total beside its name; the page
 * prints without navigation; a closed RFP's Overview shows the outcome. A vendor disqualified by a knock-out has no rank
 * ("—") and its price points are marked as not counted, on a 1280 px screen and on a phone.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PartHooks, WorkingDay } from './context';

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element is not displayed');
  return b;
}

function inside(inner: Box, outer: Box): boolean {
  const e = 0.5;
  return inner.x >= outer.x - e && inner.y >= outer.y - e && inner.x + inner.width <= outer.x + outer.width + e && inner.y + inner.height <= outer.y + outer.height + e;
}

/** Header cells of a scrolling table frame that lie outside it, and whether the frame scrolls sideways. */
async function clippedColumns(frame: Locator): Promise<{ clipped: string[]; scrolls: boolean }> {
  return frame.evaluate((wrap) => {
    const outer = wrap.getBoundingClientRect();
    const clipped = [...wrap.querySelectorAll('thead th')].flatMap((th) => {
      const r = th.getBoundingClientRect();
      return r.left < outer.left - 0.5 || r.right > outer.right + 0.5 ? [(th.textContent ?? '').trim()] : [];
    });
    return { clipped, scrolls: wrap.scrollWidth > wrap.clientWidth + 1 };
  });
}

async function rankingRow(page: Page, vendor: string): Promise<string[]> {
  const row = page.locator('.wb-ranking tbody tr', { has: page.getByRole('rowheader', { name: vendor, exact: true }) });
  return (await row.locator('td').allTextContents()).map((t) => t.trim());
}

/** A vendor's cell on one criterion's row of the comparison matrix (its columns are in ranking order). */
async function matrixCell(page: Page, criterionTitle: string, vendor: string): Promise<Locator> {
  const vendors = (await page.locator('.wb-matrix thead th.wb-matrix__vendor').allTextContents()).map((t) => t.trim());
  const column = vendors.findIndex((v) => v.startsWith(vendor));
  expect(column, `${vendor} in ${vendors.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const row = page.locator('.wb-matrix tbody tr', { has: page.getByRole('rowheader', { name: new RegExp(criterionTitle) }) });
  return row.locator('td + td').nth(column);
}

/**
 * OmniSight failed the knock-out (every evaluator's vote): it has no rank and its price points, computed against the
 * lowest qualified price, are struck through and said not to count; Civic Answers' are counted.
 */
async function disqualifiedNotCounted(ctx: WorkingDay, page: Page): Promise<void> {
  const { civic, omni } = ctx.vendors;
  const price = ctx.criteria.price.title;
  const omniRow = page.locator('.wb-ranking tbody tr', { has: page.getByRole('rowheader', { name: omni.name, exact: true }) });
  expect((await omniRow.locator('td[data-label="Rank"]').textContent())?.trim()).toBe('—');
  expect(await omniRow.locator('td[data-label="Rank"]').isVisible()).toBe(true);
  const omniPrice = await matrixCell(page, price, omni.name);
  expect(await omniPrice.textContent()).toBe('$390,000.0030.00 pts not counted (disqualified)');
  expect(await omniPrice.locator('s').textContent()).toBe('30.00 pts');
  expect(await omniPrice.getByText('not counted (disqualified)').isVisible()).toBe(true);
  const civicPrice = await matrixCell(page, price, civic.name);
  expect(await civicPrice.textContent()).toBe('$480,000.0030.00 pts');
  expect(await civicPrice.locator('s').count()).toBe(0);
  expect((await page.locator('.wb-matrix thead th.wb-matrix__vendor').allTextContents()).map((t) => t.trim())).toEqual([`${civic.name}Rank 1`, `${omni.name}Disqualified`]);
}

/** Evaluation started, both evaluators attested, nothing scored: the lead's provisional results. */
async function nothingScoredYet(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/results`);
  await expect.poll(() => page.getByText('Not final: these results are provisional').count()).toBe(1);
  // Columns: rank, Responsible AI, Price, total, status. Nobody scored Responsible AI: "—", not 0.00; the price counts.
  const civic = await rankingRow(page, ctx.vendors.civic.name);
  const omni = await rankingRow(page, ctx.vendors.omni.name);
  expect(civic[1]).toBe('—');
  expect(omni[1]).toBe('—');
  expect(civic[2]).toBe('24.38');
  expect(omni[2]).toBe('30.00');
  expect(await page.locator('.wb-ranking td', { hasText: /^0\.00$/ }).count()).toBe(0);
  // The matrix says "—" (read as "not scored") on each criterion nobody scored.
  const bias = page.locator('.wb-matrix tbody tr', { has: page.getByRole('rowheader', { name: new RegExp(ctx.criteria.bias.title) }) });
  expect((await bias.locator('td + td b').allTextContents()).map((t) => t.trim())).toEqual(['—', '—']);
  expect(await bias.locator('td + td').first().textContent()).toContain('not scored');
  await check('wd-h-provisional-results');
}

/** Results final (consensus): the officer reads them on a 1280 px screen, a phone, and on paper. */
async function resultsOnEveryScreen(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}/results`);
  await expect.poll(() => page.getByText('Complete:').count()).toBe(1);
  // OmniSight is out, so the lowest qualified price is Civic Answers' own: all 30 price points.
  expect(await rankingRow(page, ctx.vendors.civic.name)).toEqual(['1', '60.00', '30.00', '90.00', 'Qualified']);
  expect(await rankingRow(page, ctx.vendors.omni.name)).toEqual([
    '—',
    '42.00',
    '30.00',
    '72.00',
    `Disqualified: Failed knock-out “${ctx.criteria.knockout.title}” (all 2 evaluators).`,
  ]);

  await page.setViewportSize({ width: 1280, height: 900 });
  const ranking = page.locator('.wb-table-wrap:has(> .wb-ranking)');
  const matrix = page.locator('.wb-matrix-wrap');
  expect(await clippedColumns(ranking)).toEqual({ clipped: [], scrolls: false });
  expect(await clippedColumns(matrix)).toEqual({ clipped: [], scrolls: false });
  await disqualifiedNotCounted(ctx, page);
  await check('wd-h-results-disqualified-1280');
  // The last column's drill-down on the last criterion the panel scored, the knock-out (price points are computed, not
  // scored, so the price row has none): it loads when opened, then sits inside the matrix and the window.
  const cell = page.locator('.wb-matrix tbody tr:has(td details) td:last-child').last();
  await cell.locator('summary').click();
  const popover = cell.locator('.wb-drill__body');
  await expect.poll(() => popover.isVisible()).toBe(true);
  await expect.poll(() => popover.getAttribute('aria-busy')).toBe('false');
  expect(await popover.textContent()).toContain(`${ctx.names.evan}: Fail`);
  const p = await box(popover);
  expect(inside(p, await box(matrix))).toBe(true);
  expect(inside(p, { x: 0, y: 0, width: 1280, height: 900 })).toBe(true);
  await check('wd-h-results-drill-down-1280');
  await page.keyboard.press('Escape');
  expect(await page.locator('.wb-matrix details[open]').count()).toBe(0);

  // A phone: each vendor's total on the line of its name.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const vendor of [ctx.vendors.civic, ctx.vendors.omni]) {
    const row = page.locator('.wb-ranking tbody tr', { has: page.getByRole('rowheader', { name: vendor.name, exact: true }) });
    const name = await box(row.locator('th'));
    const total = await box(row.locator('td.wb-ranking__total'));
    expect(Math.abs(total.y - name.y), vendor.name).toBeLessThan(6);
    expect(total.x, vendor.name).toBeGreaterThanOrEqual(name.x + name.width - 0.5);
    expect(total.x + total.width, vendor.name).toBeLessThanOrEqual(390);
  }
  await disqualifiedNotCounted(ctx, page);
  await check('wd-h-results-390');

  // On paper: no navigation, tabs or buttons; the figures stay.
  await page.setViewportSize({ width: 979, height: 700 });
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('header.wb-header').isVisible()).toBe(false);
  expect(await page.getByRole('link', { name: 'Excel scorecard (.xlsx)' }).isVisible()).toBe(false);
  expect(await page.getByRole('heading', { name: 'Comparison matrix' }).isVisible()).toBe(true);
  expect(await clippedColumns(matrix)).toEqual({ clipped: [], scrolls: false });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The RFP is closed: its Overview says how it ended, to the officer and to the leader. */
async function outcomeOnOverview(ctx: WorkingDay): Promise<void> {
  const { page, check } = ctx.session('officer');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  const outcome = page.getByRole('region', { name: 'Outcome' });
  await expect.poll(() => outcome.count()).toBe(1);
  expect(await outcome.textContent()).toContain(`Recommended vendor: ${ctx.vendors.civic.name}, with 90.00 of 100.00 points.`);
  expect(await outcome.textContent()).toContain(`${ctx.vendors.civic.name} is the only qualified vendor.`);
  expect(await outcome.getByRole('listitem').allTextContents()).toEqual([`${ctx.vendors.civic.name} — 90.00 of 100.00 points`]);
  expect(await outcome.textContent()).toContain(`${ctx.vendors.omni.name} is disqualified: Failed knock-out “${ctx.criteria.knockout.title}” (all 2 evaluators).`);
  expect(await outcome.textContent()).toContain(`by ${ctx.names.officer}`);
  await check('wd-h-closed-outcome');
  await outcome.getByRole('link', { name: 'Full results and comparison matrix' }).click();
  await page.waitForURL('**/results');
  await page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);

  const leader = ctx.sessions.leader ?? (await ctx.signInAs('leader'));
  await leader.page.goto(`${ctx.baseUrl}${ctx.rfp.path}`);
  await expect.poll(() => leader.page.getByRole('region', { name: 'Outcome' }).count()).toBe(1);
  expect(await leader.page.getByRole('region', { name: 'Outcome' }).textContent()).toContain(`Recommended vendor: ${ctx.vendors.civic.name}`);
  await leader.check('wd-h-closed-outcome-leader');
}

export const hooks: PartHooks = {
  attested: nothingScoredYet,
  resultsReady: resultsOnEveryScreen,
  closed: outcomeOnOverview,
};
