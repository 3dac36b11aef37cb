/**
 * The memory repository's key-order plan (issue 14: a view sorted by asset, requester or decider
 * reads the actions in that order from the column's secondary index and stops at the page) against
 * the reference semantics: queries sorted by every sortable column, paged by index and by cursor,
 * interleaved with creations (ids out of order, new assets and deciders after the key order was
 * built) and updates (actions leaving a key and coming back), compared with `referenceQuery`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository } from '../../src/adapters/memory/index.js';
import { ACTION_STATUSES, type ActionId, type ActionRecord, type Actor } from '../../src/index.js';
import { SORT_COLUMNS, asId, referenceQuery, type ResolvedQuery } from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget } from '../support/records.js';

const RUNS = Number(process.env.MEMORY_PROPERTY_RUNS ?? 150);
const T0 = Date.UTC(2026, 10, 23);
const TYPES = ['quarantineFile', 'isolateDevice', 'blockUrl'] as const;
// 'Automation (expiry)' as a principal sorts exactly as system:expiry does: one tie group of two keys.
const ACTOR_KEYS = [
  'analyst0@contoso.com',
  'analyst1@contoso.com',
  'Automation (expiry)',
  'system:expiry',
  'system:autoApproval',
  'zed@contoso.com',
] as const;
const ASSETS = ['PC-0', 'PC-1', 'PC-10', 'pc-2', 'Mailbox', 'PC-1 ', 'NEW-A', 'NEW-B'] as const;

function actor(n: number): Actor {
  const key = ACTOR_KEYS[n % ACTOR_KEYS.length] as string;
  return key.startsWith('system:')
    ? { type: 'system', component: key.slice('system:'.length) }
    : { type: 'principal', id: asId(key) };
}

const pick = (n: number) => fc.integer({ min: 0, max: n - 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const actionArb = fc.record({
  /** Ids are drawn, not counted: they arrive out of order, so the walk sorts a key's ids. */
  id: fc.integer({ min: 0, max: 5000 }),
  status: fc.constantFrom(...ACTION_STATUSES),
  type: pick(TYPES.length),
  // The first stores hold the first six assets; NEW-A and NEW-B arrive later (a key added to a built order).
  asset: pick(6),
  decidedBy: maybe(pick(ACTOR_KEYS.length)),
  requestedBy: pick(ACTOR_KEYS.length),
  createdAt: fc.integer({ min: 0, max: 20 }),
});
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), action: actionArb, asset: pick(ASSETS.length) }),
  fc.record({
    kind: fc.constant('update' as const),
    which: pick(1000),
    status: fc.constantFrom(...ACTION_STATUSES),
    decidedBy: maybe(pick(ACTOR_KEYS.length)),
    asset: maybe(pick(ASSETS.length)),
    requestedBy: maybe(pick(ACTOR_KEYS.length)),
  }),
);
// Mostly wide filters: the walk pays only when many actions match (it is then taken; a scan otherwise).
const wide = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
const queryArb = fc.record({
  statuses: wide(fc.uniqueArray(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 6 })),
  actionTypes: wide(fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 2 })),
  sources: wide(fc.constantFrom(['automatedDeviceAction'], ['manualDeviceAction'])),
  createdFrom: wide(fc.integer({ min: 0, max: 20 })),
  // Mostly the walked columns; every other column too (their plans must agree as well).
  column: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('asset' as const, 'requestedBy' as const, 'decidedBy' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...SORT_COLUMNS) },
  ),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
  size: fc.integer({ min: 1, max: 6 }),
  index: fc.integer({ min: 0, max: 3 }),
});

type QueryInput = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

function toQuery(q: QueryInput, cursor: string | null = null): ResolvedQuery {
  return {
    filter: {
      statuses: q.statuses,
      ids: null,
      actionTypes: q.actionTypes,
      sources: q.sources,
      workloads: null,
      assets: null,
      decidedBy: null,
      investigationIds: null,
      approvalIds: null,
      createdFrom: q.createdFrom === null ? null : T0 + q.createdFrom * 1000,
      createdTo: null,
    },
    sort: { column: q.column, direction: q.direction },
    page: { size: q.size, cursor, index: cursor === null ? q.index : 0 },
  };
}

