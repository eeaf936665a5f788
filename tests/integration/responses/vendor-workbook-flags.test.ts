/**
 * Tampered and misdirected vendor workbooks, through the import screen on the real server: every flag the import
 * raises (another vendor, edited question text, edited options, no signature, a signature that does not match,
 * another RFP, another questionnaire version), the refusal until the lead accepts with a reason, and the audit event
 * that records the acceptance. Also: the signing secret is made once and shared, even by callers racing to make it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbookSigningSecret } from '#app/responses/workbook-signing.server';
import { parseVendorWorkbook } from '#app/xlsx/vendor-response-import.server';
import { verifyIssue } from '#app/xlsx/vendor-workbook-signature.server';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { getInstallationSecret } from '#db/queries/installation-secrets';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const dir = mkdtempSync(join(tmpdir(), 'wb-vendor-flags-'));

/** React separates adjacent text pieces with empty comments in server HTML. */
const withoutReactMarkers = (html: string) => html.replaceAll('<!-- -->', '');

type Edit = (workbook: ExcelJS.Workbook) => void;

/** The section sheets' rows by key: the cells of one question, found by header text as a vendor's tool would. */
function sectionRows(workbook: ExcelJS.Workbook): Map<string, { sheet: ExcelJS.Worksheet; row: ExcelJS.Row; column: (header: string) => number }> {
  const rows = new Map<string, { sheet: ExcelJS.Worksheet; row: ExcelJS.Row; column: (header: string) => number }>();
  for (const sheet of workbook.worksheets) {
    if (sheet.name.startsWith('_')) continue;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim().toLowerCase());
    const column = (name: string) => header.indexOf(name.toLowerCase());
    if (column('key') < 1 || column('answer') < 1) continue;
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(column('key')).value) rows.set(String(row.getCell(column('key')).value), { sheet, row, column });
    });
  }
  return rows;
}

/**
 * Answers every text question (as the vendor would; the answers name the file, so each workbook changes something),
 * then applies `edits`. Returns the file and how many questions it answered.
 */
async function fillAndEdit(source: string, name: string, ...edits: Edit[]): Promise<{ path: string; filled: number }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(source);
  let filled = 0;
  for (const [key, { row, column }] of sectionRows(workbook)) {
    if (String(row.getCell(column('answer type')).value) !== 'Text') continue;
    row.getCell(column('answer')).value = `Our answer to ${key} (${name}).`;
    filled += 1;
  }
  for (const edit of edits) edit(workbook);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return { path, filled };
}

const setQuestion = (key: string, text: string): Edit => (workbook) => {
  const { row, column } = sectionRows(workbook).get(key)!;
  row.getCell(column('question')).value = text;
};

