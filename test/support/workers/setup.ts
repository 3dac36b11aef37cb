/**
 * What the worker and API processes of the multi-process test and the workers bench share: their
 * settings from the environment, a pool, a started pg-boss and a center enqueueing through it.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createActionCenter, randomIdGenerator, type ActionCenter, type ActionExecutor } from 'actioncenter';
import { createPostgresRepository, type PostgresRepository } from 'actioncenter/postgres';
import { pgBossEnqueue } from 'actioncenter/pg-boss';

/** The settings a child process reads from its environment. */
export interface ProcessSettings {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly bossSchema: string;
  readonly queue: string;
  /** The table every executor call is written to (action_id, pid). */
  readonly callsTable: string;
}

export function settingsFromEnv(): ProcessSettings {
  const read = (key: string) => {
    const value = process.env[key];
    if (value === undefined || value === '') throw new Error(`${key} is not set`);
    return value;
  };
  return {
    databaseUrl: read('DATABASE_URL'),
    schema: read('AC_SCHEMA'),
    bossSchema: read('AC_BOSS_SCHEMA'),
    queue: read('AC_QUEUE'),
    callsTable: read('AC_CALLS_TABLE'),
  };
}

export function settingsEnv(s: ProcessSettings): Record<string, string> {
  return {
    DATABASE_URL: s.databaseUrl,
    AC_SCHEMA: s.schema,
    AC_BOSS_SCHEMA: s.bossSchema,
    AC_QUEUE: s.queue,
    AC_CALLS_TABLE: s.callsTable,
  };
}

/** pg-boss on its own schema; `supervise` runs the maintenance that expires (and so retries) abandoned jobs. */
export function bossOf(s: ProcessSettings, supervise: boolean): PgBoss {
  const boss = new PgBoss({
    connectionString: s.databaseUrl,
    schema: s.bossSchema,
    max: 4,
    schedule: false,
    supervise,
    maintenanceIntervalSeconds: 1,
  });
  boss.on('error', (e) => console.error(`pg-boss: ${e.message}`));
  return boss;
}

/** A center on the shared schema whose approvals enqueue through `boss`. */
export function centerOf(
  s: ProcessSettings,
  boss: PgBoss,
  executor: ActionExecutor,
  poolSize: number,
): { center: ActionCenter; pool: pg.Pool; repository: PostgresRepository } {
  const pool = new pg.Pool({ connectionString: s.databaseUrl, max: poolSize });
  const repository = createPostgresRepository({
    client: pool,
    schema: s.schema,
    beforeCommit: pgBossEnqueue({ boss, queue: s.queue }),
  });
  return { center: createActionCenter({ repository, executor, idGenerator: randomIdGenerator }), pool, repository };
}
