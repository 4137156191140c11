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
// formats a date per row: formatters are kept by their options. The key is
// built by hand (no JSON.stringify per call): this runs for every row drawn.
const formatters = new Map<string, Intl.DateTimeFormat>();

type Style = 'time' | 'monthDay' | 'monthDayYear' | 'weekday' | 'full' | 'ymd';

const styles: Record<Style, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit' },
  monthDay: { month: 'short', day: 'numeric' },
  monthDayYear: { year: 'numeric', month: 'short', day: 'numeric' },
  weekday: { weekday: 'short' },
  full: { dateStyle: 'full', timeStyle: 'short' },
  ymd: { year: 'numeric', month: 'numeric', day: 'numeric' },
};

function fmt(locale: string | undefined, timeZone: string | undefined, style: Style): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...styles[style], timeZone });
    formatters.set(key, f);
  }
  return f;
}

interface Ymd {
  y: number;
  m: number;
  d: number;
}

// ymd is the calendar day of date in timeZone. Without a time zone (the
// window's case: the system's) Date's own local getters answer at once;
// formatToParts is only needed for another zone.
function ymd(date: Date, timeZone?: string): Ymd {
  if (timeZone === undefined) return { y: date.getFullYear(), m: date.getMonth() + 1, d: date.getDate() };
  const parts = fmt('en-US', timeZone, 'ymd').formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** dayDiff is the number of calendar days from a to b in timeZone. */
export function dayDiff(a: Date, b: Date, timeZone?: string): number {
  return daysBetween(ymd(a, timeZone), ymd(b, timeZone));
}

function daysBetween(x: Ymd, y: Ymd): number {
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
  const day = ymd(d, o.timeZone);
  const today = ymd(now, o.timeZone);
  const days = daysBetween(day, today);
  if (days === 0) return fmt(o.locale, o.timeZone, 'time').format(d);
  // In the future (a snooze, a clock skew): show the date.
  if (days < 0) return fmt(o.locale, o.timeZone, 'monthDay').format(d);
  if (days === 1) return t.dates.yesterday;
  if (days < 7) return fmt(o.locale, o.timeZone, 'weekday').format(d);
  if (day.y === today.y) return fmt(o.locale, o.timeZone, 'monthDay').format(d);
  return fmt(o.locale, o.timeZone, 'monthDayYear').format(d);
}

/** ListDates memoizes relativeDate and exactDate for one list: a row
 * scrolled past twice is formatted once. What relativeDate returns depends
 * on now's calendar day only, so that cache is dropped when the day
 * changes. */
export class ListDates {
  private relatives = new Map<string, string>();
  private exacts = new Map<string, string>();
  private day = '';
  private now: Date | null = null;

  constructor(private readonly o: DateOptions = {}) {}

  /** relative is relativeDate(iso, now). */
  relative(iso: string | undefined | null, now: Date): string {
    if (!iso) return '';
    // The day is worked out once per now (a list draws many rows with one).
    if (now !== this.now) {
      this.now = now;
      const n = ymd(now, this.o.timeZone);
      const day = `${n.y}-${n.m}-${n.d}`;
      if (day !== this.day) {
        this.relatives.clear();
        this.day = day;
      }
    }
    return memo(this.relatives, iso, () => relativeDate(iso, now, this.o));
  }

  /** exact is exactDate(iso). */
  exact(iso: string | undefined | null): string {
    if (!iso) return '';
    return memo(this.exacts, iso, () => exactDate(iso, this.o));
  }
}

function memo(cache: Map<string, string>, key: string, make: () => string): string {
  let s = cache.get(key);
  if (s === undefined) {
    s = make();
    if (cache.size >= 20000) cache.clear();
    cache.set(key, s);
  }
  return s;
}

/** exactDate is the full date and time, for a tooltip. */
export function exactDate(iso: string | undefined | null, o: DateOptions = {}): string {
  const d = parseDate(iso);
  if (!d) return '';
  return fmt(o.locale, o.timeZone, 'full').format(d);
}

/** timelineDate is the date shown on a message: time today, else day and time. */
export function timelineDate(iso: string | undefined | null, now: Date = new Date(), o: DateOptions = {}): string {
  const d = parseDate(iso);
  if (!d) return '';
  const time = fmt(o.locale, o.timeZone, 'time').format(d);
  const days = dayDiff(d, now, o.timeZone);
  if (days === 0) return time;
  if (days === 1) return `${t.dates.yesterday} ${time}`;
  const sameYear = ymd(d, o.timeZone).y === ymd(now, o.timeZone).y;
  const day = fmt(o.locale, o.timeZone, sameYear ? 'monthDay' : 'monthDayYear').format(d);
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
