/**
 * A worker process of the multi-process test and the workers bench: takes jobs from the queue and
 * carries them through the center, with a simulated executor that writes every call to a table
 * (first, so a call cut off by SIGKILL counts) and then waits `AC_LATENCY_MS`. Prints `ready` once
 * it takes jobs (or, with AC_WAIT_FOR_GO=1, waits for `go`); on SIGTERM stops the workers (jobs in
 * hand are recorded first) and exits.
 */
import { createInterface } from 'node:readline';
import { startWorkers, type Workers } from 'actioncenter/pg-boss';
import type { ActionExecutor } from 'actioncenter';
import { bossOf, centerOf, settingsFromEnv } from './setup.js';

const settings = settingsFromEnv();
const concurrency = Number(process.env['AC_CONCURRENCY'] ?? '8');
const latencyMs = Number(process.env['AC_LATENCY_MS'] ?? '2');

const boss = bossOf(settings, true);
await boss.start();
let record: (id: string) => Promise<unknown> = async () => undefined;
const executor: ActionExecutor = {
  supports: () => true,
  async execute({ action }) {
    await record(action.id);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    return { status: 'succeeded' };
  },
};
const { center, pool } = centerOf(settings, boss, executor, concurrency + 2);
record = (id) => pool.query(`INSERT INTO ${settings.callsTable} (action_id, pid) VALUES ($1, $2)`, [id, process.pid]);
const start = () => {
  const started = startWorkers({
    boss,
    center,
    queue: settings.queue,
    concurrency,
    pollIntervalMs: 100,
    onError: (f) => console.error(`job ${f.jobId}: ${f.error.code} (${f.job}): ${f.error.message}`),
  });
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
};
// With AC_WAIT_FOR_GO=1 (the bench), the workers start on a `go` line on stdin and stop on `pause`
// (answering `paused`): the bench fills the queue first, so that it times the workers alone.
let workers: Workers | null = process.env['AC_WAIT_FOR_GO'] === '1' ? null : start();
if (workers === null) {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'go' && workers === null) workers = start();
    if (line === 'pause' && workers !== null) {
      const stopping = workers;
      workers = null;
      void stopping.stop().then(() => console.log('paused'));
    }
  });
}
process.once('SIGTERM', () => {
  void (async () => {
    await workers?.stop();
    await boss.stop({ graceful: false, wait: true });
    await pool.end();
    process.exit(0);
  })();
});
console.log('ready');