describe('vendor workbooks the import flags', () => {
  let server: TestServer;
  let lead: Visitor;
  let handle: DatabaseHandle;
  let rfpId: string;
  let vendorA: string;
  let vendorB: string;
  let rai01: { id: string; text: string };

  beforeAll(async () => {
    server = await startTestServer();
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    rai01 = await handle.db.selectFrom('question').select(['id', 'text']).where('rfp_id', '=', rfpId).where('key', '=', 'RAI-01').executeTakeFirstOrThrow();
    const add = async (name: string, key: string) => (await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name, key })).headers.get('location')!.split('/').pop()!;
    vendorA = await add('Flag Vendor A', 'flag-a');
    vendorB = await add('Flag Vendor B', 'flag-b');
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  const download = async (name: string, path: string) => {
    const response = await lead.get(path);
    expect(response.status).toBe(200);
    const file = join(dir, name);
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
    return file;
  };
  const workbookFor = (submissionId: string, name: string) => download(name, `/rfps/${rfpId}/vendor-workbook.xlsx?submission=${submissionId}`);

  /** Uploads on the vendor's import page; returns the preview page's text and the ids the confirm form carries. */
  const uploadAndPreview = async (submissionId: string, path: string) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(readFileSync(path))], path.split('/').pop()!));
    const uploaded = await lead.request(`/rfps/${rfpId}/vendors/${submissionId}/import`, { method: 'POST', body: form, headers: { origin: server.baseUrl } });
    expect(uploaded.status).toBe(302);
    const location = uploaded.headers.get('location')!;
    const html = withoutReactMarkers(await (await lead.get(location)).text());
    return {
      html,
      uploadId: new URL(location, server.baseUrl).searchParams.get('upload')!,
      digest: /name="flagsDigest" value="([0-9a-f]*)"/.exec(html)?.[1] ?? null,
    };
  };
  const confirm = (submissionId: string, fields: Record<string, string>) => lead.post(`/rfps/${rfpId}/vendors/${submissionId}/import`, { intent: 'confirm', ...fields });
  const answers = async (submissionId: string) =>
    Number((await handle.db.selectFrom('answer').select((eb) => eb.fn.countAll().as('n')).where('submission_id', '=', submissionId).executeTakeFirstOrThrow()).n);
  const imports = (submissionId: string) =>
    handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'responses.import').where('entity_id', '=', submissionId).orderBy('id').execute();

  it('signs with the installation’s secret, which every process reads from the database', async () => {
    const file = await workbookFor(vendorA, 'signed.xlsx');
    const parsed = await parseVendorWorkbook(new Uint8Array(readFileSync(file)), 'signed.xlsx');
    expect(parsed.signed?.issue).toMatchObject({ rfpId, vendor: { key: 'flag-a', name: 'Flag Vendor A' }, questionnaireVersion: 1 });
    const secret = await workbookSigningSecret(handle.db, {});
    expect(verifyIssue(parsed.signed!.issue!, parsed.signed!.signature!, secret)).toBe(true);
    expect(verifyIssue(parsed.signed!.issue!, parsed.signed!.signature!, 'some-other-secret-some-other-secret')).toBe(false);
  });

  it('makes the secret once, even when many callers race to make it', async () => {
    const values = await Promise.all(Array.from({ length: 20 }, () => getInstallationSecret(handle.db, 'race-test')));
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await handle.db.selectFrom('installation_secret').select('name').where('name', '=', 'race-test').execute();
    expect(rows).toHaveLength(1);
    // WORKBOOK_SIGNING_SECRET overrides it, and must be long enough to be a key.
    expect(await workbookSigningSecret(handle.db, { WORKBOOK_SIGNING_SECRET: 'k'.repeat(40) })).toBe('k'.repeat(40));
    await expect(workbookSigningSecret(handle.db, { WORKBOOK_SIGNING_SECRET: 'short' })).rejects.toThrow(/at least 32 characters/);
  });

  it('refuses a workbook issued to vendor B on vendor A’s page until the lead accepts it with a reason, and audits the acceptance', async () => {
    const { path, filled } = await fillAndEdit(await workbookFor(vendorB, 'for-b.xlsx'), 'filled-for-b.xlsx');
    const preview = await uploadAndPreview(vendorA, path);
    expect(preview.html).toContain('This workbook is flagged: every row is refused unless you accept it');
    expect(preview.html).toContain('Issued to another vendor.');
    expect(preview.html).toContain('This workbook was issued to Flag Vendor B (flag-b), not to Flag Vendor A. Check that you are on the right vendor’s page.');
    expect(preview.html).toContain('Accept the flagged workbook and import it as it is');
    expect(preview.digest).toMatch(/^[0-9a-f]{32}$/);

    const notTicked = await confirm(vendorA, { upload: preview.uploadId, flagsDigest: preview.digest!, reason: 'Vendor confirmed by email' });
    expect(notTicked.status).toBe(400);
    expect(withoutReactMarkers(await notTicked.text())).toContain('This workbook is flagged. Tick “Accept the flagged workbook” and give a reason');
    const noReason = await confirm(vendorA, { upload: preview.uploadId, flagsDigest: preview.digest!, acceptFlags: 'yes', reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Give the reason for accepting the flagged workbook');
    const otherFlags = await confirm(vendorA, { upload: preview.uploadId, flagsDigest: '0'.repeat(32), acceptFlags: 'yes', reason: 'Vendor confirmed by email' });
    expect(otherFlags.status).toBe(409);
    expect(await answers(vendorA)).toBe(0);
    expect(await imports(vendorA)).toEqual([]);

    const reason = 'Flag Vendor A sent the workbook B shared with them; A confirmed the answers by email on 1 Dec.';
    const accepted = await confirm(vendorA, { upload: preview.uploadId, flagsDigest: preview.digest!, acceptFlags: 'yes', reason });
    expect(accepted.status).toBe(302);
    expect(await answers(vendorA)).toBe(filled);
    const [event] = await imports(vendorA);
    expect(event!.reason).toBe(reason);
    expect(event!.actor_email).toBe('officer@city.example');
    expect(JSON.parse(event!.after_json!)).toMatchObject({
      changed: filled,
      signature: 'valid',
      issuedTo: 'flag-b',
      acceptedFlags: { workbook: [{ code: 'other_vendor', message: expect.stringContaining('issued to Flag Vendor B') }], rows: [] },
    });
  });

  it('flags a rewritten question and rewritten options, showing the difference as text, and refuses them without acceptance', async () => {
    const rewritten = `${rai01.text} <img src=x onerror=alert(1)> Answer only for the pilot.`;
    const { path } = await fillAndEdit(await workbookFor(vendorB, 'for-b-2.xlsx'), 'rewritten.xlsx', setQuestion('RAI-01', rewritten), (workbook) => {
      const choice = [...sectionRows(workbook).values()].find(({ row, column }) => String(row.getCell(column('answer type')).value).startsWith('Pick one'))!;
      choice.row.getCell(choice.column('answer type')).value = 'Pick one from the list:\n• Whatever the vendor prefers';
    });
    const preview = await uploadAndPreview(vendorB, path);
    expect(preview.html).not.toContain('This workbook is flagged: every row');
    expect(preview.html).toContain('Question text edited in the workbook.');
    expect(preview.html).toContain('The question text in the workbook is not the text issued.');
    expect(preview.html).toContain('Answer type or options edited in the workbook.');
    // The difference: what was added is marked, and the vendor's markup stays text.
    expect(preview.html).toMatch(/<ins><span class="usa-sr-only">\[in the workbook: <\/span> &lt;img src=x onerror=alert\(1\)&gt; Answer only for the pilot\.<span/);
    expect(preview.html).not.toContain('<img src=x');
    expect(preview.html).toMatch(/<del><span class="usa-sr-only">\[as issued: <\/span>/);

    expect((await confirm(vendorB, { upload: preview.uploadId, flagsDigest: preview.digest! })).status).toBe(400);
    expect(await answers(vendorB)).toBe(0);
  });

  it('flags a workbook without a signature (made before signing) and one whose hidden record was changed', async () => {
    const stripSignature: Edit = (workbook) => {
      workbook.removeWorksheet(workbook.getWorksheet('_issued')!.id);
      workbook.getWorksheet('_meta')!.eachRow((row) => {
        if (['signature', 'signatureScheme'].includes(String(row.getCell(1).value))) row.getCell(2).value = null;
      });
    };
    const unsigned = await uploadAndPreview(vendorB, (await fillAndEdit(await workbookFor(vendorB, 'for-b-3.xlsx'), 'unsigned.xlsx', stripSignature)).path);
    expect(unsigned.html).toContain('No signature.');
    expect(unsigned.html).toContain('This workbook carries no signature');

    const rewriteRecord: Edit = (workbook) => {
      const issued = workbook.getWorksheet('_issued')!;
      issued.eachRow((row) => {
        if (row.getCell(1).value === 'RAI-01') row.getCell(2).value = 'Say anything.';
      });
      setQuestion('RAI-01', 'Say anything.')(workbook);
    };
    const tampered = await uploadAndPreview(vendorB, (await fillAndEdit(await workbookFor(vendorB, 'for-b-4.xlsx'), 'tampered.xlsx', rewriteRecord)).path);
    expect(tampered.html).toContain('Signature does not match.');
    // Without a record it can trust, the row is compared with the questionnaire as it is.
    expect(tampered.html).toContain('The question text in the workbook differs from the questionnaire.');
    for (const preview of [unsigned, tampered]) expect((await confirm(vendorB, { upload: preview.uploadId, flagsDigest: preview.digest! })).status).toBe(400);
    expect(await answers(vendorB)).toBe(0);
  });

  it('imports the blank workbook on any vendor’s page without flags, saying it was issued blank', async () => {
    const { path, filled } = await fillAndEdit(await download('blank.xlsx', `/rfps/${rfpId}/vendor-workbook.xlsx`), 'blank-filled.xlsx');
    const preview = await uploadAndPreview(vendorB, path);
    expect(preview.html).toContain('Signature verified: this is the blank workbook issued by this workbench.');
    expect(preview.html).toContain('This workbook was issued blank, to no particular vendor, and no vendor name is typed in it. Check that it came from Flag Vendor B.');
    expect(preview.html).not.toContain('Accept the flagged workbook');
    expect((await confirm(vendorB, { upload: preview.uploadId, flagsDigest: preview.digest ?? '' })).status).toBe(302);
    expect(await answers(vendorB)).toBe(filled);
    const [event] = await imports(vendorB);
    expect(event!.reason).toBeNull();
    expect(JSON.parse(event!.after_json!)).toMatchObject({ signature: 'valid', issuedTo: null });
    expect(JSON.parse(event!.after_json!)).not.toHaveProperty('acceptedFlags');
  });

  it('flags a workbook of another RFP', async () => {
    const cloned = await lead.post(`/rfps/${rfpId}/clone`, { reference: 'FLAGS-CLONE-01', title: 'Clone for the flags test' });
    expect(cloned.status).toBe(302);
    const cloneId = cloned.headers.get('location')!.split('/')[2]!;
    const { path } = await fillAndEdit(await download('clone.xlsx', `/rfps/${cloneId}/vendor-workbook.xlsx`), 'clone-filled.xlsx');
    const preview = await uploadAndPreview(vendorA, path);
    expect(preview.html).toContain('Issued for another RFP.');
    expect(preview.html).toContain('This workbook was issued for FLAGS-CLONE-01, not DEMO-311-GENAI.');
    expect((await confirm(vendorA, { upload: preview.uploadId, flagsDigest: preview.digest! })).status).toBe(400);
  });

  it('flags a workbook of an earlier questionnaire version, and the question edited since it was issued', async () => {
    const issued = await workbookFor(vendorA, 'v1.xlsx');
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'draft', reason: 'Clarify RAI-01' })).status).toBe(200);
    const question = await handle.db.selectFrom('question').selectAll().where('id', '=', rai01.id).executeTakeFirstOrThrow();
    const edited = await lead.post(`/rfps/${rfpId}/questionnaire/questions/${rai01.id}`, {
      key: question.key,
      text: `${question.text} Include third-party models.`,
      guidance: question.guidance ?? '',
      answerType: question.answer_type,
      required: question.required ? 'yes' : 'no',
    });
    expect(edited.status).toBe(200);
    expect((await lead.post(`/rfps/${rfpId}/status`, { to: 'open' })).status).toBe(200);

    const preview = await uploadAndPreview(vendorA, (await fillAndEdit(issued, 'v1-filled.xlsx')).path);
    expect(preview.html).toContain('Another questionnaire version.');
    expect(preview.html).toContain('This workbook is for questionnaire version 1; the current version is 2');
    expect(preview.html).toContain('Question changed since the workbook was issued.');
    expect(preview.html).toMatch(/<ins><span class="usa-sr-only">\[the questionnaire now: <\/span> Include third-party models\.<span/);
    expect((await confirm(vendorA, { upload: preview.uploadId, flagsDigest: preview.digest! })).status).toBe(400);
  });
});
