/**
 * PostgreSQL benchmark (run by `npm run bench` only when DATABASE_URL is set): bulk approve of
 * 10,000 pending actions (1,000 in quick mode) through the engine on actioncenter/postgres, which
 * commits them in ONE transaction (a locking read, one UPDATE of all rows, one INSERT of all audit
 * events), against the same writes made with one round trip per action (one statement per action
 * that updates the row where its version is the expected one and inserts its audit event, all in
 * one transaction).
 *
 * Each round starts from a schema of its own emptied and loaded with the pending actions (untimed).
 * The tables live in a schema created for the run and dropped at the end.
 *
 * @module
 */
import pg from 'pg';
import {
  createActionCenter,
  manualClock,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionRecord,
  type AuditEvent,
  type PrincipalInput,
} from '../src/index.js';
import { type PrincipalId } from '../src/adapter-kit.js';
import {
  bulkLoad,
  createPostgresRepository,
  migrate,
  type PostgresRepository,
} from '../src/adapters/postgres/index.js';
// The open key column holds column text (the engine's open keys contain NUL).
import { columnText } from '../src/adapters/postgres/text.js';
import { NOW, pendingActions } from './data.js';
import { compare, count, measureVariants, timeRow, type BenchRow } from './harness.js';

const GROUP = 'Bulk approve (PostgreSQL)';
const ADMIN: PrincipalInput = {
  id: 'secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};
const COMMENT = 'Confirmed malicious';

/**
 * Runs the PostgreSQL benchmark against DATABASE_URL; resolves to rows of the results table.
 *
 * @example
 * ```ts
 * import { runPostgresBench } from './postgres.js';
 * // DATABASE_URL=postgres://... : const rows = await runPostgresBench({ quick: true });
 * ```
 */
export async function runPostgresBench(options: { quick: boolean }): Promise<BenchRow[]> {
  const url = process.env['DATABASE_URL'];
  if (url === undefined || url === '') throw new Error('DATABASE_URL is not set');
  const selected = options.quick ? 1_000 : 10_000;
  const actions = pendingActions(selected * 2).filter((a) => a.actionType === 'quarantineFile');
  const ids = actions.map((a) => a.id);
  const schema = `actioncenter_bench_${process.pid}`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const migrated = await migrate(pool, { schema });
    if (!migrated.ok) throw new Error(migrated.error.message);
    const repository = createPostgresRepository({ client: pool, schema });
    let loadRate = 0;

    /** Empty tables, then the pending actions and their `created` events, loaded in one commit. */
    const load = async (): Promise<PostgresRepository> => {
      await pool.query(
        `TRUNCATE "${schema}".actioncenter_audit_events, "${schema}".actioncenter_idempotency_keys, "${schema}".actioncenter_actions`,
      );
      const created: AuditEvent[] = actions.map((a) => ({
        id: `${a.id}-created` as AuditEvent['id'],
        actionId: a.id,
        sequence: 1,
        type: 'created',
        at: a.createdAt,
        actor: a.requestedBy,
        from: null,
        to: 'pending',
        comment: null,
        details: {},
      }));
      // The bulk load path (issue 14): set-based batches in one transaction, checked like commit.
      const started = performance.now();
      const loaded = await bulkLoad(pool, { actions, events: created }, { schema, batchSize: 10_000 });
      if (!loaded.ok) throw new Error(`loading the bench data: ${loaded.error.message}`);
      loadRate = Math.round(actions.length / ((performance.now() - started) / 1000));
      await pool.query(`ANALYZE "${schema}".actioncenter_actions`);
      return repository;
    };
    const center = (repo: PostgresRepository): ActionCenter =>
      createActionCenter({
        repository: repo,
        clock: manualClock(NOW),
        idGenerator: sequentialIdGenerator(),
        maxSelection: selected,
      });

    // Once, untimed: both variants do what they say.
    const check = await center(await load()).approve({ principal: ADMIN, ids, comment: COMMENT });
    if (!check.ok || !check.value.allApplied || check.value.counts.applied !== selected)
      throw new Error(
        `bulk approve: expected ${selected} approved, got ${check.ok ? check.value.counts.applied : check.error.message}`,
      );
    await load();
    await perAction(pool, schema, actions);
    const approved = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".actioncenter_actions WHERE status = 'approved'`,
    );
    if (approved.rows[0]?.n !== selected) throw new Error('the per-action baseline did not approve every action');

    const stats = await measureVariants(
      [
        { name: 'perAction', ops: selected, setup: load, run: () => perAction(pool, schema, actions) },
        {
          name: 'engine',
          ops: selected,
          setup: async () => center(await load()),
          run: async (c: ActionCenter) => {
            const r = await c.approve({ principal: ADMIN, ids, comment: COMMENT });
            if (!r.ok || !r.value.allApplied) throw new Error('bulk approve failed');
            return r.value.counts.applied;
          },
        },
      ],
      { quick: options.quick, warmup: options.quick ? 0 : 1, runs: options.quick ? 1 : 5 },
      { warmup: 1, runs: 5 },
    );
    const baseline = stats.get('perAction');
    const engine = stats.get('engine');
    if (baseline === undefined || engine === undefined) throw new Error('postgres bench: missing measurements');
    const size = `${count(selected)} pending`;
    return [
      timeRow(GROUP, 'baseline: one round trip per action (UPDATE + audit INSERT), one transaction', size, baseline),
      timeRow(
        GROUP,
        'actioncenter approve() on actioncenter/postgres (one transaction)',
        size,
        engine,
        // On loopback a round trip costs ~0.3 ms; over a network every round trip the baseline makes costs more.
        [compare(engine, 'one round trip per action', baseline, { maxRatio: 0.1, words: 'faster' })],
        `load, authorize, transitions, audit; commit = lock + 1 UPDATE + 1 INSERT; bulk load ${count(loadRate)} actions/s with events`,
      ),
    ];
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

/**
 * The baseline: the approvals written one action at a time, one statement (one round trip) each —
 * the row updated where its version is the expected one, its audit event inserted — in one
 * transaction on one connection.
 */
async function perAction(pool: pg.Pool, schema: string, actions: readonly ActionRecord[]): Promise<number> {
  const client = await pool.connect();
  const by = { type: 'principal', id: ADMIN.id as PrincipalId } as const;
  try {
    await client.query('BEGIN');
    let n = 0;
    for (const a of actions) {
      const { openKey, ...rest } = a;
      const next = {
        ...rest,
        version: a.version + 1,
        status: 'approved',
        decidedBy: by,
        decidedAt: NOW,
        decisionComment: COMMENT,
        expiresAt: null,
        updatedAt: NOW,
      };
      const audit = {
        id: `${a.id}-approve`,
        actionId: a.id,
        sequence: 2,
        type: 'approve',
        at: NOW,
        actor: by,
        from: 'pending',
        to: 'approved',
        comment: COMMENT,
        details: {},
      };
      const r = await client.query(
        `WITH updated AS (
           UPDATE "${schema}".actioncenter_actions
           SET version = $3, status = 'approved', decided_by = $4, decided_at = $5, updated_at = $5, open_key = $6, record = $7::jsonb
           WHERE id = $1 AND version = $2 RETURNING id
         )
         INSERT INTO "${schema}".actioncenter_audit_events (action_id, sequence, id, type, at, event)
         SELECT id, 2, $8, 'approve', $5, $9::jsonb FROM updated`,
        [
          a.id,
          a.version,
          a.version + 1,
          ADMIN.id,
          NOW,
          openKey === null ? null : columnText(openKey),
          JSON.stringify(next),
          audit.id,
          JSON.stringify(audit),
        ],
      );
      n += r.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return n;
  } catch (cause) {
    await client.query('ROLLBACK');
    throw cause;
  } finally {
    client.release();
  }
}
