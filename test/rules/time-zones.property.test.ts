// Time periods are counted in UTC, or in an IANA time zone the caller names; never in the host's zone.
// The host's zone is changed in-process (Node reads process.env.TZ on every change) and every answer
// must stay the same. @date-fns/tz (a dev dependency only) is the independent oracle for named zones.
import { TZDate } from '@date-fns/tz';
import { subDays, subMonths, subWeeks } from 'date-fns';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { TIME_PERIODS, unwrap, type ActionId, type TimePeriod } from '../../src/index.js';
import { TimeZoneSchema, periodStart, referenceQuery, resolveQuery } from '../../src/adapter-kit.js';
import { actionRecord } from '../support/records.js';

const HOST_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kathmandu',
];
const NAMED_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
];
const HOUR = 3_600_000;
const originalTZ = process.env.TZ;

afterEach(() => {
  if (originalTZ === undefined) delete process.env.TZ;
  else process.env.TZ = originalTZ;
});

/** Runs `f` once with the host in each of HOST_ZONES; returns the answers. */
function underEveryHostZone<T>(f: () => T): T[] {
  return HOST_ZONES.map((zone) => {
    process.env.TZ = zone;
    return f();
  });
}

const start = (period: TimePeriod, now: number, zone?: string) => unwrap(periodStart(period, now, zone));
const wallClock = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(instant);

// 2020-2032, with DST changes in both hemispheres inside the range.
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) });

