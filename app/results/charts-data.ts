/**
 * Data, text summaries and table alternatives of the four results charts. Pure: computed from the engine's results
 * on the server; the chart components only draw what is here. Each summary is one or two sentences computed from the
 * same numbers the chart and its table show.
 */
import { roundForDisplay, type ScoringResults } from '#scoring/index';
import { seriesColor } from './colors';
import { formatPercent, formatPoints, listOf, NO_FIGURE, plural } from './format';
import { type CriterionSection, sectionSubtotals } from './subtotals';
import type { ChartView, SectionHeadView } from './types';
import type { ResultsBundle } from './view-model';

/** At most this many vendors are drawn in the grouped / stacked charts; the tables list every vendor. */
export const MAX_PROFILE_VENDORS = 5;
export const MAX_CONTRIBUTION_VENDORS = 10;
export const MAX_SPREAD_CRITERIA = 12;

const pct = (x: number) => roundForDisplay(x * 100);

function shownNote(shown: number, all: number, what: string): string {
  return shown < all ? ` The chart shows the top ${shown} of ${all} ${what}; the table lists all of them.` : '';
}

/** A section nobody scored for a vendor: its table cell says "—", not 0.00 (subtotals.ts). */
type Scored = (v: ScoringResults['vendors'][number], sectionId: string) => boolean;

/** `criteria` (the bundle's, with their sections) tells a section nobody scored from one that earned 0. */
function scoredBy(criteria: readonly CriterionSection[]): Scored {
  const cache = new Map<string, Map<string, number | null>>();
  return (v, sectionId) => {
    let subtotals = cache.get(v.vendorId);
    if (subtotals === undefined) cache.set(v.vendorId, (subtotals = sectionSubtotals(criteria, v)));
    return (subtotals.get(sectionId) ?? null) !== null;
  };
}

export function sectionProfileChart(results: ScoringResults, sections: readonly SectionHeadView[], criteria: readonly CriterionSection[]): ChartView {
  const scored = scoredBy(criteria);
  const ranked = results.vendors.filter((v) => v.qualified);
  const pool = ranked.length > 0 ? ranked : results.vendors;
  const shown = pool.slice(0, MAX_PROFILE_VENDORS);
  const shareOf = (v: ScoringResults['vendors'][number], sectionId: string) => {
    const subtotal = v.sections.find((s) => s.sectionId === sectionId);
    return subtotal && subtotal.available > 0 ? subtotal.points / subtotal.available : 0;
  };
  const data = sections.map((s) => {
    const row: Record<string, string | number> = { section: s.title };
    shown.forEach((v, i) => (row[`v${i}`] = pct(shareOf(v, s.id))));
    return row;
  });
  const anyPoints = shown.some((v) => v.sections.some((s) => s.points > 0));
  let summary: string;
  if (sections.length === 0) summary = 'No section carries points, so there is no profile to show.';
  else if (!anyPoints) summary = 'No vendor has earned points yet: nothing is scored.';
  else {
    const leads = new Map<string, string[]>();
    for (const s of sections) {
      const best = Math.max(...shown.map((v) => roundForDisplay(shareOf(v, s.id) * 100)));
      for (const v of shown) if (roundForDisplay(shareOf(v, s.id) * 100) === best) leads.set(v.name, [...(leads.get(v.name) ?? []), s.title]);
    }
    const order = [...leads.entries()].sort((a, b) => b[1].length - a[1].length);
    const [first, ...rest] = order;
    summary = first
      ? `${first[0]} earns the highest share of the available points in ${first[1].length} of ${plural(sections.length, 'section', 'sections')}` +
        (rest.length > 0 ? `; ${listOf(rest.slice(0, 3).map(([name, titles]) => `${name} leads in ${listOf(titles)}`))}.` : '.')
      : '';
  }
  return {
    id: 'section-profile',
    title: 'Section profile: share of each section’s points earned',
    summary: summary + shownNote(shown.length, pool.length, ranked.length > 0 ? 'ranked vendors' : 'vendors'),
    how: 'Share = the vendor’s section subtotal Σ p(v,c) ÷ the section’s points Σ W_c, as a percentage (DESIGN §4.3, §4.6).',
    data,
    series: shown.map((v, i) => ({ key: `v${i}`, name: v.name, color: seriesColor(i) })),
    categoryKey: 'section',
    table: {
      caption: 'Points earned per section (share of the section’s points)',
      columns: ['Vendor', ...sections.map((s) => `${s.title} (of ${s.available})`)],
      rows: results.vendors.map((v) => ({
        header: v.qualified ? v.name : `${v.name} (disqualified)`,
        cells: sections.map((s) => {
          if (!scored(v, s.id)) return NO_FIGURE;
          const p = v.sections.find((x) => x.sectionId === s.id)?.points ?? 0;
          return `${formatPoints(p)} (${formatPercent(shareOf(v, s.id))})`;
        }),
      })),
    },
    empty: sections.length === 0 || !anyPoints,
  };
}

