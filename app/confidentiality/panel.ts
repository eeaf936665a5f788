/**
 * Panel confidentiality (DESIGN §1–2): the one place that decides which of the panel's individual scores and rationales
 * a reader may receive. Every channel that can carry them asks a {@link PanelViewer} built for its reader — the results
 * and scorecard pages and their loader JSON, the consensus and scoring pages, the audit log page and `audit.csv`, the
 * portable JSON file, the scorecard workbook (every sheet, the Audit sheet included) and the CSVs. A future channel
 * (mail, say) builds one viewer per recipient with `loadPanelViewer` and sends only what it lets through.
 *
 * The rules:
 * - **You always see your own.** An evaluator reads their own scores and rationales in any status.
 * - **Sealed before consensus.** While the RFP is in draft, open or evaluation (including after going back from
 *   consensus), nobody — lead, admin, observer, another evaluator, an admin who is also an evaluator — receives anyone
 *   else's score values or rationales, nor the consensus rationales: evaluators must not be swayed by each other and
 *   partial sheets are not a verdict. Audit entries for scores then show who, when and which score, not the value or
 *   the rationale.
 * - **Open in consensus and closed**, for everyone who may read the results, except:
 *   - a reader **recused** from a vendor receives nothing of the panel's individual scores and rationales on it, and not
 *     the consensus rationale either (it summarises the panel's discussion of those scores; the consensus page has
 *     always hidden the vendor entirely);
 *   - an **assigned evaluator** (membership role evaluator, whatever their global role) receives the panel's scores on a
 *     vendor only once their own scoresheet for it is submitted — the rule the consensus page has always applied.
 * - Aggregates (criterion values, totals, ranks, spreads, the consensus value itself, which the criterion value shows)
 *   are not individual scores: who may read the results reads them as before.
 *
 * Pure: facts in, decisions out. `panel.server.ts` reads the facts from the database.
 */
import type { MemberRole, RfpStatus } from '#db/schema';
import { panelScoresVisible } from '#app/results/visibility';

/** What the rules need to know about one reader of one RFP. */
export interface PanelViewerFacts {
  /** The reader's account; `null` for a reader who is nobody in particular (the command line). */
  userId: string | null;
  /** The reader's membership in the RFP (`null`: an admin who is not a member, or the command line). */
  memberRole: MemberRole | null;
  status: RfpStatus;
  /** Vendor ids the reader is recused from. */
  recusedFrom: readonly string[];
  /**
   * For an assigned evaluator: vendor id → status of their own scoresheet for it (vendors without a sheet are absent);
   * `null` for anyone without an assignment.
   */
  ownSheets: ReadonlyMap<string, 'in_progress' | 'submitted'> | null;
  /** Submission id → vendor id for the RFP's submissions, to attribute audit entries to a vendor. */
  vendorOfSubmission: ReadonlyMap<string, string>;
}

/** The audit columns a redaction reads and rewrites. */
export interface RedactableAuditEvent {
  entity: string;
  before_json: string | null;
  after_json: string | null;
}

/**
 * Audit entities whose payload carries individual scores or rationales, and the payload fields that are confidential.
 * Every entity the code records is classified here or in {@link PUBLIC_AUDIT_ENTITIES} (a unit test checks it), so a
 * new kind of event cannot carry scores past this module unnoticed.
 */
export const CONFIDENTIAL_AUDIT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  score: ['value', 'rationale'],
  consensus_score: ['value', 'rationale'],
};

/** Audit entities that carry no individual score or rationale (who did what, counts, statuses). */
export const PUBLIC_AUDIT_ENTITIES: readonly string[] = [
  'answer',
  'assignment',
  'attachment',
  'recusal',
  'rfp',
  'rfp_member',
  'scoresheet',
  'submission',
  'user',
  'invitation',
  'vendor',
  'section',
  'criterion',
  'question',
  // Vendors' questions and the lead's Q&A addenda (staff read who asked; vendors never read the audit log).
  'vendor_question',
  'qa_addendum',
  // Installation settings an admin changes (the second-factor policy): no evaluation content.
  'setting',
];

