/**
 * The audit chain over model runs (issue 16), on the memory repository and on PGlite: every event
 * the engine commits, of every type a run produces (the other issue-16 events included, built by
 * the same builders), carries its hash and is linked to the previous event of its action; the
 * model's invariants verify every trail after every command (checkInvariants).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActionCenter, createMemoryRepository, type ActionCenter, type AuditEvent } from 'actioncenter';
import { actionCenterCommands, createModelRunSetup, type ModelEngineDeps } from 'actioncenter/testing';
import { auditEventHash } from '../../src/rules/audit-chain.js';
import { emptiedSchema, sharedPGlite, usePGlite } from '../adapters/postgres-fixtures.js';

usePGlite();

const RUNS = Number(process.env.MODEL_RUNS ?? 60);
const PGLITE_RUNS = Math.ceil(RUNS / 4);

/** What the committed events showed: the types seen, and every event that is not chained right. */
interface Seen {
  readonly types: Set<string>;
  readonly broken: string[];
}

/** A center whose committed events are checked link by link as they come (each run its own heads). */
function watched(center: ActionCenter, seen: Seen): ActionCenter {
  const heads = new Map<string, string | null>();
  center.subscribe((change) => {
    for (const e of change.events as readonly AuditEvent[]) {
      seen.types.add(e.type);
      const previous = heads.get(e.actionId) ?? null;
      if (e.hash === null || e.hash !== auditEventHash(e) || e.previousHash !== previous)
        seen.broken.push(`${e.actionId} #${e.sequence} (${e.type})`);
      heads.set(e.actionId, e.hash);
    }
  });
  return center;
}

async function modelRuns(engine: (deps: ModelEngineDeps) => Promise<ActionCenter>, runs: number): Promise<void> {
  const setup = createModelRunSetup({ engine });
  await fc.assert(
    fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (cmds) => fc.asyncModelRun(setup, cmds)),
    { numRuns: runs },
  );
}

describe('every event a model run commits is chained', () => {
  it(`on the memory repository (${RUNS} runs)`, { timeout: 300_000 }, async () => {
    const seen: Seen = { types: new Set(), broken: [] };
    await modelRuns(
      async (deps) => watched(createActionCenter({ ...deps, repository: createMemoryRepository() }), seen),
      RUNS,
    );
    expect(seen.broken).toEqual([]);
    // Not vacuous: the runs produced the events of the whole lifecycle (the model test checks which).
    expect([...seen.types]).toEqual(
      expect.arrayContaining(['created', 'approve', 'reject', 'start', 'succeed', 'fail', 'requestUndo', 'retry']),
    );
  });

  it(`on PGlite (${PGLITE_RUNS} runs)`, { timeout: 600_000 }, async () => {
    const store = emptiedSchema(sharedPGlite, 'ac_chain_model');
    const seen: Seen = { types: new Set(), broken: [] };
    try {
      await modelRuns(
        async (deps) => watched(createActionCenter({ ...deps, repository: await store.fresh() }), seen),
        PGLITE_RUNS,
      );
    } finally {
      await store.drop();
    }
    expect(seen.broken).toEqual([]);
    expect([...seen.types]).toEqual(expect.arrayContaining(['created', 'approve', 'start', 'succeed']));
  });
});