function record(a: ActionInput, asset: number): ActionRecord {
  return actionRecord({
    id: asId<ActionId>(`act-${a.id}`),
    status: a.status,
    actionType: TYPES[a.type] as string,
    source: a.id % 3 === 0 ? 'manualDeviceAction' : 'automatedDeviceAction',
    target: deviceTarget({ deviceId: `dev-${asset}`, deviceName: ASSETS[asset] as string }),
    decidedBy: a.decidedBy === null ? null : actor(a.decidedBy),
    requestedBy: actor(a.requestedBy),
    createdAt: T0 + a.createdAt * 1000,
    updatedAt: T0 + a.createdAt * 1000,
  });
}
type ActionInput = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

describe('memory repository: sorts by a key index column (key-order plan)', () => {
  it('property: sorts by every column, paged by index and by cursor, interleaved with creations and updates, return exactly what referenceQuery returns', async () => {
    const seen = { keyOrder: 0, other: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(actionArb, { minLength: 1, maxLength: 250, selector: (a) => a.id }),
        fc.array(fc.tuple(fc.array(stepArb, { maxLength: 15 }), fc.array(queryArb, { minLength: 1, maxLength: 3 })), {
          minLength: 1,
          maxLength: 4,
        }),
        async (initial, rounds) => {
          const stored = initial.map((a) => record(a, a.asset));
          const repo = createMemoryRepository({ initial: { actions: stored } });
          const model = new Map<string, ActionRecord>(stored.map((a) => [a.id, a]));
          for (const [steps, queries] of rounds) {
            for (const step of steps) {
              let write: { action: ActionRecord; expectedVersion: number | null };
              if (step.kind === 'create') {
                const action = record(step.action, step.asset);
                if (model.has(action.id)) continue;
                write = { action, expectedVersion: null };
              } else {
                const ids = [...model.keys()];
                const previous = model.get(ids[step.which % ids.length] as string) as ActionRecord;
                write = {
                  action: {
                    ...previous,
                    version: previous.version + 1,
                    status: step.status,
                    decidedBy: step.decidedBy === null ? null : actor(step.decidedBy),
                    requestedBy: step.requestedBy === null ? previous.requestedBy : actor(step.requestedBy),
                    target:
                      step.asset === null
                        ? previous.target
                        : deviceTarget({ deviceId: `dev-${step.asset}`, deviceName: ASSETS[step.asset] as string }),
                  },
                  expectedVersion: previous.version,
                };
              }
              const committed = await repo.commit({ writes: [write], events: [], idempotencyKey: null });
              expect(committed.ok).toBe(true);
              model.set(write.action.id, write.action);
            }
            const all = [...model.values()];
            for (const q of queries) {
              // The page by index, then two pages on by cursor.
              let query = toQuery(q);
              for (let hop = 0; hop < 3; hop++) {
                const r = await repo.query(query);
                const expected = referenceQuery(all, query);
                expect(r.ok && r.value).toEqual(expected);
                if (repo.explain(query).stats.plan === 'keyOrder') seen.keyOrder += 1;
                else seen.other += 1;
                if (expected.nextCursor === null) break;
                query = toQuery(q, expected.nextCursor);
              }
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Both the walk and the other plans were taken (zero means a generator gap: hundreds of queries run).
    expect(seen.keyOrder).toBeGreaterThan(0);
    expect(seen.other).toBeGreaterThan(0);
  }, 300_000);

  it('an asset, requester or decider first filed after a walk is walked in its place', async () => {
    const actions = Array.from({ length: 400 }, (_, i) =>
      actionRecord({
        id: asId<ActionId>(`act-${String(i).padStart(5, '0')}`),
        status: 'succeeded',
        target: deviceTarget({ deviceId: `dev-${i % 40}`, deviceName: `PC-${i % 40}` }),
        requestedBy: actor(i % 2),
        decidedBy: actor(i % 2),
        createdAt: T0 + i,
        updatedAt: T0 + i,
      }),
    );
    const repo = createMemoryRepository({ initial: { actions } });
    const queries = (['asset', 'requestedBy', 'decidedBy'] as const).map((column) =>
      toQuery({
        statuses: ['succeeded'],
        actionTypes: null,
        sources: null,
        createdFrom: null,
        column,
        direction: 'asc',
        size: 5,
        index: 0,
      }),
    );
    // The first walks build each index's key order.
    for (const query of queries) expect(repo.explain(query).stats.plan).toBe('keyOrder');
    // A new action holding a new key that sorts first, with an id that sorts last.
    const late = actionRecord({
      id: asId<ActionId>('zz-late'),
      status: 'succeeded',
      target: deviceTarget({ deviceId: 'dev-new', deviceName: 'A-NEW' }),
      requestedBy: actor(2),
      decidedBy: actor(2),
      createdAt: T0,
      updatedAt: T0,
    });
    expect(
      (await repo.commit({ writes: [{ action: late, expectedVersion: null }], events: [], idempotencyKey: null })).ok,
    ).toBe(true);
    for (const query of queries) {
      const { page, stats } = repo.explain(query);
      expect(stats.plan).toBe('keyOrder');
      expect(page.items[0]?.id).toBe('zz-late');
      expect(page).toEqual(referenceQuery([...actions, late], query));
    }
  });

  it('many assets first filed after a walk (more than are spliced in one by one) are walked in their place', async () => {
    const base = Array.from({ length: 400 }, (_, i) =>
      actionRecord({
        id: asId<ActionId>(`act-${String(i).padStart(5, '0')}`),
        status: 'succeeded',
        target: deviceTarget({ deviceId: `dev-${i % 40}`, deviceName: `PC-${i % 40}` }),
        createdAt: T0 + i,
        updatedAt: T0 + i,
      }),
    );
    const repo = createMemoryRepository({ initial: { actions: base } });
    const query = toQuery({
      statuses: ['succeeded'],
      actionTypes: null,
      sources: null,
      createdFrom: null,
      column: 'asset',
      direction: 'desc',
      size: 20,
      index: 1,
    });
    expect(repo.explain(query).stats.plan).toBe('keyOrder');
    // 600 new assets, one action each, interleaved through the existing ones in sort order.
    const late = Array.from({ length: 600 }, (_, i) =>
      actionRecord({
        id: asId<ActionId>(`late-${i}`),
        status: 'succeeded',
        target: deviceTarget({ deviceId: `dev-l${i}`, deviceName: `PC-${i % 40}-${i}` }),
        createdAt: T0 + i,
        updatedAt: T0 + i,
      }),
    );
    for (const action of late) {
      const committed = await repo.commit({
        writes: [{ action, expectedVersion: null }],
        events: [],
        idempotencyKey: null,
      });
      expect(committed.ok).toBe(true);
    }
    const { page, stats } = repo.explain(query);
    expect(stats.plan).toBe('keyOrder');
    expect(page).toEqual(referenceQuery([...base, ...late], query));
  });

  it('a sort by asset over many matches reads about a page of actions, not every match', async () => {
    const actions = Array.from({ length: 2000 }, (_, i) =>
      actionRecord({
        id: asId<ActionId>(`act-${String(i).padStart(5, '0')}`),
        status: 'succeeded',
        target: deviceTarget({ deviceId: `dev-${i % 300}`, deviceName: `PC-${i % 300}` }),
        createdAt: T0 + i,
        updatedAt: T0 + i,
      }),
    );
    const repo = createMemoryRepository({ initial: { actions } });
    for (const direction of ['asc', 'desc'] as const) {
      const query = toQuery({
        statuses: ['succeeded'],
        actionTypes: null,
        sources: null,
        createdFrom: null,
        column: 'asset',
        direction,
        size: 50,
        index: 0,
      });
      const { page, stats } = repo.explain(query);
      expect(stats.plan).toBe('keyOrder');
      expect(stats.examined).toBe(51);
      expect(page).toEqual(referenceQuery(actions, query));
    }
  });
});
