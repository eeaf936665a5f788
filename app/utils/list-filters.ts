/**
 * The query-string filters the long lists share (the RFP list, the audit log): a page number and a range of days
 * (whole days in the installation's time zone, `TIME_ZONE`, as every date is shown).
 * A malformed value is not silently dropped: it comes back as a field error the page shows beside the field (and the
 * loader answers 400), while the list is still shown with the filters that were understood.
 */
import { installationTimeZone, instantOfWallTime, parseCalendarDate } from './time-zone';

export const LIST_PAGE_SIZE = 25;

export interface DayRange {
  /** As typed (YYYY-MM-DD) when valid, else ''. */
  from: string;
  to: string;
  /** ISO instants: the start of `from` and the start of the day after `to` (exclusive), in the installation's zone. */
  fromIso?: string;
  toExclusiveIso?: string;
}

export type FieldErrors = Record<string, string[]>;

/** A calendar day that exists ("2026-02-30" does not), or null. */
export function parseDay(value: string): string | null {
  return parseCalendarDate(value) ? value : null;
}

/** Midnight at the start of `day` in `zone` (a day that starts at 01:00 after a spring-forward starts then). */
function dayStartIso(day: string, zone: string): string {
  const { year, month, day: date } = parseCalendarDate(day)!;
  return new Date(instantOfWallTime({ year, month, day: date, hour: 0, minute: 0, second: 0, millisecond: 0 }, zone)).toISOString();
}

function nextDayStartIso(day: string, zone: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return dayStartIso(next, zone);
}

/** `from`..`to` whole days, both inclusive; a bad or reversed range is a field error. */
export function parseDayRange(
  params: URLSearchParams,
  fromName: string,
  toName: string,
  errors: FieldErrors,
  labels: { from: string; to: string } = { from: 'The first day', to: 'The last day' },
  zone: string = installationTimeZone(),
): DayRange {
  const read = (name: string, label: string): string => {
    const raw = params.get(name)?.trim() ?? '';
    if (raw === '') return '';
    const day = parseDay(raw);
    if (day === null) (errors[name] ??= []).push(`${label} must be a date such as 2026-03-01.`);
    return day ?? '';
  };
  const from = read(fromName, labels.from);
  let to = read(toName, labels.to);
  if (from !== '' && to !== '' && to < from) {
    (errors[toName] ??= []).push(`${labels.to} is before ${labels.from.replace(/^The /, 'the ')}: swap them or change one.`);
    to = '';
  }
  return {
    from,
    to,
    ...(from ? { fromIso: dayStartIso(from, zone) } : {}),
    ...(to ? { toExclusiveIso: nextDayStartIso(to, zone) } : {}),
  };
}

/** The 1-based page asked for; anything else is page 1 with a field error. */
export function parsePage(params: URLSearchParams, errors: FieldErrors, name = 'page'): number {
  const raw = params.get(name)?.trim() ?? '';
  if (raw === '') return 1;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    (errors[name] ??= []).push('The page must be a whole number from 1.');
    return 1;
  }
  return Number(raw);
}

/** A text filter, trimmed and capped so a pasted essay does not become a query. */
export function parseText(params: URLSearchParams, name: string, max = 200): string {
  return (params.get(name) ?? '').trim().slice(0, max);
}

/** A value that must be one of `allowed` ('' = no filter); anything else is a field error. */
export function parseChoice<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[], label: string, errors: FieldErrors): T | '' {
  const raw = params.get(name)?.trim() ?? '';
  if (raw === '') return '';
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  (errors[name] ??= []).push(`${label} “${raw.slice(0, 60)}” is not one of the choices.`);
  return '';
}

export interface PageInfo {
  page: number;
  pages: number;
  total: number;
  /** 1-based, inclusive; 0 when there is nothing. */
  from: number;
  to: number;
}

/** The page actually shown: a page past the end shows the last one. */
export function pageInfo(total: number, perPage: number, requested: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(requested, pages);
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  return { page, pages, total, from, to: Math.min(total, page * perPage) };
}
