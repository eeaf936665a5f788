/**
 * The sentences and labels the results page, the leadership scorecard page and the scorecard workbook (and the matrix
 * CSV) share, so all of them say the same thing in the same words — the DESIGN §4 readings in particular:
 * - a knock-out left undecided (a split vote, or no vote) on a vendor that another knock-out already disqualified is
 *   "not needed": it cannot change the outcome, so it neither keeps the results from being final nor reads as open;
 * - when the engine refused the scoring data (results blocked), whatever depends on the results — divergence,
 *   robustness, knock-outs — "was not computed", never "none".
 * Figures are written by `format.ts`.
 */
import type { KnockoutOutcome, ScoringResults } from '#scoring/index';
import { listOf } from './format';

/** Labels of knock-out outcomes; the Matrix's `COUNTIF(…,"Fail")` counts exactly {@link KNOCKOUT_TEXT.fail}. */
export const KNOCKOUT_TEXT = { pass: 'Pass', fail: 'Fail', notScored: 'Not decided' } as const;

/**
 * A knock-out's outcome for one vendor: "Pass", "Fail", "Split (1 pass, 2 fail)" or "Not decided"; the last two
 * followed by ": not needed" when the vendor is already disqualified (by another knock-out: a split or missing vote
 * never disqualifies).
 */
export function knockoutLabel(outcome: KnockoutOutcome | null, votes: { passes: number; fails: number } | undefined, vendorQualified: boolean): string {
  if (outcome === 'pass') return KNOCKOUT_TEXT.pass;
  if (outcome === 'fail') return KNOCKOUT_TEXT.fail;
  const open = outcome === 'mixed' ? `Split (${votes?.passes ?? 0} pass, ${votes?.fails ?? 0} fail)` : KNOCKOUT_TEXT.notScored;
  return vendorQualified ? open : `${open}: not needed`;
}

/**
 * The knock-outs that need no decision because their vendor is already disqualified, as "“Title” for Vendor", in the
 * engine's vendor order then criterion order.
 */
export function knockoutsNotNeeded(results: ScoringResults, criterionTitles: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const v of results.vendors) {
    if (v.qualified) continue;
    for (const c of v.criteria) {
      if (c.kind === 'pass_fail' && (c.knockout === 'mixed' || c.knockout === 'not_scored')) {
        out.push(`“${criterionTitles.get(c.criterionId) ?? c.criterionId}” for ${v.name}`);
      }
    }
  }
  return out;
}

/**
 * What complete results rest on, as one clause: "every scoresheet is submitted, every knock-out decided and every price
 * recorded", naming the knock-outs that were not needed.
 */
export function completeClause(notNeeded: readonly string[]): string {
  const base = 'every scoresheet is submitted, every knock-out decided and every price recorded';
  if (notNeeded.length === 0) return base;
  const one = notNeeded.length === 1;
  return `${base} (the knock-out${one ? '' : 's'} ${listOf(notNeeded)} ${one ? 'is' : 'are'} not needed: ${one ? 'that vendor is' : 'those vendors are'} already disqualified by another knock-out)`;
}

/** The resolution of a split knock-out vote without consensus, for a vendor already disqualified. */
export function splitVoteNotNeeded(vendor: string): string {
  return `Not needed: ${vendor} is already disqualified by another knock-out.`;
}

/** The resolution of a split knock-out vote without consensus, for a vendor still in the running. */
export const SPLIT_VOTE_OPEN = 'Not resolved yet: needs a consensus decision.';

const BLOCKED = 'the scoring data has problems that must be fixed first';

/** Statements that depend on results, when the engine refused the scoring data. */
export const NOT_COMPUTED = {
  recommendation: `No recommendation yet: ${BLOCKED}.`,
  robustness: `Robustness was not computed: ${BLOCKED}.`,
  divergence: `Divergence was not computed: ${BLOCKED}.`,
  knockouts: `Knock-outs were not computed: ${BLOCKED}.`,
  ranking: `No ranking: ${BLOCKED} (listed below).`,
} as const;

/** When results were computed and nothing diverged. */
export const NO_DIVERGENCE = 'Evaluators did not diverge on any criterion.';
/** When results were computed and nobody failed a knock-out. */
export const NO_KNOCKOUT_FAILED = 'No vendor failed a knock-out requirement.';
