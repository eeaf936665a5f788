import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { type Actor, SYSTEM_ACTOR } from '#db/queries/audit';
import { getQuestionnaire, listQuestionKeys } from '#db/queries/questionnaire';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import {
  type ExistingQuestion,
  type ImportMapping,
  type ImportPlan,
  inspectGrid,
  type InspectResult,
  parseUpload,
  planOf,
  previewGrid,
  type PreviewResult,
  previousImports,
  saveImport,
  UploadRejectedError,
  type WorkbookGrid,
} from '#app/import/questionnaire-import.server';
import { runCli } from '#tests/support/cli';
import { createServerDatabaseUrl, createTestDatabase } from '#tests/support/db';

/**
 * The acceptance corpus (fixtures/questionnaire-import/corpus/, see its README): one workbook per family of real
 * questionnaire that cities bring — the layouts of those families, the project's own text. Each file goes through the
 * service path the page and the command line use: parsed once in the worker (`parseUpload`), a mapping proposed over the
 * grid (`inspectGrid`), and the preview of the proposed plan (`previewGrid`). The bar: sections, answer types and
 * official keys right on the first proposal, or after choosing the obvious sheet and header row — and nothing dropped,
 * renamed or doubled without the preview saying so.
 */

const corpus = fileURLToPath(new URL('../../../fixtures/questionnaire-import/corpus/', import.meta.url));

interface Loaded {
  fileName: string;
  size: number;
  sha256: string;
  grid: WorkbookGrid;
  inspected: InspectResult;
}

async function load(fileName: string): Promise<Loaded> {
  const bytes = new Uint8Array(readFileSync(`${corpus}${fileName}`));
  const { grid, sha256 } = await parseUpload(bytes, fileName);
  return { fileName, size: bytes.length, sha256, grid, inspected: inspectGrid(grid, fileName) };
}

const preview = (file: Loaded, plan: ImportPlan, existing: ExistingQuestion[] = []) => previewGrid(file.grid, file.fileName, plan, existing);

/** The officer picks another sheet: the mapping is proposed afresh for it. */
const chooseSheet = (file: Loaded, sheet: string) => inspectGrid(file.grid, file.fileName, { sheet }).proposed;

const outline = (p: PreviewResult) => p.sections.map((s) => [s.title, s.questions.length] as const);
const keysOf = (p: PreviewResult, title: string) => p.sections.find((s) => s.title === title)?.questions.map((q) => q.key);
const allQuestions = (p: PreviewResult) => p.sections.flatMap((s) => s.questions);
function question(p: PreviewResult, key: string) {
  const found = allQuestions(p).find((q) => q.key === key);
  if (!found) throw new Error(`no question ${key} in the preview; keys: ${allQuestions(p).map((q) => q.key).join(', ')}`);
  return found;
}
const typeOf = (p: PreviewResult, key: string) => {
  const q = question(p, key);
  return { answerType: q.answerType, options: q.options.map((o) => [o.label, o.autoScore]), typeSource: q.typeSource };
};
const fates = (p: PreviewResult, fate: PreviewResult['rows'][number]['fate']) => p.rows.filter((r) => r.fate === fate);

const YES_NO_NA = [['Yes', 1], ['No', 0], ['N/A', null]];
const YES_NO_PARTIAL_NA = [['Yes', 1], ['No', 0], ['Partial', 0.5], ['N/A', null]];

/** What every file of the corpus must show, whatever its layout: each line accounted for, each key once. */
function expectAccountedFor(p: PreviewResult) {
  expect(p.rows.length).toBe(p.totalRows - p.blankRows);
  expect(fates(p, 'question').length).toBe(allQuestions(p).length);
  const keys = allQuestions(p).map((q) => q.key.toLowerCase());
  expect(new Set(keys).size).toBe(keys.length);
  for (const row of p.rows) if (row.fate === 'skipped' || row.fate === 'filtered') expect(row.reason, `row ${row.row} of ${row.sheet}`).toBeTruthy();
}

