/**
 * Reads one RFP's evaluation from the database and assembles the scoring engine's input (DESIGN §4), plus what the
 * results views need around it (keys, titles, rationales, who decided a consensus).
 *
 * Rules applied here, so the engine and every view see the same evaluation:
 * - **Vendors** are the RFP's submissions with status `received` or `responsive`; `withdrawn` and `non_responsive`
 *   submissions are left out of the scoring and listed in `excluded` (with their recorded reason).
 * - **Evaluators** are the RFP's assignments (evaluator × RFP), by name; their recusals become `recusedFrom`.
 *   Scores by someone with no assignment (e.g. un-assigned after scoring) are not counted and are named in `ignored`.
 * - **Scoresheets**: one per assigned evaluator × included vendor; a sheet with no row yet is `not_started`, so the
 *   engine can say who has not submitted. A score counts only when its sheet is `submitted`.
 * - **Scores** on `scored` criteria carry the rubric level (0..scale max); a **pass/fail vote** is the score value
 *   1 (pass) or 0 (fail). Scores or consensus on `price` / `info` criteria cannot be scored and are named in `ignored`.
 * - **Prices** are the submission's price for the contract term in dollars (`null` when not recorded: results not final).
 * - Numbers come back from PostgreSQL as strings for some types; every numeric column is passed through `Number()`.
 *
 * Nothing is rounded here: the engine carries full precision and the views round with `roundForDisplay`.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  roundForDisplay,
  type ScoresheetStatus as EngineSheetStatus,
  type ScoringConsensus,
  type ScoringCriterion,
  type ScoringEvaluator,
  type ScoringInput,
  type ScoringOptions,
  type ScoringOutcome,
  type ScoringResults,
  type ScoringScore,
  type ScoringScoresheet,
  type ScoringSection,
  type ScoringVendor,
} from '../../scoring/index';
import type { CriterionKind, Database, Rfp, SubmissionStatus } from '../schema';
import { computeOutcomeCached } from './results-cache';

type Executor = Kysely<Database> | Transaction<Database>;

/** The RFP columns the assembly reads (a full `rfp` row will do). */
export type ScoringRfp = Pick<
  Rfp,
  'id' | 'scale_max' | 'aggregation' | 'divergence_threshold' | 'price_formula' | 'total_points' | 'allow_half_points'
>;

/** A section as the views need it; `id` is the engine's section id. */
export interface BundleSection {
  id: string;
  key: string;
  title: string;
}

/** A criterion as the views need it; `id` is the engine's criterion id, `points` W_c in points. */
export interface BundleCriterion {
  id: string;
  key: string;
  title: string;
  kind: CriterionKind;
  points: number;
  sectionId: string;
}

/** An included vendor; `id` is the vendor registry id (the engine's vendor id). */
export interface BundleVendor {
  id: string;
  key: string;
  name: string;
  submissionId: string;
  status: SubmissionStatus;
  /** Total price for the term, in dollars; `null` when not recorded. */
  price: number | null;
}

/** A submission left out of the scoring, and why. */
export interface ExcludedSubmission {
  vendorId: string;
  key: string;
  name: string;
  /** `expected`: the vendor never responded (its response was not recorded before evaluation). */
  status: 'expected' | 'withdrawn' | 'non_responsive';
  reason: string | null;
}

/** An assigned evaluator. */
export interface BundleEvaluator {
  id: string;
  name: string;
  email: string;
  /** Vendor ids this evaluator is recused from. */
  recusedFrom: string[];
}

/** One evaluator's score, for drill-downs (only loaded when asked for: see `LoadScoringOptions.details`). */
export interface ScoreDetail {
  evaluatorId: string;
  vendorId: string;
  criterionId: string;
  /** Rubric level 0..S, or 1/0 for a pass/fail vote. */
  value: number;
  /** The evaluator's written rationale; `null` when it was not loaded (see `rationalesFor` / {@link addRationales}). */
  rationale: string | null;
  submitted: boolean;
  /** The evaluator is recused from this vendor: the score never counts. */
  recused: boolean;
}

/** A score on a withdrawn or non-responsive submission: never counted, still listed wherever every score is. */
export interface ExcludedScoreDetail extends ScoreDetail {
  /** The submission's status, the reason the score does not count. */
  status: ExcludedSubmission['status'];
}