describe('time periods never depend on the host time zone', () => {
  test('the issue\'s case: "past week" is 168 hours with TZ=UTC and with TZ=America/New_York across its DST change', () => {
    const now = Date.UTC(2026, 2, 10, 12); // two days after New York's clocks went forward
    const hours = underEveryHostZone(() => (now - start('pastWeek', now)) / HOUR);
    expect(new Set(hours)).toEqual(new Set([168]));
  });

  test('property: periodStart gives the same instant whatever TZ the process runs with, for every period and zone argument', () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...TIME_PERIODS),
        fc.option(fc.constantFrom(...NAMED_ZONES), { nil: undefined }),
        (now, period, zone) => {
          const answers = underEveryHostZone(() => start(period, now, zone));
          expect(new Set(answers).size).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('property: resolveQuery and the reference semantics return the same page under every host TZ', () => {
    fc.assert(
      fc.property(
        instant,
        fc.array(fc.integer({ min: -200 * 24, max: 0 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...TIME_PERIODS),
        (now, offsetsInHours, period) => {
          const records = offsetsInHours.map((h, i) =>
            actionRecord({ id: `a-${i}` as ActionId, createdAt: now + h * HOUR }),
          );
          const pages = underEveryHostZone(() => {
            const query = unwrap(resolveQuery({ filter: { view: 'all', time: { period } } }, now));
            return referenceQuery(records, query)
              .items.map((r) => r.id)
              .join(',');
          });
          expect(new Set(pages).size).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('in UTC (the default)', () => {
  test('property: past day, week and 30 days are exactly 24, 168 and 720 hours', () => {
    fc.assert(
      fc.property(instant, (now) => {
        expect(now - start('pastDay', now)).toBe(24 * HOUR);
        expect(now - start('pastWeek', now)).toBe(168 * HOUR);
        expect(now - start('past30Days', now)).toBe(720 * HOUR);
      }),
      { numRuns: 200 },
    );
  });

  test('property: past 6 months is six calendar months back in UTC, clamped to the end of a shorter month', () => {
    fc.assert(
      fc.property(instant, (now) => {
        const from = new Date(start('past6Months', now));
        const to = new Date(now);
        const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
        expect(months).toBe(6);
        const daysInTarget = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 0)).getUTCDate();
        expect(from.getUTCDate()).toBe(Math.min(to.getUTCDate(), daysInTarget));
        expect(from.getTime() % (24 * HOUR)).toBe(now % (24 * HOUR));
      }),
      { numRuns: 200 },
    );
  });

  test('31 August less six months is 28 February (end-of-month clamp)', () => {
    expect(start('past6Months', Date.UTC(2026, 7, 31, 9))).toBe(Date.UTC(2026, 1, 28, 9));
  });
});

describe('in a named IANA time zone', () => {
  test("New York's spring-forward day: its past day is 23 hours", () => {
    expect(Date.UTC(2026, 2, 8, 17) - start('pastDay', Date.UTC(2026, 2, 8, 17), 'America/New_York')).toBe(23 * HOUR);
  });

  test("New York's fall-back day: its past day is 25 hours", () => {
    expect(Date.UTC(2026, 10, 1, 17) - start('pastDay', Date.UTC(2026, 10, 1, 17), 'America/New_York')).toBe(25 * HOUR);
  });

  test('a wall time the zone skips lands just after the gap (02:30 on spring-forward day is 03:30 EDT)', () => {
    // 2026-03-09 02:30 EDT is 06:30Z; a day earlier at 02:30 New York time did not exist.
    expect(start('pastDay', Date.UTC(2026, 2, 9, 6, 30), 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });

  test('a wall time the zone shows twice maps to the earlier instant (01:30 on fall-back day)', () => {
    // Sydney, 2 April 2028: 02:00-03:00 happens twice; six months before 2 October 02:00 AEDT is the first.
    expect(start('past6Months', Date.UTC(2028, 9, 1, 15), 'Australia/Sydney')).toBe(Date.UTC(2028, 3, 1, 15));
    // 2026-11-02 01:30 EST is 06:30Z; a day earlier 01:30 happened at 05:30Z (EDT) and at 06:30Z (EST).
    expect(start('pastDay', Date.UTC(2026, 10, 2, 6, 30), 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  test('property: equals date-fns with @date-fns/tz (TZDate) for every period, zone and instant; a repeated wall time maps to its earlier instant', () => {
    const oracle = (period: TimePeriod, now: number, zone: string): number => {
      const d = new TZDate(now, zone);
      switch (period) {
        case 'pastDay':
          return subDays(d, 1).getTime();
        case 'pastWeek':
          return subWeeks(d, 1).getTime();
        case 'past30Days':
          return subDays(d, 30).getTime();
        case 'past6Months':
          return subMonths(d, 6).getTime();
      }
    };
    // Instants near DST changes are where zone arithmetic goes wrong: draw many of them.
    const nearTransitions = fc
      .tuple(
        fc.integer({ min: 2020, max: 2031 }),
        fc.constantFrom(2, 3, 9, 10),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
      )
      .map(([y, m, d, minute]) => Date.UTC(y, m, d) + minute * 60_000);
    fc.assert(
      fc.property(
        fc.oneof(instant, nearTransitions),
        fc.constantFrom(...TIME_PERIODS),
        fc.constantFrom(...NAMED_ZONES),
        (now, period, zone) => {
          const got = start(period, now, zone);
          const expected = oracle(period, now, zone);
          if (got !== expected) {
            // A wall time the zone shows twice (the hour after clocks go back): TZDate takes the later
            // instant, we take the earlier (as Temporal's "compatible" does). Same wall clock, earlier.
            expect(wallClock(got, zone)).toBe(wallClock(expected, zone));
            expect(got).toBeLessThan(expected);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a query may name the zone; an unknown zone is invalidInput naming the path', () => {
    const now = Date.UTC(2026, 10, 1, 17);
    const ok = unwrap(resolveQuery({ filter: { time: { period: 'pastDay', timeZone: 'America/New_York' } } }, now));
    expect(now - (ok.filter.createdFrom ?? 0)).toBe(25 * HOUR);
    const bad = resolveQuery({ filter: { time: { period: 'pastDay', timeZone: 'Mars/Olympus_Mons' } } }, now);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(JSON.stringify(bad.error.issues)).toContain('timeZone');
    expect(periodStart('pastDay', now, 'Local/Host').ok).toBe(false);
    expect(periodStart('pastYear' as TimePeriod, now).ok).toBe(false);
    expect(periodStart('pastDay', Number.NaN).ok).toBe(false);
    expect(TimeZoneSchema.safeParse('Europe/Paris').success).toBe(true);
  });
});
