/**
 * Retries through pg-boss on a real PostgreSQL server (DATABASE_URL; .ci/run starts one): a
 * transient failure records a retry whose job pg-boss holds until `retryAt` (`startAfter`, set in
 * the retry's transaction), the worker completes the failed attempt's job, and the next attempt runs
 * after the backoff; the last allowed attempt is final; each attempt is in the audit trail. The
 * backoff is short (the server's clock decides when pg-boss hands the job out), and only lower
 * bounds of time are asserted. Skipped, saying why, without a server.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypes,
  createActionCenter,
  createCatalog,
  defineActionType,
  randomIdGenerator,
  unwrap,
  type ActionExecutor,
  type PrincipalInput,
} from 'actioncenter';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import { pgBossEnqueue, startWorkers } from 'actioncenter/pg-boss';
import { DATABASE_URL, freshSchema, warnWhenNoServer } from './postgres-fixtures.js';

warnWhenNoServer('retry-pg-boss.server.test.ts');

const alice: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

/** Three starts at most, 1 s then 2 s apart. */
const flaky = defineActionType({
  id: 'flakyScan',
  displayName: 'Flaky scan',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
  retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 2000 },
});
const catalog = unwrap(createCatalog([...builtInActionTypes, flaky]));

const request = (device: string) =>
  ({
    actionType: 'flakyScan',
    target: { kind: 'device', deviceId: `id-${device}`, deviceName: device, deviceGroup: 'Workstations' },
    parameters: {},
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: alice.id },
  }) as never; // a type of this test's own catalogue: the built-in request types do not name it

const transient = { status: 'failed', failure: { code: 'throttled', message: 'HTTP 429' }, retryable: true };

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.runIf(DATABASE_URL !== undefined)('retries through pg-boss on the PostgreSQL server (DATABASE_URL)', () => {
  let admin: pg.Pool;
  let pool: pg.Pool;
  let boss: PgBoss;
  const schema = freshSchema('ac_retry');
  const bossSchema = `${schema}_boss`;

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 5 });
    unwrap(await migrate(admin, { schema }));
    boss = new PgBoss({
      connectionString: DATABASE_URL ?? '',
      schema: bossSchema,
      max: 3,
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue('retries', { name: 'retries', retryLimit: 3 });
  }, 120_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    for (const s of [schema, bossSchema]) await admin?.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await pool?.end();
    await admin?.end();
  }, 120_000);

  it('transient failures: each retry job starts after retryAt, the third attempt is final, every attempt audited', async () => {
    const starts: number[] = [];
    const executor: ActionExecutor = {
      supports: () => true,
      execute: async () => {
        starts.push(Date.now());
        return transient as never;
      },
    };
    const repository = createPostgresRepository({
      client: pool,
      schema,
      beforeCommit: pgBossEnqueue({ boss, queue: 'retries' }),
    });
    const center = createActionCenter({ repository, executor, catalog, idGenerator: randomIdGenerator });
    const { action } = unwrap(await center.submit({ request: request('LAPTOP-1'), principal: alice }));
    const workers = unwrap(startWorkers({ boss, center, queue: 'retries', pollIntervalMs: 100 }));
    try {
      await until(
        'the action failed',
        async () => unwrap(await center.get({ principal: alice, id: action.id })).status === 'failed',
      );
      // Every job settled: the approval's, and one per retry, all completed.
      await until('three jobs completed', async () => {
        const rows = (
          await admin.query<{ state: string }>(
            `SELECT state::text AS state FROM "${bossSchema}".job WHERE name = 'retries'`,
          )
        ).rows;
        return rows.length === 3 && rows.every((r) => r.state === 'completed');
      });
    } finally {
      await workers.stop();
    }
    const jobs = (
      await admin.query<{ start_after: Date; data: { actionId: string } }>(
        `SELECT start_after, data FROM "${bossSchema}".job WHERE name = 'retries' ORDER BY created_on`,
      )
    ).rows;
    const trail = unwrap(await center.auditTrail({ principal: alice, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'start', 'retry', 'start', 'retry', 'start', 'fail']);
    const retries = trail.filter((e) => e.type === 'retry');
    // Each retry's job holds until its retryAt, and the attempt after it did not start earlier.
    expect(jobs.map((j) => j.data.actionId)).toEqual([action.id, action.id, action.id]);
    for (const [i, e] of retries.entries()) {
      const retryAt = e.details['retryAt'] as number;
      expect(retryAt).toBe(e.at + [1000, 2000][i]!);
      expect(jobs[i + 1]!.start_after.getTime()).toBe(retryAt);
      expect(starts[i + 1]).toBeGreaterThanOrEqual(retryAt);
    }
    expect(starts).toHaveLength(3);
    expect(unwrap(await center.get({ principal: alice, id: action.id }))).toMatchObject({
      status: 'failed',
      attempt: 3,
    });
  }, 180_000);
});
