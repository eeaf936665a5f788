/**
 * Builds the portable RFP file (DESIGN §9) from the database. The result is validated before it is returned, so a
 * bad file is never written.
 *
 * Deterministic: every array is sorted by stable keys (vendor key, evaluator email, criterion key, questionnaire
 * order), never by database ids or insertion order, so two exports of the same data are byte-identical apart from
 * `exportedAt`, and an export of an imported file equals the file it came from (apart from the `rfp.import` event).
 * Strings are compared by code unit, not by locale, so the order is the same on every machine.
 *
 * Confidentiality: the file carries the individual scores, consensus rationales and score audit details its recipient
 * may read, as a {@link PortableScoreFilter} (app/confidentiality/panel.ts) decides — a web download before consensus
 * carries nobody's scores but the recipient's own. What was withheld, and whether the file holds scores still sealed
 * (the command line exports everything), is stated in the file's `confidentiality`.
 */
import type { Kysely } from 'kysely';
import { getAuditChainHead, listAuditEvents } from '../queries/audit';
import { getQuestionnaire } from '../queries/questionnaire';
import { getRfpByReference } from '../queries/rfps';
import { loadPortableResults } from '../queries/scoring-input';
import type { Database, Rfp } from '../schema';
import { type PortableConfidentiality, type PortableEvaluator, type PortableRfpFile, portableRfpFileSchema } from './schema';
import { installationTimeZone, isoWithOffset } from '#app/utils/time-zone';

const withOffset = (iso: string | null): string | null => (iso ? isoWithOffset(iso, installationTimeZone()) : null);

