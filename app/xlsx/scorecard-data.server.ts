/**
 * What the scorecard exports are made from, read from the database in one go: the scoring bundle and the engine's
 * outcome (the very ones the results page computes), and — when the viewer may see them — the panel's individual scores
 * with rationales, the vendors' answers and the audit log. Plain data: the workbook and CSV writers never touch the
 * database, so tests and the benchmark can build it in memory.
 */
import {
  type AnswerValue,
  type AuditEvent,
  type Executor,
  getAuditChainHead,
  getQuestionnaire,
  listAuditEvents,
  computeOutcomeCached,
  loadScoringBundle,
  parseAnswerValue,
  type RfpStatus,
  type ScoringBundle,
  type ScoringRfp,
} from '#app/utils/db.server';
import type { ScoringOutcome } from '#scoring/index';
import type { ChainHead } from '#db/audit-chain';
import type { AnswerType } from '#db/schema';
import { panelScoresVisible } from '#app/results/visibility';
import { PanelViewer } from '#app/confidentiality/panel';

/** Who the export is for, and which parts they may read (decided by the caller from their permissions). */
export interface ScorecardViewer {
  name: string;
  email: string | null;
  /** `responses:read`: the Responses sheet is filled. */
  canReadResponses: boolean;
  /** `audit:read`: the Audit sheet is filled. */
  canReadAudit: boolean;
  /** Vendors whose answers this viewer must not see (an evaluator's recusals). */
  hiddenVendorIds?: readonly string[];
  /** What this viewer may receive of the panel's individual scores and rationales, on every sheet and in every CSV. */
  panel: PanelViewer;
}

export interface ScorecardQuestion {
  id: string;
  key: string;
  text: string;
  answerType: AnswerType;
  sectionTitle: string;
  criterionTitle: string;
}

export interface ScorecardResponses {
  /** Questionnaire order. */
  questions: ScorecardQuestion[];
  /** Question id → submission id → answer (never holding a hidden vendor's answers). */
  answers: Map<string, Map<string, AnswerValue>>;
  /** Vendor ids whose answers are withheld from this viewer (recusal). */
  hiddenVendorIds: string[];
}

export type ScorecardAuditEvent = Pick<AuditEvent, 'id' | 'at' | 'actor_email' | 'entity' | 'entity_id' | 'action' | 'before_json' | 'after_json' | 'reason'>;

export interface ScorecardData {
  rfp: {
    id: string;
    reference: string;
    title: string;
    department: string;
    status: RfpStatus;
    /** The RFP's deadlines (ISO-8601 UTC instants), shown on the Summary in the installation's zone. */
    deadlines?: { qa: string | null; proposals: string | null; evaluation: string | null };
  };
  /** ISO-8601 UTC. */
  generatedAt: string;
  generatedBy: { name: string; email: string | null };
  /**
   * Redacted for the viewer (app/confidentiality/panel.ts): with the rationale of every score the viewer may read when
   * `panelVisible`, without individual scores otherwise; consensus rationales the viewer may not read are `null`.
   */
  bundle: ScoringBundle;
  outcome: ScoringOutcome;
  /** The panel's individual scores and rationales may be shown (RFP in consensus or closed, as on the results page). */
  panelVisible: boolean;
  /** Vendors whose panel scores are withheld from this viewer although the panel is open, with the reason (a note on the sheets). */
  panelWithheld?: Array<{ vendorId: string; reason: string }>;
  /** `null` when the viewer may not read vendors' responses. */
  responses: ScorecardResponses | null;
  /** Oldest first, score entries redacted for the viewer; `null` when the viewer may not read the audit log. */
  audit: ScorecardAuditEvent[] | null;
  /** True when the audit log had more events than {@link AUDIT_EVENT_LIMIT} and the oldest were left out. */
  auditTruncated: boolean;
  /**
   * The last event of the RFP's audit chain when the export was read (`null`: no event yet, or the matrix scope). A copy
   * filed with the award carries it, so `workbench audit verify <ref> --head <hash>` can later prove the log was not
   * rewritten. A hash reveals nothing of the log, so it is there whether or not the viewer may read the log itself.
   */
  auditChainHead: ChainHead | null;
}

/** At most this many audit events go into one export (the newest); a longer log is said to be cut. */
export const AUDIT_EVENT_LIMIT = 200_000;

export type ScorecardRfp = ScoringRfp & {
  reference: string;
  title: string;
  department: string;
  status: RfpStatus;
  qa_due_at?: string | null;
  proposals_due_at?: string | null;
  evaluation_due_at?: string | null;
};

