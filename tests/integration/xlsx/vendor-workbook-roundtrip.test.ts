import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadRejectedError } from '#app/import/upload-guard.server';
import { compareVendorAnswers, parseVendorWorkbook } from '#app/xlsx/vendor-response-import.server';
import { buildVendorWorkbook, type VendorWorkbookInput, type WorkbookSigning } from '#app/xlsx/vendor-workbook.server';
import { readZip } from '#fixtures/questionnaire-import/zip';
import { comparedQuestionnaire, loadSampleQuestionnaire, SAMPLE_RFP_ID } from '#fixtures/vendor-workbooks/sample';

// The vendor workbook's whole journey: exported here, read back by exceljs and by openpyxl (another implementation),
// filled by openpyxl, re-saved by LibreOffice (as a vendor without Excel would), parsed in the worker and compared.
// Needs libreoffice-calc and python3-openpyxl (tests/run.ts installs them).

const run = promisify(execFile);
const sample = loadSampleQuestionnaire();
const questionnaire = comparedQuestionnaire(sample);
const acme = { id: 'vendor-acme', key: 'acme', name: 'Acme AI, Inc.' };
/** Every workbook here is issued to Acme and signed, as the app does; `context` is the import on Acme's page. */
const signing: WorkbookSigning = { secret: 'round-trip-test-secret-round-trip-test', rfpId: SAMPLE_RFP_ID, vendor: acme };
const context = { vendor: acme, secret: signing.secret };
let dir: string;
let profile: string;
let python: string;
let exported: string;

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

function findPython(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('These tests need python3 with openpyxl: apt-get install python3-openpyxl');
}

/** LibreOffice headless with a profile of its own, so parallel runs never share (and lock) one. */
async function convert(file: string, format: 'xlsx' | 'pdf', outdir: string): Promise<string> {
  if (!soffice) throw new Error('These tests need LibreOffice Calc: apt-get install libreoffice-calc');
  await run(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', format, '--outdir', outdir, file], { timeout: 120_000 });
  const out = join(outdir, basename(file).replace(/\.xlsx$/, `.${format}`));
  if (!existsSync(out)) throw new Error(`LibreOffice did not write ${out}`);
  return out;
}

async function py<T>(script: string, ...args: string[]): Promise<T> {
  const { stdout } = await run(python, ['-c', script, ...args], { timeout: 60_000 });
  return JSON.parse(stdout) as T;
}

async function writeWorkbook(name: string, input: VendorWorkbookInput, overrides: Partial<WorkbookSigning> = {}): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, await buildVendorWorkbook(input, { ...signing, ...overrides }));
  return file;
}

/** exceljs keeps a sheet's protection on the worksheet but does not declare it in its types. */
const protection = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { sheetProtection: Record<string, unknown> | null }).sheetProtection;

const read = (file: string) => parseVendorWorkbook(new Uint8Array(readFileSync(file)), basename(file));

const INSPECT = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {'sheets': [[ws.title, ws.sheet_state] for ws in wb.worksheets],
       'subject': wb.properties.subject, 'keywords': wb.properties.keywords, 'sections': {}}
for ws in wb.worksheets[1:]:
    if ws.cell(1, 1).value != 'Key' or ws.title.startswith('_'):
        continue
    out['sections'][ws.title] = {
        'header': [c.value for c in ws[1]],
        'keyHidden': bool(ws.column_dimensions['A'].hidden),
        'protected': bool(ws.protection.sheet),
        'answerLocked': ws['G2'].protection.locked,
        'questionLocked': ws['C2'].protection.locked,
        'validations': sorted([dv.type, str(dv.sqref), dv.formula1] for dv in ws.data_validations.dataValidation),
        'printTitles': ws.print_title_rows,
        'orientation': ws.page_setup.orientation,
        'fitToWidth': ws.page_setup.fitToWidth,
    }
