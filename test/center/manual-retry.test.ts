/**
 * Manual retry (issue 16): Cortex XSIAM's Action center lets operators retry an action that
 * failed. `retry` creates a new attempt linked to the original (`retryOf` / `retriedBy`), in the
 * same commit as the original's audit-only `retried` event, with approve's permission and a
 * per-type limit.
 */
import { describe, expect, it } from 'vitest';
import type { ActionExecutor, ExecutionOutcome } from '../../src/index.js';
import { DAY, isolate, must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

const failing = (): ActionExecutor =>
  scriptedExecutor(async () => ({ status: 'failed', failure: { code: 'deviceOffline', message: 'offline' } }));

/** A quarantine that ran and failed, on a center whose executor fails until `fixed` says otherwise. */
async function failedQuarantine(options: Parameters<typeof testCenter>[0] = {}) {
  const state = { fixed: false };
  const executor = scriptedExecutor(async () =>
    state.fixed
      ? { status: 'succeeded' }
      : { status: 'failed', failure: { code: 'deviceOffline', message: 'offline' } },
  );
  const ctx = testCenter({ executor, ...options });
  const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
  await must(ctx.center.run());
  expect((await must(ctx.center.get({ principal: people.reader, id: action.id }))).status).toBe('failed');
  return { ...ctx, state, original: action };
}

describe('retry', () => {
  it('Cortex XSIAM "retry": a failed action gets a new attempt linked both ways, in one commit, approved by the retrier', async () => {
    const { center, state, original } = await failedQuarantine();
    const r = await must(center.retry({ principal: people.secAdmin, ids: [original.id], comment: 'device is back' }));
    expect(r.items.map((i) => i.ok)).toEqual([true]);
    const before = await must(center.get({ principal: people.reader, id: original.id }));
    expect(before.status).toBe('failed');
    expect(before.retriedBy).not.toBeNull();
    const attempt = await must(center.get({ principal: people.reader, id: before.retriedBy ?? '' }));
    expect(attempt).toMatchObject({
      actionType: original.actionType,
      target: original.target,
      parameters: original.parameters,
      source: original.source,
      investigationId: original.investigationId,
      status: 'approved',
      retryOf: original.id,
      retryCount: 1,
      retriedBy: null,
      decidedBy: { type: 'principal', id: people.secAdmin.id },
      decisionComment: 'device is back',
    });
    const trail = await must(center.auditTrail({ principal: people.reader, id: original.id }));
    expect(trail.at(-1)).toMatchObject({
      type: 'retried',
      from: 'failed',
      to: 'failed',
      actor: { type: 'principal', id: people.secAdmin.id },
      comment: 'device is back',
      details: { retryActionId: attempt.id },
    });
    const created = await must(center.auditTrail({ principal: people.reader, id: attempt.id }));
    expect(created[0]).toMatchObject({
      type: 'created',
      to: 'approved',
      actor: { type: 'principal', id: people.secAdmin.id },
      details: { retryOf: original.id, retryCount: 1 },
    });
    state.fixed = true;
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id: attempt.id }))).status).toBe('succeeded');
  });

  it('an action retried already is alreadyRetried naming its retry, and nothing changes', async () => {
    const { center, original } = await failedQuarantine();
    await must(center.retry({ principal: people.secAdmin, ids: [original.id] }));
    const retried = await must(center.get({ principal: people.reader, id: original.id }));
    const again = await must(center.retry({ principal: people.secAdmin, ids: [original.id] }));
    expect(again.items[0]).toMatchObject({
      ok: false,
      outcome: 'invalidState',
      error: { code: 'alreadyRetried', actionId: original.id, retriedBy: retried.retriedBy },
    });
    expect(await must(center.get({ principal: people.reader, id: original.id }))).toEqual(retried);
  });

  it("the type's maxRetries (3 by default) counts along the chain of retries: the fourth is retryLimitReached", async () => {
    const { center, original } = await failedQuarantine();
    let id: string = original.id;
    for (let n = 1; n <= 3; n++) {
      await must(center.retry({ principal: people.secAdmin, ids: [id] }));
      id = (await must(center.get({ principal: people.reader, id }))).retriedBy ?? '';
      await must(center.run());
      expect(await must(center.get({ principal: people.reader, id }))).toMatchObject({
        status: 'failed',
        retryCount: n,
      });
    }
    const r = await must(center.retry({ principal: people.secAdmin, ids: [id] }));
    expect(r.items[0]).toMatchObject({
      ok: false,
      outcome: 'invalidState',
      error: { code: 'retryLimitReached', actionId: id, retryCount: 3, maxRetries: 3 },
    });
  });

  it('needs the approve permission on the type: a reader is denied and nothing changes', async () => {
    const { center, original } = await failedQuarantine();
    const r = await must(center.retry({ principal: people.reader, ids: [original.id] }));
    expect(r.items[0]).toMatchObject({ ok: false, outcome: 'denied', error: { code: 'accessDenied' } });
    expect((await must(center.get({ principal: people.reader, id: original.id }))).retriedBy).toBeNull();
    expect((await must(center.list({ principal: people.reader }))).items).toHaveLength(1);
  });

  it('only failed and timed-out actions are retried: a succeeded one is invalidTransition', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    await must(center.run());
    const r = await must(center.retry({ principal: people.secAdmin, ids: [action.id] }));
    expect(r.items[0]).toMatchObject({ ok: false, outcome: 'invalidState', error: { code: 'invalidTransition' } });
  });

  it('a timed-out action is retried too', async () => {
    const executor: ActionExecutor = {
      supports: () => true,
      execute: async ({ action }) => ({ status: 'accepted', reference: `ref-${action.id}` }) as ExecutionOutcome,
    };
    const { center, clock } = testCenter({ executor });
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    await must(center.run());
    clock.advance(2 * DAY);
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('timedOut');
    const r = await must(center.retry({ principal: people.secAdmin, ids: [action.id] }));
    expect(r.items.map((i) => i.ok)).toEqual([true]);
  });

  it('the new attempt claims the open key: an open action of the group on the target is conflictingAction', async () => {
    const by = people.secAdmin;
    const { center } = testCenter({ executor: failing() });
    const { action } = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    await must(center.run());
    expect((await must(center.get({ principal: by, id: action.id }))).status).toBe('failed');
    const release = await must(
      center.submit({
        principal: by,
        request: {
          actionType: 'releaseFromIsolation',
          target: { kind: 'device', deviceId: 'dev-LAPTOP-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
          parameters: {},
          source: 'manualDeviceAction',
          requestedBy: { type: 'principal', id: by.id },
        },
      }),
    );
    // Approve's permission, four eyes included: the requester may not retry their own action.
    const own = await must(center.retry({ principal: by, ids: [action.id] }));
    expect(own.items[0]).toMatchObject({ ok: false, outcome: 'denied', error: { decision: { reason: 'ownAction' } } });
    const r = await must(center.retry({ principal: people.globalAdmin, ids: [action.id] }));
    expect(r.items[0]).toMatchObject({
      ok: false,
      outcome: 'invalidState',
      error: { code: 'conflictingAction', openActionId: release.action.id, openActionType: 'releaseFromIsolation' },
    });
    expect((await must(center.get({ principal: by, id: action.id }))).retriedBy).toBeNull();
  });

  it('a justification the policy requires for retry refuses the whole call without a comment', async () => {
    const { center, original } = await failedQuarantine({
      approvalPolicy: { requirements: [{ match: { actionTypes: ['quarantineFile'] }, justification: ['retry'] }] },
    });
    const r = await center.retry({ principal: people.secAdmin, ids: [original.id] });
    expect(r.ok ? r.value : r.error).toMatchObject({ code: 'justificationRequired', operation: 'retry' });
    expect((await must(center.get({ principal: people.reader, id: original.id }))).retriedBy).toBeNull();
    const justified = await must(
      center.retry({ principal: people.secAdmin, ids: [original.id], comment: 'back online' }),
    );
    expect(justified.items.map((i) => i.ok)).toEqual([true]);
  });

  it('bulk: one result per id, in the order given, unknown ids notFound', async () => {
    const { center, original } = await failedQuarantine();
    const r = await must(center.retry({ principal: people.secAdmin, ids: ['act-nope', original.id] }));
    expect(r.items.map((i) => [i.actionId, i.ok ? 'ok' : i.outcome])).toEqual([
      ['act-nope', 'notFound'],
      [original.id, 'ok'],
    ]);
  });
});
