/**
 * Knock-outs (DESIGN §4.5): pass/fail criteria that disqualify a vendor.
 */
import type { KnockoutOutcome } from './types';

/** Votes on one vendor × knock-out, counted as the engine counts scores (submitted, recusals excluded). */
export interface KnockoutVotes {
  passes: number;
  fails: number;
}

/**
 * The outcome of a knock-out for one vendor:
 * - a recorded consensus decides: 1 → `pass`, 0 → `fail`;
 * - otherwise the counted votes (1 = pass, 0 = fail): all fail → `fail`; all pass → `pass`; both → `mixed`
 *   (needs a consensus decision before results are final); none → `not_scored`.
 */
export function knockoutOutcome(consensus: number | null | undefined, votes: KnockoutVotes): KnockoutOutcome {
  if (consensus === 1) return 'pass';
  if (consensus === 0) return 'fail';
  if (votes.passes > 0 && votes.fails > 0) return 'mixed';
  if (votes.fails > 0) return 'fail';
  if (votes.passes > 0) return 'pass';
  return 'not_scored';
}

/** Counts pass (1) and fail (0) votes in `values[start..end)` (default: all). */
export function countVotes(values: ArrayLike<number>, start = 0, end: number = values.length): KnockoutVotes {
  let passes = 0;
  let fails = 0;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === 1) passes += 1;
    else if (v === 0) fails += 1;
  }
  return { passes, fails };
}

/**
 * The sentence recorded for a failed knock-out, naming the criterion and who decided, e.g.
 * `Failed knock-out “Data stays in the US” (consensus decision).` or
 * `Failed knock-out “Data stays in the US” (all 3 evaluators).`
 */
export function disqualificationReason(criterionTitle: string, byConsensus: boolean, fails: number): string {
  const who = byConsensus ? 'consensus decision' : fails === 1 ? 'the only evaluator' : `all ${fails} evaluators`;
  return `Failed knock-out “${criterionTitle}” (${who}).`;
}