/** A consensus score with its rationale and who recorded it. */
export interface ConsensusDetail {
  vendorId: string;
  criterionId: string;
  value: number;
  /** `null` when withheld from the reader (app/confidentiality/panel.ts); never null as read from the database. */
  rationale: string | null;
  decidedBy: string | null;
  decidedAt: string;
}

/** The engine's input for one RFP and everything around it. */
export interface ScoringBundle {
  input: ScoringInput;
  sections: BundleSection[];
  criteria: BundleCriterion[];
  vendors: BundleVendor[];
  excluded: ExcludedSubmission[];
  evaluators: BundleEvaluator[];
  /** Every score of an included vendor by an assigned evaluator; empty unless `details` asked for them. */
  scoreDetails: ScoreDetail[];
  /**
   * Every score by an assigned evaluator on a withdrawn or non-responsive submission (not counted: DESIGN §4 readings);
   * empty unless `details` asked for them.
   */
  excludedScoreDetails: ExcludedScoreDetail[];
  consensusDetails: ConsensusDetail[];
  /** Sentences about data that was read but cannot count (scores by unassigned people, scores on price criteria). */
  ignored: string[];
}

export interface LoadScoringOptions {
  /**
   * Drill-down details (the engine needs none of them): `none` (default); `scores`: every score as a
   * {@link ScoreDetail} without its rationale text (except for the criteria in `rationalesFor`); `rationales`: every
   * score with its rationale text. Rationales are most of the bytes of a large evaluation (25 vendors × 60 criteria ×
   * 12 evaluators is 18,000 of them), so pages read them for the criteria they show.
   */
  details?: 'none' | 'scores' | 'rationales';
  /** With `details: 'scores'`: criterion ids whose rationale text is read too. */
  rationalesFor?: readonly string[];
  /** Passed to the engine unchanged (Monte Carlo draws and seed, preview). */
  engine?: ScoringOptions;
}

const INCLUDED: readonly SubmissionStatus[] = ['received', 'responsive'];

/**
 * Reads the RFP's sections, criteria, submissions (with prices), assignments, recusals, scoresheets, scores and
 * consensus scores, and assembles {@link ScoringBundle}. Read-only; no audit event. Sections and criteria come in
 * questionnaire order; vendors by name; evaluators by name.
 */
