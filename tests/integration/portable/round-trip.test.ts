/**
 * The portable RFP file's round trip (DESIGN §9): export an evaluation, import it into a fresh installation, export
 * again — the two files have the same content apart from `exportedAt` and the appended `rfp.import` event. Runs on the
 * run's dialect (SQLite → SQLite, PostgreSQL → PostgreSQL); with TEST_POSTGRES_ADMIN_URL set, also SQLite →
 * PostgreSQL → SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { everythingFor } from '#app/confidentiality/panel';
import { loadDemo } from '#app/demo/load-demo.server';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { verifyPassword } from '#db/password';
import { buildPortableRfp, exportPortableByReference } from '#db/portable/export';
import { importPortableRfp, PortableImportError } from '#db/portable/import';
import type { PortableRfpFile } from '#db/portable/schema';
import { verifyAuditChain } from '#db/queries/audit';
import { getRfpByReference } from '#db/queries/rfps';
import { DEMO_PASSWORD, DEMO_RFP_REFERENCE } from '#db/seed';
import { createEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { createPostgresDatabase, createTestDatabase } from '#tests/support/db';
import { closeDatabase, content, createAccount, expectSameContent } from './helpers';

/** A JSON copy, as the file travels between installations. */
const travel = (file: PortableRfpFile): unknown => JSON.parse(JSON.stringify(file));

