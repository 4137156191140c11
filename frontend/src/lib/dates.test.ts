import { describe, expect, it } from 'vitest';
import { dayDiff, exactDate, ListDates, relativeDate, snoozePresets, timelineDate } from './dates';

const o = { locale: 'en-US', timeZone: 'Europe/London' };
const now = new Date('2026-03-10T15:00:00Z'); // a Tuesday

describe('relativeDate', () => {
  const cases: [string, string, string][] = [
    ['earlier today shows the time', '2026-03-10T10:42:00Z', '10:42 AM'],
    ['just after midnight today', '2026-03-10T00:05:00Z', '12:05 AM'],
    ['yesterday', '2026-03-09T23:59:00Z', 'Yesterday'],
    ['within a week shows the weekday', '2026-03-05T09:00:00Z', 'Thu'],
    ['this year shows month and day', '2026-01-03T09:00:00Z', 'Jan 3'],
    ['another year adds the year', '2025-12-30T09:00:00Z', 'Dec 30, 2025'],
    ['the future shows the date', '2026-03-12T09:00:00Z', 'Mar 12'],
    ['empty gives nothing', '', ''],
    ['garbage gives nothing', 'not a date', ''],
  ];
  for (const [name, iso, want] of cases) {
    it(name, () => {
      expect(relativeDate(iso, now, o)).toBe(want);
    });
  }

  it('uses the time zone for "today"', () => {
    // 23:30 UTC on the 9th is already the 10th in Tokyo.
    const n = new Date('2026-03-10T01:00:00Z');
    expect(relativeDate('2026-03-09T23:30:00Z', n, { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('08:30');
    expect(relativeDate('2026-03-09T23:30:00Z', n, { locale: 'en-GB', timeZone: 'UTC' })).toBe('Yesterday');
  });

  it('follows the locale', () => {
    expect(relativeDate('2026-01-03T09:00:00Z', now, { locale: 'de-DE', timeZone: 'UTC' })).toBe('3. Jan.');
  });
});

describe('dayDiff', () => {
  it('counts calendar days across a DST change', () => {
    expect(dayDiff(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T12:00:00Z'), 'Europe/London')).toBe(2);
  });
});

describe('timelineDate', () => {
  it('today is the time only', () => {
    expect(timelineDate('2026-03-10T10:42:00Z', now, o)).toBe('10:42 AM');
  });
  it('yesterday keeps the time', () => {
    expect(timelineDate('2026-03-09T08:00:00Z', now, o)).toBe('Yesterday 08:00 AM');
  });
  it('older shows day and time', () => {
    expect(timelineDate('2026-03-03T09:12:00Z', now, o)).toBe('Mar 3, 09:12 AM');
  });
});

describe('exactDate', () => {
  it('is the full date', () => {
    expect(exactDate('2026-03-03T09:12:00Z', o)).toBe('Tuesday, March 3, 2026 at 9:12 AM');
  });
});

describe('snoozePresets', () => {
  it('are all in the future and in order', () => {
    const n = new Date(2026, 2, 10, 15, 0);
    const p = snoozePresets(n);
    expect(p.map((x) => x.key)).toEqual(['laterToday', 'tomorrow', 'nextWeek']);
    for (const x of p) expect(x.at.getTime()).toBeGreaterThan(n.getTime());
    expect(p[1].at.getHours()).toBe(8);
    expect(p[2].at.getDay()).toBe(1);
  });
  it('next week from a Sunday is the next day, Monday', () => {
    const sunday = new Date(2026, 2, 15, 10, 0);
    expect(snoozePresets(sunday)[2].at.getDate()).toBe(16);
  });
});

describe('ListDates', () => {
  it('gives what relativeDate and exactDate give, and follows the day of now', () => {
    const r = new ListDates(o);
    const iso = '2026-03-09T08:00:00Z';
    expect(r.relative(iso, now)).toBe(relativeDate(iso, now, o));
    expect(r.relative(iso, now)).toBe('Yesterday');
    const later = new Date('2026-03-12T15:00:00Z');
    expect(r.relative(iso, later)).toBe(relativeDate(iso, later, o));
    expect(r.relative(iso, later)).toBe('Mon');
    expect(r.relative('', later)).toBe('');
    expect(r.exact(iso)).toBe(exactDate(iso, o));
    expect(r.exact(null)).toBe('');
  });
  it('without a time zone uses the local calendar day', () => {
    const local = new Date(2026, 2, 10, 9, 30);
    const n = new Date(2026, 2, 10, 18, 0);
    expect(relativeDate(local.toISOString(), n, { locale: 'en-GB' })).toBe('09:30');
    expect(relativeDate(new Date(2026, 2, 9, 23, 59).toISOString(), n, { locale: 'en-GB' })).toBe('Yesterday');
  });
});