export async function loadScoringBundle(db: Executor, rfp: ScoringRfp, options: LoadScoringOptions = {}): Promise<ScoringBundle> {
  const details = options.details ?? 'none';
  const withRationales = details === 'rationales';
  const [sectionRows, criterionRows, submissionRows, assignmentRows, recusalRows, sheetRows, scoreRows, consensusRows] = await Promise.all([
    db.selectFrom('section').select(['id', 'key', 'title', 'position']).where('rfp_id', '=', rfp.id).orderBy('position').execute(),
    db
      .selectFrom('criterion')
      .select(['id', 'key', 'title', 'kind', 'points', 'section_id', 'position'])
      .where('rfp_id', '=', rfp.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select(['submission.id', 'submission.vendor_id', 'submission.status', 'submission.status_reason', 'submission.price', 'vendor.key', 'vendor.name'])
      .where('submission.rfp_id', '=', rfp.id)
      .execute(),
    db
      .selectFrom('assignment')
      .innerJoin('app_user', 'app_user.id', 'assignment.user_id')
      .select(['assignment.user_id', 'app_user.name', 'app_user.email'])
      .where('assignment.rfp_id', '=', rfp.id)
      .execute(),
    db.selectFrom('recusal').select(['user_id', 'vendor_id']).where('rfp_id', '=', rfp.id).execute(),
    db.selectFrom('scoresheet').select(['submission_id', 'evaluator_id', 'status']).where('rfp_id', '=', rfp.id).execute(),
    withRationales
      ? db
          .selectFrom('score')
          .select(['submission_id', 'criterion_id', 'evaluator_id', 'value', 'rationale'])
          .where('rfp_id', '=', rfp.id)
          .execute()
      : db
          .selectFrom('score')
          .select(['submission_id', 'criterion_id', 'evaluator_id', 'value'])
          .where('rfp_id', '=', rfp.id)
          .execute(),
    db
      .selectFrom('consensus_score')
      .leftJoin('app_user', 'app_user.id', 'consensus_score.decided_by')
      .select([
        'consensus_score.submission_id',
        'consensus_score.criterion_id',
        'consensus_score.value',
        'consensus_score.rationale',
        'consensus_score.decided_at',
        'app_user.name as decided_by_name',
      ])
      .where('consensus_score.rfp_id', '=', rfp.id)
      .execute(),
  ]);

  // Sections in order; criteria in section order, then their own position.
  const sectionOrder = new Map(sectionRows.map((s, i) => [s.id, i]));
  const sections: BundleSection[] = sectionRows.map((s) => ({ id: s.id, key: s.key, title: s.title }));
  const criteria: BundleCriterion[] = criterionRows
    .map((c) => ({ row: c, order: sectionOrder.get(c.section_id) ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.order - b.order || Number(a.row.position) - Number(b.row.position))
    .map(({ row: c }) => ({ id: c.id, key: c.key, title: c.title, kind: c.kind, points: Number(c.points), sectionId: c.section_id }));
  const criterionById = new Map(criteria.map((c) => [c.id, c]));

  const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const vendors: BundleVendor[] = [];
  const excluded: ExcludedSubmission[] = [];
  for (const s of submissionRows) {
    if (INCLUDED.includes(s.status)) {
      vendors.push({
        id: s.vendor_id,
        key: s.key,
        name: s.name,
        submissionId: s.id,
        status: s.status,
        price: s.price === null ? null : Number(s.price),
      });
    } else {
      excluded.push({ vendorId: s.vendor_id, key: s.key, name: s.name, status: s.status as ExcludedSubmission['status'], reason: s.status_reason });
    }
  }
  vendors.sort(byName);
  excluded.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const vendorBySubmission = new Map(vendors.map((v) => [v.submissionId, v]));
  const includedVendorIds = new Set(vendors.map((v) => v.id));

  const recusals = new Map<string, Set<string>>();
  for (const r of recusalRows) {
    if (!includedVendorIds.has(r.vendor_id)) continue;
    const set = recusals.get(r.user_id) ?? new Set<string>();
    set.add(r.vendor_id);
    recusals.set(r.user_id, set);
  }
  const evaluators: BundleEvaluator[] = assignmentRows
    .map((a) => ({ id: a.user_id, name: a.name, email: a.email, recusedFrom: vendors.filter((v) => recusals.get(a.user_id)?.has(v.id)).map((v) => v.id) }))
    .sort(byName);
  const evaluatorById = new Map(evaluators.map((e) => [e.id, e]));

  // Scoresheets: every assigned evaluator × included vendor, `not_started` when no row exists.
  const sheetStatus = new Map<string, EngineSheetStatus>();
  for (const sheet of sheetRows) {
    const vendor = vendorBySubmission.get(sheet.submission_id);
    if (vendor && evaluatorById.has(sheet.evaluator_id)) sheetStatus.set(`${sheet.evaluator_id}|${vendor.id}`, sheet.status);
  }
  const scoresheets: ScoringScoresheet[] = [];
  for (const e of evaluators) {
    for (const v of vendors) scoresheets.push({ evaluatorId: e.id, vendorId: v.id, status: sheetStatus.get(`${e.id}|${v.id}`) ?? 'not_started' });
  }

  const excludedBySubmission = new Map(
    submissionRows.flatMap((s) => (INCLUDED.includes(s.status) ? [] : [[s.id, { vendorId: s.vendor_id, status: s.status as ExcludedSubmission['status'] }] as const])),
  );
  const excludedSheetSubmitted = new Set(sheetRows.filter((sheet) => sheet.status === 'submitted' && excludedBySubmission.has(sheet.submission_id)).map((sheet) => `${sheet.evaluator_id}|${sheet.submission_id}`));

  const ignored: string[] = [];
  const unassignedScorers = new Set<string>();
  const unscorable = new Set<string>();
  const scores: ScoringScore[] = [];
  const scoreDetails: ScoreDetail[] = [];
  const excludedScoreDetails: ExcludedScoreDetail[] = [];
  for (const row of scoreRows) {
    const vendor = vendorBySubmission.get(row.submission_id);
    const criterion = criterionById.get(row.criterion_id);
    if (!criterion) continue;
    if (!vendor) {
      // Withdrawn / non-responsive: not in the evaluation, but listed with every other score when details are read.
      const excludedSubmission = excludedBySubmission.get(row.submission_id);
      const evaluator = evaluatorById.get(row.evaluator_id);
      if (details !== 'none' && excludedSubmission && evaluator && (criterion.kind === 'scored' || criterion.kind === 'pass_fail')) {
        excludedScoreDetails.push({
          evaluatorId: evaluator.id,
          vendorId: excludedSubmission.vendorId,
          criterionId: criterion.id,
          value: Number(row.value),
          rationale: withRationales ? ((row as { rationale?: string }).rationale ?? '') : null,
          submitted: excludedSheetSubmitted.has(`${evaluator.id}|${row.submission_id}`),
          recused: recusalRows.some((r) => r.user_id === evaluator.id && r.vendor_id === excludedSubmission.vendorId),
          status: excludedSubmission.status,
        });
      }
      continue;
    }
    const evaluator = evaluatorById.get(row.evaluator_id);
    if (!evaluator) {
      unassignedScorers.add(row.evaluator_id);
      continue;
    }
    if (criterion.kind !== 'scored' && criterion.kind !== 'pass_fail') {
      unscorable.add(criterion.title);
      continue;
    }
    const submitted = sheetStatus.get(`${evaluator.id}|${vendor.id}`) === 'submitted';
    const value = Number(row.value);
    scores.push({ evaluatorId: evaluator.id, vendorId: vendor.id, criterionId: criterion.id, value, submitted });
    if (details !== 'none') {
      scoreDetails.push({
        evaluatorId: evaluator.id,
        vendorId: vendor.id,
        criterionId: criterion.id,
        value,
        rationale: withRationales ? ((row as { rationale?: string }).rationale ?? '') : null,
        submitted,
        recused: evaluator.recusedFrom.includes(vendor.id),
      });
    }
  }
  if (unassignedScorers.size > 0) {
    ignored.push(
      `${unassignedScorers.size === 1 ? 'Scores by one person who is' : `Scores by ${unassignedScorers.size} people who are`} no longer assigned to this RFP are not counted.`,
    );
  }

  const consensus: ScoringConsensus[] = [];
  const consensusDetails: ConsensusDetail[] = [];
  for (const row of consensusRows) {
    const vendor = vendorBySubmission.get(row.submission_id);
    const criterion = criterionById.get(row.criterion_id);
    if (!vendor || !criterion) continue;
    if (criterion.kind !== 'scored' && criterion.kind !== 'pass_fail') {
      unscorable.add(criterion.title);
      continue;
    }
    const value = Number(row.value);
    consensus.push({ vendorId: vendor.id, criterionId: criterion.id, value });
    consensusDetails.push({
      vendorId: vendor.id,
      criterionId: criterion.id,
      value,
      rationale: row.rationale,
      decidedBy: row.decided_by_name ?? null,
      decidedAt: row.decided_at,
    });
  }
  for (const title of [...unscorable].sort()) {
    ignored.push(`Scores recorded on “${title}” are not counted: it is not a scored or pass/fail criterion.`);
  }

  const input: ScoringInput = {
    settings: {
      scaleMax: Number(rfp.scale_max),
      aggregation: rfp.aggregation,
      divergenceThreshold: Number(rfp.divergence_threshold),
      priceFormula: rfp.price_formula,
      totalPoints: Number(rfp.total_points),
      allowHalfPoints: Boolean(Number(rfp.allow_half_points)),
    },
    sections: sections.map((s): ScoringSection => ({ id: s.id, title: s.title })),
    criteria: criteria.map((c): ScoringCriterion => ({ id: c.id, sectionId: c.sectionId, title: c.title, kind: c.kind, points: c.points })),
    vendors: vendors.map((v): ScoringVendor => ({ id: v.id, name: v.name, price: v.price })),
    evaluators: evaluators.map((e): ScoringEvaluator => ({ id: e.id, name: e.name, recusedFrom: e.recusedFrom })),
    scores,
    consensus,
    scoresheets,
    ...(options.engine ? { options: options.engine } : {}),
  };
  const bundle: ScoringBundle = { input, sections, criteria, vendors, excluded, evaluators, scoreDetails, excludedScoreDetails, consensusDetails, ignored };
  if (details === 'scores' && options.rationalesFor && options.rationalesFor.length > 0) {
    await addRationales(db, rfp.id, bundle, options.rationalesFor);
  }
  return bundle;
}

/**
 * Reads the rationale text of the bundle's score details (all of them, or those on `criterionIds`) and fills it in,
 * in place. For pages that decide after loading whether the evaluation is small enough to show every rationale.
 */
export async function addRationales(db: Executor, rfpId: string, bundle: Pick<ScoringBundle, 'scoreDetails' | 'vendors'>, criterionIds: readonly string[] | 'all'): Promise<void> {
  if (bundle.scoreDetails.length === 0 || (criterionIds !== 'all' && criterionIds.length === 0)) return;
  let query = db.selectFrom('score').select(['submission_id', 'criterion_id', 'evaluator_id', 'rationale']).where('rfp_id', '=', rfpId);
  if (criterionIds !== 'all') query = query.where('criterion_id', 'in', [...criterionIds]);
  const rows = await query.execute();
  const vendorBySubmission = new Map(bundle.vendors.map((v) => [v.submissionId, v.id]));
  const text = new Map<string, string>();
  for (const r of rows) {
    const vendorId = vendorBySubmission.get(r.submission_id);
    if (vendorId) text.set(`${r.evaluator_id}|${vendorId}|${r.criterion_id}`, r.rationale);
  }
  for (const d of bundle.scoreDetails) {
    const found = text.get(`${d.evaluatorId}|${d.vendorId}|${d.criterionId}`);
    if (found !== undefined) d.rationale = found;
  }
}

/** A bundle and the engine's outcome on it (results, or the fatal problems that prevented them). */
export interface RfpResults {
  bundle: ScoringBundle;
  outcome: ScoringOutcome;
}

/**
 * {@link loadScoringBundle} then `tryComputeResults`, through the shared results cache (results-cache.ts): never
 * throws for bad scoring data, only for database errors.
 */
export async function computeRfpResults(db: Executor, rfp: ScoringRfp, options: LoadScoringOptions = {}): Promise<RfpResults> {
  const bundle = await loadScoringBundle(db, rfp, options);
  return { bundle, outcome: await computeOutcomeCached(db, rfp.id, bundle.input) };
}

/** One vendor in the portable file's `results.ranking` (DESIGN §9), figures rounded for export (2 decimals). */
export interface PortableRankingRow {
  /** Vendor key. */
  vendor: string;
  rank: number | null;
  qualified: boolean;
  /** The disqualification reasons joined into one paragraph; `null` when qualified. */
  disqualifiedBecause: string | null;
  /** T(v) in points, rounded to 2 decimals. */
  total: number | null;
  /** Section key → subtotal in points, rounded to 2 decimals. */
  sections: Record<string, number | null>;
}

/** The portable file's `results`: final flag and ranking. */
export interface PortableResults {
  final: boolean;
  ranking: PortableRankingRow[];
}

/**
 * The ranking as the results page and the portable file show it: the engine's vendor order (ranked by rank, then
 * disqualified by name), totals and section subtotals rounded with `roundForDisplay` (2 decimals). When the engine
 * refused the input (fatal problems) there is no ranking and the results are not final.
 */
export function portableResults(bundle: Pick<ScoringBundle, 'vendors' | 'sections'>, results: ScoringResults | null): PortableResults {
  if (results === null) return { final: false, ranking: [] };
  const keyOfVendor = new Map(bundle.vendors.map((v) => [v.id, v.key]));
  const keyOfSection = new Map(bundle.sections.map((s) => [s.id, s.key]));
  return {
    final: results.final,
    ranking: results.vendors.map((v) => ({
      vendor: keyOfVendor.get(v.vendorId) ?? v.vendorId,
      rank: v.rank,
      qualified: v.qualified,
      disqualifiedBecause: v.disqualifiedBecause.length > 0 ? v.disqualifiedBecause.join(' ') : null,
      total: roundForDisplay(v.total),
      sections: Object.fromEntries(v.sections.map((s) => [keyOfSection.get(s.sectionId) ?? s.sectionId, roundForDisplay(s.points)])),
    })),
  };
}

/**
 * The portable file's `results` for one RFP: computed by the engine exactly as the results page computes them (same
 * bundle, same rounding), without the Monte Carlo, which the ranking does not depend on.
 */
export async function loadPortableResults(db: Executor, rfp: ScoringRfp): Promise<PortableResults> {
  const { bundle, outcome } = await computeRfpResults(db, rfp, { engine: { monteCarloDraws: 0 } });
  return portableResults(bundle, outcome.ok ? outcome.results : null);
}
