/**
 * Builds the results views' view-models from the engine's output (`computeResults`) and the scoring bundle the
 * query assembled. Pure: no database, no React. Every number is rounded with `roundForDisplay` here and only here.
 */
import type { ScoringBundle } from '#app/utils/db.server';
import { STATUS_LABELS } from '#app/rfp/status';
import {
  MONTE_CARLO_DISTRIBUTION,
  type CriterionResult,
  type ScoringOutcome,
  type ScoringResults,
  type VendorResult,
} from '#scoring/index';
import { buildCharts } from './charts-data';
import { scoreBand } from './colors';
import { formatOptionalPoints, formatPercent, formatPoints, formatScore, formatSigned, listOf, NO_FIGURE, plural } from './format';
import { sectionSubtotals } from './subtotals';
import type {
  BreakEvenView,
  CellTone,
  ConsensusNote,
  DrillEntry,
  MatrixCellView,
  MatrixView,
  RankingRowView,
  ResultsRfp,
  ResultsView,
  RobustnessView,
  SectionHeadView,
} from './types';
import { completeClause, knockoutLabel, knockoutsNotNeeded } from './wording';

/** What the builders read: the bundle without anything the views do not need. */
export type ResultsBundle = Pick<
  ScoringBundle,
  'sections' | 'criteria' | 'vendors' | 'excluded' | 'evaluators' | 'scoreDetails' | 'consensusDetails' | 'ignored'
> & { input: Pick<ScoringBundle['input'], 'settings' | 'scores'> };

export interface ResultsSource {
  rfp: ResultsRfp;
  bundle: ResultsBundle;
  outcome: ScoringOutcome;
  /** The viewer may see the panel's individual scores and rationales (see visibility.ts). */
  panelVisible: boolean;
  /** A criterion whose every score and rationale the viewer asked to read (ignored unless the panel is visible). */
  focusCriterionId?: string | null;
  /** Vendors whose panel scores are withheld from this viewer although the panel is open, and why (panel.ts). */
  withheldVendors?: ReadonlyArray<{ name: string; reason: string }>;
}

const EXCLUDED_STATUS: Record<string, string> = { expected: 'No response', withdrawn: 'Withdrawn', non_responsive: 'Non-responsive' };

/** Sections that carry points, in questionnaire order (the columns of the ranking table). */
export function weightedSections(bundle: ResultsBundle): SectionHeadView[] {
  return bundle.sections.flatMap((s) => {
    const available = bundle.criteria.filter((c) => c.sectionId === s.id).reduce((sum, c) => sum + c.points, 0);
    return available > 0 ? [{ id: s.id, key: s.key, title: s.title, available: formatPoints(available) }] : [];
  });
}

export function rankingRows(bundle: ResultsBundle, results: ScoringResults, sections: readonly SectionHeadView[]): RankingRowView[] {
  const keyOf = new Map(bundle.vendors.map((v) => [v.id, v.key]));
  return results.vendors.map((v) => {
    const subtotal = sectionSubtotals(bundle.criteria, v);
    return {
      vendorId: v.vendorId,
      key: keyOf.get(v.vendorId) ?? v.vendorId,
      name: v.name,
      rank: v.rank,
      qualified: v.qualified,
      disqualifiedBecause: v.disqualifiedBecause,
      total: formatPoints(v.total),
      sections: sections.map((s) => formatOptionalPoints(subtotal.get(s.id) ?? null)),
      problems: v.problems.map((p) => p.message),
    };
  });
}

/** The RFP's method, with its actual settings, citing DESIGN §4. */
export function methodNotes(settings: ScoringResults['settings']): { notes: string[]; short: string } {
  const S = settings.scaleMax;
  const agg = settings.aggregation;
  const price =
    settings.priceFormula === 'ratio'
      ? 'price points = W × P_min / P_v (ratio formula), where P_min is the lowest price among qualified vendors'
      : 'price points = W × max(0, 1 − (P_v − P_min) / P_min) (linear formula), where P_min is the lowest price among qualified vendors';
  const threshold = formatPercent(settings.divergenceThreshold);
  const notes = [
    `Criterion value r(v,c) (DESIGN §4.2): the consensus score when one is recorded, otherwise the ${agg} of the submitted evaluators' scores on 0–${S}, recused evaluators excluded; no score means “not scored”, never 0.`,
    `Points (§4.3–4.4): p(v,c) = W_c × r(v,c) / ${S} for scored criteria; ${price}.`,
    `Knock-outs (§4.5): a fail by consensus or by every evaluator disqualifies a vendor; it is shown with the reason but not ranked. A split vote needs a consensus decision.`,
    `Totals (§4.6): T(v) = Σ p(v,c), section subtotals likewise; ranked by T descending, equal totals share a rank.`,
    `Divergence (§4.7): a vendor × criterion is flagged when (max − min) / ${S} ≥ ${threshold} of the scale.`,
    `Robustness (§4.9): for each section, the smallest change of its weight (others rescaled to keep the total) that changes the winner, within ±50%. Monte Carlo: ${MONTE_CARLO_DISTRIBUTION} 10,000 draws, seeded, so the same data always gives the same shares. And whether the other price formula changes the winner.`,
    'Figures carry full precision and are rounded to 2 decimals (half away from zero) only for display and export.',
  ];
  const short =
    `Each criterion's value is the consensus score or the ${agg} of the evaluators' submitted scores on a 0–${S} scale, worth W × value / ${S} points; ` +
    `price earns points by the ${settings.priceFormula} formula against the lowest qualified price, and a failed knock-out disqualifies a vendor. ` +
    `Vendors are ranked by total points; robustness re-weights sections (±50%) and draws 10,000 random weightings to see whether the winner holds.`;
  return { notes, short };
}

