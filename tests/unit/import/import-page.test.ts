/**
 * The import page's plan form and view model, without a server: what the officer's posted choices become, and what
 * the page shows of a long preview (counts whole, lists paged).
 */
import { describe, expect, it } from 'vitest';
import type { GridRow, ImportMapping, SheetGrid, WorkbookGrid } from '#app/import/import-types.server';
import type { PreviewResult } from '#app/import/questionnaire-import.server';
import { param } from '#app/import/import-page-fields';
import { parseShare, planFromForm, type ProposeSheet, splitTypedOptions } from '#app/import/import-page-plan.server';
import { columnChoices, pageOf, previewView, sheetChoices, viewParams } from '#app/import/import-page-view.server';

const rows = (...lines: string[][]): GridRow[] => lines.map((cells, i) => ({ row: i + 1, cells }));

function sheet(name: string, lines: GridRow[], hidden = false): SheetGrid {
  return { name, rows: lines, hidden, complete: true, validations: [], rowCount: lines.length, columnCount: Math.max(0, ...lines.map((r) => r.cells.length)) };
}

const grid: WorkbookGrid = {
  kind: 'xlsx',
  warnings: [],
  sheets: [
    sheet('Cover', rows(['Read me'])),
    sheet('Governance', rows(['Vendor questionnaire'], [], ['ID', 'Question', 'Type'], ['GOV-1', 'Do you govern?', 'YNA'])),
    sheet('Data', rows(['Ref', 'Question', 'Guidance'], ['DAT-1', 'Where is data stored?', 'Name the region'])),
  ],
};

/** A stand-in for the mapping proposal that records what it was asked, so the tests see when the page re-proposes. */
function recordingProposer() {
  const calls: Array<{ sheet: string; headerRow?: number; orientation?: string }> = [];
  const propose: ProposeSheet = (s, options) => {
    calls.push({ sheet: s.name, ...options });
    const headerRow = options.headerRow ?? (s.name === 'Governance' ? 3 : 1);
    return {
      mapping: { sheet: s.name, headerRow, columns: { key: 1, question: 2 }, orientation: options.orientation ?? 'rows' },
      score: 1,
      headers: [],
      sampleRows: [],
      warnings: [],
      columnCount: 3,
    };
  };
  return { calls, propose };
}

const form = (fields: Array<[string, string]>) => new URLSearchParams(fields);

/** The fields the page renders for a sheet whose mapping is `mapping`, at workbook place `i`. */
function shownFields(i: number, mapping: ImportMapping): Array<[string, string]> {
  return [
    [param.sheet, String(i)],
    [param.proposedFor(i), `${mapping.orientation ?? 'rows'}:${mapping.headerRow}`],
    [param.headerRow(i), String(mapping.headerRow)],
    [param.layout(i), mapping.orientation ?? 'rows'],
    ...Object.entries(mapping.columns).map(([f, c]) => [param.column(i, f as 'key'), String(c)] as [string, string]),
  ];
}

