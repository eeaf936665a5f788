/**
 * Deadlines mean what they say: a date typed in the installation's zone is that zone's wall clock, a date without a
 * time is the end of that day there, and every deadline is shown with the zone's abbreviation and exported as
 * ISO 8601 with the zone's offset. Expected instants are worked by hand from the tz rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIsoWithOffset } from '#app/utils/format';
import {
  canonicalTimeZone,
  deadlineInputs,
  describeTimeZone,
  endOfDayInZone,
  todayInZone,
  formatDateTimeInZone,
  hostTimeZone,
  installationTimeZone,
  instantOfWallTime,
  isEndOfDay,
  isoWithOffset,
  parseDeadline,
  parseTimeZoneSetting,
  TimeZoneSettingError,
  zoneAbbreviation,
} from '#app/utils/time-zone';

const LA = 'America/Los_Angeles';

describe('a date typed without a time', () => {
  it('is the end of that day in the installation zone, not 22:00 UTC', () => {
    // March 1 2026 in Los Angeles is PST (UTC−8): 23:59:59.999 there is 07:59:59.999 UTC on March 2.
    expect(endOfDayInZone('2026-03-01', LA)).toBe('2026-03-02T07:59:59.999Z');
    expect(parseDeadline('2026-03-01', '', LA)).toEqual({ ok: true, iso: '2026-03-02T07:59:59.999Z' });
    // Summer is PDT (UTC−7).
    expect(endOfDayInZone('2026-07-15', LA)).toBe('2026-07-16T06:59:59.999Z');
    expect(endOfDayInZone('2026-03-01', 'Europe/Berlin')).toBe('2026-03-01T22:59:59.999Z');
    expect(endOfDayInZone('2026-03-01', 'Asia/Kolkata')).toBe('2026-03-01T18:29:59.999Z');
    expect(endOfDayInZone('2026-03-01', 'UTC')).toBe('2026-03-01T23:59:59.999Z');
  });

  it('shows as that day at 11:59 PM with the abbreviation', () => {
    expect(formatDateTime(endOfDayInZone('2026-03-01', LA), LA)).toBe('Mar 1, 2026, 11:59 PM PST');
    expect(formatDate(endOfDayInZone('2026-03-01', LA), LA)).toBe('Mar 1, 2026');
    expect(formatDateTime(endOfDayInZone('2026-07-15', 'America/New_York'), 'America/New_York')).toBe('Jul 15, 2026, 11:59 PM EDT');
  });

  it('gives the date back with an empty time, so saving a form unchanged keeps the instant', () => {
    const iso = endOfDayInZone('2026-03-01', LA);
    expect(isEndOfDay(iso, LA)).toBe(true);
    expect(deadlineInputs(iso, LA)).toEqual({ date: '2026-03-01', time: '' });
    const again = parseDeadline(deadlineInputs(iso, LA).date, deadlineInputs(iso, LA).time, LA);
    expect(again).toEqual({ ok: true, iso });
  });
});

describe('a date and a time', () => {
  it('is that wall-clock time in the zone', () => {
    expect(parseDeadline('2026-03-01', '17:00', LA)).toEqual({ ok: true, iso: '2026-03-02T01:00:00.000Z' });
    expect(parseDeadline('2026-03-01', '9:30', 'Europe/Berlin')).toEqual({ ok: true, iso: '2026-03-01T08:30:00.000Z' });
    expect(deadlineInputs('2026-03-02T01:00:00.000Z', LA)).toEqual({ date: '2026-03-01', time: '17:00' });
    expect(formatDateTime('2026-03-02T01:00:00.000Z', LA)).toBe('Mar 1, 2026, 5:00 PM PST');
  });

  it('moves a time the clocks skip forward by the gap, and takes the first of a time they repeat', () => {
    // 2026-03-08 02:30 does not exist in Los Angeles (02:00 PST → 03:00 PDT): it reads as 03:30 PDT = 10:30 UTC.
    expect(parseDeadline('2026-03-08', '02:30', LA)).toEqual({ ok: true, iso: '2026-03-08T10:30:00.000Z' });
    // 2026-11-01 01:30 happens twice (PDT, then PST): the first, 08:30 UTC.
    expect(parseDeadline('2026-11-01', '01:30', LA)).toEqual({ ok: true, iso: '2026-11-01T08:30:00.000Z' });
    expect(instantOfWallTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0, millisecond: 0 }, 'UTC')).toBe(Date.UTC(2026, 10, 1, 1, 30));
    // The end of the day the clocks change on.
    expect(endOfDayInZone('2026-03-08', LA)).toBe('2026-03-09T06:59:59.999Z');
    expect(endOfDayInZone('2026-11-01', LA)).toBe('2026-11-02T07:59:59.999Z');
  });

  it('refuses what is not a date or a 24-hour time, saying how to type it', () => {
    for (const date of ['', '2026-02-30', '03/01/2026', '2026-3-1', 'soon']) {
      expect(parseDeadline(date, '', LA)).toEqual({ ok: false, message: 'Enter the date as YYYY-MM-DD, for example 2027-03-01.' });
    }
    for (const time of ['24:00', '5 PM', '17:60', 'noon']) {
      const result = parseDeadline('2026-03-01', time, LA);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/24-hour clock/);
    }
  });
});

describe('exports', () => {
  it('write ISO 8601 with the zone offset at that instant', () => {
    expect(isoWithOffset('2026-03-02T07:59:59.999Z', LA)).toBe('2026-03-01T23:59:59.999-08:00');
    expect(isoWithOffset('2026-07-16T00:00:00.000Z', LA)).toBe('2026-07-15T17:00:00-07:00');
    expect(isoWithOffset('2026-03-01T12:00:00.000Z', 'Asia/Kolkata')).toBe('2026-03-01T17:30:00+05:30');
    expect(isoWithOffset('2026-03-01T12:00:00.000Z', 'UTC')).toBe('2026-03-01T12:00:00+00:00');
    expect(formatIsoWithOffset(null, LA)).toBe('');
    // The same instant, read back.
    expect(new Date(isoWithOffset('2026-03-02T07:59:59.999Z', LA)).toISOString()).toBe('2026-03-02T07:59:59.999Z');
  });
});

describe('the abbreviation', () => {
  it('follows daylight saving time at the instant shown', () => {
    expect(zoneAbbreviation('2026-01-15T12:00:00Z', LA)).toBe('PST');
    expect(zoneAbbreviation('2026-07-15T12:00:00Z', LA)).toBe('PDT');
    expect(zoneAbbreviation('2026-07-15T12:00:00Z', 'UTC')).toBe('UTC');
    expect(formatDateTimeInZone('2026-07-15T12:00:00Z', 'Europe/Berlin')).toBe('Jul 15, 2026, 2:00 PM GMT+2');
    expect(describeTimeZone(LA, new Date('2026-01-15T12:00:00Z'))).toBe('America/Los_Angeles (PST)');
    expect(describeTimeZone('UTC', new Date('2026-01-15T12:00:00Z'))).toBe('UTC');
  });

  it('is separated by plain spaces (ICU puts a narrow no-break space before PM), so pages and tests read alike', () => {
    expect(formatDateTime('2026-03-02T01:00:00.000Z', LA)).not.toMatch(/[\u202f\u00a0]/);
  });
});

describe('the TIME_ZONE setting', () => {
  const saved = process.env.TIME_ZONE;
  afterEach(() => {
    if (saved === undefined) delete process.env.TIME_ZONE;
    else process.env.TIME_ZONE = saved;
  });

  it('is an IANA name, spelt as the tz database spells it', () => {
    expect(parseTimeZoneSetting('America/Los_Angeles')).toBe(LA);
    expect(parseTimeZoneSetting(' america/los_angeles ')).toBe(LA);
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });

  it("defaults to the server's own zone", () => {
    expect(parseTimeZoneSetting(undefined)).toBe(hostTimeZone());
    expect(parseTimeZoneSetting('')).toBe(hostTimeZone());
  });

  it('refuses a name that is not a zone, or a bare offset, with a message naming the setting and examples', () => {
    for (const bad of ['Mars/Olympus', 'PST8', '+05:00', 'America/Los Angeles', 'Pacific Time']) {
      expect(() => parseTimeZoneSetting(bad), bad).toThrow(TimeZoneSettingError);
    }
    expect(() => parseTimeZoneSetting('Mars/Olympus')).toThrow(/TIME_ZONE="Mars\/Olympus" is not an IANA time zone name.*America\/Los_Angeles/);
  });

  it('is what the server formats in, read when it changes', () => {
    process.env.TIME_ZONE = LA;
    expect(installationTimeZone()).toBe(LA);
    expect(formatDateTime('2026-03-02T07:59:59.999Z')).toBe('Mar 1, 2026, 11:59 PM PST');
    process.env.TIME_ZONE = 'Europe/Berlin';
    expect(formatDateTime('2026-03-02T07:59:59.999Z')).toBe('Mar 2, 2026, 8:59 AM GMT+1');
    expect(formatIsoWithOffset('2026-03-02T07:59:59.999Z')).toBe('2026-03-02T08:59:59.999+01:00');
  });

  it("says today's date as the installation's zone has it, not UTC's", () => {
    // 2026-12-03 00:45 UTC is still the afternoon of Dec 2 in Los Angeles, and already Dec 3 in Berlin.
    const lateUtc = Date.parse('2026-12-03T00:45:00Z');
    expect(todayInZone(LA, lateUtc)).toBe('2026-12-02');
    expect(todayInZone('Europe/Berlin', lateUtc)).toBe('2026-12-03');
    expect(todayInZone('UTC', lateUtc)).toBe('2026-12-03');
  });
});
