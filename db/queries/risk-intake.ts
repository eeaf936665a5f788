/**
 * The AI risk tier of an RFP: the intake answers are stored with the RFP and scored by scoring/risk-tier.ts.
 */
import { loadRiskIntake } from '../../fixtures/question-banks/load';
import { assessRiskTier, type RiskIntakeAnswers, type RiskTierAssessment } from '../../scoring/risk-tier';
import type { Rfp } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

let intake: ReturnType<typeof loadRiskIntake> | undefined;
export function riskIntake() {
  intake ??= loadRiskIntake();
  return intake;
}

export function storedRiskAnswers(rfp: Pick<Rfp, 'risk_intake_json'>): Record<string, string> {
  return rfp.risk_intake_json ? (JSON.parse(rfp.risk_intake_json) as Record<string, string>) : {};
}

export function assess(answers: RiskIntakeAnswers): RiskTierAssessment {
  return assessRiskTier(riskIntake(), answers);
}

/** Keeps only answers that are options of their question, so a stale or forged form cannot poison the record. */
export function cleanRiskAnswers(raw: Record<string, unknown>): { answers: Record<string, string>; invalid: string[] } {
  const answers: Record<string, string> = {};
  const invalid: string[] = [];
  for (const q of riskIntake().questions) {
    const value = raw[q.key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string' && q.options.some((o) => o.value === value)) answers[q.key] = value;
    else invalid.push(q.title);
  }
  return { answers, invalid };
}

/** Saves the intake and the level it gives, as one audited change. An incomplete intake stores no level. */
export async function saveRiskIntake(db: Executor, actor: Actor, rfp: Rfp, answers: Record<string, string>): Promise<RiskTierAssessment> {
  const assessment = assess(answers);
  const level = assessment.unanswered.length === 0 ? assessment.level : null;
  await db.updateTable('rfp').set({ risk_intake_json: JSON.stringify(answers), risk_tier: level, updated_at: new Date().toISOString() }).where('id', '=', rfp.id).execute();
  await recordAudit(db, actor, {
    rfpId: rfp.id,
    entity: 'rfp',
    entityId: rfp.id,
    action: 'rfp.risk_tier',
    before: { risk_tier: rfp.risk_tier, answers: storedRiskAnswers(rfp) },
    after: { risk_tier: level, answers, percent: assessment.percent },
  });
  return assessment;
}