describe('planFromForm', () => {
  it('keeps the columns the officer chose when the header row is the one they were proposed for', () => {
    const { calls, propose } = recordingProposer();
    const read = planFromForm(
      form([...shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2, answerType: 3 } }), [param.sections(1), 'sheet']]),
      grid,
      propose,
    );
    expect(read.problems).toEqual([]);
    expect(calls).toEqual([]);
    expect(read.plan!.sheets).toEqual([
      { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2, answerType: 3 }, orientation: 'rows', sheetIsSection: true },
    ]);
  });

  it('proposes again, for the new header row, when the officer changed it — nothing of the old columns is kept', () => {
    const { calls, propose } = recordingProposer();
    const fields = shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2, answerType: 3 } }).map(([k, v]): [string, string] =>
      k === param.headerRow(1) ? [k, '1'] : [k, v],
    );
    const read = planFromForm(form(fields), grid, propose);
    expect(calls).toEqual([{ sheet: 'Governance', headerRow: 1, orientation: 'rows' }]);
    expect(read.plan!.sheets[0]).toEqual({ sheet: 'Governance', headerRow: 1, columns: { key: 1, question: 2 }, orientation: 'rows' });
    expect(read.reproposed).toEqual([1]);
  });

  it('gives a newly ticked sheet its own proposal and imports the sheets in the workbook’s order', () => {
    const { calls, propose } = recordingProposer();
    const read = planFromForm(
      form([[param.sheet, '2'], ...shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2 } })]),
      grid,
      propose,
    );
    expect(calls).toEqual([{ sheet: 'Data' }]);
    expect(read.plan!.sheets.map((s) => s.sheet)).toEqual(['Governance', 'Data']);
    expect(read.reproposed).toEqual([2]);
  });

  it('reads the structure options, the code and share tables and the collision choice', () => {
    const { propose } = recordingProposer();
    const read = planFromForm(
      form([
        ...shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2 } }),
        [param.depth(1), 'c3'],
        [param.sectionDepth(1), '1'],
        [param.onlyDepth(1), '2'],
        [param.filterColumn(1), '3'],
        [param.filterValue(1), ' x '],
        [param.code(0), ' YNA '],
        [param.codeType(0), 'choice'],
        [param.codeOptions(0), 'Yes; No ;; N/A; yes'],
        [param.code(1), 'TXT'],
        [param.codeType(1), 'text'],
        [param.codeOptions(1), 'ignored for text'],
        [param.shareLabel(0), 'Partial'],
        [param.share(0), '0.25'],
        [param.shareLabel(1), 'N/A'],
        [param.share(1), ''],
        [param.collision, 'new_keys'],
      ]),
      grid,
      propose,
    );
    expect(read.problems).toEqual([]);
    expect(read.plan).toEqual({
      sheets: [
        {
          sheet: 'Governance',
          headerRow: 3,
          columns: { key: 1, question: 2 },
          orientation: 'rows',
          depth: { source: 'column', column: 3 },
          sectionDepth: 1,
          onlyDepth: 2,
          filter: { column: 3, value: 'x' },
        },
      ],
      answerTypeCodes: { yna: { type: 'choice', options: ['Yes', 'No', 'N/A'] }, txt: { type: 'text', options: [] } },
      optionShares: { partial: 0.25, 'n/a': null },
      onCollision: 'new_keys',
    });
  });

  it('stores only the table rows the officer changed, and keeps what an earlier update stored', () => {
    const { propose } = recordingProposer();
    const base = shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2 } });
    const table: Array<[string, string]> = [
      [param.code(0), 'ENC'],
      [param.codeType(0), 'text'],
      [param.codeOptions(0), ''],
      [param.codeWas(0), 'text|'],
      [param.code(1), 'YNA'],
      [param.codeType(1), 'choice'],
      [param.codeOptions(1), 'Yes; No; N/A'],
      [param.codeWas(1), 'choice|Yes; No; N/A'],
      [param.shareLabel(0), 'Yes'],
      [param.share(0), '1'],
      [param.shareWas(0), '1'],
    ];
    // Everything as shown: the file's own reading stands (an unknown code stays unknown).
    expect(planFromForm(form([...base, ...table]), grid, propose).plan).not.toHaveProperty('answerTypeCodes');
    expect(planFromForm(form([...base, ...table]), grid, propose).plan).not.toHaveProperty('optionShares');
    // ENC changed to yes/no: only that row is stored.
    const changed = table.map(([k, v]): [string, string] => (k === param.codeType(0) ? [k, 'yes_no'] : [k, v]));
    const first = planFromForm(form([...base, ...changed]), grid, propose).plan!;
    expect(first.answerTypeCodes).toEqual({ enc: { type: 'yes_no', options: [] } });
    // The next update shows ENC as yes/no and sends it back unchanged: the officer's choice is kept.
    const next = changed.map(([k, v]): [string, string] => (k === param.codeWas(0) ? [k, 'yes_no|'] : [k, v]));
    expect(planFromForm(form([...base, ...next]), grid, propose, first).plan!.answerTypeCodes).toEqual({ enc: { type: 'yes_no', options: [] } });
  });

  it('refuses, saying what to fix, a share outside 0–1, an unknown type, no sheet, or half a filter', () => {
    const { propose } = recordingProposer();
    const base = shownFields(1, { sheet: 'Governance', headerRow: 3, columns: { key: 1, question: 2 } });
    const shares = planFromForm(form([...base, [param.shareLabel(0), 'Yes'], [param.share(0), '2']]), grid, propose);
    expect(shares.plan).toBeNull();
    expect(shares.problems).toEqual([
      'The share for “Yes” is “2”: give a number from 0 to 1 (such as 0.5), or leave it empty when choosing it should suggest no score.',
    ]);
    const type = planFromForm(form([...base, [param.code(0), 'YN'], [param.codeType(0), 'boolean']]), grid, propose);
    expect(type.problems).toEqual(['Choose an answer type for the code “YN”.']);
    expect(planFromForm(form([[param.sheet, '9']]), grid, propose).problems).toEqual(['Tick at least one sheet to import.']);
    expect(planFromForm(form([...base, [param.filterColumn(1), '3']]), grid, propose).problems).toEqual([
      '“Keep only rows where” on “Governance” needs the value to keep (for example x or Yes).',
    ]);
  });
});