// ---------- 1 and 8a: higher-education vendor security workbook (openpyxl with comments; the same re-saved by LibreOffice) ----------

for (const fileName of ['01-higher-ed-vendor-security.xlsx', '08a-libreoffice-higher-ed.xlsx']) {
  describe(`${fileName}: area tabs with repeated section-header rows and a Yes/No/N/A list on a hidden tab`, () => {
    let file: Loaded;
    let result: PreviewResult;
    beforeAll(async () => {
      file = await load(fileName);
      // The officer imports both area tabs, each with the mapping proposed for it.
      result = await preview(file, { sheets: [chooseSheet(file, 'Application'), chooseSheet(file, 'Data')] });
    });

    it('is read (openpyxl’s absolute comment targets included) and proposes an area tab, never the instructions, summary or lists', () => {
      expect(file.inspected.sheets.map((s) => [s.name, s.hidden ?? false])).toEqual([
        ['Instructions', false],
        ['Summary', false],
        ['Application', false],
        ['Data', false],
        ['Lists', true],
      ]);
      expect(['Application', 'Data']).toContain(file.inspected.proposed.sheet);
    });

    it('takes the first section-header row as the header row of each area tab: ID, question, guidance, no section column', () => {
      for (const sheet of ['Application', 'Data']) {
        const mapping = chooseSheet(file, sheet);
        expect(mapping).toMatchObject({ sheet, headerRow: 3, columns: { key: 1, question: 2, guidance: 5 } });
        expect(mapping.columns.section).toBeUndefined();
      }
    });

    it('makes a section of every section-header row, with the area’s IDs verbatim', () => {
      expect(outline(result)).toEqual([
        ['Application Security', 6],
        ['Authentication', 4],
        ['Model Development', 4],
        ['Data Handling', 5],
        ['Privacy', 3],
      ]);
      expect(keysOf(result, 'Authentication')).toEqual(['AUTH-01', 'AUTH-02', 'AUTH-03', 'AUTH-04']);
      expect(fates(result, 'section').map((r) => [r.sheet, r.row])).toEqual([
        ['Application', 10],
        ['Application', 15],
        ['Data', 9],
      ]);
      expect(fates(result, 'skipped')).toEqual([]);
      expectAccountedFor(result);
    });

    it('gives the Answer dropdown’s Yes/No/N/A to the questions that have it, with the default shares; the others stay text', () => {
      expect(typeOf(result, 'APPL-01')).toEqual({ answerType: 'choice', options: YES_NO_NA, typeSource: 'validation' });
      expect(typeOf(result, 'PRIV-02')).toEqual({ answerType: 'choice', options: YES_NO_NA, typeSource: 'validation' });
      expect(typeOf(result, 'APPL-03')).toMatchObject({ answerType: 'text', options: [] });
      expect(typeOf(result, 'DATA-03')).toMatchObject({ answerType: 'text', options: [] });
      expect(question(result, 'APPL-01').guidance).toBe('Roles should be configurable by the institution, not only by the vendor.');
      expect(question(result, 'APPL-02').guidance).toBeNull();
    });
  });
}

// ---------- 2: cloud-security control matrix ----------

