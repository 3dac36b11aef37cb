/**
 * Issue 13: the engine's planning step is a module of its own, testable without the operations
 * around it: given loaded actions and an event, it answers the writes, audit events and effects of
 * one commit (pre-commit effects already carried out), and commits nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionRecord,
  type Actor,
} from '../../src/index.js';
import { asId, type PrincipalId } from '../../src/catalog/ids.js';
import { contextOf } from '../../src/center/engine/options.js';
import { invalidStateItem, planEach, planEvent, planEventNow } from '../../src/center/engine/plan.js';
import type { EngineContext } from '../../src/center/engine/context.js';
import { T0, must, people, quarantine, testCenter } from './fixtures.js';

async function stored() {
  // Actions made by a real center, then a bare context over the same store for the planner.
  const { center, repository } = testCenter();
  const a = await must(center.submit({ request: quarantine('LAPTOP-1') }));
  await must(center.approve({ principal: people.secAdmin, ids: [a.action.id] }));
  await must(center.run());
  const b = await must(center.submit({ request: quarantine('LAPTOP-2') }));
  const ctx = contextOf({ repository, clock: manualClock(T0), idGenerator: sequentialIdGenerator() }, () =>
    createMemoryRepository(),
  );
  if (!ctx.ok) throw new Error(ctx.error.message);
  const get = async (id: string) => (await must(repository.get(id))) as ActionRecord;
  return { ctx: ctx.value, repository, succeeded: await get(a.action.id), pending: await get(b.action.id) };
}

const by: Actor = { type: 'principal', id: asId<PrincipalId>(people.secAdmin.id) };

describe('planning, alone', () => {
  it('plans an approval: one write at the read version, its audit event, the run and notify effects; nothing stored', async () => {
    const { ctx, repository, pending } = await stored();
    const plan = await planEvent(ctx, pending, { type: 'approve', by, at: T0 + 1, comment: null });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.writes.map((w) => [w.action.id, w.action.status, w.expectedVersion])).toEqual([
      [pending.id, 'approved', pending.version],
    ]);
    expect(plan.value.events.map((e) => [e.type, e.sequence])).toEqual([['approve', pending.version + 1]]);
    expect(plan.value.effects.map((e) => e.type)).toEqual(['run', 'notify']);
    expect((await must(repository.get(pending.id)))?.status).toBe('pending');
  });

  it('plans an undo request with its counterpart (the undo effect) in the same plan', async () => {
    const { ctx, succeeded } = await stored();
    const plan = await planEvent(ctx, succeeded, {
      type: 'requestUndo',
      by,
      at: T0 + 1,
      comment: 'false positive',
      undoActionId: 'act-99' as never,
    });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.writes.map((w) => [w.action.id, w.action.status, w.action.undoOf, w.expectedVersion])).toEqual([
      [succeeded.id, 'undoing', null, succeeded.version],
      ['act-99', 'approved', succeeded.id, null],
    ]);
    expect(plan.value.events.map((e) => e.type)).toEqual(['requestUndo', 'created']);
    // The counterpart's own effects travel with the plan: queued for run, notified.
    expect(plan.value.effects.filter((e) => e.actionId === 'act-99').map((e) => e.type)).toEqual(['run', 'notify']);
    expect(plan.value.effects.some((e) => e.type === 'undo')).toBe(false); // carried out, not passed on
  });

  it('an event the action refuses is the item’s failure, with the typed reason', async () => {
    const { ctx, succeeded, pending } = await stored();
    const outcome = await planEach(ctx, [succeeded, pending], (action) => {
      const step = planEventNow(ctx, action, { type: 'reject', by, at: T0 + 1, comment: null });
      return step.ok ? step.value : invalidStateItem(action.id, step.error);
    });
    expect(outcome.planned.map((p) => p.actionId)).toEqual([pending.id]);
    const failure = outcome.failures.get(succeeded.id);
    expect(failure?.outcome).toBe('invalidState');
    expect(failure?.error.code).toBe('invalidTransition');
  });

  it('extra audit details are merged into the step’s event', async () => {
    const { ctx, pending } = await stored();
    const plan = await planEvent(
      ctx as EngineContext,
      pending,
      { type: 'expire', by: { type: 'system', component: 'expiry' }, at: T0 + 1, comment: null },
      { details: { note: 'swept' } },
    );
    expect(plan.ok && plan.value.events[0]?.details).toMatchObject({ note: 'swept' });
  });
});