export function contributionChart(results: ScoringResults, sections: readonly SectionHeadView[], criteria: readonly CriterionSection[]): ChartView {
  const scored = scoredBy(criteria);
  const ranked = results.vendors.filter((v) => v.qualified);
  const shown = ranked.slice(0, MAX_CONTRIBUTION_VENDORS);
  const pointsOf = (v: ScoringResults['vendors'][number], sectionId: string) => v.sections.find((s) => s.sectionId === sectionId)?.points ?? 0;
  const data = shown.map((v) => {
    const row: Record<string, string | number> = { vendor: v.name };
    sections.forEach((s, i) => (row[`s${i}`] = roundForDisplay(pointsOf(v, s.id))));
    return row;
  });
  let summary: string;
  const [first, second] = ranked;
  if (!first) summary = 'No vendor is qualified, so there is no ranking to break down.';
  else if (first.total === 0) summary = 'No vendor has earned points yet: nothing is scored.';
  else {
    const largest = [...sections].sort((a, b) => pointsOf(first, b.id) - pointsOf(first, a.id))[0];
    const margin = second ? `, ${formatPoints(first.total - second.total)} points ahead of ${second.name}` : '';
    summary =
      `${first.name} totals ${formatPoints(first.total)} of ${formatPoints(results.settings.totalPoints)} points${margin}` +
      (largest ? `; its largest contribution is ${largest.title} (${formatPoints(pointsOf(first, largest.id))} points).` : '.');
  }
  return {
    id: 'contribution',
    title: 'Weighted contribution of each section to the total',
    summary: summary + shownNote(shown.length, ranked.length, 'ranked vendors'),
    how: 'Each segment is a section subtotal Σ p(v,c) with p(v,c) = W_c × r(v,c) / S (price: the price formula); the bar is T(v) (DESIGN §4.3–4.6).',
    data,
    series: sections.map((s, i) => ({ key: `s${i}`, name: s.title, color: seriesColor(i) })),
    categoryKey: 'vendor',
    table: {
      caption: 'Points per section and total, ranked vendors',
      columns: ['Vendor', ...sections.map((s) => s.title), 'Total'],
      rows: ranked.map((v) => ({
        header: `${v.rank ?? ''}. ${v.name}`,
        cells: [...sections.map((s) => (scored(v, s.id) ? formatPoints(pointsOf(v, s.id)) : NO_FIGURE)), formatPoints(v.total)],
      })),
    },
    empty: shown.length === 0 || (first?.total ?? 0) === 0,
  };
}