for (const fileName of ['02-cloud-control-matrix.xlsx', '02b-cloud-control-matrix-sparse-domain.xlsx']) {
  describe(`${fileName}: control matrix with question IDs like A&A-01.1 and an inline Yes/No/NA list`, () => {
    let file: Loaded;
    let result: PreviewResult;
    beforeAll(async () => {
      file = await load(fileName);
      result = await preview(file, planOf(file.inspected.proposed));
    });

    it('proposes the questionnaire sheet (not the introduction or the scope mapping), its header row, and Question ID / Question / Control Domain', () => {
      expect(file.inspected.sheets.map((s) => s.name)).toEqual(['Introduction', 'AI Controls v1', 'Scope Applicability']);
      expect(file.inspected.proposed).toMatchObject({ sheet: 'AI Controls v1', headerRow: 3, columns: { key: 5, question: 6, section: 1 } });
    });

    it('files each question under its domain, the domain written on every row or only on the first of its block, keys verbatim', () => {
      expect(outline(result)).toEqual([
        ['Audit & Assurance', 4],
        ['Data Security & Privacy', 4],
        ['Model Governance', 3],
        ['Supply Chain Transparency', 2],
      ]);
      expect(keysOf(result, 'Audit & Assurance')).toEqual(['A&A-01.1', 'A&A-01.2', 'A&A-02.1', 'A&A-02.2']);
      expect(keysOf(result, 'Supply Chain Transparency')).toEqual(['STA-01.1', 'STA-01.2']);
      expect(question(result, 'DSP-02.1').text).toBe('Can customers turn off the logging of prompts that contain personal data?');
      expect(result.skipped).toEqual([]);
      expectAccountedFor(result);
    });

    it('types every question from the Answer column’s inline list, NA not auto-scored', () => {
      for (const q of allQuestions(result)) {
        expect({ key: q.key, ...typeOf(result, q.key) }).toEqual({ key: q.key, answerType: 'choice', options: [['Yes', 1], ['No', 0], ['NA', null]], typeSource: 'validation' });
      }
    });
  });
}

// ---------- 3: national cyber-fundamentals self-assessment ----------

describe('03-cyber-fundamentals-self-assessment.xlsx: domain heading rows, a Yes/No/Partial/N/A list by defined name, an Evaluation sheet', () => {
  let file: Loaded;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('03-cyber-fundamentals-self-assessment.xlsx');
    result = await preview(file, planOf(file.inspected.proposed));
  });

  it('proposes the self-assessment (not the Evaluation sheet with its IDs and questions), ID / Question / Domain', () => {
    expect(file.inspected.proposed).toMatchObject({ sheet: 'Self-Assessment', headerRow: 3, columns: { key: 1, question: 4, section: 2 } });
  });

  it('starts a section at every row whose Domain has a value and whose Question is empty', () => {
    expect(outline(result)).toEqual([
      ['Govern', 3],
      ['Identify', 3],
      ['Protect', 4],
      ['Detect', 2],
      ['Respond & Recover', 2],
    ]);
    expect(fates(result, 'section').map((r) => r.row)).toEqual([4, 8, 12, 17, 20]);
    expect(keysOf(result, 'Protect')).toEqual(['PR.01', 'PR.02', 'PR.03', 'PR.04']);
    expect(result.skipped).toEqual([]);
    expectAccountedFor(result);
  });

  it('types the questions from the Response list, Partial half and N/A not auto-scored', () => {
    expect(typeOf(result, 'GV.01')).toEqual({ answerType: 'choice', options: YES_NO_PARTIAL_NA, typeSource: 'validation' });
    expect(typeOf(result, 'RS.02')).toEqual({ answerType: 'choice', options: YES_NO_PARTIAL_NA, typeSource: 'validation' });
  });
});

// ---------- 4 and 8b: government supply-chain template (and the same saved as CSV by LibreOffice) ----------

const SUPPLY_CHAIN_OUTLINE = [
  ['Part A — Company and ownership', 3],
  ['Part B — Development practices', 4],
  ['Part C — Third-party components', 3],
  ['Part D — Incident history', 3],
];

