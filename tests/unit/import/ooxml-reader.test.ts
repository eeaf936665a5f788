import { describe, expect, it } from 'vitest';
import { readWorkbookGrid } from '#app/import/ooxml/workbook.mjs';
import { parseRange, parseRangeFormula, parseSqref } from '#app/import/ooxml/references.mjs';
import { normaliseRelationships, resolveTarget } from '#app/import/ooxml/package.mjs';
import { isDateFormat } from '#app/import/ooxml/cell-text.mjs';
import { scanXml, XmlError } from '#app/import/ooxml/xml.mjs';
import { guardUpload, resolveUploadLimits } from '#app/import/upload-guard.server';
import { buildHandmadeWorkbook, handmadeParts, toStrictOoxml } from '#fixtures/questionnaire-import/handmade';
import { buildZip } from '#fixtures/questionnaire-import/zip';

const LIMITS = { maxUncompressedBytes: 100 * 1024 * 1024, maxRows: 10_000, maxColumns: 256, maxCells: 1_000_000 };

function read(bytes: Uint8Array, limits: Partial<typeof LIMITS> = {}) {
  const guarded = guardUpload(bytes, 'test.xlsx', resolveUploadLimits());
  if (guarded.kind !== 'xlsx') throw new Error('not an xlsx');
  return readWorkbookGrid(bytes, guarded.entries, { ...LIMITS, ...limits });
}

function refusal(run: () => unknown): { code: string; detail: string } {
  try {
    run();
  } catch (error) {
    const e = error as { code?: string; detail?: string };
    if (e.code) return { code: e.code, detail: e.detail ?? '' };
    throw error;
  }
  throw new Error('expected a refusal');
}

const EXPECTED_QUESTIONS_ROWS = [
  { row: 1, cells: ['Ref', 'Question', 'Answer', 'Score 1–5', 'Notes'] },
  // A merge across the row: its other cells are blank (even the value a writer left in C2) and it is one span.
  { row: 2, cells: ['Governance'], spans: [[1, 5]], outline: 1 },
  // Phonetic guides are not text; a formula gives its cached result.
  { row: 3, cells: ['GOV-1', 'Is there an owner?', '', '3', 'xy'], outline: 2 },
  // Inline rich text; a shared formula's cached value; a built-in date format.
  { row: 4, cells: ['GOV-2', 'Do you log?', '', '2', '2026-01-01'], outline: 2 },
  { row: 5, cells: ['GOV-3', 'Time?', '', '2', '2026-01-01 12:00'], outline: 1 },
  // Entities and character references; a boolean; an error cell read as empty; "0.0 \"days\"" is not a date format.
  { row: 6, cells: ['SEC-1', 'Text & more ☺ A', 'TRUE', '', '12.5'] },
  // A vertical merge fills down (over the stale value a writer left in A7); an ISO date cell.
  { row: 7, cells: ['SEC-1', 'Another', '', '', '2026-02-03'] },
  // Row and cells without r attributes follow the previous ones.
  { row: 9, cells: ['SEC-2', 'Last'] },
];

describe('readWorkbookGrid on a hand-written package (absolute targets, comments, every cell type)', () => {
  const grid = read(buildHandmadeWorkbook());

  it('reads every sheet whole, in workbook order, with its hidden state', () => {
    expect(grid.kind).toBe('xlsx');
    expect(grid.sheets.map((s) => [s.name, s.hidden, s.rowCount, s.columnCount, s.complete])).toEqual([
      ['Questions', false, 9, 5, true],
      ['Answer lists', true, 4, 2, true],
      ['Secret', true, 1, 1, true],
    ]);
  });

  it('gives each cell the text a person sees, merges and outline levels applied', () => {
    expect(grid.sheets[0]!.rows).toEqual(EXPECTED_QUESTIONS_ROWS);
  });

  it('counts formulas without a saved value and error cells for the warnings', () => {
    expect(grid.warnings).toEqual([
      '1 formula cell(s) have no saved value and are read as empty (D7). Formulas are never calculated here: open the file in Excel, save it, and upload it again to keep their values.',
      '1 cell(s) hold an Excel error such as #REF! or #N/A and are read as empty (D6).',
    ]);
  });

  it('reads list and number validations in both forms, clipped to the used rows, with their options resolved', () => {
    expect(grid.sheets[0]!.validations).toEqual([
      // Inline list over two ranges.
      {
        kind: 'list',
        ranges: [
          { top: 3, left: 3, bottom: 4, right: 3 },
          { top: 6, left: 3, bottom: 6, right: 3 },
        ],
        options: ['Yes', 'No', 'N/A'],
      },
      // D2:D1048576 stops at the last used row.
      { kind: 'whole', ranges: [{ top: 2, left: 4, bottom: 9, right: 4 }], options: [], min: 1, max: 5 },
      // A whole column right of every filled cell (where answers go), through a defined name to a hidden sheet.
      { kind: 'list', ranges: [{ top: 1, left: 6, bottom: 9, right: 6 }], options: ['Yes', 'No', 'Partial', 'N/A'] },
      // A whole row stops at the last used column.
      { kind: 'decimal', ranges: [{ top: 1, left: 1, bottom: 1, right: 5 }], options: [], min: 0, max: null },
      // The x14 form inside <extLst> (a quoted sheet name, $ signs), C9:C20 clipped to C9.
      {
        kind: 'list',
        ranges: [
          { top: 7, left: 3, bottom: 7, right: 3 },
          { top: 9, left: 3, bottom: 9, right: 3 },
        ],
        options: ['Low', 'Medium', 'High'],
      },
    ]);
    expect(grid.sheets[1]!.validations).toEqual([]);
  });

  it('reads the same package rewritten as strict Open XML', () => {
    const strict = read(toStrictOoxml(buildHandmadeWorkbook()));
    expect(strict).toEqual(grid);
  });
});

