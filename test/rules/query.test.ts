import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, type ActionRecord } from '../../src/index.js';
import {
  compareActions,
  decodeCursor,
  encodeCursor,
  referenceQuery,
  resolveQuery,
  SORT_COLUMNS,
  sortValue,
} from '../../src/adapter-kit.js';
import { actionCenterArbitraries } from '../../src/testing/index.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

describe('resolveQuery', () => {
  it('seed 002: "view data for the past day, week, 30 days, or 6 months" (calendar months via date-fns)', () => {
    const from = (period: 'pastDay' | 'pastWeek' | 'past30Days' | 'past6Months') => {
      const r = resolveQuery({ filter: { time: { period } } }, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.filter.createdFrom;
    };
    expect(from('pastDay')).toBe(NOW - DAY);
    expect(from('pastWeek')).toBe(NOW - 7 * DAY);
    expect(from('past30Days')).toBe(NOW - 30 * DAY);
    expect(from('past6Months')).toBe(Date.UTC(2026, 4, 23, 12));
  });

  it('the Pending view is the pending status; History is every other status', () => {
    const pending = resolveQuery({ filter: { view: 'pending' } }, NOW);
    const history = resolveQuery({ filter: { view: 'history' } }, NOW);
    expect(pending.ok && pending.value.filter.statuses).toEqual(['pending']);
    expect(history.ok && history.value.filter.statuses).toEqual(ACTION_STATUSES.filter((s) => s !== 'pending'));
    const both = resolveQuery({ filter: { view: 'history', status: ['pending', 'failed'] } }, NOW);
    expect(both.ok && both.value.filter.statuses).toEqual(['failed']);
  });

  it.each([
    ['an unknown sort column', { sort: { column: 'severity', direction: 'asc' } }],
    ['a page of 0', { page: { size: 0 } }],
    ['a page over 1000', { page: { size: 1001 } }],
    ['a cursor that is not ours', { page: { cursor: 'garbage' } }],
    [
      'a cursor of another sort column',
      { sort: { column: 'asset', direction: 'asc' }, page: { cursor: encodeCursor({ value: 5, id: 'a' }) } },
    ],
    ['a custom range that ends before it starts', { filter: { time: { from: 10, to: 5 } } }],
    ['an unknown filter', { filter: { severity: ['high'] } }],
  ])('refuses %s with invalidInput', (_, input) => {
    const r = resolveQuery(input, NOW);
    expect(!r.ok && r.error.code).toBe('invalidInput');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = resolveQuery(input, NOW);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('the reference order and paging', () => {
  const arbs = actionCenterArbitraries(fc);
  const records = fc.uniqueArray(arbs.actionRecord, { maxLength: 25, selector: (a: ActionRecord) => a.id });
  const sort = fc.record({
    column: fc.constantFrom(...SORT_COLUMNS),
    direction: fc.constantFrom('asc' as const, 'desc' as const),
  });

  it('compareActions is a total order with the id as the tie-break', () => {
    fc.assert(
      fc.property(records, sort, (actions, s) => {
        const sorted = [...actions].sort((a, b) => compareActions(a, b, s));
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1] as ActionRecord, sorted[i] as ActionRecord];
          expect(compareActions(a, b, s)).toBeLessThan(0);
          expect(compareActions(b, a, s)).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('paging with cursors visits every match once, in order', () => {
    fc.assert(
      fc.property(records, sort, fc.integer({ min: 1, max: 7 }), (actions, s, size) => {
        const q = resolveQuery({ sort: s, page: { size } }, NOW);
        if (!q.ok) throw new Error(q.error.message);
        const all = referenceQuery(actions, { ...q.value, page: { size: 1000, cursor: null, index: 0 } }).items;
        const seen: ActionRecord[] = [];
        let cursor: string | null = null;
        do {
          const page = referenceQuery(actions, { ...q.value, page: { size, cursor, index: 0 } });
          expect(page.total).toBe(actions.length);
          seen.push(...page.items);
          cursor = page.nextCursor;
          if (cursor !== null) {
            const position = decodeCursor(cursor);
            const last = page.items.at(-1) as ActionRecord;
            expect(position).toEqual({ value: sortValue(last, s.column), id: last.id });
          }
        } while (cursor !== null);
        expect(seen.map((a) => a.id)).toEqual(all.map((a) => a.id));
      }),
    );
  });

  it('nulls sort last ascending and first descending', () => {
    fc.assert(
      fc.property(
        records,
        fc.constantFrom('decidedAt' as const, 'completedAt' as const, 'approvalId' as const),
        (actions, column) => {
          const asc = referenceQuery(actions, {
            ...unwrapQuery({ sort: { column, direction: 'asc' } }),
            page: { size: 1000, cursor: null, index: 0 },
          }).items;
          const firstNull = asc.findIndex((a) => sortValue(a, column) === null);
          if (firstNull !== -1) expect(asc.slice(firstNull).every((a) => sortValue(a, column) === null)).toBe(true);
          const desc = referenceQuery(actions, {
            ...unwrapQuery({ sort: { column, direction: 'desc' } }),
            page: { size: 1000, cursor: null, index: 0 },
          }).items;
          const lastNull = desc.map((a) => sortValue(a, column) === null).lastIndexOf(true);
          expect(desc.slice(0, lastNull + 1).every((a) => sortValue(a, column) === null)).toBe(true);
        },
      ),
    );
  });
});

function unwrapQuery(input: unknown) {
  const q = resolveQuery(input, NOW);
  if (!q.ok) throw new Error(q.error.message);
  return q.value;
}
