/**
 * The PostgreSQL change feed on PGlite (issue 15): migration 6 numbers the events stored before it,
 * the counter goes on from there, a refused commit takes no position, and `followChanges` (over
 * PGlite's LISTEN) hands every committed event to its reader once, in order; bad listener options
 * are `invalidInput`, never a throw.
 */
import { describe, expect, it } from 'vitest';
import { type AuditEvent, type ChangeEntry, type ChangePage } from 'actioncenter';
import {
  createPostgresRepository,
  followChanges,
  listenForChanges,
  migrate,
  type PostgresRepository,
} from 'actioncenter/postgres';
import {
  action,
  batch,
  create,
  downgradeToVersion5,
  event,
  freshSchema,
  sharedPGlite,
  update,
  usePGlite,
  versionsAfter,
} from './postgres-fixtures.js';

usePGlite();

const TIMEOUT = 120_000;

async function fresh(): Promise<{ schema: string; repo: PostgresRepository }> {
  const schema = freshSchema('ac_changes');
  const migrated = await migrate(sharedPGlite(), { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  return { schema, repo: createPostgresRepository({ client: sharedPGlite(), schema }) };
}

async function feed(repo: PostgresRepository): Promise<ChangeEntry[]> {
  const r = await repo.changes({ after: null, limit: 10_000 });
  if (!r.ok) throw new Error(r.error.message);
  return [...r.value.entries];
}

/** Resolves once `done()` holds, checking after every call of the returned `poke`. */
function until(done: () => boolean): { poke: () => void; reached: Promise<void> } {
  let resolve: () => void = () => undefined;
  const reached = new Promise<void>((r) => (resolve = r));
  const poke = () => {
    if (done()) resolve();
  };
  return { poke, reached };
}

describe('change feed on PGlite', () => {
  it(
    'migration 6 numbers the events stored before it in (at, action_id, sequence) order; commits go on after them',
    async () => {
      const { schema, repo } = await fresh();
      const a = action('a');
      const b = action('b');
      // b's creation is older than a's: the numbering follows `at`, not the order of the commits.
      const events: AuditEvent[] = [
        { ...event('a', 1), at: 300 },
        { ...event('b', 1), at: 100 },
        { ...event('b', 2), at: 300 },
      ];
      expect((await repo.commit(batch([create(a)], [events[0] as AuditEvent]))).ok).toBe(true);
      expect((await repo.commit(batch([create(b)], [events[1] as AuditEvent]))).ok).toBe(true);
      expect((await repo.commit(batch([update(b, { status: 'approved' })], [events[2] as AuditEvent]))).ok).toBe(true);
      await downgradeToVersion5(sharedPGlite(), schema);
      const migrated = await migrate(sharedPGlite(), { schema });
      // 6 and the versions after it (the downgrade to 5 undoes them too).
      expect(migrated.ok && migrated.value.applied).toEqual(versionsAfter(5));
      const again = createPostgresRepository({ client: sharedPGlite(), schema });
      expect((await feed(again)).map((e) => [e.position, e.event.id])).toEqual([
        [1, 'b-e1'],
        [2, 'a-e1'],
        [3, 'b-e2'],
      ]);
      const aApproved = update(a, { status: 'approved' });
      expect((await again.commit(batch([aApproved], [event('a', 2)]))).ok).toBe(true);
      expect((await feed(again)).map((e) => [e.position, e.event.id]).at(-1)).toEqual([4, 'a-e2']);
    },
    TIMEOUT,
  );

  it(
    'a refused commit takes no position: the next accepted one follows without a gap',
    async () => {
      const { repo } = await fresh();
      const a = action('a');
      expect((await repo.commit(batch([create(a)], [event('a', 1)]))).ok).toBe(true);
      const stale = await repo.commit(batch([update(a, { status: 'approved' }, 7)], [event('a', 2)]));
      expect(stale.ok ? 'ok' : stale.error.code).toBe('conflict');
      expect((await repo.commit(batch([create(action('b'))], [event('b', 1)]))).ok).toBe(true);
      expect((await feed(repo)).map((e) => [e.position, e.event.id])).toEqual([
        [1, 'a-e1'],
        [2, 'b-e1'],
      ]);
    },
    TIMEOUT,
  );

  it(
    "followChanges hears another repository's commits through LISTEN and hands every event once, in order",
    async () => {
      const { schema, repo } = await fresh();
      const writer = createPostgresRepository({ client: sharedPGlite(), schema });
      expect((await writer.commit(batch([create(action('before'))], [event('before', 1)]))).ok).toBe(true);
      const pages: ChangePage[] = [];
      const seen = () => pages.flatMap((p) => p.entries);
      const wait = until(() => seen().length === 21);
      const follower = await followChanges(sharedPGlite(), {
        schema,
        repository: repo,
        after: null,
        limit: 4,
        onPage: (page) => {
          pages.push(page);
          wait.poke();
        },
      });
      if (!follower.ok) throw new Error(follower.error.message);
      try {
        for (let i = 0; i < 10; i++) {
          const a = action(`x${i}`);
          expect((await writer.commit(batch([create(a)], [event(a.id, 1)]))).ok).toBe(true);
          expect((await writer.commit(batch([update(a, { status: 'approved' })], [event(a.id, 2)]))).ok).toBe(true);
        }
        await wait.reached;
      } finally {
        await follower.value.close();
      }
      expect(seen().map((e) => e.position)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(seen()).toEqual(await feed(repo));
      expect(pages.every((p) => p.entries.length <= 4 && p.next === p.entries.at(-1)?.position)).toBe(true);
    },
    TIMEOUT,
  );

  it('bad listener options are invalidInput, never a throw', async () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = {
      get onChange(): () => void {
        throw new Error('no callback');
      },
    };
    for (const options of [
      {},
      { onChange: 'not a function' },
      { onChange: () => undefined, retryMs: 0 },
      { onChange: () => undefined, schema: 42 },
      revoked.proxy,
      throwing,
      null,
    ]) {
      const r = await listenForChanges(sharedPGlite(), options as never);
      expect(r.ok ? 'ok' : r.error.code).toBe('invalidInput');
    }
    // A schema name that is a string but not a PostgreSQL name: refused as everywhere in the adapter.
    const badName = await listenForChanges(sharedPGlite(), { onChange: () => undefined, schema: 'no spaces' });
    expect(badName.ok ? 'ok' : badName.error.code).toBe('repositoryUnavailable');
    const bad = await followChanges(sharedPGlite(), { after: null } as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('invalidInput');
  });
});