print(json.dumps(out))
`;

/** Fills answers by key (found by header text) and the vendor name (right of its label), as a vendor's tool would. */
const FILL = `
import json, sys, openpyxl
src, dst, answers, vendor = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
wb = openpyxl.load_workbook(src)
for ws in wb.worksheets:
    header = [c.value for c in ws[1]]
    if 'Key' not in header or 'Answer' not in header:
        continue
    key_col, answer_col = header.index('Key') + 1, header.index('Answer') + 1
    for r in range(2, ws.max_row + 1):
        key = ws.cell(r, key_col).value
        if key in answers:
            cell = ws.cell(r, answer_col)
            cell.value = answers[key]
            if isinstance(answers[key], str):
                cell.data_type = 's'
intro = wb['Instructions']
for row in intro.iter_rows():
    for cell in row:
        if cell.value == 'Vendor name':
            intro.cell(cell.row, cell.column + 1).value = vendor
wb.save(dst)
print(json.dumps({'ok': True}))
`;

const STRIP_PROPERTIES = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb.properties.keywords = None
wb.properties.subject = None
wb.save(sys.argv[2])
print(json.dumps({'ok': True}))
`;

/** Overwrites cells, as a vendor who unprotected a sheet would: [sheet, cell, value] triples. */
const EDIT_CELLS = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for sheet, cell, value in json.loads(sys.argv[3]):
    wb[sheet][cell].value = value
