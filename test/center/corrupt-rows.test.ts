/**
 * One unreadable row must not stop everything (issue 11, item 10). A stored action that does not
 * parse (edited by hand, written by a buggy version) used to fail the whole `run()` tick, every list
 * and export page that held it, with no way to page past it, and `exportCsv` threw from its iterator
 * after the header. Now: the sweeps skip it and name it in `RunReport.corrupt`, pages leave it out and
 * name it in `ActionPage.skipped` (the cursor goes past it), and exports report through `completion`.
 *
 * PostgreSQL (PGlite, and the real server with DATABASE_URL) corrupts a row with SQL; the memory
 * store cannot hold an unreadable record, so it is tested through a wrapper that reports chosen
 * records as unreadable, as a store that found them so would.
 */
import pg from 'pg';
import { afterAll, describe, expect, it, test } from 'vitest';
import {
  collectCsv,
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionId,
  type ActionRepository,
  type BuiltInRequestInput,
  type PrincipalInput,
} from 'actioncenter';
import { asId, type CorruptRecordError } from 'actioncenter/adapter-kit';
import { REPOSITORY_CONTRACT_GROUPS, repositoryContract } from 'actioncenter/testing';
import { createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  action,
  batch,
  create,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from '../adapters/postgres-fixtures.js';

warnWhenNoServer('corrupt-rows.test.ts');

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
const admin: PrincipalInput = {
  id: 'secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

function quarantine(device: string): BuiltInRequestInput {
  return {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: `dev-${device}`,
      deviceName: device,
      deviceGroup: 'Workstations',
      path: 'C:\\Users\\alex\\invoice.exe',
      sha1: 'ab'.repeat(20),
    },
    source: 'automatedDeviceAction',
    verdict: 'suspicious',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
  };
}

interface Store {
  readonly repository: ActionRepository;
  /** Makes the stored action unreadable. */
  corrupt(id: string): Promise<void>;
}

/** Memory: a wrapper that reports the chosen actions as unreadable, as a store finding them so would. */
function memoryStore(): Store {
  const inner = createMemoryRepository();
  const bad = new Set<string>();
  const corruptError = (id: string): CorruptRecordError => ({
    code: 'corruptRecord',
    message: `action ${id} is unreadable`,
    actionId: id,
    issues: [],
  });
  const repository: ActionRepository = {
    ...inner,
    async get(id) {
      return bad.has(id) ? { ok: false, error: corruptError(id) } : inner.get(id);
    },
    async query(q) {
      const page = await inner.query(q);
      if (!page.ok) return page;
      const skipped = page.value.items.filter((a) => bad.has(a.id)).map((a) => corruptError(a.id));
      return {
        ok: true,
        value: {
          ...page.value,
          items: page.value.items.filter((a) => !bad.has(a.id)),
          ...(skipped.length > 0 ? { skipped } : {}),
        },
      };
    },
    async due(q) {
      const page = await inner.due(q);
      if (!page.ok) return page;
      const skipped = page.value.items.filter((a) => bad.has(a.id)).map((a) => corruptError(a.id));
      const items = page.value.items.filter((a) => !bad.has(a.id));
      return { ok: true, value: { ...page.value, items, ...(skipped.length > 0 ? { skipped } : {}) } };
    },
  };
  return {
    repository,
    async corrupt(id) {
      bad.add(id);
    },
  };
}

async function postgresStore(client: PostgresClient, schemas: string[]): Promise<Store> {
  const schema = freshSchema('ac_corrupt');
  schemas.push(schema);
  const migrated = await migrate(client, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  return {
    repository: createPostgresRepository({ client, schema }),
    async corrupt(id) {
      // A record a buggy version might have written: a status no release knows.
      await client.query(
        `UPDATE "${schema}".actioncenter_actions SET record = jsonb_set(record, '{status}', '"bogus"') WHERE id = $1`,
        [id],
      );
    },
  };
}

/** Four pending actions; the last two approved. Returns their ids. */
async function scenario(store: Store) {
  const clock = manualClock(T0);
  const center = createActionCenter({ repository: store.repository, clock, idGenerator: sequentialIdGenerator() });
  const ids: ActionId[] = [];
  for (const device of ['A', 'B', 'C', 'D']) {
    const r = await center.submit({ request: quarantine(device) });
    if (!r.ok) throw new Error(r.error.message);
    ids.push(r.value.action.id);
  }
  const [p1, p2, a1, a2] = ids as [ActionId, ActionId, ActionId, ActionId];
  const approved = await center.approve({ principal: admin, ids: [a1, a2] });
  expect(approved.ok ? approved.value.counts.applied : approved.error).toBe(2);
  return { center, clock, ids, p1, p2, a1, a2 };
}

function suite(name: string, store: () => Promise<Store>) {
  describe(name, () => {
    it(
      'regression: one unreadable row failed the whole run() tick (no expiry, no execution for any action)',
      { timeout: 120_000 },
      async () => {
        const s = await store();
        const { center, clock, p1, p2, a1, a2 } = await scenario(s);
        await s.corrupt(p1);
        await s.corrupt(a1);
        clock.advance(8 * DAY); // past the pending expiry
        const report = await center.run();
        expect(report.ok ? 'ok' : report.error).toBe('ok');
        if (!report.ok) return;
        expect(report.value.corrupt.map((c) => [c.code, c.actionId]).sort()).toEqual(
          [
            ['corruptRecord', p1],
            ['corruptRecord', a1],
          ].sort(),
        );
        expect(report.value).toMatchObject({ expired: 1, started: 1, succeeded: 1 });
        const after = await center.get({ principal: admin, id: p2 });
        expect(after.ok ? after.value.status : after.error).toBe('expired');
        const ran = await center.get({ principal: admin, id: a2 });
        expect(ran.ok ? ran.value.status : ran.error).toBe('succeeded');
        // The unreadable ones stay as they are, and say so when read alone.
        const bad = await center.get({ principal: admin, id: a1 });
        expect(bad.ok ? 'ok' : [bad.error.code, 'actionId' in bad.error ? bad.error.actionId : null]).toEqual([
          'corruptRecord',
          a1,
        ]);
      },
    );

    it(
      'regression: a list page holding an unreadable row failed, with no way to page past it',
      { timeout: 120_000 },
      async () => {
        const s = await store();
        const { center, ids, p2, a2 } = await scenario(s);
        await s.corrupt(p2); // second of four: alone on its page with a page size of 1
        await s.corrupt(ids[3] as string); // the last
        const seen: string[] = [];
        const skipped: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 10; pages++) {
          const page = await center.list({
            principal: admin,
            query: {
              sort: { column: 'createdAt', direction: 'asc' },
              page: { size: 1, ...(cursor === null ? {} : { cursor }) },
            },
          });
          expect(page.ok ? 'ok' : page.error).toBe('ok');
          if (!page.ok) return;
          expect(page.value.total).toBe(4);
          seen.push(...page.value.items.map((a) => a.id));
          skipped.push(...(page.value.skipped ?? []).map((e) => e.actionId));
          cursor = page.value.nextCursor;
          if (cursor === null) break;
        }
        expect(seen).toEqual([ids[0], ids[2]]);
        expect(skipped).toEqual([p2, a2]);
      },
    );

    it(
      'regression: exportCsv returned ok and then threw from its iterator; unreadable rows are left out and named in completion',
      { timeout: 120_000 },
      async () => {
        const s = await store();
        const { center, ids, p1 } = await scenario(s);
        await s.corrupt(p1);
        const exported = await center.exportCsv({ principal: admin, columns: ['id'] });
        expect(exported.ok ? 'ok' : exported.error).toBe('ok');
        if (!exported.ok) return;
        const csv = await collectCsv(exported.value);
        expect(
          csv
            .split('\r\n')
            .filter((l) => l !== '')
            .sort(),
        ).toEqual(['Action ID', ...ids.filter((id) => id !== p1)].sort());
        const done = await exported.value.completion;
        expect(
          done.ok ? { rows: done.value.rows, skipped: done.value.skipped.map((e) => e.actionId) } : done.error,
        ).toEqual({ rows: 3, skipped: [p1] });
      },
    );
  });
}

suite('memory (through a wrapper reporting unreadable records)', async () => memoryStore());

/** The repository contract's corruptRows group alone, on a store with a way to corrupt a row. */
function corruptRowsContract(name: string, store: () => Promise<Store>) {
  const stores = new Map<ActionRepository, Store>();
  repositoryContract({
    test,
    expect,
    name,
    timeout: 120_000,
    skip: REPOSITORY_CONTRACT_GROUPS.filter((g) => g !== 'corruptRows'),
    factory: async () => {
      const s = await store();
      stores.set(s.repository, s);
      return s.repository;
    },
    corrupt: async (repository, id) => stores.get(repository)?.corrupt(id),
  });
}

// The memory store itself: it can hold no unreadable record, and reports none.
repositoryContract({
  test,
  expect,
  name: 'memory contract',
  timeout: 60_000,
  skip: REPOSITORY_CONTRACT_GROUPS.filter((g) => g !== 'corruptRows'),
  factory: () => createMemoryRepository(),
});
corruptRowsContract('memory wrapper contract', async () => memoryStore());

const pgliteSchemas: string[] = [];
// PGlite starts once, in a hook with its own time limit, and closes after the schemas are dropped.
usePGlite();
afterAll(async () => {
  for (const schema of pgliteSchemas) await sharedPGlite().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}, 60_000);
suite('PGlite', () => postgresStore(sharedPGlite(), pgliteSchemas));
corruptRowsContract('PGlite contract', () => postgresStore(sharedPGlite(), pgliteSchemas));

describe('exportCsv reports a store failure through completion, not by throwing', () => {
  it('regression: the iterator threw after the header when a page failed', { timeout: 60_000 }, async () => {
    const inner = createMemoryRepository();
    const failing: ActionRepository = {
      ...inner,
      query: async () => ({ ok: false, error: { code: 'repositoryUnavailable', message: 'connection lost' } }),
    };
    const center = createActionCenter({ repository: failing });
    const exported = await center.exportCsv({ principal: admin, columns: ['id'] });
    if (!exported.ok) throw new Error(exported.error.message);
    const csv = await collectCsv(exported.value); // does not throw
    expect(csv).toBe('Action ID\r\n');
    const done = await exported.value.completion;
    expect(done.ok ? 'ok' : done.error).toEqual({ code: 'repositoryUnavailable', message: 'connection lost' });
  });
});

describe('a PostgreSQL commit refuses a record its reads would refuse', () => {
  it(
    'regression: an adapter stored what it could not read back (corruptRecord on commit, nothing written)',
    { timeout: 60_000 },
    async () => {
      const s = await postgresStore(sharedPGlite(), pgliteSchemas);
      const bad = action('act-bad', { status: 'bogus' as never });
      const r = await s.repository.commit(batch([create(bad), create(action('act-good'))]));
      expect(r.ok ? 'ok' : [r.error.code, 'actionId' in r.error ? r.error.actionId : null]).toEqual([
        'corruptRecord',
        'act-bad',
      ]);
      expect(await s.repository.getMany([asId('act-bad'), asId('act-good')])).toEqual({ ok: true, value: [] });
    },
  );
});

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  suite('server', () => postgresStore(pool, schemas));
  corruptRowsContract('server contract', () => postgresStore(pool, schemas));
});
