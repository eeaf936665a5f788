/**
 * The comparison matrix and the audit log as CSV, for other tools (RFC 4180: comma-separated, CRLF line ends, a field
 * quoted when it holds a comma, a double quote, CR or LF, with quotes doubled). UTF-8 with a byte-order mark, so Excel
 * reads names with accents correctly when a city user double-clicks the file.
 *
 * Formula injection: every text field goes through `csvText` (cell-text.ts): as in the workbook, a field starting with
 * `=`, `+`, `-`, `@`, tab, CR, LF, NUL or a full-width `＝＋－＠` gets a leading `'`; and so does a formula character after
 * any `,` `;` tab or line break inside the text, so a reader that splits on `;` or tab (other locales) sees text too. Numbers are ours and are written as plain decimals (2 places, as the app rounds).
 */
import { roundForDisplay, type ScoringResults } from '#scoring/index';
import { csvText } from './cell-text';
import type { ScorecardAuditEvent, ScorecardData } from './scorecard-data.server';
import { sectionSubtotals } from '#app/results/subtotals';
import { knockoutLabel } from '#app/results/wording';
import { DISQUALIFIED_RANK, KIND_LABELS, NO_PRICE_TEXT, NO_SUBTOTAL_TEXT, NOT_SCORED_TEXT } from './scorecard-layout';
import { formatIsoWithOffset } from '#app/utils/format';
import { installationTimeZone } from '#app/utils/time-zone';

const BOM = '\ufeff';
const EOL = '\r\n';

/** One CSV field: text guarded and quoted as RFC 4180 asks; numbers as decimals; null as empty. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = csvText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return fields.map(csvField).join(',') + EOL;
}

/** A figure rounded as the app shows it, with two decimals ("78.40"). */
function fixed(x: number | null | undefined): string | null {
  return x === null || x === undefined ? null : roundForDisplay(x).toFixed(2);
}

/**
 * The matrix: one row per criterion (information-only criteria left out, as on the results page), grouped by section
 * with a subtotal row each, then the total, qualified and rank rows. Columns: Section, Key, Criterion, Kind, Weight,
 * then one "value" column per vendor (r(v,c) on 0..S; the price; Pass/Fail) and one "points" column per vendor, vendors
 * in ranking order. Figures rounded to 2 decimals. When the engine refused the input, one line saying so.
 */
export function matrixCsv(data: Pick<ScorecardData, 'bundle' | 'outcome'>): string {
  if (!data.outcome.ok) {
    return BOM + csvLine(['No matrix: the scoring data has problems that must be fixed first.']) + data.outcome.problems.map((p) => csvLine([p.message])).join('');
  }
  const results: ScoringResults = data.outcome.results;
  const vendors = results.vendors;
  const cells = vendors.map((v) => new Map(v.criteria.map((c) => [c.criterionId, c])));
  const subtotals = vendors.map((v) => sectionSubtotals(data.bundle.criteria, v));
  const blanks = vendors.map(() => null);
  let out = BOM + csvLine(['Section', 'Key', 'Criterion', 'Kind', 'Weight (points)', ...vendors.map((v) => `${v.name} — value`), ...vendors.map((v) => `${v.name} — points`)]);
  let totalWeight = 0;
  for (const section of data.bundle.sections) {
    const criteria = data.bundle.criteria.filter((c) => c.sectionId === section.id && c.kind !== 'info');
    if (criteria.length === 0) continue;
    let weight = 0;
    for (const c of criteria) {
      if (c.kind !== 'pass_fail') weight += c.points;
      const values = vendors.map((_, i) => {
        const cell = cells[i]?.get(c.id);
        if (c.kind === 'pass_fail') {
          const vendor = vendors[i];
          const votes = results.mixedVotes.find((m) => m.vendorId === vendor?.vendorId && m.criterionId === c.id);
          return knockoutLabel(cell?.knockout ?? 'not_scored', votes, vendor?.qualified ?? true);
        }
        if (cell?.value === null || cell?.value === undefined) return c.kind === 'price' ? NO_PRICE_TEXT : NOT_SCORED_TEXT;
        return fixed(cell.value);
      });
      const points = vendors.map((_, i) => (c.kind === 'pass_fail' ? null : fixed(cells[i]?.get(c.id)?.points)));
      out += csvLine([section.title, c.key, c.title, KIND_LABELS[c.kind], c.kind === 'pass_fail' ? null : fixed(c.points), ...values, ...points]);
    }
    totalWeight += weight;
    const weighted = criteria.some((c) => c.kind !== 'pass_fail');
    const subtotal = (i: number) => {
      const points = subtotals[i]?.get(section.id) ?? null;
      return points === null ? NO_SUBTOTAL_TEXT : fixed(points);
    };
    out += csvLine([section.title, null, `Subtotal: ${section.title}`, 'Subtotal', weighted ? fixed(weight) : NO_SUBTOTAL_TEXT, ...blanks, ...vendors.map((_, i) => subtotal(i))]);
  }
  out += csvLine([null, null, 'Total points', 'Total', fixed(totalWeight), ...blanks, ...vendors.map((v) => fixed(v.total))]);
  out += csvLine([null, null, 'Qualified (1 = passed every knock-out)', 'Knock-outs', null, ...blanks, ...vendors.map((v) => (v.qualified ? 1 : 0))]);
  out += csvLine([null, null, `Rank (${DISQUALIFIED_RANK} = disqualified)`, 'Rank', null, ...blanks, ...vendors.map((v) => v.rank ?? DISQUALIFIED_RANK)]);
  return out;
}

/**
 * The audit log, oldest first: when (ISO 8601 with the installation zone's offset, `2026-03-01T16:05:00-08:00`, which
 * spreadsheets and scripts read as the same instant), actor, action, entity, entity id, reason, before and after JSON.
 */
export function auditCsv(events: readonly ScorecardAuditEvent[], zone: string = installationTimeZone()): string {
  let out = BOM + csvLine([`At (${zone})`, 'Actor', 'Action', 'Entity', 'Entity id', 'Reason', 'Before', 'After']);
  for (const e of events) out += csvLine([formatIsoWithOffset(e.at, zone), e.actor_email ?? 'system', e.action, e.entity, e.entity_id, e.reason, e.before_json, e.after_json]);
  return out;
}
