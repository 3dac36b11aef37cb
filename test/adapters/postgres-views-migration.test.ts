/**
 * Issue 12, items 10, 13 and 15 on PostgreSQL (PGlite; the server too with DATABASE_URL): migration
 * 3 adds the incident, alert, requester, comment and undo-of columns. Rows stored before it read
 * back with null references, and its backfill lets the new filters and sorts find them.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInCatalog, type ActionRecord } from 'actioncenter';
import { referenceQuery, resolveQuery, sortLabels } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate, SCHEMA_VERSION, type PostgresClient } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  downgradeToVersion3,
  versionsAfter,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';
import { isolate, must, people, quarantine, testCenter } from '../center/fixtures.js';

warnWhenNoServer('postgres-views-migration.test.ts');
usePGlite();

const SLOW = { timeout: 120_000 };

/** Stores a few actions (comments, a person's and the system's requests, an undo), then turns the schema back into version 2's. */
async function storedBeforeVersion3(client: PostgresClient, schema: string): Promise<ActionRecord[]> {
  const migrated = await migrate(client, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const repository = createPostgresRepository({ client, schema });
  const { center } = testCenter({ repository });
  await must(center.submit({ request: { ...quarantine('HOST-1'), comment: 'zz last comment' } }));
  const second = (await must(center.submit({ request: quarantine('HOST-2', { path: 'C:\\Temp\\b.exe' }) }))).action;
  await must(center.approve({ principal: people.secAdmin, ids: [second.id], comment: 'aa first comment' }));
  const iso = (
    await must(center.submit({ request: isolate('HOST-3', people.globalAdmin), principal: people.globalAdmin }))
  ).action;
  await must(center.run());
  await must(center.undo({ principal: people.globalAdmin, ids: [iso.id], comment: 'released' }));
  const all = await must(repository.query(must2(resolveQuery({ page: { size: 100 } }, 0))));
  await downgradeToVersion3(client, schema);
  const t = `"${schema}".actioncenter_actions`;
  await client.query(
    `ALTER TABLE ${t} DROP COLUMN incident_id, DROP COLUMN alert_id, DROP COLUMN requested_by, DROP COLUMN comment, DROP COLUMN undo_of`,
  );
  await client.query(`UPDATE ${t} SET record = record - 'incidentId' - 'alertId' WHERE record IS NOT NULL`);
  await client.query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version = 3`);
  return [...all.items];
}

function must2<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function migrationSuite(name: string, client: () => PostgresClient, schemas: string[] = []): void {
  describe(name, () => {
    it(
      'item 13: rows stored before migration 3 read back with null incident and alert references; the backfill fills requester, comment and undo-of, so the new filters and sorts find them',
      SLOW,
      async () => {
        const schema = freshSchema('ac_views_mig');
        schemas.push(schema);
        const before = await storedBeforeVersion3(client(), schema);
        expect(before.length).toBe(4);
        const migrated = await migrate(client(), { schema });
        expect(migrated.ok ? [migrated.value.from, migrated.value.applied] : migrated.error.message).toEqual([
          2,
          versionsAfter(2),
        ]);
        expect(migrated.ok && migrated.value.to).toBe(SCHEMA_VERSION);
        const repository = createPostgresRepository({ client: client(), schema });
        const all = await must(repository.query(must2(resolveQuery({ page: { size: 100 } }, 0))));
        expect(all.skipped).toBeUndefined();
        expect(all.items.map((a) => [a.incidentId, a.alertId])).toEqual(all.items.map(() => [null, null]));
        const stored = [...all.items];
        const labels = sortLabels(builtInCatalog);
        for (const input of [
          { filter: { requestedBy: [people.globalAdmin.id] } },
          { filter: { requestedBy: ['system:automatedInvestigation'] } },
          { filter: { incidentId: ['inc-1'] } },
          { sort: { column: 'comment', direction: 'asc' } },
          { sort: { column: 'comment', direction: 'desc' }, page: { size: 2 } },
          { sort: { column: 'requestedBy', direction: 'asc' } },
          { sort: { column: 'undoOf', direction: 'desc' } },
          { sort: { column: 'status', direction: 'asc' } },
        ] as const) {
          const q = must2(resolveQuery(input, 0, labels));
          const page = await must(repository.query(q));
          const reference = referenceQuery(stored, q);
          expect([page.total, page.items.map((a) => a.id), page.nextCursor], JSON.stringify(input)).toEqual([
            reference.total,
            reference.items.map((a) => a.id),
            reference.nextCursor,
          ]);
        }
        const byComment = await must(
          repository.query(must2(resolveQuery({ sort: { column: 'comment', direction: 'asc' } }, 0))),
        );
        expect(byComment.items[0]?.decisionComment).toBe('aa first comment');
        const undone = await must(
          repository.query(must2(resolveQuery({ sort: { column: 'undoOf', direction: 'asc' } }, 0))),
        );
        expect(undone.items[0]?.undoOf).not.toBe(null);
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