function cellTone(cell: CriterionResult): CellTone {
  if (cell.kind === 'pass_fail') {
    return cell.knockout === 'pass' ? 'pass' : cell.knockout === 'fail' ? 'fail' : cell.knockout === 'mixed' ? 'mixed' : 'none';
  }
  if (cell.value === null) return 'none';
  return cell.kind === 'price' ? 'price' : 'scored';
}

/** What a cell with no value says to a screen reader beside its "—". */
const NOT_SCORED = 'not scored';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });

/** The comparison matrix: criteria (rows, grouped by section) × vendors (columns, in ranking order). */
export function buildMatrix(source: ResultsSource, results: ScoringResults): MatrixView {
  const { bundle, panelVisible } = source;
  const S = results.settings.scaleMax;
  const vendors = results.vendors;
  const evaluatorIndex = new Map(bundle.evaluators.map((e, i) => [e.id, i]));
  const criteriaById = new Map(bundle.criteria.map((c) => [c.id, c]));
  // Cells are addressed by integer (vendor column × C + criterion row): a large evaluation has 18,000 scores, and
  // string keys per score cost more than everything else here.
  const C = bundle.criteria.length;
  const columnOf = new Map(vendors.map((v, i) => [v.vendorId, i]));
  const rowOf = new Map(bundle.criteria.map((c, i) => [c.id, i]));
  const cellIndex = (vendorId: string, criterionId: string) => {
    const v = columnOf.get(vendorId);
    const c = rowOf.get(criterionId);
    return v === undefined || c === undefined ? -1 : v * C + c;
  };

  // Drill-downs: each evaluator's score (and rationale, when loaded), by vendor × criterion, only when the viewer may
  // see them. Scores repeat a handful of values: format each distinct value once.
  const drill: Array<DrillEntry[] | undefined> = new Array<DrillEntry[] | undefined>(vendors.length * C);
  let rationalesInline = true;
  if (panelVisible) {
    const shown = new Map<number, string>();
    const show = (value: number) => {
      let text = shown.get(value);
      if (text === undefined) shown.set(value, (text = formatScore(value)));
      return text;
    };
    for (const s of bundle.scoreDetails) {
      const at = cellIndex(s.vendorId, s.criterionId);
      if (at < 0) continue;
      let list = drill[at];
      if (list === undefined) drill[at] = list = [];
      const entry: DrillEntry = {
        e: evaluatorIndex.get(s.evaluatorId) ?? -1,
        v: criteriaById.get(s.criterionId)?.kind === 'pass_fail' ? (s.value === 1 ? 'Pass' : 'Fail') : show(s.value),
      };
      if (s.recused) entry.s = 'recused';
      else if (!s.submitted) entry.s = 'not_submitted';
      if (s.rationale !== null) entry.r = s.rationale;
      else rationalesInline = false;
      list.push(entry);
    }
    for (const list of drill) if (list !== undefined && list.length > 1) list.sort((a, b) => a.e - b.e);
  }
  const consensus: Array<ConsensusNote | undefined> = new Array<ConsensusNote | undefined>(vendors.length * C);
  for (const k of bundle.consensusDetails) {
    const at = cellIndex(k.vendorId, k.criterionId);
    if (at < 0) continue;
    consensus[at] = {
      value: criteriaById.get(k.criterionId)?.kind === 'pass_fail' ? (k.value === 1 ? 'Pass' : 'Fail') : formatScore(k.value),
      rationale: k.rationale,
      decidedBy: k.decidedBy,
    };
  }
  const mixed = new Map(results.mixedVotes.map((m) => [cellIndex(m.vendorId, m.criterionId), m]));
  // The engine returns each vendor's criteria in input order, which is the bundle's order; checked, not assumed.
  const cellOf = (v: VendorResult, c: number, criterionId: string) => {
    const direct = v.criteria[c];
    return direct?.criterionId === criterionId ? direct : v.criteria.find((x) => x.criterionId === criterionId);
  };

  const groups = bundle.sections.map((section) => ({
    sectionId: section.id,
    title: section.title,
    rows: bundle.criteria
      .filter((c) => c.sectionId === section.id && c.kind !== 'info')
      .map((criterion) => ({
        criterionId: criterion.id,
        key: criterion.key,
        title: criterion.title,
        kind: criterion.kind,
        points: formatPoints(criterion.points),
        cells: vendors.map((v, vi): MatrixCellView => {
          const row = rowOf.get(criterion.id) as number;
          const key = vi * C + row;
          const cell = cellOf(v, row, criterion.id);
          if (!cell) {
            return { text: NO_FIGURE, note: NOT_SCORED, points: null, pointsNotCounted: false, band: null, tone: 'none', source: 'none', divergent: false, spread: null, drill: null, consensus: null };
          }
          const vote = mixed.get(key);
          let text: string;
          let note: string | null = null;
          let band: number | null = null;
          if (cell.kind === 'pass_fail') {
            text = knockoutLabel(cell.knockout, vote, v.qualified);
          } else if (cell.kind === 'price') {
            text = cell.value === null ? 'No price' : money.format(cell.value);
            if (cell.points !== null && criterion.points > 0) band = scoreBand(cell.points, criterion.points);
          } else if (cell.value === null) {
            text = NO_FIGURE;
            note = NOT_SCORED;
          } else {
            text = formatScore(cell.value);
            band = scoreBand(cell.value, S);
          }
          const entries = drill[key];
          return {
            text,
            note,
            points: cell.points === null ? null : formatPoints(cell.points),
            // A disqualified vendor's price points are computed (against the qualified vendors' P_min) but it is not
            // ranked, so they count for nothing; the cell says so rather than showing points that look earned.
            pointsNotCounted: cell.kind === 'price' && cell.points !== null && !v.qualified,
            band,
            tone: cellTone(cell),
            source: cell.source,
            divergent: cell.divergent,
            spread: cell.spread === null ? null : formatScore(cell.spread),
            drill: entries && entries.length > 0 ? entries : null,
            consensus: consensus[key] ?? null,
          };
        }),
      })),
  }));
  const groupsShown = groups.filter((g) => g.rows.length > 0);
  const focusRow = panelVisible && source.focusCriterionId ? groupsShown.flatMap((g) => g.rows).find((r) => r.criterionId === source.focusCriterionId) : undefined;
  return {
    scaleMax: S,
    vendors: vendors.map((v) => ({ id: v.vendorId, name: v.name, rank: v.rank, qualified: v.qualified })),
    evaluators: bundle.evaluators.map((e) => e.name),
    groups: groupsShown,
    totals: vendors.map((v) => formatPoints(v.total)),
    divergenceThreshold: formatPercent(results.settings.divergenceThreshold),
    rationalesInline: panelVisible && rationalesInline,
    focus: focusRow
      ? {
          criterionId: focusRow.criterionId,
          key: focusRow.key,
          title: focusRow.title,
          vendors: focusRow.cells.map((cell, i) => ({
            id: vendors[i]?.vendorId ?? '',
            name: vendors[i]?.name ?? '',
            text: cell.text,
            spread: cell.spread,
            consensus: cell.consensus,
            entries: cell.drill ?? [],
          })),
        }
      : null,
  };
}

