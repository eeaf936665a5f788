import { describe, expect, it } from 'vitest';
import { buildImportPreview, buildImportPreviewInSlices } from '#app/import/preview.server';
import { rowsOf, sheetOf, workbook } from './preview-grid';

/**
 * Issue 11, item 7: the server builds a big preview in slices, so other people's requests are answered while it works,
 * and the slices add up to exactly the preview built in one go.
 */
describe('the preview built in slices', () => {
  const body: string[][] = [];
  for (let i = 1; i <= 3_000; i++) {
    if (i % 500 === 1) body.push([`Part ${Math.ceil(i / 500)}`]);
    body.push([`Q-${i}`, `Does the system meet requirement ${i}?`, i % 2 ? 'YNA' : 'TXT']);
  }
  const grid = workbook(sheetOf('Questions', rowsOf(['ID', 'Question', 'Answer type'], ...body)));
  const plan = { sheets: [{ sheet: 'Questions', headerRow: 1, columns: { key: 1, question: 2, answerType: 3 } }] };

  it('is the same preview as the one built in one go', async () => {
    const whole = buildImportPreview(grid, plan, [{ id: 'q1', key: 'q-7', text: 'Already there' }]);
    const sliced = await buildImportPreviewInSlices(grid, plan, [{ id: 'q1', key: 'q-7', text: 'Already there' }]);
    expect(sliced).toEqual(whole);
    // Q-7 is already in the RFP, so its row is skipped (the default for a collision).
    expect(sliced.sections.map((s) => s.questions.length)).toEqual([499, 500, 500, 500, 500, 500]);
  });

  it('lets other work run between its slices', async () => {
    let othersServed = 0;
    let building = true;
    const other = () => {
      if (!building) return;
      othersServed++;
      setImmediate(other);
    };
    setImmediate(other);
    await buildImportPreviewInSlices(grid, plan, []);
    building = false;
    // 3,006 lines in slices of 400: the event loop turned at least seven times while the preview was built.
    expect(othersServed).toBeGreaterThanOrEqual(7);
  });
});
