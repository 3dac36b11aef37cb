/**
 * The change feed on a real PostgreSQL server (DATABASE_URL; .ci/run starts PostgreSQL 15 and sets
 * it), issue 15: two application instances (each on its own pool) on one database, where instance A
 * follows (feed + LISTEN/NOTIFY) every change instance B makes; committers on several connections
 * at once, read by a reader that follows them meanwhile (positions in commit order: it misses
 * nothing); and commits that fail take no position and notify nothing. Skipped without DATABASE_URL.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActionCenter,
  manualClock,
  randomIdGenerator,
  unwrap,
  type ActionCenter,
  type AuditEvent,
  type ChangeEntry,
} from 'actioncenter';
import { createPostgresRepository, followChanges, migrate, type PostgresRepository } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  T0,
  action,
  batch,
  create,
  event,
  freshSchema,
  update,
  warnWhenNoServer,
} from './postgres-fixtures.js';
import { people, quarantine } from '../center/fixtures.js';

warnWhenNoServer('changes.server.test.ts');

const TIMEOUT = 300_000;

// The engine tests' principal and request (seed 002's Security Administrator, an automated quarantine).
const alice = people.secAdmin;

/** Reads the whole feed in pages of `limit`. */
async function wholeFeed(repo: PostgresRepository, limit = 1_000): Promise<ChangeEntry[]> {
  const all: ChangeEntry[] = [];
  let after: number | null = null;
  for (;;) {
    const r = await repo.changes({ after, limit });
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.entries.length === 0) return all;
    all.push(...r.value.entries);
    after = r.value.next;
  }
}