describe('typed values', () => {
  it('reads shares as numbers from 0 to 1, percentages, or empty for not auto-scored', () => {
    expect([
      parseShare('1'),
      parseShare('0.5'),
      parseShare('.5'),
      parseShare('50%'),
      parseShare(''),
      parseShare('1.5'),
      parseShare('-1'),
      parseShare('half'),
    ]).toEqual([1, 0.5, 0.5, 0.5, null, undefined, undefined, undefined]);
  });
  it('splits options on semicolons and line breaks, without blanks or repeats', () => {
    expect(splitTypedOptions('Yes;No\nN/A; no ;')).toEqual(['Yes', 'No', 'N/A']);
  });
});

describe('the page’s view of the workbook', () => {
  it('lists the sheets with their rows, the proposed one first and marked', () => {
    const choices = sheetChoices(grid, [{ name: 'Governance' }, { name: 'Data' }, { name: 'Cover' }], ['Governance', 'Data']);
    expect(choices.map((c) => [c.name, c.rows, c.proposed, c.chosen])).toEqual([
      ['Governance', 4, true, true],
      ['Data', 2, false, true],
      ['Cover', 1, false, false],
    ]);
  });

  it('labels the columns from the chosen header row', () => {
    const governance = grid.sheets[1]!;
    expect(columnChoices(governance, { sheet: 'Governance', headerRow: 3, columns: {} }).map((c) => c.label)).toEqual([
      'Column A: ID',
      'Column B: Question',
      'Column C: Type',
    ]);
    expect(columnChoices(governance, { sheet: 'Governance', headerRow: 1, columns: {} }).map((c) => c.label)).toEqual([
      'Column A: Vendor questionnaire',
      'Column B (no label)',
      'Column C (no label)',
    ]);
  });
});