for (const [fileName, sheet] of [
  ['04-supply-chain-template.xlsx', 'Supplier Questionnaire'],
  // Saved as CSV by LibreOffice: the first sheet only, its banners no longer merged.
  ['08b-libreoffice-supply-chain.csv', '08b-libreoffice-supply-chain'],
] as const) {
  describe(`${fileName}: title rows, answer-type codes TXT/YNA/YNANA, banners between blocks, no key column`, () => {
    let file: Loaded;
    let result: PreviewResult;
    beforeAll(async () => {
      file = await load(fileName);
      result = await preview(file, planOf(file.inspected.proposed));
    });

    it('proposes the header row below the title rows, the question and the code column, and no key column', () => {
      expect(file.inspected.proposed).toMatchObject({ sheet, headerRow: 4, columns: { question: 1, answerType: 2 } });
      expect(file.inspected.proposed.columns.key).toBeUndefined();
    });

    it('makes a section of every banner row', () => {
      expect(outline(result)).toEqual(SUPPLY_CHAIN_OUTLINE);
      expect(fates(result, 'section').map((r) => r.row)).toEqual([5, 9, 14, 18]);
      expect(result.skipped).toEqual([]);
      expectAccountedFor(result);
    });

    it('maps the codes to types: TXT text, YNA Yes/No/N/A, YNANA Yes/No/Partial/N/A, all recognised', () => {
      const [a, b] = result.sections;
      expect(typeOf(result, a!.questions[0]!.key)).toEqual({ answerType: 'text', options: [], typeSource: 'column' });
      expect(typeOf(result, a!.questions[1]!.key)).toEqual({ answerType: 'choice', options: YES_NO_NA, typeSource: 'column' });
      expect(typeOf(result, b!.questions[1]!.key)).toEqual({ answerType: 'choice', options: YES_NO_PARTIAL_NA, typeSource: 'column' });
      const codes = result.answerTypeCodes.map((c) => [c.code.toUpperCase(), c.count, c.rule.type, c.recognised]).sort();
      expect(codes).toEqual([
        ['TXT', 5, 'text', true],
        ['YNA', 4, 'choice', true],
        ['YNANA', 4, 'choice', true],
      ]);
    });

    it('generates keys that are shown as saved and never take a key the RFP already has', async () => {
      const generated = allQuestions(result).map((q) => q.key);
      expect(generated.every((k) => k.trim() !== '')).toBe(true);
      const existing = generated.slice(0, 2).map((key, i) => ({ id: `existing-${i}`, key, text: 'A question already in the RFP' }));
      const again = await preview(file, planOf(file.inspected.proposed), existing);
      expect(outline(again)).toEqual(SUPPLY_CHAIN_OUTLINE);
      expect(again.collisions).toEqual([]);
      const keys = allQuestions(again).map((q) => q.key.toLowerCase());
      for (const taken of existing) expect(keys).not.toContain(taken.key.toLowerCase());
      expectAccountedFor(again);
    });
  });
}

// ---------- 5: framework checklist exported from a GRC tool ----------

