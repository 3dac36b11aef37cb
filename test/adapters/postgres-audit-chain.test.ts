/**
 * The tamper-evident audit trail on PostgreSQL (issue 16), on PGlite and on the server with
 * DATABASE_URL: schema version 7's trigger refuses UPDATE and DELETE of audit rows; an owner who
 * disables it (or a superuser with session_replication_role = replica) and edits a row's JSON is
 * caught by verifyAuditTrail at that row, a deleted last event by the record's head; events stored
 * before the chain (no hash in their JSON) verify as unchained.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { unwrap, type ActionCenter } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import { must, people, quarantine, scriptedExecutor, testCenter } from '../center/fixtures.js';
import {
  DATABASE_URL,
  action,
  batch,
  create,
  event,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('postgres-audit-chain.test.ts');
usePGlite();

const SLOW = { timeout: 120_000 };
const TRIGGER = 'actioncenter_audit_events_append_only';

/** A center on a fresh schema, with one quarantine submitted, approved and run to success. */
async function approvedAndRun(client: PostgresClient, schemas: string[]) {
  const schema = freshSchema('ac_chain');
  schemas.push(schema);
  unwrap(await migrate(client, { schema }));
  const repository = createPostgresRepository({ client, schema });
  const { center } = testCenter({
    repository,
    executor: scriptedExecutor(async () => ({ status: 'succeeded' as const })),
  });
  const submitted = await must(center.submit({ request: quarantine('laptop-1') }));
  const id = submitted.action.id;
  await must(center.approve({ principal: people.secAdmin, ids: [id] }));
  await must(center.run());
  return { schema, center, id, events: `"${schema}".actioncenter_audit_events` };
}

const verify = (center: ActionCenter, id: string) => must(center.verifyAuditTrail({ principal: people.reader, id }));

function suite(name: string, client: () => PostgresClient, schemas: string[]): void {
  describe(name, () => {
    it('a committed trail verifies, every event chained; UPDATE and DELETE of its rows are refused', SLOW, async () => {
      const { center, id, events } = await approvedAndRun(client(), schemas);
      const trail = await must(center.auditTrail({ principal: people.reader, id }));
      expect(trail.map((e) => e.type)).toEqual(['created', 'approve', 'start', 'succeed']);
      expect(await verify(center, id)).toEqual({ intact: true, chained: trail.length, unchained: 0 });
      await expect(
        client().query(`UPDATE ${events} SET event = jsonb_set(event, '{comment}', '"forged"') WHERE sequence = 2`),
      ).rejects.toThrow(/append-only: UPDATE of an audit row refused/);
      await expect(client().query(`DELETE FROM ${events} WHERE sequence = 2`)).rejects.toThrow(
        /append-only: DELETE of an audit row refused/,
      );
      // Nothing changed: still intact.
      expect(await verify(center, id)).toEqual({ intact: true, chained: trail.length, unchained: 0 });
    });

    it("an owner who disables the trigger and edits a row's JSON: verification names that event", SLOW, async () => {
      const { center, id, events } = await approvedAndRun(client(), schemas);
      const trail = await must(center.auditTrail({ principal: people.reader, id }));
      await client().query(`DO $$ BEGIN
          ALTER TABLE ${events} DISABLE TRIGGER ${TRIGGER};
          UPDATE ${events} SET event = jsonb_set(event, '{comment}', '"nothing to see"') WHERE sequence = 2;
          ALTER TABLE ${events} ENABLE TRIGGER ${TRIGGER};
        END $$`);
      expect(await verify(center, id)).toEqual({
        intact: false,
        brokenAt: { sequence: 2, eventId: trail[1]?.id, reason: 'hashMismatch' },
      });
    });

    it(
      'a superuser with session_replication_role = replica deletes the last event: the record head catches it',
      SLOW,
      async () => {
        const { center, id, events } = await approvedAndRun(client(), schemas);
        const trail = await must(center.auditTrail({ principal: people.reader, id }));
        const last = trail.length;
        // One statement (one transaction): the role is set for it alone, whatever connection runs it.
        await client().query(`DO $$ BEGIN
          PERFORM set_config('session_replication_role', 'replica', true);
          DELETE FROM ${events} WHERE sequence = ${String(last)};
        END $$`);
        expect(await verify(center, id)).toEqual({
          intact: false,
          brokenAt: { sequence: last, eventId: null, reason: 'headMismatch' },
        });
      },
    );

    it('events stored before the chain (no hash in their JSON) verify as unchained', SLOW, async () => {
      const schema = freshSchema('ac_chain_old');
      schemas.push(schema);
      unwrap(await migrate(client(), { schema }));
      const repo = createPostgresRepository({ client: client(), schema });
      const { center } = testCenter({ repository: repo });
      // JSON without the hash fields, as the adapter stored events before (undefined members are not written).
      const old = { ...event('old-1', 1), hash: undefined, previousHash: undefined } as never;
      unwrap(await repo.commit(batch([create(action('old-1', { auditHead: null }))], [old])));
      const stored = await client().query(`SELECT event ? 'hash' AS has FROM "${schema}".actioncenter_audit_events`);
      expect(stored.rows[0]?.['has']).toBe(false);
      expect(await must(center.verifyAuditTrail({ principal: people.globalAdmin, id: asId('old-1') }))).toEqual({
        intact: true,
        chained: 0,
        unchained: 1,
      });
    });
  });
}

const pgliteSchemas: string[] = [];
suite('PGlite', () => sharedPGlite(), pgliteSchemas);

describe.skipIf(DATABASE_URL === undefined)('server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 120_000);
  suite('server', () => pool, schemas);
});
