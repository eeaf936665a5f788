/**
 * The installation's time zone (`TIME_ZONE`, an IANA name) and the conversions between a wall-clock date and time in
 * that zone and the UTC instant the database stores. Intl only (no date library), and shared by the server and the
 * browser, so a page hydrates to exactly the text the server rendered.
 *
 * Deadlines are instants. A deadline typed as a date without a time is the end of that day in the installation's zone
 * (23:59:59.999 there): "proposals due March 1" in Los Angeles closes at 07:59:59.999 UTC on March 2.
 */

/** Refused setting: the server does not start with it. */
export class TimeZoneSettingError extends Error {}

/** The zone a bare Node (or browser) runs in: the process's `TZ`, else the system's. */
export function hostTimeZone(): string {
  return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
}

/**
 * The canonical IANA name for `name` (case as the tz database spells it), or null when it is not one. UTC offsets such
 * as `+05:00`, which newer engines accept, are refused: an offset has no daylight-saving rules, so it is not a zone.
 */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The `TIME_ZONE` setting made canonical: unset or empty means the host's zone; anything else must be an IANA name. */
export function parseTimeZoneSetting(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return hostTimeZone();
  const zone = canonicalTimeZone(value);
  if (!zone) {
    throw new TimeZoneSettingError(
      `TIME_ZONE="${value}" is not an IANA time zone name. Set it to the installation's zone, for example America/Los_Angeles, ` +
        'America/New_York, Europe/Berlin or UTC, or leave it unset to use the server\'s own zone.',
    );
  }
  return zone;
}

let cached: { setting: string | undefined; zone: string } | null = null;

/**
 * The zone every date is shown and typed in. On the server it is the `TIME_ZONE` setting (validated at start, so a
 * bad name never reaches a page); in the browser it is the zone the server rendered into `<html data-time-zone>`.
 */
export function installationTimeZone(): string {
  if (typeof document !== 'undefined') {
    return document.documentElement.dataset.timeZone || hostTimeZone();
  }
  const setting = typeof process === 'undefined' ? undefined : process.env.TIME_ZONE;
  if (!cached || cached.setting !== setting) cached = { setting, zone: parseTimeZoneSetting(setting) };
  return cached.zone;
}

// ---------- wall clock ↔ instant ----------

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The wall-clock reading in `zone` at the instant `ms`. */
export function wallTimeAt(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal' && part.type !== 'era') parts[part.type] = Number(part.value);
  }
  const millisecond = ((ms % 1000) + 1000) % 1000;
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second!, millisecond };
}

