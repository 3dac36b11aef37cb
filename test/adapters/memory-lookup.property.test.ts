/**
 * The memory repository's secondary indexes (decided by, requested by, asset) against the reference semantics:
 * random stores with many deciders and assets, updates that change who decided and what is
 * targeted, then queries filtered on either, compared with `referenceQuery`. The domains are wide
 * enough that a decider or an asset is rare, so both the lookup plan and the scan are taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository } from '../../src/adapters/memory/index.js';
import { ACTION_STATUSES, type ActionId, type ActionRecord, type Actor } from '../../src/index.js';
import { SORT_COLUMNS, asId, referenceQuery, type ResolvedQuery } from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget } from '../support/records.js';

const RUNS = Number(process.env.MEMORY_PROPERTY_RUNS ?? 300);
const T0 = Date.UTC(2026, 10, 23);
const TYPES = ['quarantineFile', 'isolateDevice', 'blockUrl'] as const;
const DECIDER_KEYS = [
  ...Array.from({ length: 10 }, (_, i) => `analyst${i}@contoso.com`),
  'system:expiry',
  'system:autoApproval',
] as const;
const ASSET_NAMES = Array.from({ length: 20 }, (_, i) => `PC-${i}`);

function decider(n: number | null): Actor | null {
  if (n === null) return null;
  const key = DECIDER_KEYS[n % DECIDER_KEYS.length] as string;
  return key.startsWith('system:')
    ? { type: 'system', component: key.slice('system:'.length) }
    : { type: 'principal', id: asId(key) };
}

const pick = (n: number) => fc.integer({ min: 0, max: n - 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const someOf = (xs: readonly string[], max: number) =>
  maybe(fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: max }));

const actionArb = fc.record({
  status: fc.constantFrom(...ACTION_STATUSES),
  type: pick(TYPES.length),
  asset: pick(ASSET_NAMES.length),
  decidedBy: maybe(pick(DECIDER_KEYS.length)),
  requestedBy: pick(DECIDER_KEYS.length),
  createdAt: fc.integer({ min: 0, max: 20 }),
});
// Updates go back and forth between a few actions and a few keys: an action leaves a key and comes
// back (A, B, A), and a query names both keys it held.
const updateArb = fc.record({
  which: pick(8),
  status: fc.constantFrom(...ACTION_STATUSES),
  decidedBy: maybe(pick(3)),
  /** A new target (an asset index move), or the same object. */
  asset: maybe(pick(3)),
});
const queryArb = fc.record({
  statuses: maybe(fc.uniqueArray(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 4 })),
  actionTypes: someOf(TYPES, 2),
  decidedBy: someOf([...DECIDER_KEYS.slice(0, 3), ...DECIDER_KEYS, 'nobody@contoso.com'], 3),
  assets: someOf([...ASSET_NAMES.slice(0, 3), ...ASSET_NAMES, 'PC-404'], 3),
  requestedBy: someOf([...DECIDER_KEYS, 'nobody@contoso.com'], 2),
  createdFrom: maybe(fc.integer({ min: 0, max: 20 })),
  column: fc.constantFrom(...SORT_COLUMNS),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
  size: fc.integer({ min: 1, max: 10 }),
  index: fc.integer({ min: 0, max: 3 }),
});

type QueryInput = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

function toQuery(q: QueryInput): ResolvedQuery {
  return {
    filter: {
      statuses: q.statuses,
      ids: null,
      actionTypes: q.actionTypes,
      sources: null,
      workloads: null,
      assets: q.assets,
      decidedBy: q.decidedBy,
      investigationIds: null,
      approvalIds: null,
      requestedBy: q.requestedBy,
      createdFrom: q.createdFrom === null ? null : T0 + q.createdFrom * 1000,
      createdTo: null,
    },
    sort: { column: q.column, direction: q.direction },
    page: { size: q.size, cursor: null, index: q.index },
  };
}

