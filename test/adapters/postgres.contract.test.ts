/**
 * actioncenter/postgres against the repository contract suite and the model-based engine tests of
 * actioncenter/testing: on PGlite in every run, and on the real PostgreSQL server when DATABASE_URL
 * is set (.ci/run starts one). Every test (and every property run) starts from empty tables.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createActionCenter } from 'actioncenter';
import { ESCALATION_EVENT_TYPES, LIFECYCLE_EVENT_TYPES, RETRY_EVENT_TYPES } from 'actioncenter/adapter-kit';
import {
  actionCenterCommands,
  createModelRunSetup,
  repositoryContract,
  type ModelRunOptions,
} from 'actioncenter/testing';
import { DATABASE_URL, emptiedSchema, sharedPGlite, usePGlite, warnWhenNoServer } from './postgres-fixtures.js';

const CONTRACT_RUNS = Number(process.env['CONTRACT_RUNS'] ?? 25);
// 80 runs (and up to two batches of 40 more while an event is missing): the rarest lifecycle events
// show up in 5 to 11% of runs, so all of them are seen with near certainty; fewer made the check flaky.
const MODEL_RUNS = Number(process.env['POSTGRES_MODEL_RUNS'] ?? 80);
// Per contract test: its own limit, far above what a loaded machine needs (the property check runs
// CONTRACT_RUNS stores through the database), not vitest's 5 s default.
const CONTRACT_TIMEOUT = 120_000;

warnWhenNoServer('postgres.contract.test.ts');
usePGlite();

function modelRuns(options: ModelRunOptions, runs: number): Promise<void> {
  const setup = createModelRunSetup(options);
  return fc.assert(
    fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (cmds) => fc.asyncModelRun(setup, cmds)),
    { numRuns: runs },
  );
}

describe('on PGlite', () => {
  const contract = emptiedSchema(sharedPGlite, 'ac_contract');
  const model = emptiedSchema(sharedPGlite, 'ac_model');

  repositoryContract({
    test,
    expect,
    fc,
    numRuns: CONTRACT_RUNS,
    timeout: CONTRACT_TIMEOUT,
    factory: () => contract.fresh(),
    name: 'postgres repository (PGlite)',
  });

  it(`the engine agrees with the model (${MODEL_RUNS} runs), reaching every lifecycle event`, async () => {
    const seen = new Set<string>();
    const options: ModelRunOptions = {
      engine: async (deps) => {
        const center = createActionCenter({ ...deps, repository: await model.fresh() });
        center.subscribe((change) => change.events.forEach((e) => seen.add(e.type)));
        return center;
      },
    };
    // `retry` included (issue 15): the script's transient failures are retried (as in model.test.ts),
    // and `retried` (issue 16: the retry command). As in model.test.ts, `escalate` needs an approval
    // deadline and `addApproval` several approvals, which the default policy has not:
    // model-timers.test.ts (on PGlite too) and model-approvals.test.ts reach them.
    const reachable = LIFECYCLE_EVENT_TYPES.filter(
      (e) => !(ESCALATION_EVENT_TYPES as readonly string[]).includes(e) && e !== 'addApproval',
    );
    // The rarest events (a progress report, a type-policy retry) show up in 5 to 8% of runs since
    // issue 16's commands joined: a second (and third) batch, each a full check, when one is missing
    // after the first, so that a miss is about 1e-4 likely, not 1%.
    for (let batch = 0; batch < 3 && reachable.some((e) => !seen.has(e)); batch++)
      await modelRuns(options, batch === 0 ? MODEL_RUNS : Math.ceil(MODEL_RUNS / 2));
    expect([...seen].sort()).toEqual(['created', ...reachable].sort());
    expect(RETRY_EVENT_TYPES.every((e) => seen.has(e))).toBe(true);
    // 22 s on an idle machine, 241 s on two cores kept busy beside the other test files: the limit
    // is far above both, even at twice the runs (the extra batches).
  }, 900_000);

  it('the engine agrees with the model when duplicates are joined', async () => {
    await modelRuns(
      { engine: async (deps) => createActionCenter({ ...deps, repository: await model.fresh() }), duplicates: 'join' },
      Math.ceil(MODEL_RUNS / 4),
    );
  }, 600_000);
});

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  let pool: pg.Pool;
  const client = () => pool;
  const contract = emptiedSchema(client, 'ac_contract');
  const model = emptiedSchema(client, 'ac_model');
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  });
  afterAll(async () => {
    await contract.drop();
    await model.drop();
    await pool.end();
  });

  repositoryContract({
    test,
    expect,
    fc,
    numRuns: CONTRACT_RUNS,
    timeout: CONTRACT_TIMEOUT,
    factory: () => contract.fresh(),
    name: 'postgres repository (server)',
  });

  it(`the engine agrees with the model (${MODEL_RUNS} runs)`, async () => {
    await modelRuns(
      { engine: async (deps) => createActionCenter({ ...deps, repository: await model.fresh() }) },
      MODEL_RUNS,
    );
  }, 600_000);
});
