// Dates as the list and timeline show them: relative when recent ("10:42",
// "Yesterday", "Mon", "Mar 3"), with the year when it is not this year, and
// exact on hover, all in the user's locale and time zone.

import { t } from './strings';

export interface DateOptions {
  /** BCP 47 locale; the user's by default. */
  locale?: string;
  /** IANA time zone; the system's by default. */
  timeZone?: string;
}

// Building an Intl.DateTimeFormat costs far more than using one, and a list
// formats a date per row: formatters are kept by their options.
const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string | undefined, o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = (locale ?? '') + JSON.stringify(o);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, o);
    formatters.set(key, f);
  }
  return f;
}

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function ymd(date: Date, timeZone?: string): Ymd {
  const parts = fmt('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** dayDiff is the number of calendar days from a to b in timeZone. */
export function dayDiff(a: Date, b: Date, timeZone?: string): number {
  const x = ymd(a, timeZone);
  const y = ymd(b, timeZone);
  return Math.round((Date.UTC(y.y, y.m - 1, y.d) - Date.UTC(x.y, x.m - 1, x.d)) / 86400000);
}

/** parseDate reads an RFC 3339 string; an empty or bad one gives null. */
export function parseDate(iso: string | undefined | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** relativeDate formats iso for a list row or a timeline entry, seen at now. */
export function relativeDate(iso: string | undefined | null, now: Date = new Date(), o: DateOptions = {}): string {
  const d = parseDate(iso);
  if (!d) return '';
  const days = dayDiff(d, now, o.timeZone);
  if (days <= 0 && days > -1) {
    return fmt(o.locale, { timeZone: o.timeZone, hour: '2-digit', minute: '2-digit' }).format(d);
  }
  if (days < 0) {
    // In the future (a snooze, a clock skew): show the date.
    return fmt(o.locale, { timeZone: o.timeZone, month: 'short', day: 'numeric' }).format(d);
  }
  if (days === 1) return t.dates.yesterday;
  if (days < 7) {
    return fmt(o.locale, { timeZone: o.timeZone, weekday: 'short' }).format(d);
  }
  if (ymd(d, o.timeZone).y === ymd(now, o.timeZone).y) {
    return fmt(o.locale, { timeZone: o.timeZone, month: 'short', day: 'numeric' }).format(d);
  }
  return fmt(o.locale, { timeZone: o.timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** exactDate is the full date and time, for a tooltip. */
export function exactDate(iso: string | undefined | null, o: DateOptions = {}): string {
  const d = parseDate(iso);
  if (!d) return '';
  return fmt(o.locale, {
    timeZone: o.timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(d);
}

/** timelineDate is the date shown on a message: time today, else day and time. */
export function timelineDate(iso: string | undefined | null, now: Date = new Date(), o: DateOptions = {}): string {
  const d = parseDate(iso);
  if (!d) return '';
  const time = fmt(o.locale, { timeZone: o.timeZone, hour: '2-digit', minute: '2-digit' }).format(d);
  const days = dayDiff(d, now, o.timeZone);
  if (days === 0) return time;
  if (days === 1) return `${t.dates.yesterday} ${time}`;
  const sameYear = ymd(d, o.timeZone).y === ymd(now, o.timeZone).y;
  const day = fmt(o.locale, {
    timeZone: o.timeZone,
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
  }).format(d);
  return `${day}, ${time}`;
}

/** Snooze presets, computed from now in the local time zone. */
export function snoozePresets(now: Date = new Date()): { key: string; at: Date }[] {
  const laterToday = new Date(now.getTime() + 3 * 3600 * 1000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(8, 0, 0, 0);
  const nextWeek = new Date(now);
  const toMonday = ((8 - now.getDay()) % 7) || 7;
  nextWeek.setDate(now.getDate() + toMonday);
  nextWeek.setHours(8, 0, 0, 0);
  return [
    { key: 'laterToday', at: laterToday },
    { key: 'tomorrow', at: tomorrow },
    { key: 'nextWeek', at: nextWeek },
  ];
}