/** The feed holds every event of these trails once, positions 1..n without a gap, each action's events in sequence order. */
function expectFeedOfTrails(feed: readonly ChangeEntry[], trails: ReadonlyMap<string, readonly AuditEvent[]>): void {
  const total = [...trails.values()].reduce((n, t) => n + t.length, 0);
  expect(feed.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  expect(new Set(feed.map((e) => e.event.id)).size).toBe(total);
  for (const [id, trail] of trails)
    expect(feed.filter((e) => e.event.actionId === id).map((e) => e.event)).toEqual(trail);
}

describe.runIf(DATABASE_URL !== undefined)('change feed on the PostgreSQL server (DATABASE_URL)', () => {
  let admin: pg.Pool;
  const pools: pg.Pool[] = [];
  const schemas: string[] = [];
  const newPool = (max = 4) => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max });
    pools.push(pool);
    return pool;
  };
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }, TIMEOUT);

  async function database(): Promise<string> {
    const schema = freshSchema('ac_feed');
    schemas.push(schema);
    unwrap(await migrate(admin, { schema }));
    return schema;
  }

  it(
    'a center on instance A hears, through the feed and LISTEN/NOTIFY, every change instance B makes, in order',
    async () => {
      const schema = await database();
      const poolA = newPool();
      const repoA = createPostgresRepository({ client: poolA, schema });
      const poolB = newPool();
      const repoB = createPostgresRepository({ client: poolB, schema });
      // Typed as the port's ActionCenter, as an application holds it (requests of any registered type).
      const centerB: ActionCenter = createActionCenter({
        repository: repoB,
        clock: manualClock(T0),
        idGenerator: randomIdGenerator,
      });
      const heard: ChangeEntry[] = [];
      let wanted = Number.POSITIVE_INFINITY;
      let reached: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (reached = resolve));
      const follower = await followChanges(poolA, {
        schema,
        repository: repoA,
        after: null,
        limit: 7,
        onPage: (page) => {
          heard.push(...page.entries);
          if (heard.length >= wanted) reached();
        },
      });
      if (!follower.ok) throw new Error(follower.error.message);
      const ids: string[] = [];
      try {
        for (let i = 0; i < 12; i++)
          ids.push(unwrap(await centerB.submit({ request: quarantine(`PC-${i}`) })).action.id);
        for (const id of ids.slice(0, 6)) unwrap(await centerB.approve({ principal: alice, ids: [id] }));
        unwrap(await centerB.reject({ principal: alice, ids: ids.slice(6) }));
        const trails = new Map<string, readonly AuditEvent[]>();
        for (const id of ids) trails.set(id, unwrap(await repoB.auditTrail(id)));
        wanted = [...trails.values()].reduce((n, t) => n + t.length, 0);
        if (heard.length >= wanted) reached();
        await done;
        expectFeedOfTrails(heard, trails);
        expect(heard).toEqual(await wholeFeed(repoB));
      } finally {
        await follower.value.close();
      }
    },
    TIMEOUT,
  );

  it(
    'committers on eight connections at once: a reader following meanwhile misses nothing and sees nothing twice',
    async () => {
      const schema = await database();
      const writers = Array.from({ length: 8 }, () => createPostgresRepository({ client: newPool(2), schema }));
      const reader = createPostgresRepository({ client: newPool(1), schema });
      let writing = true;
      const followed: ChangeEntry[] = [];
      const follow = (async () => {
        let after: number | null = null;
        for (;;) {
          const stillWriting = writing;
          const r = await reader.changes({ after, limit: 5 });
          if (!r.ok) throw new Error(r.error.message);
          followed.push(...r.value.entries);
          after = r.value.next;
          if (r.value.entries.length === 0 && !stillWriting) return;
        }
      })();
      await Promise.all(
        writers.map(async (repo, w) => {
          for (let i = 0; i < 15; i++) {
            // Two new actions in one commit (two events), then each approved in a commit of its own.
            const a = action(`w${w}-${i}-a`);
            const b = action(`w${w}-${i}-b`);
            unwrap(await repo.commit(batch([create(a), create(b)], [event(a.id, 1), event(b.id, 1)])));
            unwrap(await repo.commit(batch([update(a, { status: 'approved' })], [event(a.id, 2, 'approved')])));
            unwrap(await repo.commit(batch([update(b, { status: 'approved' })], [event(b.id, 2, 'approved')])));
          }
        }),
      );
      writing = false;
      await follow;
      const trails = new Map<string, readonly AuditEvent[]>();
      for (let w = 0; w < 8; w++)
        for (let i = 0; i < 15; i++)
          for (const s of ['a', 'b']) trails.set(`w${w}-${i}-${s}`, unwrap(await reader.auditTrail(`w${w}-${i}-${s}`)));
      const feed = await wholeFeed(reader, 13);
      expectFeedOfTrails(feed, trails);
      expect(followed).toEqual(feed);
    },
    TIMEOUT,
  );

  it(
    'a commit that fails (a conflict, a beforeCommit hook that throws) takes no position and notifies nothing',
    async () => {
      const schema = await database();
      const repo = createPostgresRepository({ client: newPool(), schema });
      const hooked = createPostgresRepository({
        client: newPool(),
        schema,
        beforeCommit: async () => {
          throw new Error('hook refuses');
        },
      });
      const listener = new pg.Client({ connectionString: DATABASE_URL });
      await listener.connect();
      const notified: string[] = [];
      listener.on('notification', (m) => {
        if (m.channel === `actioncenter_changes_${schema}`) notified.push(m.payload ?? '');
      });
      try {
        await listener.query(`LISTEN "actioncenter_changes_${schema}"`);
        const a = action('a');
        unwrap(await repo.commit(batch([create(a)], [event('a', 1)])));
        const stale = await repo.commit(batch([update(a, { status: 'approved' }, 5)], [event('a', 2)]));
        expect(stale.ok ? 'ok' : stale.error.code).toBe('conflict');
        // The hook runs after the events INSERT took its positions: the rollback gives them back.
        const hookFailed = await hooked.commit(batch([create(action('h'))], [event('h', 1)]));
        expect(hookFailed.ok ? 'ok' : hookFailed.error.code).toBe('repositoryUnavailable');
        unwrap(await repo.commit(batch([create(action('b'))], [event('b', 1)])));
        // Notifications arrive in commit order: once the last commit's has come, any earlier one had.
        for (let i = 0; i < 3_000 && notified.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
        expect(notified).toEqual(['1', '2']);
        expect((await wholeFeed(repo)).map((e) => [e.position, e.event.id])).toEqual([
          [1, 'a-e1'],
          [2, 'b-e1'],
        ]);
        const counter = await admin.query(`SELECT last FROM "${schema}".actioncenter_change_counter`);
        expect(Number(counter.rows[0]?.['last'])).toBe(2);
      } finally {
        await listener.end();
      }
    },
    TIMEOUT,
  );
});
