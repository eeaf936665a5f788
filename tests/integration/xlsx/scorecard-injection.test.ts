import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelViewer } from '#app/confidentiality/panel';
import { DEFAULT_UPLOAD_LIMITS, inflateEntry, readZipDirectory } from '#app/import/upload-guard.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { cellText, MAX_CELL_CHARS } from '#app/xlsx/cell-text';
import { auditCsv, matrixCsv } from '#app/xlsx/matrix-csv.server';
import { loadScorecardData, type ScorecardData } from '#app/xlsx/scorecard-data.server';
import { exportFileName, matrixPlan, SHEET_ORDER } from '#app/xlsx/scorecard-layout';
import { buildScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';
import { newId, nowIso } from '#db/ids';
import { recordAudit } from '#db/queries/audit';
import { loadInjectionPayloads, longText, NUL_PAYLOAD } from '#fixtures/injection/payloads';
import { createTestDatabase } from '#tests/support/db';
import { createEvaluation, DEFAULT_EVALUATION, type EvaluationSpec } from '#tests/support/evaluation-factory';

// Every payload of fixtures/injection goes into vendor names, the RFP's reference and title, section and criterion
// titles, evaluator names, rationales, consensus rationales, questions, answers and audit entries (plus a NUL-led payload
// and texts over Excel's cell limit, added in memory). The workbook must come out with formulas only where the Matrix
// writes its own, no hyperlink, no external relationship, every hostile text a string with a leading apostrophe — and
// stay so when LibreOffice saves its sheets as CSV and opens those CSV files again (which does evaluate `=1+1`).
// Needs libreoffice-calc and python3-openpyxl.

const run = promisify(execFile);
const payloads = loadInjectionPayloads();
const P = (i: number) => payloads[i % payloads.length]!.text;
// eslint-disable-next-line no-control-regex
const TRIGGER_START = /^[=+\-@\t\r\n\u0000\uff1d\uff0b\uff0d\uff20]/;
const named = (name: string) => payloads.find((p) => p.name === name)!.text;
const SEPARATOR_PAYLOADS = ['formula after a semicolon (European list separator)', 'DDE after a tab'];
const LONG = longText(40_000);
const LONGER = longText(50_000);

function python(): string {
  if (spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) return '/usr/bin/python3';
  throw new Error('These tests need python3 with openpyxl: apt-get install python3-openpyxl');
}

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/** LibreOffice headless with a profile of its own, converting `files` into `outdir`; `inFilter` reads them as CSV so. */
async function libreOffice(convertTo: string, outdir: string, files: string[], inFilter?: string): Promise<void> {
  if (!soffice) throw new Error('This test needs LibreOffice Calc: apt-get install libreoffice-calc');
  const profile = join(tmpdir(), `lo-profile-${randomBytes(6).toString('hex')}`);
  mkdirSync(outdir, { recursive: true });
  try {
    const filter = inFilter === undefined ? [] : [`--infilter=${inFilter}`];
    await run(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', ...filter, '--convert-to', convertTo, '--outdir', outdir, ...files], { timeout: 180_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function parts(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readZipDirectory(bytes, 'scorecard.xlsx', DEFAULT_UPLOAD_LIMITS)) {
    out.set(entry.name.replace(/^\//, ''), new TextDecoder().decode(inflateEntry(bytes, entry, 'scorecard.xlsx')));
  }
  return out;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');
}

/** Every shared string, decoded. */
function sharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unescapeXml([...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
}

/** A hostile evaluation: payloads wherever a person can type. */
function hostileSpec(): EvaluationSpec {
  const sections = DEFAULT_EVALUATION.sections.map((s, si) => ({
    key: s.key,
    title: P(11 + si),
    criteria: s.criteria.map((c, ci) => ({ ...c, title: ci % 2 === 0 ? P(16 + si + ci) : `${c.title} ${P(ci)}` })),
  }));
  let n = 0;
  return {
    ...DEFAULT_EVALUATION,
    reference: `=cmd|' /C calc'!A0 ${randomBytes(2).toString('hex')}`,
    title: P(5),
    sections,
    vendors: [
      // Vendors 4 and 5 carry a formula after a `;` and after a tab, for readers splitting on those.
      ...Array.from({ length: 6 }, (_, i) => ({ key: `v${i}-${randomBytes(2).toString('hex')}`, name: i < 4 ? P(i) : named(SEPARATOR_PAYLOADS[i - 4]!), price: 400_000 + i * 90_000 })),
      { key: `w-${randomBytes(2).toString('hex')}`, name: P(6), price: 1, status: 'withdrawn' as const, statusReason: P(7) },
    ],
    evaluators: [0, 1, 2].map((i) => ({ name: P(8 + i), email: `evaluator${i}.${randomBytes(3).toString('hex')}@city.example` })),
    recusals: { 2: [1] },
    score: ({ vendor, evaluator, criterion }) => (criterion.kind === 'pass_fail' ? (vendor === 5 && criterion.key === 'KO-NOTRAIN' ? 0 : 1) : (vendor + evaluator + criterion.key.length) % 6),
    rationale: () => (n++ === 7 ? LONGER : P(n)),
    consensus: [
      { vendor: 0, criterion: 'RAI-MEAS', value: 3, rationale: P(1) },
      { vendor: 1, criterion: 'KO-PROHIB', value: 1, rationale: P(5) },
    ],
  };
}

describe('formula injection and hostile text in the scorecard exports', () => {
  let dir: string;
  let data: ScorecardData;
  let bytes: Uint8Array;
  let xml: Map<string, string>;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-scorecard-injection-'));
    const handle = await createTestDatabase();
    try {
      const created = await createEvaluation(handle.db, hostileSpec());
      const now = nowIso();
      const scored = created.criteria.filter((c) => c.kind === 'scored');
      const questions = payloads.map((p, i) => ({
        id: newId(),
        rfp_id: created.rfpId,
        criterion_id: scored[i % scored.length]!.id,
        key: `Q-${i}`,
        text: p.text,
        guidance: null,
        strong_answer: null,
        answer_type: 'text' as const,
        options_json: '[]',
        required: 0,
        references_json: '[]',
        position: i,
        created_at: now,
      }));
      await handle.db.insertInto('question').values(questions).execute();
      await handle.db
        .insertInto('answer')
        .values(
          created.vendors.flatMap((v, vi) =>
            questions.map((q, qi) => ({
              id: newId(),
              rfp_id: created.rfpId,
              submission_id: v.submissionId,
              question_id: q.id,
              value_json: JSON.stringify(vi === 0 && qi === 0 ? LONG : qi % 3 === 2 ? [P(qi), P(qi + 1)] : P(qi + vi)),
              source: 'import' as const,
              updated_by: null,
              updated_at: now,
            })),
          ),
        )
        .execute();
      for (const [i, p] of payloads.entries()) {
        await recordAudit(handle.db, { id: null, email: i % 4 === 0 ? p.text : 'system' }, { rfpId: created.rfpId, entity: 'answer', entityId: p.text, action: 'answer.save', before: { value: p.text }, after: p.text, reason: p.text });
      }
      const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', created.rfpId).executeTakeFirstOrThrow();
      data = await loadScorecardData(handle.db, rfp, { name: P(3), email: P(0), canReadResponses: true, canReadAudit: true, panel: PanelViewer.oversight(rfp.status) });
    } finally {
      await handle.close();
    }
    if (!data.outcome.ok) throw new Error('the engine refused the hostile evaluation');
    // What PostgreSQL cannot store, added in memory: a NUL-led vendor name, rationale and answer.
    const first = data.outcome.results.vendors[0]!;
    first.name = `${NUL_PAYLOAD.text} ${first.name}`;
    data.bundle.scoreDetails[0]!.rationale = NUL_PAYLOAD.text;
    data.responses!.answers.get(data.responses!.questions[1]!.id)!.set(data.bundle.vendors[0]!.submissionId, NUL_PAYLOAD.text);
    bytes = new Uint8Array(await buildScorecardWorkbook(data));
    file = join(dir, 'scorecard.xlsx');
    writeFileSync(file, bytes);
    xml = parts(bytes);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has formulas only in the Matrix cells written as formulas', () => {
    const results = data.outcome.ok ? data.outcome.results : null;
    const plan = matrixPlan({ rfpLine: '', generatedLine: '', sections: data.bundle.sections, criteria: data.bundle.criteria, results: results! });
    const sheets = [...xml.keys()].filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).sort();
    expect(sheets).toHaveLength(6);
    for (const name of sheets) {
      const text = xml.get(name)!;
      const cells = [...text.matchAll(/<c r="([A-Z]+\d+)"((?:\s+[\w:]+="[^"]*")*)\s*(?:\/>|>([\s\S]*?)<\/c>)/g)];
      expect(cells.length, name).toBe((text.match(/<c /g) ?? []).length);
      const withFormula = cells.filter((m) => (m[3] ?? '').includes('<f')).map((m) => m[1]);
      if (name === 'xl/worksheets/sheet2.xml') expect(withFormula.sort()).toEqual([...plan.at.formulaCells].sort());
      else expect(withFormula, name).toEqual([]);
      // No other way to smuggle a formula or a string that is not a shared string.
      expect(text).not.toMatch(/t="inlineStr"/);
      expect(text).not.toMatch(/<hyperlinks?[ >]/);
      if (name !== 'xl/worksheets/sheet2.xml') expect(text).not.toMatch(/t="str"/);
    }
    // The Matrix's formulas never contain user text.
    // The one non-ASCII constant is the "—" a subtotal shows for a section nobody scored; no user text ever reaches a formula.
    for (const m of xml.get('xl/worksheets/sheet2.xml')!.matchAll(/<f>([^<]*)<\/f>/g)) expect(unescapeXml(m[1]!)).toMatch(/^[A-Z0-9$:(),.+\-*/<>=&"_ —]+$/i);
  });

  it('has no hyperlink, no external relationship and no external link part', () => {
    for (const [name, text] of xml) {
      expect(name).not.toMatch(/externalLink|vbaProject|drawings|comments/);
      if (name.endsWith('.rels')) {
        expect(text, name).not.toMatch(/TargetMode="External"/);
        expect(text, name).not.toMatch(/relationships\/hyperlink/);
      }
    }
    expect(xml.get('[Content_Types].xml')).not.toMatch(/externalLink|macroEnabled/);
    expect(xml.get('xl/workbook.xml')).not.toMatch(/externalReference/);
  });

  it('writes every hostile text as a string with a leading apostrophe, sheet names unchanged', () => {
    const strings = sharedStrings(xml.get('xl/sharedStrings.xml')!);
    for (const s of strings) expect(TRIGGER_START.test(s), JSON.stringify(s.slice(0, 40))).toBe(false);
    const set = new Set(strings);
    for (const p of [...payloads, NUL_PAYLOAD]) expect(set.has(cellText(p.text)), p.name).toBe(true);
    expect(set.has("'=1+1")).toBe(true);
    expect(set.has("'=cmd|' /C calc'!A0")).toBe(true);
    expect(set.has("'@SUM(1+1)*cmd|' /C calc'!A0")).toBe(true);
    expect(set.has("'＝1+1")).toBe(true);
    const sheetNames = [...xml.get('xl/workbook.xml')!.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);
    expect(sheetNames).toEqual([...SHEET_ORDER]);
  });

  it('cuts texts over 32,767 characters with a visible marker', () => {
    const strings = sharedStrings(xml.get('xl/sharedStrings.xml')!);
    const cut = strings.filter((s) => /\[truncated: (40|50),000 characters, see the app\]$/.test(s));
    expect(cut).toHaveLength(2); // an answer (40,000) and a rationale (50,000)
    for (const s of cut) {
      expect(s.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
      expect(s.startsWith(LONG.slice(0, 200))).toBe(true);
    }
    expect(strings.every((s) => s.length <= MAX_CELL_CHARS)).toBe(true);
  });

  it('reads back in exceljs and openpyxl as plain strings: no formula, no hyperlink outside the Matrix formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) expect(sheet.name).toBe('Matrix');
          expect(cell.type).not.toBe(ExcelJS.ValueType.Hyperlink);
          expect(cell.hyperlink).toBeUndefined();
        }),
      );
    }
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {'formulas': {}, 'hyperlinks': 0, 'triggers': 0}
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == 'f':
                out['formulas'][ws.title] = out['formulas'].get(ws.title, 0) + 1
            if c.hyperlink is not None:
                out['hyperlinks'] += 1
            if isinstance(c.value, str) and c.data_type == 's' and c.value[:1] in ('=', '+', '-', '@', '\\t', '\\r', '\\n'):
                out['triggers'] += 1
print(json.dumps(out))
`;
    const { stdout } = await run(python(), ['-c', script, file], { timeout: 60_000, maxBuffer: 32 * 2 ** 20 });
    const result = JSON.parse(stdout) as { formulas: Record<string, number>; hyperlinks: number; triggers: number };
    expect(Object.keys(result.formulas)).toEqual(['Matrix']);
    expect(result.hyperlinks).toBe(0);
    expect(result.triggers).toBe(0);
  });

  it('stays text when LibreOffice saves every sheet as CSV and opens those files again', async () => {
    const csvDir = join(dir, 'csv');
    await libreOffice('csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', csvDir, [file]);
    // Our own CSV exports join them.
    writeFileSync(join(csvDir, 'matrix-export.csv'), matrixCsv(data));
    writeFileSync(join(csvDir, 'audit-export.csv'), auditCsv(data.audit ?? []));
    // The control: a bare payload in a CSV does become a formula when LibreOffice opens it.
    writeFileSync(join(csvDir, 'control.csv'), '=1+1,"=HYPERLINK(""http://evil.example"",""x"")"\r\n');
    const csvFiles = readdirSync(csvDir).filter((f) => f.endsWith('.csv'));
    expect(csvFiles.length).toBe(9);
    const reopened = join(dir, 'reopened');
    await libreOffice('xlsx', reopened, csvFiles.map((f) => join(csvDir, f)));
    for (const f of csvFiles) {
      const book = parts(new Uint8Array(readFileSync(join(reopened, f.replace(/\.csv$/, '.xlsx')))));
      const sheetXml = [...book].filter(([k]) => /worksheets\/sheet\d+\.xml$/.test(k)).map(([, v]) => v).join('');
      if (f === 'control.csv') expect(sheetXml, 'the control must turn into a formula').toMatch(/<f[ >]/);
      else expect(sheetXml, f).not.toMatch(/<f[ >]/);
      expect(sheetXml, f).not.toMatch(/<hyperlink /);
    }
  }, 240_000);

  it('stays text when LibreOffice opens the CSV exports splitting on `,`, `;` or tab', async () => {
    const csvDir = join(dir, 'csv-by-separator');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'matrix-export.csv'), matrixCsv(data));
    writeFileSync(join(csvDir, 'audit-export.csv'), auditCsv(data.audit ?? []));
    // The control: the same texts guarded only at the start of a comma-separated field do become formulas.
    writeFileSync(join(csvDir, 'control.csv'), "'Scope,=1+1\r\nScope;=1+1\r\nScope\t=1+1\r\n\"Summary\n=1+1\"\r\n");
    const files = ['matrix-export.csv', 'audit-export.csv', 'control.csv'].map((f) => join(csvDir, f));
    // Filter options: separator, `"` as text delimiter, UTF-8, from line 1, default column formats and language,
    // quoted fields NOT forced to text, special numbers detected, and spaces trimmed (the strictest reading).
    for (const separator of [44, 59, 9]) {
      const out = join(dir, `opened-${separator}`);
      await libreOffice('xlsx', out, files, `CSV:${separator},34,76,1,,0,false,true,false,false,true`);
      for (const f of files) {
        const book = parts(new Uint8Array(readFileSync(join(out, basename(f).replace(/\.csv$/, '.xlsx')))));
        const sheetXml = [...book].filter(([k]) => /worksheets\/sheet\d+\.xml$/.test(k)).map(([, v]) => v).join('');
        const formulas = (sheetXml.match(/<f[ >]/g) ?? []).length;
        if (f.endsWith('control.csv')) expect(formulas, `the control must turn into formulas with separator ${separator}`).toBeGreaterThan(0);
        else expect(formulas, `${basename(f)} opened with separator ${separator}`).toBe(0);
      }
    }
  }, 240_000);

  it('guards the CSV exports the same way', () => {
    for (const text of [matrixCsv(data), auditCsv(data.audit ?? [])]) {
      // Each record's fields, split naively on commas outside quotes.
      for (const field of text.slice(1).match(/("([^"]|"")*"|[^,\r\n]*)(?=,|\r\n|$)/g) ?? []) {
        const value = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
        expect(TRIGGER_START.test(value), JSON.stringify(value.slice(0, 40))).toBe(false);
      }
    }
  });

  it('gives safe file names for a hostile reference', () => {
    const name = exportFileName(data.rfp.reference, 'scorecard', data.generatedAt, 'xlsx');
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(contentDispositionAttachment(name)).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
  });
});
