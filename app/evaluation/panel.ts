/**
 * What the consensus page says about one vendor × criterion, from the panel's submitted scores (DESIGN §4.5, §4.7):
 * the spread and divergence flag for scored criteria, the pass/fail votes and whether they are mixed for knock-outs.
 */
import { mean, median } from '#scoring/criterion-value';
import { isDivergent, spread } from '#scoring/divergence';
import { countVotes } from '#scoring/knockouts';

export interface PanelItem {
  /** (max − min) / S, 0..1; null with fewer than two scores. */
  spread: number | null;
  /** Scored criteria: spread ≥ the RFP's threshold. */
  divergent: boolean;
  /** Knock-outs: some evaluators passed and some failed — a consensus decision is required. */
  mixed: boolean;
  passes: number;
  fails: number;
  /** Mean or median of the scores (scored criteria), full precision; null without scores. */
  aggregate: number | null;
}

export function analysePanelItem(
  kind: string,
  values: readonly number[],
  settings: { scaleMax: number; divergenceThreshold: number; aggregation: 'mean' | 'median' },
): PanelItem {
  if (kind === 'pass_fail') {
    const votes = countVotes(values);
    return { spread: null, divergent: false, mixed: votes.passes > 0 && votes.fails > 0, ...votes, aggregate: null };
  }
  const s = spread(values, settings.scaleMax);
  return {
    spread: s,
    divergent: isDivergent(s, settings.divergenceThreshold),
    mixed: false,
    passes: 0,
    fails: 0,
    aggregate: settings.aggregation === 'median' ? median(values) : mean(values),
  };
}
