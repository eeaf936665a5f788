/**
 * The whole demo of DESIGN §9, loaded into an empty database: accounts, the DEMO-311-GENAI RFP and its
 * questionnaire (db/seed.ts), then the four vendors' responses entered the way an officer would — each vendor's
 * filled workbook built and imported through the same preview-and-apply path as the import screen.
 */
import type { Kysely } from 'kysely';
import { loadDemoEvaluation, loadDemoResponses } from '#fixtures/demo/schema';
import type { Database } from '#db/schema';
import { seedDemo } from '#db/seed';
import { mailOrigin } from '#app/mail/origin.server';
import { applyVendorImport, previewVendorImport } from '#app/responses/vendor-import.server';
import { issueVendorWorkbook } from '#app/responses/vendor-workbook-source.server';
import { COI_STATEMENT } from '#app/evaluation/coi';
import { COI_STATEMENT_SHA256 } from '#app/evaluation/coi.server';
import { SCORING_COMPLETE_REASON } from '#app/evaluation/consensus-move.server';
import { changeStatus } from '#app/rfp/lifecycle.server';
import {
  type Actor,
  assignEvaluator,
  attestConflicts,
  getRfpById,
  getSubmission,
  getUserByEmail,
  listScorableCriteria,
  listSubmissions,
  recordConsensusDecision,
  saveEvaluatorScore,
  submitScoresheet,
  updateSubmission,
} from '#app/utils/db.server';

/** How far the demo goes: `open` stops after the vendors' responses; `consensus` (default) adds the panel's scores. */
export type DemoStage = 'open' | 'consensus';

export function demoStageFromEnv(value = process.env.DEMO_STAGE): DemoStage {
  if (value === undefined || value === '' || value === 'consensus') return 'consensus';
  if (value === 'open') return 'open';
  throw new Error(`DEMO_STAGE must be "open" or "consensus" (got "${value}").`);
}

export async function loadDemo(db: Kysely<Database>, stage: DemoStage = 'consensus'): Promise<{ rfpId: string }> {
  const { rfpId, lead } = await seedDemo(db);
  const rfp = (await getRfpById(db, rfpId))!;
  const submissions = await listSubmissions(db, rfpId);
  for (const response of loadDemoResponses()) {
    const row = submissions.find((s) => s.vendor_key === response.vendor);
    if (!row) throw new Error(`Demo responses for unknown vendor ${response.vendor}`);
    // Parsing runs in a worker: do it before the transaction (no slow async work inside one).
    const workbook = await issueVendorWorkbook(db, rfp, { vendorId: row.vendor_id, vendorKey: row.vendor_key, name: row.vendor_name, submissionId: row.id }, response.answers);
    const fileName = `${rfp.reference}-${response.vendor}.xlsx`;
    const preview = await previewVendorImport(db, rfp, row, new Uint8Array(workbook), fileName);
    await db.transaction().execute(async (trx) => {
      const submission = (await getSubmission(trx, rfpId, row.id))!;
      const { price } = await applyVendorImport(trx, lead, rfp, submission, preview, fileName);
      await updateSubmission(trx, lead, rfpId, row.id, { status: 'responsive', statusReason: null, receivedAt: submission.received_at, price });
    });
  }
  if (stage === 'consensus') await loadDemoPanel(db, rfpId, lead);
  return { rfpId };
}

/**
 * The panel's work, done through the same functions the scoring screens call: three evaluators assigned and
 * attested, every scoresheet scored and submitted, then consensus where they diverged. Leaves the RFP in consensus.
 */
async function loadDemoPanel(db: Kysely<Database>, rfpId: string, lead: Actor & { id: string }): Promise<void> {
  const evaluation = loadDemoEvaluation();
  const submissions = await listSubmissions(db, rfpId);
  const criteria = await listScorableCriteria(db, rfpId);
  const submissionOf = (vendorKey: string) => submissions.find((s) => s.vendor_key === vendorKey)!.id;
  const criterionOf = (key: string) => {
    const found = criteria.find((c) => c.key === key);
    if (!found) throw new Error(`Demo evaluation names unknown criterion ${key}`);
    return found.id;
  };
  const evaluators = new Map<string, { id: string; email: string }>();
  for (const email of new Set(evaluation.scores.map((s) => s.evaluator))) {
    const user = (await getUserByEmail(db, email))!;
    evaluators.set(email, { id: user.id, email: user.email });
  }
  await db.transaction().execute(async (trx) => {
    for (const evaluator of evaluators.values()) {
      await assignEvaluator(trx, lead, { rfpId, userId: evaluator.id, email: evaluator.email, sectionIds: null, mailOrigin: mailOrigin(null) });
      await attestConflicts(trx, evaluator, { rfpId, userId: evaluator.id, statement: COI_STATEMENT, statementSha256: COI_STATEMENT_SHA256, declared: null });
    }
    await changeStatus(trx, lead, rfpId, 'evaluation', null);
  });
  for (const score of evaluation.scores) {
    const evaluator = evaluators.get(score.evaluator)!;
    const saved = await saveEvaluatorScore(db, evaluator, {
      rfpId,
      submissionId: submissionOf(score.vendor),
      criterionId: criterionOf(score.criterion),
      evaluatorId: evaluator.id,
      value: score.value,
      rationale: score.rationale,
      version: 0,
    });
    if (!saved.ok) throw new Error(`Demo score refused: ${JSON.stringify(saved.refusal)}`);
  }
  for (const evaluator of evaluators.values()) {
    for (const submission of submissions) {
      const submitted = await submitScoresheet(db, evaluator, { rfpId, submissionId: submission.id, evaluatorId: evaluator.id, requiredCriterionIds: criteria.map((c) => c.id) });
      if (!submitted.ok) throw new Error(`Demo scoresheet not submitted: ${JSON.stringify(submitted.refusal)}`);
    }
  }
  await db.transaction().execute(async (trx) => changeStatus(trx, lead, rfpId, 'consensus', SCORING_COMPLETE_REASON));
  for (const decision of evaluation.consensus) {
    const recorded = await recordConsensusDecision(db, lead, {
      rfpId,
      submissionId: submissionOf(decision.vendor),
      criterionId: criterionOf(decision.criterion),
      value: decision.value,
      rationale: decision.rationale,
    });
    if (!recorded.ok) throw new Error(`Demo consensus refused: ${JSON.stringify(recorded.refusal)}`);
  }
}