async function countRows(handle: DatabaseHandle, table: 'rfp' | 'app_user' | 'vendor' | 'audit_event'): Promise<number> {
  const row = await handle.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('portable RFP file round trip', () => {
  const open: DatabaseHandle[] = [];
  const fresh = async () => {
    const handle = await createTestDatabase();
    open.push(handle);
    return handle;
  };
  afterEach(async () => {
    for (const handle of open.splice(0)) await closeDatabase(handle);
  });

  it('carries the whole demo evaluation into a fresh database and back out unchanged', async () => {
    const source = await fresh();
    await loadDemo(source.db);
    const first = await exportPortableByReference(source.db, DEMO_RFP_REFERENCE, everythingFor);

    // The file carries everything (DESIGN §9), not empty placeholders.
    expect(first.vendors.map((v) => v.key)).toEqual([...first.vendors.map((v) => v.key)].sort());
    expect(first.submissions).toHaveLength(4);
    for (const s of first.submissions) {
      expect(Object.keys(s.answers)).toHaveLength(66);
      expect(s.status).toBe('responsive');
      expect(s.price).toBeGreaterThan(0);
    }
    expect(first.evaluators.map((e) => [e.email, e.coi, e.sections])).toEqual([
      ['evaluator1@city.example', 'none', null],
      ['evaluator2@city.example', 'none', null],
      ['evaluator3@city.example', 'none', null],
    ]);
    expect(first.scores.length).toBeGreaterThan(3 * 4 * 5);
    expect(first.scores.every((s) => s.submitted && s.rationale.length > 0)).toBe(true);
    expect(first.consensus.length).toBeGreaterThan(0);
    expect(first.consensus.every((c) => c.decidedBy === 'officer@city.example')).toBe(true);
    expect(first.members).toEqual([
      { email: 'officer@city.example', name: 'Olivia Ortiz', role: 'lead' },
      { email: 'leader@city.example', name: 'Dana Whitfield', role: 'observer' },
    ]);
    expect(first.results.final).toBe(true);
    expect(first.results.ranking[0]?.rank).toBe(1);
    const times = first.audit.map((e) => e.at);
    expect(times).toEqual([...times].sort());

    // Deterministic: a second export of the same data differs only in exportedAt.
    const again = await exportPortableByReference(source.db, DEMO_RFP_REFERENCE, everythingFor);
    expect(JSON.stringify({ ...again, exportedAt: '' })).toBe(JSON.stringify({ ...first, exportedAt: '' }));

    // The other installation: only the lead's account exists.
    const target = await fresh();
    await createAccount(target, 'officer@city.example', 'officer', 'Olivia Ortiz');
    const summary = await importPortableRfp(target.db, travel(first));
    expect(summary.resultsMatch).toBe(true);
    expect(summary.leads).toEqual(['officer@city.example']);
    expect(summary.createdAccounts.sort()).toEqual(['evaluator1@city.example', 'evaluator2@city.example', 'evaluator3@city.example', 'leader@city.example']);
    expect(summary.counts).toMatchObject({ submissions: 4, answers: 4 * 66, evaluators: 3, scores: first.scores.length, audit: first.audit.length });

    const second = await exportPortableByReference(target.db, DEMO_RFP_REFERENCE, everythingFor);
    expectSameContent(first, second);
    const imported = second.audit.at(-1)!;
    expect(imported).toMatchObject({ action: 'rfp.import', actor: 'system', entity: 'rfp' });

    // New accounts are disabled, with the role their part gives them and no password that works.
    const accounts = await target.db.selectFrom('app_user').selectAll().where('email', '!=', 'officer@city.example').orderBy('email').execute();
    expect(accounts.map((a) => [a.email, a.role, a.disabled])).toEqual([
      ['evaluator1@city.example', 'evaluator', 1],
      ['evaluator2@city.example', 'evaluator', 1],
      ['evaluator3@city.example', 'evaluator', 1],
      ['leader@city.example', 'viewer', 1],
    ]);
    expect(await verifyPassword(accounts[0]!.password_hash, DEMO_PASSWORD)).toBe(false);
    // The file's events keep their actor's email but no actor id (the ids belong to the other installation).
    const rows = await target.db.selectFrom('audit_event').select(['actor_id', 'actor_email', 'action']).where('rfp_id', '=', summary.rfpId).orderBy('id').execute();
    expect(rows.slice(0, -1).every((r) => r.actor_id === null)).toBe(true);
    expect(rows.some((r) => r.actor_email === 'evaluator1@city.example' && r.action === 'scoresheet.submit')).toBe(true);

    // The file carries the source's audit chain head; the import chains the events afresh here and records that head.
    const sourceRfp = (await getRfpByReference(source.db, DEMO_RFP_REFERENCE))!;
    const sourceChain = await verifyAuditChain(source.db, sourceRfp.id);
    expect(sourceChain.broken).toBeNull();
    expect(first.auditChain).toEqual({ head: sourceChain.head, count: first.audit.length });
    const targetChain = await verifyAuditChain(target.db, summary.rfpId);
    expect(targetChain).toMatchObject({ broken: null, count: first.audit.length + 1 });
    expect(second.auditChain).toEqual({ head: targetChain.head, count: first.audit.length + 1 });
    expect(imported.after).toMatchObject({ sourceAuditChain: first.auditChain });
  }, 120_000);

  it('keeps recusals, declared conflicts, section scopes, in-progress sheets and withdrawn vendors; reuses registry vendors', async () => {
    const source = await fresh();
    const evaluation = await createEvaluation(source.db, {
      ...DEFAULT_EVALUATION,
      status: 'evaluation',
      // Priya has not finished BudgetBot; Evan has no sheet for OmniSight yet.
      sheet: (e, v) => (e === 1 && v === 2 ? 'in_progress' : e === 0 && v === 3 ? null : 'submitted'),
      score: (ctx) => (ctx.evaluator === 0 && ctx.vendor === 3 ? null : DEFAULT_EVALUATION.score(ctx)),
      consensus: [],
    });
    const [evan, priya] = evaluation.evaluators;
    const scoped = evaluation.sections.filter((s) => s.key === 'responsible-ai' || s.key === 'accessibility').map((s) => s.id);
    await source.db
      .updateTable('assignment')
      .set({ section_ids_json: JSON.stringify(scoped.sort()), coi_status: 'pending', coi_statement: null, attested_at: null })
      .where('user_id', '=', priya!.id)
      .execute();
    await source.db.updateTable('assignment').set({ coi_statement_sha256: 'ab'.repeat(32) }).where('user_id', '=', evan!.id).execute();
    const rfp = await source.db.selectFrom('rfp').selectAll().where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow();
    const first = await buildPortableRfp(source.db, rfp, everythingFor(rfp));

    const marcus = first.evaluators.find((e) => e.name === 'Marcus Bell')!;
    const quickServe = evaluation.vendors.find((v) => v.name === 'QuickServe AI')!.key;
    expect(marcus).toMatchObject({ coi: 'declared: Former employee of a bidder.', recusedFrom: [quickServe], recusalReasons: { [quickServe]: 'Former employee of this vendor.' } });
    expect(first.evaluators.find((e) => e.name === 'Priya Natarajan')).toMatchObject({ coi: null, sections: ['responsible-ai', 'accessibility'] });
    expect(first.scoresheets!.filter((s) => s.status === 'in_progress')).toHaveLength(1);
    expect(first.submissions.find((s) => s.status === 'withdrawn')?.statusReason).toMatch(/Withdrew/);
    expect(first.members!.map((m) => m.role)).toEqual(['lead', 'observer']);

    const target = await fresh();
    await createAccount(target, evaluation.lead.email, 'officer', evaluation.lead.name);
    // One vendor is already in the other installation's registry (under another name): it is reused, not duplicated.
    const budgetBot = evaluation.vendors.find((v) => v.name === 'BudgetBot LLC')!;
    await target.db.insertInto('vendor').values({ id: 'registry-budgetbot', key: budgetBot.key, name: 'BudgetBot LLC', website: null, contact_name: null, contact_email: null, created_at: rfp.created_at }).execute();
    const summary = await importPortableRfp(target.db, travel(first));
    expect(summary).toMatchObject({ vendorsCreated: 4, vendorsReused: 1, resultsMatch: true });
    expect(await countRows(target, 'vendor')).toBe(5);
    const second = await exportPortableByReference(target.db, evaluation.reference, everythingFor);
    expectSameContent(first, second);
    const submission = await target.db.selectFrom('submission').select('vendor_id').where('rfp_id', '=', summary.rfpId).where('vendor_id', '=', 'registry-budgetbot').executeTakeFirst();
    expect(submission).toBeDefined();
  });

  it('refuses, writing nothing, a reference that exists, a file without a usable lead, and a lead who is not an officer', async () => {
    const source = await fresh();
    const evaluation = await createEvaluation(source.db);
    const file = await exportPortableByReference(source.db, evaluation.reference, everythingFor);

    const target = await fresh();
    await createAccount(target, 'evaluator.here@city.example', 'evaluator');
    const before = { rfp: await countRows(target, 'rfp'), users: await countRows(target, 'app_user'), vendors: await countRows(target, 'vendor'), audit: await countRows(target, 'audit_event') };
    const nothingWritten = async () =>
      expect({ rfp: await countRows(target, 'rfp'), users: await countRows(target, 'app_user'), vendors: await countRows(target, 'vendor'), audit: await countRows(target, 'audit_event') }).toEqual(before);

    await expect(importPortableRfp(target.db, travel(file))).rejects.toThrow(/has no officer or admin account here; name the lead with --lead <email>/);
    await nothingWritten();
    await expect(importPortableRfp(target.db, { ...file, members: [] })).rejects.toThrow(/does not name a lead; name one with --lead/);
    await expect(importPortableRfp(target.db, travel(file), { leadEmail: 'evaluator.here@city.example' })).rejects.toThrow(/role is evaluator; a lead must be an officer or admin/);
    await expect(importPortableRfp(target.db, travel(file), { leadEmail: 'nobody@city.example' })).rejects.toThrow(/no account with that email/);
    await nothingWritten();

    // An unknown question key in an answer refuses the whole file, naming the path.
    const withAnswer = travel(file) as PortableRfpFile;
    withAnswer.submissions[0]!.answers['NOPE-1'] = 'An answer to nothing';
    await createAccount(target, 'chief@city.example', 'admin');
    before.users += 1;
    const unknownKey = importPortableRfp(target.db, withAnswer, { leadEmail: 'chief@city.example' });
    await expect(unknownKey).rejects.toBeInstanceOf(PortableImportError);
    await expect(unknownKey).rejects.toThrow('$.submissions[0].answers["NOPE-1"]: answers question NOPE-1, which is not in the questionnaire');
    await nothingWritten();

    // --lead names the lead when the file's lead has no account here; the file's lead is reported, not created.
    const summary = await importPortableRfp(target.db, travel(file), { leadEmail: 'Chief@City.example' });
    expect(summary.leads).toEqual(['chief@city.example']);
    expect(summary.leadsNotFound).toEqual([evaluation.lead.email]);
    const members = await target.db.selectFrom('rfp_member').innerJoin('app_user', 'app_user.id', 'rfp_member.user_id').select(['app_user.email', 'rfp_member.role']).where('rfp_id', '=', summary.rfpId).execute();
    expect(members.filter((m) => m.role === 'lead').map((m) => m.email)).toEqual(['chief@city.example']);

    const auditBefore = await countRows(target, 'audit_event');
    await expect(importPortableRfp(target.db, travel(file), { leadEmail: 'chief@city.example' })).rejects.toThrow(`An RFP with the reference ${evaluation.reference} already exists here`);
    expect(await countRows(target, 'audit_event')).toBe(auditBefore);
    expect(await countRows(target, 'rfp')).toBe(1);
  });
});

// Needs both databases at once: it runs in npm test's PostgreSQL pass (which sets TEST_POSTGRES_ADMIN_URL), not in the SQLite pass.
describe.skipIf(!process.env.TEST_POSTGRES_ADMIN_URL)('portable RFP file across dialects', () => {
  it('moves the demo from SQLite to PostgreSQL and back to SQLite with the same content', async () => {
    const sqlite = openDatabase(':memory:');
    const pgDatabase = await createPostgresDatabase();
    const postgres = openDatabase(pgDatabase.url);
    const sqliteAgain = openDatabase(':memory:');
    try {
      await migrateToLatest(sqlite.db);
      await migrateToLatest(sqliteAgain.db);
      await loadDemo(sqlite.db);
      const fromSqlite = await exportPortableByReference(sqlite.db, DEMO_RFP_REFERENCE, everythingFor);

      await createAccount(postgres, 'officer@city.example', 'officer', 'Olivia Ortiz');
      expect((await importPortableRfp(postgres.db, travel(fromSqlite))).resultsMatch).toBe(true);
      const fromPostgres = await exportPortableByReference(postgres.db, DEMO_RFP_REFERENCE, everythingFor);
      expectSameContent(fromSqlite, fromPostgres);

      await createAccount(sqliteAgain, 'officer@city.example', 'officer', 'Olivia Ortiz');
      expect((await importPortableRfp(sqliteAgain.db, travel(fromPostgres))).resultsMatch).toBe(true);
      const back = await exportPortableByReference(sqliteAgain.db, DEMO_RFP_REFERENCE, everythingFor);
      expectSameContent(fromSqlite, back, 2);
      expect(content(back)).toEqual(content(fromPostgres));
    } finally {
      await closeDatabase(sqlite);
      await closeDatabase(sqliteAgain);
      await postgres.db.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await postgres.close();
      await pgDatabase.drop();
    }
  }, 180_000);
});
