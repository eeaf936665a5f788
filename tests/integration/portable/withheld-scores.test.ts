/**
 * The portable file and panel confidentiality (DESIGN §2, §9): a download before consensus carries nobody's individual
 * scores but the downloader's own, says what it withheld, still validates and still imports (saying the scores were
 * withheld); the command line's export carries everything and says, in the file and on stderr, that it holds sealed
 * scores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { everythingFor } from '#app/confidentiality/panel';
import { loadPanelViewer } from '#app/confidentiality/panel.server';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { buildPortableRfp } from '#db/portable/export';
import { describeImport, importPortableRfp } from '#db/portable/import';
import { portableRfpFileSchema, type PortableRfpFile } from '#db/portable/schema';
import { saveEvaluatorScore } from '#db/queries/evaluation';
import { runCli } from '#tests/support/cli';
import { createEvaluation, DEFAULT_EVALUATION } from '#tests/support/evaluation-factory';
import { createServerDatabaseUrl, createTestDatabase } from '#tests/support/db';
import { closeDatabase, createAccount } from './helpers';

const RATIONALE_TEXT = 'judged against the rubric anchors';

/** An evaluation in progress: every sheet submitted but Evan's for Civic Answers, which he has just revised (audited). */
async function evaluationInProgress(db: DatabaseHandle['db']) {
  const evaluation = await createEvaluation(db, { ...DEFAULT_EVALUATION, status: 'evaluation', sheet: (e, v) => (e === 0 && v === 0 ? 'in_progress' : 'submitted') });
  const evan = evaluation.evaluators[0]!;
  const civic = evaluation.vendors[0]!;
  const governance = evaluation.criteria.find((c) => c.key === 'RAI-GOV')!;
  const saved = await saveEvaluatorScore(
    db,
    { id: evan.id, email: evan.email },
    { rfpId: evaluation.rfpId, submissionId: civic.submissionId, criterionId: governance.id, evaluatorId: evan.id, value: 2, rationale: `Revised: ${RATIONALE_TEXT}, on reflection.`, version: 1 },
  );
  expect(saved.ok).toBe(true);
  const rfp = await db.selectFrom('rfp').selectAll().where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow();
  return { evaluation, rfp, evan };
}

describe('portable file: individual scores withheld from those who may not read them', () => {
  const open: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const handle of open.splice(0)) await closeDatabase(handle);
  });

  it('gives the lead, before consensus, no individual score, consensus rationale or audited score value, and imports saying so', async () => {
    const source = await createTestDatabase();
    open.push(source);
    const { evaluation, rfp, evan } = await evaluationInProgress(source.db);
    const total = await source.db.selectFrom('score').select((eb) => eb.fn.countAll().as('n')).where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();

    const lead = await loadPanelViewer(source.db, { rfp, userId: evaluation.lead.id, memberRole: 'lead' });
    const file = await buildPortableRfp(source.db, rfp, lead);
    const text = JSON.stringify(file);
    expect(text).not.toContain(RATIONALE_TEXT);
    expect(text).not.toContain('Bias testing covers English only');
    expect(file.scores).toEqual([]);
    expect(file.consensus).toEqual([]);
    expect(file.confidentiality).toMatchObject({ complete: false, containsSealedScores: false, withheld: { scores: Number(total.n), consensus: 3, auditEntries: 1 } });
    expect(file.confidentiality?.notice).toMatch(/Withheld from this file because its recipient may not read them/);
    // The score entry stays on the record: who, when, which score — not the value or the rationale.
    const entry = file.audit.find((e) => e.action === 'score.update')!;
    expect(entry.actor).toBe(evan.email);
    expect(entry.after).toMatchObject({ evaluator_id: evan.id, withheld: expect.stringMatching(/sealed until the RFP reaches consensus/) });
    expect(entry.after).not.toHaveProperty('value');
    expect(entry.before).not.toHaveProperty('rationale');
    // The scoresheets' progress is not confidential and stays consistent with the (absent) scores.
    expect(file.scoresheets?.length).toBeGreaterThan(0);
    expect(() => portableRfpFileSchema.parse(JSON.parse(text))).not.toThrow();

    const target = await createTestDatabase();
    open.push(target);
    await createAccount(target, evaluation.lead.email, 'officer');
    const summary = await importPortableRfp(target.db, JSON.parse(text));
    expect(summary.withheld).toEqual({ scores: Number(total.n), consensus: 3, auditEntries: 1 });
    expect(describeImport(summary)).toMatch(/individual scores were withheld from it in part \(\d+ scores, 3 consensus scores, 1 audit entries' values and rationales\): the imported evaluation lacks them/);
    const event = await target.db.selectFrom('audit_event').select('after_json').where('rfp_id', '=', summary.rfpId).where('action', '=', 'rfp.import').executeTakeFirstOrThrow();
    expect(JSON.parse(event.after_json!)).toMatchObject({ withheldFromFile: { scores: Number(total.n), consensus: 3, auditEntries: 1 } });
  });

  it('gives an evaluator’s own download their own scores only, marked as sealed', async () => {
    const source = await createTestDatabase();
    open.push(source);
    const { rfp, evan } = await evaluationInProgress(source.db);
    const own = await loadPanelViewer(source.db, { rfp, userId: evan.id, memberRole: 'evaluator' });
    const file: PortableRfpFile = await buildPortableRfp(source.db, rfp, own);
    expect(file.scores.length).toBeGreaterThan(0);
    expect(new Set(file.scores.map((s) => s.evaluator))).toEqual(new Set([evan.email]));
    expect(file.confidentiality).toMatchObject({ complete: false, containsSealedScores: true });
    expect(file.confidentiality?.notice).toMatch(/^CONFIDENTIAL: this file holds individual evaluators' scores or rationales of an RFP that has not reached consensus \(status evaluation\)/);
    expect(file.audit.find((e) => e.action === 'score.update')?.after).toMatchObject({ value: 2 });
  });

  it('lets the command line export everything, saying in the file and on stderr that it holds sealed scores', async () => {
    const { url, cleanup } = await createServerDatabaseUrl();
    const handle = openDatabase(url);
    try {
      await migrateToLatest(handle.db);
      const { evaluation, rfp } = await evaluationInProgress(handle.db);
      const cli = () => runCli(url, ['rfp', 'export', evaluation.reference, '--format', 'json']);
      const sealed = await cli();
      expect(sealed.status, sealed.stderr).toBe(0);
      expect(sealed.stderr.trim().split('\n')).toHaveLength(1);
      expect(sealed.stderr).toMatch(/^workbench: warning: CONFIDENTIAL: this file holds individual evaluators' scores/);
      const file = portableRfpFileSchema.parse(JSON.parse(sealed.stdout));
      expect(file.confidentiality).toMatchObject({ complete: true, containsSealedScores: true, withheld: { scores: 0, consensus: 0, auditEntries: 0 } });
      expect(sealed.stdout).toContain(RATIONALE_TEXT);
      expect(file).toEqual({ ...(await buildPortableRfp(handle.db, rfp, everythingFor(rfp))), exportedAt: file.exportedAt });

      await handle.db.updateTable('rfp').set({ status: 'consensus' }).where('id', '=', rfp.id).execute();
      const opened = await cli();
      expect(opened.status, opened.stderr).toBe(0);
      expect(opened.stderr).toBe('');
      expect(JSON.parse(opened.stdout)).toMatchObject({ confidentiality: { complete: true, containsSealedScores: false } });
    } finally {
      await closeDatabase(handle);
      await cleanup();
    }
  }, 60_000);
});
