/**
 * The in-memory repository: atomic, version-checked commits; reads that cannot corrupt the store;
 * and an index that answers the Pending and History views without scanning everything.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryRepository } from '../../src/adapters/memory/index.js';
import {
  ActionCenterException,
  unwrap,
  type ActionId,
  type ActionQueryInput,
  type ActionRecord,
  type ActionStatus,
  type AuditEvent,
  type Result,
} from '../../src/index.js';
import {
  asId,
  referenceQuery,
  resolveQuery,
  type CommitBatch,
  type ConflictError,
  type RepositoryError,
} from '../../src/adapter-kit.js';
import { actionRecord } from '../support/records.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const NOW = T0 + 365 * 24 * 60 * 60 * 1000;
const MINUTE = 60_000;

/** A complete record (every field is required); `over` changes what the test is about. */
const action = (id: string, over: Partial<ActionRecord> = {}): ActionRecord =>
  actionRecord({ id: asId<ActionId>(id), createdAt: T0, updatedAt: T0, ...over });

function event(actionId: string, sequence: number, to: ActionStatus = 'pending'): AuditEvent {
  return {
    id: asId(`${actionId}-e${sequence}`),
    actionId: asId(actionId),
    sequence,
    type: sequence === 1 ? 'created' : 'approve',
    at: T0 + sequence,
    actor: { type: 'system', component: 'test' },
    from: null,
    to,
    comment: null,
    details: {},
    hash: null,
    previousHash: null,
  };
}

const create = (a: ActionRecord) => ({ action: a, expectedVersion: null });
const update = (from: ActionRecord, change: Partial<ActionRecord>, expectedVersion = from.version) => ({
  action: { ...from, ...change, version: from.version + 1 },
  expectedVersion,
});
const batch = (
  writes: CommitBatch['writes'],
  events: CommitBatch['events'] = [],
  idempotencyKey: CommitBatch['idempotencyKey'] = null,
): CommitBatch => ({
  writes,
  events,
  idempotencyKey,
});
const query = (input: ActionQueryInput) => unwrap(resolveQuery(input, NOW));

function conflictOf(r: Result<unknown, RepositoryError>): ConflictError {
  if (r.ok || r.error.code !== 'conflict') throw new Error(`expected a conflict, got ${JSON.stringify(r)}`);
  return r.error;
}

async function allActions(repo: ReturnType<typeof createMemoryRepository>) {
  return unwrap(await repo.query(query({ page: { size: 1000 } }))).items;
}