describe('lists that cannot be resolved say why', () => {
  const withValidation = (formula: string, sqref = 'C2:C3') =>
    read(
      buildZip(
        handmadeParts().map((part) =>
          part.name === 'xl/worksheets/sheet1.xml'
            ? {
                ...part,
                data: String(part.data)
                  .replace(/<extLst>.*<\/extLst>/s, '')
                  .replace(/<dataValidations[\s\S]*<\/dataValidations>/, `<dataValidations count="1"><dataValidation type="list" sqref="${sqref}"><formula1>${formula}</formula1></dataValidation></dataValidations>`),
              }
            : part,
        ),
      ),
    ).sheets[0]!.validations;

  it.each([
    ['Nowhere!$A$1:$A$3', 'The list points to a sheet “Nowhere” that is not in the workbook.'],
    ['NoSuchName', 'The list refers to a name “NoSuchName” that the workbook does not define.'],
    ['INDIRECT(&quot;Answer lists!A1:A4&quot;)', 'The list comes from a formula (INDIRECT("Answer lists!A1:A4")), which is not calculated here.'],
    ['$H$1:$H$4', 'The list’s cells (Questions!H1:H4) are empty.'],
  ])('%s', (formula, note) => {
    expect(withValidation(formula)).toEqual([{ kind: 'list', ranges: [{ top: 2, left: 3, bottom: 3, right: 3 }], options: [], note }]);
  });

  it('a list on the same sheet, and validations wholly below the used rows are left out', () => {
    expect(withValidation('$A$3:$A$5')[0]!.options).toEqual(['GOV-1', 'GOV-2', 'GOV-3']);
    expect(withValidation('"Yes,No"', 'C10:C1048576 XFD1')).toEqual([]);
  });
});

