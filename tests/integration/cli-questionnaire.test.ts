/**
 * `workbench questionnaire preview|import` (issue 11, item 8): the page's import for scripts — the preview as JSON in
 * the documented shape, options overriding the proposal, and an import into a draft RFP that is all-or-nothing,
 * audited as the system, recognises a file imported before, and is refused for an RFP that is not a draft.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { listAuditEvents, SYSTEM_ACTOR } from '#db/queries/audit';
import { getQuestionnaire } from '#db/queries/questionnaire';
import { createRfp } from '#db/queries/rfps';
import { createUser } from '#db/queries/users';
import { runCli } from '#tests/support/cli';
import { createServerDatabaseUrl } from '#tests/support/db';

const QUESTIONNAIRE = [
  'Ref,Domain,Question,Response type,Options,Tier',
  'GOV-01,Governance,Who approves changes to the model?,Text,,Core',
  'GOV-02,Governance,Do you keep a register of model versions?,Text,,Extended',
  'DAT-01,Data,Where is customer data stored?,Choice,United States;European Union,Core',
  'DAT-02!,Data,Is a key with a bang kept?,Text,,Core',
].join('\r\n');

describe('workbench questionnaire', () => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  let file: string;
  const cli = (args: string[]) => runCli(databaseUrl, args);

  async function withDb<T>(work: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(databaseUrl);
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await createServerDatabaseUrl());
    const dir = mkdtempSync(join(tmpdir(), 'wb-cli-questionnaire-'));
    file = join(dir, 'security questionnaire.csv');
    writeFileSync(file, `${QUESTIONNAIRE}\r\n`);
    await withDb(async (db) => {
      await migrateToLatest(db);
      const officer = await createUser(db, SYSTEM_ACTOR, { email: 'officer@city.example', name: 'Officer', role: 'officer', passwordHash: 'x' });
      await createRfp(db, officer, { reference: 'RFP-CLI', title: 'Draft', department: 'IT', summary: 'S' });
      const open = await createRfp(db, officer, { reference: 'RFP-OPEN', title: 'Open', department: 'IT', summary: 'S' });
      await db.updateTable('rfp').set({ status: 'open' }).where('id', '=', open.id).execute();
    });
  });
  afterAll(async () => {
    await cleanup();
  });

  it('previews a file as JSON in the documented shape, with the proposed mapping', async () => {
    const result = await cli(['questionnaire', 'preview', file, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      sheet: 'security questionnaire',
      headerRow: 1,
      mapping: { key: 1, question: 3, section: 2, guidance: null, answerType: 4, options: 5, required: null, references: null },
      sheets: [{ name: 'security questionnaire', rows: 5 }],
      sections: [
        {
          title: 'Governance',
          questions: [
            { key: 'GOV-01', text: 'Who approves changes to the model?', answerType: 'text', options: [] },
            { key: 'GOV-02', text: 'Do you keep a register of model versions?', answerType: 'text', options: [] },
          ],
        },
        {
          title: 'Data',
          questions: [
            {
              key: 'DAT-01',
              text: 'Where is customer data stored?',
              answerType: 'choice',
              options: [
                { label: 'United States', autoScore: null },
                { label: 'European Union', autoScore: null },
              ],
            },
          ],
        },
      ],
      // A key that breaks the key rule is skipped with its reason, never rewritten.
      skipped: [{ row: 5, reason: expect.stringContaining('key “DAT-02!” has characters a key cannot have') }],
      warnings: [expect.stringContaining('row 5')],
      only: null,
    });
  });

  it('lets --map override the proposal and --only keep the rows flagged in a column', async () => {
    const result = await cli(['questionnaire', 'preview', file, '--json', '--map', 'section=none,answerType=none', '--only', '6=core']);
    expect(result.status, result.stderr).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview.mapping).toMatchObject({ key: 1, question: 3, section: null, answerType: null, options: 5 });
    expect(preview.sections.flatMap((s: { questions: Array<{ key: string }> }) => s.questions.map((q) => q.key))).toEqual(['GOV-01', 'DAT-01']);
    expect(preview.skipped.map((s: { row: number }) => s.row)).toContain(3);
    expect(preview.only).toEqual({ column: 6, value: 'core' });
    // --only none drops a filter (the proposal's, too).
    const all = JSON.parse((await cli(['questionnaire', 'preview', file, '--json', '--only', 'none'])).stdout);
    expect(all.only).toBeNull();
    expect(all.sections.flatMap((s: { questions: unknown[] }) => s.questions)).toHaveLength(3);
    // Without --json: a readable summary.
    const text = await cli(['questionnaire', 'preview', file, '--only', '6=Core']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('2 question(s) in 2 section(s)');
    expect(text.stdout).toMatch(/GOV-01\s+text\s+Who approves changes to the model\?/);
  });

  it('answers a usage error with exit 2 and a refusal of the file with exit 1', async () => {
    const badMap = await cli(['questionnaire', 'preview', file, '--map', 'colour=2']);
    expect(badMap.status).toBe(2);
    expect(badMap.stderr).toMatch(/--map: “colour=2” is not field=column/);
    expect((await cli(['questionnaire', 'preview'])).status).toBe(2);
    expect((await cli(['questionnaire', 'import', 'RFP-CLI', file, '--on-collision', 'merge'])).status).toBe(2);
    const missing = await cli(['questionnaire', 'preview', join(tmpdir(), 'no-such-file.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read/);
    const noSheet = await cli(['questionnaire', 'preview', file, '--header-row', '1', '--map', 'question=none']);
    expect(noSheet.status).toBe(1);
    expect(noSheet.stderr).toContain('Choose the column that holds the question text.');
  });

  it('imports into a draft RFP exactly what it previews, audited as the system; a second run is recognised and skips every key', async () => {
    const imported = await cli(['questionnaire', 'import', 'RFP-CLI', file]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 3 new question\(s\) into RFP-CLI \(2 new section\(s\)\), updated 0/);
    const stored = await withDb(async (db) => {
      const rfp = (await db.selectFrom('rfp').select('id').where('reference', '=', 'RFP-CLI').executeTakeFirstOrThrow()).id;
      const sections = (await getQuestionnaire(db, rfp)).map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => q.key))]);
      const events = await listAuditEvents(db, { rfpId: rfp, action: 'questionnaire.import' });
      return { sections, events };
    });
    expect(stored.sections).toEqual([
      ['Governance', ['GOV-01', 'GOV-02']],
      ['Data', ['DAT-01']],
    ]);
    expect(stored.events).toHaveLength(1);
    expect(stored.events[0]!.actor_email).toBe('system');
    expect(JSON.parse(stored.events[0]!.after_json!)).toMatchObject({ file: 'security questionnaire.csv', questions: 3 });

    const again = await cli(['questionnaire', 'import', 'RFP-CLI', file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already imported into RFP-CLI');
    expect(again.stderr).toContain('Nothing to import');

    const updated = await cli(['questionnaire', 'import', 'RFP-CLI', file, '--on-collision', 'update']);
    expect(updated.status, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/Imported 0 new question\(s\) .*updated 3/);
    const keys = await withDb(async (db) => (await db.selectFrom('question').innerJoin('rfp', 'rfp.id', 'question.rfp_id').select('question.key').where('rfp.reference', '=', 'RFP-CLI').execute()).map((r) => r.key));
    expect(keys.sort()).toEqual(['DAT-01', 'GOV-01', 'GOV-02']);
  });

  it('refuses to import into an RFP that is not a draft, or one that does not exist', async () => {
    const open = await cli(['questionnaire', 'import', 'RFP-OPEN', file]);
    expect(open.status).toBe(1);
    expect(open.stderr).toContain('The questionnaire of RFP-OPEN is locked because the RFP is open for responses');
    const nope = await cli(['questionnaire', 'import', 'NOPE', file]);
    expect(nope.status).toBe(1);
    expect(nope.stderr).toContain('No RFP with the reference NOPE.');
  });
});
