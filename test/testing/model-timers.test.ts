/**
 * Issue 16, model-based: with an approval deadline on every pending action and an expiry of
 * approved actions that never started (`createModelRunSetup({ timers })`), generated sequences of
 * submits, decisions, runs, clock moves and ticks agree with the model: each pending action
 * escalates once, at the first sweep after its deadline and never after a decision (expiry wins
 * when both are due); an approved action never started expires, a retry-waiting one does not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActionCenter, createMemoryRepository, type ActionRepository } from 'actioncenter';
import { emptiedSchema, sharedPGlite, usePGlite } from '../adapters/postgres-fixtures.js';
import {
  actionCenterCommands,
  createModelRunSetup,
  type ModelEngineDeps,
  type ModelRunOptions,
} from 'actioncenter/testing';

usePGlite();

const HOUR = 60 * 60 * 1000;
const RUNS = Math.max(50, Math.floor(Number(process.env.MODEL_RUNS ?? 200) / 2));

/** What the runs saw: event types, and expiries out of `approved`. */
function watched(repository: () => ActionRepository | Promise<ActionRepository>) {
  const seen = new Set<string>();
  const engine = async (deps: ModelEngineDeps) => {
    const center = createActionCenter({ ...deps, repository: await repository() });
    center.subscribe((change) =>
      change.events.forEach((e) => seen.add(e.type === 'expire' ? `expire from ${e.from ?? ''}` : e.type)),
    );
    return center;
  };
  return { seen, engine };
}

function runs(options: ModelRunOptions, numRuns: number): Promise<void> {
  const setup = createModelRunSetup(options);
  const only = ['submit', 'approve', 'reject', 'cancel', 'run', 'list', 'advanceClock', 'tick', 'expire'] as const;
  return fc.assert(
    fc.asyncProperty(fc.commands(actionCenterCommands(fc, { only }), { size: '+1' }), (cmds) =>
      fc.asyncModelRun(setup, cmds),
    ),
    { numRuns },
  );
}

describe('the engine agrees with the model on approval deadlines and expiries (issue 16)', () => {
  it(`escalation within a day, approved actions expiring unstarted after 3 days (${RUNS} runs, memory)`, async () => {
    const { seen, engine } = watched(() => createMemoryRepository());
    await runs(
      {
        engine,
        timers: { decideWithinMs: 24 * HOUR, escalateTo: ['lead@contoso.com'], approvedExpiryMs: 3 * 24 * HOUR },
      },
      RUNS,
    );
    // Not vacuous: escalations, pending and approved expiries all happened.
    expect(['escalate', 'expire from pending', 'expire from approved'].filter((e) => !seen.has(e))).toEqual([]);
  }, 180_000);

  it('on PGlite (30 runs): the same, the due column carrying the deadline', async () => {
    const schema = emptiedSchema(sharedPGlite, 'ac_timers');
    const { seen, engine } = watched(() => schema.fresh());
    await runs({ engine, timers: { decideWithinMs: 24 * HOUR, approvedExpiryMs: 3 * 24 * HOUR } }, 30);
    expect(['escalate', 'expire from pending', 'expire from approved'].filter((e) => !seen.has(e))).toEqual([]);
  }, 600_000);

  it('a deadline shorter than every clock move: each escalation meets a sweep at once, never twice', async () => {
    const { seen, engine } = watched(() => createMemoryRepository());
    await runs({ engine, timers: { decideWithinMs: 1 } }, 50);
    expect(seen.has('escalate')).toBe(true);
    // Without an approved expiry, an approved action never expires.
    expect(seen.has('expire from approved')).toBe(false);
  }, 180_000);

  it('is caught: an engine whose deadline is not the model’s (12 hours against 24), or that never escalates', async () => {
    for (const decideWithinMs of [12 * HOUR, null]) {
      const engine = (deps: ModelEngineDeps) =>
        createActionCenter({
          ...deps,
          repository: createMemoryRepository(),
          approvalPolicy: decideWithinMs === null ? {} : { requirements: [{ match: {}, decideWithinMs }] },
        });
      const failure = await runs({ engine, timers: { decideWithinMs: 24 * HOUR } }, 100).then(
        () => 'no difference found',
        (e: unknown) => String(e instanceof Error && e.cause instanceof Error ? e.cause.message : e),
      );
      expect(failure).toMatch(/expiry and approval deadline|escalateAt, escalatedAt|escalations of/);
    }
  }, 180_000);
});