describe('refusals', () => {
  it('a sheet part that is not well-formed XML is unreadable, naming the part', () => {
    const bytes = buildZip(
      handmadeParts().map((p) => (p.name === 'xl/worksheets/sheet2.xml' ? { ...p, data: String(p.data).replace('</row><row r="2">', '<row r="2">') } : p)),
    );
    const r = refusal(() => read(bytes));
    expect(r.code).toBe('unreadable');
    expect(r.detail).toMatch(/^the part xl\/worksheets\/sheet2\.xml is not well-formed XML: /);
  });

  it('a sheet whose part is missing is unreadable, naming the sheet', () => {
    const bytes = buildZip(handmadeParts().filter((p) => p.name !== 'xl/worksheets/sheet3.xml'));
    expect(refusal(() => read(bytes))).toEqual({ code: 'unreadable', detail: 'the sheet “Secret” is listed in the workbook but its part xl/worksheets/sheet3.xml is missing' });
  });

  it('the row, column and cell limits hold', () => {
    expect(refusal(() => read(buildHandmadeWorkbook(), { maxRows: 7 })).code).toBe('too_many_rows');
    expect(refusal(() => read(buildHandmadeWorkbook(), { maxCells: 20 })).code).toBe('too_many_cells');
    const narrow = read(buildHandmadeWorkbook(), { maxColumns: 2 });
    expect(narrow.sheets[0]!.rows[0]!.cells).toEqual(['Ref', 'Question']);
    expect(narrow.warnings).toContain('Only the first 2 columns of each sheet are read.');
  });

  it('a DTD is refused rather than expanded', () => {
    expect(() => scanXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', { open() {}, close() {} })).toThrow(XmlError);
  });
});

describe('references', () => {
  it.each([
    ['B3', { top: 3, left: 2, bottom: 3, right: 2 }],
    ['$A$1:$C$9', { top: 1, left: 1, bottom: 9, right: 3 }],
    ['A:A', { top: 1, left: 1, bottom: 1_048_576, right: 1 }],
    ['C2:C1048576', { top: 2, left: 3, bottom: 1_048_576, right: 3 }],
    ['1:1', { top: 1, left: 1, bottom: 1, right: 16_384 }],
    ['B9:A1', { top: 1, left: 1, bottom: 9, right: 2 }],
  ])('parseRange(%s)', (text, range) => {
    expect(parseRange(text)).toEqual(range);
  });

  it('rejects what is not a range, and reads sheet-qualified range formulas', () => {
    expect([parseRange('A'), parseRange('A1:B'), parseRange('A0'), parseRange('XFE1')]).toEqual([null, null, null, null]);
    expect(parseSqref('A1 C2:C3  XYZ')).toEqual([
      { top: 1, left: 1, bottom: 1, right: 1 },
      { top: 2, left: 3, bottom: 3, right: 3 },
    ]);
    expect(parseRangeFormula("='It''s lists'!$A$1:$A$3")).toEqual({ sheet: "It's lists", range: { top: 1, left: 1, bottom: 3, right: 1 } });
    expect(parseRangeFormula('Lists!$B:$B')).toEqual({ sheet: 'Lists', range: { top: 1, left: 2, bottom: 1_048_576, right: 2 } });
    expect(parseRangeFormula('SUM(A1:A3)')).toBeNull();
  });
});

describe('package paths', () => {
  it('resolves relative and absolute relationship targets', () => {
    expect(resolveTarget('xl/workbook.xml', 'worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/workbook.xml', '/xl/worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/worksheets/sheet1.xml', '../comments/comment1.xml')).toBe('xl/comments/comment1.xml');
    expect(resolveTarget('', 'xl/workbook.xml')).toBe('xl/workbook.xml');
    expect(resolveTarget('xl/workbook.xml', '../../outside.xml')).toBeNull();
  });

  it('rewrites absolute targets as relative ones and leaves external ones alone', () => {
    const xml =
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="c" Type="t/comments" Target="/xl/comments/comment1.xml"/>' +
      "<Relationship Id='h' Type='t/hyperlink' Target='/web' TargetMode='External'/>" +
      '<Relationship Id="d" Type="t/drawing" Target="../drawings/drawing1.xml"/></Relationships>';
    expect(normaliseRelationships('xl/worksheets/_rels/sheet1.xml.rels', xml)).toBe(
      xml.replace('/xl/comments/comment1.xml', '../comments/comment1.xml'),
    );
    expect(normaliseRelationships('_rels/.rels', '<Relationships><Relationship Id="r" Type="t" Target="/xl/workbook.xml"/></Relationships>')).toBe(
      '<Relationships><Relationship Id="r" Type="t" Target="xl/workbook.xml"/></Relationships>',
    );
    expect(normaliseRelationships('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Target="worksheets/sheet1.xml"/></Relationships>')).toBeNull();
    // For exceljs: the comments and their VML shapes are dropped (no importer reads them), whichever way they are written.
    expect(normaliseRelationships('xl/worksheets/_rels/sheet1.xml.rels', xml.replace('/>', '></Relationship>'), new Set(['comments', 'vmlDrawing']))).toBe(
      xml.replace('<Relationship Id="c" Type="t/comments" Target="/xl/comments/comment1.xml"/>', ''),
    );
  });
});

describe('date formats', () => {
  it.each([
    [14, undefined, true],
    [22, undefined, true],
    [0, undefined, false],
    [164, 'yyyy-mm-dd', true],
    [165, '[h]:mm:ss', true],
    [166, '0.0 "days"', false],
    [167, '[Red]#,##0', false],
    [168, '#,##0\\ \\m', false],
  ])('numFmt %i %s → %s', (id, code, expected) => {
    expect(isDateFormat(id, code)).toBe(expected);
  });
});
