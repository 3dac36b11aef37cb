/**
 * Workers on pg-boss: approving an action enqueues its job in the approval's own transaction, and
 * worker processes (here: workers in this process) take the jobs, execute the actions through the
 * center and record the outcomes. Delivery is at least once (a worker killed mid-job has its job
 * retried after the queue's lease); recording is exactly once.
 *
 * Needs a PostgreSQL server: set DATABASE_URL (without it, this example says so and does nothing).
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createActionCenter, type ActionExecutor, type BuiltInRequestInput, type PrincipalInput } from 'actioncenter';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import { pgBossEnqueue, startWorkers } from 'actioncenter/pg-boss';

const url = process.env['DATABASE_URL'];
if (url === undefined || url === '') {
  console.log('examples/workers.ts: skipped, it needs a PostgreSQL server (set DATABASE_URL)');
} else {
  const schema = `example_workers_${process.pid}`;
  const pool = new pg.Pool({ connectionString: url });
  // pg-boss keeps its tables in a schema of its own, on the same database.
  const boss = new PgBoss({ connectionString: url, schema: `${schema}_boss` });
  boss.on('error', (e) => console.error(e.message));
  try {
    const migrated = await migrate(pool, { schema });
    assert.ok(migrated.ok);
    await boss.start();
    // The queue's lease (expireInSeconds) must exceed the longest action deadline: a job that
    // expires comes back to another worker, which then executes the action again.
    await boss.createQueue('actions', { name: 'actions', expireInSeconds: 2 * 60 * 60, retryLimit: 10 });

    // 1. The repository enqueues: each commit that approves actions sends their jobs in its transaction.
    const repository = createPostgresRepository({
      client: pool,
      schema,
      beforeCommit: pgBossEnqueue({ boss, queue: 'actions' }),
    });
    const executed: string[] = [];
    const executor: ActionExecutor = {
      supports: (type) => type === 'quarantineFile',
      async execute({ action }) {
        executed.push(action.id);
        return { status: 'succeeded', details: { quarantined: true } };
      },
    };
    const center = createActionCenter({ repository, executor });

    const alice: PrincipalInput = {
      id: 'alice@contoso.com',
      assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
    };
    const quarantine = (device: string): BuiltInRequestInput => ({
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
      investigationId: 'inv-42',
      requestedBy: { type: 'system', component: 'automatedInvestigation' },
    });
    const ids: string[] = [];
    for (const device of ['ws-01', 'ws-02', 'ws-03']) {
      const submitted = await center.submit({ request: quarantine(device) });
      assert.ok(submitted.ok);
      ids.push(submitted.value.action.id);
    }
    const approved = await center.approve({ principal: alice, ids, comment: 'isolate the dropper' });
    assert.ok(approved.ok && approved.value.allApplied);

    // 2. Workers (run them in as many processes and machines as you like).
    const workers = startWorkers({ boss, center, queue: 'actions', concurrency: 4, pollIntervalMs: 100 });
    assert.ok(workers.ok);
    const done = async () => {
      for (const id of ids) {
        const r = await center.get({ principal: alice, id });
        if (!r.ok || r.value.status !== 'succeeded') return false;
      }
      return true;
    };
    const until = Date.now() + 60_000;
    while (!(await done())) {
      assert.ok(Date.now() < until, 'the workers did not finish within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await workers.value.stop();
    assert.deepEqual([...executed].sort(), [...ids].sort()); // each executed once
    console.log(
      `executed ${executed.length} actions through pg-boss; jobs completed: ${workers.value.stats().completed}`,
    );

    // 3. The audit trail: approved in the API, started and succeeded by a worker.
    const trail = await center.auditTrail({ principal: alice, id: ids[0] as string });
    assert.ok(trail.ok);
    assert.deepEqual(
      trail.value.map((e) => e.type),
      ['created', 'approve', 'start', 'succeed'],
    );
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
    await pool.end();
  }
}