/** Why something was withheld, in the words the reader sees (in the redacted audit entry, notes on pages and files). */
export const WITHHELD = {
  sealed: 'Withheld: individual scores and rationales are sealed until the RFP reaches consensus.',
  recused: 'Withheld: you are recused from this vendor.',
  ownSheetOpen: 'Withheld: your own scoresheet for this vendor is not submitted.',
  unattributed: 'Withheld: this entry cannot be attributed to a vendor you may read.',
} as const;

/** The bundle parts that carry individual scores and consensus rationales (see db/queries/scoring-input.ts). */
interface ScoreDetailLike {
  evaluatorId: string;
  vendorId: string;
}
interface ConsensusDetailLike {
  vendorId: string;
  rationale: string | null;
}

export class PanelViewer {
  /** The RFP is in consensus or closed: the panel's scores are open to those the exceptions do not exclude. */
  readonly panelOpen: boolean;
  private readonly recused: ReadonlySet<string>;

  private constructor(
    private readonly facts: PanelViewerFacts,
    /** Everything, whatever the status (the command line's portable export, which says so in the file). */
    private readonly unrestricted = false,
  ) {
    this.panelOpen = panelScoresVisible(facts.status);
    this.recused = new Set(facts.recusedFrom);
  }

  static for(facts: PanelViewerFacts): PanelViewer {
    return new PanelViewer(facts);
  }

  /**
   * A reader with no recusals and no scores of their own — what the lead or an admin who is not on the panel reads:
   * the panel once it is open, nobody's individual scores before. The command line's scorecard workbook uses it.
   */
  static oversight(status: RfpStatus, vendorOfSubmission: ReadonlyMap<string, string> = new Map()): PanelViewer {
    return new PanelViewer({ userId: null, memberRole: null, status, recusedFrom: [], ownSheets: null, vendorOfSubmission });
  }

  /**
   * Everything in any status: only for the command line's portable export, whose operator holds the database anyway;
   * the file then says when it holds sealed scores (see db/portable/export.ts).
   */
  static everything(status: RfpStatus): PanelViewer {
    return new PanelViewer({ userId: null, memberRole: null, status, recusedFrom: [], ownSheets: null, vendorOfSubmission: new Map() }, true);
  }

  get status(): RfpStatus {
    return this.facts.status;
  }

  /** Whether this reader may read other people's scores, rationales and the consensus rationale on `vendorId`. */
  mayReadPanelOf(vendorId: string | null): boolean {
    return this.withheldBecause(vendorId) === null;
  }

  /** Whether this reader may read `evaluatorId`'s score values and rationales on `vendorId`. */
  mayReadScoresOf(evaluatorId: string | null, vendorId: string | null): boolean {
    if (this.unrestricted) return true;
    if (evaluatorId !== null && this.facts.userId !== null && evaluatorId === this.facts.userId) return true;
    return this.mayReadPanelOf(vendorId);
  }

  /** `null` when the panel's scores on the vendor may be read; otherwise the sentence saying why not ({@link WITHHELD}). */
  withheldBecause(vendorId: string | null): string | null {
    if (this.unrestricted) return null;
    if (!this.panelOpen) return WITHHELD.sealed;
    if (vendorId === null) return this.hasVendorExceptions() ? WITHHELD.unattributed : null;
    if (this.recused.has(vendorId)) return WITHHELD.recused;
    if (this.isAssignedEvaluator() && this.facts.ownSheets?.get(vendorId) !== 'submitted') return WITHHELD.ownSheetOpen;
    return null;
  }

  /** Of `vendorIds`, those whose panel scores this reader may not read although the panel is open (recusal, own sheet open). */
  withheldVendors(vendorIds: readonly string[]): string[] {
    if (!this.panelOpen) return [];
    return vendorIds.filter((v) => !this.mayReadPanelOf(v));
  }

