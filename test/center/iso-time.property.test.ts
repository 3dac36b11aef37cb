/**
 * Issue 14: the time columns format whole milliseconds of 1970-9999 from tables, with the date part
 * of the last day cached, instead of `new Date(ms).toISOString()` per cell. The text must stay
 * exactly the built-in's for every stored value, in any order (the cache), and at the edges of the
 * fast path (before 1970, year 10000 and later, fractions, NaN, out of the Date range).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from 'actioncenter';
import { ACTION_COLUMNS, type Timestamp } from 'actioncenter/adapter-kit';
import { actionRecord } from '../support/records.js';

const context = { catalog: builtInCatalog };
const YEAR_10000 = Date.UTC(10000, 0, 1);
const MAX_DATE_MS = 8.64e15;

/** What the column showed before the fast path: the built-in, or the number when out of range. */
function reference(ms: number): string {
  return ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS ? new Date(ms).toISOString() : String(ms);
}

const shown = (ms: number) => ACTION_COLUMNS.createdAt.value(actionRecord({ createdAt: ms as Timestamp }), context);
// Each time column keeps its own cache of the last minute: the other two, fed the same times.
const shownDecided = (ms: number) =>
  ACTION_COLUMNS.decidedAt.value(actionRecord({ decidedAt: ms as Timestamp }), context);
const shownCompleted = (ms: number) =>
  ACTION_COLUMNS.completedAt.value(actionRecord({ completedAt: ms as Timestamp }), context);

const timestamp = fc.oneof(
  fc.integer({ min: 0, max: YEAR_10000 - 1 }),
  // Near day boundaries, where the cached date must change.
  fc.tuple(fc.integer({ min: 0, max: 4_000_000 }), fc.integer({ min: -2, max: 2 })).map(([d, e]) => d * 86_400_000 + e),
  fc.integer({ min: YEAR_10000 - 5, max: YEAR_10000 + 5 }),
  fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }),
  fc.double({ min: -1e16, max: 1e16 }),
  fc.constantFrom(0, -1, 1, 0.5, -0.5, NaN, Infinity, -Infinity, MAX_DATE_MS, MAX_DATE_MS + 1, -MAX_DATE_MS),
);

describe('time columns: the fast ISO 8601 path', () => {
  it('property: any sequence of stored times shows exactly what toISOString shows', () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 40 }), (times) => {
        for (const ms of times) {
          expect(shown(ms), String(ms)).toBe(reference(ms));
          expect(shownDecided(ms), String(ms)).toBe(reference(ms));
          expect(shownCompleted(ms), String(ms)).toBe(reference(ms));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('regression guard: consecutive times across a midnight and back', () => {
    const midnight = Date.UTC(2026, 10, 23);
    for (const ms of [midnight - 1, midnight, midnight + 1, midnight - 1, YEAR_10000 - 1, YEAR_10000, 0])
      expect(shown(ms)).toBe(reference(ms));
    expect(shown(midnight - 1)).toBe('2026-11-22T23:59:59.999Z');
    // Minutes 256 apart share a slot of the prefix cache: each must still show its own minute.
    for (const ms of [
      midnight,
      midnight + 256 * 60_000 + 5,
      midnight + 7,
      midnight + 256 * 60_000,
      midnight + 512 * 60_000,
    ])
      expect(shown(ms)).toBe(reference(ms));
  });
});
