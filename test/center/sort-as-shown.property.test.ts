/**
 * Issue 12, item 15 (seed 002: "Select a column heading to sort"): every shown column sorts by what
 * it shows. The sort value of each column, with the labels the center passes (`sortLabels`), is the
 * cell the column renders, for any stored action and for custom catalogues' display names; and
 * `referenceQuery` orders by it.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  COLUMN_IDS,
  builtInActionTypes,
  builtInCatalog,
  createCatalog,
  defineActionType,
  type ActionRecord,
  type Catalog,
  type ColumnId,
} from 'actioncenter';
import {
  ACTION_COLUMNS,
  LABELLED_SORT_COLUMNS,
  SORT_COLUMNS,
  actorKey,
  actorLabel,
  actorSortLabel,
  compareSortValues,
  referenceQuery,
  resolveQuery,
  sortLabels,
  sortValue,
} from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from 'actioncenter/testing';

const TIMES = new Set(['createdAt', 'decidedAt', 'completedAt'] as const);
// Issue 16: the notes and approvals columns are shown and exported, not sorted by.
const SORTED = COLUMN_IDS.filter((c) => c !== 'notes' && c !== 'lastNote' && c !== 'approvals');

const custom = defineActionType({
  id: 'aaWipeDevice',
  displayName: 'Zz wipe device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
});
const customCatalog: Catalog = (() => {
  const r = createCatalog([...builtInActionTypes, custom]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

const records = actionCenterArbitraries(fc, { maxEvents: 5 })
  .actionHistories({ maxLength: 12 })
  .map((hs) => hs.map((h) => h.action));

describe('seed 002: sorting by what is shown', () => {
  it('every column a view shows can be sorted (COLUMN_IDS but notes and approvals, and SORT_COLUMNS hold the same ids)', () => {
    expect([...SORT_COLUMNS].sort()).toEqual([...SORTED].sort());
    for (const column of SORTED) expect(resolveQuery({ sort: { column, direction: 'asc' } }, 0).ok, column).toBe(true);
  });

  it('property: with sortLabels(catalog), each column but the times sorts by exactly the text of its cell (absent values as null, shown empty)', () => {
    fc.assert(
      fc.property(records, fc.constantFrom(builtInCatalog, customCatalog), (actions, catalog) => {
        const labels = sortLabels(catalog);
        for (const action of actions) {
          for (const column of SORTED) {
            if ((TIMES as ReadonlySet<string>).has(column)) continue;
            const columnLabels = (LABELLED_SORT_COLUMNS as readonly string[]).includes(column)
              ? labels[column as (typeof LABELLED_SORT_COLUMNS)[number]]
              : null;
            const value = sortValue(action, column, columnLabels);
            const shown = ACTION_COLUMNS[column].value(action, { catalog });
            expect(value ?? '', `${column} of ${action.id}`).toBe(shown);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('property: time columns sort as their ISO cells read (numbers in the same order as the text)', () => {
    fc.assert(
      fc.property(records, (actions) => {
        for (const column of TIMES) {
          for (const a of actions) {
            for (const b of actions) {
              const byValue = Math.sign(compareSortValues(sortValue(a, column), sortValue(b, column)));
              const shownA = ACTION_COLUMNS[column].value(a, { catalog: builtInCatalog });
              const shownB = ACTION_COLUMNS[column].value(b, { catalog: builtInCatalog });
              // Empty cells (no time yet) sort last ascending, as nulls do.
              const byShown = shownA === shownB ? 0 : shownA === '' ? 1 : shownB === '' ? -1 : shownA < shownB ? -1 : 1;
              expect(byValue, `${column}: ${shownA} vs ${shownB}`).toBe(byShown);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("property: referenceQuery with the center's labels lists every labelled and actor column in the order of its cells", () => {
    const COLUMNS = ['actionType', 'source', 'status', 'workload', 'requestedBy', 'decidedBy', 'comment'] as const;
    fc.assert(
      fc.property(
        records,
        fc.constantFrom(...COLUMNS),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.constantFrom(builtInCatalog, customCatalog),
        (actions, column, direction, catalog) => {
          const q = resolveQuery({ sort: { column, direction }, page: { size: 1000 } }, 0, sortLabels(catalog));
          if (!q.ok) throw new Error(q.error.message);
          const listed = referenceQuery(actions, q.value).items;
          const cells = listed.map((a: ActionRecord) => ACTION_COLUMNS[column].value(a, { catalog }));
          // Absent values (an empty cell, but not an empty comment) come last ascending, first descending.
          const absent = (a: ActionRecord) => sortValue(a, column, q.value.sort.labels) === null;
          const present = listed.filter((a) => !absent(a)).map((a) => ACTION_COLUMNS[column].value(a, { catalog }));
          const sorted = [...present].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
          if (direction === 'desc') sorted.reverse();
          const empties = Array<string>(listed.length - present.length).fill('');
          expect(cells).toEqual(direction === 'asc' ? [...sorted, ...empties] : [...empties, ...sorted]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('actorSortLabel reads an actor key as actorLabel shows the actor', () => {
    expect(actorSortLabel(actorKey({ type: 'system', component: 'expiry' }))).toBe(
      actorLabel({ type: 'system', component: 'expiry' }),
    );
    expect(actorSortLabel('alice@contoso.com')).toBe('alice@contoso.com');
  });

  it('regression: "succeeded" sorted by its id after "pending"; by its label "Completed" it sorts before "Pending"', () => {
    const q = resolveQuery({ sort: { column: 'status', direction: 'asc' } }, 0, sortLabels(builtInCatalog));
    const byId = resolveQuery({ sort: { column: 'status', direction: 'asc' } }, 0);
    if (!q.ok || !byId.ok) throw new Error('query');
    expect(q.value.sort.labels?.['succeeded']).toBe('Completed');
    expect(byId.value.sort.labels).toBe(null);
    // A label map is a copy without a prototype: "constructor" is not a label.
    expect(Object.getPrototypeOf(q.value.sort.labels)).toBe(null);
    const bad = resolveQuery({ sort: { column: 'status', direction: 'asc' } }, 0, {
      status: { succeeded: 5 },
    } as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('invalidInput');
  });
});