describe('05-framework-export.xlsx: depth | identifier | title | description | assessable', () => {
  let file: Loaded;
  let proposed: ImportMapping;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('05-framework-export.xlsx');
    proposed = file.inspected.proposed;
    result = await preview(file, planOf(proposed));
  });

  it('proposes the depth tree with functions as sections and keeps only the rows marked assessable', () => {
    expect(proposed).toMatchObject({
      sheet: 'Framework Export',
      headerRow: 1,
      columns: { key: 2, question: 4 },
      depth: { source: 'column', column: 1 },
      sectionDepth: 1,
      filter: { column: 5, value: 'x' },
    });
  });

  it('imports the assessable subcategories under their functions, identifiers with spaces verbatim', () => {
    expect(result.sections.map((s) => s.questions.length)).toEqual([5, 3, 2]);
    expect(result.sections.map((s) => s.title.split(' ')[0])).toEqual(['GOVERN', 'MONITOR', 'RESPOND']);
    expect(result.sections[0]!.questions.map((q) => q.key)).toEqual(['GOVERN 1.1', 'GOVERN 1.2', 'GOVERN 1.3', 'GOVERN 2.1', 'GOVERN 2.2']);
    expect(question(result, 'MONITOR 1.2').text).toBe('Changes in input data or model behaviour are detected and reported.');
    // The five categories and the one withdrawn subcategory are counted as filtered out, each with its reason.
    expect(fates(result, 'filtered').map((r) => r.row)).toEqual([3, 7, 11, 14, 16, 18]);
    expect(fates(result, 'section').map((r) => r.row)).toEqual([2, 10, 17]);
    expectAccountedFor(result);
  });

  it('makes the categories the sections when the officer picks depth 2', async () => {
    const byCategory = await preview(file, planOf({ ...proposed, sectionDepth: 2 }));
    expect(byCategory.sections.map((s) => [s.title.match(/^[A-Z]+ \d+(?![.\d])/)?.[0], s.questions.length])).toEqual([
      ['GOVERN 1', 3],
      ['GOVERN 2', 2],
      ['MONITOR 1', 2],
      ['MONITOR 2', 1],
      ['RESPOND 1', 2],
    ]);
    expect(fates(byCategory, 'filtered').map((r) => r.row)).toEqual([16]);
    // The functions above the chosen depth are banners, skipped with a reason.
    expect(fates(byCategory, 'skipped').map((r) => r.row)).toEqual([2, 10, 17]);
    expectAccountedFor(byCategory);
  });
});

// ---------- 6: an outline-level tree written by exceljs ----------

describe('06-outline-tree.xlsx: domains, areas (outline level 1) and questions (outline level 2)', () => {
  let file: Loaded;
  let proposed: ImportMapping;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('06-outline-tree.xlsx');
    proposed = file.inspected.proposed;
    result = await preview(file, planOf(proposed));
  });

  it('proposes the outline levels as the tree: domains make the sections, only the deepest rows are questions', () => {
    expect(proposed).toMatchObject({ sheet: 'Requirements', headerRow: 1, columns: { key: 1, question: 2 }, depth: { source: 'outline' }, sectionDepth: 0, onlyDepth: 2 });
  });

  it('files the questions under their domains, keys verbatim, the area rows counted as not kept', () => {
    expect(result.sections.map((s) => s.questions.length)).toEqual([5, 3, 2]);
    expect(result.sections.map((s) => s.title)).toEqual([
      expect.stringContaining('Data governance'),
      expect.stringContaining('Model operation'),
      expect.stringContaining('Accountability'),
    ]);
    expect(result.sections[0]!.questions.map((q) => q.key)).toEqual(['1.1.1', '1.1.2', '1.2.1', '1.2.2', '1.2.3']);
    expect(fates(result, 'section').map((r) => r.row)).toEqual([2, 10, 16]);
    expect(fates(result, 'filtered').map((r) => r.row)).toEqual([3, 6, 11, 14, 17]);
    expectAccountedFor(result);
  });

  it('makes the areas the sections when the officer picks outline level 1', async () => {
    const byArea = await preview(file, planOf({ ...proposed, sectionDepth: 1, onlyDepth: undefined }));
    expect(byArea.sections.map((s) => s.questions.length)).toEqual([2, 3, 2, 1, 2]);
    expect(byArea.sections.map((s) => s.title)).toEqual([
      expect.stringContaining('Training data'),
      expect.stringContaining('Customer data'),
      expect.stringContaining('Monitoring'),
      expect.stringContaining('Human oversight'),
      expect.stringContaining('Contracts'),
    ]);
    expect(fates(byArea, 'skipped').map((r) => r.row)).toEqual([2, 10, 16]);
    expectAccountedFor(byArea);
  });
});

// ---------- 7: a 1–5/N/A maturity scale and a whole-number 0–100 column ----------