/** Who a file is for, as far as individual scores go: app/confidentiality/panel.ts's `PanelViewer` is one. */
export interface PortableScoreFilter {
  /** The RFP is in consensus or closed. */
  readonly panelOpen: boolean;
  mayReadScoresOf(evaluatorId: string, vendorId: string): boolean;
  mayReadPanelOf(vendorId: string): boolean;
  redactAuditEvent<E extends { entity: string; before_json: string | null; after_json: string | null }>(event: E): E;
  /** The entry is of a kind that carries score values and rationales. */
  isScoreEntry(event: { entity: string }): boolean;
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares by each key in turn. */
function byKeys<T>(...keys: Array<(item: T) => string>): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** `none`, `declared[: details]`, or null while pending (the file's `coi`). */
export function formatCoi(status: string, details: string | null): string | null {
  if (status === 'none') return 'none';
  if (status === 'declared') return details ? `declared: ${details}` : 'declared';
  return null;
}

/** Everything of the RFP's evaluation the file carries, read with the database's keys replaced by the file's. */
async function readEvaluation(db: Kysely<Database>, rfpId: string) {
  const [submissions, answers, members, assignments, recusals, sheets, scores, consensus] = await Promise.all([
    db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select([
        'submission.id',
        'vendor.key as vendor_key',
        'vendor.name as vendor_name',
        'vendor.website',
        'submission.status',
        'submission.status_reason',
        'submission.received_at',
        'submission.price',
      ])
      .where('submission.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('answer')
      .innerJoin('question', 'question.id', 'answer.question_id')
      .select(['answer.submission_id', 'question.key', 'answer.value_json'])
      .where('answer.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('rfp_member')
      .innerJoin('app_user', 'app_user.id', 'rfp_member.user_id')
      .select(['app_user.email', 'app_user.name', 'rfp_member.role'])
      .where('rfp_member.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('assignment')
      .innerJoin('app_user', 'app_user.id', 'assignment.user_id')
      .select([
        'app_user.email',
        'app_user.name',
        'assignment.section_ids_json',
        'assignment.coi_status',
        'assignment.coi_statement',
        'assignment.coi_statement_sha256',
        'assignment.coi_details',
        'assignment.attested_at',
      ])
      .where('assignment.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('recusal')
      .innerJoin('app_user', 'app_user.id', 'recusal.user_id')
      .innerJoin('vendor', 'vendor.id', 'recusal.vendor_id')
      .select(['app_user.email', 'app_user.name', 'vendor.key as vendor_key', 'recusal.reason'])
      .where('recusal.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('scoresheet')
      .innerJoin('app_user', 'app_user.id', 'scoresheet.evaluator_id')
      .innerJoin('submission', 'submission.id', 'scoresheet.submission_id')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select(['app_user.email', 'app_user.name', 'vendor.key as vendor_key', 'scoresheet.status', 'scoresheet.submitted_at'])
      .where('scoresheet.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('score')
      .innerJoin('app_user', 'app_user.id', 'score.evaluator_id')
      .innerJoin('submission', 'submission.id', 'score.submission_id')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .innerJoin('criterion', 'criterion.id', 'score.criterion_id')
      .select([
        'app_user.id as evaluator_id',
        'app_user.email',
        'app_user.name',
        'vendor.id as vendor_id',
        'vendor.key as vendor_key',
        'criterion.key as criterion_key',
        'score.value',
        'score.rationale',
        'score.updated_at',
      ])
      .where('score.rfp_id', '=', rfpId)
      .execute(),
    db
      .selectFrom('consensus_score')
      .innerJoin('submission', 'submission.id', 'consensus_score.submission_id')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .innerJoin('criterion', 'criterion.id', 'consensus_score.criterion_id')
      .leftJoin('app_user', 'app_user.id', 'consensus_score.decided_by')
      .select([
        'vendor.id as vendor_id',
        'vendor.key as vendor_key',
        'criterion.key as criterion_key',
        'consensus_score.value',
        'consensus_score.rationale',
        'app_user.email as decided_by_email',
        'consensus_score.decided_at',
      ])
      .where('consensus_score.rfp_id', '=', rfpId)
      .execute(),
  ]);
  return { submissions, answers, members, assignments, recusals, sheets, scores, consensus };
}

/**
 * The evaluators: evaluator members, assigned people, and anyone with a scoresheet or a score (so every score names
 * someone in the list), by email. COI, sections and recusals come from the assignment and recusal rows.
 */
function buildEvaluators(
  evaluation: Awaited<ReturnType<typeof readEvaluation>>,
  sectionKeyOf: Map<string, string>,
  sectionOrder: Map<string, number>,
): PortableEvaluator[] {
  const people = new Map<string, string>();
  for (const m of evaluation.members) if (m.role === 'evaluator') people.set(m.email, m.name);
  for (const row of [...evaluation.assignments, ...evaluation.sheets, ...evaluation.scores, ...evaluation.recusals]) people.set(row.email, row.name);
  const assignmentOf = new Map(evaluation.assignments.map((a) => [a.email, a]));
  return [...people.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([email, name]): PortableEvaluator => {
      const assignment = assignmentOf.get(email);
      const recusals = evaluation.recusals.filter((r) => r.email === email).sort(byKeys((r) => r.vendor_key));
      const sectionIds = assignment?.section_ids_json ? (JSON.parse(assignment.section_ids_json) as string[]) : null;
      return {
        email,
        name,
        coi: assignment ? formatCoi(assignment.coi_status, assignment.coi_details) : null,
        recusedFrom: recusals.map((r) => r.vendor_key),
        sections:
          sectionIds === null
            ? null
            : sectionIds
                .filter((id) => sectionKeyOf.has(id))
                .sort((a, b) => (sectionOrder.get(a) ?? 0) - (sectionOrder.get(b) ?? 0))
                .map((id) => sectionKeyOf.get(id)!),
        assigned: assignment !== undefined,
        recusalReasons: Object.fromEntries(recusals.map((r) => [r.vendor_key, r.reason])),
        coiStatement: assignment?.coi_statement ?? null,
        coiStatementSha256: assignment?.coi_statement_sha256 ?? null,
        attestedAt: assignment?.attested_at ?? null,
      };
    });
}

/** The file's `confidentiality` statement. */
function confidentialityOf(
  rfp: Rfp,
  recipient: PortableScoreFilter,
  withheld: PortableConfidentiality['withheld'],
  kept: { scores: number; consensus: number; scoreEvents: number },
): PortableConfidentiality {
  const complete = withheld.scores === 0 && withheld.consensus === 0 && withheld.auditEntries === 0;
  const containsSealedScores = !recipient.panelOpen && kept.scores + kept.consensus + kept.scoreEvents > 0;
  const notices: string[] = [];
  if (containsSealedScores) {
    notices.push(
      `CONFIDENTIAL: this file holds individual evaluators' scores or rationales of an RFP that has not reached consensus (status ${rfp.status}). ` +
        'Until consensus nobody may read another evaluator’s scores (DESIGN §2): keep it from the panel, the lead and leadership.',
    );
  }
  if (!complete) {
    notices.push(
      `Withheld from this file because its recipient may not read them: ${withheld.scores} individual scores, ${withheld.consensus} consensus scores, ` +
        `and the values and rationales of ${withheld.auditEntries} audit entries. An import of this file lacks them.`,
    );
  }
  if (notices.length === 0) notices.push('This file holds every score, rationale and audit entry of the RFP.');
  return { complete, withheld, containsSealedScores, notice: notices.join(' ') };
}

/** The portable file for `rfp`, with the individual scores `recipient` may read (see the module comment). */
export async function buildPortableRfp(db: Kysely<Database>, rfp: Rfp, recipient: PortableScoreFilter): Promise<PortableRfpFile> {
  const [sections, evaluation, audit, chainHead] = await Promise.all([
    getQuestionnaire(db, rfp.id),
    readEvaluation(db, rfp.id),
    listAuditEvents(db, { rfpId: rfp.id, limit: 1_000_000 }),
    getAuditChainHead(db, rfp.id),
  ]);
  const scores = evaluation.scores.filter((s) => recipient.mayReadScoresOf(s.evaluator_id, s.vendor_id));
  const consensus = evaluation.consensus.filter((c) => recipient.mayReadPanelOf(c.vendor_id));
  const events = audit.map((e) => recipient.redactAuditEvent(e));
  const redactedEvents = events.filter((e, i) => e !== audit[i]).length;
  const sectionKeyOf = new Map(sections.map((s) => [s.id, s.key]));
  const sectionOrder = new Map(sections.map((s, i) => [s.id, i]));
  const questionOrder = new Map(sections.flatMap((s) => s.criteria.flatMap((c) => c.questions)).map((q, i) => [q.key, i]));
  const submittedSheets = new Set(evaluation.sheets.filter((s) => s.status === 'submitted').map((s) => `${s.email}|${s.vendor_key}`));
  const submissions = [...evaluation.submissions].sort(byKeys((s) => s.vendor_key));
  const answersBySubmission = new Map<string, typeof evaluation.answers>();
  for (const a of evaluation.answers) {
    const list = answersBySubmission.get(a.submission_id) ?? [];
    list.push(a);
    answersBySubmission.set(a.submission_id, list);
  }
  const answersOf = (submissionId: string) =>
    Object.fromEntries(
      (answersBySubmission.get(submissionId) ?? [])
        .sort((a, b) => (questionOrder.get(a.key) ?? 0) - (questionOrder.get(b.key) ?? 0))
        .map((a) => [a.key, JSON.parse(a.value_json) as string | number | string[] | null]),
    );

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
        scaleMax: Number(rfp.scale_max),
        aggregation: rfp.aggregation,
        divergenceThreshold: Number(rfp.divergence_threshold),
        priceFormula: rfp.price_formula,
        totalPoints: Number(rfp.total_points),
        allowHalfPoints: Boolean(Number(rfp.allow_half_points)),
        priceBlind: Boolean(Number(rfp.price_blind)),
      },
      riskTier: rfp.risk_tier,
      riskIntake: rfp.risk_intake_json ? (JSON.parse(rfp.risk_intake_json) as Record<string, string>) : null,
      questionnaireVersion: Number(rfp.questionnaire_version),
      // Deadlines with the installation zone's offset, so the file says the local time the RFP published.
      qaDueAt: withOffset(rfp.qa_due_at),
      proposalsDueAt: withOffset(rfp.proposals_due_at),
      evaluationDueAt: withOffset(rfp.evaluation_due_at),
    },
    sections: sections.map((s) => ({
      key: s.key,
      title: s.title,
      criteria: s.criteria.map((c) => ({
        key: c.key,
        title: c.title,
        description: c.description,
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
    vendors: submissions.map((s) => ({ key: s.vendor_key, name: s.vendor_name, website: s.website })),
    submissions: submissions.map((s) => ({
      vendor: s.vendor_key,
      status: s.status,
      statusReason: s.status_reason,
      receivedAt: s.received_at,
      price: s.price === null ? null : Number(s.price),
      answers: answersOf(s.id),
    })),
    evaluators: buildEvaluators(evaluation, sectionKeyOf, sectionOrder),
    scores: scores
      .map((s) => ({
        evaluator: s.email,
        vendor: s.vendor_key,
        criterion: s.criterion_key,
        value: Number(s.value),
        rationale: s.rationale,
        submitted: submittedSheets.has(`${s.email}|${s.vendor_key}`),
        updatedAt: s.updated_at,
      }))
      .sort(byKeys((s) => s.evaluator, (s) => s.vendor, (s) => s.criterion)),
    consensus: consensus
      .map((c) => ({
        vendor: c.vendor_key,
        criterion: c.criterion_key,
        value: Number(c.value),
        rationale: c.rationale,
        decidedBy: c.decided_by_email,
        decidedAt: c.decided_at,
      }))
      .sort(byKeys((c) => c.vendor, (c) => c.criterion)),
    scoresheets: evaluation.sheets
      .map((s) => ({ evaluator: s.email, vendor: s.vendor_key, status: s.status, submittedAt: s.submitted_at }))
      .sort(byKeys((s) => s.evaluator, (s) => s.vendor)),
    members: evaluation.members
      .filter((m) => m.role !== 'evaluator')
      .map((m) => ({ email: m.email, name: m.name, role: m.role as 'lead' | 'observer' }))
      .sort(byKeys((m) => m.role, (m) => m.email)),
    // Computed by scoring/ exactly as the results page shows it (same bundle, same rounding).
    results: await loadPortableResults(db, rfp),
    // Oldest first, as a record reads.
    audit: events.reverse().map((e) => ({
      at: e.at,
      actor: e.actor_email,
      action: e.action,
      entity: e.entity,
      entityId: e.entity_id,
      before: parseJson(e.before_json),
      after: parseJson(e.after_json),
      reason: e.reason,
    })),
    auditChain: { head: chainHead, count: chainHead?.seq ?? 0 },
    confidentiality: confidentialityOf(
      rfp,
      recipient,
      { scores: evaluation.scores.length - scores.length, consensus: evaluation.consensus.length - consensus.length, auditEntries: redactedEvents },
      { scores: scores.length, consensus: consensus.length, scoreEvents: events.filter((e, i) => e === audit[i] && recipient.isScoreEntry(e)).length },
    ),
  };
  return portableRfpFileSchema.parse(file);
}

/** The file for the RFP with `reference`; `recipientFor` decides, from the RFP, who the file is for. */
export async function exportPortableByReference(
  db: Kysely<Database>,
  reference: string,
  recipientFor: (rfp: Rfp) => PortableScoreFilter,
): Promise<PortableRfpFile> {
  const rfp = await getRfpByReference(db, reference);
  if (!rfp) throw new Error(`No RFP with the reference ${reference}.`);
  return buildPortableRfp(db, rfp, recipientFor(rfp));
}
