/**
 * actioncenter/postgres on PGlite (PostgreSQL in process, so these run in every test run):
 * migrations, atomic version-checked commits with the memory repository's conflict reasons, open
 * and idempotency keys, reads, queries in SQL, any JavaScript text, bad rows as typed errors, and
 * connection failures as values.
 */
import { describe, expect, it } from 'vitest';
import { unwrap, type ActionPage, type ActionQueryInput, type ActionRecord, type Result } from 'actioncenter';
import { asId, referenceQuery, resolveQuery, type QueryError } from 'actioncenter/adapter-kit';
import {
  SCHEMA_VERSION,
  createPostgresRepository,
  migrate,
  schemaVersion,
  type PGliteLike,
  type PostgresClient,
} from 'actioncenter/postgres';
import {
  action,
  asPlainConnection,
  batch,
  conflictOf,
  create,
  event,
  freshRepository,
  freshSchema,
  sharedPGlite,
  T0,
  update,
  usePGlite,
} from './postgres-fixtures.js';

const NOW = T0 + 365 * 24 * 60 * 60 * 1000;
const query = (input: ActionQueryInput) => unwrap(resolveQuery(input, NOW));

usePGlite();

describe('migrate', () => {
  it('creates the versioned tables; running it again (even concurrently) changes nothing', async () => {
    const db = sharedPGlite();
    const schema = freshSchema();
    expect(unwrap(await schemaVersion(db, { schema }))).toBe(0);
    const first = unwrap(await migrate(db, { schema }));
    expect(first).toEqual({
      schema,
      from: 0,
      to: SCHEMA_VERSION,
      applied: Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    });
    const again = await Promise.all([migrate(db, { schema }), migrate(db, { schema })]);
    for (const r of again) expect(unwrap(r)).toEqual({ schema, from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    expect(unwrap(await schemaVersion(db, { schema }))).toBe(SCHEMA_VERSION);
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'actioncenter_actions',
      'actioncenter_audit_events',
      'actioncenter_change_counter',
      'actioncenter_idempotency_keys',
      'actioncenter_schema_version',
    ]);
    const versions = await db.query<{ version: number }>(`SELECT version FROM "${schema}".actioncenter_schema_version`);
    expect(versions.rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
  });

  it('creates the indexes of the Pending and History views and the open-key unique index', async () => {
    const db = sharedPGlite();
    const schema = freshSchema();
    unwrap(await migrate(db, { schema }));
    const indexes = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1`,
      [schema],
    );
    const byName = new Map(indexes.rows.map((r) => [r.indexname, r.indexdef]));
    expect(byName.get('actioncenter_actions_status_created')).toContain('(status, created_at)');
    // Dropped by migration 4: the Pending view filters the type on (status, created_at).
    expect(byName.has('actioncenter_actions_status_type_created')).toBe(false);
    expect(byName.get('actioncenter_actions_created')).toContain('(created_at)');
    expect(byName.get('actioncenter_actions_open_key')).toMatch(
      /CREATE UNIQUE INDEX .* \(.*actioncenter_open_key_hash\(open_key\)\) WHERE \(\(open_key IS NOT NULL\) AND \(status = ANY/,
    );
  });

  it('refuses a database at a newer schema version, and the repository refuses an unmigrated or outdated one', async () => {
    const db = sharedPGlite();
    const schema = freshSchema();
    const unmigrated = createPostgresRepository({ client: db, schema });
    const missing = await unmigrated.get(asId('a'));
    expect(!missing.ok && missing.error).toMatchObject({
      code: 'repositoryUnavailable',
      message: expect.stringContaining('run migrate(client) first'),
    });
    unwrap(await migrate(db, { schema }));
    expect((await unmigrated.get(asId('a'))).ok).toBe(true);
    await db.query(
      `INSERT INTO "${schema}".actioncenter_schema_version (version, description) VALUES (99, 'from the future')`,
    );
    const newer = await migrate(db, { schema });
    expect(!newer.ok && newer.error.message).toContain('newer than this release');
    const fresh = createPostgresRepository({ client: db, schema });
    const refused = await fresh.query(query({}));
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'repositoryUnavailable',
      message: expect.stringContaining('upgrade actioncenter'),
    });
  });

  it('refuses schema names that are not plain identifiers, without touching the database', async () => {
    const r = await migrate(sharedPGlite(), { schema: 'x"; DROP TABLE y; --' });
    expect(!r.ok && r.error.code).toBe('repositoryUnavailable');
    expect(() => createPostgresRepository({ client: sharedPGlite(), schema: '1abc' })).toThrow(/Invalid schema name/);
    expect(() => createPostgresRepository({ client: {} as PostgresClient })).toThrow(/query/);
  });
});

describe('commit: one transaction, version-checked, every offending action named', () => {
  it('stores actions and events; an update bumps the version; the trail is in sequence order', async () => {
    const repo = await freshRepository();
    const a = action('a');
    unwrap(await repo.commit(batch([create(a)], [event('a', 1)])));
    const approved = update(a, { status: 'approved' });
    unwrap(await repo.commit(batch([approved], [event('a', 2, 'approved')])));
    expect(unwrap(await repo.get(asId('a')))).toEqual(approved.action);
    unwrap(await repo.commit(batch([], [event('a', 4, 'succeeded'), event('a', 3, 'running')])));
    expect(unwrap(await repo.auditTrail(asId('a'))).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('a batch with one stale write stores nothing: neither the other writes nor any event', async () => {
    const repo = await freshRepository();
    const a = action('a');
    const b = action('b');
    unwrap(await repo.commit(batch([create(a), create(b)], [event('a', 1), event('b', 1)])));
    unwrap(await repo.commit(batch([update(a, { status: 'approved' })], [event('a', 2)])));
    const r = await repo.commit(
      batch(
        [update(b, { status: 'approved' }), update(a, { status: 'rejected' }), create(action('c'))],
        [event('b', 2), event('a', 2), event('c', 1)],
      ),
    );
    expect(conflictOf(r)).toMatchObject({ reason: 'staleVersion', actionIds: ['a'] });
    expect(unwrap(await repo.get(asId('b')))?.version).toBe(1);
    expect(unwrap(await repo.get(asId('c')))).toBeNull();
    expect(unwrap(await repo.auditTrail(asId('b')))).toHaveLength(1);
  });

  it('the conflict names every offending action, not only the first the database would meet', async () => {
    const repo = await freshRepository();
    const [a, b, c] = [action('a'), action('b'), action('c')];
    unwrap(await repo.commit(batch([create(a), create(b), create(c)])));
    const r = await repo.commit(batch([update(a, {}, 7), update(b, {}), update(c, {}, 0)]));
    expect(conflictOf(r)).toMatchObject({ reason: 'staleVersion', actionIds: ['a', 'c'] });
    expect(conflictOf(r).message).toContain('a is at version 1, not 7');
  });

  it('an update must write version expectedVersion + 1; updating an action that is not stored is stale', async () => {
    const repo = await freshRepository();
    const a = action('a');
    unwrap(await repo.commit(batch([create(a)])));
    expect(conflictOf(await repo.commit(batch([{ action: { ...a, version: 3 }, expectedVersion: 1 }])))).toMatchObject({
      reason: 'staleVersion',
      actionIds: ['a'],
    });
    expect(conflictOf(await repo.commit(batch([update(action('ghost'), {})])))).toMatchObject({
      reason: 'staleVersion',
      actionIds: ['ghost'],
    });
  });

  it('creating an existing id is alreadyExists; the same action twice in one batch is refused', async () => {
    const repo = await freshRepository();
    unwrap(await repo.commit(batch([create(action('a'))])));
    const r = await repo.commit(batch([create(action('b')), create(action('a', { status: 'approved' }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'alreadyExists', actionIds: ['a'] });
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
    expect(conflictOf(await repo.commit(batch([create(action('x')), create(action('x'))])))).toMatchObject({
      reason: 'alreadyExists',
      actionIds: ['x'],
    });
    const a = unwrap(await repo.get(asId('a'))) as ActionRecord;
    const twice = await repo.commit(batch([update(a, { status: 'approved' }), update(a, { status: 'rejected' })]));
    expect(conflictOf(twice)).toMatchObject({ reason: 'staleVersion', actionIds: ['a'] });
  });

  it('an open key held by an open action is refused, and free again once that action closes', async () => {
    const repo = await freshRepository();
    const a = action('a', { openKey: 'quarantineFile\u0000{"deviceId":"dev-1"}' });
    unwrap(await repo.commit(batch([create(a)])));
    const r = await repo.commit(batch([create(action('b', { openKey: a.openKey }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
    expect(conflictOf(r).message).toContain('is held by a');
    expect(unwrap(await repo.findOpen(a.openKey as string))?.id).toBe('a');
    unwrap(await repo.commit(batch([update(a, { status: 'rejected', openKey: null })])));
    expect(unwrap(await repo.findOpen(a.openKey as string))).toBeNull();
    unwrap(await repo.commit(batch([create(action('b', { openKey: a.openKey }))])));
    expect(unwrap(await repo.findOpen(a.openKey as string))?.id).toBe('b');
  });

  it('a closed action does not hold its open key, even if the record still carries it', async () => {
    const repo = await freshRepository();
    unwrap(await repo.commit(batch([create(action('a', { status: 'succeeded', openKey: 'k' }))])));
    expect(unwrap(await repo.findOpen('k'))).toBeNull();
    unwrap(await repo.commit(batch([create(action('b', { openKey: 'k' }))])));
    expect(unwrap(await repo.get(asId('a')))?.openKey).toBe('k');
  });

  it('two creates in one batch with the same open key are refused, naming the second', async () => {
    const repo = await freshRepository();
    const r = await repo.commit(batch([create(action('a', { openKey: 'k' })), create(action('b', { openKey: 'k' }))]));
    expect(conflictOf(r)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
  });

  it('an open key can pass from a closing action to a new one, and two open actions can swap keys, in one batch', async () => {
    const repo = await freshRepository();
    const a = action('a', { openKey: 'k' });
    const c = action('c', { openKey: 'k2' });
    unwrap(await repo.commit(batch([create(a), create(c)])));
    unwrap(
      await repo.commit(
        batch([create(action('b', { openKey: 'k' })), update(a, { status: 'cancelled', openKey: null })]),
      ),
    );
    expect(unwrap(await repo.findOpen('k'))?.id).toBe('b');
    const b = unwrap(await repo.get(asId('b'))) as ActionRecord;
    // The unique index is checked row by row: the commit takes both keys from their holders first.
    unwrap(await repo.commit(batch([update(b, { openKey: 'k2' }), update(c, { openKey: 'k' })])));
    expect(unwrap(await repo.findOpen('k'))?.id).toBe('c');
    expect(unwrap(await repo.findOpen('k2'))?.id).toBe('b');
  });

  it('an idempotency key can be claimed once, and outranks other reasons', async () => {
    const repo = await freshRepository();
    unwrap(
      await repo.commit(
        batch([create(action('a', { openKey: 'k' }))], [event('a', 1)], { key: 'req-1', actionIds: [asId('a')] }),
      ),
    );
    expect(unwrap(await repo.findByIdempotencyKey('req-1'))).toEqual(['a']);
    expect(unwrap(await repo.findByIdempotencyKey('req-2'))).toBeNull();
    const r = await repo.commit(
      batch([create(action('b', { openKey: 'k' }))], [event('b', 1)], { key: 'req-1', actionIds: [asId('b')] }),
    );
    expect(conflictOf(r)).toMatchObject({ reason: 'idempotencyKeyTaken', actionIds: ['b'] });
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
  });

  it('events must belong to an action of the batch or the store, with a sequence and an id not yet written', async () => {
    const repo = await freshRepository();
    unwrap(await repo.commit(batch([create(action('a'))], [event('a', 1)])));
    const orphan = await repo.commit(batch([create(action('b'))], [event('b', 1), event('nobody', 1)]));
    expect(conflictOf(orphan)).toMatchObject({ reason: 'staleVersion', actionIds: ['nobody'] });
    expect(unwrap(await repo.get(asId('b')))).toBeNull();
    expect(conflictOf(await repo.commit(batch([], [event('a', 1)])))).toMatchObject({
      reason: 'staleVersion',
      actionIds: ['a'],
    });
    // Audit event ids are unique across the store (a stricter rule than the memory repository's).
    const reused = await repo.commit(batch([create(action('c'))], [{ ...event('c', 1), id: asId('a-e1') }]));
    expect(conflictOf(reused)).toMatchObject({ reason: 'alreadyExists', actionIds: ['c'] });
  });

  it('a large batch is one transaction: 2,000 creates and their events in one commit', async () => {
    const repo = await freshRepository();
    const actions = Array.from({ length: 2000 }, (_, i) => action(`bulk-${i}`, { createdAt: T0 + i }));
    unwrap(
      await repo.commit(
        batch(
          actions.map(create),
          actions.map((a) => event(a.id, 1)),
        ),
      ),
    );
    const page = unwrap(
      await repo.query(query({ page: { size: 3 }, sort: { column: 'createdAt', direction: 'desc' } })),
    );
    expect(page.total).toBe(2000);
    expect(page.items.map((a) => a.id)).toEqual(['bulk-1999', 'bulk-1998', 'bulk-1997']);
    const approved = actions.map((a) => update(a, { status: 'approved' }));
    const stale = { ...approved[1234]!, expectedVersion: 5 };
    const refused = await repo.commit(batch([...approved.slice(0, 1234), stale, ...approved.slice(1235)]));
    expect(conflictOf(refused).actionIds).toEqual(['bulk-1234']);
    expect(unwrap(await repo.query(query({ filter: { status: ['approved'] } }))).total).toBe(0);
  });
});

describe('one connection used in turns (a pg.Client, here PGlite seen as a plain connection)', () => {
  it('concurrent commits and reads on one connection never interleave: every commit is whole', async () => {
    const db = sharedPGlite();
    const repo = await freshRepository(asPlainConnection(db));
    const creates = Array.from({ length: 20 }, (_, i) =>
      repo.commit(batch([create(action(`c${i}`, { openKey: `k${i % 5}` }))], [event(`c${i}`, 1)])),
    );
    const reads = Array.from({ length: 20 }, () => repo.query(query({})));
    const results = await Promise.all([...creates, ...reads]);
    const committed = results.slice(0, 20).filter((r) => r.ok).length;
    // Five open keys: five creates win, fifteen are refused (openKeyTaken), none half-written.
    expect(committed).toBe(5);
    for (const r of results.slice(0, 20)) if (!r.ok) expect(conflictOf(r).reason).toBe('openKeyTaken');
    for (const r of results.slice(20)) expect(r.ok).toBe(true);
    const stored = unwrap(await repo.query(query({ page: { size: 100 } }))).items;
    expect(stored).toHaveLength(5);
    for (const a of stored) expect(unwrap(await repo.auditTrail(a.id))).toHaveLength(1);
  });
});

describe('reads', () => {
  it('getMany keeps the order of the ids and leaves out missing ones', async () => {
    const repo = await freshRepository();
    unwrap(await repo.commit(batch([create(action('a')), create(action('b')), create(action('c'))])));
    expect(unwrap(await repo.getMany([asId('c'), asId('x'), asId('a'), asId('b')])).map((a) => a.id)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(unwrap(await repo.getMany([]))).toEqual([]);
  });

  it('records returned are copies: changing one changes nothing stored', async () => {
    const repo = await freshRepository();
    unwrap(await repo.commit(batch([create(action('a'))])));
    const got = unwrap(await repo.get(asId('a'))) as ActionRecord & { status: string };
    got.status = 'succeeded';
    (got.target as { deviceName: string }).deviceName = 'changed';
    expect(unwrap(await repo.get(asId('a')))).toEqual(action('a'));
  });

  it('any JavaScript text round-trips exactly: NUL, U+0001, lone surrogates, astral and private-use characters', async () => {
    const repo = await freshRepository();
    const names = ['a\u0000b', '\u0001', '\uD800', 'x\uDFFFy', '\u{1F600}', '\uE000', '\uFFFF', 'plain'];
    const actions = names.map((name, i) =>
      action(`${name.replace(/[\u0000\u0001]/g, 'c')}-${i}`, {
        target: { kind: 'device', deviceId: `d${i}`, deviceName: name, deviceGroup: asId('Workstations') },
        openKey: `k\u0000${name}`,
        parameters: { [name]: name },
      }),
    );
    unwrap(
      await repo.commit(
        batch(
          actions.map(create),
          actions.map((a) => ({
            ...event(a.id, 1),
            details: { asset: a.target.kind === 'device' ? a.target.deviceName : '' },
          })),
        ),
      ),
    );
    for (const a of actions) {
      expect(unwrap(await repo.get(a.id))).toEqual(a);
      expect(unwrap(await repo.findOpen(a.openKey as string))?.id).toBe(a.id);
      expect(unwrap(await repo.auditTrail(a.id))[0]?.details).toEqual({
        asset: a.target.kind === 'device' ? a.target.deviceName : '',
      });
    }
    // Sorted and filtered by the Asset column exactly as the reference does (UTF-16 code units).
    for (const direction of ['asc', 'desc'] as const) {
      const q = query({ sort: { column: 'asset', direction }, page: { size: 3 } });
      let cursor: string | null = null;
      const seen: string[] = [];
      do {
        const page: ActionPage = unwrap(await repo.query({ ...q, page: { ...q.page, cursor } }));
        expect(page).toEqual(referenceQuery(actions, { ...q, page: { ...q.page, cursor } }));
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(actions.length);
    }
    const byAsset = query({ filter: { asset: ['\u{1F600}', '\uD800', 'a\u0000b'] } });
    expect(unwrap(await repo.query(byAsset))).toEqual(referenceQuery(actions, byAsset));
  });
});

describe('queries run in SQL', () => {
  it('a page reads the page (plus one row), never the whole table', async () => {
    const db = sharedPGlite();
    const rowsRead: number[] = [];
    const counting: PGliteLike = {
      query: async (text, params) => {
        const r = await db.query<Record<string, unknown>>(text, params);
        rowsRead.push(r.rows.length);
        return r;
      },
      transaction: (fn) => db.transaction((tx) => fn(tx)),
    };
    const repo = await freshRepository(counting);
    const actions = Array.from({ length: 500 }, (_, i) =>
      action(`r${String(i).padStart(3, '0')}`, {
        createdAt: T0 + (i % 50),
        status: i % 3 === 0 ? 'pending' : 'succeeded',
      }),
    );
    unwrap(await repo.commit(batch(actions.map(create))));
    rowsRead.length = 0;
    const q = query({
      filter: { view: 'history' },
      sort: { column: 'createdAt', direction: 'desc' },
      page: { size: 10, index: 7 },
    });
    const page = unwrap(await repo.query(q));
    expect(page).toEqual(referenceQuery(actions, q));
    expect(Math.max(...rowsRead)).toBeLessThanOrEqual(11);
  });

  it('values are parameters, never SQL text', async () => {
    const repo = await freshRepository();
    const hostile = "x'); DROP TABLE actioncenter_actions; --";
    unwrap(
      await repo.commit(
        batch([
          create(
            action('a', {
              target: { kind: 'device', deviceId: 'd', deviceName: hostile, deviceGroup: asId('Workstations') },
            }),
          ),
        ]),
      ),
    );
    const q = query({ filter: { asset: [hostile] } });
    const statement = repo.statementOf(q);
    expect(statement.text).not.toContain('DROP');
    expect(statement.params).toContain(hostile);
    expect(unwrap(await repo.query(q)).items.map((a) => a.id)).toEqual(['a']);
  });

  it('explain shows the plan PostgreSQL chooses for the Pending view', async () => {
    const repo = await freshRepository();
    const plan = unwrap(await repo.explain(query({ filter: { view: 'pending' } })));
    expect(plan.join('\n')).toMatch(/Limit/);
  });
});

describe('bad rows are typed errors when read, not crashes', () => {
  async function seeded() {
    const db = sharedPGlite();
    const schema = freshSchema();
    const repo = await freshRepository(db, schema);
    unwrap(
      await repo.commit(
        batch(
          [create(action('good')), create(action('bad', { createdAt: T0 + 1 }))],
          [event('good', 1), event('bad', 1)],
          { key: 'req', actionIds: [asId('good')] },
        ),
      ),
    );
    return {
      db,
      repo,
      t: `"${schema}".actioncenter_actions`,
      e: `"${schema}".actioncenter_audit_events`,
      k: `"${schema}".actioncenter_idempotency_keys`,
    };
  }
  const corrupt = (r: Result<unknown, QueryError>) => {
    if (r.ok || r.error.code !== 'corruptRecord') throw new Error(`expected corruptRecord, got ${JSON.stringify(r)}`);
    return r.error;
  };

  it('a record edited into an invalid state: get and getMany report corruptRecord naming the action; a page leaves it out and names it in skipped', async () => {
    const { db, repo, t } = await seeded();
    await db.query(`UPDATE ${t} SET record = jsonb_set(record, '{status}', '"exploded"') WHERE id = 'bad'`);
    expect(corrupt(await repo.get(asId('bad')))).toMatchObject({
      actionId: 'bad',
      issues: [expect.objectContaining({ path: ['status'] })],
    });
    expect(corrupt(await repo.getMany([asId('good'), asId('bad')])).actionId).toBe('bad');
    // One unreadable row does not fail the page (issue 11, item 10): the rest is served.
    const page = unwrap(await repo.query(query({})));
    expect(page.items.map((a) => a.id)).not.toContain('bad');
    expect(page.skipped).toEqual([
      expect.objectContaining({
        code: 'corruptRecord',
        actionId: 'bad',
        issues: [expect.objectContaining({ path: ['status'] })],
      }),
    ]);
    expect(unwrap(await repo.get(asId('good')))?.id).toBe('good');
    // A page without the bad row is served.
    expect(unwrap(await repo.query(query({ filter: { ids: ['good'] } }))).items).toHaveLength(1);
  });

  it('a typed column edited by hand so that it disagrees with the record is reported, not served', async () => {
    const { db, repo, t } = await seeded();
    await db.query(`UPDATE ${t} SET status = 'succeeded' WHERE id = 'bad'`);
    const error = corrupt(await repo.get(asId('bad')));
    expect(error.issues[0]).toMatchObject({ path: ['status'], code: 'column_mismatch' });
    expect(error.message).toContain('column status holds "succeeded"');
  });

  it('a record that is not an object, a missing record, and broken JSON text are reported', async () => {
    const { db, repo, t } = await seeded();
    await db.query(`UPDATE ${t} SET record = '[1, 2]' WHERE id = 'bad'`);
    expect(corrupt(await repo.get(asId('bad'))).actionId).toBe('bad');
    await db.query(`UPDATE ${t} SET record = NULL, record_text = '{not json' WHERE id = 'bad'`);
    expect(corrupt(await repo.get(asId('bad'))).issues[0]?.code).toBe('invalid_json');
  });

  it('a bad audit event and a bad idempotency row are reported', async () => {
    const { db, repo, e, k } = await seeded();
    // Audit rows are append-only (schema version 7): the owner disables the trigger to spoil one.
    await db.query(`ALTER TABLE ${e} DISABLE TRIGGER actioncenter_audit_events_append_only`);
    await db.query(`UPDATE ${e} SET event = jsonb_set(event, '{type}', '"teleport"') WHERE action_id = 'bad'`);
    expect(corrupt(await repo.auditTrail(asId('bad')))).toMatchObject({
      actionId: 'bad',
      issues: [expect.objectContaining({ path: ['type'] })],
    });
    expect(unwrap(await repo.auditTrail(asId('good')))).toHaveLength(1);
    await db.query(`UPDATE ${k} SET action_ids = '{"not": "a list"}'`);
    expect(corrupt(await repo.findByIdempotencyKey('req')).actionId).toBe('req');
  });
});

describe('connection failures are values, never exceptions', () => {
  it('every method returns repositoryUnavailable when the client fails', async () => {
    const failing: PostgresClient = {
      query: () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    };
    const repo = createPostgresRepository({ client: failing });
    const results = await Promise.all([
      repo.get(asId('a')),
      repo.getMany([asId('a')]),
      repo.query(query({})),
      repo.findOpen('k'),
      repo.findByIdempotencyKey('k'),
      repo.auditTrail(asId('a')),
      repo.commit(batch([create(action('a'))])),
      repo.explain(query({})),
    ]);
    for (const r of results)
      expect(!r.ok && r.error).toMatchObject({
        code: 'repositoryUnavailable',
        message: expect.stringContaining('ECONNREFUSED'),
      });
    expect(unwrap(await repo.getMany([]))).toEqual([]);
    const m = await migrate(failing);
    expect(!m.ok && m.error.code).toBe('repositoryUnavailable');
  });

  it('a failure in the middle of a commit rolls it back and is reported', async () => {
    // The file's PGlite, in a schema of its own: a second PGlite would start up inside this test.
    const db = sharedPGlite();
    const schema = freshSchema();
    try {
      unwrap(await migrate(db, { schema }));
      let failNext = false;
      const flaky: PostgresClient = {
        query: async (text: string, params?: unknown[]) => {
          if (failNext && text.trimStart().startsWith('WITH created'))
            throw new Error('server closed the connection unexpectedly');
          return db.query<Record<string, unknown>>(text, params);
        },
      };
      const repo = createPostgresRepository({ client: flaky, schema });
      unwrap(await repo.commit(batch([create(action('a'))])));
      failNext = true;
      const r = await repo.commit(batch([create(action('b'))], [event('b', 1)]));
      expect(!r.ok && r.error).toMatchObject({
        code: 'repositoryUnavailable',
        message: expect.stringContaining('closed the connection'),
      });
      failNext = false;
      expect(unwrap(await repo.get(asId('b')))).toBeNull();
      unwrap(await repo.commit(batch([create(action('b'))])));
    } finally {
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });
});
