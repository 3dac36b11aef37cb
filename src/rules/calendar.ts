/**
 * Calendar arithmetic in UTC or in an explicit IANA time zone, never in the host's zone.
 *
 * date-fns does the calendar arithmetic (months of different lengths, the end-of-month clamp); its
 * functions take an `in` context (date-fns 4) that decides which clock they read. {@link UTCDate}
 * is that context for UTC: a Date whose "local" fields are its UTC fields, so `subMonths` on it is
 * the same on a server in Tokyo and one in New York. A named zone is handled by taking the zone's
 * wall-clock time (Intl), doing the arithmetic on it in UTC, and mapping the resulting wall-clock
 * time back to an instant of that zone.
 *
 * Pure: no clock, no I/O; Intl's time-zone data is the only input besides the arguments.
 *
 * @module
 */

/**
 * A Date whose local-time methods read and write UTC: the `in` context that makes date-fns compute
 * in UTC whatever `TZ` the process runs with.
 */
class UTCDate extends Date {
  override getFullYear(): number {
    return this.getUTCFullYear();
  }
  override getMonth(): number {
    return this.getUTCMonth();
  }
  override getDate(): number {
    return this.getUTCDate();
  }
  override getDay(): number {
    return this.getUTCDay();
  }
  override getHours(): number {
    return this.getUTCHours();
  }
  override getMinutes(): number {
    return this.getUTCMinutes();
  }
  override getSeconds(): number {
    return this.getUTCSeconds();
  }
  override getMilliseconds(): number {
    return this.getUTCMilliseconds();
  }
  override getTimezoneOffset(): number {
    return 0;
  }
  override setFullYear(year: number, month?: number, date?: number): number {
    return month === undefined
      ? this.setUTCFullYear(year)
      : date === undefined
        ? this.setUTCFullYear(year, month)
        : this.setUTCFullYear(year, month, date);
  }
  override setMonth(month: number, date?: number): number {
    return date === undefined ? this.setUTCMonth(month) : this.setUTCMonth(month, date);
  }
  override setDate(date: number): number {
    return this.setUTCDate(date);
  }
  override setHours(hours: number, min?: number, sec?: number, ms?: number): number {
    if (min === undefined) return this.setUTCHours(hours);
    if (sec === undefined) return this.setUTCHours(hours, min);
    return ms === undefined ? this.setUTCHours(hours, min, sec) : this.setUTCHours(hours, min, sec, ms);
  }
  override setMinutes(min: number, sec?: number, ms?: number): number {
    if (sec === undefined) return this.setUTCMinutes(min);
    return ms === undefined ? this.setUTCMinutes(min, sec) : this.setUTCMinutes(min, sec, ms);
  }
  override setSeconds(sec: number, ms?: number): number {
    return ms === undefined ? this.setUTCSeconds(sec) : this.setUTCSeconds(sec, ms);
  }
  override setMilliseconds(ms: number): number {
    return this.setUTCMilliseconds(ms);
  }
}

/** The date-fns `in` context for UTC. */
export const inUTC = (value: Date | number | string): UTCDate =>
  new UTCDate(value instanceof Date ? value.getTime() : value);

const DAY_MS = 24 * 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of wall-clock fields in `timeZone` (cached: building one costs far more than using it). */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether `timeZone` is an IANA time-zone name this runtime knows (`UTC`, `Europe/Paris`, ...).
 *
 * @example
 * ```ts
 * import { isTimeZone } from 'actioncenter/adapter-kit';
 * isTimeZone('America/New_York'); // true
 * isTimeZone('Mars/Olympus_Mons'); // false
 * ```
 */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`, written as the UTC instant with the same fields. */
function wallClockOf(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  let bce = false;
  for (const part of formatterOf(timeZone).formatToParts(instant)) {
    if (part.type === 'era') bce = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = bce ? 1 - (fields.year ?? 0) : (fields.year ?? 0);
  const wall = new Date(0);
  wall.setUTCFullYear(year, (fields.month ?? 1) - 1, fields.day ?? 1);
  wall.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, new Date(instant).getUTCMilliseconds());
  return wall.getTime();
}

/**
 * The instant at which `timeZone` shows the wall-clock time `wall` (given as the UTC instant with
 * the same fields). A time the zone skips (a spring-forward gap) maps to the instant just after the
 * gap, as the wall clock would show; a time it shows twice (fall back) maps to the earlier instant.
 */
function instantOf(wall: number, timeZone: string): number {
  // The offsets in force a day before and a day after: zones change offset at most once in between.
  const offsetAt = (instant: number) => wallClockOf(instant, timeZone) - instant;
  const before = wall - offsetAt(wall - DAY_MS);
  const after = wall - offsetAt(wall + DAY_MS);
  const shows = (instant: number) => wallClockOf(instant, timeZone) === wall;
  if (shows(before) && shows(after)) return Math.min(before, after);
  if (shows(before)) return before;
  if (shows(after)) return after;
  // A gap: the wall time does not exist; keep the offset from before it, which lands past the gap.
  return before;
}

/**
 * Applies `step` (date-fns arithmetic in the UTC context) to the wall-clock time of `instant` in
 * `timeZone`, and returns the instant showing the resulting wall-clock time. With `UTC` this is
 * `step` on the instant itself.
 */
export function calendarStep(instant: number, timeZone: string, step: (utcWall: number) => number): number {
  if (timeZone === 'UTC') return step(instant);
  return instantOf(step(wallClockOf(instant, timeZone)), timeZone);
}
