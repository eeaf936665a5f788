/**
 * Dates are stored as ISO-8601 UTC instants and shown in the installation's time zone (`TIME_ZONE`), with its
 * abbreviation wherever a time is shown. The browser gets the same zone from the page, so both render the same text.
 */
import { formatDateInZone, formatDateTimeInZone, installationTimeZone, isoWithOffset } from './time-zone';

/** "Mar 1, 2026": the day in the installation's zone. For record dates (received, created); a deadline shows its time. */
export function formatDate(iso: string | null | undefined, zone: string = installationTimeZone()): string {
  return iso ? formatDateInZone(iso, zone) : '—';
}

/** "Mar 1, 2026, 11:59 PM PST": every deadline and every moment something happened. */
export function formatDateTime(iso: string | null | undefined, zone: string = installationTimeZone()): string {
  return iso ? formatDateTimeInZone(iso, zone) : '—';
}

/** ISO 8601 with the installation zone's offset (`2026-03-01T23:59:59.999-08:00`), for CSV and JSON; '' for none. */
export function formatIsoWithOffset(iso: string | null | undefined, zone: string = installationTimeZone()): string {
  return iso ? isoWithOffset(iso, zone) : '';
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
export function formatMoney(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : money.format(value);
}