describe('previewView', () => {
  const questions = Array.from({ length: 1_500 }, (_, i) => ({
    sheet: 'Q',
    row: i + 2,
    key: `Q-${i + 1}`,
    text: `Question ${i + 1}?`,
    guidance: null,
    answerType: 'yes_no' as const,
    options: [
      { label: 'Yes', autoScore: 1 },
      { label: 'No', autoScore: 0 },
    ],
    required: false,
    references: [],
    typeSource: 'validation' as const,
    action: 'add' as const,
  }));
  const preview: PreviewResult = {
    sections: [
      { title: 'One', questions: questions.slice(0, 1_000) },
      { title: 'Two', questions: questions.slice(1_000) },
    ],
    skipped: [{ sheet: 'Q', row: 1_600, reason: 'no question text' }],
    rows: [
      { sheet: 'Q', row: 1, fate: 'header' },
      ...questions.map((q) => ({ sheet: 'Q', row: q.row, fate: 'question' as const, key: q.key })),
      { sheet: 'Q', row: 1_600, fate: 'skipped' as const, reason: 'no question text' },
    ],
    warnings: [],
    totalRows: 1_600,
    blankRows: 99,
    orientation: 'rows',
    answerTypeCodes: [],
    optionShares: [
      { label: 'Yes', count: 1_500, share: 1 },
      { label: 'No', count: 1_500, share: 0 },
    ],
    collisions: [],
    fingerprint: 'f',
  };

  it('counts everything and lists one page at a time', () => {
    const view = previewView(preview, viewParams(new URLSearchParams('qpage=15&fate=skipped')), 1);
    expect(view.counts).toEqual({ questions: 1_500, sections: 2, rows: 1_600, headings: 0, skipped: 1, filtered: 0, blank: 99, updates: 0 });
    expect(view.tree).toEqual([
      { title: 'One', questions: 1_000 },
      { title: 'Two', questions: 500 },
    ]);
    expect(view.questions.page).toEqual({ page: 15, pages: 15, total: 1_500, from: 1_401, to: 1_500 });
    expect(view.questions.items[0]).toMatchObject({
      key: 'Q-1401',
      section: 'Two',
      type: 'Yes / No',
      typeSource: 'a dropdown in the workbook',
      options: [
        { label: 'Yes', share: '1' },
        { label: 'No', share: '0' },
      ],
    });
    expect(view.rows.counts).toEqual({ all: 1_501, problems: 1, question: 1_500, section: 0, skipped: 1, filtered: 0 });
    expect(view.rows.items).toEqual([{ sheet: 'Q', row: 1_600, fate: 'skipped', fateLabel: 'Skipped', detail: 'no question text' }]);
    expect(view.shares).toEqual([
      { label: 'Yes', count: 1_500, share: '1' },
      { label: 'No', count: 1_500, share: '0' },
    ]);
  });

  it('shows the problems only: skipped rows and questions whose key is already in the RFP, not filtered rows or headings', () => {
    const withProblems: PreviewResult = {
      ...preview,
      rows: [
        { sheet: 'Q', row: 1, fate: 'header' },
        { sheet: 'Q', row: 2, fate: 'section', reason: 'section heading “Access”' },
        { sheet: 'Q', row: 3, fate: 'question', key: 'Q-1' },
        { sheet: 'Q', row: 4, fate: 'question', key: 'Q-2-2' },
        { sheet: 'Q', row: 5, fate: 'question', key: 'Q-3' },
        { sheet: 'Q', row: 6, fate: 'skipped', reason: 'no question text' },
        { sheet: 'Q', row: 7, fate: 'skipped', reason: 'key Q-4 is already in this RFP (“Old?”); choose to update those questions or to add them with new keys to import it' },
        { sheet: 'Q', row: 8, fate: 'filtered', reason: 'not kept: In scope is “No”, not “Yes”' },
      ],
      collisions: [
        { sheet: 'Q', row: 4, key: 'Q-2', existingId: 'a', existingText: 'Older?', outcome: 'renamed', newKey: 'Q-2-2' },
        { sheet: 'Q', row: 5, key: 'Q-3', existingId: 'b', existingText: 'Old wording?', outcome: 'updated' },
        { sheet: 'Q', row: 7, key: 'Q-4', existingId: 'c', existingText: 'Old?', outcome: 'skipped' },
      ],
    };
    const view = previewView(withProblems, viewParams(new URLSearchParams('fate=problems')), 1);
    expect(view.rows.fate).toBe('problems');
    expect(view.rows.counts).toEqual({ all: 7, problems: 4, question: 3, section: 1, skipped: 2, filtered: 1 });
    expect(view.rows.items.map((r) => [r.row, r.fateLabel, r.detail])).toEqual([
      [4, 'Question', 'Key Q-2-2: the file’s key Q-2 is already in this RFP, so it is added under this key'],
      [5, 'Question', 'Key Q-3: already in this RFP, so it updates that question'],
      [6, 'Skipped', 'no question text'],
      [7, 'Skipped', 'key Q-4 is already in this RFP (“Old?”); choose to update those questions or to add them with new keys to import it'],
    ]);
    // In the large preview, the one skipped row is the one problem.
    expect(previewView(preview, viewParams(new URLSearchParams('fate=problems')), 1).rows.items.map((r) => r.row)).toEqual([1_600]);
  });

  it('clamps a page past the end to the last page', () => {
    expect(pageOf(250, 100, 9)).toEqual({ page: 3, pages: 3, total: 250, from: 201, to: 250 });
    expect(pageOf(0, 100, 1)).toEqual({ page: 1, pages: 1, total: 0, from: 0, to: 0 });
  });
});