wb.save(sys.argv[2])
print(json.dumps({'ok': True}))
`;

const FILLED_ANSWERS: Record<string, string | number> = {
  'KO-01': 'no',
  'KO-02': 'United States only',
  'RAI-01': '=SUM(A1:A3) is how we count incidents\nand a second line',
  'RAI-02': 'NIST AI RMF 1.0; eu ai act, as applicable',
  'RAI-03': 'bias-evaluation-2025.pdf',
  'RAI-04': 'Quarterly',
  'RAI-05': 12.5,
  'PRC-01': '$1,240,000.00',
  'PRC-02': 'Partially',
  'INF-01': 250,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-workbook-'));
  profile = join(tmpdir(), `lo-${randomBytes(6).toString('hex')}`);
  python = findPython();
  exported = await writeWorkbook('DEMO-311-GENAI questionnaire.xlsx', sample);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('the exported workbook', () => {
  it('reads back with exceljs: sheets, locked and unlocked cells, dropdowns, hidden key column, properties, print setup', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported);
    expect(workbook.worksheets.map((s) => [s.name, s.state])).toEqual([
      ['Instructions', 'visible'],
      ['Knock-out requirements', 'visible'],
      ['Responsible AI governance', 'visible'],
      ['Price', 'visible'],
      ['Lists', 'hidden'],
      ['_meta', 'hidden'],
      ['_issued', 'hidden'],
    ]);
    expect(workbook.subject).toBe('DEMO-311-GENAI');
    expect(workbook.keywords).toBe('workbench-vendor-workbook-v1 rfp=DEMO-311-GENAI questionnaire-version=2');

    const intro = workbook.getWorksheet('Instructions')!;
    const facts = new Map<string, unknown>();
    intro.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('RFP reference')).toBe('DEMO-311-GENAI');
    expect(facts.get('Questionnaire version')).toBe(2);
    expect(facts.get('Proposals due')).toBe('Mar 16, 2026, 9:00 PM UTC');
    expect(facts.get('Department')).toBe('Department of Innovation & Technology');
    expect(facts.has('Vendor name')).toBe(true);

    const sheet = workbook.getWorksheet('Responsible AI governance')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Key', 'Criterion', 'Question', 'Guidance', 'Required', 'Answer type', 'Answer']);
    expect(sheet.getColumn(1).hidden).toBe(true);
    expect(sheet.getColumn(7).hidden).toBe(false);
    expect(protection(sheet)).toMatchObject({ sheet: true, formatColumns: true, formatRows: true });
    expect(sheet.getCell('A2').value).toBe('RAI-01');
    expect(sheet.getCell('C2').protection?.locked).not.toBe(false);
    expect(sheet.getCell('C2').alignment?.wrapText).toBe(true);
    expect(sheet.getCell('G2').protection).toMatchObject({ locked: false });
    // The question text that starts with "=" is text, not a formula.
    const question = sample.sections[1]!.criteria[0]!.questions[1]!;
    expect([sheet.getCell('C3').value, sheet.getCell('D3').value]).toEqual([question.text, question.guidance]);
    expect([sheet.getCell('C3').type, sheet.getCell('D3').type]).toEqual([ExcelJS.ValueType.String, ExcelJS.ValueType.String]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });

    const validations = (cell: string) => sheet.getCell(cell).dataValidation;
    expect(validations('G3')).toMatchObject({ type: 'textLength', showInputMessage: true });
    expect(validations('G3').prompt).toContain('NIST AI RMF 1.0; ISO/IEC 42001; EU AI Act, as applicable');
    expect(validations('G4')).toMatchObject({ type: 'textLength', prompt: 'Type the name of the attached file.' });
    // Long labels with commas: the list is on the hidden Lists sheet.
    expect(validations('G5')).toMatchObject({ type: 'list', formulae: ["'Lists'!$A$1:$A$5"] });
    expect(validations('G6')).toMatchObject({ type: 'decimal' });
    const knockOuts = workbook.getWorksheet('Knock-out requirements')!;
    expect(knockOuts.getCell('G2').dataValidation).toMatchObject({ type: 'list', formulae: ['"Yes,No"'] });
    expect(knockOuts.getCell('G3').dataValidation).toMatchObject({ type: 'list', formulae: ['"United States only,United States and Canada,Elsewhere"'] });
    const lists = workbook.getWorksheet('Lists')!;
    expect(lists.getColumn(1).values.slice(1)).toEqual(sample.sections[1]!.criteria[1]!.questions[0]!.options.map((o) => o.label));

    const meta = workbook.getWorksheet('_meta')!;
    expect([1, 2, 3].map((r) => [meta.getCell(r, 1).value, meta.getCell(r, 2).value])).toEqual([
      ['format', 'workbench-vendor-workbook-v1'],
      ['rfpReference', 'DEMO-311-GENAI'],
      ['questionnaireVersion', 2],
    ]);
    expect(protection(meta)).toMatchObject({ sheet: true });
  });

  it('reads back with openpyxl the same way', async () => {
    const out = await py<{ sheets: string[][]; subject: string; keywords: string; sections: Record<string, Record<string, unknown>> }>(INSPECT, exported);
    expect(out.sheets.map(([, state]) => state)).toEqual(['visible', 'visible', 'visible', 'visible', 'hidden', 'hidden', 'hidden']);
    expect(out.subject).toBe('DEMO-311-GENAI');
    expect(out.keywords).toContain('questionnaire-version=2');
    expect(Object.keys(out.sections)).toEqual(['Knock-out requirements', 'Responsible AI governance', 'Price']);
    for (const section of Object.values(out.sections)) {
      expect(section).toMatchObject({ keyHidden: true, protected: true, answerLocked: false, questionLocked: true, printTitles: '$1:$1', orientation: 'landscape', fitToWidth: 1 });
    }
    expect(out.sections['Price']!.validations).toEqual([
      ['decimal', 'G2', '-1000000000000000'],
      ['decimal', 'G5', '-1000000000000000'],
      ['list', 'G3', '"Yes,No,Partially"'],
      ['textLength', 'G4', '32000'],
    ]);
  });
});

describe('a vendor fills the workbook with another tool and re-saves it with LibreOffice', () => {
  let saved: string;
  beforeAll(async () => {
    const filled = join(dir, 'filled by vendor.xlsx');
    await py(FILL, exported, filled, JSON.stringify(FILLED_ANSWERS), 'Acme AI, Inc.');
    const out = mkdtempSync(join(dir, 'lo-'));
    saved = await convert(filled, 'xlsx', out);
  }, 150_000);

  it('keeps the keys, the answers (formula-looking text included), the reference and the version', async () => {
    const parsed = await read(saved);
    expect(parsed).toMatchObject({ reference: 'DEMO-311-GENAI', questionnaireVersion: 2, vendorName: 'Acme AI, Inc.', keyColumnFound: true, stampSource: 'properties', warnings: [] });
    const byKey = Object.fromEntries(parsed.rows.map((r) => [r.key, r.raw]));
    expect(byKey).toEqual({ ...FILLED_ANSWERS, 'PRC-03': null });
    expect(parsed.rows.find((r) => r.key === 'RAI-01')).toEqual({
      sheet: 'Responsible AI governance',
      row: 2,
      key: 'RAI-01',
      raw: FILLED_ANSWERS['RAI-01'],
      question: sample.sections[1]!.criteria[0]!.questions[0]!.text,
      answerType: 'Text',
    });
  });

  it('keeps the layout: hidden key column, protection, unlocked answers, dropdowns', async () => {
    const out = await py<{ sections: Record<string, Record<string, unknown>> }>(INSPECT, saved);
    expect(out.sections['Knock-out requirements']).toMatchObject({ keyHidden: true, protected: true, answerLocked: false, questionLocked: true });
    expect(out.sections['Responsible AI governance']!.validations).toContainEqual(['list', 'G5', 'Lists!$A$1:$A$5']);
  });

  it('compares to the expected outcomes, and a re-import of the same file changes nothing', async () => {
    const parsed = await read(saved);
    const first = compareVendorAnswers(parsed, questionnaire, { 'q-PRC-01': 1_100_000 }, context);
    expect(first.refused).toBeNull();
    // The signature over what was issued survives LibreOffice's re-save, and nothing is flagged.
    expect(first).toMatchObject({ signature: 'valid', issuedTo: acme, workbookFlags: [], flagged: false });
    expect(Object.fromEntries(first.rows.map((r) => [r.key, r.outcome]))).toEqual({
      'KO-01': 'new',
      'KO-02': 'new',
      'RAI-01': 'new',
      'RAI-02': 'new',
      'RAI-03': 'new',
      'RAI-04': 'new',
      'RAI-05': 'new',
      'PRC-01': 'changed',
      'PRC-02': 'new',
      'PRC-03': 'unchanged',
      'INF-01': 'new',
    });
    expect(first.canApply).toBe(true);
    const values = Object.fromEntries(first.changes.map((c) => [c.questionId, c.value]));
    expect(values).toEqual({
      'q-KO-01': 'No',
      'q-KO-02': 'United States only',
      'q-RAI-01': '=SUM(A1:A3) is how we count incidents\nand a second line',
      'q-RAI-02': ['NIST AI RMF 1.0', 'EU AI Act, as applicable'],
      'q-RAI-03': 'bias-evaluation-2025.pdf',
      'q-RAI-04': 'Quarterly',
      'q-RAI-05': 12.5,
      'q-PRC-01': 1_240_000,
      'q-PRC-02': 'Partially',
      'q-INF-01': 250,
    });

    const again = compareVendorAnswers(await read(saved), questionnaire, values, context);
    expect(again.rows.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(again.changes).toEqual([]);

    // Exported again with those answers prefilled (the vendor corrects their response), nothing changes either.
    const prefilled = await writeWorkbook('prefilled.xlsx', { ...sample, answers: Object.fromEntries(first.changes.map((c) => [c.questionId.slice(2), c.value])) });
    const third = compareVendorAnswers(await read(prefilled), questionnaire, values, context);
    expect(third.changes).toEqual([]);
    expect(third.counts.unchanged).toBe(11);
  });

  it('falls back to the hidden _meta sheet when the document properties are gone', async () => {
    const stripped = join(dir, 'stripped.xlsx');
    await py(STRIP_PROPERTIES, saved, stripped);
    const parsed = await read(stripped);
    expect(parsed).toMatchObject({ reference: 'DEMO-311-GENAI', questionnaireVersion: 2, stampSource: 'meta' });
    // The signature lives in the hidden sheets, not in the properties: still verified.
    expect(compareVendorAnswers(parsed, questionnaire, {}, context)).toMatchObject({ signature: 'valid', flagged: false });
  });

  it('flags a question the vendor rewrote, after LibreOffice re-saved the workbook, with the issued and the returned text', async () => {
    const original = sample.sections[1]!.criteria[0]!.questions[0]!.text;
    const rewritten = `${original} (Vendors may answer for their parent company.)`;
    const edited = join(dir, 'rewritten.xlsx');
    await py(EDIT_CELLS, saved, edited, JSON.stringify([['Responsible AI governance', 'C2', rewritten]]));
    const resaved = await convert(edited, 'xlsx', mkdtempSync(join(dir, 'lo-edit-')));
    const preview = compareVendorAnswers(await read(resaved), questionnaire, {}, context);
    expect(preview).toMatchObject({ signature: 'valid', workbookFlags: [], flagged: true });
    const row = preview.rows.find((r) => r.key === 'RAI-01')!;
    expect(row.flags).toEqual([
      { code: 'question_edited', message: 'The question text in the workbook is not the text issued.', before: original, after: rewritten, beforeLabel: 'as issued', afterLabel: 'in the workbook' },
    ]);
    expect(preview.rows.filter((r) => r.flags.length > 0).map((r) => r.key)).toEqual(['RAI-01']);
  }, 150_000);

  it('says the signature does not match when the hidden record of what was issued is rewritten too', async () => {
    const original = sample.sections[1]!.criteria[0]!.questions[0]!.text;
    const edited = join(dir, 'rewritten-everywhere.xlsx');
    await py(EDIT_CELLS, saved, edited, JSON.stringify([['Responsible AI governance', 'C2', 'Anything.'], ['_issued', 'B4', 'Anything.']]));
    const parsed = await read(edited);
    expect(parsed.signed?.issue?.questions[2]).toMatchObject({ key: 'RAI-01', text: 'Anything.' });
    const preview = compareVendorAnswers(parsed, questionnaire, {}, context);
    expect(preview.signature).toBe('invalid');
    expect(preview.workbookFlags.map((f) => f.code)).toEqual(['bad_signature']);
    expect(preview.rows.find((r) => r.key === 'RAI-01')!.flags).toMatchObject([{ code: 'question_edited', before: original, after: 'Anything.', beforeLabel: 'the questionnaire now' }]);
  });
});

/** FILL, then a reviewer's cell comment on the first answer of every section sheet — openpyxl writes absolute part names for those. */
const FILL_AND_COMMENT = `${FILL.replace("wb.save(dst)\nprint(json.dumps({'ok': True}))", '')}
from openpyxl.comments import Comment
for ws in wb.worksheets:
    if ws.cell(1, 1).value == 'Key' and not ws.title.startswith('_'):
        ws.cell(2, [c.value for c in ws[1]].index('Answer') + 1).comment = Comment('Checked by our legal team.', 'Vendor reviewer')
