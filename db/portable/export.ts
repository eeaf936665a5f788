/**
 * Builds the portable RFP file from the database. Parts that later work has not built yet are empty
 * arrays, as DESIGN §9 asks. The result is validated before it is returned, so a bad file is never written.
 */
import type { Kysely } from 'kysely';
import { listAuditEvents } from '../queries/audit';
import { listMembers } from '../queries/members';
import { getQuestionnaire } from '../queries/questionnaire';
import { getRfpByReference } from '../queries/rfps';
import { loadPortableResults } from '../queries/scoring-input';
import { listSubmissions } from '../queries/vendors';
import type { Database, Rfp } from '../schema';
import { type PortableRfpFile, portableRfpFileSchema } from './schema';

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export async function buildPortableRfp(db: Kysely<Database>, rfp: Rfp): Promise<PortableRfpFile> {
  const [sections, submissions, members, audit] = await Promise.all([
    getQuestionnaire(db, rfp.id),
    listSubmissions(db, rfp.id),
    listMembers(db, rfp.id),
    listAuditEvents(db, { rfpId: rfp.id, limit: 1_000_000 }),
  ]);
  const file: PortableRfpFile = {
    format: 'ai-vendor-workbench/rfp',
    version: 1,
    exportedAt: new Date().toISOString(),
    rfp: {
      reference: rfp.reference,
      title: rfp.title,
      department: rfp.department,
      summary: rfp.summary,
      status: rfp.status,
      settings: {
        scaleMax: rfp.scale_max,
        aggregation: rfp.aggregation,
        divergenceThreshold: Number(rfp.divergence_threshold),
        priceFormula: rfp.price_formula,
        totalPoints: rfp.total_points,
        allowHalfPoints: Boolean(rfp.allow_half_points),
      },
      riskTier: rfp.risk_tier,
      riskIntake: rfp.risk_intake_json ? (JSON.parse(rfp.risk_intake_json) as Record<string, string>) : null,
      questionnaireVersion: rfp.questionnaire_version,
      proposalsDueAt: rfp.proposals_due_at,
      evaluationDueAt: rfp.evaluation_due_at,
    },
    sections: sections.map((s) => ({
      key: s.key,
      title: s.title,
      criteria: s.criteria.map((c) => ({
        key: c.key,
        title: c.title,
        kind: c.kind,
        points: c.points,
        rubric: c.rubric,
        questions: c.questions.map((q) => ({
          key: q.key,
          text: q.text,
          guidance: q.guidance,
          strongAnswer: q.strong_answer,
          answerType: q.answer_type,
          options: q.options,
          required: q.required,
          references: q.references,
        })),
      })),
    })),
    vendors: submissions.map((s) => ({ key: s.vendor_key, name: s.vendor_name })),
    submissions: submissions.map((s) => ({
      vendor: s.vendor_key,
      status: s.status,
      statusReason: s.status_reason,
      receivedAt: s.received_at,
      price: s.price,
      answers: {},
    })),
    evaluators: members
      .filter((m) => m.role === 'evaluator')
      .map((m) => ({ email: m.email, name: m.name, coi: null, recusedFrom: [] })),
    scores: [],
    consensus: [],
    // Computed by scoring/ exactly as the results page shows it (same bundle, same rounding).
    results: await loadPortableResults(db, rfp),
    // Oldest first, as a record reads.
    audit: audit.reverse().map((e) => ({
      at: e.at,
      actor: e.actor_email,
      action: e.action,
      entity: e.entity,
      entityId: e.entity_id,
      before: parseJson(e.before_json),
      after: parseJson(e.after_json),
      reason: e.reason,
    })),
  };
  return portableRfpFileSchema.parse(file);
}

export async function exportPortableByReference(db: Kysely<Database>, reference: string): Promise<PortableRfpFile> {
  const rfp = await getRfpByReference(db, reference);
  if (!rfp) throw new Error(`No RFP with the reference ${reference}.`);
  return buildPortableRfp(db, rfp);
}