describe('07-maturity-scale.xlsx: a Maturity list 1–5/N/A and a Coverage (%) whole number 0–100', () => {
  let file: Loaded;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('07-maturity-scale.xlsx');
    result = await preview(file, planOf(file.inspected.proposed));
  });

  it('proposes the assessment sheet (not the scale legend) with Control Ref / Question / Domain', () => {
    expect(file.inspected.proposed).toMatchObject({ sheet: 'Maturity Assessment', headerRow: 1, columns: { key: 1, question: 3, section: 2 } });
  });

  it('gives the maturity questions the 1–5 scale (0 to 1 in quarters, N/A not scored) and the percentage questions a number', () => {
    expect(outline(result)).toEqual([
      ['Governance', 2],
      ['Security', 3],
      ['Privacy', 3],
    ]);
    const scale = [['1', 0], ['2', 0.25], ['3', 0.5], ['4', 0.75], ['5', 1], ['N/A', null]];
    for (const key of ['MA-01', 'MA-03', 'MA-05']) expect(typeOf(result, key)).toEqual({ answerType: 'choice', options: scale, typeSource: 'validation' });
    for (const key of ['PC-01', 'PC-03']) expect(typeOf(result, key)).toEqual({ answerType: 'number', options: [], typeSource: 'validation' });
    expect(result.skipped).toEqual([]);
    expectAccountedFor(result);
  });
});

// ---------- 9: "Key Measure" beside the real ID ----------

describe('09-key-measure-beside-id.xlsx: a repeating “Key Measure” column beside the ID column', () => {
  let file: Loaded;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('09-key-measure-beside-id.xlsx');
    result = await preview(file, planOf(file.inspected.proposed));
  });

  it('takes ID as the key, not Key Measure', () => {
    expect(file.inspected.proposed).toMatchObject({ sheet: 'Controls', headerRow: 1, columns: { key: 1, question: 3 } });
  });

  it('imports every row with its own ID: nothing collides, nothing is dropped', () => {
    expect(allQuestions(result).map((q) => q.key)).toEqual(['C-101', 'C-102', 'C-103', 'C-201', 'C-202', 'C-301', 'C-302', 'C-303', 'C-401']);
    expect(result.skipped).toEqual([]);
    expectAccountedFor(result);
  });
});

// ---------- 10: "Question" beside a much wordier "Description" and "Guidance" ----------

describe('10-question-beside-wordy-guidance.xlsx: a short Question column beside long Description and Guidance columns', () => {
  let file: Loaded;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('10-question-beside-wordy-guidance.xlsx');
    result = await preview(file, planOf(file.inspected.proposed));
  });

  it('takes the column headed Question as the question, Guidance as guidance and Topic as the section', () => {
    expect(file.inspected.proposed).toMatchObject({ sheet: 'Vendor Questions', headerRow: 1, columns: { key: 1, section: 2, question: 3, guidance: 5 } });
  });

  it('imports the short questions themselves', () => {
    expect(outline(result)).toEqual([
      ['Governance', 2],
      ['Data', 3],
      ['Support', 2],
    ]);
    expect(question(result, 'Q1').text).toBe('Who approves new AI features?');
    expect(question(result, 'Q7').guidance).toMatch(/^Evaluators look for a named role/);
    expectAccountedFor(result);
  });
});

// ---------- 11: a framework playbook laid sideways ----------

describe('11-sideways-playbook.xlsx: one column per subcategory, the field names down column A', () => {
  let file: Loaded;
  let result: PreviewResult;
  beforeAll(async () => {
    file = await load('11-sideways-playbook.xlsx');
    result = await preview(file, planOf(file.inspected.proposed));
  });

  it('reads the sheet sideways: identifiers across row 1, the question, guidance and references rows named down column A', () => {
    expect(file.inspected.proposed).toEqual({
      sheet: 'Playbook',
      headerRow: 1,
      orientation: 'columns',
      columns: { key: 1, guidance: 2, question: 4, references: 5 },
    });
  });

  it('imports one question per column with its identifier verbatim', () => {
    expect(result.orientation).toBe('columns');
    expect(outline(result)).toEqual([['Playbook', 12]]);
    expect(allQuestions(result).map((q) => q.key).slice(0, 4)).toEqual(['OVERSEE 1.1', 'OVERSEE 1.2', 'OVERSEE 2.1', 'ASSESS 1.1']);
    const first = question(result, 'OVERSEE 1.1');
    expect(first.text).toBe('Who is accountable for each AI system the vendor operates for the city?');
    expect(first.guidance).toBe('Oversight of AI systems is assigned to named people.');
    expect(first.references).toEqual(['Internal guideline 1', 'AI policy section 4']);
    expect(result.skipped).toEqual([]);
    expectAccountedFor(result);
  });
});