wb.save(dst)
print(json.dumps({'ok': True}))
`;

describe('a vendor fills the workbook with openpyxl, adds cell comments, and returns it as openpyxl saved it', () => {
  let saved: string;
  beforeAll(async () => {
    saved = join(dir, 'filled with comments.xlsx');
    await py(FILL_AND_COMMENT, exported, saved, JSON.stringify(FILLED_ANSWERS), 'Acme AI, Inc.');
  }, 60_000);

  it('is a package with absolute relationship targets and comments (what exceljs alone could not open)', () => {
    const parts = readZip(new Uint8Array(readFileSync(saved)));
    const rels = parts.filter((p) => /^xl\/worksheets\/_rels\//.test(p.name)).map((p) => p.data.toString('utf8'));
    expect(rels.some((xml) => /Target="\/xl\/comments\/comment\d+\.xml"/.test(xml))).toBe(true);
  });

  it('reads every answer, with the signature intact', async () => {
    const parsed = await read(saved);
    expect(parsed).toMatchObject({ reference: 'DEMO-311-GENAI', vendorName: 'Acme AI, Inc.', keyColumnFound: true, warnings: [] });
    expect(Object.fromEntries(parsed.rows.map((r) => [r.key, r.raw]))).toEqual({ ...FILLED_ANSWERS, 'PRC-03': null });
    const compared = compareVendorAnswers(parsed, questionnaire, {}, context);
    expect(compared).toMatchObject({ refused: null, signature: 'valid', issuedTo: acme, flagged: false, canApply: true });
  });
});

describe('workbooks the import refuses or flags', () => {
  it('flags a workbook of another RFP, naming both references', async () => {
    const other = await writeWorkbook('other.xlsx', { ...sample, rfp: { ...sample.rfp, reference: 'RFP-2026-009' } }, { rfpId: 'rfp-other' });
    const preview = compareVendorAnswers(await read(other), questionnaire, {}, context);
    expect(preview.workbookFlags).toEqual([
      { code: 'other_rfp', message: 'This workbook was issued for RFP-2026-009, not DEMO-311-GENAI. Check that you chose the right file, or import it into RFP-2026-009.' },
    ]);
    expect(preview.flagged).toBe(true);
  });

  it('flags a workbook of an outdated questionnaire version', async () => {
    const old = await writeWorkbook('old.xlsx', { ...sample, rfp: { ...sample.rfp, questionnaireVersion: 1 } });
    const preview = compareVendorAnswers(await read(old), questionnaire, {}, context);
    expect(preview.workbookFlags).toMatchObject([{ code: 'other_version', message: expect.stringMatching(/^This workbook is for questionnaire version 1; the current version is 2, so questions may have changed since\. Export a new workbook/) }]);
  });

  it('reads a workbook with an inserted column and flags an unknown key and an invalid choice', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported);
    const sheet = workbook.getWorksheet('Knock-out requirements')!;
    sheet.spliceColumns(3, 0, ['Our notes', 'internal', 'internal']);
    sheet.getCell('H2').value = 'Yes';
    sheet.getCell('H3').value = 'On the Moon';
    sheet.getCell('A4').value = 'ZZ-99';
    sheet.getCell('H4').value = 'An extra row';
    const edited = join(dir, 'edited.xlsx');
    await workbook.xlsx.writeFile(edited);

    const parsed = await read(edited);
    expect(parsed.rows.filter((r) => r.sheet === 'Knock-out requirements')).toMatchObject([
      { sheet: 'Knock-out requirements', row: 2, key: 'KO-01', raw: 'Yes' },
      { sheet: 'Knock-out requirements', row: 3, key: 'KO-02', raw: 'On the Moon' },
      { sheet: 'Knock-out requirements', row: 4, key: 'ZZ-99', raw: 'An extra row' },
    ]);
    const preview = compareVendorAnswers(parsed, questionnaire, {}, context);
    const outcome = (key: string) => preview.rows.find((r) => r.key === key)?.outcome;
    expect([outcome('KO-01'), outcome('KO-02'), outcome('ZZ-99'), outcome('PRC-01')]).toEqual(['new', 'invalid_choice', 'unknown_key', 'missing_required']);
    // The moved Question and Answer type columns are still found by their headers: nothing reads as edited.
    expect(preview.flagged).toBe(false);
    expect(preview.rows.find((r) => r.key === 'KO-02')!.message).toBe('“On the Moon” is not one of the choices: United States only; United States and Canada; Elsewhere.');
    expect(preview.canApply).toBe(false);
  });

  it('refuses a workbook whose key column was deleted', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported);
    for (const sheet of workbook.worksheets) if (sheet.getCell('A1').value === 'Key') sheet.spliceColumns(1, 1);
    const edited = join(dir, 'no-keys.xlsx');
    await workbook.xlsx.writeFile(edited);
    const parsed = await read(edited);
    expect(parsed.keyColumnFound).toBe(false);
    expect(compareVendorAnswers(parsed, questionnaire, {}, context).refused).toMatch(/^No questionnaire key column found/);
  });

  it('passes uploads through the questionnaire import’s guard', async () => {
    const csv = new TextEncoder().encode('Key,Answer\nKO-01,Yes\n');
    await expect(parseVendorWorkbook(csv, 'answers.csv')).rejects.toMatchObject({ status: 415, code: 'not_xlsx' });
    const pdf = new TextEncoder().encode('%PDF-1.7 not a workbook');
    await expect(parseVendorWorkbook(pdf, 'answers.xlsx')).rejects.toBeInstanceOf(UploadRejectedError);
    const bytes = readFileSync(exported);
    await expect(parseVendorWorkbook(bytes, 'big.xlsx', { maxBytes: 1000 })).rejects.toMatchObject({ status: 413, code: 'too_large' });
  });
});

describe('printing', () => {
  it('renders with LibreOffice: instructions in portrait, every section sheet in landscape', async () => {
    const pdf = readFileSync(await convert(exported, 'pdf', mkdtempSync(join(dir, 'pdf-'))), 'latin1');
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const pages = boxes.filter(([w, h]) => w !== h); // the page tree's own box is square
    expect(pages[0]![0]).toBeLessThan(pages[0]![1]);
    expect(pages.slice(1).length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(1).every(([w, h]) => w > h)).toBe(true);
  }, 150_000);
});
