/**
 * Deadlines that mean what they say (issue 12): an RFP gets a Q&A deadline (`qa_due_at`, the last day vendors may ask
 * questions), and the dates the old create form stored are moved to what the person meant.
 *
 * That form took a date without a time and stored 22:00 UTC of that day, whatever the installation's zone ("Mar 1"
 * closed at 2 PM in Los Angeles). A deadline typed without a time is now the end of that day in the installation's zone
 * (`TIME_ZONE`, else the server's), so every stored `…T22:00:00.000Z` deadline becomes 23:59:59.999 of the same
 * calendar day in that zone. No other form could store that exact instant. Evaluation due dates set on the Evaluation
 * page (23:59:59.999 UTC, which that page said) are kept. Frozen in time: the conversion is written out here, with
 * Intl only, rather than imported from the app.
 */
import type { Kysely } from 'kysely';

const OLD_DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})T22:00:00\.000Z$/;

function zoneOfThisInstallation(): string {
  const setting = process.env.TIME_ZONE?.trim();
  const name = setting ? setting : new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`TIME_ZONE="${name}" is not an IANA time zone name; the migration to deadlines in the installation's zone needs one.`);
  }
}

function offsetMinutes(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!, ((ms % 1000) + 1000) % 1000);
  return Math.round((asUtc - ms) / 60_000);
}

/** 23:59:59.999 of that calendar day in `zone`, as ISO UTC (the first such moment if clocks repeat it). */
function endOfDay(year: number, month: number, day: number, zone: string): string {
  const asUtc = Date.UTC(year, month - 1, day, 23, 59, 59, 999);
  const offsets = [offsetMinutes(asUtc - 86_400_000, zone), offsetMinutes(asUtc + 86_400_000, zone)];
  const fits = offsets.map((o) => asUtc - o * 60_000).filter((ms) => offsetMinutes(ms, zone) * 60_000 === asUtc - ms);
  return new Date(fits.length ? Math.min(...fits) : asUtc - offsets[0]! * 60_000).toISOString();
}

export async function up(db: Kysely<any>): Promise<void> {
  const zone = zoneOfThisInstallation();
  await db.schema.alterTable('rfp').addColumn('qa_due_at', 'text').execute();

  const rows: Array<{ id: string; proposals_due_at: string | null; evaluation_due_at: string | null }> = await db
    .selectFrom('rfp')
    .select(['id', 'proposals_due_at', 'evaluation_due_at'])
    .execute();
  const moved = (value: string | null): string | null => {
    const match = value ? OLD_DATE_ONLY.exec(value) : null;
    return match ? endOfDay(Number(match[1]), Number(match[2]), Number(match[3]), zone) : value;
  };
  for (const row of rows) {
    const proposals = moved(row.proposals_due_at);
    const evaluation = moved(row.evaluation_due_at);
    if (proposals === row.proposals_due_at && evaluation === row.evaluation_due_at) continue;
    await db.updateTable('rfp').set({ proposals_due_at: proposals, evaluation_due_at: evaluation }).where('id', '=', row.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rfp').dropColumn('qa_due_at').execute();
}