function nameOf(results: ScoringResults, ids: readonly string[]): string {
  const names = new Map(results.vendors.map((v) => [v.vendorId, v.name]));
  return listOf(ids.map((id) => names.get(id) ?? id));
}

/** Break-even per section, Monte Carlo and price-formula swap, in sentences. */
export function robustnessView(results: ScoringResults, sectionTitles: ReadonlyMap<string, string>): RobustnessView {
  const { breakEven, monteCarlo, priceFormulaSwap: swap } = results.robustness;
  const rows: BreakEvenView[] = breakEven
    .filter((b) => b.weight > 0)
    .map((b) => {
      const section = sectionTitles.get(b.sectionId) ?? b.sectionId;
      let sentence: string;
      if (b.status === 'changes' && b.change !== null && b.newWeight !== null && b.relativeChange !== null) {
        sentence =
          `The winner changes if this section's weight moves by ${formatSigned(b.change)} points (${formatSigned(b.relativeChange * 100)}%), ` +
          `from ${formatPoints(b.weight)} to ${formatPoints(b.newWeight)}: ${nameOf(results, b.challengerIds)} then ${b.challengerIds.length === 1 ? 'draws' : 'draw'} level.`;
      } else if (b.status === 'none') {
        sentence = `No change of up to ±50% of its weight (${formatPoints(b.weight)} points) changes the winner.`;
      } else {
        sentence = b.reason ?? 'Not applicable.';
      }
      return { sectionId: b.sectionId, section, weight: formatPoints(b.weight), status: b.status, sentence };
    });
  let mc: RobustnessView['monteCarlo'] = null;
  if (monteCarlo !== null) {
    const shares = [...monteCarlo.shares].filter((s) => s.share > 0).sort((a, b) => b.share - a.share);
    const parts = shares.slice(0, 3).map((s) => `${nameOf(results, [s.vendorId])} wins ${formatPercent(s.share)}`);
    const others = shares.length > 3 ? `; ${plural(shares.length - 3, 'other vendor shares', 'other vendors share')} the rest` : '';
    mc = {
      sentence: `Of ${monteCarlo.draws.toLocaleString('en-US')} random re-weightings, ${parts.length > 0 ? listOf(parts) : 'no vendor wins any'}${others}.`,
      distribution: monteCarlo.distribution,
    };
  }
  let priceSwap: string;
  if (!swap.applicable || swap.changesWinner === null) {
    priceSwap = `The ${swap.otherFormula} price formula was not compared: ${swap.reason ?? 'not applicable'}`;
  } else if (swap.changesWinner) {
    priceSwap = `Under the ${swap.otherFormula} price formula the winner would change to ${nameOf(results, swap.otherWinnerIds)}.`;
  } else {
    priceSwap = `Under the ${swap.otherFormula} price formula the winner would be the same (${nameOf(results, swap.otherWinnerIds)}).`;
  }
  return { breakEven: rows, monteCarlo: mc, priceSwap };
}

