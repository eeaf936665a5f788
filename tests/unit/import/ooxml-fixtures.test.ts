import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WorkbookGrid } from '#app/import/import-types.server';
import { parseInWorker } from '#app/import/parse-in-worker.server';
import { guardUpload, resolveUploadLimits } from '#app/import/upload-guard.server';

// The committed reader fixtures (fixtures/questionnaire-import/reader/, rebuilt by its build.sh), each parsed in the
// real worker as an upload is: written by openpyxl with cell comments, by exceljs and re-saved by LibreOffice (xlsx and
// CSV), and the openpyxl file rewritten as strict Open XML.

const dir = fileURLToPath(new URL('../../../fixtures/questionnaire-import/reader/', import.meta.url));

async function parse(file: string): Promise<WorkbookGrid> {
  const bytes = new Uint8Array(readFileSync(`${dir}${file}`));
  const uploadLimits = resolveUploadLimits();
  const guarded = guardUpload(bytes, file, uploadLimits);
  return parseInWorker({
    kind: guarded.kind,
    bytes,
    entries: guarded.kind === 'xlsx' ? guarded.entries : undefined,
    fileName: file,
    sheetName: file.replace(/\.[^.]+$/, ''),
    fullSheet: null,
    headRows: 0,
    uploadLimits,
  });
}

const OPENPYXL_QUESTIONNAIRE = {
  name: 'Questionnaire',
  hidden: false,
  rowCount: 8,
  columnCount: 5,
  complete: true,
  rows: [
    { row: 1, cells: ['Vendor security questionnaire'], spans: [[1, 5]] },
    { row: 2, cells: ['ID', 'Question', 'Answer', 'Score (1-5)', 'Notes'] },
    { row: 3, cells: ['Access management'], spans: [[1, 5]] },
    { row: 4, cells: ['AM-1', 'Do staff sign in with multi-factor authentication?'], outline: 1 },
    { row: 5, cells: ['AM-2', 'Are administrator accounts reviewed every quarter?'], outline: 1 },
    { row: 6, cells: ['Data protection'], spans: [[1, 5]] },
    { row: 7, cells: ['DP-1', 'Is customer data encrypted at rest?'], outline: 1 },
    { row: 8, cells: ['DP-2', 'Describe how long prompts and outputs are retained.'], outline: 2 },
  ],
  validations: [
    // 'Answer lists'!$A$1:$A$3 on the hidden sheet.
    { kind: 'list', ranges: [{ top: 4, left: 3, bottom: 5, right: 3 }], options: ['Yes', 'No', 'N/A'] },
    { kind: 'list', ranges: [{ top: 7, left: 3, bottom: 7, right: 3 }], options: ['Yes', 'No', 'Partial', 'N/A'] },
    // D4:D1048576, clipped to the last used row.
    { kind: 'whole', ranges: [{ top: 4, left: 4, bottom: 8, right: 4 }], options: [], min: 1, max: 5 },
  ],
};

const OPENPYXL_LISTS = {
  name: 'Answer lists',
  hidden: true,
  rowCount: 3,
  columnCount: 1,
  complete: true,
  rows: [
    { row: 1, cells: ['Yes'] },
    { row: 2, cells: ['No'] },
    { row: 3, cells: ['N/A'] },
  ],
  validations: [],
};

describe('reader fixtures, parsed in the worker', () => {
  it('openpyxl with cell comments (absolute relationship targets): cells, merges, outline levels, validations', async () => {
    expect(await parse('openpyxl-comments.xlsx')).toEqual({ kind: 'xlsx', sheets: [OPENPYXL_QUESTIONNAIRE, OPENPYXL_LISTS], warnings: [] });
  });

  it('the same workbook as strict Open XML reads the same', async () => {
    expect(await parse('strict.xlsx')).toEqual({ kind: 'xlsx', sheets: [OPENPYXL_QUESTIONNAIRE, OPENPYXL_LISTS], warnings: [] });
  });

  const controlRows = [
    { row: 1, cells: ['Ref', 'Domain', 'Control question', 'Response', 'Maturity'] },
    // The domain is merged down B2:B4 and B5:B6, so every row of the block carries it.
    { row: 2, cells: ['GV-1', 'Governance', 'Is there a named owner for each AI system?'], outline: 1 },
    { row: 3, cells: ['GV-2', 'Governance', 'Are model changes approved before release?'], outline: 1 },
    { row: 4, cells: ['GV-3', 'Governance', 'Do you keep an inventory of training data sources?'], outline: 2 },
    { row: 5, cells: ['OP-1', 'Operations', 'Are incidents reported to the city within 24 hours?'], outline: 1 },
    { row: 6, cells: ['OP-2', 'Operations', 'Can the city export its data in an open format?'], outline: 1 },
  ];
  const controlValidations = [
    { kind: 'list', ranges: [{ top: 2, left: 4, bottom: 6, right: 4 }], options: ['Yes', 'No', 'Partial', 'N/A'] },
    { kind: 'whole', ranges: [{ top: 2, left: 5, bottom: 6, right: 5 }], options: [], min: 1, max: 5 },
  ];
  const listsSheet = {
    name: 'Lists',
    hidden: true,
    rowCount: 4,
    columnCount: 1,
    complete: true,
    rows: ['Yes', 'No', 'Partial', 'N/A'].map((v, i) => ({ row: i + 1, cells: [v] })),
    validations: [],
  };

  it.each(['exceljs-source.xlsx', 'libreoffice.xlsx'])('%s: merged domain filled down, outline levels, the list on the hidden sheet resolved', async (file) => {
    const grid = await parse(file);
    expect(grid.sheets).toEqual([{ name: 'Controls', hidden: false, rowCount: 6, columnCount: 5, complete: true, rows: controlRows, validations: controlValidations }, listsSheet]);
  });

  it('the CSV LibreOffice saved: the first sheet, merges gone', async () => {
    const grid = await parse('libreoffice.csv');
    expect(grid.kind).toBe('csv');
    expect(grid.sheets).toHaveLength(1);
    expect(grid.sheets[0]!.rows.map((r) => r.cells.slice(0, 3))).toEqual(
      controlRows.map((r) => (r.row === 3 || r.row === 4 || r.row === 6 ? [r.cells[0], '', r.cells[2]] : r.cells.slice(0, 3))),
    );
    expect(grid.sheets[0]!.validations).toEqual([]);
  });
});