/** What to read: everything (the workbook), or only the panel's figures (the matrix CSV). */
export type ScorecardScope = 'workbook' | 'matrix';

/**
 * Reads everything the scorecard needs for `rfp`. Individual scores (with rationales) only when the panel is visible,
 * and only those `viewer.panel` lets through; responses and audit events only when the viewer may read them and the
 * scope is the workbook, audit entries redacted by `viewer.panel`. Read-only.
 */
export async function loadScorecardData(
  db: Executor,
  rfp: ScorecardRfp,
  viewer: ScorecardViewer,
  scope: ScorecardScope = 'workbook',
  bundle?: ScoringBundle,
): Promise<ScorecardData> {
  const panelVisible = panelScoresVisible(rfp.status);
  const workbook = scope === 'workbook';
  const [loaded, responses, audit, auditChainHead] = await Promise.all([
    bundle ?? loadScoringBundle(db, rfp, { details: workbook && panelVisible ? 'rationales' : 'none' }),
    workbook && viewer.canReadResponses ? loadResponses(db, rfp.id, viewer.hiddenVendorIds ?? []) : Promise.resolve(null),
    workbook && viewer.canReadAudit ? listAuditEvents(db, { rfpId: rfp.id, limit: AUDIT_EVENT_LIMIT + 1 }) : Promise.resolve(null),
    workbook ? getAuditChainHead(db, rfp.id) : Promise.resolve(null),
  ]);
  const auditTruncated = audit !== null && audit.length > AUDIT_EVENT_LIMIT;
  const { panel } = viewer;
  const redacted = panel.redactBundle(loaded);
  const outcome = await computeOutcomeCached(db, rfp.id, loaded.input);
  return {
    rfp: {
      id: rfp.id,
      reference: rfp.reference,
      title: rfp.title,
      department: rfp.department,
      status: rfp.status,
      deadlines: { qa: rfp.qa_due_at ?? null, proposals: rfp.proposals_due_at ?? null, evaluation: rfp.evaluation_due_at ?? null },
    },
    generatedAt: new Date().toISOString(),
    generatedBy: { name: viewer.name, email: viewer.email },
    bundle: redacted,
    outcome,
    panelVisible,
    panelWithheld: loaded.vendors.flatMap((v) => {
      const reason = panelVisible ? panel.withheldBecause(v.id) : null;
      return reason === null ? [] : [{ vendorId: v.id, reason }];
    }),
    responses,
    audit: audit === null ? null : audit.slice(0, AUDIT_EVENT_LIMIT).reverse().map((e) => panel.redactAuditEvent(e)),
    auditTruncated,
    auditChainHead,
  };
}

/** The questionnaire's questions in order, and every answer of the RFP by question and submission. */
async function loadResponses(db: Executor, rfpId: string, hiddenVendorIds: readonly string[]): Promise<ScorecardResponses> {
  const [sections, rows, hiddenSubmissions] = await Promise.all([
    getQuestionnaire(db, rfpId),
    db.selectFrom('answer').select(['submission_id', 'question_id', 'value_json']).where('rfp_id', '=', rfpId).execute(),
    hiddenVendorIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('submission').select('id').where('rfp_id', '=', rfpId).where('vendor_id', 'in', [...hiddenVendorIds]).execute(),
  ]);
  const hidden = new Set(hiddenSubmissions.map((s) => s.id));
  const questions: ScorecardQuestion[] = sections.flatMap((s) =>
    s.criteria.flatMap((c) =>
      c.questions.map((q) => ({ id: q.id, key: q.key, text: q.text, answerType: q.answer_type, sectionTitle: s.title, criterionTitle: c.title })),
    ),
  );
  const answers = new Map<string, Map<string, AnswerValue>>();
  for (const row of rows) {
    if (hidden.has(row.submission_id)) continue;
    let byQuestion = answers.get(row.question_id);
    if (!byQuestion) answers.set(row.question_id, (byQuestion = new Map()));
    byQuestion.set(row.submission_id, parseAnswerValue(row));
  }
  return { questions, answers, hiddenVendorIds: [...hiddenVendorIds] };
}

/**
 * The command line's viewer (`workbench rfp export <ref> --format xlsx`): responses and audit log included; the panel's
 * individual scores (and the score entries of the Audit sheet) read as the lead or an admin off the panel reads them —
 * only once the RFP is in consensus or closed. The scorecard is a leadership document; the portable file is the
 * command line's way to take everything (and it says so).
 */
export function cliScorecardViewer(status: RfpStatus): ScorecardViewer {
  return { name: 'workbench command line', email: null, canReadResponses: true, canReadAudit: true, panel: PanelViewer.oversight(status) };
}