/** Reasons the page gives for "not final": the engine's, plus facts about the evaluation it cannot see. */
function notFinalReasons(source: ResultsSource, results: ScoringResults | null): string[] {
  const extra: string[] = [];
  const { bundle, rfp } = source;
  if (bundle.evaluators.length === 0 && bundle.vendors.length > 0) extra.push('No evaluator is assigned to this RFP yet.');
  if (rfp.status === 'draft' || rfp.status === 'open') {
    extra.push(`The RFP is in status “${STATUS_LABELS[rfp.status]}”: the evaluation has not started.`);
  }
  if (results === null) return [...extra, 'The scoring data has problems that must be fixed first (listed below).'];
  // A vendor name ending in a full stop ("Acme Inc.") would end the engine's sentence with two.
  return results.final ? [] : [...extra, ...results.notFinalBecause.map((r) => r.replace(/\.\.$/, '.'))];
}

/** The whole results page. */
export function buildResultsView(source: ResultsSource): ResultsView {
  const { rfp, bundle, outcome, panelVisible } = source;
  const results = outcome.ok ? outcome.results : null;
  const sections = weightedSections(bundle);
  const sectionTitles = new Map(bundle.sections.map((s) => [s.id, s.title]));
  const method = methodNotes(results?.settings ?? bundle.input.settings);
  const withheld = (source.withheldVendors ?? []).map((w) => ` On ${w.name}: ${w.reason}`).join('');
  const panelNote = panelVisible
    ? `Open a cell to see each evaluator’s score and rationale. Scores from unsubmitted scoresheets and recused evaluators are shown but not counted.${withheld}`
    : 'Each evaluator’s score and rationale can be read here once the RFP reaches consensus; until then only the panel’s figures are shown.';
  return {
    rfp,
    final: results?.final ?? false,
    notFinalBecause: notFinalReasons(source, results),
    complete: completeClause(results ? knockoutsNotNeeded(results, new Map(bundle.criteria.map((c) => [c.id, c.title]))) : []),
    warnings: [...(results?.warnings ?? []), ...bundle.ignored],
    problems: outcome.ok ? [] : outcome.problems.map((p) => p.message),
    excluded: bundle.excluded.map((x) => ({ name: x.name, status: EXCLUDED_STATUS[x.status] ?? x.status, reason: x.reason })),
    sections,
    ranking: results ? rankingRows(bundle, results, sections) : [],
    winners: results ? results.winnerIds.map((id) => nameOf(results, [id])) : [],
    matrix: results ? buildMatrix(source, results) : null,
    charts: results ? buildCharts(bundle, results, sections) : [],
    robustness: results ? robustnessView(results, sectionTitles) : null,
    panel: { visible: panelVisible, note: panelNote },
    method: method.notes,
    methodShort: method.short,
  };
}

/** The qualified vendors in rank order. */
export function qualifiedVendors(results: ScoringResults): VendorResult[] {
  return results.vendors.filter((v) => v.qualified);
}