describe('memory repository: secondary indexes (decided by, requested by, asset)', () => {
  it('queries filtered on who decided, who asked or on assets return exactly what referenceQuery returns, by lookup or by scan', async () => {
    const seen = { lookup: 0, scan: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 1, maxLength: 200 }),
        fc.array(updateArb, { maxLength: 60 }),
        fc.array(queryArb, { minLength: 1, maxLength: 6 }),
        async (actions, updates, queries) => {
          const stored = actions.map((a, i) =>
            actionRecord({
              id: asId<ActionId>(`act-${i}`),
              status: a.status,
              actionType: TYPES[a.type] as string,
              target: deviceTarget({ deviceId: `dev-${a.asset}`, deviceName: ASSET_NAMES[a.asset] as string }),
              decidedBy: decider(a.decidedBy),
              requestedBy: decider(a.requestedBy) as Actor,
              createdAt: T0 + a.createdAt * 1000,
              updatedAt: T0 + a.createdAt * 1000,
            }),
          );
          const repo = createMemoryRepository({ initial: { actions: stored } });
          const model = new Map<string, ActionRecord>(stored.map((a) => [a.id, a]));
          for (const u of updates) {
            const current = stored[u.which % stored.length] as ActionRecord;
            const previous = model.get(current.id) as ActionRecord;
            const next: ActionRecord = {
              ...previous,
              version: previous.version + 1,
              status: u.status,
              decidedBy: decider(u.decidedBy),
              target:
                u.asset === null
                  ? previous.target
                  : deviceTarget({ deviceId: `dev-${u.asset}`, deviceName: ASSET_NAMES[u.asset] as string }),
            };
            const committed = await repo.commit({
              writes: [{ action: next, expectedVersion: previous.version }],
              events: [],
              idempotencyKey: null,
            });
            expect(committed.ok).toBe(true);
            model.set(next.id, next);
          }
          const all = [...model.values()];
          for (const q of queries) {
            const query = toQuery(q);
            const r = await repo.query(query);
            expect(r.ok && r.value).toEqual(referenceQuery(all, query));
            const { plan } = repo.explain(query).stats;
            if (plan === 'lookup' || plan === 'scan') seen[plan] += 1;
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Both ways were taken (zero means a generator gap, not bad luck: hundreds of queries run).
    expect(seen.lookup).toBeGreaterThan(0);
    expect(seen.scan).toBeGreaterThan(0);
  }, 120_000);

  it('an action that leaves a decider and an asset and comes back is listed once, and one that left is not listed', async () => {
    // Many other actions, so that the few named here are read through the secondary indexes.
    const others = Array.from({ length: 400 }, (_, i) =>
      actionRecord({
        id: asId<ActionId>(`other-${i}`),
        status: 'succeeded',
        target: deviceTarget({ deviceId: `dev-o${i}`, deviceName: `OTHER-${i}` }),
        decidedBy: { type: 'principal', id: asId(`other${i}@contoso.com`) },
      }),
    );
    const a = actionRecord({
      id: asId<ActionId>('a'),
      status: 'succeeded',
      target: deviceTarget({ deviceName: 'PC-0' }),
      decidedBy: decider(0),
    });
    const b = actionRecord({
      id: asId<ActionId>('b'),
      status: 'succeeded',
      target: deviceTarget({ deviceName: 'PC-0' }),
      decidedBy: decider(0),
    });
    const repo = createMemoryRepository({ initial: { actions: [...others, a, b] } });
    let current = a;
    // a: decider 0 → 1 → 0 and PC-0 → PC-1 → PC-0; b: decider 0 → 1 and PC-0 → PC-1, for good.
    for (const step of [1, 0]) {
      const next = {
        ...current,
        version: current.version + 1,
        decidedBy: decider(step),
        target: deviceTarget({ deviceName: `PC-${step}` }),
      };
      expect(
        (
          await repo.commit({
            writes: [{ action: next, expectedVersion: current.version }],
            events: [],
            idempotencyKey: null,
          })
        ).ok,
      ).toBe(true);
      current = next;
    }
    const movedB = { ...b, version: 2, decidedBy: decider(1), target: deviceTarget({ deviceName: 'PC-1' }) };
    expect(
      (await repo.commit({ writes: [{ action: movedB, expectedVersion: 1 }], events: [], idempotencyKey: null })).ok,
    ).toBe(true);
    const all = [...others, current, movedB];
    for (const filter of [
      { decidedBy: [DECIDER_KEYS[0], DECIDER_KEYS[1]] as string[], assets: null },
      { decidedBy: [DECIDER_KEYS[0]] as string[], assets: null },
      { decidedBy: null, assets: ['PC-0', 'PC-1'] },
      { decidedBy: null, assets: ['PC-0'] },
    ]) {
      // Twice: the first read rebuilds the lists an action left, the second reads them rebuilt.
      for (let round = 0; round < 2; round++) {
        const query = toQuery({
          statuses: null,
          actionTypes: null,
          createdFrom: null,
          column: 'id',
          direction: 'asc',
          size: 10,
          index: 0,
          requestedBy: null,
          ...filter,
        });
        const { page, stats } = repo.explain(query);
        expect(stats.plan).toBe('lookup');
        expect(page).toEqual(referenceQuery(all, query));
      }
    }
  });
});
