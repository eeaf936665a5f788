/**
 * The leadership scorecard's view-model: the results in plain language on one printable page — who is recommended,
 * by how much, how robust that is, who was knocked out, where evaluators disagreed and how consensus settled it.
 * Pure; built from the same engine output as the results page.
 */
import { formatPercent, formatPoints, formatScore, listOf } from './format';
import type { DisagreementView, ScorecardView } from './types';
import { buildResultsView, qualifiedVendors, type ResultsSource } from './view-model';
import { NO_DIVERGENCE, NO_KNOCKOUT_FAILED, NOT_COMPUTED, SPLIT_VOTE_OPEN, splitVoteNotNeeded } from './wording';

export function buildScorecardView(source: ResultsSource, generatedOn: string): ScorecardView {
  const view = buildResultsView({ ...source, panelVisible: false });
  const results = source.outcome.ok ? source.outcome.results : null;
  const base = {
    rfp: view.rfp,
    final: view.final,
    notFinalBecause: view.notFinalBecause,
    complete: view.complete,
    problems: view.problems,
    ranking: view.ranking,
    sections: view.sections,
    robustness: view.robustness,
    excluded: view.excluded,
    methodShort: view.methodShort,
    generatedOn,
  };
  if (!results) {
    return {
      ...base,
      recommendation: NOT_COMPUTED.recommendation,
      margin: null,
      robustnessSummary: NOT_COMPUTED.robustness,
      knockouts: [],
      knockoutsNote: NOT_COMPUTED.knockouts,
      disagreements: [],
      disagreementsNote: NOT_COMPUTED.divergence,
    };
  }

  const qualified = qualifiedVendors(results);
  const winners = qualified.filter((v) => v.rank === 1);
  const provisional = results.final ? '' : 'Provisional: ';
  const outOf = formatPoints(results.settings.totalPoints);
  let recommendation: string;
  let margin: string | null = null;
  if (results.vendors.length === 0) recommendation = 'No recommendation: no vendor is in the evaluation.';
  else if (winners.length === 0) recommendation = 'No recommendation: every vendor failed a knock-out requirement.';
  else if (winners.length > 1) {
    recommendation = `${provisional}${listOf(winners.map((w) => w.name))} tie for first place with ${formatPoints(winners[0]!.total)} of ${outOf} points each; a consensus decision is needed.`;
  } else {
    const winner = winners[0]!;
    recommendation = `${provisional}${winner.name}, with ${formatPoints(winner.total)} of ${outOf} points.`;
    const runnerUp = qualified.find((v) => v.vendorId !== winner.vendorId);
    margin = runnerUp
      ? `${winner.name} leads the runner-up, ${runnerUp.name} (${formatPoints(runnerUp.total)} points), by ${formatPoints(winner.total - runnerUp.total)} points.`
      : `${winner.name} is the only qualified vendor.`;
  }

  // Robustness in a few words.
  const parts: string[] = [];
  const rob = view.robustness;
  if (winners.length === 1 && rob) {
    const changing = rob.breakEven.filter((b) => b.status === 'changes');
    const applicable = rob.breakEven.filter((b) => b.status !== 'not_applicable');
    if (applicable.length > 0 && changing.length === 0) {
      parts.push(`No single section's weight, changed by up to ±50%, changes the winner.`);
    } else if (changing.length > 0) {
      parts.push(
        `The winner changes if the weight of ${listOf(changing.map((b) => b.section))} moves within ±50% (see below); no other section's weight changes it.`,
      );
    }
    const mc = results.robustness.monteCarlo;
    const share = mc?.shares.find((s) => s.vendorId === winners[0]!.vendorId)?.share;
    if (mc && share !== undefined) parts.push(`${winners[0]!.name} wins ${formatPercent(share)} of ${mc.draws.toLocaleString('en-US')} random re-weightings.`);
    parts.push(rob.priceSwap);
  }

  // Knock-outs.
  const knockouts = results.vendors.filter((v) => !v.qualified).map((v) => ({ vendor: v.name, reasons: v.disqualifiedBecause }));

  // Disagreements: divergent scored criteria, and split knock-out votes (settled or not).
  const { bundle } = source;
  const consensus = new Map(bundle.consensusDetails.map((k) => [`${k.vendorId}|${k.criterionId}`, k]));
  const recused = new Set(bundle.evaluators.flatMap((e) => e.recusedFrom.map((v) => `${e.id}|${v}`)));
  const votes = new Map<string, { passes: number; fails: number }>();
  for (const s of bundle.input.scores ?? []) {
    if (!s.submitted || recused.has(`${s.evaluatorId}|${s.vendorId}`)) continue;
    const key = `${s.vendorId}|${s.criterionId}`;
    const tally = votes.get(key) ?? { passes: 0, fails: 0 };
    if (s.value === 1) tally.passes += 1;
    else tally.fails += 1;
    votes.set(key, tally);
  }
  const disagreements: DisagreementView[] = [];
  const S = results.settings.scaleMax;
  for (const criterion of bundle.criteria) {
    for (const v of results.vendors) {
      const cell = v.criteria.find((c) => c.criterionId === criterion.id);
      if (!cell) continue;
      const key = `${v.vendorId}|${criterion.id}`;
      const decided = consensus.get(key);
      let what: string | null = null;
      if (cell.kind === 'scored' && cell.divergent && cell.spread !== null) {
        what = `Scores spread over ${formatPoints(cell.spread * S)} of ${S} points (${formatPercent(cell.spread)} of the scale).`;
      } else if (cell.kind === 'pass_fail') {
        const tally = votes.get(key);
        if (tally && tally.passes > 0 && tally.fails > 0) what = `Split knock-out vote: ${tally.passes} pass, ${tally.fails} fail.`;
      }
      if (what === null) continue;
      const value = decided ? (cell.kind === 'pass_fail' ? (decided.value === 1 ? 'pass' : 'fail') : formatScore(decided.value)) : null;
      disagreements.push({
        criterion: criterion.title,
        vendor: v.name,
        what,
        resolution: decided
          ? `Consensus: ${value}${decided.decidedBy ? `, recorded by ${decided.decidedBy}` : ''}.`
          : cell.kind === 'pass_fail'
            ? v.qualified
              ? SPLIT_VOTE_OPEN
              : splitVoteNotNeeded(v.name)
            : `Not resolved by consensus: the panel's ${results.settings.aggregation} counts.`,
        rationale: decided?.rationale ?? null,
        decidedBy: decided?.decidedBy ?? null,
      });
    }
  }

  return {
    ...base,
    recommendation,
    margin,
    robustnessSummary: parts.join(' ') || 'Not applicable: there is no single winner to test.',
    knockouts,
    knockoutsNote: NO_KNOCKOUT_FAILED,
    disagreements,
    disagreementsNote: NO_DIVERGENCE,
  };
}