// ---------- every file: saved exactly as previewed, and recognised when imported again ----------

/** The plan an officer confirms for each file: the proposal, and for the area-tab workbooks every area tab. */
const CONFIRMED: Array<[string, (file: Loaded) => ImportPlan]> = [
  ['01-higher-ed-vendor-security.xlsx', (f) => ({ sheets: [chooseSheet(f, 'Application'), chooseSheet(f, 'Data')] })],
  ['02-cloud-control-matrix.xlsx', (f) => planOf(f.inspected.proposed)],
  ['02b-cloud-control-matrix-sparse-domain.xlsx', (f) => planOf(f.inspected.proposed)],
  ['03-cyber-fundamentals-self-assessment.xlsx', (f) => planOf(f.inspected.proposed)],
  ['05-framework-export.xlsx', (f) => planOf(f.inspected.proposed)],
  ['06-outline-tree.xlsx', (f) => planOf(f.inspected.proposed)],
  ['07-maturity-scale.xlsx', (f) => planOf(f.inspected.proposed)],
  ['08a-libreoffice-higher-ed.xlsx', (f) => ({ sheets: [chooseSheet(f, 'Application'), chooseSheet(f, 'Data')] })],
  ['09-key-measure-beside-id.xlsx', (f) => planOf(f.inspected.proposed)],
  ['10-question-beside-wordy-guidance.xlsx', (f) => planOf(f.inspected.proposed)],
  ['11-sideways-playbook.xlsx', (f) => planOf(f.inspected.proposed)],
];

