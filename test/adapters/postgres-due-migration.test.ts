/**
 * Issue 15 (timers) on PostgreSQL (PGlite; the server too with DATABASE_URL): migration 5 adds the
 * due_at column and its partial index. Rows stored before it get their due time from the backfill,
 * so `due` finds them, and every read stays clean (the column agrees with the record).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ActionRecord } from 'actioncenter';
import { referenceDue, resolveQuery } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  T0,
  action,
  batch,
  create,
  downgradeToVersion4,
  event,
  freshSchema,
  sharedPGlite,
  usePGlite,
  versionsAfter,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('postgres-due-migration.test.ts');
usePGlite();

const SLOW = { timeout: 120_000 };
const HOUR = 3_600_000;

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Pending, running, approved and final actions, with and without due times; ids that show the order. */
function records(): ActionRecord[] {
  const at = (h: number) => T0 + h * HOUR;
  return [
    action('p-2', { status: 'pending', expiresAt: at(2) }),
    action('p-1', { status: 'pending', expiresAt: at(1) }),
    action('p-none', { status: 'pending', expiresAt: null }),
    action('r-B', { status: 'running', startedAt: at(0), deadlineAt: at(1) }),
    action('r-a', { status: 'running', startedAt: at(0), deadlineAt: at(1) }),
    action('ok', { status: 'approved', expiresAt: null, deadlineAt: null }),
    action('done', { status: 'succeeded', completedAt: at(0), deadlineAt: at(0) }),
  ];
}

function migrationSuite(name: string, client: () => PostgresClient, schemas: string[] = []): void {
  describe(name, () => {
    it(
      'rows stored before migration 5 get due_at from the backfill: due answers them in order, reads report nothing corrupt',
      SLOW,
      async () => {
        const schema = freshSchema('ac_due_mig');
        schemas.push(schema);
        unwrap(await migrate(client(), { schema }));
        const stored = records();
        const writer = createPostgresRepository({ client: client(), schema });
        unwrap(
          await writer.commit(
            batch(
              stored.map(create),
              stored.map((a) => event(a.id, 1, a.status)),
            ),
          ),
        );
        await downgradeToVersion4(client(), schema);
        const migrated = unwrap(await migrate(client(), { schema }));
        expect([migrated.from, migrated.applied]).toEqual([4, versionsAfter(4)]);
        const repository = createPostgresRepository({ client: client(), schema });
        for (const before of [T0, T0 + HOUR, T0 + 2 * HOUR, 8.64e15]) {
          const page = unwrap(await repository.due({ before, limit: 100 }));
          const expected = referenceDue(stored, { before, limit: 100, after: null });
          expect(page.skipped).toBeUndefined();
          expect(page.items.map((a) => a.id)).toEqual(expected.items.map((a) => a.id));
        }
        expect(unwrap(await repository.due({ before: 8.64e15, limit: 100 })).items.map((a) => a.id)).toEqual([
          'p-1', // due at the same time as r-B and r-a: by id
          'r-B',
          'r-a',
          'p-2',
        ]);
        const all = unwrap(await repository.query(unwrap(resolveQuery({ page: { size: 100 } }, 0))));
        expect(all.skipped).toBeUndefined();
        expect(all.items.length).toBe(stored.length);
        const columns = await client().query(
          `SELECT id, due_at::float8 AS due_at FROM "${schema}".actioncenter_actions ORDER BY id`,
        );
        expect(columns.rows.map((r) => [r['id'], r['due_at']])).toEqual(
          [...stored]
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map((a) => [a.id, a.status === 'pending' ? a.expiresAt : a.status === 'running' ? a.deadlineAt : null]),
        );
      },
    );

    it(
      'a row whose due_at the record does not bear out is reported by due (skipped, named) and paged past',
      SLOW,
      async () => {
        const schema = freshSchema('ac_due_bad');
        schemas.push(schema);
        unwrap(await migrate(client(), { schema }));
        const stored = records();
        const repository = createPostgresRepository({ client: client(), schema });
        unwrap(
          await repository.commit(
            batch(
              stored.map(create),
              stored.map((a) => event(a.id, 1, a.status)),
            ),
          ),
        );
        // Edited by hand: p-2 made due at T0 - 1 in the column only.
        await client().query(`UPDATE "${schema}".actioncenter_actions SET due_at = $1 WHERE id = 'p-2'`, [T0 - 1]);
        const page = unwrap(await repository.due({ before: 8.64e15, limit: 1 }));
        expect(page.items).toEqual([]);
        expect(page.skipped?.map((s) => [s.code, s.actionId])).toEqual([['corruptRecord', 'p-2']]);
        expect(page.next).toEqual({ dueAt: T0 - 1, id: 'p-2' });
        const rest = unwrap(await repository.due({ before: 8.64e15, limit: 100, after: page.next }));
        expect(rest.items.map((a) => a.id)).toEqual(['p-1', 'r-B', 'r-a']);
      },
    );
  });
}

migrationSuite('on PGlite', () => sharedPGlite());

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  migrationSuite('server', () => pool, schemas);
});