/** Minutes `zone` is ahead of UTC at the instant `ms` (−480 for Los Angeles in winter). */
export function offsetMinutesAt(ms: number, zone: string): number {
  const w = wallTimeAt(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return Math.round((asUtc - ms) / 60_000);
}

/**
 * The instant when clocks in `zone` read `wall`. A reading that happens twice (clocks going back) is the first one; a
 * reading that never happens (clocks going forward) is moved forward by the gap, as a wall clock would show it
 * (02:30 on the spring-forward night in Los Angeles is 03:30 PDT). The same rule as Temporal's "compatible".
 */
export function instantOfWallTime(wall: WallTime, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  // The offsets in force a day either side bracket every transition a wall time can fall into.
  const before = offsetMinutesAt(asUtc - 86_400_000, zone);
  const after = offsetMinutesAt(asUtc + 86_400_000, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((ms) => offsetMinutesAt(ms, zone) * 60_000 === asUtc - ms)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In the gap: read the wall time with the offset from before the jump, which lands after it.
  return asUtc - before * 60_000;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Year, month, day of a `YYYY-MM-DD` string that names a real calendar day, else null. */
export function parseCalendarDate(text: string): { year: number; month: number; day: number } | null {
  const match = DATE_PATTERN.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 9999 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The end of that calendar day (23:59:59.999) in `zone`, as an ISO-8601 UTC string. */
export function endOfDayInZone(date: string, zone: string): string {
  const day = parseCalendarDate(date);
  if (!day) throw new RangeError(`Not a calendar date: ${date}`);
  return new Date(instantOfWallTime({ ...day, hour: 23, minute: 59, second: 59, millisecond: 999 }, zone)).toISOString();
}

export type DeadlineParse = { ok: true; iso: string } | { ok: false; message: string };

/**
 * A deadline typed as a date (`YYYY-MM-DD`, as a date input sends it) and an optional 24-hour time (`HH:MM`, as a time
 * input sends it). No time means the end of that day in `zone`.
 */
export function parseDeadline(date: string, time: string, zone: string): DeadlineParse {
  const day = parseCalendarDate(date);
  if (!day) return { ok: false, message: 'Enter the date as YYYY-MM-DD, for example 2027-03-01.' };
  const timeText = time.trim();
  if (timeText === '') return { ok: true, iso: endOfDayInZone(date, zone) };
  const match = TIME_PATTERN.exec(timeText);
  const [hour, minute, second] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [NaN, NaN, NaN];
  if (!match || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: 'Enter the time as HH:MM on a 24-hour clock, for example 17:00, or leave it empty for the end of the day.' };
  }
  return { ok: true, iso: new Date(instantOfWallTime({ ...day, hour, minute, second, millisecond: 0 }, zone)).toISOString() };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Whether the instant is the end of its day in `zone` (what a deadline typed without a time becomes). */
export function isEndOfDay(iso: string, zone: string): boolean {
  const w = wallTimeAt(Date.parse(iso), zone);
  return w.hour === 23 && w.minute === 59 && w.second === 59 && w.millisecond === 999;
}

/** Today's calendar day (YYYY-MM-DD) in `zone`: after 16:00 in Los Angeles, UTC is already on tomorrow. */
export function todayInZone(zone: string, now: number = Date.now()): string {
  const w = wallTimeAt(now, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * The date and time inputs' values for a stored deadline, in `zone`. The end of a day gives an empty time, so saving
 * the form unchanged keeps the same instant.
 */
export function deadlineInputs(iso: string | null, zone: string): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const w = wallTimeAt(Date.parse(iso), zone);
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  if (isEndOfDay(iso, zone)) return { date, time: '' };
  return { date, time: w.second === 0 ? `${pad(w.hour)}:${pad(w.minute)}` : `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` };
}

// ---------- showing instants ----------

/** Intl's narrow and no-break spaces (ICU puts one before AM/PM) made plain, so text reads and compares the same everywhere. */
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0\u2009]/g, ' ');

const displayFormats = new Map<string, Intl.DateTimeFormat>();
function displayFormat(zone: string, kind: 'date' | 'dateTime' | 'zoneName'): Intl.DateTimeFormat {
  const key = `${kind}|${zone}`;
  let format = displayFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' }
        : kind === 'dateTime'
          ? { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }
          : { timeZone: zone, timeZoneName: 'short' };
    format = new Intl.DateTimeFormat('en-US', options);
    displayFormats.set(key, format);
  }
  return format;
}

/** "Mar 1, 2026": the calendar day of the instant in `zone`. */
export function formatDateInZone(iso: string, zone: string): string {
  return plainSpaces(displayFormat(zone, 'date').format(new Date(iso)));
}

/** "Mar 1, 2026, 11:59 PM PST": date, time and the zone's abbreviation at that instant (PST or PDT as it falls). */
export function formatDateTimeInZone(iso: string, zone: string): string {
  return plainSpaces(displayFormat(zone, 'dateTime').format(new Date(iso)));
}

/** The zone's abbreviation at the instant ("PST", "EDT", "UTC", or "GMT+1" where English has no abbreviation). */
export function zoneAbbreviation(iso: string, zone: string): string {
  const part = displayFormat(zone, 'zoneName')
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return plainSpaces(part?.value ?? zone);
}

/**
 * ISO 8601 with the zone's offset at that instant, for CSV and JSON: `2026-03-01T23:59:59.999-08:00`. Milliseconds are
 * written only when there are some; UTC is written `+00:00`.
 */
export function isoWithOffset(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const offset = offsetMinutesAt(ms, zone);
  const w = wallTimeAt(ms, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const fraction = w.millisecond ? `.${pad(w.millisecond, 3)}` : '';
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "America/Los_Angeles (PST)": how a form names the zone its dates are typed in, with the abbreviation in force now. */
export function describeTimeZone(zone: string, now: Date = new Date()): string {
  const abbreviation = zoneAbbreviation(now.toISOString(), zone);
  return abbreviation === zone ? zone : `${zone} (${abbreviation})`;
}
