/**
 * The scorecard downloads through the real server (and the command line): refused exactly when the results page is,
 * panel scores, responses and the audit log only for those who may read them, every export on the audit log, safe
 * headers, the same figures as the results page.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { hashPassword } from '#db/password';
import type { RfpStatus } from '#db/schema';
import { SHEET_ORDER, TABLE_HEADER_ROW } from '#app/xlsx/scorecard-layout';
import { createEvaluation, type CreatedEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
type Who = 'lead' | 'observer' | 'evan' | 'priya' | 'marcus' | 'admin' | 'outsider';

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

function cellTexts(sheet: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  sheet.eachRow((row) => row.eachCell((c) => out.push(String(c.value))));
  return out;
}

describe('scorecard downloads over HTTP', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  let demoRfpId: string;
  const visitors = {} as Record<Who, Visitor>;

  async function setStatus(status: RfpStatus) {
    await handle.db.updateTable('rfp').set({ status }).where('id', '=', evaluation.rfpId).execute();
  }

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    // Priya has not submitted her sheet for OmniSight: she may not read results before every sheet of hers is in.
    evaluation = await createEvaluation(handle.db, {
      ...DEFAULT_EVALUATION,
      sheet: (e, v) => (e === 1 && v === 3 ? 'in_progress' : 'submitted'),
      passwordHash: await hashPassword('demo-password'),
    });
    // One question, answered by every vendor, for the Responses sheet.
    const questionId = newId();
    const criterion = evaluation.criteria.find((c) => c.kind === 'scored')!;
    await handle.db
      .insertInto('question')
      .values({ id: questionId, rfp_id: evaluation.rfpId, criterion_id: criterion.id, key: 'RAI-01', text: 'Describe your AI governance.', guidance: null, strong_answer: null, answer_type: 'text', options_json: '[]', required: 1, references_json: '[]', position: 0, created_at: nowIso() })
      .execute();
    await handle.db
      .insertInto('answer')
      .values(evaluation.vendors.map((v) => ({ id: newId(), rfp_id: evaluation.rfpId, submission_id: v.submissionId, question_id: questionId, value_json: JSON.stringify(`${v.name}'s governance answer.`), source: 'manual' as const, updated_by: null, updated_at: nowIso() })))
      .execute();
    demoRfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    const admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    expect((await admin.post('/admin/users', { name: 'Oscar Outsider', email: 'outsider-sc@city.example', role: 'officer', password: 'demo-password' })).status).toBe(200);
    const logins: Array<[Who, string]> = [
      ['lead', evaluation.lead.email],
      ['observer', evaluation.observers[0]!.email],
      ['evan', evaluation.evaluators[0]!.email],
      ['priya', evaluation.evaluators[1]!.email],
      ['marcus', evaluation.evaluators[2]!.email],
      ['outsider', 'outsider-sc@city.example'],
    ];
    visitors.admin = admin;
    for (const [who, email] of logins) {
      visitors[who] = new Visitor(server.baseUrl);
      await visitors[who].login(email);
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('answers every visitor exactly as the results page does, in every status', async () => {
    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    for (const status of ['open', 'evaluation', 'consensus', 'closed'] as RfpStatus[]) {
      await setStatus(status);
      for (const [who, visitor] of Object.entries(visitors) as Array<[Who, Visitor]>) {
        const results = (await visitor.get(`/rfps/${evaluation.rfpId}/results`)).status;
        for (const path of ['scorecard.xlsx', 'matrix.csv']) {
          const response = await visitor.get(`/rfps/${evaluation.rfpId}/${path}`);
          await response.arrayBuffer();
          if (response.status !== results) mismatches.push(`${status} ${who} ${path}: ${response.status}, results page ${results}`);
        }
        seen.set(`${status} ${who}`, results);
      }
    }
    expect(mismatches).toEqual([]);
    // The rules themselves: evaluators only from consensus on and with all their sheets in; outsiders never see it exists.
    expect(seen.get('evaluation evan')).toBe(403);
    expect(seen.get('consensus evan')).toBe(200);
    expect(seen.get('consensus priya')).toBe(403);
    expect(seen.get('evaluation observer')).toBe(200);
    expect(seen.get('consensus outsider')).toBe(404);
    expect((await new Visitor(server.baseUrl).get(`/rfps/${evaluation.rfpId}/scorecard.xlsx`)).status).toBe(302);
  }, 120_000);

  it('gives the lead the whole workbook, with the results page’s figures, as a safe attachment', async () => {
    await setStatus('consensus');
    const lead = visitors.lead;
    const response = await lead.get(`/rfps/${evaluation.rfpId}/scorecard.xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${evaluation.reference}-scorecard-\\d{4}-\\d{2}-\\d{2}\\.xlsx"`));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([...SHEET_ORDER]);
    const page = (await (await lead.get(`/rfps/${evaluation.rfpId}/results?_data=routes/rfps.$rfpId.results`)).json()) as {
      view: { ranking: Array<{ name: string; rank: number | null; total: string }> };
    };
    const summary = workbook.getWorksheet('Summary')!;
    let header = 0;
    summary.eachRow((row, n) => {
      if (row.getCell(1).value === 'Rank' && row.getCell(2).value === 'Vendor') header = n;
    });
    const totalColumn = summary.getRow(header).actualCellCount - 2;
    page.view.ranking.forEach((r, i) => {
      const row = summary.getRow(header + 1 + i);
      expect(row.getCell(2).value).toBe(r.name);
      expect(row.getCell(1).value).toBe(r.rank ?? 'DQ');
      expect(Number(row.getCell(totalColumn).value).toFixed(2)).toBe(r.total);
    });
    // Panel scores (consensus), responses and the audit log are the lead's to read.
    expect(cellTexts(workbook.getWorksheet('Evaluators')!).length).toBeGreaterThan(100);
    expect(String(workbook.getWorksheet('Audit')!.getCell(`A${TABLE_HEADER_ROW}`).value)).toBe('When (UTC)');
    expect(String(workbook.getWorksheet('Responses')!.getCell(`A${TABLE_HEADER_ROW}`).value)).toBe('Section');
  });

  it('leaves responses and the audit log out of an observer’s workbook, and panel scores out before consensus', async () => {
    await setStatus('consensus');
    const observer = await workbookOf(await visitors.observer.get(`/rfps/${evaluation.rfpId}/scorecard.xlsx`));
    expect(String(observer.getWorksheet('Responses')!.getCell('A2').value)).toMatch(/^Not included/);
    expect(String(observer.getWorksheet('Audit')!.getCell('A2').value)).toMatch(/^Not included/);
    expect(cellTexts(observer.getWorksheet('Rationale')!).some((t) => t.includes('shows level'))).toBe(true);
    // An evaluator recused from a vendor never sees that vendor's answers, even after consensus.
    const marcus = await workbookOf(await visitors.marcus.get(`/rfps/${evaluation.rfpId}/scorecard.xlsx`));
    const responses = marcus.getWorksheet('Responses')!;
    const header = responses.getRow(TABLE_HEADER_ROW);
    let quickServe = 0;
    header.eachCell((c, n) => {
      if (c.value === 'QuickServe AI') quickServe = n;
    });
    expect(quickServe).toBeGreaterThan(3);
    expect(responses.getCell(TABLE_HEADER_ROW + 1, quickServe).value).toBe('Withheld: you are recused from this vendor.');
    expect(responses.getCell(TABLE_HEADER_ROW + 1, quickServe - 1).value).toMatch(/'s governance answer\.$/);
    await setStatus('evaluation');
    const early = await workbookOf(await visitors.lead.get(`/rfps/${evaluation.rfpId}/scorecard.xlsx`));
    expect(String(early.getWorksheet('Evaluators')!.getCell('A2').value)).toMatch(/sealed until the RFP reaches consensus/);
    const all = early.worksheets.flatMap(cellTexts);
    expect(all.some((t) => t.includes('shows level'))).toBe(false);
    await setStatus('consensus');
  });

  it('serves the matrix and the audit log as CSV, the audit log only to those who may read it', async () => {
    const matrix = await visitors.observer.get(`/rfps/${evaluation.rfpId}/matrix.csv`);
    expect(matrix.status).toBe(200);
    expect(matrix.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const text = await matrix.text();
    expect(text.split('\r\n')[0]).toMatch(/^Section,Key,Criterion,Kind,Weight \(points\),/);
    expect(text).toContain('Total points');
    const audit = await visitors.lead.get(`/rfps/${evaluation.rfpId}/audit.csv`);
    expect(audit.status).toBe(200);
    expect((await audit.text()).split('\r\n')[0]).toBe('At (UTC),Actor,Action,Entity,Entity id,Reason,Before,After');
    expect((await visitors.observer.get(`/rfps/${evaluation.rfpId}/audit.csv`)).status).toBe(403);
    expect((await visitors.evan.get(`/rfps/${evaluation.rfpId}/audit.csv`)).status).toBe(403);
    expect((await visitors.outsider.get(`/rfps/${evaluation.rfpId}/audit.csv`)).status).toBe(404);
    expect((await visitors.admin.get(`/rfps/${evaluation.rfpId}/audit.csv`)).status).toBe(200);
  });

  it('records every export on the audit log with its format', async () => {
    const events = await handle.db
      .selectFrom('audit_event')
      .select(['actor_email', 'after_json'])
      .where('rfp_id', '=', evaluation.rfpId)
      .where('action', '=', 'rfp.export')
      .execute();
    const formats = events.map((e) => `${e.actor_email} ${(JSON.parse(e.after_json ?? '{}') as { format: string }).format}`);
    expect(formats).toContain(`${evaluation.lead.email} xlsx`);
    expect(formats).toContain(`${evaluation.observers[0]!.email} xlsx`);
    expect(formats).toContain(`${evaluation.observers[0]!.email} matrix-csv`);
    expect(formats).toContain(`${evaluation.lead.email} audit-csv`);
    // A refused download is not an export.
    expect(formats.some((f) => f.startsWith(`${evaluation.evaluators[1]!.email} `))).toBe(false);
  });

  it('links the downloads from the results page (the audit CSV only for those who may read the audit log)', async () => {
    const lead = await (await visitors.lead.get(`/rfps/${evaluation.rfpId}/results`)).text();
    expect(lead).toContain(`href="/rfps/${evaluation.rfpId}/scorecard.xlsx"`);
    expect(lead).toContain(`href="/rfps/${evaluation.rfpId}/matrix.csv"`);
    expect(lead).toContain(`href="/rfps/${evaluation.rfpId}/audit.csv"`);
    const observer = await (await visitors.observer.get(`/rfps/${evaluation.rfpId}/results`)).text();
    expect(observer).toContain(`href="/rfps/${evaluation.rfpId}/scorecard.xlsx"`);
    expect(observer).not.toContain(`href="/rfps/${evaluation.rfpId}/audit.csv"`);
  });

  it('exports the demo’s scorecard from the command line, on the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-scorecard-cli-'));
    try {
      const out = join(dir, 'demo.xlsx');
      const { stdout } = await run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'app', 'cli', 'main.ts'), 'rfp', 'export', 'DEMO-311-GENAI', '--format', 'xlsx', '--out', out], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: server.databaseUrl },
        timeout: 60_000,
      });
      expect(stdout.trim()).toBe(`Wrote ${out}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      expect(workbook.worksheets.map((s) => s.name)).toEqual([...SHEET_ORDER]);
      expect(workbook.getWorksheet('Summary')!.getCell('A1').value).toBe('Evaluation scorecard — DEMO-311-GENAI');
      const event = await handle.db.selectFrom('audit_event').select(['after_json', 'actor_email']).where('rfp_id', '=', demoRfpId).where('action', '=', 'rfp.export').executeTakeFirstOrThrow();
      expect(JSON.parse(event.after_json!)).toEqual({ format: 'xlsx', via: 'cli' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