describe('saving the corpus', () => {
  let handle: DatabaseHandle;
  let rfp: { id: string; reference: string };
  let officer: Actor & { id: string; email: string };
  beforeEach(async () => {
    handle = await createTestDatabase();
    const user = await createUser(handle.db, SYSTEM_ACTOR, { email: 'officer@city.example', name: 'Officer', role: 'officer', passwordHash: 'x' });
    officer = { id: user.id, email: user.email };
    rfp = await createRfp(handle.db, officer, { reference: 'RFP-CORPUS', title: 'Corpus', department: 'IT', summary: 'S' });
  });
  afterEach(async () => {
    await handle.close();
  });

  const saved = async () =>
    (await getQuestionnaire(handle.db, rfp.id)).map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => [q.key, q.answer_type, q.options]))]);
  const previewed = (p: PreviewResult) => p.sections.map((s) => [s.title, s.questions.map((q) => [q.key, q.answerType, q.options])]);

  for (const [fileName, planFor] of CONFIRMED) {
    it(`${fileName}: saves the previewed sections, keys, types and shares, and the second import of the file is recognised, not doubled`, async () => {
      const file = await load(fileName);
      const plan = planFor(file);
      const shown = await preview(file, plan, await listQuestionKeys(handle.db, rfp.id));
      const upload = { fileName, size: file.size, sha256: file.sha256, grid: file.grid };
      const outcome = await saveImport(handle.db, rfp, officer, upload, plan, { expected: shown.fingerprint });
      expect(outcome.created).toBe(allQuestions(shown).length);
      expect(await saved()).toEqual(previewed(shown));

      // The same file again is recognised by its bytes, and its official keys are all collisions, skipped with a reason.
      expect(await previousImports(handle.db, rfp.id, file.sha256)).toHaveLength(1);
      const again = await preview(file, plan, await listQuestionKeys(handle.db, rfp.id));
      expect(again.sections).toEqual([]);
      const sorted = (pairs: string[][]) => pairs.map((pair) => pair.join(' ')).sort();
      expect(sorted(again.collisions.map((c) => [c.key, c.outcome]))).toEqual(sorted(allQuestions(shown).map((q) => [q.key, 'skipped'])));
      const refused = await saveImport(handle.db, rfp, officer, upload, plan).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UploadRejectedError);
      expect((refused as UploadRejectedError).message).toMatch(/already imported into this RFP/);
      expect(await saved()).toEqual(previewed(shown));
    });
  }

  for (const fileName of ['04-supply-chain-template.xlsx', '08b-libreoffice-supply-chain.csv']) {
    it(`${fileName} (no key column): saves the generated keys shown, and imported again its rows get keys not yet taken`, async () => {
      const file = await load(fileName);
      const plan = planOf(file.inspected.proposed);
      const upload = { fileName: file.fileName, size: file.size, sha256: file.sha256, grid: file.grid };
      const shown = await preview(file, plan, await listQuestionKeys(handle.db, rfp.id));
      await saveImport(handle.db, rfp, officer, upload, plan, { expected: shown.fingerprint });
      expect(await saved()).toEqual(previewed(shown));
      // Nothing in the file identifies its rows, so a second import adds them again — under new keys, the preview showing
      // them, and the file recognised as imported before so the page can say so.
      expect(await previousImports(handle.db, rfp.id, file.sha256)).toHaveLength(1);
      const again = await preview(file, plan, await listQuestionKeys(handle.db, rfp.id));
      expect(outline(again)).toEqual(SUPPLY_CHAIN_OUTLINE);
      const first = new Set(allQuestions(shown).map((q) => q.key.toLowerCase()));
      expect(allQuestions(again).filter((q) => first.has(q.key.toLowerCase()))).toEqual([]);
      expect(again.collisions).toEqual([]);
    });
  }
});

// ---------- the command line shows what the page shows ----------

describe('workbench questionnaire preview --json on the corpus', () => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await createServerDatabaseUrl());
    const handle = openDatabase(databaseUrl);
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
  });
  afterAll(async () => {
    await cleanup();
  });

  // One of each kind of structure: keys with "&" and an inline list, a depth tree with its in-scope filter, a numeric
  // scale, and LibreOffice's CSV with generated keys.
  for (const fileName of ['02-cloud-control-matrix.xlsx', '05-framework-export.xlsx', '07-maturity-scale.xlsx', '08b-libreoffice-supply-chain.csv']) {
    it(`${fileName}: prints the proposal and the same sections, keys, types and options as the service's preview`, async () => {
      const file = await load(fileName);
      const shown = await preview(file, planOf(file.inspected.proposed));
      const result = await runCli(databaseUrl, ['questionnaire', 'preview', `${corpus}${fileName}`, '--json']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const json = JSON.parse(result.stdout) as { sheet: string; headerRow: number; mapping: Record<string, number | null>; sections: unknown[]; skipped: unknown[] };
      expect(json.sheet).toBe(file.inspected.proposed.sheet);
      expect(json.headerRow).toBe(file.inspected.proposed.headerRow);
      for (const [field, column] of Object.entries(json.mapping)) expect(column, field).toBe(file.inspected.proposed.columns[field as keyof ImportMapping['columns']] ?? null);
      expect(json.sections).toEqual(
        shown.sections.map((s) => ({ title: s.title, questions: s.questions.map((q) => ({ key: q.key, text: q.text, answerType: q.answerType, options: q.options })) })),
      );
      expect(json.skipped).toEqual(shown.skipped.map((s) => ({ row: s.row, reason: s.reason })));
    });
  }
});
