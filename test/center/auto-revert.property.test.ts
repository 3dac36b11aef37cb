/**
 * Issue 16, time-limited actions, as a property: with a manual clock, an isolation submitted with
 * `revertAfterMs` succeeds; the process that scheduled it stops (a restart: two new centers over the
 * same store, its own ids each); maybe a person moves or clears the revert (`setRevert`) or undoes it
 * by hand; the clock advances and both centers tick `run()` at once, their store calls interleaved
 * by fast-check's scheduler. Then: nothing is reverted before the time; at the time exactly one
 * `requestUndo` by `autoRevert` and exactly one undo counterpart, unless a manual undo or a cleared
 * revert cancelled it (then none by `autoRevert`); ticking again changes nothing. On memory and PGlite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository, manualClock, type ActionRepository, type AuditEvent } from '../../src/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { T0, idsOf, isolate, must, people, scheduled, scriptedExecutor, testCenter } from './fixtures.js';

usePGlite();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const byAutoRevert = (e: AuditEvent) =>
  e.type === 'requestUndo' && e.actor.type === 'system' && e.actor.component === 'autoRevert';

/** What a person does between the restart and the due time, if anything. */
const interventions = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('manualUndo' as const) }),
  fc.record({ kind: fc.constant('clear' as const) }),
  // Moved: earlier or later, always still in the future.
  fc.record({ kind: fc.constant('move' as const), toMs: fc.integer({ min: 1, max: 48 * HOUR }) }),
);

const scenarios = fc.record({
  revertAfterMs: fc.integer({ min: MINUTE, max: 24 * HOUR }),
  // When the first center stops, after the success (before the revert is due).
  restartAfterMs: fc.integer({ min: 0, max: MINUTE - 1 }),
  intervention: interventions,
  // How late after the due time the ticks come.
  lateMs: fc.integer({ min: 0, max: HOUR }),
});

type Scenario = typeof scenarios extends fc.Arbitrary<infer T> ? T : never;

async function scenario(
  store: ActionRepository,
  s: fc.Scheduler,
  { revertAfterMs, restartAfterMs, intervention, lateMs }: Scenario,
): Promise<void> {
  const clock = manualClock(T0);
  const executor = scriptedExecutor(async () => ({ status: 'succeeded' }));
  // The first process: submits, runs it to success, and stops.
  const first = testCenter({ repository: store, clock, executor, idGenerator: idsOf('p0') }).center;
  const submitted = await must(
    first.submit({ request: { ...isolate('LAPTOP-1', people.secAdmin), revertAfterMs }, principal: people.secAdmin }),
  );
  await must(first.run());
  const id = submitted.action.id;
  const succeeded = await must(first.get({ principal: people.reader, id }));
  expect(succeeded).toMatchObject({ status: 'succeeded', revertAt: T0 + revertAfterMs });
  clock.advance(restartAfterMs);
  // The restart: two processes over the same store, their calls interleaved by the scheduler.
  const a = testCenter({ repository: scheduled(store, s), clock, executor, idGenerator: idsOf('a') }).center;
  const b = testCenter({ repository: scheduled(store, s), clock, executor, idGenerator: idsOf('b') }).center;
  const tickBoth = async () => {
    const [ra, rb] = await s.waitFor(Promise.all([a.run(), b.run()]));
    if (!ra.ok || !rb.ok) throw new Error(`a tick failed: ${JSON.stringify(ra.ok ? rb : ra)}`);
  };
  const trail = async () => must(s.waitFor(a.auditTrail({ principal: people.reader, id })));
  let due: number | null = T0 + revertAfterMs;
  let manual = false;
  if (intervention.kind === 'manualUndo') {
    await must(s.waitFor(a.undo({ principal: people.secAdmin, ids: [id] })));
    manual = true;
  } else if (intervention.kind === 'clear') {
    await must(s.waitFor(a.setRevert({ principal: people.secAdmin, id, revertAt: null })));
    due = null;
  } else if (intervention.kind === 'move') {
    due = clock.now() + intervention.toMs;
    await must(s.waitFor(b.setRevert({ principal: people.secAdmin, id, revertAt: due })));
  }
  // Just before the time (or a day on when nothing is due): no revert.
  const target = due ?? clock.now() + 24 * HOUR;
  clock.set(Math.max(clock.now(), target - 1));
  await tickBoth();
  expect((await trail()).filter(byAutoRevert)).toHaveLength(0);
  // At the time (or later): both tick; the revert is requested once, by autoRevert.
  clock.set(target + lateMs);
  await tickBoth();
  const expected = due !== null && !manual ? 1 : 0;
  const events = await trail();
  expect(events.filter(byAutoRevert)).toHaveLength(expected);
  expect(events.filter((e) => e.type === 'requestUndo')).toHaveLength(expected + (manual ? 1 : 0));
  // Exactly one counterpart when undone (by hand or by the revert), none otherwise: every action listed.
  const all = await must(s.waitFor(a.list({ principal: people.reader, query: { page: { size: 100 } } })));
  const counterparts = all.items.filter((x) => x.undoOf === id);
  expect(counterparts).toHaveLength(expected + (manual ? 1 : 0));
  if (expected === 1) expect(counterparts[0]?.requestedBy).toEqual({ type: 'system', component: 'autoRevert' });
  // A later tick changes nothing.
  clock.advance(HOUR);
  await tickBoth();
  expect((await trail()).filter(byAutoRevert)).toHaveLength(expected);
}

describe('automatic revert of time-limited actions across a restart and two processes (issue 16)', () => {
  it('on memory', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenarios, async (s, sc) => scenario(createMemoryRepository(), s, sc)),
      { numRuns: 200 },
    );
  });

  it('on PGlite', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenarios, async (s, sc) => scenario(await freshRepository(), s, sc)),
      { numRuns: 20 },
    );
  });
});