  /**
   * A copy of the scoring bundle's detail parts fit for this reader: the individual scores it may not read are left
   * out, and the consensus rationales on vendors whose panel it may not read become `null` (the decision itself stays:
   * its value is what the criterion value shows anyway).
   */
  redactBundle<B extends { scoreDetails: ScoreDetailLike[]; excludedScoreDetails?: ScoreDetailLike[]; consensusDetails: ConsensusDetailLike[] }>(bundle: B): B {
    const readable = <S extends ScoreDetailLike>(scores: S[]) => scores.filter((s) => this.mayReadScoresOf(s.evaluatorId, s.vendorId));
    return {
      ...bundle,
      scoreDetails: readable(bundle.scoreDetails),
      // Scores on withdrawn and non-responsive submissions (listed, not counted) are individual scores all the same.
      ...(bundle.excludedScoreDetails ? { excludedScoreDetails: readable(bundle.excludedScoreDetails) } : {}),
      consensusDetails: bundle.consensusDetails.map((k) => (k.rationale === null || this.mayReadPanelOf(k.vendorId) ? k : { ...k, rationale: null })),
    };
  }

  /**
   * An audit entry as this reader may see it: who, when, which entity and action always; for score and consensus
   * entries the value and the rationale only when the reader may read them, otherwise those fields are replaced by
   * one `withheld` field saying why. Other entries come back unchanged.
   */
  redactAuditEvent<E extends RedactableAuditEvent>(event: E): E {
    const fields = CONFIDENTIAL_AUDIT_FIELDS[event.entity];
    if (!fields || this.unrestricted) return event;
    const before = parseObject(event.before_json);
    const after = parseObject(event.after_json);
    const evaluatorId = stringField(after, 'evaluator_id') ?? stringField(before, 'evaluator_id');
    const submissionId = stringField(after, 'submission_id') ?? stringField(before, 'submission_id');
    const vendorId = submissionId === null ? null : (this.facts.vendorOfSubmission.get(submissionId) ?? null);
    const own = event.entity === 'score' ? evaluatorId : null;
    if (this.mayReadScoresOf(own, vendorId)) return event;
    const reason = this.withheldBecause(vendorId) ?? WITHHELD.sealed;
    return { ...event, before_json: redactJson(event.before_json, before, fields, reason), after_json: redactJson(event.after_json, after, fields, reason) };
  }

  /** The entry is of a kind that carries score values and rationales ({@link CONFIDENTIAL_AUDIT_FIELDS}). */
  isScoreEntry(event: { entity: string }): boolean {
    return CONFIDENTIAL_AUDIT_FIELDS[event.entity] !== undefined;
  }

  private isAssignedEvaluator(): boolean {
    return this.facts.memberRole === 'evaluator' && this.facts.ownSheets !== null;
  }

  private hasVendorExceptions(): boolean {
    return this.recused.size > 0 || this.isAssignedEvaluator();
  }
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringField(payload: Record<string, unknown> | null, name: string): string | null {
  const value = payload?.[name];
  return typeof value === 'string' ? value : null;
}

/** The payload without its confidential fields, plus `withheld`; a payload that is not a JSON object is withheld whole. */
function redactJson(text: string | null, payload: Record<string, unknown> | null, fields: readonly string[], reason: string): string | null {
  if (text === null) return null;
  if (payload === null) return JSON.stringify({ withheld: reason });
  const kept = Object.fromEntries(Object.entries(payload).filter(([key]) => !fields.includes(key)));
  return JSON.stringify({ ...kept, withheld: reason });
}

/** {@link PanelViewer.everything} for an RFP: the command line's portable export (`exportPortableByReference`). */
export function everythingFor(rfp: { status: RfpStatus }): PanelViewer {
  return PanelViewer.everything(rfp.status);
}