export function spreadChart(bundle: ResultsBundle, results: ScoringResults): ChartView {
  const threshold = results.settings.divergenceThreshold;
  const S = results.settings.scaleMax;
  const rows = bundle.criteria
    .filter((c) => c.kind === 'scored')
    .flatMap((c) => {
      const spreads = results.vendors.flatMap((v) => {
        const cell = v.criteria.find((x) => x.criterionId === c.id);
        return cell && cell.spread !== null ? [{ vendor: v.name, spread: cell.spread, divergent: cell.divergent }] : [];
      });
      if (spreads.length === 0) return [];
      const max = Math.max(...spreads.map((s) => s.spread));
      const mean = spreads.reduce((sum, s) => sum + s.spread, 0) / spreads.length;
      return [
        {
          title: c.title,
          max,
          mean,
          widest: spreads.filter((s) => s.spread === max).map((s) => s.vendor),
          divergent: spreads.filter((s) => s.divergent).map((s) => s.vendor),
        },
      ];
    })
    .sort((a, b) => b.max - a.max || b.mean - a.mean || a.title.localeCompare(b.title));
  // The chart draws criteria where evaluators differed at all; the table lists every criterion with a spread.
  const shown = rows.filter((r) => r.max > 0).slice(0, MAX_SPREAD_CRITERIA);
  const divergentCriteria = rows.filter((r) => r.divergent.length > 0);
  const top = rows[0];
  let summary: string;
  if (!top) summary = 'No criterion has two or more counted scores for a vendor yet, so there is no spread to show.';
  else if (divergentCriteria.length === 0) {
    summary = `No criterion reached the divergence threshold (${formatPercent(threshold)} of the scale); the widest spread was ${formatPercent(top.max)} on “${top.title}”.`;
  } else {
    summary =
      `Evaluators diverged (spread ≥ ${formatPercent(threshold)} of the scale) on ${plural(divergentCriteria.length, 'criterion', 'criteria')} for at least one vendor; ` +
      `the widest was “${top.title}” for ${listOf(top.widest)} (${roundForDisplay(top.max * S)} of ${S} points, ${formatPercent(top.max)} of the scale).`;
  }
  return {
    id: 'spread',
    title: 'Evaluator spread per criterion',
    summary: summary + shownNote(shown.length, rows.filter((r) => r.max > 0).length, 'criteria where evaluators differed'),
    how: `Spread of a vendor × criterion = (highest − lowest counted score) ÷ ${S}; bars show the widest and the mean over vendors; the line marks the divergence threshold (DESIGN §4.7).`,
    data: shown.map((r) => ({ criterion: r.title, max: pct(r.max), mean: pct(r.mean) })),
    series: [
      { key: 'max', name: 'Widest spread (any vendor)', color: seriesColor(1) },
      { key: 'mean', name: 'Mean spread over vendors', color: seriesColor(0) },
    ],
    categoryKey: 'criterion',
    table: {
      caption: 'Spread of evaluators’ scores per criterion (share of the scale)',
      columns: ['Criterion', 'Widest spread', 'Where', 'Mean spread', 'Divergent for'],
      rows: rows.map((r) => ({
        header: r.title,
        cells: [formatPercent(r.max), r.max > 0 ? listOf(r.widest) : '—', formatPercent(r.mean), r.divergent.length > 0 ? listOf(r.divergent) : '—'],
      })),
    },
    empty: shown.length === 0,
    reference: pct(threshold),
  };
}

export function robustnessChart(results: ScoringResults): ChartView {
  const mc = results.robustness.monteCarlo;
  const names = new Map(results.vendors.map((v) => [v.vendorId, v.name]));
  const shares = mc ? [...mc.shares].sort((a, b) => b.share - a.share) : [];
  const winners = shares.filter((s) => s.share > 0);
  const shown = shares.slice(0, Math.max(winners.length, Math.min(5, shares.length))).slice(0, 12);
  let summary: string;
  if (!mc) summary = 'The Monte Carlo re-weighting was not run: no vendor is qualified.';
  else if (winners.length === 0) summary = `No vendor wins any of the ${mc.draws.toLocaleString('en-US')} re-weightings.`;
  else {
    const [lead, ...rest] = winners;
    summary =
      `${names.get(lead!.vendorId) ?? ''} wins ${formatPercent(lead!.share)} of ${mc.draws.toLocaleString('en-US')} re-weightings` +
      (rest.length > 0 ? `; ${listOf(rest.slice(0, 2).map((s) => `${names.get(s.vendorId) ?? ''} ${formatPercent(s.share)}`))}${rest.length > 2 ? ' and others less' : ''}.` : '.');
  }
  return {
    id: 'robustness',
    title: 'Robustness: share of random re-weightings each vendor wins',
    summary,
    how: mc
      ? `${mc.distribution} ${mc.draws.toLocaleString('en-US')} draws, seed ${mc.seed}; a tie splits the draw (DESIGN §4.9).`
      : 'Each criterion’s points multiplied by a random factor in [0.5, 1.5], then rescaled to the total (DESIGN §4.9).',
    data: shown.map((s) => ({ vendor: names.get(s.vendorId) ?? s.vendorId, share: pct(s.share) })),
    series: [{ key: 'share', name: 'Share of re-weightings won (%)', color: seriesColor(0) }],
    categoryKey: 'vendor',
    table: {
      caption: 'Share of Monte Carlo re-weightings won, qualified vendors',
      columns: ['Vendor', 'Share won'],
      rows: shares.map((s) => ({ header: names.get(s.vendorId) ?? s.vendorId, cells: [formatPercent(s.share)] })),
    },
    empty: winners.length === 0,
  };
}

export function buildCharts(bundle: ResultsBundle, results: ScoringResults, sections: readonly SectionHeadView[]): ChartView[] {
  return [sectionProfileChart(results, sections, bundle.criteria), contributionChart(results, sections, bundle.criteria), spreadChart(bundle, results), robustnessChart(results)];
}