describe('commit: atomic and version-checked', () => {
  it('a successful commit stores actions and events; an update bumps the version; the trail is in sequence order', async () => {
    const repo = createMemoryRepository();
    const a = action('a');
    expect((await repo.commit(batch([create(a)], [event('a', 1)]))).ok).toBe(true);
    const approved = update(a, { status: 'approved' });
    expect((await repo.commit(batch([approved], [event('a', 2, 'approved')]))).ok).toBe(true);
    expect(unwrap(await repo.get(a.id))?.version).toBe(2);
    expect(unwrap(await repo.get(a.id))?.status).toBe('approved');
    // Events written out of order still come back in sequence order.
    const running = update(approved.action, { status: 'running' });
    const done = update(running.action, { status: 'succeeded' });
    expect((await repo.commit(batch([], [event('a', 4, 'succeeded'), event('a', 3, 'running')]))).ok).toBe(true);
    expect(unwrap(await repo.auditTrail(a.id)).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(done.action.version).toBe(4);
  });

  it('a batch with one stale write stores nothing: neither the other writes nor any event', async () => {
    const repo = createMemoryRepository();
    const a = action('a');
    const b = action('b');
    unwrap(await repo.commit(batch([create(a), create(b)], [event('a', 1), event('b', 1)])));
    unwrap(await repo.commit(batch([update(a, { status: 'approved' })], [event('a', 2)])));
    const before = await allActions(repo);

    // `a` was read at version 1 but is at version 2 now; `b` and `c` are fine on their own.
    const r = await repo.commit(
      batch(
        [update(b, { status: 'rejected' }), update(a, { status: 'rejected' }), create(action('c'))],
        [event('b', 2), event('a', 3), event('c', 1)],
      ),
    );
    const conflict = conflictOf(r);
    expect(conflict.reason).toBe('staleVersion');
    expect(conflict.actionIds).toEqual(['a']);
    expect(await allActions(repo)).toEqual(before);
    expect(unwrap(await repo.get(asId('c')))).toBeNull();
    expect(unwrap(await repo.auditTrail(b.id)).map((e) => e.sequence)).toEqual([1]);
    expect(unwrap(await repo.auditTrail(asId('c')))).toEqual([]);
    expect(unwrap(await repo.auditTrail(a.id)).map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('the conflict names every offending action', async () => {
    const repo = createMemoryRepository();
    const [a, b, c] = [action('a'), action('b'), action('c')];
    unwrap(await repo.commit(batch([create(a), create(b), create(c)])));
    const r = await repo.commit(batch([update(a, {}, 7), update(b, {}), update(c, {}, 0)]));
    expect(conflictOf(r)).toMatchObject({ reason: 'staleVersion', actionIds: ['a', 'c'] });
  });

  it('an update must write version expectedVersion + 1', async () => {
    const repo = createMemoryRepository();
    const a = action('a');
    unwrap(await repo.commit(batch([create(a)])));
    const r = await repo.commit(batch([{ action: { ...a, version: 3 }, expectedVersion: 1 }]));
    expect(conflictOf(r)).toMatchObject({ reason: 'staleVersion', actionIds: ['a'] });
  });

  it('updating an action that is not stored is a stale version', async () => {
    const repo = createMemoryRepository();
    const r = await repo.commit(batch([update(action('ghost'), {})]));
    expect(conflictOf(r)).toMatchObject({ reason: 'staleVersion', actionIds: ['ghost'] });
  });

  it('creating an existing id is refused as alreadyExists', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a'))])));
    const r = await repo.commit(batch([create(action('b')), create(action('a', { status: 'approved' }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'alreadyExists', actionIds: ['a'] });
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
    expect(unwrap(await repo.get(asId('a')))?.status).toBe('pending');
  });

  it('the same action written twice in one batch is refused', async () => {
    const repo = createMemoryRepository();
    expect(conflictOf(await repo.commit(batch([create(action('a')), create(action('a'))])))).toMatchObject({
      reason: 'alreadyExists',
      actionIds: ['a'],
    });
    const a = action('a');
    unwrap(await repo.commit(batch([create(a)])));
    const twice = await repo.commit(batch([update(a, { status: 'approved' }), update(a, { status: 'rejected' })]));
    expect(conflictOf(twice)).toMatchObject({ reason: 'staleVersion', actionIds: ['a'] });
    expect(unwrap(await repo.get(a.id))?.status).toBe('pending');
  });

  it('an open key held by an open action is refused, and free again once that action closes', async () => {
    const repo = createMemoryRepository();
    const a = action('a', { openKey: 'quarantineFile|dev-1|x' });
    unwrap(await repo.commit(batch([create(a)])));
    const r = await repo.commit(batch([create(action('b', { openKey: 'quarantineFile|dev-1|x' }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
    expect(unwrap(await repo.findOpen('quarantineFile|dev-1|x'))?.id).toBe('a');

    unwrap(await repo.commit(batch([update(a, { status: 'rejected', openKey: null })])));
    expect(unwrap(await repo.findOpen('quarantineFile|dev-1|x'))).toBeNull();
    unwrap(await repo.commit(batch([create(action('b', { openKey: 'quarantineFile|dev-1|x' }))])));
    expect(unwrap(await repo.findOpen('quarantineFile|dev-1|x'))?.id).toBe('b');
  });

  it('a closed action does not hold its open key, even if the record still carries it', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a', { status: 'succeeded', openKey: 'k' }))])));
    expect(unwrap(await repo.findOpen('k'))).toBeNull();
    expect((await repo.commit(batch([create(action('b', { openKey: 'k' }))]))).ok).toBe(true);
  });

  it('two creates in one batch with the same open key are refused, naming the second', async () => {
    const repo = createMemoryRepository();
    const r = await repo.commit(batch([create(action('a', { openKey: 'k' })), create(action('b', { openKey: 'k' }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
    expect(await allActions(repo)).toEqual([]);
  });

  it('an action keeping its open key and a new claim of that key in one batch: the later of the two is refused, in either order', async () => {
    // Approving keeps the key the pending action holds; a create in the same batch must not take it.
    const repo = createMemoryRepository();
    const a = action('a', { openKey: 'k' });
    unwrap(await repo.commit(batch([create(a)])));
    const keepFirst = await repo.commit(
      batch([update(a, { status: 'approved' }), create(action('b', { openKey: 'k' }))]),
    );
    expect(conflictOf(keepFirst)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
    const claimFirst = await repo.commit(
      batch([create(action('b', { openKey: 'k' })), update(a, { status: 'approved' })]),
    );
    expect(conflictOf(claimFirst)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['a'] });
    expect(unwrap(await repo.get(a.id))?.status).toBe('pending');
    expect(unwrap(await repo.findOpen('k'))?.id).toBe('a');
    expect(unwrap(await repo.get('b'))).toBeNull();
    // Many keepers and no new claim (a bulk approve) commit.
    const many = ['c', 'd', 'e'].map((id) => action(id, { openKey: `k-${id}` }));
    unwrap(await repo.commit(batch(many.map(create))));
    unwrap(await repo.commit(batch(many.map((m) => update(m, { status: 'approved' })))));
    for (const m of many) expect(unwrap(await repo.findOpen(`k-${m.id}`))?.status).toBe('approved');
  });

  it('an open key can pass from a closing action to a new one in the same batch', async () => {
    const repo = createMemoryRepository();
    const a = action('a', { openKey: 'k' });
    unwrap(await repo.commit(batch([create(a)])));
    unwrap(
      await repo.commit(
        batch([create(action('b', { openKey: 'k' })), update(a, { status: 'cancelled', openKey: null })]),
      ),
    );
    expect(unwrap(await repo.findOpen('k'))?.id).toBe('b');
  });

  it('an idempotency key can be claimed once; the claim names the actions created with it', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a'))], [event('a', 1)], { key: 'req-1', actionIds: [asId('a')] })));
    expect(unwrap(await repo.findByIdempotencyKey('req-1'))).toEqual(['a']);
    expect(unwrap(await repo.findByIdempotencyKey('req-2'))).toBeNull();
    const r = await repo.commit(
      batch([create(action('b'))], [event('b', 1)], { key: 'req-1', actionIds: [asId('b')] }),
    );
    expect(conflictOf(r)).toMatchObject({ reason: 'idempotencyKeyTaken', actionIds: ['b'] });
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
  });

  it('a claimed idempotency key outranks other reasons: the request already happened', async () => {
    const repo = createMemoryRepository();
    unwrap(
      await repo.commit(batch([create(action('a', { openKey: 'k' }))], [], { key: 'req-1', actionIds: [asId('a')] })),
    );
    const r = await repo.commit(
      batch([create(action('b', { openKey: 'k' }))], [], { key: 'req-1', actionIds: [asId('b')] }),
    );
    expect(conflictOf(r).reason).toBe('idempotencyKeyTaken');
  });

  it('events must belong to an action of the batch or the store, with a sequence not yet written', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a'))], [event('a', 1)])));
    const orphan = await repo.commit(batch([create(action('b'))], [event('b', 1), event('nobody', 1)]));
    expect(conflictOf(orphan).actionIds).toEqual(['nobody']);
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
    const again = await repo.commit(batch([], [event('a', 1)]));
    expect(conflictOf(again)).toMatchObject({ reason: 'staleVersion', actionIds: ['a'] });
    expect(unwrap(await repo.auditTrail(asId('a')))).toHaveLength(1);
  });
});

describe('reads cannot corrupt the store', () => {
  it('a returned record is frozen, deep: changing it throws and the stored record is unchanged', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a'))], [event('a', 1)])));
    const got = unwrap(await repo.get(asId('a'))) as ActionRecord;
    expect(() => {
      (got as { status: string }).status = 'succeeded';
    }).toThrow(TypeError);
    expect(() => {
      (got.target as { deviceName: string }).deviceName = 'EVIL';
    }).toThrow(TypeError);
    expect(() => {
      (got.parameters as Record<string, unknown>).injected = true;
    }).toThrow(TypeError);
    const trail = unwrap(await repo.auditTrail(asId('a')));
    expect(() => {
      (trail[0] as { type: string }).type = 'reject';
    }).toThrow(TypeError);
    const again = unwrap(await repo.get(asId('a')));
    expect(again?.status).toBe('pending');
    expect(again?.target).toMatchObject({ deviceName: 'LAPTOP-1' });
    expect(unwrap(await repo.auditTrail(asId('a')))[0]?.type).toBe('created');
  });

  it('returned arrays are fresh: pushing into them changes nothing', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a'))], [event('a', 1)], { key: 'req', actionIds: [asId('a')] })));
    const intruder = action('intruder');
    (unwrap(await repo.getMany([asId('a')])) as ActionRecord[]).push(intruder);
    (unwrap(await repo.auditTrail(asId('a'))) as AuditEvent[]).push(event('a', 2));
    (unwrap(await repo.findByIdempotencyKey('req')) as ActionId[]).push(asId('intruder'));
    (unwrap(await repo.query(query({}))).items as ActionRecord[]).push(intruder);
    expect(unwrap(await repo.getMany([asId('a')]))).toHaveLength(1);
    expect(unwrap(await repo.auditTrail(asId('a')))).toHaveLength(1);
    expect(unwrap(await repo.findByIdempotencyKey('req'))).toEqual(['a']);
    expect(unwrap(await repo.query(query({}))).total).toBe(1);
  });

  it('the records a caller commits are not frozen in place, and changing them later does not reach the store', async () => {
    const repo = createMemoryRepository();
    const mine = action('a');
    unwrap(await repo.commit(batch([create(mine)])));
    expect(Object.isFrozen(mine)).toBe(false);
    (mine as { status: string }).status = 'succeeded';
    (mine.target as { deviceName: string }).deviceName = 'EVIL';
    expect(unwrap(await repo.get(asId('a')))).toMatchObject({ status: 'pending', target: { deviceName: 'LAPTOP-1' } });
  });

  it('a record that is already deep-frozen is stored as it is, without a copy', async () => {
    const repo = createMemoryRepository();
    const a = action('a');
    const frozen = Object.freeze({
      ...a,
      target: Object.freeze({ ...a.target }),
      parameters: Object.freeze({}),
      requestedBy: Object.freeze({ ...a.requestedBy }),
      // Issue 16: the list fields are frozen too (a frozen record holds frozen lists).
      escalatedTo: Object.freeze([...(a.escalatedTo ?? [])]) as unknown as typeof a.escalatedTo,
      approvals: Object.freeze([...(a.approvals ?? [])]) as unknown as typeof a.approvals,
    });
    unwrap(await repo.commit(batch([create(frozen)])));
    expect(unwrap(await repo.get(asId('a')))).toBe(frozen);
  });
});

describe('other reads', () => {
  it('getMany keeps the order of the ids and leaves out missing ones', async () => {
    const repo = createMemoryRepository();
    unwrap(await repo.commit(batch([create(action('a')), create(action('b')), create(action('c'))])));
    const got = unwrap(await repo.getMany([asId('c'), asId('missing'), asId('a'), asId('b')]));
    expect(got.map((a) => a.id)).toEqual(['c', 'a', 'b']);
  });

  it('get returns null and auditTrail an empty list for an unknown action', async () => {
    const repo = createMemoryRepository();
    expect(unwrap(await repo.get(asId('nope')))).toBeNull();
    expect(unwrap(await repo.auditTrail(asId('nope')))).toEqual([]);
  });
});

describe('load and options', () => {
  it('loads actions and events in bulk, checked like a commit; on a conflict nothing is loaded', async () => {
    const repo = createMemoryRepository();
    const loaded = repo.load({
      actions: [action('a', { version: 3, openKey: 'k' }), action('b')],
      events: [event('a', 2), event('a', 1)],
    });
    expect(loaded.ok).toBe(true);
    expect(unwrap(await repo.get(asId('a')))?.version).toBe(3);
    expect(unwrap(await repo.findOpen('k'))?.id).toBe('a');
    expect(unwrap(await repo.auditTrail(asId('a'))).map((e) => e.sequence)).toEqual([1, 2]);

    const clash = repo.load({ actions: [action('c'), action('a'), action('d', { openKey: 'k' })] });
    expect(clash.ok).toBe(false);
    if (!clash.ok)
      expect(clash.error).toMatchObject({ code: 'conflict', reason: 'alreadyExists', actionIds: ['a', 'd'] });
    expect(unwrap(await repo.get(asId('c')))).toBeNull();
    const orphan = repo.load({ actions: [action('e')], events: [event('zzz', 1)] });
    expect(orphan.ok).toBe(false);
    expect(unwrap(await repo.get(asId('e')))).toBeNull();
  });

  it('initial seeds the repository; a conflicting seed or invalid options throw (programming errors)', async () => {
    const repo = createMemoryRepository({ initial: { actions: [action('a')] } });
    expect(unwrap(await repo.get(asId('a')))?.id).toBe('a');
    expect(() => createMemoryRepository({ initial: { actions: [action('a'), action('a')] } })).toThrow(
      ActionCenterException,
    );
    expect(() => createMemoryRepository({ blockSize: 1 })).toThrow(ActionCenterException);
  });
});

describe('the index answers the views without scanning everything', () => {
  const TYPES = ['quarantineFile', 'isolateDevice', 'blockUrl', 'softDeleteEmail', 'disableUser'];
  const STATUSES: ActionStatus[] = ['pending', 'approved', 'running', 'succeeded', 'failed', 'rejected', 'expired'];
  // 50,000 actions over 7 statuses × 5 types, one a minute, several per minute.
  const actions = Array.from({ length: 50_000 }, (_, i) =>
    action(`act-${String(i).padStart(6, '0')}`, {
      status: STATUSES[i % STATUSES.length] as ActionStatus,
      actionType: TYPES[Math.floor(i / 7) % TYPES.length] as string,
      createdAt: T0 + Math.floor(i / 3) * MINUTE,
      source: i % 2 === 0 ? 'automatedDeviceAction' : 'manualDeviceAction',
    }),
  );
  const repo = createMemoryRepository({ initial: { actions } });

  it('the Pending view of one type in a time range reads one bucket: the total by binary search, the page by merge', async () => {
    const q = query({
      filter: {
        view: 'pending',
        actionType: ['quarantineFile'],
        time: { from: T0 + 1000 * MINUTE, to: T0 + 9000 * MINUTE },
      },
      sort: { column: 'createdAt', direction: 'desc' },
      page: { size: 50 },
    });
    const { page, stats } = repo.explain(q);
    expect(stats).toEqual({ plan: 'index', buckets: 1, examined: 50 });
    expect(page).toEqual(referenceQuery(actions, q));
    expect(page.total).toBeGreaterThan(500);
  });

  it('a later page by cursor or by page index reads only its own records', async () => {
    const base = {
      filter: { view: 'history' as const, actionType: ['quarantineFile', 'blockUrl'] },
      sort: { column: 'createdAt' as const, direction: 'desc' as const },
    };
    const first = repo.explain(query({ ...base, page: { size: 50 } }));
    const second = repo.explain(query({ ...base, page: { size: 50, cursor: first.page.nextCursor } }));
    expect(second.stats).toEqual({ plan: 'index', buckets: 12, examined: 50 });
    expect(second.page).toEqual(
      referenceQuery(actions, query({ ...base, page: { size: 50, cursor: first.page.nextCursor } })),
    );
    const deep = query({ ...base, page: { size: 50, index: 150 } });
    expect(repo.explain(deep).stats).toEqual({ plan: 'index', buckets: 12, examined: 50 });
    expect(repo.explain(deep).page).toEqual(referenceQuery(actions, deep));
  });

  it('a query the index does not serve scans only the buckets it names', async () => {
    const q = query({
      filter: { view: 'pending', actionType: ['quarantineFile'], source: ['manualDeviceAction'] },
      sort: { column: 'asset', direction: 'asc' },
    });
    const { page, stats } = repo.explain(q);
    const inBucket = actions.filter((a) => a.status === 'pending' && a.actionType === 'quarantineFile').length;
    expect(stats).toEqual({ plan: 'scan', buckets: 1, examined: inBucket });
    expect(inBucket).toBeLessThan(actions.length / 20);
    expect(page).toEqual(referenceQuery(actions, q));
  });

  it('a filter on action ids looks them up instead of scanning', async () => {
    const q = query({ filter: { ids: ['act-000010', 'act-049999', 'missing'] } });
    const { page, stats } = repo.explain(q);
    expect(stats).toEqual({ plan: 'ids', buckets: 0, examined: 3 });
    expect(page).toEqual(referenceQuery(actions, q));
  });

  it('a bulk approve of 10,000 out of 100,000 actions moves them between buckets and the views follow', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      action(`bulk-${i}`, {
        status: i % 2 === 0 ? 'pending' : 'succeeded',
        actionType: TYPES[i % TYPES.length] as string,
        createdAt: T0 + (i % 5000) * MINUTE,
      }),
    );
    const local = createMemoryRepository({ initial: { actions: many } });
    const writes = many
      .filter((a) => a.status === 'pending')
      .slice(0, 10_000)
      .map((a) => update(a, { status: 'approved', decidedBy: { type: 'principal', id: asId('alice@contoso.com') } }));
    unwrap(await local.commit(batch(writes)));
    const approved = new Map(writes.map((w) => [w.action.id as string, w.action]));
    const current = many.map((a) => approved.get(a.id) ?? a);
    for (const filter of [
      { view: 'pending' as const },
      { status: ['approved' as const] },
      { status: ['approved' as const], decidedBy: ['alice@contoso.com'] },
    ]) {
      const q = query({ filter, page: { size: 50, index: 3 } });
      expect(unwrap(await local.query(q))).toEqual(referenceQuery(current, q));
    }
    expect(unwrap(await local.query(query({ filter: { view: 'pending' } }))).total).toBe(40_000);
    expect(unwrap(await local.query(query({ filter: { status: ['approved'] } }))).total).toBe(10_000);
  });
});
